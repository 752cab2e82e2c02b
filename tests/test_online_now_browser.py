"""Online now in Debian's Chromium, with the browser's zone and clock set: a
meeting at 19:00 in Chicago is in progress, soon or later at the right local
time for a viewer in London or Los Angeles, on both sides of daylight saving."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

pytest_plugins = ["site_fixtures", "geo_site_fixtures"]
pytestmark = pytest.mark.browser
UTC = dt.timezone.utc


@pytest.fixture
def online_page(browser, geo_server):
    """``online_page(zone, clock)``: the online page as a viewer in ``zone`` at ``clock`` sees it."""
    from site_fixtures import PageLog  # a plugin module: imported once pytest has registered it

    contexts = []

    def open_(zone: str, clock: dt.datetime, **options):
        context = browser.new_context(timezone_id=zone, service_workers="block", **options)
        contexts.append(context)
        page = context.new_page()
        page.log = PageLog(page)
        page.clock.set_fixed_time(clock)
        page.goto(geo_server + "online/")
        if options.get("java_script_enabled", True):
            expect(page.locator(".rd-online-now__status")).to_have_text("")
        return page

    yield open_
    for context in contexts:
        context.close()


def meetings(page, section: str) -> list[tuple[str, str, str]]:
    """(name, local time as shown, start as ISO) of each meeting listed in a section."""
    items = page.locator(f".rd-online-now__{section} .rd-online-now__meeting")
    return [(item.locator(".rd-meeting__name").inner_text(), item.locator("time").inner_text().replace("\u202f", " "),
             item.locator("time").get_attribute("datetime")) for item in items.all()]


def test_in_progress_when_the_us_has_changed_its_clocks_and_the_uk_has_not(online_page):
    # Wednesday 11 March 2026, 19:10 in Chicago (CDT since 8 March); London is still on GMT.
    page = online_page("Europe/London", dt.datetime(2026, 3, 12, 0, 10, tzinfo=UTC))
    assert meetings(page, "progress") == [("Chicago Evening Online", "12:00 – 1:00 AM", "2026-03-12T00:00:00.000Z")]
    item = page.locator(".rd-online-now__progress .rd-online-now__meeting")
    assert item.locator(".rd-online-now__their").inner_text().replace("\u202f", " ") == "Group’s time: 7:00 PM CDT"
    assert item.locator("a.md-button").get_attribute("href") == "https://zoom.us/j/5550005555"
    assert item.locator("a.md-button").inner_text() == "Join online"
    assert item.locator(".rd-online-now__phone").get_attribute("href") == "tel:+13125550100,,5550005555%23"
    assert item.locator(".rd-meeting__name").get_attribute("href") == "../groups/chicago-evening-online/"
    assert page.inner_text(".rd-online-now__zone") == "Times are in your time zone: Greenwich Mean Time (Europe/London)."
    assert page.log.page_errors == [] and page.log.console_errors == []


def test_in_progress_in_winter(online_page):
    # Wednesday 14 January 2026, 19:10 CST: 01:10 in London.
    page = online_page("Europe/London", dt.datetime(2026, 1, 15, 1, 10, tzinfo=UTC))
    assert meetings(page, "progress") == [("Chicago Evening Online", "1:00 – 2:00 AM", "2026-01-15T01:00:00.000Z")]


def test_starting_soon_and_nothing_in_progress(online_page):
    page = online_page("America/Los_Angeles", dt.datetime(2026, 3, 11, 22, 30, tzinfo=UTC))  # 15:30 in Los Angeles
    assert page.locator(".rd-online-now__progress").inner_text() == "No online meeting is in progress right now."
    assert meetings(page, "soon") == [("Chicago Evening Online", "5:00 – 6:00 PM", "2026-03-12T00:00:00.000Z")]
    # Los Angeles and Chicago moved together: two hours apart, as in winter.
    assert page.locator(".rd-online-now__soon .rd-online-now__their").inner_text().replace("\u202f", " ") == "Group’s time: 7:00 PM CDT"


def test_later_this_week_by_local_day(online_page):
    page = online_page("Europe/London", dt.datetime(2026, 3, 12, 0, 10, tzinfo=UTC))
    days = page.locator(".rd-online-now__later details")
    expect(days.first.locator("li").first).to_be_visible()
    summaries = days.locator("summary").all_inner_texts()
    assert summaries[0] == "Thursday, March 12" and len(summaries) == 7
    # Portland's Thursday noon (PDT) is 19:00 in London that same Thursday.
    today = [(li.locator(".rd-meeting__name").inner_text(), li.locator("time").inner_text().replace("\u202f", " "))
             for li in days.first.locator(".rd-online-now__meeting").all()]
    assert today == [("Portland Noon Online", "7:00 – 8:00 PM")]
    # The Chicago meeting comes back next Wednesday evening there, early Thursday here.
    expect(days.nth(6).locator("li").first).to_be_visible()
    assert days.nth(6).locator("summary").inner_text() == "Wednesday, March 18"
    assert days.nth(6).locator(".rd-online-now__meeting").count() == 0
    assert days.nth(6).locator(".rd-online-now__none").inner_text() == "No more online meetings that day."


def test_without_javascript_the_list_by_day_remains(online_page):
    page = online_page("Europe/London", dt.datetime(2026, 3, 12, 0, 10, tzinfo=UTC), java_script_enabled=False)
    assert page.locator("#rd-online-now").is_hidden()
    text = page.inner_text("article")
    assert re.search(r"Wednesday\n7:00\sPM – 8:00\sPM Central Time\nChicago Evening Online\n", text), text
