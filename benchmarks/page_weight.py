"""Page weight: what a first visit to each page type costs, in headless Chromium.

    .venv/bin/python benchmarks/page_weight.py [--site DIR] [--repeat 3] [--lighthouse]

Builds the example site with ``mkdocs build --strict`` into a temporary folder
(or takes an already built ``--site``), serves it on 127.0.0.1 and opens each
page type in a fresh browser context (empty cache) of Debian's Chromium
(/usr/bin/chromium, through Playwright). For each page it records:

* requests: every request the page made until the network was idle;
* transferred: bytes over the wire, the sum of the Chrome DevTools Protocol's
  ``Network.loadingFinished.encodedDataLength`` (headers included; our test
  server does not compress, so a host that gzips sends less);
* HTML: the size of the page's own document;
* load: milliseconds to the ``load`` event (a local server: latency is near 0,
  so this is parse/script time, not network time).

On /search/ it also measures the time from the first keystroke of a query typed
into Pagefind's box to the first result on screen (median of ``--repeat`` runs,
each in a fresh context: Pagefind's WebAssembly and index chunks load cold).

``--lighthouse`` also runs Lighthouse 13 (mobile form factor, offline against
127.0.0.1) on the home page, a region and a listing; it is not a dependency of
the project, npx fetches it once into its cache:

    CHROME_PATH=/usr/bin/chromium npx -y lighthouse@13 URL --output=json --quiet \\
      --form-factor=mobile --only-categories=performance,accessibility,best-practices,seo \\
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --no-first-run \\
      --disable-background-networking --disable-component-update --disable-sync"

Writes benchmarks/results/page-weight.md and prints it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "hooks"))

from site_build import CHROMIUM_ARGS, Site, chromium_path, mkdocs_build, serve  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "page-weight.md"
PAGES = [
    ("home", ""),
    ("regions", "regions/"),
    ("region (top level)", "regions/illinois/"),
    ("sub-region", "regions/illinois/cook-county/"),
    ("meeting types", "types/"),
    ("meeting type", "types/women/"),
    ("fellowship", "fellowships/aa/"),
    ("family groups", "family-groups/"),
    ("treatment centres", "treatment-centers/"),
    ("online meetings", "online/"),
    ("near me", "near-me/"),
    ("search (empty)", "search/"),
    ("group", "groups/capital-city-group/"),
    ("family group", "family-groups/hope-for-today-al-anon/"),
    ("treatment centre", "treatment-centers/prairie-recovery-center/"),
]
LIGHTHOUSE_PAGES = [("home", ""), ("region", "regions/illinois/"), ("listing", "groups/capital-city-group/")]
QUERY = "group"
RESULT = ".pagefind-ui__result-link"


def first_load(browser, url: str) -> dict:
    """Requests, transferred bytes, document bytes and load time of one cold visit."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    requests: dict[str, str] = {}
    encoded: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda e: requests.setdefault(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: encoded.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    timing = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                           " return {load: n.loadEventEnd, html: n.encodedBodySize}; }")
    context.close()
    return {
        "requests": len(requests),
        "bytes": sum(encoded.values()),
        "html": timing["html"],
        "load_ms": timing["load"],
        "urls": sorted(requests.values()),
    }


def search_latency(browser, base: str) -> float:
    """Milliseconds from the first keystroke of QUERY to the first result, cold."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "search/", wait_until="networkidle")
    page.click(".pagefind-ui__search-input")
    page.evaluate("""() => { window.__firstResult = new Promise(resolve => {
        const seen = () => document.querySelector('%s');
        new MutationObserver((_, observer) => { if (seen()) { observer.disconnect(); resolve(performance.now()); } })
            .observe(document.body, {childList: true, subtree: true});
    }); }""" % RESULT)
    start = page.evaluate("performance.now()")
    page.keyboard.type(QUERY, delay=30)  # someone typing quickly
    first = page.evaluate("window.__firstResult")
    context.close()
    return first - start


def lighthouse(url: str) -> dict:
    flags = "--headless=new " + " ".join(CHROMIUM_ARGS)
    command = ["npx", "-y", "lighthouse@13", url, "--output=json", "--quiet", "--form-factor=mobile",
               "--only-categories=performance,accessibility,best-practices,seo", f"--chrome-flags={flags}"]
    env = dict(os.environ, CHROME_PATH=chromium_path() or "/usr/bin/chromium")
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    scores = {key: round(category["score"] * 100) for key, category in report["categories"].items()}
    audits = report["audits"]
    scores["fcp"] = audits["first-contentful-paint"]["displayValue"]
    scores["lcp"] = audits["largest-contentful-paint"]["displayValue"]
    scores["tbt"] = audits["total-blocking-time"]["displayValue"]
    scores["cls"] = audits["cumulative-layout-shift"]["displayValue"]
    return scores


def kib(n: float) -> str:
    return f"{n / 1024:,.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the example site)")
    parser.add_argument("--repeat", type=int, default=3, help="search latency runs (median)")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse 13 on three pages (npx)")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        print("Chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        if args.site:
            root = args.site.resolve()
        else:
            started = time.perf_counter()
            build = mkdocs_build(REPO / "mkdocs.yml", Path(tmp) / "site")
            if build.returncode != 0:
                print(build.output, file=sys.stderr)
                return 1
            root = build.site_dir
            print(f"built the example site in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        site = Site(root)
        rows, latencies, scores = [], [], []
        with serve(root) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            for name, url in PAGES:
                if not site.exists(url):
                    continue
                rows.append((name, url, first_load(browser, base + url)))
            for _ in range(args.repeat):
                latencies.append(search_latency(browser, base))
            browser.close()
            if args.lighthouse:
                for name, url in LIGHTHOUSE_PAGES:
                    scores.append((name, url, lighthouse(base + url)))

    lines = [
        "# Page weight",
        "",
        f"`benchmarks/page_weight.py`, {dt.date.today().isoformat()}: each page opened once in a fresh",
        "context of headless Chromium (empty cache) from a local, uncompressed HTTP server.",
        "Transferred = sum of CDP `Network.loadingFinished.encodedDataLength` (headers included).",
        "",
        "| Page | URL | Requests | Transferred (KiB) | HTML (KiB) | Load event (ms) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, url, r in rows:
        lines.append(f"| {name} | /{url} | {r['requests']} | {kib(r['bytes'])} | {kib(r['html'])} | {r['load_ms']:.0f} |")
    lines += [
        "",
        f"Search: first keystroke of “{QUERY}” typed into /search/ to the first result on screen,",
        f"cold context each run: median {statistics.median(latencies):.0f} ms "
        f"(runs: {', '.join(f'{x:.0f}' for x in latencies)} ms).",
    ]
    if scores:
        lines += [
            "",
            "## Lighthouse 13 (mobile, simulated throttling, offline against 127.0.0.1)",
            "",
            "| Page | URL | Performance | Accessibility | Best practices | SEO | FCP | LCP | TBT | CLS |",
            "|---|---|---:|---:|---:|---:|---|---|---|---|",
        ]
        for name, url, s in scores:
            lines.append(f"| {name} | /{url} | {s.get('performance')} | {s.get('accessibility')} | "
                         f"{s.get('best-practices')} | {s.get('seo')} | {s['fcp']} | {s['lcp']} | {s['tbt']} | {s['cls']} |")
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
