"""What a "meetings near me" search transfers on a large directory.

    .venv/bin/python benchmarks/near_me_bench.py [--listings 50000] [--seed 1] [--rebuild]

1. Generates N listings (or reuses them: ``generate.ensure_generated``).
2. Builds the site with ``mkdocs build`` into ``benchmarks/out/near-me-n{N}-s{seed}/site``
   (Pagefind off: it is not what is measured), unless a build of the same
   directory is there already (``--rebuild`` forces one). The build's own log
   gives the time of the near-me, online and calendar data step.
3. Serves the site on 127.0.0.1 with Python's http.server (no compression)
   and, in Debian's Chromium, opens ``near-me/`` in a fresh browser context
   (empty cache) for each sample place, waits until the page has loaded, types
   the place, searches and waits for the results and for the network to be
   idle. Every response after the page load is counted: body bytes as sent
   (this server does not compress), headers, and what the same bodies weigh
   gzipped, as most static hosts send JSON.
4. Prints the table and writes it to ``benchmarks/results/near-me.md``.

The budget: under 150 KB after the page itself, uncompressed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))

from generate import ensure_generated  # noqa: E402
from site_build import CHROMIUM_ARGS, chromium_path, serve  # noqa: E402

BUDGET = 150 * 1024
# (label, typed text or (lat, lon) for "use my location", filters {select name: value})
SAMPLES = (
    ("New York, ZIP 10001", "10001", {}),
    ("Chicago, ZIP 60614", "60614", {}),
    ("Los Angeles, ZIP 90012", "90012", {}),
    ("Houston, TX (town name)", "Houston, TX", {}),
    ("Springfield, IL (town name)", "Springfield, IL", {}),
    ("Miles City, MT, ZIP 59301 (rural)", "59301", {}),
    ("Anchorage, AK, ZIP 99501", "99501", {}),
    ("Use my location: Denver", (39.7392, -104.9903), {}),
    ("New York, Saturday, Women", "10001", {"day": "6", "type": "W"}),
    ("Miles City, MT, Saturday, Women (rural)", "59301", {"day": "6", "type": "W"}),
)

# Online now at a busy hour (Wednesday 19:30 in Chicago) and a quiet one (Wednesday 04:00 there).
ONLINE_SAMPLES = (
    ("Europe/London, Thursday 00:30 GMT", "Europe/London", "2026-03-12T00:30:00Z"),
    ("America/Chicago, Wednesday 04:00", "America/Chicago", "2026-03-11T09:00:00Z"),
)


def build_site(directory: str, out: Path, rebuild: bool) -> dict:
    site = out / "site"
    marker = out / "built-from.json"
    stamp = {"directory": directory, "marker": _mtime(Path(directory) / ".generated.json")}
    if not rebuild and site.is_dir() and marker.is_file() and json.loads(marker.read_text()) == stamp:
        return json.loads((out / "build.json").read_text())
    out.mkdir(parents=True, exist_ok=True)
    config = out / "mkdocs.yml"
    config.write_text("\n".join((
        f"INHERIT: {REPO / 'mkdocs.yml'}",
        f"docs_dir: {REPO / 'docs'}",
        f"theme: {{name: material, custom_dir: {REPO / 'overrides'}}}",
        f"hooks: [{REPO / 'hooks' / 'directory.py'}]",
        "watch: []",
        "extra:",
        "  directory:",
        f"    directory: {directory}",
        "    search: false",
    )) + "\n", encoding="utf-8")
    started = time.perf_counter()
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
                            capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), cwd=out)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    log = result.stdout + result.stderr
    steps = dict((m.group(2), float(m.group(3))) for m in re.finditer(r"recovery-directory: ((.+?) \(([\d.]+) s\))", log))
    info = {"build_seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "load_average": round(load, 1),
            "cpus": os.cpu_count(), "steps": steps}
    (out / "build.json").write_text(json.dumps(info, indent=1))
    marker.write_text(json.dumps(stamp))
    return info


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


def data_sizes(site: Path) -> dict:
    def files(folder: str):
        return [p for p in (site / "data" / folder).rglob("*.json")]

    near = [p for p in files("near") if p.name != "index.json"]
    sizes = {
        "near_cells": len(near),
        "near_total_kb": sum(p.stat().st_size for p in near) / 1024,
        "near_largest_cell_kb": max(p.stat().st_size for p in near) / 1024,
        "near_index_kb": (site / "data" / "near" / "index.json").stat().st_size / 1024,
        "places_files": len(files("places")),
        "places_largest_kb": max(p.stat().st_size for p in files("places")) / 1024,
        "online_total_kb": sum(p.stat().st_size for p in files("online")) / 1024,
        "online_largest_hour_kb": max(p.stat().st_size for p in files("online") if p.name != "index.json") / 1024,
        "calendars": sum(1 for _ in site.rglob("meetings.ics")),
    }
    index = json.loads((site / "data" / "near" / "index.json").read_text())
    sizes["near_listings"] = sum(index["cells"].values())
    return sizes


def measure(browser, base: str, label: str, what, filters: dict) -> dict:
    from playwright.sync_api import expect

    options = {"timezone_id": "America/Chicago", "service_workers": "block"}  # a cold, uncached search
    if isinstance(what, tuple):
        options.update(geolocation={"latitude": what[0], "longitude": what[1]}, permissions=["geolocation"])
    context = browser.new_context(**options)
    page = context.new_page()
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(base + "near-me/")
    page.wait_for_load_state("networkidle")
    page_bytes = sum(_sizes(r)[0] + _sizes(r)[1] for r in finished)
    page_files = sorted(((_sizes(r)[0], r.url.rsplit("/", 1)[-1] or "the HTML") for r in finished), reverse=True)
    finished.clear()
    for name, value in filters.items():
        page.select_option(f".rd-near__filters select[name={name}]", value)
    started = time.perf_counter()
    if isinstance(what, tuple):
        page.click(".rd-near__locate")
    else:
        page.fill("#rd-near-place", what)
        page.click(".rd-near__form button[type=submit]")
    expect(page.locator(".rd-near__status")).to_have_text(re.compile("nearest|Nothing within|could not find|Several"), timeout=60000)
    page.wait_for_load_state("networkidle")
    seconds = time.perf_counter() - started
    status = page.inner_text(".rd-near__status")
    results = page.locator(".rd-near__result").count()
    first = page.locator(".rd-near__distance").first.inner_text() if results else ""
    last = page.locator(".rd-near__distance").last.inner_text() if results else ""
    kinds = Counter()
    body = headers = compressed = 0
    for request in finished:
        if request.url.endswith("favicon.png"):
            continue  # the browser asks for it once the page is up, search or no search
        size_body, size_headers = _sizes(request)
        body += size_body
        headers += size_headers
        response = request.response()
        compressed += len(gzip.compress(response.body(), 6)) if response else 0
        kinds[_kind(request.url)] += 1
    context.close()
    return {"label": label, "requests": sum(kinds.values()), "page_files": page_files, "files": dict(kinds), "body": body, "headers": headers, "gzip": compressed,
            "results": results, "nearest": first, "farthest": last, "status": status, "seconds": seconds, "page": page_bytes}


def measure_online(browser, base: str, label: str, zone: str, clock: str) -> dict:
    """The online page at a fixed time: bytes of data/online/ it loads before it is idle."""
    from playwright.sync_api import expect

    context = browser.new_context(timezone_id=zone, service_workers="block")
    page = context.new_page()
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.clock.set_fixed_time(clock)
    started = time.perf_counter()
    # The page also holds every online meeting as a static list (the no-JavaScript
    # fallback): at 50,000 listings that is tens of MB, hence the long timeouts.
    page.goto(base + "online/", timeout=600000)
    expect(page.locator(".rd-online-now__status")).to_have_text("", timeout=600000)
    page.wait_for_load_state("networkidle")
    seconds = time.perf_counter() - started
    data = [r for r in finished if "/data/online/" in r.url]
    html = next((_sizes(r)[0] for r in finished if r.url.endswith("/online/")), 0)
    body = sum(_sizes(r)[0] for r in data)
    compressed = sum(len(gzip.compress(r.response().body(), 6)) for r in data)
    counts = (page.locator(".rd-online-now__progress .rd-online-now__meeting").count(),
              page.locator(".rd-online-now__soon .rd-online-now__meeting").count())
    context.close()
    return {"label": label, "requests": len(data), "body": body, "gzip": compressed, "in_progress": counts[0], "soon": counts[1],
            "seconds": seconds, "html": html}


def _sizes(request) -> tuple[int, int]:
    sizes = request.sizes()
    return max(sizes["responseBodySize"], 0), max(sizes["responseHeadersSize"], 0)


def _kind(url: str) -> str:
    for part in ("data/near/index.json", "data/near/", "data/places/zip/", "data/places/city/"):
        if part in url:
            return part.removeprefix("data/").rstrip("/")
    return url.rsplit("/", 1)[-1]


def table(n: int, build: dict, sizes: dict, rows: list[dict], online: list[dict]) -> str:
    kb = lambda b: f"{b / 1024:.1f}"  # noqa: E731
    lines = [
        f"# Meetings near me: what a search transfers ({n:,} listings)",
        "",
        f"Generated directory: {n:,} listings (seed 1), {sizes['near_listings']:,} of them in person or hybrid with coordinates.",
        f"Build (mkdocs, no Pagefind): {build['build_seconds']} s wall, {build.get('cpu_seconds', '?')} s CPU "
        f"(load average {build.get('load_average', '?')} on {build.get('cpus', '?')} CPUs at the start: when it is near or "
        "above the CPUs, other work shared the machine and CPU seconds are the better guide); step times from the build log (cumulative, wall): "
        + ", ".join(f"{k} {v} s" for k, v in build["steps"].items()) + ".",
        f"Near-me data: {sizes['near_cells']} cells, {sizes['near_total_kb']:,.0f} KB in all, largest cell "
        f"{sizes['near_largest_cell_kb']:.1f} KB, index {sizes['near_index_kb']:.1f} KB. Places: {sizes['places_files']} files, "
        f"largest {sizes['places_largest_kb']:.1f} KB. Online: {sizes['online_total_kb']:,.0f} KB in 168 hour files, largest "
        f"{sizes['online_largest_hour_kb']:.1f} KB. Calendars: {sizes['calendars']:,} .ics files.",
        "",
        "Bytes after the page had loaded (the page itself, HTML + CSS + JS, is in the last column), served",
        "uncompressed by Python's http.server, cold cache; gzip: the same bodies gzipped (level 6).",
        "",
        "| Search | Requests | Body KB | + headers KB | gzip KB | Results | Nearest – farthest | Under 150 KB | Page KB |",
        "|---|---:|---:|---:|---:|---:|---|---|---:|",
    ]
    for r in rows:
        total = r["body"] + r["headers"]
        lines.append(f"| {r['label']} | {r['requests']} | {kb(r['body'])} | {kb(total)} | {kb(r['gzip'])} | {r['results']} | "
                     f"{r['nearest']} – {r['farthest']} | {'yes' if total < BUDGET else '**no**'} | {kb(r['page'])} |")
    worst = max(rows, key=lambda r: r["body"] + r["headers"])
    page = rows[0]["page_files"]
    lines += ["", f"The page itself: {kb(rows[0]['page'])} KB uncompressed, of which " +
              ", ".join(f"{name} {kb(size)}" for size, name in page[:6]) + " KB."]
    lines += ["", f"Largest: {worst['label']}, {kb(worst['body'] + worst['headers'])} KB with headers "
              f"({worst['requests']} requests: {', '.join(f'{k} ×{v}' for k, v in worst['files'].items())})."]
    if online:
        lines += ["", "Online now (no budget: it lists every meeting in progress or starting soon), its data files only. "
                  f"The page's own HTML, which lists every online meeting by day for readers without JavaScript, "
                  f"is {online[0]['html'] / 1024 / 1024:.1f} MB.", "",
                  "| Viewer, time | Hour files | Body KB | gzip KB | In progress | Starting in 3 h | Seconds to idle |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['label']} | {r['requests']} | {kb(r['body'])} | {kb(r['gzip'])} | {r['in_progress']} | {r['soon']} | {r['seconds']:.1f} |"
                  for r in online]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=50000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="build the site even if a build of this directory exists")
    args = parser.parse_args()
    directory, _, reused = ensure_generated(args.listings, args.seed)
    print(f"directory: {directory} ({'reused' if reused else 'generated'})", flush=True)
    out = HERE / "out" / f"near-me-n{args.listings}-s{args.seed}"
    build = build_site(directory, out, args.rebuild)
    sizes = data_sizes(out / "site")
    print(f"build: {build}", flush=True)
    executable = chromium_path()
    if executable is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(out / "site") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for label, what, filters in SAMPLES:
            row = measure(browser, base, label, what, filters)
            print(f"{label}: {row['requests']} requests, {row['body'] / 1024:.1f} KB body, {row['gzip'] / 1024:.1f} KB gzip, "
                  f"{row['results']} results — {row['status']}", flush=True)
            rows.append(row)
        online = [measure_online(browser, base, label, zone, clock) for label, zone, clock in ONLINE_SAMPLES]
        for row in online:
            print(f"online, {row['label']}: {row['requests']} files, {row['body'] / 1024:.1f} KB", flush=True)
        browser.close()
    report = table(args.listings, build, sizes, rows, online)
    print("\n" + report)
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / "near-me.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
