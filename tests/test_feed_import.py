"""``recovery-directory import meeting-guide``: a real-world-shaped feed of a few
hundred meetings (tests/fixtures/messy_feed.py) into listings that validate
clean; rows that cannot be imported reported with their reason; existing
listings never overwritten."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import json
import re
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO_DIRECTORY, TEST_REGIONS, VALID_GROUP, VOCABULARY_FILES
from fixtures.messy_feed import messy_feed
from recovery_directory import cli
from recovery_directory.feeds.meeting_guide_import import FeedError, import_feed, parse_feed, plain_text
from recovery_directory.schema import GROUP
from recovery_directory.validate import validate_directory
from recovery_directory.vocabularies import load_vocabularies

LINE = re.compile(r"^feed\.json: warning: \[(\d+)\]: (?:'[^']*': )?(.*)$")


@pytest.fixture(scope="module")
def messy():
    return messy_feed()


@dataclass
class Run:
    root: Path  # the directory/ imported into
    code: int
    out: list[str]
    err: str


@pytest.fixture(scope="module")
def messy_import(messy, tmp_path_factory):
    """The messy feed imported once, into a directory with the tests' regions."""
    base = tmp_path_factory.mktemp("messy")
    root = base / "directory"
    for folder in ("groups", "family-groups", "treatment-centers"):
        (root / folder).mkdir(parents=True)
    for name in VOCABULARY_FILES:
        shutil.copyfile(REPO_DIRECTORY / name, root / name)
    (root / "regions.yml").write_text(TEST_REGIONS, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()  # capsys is for one test only
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        patch.chdir(base)
        code = cli.main(["import", "meeting-guide", write_feed(messy.rows), "--region", "illinois"])
    return Run(root, code, out.getvalue().splitlines(), err.getvalue())


@pytest.fixture
def directory(make_directory):
    return make_directory()


def write_feed(rows, name: str = "feed.json") -> str:
    with open(name, "w", encoding="utf-8") as handle:
        json.dump(rows, handle)
    return name


def run(capsys, *args: str) -> tuple[int, list[str], str]:
    code = cli.main(["import", "meeting-guide", *args])
    printed = capsys.readouterr()
    return code, printed.out.splitlines(), printed.err


def reported(lines: list[str]) -> dict[int, list[str]]:
    """Feed entry → what the import said about it."""
    out: dict[int, list[str]] = {}
    for line in lines:
        match = LINE.match(line)
        if match:
            out.setdefault(int(match[1]), []).append(match[2])
    return out


def rows(*meetings: dict) -> list[dict]:
    base = {"address": "123 Main St", "city": "Chicago", "state": "IL", "day": 1, "time": "19:00"}
    return [{**base, "name": f"Group {n}", "slug": f"s{n}", **m} for n, m in enumerate(meetings)]


def imported(directory, feed_rows, region: str = "illinois", fellowship: str = "aa"):
    return import_feed(feed_rows, load_vocabularies(str(directory.root)), region, fellowship, "feed.json")


# --- the messy feed, end to end -------------------------------------------------

def test_messy_feed_imports_and_validates_clean(messy_import, messy):
    assert messy.meetings >= 300
    code, out, err = messy_import.code, messy_import.out, messy_import.err
    assert code == 0, "\n".join(out)
    result = validate_directory(str(messy_import.root))
    assert result.ok and result.problems == []
    assert len(result.listings) == messy.listings
    assert sum(len(l.meetings) for l in result.listings) == messy.meetings
    assert len([line for line in out if line.startswith("wrote directory/")]) == messy.listings
    assert err == (f"Imported {messy.meetings} meetings into {messy.listings} listings; 0 listings exist — not overwritten; "
                   f"{len(messy.skipped)} of {len(messy.rows)} feed entries not imported.\n")
    # Rows name their city: Chicago and Springfield are regions inside illinois, Peoria is not.
    assert {l.region for l in result.listings} == {"chicago", "springfield", "illinois"}
    assert {l.kind for l in result.listings} == {"group", "family-group"}


def test_every_row_that_cannot_be_imported_is_reported_with_its_reason(messy_import, messy):
    said = reported(messy_import.out)
    skipped = {row: [s for s in says if s.startswith("skipped — ")] for row, says in said.items()}
    assert {row for row, says in skipped.items() if says} == set(messy.skipped)
    for row, reason in messy.skipped.items():
        assert len(skipped[row]) == 1 and skipped[row][0].startswith(f"skipped — {reason}"), (row, said[row])


def test_values_dropped_from_imported_rows_are_reported(messy_import, messy):
    said = reported(messy_import.out)
    for row, what in messy.dropped.items():
        assert any(s.startswith(what) for s in said.get(row, [])), (row, what, said.get(row))


def test_written_listings_read_well(messy_import):
    root = messy_import.root
    text = (root / "groups" / "every-weekday-group.yml").read_text(encoding="utf-8")
    assert text.splitlines()[:2] == ["# yaml-language-server: $schema=../../docs/schema/group.schema.json",
                                     "# Imported from the Meeting Guide feed feed.json."]
    fields = [line.split(":")[0] for line in text.splitlines() if re.match(r"^[a-z_]+:", line)]
    order = [f.name for f in GROUP.fields]
    assert fields == sorted(fields, key=order.index) == ["name", "fellowship", "region", "location", "meetings"]
    assert '    time: "07:00"' in text  # times in quotes; "7:00 AM" in the feed
    assert text.count("  - day: ") == 5  # day: [1, 2, 3, 4, 5] in one entry
    family = next((root / "family-groups").iterdir()).read_text(encoding="utf-8")
    assert family.startswith("# yaml-language-server: $schema=../../docs/schema/family-group.schema.json\n")


# --- conflicts ---------------------------------------------------------------------

def test_an_existing_listing_is_never_overwritten(directory, capsys):
    existing = directory.group("group-0", VALID_GROUP)
    code, out, err = run(capsys, write_feed(rows({}, {})), "--region", "illinois")
    assert code == 0
    assert existing.read_text(encoding="utf-8") == VALID_GROUP
    assert out == ["directory/groups/group-0.yml: warning: exists — not overwritten; 'Group 0' from feed.json [0] was not imported",
                   "wrote directory/groups/group-1.yml"]
    assert err == "Imported 1 meetings into 1 listings; 1 listings exist — not overwritten; 1 of 2 feed entries not imported.\n"


def test_a_slug_taken_in_another_folder_is_a_conflict_too(directory, capsys):
    directory.family_group("group-0", VALID_GROUP.replace("fellowship: aa", "fellowship: al-anon"))
    _, out, _ = run(capsys, write_feed(rows({})), "--region", "illinois")
    assert out == ["directory/family-groups/group-0.yml: warning: exists — not overwritten; 'Group 0' from feed.json [0] was not imported"]
    assert not (directory.root / "groups" / "group-0.yml").exists()


def test_importing_twice_changes_nothing(messy_import, messy, capsys, monkeypatch):
    root = messy_import.root
    monkeypatch.chdir(root.parent)
    before = {p: p.read_bytes() for p in root.rglob("*.yml")}
    code, out, err = run(capsys, "feed.json", "--region", "illinois")
    assert code == 0
    assert {p: p.read_bytes() for p in root.rglob("*.yml")} == before
    assert not [line for line in out if line.startswith("wrote")]
    assert err.startswith(f"Imported 0 meetings into 0 listings; {messy.listings} listings exist — not overwritten;")


def test_dry_run_writes_nothing(directory, capsys):
    code, out, err = run(capsys, write_feed(rows({})), "--region", "illinois", "--dry-run")
    assert (code, out) == (0, ["would write directory/groups/group-0.yml"])
    assert err.startswith("Would import 1 meetings into 1 listings;")
    assert not (directory.root / "groups" / "group-0.yml").exists()


def test_problems_in_the_written_files_exit_1(directory, capsys):
    # Two fellowships' groups with one name at one address: two listings, which
    # validation flags as a likely duplicate.
    feed = rows({"name": "Serenity", "fellowship": "aa"}, {"name": "Serenity", "fellowship": "NA", "day": 2})
    code, out, _ = run(capsys, write_feed(feed), "--region", "illinois")
    assert code == 1
    assert out[-1] == ("directory/groups/serenity-chicago.yml:6:7: name: has the same name and address as "
                       "directory/groups/serenity.yml — if it is the same group, merge the two files into one")


# --- command line -------------------------------------------------------------------

def test_unknown_region_or_fellowship_is_a_usage_error(directory, capsys):
    feed = write_feed(rows({}))
    assert run(capsys, feed, "--region", "chicgo")[::2] == (
        2, "recovery-directory import: --region 'chicgo' is not known — did you mean 'chicago'?\n")
    assert run(capsys, feed, "--region", "chicago", "--fellowship", "alanon")[::2] == (
        2, "recovery-directory import: --fellowship 'alanon' is not known — did you mean 'al-anon'?\n")


def test_a_missing_file_or_not_a_feed(directory, capsys):
    assert run(capsys, "nothing.json", "--region", "chicago")[::2] == (2, "recovery-directory import: nothing.json: no such file\n")
    write_feed({"meetings": []}, "object.json")
    assert run(capsys, "object.json", "--region", "chicago")[::2] == (
        1, "object.json: is not a Meeting Guide feed — expected a JSON array of meetings, found an object\n")
    with pytest.raises(FeedError, match="^is not JSON"):
        parse_feed(b"<html>")


def test_directory_option_after_the_format(directory, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path.parent)
    feed = str(tmp_path / write_feed(rows({}), str(tmp_path / "feed.json")))
    code, out, _ = run(capsys, feed, "--region", "chicago", "--directory", str(directory.root))
    assert code == 0 and (directory.root / "groups" / "group-0.yml").exists()


# --- mapping, row by row ---------------------------------------------------------------

def test_times_days_and_types_are_mapped(directory):
    result = imported(directory, rows(
        {"day": "3", "time": "7:00 PM", "end_time": "20:30:00", "types": ["o", 11, "12x12", "ONL", "HY"]},
        {"day": ["1", 5], "time": "12:00 pm"},
        {"day": "Saturday", "time": "12:30 AM"},
    ))
    meetings = [m for listing in result.listings for m in listing.data["meetings"]]
    assert meetings == [
        {"time": "19:00", "end_time": "20:30", "types": ["O", "11", "12x12"], "day": "wednesday"},
        {"time": "12:00", "day": "monday"}, {"time": "12:00", "day": "friday"},
        {"time": "00:30", "day": "saturday"},
    ]
    # ONL is the derived online code: dropped without a word, unlike a code no one knows.
    assert [str(p) for p in result.problems] == [
        "feed.json: warning: [0]: 's0': types 'HY' dropped — not meeting types the directory knows (directory/meeting-types.yml)"]


def test_html_in_notes_becomes_plain_text():
    assert plain_text("<p>Side door.</p><p>Coffee &amp; cookies</p>") == "Side door.\n\nCoffee & cookies"
    assert plain_text("Big Book<br>study") == "Big Book\nstudy"
    assert plain_text("<ul><li>One</li><li>Two</li></ul>") == "- One\n- Two"
    assert plain_text("Room 4 &nbsp;(upstairs)") == "Room 4 (upstairs)"
    assert plain_text("  plain  text, kept as is\r\n") == "plain  text, kept as is"
    assert plain_text("<b></b>") is None and plain_text(None) is None and plain_text(["x"]) is None


def test_online_hybrid_and_in_person_rows(directory):
    result = imported(directory, rows(
        {"name": "Online Only", "address": None, "city": None, "conference_url": "zoom.us/j/81234567890",
         "conference_url_notes": "Passcode 1", "conference_phone": "(312) 555-0142 ,,81234567890#", "conference_phone_notes": "Passcode 1"},
        {"name": "Approximate", "address": None, "city": "Chicago", "formatted_address": "Chicago, IL, USA", "approximate": "yes",
         "conference_url": "https://meet.jit.si/x", "latitude": 41.8, "longitude": -87.6},
        {"name": "Hybrid", "address": None, "city": None, "formatted_address": "4953 W Addison St, Chicago, IL 60641, USA",
         "location": "Alano Club", "conference_url": "https://zoom.us/j/1", "latitude": "41.946123456", "longitude": "-87.7512"},
    ))
    online, approximate, hybrid = (l.data for l in result.listings)
    assert "location" not in online and online["online"] == {
        "url": "https://zoom.us/j/81234567890", "phone": "+1 312 555 0142,,81234567890#", "notes": "Passcode 1"}
    assert "location" not in approximate and approximate["region"] == "chicago"
    assert hybrid["location"] == {"name": "Alano Club", "address": "4953 W Addison St", "city": "Chicago", "state": "IL",
                                  "postal_code": "60641", "latitude": 41.94612, "longitude": -87.7512}
    assert hybrid["online"] == {"url": "https://zoom.us/j/1"}
    assert result.problems == []


def test_rows_merge_by_group_and_place(directory):
    result = imported(directory, rows(
        {"group": "Serenity", "name": "Monday Night", "day": 1},
        {"group": "Serenity", "name": "Serenity", "day": 3, "group_notes": "Since 1975", "updated": "2025-03-01 10:00:00",
         "location_notes": "Upstairs"},
        {"group": "Serenity", "day": 5, "address": "9 Elm St", "updated": "2025-06-01 10:00:00"},  # another place
        {"name": "No Group", "day": 2}, {"name": "No Group", "day": 4},  # no group: name and address
    ))
    assert [(l.slug, [m["day"] for m in l.data["meetings"]]) for l in result.listings] == [
        ("serenity", ["monday", "wednesday"]), ("serenity-chicago", ["friday"]), ("no-group", ["tuesday", "thursday"])]
    first = result.listings[0].data
    assert first["meetings"][0]["notes"] == "Monday Night"  # the meeting's own name, kept
    assert (first["notes"], first["last_verified"].isoformat()) == ("Since 1975", "2025-03-01")
    assert "notes" not in first["location"]
    assert [str(p) for p in result.problems] == [
        "feed.json: warning: [1]: 's1': location or online details differ from the group's earlier meetings at this place — kept the first"]


def test_fellowship_from_the_row_or_the_option(directory):
    result = imported(directory, rows({"fellowship": "Al-Anon"}, {"fellowship": "NA"}, {"fellowship": "Gamblers Anonymous"}, {}),
                      fellowship="ca")
    assert [(l.kind, l.data["fellowship"]) for l in result.listings] == [
        ("family-group", "al-anon"), ("group", "na"), ("group", "ca"), ("group", "ca")]
    assert [str(p) for p in result.problems] == [
        "feed.json: warning: [2]: 's2': fellowship 'Gamblers Anonymous' is not in directory/fellowships.yml — imported as ca"]


def test_region_from_the_names_the_row_gives(directory):
    result = imported(directory, rows(
        {"regions": ["Illinois", "Chicago", "Wicker Park"]}, {"region": "Springfield", "city": "Capital"},
        {"city": "Peoria"}, {"region": "Austin", "city": "Peoria"}))
    # Austin is a region, but not inside illinois: the row stays in illinois.
    assert [l.data["region"] for l in result.listings] == ["chicago", "springfield", "illinois", "illinois"]


def test_time_zone_is_kept_only_when_it_is_not_the_regions(directory):
    result = imported(directory, rows({"timezone": "America/Chicago"}, {"timezone": "America/Denver"}, {"timezone": "Mars/Base"}))
    assert [l.data.get("timezone") for l in result.listings] == [None, "America/Denver", None]
    assert [str(p) for p in result.problems] == [
        "feed.json: warning: [2]: 's2': timezone 'Mars/Base' dropped — not an IANA time zone such as America/Chicago"]


def test_group_contact_fields(directory):
    result = imported(directory, rows(
        {"email": "group@example.org", "phone": "312-555-0142", "website": "https://example.org/g"},
        {"email": "not an address", "phone": "12", "website": "ftp://example.org"}))
    assert {k: result.listings[0].data[k] for k in ("email", "phone", "website")} == {
        "email": "group@example.org", "phone": "+1 312 555 0142", "website": "https://example.org/g"}
    assert not {"email", "phone", "website"} & set(result.listings[1].data)
    assert [str(p) for p in result.problems] == [
        "feed.json: warning: [1]: 's1': email 'not an address' dropped — not valid",
        "feed.json: warning: [1]: 's1': phone '12' dropped — not a phone number that can be dialled",
        "feed.json: warning: [1]: 's1': website 'ftp://example.org' dropped — not valid",
    ]


def test_a_feed_from_a_web_address(directory, capsys, tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    (served / "meetings.json").write_text(json.dumps(rows({})), encoding="utf-8")
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/meetings.json"
        code, out, _ = run(capsys, url, "--region", "chicago")
        assert (code, out) == (0, ["wrote directory/groups/group-0.yml"])
        assert f"# Imported from the Meeting Guide feed {url}." in (directory.root / "groups" / "group-0.yml").read_text(encoding="utf-8")
        code, _, err = run(capsys, url.replace("meetings", "missing"), "--region", "chicago")
        assert (code, err) == (1, f"{url.replace('meetings', 'missing')}: could not be downloaded (HTTP 404 File not found) — "
                                  "check the address and the connection, or download the file and pass its path\n")
    finally:
        server.shutdown()
        server.server_close()
