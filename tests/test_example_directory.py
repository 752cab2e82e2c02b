"""The example directory shipped in directory/ is clean and shows every case the
site has to handle: all three kinds of listing, and in-person, online and
hybrid attendance."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from recovery_directory.listing import HYBRID, IN_PERSON, ONLINE
from recovery_directory.schema import KINDS
from recovery_directory.validate import validate_directory

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def example():
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        return validate_directory("directory")


def test_example_directory_has_no_errors(example):
    assert [str(p) for p in example.errors] == []


def test_example_directory_has_no_warnings(example):
    assert [str(p) for p in example.warnings] == []


def test_example_directory_has_at_least_40_listings(example):
    assert len(example.listings) >= 40
    assert example.files_checked == len(example.listings)


def test_example_directory_has_every_kind(example):
    kinds = Counter(listing.kind for listing in example.listings)
    assert set(kinds) == {kind.key for kind in KINDS}, kinds


def test_example_directory_has_every_attendance(example):
    attendance = Counter(listing.attendance for listing in example.listings)
    assert set(attendance) == {IN_PERSON, ONLINE, HYBRID}, attendance
