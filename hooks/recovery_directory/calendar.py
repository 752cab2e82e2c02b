"""An iCalendar file per listing: one recurring event per meeting.

The rule is the meeting's (schedule.py): ``FREQ=WEEKLY``, ``FREQ=WEEKLY;INTERVAL=2``
from a date it falls on, or ``FREQ=MONTHLY;BYDAY=1MO,3MO`` / ``BYDAY=-1FR``.
Cancelled dates are ``EXDATE``s. A closure with a reopening date is an
``EXDATE`` for each meeting it covers (every calendar app honours those, and the
series carries on by itself afterwards); a closure with no reopening date ends
the series the day before it starts (``UNTIL``), and a meeting closed now with no
reopening date has no event at all: nothing in the file pretends it meets.

Times are wall-clock times in the listing's IANA zone (``DTSTART;TZID=…``)
with that zone's VTIMEZONE in the file, so a calendar app keeps 19:00 at
19:00 Chicago time on both sides of a daylight-saving change. A listing with
no known zone gets floating times (the same wall-clock time wherever the
reader is), which is what an unknown zone means.

:func:`listing_calendar` builds a listing's calendar with the icalendar
library; :func:`calendar_bytes` writes the same bytes directly, for the
build's tens of thousands of files: some 20 µs a listing instead of 2 ms (the
tests hold the two to the same output, byte for byte). Both take the events'
facts from :func:`event_facts`; a VTIMEZONE is serialised once per zone and year.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

from icalendar import Calendar, Event, Timezone
from icalendar.parser import Parameters

from .geo_index import duration_minutes, listing_zone, paused_gc
from .listing import LAST_WEEK, Listing, Meeting
from .schedule import ALTERNATE_RULE, MONTHLY_RULE, closed_on, first_rule_date, rule_dates, rule_key, rule_kind
from .site_model import SiteModel, listing_url

CALENDAR_FILE = "meetings.ics"
BYDAY = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # our day 0 is Sunday
ZONE_YEARS = 10  # how far ahead each VTIMEZONE spells out its changes
SEARCH_DAYS = 400  # a rule falls on some date within this many days


def write_calendars(model: SiteModel, site_dir: str, site_url: str, site_name: str, t, today: dt.date | None = None) -> int:
    """Write ``<kind folder>/<slug>/meetings.ics`` for every listing with meetings,
    one file at a time (nothing is kept once written)."""
    writer = CalendarWriter(model, site_url, site_name, t, today or dt.date.today())
    written = 0
    with paused_gc():  # short-lived strings only; collections would rescan the whole model
        for listing in model.listings:
            if not listing.meetings:
                continue
            path = os.path.join(site_dir, listing_url(listing) + CALENDAR_FILE)
            try:
                handle = open(path, "wb")  # the listing's page is written already, its folder with it
            except FileNotFoundError:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                handle = open(path, "wb")
            with handle:
                handle.write(writer.calendar(listing))
            written += 1
    return written


class EventFacts(NamedTuple):
    """What one meeting's VEVENT says, as Python values."""

    start: dt.datetime  # wall-clock, in the zone (or naive: floating)
    end: dt.datetime
    rule: dict  # the RRULE's parts, as icalendar's vRecur takes them
    exdates: list[dt.datetime]  # wall-clock, like ``start``


def event_facts(listing: Listing, meeting: Meeting, zone, today: dt.date) -> EventFacts | None:
    """The meeting's first start, end, rule and left-out dates; ``None`` when
    it is closed from now on with no date to reopen."""
    start = first_start(meeting, zone, today)
    rule = recurrence_rule(meeting)
    exdates, until = _exceptions(listing, meeting, start.date())
    if until is not None:
        if until <= start.date():
            return None  # closed from now on, with no date to reopen
        rule["until"] = _until(until, zone)
    end = start + dt.timedelta(minutes=duration_minutes(meeting.time, meeting.end_time))
    return EventFacts(start, end, rule, [_wall(date, start.time(), zone) for date in exdates])


def listing_calendar(model: SiteModel, listing: Listing, site_url: str, site_name: str, t, today: dt.date) -> Calendar:
    """The listing's calendar, as icalendar objects (what :func:`calendar_bytes` writes)."""
    zone_name = listing_zone(model, listing)
    zone = zoneinfo.ZoneInfo(zone_name) if zone_name else None
    page = urljoin(site_url or "/", listing_url(listing))
    calendar = Calendar()
    calendar.add("prodid", f"-//{site_name}//Meetings//{t.language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", listing.name)
    if zone is not None:
        calendar.add("x-wr-timezone", zone_name)
        calendar.add_component(_vtimezone(zone_name, today.year))
    host = urlsplit(site_url).hostname or "recovery-directory"
    for number, meeting in enumerate(listing.meetings):
        event = _event(model, listing, meeting, zone, page, f"{listing.kind}-{listing.slug}-{number}@{host}", t, today)
        if event is not None:
            calendar.add_component(event)
    return calendar


def _event(model: SiteModel, listing: Listing, meeting: Meeting, zone, page: str, uid: str, t, today: dt.date) -> Event | None:
    facts = event_facts(listing, meeting, zone, today)
    if facts is None:
        return None
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", dt.datetime.combine(today, dt.time(), dt.timezone.utc))
    event.add("summary", listing.name)
    event.add("dtstart", facts.start)
    event.add("dtend", facts.end)
    event.add("rrule", facts.rule)
    if facts.exdates:
        event.add("exdate", facts.exdates)
    event.add("url", page)
    location = _location(listing)
    if location:
        event.add("location", location)
    event.add("description", _description(model, listing, meeting, page, t))
    return event


def _location(listing: Listing) -> str | None:
    if listing.location:
        return listing.location.one_line
    if listing.online and listing.online.url:
        return listing.online.url
    return None


def recurrence_rule(meeting: Meeting) -> dict:
    """The RRULE: weekly, every other week, or given weeks of the month."""
    day = BYDAY[meeting.day]
    kind = rule_kind(meeting)
    if kind == MONTHLY_RULE:
        return {"freq": "monthly", "byday": [f"{-1 if n == LAST_WEEK else n}{day}" for n in meeting.weeks]}
    if kind == ALTERNATE_RULE:
        return {"freq": "weekly", "interval": 2, "byday": day}
    return {"freq": "weekly", "byday": day}


def first_start(meeting: Meeting, zone, today: dt.date) -> dt.datetime:
    """The rule's first wall-clock start on or after ``today`` (DTSTART must be
    one of its dates; cancellations and closures are EXDATEs)."""
    date = first_rule_date(meeting, today, today + dt.timedelta(days=SEARCH_DAYS)) or today
    hours, minutes = map(int, meeting.time.split(":"))
    return dt.datetime(date.year, date.month, date.day, hours, minutes, tzinfo=zone)


def _exceptions(listing: Listing, meeting: Meeting, first: dt.date) -> tuple[list[dt.date], dt.date | None]:
    """Dates left out (cancelled, or in a closure with a reopening date), and
    the first day of a closure with none (the series ends before it)."""
    if listing.closed is None and meeting.closed is None and not meeting.cancelled:
        return [], None  # most meetings: nothing to leave out
    closures = [c for c in (listing.closed, meeting.closed) if c is not None and (c.until is None or c.until > first)]
    open_ended = [c.since or first for c in closures if c.until is None]
    until = max(min(open_ended), first) if open_ended else None
    last = max([c.until for c in closures if c.until] + [first])
    dates = [d for d in meeting.cancelled if d >= first]
    reopening = [c for c in closures if c.until]
    if reopening:
        dates += [d for d in rule_dates(meeting, first, last) if any(closed_on(c, d) for c in reopening)]
    return sorted({d for d in dates if until is None or d < until}), until


def _wall(date: dt.date, time: dt.time, zone) -> dt.datetime:
    return dt.datetime.combine(date, time, tzinfo=zone)


def _until(date: dt.date, zone) -> dt.datetime:
    # The last moment before ``date`` starts; with a TZID start RFC 5545 wants it in UTC.
    moment = dt.datetime.combine(date, dt.time(), tzinfo=zone) - dt.timedelta(seconds=1)
    return moment.astimezone(dt.timezone.utc) if zone is not None else moment


def _description(model: SiteModel, listing: Listing, meeting: Meeting, page: str, t, type_names: str | None = None) -> str:
    """Type names (``type_names`` when the caller has them), notes, how to join, the page."""
    if type_names is None and meeting.types:
        type_names = _type_names(model, meeting.types, t.language)
    lines = [type_names] if meeting.types else []
    if meeting.notes:
        lines.append(meeting.notes)
    if listing.online and listing.online.url:
        lines.append(f"{t.join_online}: {listing.online.url}")
    if listing.online and listing.online.phone:
        lines.append(f"{t.join_by_phone}: {listing.online.phone}")
    lines.append(page)
    return "\n".join(lines)


def _type_names(model: SiteModel, codes: tuple[str, ...], language: str) -> str:
    types = model.vocabularies.terms["meeting-types"]
    return ", ".join(types.name(code, language) for code in codes)


# --- the same calendar, written directly --------------------------------------

def calendar_bytes(model: SiteModel, listing: Listing, site_url: str, site_name: str, t, today: dt.date) -> bytes:
    """``listing_calendar(…).to_ical()``, byte for byte (see :class:`CalendarWriter`)."""
    return CalendarWriter(model, site_url, site_name, t, today).calendar(listing)


class CalendarWriter:
    """Writes ``listing_calendar(…).to_ical()`` without building icalendar
    objects: the content lines in icalendar's order (its canonical order of
    properties, then the others alphabetically), values escaped and long lines
    folded as it does (:func:`_text`, :func:`_fold`), the zone's VTIMEZONE as
    cached bytes. What every file of a build shares is worked out once."""

    def __init__(self, model: SiteModel, site_url: str, site_name: str, t, today: dt.date):
        self.model, self.site_url, self.t, self.today = model, site_url, t, today
        self.prodid = "PRODID:" + _fold(_text(f"-//{site_name}//Meetings//{t.language.upper()}"))
        self.host = urlsplit(site_url).hostname or "recovery-directory"
        self.stamp = "DTSTAMP:" + _datetime(dt.datetime.combine(today, dt.time())) + "Z"
        # urljoin(site_url or "/", path) is this prefix and the path, for the paths listing_url makes.
        self.base = urljoin(site_url or "/", "x")[:-1]
        self.types: dict[tuple[str, ...], str] = {}
        # A meeting's DTSTART, DTEND and RRULE lines by its zone, times and rule,
        # when no closure or cancellation changes them: a few hundred in a directory.
        self.timings: dict[tuple, tuple[str, ...]] = {}

    def calendar(self, listing: Listing) -> bytes:
        zone_name = listing_zone(self.model, listing)
        zone = _zone(zone_name) if zone_name else None
        path = listing_url(listing)
        page = self.base + path if _PLAIN_PATH.fullmatch(path) else urljoin(self.site_url or "/", path)
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", self.prodid, "CALSCALE:GREGORIAN", _fold("X-WR-CALNAME:" + listing.name)]
        if zone is not None:
            lines.append(_fold("X-WR-TIMEZONE:" + zone_name))
        head = "\r\n".join(lines) + "\r\n"
        summary = _fold("SUMMARY:" + _text(listing.name))
        location = _location(listing)
        location = _fold("LOCATION:" + _text(location)) if location else None
        url = _fold("URL:" + page)
        tzid = _tzid(zone_name) if zone is not None else ""
        uid = f"{listing.kind}-{listing.slug}-"
        lines = []
        for number, meeting in enumerate(listing.meetings):
            if listing.closed is None and meeting.closed is None and not meeting.cancelled:
                key = (zone_name, meeting.time, meeting.end_time, rule_key(meeting))
                timing = self.timings.get(key)
                if timing is None:
                    timing = self.timings[key] = _timing(event_facts(listing, meeting, zone, self.today), tzid)
            else:
                facts = event_facts(listing, meeting, zone, self.today)
                if facts is None:
                    continue
                timing = _timing(facts, tzid)
            start, end, rule, *exdates = timing
            lines += ("BEGIN:VEVENT", summary, start, end, self.stamp,
                      _fold("UID:" + _text(f"{uid}{number}@{self.host}")), rule, *exdates)
            lines.append(_fold("DESCRIPTION:" + _text(self._description(listing, meeting, page))))
            if location:
                lines.append(location)
            lines += (url, "END:VEVENT")
        lines.append("END:VCALENDAR\r\n")
        zone_bytes = _vtimezone_bytes(zone_name, self.today.year) if zone is not None else b""
        return head.encode("utf-8") + zone_bytes + "\r\n".join(lines).encode("utf-8")

    def _description(self, listing: Listing, meeting: Meeting, page: str) -> str:
        names = self.types.get(meeting.types)  # looked up once per set of types
        if names is None and meeting.types:
            names = self.types[meeting.types] = _type_names(self.model, meeting.types, self.t.language)
        return _description(self.model, listing, meeting, page, self.t, names)


def _timing(facts: EventFacts, tzid: str) -> tuple[str, ...]:
    # The DTSTART, DTEND, RRULE and (if any) EXDATE lines, in that order.
    lines = (_fold(f"DTSTART{tzid}:{_datetime(facts.start)}"), _fold(f"DTEND{tzid}:{_datetime(facts.end)}"),
             _fold("RRULE:" + _rrule(facts.rule)))
    if facts.exdates:
        lines += (_fold(f"EXDATE{tzid}:" + ",".join(_datetime(d) for d in facts.exdates)),)
    return lines


_PLAIN_PATH = re.compile(r"[a-z0-9-]+/[A-Za-z0-9_-]+/")  # no dots, colons, queries: urljoin only appends it


def _text(value: str) -> str:
    """A TEXT value escaped as icalendar's vText does (RFC 5545 3.3.11): its
    replacements, in an order that skips the ones with nothing to replace."""
    if "\\" in value:
        value = value.replace(r"\N", "\n").replace("\\", "\\\\")
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace(";", r"\;").replace(",", r"\,").replace("\n", r"\n")


FOLD_OCTETS = 74  # icalendar folds before a line's 75th octet


def _fold(line: str) -> str:
    """Fold a content line as icalendar does: pieces of at most 74 octets,
    never splitting a character, and never ending a piece on a backslash or
    caret (an escape stays whole on the next line)."""
    if line.isascii():
        if len(line) <= FOLD_OCTETS:
            return line
        pieces = []
        at, length = 0, len(line)
        while length - at > FOLD_OCTETS:
            size = FOLD_OCTETS - 1 if line[at + FOLD_OCTETS - 1] in "\\^" else FOLD_OCTETS
            pieces.append(line[at:at + size])
            at += size
        pieces.append(line[at:])
        return "\r\n ".join(pieces)
    if len(line.encode("utf-8")) <= FOLD_OCTETS:
        return line
    pieces = []
    at, length = 0, len(line)
    while True:
        size = min(FOLD_OCTETS, length - at)
        piece = line[at:at + size]
        if not piece.isascii():
            while (excess := len(piece.encode("utf-8")) - FOLD_OCTETS) > 0:
                size -= max(1, excess // 4)  # a character is 1 to 4 octets: never more than needed
                piece = line[at:at + size]
        if at + size >= length:
            pieces.append(piece)
            return "\r\n ".join(pieces)
        if size > 1 and piece[-1] in "\\^":
            size -= 1
            piece = piece[:-1]
        pieces.append(piece)
        at += size


def _datetime(moment: dt.datetime) -> str:
    return f"{moment.year:04d}{moment.month:02d}{moment.day:02d}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"


def _rrule(rule: dict) -> str:
    # vRecur's order (RFC 5545 3.3.10): FREQ, UNTIL, INTERVAL, BYDAY; recurrence_rule's parts only.
    parts = ["FREQ=" + rule["freq"].upper()]
    until = rule.get("until")
    if until is not None:
        parts.append("UNTIL=" + _datetime(until) + ("Z" if until.tzinfo is not None else ""))
    if "interval" in rule:
        parts.append(f"INTERVAL={rule['interval']}")
    byday = rule["byday"]
    parts.append("BYDAY=" + (byday if isinstance(byday, str) else ",".join(byday)))
    return ";".join(parts)


@lru_cache(maxsize=None)
def _zone(zone_name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(zone_name)


@lru_cache(maxsize=None)
def _tzid(zone_name: str) -> str:
    # ";TZID=America/Chicago", quoted by icalendar's rules if a name ever needs it.
    return ";" + Parameters({"TZID": zone_name}).to_ical().decode("utf-8")


@lru_cache(maxsize=64)
def _vtimezone_bytes(zone_name: str, year: int) -> bytes:
    # A third of a file, the same in every file of the zone: serialised once.
    return _vtimezone(zone_name, year).to_ical()


@lru_cache(maxsize=64)
def _vtimezone(zone_name: str, year: int) -> Timezone:
    # Building one takes a while (icalendar's note); every listing in the zone shares it.
    return Timezone.from_tzinfo(zoneinfo.ZoneInfo(zone_name), first_date=dt.date(year, 1, 1),
                                last_date=dt.date(year + ZONE_YEARS, 1, 1))
