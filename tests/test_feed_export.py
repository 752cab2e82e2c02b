"""The published feeds: ``meetings.json`` in the Meeting Guide format and
``treatment-centers.json``, checked against the rules of Code for Recovery's
specification (github.com/code4recovery/spec, README.md), written out here
independently of the code that makes the feed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import zoneinfo
from pathlib import Path

import pytest
from babel import Locale

from conftest import REPO, VALID_FAMILY_GROUP, VALID_GROUP, VALID_TREATMENT_CENTER
from recovery_directory.feeds import feed_json
from recovery_directory.feeds.meeting_guide import LANGUAGE_TYPES, Links, meetings_feed
from recovery_directory.feeds.treatment_centers import treatment_centers_feed
from recovery_directory.validate import validate_directory

SITE_URL = "https://example.org/recovery-directory/"
EDIT_BASE = "https://github.com/example/recovery-directory/edit/main/docs/"

# The spec's meeting types (data/types.json at commit 404117a, MIT licence).
SPEC_TYPES = frozenset(
    "11 12x12 A ABSI AF AL AL-AN AM AR ASL B BA BE BG BI BRK C CAN CF D DA DB DD DE DR EL EN FA FI FF FR "
    "G GR H HE HI HR HU IS ITA JA KA KOR L LGBTQ LIT LS LT M MED ML MT N NB NDG NE NL NO O OUT P POA POC "
    "POL POR PUN RUS S SEN SK SL SM SP ST SV T TC TH TL TR TUR UK W X XB XT Y".split())
# Every field the spec defines, and the few the directory adds (docs/feeds.md).
SPEC_FIELDS = frozenset(
    "name slug day time end_time timezone formatted_address address city state postal_code country region "
    "sub_region regions conference_url conference_url_notes conference_phone conference_phone_notes types notes "
    "location location_notes latitude longitude approximate updated group group_notes venmo square paypal "
    "homegroup_online url edit_url feedback_emails feedback_url entity entity_email entity_location entity_logo "
    "entity_phone entity_website_url contact_1_name contact_1_email contact_1_phone contact_2_name contact_2_email "
    "contact_2_phone contact_3_name contact_3_email contact_3_phone".split())
# entity_url: entity_website_url under the name TSML UI and the 12 Step Meeting List plugin use.
EXTENSIONS = frozenset({"fellowship", "group_id", "email", "phone", "website", "entity_url",
                        "schedule", "closed", "group_closed"})  # schedules and closures (schedule_fields)
TIME = re.compile(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")
UPDATED = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")
PHONE = re.compile(r"^\+?[0-9]+[0-9,*#]*$")
URL = re.compile(r"^https?://[^\s/]+")
SLUG = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # URL-safe, no spaces or special characters, 64 at most
TAG = re.compile(r"<[a-zA-Z/!][^>]*>")


def spec_problems(meeting: dict) -> list[str]:
    """What one meeting object breaks of the spec's rules (empty when none)."""
    problems = [f"unknown field {key!r}" for key in meeting if key not in SPEC_FIELDS | EXTENSIONS]
    name, slug = meeting.get("name"), meeting.get("slug")
    if not isinstance(name, str) or not 0 < len(name) <= 255:
        problems.append(f"name {name!r} is required, 255 characters at most")
    if not isinstance(slug, str) or not SLUG.match(slug):
        problems.append(f"slug {slug!r} is not URL-safe or is over 64 characters")
    day = meeting.get("day")
    if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
        problems.append(f"day {day!r} is not 0–6")
    for key in ("time", "end_time"):
        if (key == "time" or key in meeting) and not (isinstance(meeting.get(key), str) and TIME.match(meeting[key])):
            problems.append(f"{key} {meeting.get(key)!r} is not HH:MM")
    if "timezone" in meeting and meeting["timezone"] not in zoneinfo.available_timezones():
        problems.append(f"timezone {meeting['timezone']!r} is not in the tz database")
    types = meeting.get("types", [])
    if not isinstance(types, list) or len(set(types)) != len(types):
        problems.append(f"types {types!r} is not a list of distinct codes")
    problems += [f"type {code!r} is not a Meeting Guide type" for code in types if code not in SPEC_TYPES]
    approximate = meeting.get("approximate")
    if approximate not in ("yes", "no"):
        problems.append(f"approximate {approximate!r} is not 'yes' or 'no'")
    if not (meeting.get("formatted_address") or meeting.get("city")):
        problems.append("has no geographic information")
    if approximate == "no" and not (meeting.get("address") and meeting.get("city")):
        problems.append("in person, but without a specific address")
    if approximate == "yes" and not (meeting.get("conference_url") or meeting.get("conference_phone")):
        problems.append("online, but with neither conference_url nor conference_phone")
    if "conference_url" in meeting and not URL.match(meeting["conference_url"]):
        problems.append(f"conference_url {meeting['conference_url']!r} is not a web address")
    if "conference_phone" in meeting and not PHONE.match(meeting["conference_phone"]):
        problems.append(f"conference_phone {meeting['conference_phone']!r} is not digits with + , * #")
    for key in ("latitude", "longitude"):
        value = meeting.get(key)
        if key in meeting and (not isinstance(value, (int, float)) or round(value, 5) != value):
            problems.append(f"{key} {value!r} is not a number of at most five decimals")
    if "updated" in meeting and not UPDATED.match(meeting["updated"]):
        problems.append(f"updated {meeting['updated']!r} is not YYYY-MM-DD HH:MM:SS")
    for key in ("url", "edit_url"):
        if key in meeting and not URL.match(meeting[key]):
            problems.append(f"{key} {meeting[key]!r} is not an absolute web address")
    for key in ("name", "notes", "group_notes", "location", "location_notes", "group"):
        if isinstance(meeting.get(key), str) and TAG.search(meeting[key]):
            problems.append(f"{key} holds HTML; the spec wants plain text")
    regions = meeting.get("regions")
    if regions is not None and not (isinstance(regions, list) and all(isinstance(r, str) and r for r in regions)):
        problems.append(f"regions {regions!r} is not a list of names")
    # Seventh Tradition: a Venmo handle starts with @, a cashtag with $; PayPal.me and Homegroup Online are bare names.
    for key, first in (("venmo", "@"), ("square", "$")):
        if key in meeting and not (isinstance(meeting[key], str) and meeting[key].startswith(first) and "/" not in meeting[key]):
            problems.append(f"{key} {meeting[key]!r} is not a handle starting with {first}")
    for key in ("paypal", "homegroup_online"):
        if key in meeting and not (isinstance(meeting[key], str) and re.fullmatch(r"[A-Za-z0-9_-]+", meeting[key])):
            problems.append(f"{key} {meeting[key]!r} is not a bare name")
    if any(key.startswith("entity_") for key in meeting) and not meeting.get("entity"):
        problems.append("entity fields without the entity, which the spec requires with them")
    if "entity_website_url" in meeting and not meeting["entity_website_url"].startswith("https://"):
        problems.append(f"entity_website_url {meeting['entity_website_url']!r} does not begin with https://")
    emails = meeting.get("feedback_emails")
    if emails is not None and not (isinstance(emails, list) and all(isinstance(e, str) and "@" in e for e in emails)):
        problems.append(f"feedback_emails {emails!r} is not a list of addresses")
    return problems


def feed_problems(feed: list[dict]) -> list[str]:
    problems = [f"{m.get('slug')}: {p}" for m in feed for p in spec_problems(m)]
    slugs = [m.get("slug") for m in feed]
    problems += [f"slug {s!r} is used {slugs.count(s)} times" for s in sorted(set(slugs), key=str) if slugs.count(s) > 1]
    return problems


@pytest.fixture(scope="module")
def example():
    directory = validate_directory(str(REPO / "directory"))
    assert directory.ok, directory.errors
    return directory


@pytest.fixture(scope="module")
def feed(example):
    return meetings_feed(example.listings, example.vocabularies, Links(SITE_URL, EDIT_BASE, str(REPO / "docs")))


def by_group(feed: list[dict], slug: str) -> list[dict]:
    return [m for m in feed if m["group_id"] == slug]


# --- the example directory's feed ---------------------------------------------

def test_example_feed_follows_the_spec(feed):
    assert feed_problems(feed) == []


def test_the_checker_catches_what_the_spec_forbids():
    bad = {"name": "X", "slug": "a b", "day": 7, "time": "7:30", "types": ["ONL", "O"], "approximate": "yes",
           "formatted_address": "Chicago, IL, USA", "latitude": 41.1234567, "updated": "2026-01-02", "notes": "<b>hi</b>",
           "attendance_option": "online"}
    assert feed_problems([bad, dict(bad)]) == [
        "a b: unknown field 'attendance_option'",
        "a b: slug 'a b' is not URL-safe or is over 64 characters",
        "a b: day 7 is not 0–6",
        "a b: time '7:30' is not HH:MM",
        "a b: type 'ONL' is not a Meeting Guide type",
        "a b: online, but with neither conference_url nor conference_phone",
        "a b: latitude 41.1234567 is not a number of at most five decimals",
        "a b: updated '2026-01-02' is not YYYY-MM-DD HH:MM:SS",
        "a b: notes holds HTML; the spec wants plain text",
    ] * 2 + ["slug 'a b' is used 2 times"]


def test_one_object_per_meeting(example, feed):
    groups = [l for l in example.listings if l.kind in ("group", "family-group")]
    assert len(feed) == sum(len(l.meetings) for l in groups)
    capital = by_group(feed, "capital-city-group")
    assert [(m["day"], m["time"], m["end_time"]) for m in capital] == [
        (1, "12:00", "13:00"), (3, "12:00", "13:00"), (5, "12:00", "13:00"), (6, "20:00", "21:00")]
    assert [m["slug"] for m in capital] == [
        "capital-city-group-mon-1200", "capital-city-group-wed-1200", "capital-city-group-fri-1200", "capital-city-group-sat-2000"]
    assert {m["name"] for m in capital} == {m["group"] for m in capital} == {"Capital City Group"}


def test_family_groups_are_in_and_treatment_centres_are_out(example, feed):
    kinds = {l.slug: l.kind for l in example.listings}
    exported = {m["group_id"] for m in feed}
    assert {kinds[slug] for slug in exported} == {"group", "family-group"}
    assert {s for s, k in kinds.items() if k == "family-group"} <= exported
    assert not {s for s, k in kinds.items() if k == "treatment-center"} & exported
    assert {m["fellowship"] for m in by_group(feed, "prairie-family-al-anon")} == {"al-anon"}


def test_online_is_marked_by_the_conference_fields_never_by_a_type(feed):
    assert all("ONL" not in m.get("types", []) for m in feed)
    owls = by_group(feed, "night-owls-online-aa")[0]
    assert owls["conference_url"] == "https://zoom.us/j/85598765432"
    assert owls["conference_phone"] == "+16465550100,,85598765432#"
    # The link's notes and the dial-in's own (online.notes, online.phone_notes).
    assert owls["conference_url_notes"].startswith("Meeting ID 855 9876 5432")
    assert owls["conference_phone_notes"].startswith("The number dials the meeting ID for you")
    # No address: an approximate one stands for the region, as the spec asks.
    assert (owls["formatted_address"], owls["approximate"]) == ("Chicago, IL, USA", "yes")
    assert "address" not in owls and "latitude" not in owls


def test_hybrid_meetings_have_the_address_and_the_link(feed):
    dharma = by_group(feed, "evanston-recovery-dharma")[0]
    assert dharma["approximate"] == "no"
    assert dharma["formatted_address"] == "1815 Sherman Ave, Evanston, IL 60201, USA"
    assert (dharma["address"], dharma["city"], dharma["state"], dharma["postal_code"], dharma["country"]) == (
        "1815 Sherman Ave", "Evanston", "IL", "60201", "US")
    assert dharma["location"] == "Sherman Avenue Meditation Hall"
    assert dharma["location_notes"] == "Shoes off at the door; chairs and cushions available."
    assert dharma["conference_url"] == "https://meet.jit.si/ExampleSerenity"


def test_group_fields(feed):
    capital = by_group(feed, "capital-city-group")[0]
    assert capital["group_notes"].startswith("Example listing. Lunch-hour meetings")
    assert (capital["latitude"], capital["longitude"]) == (39.7977, -89.6489)
    assert capital["timezone"] == "America/Chicago"
    assert capital["url"] == SITE_URL + "groups/capital-city-group/"
    assert capital["edit_url"] == "https://github.com/example/recovery-directory/edit/main/directory/groups/capital-city-group.yml"
    assert capital["updated"] == "2026-06-02 00:00:00"  # last_verified, at midnight UTC


def test_regions_from_general_to_specific(feed):
    owls = by_group(feed, "night-owls-online-aa")[0]
    assert owls["regions"] == ["Illinois", "Cook County", "Chicago"]
    assert (owls["region"], owls["sub_region"]) == ("Illinois", "Cook County")
    capital = by_group(feed, "capital-city-group")[0]
    assert (capital["region"], capital["sub_region"], capital["regions"]) == ("Illinois", "Springfield", ["Illinois", "Springfield"])


def test_languages_become_the_spec_language_types(feed):
    # grupa-aa-nadzieja: languages [pl]; grupo-esperanza: [es] and already typed S.
    assert all("POL" in m["types"] for m in by_group(feed, "grupa-aa-nadzieja"))
    assert [m["types"].count("S") for m in by_group(feed, "grupo-esperanza")] == [1] * 4
    assert all("EN" not in m.get("types", []) for m in by_group(feed, "capital-city-group"))


def test_language_codes_are_the_specs(example):
    types = example.vocabularies.terms["meeting-types"]
    for language, code in LANGUAGE_TYPES.items():
        assert code in SPEC_TYPES
        assert types[code].name("en") == Locale("en").languages[language]


def test_feed_json_is_one_meeting_per_line(feed):
    text = feed_json(feed)
    assert json.loads(text) == feed
    assert text.count("\n") == len(feed) + 2
    assert feed_json([]) == "[]\n"


# --- particular listings ---------------------------------------------------------

def _export(directory, site_url: str = SITE_URL) -> list[dict]:
    result = directory.validate()
    assert result.ok, result.errors
    return meetings_feed(result.listings, result.vocabularies, Links(site_url))


def test_coordinates_keep_five_decimals_and_only_when_precise(make_directory):
    group = VALID_GROUP.replace("  city: Springfield\n", "  city: Springfield\n  latitude: 39.781721\n  longitude: -89.650148\n")
    directory = make_directory({"groups/downtown.yml": group})
    result = directory.validate()
    [meeting] = meetings_feed(result.listings, result.vocabularies)
    assert (meeting["latitude"], meeting["longitude"]) == (39.78172, -89.65015)
    # A city's or ZIP code's centre (the enrichment's guess) is not where people go.
    result.listings[0].location.precision = "city"
    [meeting] = meetings_feed(result.listings, result.vocabularies)
    assert "latitude" not in meeting and "longitude" not in meeting


def test_page_links_are_relative_to_the_feed_without_a_site_url(make_directory):
    directory = make_directory({"groups/downtown.yml": VALID_GROUP, "family-groups/hope.yml": VALID_FAMILY_GROUP})
    assert sorted(m["url"] for m in _export(directory, site_url="")) == ["family-groups/hope/", "groups/downtown/"]
    assert sorted(m["url"] for m in _export(directory)) == [SITE_URL + "family-groups/hope/", SITE_URL + "groups/downtown/"]


def test_long_slugs_stay_unique_and_within_64_characters(make_directory):
    stem = "the-very-long-named-downtown-serenity-group-of-springfield-illinois"
    twins = {f"groups/{stem}-{n}.yml": VALID_GROUP.replace("Downtown Serenity Group", f"Group {n}") for n in (1, 2)}
    feed = _export(make_directory(twins))
    assert feed_problems(feed) == []
    assert [len(m["slug"]) for m in feed] == [64, 64]


def test_a_region_every_meeting_shares_is_left_out(make_directory):
    # The spec: "A region that's shared across all meetings should be omitted."
    directory = make_directory({"groups/downtown.yml": VALID_GROUP, "family-groups/hope.yml": VALID_FAMILY_GROUP})
    assert sorted((m["region"], m["regions"]) for m in _export(directory)) == [
        ("Chicago", ["Chicago"]), ("Springfield", ["Springfield"])]


def test_treatment_centres_feed(example):
    centers = treatment_centers_feed(example.listings, example.vocabularies, Links(SITE_URL))
    assert len(centers) == sum(1 for l in example.listings if l.kind == "treatment-center")
    prairie = next(c for c in centers if c["slug"] == "prairie-recovery-center")
    assert prairie["phone"] == "+1 217 555 0105"
    assert prairie["services"][0] == {"code": "residential", "name": "Residential treatment"}
    assert [p["code"] for p in prairie["payment"]] == ["medicaid", "private-insurance", "state-funded", "sliding-scale"]
    assert prairie["formatted_address"] == "800 N Rutledge St, Springfield, IL 62702, USA"
    assert prairie["url"] == SITE_URL + "treatment-centers/prairie-recovery-center/"
    assert prairie["updated"] == "2026-09-30 00:00:00"
    assert "day" not in prairie and "types" not in prairie


def test_treatment_centre_names_in_the_site_language(make_directory):
    result = make_directory({"treatment-centers/prairie.yml": VALID_TREATMENT_CENTER}).validate()
    [center] = treatment_centers_feed(result.listings, result.vocabularies, language="es")
    assert center["services"][0] == {"code": "detox", "name": "Desintoxicación (manejo de la abstinencia)"}


# --- the real build ---------------------------------------------------------------

@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """``mkdocs build`` of the repository, as CI runs it, into a temporary folder."""
    site = tmp_path_factory.mktemp("feeds") / "site"
    mkdocs = REPO / ".venv" / "bin" / "mkdocs"
    command = [str(mkdocs) if mkdocs.exists() else "mkdocs", "build", "-q", "-d", str(site)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def test_build_serves_meetings_json_at_the_site_root(built_site, example):
    feed = json.loads((built_site / "meetings.json").read_text(encoding="utf-8"))
    assert feed_problems(feed) == []
    assert len(feed) == sum(len(l.meetings) for l in example.listings if l.kind != "treatment-center")
    for meeting in feed:
        assert meeting["url"].startswith(SITE_URL)
        page = built_site / meeting["url"].removeprefix(SITE_URL) / "index.html"
        assert page.is_file(), f"{meeting['url']} is not a page of the site"
        assert f'href="{meeting["edit_url"]}"' in page.read_text(encoding="utf-8")


def test_build_serves_treatment_centers_json_at_the_site_root(built_site, example):
    centers = json.loads((built_site / "treatment-centers.json").read_text(encoding="utf-8"))
    assert sorted(c["slug"] for c in centers) == sorted(l.slug for l in example.listings if l.kind == "treatment-center")
    assert all((built_site / c["url"].removeprefix(SITE_URL) / "index.html").is_file() for c in centers)
