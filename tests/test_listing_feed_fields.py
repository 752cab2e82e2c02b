"""The listing page's fields in the Meeting Guide feed, both ways: export writes
each under the specification's name (contact_…, venmo, square, paypal,
homegroup_online, entity…, feedback_…, conference_phone_notes); import reads
them back, drops what is not valid with the reason, and a listing with all of
them survives export → import → export unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TEST_REGIONS
from recovery_directory.feeds.meeting_guide import Links, meetings_feed
from recovery_directory.feeds.meeting_guide_import import import_feed
from recovery_directory.listing import Entity
from recovery_directory.validate import validate_directory
from recovery_directory.vocabularies import load_vocabularies
from test_feed_roundtrip import differences, export, fresh_directory, reimport

EVERYTHING = """\
name: Every Field Group
fellowship: aa
region: chicago
location:
  address: 1 Main St
  city: Chicago
  notes: Side door, basement
online:
  url: https://zoom.us/j/1234567890
  phone: "+1 312 555 0100,,1234567890#"
  notes: Meeting ID 123 456 7890
  phone_notes: Passcode 246810
meetings:
  - {day: monday, time: "19:00"}
  - {day: friday, time: "07:00"}
notes: About the group
contact_1_name: Bob S.
contact_1_email: bob@example.org
contact_1_phone: "+1 312 555 0101"
contact_2_name: Ann
contact_2_phone: "+1 312 555 0102"
venmo: https://venmo.com/u/Every-Field
square: $EveryField
paypal: EveryField
homegroup_online: every-field
entity: Chicago Area Service Office
entity_email: office@example.org
entity_phone: "+1 312 555 0199"
entity_url: https://example.org/casso
feedback_emails: [listings@example.org, web@example.org]
feedback_url: mailto:listings@example.org
"""

PHONE_ONLY = """\
name: Dial In Group
fellowship: aa
region: chicago
online:
  phone: "+1 312 555 0103"
  notes: Press 1 for the meeting
  phone_notes: Passcode 1234
meetings:
  - {day: sunday, time: "12:00"}
"""


def base_row(**fields) -> dict:
    row = {"name": "Feed Group", "slug": "f0", "day": 1, "time": "19:00", "address": "1 Main St", "city": "Chicago", "state": "IL"}
    return {**row, **fields}


def imported(make_directory, *rows: dict):
    directory = make_directory()
    result = import_feed(list(rows), load_vocabularies(str(directory.root)), "illinois", "aa", "feed.json")
    return result, [str(p) for p in result.problems]


# --- export ---------------------------------------------------------------------

def test_every_field_under_its_specification_name(make_directory):
    listing = make_directory({"groups/every-field.yml": EVERYTHING}).validate().listings[0]
    meeting = meetings_feed([listing], load_vocabularies("directory"))[0]
    assert {k: meeting[k] for k in meeting if k.startswith(("contact_", "entity", "feedback_", "conference_"))} | {
        k: meeting[k] for k in ("venmo", "square", "paypal", "homegroup_online", "location_notes", "group_notes")} == {
        "conference_url": "https://zoom.us/j/1234567890", "conference_url_notes": "Meeting ID 123 456 7890",
        "conference_phone": "+13125550100,,1234567890#", "conference_phone_notes": "Passcode 246810",
        "contact_1_name": "Bob S.", "contact_1_email": "bob@example.org", "contact_1_phone": "+1 312 555 0101",
        "contact_2_name": "Ann", "contact_2_phone": "+1 312 555 0102",
        "venmo": "@Every-Field", "square": "$EveryField", "paypal": "EveryField", "homegroup_online": "every-field",
        "location_notes": "Side door, basement", "group_notes": "About the group",
        "entity": "Chicago Area Service Office", "entity_email": "office@example.org", "entity_phone": "+1 312 555 0199",
        "entity_url": "https://example.org/casso", "entity_website_url": "https://example.org/casso",
        "feedback_emails": ["listings@example.org", "web@example.org"], "feedback_url": "mailto:listings@example.org",
    }


def test_the_sites_service_body_for_listings_that_name_none(make_directory):
    listing = make_directory({"groups/dial-in.yml": PHONE_ONLY}).validate().listings[0]
    default = Entity("Site Intergroup", "site@example.org", None, "https://example.org", ("a@example.org",), "https://example.org/f")
    meeting = meetings_feed([listing], load_vocabularies("directory"), Links(), default)[0]
    assert {k: meeting[k] for k in meeting if k.startswith(("entity", "feedback_"))} == {
        "entity": "Site Intergroup", "entity_email": "site@example.org", "entity_url": "https://example.org",
        "entity_website_url": "https://example.org", "feedback_emails": ["a@example.org"], "feedback_url": "https://example.org/f"}


def test_a_phone_only_meeting_gives_all_its_notes_to_the_phone(make_directory):
    listing = make_directory({"groups/dial-in.yml": PHONE_ONLY}).validate().listings[0]
    meeting = meetings_feed([listing], load_vocabularies("directory"))[0]
    assert "conference_url_notes" not in meeting
    assert meeting["conference_phone_notes"] == "Press 1 for the meeting\nPasscode 1234"


# --- import -------------------------------------------------------------------------

def test_import_reads_every_field_back(make_directory):
    result, problems = imported(make_directory, base_row(
        conference_url="https://zoom.us/j/1", conference_url_notes="ID 1", conference_phone="+13125550100,,1#",
        conference_phone_notes="Passcode 2", contact_1_name="Bob S.", contact_1_email="bob@example.org",
        contact_3_name="Ann", contact_3_phone="312-555-0102", venmo="@Feed-Group", square="https://cash.app/$FeedGroup",
        paypal="FeedGroup", homegroup_online="feed", entity="Intergroup", entity_website_url="https://example.org/ig",
        entity_phone="+1-312-555-0199", feedback_emails="a@example.org, b@example.org", feedback_url="https://example.org/f"))
    assert problems == []
    data = result.listings[0].data
    assert data["online"] == {"url": "https://zoom.us/j/1", "phone": "+1 312 555 0100,,1#", "notes": "ID 1", "phone_notes": "Passcode 2"}
    assert {k: v for k, v in data.items() if k.startswith(("contact_", "entity", "feedback_", "venmo", "square", "paypal", "homegroup"))} == {
        "contact_1_name": "Bob S.", "contact_1_email": "bob@example.org",
        "contact_2_name": "Ann", "contact_2_phone": "+1 312 555 0102",  # renumbered from contact_3
        "venmo": "@Feed-Group", "square": "https://cash.app/$FeedGroup", "paypal": "FeedGroup", "homegroup_online": "feed",
        "entity": "Intergroup", "entity_phone": "+1 312 555 0199", "entity_url": "https://example.org/ig",
        "feedback_emails": ["a@example.org", "b@example.org"], "feedback_url": "https://example.org/f",
    }


def test_import_drops_what_a_listing_may_not_hold_and_says_why(make_directory):
    result, problems = imported(make_directory, base_row(
        contact_1_name="Bob S.", contact_2_name="Ann", contact_2_email="not an address", venmo="Feed Group",
        square="$123", entity_email="office@example.org", entity_feedback_emails=["ok@example.org", "nope"],
        feedback_url="javascript:alert(1)"))
    data = result.listings[0].data
    assert not {k for k in data if k.startswith(("contact_", "entity", "venmo", "square", "feedback_url"))}
    assert data["feedback_emails"] == ["ok@example.org"]
    assert problems == [
        "feed.json: warning: [0]: 'f0': contact_1_name 'Bob S.' dropped — no e-mail or phone to reach them by",
        "feed.json: warning: [0]: 'f0': contact_2_email 'not an address' dropped — not valid",
        "feed.json: warning: [0]: 'f0': contact_2_name 'Ann' dropped — no e-mail or phone to reach them by",
        "feed.json: warning: [0]: 'f0': venmo 'Feed Group' dropped — not valid",
        "feed.json: warning: [0]: 'f0': square '$123' dropped — not valid",
        "feed.json: warning: [0]: 'f0': entity_email dropped — there is no entity, the service body they describe",
        "feed.json: warning: [0]: 'f0': feedback_emails 'nope' dropped — not valid",
        "feed.json: warning: [0]: 'f0': feedback_url 'javascript:alert(1)' dropped — not valid",
    ]


def test_a_full_surname_imports_and_validation_warns(make_directory):
    directory = make_directory()
    result = import_feed([base_row(contact_1_name="Bob Smith", contact_1_email="bob@example.org")],
                         load_vocabularies(str(directory.root)), "illinois", "aa", "feed.json")
    [listing] = result.listings
    Path(listing.path("directory")).write_text(listing.text("feed.json"), encoding="utf-8")
    checked = validate_directory("directory")
    assert checked.ok and [str(p) for p in checked.warnings] == [
        f"directory/groups/feed-group.yml:{_line_of(listing.path('directory'), 'contact_1_name')}:17: warning: contact_1_name: "
        "'Smith' looks like a full surname — the group's tradition of anonymity asks for a first name and last initial, e.g. 'Bob S.'"]


def _line_of(path: str, key: str) -> int:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:"))


# --- both ways ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [EVERYTHING, PHONE_ONLY], ids=["every-field", "phone-only"])
def test_export_import_export_keeps_every_field(make_directory, tmp_path, text):
    # A neighbour in another state keeps every region level in the feed (shared levels are left out).
    austin = "name: Austin Group\nfellowship: aa\nregion: austin\nonline: {url: https://zoom.us/j/1}\nmeetings: [{day: monday, time: '12:00'}]\n"
    original = export(make_directory({"groups/every-field.yml": text, "groups/austin-group.yml": austin}).validate(), tmp_path / "docs")
    again = export(reimport(original, tmp_path / "again", TEST_REGIONS), tmp_path / "again" / "docs")
    assert differences(original, again) == []
