"""Closed meetings in Debian's Chromium: absent from "near me" and "online
now", and back by the viewer's own clock once the reopening date has come,
with no new build. The geo site's data is served with a closure added to one
listing (the shape schedule.browser_rule writes), so the real pages and
scripts run against it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from test_near_me_browser import open_page, result_names, search  # noqa: F401 (fixture)
from test_online_now_browser import meetings, online_page  # noqa: F401 (fixture)

pytest_plugins = ["site_fixtures", "geo_site_fixtures"]
pytestmark = pytest.mark.browser
UTC = dt.timezone.utc
WINTER_CLOSURE = {"closed": [["2026-03-01", "2026-04-01"]]}


def close_near(page, slug: str, rule: dict) -> None:
    """Serve data/near/ with ``rule`` on every meeting of listing ``slug``."""
    def answer(route):
        response = route.fetch()
        records = response.json()
        for record in records:
            if record[3] == slug:
                record[9] = [meeting[:4] + [rule] for meeting in record[9]]
        route.fulfill(response=response, body=json.dumps(records))
    page.route("**/data/near/*.json", lambda route: answer(route) if not route.request.url.endswith("index.json") else route.continue_())


def close_online(page, name: str, rule: dict) -> None:
    def answer(route):
        response = route.fetch()
        rows = response.json()
        for row in rows:
            if row[1] == name:
                row[10:] = [rule]
        route.fulfill(response=response, body=json.dumps(rows))
    page.route("**/data/online/*.json", lambda route: answer(route) if not route.request.url.endswith("index.json") else route.continue_())


def near_results(open_page, geo_server, clock: dt.datetime, rule: dict) -> list[str]:  # noqa: F811
    page = open_page("about:blank", clock=clock)
    close_near(page, "downtown-springfield-group", rule)
    page.goto(geo_server + "near-me/")
    search(page, "62701")
    names = result_names(page)
    assert page.log.page_errors == [] and page.log.console_errors == []
    return names


def test_a_closed_meeting_is_absent_from_near_me(open_page, geo_server):  # noqa: F811
    names = near_results(open_page, geo_server, dt.datetime(2026, 3, 16, 15, 0, tzinfo=UTC), WINTER_CLOSURE)
    assert "Downtown Springfield Group" not in names and names


def test_a_closure_ends_by_the_viewers_clock_on_its_until_date(open_page, geo_server):  # noqa: F811
    names = near_results(open_page, geo_server, dt.datetime(2026, 4, 1, 15, 0, tzinfo=UTC), WINTER_CLOSURE)
    assert names[0] == "Downtown Springfield Group"


def test_next_meeting_skips_a_cancelled_date(open_page, geo_server):  # noqa: F811
    # Monday 16 March, 10:00 in Springfield; tonight's 19:00 meeting is cancelled.
    page = open_page("about:blank", clock=dt.datetime(2026, 3, 16, 15, 0, tzinfo=UTC))
    close_near(page, "downtown-springfield-group", {"cancelled": ["2026-03-16"]})
    page.goto(geo_server + "near-me/")
    search(page, "62701")
    result_names(page)
    first = page.locator(".rd-near__result").first
    assert first.locator(".rd-near__name").inner_text() == "Downtown Springfield Group"
    assert "Today" not in first.locator(".rd-near__next").inner_text()


def test_a_closed_meeting_is_absent_from_online_now(browser, geo_server):
    from site_fixtures import PageLog

    clock = dt.datetime(2026, 3, 12, 0, 10, tzinfo=UTC)  # 19:10 in Chicago: Chicago Evening Online is on
    context = browser.new_context(timezone_id="Europe/London", service_workers="block")
    try:
        page = context.new_page()
        page.log = PageLog(page)
        page.clock.set_fixed_time(clock)
        close_online(page, "Chicago Evening Online", WINTER_CLOSURE)
        page.goto(geo_server + "online/")
        # expect() waits without evaluating a string in the page, which the
        # site's Content-Security-Policy (no 'unsafe-eval') would refuse.
        expect(page.locator(".rd-online-now__progress")).to_have_text("No online meeting is in progress right now.")
        assert [m[0] for m in meetings(page, "progress")] == []
        assert page.log.page_errors == [] and page.log.console_errors == []
    finally:
        # online-now.js may still be loading later days' files through the
        # route above: let those handlers end quietly before the context goes.
        context.unroute_all(behavior="ignoreErrors")
        for open_page_ in context.pages:
            open_page_.unroute_all(behavior="ignoreErrors")
        context.close()
