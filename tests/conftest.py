"""Shared fixtures: a throw-away copy of the directory to write listings into.

``make_directory()`` copies the repository's vocabularies (directory/*.yml) into
``tmp_path/directory``, replaces ``regions.yml`` with a small fixed one so that
tests do not depend on the example data, and changes into ``tmp_path`` so that
problems print as ``directory/groups/x.yml:3:7: field: message``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from recovery_directory.validate import Directory, validate_directory, validate_paths

REPO = Path(__file__).resolve().parent.parent
REPO_DIRECTORY = REPO / "directory"
VOCABULARY_FILES = (
    "meeting-types.yml",
    "fellowships.yml",
    "services.yml",
    "payment.yml",
    "populations.yml",
    "regions.yml",
)

# Our own regions, so tests never depend on what the example data holds.
TEST_REGIONS = """\
- slug: illinois
  name: Illinois
  state: IL
  timezone: America/Chicago
  regions:
    - slug: springfield
      name: Springfield
    - slug: chicago
      name: Chicago
- slug: texas
  name: Texas
  state: TX
  timezone: America/Chicago
  regions:
    - slug: austin
      name: Austin
"""

# Small valid listings, one per kind, for tests that need a clean neighbour.
VALID_GROUP = """\
name: Downtown Serenity Group
fellowship: aa
region: springfield
location:
  address: 123 Main St
  city: Springfield
meetings:
  - day: monday
    time: "19:30"
    types: [O, D]
"""

VALID_FAMILY_GROUP = """\
name: Hope for Today Al-Anon
fellowship: al-anon
region: chicago
online:
  url: https://zoom.us/j/1234567890
meetings:
  - day: tuesday
    time: "19:00"
"""

VALID_TREATMENT_CENTER = """\
name: Prairie Recovery Center
region: austin
location:
  address: 500 Congress Ave
  city: Austin
  state: TX
phone: "+1 512 555 0100"
services: [detox, residential]
payment: [medicaid, self-pay]
"""


class TempDirectory:
    """A ``directory/`` under a temporary folder that tests write listings into."""

    def __init__(self, base: Path):
        self.base = base
        self.root = base / "directory"

    def write(self, relative: str, text: str | bytes) -> Path:
        """Write ``text`` to ``directory/<relative>``, e.g. ``groups/x.yml``."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def group(self, slug: str, text: str) -> Path:
        return self.write(f"groups/{slug}.yml", text)

    def family_group(self, slug: str, text: str) -> Path:
        return self.write(f"family-groups/{slug}.yml", text)

    def treatment_center(self, slug: str, text: str) -> Path:
        return self.write(f"treatment-centers/{slug}.yml", text)

    def validate(self, *paths: str | os.PathLike) -> Directory:
        """Validate everything, or only ``paths`` (as a pull request's changes)."""
        if paths:
            return validate_paths([os.path.relpath(p, self.base) for p in paths], "directory")
        return validate_directory("directory")

    def lines(self, *paths: str | os.PathLike) -> list[str]:
        """The problems as printed: ``directory/groups/x.yml:3:7: field: message``."""
        return [str(problem) for problem in self.validate(*paths).problems]


@pytest.fixture
def make_directory(tmp_path, monkeypatch):
    """Factory: ``make_directory({"groups/x.yml": "name: …"})`` → :class:`TempDirectory`.

    The working directory becomes ``tmp_path`` for the rest of the test.
    ``regions`` replaces the test regions.yml (``None`` keeps the repository's).
    """
    monkeypatch.chdir(tmp_path)

    def make(files: dict[str, str | bytes] | None = None, regions: str | None = TEST_REGIONS) -> TempDirectory:
        directory = TempDirectory(tmp_path)
        directory.root.mkdir(exist_ok=True)
        for name in VOCABULARY_FILES:
            shutil.copyfile(REPO_DIRECTORY / name, directory.root / name)
        if regions is not None:
            (directory.root / "regions.yml").write_text(regions, encoding="utf-8")
        for kind in ("groups", "family-groups", "treatment-centers"):
            (directory.root / kind).mkdir(exist_ok=True)
        for relative, text in (files or {}).items():
            directory.write(relative, text)
        return directory

    return make


@pytest.fixture
def problem_lines(make_directory):
    """Shortcut: write the files, validate the whole directory, return the lines."""

    def run(files: dict[str, str | bytes]) -> list[str]:
        return make_directory(files).lines()

    return run
