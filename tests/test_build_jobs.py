"""How many languages `recovery-directory build` builds at once: one per core,
as many as fit in the memory budget for the directory's size."""

from __future__ import annotations

from pathlib import Path

from recovery_directory.build_command import MEMORY_BUDGET_MIB, count_listings, default_jobs

REPO = Path(__file__).resolve().parent.parent


def test_languages_build_side_by_side_while_they_fit():
    assert default_jobs(47, languages=2, cores=2) == 2
    assert default_jobs(40_000, languages=2, cores=2) == 2
    assert default_jobs(47, languages=2, cores=1) == 1
    assert default_jobs(47, languages=1, cores=4) == 1


def test_a_national_directory_builds_its_languages_in_turn():
    assert default_jobs(50_000, languages=2, cores=2) == 1
    assert default_jobs(100_000, languages=2, cores=2) == 1
    assert default_jobs(10_000_000, languages=2, cores=2) == 1  # never fewer than one
    assert MEMORY_BUDGET_MIB == 2048


def test_listings_are_counted_in_the_kind_folders():
    expected = sum(len(list((REPO / "directory" / folder).glob("*.yml")))
                   for folder in ("groups", "family-groups", "treatment-centers"))
    assert count_listings(str(REPO / "directory")) == expected > 40
    assert count_listings(str(REPO / "no-such-folder")) == 0
