"""Machine-readable feeds of the directory, written at the site root by the build:

- ``meetings.json``: groups and family groups in the Meeting Guide format
  (:mod:`.meeting_guide`), read by the Meeting Guide app, TSML UI and other sites;
- ``treatment-centers.json``: treatment centres (:mod:`.treatment_centers`).

docs/feeds.md documents both, field by field.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator

from ..atomic import write_chunks_atomic
from ..listing import Entity
from .meeting_guide import Links, iter_meetings_feed
from .treatment_centers import treatment_centers_feed

MEETINGS_FILE = "meetings.json"
TREATMENT_CENTERS_FILE = "treatment-centers.json"


def write_feeds(config, model, language: str = "en", entity: Entity | None = None) -> None:
    """Write both feeds into ``config.site_dir`` (``config``: MkDocs' config);
    ``entity`` is the site's default service body (Settings.entity)."""
    links = links_from_config(config)
    listings, vocabularies = model.listings, model.vocabularies
    # Written as they are made: a national feed is hundreds of megabytes as one string.
    write_chunks_atomic(os.path.join(config.site_dir, MEETINGS_FILE),
                        feed_chunks(iter_meetings_feed(listings, vocabularies, links, entity, language)))
    write_chunks_atomic(os.path.join(config.site_dir, TREATMENT_CENTERS_FILE),
                        feed_chunks(treatment_centers_feed(listings, vocabularies, links, language)))


def links_from_config(config) -> Links:
    # Edit links as MkDocs makes them for "edit this page" (edit_uri, not edit_uri_template).
    repo_url, edit_uri = config.repo_url or "", config.edit_uri or ""
    edit_base = ""
    if repo_url and edit_uri and not config.edit_uri_template:
        edit_base = repo_url.rstrip("/") + "/" + edit_uri if not edit_uri.startswith(("http://", "https://")) else edit_uri
    return Links(site_url=config.site_url or "", edit_base=edit_base, docs_dir=config.docs_dir)


def feed_json(items: Iterable[dict]) -> str:
    """A JSON array with one object per line: compact, and readable in a diff."""
    return "".join(feed_chunks(items))


def feed_chunks(items: Iterable[dict]) -> Iterator[str]:
    """:func:`feed_json` piece by piece."""
    separator = "[\n"
    for item in items:
        yield separator + json.dumps(item, ensure_ascii=False, separators=(",", ":"))
        separator = ",\n"
    yield "[]\n" if separator == "[\n" else "\n]\n"
