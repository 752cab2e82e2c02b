"""Offline, in Debian's Chromium: the service worker (Workbox, vendored) keeps
the pages opened and the saved listings; with the browser context offline a
listing and "My meetings" still open, with a notice; back online a changed
build replaces the cached page. Switched off in mkdocs.yml: no sw.js and no
worker. No request leaves the site's own host throughout."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

pytest_plugins = ["site_fixtures", "offline_site_fixtures"]
pytestmark = pytest.mark.browser


@pytest.fixture
def context_page(browser):
    """A page in its own context, which a test may set offline."""
    from site_fixtures import PageLog

    context = browser.new_context(timezone_id="America/Chicago", service_workers="allow")
    page = context.new_page()
    page.log = PageLog(page)
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


def test_a_saved_listing_and_my_meetings_open_offline_and_a_new_build_replaces_them(context_page, changeable_server, changeable_site, example_directory):
    page = context_page
    listing = next(l for l in example_directory.listings if l.kind == "group" and l.location and l.meetings)
    url = f"{changeable_server}groups/{listing.slug}/"
    page.goto(url)
    wait_for_worker(page)
    page.get_by_role("button", name="Save to My meetings").click()
    page.wait_for_function("""async (url) => {
        for (const name of await caches.keys())
            if (name.startsWith('rd-saved') && await (await caches.open(name)).match(url)) return true;
        return false; }""", arg=url)
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
    assert {"my-meetings/", "data/listings.json", "search/", "near-me/"} <= {e["url"] for e in config["precache"]}
    assert "importScripts(CONFIG.workbox" in worker and (example_site.root / "assets/vendor/workbox/workbox-sw.js").is_file()
    assert all(u.startswith(example_server) for u in cached_urls(page, ""))
    assert page.log.elsewhere == []


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
