"""Schedules, cancellations and closures in the .ics files (calendar.py),
parsed back with the icalendar library and expanded with dateutil."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from dateutil.rrule import rruleset, rrulestr

from test_calendar import TODAY, calendar_of, events

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
UTC = dt.timezone.utc

GROUP = """\
name: Capitol Evening Group
fellowship: aa
region: springfield
location:
  address: 525 S 6th St
  city: Springfield
  state: IL
meetings:
"""


def only_event(make_directory, meetings: str, head: str = ""):
    calendar = calendar_of(make_directory, "capitol-evening-group", GROUP.replace("meetings:\n", head + "meetings:\n") + meetings)
    found = events(calendar)
    assert len(found) <= 1
    return found[0] if found else None


def expand(event, count: int = 6) -> list[dt.date]:
    """The event's dates, as a calendar app computes them: RRULE less EXDATE."""
    start = event.decoded("dtstart")
    rules = rruleset()
    rules.rrule(rrulestr(event["rrule"].to_ical().decode(), dtstart=start))
    exdates = event.get("exdate")
    for group in (exdates if isinstance(exdates, list) else [exdates] if exdates else []):
        for value in group.dts:
            rules.exdate(value.dt)
    return [d.date() for d in rules[:count]]


def test_every_other_week_has_interval_two_from_a_date_it_falls_on(make_directory):
    event = only_event(make_directory, '  - day: tuesday\n    time: "19:00"\n    every: other week\n    starting: 2026-01-06\n')
    assert event["rrule"].to_ical().decode() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    # 6 January + 8 weeks = 3 March: on; 10 March: off.
    assert event.decoded("dtstart") == dt.datetime(2026, 3, 3, 19, 0, tzinfo=CHICAGO)
    assert expand(event, 3) == [dt.date(2026, 3, 3), dt.date(2026, 3, 17), dt.date(2026, 3, 31)]


def test_weeks_of_the_month_are_byday_ordinals(make_directory):
    event = only_event(make_directory, '  - day: monday\n    time: "19:30"\n    weeks: [1, 3]\n')
    assert event["rrule"].to_ical().decode() == "FREQ=MONTHLY;BYDAY=1MO,3MO"
    assert expand(event, 4) == [dt.date(2026, 3, 2), dt.date(2026, 3, 16), dt.date(2026, 4, 6), dt.date(2026, 4, 20)]


def test_last_friday_is_minus_one(make_directory):
    event = only_event(make_directory, '  - day: friday\n    time: "18:00"\n    weeks: [last]\n')
    assert event["rrule"].to_ical().decode() == "FREQ=MONTHLY;BYDAY=-1FR"
    assert expand(event, 3) == [dt.date(2026, 3, 27), dt.date(2026, 4, 24), dt.date(2026, 5, 29)]


def test_cancellations_are_exdates_at_the_meeting_time(make_directory):
    event = only_event(make_directory, '  - day: monday\n    time: "19:00"\n    cancelled: [2026-01-05, 2026-03-09, 2026-03-23]\n')
    [exdate] = [event["exdate"]] if not isinstance(event["exdate"], list) else event["exdate"]
    assert [value.dt for value in exdate.dts] == [dt.datetime(2026, 3, 9, 19, 0, tzinfo=CHICAGO),
                                                  dt.datetime(2026, 3, 23, 19, 0, tzinfo=CHICAGO)]
    assert exdate.params["TZID"] == "America/Chicago"
    assert expand(event, 4) == [dt.date(2026, 3, 2), dt.date(2026, 3, 16), dt.date(2026, 3, 30), dt.date(2026, 4, 6)]


def test_a_closure_with_a_reopening_date_leaves_out_its_meetings(make_directory):
    event = only_event(make_directory, '  - day: monday\n    time: "19:00"\n    closed: {since: 2026-03-09, until: 2026-03-30}\n')
    assert "UNTIL" not in event["rrule"].to_ical().decode()
    assert expand(event, 3) == [dt.date(2026, 3, 2), dt.date(2026, 3, 30), dt.date(2026, 4, 6)]


def test_a_listing_closure_applies_to_every_meeting(make_directory):
    event = only_event(make_directory, '  - day: monday\n    time: "19:00"\n', head="closed:\n  until: 2026-03-16\n")
    assert expand(event, 2) == [dt.date(2026, 3, 16), dt.date(2026, 3, 23)]


def test_a_closure_with_no_reopening_date_ends_the_series(make_directory):
    event = only_event(make_directory, '  - day: monday\n    time: "19:00"\n    closed: {reason: Lost the room, since: 2026-03-20}\n')
    assert event["rrule"]["UNTIL"][0] == dt.datetime(2026, 3, 20, 4, 59, 59, tzinfo=UTC)  # midnight CDT, less a second
    assert expand(event, 10) == [dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16)]


def test_closed_now_with_no_reopening_date_has_no_event(make_directory):
    assert only_event(make_directory, '  - day: monday\n    time: "19:00"\n    closed: {reason: Lost the room}\n') is None


def test_a_closure_that_is_over_changes_nothing(make_directory):
    event = only_event(make_directory, '  - day: monday\n    time: "19:00"\n    closed: {until: 2026-02-01}\n')
    assert event["rrule"].to_ical().decode() == "FREQ=WEEKLY;BYDAY=MO" and "exdate" not in event
    assert TODAY == dt.date(2026, 3, 2)
