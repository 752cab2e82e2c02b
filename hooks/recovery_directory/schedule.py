"""When a meeting happens: every week, every other week, or on given weeks of
the month; less the dates it is cancelled and the days it (or its listing) is
closed.

Pure functions over :class:`~.listing.Meeting`. The recurrence itself is
python-dateutil's ``rrule`` (RFC 5545 rules, the same ones the .ics files carry):
WEEKLY, WEEKLY with INTERVAL=2 from ``starting``, or MONTHLY with BYDAY ordinals
(``MO(+1), MO(+3)``, ``FR(-1)``). Rules run on wall-clock times in the listing's
zone; a time the clocks skip (02:30 on the day they go forward) is read with the
offset before the change, i.e. one gap later, as meeting-time.js does.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Iterable, NamedTuple

from babel.dates import get_day_names
from babel.lists import format_list
from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule

from .listing import LAST_WEEK, Closure, Listing, Meeting

WEEKLY_RULE, ALTERNATE_RULE, MONTHLY_RULE = "weekly", "alternate", "monthly"
_WEEKDAYS = (SU, MO, TU, WE, TH, FR, SA)  # our day 0 is Sunday
SEARCH_DAYS = 400  # how far ahead "next" looks past the last closure
DEFAULT_MINUTES = 60  # a meeting without an end time


def rule_kind(meeting: Meeting) -> str:
    if meeting.weeks:
        return MONTHLY_RULE
    return ALTERNATE_RULE if meeting.every == 2 else WEEKLY_RULE


def recurrence(meeting: Meeting, dtstart: dt.datetime) -> rrule:
    """The meeting's bare rule (no cancellations or closures) from ``dtstart``."""
    return _recurrence(rule_kind(meeting), meeting.day, meeting.weeks, dtstart)


def _recurrence(kind: str, day: int, weeks: Iterable[int], dtstart: dt.datetime) -> rrule:
    weekday = _WEEKDAYS[day]
    if kind == MONTHLY_RULE:
        return rrule(MONTHLY, byweekday=[weekday(n) for n in weeks], dtstart=dtstart)
    return rrule(WEEKLY, interval=2 if kind == ALTERNATE_RULE else 1, byweekday=weekday, dtstart=dtstart)


def rule_dates(meeting: Meeting, first: dt.date, last: dt.date) -> list[dt.date]:
    """Dates in ``first``…``last`` (both included) the rule falls on."""
    return list(_rule_dates(rule_key(meeting), first, last))


def rule_key(meeting: Meeting) -> tuple:
    """What the meeting's dates depend on: its kind of rule, day, weeks of the
    month and (every other week) first date. Meetings with the same key meet
    on the same dates, so their dates are worked out once per build."""
    kind = rule_kind(meeting)
    return (kind, meeting.day, tuple(meeting.weeks) if kind == MONTHLY_RULE else (),
            meeting.starting if kind == ALTERNATE_RULE else None)


def first_rule_date(meeting: Meeting, first: dt.date, last: dt.date) -> dt.date | None:
    """The first date in ``first``…``last`` the rule falls on, if any."""
    return _first_rule_date(rule_key(meeting), first, last)


@lru_cache(maxsize=4096)
def _first_rule_date(key: tuple, first: dt.date, last: dt.date) -> dt.date | None:
    # Not rule_dates(…)[0]: a year of dates to keep one.
    start = _anchor(key, first)
    if start > last:
        return None
    found = _rule(key, start).after(dt.datetime.combine(first, dt.time()), inc=True)
    return found.date() if found is not None and found.date() <= last else None


@lru_cache(maxsize=1024)
def _rule_dates(key: tuple, first: dt.date, last: dt.date) -> tuple[dt.date, ...]:
    # Every page, feed and calendar asks for the same few windows (this week,
    # the next year from today): dateutil's rrule is the costly part.
    start = _anchor(key, first)
    if start > last:
        return ()
    return tuple(d.date() for d in _rule(key, start).between(
        dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time(23, 59)), inc=True))


def _rule(key: tuple, start: dt.date) -> rrule:
    kind, day, weeks, _ = key
    return _recurrence(kind, day, weeks, dt.datetime.combine(start, dt.time()))


def _anchor(key: tuple, first: dt.date) -> dt.date:
    # A date on or before ``first`` where the rule can start counting (never
    # before an alternate-week meeting's ``starting``, which is its first date).
    kind, _, _, starting = key
    if kind == ALTERNATE_RULE and starting is not None:
        if starting >= first:
            return starting
        return starting + dt.timedelta(days=14 * ((first - starting).days // 14))
    if kind == MONTHLY_RULE:
        return first.replace(day=1)
    return first


def closed_on(closure: Closure | None, date: dt.date) -> bool:
    """Whether ``closure`` covers ``date``: from ``since`` (or always) up to the day before ``until``."""
    return (closure is not None and (closure.since is None or closure.since <= date)
            and (closure.until is None or date < closure.until))


def is_closed(thing: Listing | Meeting | Closure | None, today: dt.date) -> bool:
    """A listing, meeting or closure closed on ``today``. A closure whose
    ``until`` has come is over, with nobody editing the file."""
    closure = thing if isinstance(thing, Closure) or thing is None else thing.closed
    return closed_on(closure, today)


def is_over(closure: Closure | None, today: dt.date) -> bool:
    """Nothing left to show: no closure, or one whose reopening day has come."""
    return closure is None or (closure.until is not None and today >= closure.until)


def skipped(meeting: Meeting, date: dt.date, closures: Iterable[Closure | None] = ()) -> bool:
    """Whether the meeting does not take place on ``date``, one of its rule's dates."""
    return date in meeting.cancelled or any(closed_on(c, date) for c in (meeting.closed, *closures))


def occurrences(meeting: Meeting, zone, start: dt.datetime, end: dt.datetime,
                closures: Iterable[Closure | None] = ()) -> list[dt.datetime]:
    """Starts in ``[start, end)`` as datetimes in ``zone`` (a tzinfo; ``None``
    for floating times, with naive ``start`` and ``end``), skipping cancelled
    dates, the meeting's closure and ``closures`` (its listing's)."""
    closures = tuple(closures)
    local = (lambda t: t.astimezone(zone)) if zone is not None else (lambda t: t)
    hours, minutes = map(int, meeting.time.split(":"))
    found = []
    for date in rule_dates(meeting, local(start).date() - dt.timedelta(days=1), local(end).date() + dt.timedelta(days=1)):
        begins = dt.datetime(date.year, date.month, date.day, hours, minutes, tzinfo=zone)
        if start <= begins < end and not skipped(meeting, date, closures):
            found.append(begins)
    return found


def next_occurrence(listing: Listing, meeting: Meeting, now: dt.datetime, zone=None) -> dt.datetime | None:
    """The occurrence in progress at ``now``, else the next one; ``None`` when
    it is closed with no reopening date. ``zone``: the listing's, when not given."""
    if zone is None and listing.timezone:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(listing.timezone)
    if zone is None:
        now = now.replace(tzinfo=None)
    length = dt.timedelta(minutes=duration(meeting))
    closures = (listing.closed,)
    untils = [c.until for c in (meeting.closed, listing.closed) if c is not None and c.until is not None]
    horizon = max([now.date(), *untils]) + dt.timedelta(days=SEARCH_DAYS)
    start = now - length
    while start.date() <= horizon:
        window = start + dt.timedelta(days=92)
        for begins in occurrences(meeting, zone, start, window, closures):
            if begins + length > now:
                return begins
        start = window
    return None


def duration(meeting: Meeting) -> int:
    """Minutes; an end before the start is after midnight."""
    if not meeting.end_time:
        return DEFAULT_MINUTES
    (sh, sm), (eh, em) = (map(int, meeting.time.split(":")), map(int, meeting.end_time.split(":")))
    length = (eh * 60 + em) - (sh * 60 + sm)
    return length if length > 0 else length + 1440


# --- words -------------------------------------------------------------------

def describe(meeting: Meeting, language: str) -> str:
    """The rule in words: "Every Monday", "Every other Monday", "1st and 3rd
    Monday", "Last Friday"; Spanish "1.er y 3.er lunes". The ordinal words are
    in the translations catalogue (rule_week_1 … rule_week_last): CLDR has no
    ordinal words, only plural categories."""
    from .render import catalogue

    t = catalogue(language)
    day = _day_name(meeting.day, language)
    kind = rule_kind(meeting)
    if kind == MONTHLY_RULE:
        ordered = sorted(meeting.weeks, key=lambda n: 6 if n == LAST_WEEK else n)
        weeks = format_list([t(f"rule_week_{'last' if n == LAST_WEEK else n}") for n in ordered], locale=language)
        text = t("rule_weeks", weeks=weeks, day=day)
    else:
        text = t("rule_alternate" if kind == ALTERNATE_RULE else "rule_weekly", day=day)
    return text[:1].upper() + text[1:]


def _day_name(day: int, language: str) -> str:
    return get_day_names("wide", locale=language)[(day - 1) % 7]  # Babel's 0 is Monday


# --- data for the browser --------------------------------------------------------

def browser_rule(listing: Listing, meeting: Meeting, today: dt.date) -> dict | None:
    """What meeting-time.js needs to skip what the build skips, and to re-check
    closures against the viewer's own clock: ``{"every": 2, "starting":
    "2026-01-06"}`` or ``{"weeks": [1, -1]}``, ``"cancelled": [dates]`` and
    ``"closed": [[since or "", until or ""], …]``; ``None`` for a plain weekly
    meeting. Past dates and closures that are over are left out."""
    kind = rule_kind(meeting)
    if kind == WEEKLY_RULE and not meeting.cancelled and meeting.closed is None and listing.closed is None:
        return None  # most meetings
    out: dict = {}
    if kind == ALTERNATE_RULE and meeting.starting:
        out.update(every=2, starting=meeting.starting.isoformat())
    elif kind == MONTHLY_RULE:
        out["weeks"] = list(meeting.weeks)
    cancelled = [d.isoformat() for d in meeting.cancelled if d >= today]
    if cancelled:
        out["cancelled"] = cancelled
    closed = [[c.since.isoformat() if c.since else "", c.until.isoformat() if c.until else ""]
              for c in (listing.closed, meeting.closed) if not is_over(c, today)]
    if closed:
        out["closed"] = closed
    return out or None


# --- for the templates ---------------------------------------------------------

class ScheduleView:
    """What a page shows about schedules and closures, as of the build: rule
    words, the next date, whether a closure still shows. Templates get one as
    ``schedule``; the pages' scripts re-check closures by the viewer's clock."""

    def __init__(self, language: str, now: dt.datetime | None = None):
        self.language = language
        self.now = now or dt.datetime.now(dt.timezone.utc)
        self.today = self.now.date()

    def words(self, meeting: Meeting) -> str:
        """The rule in words, or "" for a plain weekly meeting."""
        return "" if rule_kind(meeting) == WEEKLY_RULE else describe(meeting, self.language)

    def next_date(self, listing: Listing, meeting: Meeting) -> dt.date | None:
        found = next_occurrence(listing, meeting, self.now)
        return found.date() if found is not None else None

    def shows(self, closure: Closure | None) -> bool:
        """A closure to show: closed now, or closing later; not one that is over."""
        return not is_over(closure, self.today)

    def closed(self, thing: Listing | Meeting | Closure | None) -> bool:
        return is_closed(thing, self.today)

    def has_note(self, listing: Listing, meeting: Meeting) -> bool:
        """Whether a schedule's line says more than the time: the rule in words, or closed."""
        return bool(self.words(meeting)) or self.closed(meeting) or self.closed(listing)

    def has_occurrence_notes(self, listing: Listing, meeting: Meeting) -> bool:
        """Whether a listing page's line for ``meeting`` may say more than its notes
        (macros.html occurrence_notes: closed, cancelled dates, the next date)."""
        return (self.closed(meeting) or self.closed(listing) or bool(self.cancelled(meeting)) or bool(self.words(meeting))
                or self.shows(meeting.closed) or self.shows(listing.closed))

    def cancelled(self, meeting: Meeting) -> list[dt.date]:
        return [d for d in meeting.cancelled if d >= self.today]

    def rule(self, listing: Listing, meeting: Meeting) -> dict | None:
        return browser_rule(listing, meeting, self.today)

    def lines(self, listing: Listing) -> list["TableRow"]:
        """A listing page's schedule (listing.html), a line a meeting: one call
        a page rather than three or four a meeting through the template engine."""
        return [TableRow(meeting, self.rule(listing, meeting), self.words(meeting), self.has_occurrence_notes(listing, meeting))
                for meeting in listing.meetings]


class TableRow(NamedTuple):
    """A row of a listing page's schedule table (ScheduleView.lines)."""

    meeting: Meeting
    rule: dict | None  # for listing.js (browser_rule)
    words: str  # the rule in words, "" when weekly
    notes: bool  # whether occurrence_notes may say something (has_occurrence_notes)
