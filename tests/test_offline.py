"""Offline, in Debian's Chromium: the service worker (Workbox, vendored) keeps
the pages opened and the saved listings with the shards of their data; with
the browser context offline a listing and "My meetings" still open, with a
notice; back online a changed build replaces the cached page. Switched off in
mkdocs.yml: no sw.js and no worker. No request leaves the site's own host
throughout. And the saved listings' data as the build writes it: every listing
once, in the shard its slug names, shards small at any size of directory."""

from __future__ import annotations

import collections
import json
import random

import pytest
from playwright.sync_api import expect

from recovery_directory import offline
from recovery_directory.offline import count_shards, shard_of
from recovery_directory.site_model import build_model

from site_build import chicago_page, listings_in_two_shards

pytest_plugins = ["site_fixtures", "offline_site_fixtures"]
pytestmark = pytest.mark.browser


@pytest.fixture
def context_page(browser):
    """A page in its own context, which a test may set offline."""
    context, page = chicago_page(browser, "allow")
    yield page
    context.close()


def wait_for_worker(page) -> None:
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def cached_urls(page, prefix: str) -> list[str]:
    return page.evaluate("""async (prefix) => {
        const urls = [];
        for (const name of await caches.keys()) {
            if (!name.startsWith(prefix)) continue;
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        }
        return urls;
    }""", prefix)


def kept(page, url: str) -> None:
    """Wait until the service worker keeps ``url`` with the saved listings."""
    page.wait_for_function("""async (url) => {
        for (const name of await caches.keys())
            if (name.startsWith('rd-saved') && await (await caches.open(name)).match(url)) return true;
        return false; }""", arg=url)


def shard_url(base: str, site, slug: str) -> str:
    count = json.loads(site.source("data/listings/index.json"))["shards"]
    return f"{base}data/listings/{shard_of(slug, count)}.json"


def test_a_saved_listing_and_my_meetings_open_offline_and_a_new_build_replaces_them(context_page, changeable_server, changeable_site, example_directory):
    page = context_page
    listing = next(l for l in example_directory.listings if l.kind == "group" and l.location and l.meetings)
    url = f"{changeable_server}groups/{listing.slug}/"
    page.goto(url)
    wait_for_worker(page)
    page.get_by_role("button", name="Save to My meetings").click()
    kept(page, url)
    kept(page, shard_url(changeable_server, changeable_site, listing.slug))  # its data, for My meetings
    page.goto(changeable_server + "guide/first-meeting/")  # opened once: kept too
    expect(page.locator(".rd-offline")).to_be_hidden()

    page.context.set_offline(True)
    page.goto(url)
    expect(page.locator("h1")).to_have_text(listing.name)
    notice = page.locator(".rd-offline")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("You are offline")
    expect(notice).to_contain_text("as built on")
    expect(page.get_by_role("button", name="Save to My meetings")).to_have_attribute("aria-pressed", "true")
    page.goto(changeable_server + "my-meetings/")
    expect(page.locator(".rd-my__item .rd-my__name")).to_have_text([listing.name])
    expect(page.locator(".rd-my__item time")).to_have_count(1)  # the next meeting, from the kept data
    page.goto(changeable_server + "guide/first-meeting/")
    expect(page.locator(".rd-offline")).to_be_visible()
    page.goto(changeable_server + "search/")
    expect(page.locator(".rd-offline")).to_contain_text("Search needs an internet connection")
    page.goto(changeable_server + "near-me/")
    expect(page.locator(".rd-offline")).to_contain_text("Meetings near me needs an internet connection")

    # A new build while away: back online, the listing shows it, and its saved copy too.
    page_file = changeable_site.file_for(f"groups/{listing.slug}/")
    page_file.write_text(page_file.read_text(encoding="utf-8").replace(f">{listing.name}</h1>", f">{listing.name} (rebuilt)</h1>"), encoding="utf-8")
    page.context.set_offline(False)
    page.goto(url)
    expect(page.locator("h1")).to_have_text(f"{listing.name} (rebuilt)")
    expect(page.locator(".rd-offline")).to_be_hidden()
    page.context.set_offline(True)
    page.goto(url)
    expect(page.locator("h1")).to_have_text(f"{listing.name} (rebuilt)")
    assert page.log.elsewhere == []
    assert page.log.page_errors == []


def test_the_caches_are_bounded_and_hold_only_the_sites_own_files(context_page, example_server, example_site):
    page = context_page
    page.goto(example_server)
    wait_for_worker(page)
    worker = example_site.source("sw.js")
    config = json.loads(worker.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["pages_limit"] == 200 and config["saved_limit"] == 100 and config["assets_limit"] == 60
    precached = {e["url"] for e in config["precache"]}
    assert {"my-meetings/", "data/listings/index.json", "search/", "near-me/"} <= precached
    assert not [u for u in precached if u.startswith("data/listings/") and u != "data/listings/index.json"], "no shard precached"
    assert "importScripts(CONFIG.workbox" in worker and (example_site.root / "assets/vendor/workbox/workbox-sw.js").is_file()
    assert all(u.startswith(example_server) for u in cached_urls(page, ""))
    assert page.log.elsewhere == []


def test_offline_my_meetings_shows_two_saved_listings_from_their_shards_alone(context_page, sharded_server, sharded_site, example_directory):
    page = context_page
    count, first, second = listings_in_two_shards(sharded_site, example_directory)
    for listing in (first, second):
        url = f"{sharded_server}groups/{listing.slug}/"
        page.goto(url)
        wait_for_worker(page)
        page.get_by_role("button", name="Save to My meetings").click()
        kept(page, url)
        kept(page, shard_url(sharded_server, sharded_site, listing.slug))
    data = sorted(u.split("?")[0] for u in cached_urls(page, "") if "/data/listings/" in u)  # precache keys carry a revision
    assert data == sorted([f"{sharded_server}data/listings/index.json",  # precached
                           shard_url(sharded_server, sharded_site, first.slug), shard_url(sharded_server, sharded_site, second.slug)])

    page.context.set_offline(True)
    page.goto(sharded_server + "my-meetings/")
    expect(page.locator(".rd-my__item .rd-my__name")).to_have_count(2)
    assert set(page.locator(".rd-my__name").all_inner_texts()) == {first.name, second.name}
    expect(page.locator(".rd-my__item time")).to_have_count(2)  # each next meeting, from its kept shard
    expect(page.locator(".rd-my__gone")).to_have_count(0)
    expect(page.locator(".rd-my__status")).to_have_text("")
    assert page.log.elsewhere == [] and page.log.page_errors == []


# --- the saved listings' data as the build writes it ---------------------------

def shards_of(site) -> tuple[int, list[dict]]:
    count = json.loads(site.source("data/listings/index.json"))["shards"]
    return count, [json.loads(site.source(f"data/listings/{n}.json")) for n in range(count)]


def test_every_listing_is_in_exactly_one_shard_the_one_its_slug_names(sharded_site, example_directory):
    count, shards = shards_of(sharded_site)
    assert count >= 8
    slugs = collections.Counter(slug for shard in shards for slug in shard["listings"])
    assert slugs == collections.Counter(l.slug for l in example_directory.listings)  # each once
    for number, shard in enumerate(shards):
        assert shard["version"] == 2 and shard["shards"] == count
        assert all(shard_of(slug, count) == number for slug in shard["listings"])
    files = {p.name for p in (sharded_site.root / "data/listings").iterdir()}
    assert files == {"index.json"} | {f"{n}.json" for n in range(count)}


def test_the_example_site_writes_one_small_shard_and_no_single_file(example_site, example_directory):
    count, shards = shards_of(example_site)
    assert count == 1 and len(shards[0]["listings"]) == len(example_directory.listings)
    assert len(example_site.source("data/listings/0.json").encode()) <= offline.SHARD_BYTES
    assert not (example_site.root / "data/listings.json").exists()
    listing = next(l for l in example_directory.listings if l.kind == "group" and l.location and l.meetings)
    record = shards[0]["listings"][listing.slug]
    assert record["name"] == listing.name and record["url"] == f"groups/{listing.slug}/" and record["zone"]
    assert record["directions"].startswith("https://www.openstreetmap.org/") and len(record["meetings"]) == len(listing.meetings)


def test_the_build_and_the_browser_share_the_shard_key():
    # The FNV-1a test vectors, and the values tests/js/saved.test.js asks of saved.js.
    assert [shard_of(s, 2 ** 32) for s in ("", "a", "foobar")] == [0x811C9DC5, 0xE40C292C, 0xBF9CF968]
    assert shard_of("downtown-serenity-group", 2 ** 32) == 229850073
    assert shard_of("cañon-city", 2 ** 32) == 1871313424


@pytest.mark.parametrize("listings", [10, 1_000, 10_000, 100_000])
def test_shards_stay_under_50_kb_at_any_size(listings):
    mean = 400  # bytes a listing takes in a shard (benchmarks' generated directories: 395–400)
    count = count_shards(listings, mean)
    assert listings * mean / count <= offline.SHARD_BYTES
    rng = random.Random(listings)
    words = ["serenity", "hope", "new-freedom", "al-anon", "family-group", "springfield-il", "houston-tx", "group", "meeting"]
    slugs = {"-".join(rng.sample(words, 3)) + f"-{n}" for n in range(listings)}
    largest = max(collections.Counter(shard_of(slug, count) for slug in slugs).values())
    assert largest * mean <= 50_000, (count, largest)


def test_a_reused_site_dir_keeps_no_older_data(tmp_path, example_directory):
    (tmp_path / "data/listings").mkdir(parents=True)
    (tmp_path / "data/listings.json").write_text("{}")
    (tmp_path / "data/listings/999.json").write_text("{}")
    offline.write_listings_data(build_model(example_directory.vocabularies, example_directory.listings), str(tmp_path))
    assert sorted(p.name for p in (tmp_path / "data/listings").iterdir()) == ["0.json", "index.json"]
    assert not (tmp_path / "data/listings.json").exists()


def test_the_manifest_names_the_site_with_icons_and_a_theme_colour(example_site):
    manifest = json.loads(example_site.source("manifest.webmanifest"))
    assert manifest["name"] == "Recovery Directory" and manifest["theme_color"] == "#00796b"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert (example_site.root / icon["src"]).read_bytes().startswith(b"\x89PNG")
    head = example_site.soup("").head
    assert head.select_one('link[rel="manifest"]')["href"] == "manifest.webmanifest"
    assert head.select_one('meta[name="theme-color"]')["content"] == "#00796b"


def test_switched_off_no_worker_is_written_or_registered(context_page, no_worker_server, no_worker_site):
    assert not (no_worker_site.root / "sw.js").exists()
    assert not (no_worker_site.root / "assets/vendor/workbox").exists()
    page = context_page
    page.goto(no_worker_server)
    page.goto(no_worker_server + "my-meetings/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
    assert not any(u.endswith("/sw.js") for u in page.log.requests)
    assert page.log.elsewhere == []
