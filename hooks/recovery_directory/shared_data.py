"""``data/``: what near-me, online-now and "My meetings" fetch, alike in every language.

``data/near/``, ``data/places/`` and ``data/online/`` depend only on the listings
and the day; ``data/listings/`` on the ``directions`` setting as well. So
``recovery-directory build`` writes them once, with the prepared directory
(prepared.py), into a folder of its own beside the site, and each language's
build links them into its site: a hard link a file, so nothing is made or
written twice, and no language's build creates inodes for them (creating a
file is most of what writing a small one costs). A plain ``mkdocs build``, one
whose ``directions`` differ, or one on another day, writes its own.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass

from .geo_index import GeoDataSummary, write_geo_data
from .offline import LISTINGS_FOLDER, clear_listings_data, write_listings_data
from .site_model import SiteModel

GEO_FOLDERS = ("data/near", "data/places", "data/online")  # the day's data: the same for any settings


@dataclass(frozen=True)
class SharedData:
    """``data/`` written once, in ``folder`` (laid out as a site), for the day and directions given."""

    folder: str
    today: dt.date
    directions: str
    geo: GeoDataSummary
    shards: int  # data/listings/ shards


def write_shared_data(model: SiteModel, folder: str, directions: str, today: dt.date) -> SharedData:
    """Write every language's ``data/`` into ``folder`` once."""
    geo = write_geo_data(model, folder, today)
    shards = write_listings_data(model, folder, directions, today)
    return SharedData(os.path.abspath(folder), today, directions, geo, shards)


def link_geo_data(shared: SharedData, site_dir: str) -> GeoDataSummary:
    """``data/near``, ``places`` and ``online`` of ``site_dir`` as ``shared`` has them."""
    for folder in GEO_FOLDERS:
        link_tree(os.path.join(shared.folder, folder), os.path.join(site_dir, folder))
    return shared.geo


def link_listings_data(shared: SharedData, site_dir: str) -> int:
    """``data/listings/`` of ``site_dir`` as ``shared`` has it; its shards."""
    clear_listings_data(site_dir)
    link_tree(os.path.join(shared.folder, LISTINGS_FOLDER), os.path.join(site_dir, LISTINGS_FOLDER))
    return shared.shards


def link_tree(source: str, target: str) -> int:
    """Every file under ``source`` at the same place under ``target``, which
    holds nothing else afterwards; hard links where the file system allows
    them, copies elsewhere (another file system). How many files."""
    shutil.rmtree(target, ignore_errors=True)  # a site dir reused: only what source has now
    linked = 0
    for root, _, names in os.walk(source):
        out = os.path.join(target, os.path.relpath(root, source))
        os.makedirs(out, exist_ok=True)
        for name in names:
            _link(os.path.join(root, name), os.path.join(out, name))
            linked += 1
    return linked


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # across file systems, or links not allowed there
        shutil.copyfile(source, target)
