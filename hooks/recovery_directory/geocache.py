"""The geocode cache, ``directory/geocache.yml``: street-level coordinates found
online by ``recovery-directory geocode``, committed with the listings so that
the build never needs the network.

Keys are normalised addresses (:func:`address_key`), so a listing's address
written with other capitals or punctuation finds the same entry, and an
address that changes simply misses the cache. The file is rewritten whole,
atomically, sorted by key: diffs stay small and a crash leaves the old file.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .atomic import write_text_atomic
from .problems import Problem, error
from .safe_yaml import parse_text, position

CACHE_FILE = "geocache.yml"
PRECISIONS = ("street", "postal-code", "city")
FIELDS = ("latitude", "longitude", "precision", "source", "date", "match")

HEADER = """\
# Geocode cache: coordinates for listing addresses, found online by
# `recovery-directory geocode` and committed, so the build never needs the network.
#
# Each entry is keyed by the normalised address (lower case, punctuation removed;
# parts address, city, state, postal code, country) and holds:
#   latitude, longitude  decimal degrees (WGS 84)
#   precision            street, postal-code or city: what the result locates
#   source               the geocoder that found it (nominatim, …), or example
#                        for hand-entered positions of the example listings
#   date                 when it was found
#   match                what the geocoder matched, for reviewers (optional)
#
# The command rewrites this file whole, sorted by key; comments other than this
# header are not kept. To correct a position, write latitude and longitude in the
# listing itself (they always win), or delete the entry and geocode again.
"""


@dataclass(frozen=True, slots=True)
class Entry:
    latitude: float
    longitude: float
    source: str
    date: dt.date | None = None
    precision: str = "street"
    match: str | None = None


def cache_path(root: str) -> str:
    return os.path.join(root, CACHE_FILE)


def address_key(location: Any) -> str:
    """``525 S. 6th St, Springfield, IL 62701`` → ``525 s 6th st, springfield, il, 62701, us``."""
    parts = (location.address, location.city, location.state, location.postal_code, location.country or "US")
    return ", ".join(p for p in (_normal(part) for part in parts) if p)


@lru_cache(maxsize=65536)  # cities, states and postal codes repeat
def _normal(text: Any) -> str:
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


# --- reading ---------------------------------------------------------------
def load(root: str) -> tuple[dict[str, Entry], list[Problem]]:
    """The cache's entries and the problems of the file (each located). No file
    is an empty cache; a broken entry is reported and left out."""
    path = cache_path(root)
    display = os.path.relpath(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [error(f"cannot be read ({exc.strerror})").located(display)]
    doc = parse_text(raw, display)
    if not doc.ok:
        return {}, doc.problems
    if doc.data is None:
        return {}, []
    if not isinstance(doc.data, dict):
        return {}, [error("must map each normalised address to its latitude and longitude — see the header of a fresh file").located(display, 1, 1)]
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    for key, value in doc.data.items():
        entry, found = _entry(str(key), value)
        if entry is not None:
            entries[str(key)] = entry
        problems += [p.located(display, *position(doc.text, p.path, p.at_key)) for p in found]
    return entries, problems


def _entry(key: str, value: Any) -> tuple[Entry | None, list[Problem]]:
    if not isinstance(value, dict):
        return None, [error("needs latitude, longitude, source and date", key)]
    problems = [error(f"unknown field {name!r} — allowed: {', '.join(FIELDS)}", key, name, at_key=True)
                for name in value if name not in FIELDS]
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        number = value.get(name)
        if isinstance(number, bool) or not isinstance(number, (int, float)) or not low <= number <= high:
            problems.append(error(f"needs a number from {low} to {high}", key, name))
    if value.get("precision", "street") not in PRECISIONS:
        problems.append(error(f"{value.get('precision')!r} is not a precision — use one of {', '.join(PRECISIONS)}", key, "precision"))
    if not isinstance(value.get("source"), str) or not value["source"].strip():
        problems.append(error("needs the geocoder that found it, e.g. source: nominatim", key, "source"))
    if value.get("date") is not None and not isinstance(value["date"], dt.date):
        problems.append(error("must be a date, e.g. 2026-06-02", key, "date"))
    if problems:
        return None, problems
    match = value.get("match")
    return Entry(float(value["latitude"]), float(value["longitude"]), value["source"], value.get("date"),
                 value.get("precision", "street"), None if match is None else str(match)), []


# --- writing ---------------------------------------------------------------
def dump(entries: dict[str, Entry]) -> str:
    """The file's text: the header, then the entries sorted by key."""
    lines = [HEADER]
    for key in sorted(entries):
        entry = entries[key]
        quoted = _quoted(key)
        # YAML allows implicit keys of up to 1024 characters; longer ones are explicit.
        lines.append(f"{quoted}:" if len(quoted) < 1000 else f"? {quoted}\n:")
        lines.append(f"  latitude: {_number(entry.latitude)}")
        lines.append(f"  longitude: {_number(entry.longitude)}")
        lines.append(f"  precision: {entry.precision}")
        lines.append(f"  source: {_name(entry.source)}")
        if entry.date is not None:
            lines.append(f"  date: {entry.date.isoformat()}")
        if entry.match:
            lines.append(f"  match: {_quoted(entry.match)}")
    return "\n".join(lines) + "\n"


def save(root: str, entries: dict[str, Entry]) -> None:
    """Write the whole cache atomically: a crash or Ctrl-C leaves the old file or the new."""
    write_text_atomic(cache_path(root), dump(entries))


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"not a coordinate: {value!r}")
    return repr(round(float(value), 6))


def _name(text: str) -> str:
    # Geocoder names (nominatim, googlev3 …) read better without quotes.
    plain = re.fullmatch(r"[a-z][a-z0-9_-]*", text) and text not in ("true", "false", "null", "yes", "no", "on", "off")
    return text if plain else _quoted(text)


def _quoted(text: str) -> str:
    # JSON strings are YAML double-quoted strings; line breaks are folded to
    # spaces and characters YAML does not print are written as \u escapes.
    text = json.dumps(" ".join(str(text).split()), ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_UNPRINTABLE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
