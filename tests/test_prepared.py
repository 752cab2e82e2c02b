"""The directory prepared once for every language (prepared.py): what a build
gets from the command is what it would have made itself, and a directory with
errors stops the command before any language is built."""

from __future__ import annotations

import dataclasses
import datetime
import pickle
import re
import subprocess
import sys

import pytest

from listing_texts import GROUP
from recovery_directory import build_command
from recovery_directory.cli import main
from recovery_directory import shared_data
from recovery_directory.geo_index import write_geo_data
from recovery_directory.mkdocs_build import DirectoryBuild
from recovery_directory.offline import write_listings_data
from recovery_directory.shared_data import link_geo_data, link_listings_data, link_tree, write_shared_data
from recovery_directory.prepared import PREPARED_ENV, PREPARED_FILE, handed_over, prepare, save
from recovery_directory.prepared import main as prepared_main
from site_build import REPO

pytest_plugins = ["site_fixtures", "language_site_fixtures"]

EXAMPLE = str(REPO / "directory")
# What differs between any two builds: when they ran.
BUILD_STAMPS = re.compile(rb'<meta name="rd-built" content="[^"]*">|"revision": "[0-9a-f]+"|built [0-9a-f]{16}|"build": "[0-9a-f]+"')


def test_prepare_validates_enriches_and_groups_the_listings():
    said = []
    prepared = prepare(EXAMPLE, said.append)
    assert [line.split(" ")[0] for line in said] == ["validated", "geocoded", "grouped"]
    listings = prepared.directory.listings
    assert prepared.model.listings and len(prepared.model.listings) == len(listings) > 40
    assert all(listing.location.has_coordinates for listing in listings if listing.in_person)  # enriched
    assert all(listing.timezone for listing in listings)


def test_a_build_takes_the_prepared_directory_only_when_it_is_its_own(tmp_path, monkeypatch):
    monkeypatch.delenv(PREPARED_ENV, raising=False)
    assert handed_over(EXAMPLE) is None
    path = save(prepare(EXAMPLE), str(tmp_path))
    monkeypatch.setenv(PREPARED_ENV, path)
    prepared = handed_over(EXAMPLE)
    assert prepared is not None and prepared.model is not None
    assert sorted(l.slug for l in prepared.directory.listings) == sorted(l.slug for l in prepare(EXAMPLE).directory.listings)
    assert handed_over(str(tmp_path)) is None  # another directory: the build prepares its own


def test_the_command_writes_the_data_once_for_every_language(tmp_path, monkeypatch):
    assert prepare(EXAMPLE).data is None  # a build on its own writes its data/ as it goes
    data = tmp_path / "data-once"
    assert prepared_main([EXAMPLE, str(tmp_path), "--data", str(data), "--directions", "google", "--quiet"]) == 0
    monkeypatch.setenv(PREPARED_ENV, str(tmp_path / PREPARED_FILE))
    shared = handed_over(EXAMPLE).data
    assert shared.folder == str(data) and shared.directions == "google" and shared.today == datetime.date.today()
    written = {p.relative_to(data).parts[:2] for p in data.rglob("*.json")}
    assert written == {("data", "near"), ("data", "places"), ("data", "online"), ("data", "listings")}
    own = tmp_path / "own"
    assert write_geo_data(handed_over(EXAMPLE).model, str(own)) == shared.geo
    assert write_listings_data(handed_over(EXAMPLE).model, str(own), "google") == shared.shards
    assert tree(own / "data") == tree(data / "data")


def test_a_build_links_the_shared_data_only_when_it_fits(tmp_path):
    """Hard links into the site (no new file); listings data only for the same
    directions, nothing from another day; a reused site keeps no stale file."""
    model = prepare(EXAMPLE).model
    shared = write_shared_data(model, str(tmp_path / "once"), "openstreetmap", datetime.date.today())
    site = tmp_path / "site"
    (site / "data" / "near").mkdir(parents=True)
    (site / "data" / "near" / "stale.json").write_text("{}")
    assert link_geo_data(shared, str(site)) == shared.geo
    assert link_listings_data(shared, str(site)) == shared.shards
    assert not (site / "data" / "near" / "stale.json").exists()
    assert tree(site / "data") == tree(tmp_path / "once" / "data")
    for path in (site / "data").rglob("*.json"):
        assert path.stat().st_ino == (tmp_path / "once" / path.relative_to(site)).stat().st_ino  # a link, not a copy

    build = DirectoryBuild(shared_data=shared)
    assert build._shared_data() is shared
    assert build._shared_data("openstreetmap") is shared
    assert build._shared_data("google") is None  # its directions differ: its own data/listings/
    build.shared_data = dataclasses.replace(shared, today=datetime.date.today() - datetime.timedelta(days=1))
    assert build._shared_data() is None  # built past midnight: its own, as of today


def test_link_tree_copies_where_links_are_refused(tmp_path, monkeypatch):
    source = tmp_path / "source" / "a"
    source.mkdir(parents=True)
    (source / "x.json").write_text("[1]")

    def refuse(*args):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(shared_data.os, "link", refuse)
    assert link_tree(str(tmp_path / "source"), str(tmp_path / "target")) == 1
    assert (tmp_path / "target" / "a" / "x.json").read_text() == "[1]"


def tree(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_directory_with_errors_stops_before_any_build(make_directory, tmp_path):
    directory = make_directory({"groups/broken.yml": GROUP.replace("19:30", "25:00")})
    out = tmp_path / "prepared"
    out.mkdir()
    run = subprocess.run([sys.executable, "-m", "recovery_directory.prepared", str(directory.root), str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert re.search(r"groups/broken\.yml:\d+:\d+: meetings\[0\]\.time: '25:00' is not a time", run.stderr), run.stderr
    assert "1 problems in the directory — fix them and build again" in run.stderr
    assert not any(out.iterdir())  # nothing saved


def test_languages_built_from_one_preparation_are_the_languages_built_each_on_its_own(
        languages_build, tmp_path, monkeypatch, capfd):
    """The whole site, prepared once (as from 5,000 listings), byte for byte the
    site whose languages each prepared their own (the example's size)."""
    assert not build_command.prepare_once(47, 2) and build_command.prepare_once(build_command.PREPARE_ONCE_FROM, 2)
    assert not build_command.prepare_once(100_000, 1)
    monkeypatch.setattr(build_command, "PREPARE_ONCE_FROM", 0)
    monkeypatch.chdir(REPO)
    site = tmp_path / "site"
    assert main(["build", "--no-search", "-d", str(site)]) == 0
    said = capfd.readouterr().err
    assert re.search(r"^recovery-directory: validated \d+ listing files", said, re.M), said
    assert said.count("validated ") == 1  # once, not once a language
    assert re.search(r"^es \| .*recovery-directory: generated \d+ pages", said, re.M), said
    reference = languages_build.site_dir
    ours = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(reference) for p in reference.rglob("*") if p.is_file() and "pagefind" not in p.parts)
    assert ours == theirs
    differing = [str(path) for path in ours
                 if BUILD_STAMPS.sub(b"", (site / path).read_bytes()) != BUILD_STAMPS.sub(b"", (reference / path).read_bytes())]
    assert differing == []
    # data/ was written once, beside the site, and linked into each language's site
    for path in ("data/listings/index.json", "data/places/zip/606.json", "data/online/index.json"):
        assert (site / path).stat().st_ino == (site / "es" / path).stat().st_ino, path
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # the shared data's folder is gone


def test_the_prepared_model_survives_its_pickle_whole():
    """Neighbour and MeetingRow pickle by their values (__reduce__): the same
    rows and neighbours come back, and they stay frozen."""
    model = prepare(EXAMPLE).model
    again = pickle.loads(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    assert [(n.listing.slug, n.km, n.approximate) for listing in model.listings for n in getattr(model.neighbours.get(listing.slug), "groups", ())] == \
        [(n.listing.slug, n.km, n.approximate) for listing in again.listings for n in getattr(again.neighbours.get(listing.slug), "groups", ())] != []
    rows = [(r.listing.slug, r.meeting.day, r.meeting.time) for rows in model.by_type.values() for r in rows]
    assert rows and rows == [(r.listing.slug, r.meeting.day, r.meeting.time) for rows in again.by_type.values() for r in rows]
    row = next(iter(again.by_type.values()))[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.listing = None
