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
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from icalendar import Calendar, Event, Timezone

from .geo_index import duration_minutes, listing_zone
from .listing import LAST_WEEK, Listing, Meeting
from .schedule import ALTERNATE_RULE, MONTHLY_RULE, closed_on, rule_dates, rule_kind
from .site_model import SiteModel, listing_url

CALENDAR_FILE = "meetings.ics"
BYDAY = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # our day 0 is Sunday
ZONE_YEARS = 10  # how far ahead each VTIMEZONE spells out its changes
SEARCH_DAYS = 400  # a rule falls on some date within this many days


def write_calendars(model: SiteModel, site_dir: str, site_url: str, site_name: str, t, today: dt.date | None = None) -> int:
    """Write ``<kind folder>/<slug>/meetings.ics`` for every listing with meetings."""
    today = today or dt.date.today()
    written = 0
    for listing in model.listings:
        if not listing.meetings:
            continue
        calendar = listing_calendar(model, listing, site_url, site_name, t, today, with_zone=False)
        path = os.path.join(site_dir, listing_url(listing), CALENDAR_FILE)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(with_timezone(calendar.to_ical(), listing_zone(model, listing), today.year))
        written += 1
    return written


def listing_calendar(model: SiteModel, listing: Listing, site_url: str, site_name: str, t, today: dt.date,
                     with_zone: bool = True) -> Calendar:
    """The listing's calendar; ``with_zone=False`` leaves out the VTIMEZONE for
    :func:`with_timezone` to add as ready-made bytes."""
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
        if with_zone:
            calendar.add_component(_vtimezone(zone_name, today.year))
    host = urlsplit(site_url).hostname or "recovery-directory"
    for number, meeting in enumerate(listing.meetings):
        event = _event(model, listing, meeting, zone, page, f"{listing.kind}-{listing.slug}-{number}@{host}", t, today)
        if event is not None:
            calendar.add_component(event)
    return calendar


def _event(model: SiteModel, listing: Listing, meeting: Meeting, zone, page: str, uid: str, t, today: dt.date) -> Event | None:
    start = first_start(meeting, zone, today)
    rule = recurrence_rule(meeting)
    exdates, until = _exceptions(listing, meeting, start.date())
    if until is not None:
        if until <= start.date():
            return None  # closed from now on, with no date to reopen
        rule["until"] = _until(until, zone)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", dt.datetime.combine(today, dt.time(), dt.timezone.utc))
    event.add("summary", listing.name)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=duration_minutes(meeting.time, meeting.end_time)))
    event.add("rrule", rule)
    if exdates:
        event.add("exdate", [_wall(date, start.time(), zone) for date in exdates])
    event.add("url", page)
    if listing.location:
        event.add("location", listing.location.one_line)
    elif listing.online and listing.online.url:
        event.add("location", listing.online.url)
    event.add("description", _description(model, listing, meeting, page, t))
    return event


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
    dates = rule_dates(meeting, today, today + dt.timedelta(days=SEARCH_DAYS))
    date = dates[0] if dates else today
    hours, minutes = map(int, meeting.time.split(":"))
    return dt.datetime(date.year, date.month, date.day, hours, minutes, tzinfo=zone)


def _exceptions(listing: Listing, meeting: Meeting, first: dt.date) -> tuple[list[dt.date], dt.date | None]:
    """Dates left out (cancelled, or in a closure with a reopening date), and
    the first day of a closure with none (the series ends before it)."""
    closures = [c for c in (listing.closed, meeting.closed) if c is not None and (c.until is None or c.until > first)]
    open_ended = [c.since or first for c in closures if c.until is None]
    until = max(min(open_ended), first) if open_ended else None
    last = max([c.until for c in closures if c.until] + [first])
    dates = [d for d in meeting.cancelled if d >= first]
    dates += [d for d in rule_dates(meeting, first, last) if any(closed_on(c, d) for c in closures if c.until)]
    return sorted({d for d in dates if until is None or d < until}), until


def _wall(date: dt.date, time: dt.time, zone) -> dt.datetime:
    return dt.datetime.combine(date, time, tzinfo=zone)


def _until(date: dt.date, zone) -> dt.datetime:
    # The last moment before ``date`` starts; with a TZID start RFC 5545 wants it in UTC.
    moment = dt.datetime.combine(date, dt.time(), tzinfo=zone) - dt.timedelta(seconds=1)
    return moment.astimezone(dt.timezone.utc) if zone is not None else moment


def _description(model: SiteModel, listing: Listing, meeting: Meeting, page: str, t) -> str:
    types = model.vocabularies.terms["meeting-types"]
    lines = [", ".join(types.name(code, t.language) for code in meeting.types)] if meeting.types else []
    if meeting.notes:
        lines.append(meeting.notes)
    if listing.online and listing.online.url:
        lines.append(f"{t.join_online}: {listing.online.url}")
    if listing.online and listing.online.phone:
        lines.append(f"{t.join_by_phone}: {listing.online.phone}")
    lines.append(page)
    return "\n".join(lines)


def with_timezone(ical: bytes, zone_name: str | None, year: int) -> bytes:
    """A serialised calendar with its zone's VTIMEZONE first among its components,
    as ``add_component`` would place it. Serialising a VTIMEZONE is about a third
    of a file's cost, and every listing in a zone shares the same bytes."""
    if not zone_name:
        return ical
    at = ical.index(b"BEGIN:VEVENT")
    return ical[:at] + _vtimezone_bytes(zone_name, year) + ical[at:]


@lru_cache(maxsize=64)
def _vtimezone_bytes(zone_name: str, year: int) -> bytes:
    return _vtimezone(zone_name, year).to_ical()


@lru_cache(maxsize=64)
def _vtimezone(zone_name: str, year: int) -> Timezone:
    # Building one takes a while (icalendar's note); every listing in the zone shares it.
    return Timezone.from_tzinfo(zoneinfo.ZoneInfo(zone_name), first_date=dt.date(year, 1, 1),
                                last_date=dt.date(year + ZONE_YEARS, 1, 1))
