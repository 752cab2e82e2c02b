"""Taking the site along: saved meetings, the web app manifest, the service worker.

Everything here is data the build writes beside the pages:

``data/listings/index.json`` and ``data/listings/<n>.json``
    Every listing a saved meeting can point to, by slug, in shards, so that
    "My meetings" loads only the shards holding the listings saved, never the
    whole directory (100,000 listings make 40 MB). A slug's shard is
    :func:`shard_of` (saved.js's ``shardOf`` is the same); the build picks the
    number of shards for about :data:`SHARD_BYTES` each, and the index says it:
    ``{"version": 2, "shards": 1244}``. Each shard repeats it, so that a page
    with the index of another build sees the mismatch and asks again:
    ``{"version": 2, "shards": 1244, "listings": {slug: listing, …}}``. "My
    meetings" shows each saved meeting's next time from it, and says a saved
    slug is no longer listed when its shard lacks it. One listing is
    ``{"name", "url", "kind", "zone", "meetings": [[day, "HH:MM", "HH:MM" or "",
    "O D", rule], …], "join", "phone", "directions", "where"}``; a meeting is a
    row as meeting-time.js's ``fromRow`` reads it, its rule
    (schedule.browser_rule) only when not plain weekly. The service worker
    precaches the index only, and keeps the shards of the saved listings with
    their pages (sw.js).

``manifest.webmanifest``
    Name, icons and theme colour, so a phone can add the site to its home screen.

``sw.js``
    The service worker, rendered from ``overrides/directory/sw.js`` with the
    list of files to keep for offline use and each file's content hash as its
    revision: a build that changes one of them changes ``sw.js``, and the
    browser installs the new worker the next time it is online. Written only
    when ``extra.directory.service_worker`` is on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
from dataclasses import dataclass
from glob import glob

from .geo_index import listing_zone, paused_gc
from .render import directions_url, safe_url
from .schedule import browser_rule
from .site_model import SiteModel, listing_url

SW_TEMPLATE = "directory/sw.js"  # in overrides/; rendered into the site's root, never copied as is
LISTINGS_FOLDER = "data/listings/"
LISTINGS_INDEX = LISTINGS_FOLDER + "index.json"
# What a shard of saved listings' data holds, on average: 32 KB uncompressed
# (about 80 listings, 6 to 8 KB gzipped). Slugs spread by a hash, so shards
# vary around it; the largest stays under 50 KB at any size of directory.
SHARD_BYTES = 32_000
SIZE_SAMPLE = 500  # listings whose data is measured to choose the number of shards
MANIFEST = "manifest.webmanifest"
ICONS = (("assets/directory/icons/icon-192.png", "192x192"), ("assets/directory/icons/icon-512.png", "512x512"))
# Files "My meetings" needs with no connection, cached when the worker installs
# (paths in the site; globs for the theme's hashed bundles); search and near me's
# pages too, so that offline they open and say they need a connection. Of the
# saved listings' data only the index: sw.js keeps the shards of those saved.
OFFLINE_CORE = (
    "my-meetings/index.html", "search/index.html", "near-me/index.html", LISTINGS_INDEX, MANIFEST,
    "assets/directory/directory.css", "assets/directory/print.css", "assets/directory/meeting-time.js",
    "assets/directory/saved.js", "assets/directory/my-meetings.js", "assets/directory/offline.js",
    "assets/stylesheets/main.*.min.css", "assets/stylesheets/palette.*.min.css", "assets/javascripts/bundle.*.min.js",
) + tuple(icon for icon, _ in ICONS)
# Pages opened are kept, least recently used dropped first: 200 pages of 20–60 KB
# is at most ~12 MB, far below what a phone's browser grants a site, and more
# than one person opens between two visits online. Saved listings are kept apart
# (SAVED_LIMIT, the most "My meetings" keeps) so browsing never evicts them.
PAGES_LIMIT = 200
PAGES_MAX_AGE_DAYS = 30
ASSETS_LIMIT = 60
SAVED_LIMIT = 100
NETWORK_TIMEOUT_SECONDS = 4  # a page slower than this comes from the cache, marked offline


@dataclass(frozen=True)
class BuildStamp:
    """When this build ran: shown on printed schedules and in the offline notice."""

    when: dt.datetime

    @classmethod
    def now(cls) -> "BuildStamp":
        # SOURCE_DATE_EPOCH: reproducible builds give the same date every time.
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
        return cls(when.replace(microsecond=0))

    @property
    def iso(self) -> str:
        return self.when.isoformat().replace("+00:00", "Z")


def write_listings_data(model: SiteModel, site_dir: str, directions: str = "openstreetmap", today: dt.date | None = None) -> int:
    """Write ``data/listings/``: the index and every shard, one shard's records
    at a time (nothing else is kept once written); the number of shards."""
    today = today or dt.date.today()
    shards = count_shards(len(model.listings), _mean_record_bytes(model, directions, today))
    members: list[list] = [[] for _ in range(shards)]  # the listings of each shard, in the model's order
    for listing in model.listings:
        members[shard_of(listing.slug, shards)].append(listing)
    clear_listings_data(site_dir)
    with paused_gc():  # short-lived records only; collections would rescan the whole model
        for number, shard in enumerate(members):  # every shard, empty ones too: a missing file is not "no longer listed"
            records = {listing.slug: saved_record(model, listing, directions, today) for listing in shard}
            write_json(site_dir, f"{LISTINGS_FOLDER}{number}.json", {"version": 2, "shards": shards, "listings": records})
    write_json(site_dir, LISTINGS_INDEX, {"version": 2, "shards": shards})
    return shards


def shard_of(slug: str, shards: int) -> int:
    """The shard a slug's data is in: FNV-1a (32 bits) of its UTF-8 bytes,
    modulo the number of shards; saved.js's ``shardOf`` is the same."""
    value = 0x811C9DC5
    for byte in slug.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % shards


def count_shards(listings: int, mean_bytes: float) -> int:
    """How many shards ``listings`` records of ``mean_bytes`` each need for
    shards of about :data:`SHARD_BYTES`; at least one."""
    return max(1, math.ceil(listings * mean_bytes / SHARD_BYTES))


def saved_record(model: SiteModel, listing, directions: str, today: dt.date) -> dict:
    """One listing, as "My meetings" shows it."""
    online = listing.online
    return {
        "name": listing.name,
        "url": listing_url(listing),
        "kind": listing.kind,
        "zone": listing_zone(model, listing) or "",
        "meetings": [_row(listing, m, today) for m in listing.meetings],
        "join": safe_url(online.url) if online and online.url else "",
        "phone": (online.phone or "") if online else "",
        "directions": safe_url(directions_url(listing.location, directions)) if listing.location else "",
        "where": listing.location.city if listing.location else "",
    }


def _mean_record_bytes(model: SiteModel, directions: str, today: dt.date) -> float:
    # Measured on SIZE_SAMPLE listings spread through the directory, as written
    # in a shard: the record, the slug as its key and the separators.
    sample = model.listings[::max(1, len(model.listings) // SIZE_SAMPLE)]
    sizes = [len(json.dumps(saved_record(model, listing, directions, today), ensure_ascii=False, separators=(",", ":")).encode())
             + len(listing.slug) + 4 for listing in sample]
    return sum(sizes) / len(sizes) if sizes else 0.0


def clear_listings_data(site_dir: str) -> None:
    # A site dir reused between builds must keep neither shards of a finer
    # cut nor the single data/listings.json of earlier builds.
    folder = os.path.join(site_dir, LISTINGS_FOLDER)
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            if name.endswith(".json"):
                os.remove(os.path.join(folder, name))
    old = os.path.join(site_dir, "data", "listings.json")
    if os.path.exists(old):
        os.remove(old)


def _row(listing, meeting, today: dt.date) -> list:
    rule = browser_rule(listing, meeting, today)
    row = [meeting.day, meeting.time, meeting.end_time or "", " ".join(meeting.types)]
    return row + [rule] if rule else row


def manifest(site_name: str, description: str, theme_color: str, language: str) -> dict:
    """The web app manifest; its URLs are relative to itself, at the site's root."""
    return {
        "name": site_name,
        "short_name": site_name if len(site_name) <= 12 else site_name.split()[0],
        "description": description,
        "lang": language,
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "theme_color": theme_color,
        "background_color": "#ffffff",
        "icons": [{"src": src, "sizes": sizes, "type": "image/png", "purpose": "any"} for src, sizes in ICONS],
    }


def precache_entries(site_dir: str) -> list[dict[str, str]]:
    """``[{"url", "revision"}]`` of the offline core as built: a content hash each."""
    entries = []
    for pattern in OFFLINE_CORE:
        for path in sorted(glob(os.path.join(site_dir, pattern))):
            relative = os.path.relpath(path, site_dir).replace(os.sep, "/")
            url = relative.removesuffix("index.html")
            entries.append({"url": url, "revision": _digest(path)})
    return entries


def worker_config(site_dir: str) -> dict:
    """What ``sw.js`` is rendered with."""
    entries = precache_entries(site_dir)
    build = hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()[:16]
    return {"build": build, "precache": entries, "pages_limit": PAGES_LIMIT, "pages_max_age": PAGES_MAX_AGE_DAYS * 86400,
            "assets_limit": ASSETS_LIMIT, "saved_limit": SAVED_LIMIT, "network_timeout": NETWORK_TIMEOUT_SECONDS,
            "workbox": "assets/vendor/workbox/", "listings": LISTINGS_FOLDER}


def write_json(site_dir: str, relative: str, value) -> None:
    path = os.path.join(site_dir, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # dumps, not dump: json.dump writes through the pure-Python encoder, 5-10x slower than the C one.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def remove_worker(site_dir: str) -> None:
    # A site dir reused from a build with the worker on must not keep serving it.
    path = os.path.join(site_dir, "sw.js")
    if os.path.exists(path):
        os.remove(path)


def _digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]
