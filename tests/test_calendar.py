"""The .ics file of each listing (calendar.py), read back with icalendar."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from recovery_directory.calendar import _fold, _text, calendar_bytes, first_start, listing_calendar
from recovery_directory.listing import Meeting
from recovery_directory.render import catalogue
from recovery_directory.site_model import build_model

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
UTC = dt.timezone.utc
TODAY = dt.date(2026, 3, 2)  # a Monday, a week before the US moves its clocks

EVENING_GROUP = """\
name: Capitol Evening Group
fellowship: aa
region: springfield
location:
  address: 525 S 6th St
  city: Springfield
  state: IL
meetings:
  - day: monday
    time: "19:00"
    end_time: "20:00"
    types: [O, D]
  - day: saturday
    time: "23:00"
    end_time: "00:30"
    notes: Candlelight
  - day: wednesday
    time: "07:00"
"""

ONLINE_GROUP = """\
name: Lone Star Online
fellowship: na
region: austin
timezone: America/Denver
online:
  url: https://zoom.us/j/5550003333
  phone: "+1 512 555 0100,,5550003333#"
meetings:
  - day: sunday
    time: "20:00"
"""

NO_ZONE_REGIONS = """\
- slug: somewhere
  name: Somewhere
  regions:
    - slug: nowhere
      name: Nowhere
"""


def calendar_of(make_directory, slug: str, text: str, regions: str | None = None) -> Calendar:
    files = {f"groups/{slug}.yml": text}
    directory = make_directory(files, **({"regions": regions} if regions else {})).validate()
    assert directory.ok, [str(p) for p in directory.problems]
    model = build_model(directory.vocabularies, directory.listings)
    listing = model.listings[0]
    ical = listing_calendar(model, listing, "https://example.org/rd/", "Recovery Directory", catalogue("en"), TODAY).to_ical()
    # What the build writes is the same, byte for byte, written without icalendar's objects.
    assert calendar_bytes(model, listing, "https://example.org/rd/", "Recovery Directory", catalogue("en"), TODAY) == ical
    return Calendar.from_ical(ical)


def events(calendar: Calendar) -> list:
    return sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))


def test_one_weekly_event_per_meeting_in_the_listing_zone(make_directory):
    calendar = calendar_of(make_directory, "capitol-evening-group", EVENING_GROUP)
    assert calendar["version"] == "2.0"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    found = events(calendar)
    assert [e.decoded("dtstart") for e in found] == [
        dt.datetime(2026, 3, 2, 19, 0, tzinfo=CHICAGO),
        dt.datetime(2026, 3, 4, 7, 0, tzinfo=CHICAGO),
        dt.datetime(2026, 3, 7, 23, 0, tzinfo=CHICAGO),
    ]
    assert [e["rrule"].to_ical().decode() for e in found] == ["FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=WE", "FREQ=WEEKLY;BYDAY=SA"]
    assert all(e["dtstart"].params["TZID"] == "America/Chicago" for e in found)
    assert len({str(e["uid"]) for e in found}) == 3
    assert all(str(e["summary"]) == "Capitol Evening Group" for e in found)
    assert str(found[0]["location"]) == "525 S 6th St, Springfield, IL"
    assert str(found[0]["url"]) == "https://example.org/rd/groups/capitol-evening-group/"
    assert str(found[0]["description"]).splitlines() == ["Open, Discussion", "https://example.org/rd/groups/capitol-evening-group/"]
    assert "Candlelight" in str(found[2]["description"])


def test_ends_default_to_an_hour_and_may_pass_midnight(make_directory):
    found = events(calendar_of(make_directory, "capitol-evening-group", EVENING_GROUP))
    assert found[0].decoded("dtend") == dt.datetime(2026, 3, 2, 20, 0, tzinfo=CHICAGO)
    assert found[1].decoded("dtend") == dt.datetime(2026, 3, 4, 8, 0, tzinfo=CHICAGO)
    assert found[2].decoded("dtend") == dt.datetime(2026, 3, 8, 0, 30, tzinfo=CHICAGO)


def test_recurrence_keeps_the_wall_clock_time_across_daylight_saving(make_directory):
    monday = events(calendar_of(make_directory, "capitol-evening-group", EVENING_GROUP))[0]
    start = monday.decoded("dtstart")
    rule = rrulestr(monday["rrule"].to_ical().decode(), dtstart=start)
    first = [occurrence.astimezone(UTC) for occurrence in rule[:3]]
    # 19:00 CST is 01:00 UTC; from 8 March 19:00 CDT is 00:00 UTC.
    assert first == [dt.datetime(2026, 3, 3, 1, 0, tzinfo=UTC), dt.datetime(2026, 3, 10, 0, 0, tzinfo=UTC),
                     dt.datetime(2026, 3, 17, 0, 0, tzinfo=UTC)]
    # The VTIMEZONE in the file says the same: CDT (-05:00) from 8 March 2026.
    zone = Calendar.from_ical(calendar_of(make_directory, "capitol-evening-group", EVENING_GROUP).to_ical()).walk("VTIMEZONE")[0]
    daylight = zone.walk("DAYLIGHT")[0]
    assert daylight.decoded("dtstart") == dt.datetime(2026, 3, 8, 3, 0)
    assert daylight["tzoffsetto"].to_ical() == "-0500"


def test_online_listing_names_its_join_link_and_phone(make_directory):
    calendar = calendar_of(make_directory, "lone-star-online", ONLINE_GROUP)
    event = events(calendar)[0]
    assert event.decoded("dtstart") == dt.datetime(2026, 3, 8, 20, 0, tzinfo=zoneinfo.ZoneInfo("America/Denver"))
    assert str(event["location"]) == "https://zoom.us/j/5550003333"
    description = str(event["description"]).splitlines()
    assert "Join online: https://zoom.us/j/5550003333" in description
    assert "Join by phone: +1 512 555 0100,,5550003333#" in description


def test_without_a_zone_times_float(make_directory):
    text = EVENING_GROUP.replace("region: springfield", "region: nowhere").replace("  state: IL\n", "")
    calendar = calendar_of(make_directory, "capitol-evening-group", text, regions=NO_ZONE_REGIONS)
    assert calendar.walk("VTIMEZONE") == []
    start = events(calendar)[0].decoded("dtstart")
    assert start == dt.datetime(2026, 3, 2, 19, 0) and start.tzinfo is None


@pytest.mark.parametrize("day, today, expected", [
    (1, dt.date(2026, 3, 2), dt.date(2026, 3, 2)),  # Monday, today
    (0, dt.date(2026, 3, 2), dt.date(2026, 3, 8)),  # Sunday, next
    (6, dt.date(2026, 3, 8), dt.date(2026, 3, 14)),  # Saturday after a Sunday
])
def test_first_start_is_the_first_such_day_from_today(day, today, expected):
    assert first_start(Meeting(day=day, time="18:30"), CHICAGO, today) == dt.datetime.combine(expected, dt.time(18, 30), CHICAGO)


def test_the_written_file_is_the_calendar_with_its_zone(make_directory, tmp_path):
    from recovery_directory.calendar import write_calendars

    directory = make_directory({"groups/capitol-evening-group.yml": EVENING_GROUP}).validate()
    model = build_model(directory.vocabularies, directory.listings)
    assert write_calendars(model, str(tmp_path / "site"), "https://example.org/rd/", "Recovery Directory", catalogue("en"), TODAY) == 1
    written = (tmp_path / "site" / "groups" / "capitol-evening-group" / "meetings.ics").read_bytes()
    whole = listing_calendar(model, model.listings[0], "https://example.org/rd/", "Recovery Directory", catalogue("en"), TODAY)
    assert written == whole.to_ical()


# --- the build's writer is icalendar's output, byte for byte --------------------

AWKWARD_GROUP = """\
name: "Ñandú, Café; Back\\\\slash Group of the Very Long Name That Folds — ¿Sí? 日本語 ^caret"
fellowship: aa
region: springfield
location:
  address: 525 S 6th St; Rear Door, Room "B"
  city: Springfield
  state: IL
online:
  url: https://zoom.us/j/5550003333?pwd=abc;def,ghi
  phone: "+1 512 555 0100,,5550003333#"
meetings:
  - day: monday
    time: "19:00"
    end_time: "20:00"
    types: [O, D]
    notes: "Línea uno, con coma; y punto y coma\\nLine two \\\\ backslash, and a long tail to fold: ééééééééééééééééééééééééééééééééééééééééé"
    cancelled: [2026-03-09, 2026-03-23]
  - day: friday
    time: "07:30"
    weeks: [1, last]
    closed: {since: 2026-04-01, until: 2026-05-01}
  - day: tuesday
    time: "12:00"
    every: other week
    starting: 2026-03-03
    closed: {since: 2026-06-01}
  - day: saturday
    time: "09:00"
    closed: {reason: Lost the room}
"""


@pytest.mark.parametrize("site_url", ["https://example.org/rd/", "https://example.org", "https://example.org/rd", ""])
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_written_bytes_are_icalendars_for_awkward_text(make_directory, site_url, language):
    directory = make_directory({"groups/nandu.yml": AWKWARD_GROUP}).validate()
    assert directory.ok, [str(p) for p in directory.problems]
    model = build_model(directory.vocabularies, directory.listings)
    listing = model.listings[0]
    t = catalogue(language)
    expected = listing_calendar(model, listing, site_url, "Recovery, Directory; Ñ", t, TODAY).to_ical()
    assert calendar_bytes(model, listing, site_url, "Recovery, Directory; Ñ", t, TODAY) == expected
    parsed = Calendar.from_ical(expected)
    assert len(parsed.walk("VEVENT")) == 3  # Saturday's is closed from now on
    assert all(len(line) <= 75 for line in expected.split(b"\r\n"))  # folded, a few lines of it


def test_the_written_bytes_without_a_zone_or_any_event(make_directory):
    closed = EVENING_GROUP.replace("region: springfield", "region: nowhere").replace("  state: IL\n", "")
    closed = closed.replace("name: Capitol Evening Group\n", "name: Capitol Evening Group\nclosed: {reason: Gone}\n")
    for regions, text in ((NO_ZONE_REGIONS, closed), (None, EVENING_GROUP.replace("name: Capitol Evening Group\n",
                                                                                  "name: Capitol Evening Group\nclosed: {reason: Gone}\n"))):
        directory = make_directory({"groups/capitol-evening-group.yml": text}, **({"regions": regions} if regions else {})).validate()
        model = build_model(directory.vocabularies, directory.listings)
        listing = model.listings[0]
        expected = listing_calendar(model, listing, "https://example.org/rd/", "Recovery Directory", catalogue("en"), TODAY).to_ical()
        assert b"BEGIN:VEVENT" not in expected
        assert calendar_bytes(model, listing, "https://example.org/rd/", "Recovery Directory", catalogue("en"), TODAY) == expected


def test_escaping_and_folding_are_icalendars():
    import random

    from icalendar.parser.string import _foldline
    from icalendar.prop import vText

    ascii_pieces = ["a", "b", " ", ",", ";", "\\", "^", "\n", "\r", "\r\n", "\\N", ":", '"']
    pieces = ascii_pieces + ["é", "日", "😀"]
    rng = random.Random(14)
    for number in range(4000):
        text = "".join(rng.choice(pieces if number % 2 else ascii_pieces) for _ in range(rng.randrange(0, 160)))
        assert _text(text) == vText(text).to_ical().decode("utf-8")
        line = "DESCRIPTION:" + _text(text)
        assert _fold(line) == _foldline(line)
