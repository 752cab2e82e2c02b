"""Saved meetings ("My meetings") in Debian's Chromium: the save control on a
listing page and in result lists, by keyboard, with its state for a screen
reader; the list with each next meeting in the viewer's zone, soonest first,
with join links and directions; a saved listing since removed shown as no
longer listed; nothing sent anywhere; only the shards of data/listings/
holding the saved listings fetched, each found where the build wrote it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from recovery_directory.offline import shard_of

from site_build import chicago_page, listings_in_two_shards

pytest_plugins = ["site_fixtures", "offline_site_fixtures"]
pytestmark = pytest.mark.browser

KEY = "rd-saved-meetings"  # saved.js


def listing_with(directory, predicate):
    return next(l for l in directory.listings if predicate(l))


def test_a_listing_is_saved_by_keyboard_and_the_button_says_so(page, example_server, example_directory):
    listing = listing_with(example_directory, lambda l: l.kind == "group" and l.location and l.meetings)
    page.goto(f"{example_server}groups/{listing.slug}/")
    button = page.get_by_role("button", name="Save to My meetings")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("status").filter(has_text="is saved in My meetings")).to_have_text(f"{listing.name} is saved in My meetings.")
    stored = json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))
    assert [(e["slug"], e["url"]) for e in stored["saved"]] == [(listing.slug, f"groups/{listing.slug}/")]
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))["saved"] == []
    assert page.log.elsewhere == [] and page.log.page_errors == [] and page.log.console_errors == []


def test_my_meetings_lists_the_saved_soonest_first_with_join_and_directions(page, example_server, example_directory):
    in_person = listing_with(example_directory, lambda l: l.kind == "group" and l.location and l.meetings and not l.online)
    online = listing_with(example_directory, lambda l: l.kind == "group" and l.online and l.online.url and l.meetings)
    page.clock.set_fixed_time(dt.datetime(2026, 3, 11, 15, 0, tzinfo=dt.timezone.utc))
    for listing in (in_person, online):
        page.goto(f"{example_server}groups/{listing.slug}/")
        page.get_by_role("button", name="Save to My meetings").click()
    page.goto(f"{example_server}my-meetings/")
    expect(page.locator(".rd-my__item")).to_have_count(2)
    assert "only in this browser" in page.inner_text(".rd-my__privacy")
    times = [page.locator(".rd-my__item time").nth(i).get_attribute("datetime") for i in range(2)]
    assert times == sorted(times), "soonest first"
    names = page.locator(".rd-my__name").all_inner_texts()
    assert set(names) == {in_person.name, online.name}
    item = page.locator(".rd-my__item", has_text=online.name)
    assert item.get_by_role("link", name="Join online").get_attribute("href") == online.online.url
    item = page.locator(".rd-my__item", has_text=in_person.name)
    assert item.get_by_role("link", name="Directions").get_attribute("href").startswith("https://www.openstreetmap.org/")
    expect(page.locator(".rd-my__zone")).to_have_text("Times are in your time zone (America/Chicago).")
    # Removing, by keyboard: the list follows.
    page.get_by_role("button", name=f"Remove {online.name} from My meetings").press("Enter")
    expect(page.locator(".rd-my__item")).to_have_count(1)
    assert page.log.elsewhere == [] and page.log.page_errors == [] and page.log.console_errors == []


def test_a_saved_listing_no_longer_in_the_directory_says_so(page, example_server):
    page.goto(f"{example_server}my-meetings/")
    page.evaluate(f"""localStorage.setItem('{KEY}', JSON.stringify({{version: 1, saved: [
        {{slug: 'closed-last-year', name: 'Closed Last Year Group', url: 'groups/closed-last-year/', at: 1}}]}}))""")
    page.reload()
    item = page.locator(".rd-my__item")
    expect(item).to_have_count(1)
    expect(item.locator(".rd-my__name")).to_have_text("Closed Last Year Group")
    expect(item.locator(".rd-my__gone")).to_contain_text("No longer listed")


def test_nothing_saved_says_how_to_save(page, example_server):
    page.goto(f"{example_server}my-meetings/")
    expect(page.locator(".rd-my__empty")).to_be_visible()
    expect(page.locator(".rd-my__item")).to_have_count(0)


def test_online_now_results_carry_a_save_control(page, example_server):
    page.clock.set_fixed_time(dt.datetime(2026, 3, 11, 15, 0, tzinfo=dt.timezone.utc))
    page.goto(f"{example_server}online/")
    expect(page.locator(".rd-online-now__status")).to_have_text("")
    button = page.locator(".rd-online-now__meeting .rd-save__button").first
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    slug = json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))["saved"][0]["slug"]
    assert page.locator(f".rd-online-now__meeting:has(a[href$='/{slug}/']) .rd-save__button").count() >= 1


def test_my_meetings_is_in_the_nav_and_every_listing_page_has_a_save_control(example_site, example_directory):
    home = example_site.soup("")
    assert any(a.get_text(strip=True) == "My meetings" for a in home.select(".md-nav a"))
    for listing in example_directory.listings:
        folder = {"group": "groups", "family-group": "family-groups", "treatment-center": "treatment-centers"}[listing.kind]
        button = example_site.soup(f"{folder}/{listing.slug}/").select_one("button[data-rd-save]")
        assert button is not None and button["aria-pressed"] == "false", listing.slug
        assert json.loads(button["data-rd-save"])["slug"] == listing.slug


def saved_entries(*listings) -> str:
    entries = [{"slug": l.slug, "name": l.name, "url": f"groups/{l.slug}/", "at": 1} for l in listings]
    return json.dumps({"version": 1, "saved": entries})


@pytest.fixture
def page_alone(browser):
    """A page whose every request is its own: no service worker answers or adds any."""
    context, page = chicago_page(browser, "block")
    yield page
    context.close()


def test_my_meetings_fetches_only_the_shards_of_the_saved_listings(page_alone, sharded_server, sharded_site, example_directory):
    page = page_alone
    count, first, second = listings_in_two_shards(sharded_site, example_directory)
    page.goto(f"{sharded_server}my-meetings/")
    page.evaluate("(value) => localStorage.setItem('rd-saved-meetings', value)", saved_entries(first, second))
    page.log.requests.clear()
    page.reload()
    expect(page.locator(".rd-my__item time")).to_have_count(2)
    assert set(page.locator(".rd-my__name").all_inner_texts()) == {first.name, second.name}
    fetched = sorted(u for u in page.log.requests if "/data/" in u)
    assert fetched == sorted(f"{sharded_server}data/listings/{n}.json" for n in ("index", shard_of(first.slug, count), shard_of(second.slug, count)))
    assert page.log.elsewhere == [] and page.log.page_errors == [] and page.log.console_errors == []


def test_the_browser_finds_each_slug_in_the_shard_the_build_wrote_it_to(page, sharded_server, sharded_site):
    count = json.loads(sharded_site.source("data/listings/index.json"))["shards"]
    written = {slug: number for number in range(count)
               for slug in json.loads(sharded_site.source(f"data/listings/{number}.json"))["listings"]}
    others = ["a", "closed-last-year", "cañon-city-group", "x" * 200] + [f"group-{n}-springfield-il" for n in range(200)]
    page.goto(f"{sharded_server}my-meetings/")
    for shards in (count, 1, 7, 1244):
        found = page.evaluate("([slugs, count]) => slugs.map((slug) => RDSaved.shardOf(slug, count))", [list(written) + others, shards])
        assert found == [shard_of(slug, shards) for slug in list(written) + others], shards
        if shards == count:
            assert found[:len(written)] == list(written.values())


def test_a_shard_of_a_newer_build_is_asked_again_with_its_own_count(page_alone, sharded_server, sharded_site, example_directory):
    # The kept index says 1 shard (an older build); the site now has many: My
    # meetings sees the shard's own count and asks its real shard, never "no longer listed".
    page = page_alone
    listing = next(l for l in example_directory.listings if l.kind == "group" and l.meetings)
    count = json.loads(sharded_site.source("data/listings/index.json"))["shards"]
    assert shard_of(listing.slug, count) != 0
    page.route("**/data/listings/index.json", lambda route: route.fulfill(json={"version": 2, "shards": 1}))
    page.goto(f"{sharded_server}my-meetings/")
    page.evaluate("(value) => localStorage.setItem('rd-saved-meetings', value)", saved_entries(listing))
    page.reload()
    expect(page.locator(".rd-my__item time")).to_have_count(1)
    expect(page.locator(".rd-my__gone")).to_have_count(0)
    expect(page.locator(".rd-my__status")).to_have_text("")
    assert f"{sharded_server}data/listings/0.json" in page.log.requests  # as the old index said
    assert f"{sharded_server}data/listings/{shard_of(listing.slug, count)}.json" in page.log.requests
