"""The directory prepared once for every language (prepared.py): what a build
gets from the command is what it would have made itself, and a directory with
errors stops the command before any language is built."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from listing_texts import GROUP
from recovery_directory import build_command
from recovery_directory.cli import main
from recovery_directory.geo_index import covered_states
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


def test_the_command_makes_the_places_data_once_for_every_language(tmp_path, monkeypatch):
    assert prepare(EXAMPLE).places is None  # a build on its own writes its places as it goes
    assert prepared_main([EXAMPLE, str(tmp_path), "--quiet"]) == 0
    monkeypatch.setenv(PREPARED_ENV, str(tmp_path / PREPARED_FILE))
    prepared = handed_over(EXAMPLE)
    assert prepared.places.states == covered_states(prepared.model) and prepared.places.files


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
