"""What list, print and listing pages show line by line, worked out in Python.

A template that works out a line's texts itself (a time, a link, a place, a
count) makes a call through the template engine for each, which cost about
as much as the rest of its line, and a meeting's line is on half a dozen
lists. These functions make a page's lines in one pass, as plain values; the
templates in ``overrides/directory/`` only print them (autoescaped).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from markupsafe import Markup

if TYPE_CHECKING:
    from .render import Catalogue, Formats


def meeting_types(listing) -> tuple[str, ...]:
    """The types of a listing's meetings, each once, as first met: what
    ``meetings | map(attribute='types') | sum(start=()) | unique`` gives (the
    filter ignores case), as a tuple, by which its search filters are kept."""
    return _first_each(code for meeting in listing.meetings for code in meeting.types)


def meeting_days(listing) -> tuple[int, ...]:
    """The days a listing meets, each once, as first met (0 = Sunday)."""
    return _first_each(meeting.day for meeting in listing.meetings)


def _first_each(values) -> tuple:
    seen, kept = set(), []
    for value in values:
        key = value.lower() if isinstance(value, str) else value  # as Jinja's unique
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return tuple(kept)


class ScheduleLine(NamedTuple):
    """One meeting's line in a schedule (macros.html schedule_by_day), its texts
    worked out beforehand (schedule_days)."""

    row: Any  # the MeetingRow: its listing and meeting, for a rule note
    time: str  # "7:30 PM – 8:30 PM"
    zone: str  # the listing's time zone by name, on a page that shows zones; else ""
    href: str  # the listing's page, from this page
    name: str
    place: str  # "Springfield · Online"
    note: bool  # the line says more than the time: the rule in words, or closed
    types: tuple[str, ...]  # the meeting's type codes


class PrintLine(NamedTuple):
    """One meeting's line on a print page (print.html), its texts worked out beforehand (print_days)."""

    time: str
    codes: str  # its type codes, "O D"
    zone: str
    name: str
    place: str | None  # where it meets: the place's name, if any,
    address: str | None  # and its address on one line; None: no location
    online: bool  # joined online: by its URL, its phone number or both
    url: str | None
    phone: str | None


class DayLines(NamedTuple):
    day: int  # 0 = Sunday
    name: str  # "Monday"
    lines: list


def schedule_days(rows, link, listing_url, fmt: "Formats", schedule=None, show_zone: bool = False) -> list[DayLines]:
    """A page's schedule rows as the lines it shows, by meeting day, Sunday
    first, each day's in the order given. Worked out here in one pass: from
    a template each call (a time, a link, a place) cost about as much as the
    rest of its line, and a meeting's line is on half a dozen lists."""
    days: dict[int, list] = {}
    listings: dict[int, tuple] = {}  # a listing's link, name, place and zone: once a page
    time_range, has_note = fmt.time_range, schedule.has_note if schedule is not None else None
    for row in rows:
        listing, meeting = row.listing, row.meeting
        about = listings.get(id(listing))
        if about is None:
            about = listings[id(listing)] = (link(listing_url(listing)), listing.name, fmt.place(listing),
                                             fmt.zone(listing.timezone) if show_zone else "")
        href, name, place, zone = about
        note = has_note is not None and has_note(listing, meeting)
        days.setdefault(meeting.day, []).append(_line((row, time_range(meeting), zone, href, name, place, note, meeting.types)))
    return [DayLines(day, fmt.day(day), days[day]) for day in sorted(days)]


_line = partial(tuple.__new__, ScheduleLine)  # a ScheduleLine from a tuple, without NamedTuple's __new__ in Python


def print_days(rows, fmt: "Formats", show_zone: bool = False) -> list[DayLines]:
    """A print page's rows as its lines, by meeting day (as schedule_days)."""
    days: dict[int, list] = {}
    listings: dict[int, tuple] = {}  # a listing's part of its lines: once a page
    time_range = fmt.time_range
    for row in rows:
        listing, meeting = row.listing, row.meeting
        about = listings.get(id(listing))
        if about is None:
            location, online = listing.location, listing.online
            about = listings[id(listing)] = (
                fmt.zone(listing.timezone) if show_zone else "", listing.name,
                location.name if location else None, location.one_line if location else None,
                bool(online), online.url if online else None, online.phone if online else None)
        days.setdefault(meeting.day, []).append(_print_line((time_range(meeting), " ".join(meeting.types)) + about))
    return [DayLines(day, fmt.day(day), days[day]) for day in sorted(days)]


_print_line = partial(tuple.__new__, PrintLine)


def code_names(terms, language: str) -> list[tuple[str, str]]:
    """Terms of a vocabulary as (code, name in ``language``): a print page's legend."""
    return [(term.code, term.name(language)) for term in terms]


class RegionGroup(NamedTuple):
    """A list's items under one region's heading (grouped-meetings.html, kind.html)."""

    href: str  # the region's page, from this page
    names: tuple[str, ...]  # the region's lineage, outermost first: "Texas", "Houston"
    count: str  # "3 meetings"
    items: list


def region_groups(groups, link, region_url, t: Catalogue, count_key: str) -> list[RegionGroup]:
    """(region, items) pairs as the headings over them show them, worked out in
    one pass: from the template, the link, the names and the count cost about
    as much as a group's few meetings."""
    return [RegionGroup(link(region_url(region)), tuple(r.name for r in region.lineage), t.count(count_key, len(items)), items)
            for region, items in groups]


class NearbyLine(NamedTuple):
    """One listing near another, as its list on a listing page shows it (macros.nearby_list)."""
    listing: Any
    href: str
    distance: str  # "2.3 mi"
    approximate: str  # why the distance is approximate, or ""
    about: Markup  # where it is, its fellowship, when it meets (macros.nearby_about)


class NearbyLines:
    """A listing page's nearby listings of one kind (nearby.Neighbour), ready
    to show: a page lists about a dozen, and here each costs one tuple rather
    than five calls through the template engine.

    The ``about`` part is the same beside every listing it is near, so it is
    kept, once per listing (its few hundred bytes, like Fragments). The link
    and the distance are not: they depend on the page.
    """

    def __init__(self) -> None:
        self._about: dict[tuple, tuple[Markup, tuple]] = {}

    def __call__(self, neighbours, link, listing_url, fmt: "Formats", units: str,
                 about: Any, t: Catalogue, vocab: Any) -> list[NearbyLine]:
        lines = []
        for n in neighbours:
            listing = n.listing
            key = (about.name, id(listing), id(t), id(fmt), id(vocab))  # as Fragments keys them
            kept = self._about.get(key)
            if kept is None:
                args = (listing, t, fmt, vocab)
                kept = self._about[key] = (about(*args), args)  # the arguments kept alive: ids stay theirs
            lines.append(NearbyLine(listing, link(listing_url(listing)), fmt.distance_text(n.km, units),
                                    fmt.approximate(n.approximate) if n.approximate else "", kept[0]))
        return lines
