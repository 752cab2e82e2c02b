"""Schedules and closures through the Meeting Guide feed: TC for a closure in
force, one weekly entry with a note for a meeting on some weeks, and our own
fields so that export → import gives the listing back exactly."""

from __future__ import annotations

import datetime as dt

import yaml

from recovery_directory.feeds.meeting_guide import meetings_feed
from recovery_directory.feeds.meeting_guide_import import TC_REASON, import_feed

from test_validation_rules import GROUP

NOW = dt.datetime(2026, 11, 25, 18, 0, tzinfo=dt.timezone.utc)
MEETINGS = """\
  - day: tuesday
    time: "19:00"
    every: other week
    starting: 2026-01-06
    notes: Big Book study
  - day: friday
    time: "19:00"
    weeks: [1, last]
    cancelled: [2026-12-04]
    closed:
      reason: Church renovation
      until: 2027-02-01
"""


def feed_of(make_directory, text: str) -> tuple[list[dict], object]:
    directory = make_directory({"groups/downtown-serenity.yml": text}).validate()
    assert directory.ok, [str(p) for p in directory.problems]
    return meetings_feed(directory.listings, directory.vocabularies, now=NOW), directory


def test_export_says_what_the_format_cannot(make_directory):
    feed, _ = feed_of(make_directory, GROUP + MEETINGS)
    monday, tuesday, friday = sorted(feed, key=lambda m: m["day"])
    assert "schedule" not in monday and "TC" not in monday["types"]
    assert tuesday["notes"] == "Every other Tuesday only (next: December 8, 2026).\nBig Book study"
    assert tuesday["schedule"] == {"every": "other week", "starting": "2026-01-06"}
    assert friday["notes"] == "1st and last Friday only (next: February 5, 2027)."
    assert friday["schedule"] == {"weeks": [1, "last"], "cancelled": ["2026-12-04"]}
    assert friday["types"][-1] == "TC"
    assert friday["closed"] == {"reason": "Church renovation", "until": "2027-02-01"}


def test_a_listing_closure_marks_every_meeting_tc(make_directory):
    text = GROUP.replace("location:", "closed:\n  since: 2026-11-01\nlocation:")
    [monday] = feed_of(make_directory, text)[0]
    assert "TC" in monday["types"] and monday["group_closed"] == {"since": "2026-11-01"}


def test_import_gives_the_rule_and_closures_back(make_directory):
    text = GROUP.replace("location:", "closed:\n  reason: Summer break\n  until: 2026-12-01\nlocation:") + MEETINGS
    feed, directory = feed_of(make_directory, text)
    result = import_feed(feed, directory.vocabularies, "springfield", "aa")
    assert [str(p) for p in result.problems] == []
    [listing] = result.listings
    data = yaml.safe_load(listing.text("feed.json"))
    original = yaml.safe_load(text)
    assert data["closed"] == original["closed"]
    by_day = {m["day"]: m for m in data["meetings"]}
    assert by_day["monday"] == original["meetings"][0]
    for meeting in original["meetings"][1:]:
        assert by_day[meeting["day"]] == meeting


def test_tc_from_another_feed_becomes_a_closure(make_directory):
    feed, directory = feed_of(make_directory, GROUP)
    del feed[0]["group_id"]
    feed[0]["types"] = ["O", "TC"]
    [listing] = import_feed(feed, directory.vocabularies, "springfield", "aa").listings
    [meeting] = yaml.safe_load(listing.text("feed.json"))["meetings"]
    assert meeting["types"] == ["O"] and meeting["closed"] == {"reason": TC_REASON}
