"""Export → import → export gives the same meetings: the Meeting Guide feed
carries everything a listing needs to come back as it was, and the importer
reads back everything the exporter writes."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

from conftest import REPO, REPO_DIRECTORY, TEST_REGIONS, VOCABULARY_FILES
from fixtures.messy_feed import messy_feed
from recovery_directory import cli
from recovery_directory.feeds.meeting_guide import Links, meetings_feed
from recovery_directory.feeds.meeting_guide_import import import_feed
from recovery_directory.validate import Directory, validate_directory
from recovery_directory.vocabularies import load_vocabularies

SITE_URL = "https://example.org/recovery-directory/"
EDIT_BASE = "https://github.com/example/recovery-directory/edit/main/docs/"


def fresh_directory(base: Path, regions: str | None = None) -> Path:
    """An empty ``base/directory`` with the repository's vocabularies."""
    root = base / "directory"
    for folder in ("groups", "family-groups", "treatment-centers"):
        (root / folder).mkdir(parents=True)
    for name in VOCABULARY_FILES:
        shutil.copyfile(REPO_DIRECTORY / name, root / name)
    if regions is not None:
        (root / "regions.yml").write_text(regions, encoding="utf-8")
    return root


def export(directory: Directory, docs: Path) -> list[dict]:
    assert directory.ok and directory.problems == [], [str(p) for p in directory.problems]
    feed = meetings_feed(directory.listings, directory.vocabularies, Links(SITE_URL, EDIT_BASE, str(docs)))
    return sorted(feed, key=lambda meeting: meeting["slug"])


def by_top_region(feed: list[dict], root: Path) -> dict[str, list[dict]]:
    """The feed split by state, as someone imports a multi-state feed: one run per --region."""
    tops = {region.name: region.slug for region in load_vocabularies(str(root)).top_regions}
    batches: dict[str, list[dict]] = defaultdict(list)
    for meeting in feed:
        batches[tops[meeting["regions"][0]]].append(meeting)
    return batches


def reimport(feed: list[dict], base: Path, regions: str | None = None) -> Directory:
    """The feed imported (the pure functions) into a new directory under ``base``."""
    root = fresh_directory(base, regions)
    vocabularies = load_vocabularies(str(root))
    for region, rows in by_top_region(feed, root).items():
        result = import_feed(rows, vocabularies, region, "aa", "feed.json")
        assert result.problems == [], [str(p) for p in result.problems]
        for listing in result.listings:
            Path(listing.path(str(root))).write_text(listing.text("feed.json"), encoding="utf-8")
    return validate_directory(str(root))


def differences(first: list[dict], second: list[dict]) -> list:
    """What differs, meeting by meeting, for a readable failure."""
    out = [("slugs", sorted({m["slug"] for m in first} ^ {m["slug"] for m in second}))]
    for a, b in zip(first, second):
        out += [(a["slug"], key, a.get(key), b.get(key)) for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key)]
    return [d for d in out if d != ("slugs", [])]


def test_example_directory_round_trip_through_the_command(tmp_path, monkeypatch, capsys):
    original = export(validate_directory(str(REPO_DIRECTORY)), REPO / "docs")
    root = fresh_directory(tmp_path)
    monkeypatch.chdir(tmp_path)
    for region, rows in by_top_region(original, root).items():
        Path(f"{region}.json").write_text(json.dumps(rows), encoding="utf-8")
        assert cli.main(["import", "meeting-guide", f"{region}.json", "--region", region]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert [line for line in printed if not line.startswith("wrote ")] == []
    again = export(validate_directory("directory"), tmp_path / "docs")
    assert differences(original, again) == []
    assert again == original


def test_every_shape_of_listing_round_trips(make_directory, tmp_path):
    shapes = {
        # Hybrid, coordinates, contact fields, its own time zone, languages.
        "groups/hybrid-bilingual.yml": """\
name: Hybrid Bilingual Group
fellowship: aa
region: chicago
location:
  name: St. Mark's
  address: 1 Main St
  city: Chicago
  postal_code: "60601"
  latitude: 41.8781136
  longitude: -87.6297982
  notes: Side door
online:
  url: https://zoom.us/j/1234567890
  phone: "+1 312 555 0100,,1234567890#"
  notes: Passcode serenity
meetings:
  - {day: sunday, time: "23:30", end_time: "00:30", types: [O, D], notes: "Late night\\nSecond line"}
  - {day: monday, time: "07:00"}
timezone: America/Denver
languages: [es, en]
website: https://example.org/hybrid
email: hybrid@example.org
phone: "+1 312 555 0101"
notes: About the group
last_verified: 2026-01-15
""",
        # Phone only; a family group; a region at the top of the hierarchy.
        "family-groups/dial-in-al-anon.yml": """\
name: Dial-In Al-Anon
fellowship: al-anon
region: texas
online:
  phone: "+1 512 555 0102"
meetings:
  - {day: saturday, time: "12:00", types: [C]}
""",
        # A slug too long for the feed as it is, and a name that is not its slug.
        "groups/the-very-long-named-downtown-serenity-group-of-springfield-illinois.yml": """\
name: Downtown Serenity
fellowship: na
region: springfield
location: {address: 123 Main St, city: Springfield, state: IL, country: US}
meetings:
  - {day: friday, time: "19:30", types: ["11", "12x12"]}
""",
    }
    original_dir = make_directory(shapes)
    original = export(original_dir.validate(), tmp_path / "docs")
    assert len(original) == 4
    again = export(reimport(original, tmp_path / "again", TEST_REGIONS), tmp_path / "again" / "docs")
    assert differences(original, again) == []


def test_messy_feed_round_trips_once_imported(tmp_path):
    """What a messy feed becomes is stable: exporting it and importing that
    again gives the same listings, and so the same feed."""
    messy = messy_feed()
    root = fresh_directory(tmp_path / "first", TEST_REGIONS)
    result = import_feed(messy.rows, load_vocabularies(str(root)), "illinois", "aa", "feed.json")
    for listing in result.listings:
        Path(listing.path(str(root))).write_text(listing.text("feed.json"), encoding="utf-8")
    first = export(validate_directory(str(root)), tmp_path / "first" / "docs")
    assert len(first) == messy.meetings
    second = export(reimport(first, tmp_path / "second", TEST_REGIONS), tmp_path / "second" / "docs")
    assert differences(first, second) == []
