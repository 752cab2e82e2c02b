"""benchmarks/scale_bench.py on canned input: reading the builds' progress lines and
time stamps, naming the processes it samples, and writing its tables. No build runs."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import measure  # noqa: E402
import scale_bench as sb  # noqa: E402

# What `recovery-directory build` prints: each language's MkDocs log under a
# header once both builds end, then its summary line.
OUTPUT = """\
--- en (mkdocs.yml) ---
INFO    -  Cleaning site directory
INFO    -  Building documentation to directory: /tmp/x/ours/site
INFO    -  recovery-directory: validated 1,000 listings (1.1 s)
INFO    -  recovery-directory: geocoded 1000 listings (offline) (3.5 s)
INFO    -  recovery-directory: generated 2524 pages (4.3 s)
INFO    -  recovery-directory: rendered pages (25.1 s)
INFO    -  recovery-directory: wrote near-me, online and calendar data (32.0 s)
INFO    -  recovery-directory: wrote the service worker (32.3 s)
INFO    -  Documentation built in 32.41 seconds
--- es (mkdocs.es.yml) ---
INFO    -  Cleaning site directory
INFO    -  recovery-directory: validated 1000 listings (1.2 s)
INFO    -  recovery-directory: split 12 region pages in 3 folders (2.0 s)
WARNING -  A warning about something
INFO    -  recovery-directory: rendered pages (26.0 s)
INFO    -  Documentation built in 26.20 seconds
Built en 35.4 s, es 36.0 s (2 at a time), indexed for search in 8.9 s: ../site/ in 44.9 s.
"""


def test_phase_names_and_counts():
    assert sb.phase_key("validated 1,000 listings") == ("validated", 1000)
    assert sb.phase_key("geocoded 1000 listings (offline)") == ("geocoded", 1000)
    assert sb.phase_key("generated 2524 pages") == ("generated pages", 2524)
    assert sb.phase_key("rendered pages") == ("rendered", None)
    assert sb.phase_key("wrote near-me, online and calendar data") == ("data", None)
    assert sb.phase_key("wrote the sitemap and the feeds") == ("sitemap, feeds", None)
    # A line the benchmark does not know yet is a phase of its own, numbers as N.
    assert sb.phase_key("split 40 region pages into 3.5 parts") == ("split N region pages into N parts", 40)


def test_the_output_of_the_build_command():
    parsed = sb.parse_output(OUTPUT)
    assert parsed["summary"]["each"] == {"en": 35.4, "es": 36.0}
    assert parsed["summary"]["jobs"] == 2 and parsed["summary"]["indexed"] == 8.9 and parsed["summary"]["total"] == 44.9
    en, es = parsed["languages"]["en"], parsed["languages"]["es"]
    assert [p["key"] for p in en["phases"]] == ["validated", "geocoded", "generated pages", "rendered", "data",
                                                "manifest, service worker", sb.REST]
    walls = [round(p["wall"], 2) for p in en["phases"]]
    assert walls == [1.1, 2.4, 0.8, 20.8, 6.9, 0.3, 0.11]  # each line's seconds minus the line before
    assert en["phases"][0]["count"] == 1000 and en["phases"][2]["count"] == 2524
    assert all(p["cpu"] is None for p in en["phases"])  # no stamps: no CPU
    assert en["built"] == 32.41 and en["warnings"] == []
    assert [p["key"] for p in es["phases"]] == ["validated", "split N region pages in N folders", "rendered", sb.REST]
    assert es["warnings"] == ["WARNING -  A warning about something"]
    assert len(es["lines"]) == 3 and es["lines"][0] == "recovery-directory: validated 1000 listings (1.2 s)"


def test_live_lines_marked_with_their_language():
    """recovery-directory build echoes each build's lines as they come, "<lang> | …", interleaved."""
    parsed = sb.parse_output(
        "en | INFO    -  recovery-directory: validated 5 listing files (loaded and checked) (0.2 s)\n"
        "es | INFO    -  recovery-directory: validated 5 listing files (loaded and checked) (0.3 s)\n"
        "en | INFO    -  recovery-directory: rendered 12 pages (1.5 s)\n"
        "Built en 2.0 s, es 2.1 s (2 at a time), indexed for search in 0.4 s: site/ in 2.6 s.\n")
    assert [p["key"] for p in parsed["languages"]["en"]["phases"]] == ["validated", "rendered"]
    assert [p["key"] for p in parsed["languages"]["es"]["phases"]] == ["validated"]
    assert parsed["summary"]["jobs"] == 2 and parsed["summary"]["each"] == {"en": 2.0, "es": 2.1}


def test_output_without_sections_or_summary():
    """One language built with plain mkdocs, or a summary line that has changed: no crash, what is there."""
    parsed = sb.parse_output("INFO - recovery-directory: validated 5 listings (0.2 s)\nsomething else\n")
    assert [p["key"] for p in parsed["languages"][""]["phases"]] == ["validated"]
    assert parsed["summary"]["each"] == {} and parsed["summary"]["indexed"] is None
    assert sb.parse_output("")["languages"] == {}


def test_time_stamped_phases_give_cpu_and_start_up():
    records = [
        {"t": 100.5, "cpu": 0.4, "rss": 40000, "message": "Cleaning site directory"},
        {"t": 100.6, "cpu": 0.45, "rss": 41000, "message": "Building documentation to directory: x"},
        {"t": 101.6, "cpu": 1.2, "rss": 50000, "message": "recovery-directory: validated 10 listings (1.1 s)"},
        {"t": 105.6, "cpu": 4.0, "rss": 90000, "message": "recovery-directory: rendered pages (5.1 s)"},
        {"t": 105.7, "cpu": 4.1, "rss": 91000, "message": "Documentation built in 5.25 seconds"},
        {"t": 106.0, "cpu": 4.2, "rss": 91000, "message": "recovery-directory: after the end (9.9 s)"},
    ]
    phases = sb.phases(records, {"t": 100.0, "cpu": 0.05})
    assert [p["key"] for p in phases] == [sb.START_UP, "validated", "rendered", sb.REST]  # stops at "Documentation built"
    assert [round(p["wall"], 2) for p in phases] == [0.5, 1.1, 4.0, 0.1]
    assert [round(p["cpu"], 2) for p in phases] == [0.35, 0.8, 2.8, 0.1]
    assert (phases[1]["t0"], phases[1]["t1"], phases[1]["rss_end"]) == (100.5, 101.6, 50000)


def test_stamp_files_and_languages(tmp_path):
    def write(pid, argv, *records):
        lines = [{"pid": pid, "argv": argv, "t": 1.0, "cpu": 0.01}, *records]
        (tmp_path / f"{pid}.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))

    record = {"t": 2.0, "cpu": 0.5, "rss": 1, "hwm": 2, "level": "INFO", "message": "Cleaning site directory", "package": None}
    write(11, ["/venv/bin/python", "-m", "mkdocs", "build", "-f", "/p/mkdocs.yml", "-d", "/p/site"], record)
    write(12, ["/venv/bin/python", "-m", "mkdocs", "build", "-f", "/p/mkdocs.es.yml", "-d", "/p/.site-es-1/es"], record)
    write(13, ["/venv/bin/python", "-c", "code"], record)  # not a build: left out
    (tmp_path / "14.jsonl").write_text("not json\n")
    stamps = sb.read_stamps(str(tmp_path))
    assert sorted(stamps) == ["en", "es"]
    assert stamps["es"]["pid"] == 12 and stamps["es"]["start"] == {"t": 1.0, "cpu": 0.01}
    assert sb.read_stamps(str(tmp_path / "missing")) == {}


@pytest.mark.parametrize("argv, label", [
    (["/v/bin/python", "-c", "import sys; from recovery_directory.cli import main; sys.exit(main())", "build", "-f", "m.yml"],
     "recovery-directory build"),
    (["/v/bin/python", "-c", "... recovery_directory.cli ...", "validate", "--directory", "d", "f.yml"], "recovery-directory validate"),
    (["/v/bin/python", "-m", "mkdocs", "build", "-f", "/w/ours/mkdocs.yml", "-d", "/w/ours/site", "--strict"], "mkdocs (en)"),
    (["/v/bin/python", "-m", "mkdocs", "build", "-f", "/w/ours/mkdocs.es.yml", "-d", "/w/ours/.site-es-x/es"], "mkdocs (es)"),
    (["/v/bin/python", "-m", "pagefind", "--site", "/w/ours/site"], "pagefind"),
    (["/v/lib/pagefind_bin/pagefind_extended", "--site", "/w/ours/site"], "pagefind"),
    (["/v/bin/python", "-c", "BUILD CODE", "/tmp/r.json", "build", "-d", "/w/bare/site"], "bare mkdocs (en)"),
    (["/v/bin/python", "-c", "BUILD CODE", "/tmp/r.json", "build", "-d", "/w/bare-es/site"], "bare mkdocs (es)"),
    (["/v/bin/python", "-m", "recovery_directory.prepared", "/d/directory", "/tmp/.recovery-directory-x"], "prepare"),
    (["/usr/bin/sleep", "1"], "sleep 1"),
])
def test_process_labels(argv, label):
    assert sb.process_label(argv) == label


def test_file_kinds_of_pagefind():
    kinds = {url: sb.file_kind("http://h/pagefind/" + url) for url in (
        "pagefind-ui.js", "pagefind-ui.css", "pagefind.js", "wasm.en.pagefind", "pagefind-entry.json",
        "pagefind.en_1a2b.pf_meta", "index/en_3c4d.pf_index", "fragment/en_5e.pf_fragment", "filter/en_6f.pf_filter")}
    assert list(kinds.values()) == ["UI", "UI", "pagefind.js", "wasm", "entry", "meta", "index", "fragments", "filters"]
    assert sb.file_kind("http://h/assets/x.js?v=1") == "other"
    # Our own search interface, Pagefind's worker, the manifest of the index's parts, a part's files.
    assert [sb.file_kind(url) for url in ("http://h/assets/directory/search.js", "http://h/pagefind/pagefind-worker.js",
                                          "http://h/pagefind/parts.json", "http://h/pagefind/en-3/pagefind.en_1a.pf_meta")] == [
        "UI", "pagefind.js", "parts", "meta"]


def test_sizes():
    assert sb.parse_sizes("1000, 10_000,50,000") == [1000, 10000, 50, 0]
    assert sb.parse_sizes("") == []


def _row(n: int, scale: float, memory_scale: float = 1.0, bare: bool = False) -> dict:
    """A measured size as run_size returns it, with made-up numbers that grow ``scale`` times."""
    parsed = sb.parse_output(OUTPUT)

    def language(offset: float) -> dict:
        entry = parsed["languages"]["en"]
        phases = []
        for i, ph in enumerate(entry["phases"]):
            ph = dict(ph, wall=ph["wall"] * scale, cpu=ph["wall"] * scale * 0.9 + offset, rss_kib=40000 * (i + 1) * memory_scale,
                      tree_kib=90000 * (i + 1) * memory_scale)
            phases.append(ph)
        return dict(entry, phases=phases, stamped=True)

    languages = {"en": language(0.0), "es": language(0.01)}
    phase_cpu = sum(ph["cpu"] for lang in languages.values() for ph in lang["phases"])
    ours = {
        "wall": 45.3 * scale, "cpu": phase_cpu + 7.2 * scale + 1.0, "load": 1.6, "load_after": 2.4,
        "peak_sum_kib": 700000 * memory_scale, "peak_at": 28.0,
        "peak_parts": {"mkdocs (en)": 330000 * memory_scale, "mkdocs (es)": 330000 * memory_scale, "recovery-directory build": 40000},
        "processes": {"mkdocs (en)": {"hwm_kib": 333000 * memory_scale}, "mkdocs (es)": {"hwm_kib": 334000 * memory_scale},
                      "pagefind": {"hwm_kib": 200000 * scale}},
        "summary": dict(parsed["summary"], each={"en": 35.4 * scale, "es": 36.0 * scale}, indexed=8.9 * scale),
        "languages": languages,
        "pagefind": {"wall": 8.9 * scale, "cpu": 7.2 * scale, "hwm_kib": 200000 * scale, "tree_kib": 240000 * scale},
        "stats": {"bytes": 200 * 2**20 * scale, "allocated": 240 * 2**20 * scale, "files": int(15639 * scale),
                  "html": {"en": int(2535 * scale), "es": int(2535 * scale)}, "indexed": {"en": n, "es": n}},
    }
    search = {"query": "Houston", "message": "24 results for Houston", "results": 5, "seconds": 1.0,
              "ui": {"sent": 32000, "raw": 90000, "requests": 2}, "after": {"sent": 140000, "raw": 250000, "requests": 18},
              "page": {"sent": 104000}, "kinds": {"UI": [2, 32000], "wasm": [1, 60000], "index": [3, 50000], "fragments": [5, 30000]},
              "first_search_sent": 172000, "first_search_requests": 20}
    near = [{"label": label, "requests": 3, "body": 20000, "headers": 3000, "gzip": 6000, "results": 25} for label, _ in sb.NEAR_ME]
    row = {"n": n, "summary": {"kinds": {"groups": n}, "attendance": {"online": n}, "meetings": 3 * n, "regions": 723},
           "validate": {"file": "groups/a.yml", "wall": 0.46, "cpu": 0.45, "hwm_kib": 43000},
           "ours": ours, "browser": {"search": search, "near": near}}
    if bare:
        row["bare"] = {"pages": n + 50, "wall": 11.2 * scale, "cpu": 11.8 * scale, "peak_sum_kib": 230000,
                       "builds": {"en": {"peak_kib": 52000}, "es": {"peak_kib": 51000}},
                       "pagefind": {"cpu_seconds": 3.2, "wall": 2.9, "peak_kib": 214000},
                       "stats": {"html": {"en": n + 51, "es": n + 51}}}
    return row


def test_tables_have_every_size_and_phase():
    rows = [_row(1000, 1.0, bare=True), _row(10000, 10.0, memory_scale=10.0)]
    # At 10,000 the index is in parts: the search page searched Texas, and everywhere as well.
    rows[1]["browser"]["search"] = dict(rows[1]["browser"]["search"], scope="texas",
                                        other_scopes={"*": [223600, 22, "*", "441 results for Houston"]})
    text = sb.tables(rows) + sb.notes(rows, 1, 1.5)
    for heading in ("### Totals", "### Time per phase", "### Memory per phase", "### Ours beside a bare mkdocs-material site",
                    "### Search, near me and the pull request check", "### Growing faster than the directory"):
        assert heading in text
    lines = text.splitlines()
    total = next(line for line in lines if line.startswith("| 10,000 |"))
    assert "25,350 + 25,350" in total and "| 6,836 |" in total  # pages per language; the tree's peak in MiB
    rendered = next(line for line in lines if line.startswith("| rendered |"))
    assert "(20.8 / 20.8)" in rendered and "(208.0 / 208.0)" in rendered
    assert rendered.count("|") == 2 + 2 * len(rows)  # a cell per size, and a CPU per 1,000 listings per size
    assert any(line.startswith(f"| {sb.PAGEFIND} | 7.2 (8.9) | 72.0 (89.0) |") for line in lines)
    searches = [line for line in lines if "| Houston |" in line]
    assert "| whole index |" in searches[0] and "| texas |" in searches[1] and "| *: 218.4 (22) |" in searches[1]
    bare = next(line for line in lines if line.startswith("| 1,000 | 5,070 |"))
    assert bare.endswith(f"| {rows[0]['ours']['cpu'] / 11.8:.2f} ({45.3 / 11.2:.2f}) | "
                         f"{(rows[0]['ours']['cpu'] / 5070) / (11.8 / 2102):.2f} |")
    # Every table row has as many cells as its header.
    for i, line in enumerate(lines):
        if line.startswith("| ---"):
            header = lines[i - 1]
            cells = header.count("|")
            j = i + 1
            while j < len(lines) and lines[j].startswith("| "):
                assert lines[j].count("|") - lines[j].count("\\|") == cells, (header, lines[j])
                j += 1


def test_growth_names_what_grows_faster_than_the_directory():
    linear = [_row(1000, 1.0), _row(10000, 10.0, memory_scale=10.0)]
    assert sb.growth(linear) == []
    worse = [_row(1000, 1.0), _row(10000, 10.0, memory_scale=30.0)]
    worse[1]["ours"]["languages"]["en"]["phases"][3]["cpu"] *= 3  # rendering three times slower per listing
    notes = sb.growth(worse)
    assert any(note.startswith("rendered: ") for note in notes)
    assert any(note.startswith("whole build, peak memory (sum): 3.00×") for note in notes)
    assert "whole build, peak memory" in sb.tables(worse)


def test_tree_sampler_sees_children_and_their_sum(tmp_path):
    """The sampler on a real child: a Python process that holds about 60 MiB for a moment."""
    code = "import time; x = bytearray(60 * 2**20); x[::4096] = b'1' * len(x[::4096]); time.sleep(0.6)"
    run = measure.run_sampled([sys.executable, "-c", code], str(tmp_path),
                              label=lambda argv: "holder" if "-c" in argv else "?")
    assert run["code"] == 0 and run["wall"] >= 0.5 and run["cpu"] > 0
    sampler = run["sampler"]
    assert sampler.samples >= 5
    holder = sampler.by_label()["holder"]
    assert holder["processes"] == 1 and holder["hwm_kib"] >= 60 * 1024
    assert sampler.peak_sum_kib >= 60 * 1024 and sampler.peak_parts["holder"] >= 60 * 1024
    assert sampler.peak_between(sampler.started, sampler.stopped) == sampler.peak_sum_kib
    assert os.getpid() not in {p.pid for p in sampler.processes.values()}  # the benchmark itself is left out


def test_a_failed_browser_measure_is_reported_not_fatal():
    row = _row(20000, 20.0, memory_scale=20.0)
    row["browser"] = {"search": None, "near": [row["browser"]["near"][1]],
                      "errors": ["search: Timeout 120000ms exceeded; the page's errors: none", "near me, ZIP 10001, New York: boom"]}
    text = sb.tables([_row(1000, 1.0), row])
    total = next(line for line in text.splitlines() if line.startswith("| 20,000 |"))
    assert "| – / 5.9 |" in total  # the search and the first near-me search failed, the second did not
    assert "- N = 20,000: search: Timeout 120000ms exceeded; the page's errors: none" in text


def test_a_straight_line_to_100000():
    rows = [_row(1000, 1.0), _row(10000, 10.0, memory_scale=10.0)]
    text = sb.tables(rows)
    assert "### A straight line to 100,000" in text
    cpu = next(line for line in text.splitlines() if line.startswith("| CPU seconds, whole command |"))
    a, b = rows[0]["ours"]["cpu"], rows[1]["ours"]["cpu"]
    assert cpu.endswith(f"| {b + (b - a) * 90000 / 9000:,.0f} |")
    search = next(line for line in text.splitlines() if line.startswith("| first search (KB gzip) |"))
    assert search == "| first search (KB gzip) | 168 | 168 | 168 |"  # flat stays flat
    assert "| PR check (s CPU)" not in text
    rows.append(_row(100000, 100.0))
    assert "straight line" not in sb.tables(rows)  # measured: nothing to draw


def test_cpu_of_a_process_at_a_time():
    sampler = measure.TreeSampler(timeline=True)
    key = (42, 7)
    sampler.cpu_timeline = [(1.0, {key: 0.5}), (2.0, {key: 1.5}), (3.0, {}), (4.0, {key: 3.0})]
    assert [sampler.cpu_at(key, t) for t in (0.5, 1.0, 2.5, 3.5, 9.0)] == [0.0, 0.5, 1.5, 1.5, 3.0]


def test_the_listings_prepared_once_have_a_row_of_their_own():
    """From 5,000 listings the command prepares the listings once, before the builds: its own
    lines (no language) and process give a phase of the command, counted once, not in "the rest"."""
    parsed = sb.parse_output(
        "recovery-directory: validated 5000 listing files (loaded and checked) (3.1 s)\n"
        "recovery-directory: geocoded 5000 listings (offline) (3.9 s)\n"
        "recovery-directory: grouped 5000 listings by region, type and fellowship (4.6 s)\n"
        "en | INFO    -  recovery-directory: generated 8000 pages (planned, not yet rendered) (0.9 s)\n"
        "Built en 20.0 s, es 21.0 s (2 at a time), indexed for search in 4.0 s: site/ in 30.0 s.\n")
    assert [p["key"] for p in parsed["languages"][""]["phases"]] == ["validated", "geocoded", "grouped N listings by region, type and fellowship"]
    assert [p["key"] for p in parsed["languages"]["en"]["phases"]] == ["generated pages"]
    plain, prepared = _row(5000, 5.0), _row(5000, 5.0)
    prepared["ours"]["prepare"] = {"cpu": 6.0, "wall": 4.6, "hwm_kib": 300 * 1024, "lines": []}
    prepared["ours"]["cpu"] += 6.0
    assert sb.PREPARE not in sb.phase_names([plain])
    assert sb.phase_names([prepared])[0] == sb.PREPARE
    assert sb.phase_cell(prepared, sb.PREPARE) == ("6.0 (4.6)", 6.0, "300")
    assert sb.phase_cell(prepared, sb.OTHER)[1] == pytest.approx(sb.phase_cell(plain, sb.OTHER)[1])  # not in the rest


def test_a_bare_site_of_as_many_pages_as_ours(tmp_path):
    """--bare-pages ours: the listings' pages written again under other names,
    each with its own filler, up to the pages asked for."""
    import build_bench
    from generate import generate

    directory = tmp_path / "directory"
    generate(20, str(directory), seed=1)
    assert build_bench.bare_project(str(tmp_path / "one"), str(directory), 900) == 20 + 50
    assert build_bench.bare_project(str(tmp_path / "more"), str(directory), 900, pages=120) == 120
    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one" / "docs").rglob("*.md"))
    more = sorted(p.relative_to(tmp_path / "more") for p in (tmp_path / "more" / "docs").rglob("*.md"))
    assert len(one) == 70 and len(more) == 120 and set(one) < set(more)
    copies = [p for p in more if "--copy-" in p.stem]
    assert len(copies) == 50
    first = next(p for p in one if p.parts[1] == "groups")
    again = (tmp_path / "more" / first).with_name(first.stem + "--copy-2.md")
    assert again.read_text().split("## About this listing")[0] == (tmp_path / "one" / first).read_text().split("## About this listing")[0]
    assert again.read_text() != (tmp_path / "one" / first).read_text()  # its own filler


def test_bare_kinds_and_labels_agree():
    assert {key for keys in sb.BARE_KINDS.values() for key in keys} == set(sb.BARE_LABELS)
