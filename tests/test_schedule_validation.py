"""Validation of schedules and closures: the exact line a contributor sees for
each impossible rule (the style of test_validation_rules.py)."""

from __future__ import annotations

import datetime as dt

from recovery_directory.listing import LAST_WEEK, Closure

from test_validation_rules import GROUP, insert

# Lines added after line 10 of GROUP (the meeting's types) are lines 11, 12 …


def test_the_readable_forms_are_valid(make_directory):
    text = GROUP.replace("  - day: monday", "  - day: tuesday") + (
        "    every: other week\n"
        "    starting: 2026-01-06\n"
        "    cancelled: [2026-12-29]\n"
        "  - day: friday\n"
        "    time: \"19:00\"\n"
        "    weeks: [1, 3, last]\n"
        "    closed: {reason: Church renovation, since: 2026-11-01, until: 2027-02-01}\n"
        "closed:\n"
        "  reason: Summer break\n"
        "  until: 2026-09-01\n")
    result = make_directory({"groups/x.yml": text}).validate()
    assert [str(p) for p in result.problems] == []
    [listing] = result.listings
    tuesday, friday = listing.meetings
    assert (tuesday.every, tuesday.starting, tuesday.cancelled) == (2, dt.date(2026, 1, 6), (dt.date(2026, 12, 29),))
    assert friday.weeks == (1, 3, LAST_WEEK)
    assert friday.closed == Closure("Church renovation", dt.date(2026, 11, 1), dt.date(2027, 2, 1))
    assert listing.closed == Closure("Summer break", None, dt.date(2026, 9, 1))


def test_week_of_the_month_outside_first_to_fifth_and_last(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "    weeks: [1, 6, second]\n"}) == [
        "directory/groups/x.yml:11:16: meetings[0].weeks[1]: 6 is not a week of the month — use 1 to 5 (the 1st to 5th) or last",
        "directory/groups/x.yml:11:19: meetings[0].weeks[2]: 'second' is not a week of the month — use 1 to 5 (the 1st to 5th) or last",
    ]


def test_week_listed_twice(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "    weeks: [1, 1]\n"}) == [
        "directory/groups/x.yml:11:16: meetings[0].weeks[1]: 1 is listed twice — delete one",
    ]


def test_alternate_week_rule_with_no_start_date(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "    every: other week\n"}) == [
        "directory/groups/x.yml:11:12: meetings[0].every: needs a date the meeting falls on — add starting: with the "
        "date of one of its meetings, e.g. starting: 2026-01-06",
    ]


def test_every_with_a_word_it_does_not_know(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "    every: 2 weeks\n    starting: 2026-01-05\n"}) == [
        "directory/groups/x.yml:11:12: meetings[0].every: '2 weeks' is not a schedule this field knows — write every: "
        "other week, with starting: a date it falls on; or weeks: [1, 3] for given weeks of the month; or leave it out for every week",
    ]


def test_start_date_on_another_day(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "    every: other week\n    starting: 2026-01-06\n"}) == [
        "directory/groups/x.yml:12:15: meetings[0].starting: 2026-01-06 is a Tuesday, not a Monday — give the date of "
        "one Monday the meeting falls on",
    ]


def test_start_date_without_every(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "    starting: 2026-01-05\n"}) == [
        "directory/groups/x.yml:11:15: meetings[0].starting: only goes with every: other week — add every: other week, or delete starting",
    ]


def test_every_other_week_and_weeks_of_the_month_together(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "    every: other week\n    starting: 2026-01-05\n    weeks: [1]\n"}) == [
        "directory/groups/x.yml:13:12: meetings[0].weeks: cannot go with every: other week — a meeting is either every "
        "other week or on given weeks of the month; keep one",
    ]


def test_cancelled_date_on_another_day(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "    cancelled: [2026-12-24]\n"}) == [
        "directory/groups/x.yml:11:17: meetings[0].cancelled[0]: 2026-12-24 is a Thursday; this meeting is on Mondays — "
        "give the date of the meeting that is cancelled",
    ]


def test_cancelled_value_that_is_not_a_date(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "    cancelled: [Christmas]\n"}) == [
        "directory/groups/x.yml:11:17: meetings[0].cancelled[0]: 'Christmas' is not a date — use YYYY-MM-DD, e.g. 2026-03-01",
    ]


def test_reopening_date_before_the_closure(problem_lines):
    text = insert(GROUP, 3, "closed:\n  since: 2026-11-01\n  until: 2026-10-01\n")
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:6:10: closed.until: 2026-10-01 is not after since: 2026-11-01 — until: is the day it "
        "opens again, after the closure starts",
    ]


def test_meeting_closure_with_unknown_field(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "    closed:\n      reopens: 2027-01-01\n"}) == [
        "directory/groups/x.yml:12:7: meetings[0].closed.reopens: unknown field 'reopens' — allowed here: reason, since, until",
    ]
