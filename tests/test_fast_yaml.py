"""The fast listing loader gives exactly what PyYAML's own construction gives.

safe_yaml builds values straight from the C parser's events and leaves anything
unusual (tags, anchors, repeated keys, syntax errors …) to ``yaml.load`` with
ListingLoader. These tests hold the two to the same values, the same types and
the same messages.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
import yaml

from recovery_directory import safe_yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import generate  # noqa: E402

TRICKY = [
    "",
    "---\n",
    "# only a comment\n",
    "a: 1\n",
    "time: 19:30\nzip: 02134\ncountry: NO\nyes: on\n",
    "a: true\nb: False\nc: TRUE\nd: tRuE\ne: ~\nf: null\ng: Null\nh:\ni: NULL\n",
    "a: 0\nb: -0\nc: +0\nd: 12\ne: -12\nf: +12\ng: 007\nh: 0x1f\ni: 0o17\nj: 1_000\nk: 0b101\n",
    "a: 1.5\nb: -1.5\nc: .5\nd: 1.\ne: 1e3\nf: -1E-3\ng: .inf\nh: -.Inf\ni: +.INF\nj: .nan\nk: -0.0\nl: 1_0.5\n",
    "a: 2026-03-01\nb: 2026-13-01\nc: 2026-02-30\nd: 2026-3-1\ne: 2026-03-01 19:30:00\n"
    "f: 2026-03-01T19:30:00Z\ng: 2026-03-01t19:30:00.5+02:00\nh: '2026-03-01'\n",
    'a: "19:30"\nb: \'NO\'\nc: |\n  two\n  lines\nd: >\n  folded\n  text\ne: "1"\n',
    "a: [1, two, 3.0, ~, {b: c}]\nd:\n  - e: f\n    g: [h]\n  - []\n  - {}\n",
    "1: one\ntrue: yes\n~: nothing\n2026-03-01: a date key\n1.5: float key\n",
    "true: a\nTrue: b\n1: c\n+1: d\n",  # different keys as written, one key once read
    "- a\n- b\n",
    "just text\n",
    "'quoted'\n",
    "a: {b: {c: {d: {e: [1, [2, [3]]]}}}}\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "text: caf\u00e9 \u2014 \U0001F600\n",
    "<<: {a: 1}\nb: 2\n",
    "=: 1\n",
    # Refused or unusual: the slow path decides.
    "a: 1\na: 2\n",
    "a: 1\n'a': 2\n",
    "? [a, b]\n: x\n",
    "? {a: b}\n: x\n",
    "a: &x 1\nb: *x\n",
    "a: *x\n",
    "a: !!str 12\n",
    "a: !!int '12'\n",
    "a: ! 12\n",
    "a: !!python/object:os.system x\n",
    "a: !custom x\n",
    "!!map {a: 1}\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\n",
    "a: 1\n---\nb: 2\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "  a: 1\n b: 2\n",
    "a: '\n",
    "\t a: 1\n",
    "[" * 100 + "]" * 100,
    "[" * 2000,
    "a: " + "9" * 5000 + "\n",
    "a: @b\n",
    "a: `b`\n",
]


def same(a, b) -> bool:
    """Equal values of the same types, all the way down (dict order too)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, dict):
        return list(map(type, a)) == list(map(type, b)) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def reference(text: str):
    """PyYAML's construction with our resolver: the value, or the exception's type and text."""
    try:
        return "value", yaml.load(text, Loader=safe_yaml.ListingLoader)  # noqa: S506 - a safe loader
    except Exception as exc:  # noqa: BLE001
        return "error", (type(exc), str(exc))


def assert_fast_matches(text: str) -> None:
    outcome, expected = reference(text)
    try:
        got = safe_yaml._fast_load(text)
    except Exception:  # noqa: BLE001 - the caller then takes the slow path
        return
    assert outcome == "value", f"the fast loader accepted what PyYAML refuses ({expected}):\n{text[:200]}"
    assert same(got, expected), f"{got!r} != {expected!r}\n{text[:200]}"


def assert_documents_match(raw: bytes, monkeypatch) -> None:
    fast = safe_yaml.parse_bytes(raw, "x.yml")
    with monkeypatch.context() as patch:
        patch.setattr(safe_yaml, "_fast_load", _always_slow)
        slow = safe_yaml.parse_bytes(raw, "x.yml")
    assert fast.problems == slow.problems
    assert fast.text == slow.text
    assert same(fast.data, slow.data), f"{fast.data!r} != {slow.data!r}"


def _always_slow(text):
    raise safe_yaml._Unusual("take the slow path")


def test_the_resolver_has_no_catch_all_patterns():
    # _fast_scalar looks up patterns by first character only, as PyYAML does when none is registered for None.
    assert None not in safe_yaml.ListingLoader.yaml_implicit_resolvers


@pytest.mark.parametrize("text", TRICKY, ids=range(len(TRICKY)))
def test_tricky_input_reads_the_same(text, monkeypatch):
    assert_fast_matches(text)
    assert_documents_match(text.encode("utf-8"), monkeypatch)


def test_ordinary_listings_take_the_fast_path():
    assert safe_yaml._fast_load("name: A\nmeetings:\n  - day: monday\n    time: '19:30'\n") == {
        "name": "A", "meetings": [{"day": "monday", "time": "19:30"}]}
    for text in ("a: 1\na: 2\n", "a: &x 1\n", "a: !!str 1\n", "a: [1\n", "a: 1\n---\nb: 2\n"):
        with pytest.raises(Exception):
            safe_yaml._fast_load(text)


def _yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def test_example_directory_reads_the_same(monkeypatch):
    files = _yaml_files(REPO / "directory")
    assert len(files) > 20
    for path in files:
        raw = path.read_bytes()
        assert_fast_matches(raw.decode("utf-8"))
        assert_documents_match(raw, monkeypatch)


def test_bad_corpus_reads_the_same(monkeypatch):
    files = _yaml_files(REPO / "tests" / "bad-listings")
    assert len(files) >= 15
    for path in files:
        raw = path.read_bytes()
        assert_documents_match(raw, monkeypatch)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        assert_fast_matches(text)


def test_generated_listings_read_the_same(tmp_path, monkeypatch):
    generate.generate(300, str(tmp_path / "directory"), seed=3)
    files = [p for p in _yaml_files(tmp_path / "directory") if p.suffix == ".yml"]
    assert len(files) >= 300
    for path in files:
        raw = path.read_bytes()
        assert_fast_matches(raw.decode("utf-8"))
        assert_documents_match(raw, monkeypatch)


def _validated_both_ways(monkeypatch, run):
    fast = run()
    with monkeypatch.context() as patch:
        patch.setattr(safe_yaml, "_fast_load", _always_slow)
        slow = run()
    return fast, slow


def test_generated_directory_gives_the_same_listings(tmp_path, monkeypatch):
    from recovery_directory.validate import validate_directory

    root = tmp_path / "directory"
    generate.generate(300, str(root), seed=5)
    monkeypatch.chdir(tmp_path)
    fast, slow = _validated_both_ways(monkeypatch, lambda: validate_directory("directory"))
    assert fast.files_checked == slow.files_checked >= 300
    assert fast.listings == slow.listings and len(fast.listings) == fast.files_checked
    assert [str(p) for p in fast.problems] == [str(p) for p in slow.problems]


def test_bad_corpus_gives_the_same_problem_lines(monkeypatch):
    from recovery_directory.validate import validate_paths

    monkeypatch.chdir(REPO)
    folders = [f"tests/bad-listings/{folder}" for folder in ("groups", "family-groups", "treatment-centers")]
    fast, slow = _validated_both_ways(monkeypatch, lambda: validate_paths(folders, root="directory"))
    assert fast.files_checked == slow.files_checked >= 15
    assert fast.listings == slow.listings == []
    assert [str(p) for p in fast.problems] == [str(p) for p in slow.problems]
