"""The listing page in Debian's Chromium (listing.js): each meeting's time in
the viewer's own zone when it differs, the Share button with the Web Share API
and without it, and Apple Maps for directions on Apple devices. Nothing is
fetched from another host, before or after."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from field_listings import FULL_GROUP
from site_build import SITE_URL

pytest_plugins = ["site_fixtures", "listing_site_fixtures"]
pytestmark = pytest.mark.browser
UTC = dt.timezone.utc
FULL = "groups/full-group/"
# Wednesday 11 March 2026, 19:10 in Chicago (CDT since 8 March); London is still on GMT.
MARCH = dt.datetime(2026, 3, 12, 0, 10, tzinfo=UTC)
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
          "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")


@pytest.fixture
def listing_page(browser, fields_server):
    """``listing_page(zone, clock=None, **context options)``: the full group's page as a viewer there sees it."""
    from site_fixtures import PageLog  # a plugin module: imported once pytest has registered it

    contexts = []

    def open_(zone: str = "America/Chicago", clock: dt.datetime | None = MARCH, url: str = FULL, init: str | None = None, **options):
        context = browser.new_context(timezone_id=zone, **options)
        contexts.append(context)
        page = context.new_page()
        page.log = PageLog(page)
        if init:
            page.add_init_script(init)
        if clock:
            page.clock.set_fixed_time(clock)
        page.goto(fields_server + url)
        return page

    yield open_
    for context in contexts:
        context.close()


def your_times(page) -> list[str]:
    return [t.replace("\u202f", " ") for t in page.locator(".rd-schedule tbody tr").all_inner_texts()]


def clean(page) -> None:
    assert page.log.page_errors == [] and page.log.console_errors == [] and page.log.elsewhere == []
    # The feed's <link rel=alternate> stays out of the theme's sight: no sitemap.xml download.
    assert not [url for url in page.log.requests if url.endswith("sitemap.xml")]


# --- your time ---------------------------------------------------------------------------

def test_times_in_the_viewers_zone_when_it_differs(listing_page):
    page = listing_page("Europe/London")
    times = page.locator(".rd-schedule__time")
    expect(times.first.locator(".rd-your-time")).to_have_count(1)
    shown = [t.replace("\u202f", " ") for t in times.all_inner_texts()]
    # Monday 19:00 in Chicago is just after midnight on Tuesday in London; Saturday 09:30 is 14:30.
    assert shown == ["7:00 PM – 8:00 PM · Tuesday 12:00 AM your time", "9:30 AM · 2:30 PM your time"]
    zone = page.locator(".rd-your-zone")
    expect(zone).to_be_visible()
    assert zone.inner_text() == "“Your time” is Greenwich Mean Time, the time zone of this device."
    clean(page)


def test_after_the_uk_changes_its_clocks_too(listing_page):
    page = listing_page("Europe/London", dt.datetime(2026, 4, 15, 12, 0, tzinfo=UTC))
    expect(page.locator(".rd-your-time").first).to_be_attached()
    assert [t.replace("\u202f", " ") for t in page.locator(".rd-your-time").all_inner_texts()] == [
        " · Tuesday 1:00 AM your time", " · 3:30 PM your time"]
    assert page.locator(".rd-your-zone").inner_text() == "“Your time” is British Summer Time, the time zone of this device."


def test_far_east_of_the_meeting(listing_page):
    page = listing_page("Asia/Tokyo")
    expect(page.locator(".rd-your-time").first).to_be_attached()
    assert [t.replace("\u202f", " ") for t in page.locator(".rd-your-time").all_inner_texts()] == [
        " · Tuesday 9:00 AM your time", " · 11:30 PM your time"]
    assert page.locator(".rd-your-zone").inner_text() == "“Your time” is Japan Standard Time, the time zone of this device."


@pytest.mark.parametrize("zone", ["America/Chicago", "America/Winnipeg"])
def test_nothing_added_when_the_viewers_clock_reads_the_same(listing_page, zone):
    page = listing_page(zone)
    expect(page.locator(".rd-share")).to_be_visible()  # the script has run
    assert page.locator(".rd-your-time").count() == 0
    assert page.locator(".rd-your-zone").is_hidden()
    clean(page)


def test_without_javascript_the_meetings_own_times_remain(listing_page):
    page = listing_page("Europe/London", java_script_enabled=False)
    assert [t.replace("\u202f", " ") for t in page.locator(".rd-schedule__time").all_inner_texts()] == ["7:00 PM – 8:00 PM", "9:30 AM"]
    assert page.locator(".rd-share").is_hidden() and page.locator(".rd-your-zone").is_hidden()


# --- share ---------------------------------------------------------------------------------

NO_WEB_SHARE = "delete Navigator.prototype.share; delete Navigator.prototype.canShare;"


def test_share_copies_the_link_where_there_is_no_web_share(listing_page):
    page = listing_page(init=NO_WEB_SHARE, permissions=["clipboard-read", "clipboard-write"])
    assert page.evaluate("typeof navigator.share") == "undefined"
    page.get_by_role("button", name="Share").click()
    expect(page.locator(".rd-share__status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == SITE_URL + FULL
    clean(page)


def test_share_says_the_link_when_copying_is_refused(listing_page):
    refuse = NO_WEB_SHARE + "navigator.clipboard.writeText = () => Promise.reject(new DOMException('no', 'NotAllowedError'));"
    page = listing_page(init=refuse)
    page.get_by_role("button", name="Share").click()
    expect(page.locator(".rd-share__status")).to_have_text(f"Copy this link: {SITE_URL}{FULL}")


def test_share_uses_the_web_share_api_where_there_is_one(listing_page):
    stub = "window.__shared = []; Navigator.prototype.share = function (data) { window.__shared.push(data); return Promise.resolve(); };"
    page = listing_page(init=stub)
    page.get_by_role("button", name="Share").click()
    page.wait_for_function("window.__shared.length === 1")
    assert page.evaluate("window.__shared") == [{"title": FULL_GROUP["name"], "url": SITE_URL + FULL}]
    assert page.locator(".rd-share__status").inner_text() == ""
    clean(page)


def test_closing_the_share_sheet_copies_nothing(listing_page):
    stub = ("window.__copied = 0; Navigator.prototype.share = () => Promise.reject(new DOMException('closed', 'AbortError'));"
            "navigator.clipboard.writeText = () => { window.__copied++; return Promise.resolve(); };")
    page = listing_page(init=stub)
    page.get_by_role("button", name="Share").click()
    page.wait_for_timeout(200)
    assert page.evaluate("window.__copied") == 0 and page.locator(".rd-share__status").inner_text() == ""


# --- directions ------------------------------------------------------------------------------

def test_directions_open_apple_maps_on_an_apple_device(listing_page):
    page = listing_page(user_agent=IPHONE)
    link = page.locator("a.rd-directions")
    expect(link).to_have_attribute("href", link.get_attribute("data-apple-href"))
    assert link.get_attribute("href").startswith("https://maps.apple.com/?daddr=")
    clean(page)


def test_directions_keep_the_sites_map_elsewhere(listing_page):
    page = listing_page()
    expect(page.locator(".rd-share")).to_be_visible()
    assert page.locator("a.rd-directions").get_attribute("href").startswith("https://www.google.com/maps/dir/?api=1&destination=")
    assert page.log.elsewhere == []  # a link: nothing is fetched until it is pressed
