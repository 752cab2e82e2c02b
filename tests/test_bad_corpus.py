"""The corpus in tests/bad-listings/: listing files each wrong in one way, laid
out like the directory's kind folders. Each starts with ``# expect: <text>``, a
piece of the message it must be rejected with.

Each file is checked as a pull request's changed file would be: with
``validate_paths`` against the repository's real vocabularies in directory/.
The files use the regions chicago and austin.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from recovery_directory.validate import validate_paths

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "bad-listings"
KIND_FOLDERS = ("groups", "family-groups", "treatment-centers")
EXPECT = b"# expect: "


def corpus_files() -> list[Path]:
    return sorted(path for folder in KIND_FOLDERS for path in (CORPUS / folder).iterdir())


def expectation(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0]
    assert first.startswith(EXPECT), f"{path.name} must start with '# expect: <part of the message>'"
    return first[len(EXPECT):].decode("utf-8").strip()


def test_corpus_covers_every_kind_folder():
    files = corpus_files()
    assert len(files) >= 15
    assert {path.parent.name for path in files} == set(KIND_FOLDERS)
    assert all(expectation(path) for path in files)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bad_listing_is_rejected(path, monkeypatch):
    monkeypatch.chdir(REPO)
    relative = path.relative_to(REPO)
    result = validate_paths([str(relative)], root="directory")
    lines = [str(problem) for problem in result.problems]

    assert result.files_checked == 1
    assert result.listings == [], "a rejected file must not produce a listing"
    assert len(result.errors) == 1, "each corpus file is wrong in exactly one way:\n" + "\n".join(lines)
    [line] = lines
    assert line.startswith(f"{relative}:")
    assert expectation(path) in line
