"""Static data for "meetings near me" and "online now", written beside the site.

A browser never loads the whole directory. Three sets of small JSON files:

``data/near/index.json`` and ``data/near/<geohash>.json``
    In-person and hybrid listings with coordinates, in geohash cells that
    split until each holds at most :data:`CELL_LIMIT` listings (dense cities
    get small cells, the countryside large ones). The index names every cell
    and its count; the page loads the cells nearest the searched point, best
    first, until it has enough results (``geo.js``). One listing is
    ``[lat, lon, kind, slug, name, fellowship, zone, hybrid, city, meetings]``
    with ``kind`` and ``zone`` as positions in the index's ``kinds`` and
    ``zones`` lists (``zone`` -1: unknown) and each meeting
    ``[day, "HH:MM", "HH:MM" or "", "O D X"]`` (day 0 = Sunday, local time of
    the listing's zone, end time, type codes), with a fifth item when it is not
    simply weekly or has cancellations or closures (:func:`.schedule.browser_rule`:
    the rule, future cancelled dates, closures not yet over, the listing's
    included), so that the browser skips them and ends a closure by its own clock.

``data/places/zip/<first 3 digits>.json`` and ``data/places/city/<first 3 letters>.json``
    ZIP codes and towns of the states the directory covers, from the offline
    ``zipcodes`` package, so a typed place resolves without any geocoding
    service: ``{"62701": [lat, lon, "Springfield", "IL"]}`` and
    ``[[normal name, name, state, lat, lon], …]``.

``data/online/index.json`` and ``data/online/<hour>.json``
    Every meeting of an online or hybrid listing, in 168 files by its start
    hour of the week in UTC (as the zone's offset stood on :data:`REFERENCE`;
    daylight saving moves a meeting by at most :data:`ONLINE_MARGIN_HOURS`, so
    the page loads that many hours more on each side). One meeting is
    ``[url, name, fellowship, zone, day, "HH:MM", "HH:MM" or "", "O D", join url, phone]``,
    with an eleventh item as in the near-me meetings when there is a rule.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import math
import os
import re
import unicodedata
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from .listing import Listing
from .render import safe_url
from .schedule import browser_rule
from .site_model import KIND_FOLDERS, SiteModel, listing_url

CELL_LIMIT = 150  # listings per near-me cell; a dense city splits into smaller cells
MIN_PRECISION, MAX_PRECISION = 2, 7  # geohash lengths: ~630 km cells down to ~150 m
KINDS = tuple(KIND_FOLDERS)  # group, family-group, treatment-center
ONLINE_MARGIN_HOURS = 2  # most a zone's offset moves from REFERENCE's (DST: 1 h; Troll: 2 h)
# How far back "in progress" looks is the longest meeting's length, but at most this:
# one listing with a mistaken end time must not make every visitor load a day of files.
LONGEST_LOOKBACK_MINUTES = 360
REFERENCE = dt.datetime(2024, 1, 7, 12, 0, tzinfo=dt.timezone.utc)  # a Sunday
_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"


@dataclass(frozen=True)
class GeoDataSummary:
    near_listings: int
    near_cells: int
    places_zip: int
    places_city: int
    online_meetings: int


def write_geo_data(model: SiteModel, site_dir: str, today: dt.date | None = None) -> GeoDataSummary:
    """Write every file above under ``site_dir/data/``; ``today`` drops past
    cancellations and closures that are over. The same in every language:
    ``recovery-directory build`` writes them once (shared_data.py)."""
    data = os.path.join(site_dir, "data")
    today = today or dt.date.today()
    with paused_gc():
        near, cells = write_near(model, os.path.join(data, "near"), today)
        zips, cities = write_places(covered_states(model), os.path.join(data, "places"))
        online = write_online(model, os.path.join(data, "online"), today)
    return GeoDataSummary(near, cells, zips, cities, online)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: the data written here is many small
    short-lived lists and strings, none cyclic, and every collection would
    rescan the whole directory's model as well (most of the time it took)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def listing_zone(model: SiteModel, listing: Listing) -> str | None:
    """The listing's time zone, else its region's default (until enrichment sets every one)."""
    return listing.timezone or model.region_of(listing).default_timezone


# --- near me ---------------------------------------------------------------

def write_near(model: SiteModel, folder: str, today: dt.date | None = None) -> tuple[int, int]:
    today = today or dt.date.today()
    zones: dict[str, int] = {}
    placed = []  # (geohash, (listing, zone number)): each cell's records are made as it is written
    for listing in model.listings:
        location = listing.location
        if location is None or not location.has_coordinates:
            continue  # online only, or not geocoded yet: not "near" anywhere
        zone = _zone_number(zones, listing_zone(model, listing))
        placed.append((geohash(location.latitude, location.longitude, MAX_PRECISION), (listing, zone)))
    cells = split_cells(placed)
    _clear(folder)
    for cell, listings in cells.items():
        _write_json(os.path.join(folder, f"{cell}.json"), [near_record(listing, zone, today) for listing, zone in listings])
    index = {
        "version": 1,
        "kinds": [[kind, KIND_FOLDERS[kind]] for kind in KINDS],
        "zones": list(zones),
        "cells": {cell: len(records) for cell, records in sorted(cells.items())},
    }
    _write_json(os.path.join(folder, "index.json"), index)
    return len(placed), len(cells)


def near_record(listing: Listing, zone: int, today: dt.date | None = None) -> list:
    location = listing.location
    today = today or dt.date.today()
    meetings = [_with_rule([m.day, m.time, m.end_time or "", " ".join(m.types)], browser_rule(listing, m, today))
                for m in listing.meetings]
    return [round(location.latitude, 5), round(location.longitude, 5), KINDS.index(listing.kind), listing.slug,
            listing.name, listing.fellowship or "", zone, 1 if listing.online else 0, location.city, meetings]


def split_cells(placed: Iterable[tuple[str, list]], limit: int = CELL_LIMIT) -> dict[str, list]:
    """Records grouped by geohash prefix; a cell over ``limit`` splits into its 32 children."""
    cells: dict[str, list] = {}
    pending = _group(placed, MIN_PRECISION)
    while pending:
        prefix, items = pending.popitem()
        if len(items) <= limit or len(prefix) >= MAX_PRECISION:
            cells[prefix] = [record for _, record in items]
        else:
            pending.update(_group(items, len(prefix) + 1))
    return cells


def _group(items: Iterable[tuple[str, list]], length: int) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[item[0][:length]].append(item)
    return groups


def geohash(lat: float, lon: float, precision: int) -> str:
    """The standard geohash (base 32, longitude bit first).

    Halving the ranges bit by bit puts ``x`` in cell ``floor((x + half) / (2 * half) * 2**bits)``
    (every midpoint is exact in binary floating point), so that is what this
    computes, exactly, with integers: the same cells, a tenth of the time."""
    bits = precision * 5
    lon_bits, lat_bits = (bits + 1) // 2, bits // 2
    if lon_bits > 32 or not (math.isfinite(lat) and math.isfinite(lon)):
        return _bisected_geohash(lat, lon, precision)
    x, y = _spread(_cell_number(lon, 180, lon_bits)), _spread(_cell_number(lat, 90, lat_bits))
    value = (x | y << 1) if bits % 2 else (x << 1 | y)  # the last bit is a longitude bit when there is an odd number
    return "".join(_BASE32[(value >> shift) & 31] for shift in range(bits - 5, -1, -5))


def _cell_number(x: float, half: int, bits: int) -> int:
    # floor((x + half) * 2**bits / (2 * half)) in exact integers, within 0 … 2**bits - 1.
    numerator, denominator = x.as_integer_ratio()
    number = ((numerator + half * denominator) << bits) // (2 * half * denominator)
    return min(max(number, 0), (1 << bits) - 1)


def _spread(x: int) -> int:
    # The bits of a number below 2**32 with a zero bit between each.
    x = (x | x << 16) & 0x0000FFFF0000FFFF
    x = (x | x << 8) & 0x00FF00FF00FF00FF
    x = (x | x << 4) & 0x0F0F0F0F0F0F0F0F
    x = (x | x << 2) & 0x3333333333333333
    return (x | x << 1) & 0x5555555555555555


def _bisected_geohash(lat: float, lon: float, precision: int) -> str:
    lat_range, lon_range = [-90.0, 90.0], [-180.0, 180.0]
    chars, value, bits, even = [], 0, 0, True
    while len(chars) < precision:
        span, x = (lon_range, lon) if even else (lat_range, lat)
        middle = (span[0] + span[1]) / 2
        value <<= 1
        if x >= middle:
            value |= 1
            span[0] = middle
        else:
            span[1] = middle
        even, bits = not even, bits + 1
        if bits == 5:
            chars.append(_BASE32[value])
            value, bits = 0, 0
    return "".join(chars)


def _zone_number(zones: dict[str, int], zone: str | None) -> int:
    if zone is None:
        return -1
    return zones.setdefault(zone, len(zones))


# --- places ----------------------------------------------------------------

def covered_states(model: SiteModel) -> set[str]:
    """The US states the directory's regions and addresses name."""
    states = {r.state_code for r in model.vocabularies.regions.values() if r.state_code}
    states.update(l.location.state.upper() for l in model.listings if l.location and l.location.state)
    return states


@dataclass(frozen=True)
class Places:
    """``data/places/`` ready to write: each file's bytes by its path in the
    folder; how many ZIP codes and towns."""

    files: dict[str, bytes]
    zips: int
    cities: int


def places_data(states: set[str]) -> Places:
    """The places' files for ``states``."""
    zips, cities = place_index(states)
    files = {}
    for prefix, entries in _by_key(zips.items(), lambda item: item[0][:3]).items():
        files[f"zip/{prefix}.json"] = _json_bytes(dict(sorted(entries)))
    for key, entries in _by_key(cities, lambda city: place_key(city[0])).items():
        files[f"city/{key}.json"] = _json_bytes(sorted(entries))
    return Places(files, len(zips), len(cities))


def write_places(states: set[str], folder: str) -> tuple[int, int]:
    """Write ``folder`` (``data/places/``) for ``states``; how many ZIP codes and towns."""
    places = places_data(states)
    _clear(folder)
    for sub in {relative.split("/")[0] for relative in places.files}:
        os.makedirs(os.path.join(folder, sub), exist_ok=True)
    for relative, content in places.files.items():
        with open(os.path.join(folder, relative), "wb") as handle:
            handle.write(content)
    return places.zips, places.cities


def place_index(states: set[str]) -> tuple[dict[str, list], list[list]]:
    """ZIP code → [lat, lon, city, state], and towns as [normal name, name, state, lat, lon]
    (the mean position of the town's ZIP codes). From the gazetteer's ZIP
    codes (placed ones, not overseas military), the table enrichment loads:
    one compact copy of the ``zipcodes`` data per process, not two."""
    from .gazetteer import load_gazetteer

    zips: dict[str, list] = {}
    towns: dict[tuple[str, str], list] = defaultdict(list)
    for code, (lat, lon, _, state, city) in load_gazetteer().zips.items():
        if state not in states:
            continue
        zips[code] = [round(lat, 3), round(lon, 3), city, state]
        towns[(city, state)].append((lat, lon))
    cities = [[_normal_town(city), city, state, round(sum(p[0] for p in points) / len(points), 3),
               round(sum(p[1] for p in points) / len(points), 3)] for (city, state), points in towns.items()]
    return zips, cities


@lru_cache(maxsize=None)
def _normal_town(name: str) -> str:
    # The same 30,000 town names in every build of a `mkdocs serve` session.
    return normal_place(name)


def normal_place(text: str) -> str:
    """How typed and listed place names are compared (geo.js does the same):
    no case, accents or punctuation; St., Ft., Mt. spelled out."""
    if text.isascii():  # most names: nothing to decompose, casefold() is lower()
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text.casefold())
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


def place_key(normal: str) -> str:
    """The file a town's name is in: its first three characters, a space or a
    shorter name filled with ``_`` ("new", "o_f", "ai_"): at most about 20 KB each."""
    return normal[:3].ljust(3, "_").replace(" ", "_")


def _by_key(items: Iterable, key) -> dict[str, list]:
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


# --- online now ------------------------------------------------------------

def _with_rule(row: list, rule: dict | None) -> list:
    return row + [rule] if rule else row


def write_online(model: SiteModel, folder: str, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    zones: dict[str, int] = {}
    hours: list[list] = [[] for _ in range(168)]  # (listing, meeting, zone number): rows are made as each hour is written
    longest = 60
    for listing in model.listings:
        zone = listing_zone(model, listing)
        if not listing.is_online or zone is None:
            continue  # without a zone no one can say when it happens elsewhere
        number = _zone_number(zones, zone)
        for meeting in listing.meetings:
            hours[online_hour(meeting.day, meeting.time, zone)].append((listing, meeting, number))
            longest = min(max(longest, duration_minutes(meeting.time, meeting.end_time)), LONGEST_LOOKBACK_MINUTES)
    _clear(folder)
    joins: dict[str, str] = {}  # checked once per listing, not once per meeting
    for hour, meetings in enumerate(hours):
        if meetings:
            _write_json(os.path.join(folder, f"{hour}.json"), [online_row(*item, today, joins) for item in meetings])
    index = {"version": 1, "margin": ONLINE_MARGIN_HOURS, "longest": longest, "zones": list(zones),
             "hours": [len(rows) for rows in hours]}
    _write_json(os.path.join(folder, "index.json"), index)
    return sum(len(rows) for rows in hours)


def online_row(listing: Listing, meeting, zone: int, today: dt.date, joins: dict[str, str] | None = None) -> list:
    """One meeting of the online-now files; ``joins`` keeps the links :func:`.render.safe_url` passed."""
    url = listing.online.url
    if url and joins is not None:
        join = joins.get(url)
        if join is None:
            join = joins[url] = safe_url(url)
    else:
        join = safe_url(url) if url else ""
    row = [listing_url(listing), listing.name, listing.fellowship or "", zone, meeting.day, meeting.time,
           meeting.end_time or "", " ".join(meeting.types), join, listing.online.phone or ""]
    return _with_rule(row, browser_rule(listing, meeting, today))


def online_hour(day: int, hhmm: str, zone: str) -> int:
    """Hour of the week (0 = Sunday 00:00–00:59 UTC) a meeting starts in, with
    the zone's offset on :data:`REFERENCE`."""
    hours, minutes = map(int, hhmm.split(":"))
    local = day * 1440 + hours * 60 + minutes
    return int(((local - _reference_offset_minutes(zone)) % 10080) // 60)


@lru_cache(maxsize=None)
def _reference_offset_minutes(zone: str) -> float:
    return REFERENCE.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset().total_seconds() // 60


def duration_minutes(start: str, end: str | None, default: int = 60) -> int:
    """Length of a meeting; an end before the start is after midnight."""
    if not end:
        return default
    (sh, sm), (eh, em) = (map(int, start.split(":")), map(int, end.split(":")))
    length = (eh * 60 + em) - (sh * 60 + sm)
    return length if length > 0 else length + 1440


# --- files -----------------------------------------------------------------

def _write_json(path: str, value) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    # dumps, not dump: json.dump writes through the pure-Python encoder, 5-10x slower than the C one.
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def _json_bytes(value) -> bytes:
    # As _write_json writes it.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _clear(folder: str) -> None:
    # A site dir reused between builds must not keep cells of a coarser split.
    if os.path.isdir(folder):
        for root, _, names in os.walk(folder):
            for name in names:
                if name.endswith(".json"):
                    os.remove(os.path.join(root, name))
