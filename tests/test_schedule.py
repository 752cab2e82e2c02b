"""Occurrences of weekly, alternate-week and monthly meetings (schedule.py):
month ends, leap years, daylight-saving changes, cancellations and closures,
and "next meeting" at fixed clock times."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from recovery_directory.listing import LAST_WEEK, Closure, Listing, Meeting
from recovery_directory.schedule import (
    browser_rule, describe, is_closed, is_over, next_occurrence, occurrences, rule_dates,
)

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
UTC = dt.timezone.utc
D = dt.date
MON, TUE, FRI, SAT, SUN = 1, 2, 5, 6, 0


def listing(*meetings: Meeting, closed: Closure | None = None) -> Listing:
    return Listing("group", "x", "directory/groups/x.yml", "X", "springfield", timezone="America/Chicago",
                   meetings=list(meetings), closed=closed)


def chicago(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CHICAGO)


# --- the rules' dates ----------------------------------------------------------

def test_weekly_is_every_week():
    assert rule_dates(Meeting(MON, "19:30"), D(2026, 1, 1), D(2026, 1, 31)) == [D(2026, 1, d) for d in (5, 12, 19, 26)]


def test_first_and_third_monday():
    assert rule_dates(Meeting(MON, "19:30", weeks=(1, 3)), D(2026, 1, 1), D(2026, 3, 31)) == [
        D(2026, 1, 5), D(2026, 1, 19), D(2026, 2, 2), D(2026, 2, 16), D(2026, 3, 2), D(2026, 3, 16)]


@pytest.mark.parametrize("day, month, expected", [
    (FRI, 1, D(2026, 1, 30)),  # a 31-day month ending on a Saturday
    (SAT, 1, D(2026, 1, 31)),  # the last day of the month is the last Saturday
    (SAT, 2, D(2026, 2, 28)),
    (SUN, 5, D(2026, 5, 31)),
])
def test_last_weekday_of_the_month_at_month_ends(day, month, expected):
    found = rule_dates(Meeting(day, "10:00", weeks=(LAST_WEEK,)), D(2026, month, 1), D(2026, month, 28) + dt.timedelta(days=3))
    assert found == [expected]


def test_fifth_week_only_in_months_that_have_one():
    found = rule_dates(Meeting(MON, "19:00", weeks=(5,)), D(2026, 1, 1), D(2026, 12, 31))
    assert found == [D(2026, 3, 30), D(2026, 6, 29), D(2026, 8, 31), D(2026, 11, 30)]


def test_leap_year_february_2028():
    # 29 February 2028 is a Tuesday: the 5th and the last Tuesday of the month.
    assert rule_dates(Meeting(TUE, "19:00", weeks=(5,)), D(2028, 2, 1), D(2028, 2, 29)) == [D(2028, 2, 29)]
    assert rule_dates(Meeting(TUE, "19:00", weeks=(LAST_WEEK,)), D(2028, 2, 1), D(2028, 3, 1)) == [D(2028, 2, 29)]
    assert rule_dates(Meeting(TUE, "19:00", weeks=(5,)), D(2027, 2, 1), D(2027, 2, 28)) == []


def test_every_other_week_keeps_its_weeks_across_a_year_end():
    meeting = Meeting(TUE, "19:00", every=2, starting=D(2025, 12, 2))
    assert rule_dates(meeting, D(2025, 12, 20), D(2026, 1, 31)) == [D(2025, 12, 30), D(2026, 1, 13), D(2026, 1, 27)]


def test_every_other_week_never_before_starting():
    meeting = Meeting(TUE, "19:00", every=2, starting=D(2026, 1, 6))
    assert rule_dates(meeting, D(2025, 12, 1), D(2026, 1, 31)) == [D(2026, 1, 6), D(2026, 1, 20)]


def test_every_other_week_across_the_leap_day():
    meeting = Meeting(MON, "19:00", every=2, starting=D(2028, 2, 14))
    assert rule_dates(meeting, D(2028, 2, 1), D(2028, 3, 31)) == [D(2028, 2, 14), D(2028, 2, 28), D(2028, 3, 13), D(2028, 3, 27)]


# --- daylight saving (America/Chicago: 2026-03-08 forward, 2026-11-01 back) -------

def test_wall_clock_time_is_kept_across_the_spring_change():
    meeting = Meeting(SUN, "19:00", every=2, starting=D(2026, 2, 22))
    found = occurrences(meeting, CHICAGO, dt.datetime(2026, 2, 20, tzinfo=UTC), dt.datetime(2026, 3, 25, tzinfo=UTC))
    assert [t.astimezone(UTC) for t in found] == [
        dt.datetime(2026, 2, 23, 1, 0, tzinfo=UTC),  # CST, UTC-6
        dt.datetime(2026, 3, 9, 0, 0, tzinfo=UTC),  # CDT, UTC-5
        dt.datetime(2026, 3, 23, 0, 0, tzinfo=UTC)]


def test_a_time_the_clocks_skip_is_read_one_gap_later():
    [found] = occurrences(Meeting(SUN, "02:30"), CHICAGO, dt.datetime(2026, 3, 8, tzinfo=UTC), dt.datetime(2026, 3, 9, tzinfo=UTC))
    assert found.astimezone(UTC) == dt.datetime(2026, 3, 8, 8, 30, tzinfo=UTC)  # 03:30 CDT


def test_a_time_that_happens_twice_is_the_first():
    [found] = occurrences(Meeting(SUN, "01:30", weeks=(1,)), CHICAGO, dt.datetime(2026, 11, 1, tzinfo=UTC), dt.datetime(2026, 11, 2, tzinfo=UTC))
    assert found.astimezone(UTC) == dt.datetime(2026, 11, 1, 6, 30, tzinfo=UTC)  # 01:30 CDT


def test_autumn_change_keeps_the_last_friday_at_its_time():
    found = occurrences(Meeting(FRI, "18:00", weeks=(LAST_WEEK,)), CHICAGO,
                        dt.datetime(2026, 10, 1, tzinfo=UTC), dt.datetime(2026, 12, 1, tzinfo=UTC))
    assert [(t.date(), t.hour, t.utcoffset()) for t in found] == [
        (D(2026, 10, 30), 18, dt.timedelta(hours=-5)), (D(2026, 11, 27), 18, dt.timedelta(hours=-6))]


# --- cancellations and closures -----------------------------------------------

def test_cancelled_dates_are_skipped():
    meeting = Meeting(THU := 4, "19:00", cancelled=(D(2026, 12, 24), D(2026, 12, 31)))
    found = occurrences(meeting, CHICAGO, chicago(2026, 12, 20), chicago(2027, 1, 10))
    assert [t.date() for t in found] == [D(2027, 1, 7)]


def test_a_closure_skips_its_days_and_ends_on_its_until_date():
    meeting = Meeting(MON, "19:00", closed=Closure("Renovation", D(2026, 11, 1), D(2026, 11, 16)))
    found = occurrences(meeting, CHICAGO, chicago(2026, 10, 25), chicago(2026, 11, 30))
    assert [t.date() for t in found] == [D(2026, 10, 26), D(2026, 11, 16), D(2026, 11, 23)]


def test_a_listing_closure_closes_every_meeting():
    meeting = Meeting(MON, "19:00")
    found = occurrences(meeting, CHICAGO, chicago(2026, 1, 1), chicago(2026, 2, 1), closures=[Closure(until=D(2026, 1, 20))])
    assert [t.date() for t in found] == [D(2026, 1, 26)]


def test_is_closed_and_is_over():
    closure = Closure("Renovation", D(2026, 11, 1), D(2027, 2, 1))
    assert not is_closed(closure, D(2026, 10, 31))
    assert is_closed(closure, D(2026, 11, 1)) and is_closed(closure, D(2027, 1, 31))
    assert not is_closed(closure, D(2027, 2, 1)) and is_over(closure, D(2027, 2, 1))
    assert is_closed(Closure(), D(2030, 1, 1)) and not is_over(Closure(), D(2030, 1, 1))
    assert is_closed(listing(closed=Closure()), D(2026, 1, 1))
    assert not is_closed(Meeting(MON, "19:00"), D(2026, 1, 1))


# --- next meeting at fixed clock times ------------------------------------------

@pytest.mark.parametrize("meeting, now, expected", [
    # weekly, on a Tuesday noon in Chicago: next Monday
    (Meeting(MON, "19:30"), chicago(2026, 1, 6, 12, 0), chicago(2026, 1, 12, 19, 30)),
    # in progress counts: 19:45 with no end time (an hour)
    (Meeting(MON, "19:30"), chicago(2026, 1, 12, 19, 45), chicago(2026, 1, 12, 19, 30)),
    # every other Tuesday from 6 January: not 13 January
    (Meeting(TUE, "19:00", every=2, starting=D(2026, 1, 6)), chicago(2026, 1, 7, 8, 0), chicago(2026, 1, 20, 19, 0)),
    # every other week, starting in the future
    (Meeting(TUE, "19:00", every=2, starting=D(2026, 3, 3)), chicago(2026, 1, 7, 8, 0), chicago(2026, 3, 3, 19, 0)),
    # 1st and 3rd Monday, after the 3rd: the next month's 1st
    (Meeting(MON, "19:30", weeks=(1, 3)), chicago(2026, 1, 19, 21, 0), chicago(2026, 2, 2, 19, 30)),
    # last Friday, on the 31st of January: February's last Friday
    (Meeting(FRI, "18:00", weeks=(LAST_WEEK,)), chicago(2026, 1, 31, 9, 0), chicago(2026, 2, 27, 18, 0)),
    # cancelled on the next date: the one after
    (Meeting(4, "19:00", cancelled=(D(2026, 12, 24),)), chicago(2026, 12, 22, 9, 0), chicago(2026, 12, 31, 19, 0)),
    # closed until a date: the first meeting on or after it
    (Meeting(MON, "19:00", closed=Closure(until=D(2027, 2, 1))), chicago(2026, 11, 5, 9, 0), chicago(2027, 2, 1, 19, 0)),
    # a closure that is over no longer counts
    (Meeting(MON, "19:00", closed=Closure(until=D(2026, 1, 1))), chicago(2026, 1, 6, 9, 0), chicago(2026, 1, 12, 19, 0)),
    # closed with no reopening date: none
    (Meeting(MON, "19:00", closed=Closure("Lost the room")), chicago(2026, 1, 6, 9, 0), None),
])
def test_next_occurrence_at_fixed_clocks(meeting, now, expected):
    assert next_occurrence(listing(meeting), meeting, now.astimezone(UTC)) == expected


def test_next_occurrence_skips_a_listing_closure():
    meeting = Meeting(MON, "19:00")
    closed = listing(meeting, closed=Closure("Renovation", D(2026, 1, 1), D(2026, 3, 1)))
    assert next_occurrence(closed, meeting, chicago(2026, 1, 6, 9, 0)) == chicago(2026, 3, 2, 19, 0)


# --- words ---------------------------------------------------------------------

@pytest.mark.parametrize("meeting, english", [
    (Meeting(MON, "19:30"), "Every Monday"),
    (Meeting(MON, "19:30", every=2, starting=D(2026, 1, 5)), "Every other Monday"),
    (Meeting(MON, "19:30", weeks=(1, 3)), "1st and 3rd Monday"),
    (Meeting(FRI, "19:30", weeks=(LAST_WEEK,)), "Last Friday"),
    (Meeting(SAT, "10:00", weeks=(LAST_WEEK, 2)), "2nd and last Saturday"),
])
def test_describe_in_english(meeting, english):
    assert describe(meeting, "en") == english


def test_describe_in_spanish():
    from recovery_directory.render import available_languages

    if "es" not in available_languages():
        pytest.skip("no Spanish catalogue yet")
    assert describe(Meeting(MON, "19:30", weeks=(1, 3)), "es") == "1.er y 3.er lunes"
    assert describe(Meeting(FRI, "19:30", weeks=(LAST_WEEK,)), "es") == "Último viernes"


# --- what the browser gets ---------------------------------------------------------

def test_browser_rule_carries_rule_cancellations_and_open_closures():
    meeting = Meeting(MON, "19:00", weeks=(1, LAST_WEEK), cancelled=(D(2025, 12, 1), D(2026, 6, 1)),
                      closed=Closure("Renovation", D(2026, 5, 1), D(2026, 7, 1)))
    over = Closure(until=D(2026, 1, 1))
    assert browser_rule(listing(meeting, closed=over), meeting, D(2026, 2, 1)) == {
        "weeks": [1, -1], "cancelled": ["2026-06-01"], "closed": [["2026-05-01", "2026-07-01"]]}
    assert browser_rule(listing(), Meeting(MON, "19:00"), D(2026, 2, 1)) is None
    alternate = Meeting(TUE, "19:00", every=2, starting=D(2026, 1, 6))
    assert browser_rule(listing(alternate, closed=Closure()), alternate, D(2026, 2, 1)) == {
        "every": 2, "starting": "2026-01-06", "closed": [["", ""]]}
