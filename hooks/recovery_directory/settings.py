"""A site's own settings, from ``extra: directory:`` in ``mkdocs.yml``.

Everything has a default, so a fork only sets what differs: its crisis lines,
its units, its map tiles. Unknown keys stop the build with the list of known ones.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError

from .fields import Email, ListOf, Lookups, Phone, Text, Url
from .languages import ALL_LANGUAGES_ENV
from .listing import Entity

DEFAULT_CRISIS = (
    {"name": "988 Suicide & Crisis Lifeline", "call": "988", "text": "988", "url": "https://988lifeline.org/"},
    {"name": "SAMHSA National Helpline", "call": "1-800-662-4357", "note": "Free, confidential, 24/7, in English and Spanish",
     "url": "https://www.samhsa.gov/find-help/helplines/national-helpline"},
)


@dataclass(frozen=True)
class CrisisLine:
    name: str
    call: str | None = None
    text: str | None = None
    note: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class TileServer:
    """Where map tiles come from; the site owner picks it (and honours its usage policy)."""

    url: str  # e.g. https://tile.example.org/{z}/{x}/{y}.png; {s} for a subdomain
    attribution: str  # HTML, shown on the map as the tile server asks
    max_zoom: int = 19
    subdomains: str = "abc"

    @property
    def host(self) -> str:
        """The origin for the page's Content-Security-Policy (img-src)."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"

    @classmethod
    def from_setting(cls, raw: Any) -> "TileServer | None":
        if raw in (None, "", False):
            return None
        try:
            tiles = cls(**raw)
        except TypeError:
            raise PluginError("mkdocs.yml: extra.directory.tiles: give url and attribution (optionally max_zoom, subdomains)") from None
        parts = urlsplit(tiles.url)
        local = parts.hostname in ("localhost", "127.0.0.1")
        if not all(f"{{{part}}}" in tiles.url for part in "zxy") or not (parts.scheme == "https" or (parts.scheme == "http" and local)):
            raise PluginError("mkdocs.yml: extra.directory.tiles.url must be an https:// URL with {z}, {x} and {y}, "
                              "e.g. https://tile.example.org/{z}/{x}/{y}.png")
        if re.search(r"[\s'\";]", tiles.url):
            raise PluginError("mkdocs.yml: extra.directory.tiles.url must not contain spaces, quotes or semicolons")
        return tiles


DIRECTIONS = ("openstreetmap", "google", "apple")
# The keys of extra.directory.entity and the field type each is checked with.
ENTITY_KEYS = {"name": Text(200), "email": Email(), "phone": Phone(), "url": Url(),
               "feedback_emails": ListOf(Email(), max_items=5), "feedback_url": Url(mailto=True)}


def entity_from_setting(raw: Any) -> Entity | None:
    """The site's default service body, checked with the listings' own field types."""
    if raw in (None, "", False):
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise PluginError("mkdocs.yml: extra.directory.entity: give the service body's name, and optionally "
                          "email, phone, url, feedback_emails, feedback_url")
    unknown = sorted(set(raw) - set(ENTITY_KEYS), key=str)
    if unknown:
        raise PluginError(f"mkdocs.yml: extra.directory.entity: unknown key(s) {', '.join(map(str, unknown))} — known: {', '.join(ENTITY_KEYS)}")
    lookups = Lookups({}, set())
    for key, value in raw.items():
        problems = ENTITY_KEYS[key].check(value, lookups)
        if problems:
            raise PluginError(f"mkdocs.yml: extra.directory.entity.{key}: {problems[0].message}")
    return Entity(raw["name"], raw.get("email"), raw.get("phone"), raw.get("url"),
                  tuple(raw.get("feedback_emails") or ()), raw.get("feedback_url"))


@dataclass(frozen=True)
class Settings:
    directory: str = "directory"  # the listings folder, relative to mkdocs.yml
    language: str = "en"
    units: str = "mi"  # mi or km, for distances
    crisis: tuple[CrisisLine, ...] = ()
    search: bool = True  # run Pagefind after the build
    content_security_policy: bool = True  # a strict CSP <meta> on every page
    quiet: bool = False
    stale_days: int = 365  # "last verified" older than this shows a gentle note
    repo_url: str = ""
    site_url: str = ""  # from mkdocs.yml's site_url: printed schedules' QR codes point there
    # For 'recovery-directory geocode' only (the build never geocodes): name,
    # user_agent, api_key_env, timeout, min_delay_seconds, options.
    geocoder: dict | None = None
    # Map tiles for listing and near-me maps; none: no map, and no request to another host.
    tiles: TileServer | None = None
    # Where a listing's "Directions" link leads: openstreetmap, google or apple. On
    # Apple devices the page's script points it at Apple Maps whatever this says.
    directions: str = "openstreetmap"
    # The service body that keeps the listings, on every listing page and in the
    # feed unless a listing names its own: name, email, phone, url, feedback_emails, feedback_url.
    entity: Entity | None = None
    # A service worker (offline.py, overrides/directory/sw.js) keeps the pages a
    # person opened and their saved meetings for use with no connection. False:
    # the build writes no sw.js, and pages unregister a worker an earlier build left.
    service_worker: bool = True
    # The phone's bar colour for the site added to a home screen (manifest.webmanifest).
    theme_color: str = "#00796b"
    # The site's languages (translations/<code>.yml each): the first at the site's
    # root, each other under <code>/ from mkdocs.<code>.yml (languages.py).
    languages: tuple[str, ...] = ("en",)
    # Another language's docs folder: a page this language's docs_dir lacks is built
    # from there, saying it is not translated yet (mkdocs.es.yml: docs).
    fallback_docs: str | None = None
    # Set by `recovery-directory build` (languages.ALL_LANGUAGES_ENV): every language
    # is built at once into one site, which it indexes for search once at the end.
    together: bool = False

    @classmethod
    def from_config(cls, config) -> "Settings":
        raw: dict[str, Any] = dict((config.extra or {}).get("directory") or {})
        known = {f.name for f in fields(cls)} - {"language", "repo_url", "site_url", "quiet", "together"}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise PluginError(f"mkdocs.yml: extra.directory: unknown setting(s) {', '.join(unknown)} — known: {', '.join(sorted(known))}")
        base = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        directory = os.path.join(base, raw.pop("directory", "directory"))
        try:
            raw["crisis"] = tuple(CrisisLine(**line) for line in raw.get("crisis", DEFAULT_CRISIS) or ())
        except TypeError as exc:
            raise PluginError(f"mkdocs.yml: extra.directory.crisis: each line has name and optionally call, text, note, url ({exc})") from None
        if raw.get("units", "mi") not in ("mi", "km"):
            raise PluginError("mkdocs.yml: extra.directory.units must be mi or km")
        raw["tiles"] = TileServer.from_setting(raw.get("tiles"))
        if raw.get("directions", "openstreetmap") not in DIRECTIONS:
            raise PluginError(f"mkdocs.yml: extra.directory.directions must be one of {', '.join(DIRECTIONS)}")
        raw["entity"] = entity_from_setting(raw.get("entity"))
        if not isinstance(raw.get("service_worker", True), bool):
            raise PluginError("mkdocs.yml: extra.directory.service_worker must be true or false")
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", str(raw.get("theme_color", "#00796b"))):
            raise PluginError("mkdocs.yml: extra.directory.theme_color must be a colour like #00796b")
        quiet = logging.getLogger("mkdocs").getEffectiveLevel() > logging.INFO
        language = (config.theme.get("language") or "en").split("-")[0]
        raw["languages"] = _languages(raw.get("languages", (language,)), language)
        if raw.get("fallback_docs"):
            raw["fallback_docs"] = os.path.relpath(os.path.join(base, raw["fallback_docs"]))
        raw["together"] = os.environ.get(ALL_LANGUAGES_ENV) == "1"
        if raw["together"]:
            raw["search"] = False  # recovery-directory build indexes every language at once
        return cls(directory=os.path.relpath(directory), language=language, repo_url=config.repo_url or "", site_url=getattr(config, "site_url", None) or "", quiet=quiet, **raw)


def _languages(raw: Any, language: str) -> tuple[str, ...]:
    """extra.directory.languages, checked: codes with a translations file, this build's among them."""
    from .render import available_languages

    if isinstance(raw, str) or not isinstance(raw, (list, tuple)) or not raw or not all(isinstance(c, str) for c in raw):
        raise PluginError("mkdocs.yml: extra.directory.languages: list the site's language codes, the first at the root, e.g. [en, es]")
    missing = [code for code in raw if code not in available_languages()]
    if missing:
        raise PluginError(f"mkdocs.yml: extra.directory.languages: no translations/{missing[0]}.yml in hooks/recovery_directory/ "
                          f"— copy en.yml and translate it (have: {', '.join(available_languages())})")
    if language not in raw:
        raise PluginError(f"theme.language is {language!r}, which extra.directory.languages ({', '.join(raw)}) does not list")
    return tuple(raw)
