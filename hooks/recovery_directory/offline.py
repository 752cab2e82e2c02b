"""Taking the site along: saved meetings, the web app manifest, the service worker.

Everything here is data the build writes beside the pages:

``data/listings.json``
    Every listing a saved meeting can point to, by slug: its name, URL, time
    zone, weekly meetings and how to get there. "My meetings" reads it to show
    each saved meeting's next time, and to say when a saved slug is no longer
    listed (a slug missing here). One listing is ``{"name", "url", "kind",
    "zone", "meetings": [[day, "HH:MM", "HH:MM" or "", "O D", rule], …], "join",
    "phone", "directions", "where"}``; a meeting is a row as meeting-time.js's
    ``fromRow`` reads it, its rule (schedule.browser_rule) only when not plain weekly.

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
import os
from dataclasses import dataclass
from glob import glob

from .geo_index import listing_zone
from .render import directions_url, safe_url
from .schedule import browser_rule
from .site_model import SiteModel, listing_url

SW_TEMPLATE = "directory/sw.js"  # in overrides/; rendered into the site's root, never copied as is
LISTINGS_INDEX = "data/listings.json"
MANIFEST = "manifest.webmanifest"
ICONS = (("assets/directory/icons/icon-192.png", "192x192"), ("assets/directory/icons/icon-512.png", "512x512"))
# Files "My meetings" needs with no connection, cached when the worker installs
# (paths in the site; globs for the theme's hashed bundles); search and near me's
# pages too, so that offline they open and say they need a connection.
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


def listings_index(model: SiteModel, directions: str = "openstreetmap", today: dt.date | None = None) -> dict:
    """``data/listings.json``: every listing by slug, as "My meetings" shows it."""
    today = today or dt.date.today()
    listings = {}
    for listing in model.listings:
        online = listing.online
        listings[listing.slug] = {
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
    return {"version": 1, "listings": listings}


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
            "workbox": "assets/vendor/workbox/"}


def write_json(site_dir: str, relative: str, value) -> None:
    path = os.path.join(site_dir, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, ensure_ascii=False, separators=(",", ":"))


def remove_worker(site_dir: str) -> None:
    # A site dir reused from a build with the worker on must not keep serving it.
    path = os.path.join(site_dir, "sw.js")
    if os.path.exists(path):
        os.remove(path)


def _digest(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]
