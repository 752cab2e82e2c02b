"""Meetings near me and maps in Debian's Chromium: a postal code, a town and
the browser's location give the nearest meetings first; filters narrow them;
with no tile server nothing is fetched from another host, and with one nothing
until "Show map" is pressed."""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlsplit

import pytest

from playwright.sync_api import expect

from geo_listings import COORDINATES, NAMES, TILE_HOST
from recovery_directory.gazetteer import distance_km

pytest_plugins = ["site_fixtures", "geo_site_fixtures"]
pytestmark = pytest.mark.browser

# 1×1 transparent PNG, the test's own tile server.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f6f0000000049454e44ae426082")
MONDAY_MORNING = dt.datetime(2026, 3, 16, 15, 0, tzinfo=dt.timezone.utc)  # 10:00 in Springfield


@pytest.fixture
def open_page(browser):
    """``open_page(url, **context options)`` → a page with ``page.log``; closed afterwards."""
    contexts = []

    from site_fixtures import PageLog  # a plugin module: imported once pytest has registered it

    def open_(url: str, clock: dt.datetime | None = MONDAY_MORNING, **options):
        # No service worker: page.route must see every request (and the counts stay per page).
        context = browser.new_context(**{"timezone_id": "America/Chicago", "service_workers": "block", **options})
        contexts.append(context)
        page = context.new_page()
        page.log = PageLog(page)
        if clock is not None:
            page.clock.set_fixed_time(clock)
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()


def search(page, text: str) -> None:
    page.fill("#rd-near-place", text)
    page.click(".rd-near__form button[type=submit]")


def result_names(page) -> list[str]:
    page.wait_for_selector(".rd-near__result")
    return page.locator(".rd-near__name").all_inner_texts()


def distances(page) -> list[float]:
    texts = page.locator(".rd-near__distance").all_inner_texts()
    assert all(t.endswith(" mi") for t in texts), texts
    return [float(t.removesuffix(" mi").replace(",", "")) for t in texts]


def nearest_first(lat: float, lon: float) -> list[str]:
    return [NAMES[slug] for slug in sorted(COORDINATES, key=lambda s: distance_km(lat, lon, *COORDINATES[s]))]


def hosts(page) -> set[str]:
    return {urlsplit(url).netloc for url in page.log.requests if not url.startswith(("data:", "blob:"))}


def assert_clean(page) -> None:
    # A place the index does not hold has no file: the browser logs the 404, nothing else may fail.
    unknown_place = re.compile(r"status of 404 .*/data/places/(zip|city)/\w+\.json\)$")
    errors = [e for e in page.log.console_errors if not unknown_place.search(e)]
    assert page.log.page_errors == [] and errors == [], (page.log.page_errors, errors)


def test_postal_code_lists_the_nearest_meeting_first(open_page, geo_server, geo_site):
    page = open_page(geo_server + "near-me/")
    search(page, "62701")
    names = result_names(page)
    zip_lat, zip_lon, *_ = json.loads((geo_site.root / "data/places/zip/627.json").read_text())["62701"]
    assert names == nearest_first(zip_lat, zip_lon)
    assert names[0] == "Downtown Springfield Group"
    assert distances(page) == sorted(distances(page))
    assert page.inner_text(".rd-near__status") == f"The {len(names)} nearest listings to 62701 Springfield, IL"
    first = page.locator(".rd-near__result").first
    assert first.locator("a.rd-near__name").get_attribute("href") == "../groups/downtown-springfield-group/"
    # Monday 10:00 in Springfield: the 19:00 meeting is today, in the viewer's (same) zone.
    assert first.locator(".rd-near__next").inner_text().replace("\u202f", " ") == "Next: Today, 7:00 PM"
    assert first.locator(".rd-type").all_inner_texts() == ["Open", "Discussion"]
    assert "?q=62701" in page.url
    assert_clean(page)


def test_a_town_named_in_several_states_offers_a_choice(open_page, geo_server):
    page = open_page(geo_server + "near-me/")
    search(page, "springfield")
    page.wait_for_selector(".rd-near__choices button")
    assert page.locator(".rd-near__choices button").all_inner_texts() == ["Springfield, IL", "Springfield, OR"]
    page.click("text=Springfield, IL")
    assert result_names(page)[0] == "Downtown Springfield Group"
    search(page, "Springfield, OR")
    expect(page.locator(".rd-near__status")).to_have_text(re.compile("^Nothing within"))
    assert page.locator(".rd-near__result").count() == 0
    search(page, "Nowhereville")
    expect(page.locator(".rd-near__status")).to_have_text(re.compile("^We could not find"))
    assert_clean(page)


def test_my_location_orders_by_distance_and_is_asked_only_on_the_press(open_page, geo_server):
    here = (39.86, -88.93)  # north-east of Decatur
    page = open_page(geo_server + "near-me/", geolocation={"latitude": here[0], "longitude": here[1]}, permissions=["geolocation"])
    page.evaluate("""() => {
        window.rdGeoCalls = 0;
        const ask = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
        navigator.geolocation.getCurrentPosition = (...args) => { window.rdGeoCalls++; return ask(...args); };
    }""")
    search(page, "62701")
    result_names(page)
    assert page.evaluate("window.rdGeoCalls") == 0
    page.click(".rd-near__locate")
    expect(page.locator(".rd-near__status")).to_have_text(re.compile("your location$"))
    assert page.evaluate("window.rdGeoCalls") == 1
    names = result_names(page)
    assert names == nearest_first(*here)
    assert names[0] == "Decatur Hybrid Group"
    assert distances(page) == sorted(distances(page))
    first = page.locator(".rd-near__result").first
    assert "In person and online" in first.locator(".rd-near__what").inner_text()
    assert_clean(page)


def test_filters_narrow_the_results(open_page, geo_server):
    page = open_page(geo_server + "near-me/")
    search(page, "62701")
    result_names(page)

    def after(select: str, value: str) -> list[str]:
        page.select_option(f".rd-near__filters select[name={select}]", value)
        page.wait_for_timeout(100)
        return page.locator(".rd-near__name").all_inner_texts()

    assert after("kind", "treatment-center") == ["Lincoln Land Recovery"]
    assert page.locator(".rd-near__next").inner_text() == "No meeting times listed"
    assert after("kind", "family-group") == ["Springfield Al-Anon"]
    after("kind", "")
    assert after("day", "6") == ["Chatham Morning Group"]  # Saturday
    assert page.locator(".rd-near__next").inner_text().replace("\u202f", " ") == "Next: Saturday, 7:00 AM"
    after("day", "")
    assert after("time", "morning") == ["Springfield Al-Anon", "Chatham Morning Group"]
    after("time", "")
    assert after("type", "C") == ["Downtown Springfield Group", "Chatham Morning Group"]
    # The downtown group's closed meeting is the Thursday noon one, not Monday's open one.
    assert "Thursday, 12:00 PM" in page.locator(".rd-near__next").first.inner_text().replace("\u202f", " ")
    after("type", "")
    assert after("fellowship", "aa") == ["Downtown Springfield Group", "Decatur Hybrid Group"]
    assert_clean(page)


def test_without_a_tile_server_no_request_leaves_the_site(open_page, example_server):
    base = urlsplit(example_server).netloc
    page = open_page(example_server + "near-me/", geolocation={"latitude": 41.88, "longitude": -87.63}, permissions=["geolocation"])
    assert page.locator(".rd-map, .rd-map__toggle").count() == 0
    search(page, "62701")
    result_names(page)
    page.click(".rd-near__locate")
    expect(page.locator(".rd-near__status")).to_have_text(re.compile("your location$"))
    result_names(page)
    page.locator(".rd-near__name").first.click()
    page.wait_for_load_state()
    assert page.locator(".rd-map").count() == 0
    page.goto(example_server + "online/")
    page.wait_for_selector(".rd-online-now__progress li")
    assert hosts(page) == {base}
    assert not any("leaflet" in url for url in page.log.requests)
    assert_clean(page)


def tile_server(page) -> list[str]:
    fetched: list[str] = []

    def answer(route):
        fetched.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=PNG)

    page.route(f"https://{TILE_HOST}/**", answer)
    return fetched


def test_near_me_map_fetches_nothing_until_show_map(open_page, geo_server):
    page = open_page(geo_server + "near-me/")
    tiles = tile_server(page)
    search(page, "62701")
    names = result_names(page)
    assert page.locator(".rd-near__map .rd-map__toggle").is_visible()
    page.wait_for_timeout(300)
    assert tiles == [] and not any("leaflet" in url for url in page.log.requests)
    assert hosts(page) == {urlsplit(geo_server).netloc}
    page.click(".rd-near__map .rd-map__toggle")
    page.wait_for_selector(".rd-near__map .leaflet-marker-icon")
    page.locator(".rd-near__map img.leaflet-tile-loaded").first.wait_for()
    assert page.locator(".rd-near__map .leaflet-marker-icon").count() == len(names)
    assert tiles and all(urlsplit(url).netloc == TILE_HOST for url in tiles)
    assert any(url.endswith("assets/vendor/leaflet/leaflet.js") and url.startswith(geo_server) for url in page.log.requests)
    assert page.get_attribute(".rd-near__map .rd-map__toggle", "aria-expanded") == "true"
    assert_clean(page)


def test_listing_map_fetches_nothing_until_show_map(open_page, geo_server):
    page = open_page(geo_server + "groups/downtown-springfield-group/")
    tiles = tile_server(page)
    toggle = page.locator(".rd-map__toggle")
    assert toggle.is_visible() and toggle.inner_text() == "Show map"
    assert f"loads map images from https://{TILE_HOST}" in page.inner_text(".rd-map__note")
    page.wait_for_timeout(300)
    assert tiles == [] and not any("leaflet" in url for url in page.log.requests)
    toggle.click()
    page.locator(".rd-map img.leaflet-tile-loaded").first.wait_for()
    assert page.locator(".leaflet-marker-icon").count() == 1
    assert page.locator(".leaflet-control-attribution").inner_text().endswith("Test tiles")
    assert toggle.inner_text() == "Hide map"
    toggle.click()
    assert page.locator(".rd-map__canvas").is_hidden()
    assert_clean(page)


def test_without_javascript_the_page_links_the_regions(open_page, geo_server):
    page = open_page(geo_server + "near-me/", clock=None, java_script_enabled=False)
    assert page.locator("#rd-near").is_hidden()
    assert page.locator("noscript").count() == 1
    regions = page.locator("#rd-near-regions + .rd-regions a")
    assert regions.all_inner_texts() == ["Illinois", "Oregon"]
    assert re.fullmatch(r"\.\./regions/illinois/", regions.first.get_attribute("href"))


def test_a_rare_filter_searches_farther_only_when_asked(open_page, geo_server):
    """Synthetic cells north of Springfield, 100 listings each; only the sixth has a
    Friday meeting. With a budget of 250 listings a search loads two cells; each
    "Search farther" raises the budget by 250; meanwhile it says how far its answer reaches."""
    from recovery_directory.geo_index import geohash

    cells, loaded = {}, []
    for ring in range(6):
        lat, lon = 39.80 + 0.1 * ring, -89.65
        day = 5 if ring == 5 else 1
        cells[geohash(lat, lon, 5)] = [[lat, lon, 0, f"g{ring}-{n}", f"Group {ring}-{n:03}", "aa", 0, 0, "Springfield",
                                        [[day, "19:00", "", "O"]]] for n in range(100)]
    index = {"version": 1, "kinds": [["group", "groups"], ["family-group", "family-groups"], ["treatment-center", "treatment-centers"]],
             "zones": ["America/Chicago"], "cells": {cell: len(records) for cell, records in cells.items()}}

    def near_data(route):
        name = route.request.url.rsplit("/", 1)[-1].removesuffix(".json")
        loaded.append(name)
        route.fulfill(status=200, content_type="application/json", body=json.dumps(index if name == "index" else cells[name]))

    def smaller_budget(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text().replace('"budget": 500', '"budget": 250'))

    page = open_page("about:blank")
    page.route("**/data/near/*.json", near_data)
    page.route("**/near-me/", smaller_budget)
    page.goto(geo_server + "near-me/")
    page.select_option(".rd-near__filters select[name=day]", "5")
    search(page, "62701")
    status = page.locator(".rd-near__status")
    expect(status).to_have_text(re.compile(r"^Nothing within [\d.]+ mi of 62701 Springfield, IL matches yet\.$"))
    assert loaded == ["index"] + list(cells)[:2]
    farther = page.locator(".rd-near__farther")
    assert farther.is_visible() and farther.inner_text() == "Search farther"
    farther.click()
    expect(status).to_have_text(re.compile(r"^Nothing within [\d.]+ mi of"))
    page.wait_for_timeout(200)
    assert loaded[3:] == list(cells)[2:5]  # the budget is now 500: three more cells
    farther.click()
    expect(status).to_have_text("The 25 nearest listings to 62701 Springfield, IL")
    assert loaded[6:] == list(cells)[5:]
    assert result_names(page)[0] == "Group 5-000" and farther.is_hidden()
    assert page.locator(".rd-near__more").is_visible()
    assert_clean(page)
