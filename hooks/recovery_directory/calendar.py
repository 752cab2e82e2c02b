"""An iCalendar file per listing: one weekly recurring event per meeting.

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
from .listing import Listing, Meeting
from .site_model import SiteModel, listing_url

CALENDAR_FILE = "meetings.ics"
BYDAY = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # our day 0 is Sunday
ZONE_YEARS = 10  # how far ahead each VTIMEZONE spells out its changes


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
        calendar.add_component(_event(model, listing, meeting, zone, page, f"{listing.kind}-{listing.slug}-{number}@{host}", t, today))
    return calendar


def _event(model: SiteModel, listing: Listing, meeting: Meeting, zone, page: str, uid: str, t, today: dt.date) -> Event:
    start = first_start(meeting, zone, today)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", dt.datetime.combine(today, dt.time(), dt.timezone.utc))
    event.add("summary", listing.name)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=duration_minutes(meeting.time, meeting.end_time)))
    event.add("rrule", {"freq": "weekly", "byday": BYDAY[meeting.day]})
    event.add("url", page)
    if listing.location:
        event.add("location", listing.location.one_line)
    elif listing.online and listing.online.url:
        event.add("location", listing.online.url)
    event.add("description", _description(model, listing, meeting, page, t))
    return event


def first_start(meeting: Meeting, zone, today: dt.date) -> dt.datetime:
    """The meeting's first wall-clock start on or after ``today``."""
    weekday = (meeting.day - 1) % 7  # Python's 0 is Monday
    date = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    hours, minutes = map(int, meeting.time.split(":"))
    return dt.datetime(date.year, date.month, date.day, hours, minutes, tzinfo=zone)


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
