"""The listing page, complete: every field a listing has is on its page (and in
meetings.json under the Meeting Guide format's name), every field it lacks is
absent without an empty heading or a stray label, and hostile values in the
new fields come out as text.

Built from listing_site_fixtures.py (no default service body, directions to
Google Maps), the example site (a default service body in mkdocs.yml) and the
hostile site (hostile_listings.py)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from hostile_listings import HOSTILE_LISTINGS, HOSTILE_URL
from field_listings import FULL_GROUP, LISTINGS
from recovery_directory.render import catalogue, mailto_url, tel_url
from recovery_directory.schema import KIND_BY_KEY
from site_build import CONFIG, SITE_URL, text

pytest_plugins = ["site_fixtures", "listing_site_fixtures"]

T = catalogue("en")
FULL, BARE, BARE_ONLINE = "groups/full-group/", "groups/bare-group/", "groups/bare-online/"
# Every field the listing page added, as meetings.json names it.
NEW_FEED_FIELDS = {
    "conference_phone_notes", "contact_1_name", "contact_1_email", "contact_1_phone", "contact_2_name", "contact_2_email",
    "contact_2_phone", "contact_3_name", "contact_3_email", "contact_3_phone", "venmo", "square", "paypal",
    "homegroup_online", "entity", "entity_email", "entity_phone", "entity_url", "entity_website_url",
    "feedback_emails", "feedback_url",
}


@pytest.fixture(scope="module")
def full(fields_site):
    return fields_site.soup(FULL)


@pytest.fixture(scope="module")
def bare(fields_site):
    return fields_site.soup(BARE)


@pytest.fixture(scope="module")
def feed(fields_site) -> list[dict]:
    return json.loads((fields_site.root / "meetings.json").read_text(encoding="utf-8"))


def flat(element) -> str:
    """An element's text as a reader sees it: runs of whitespace made single spaces."""
    return " ".join(element.get_text().split())


def section(soup, heading_id: str):
    heading = soup.find(id=heading_id)
    return heading.find_parent(["section", "footer"]) if heading else None


def test_the_site_builds_without_warnings(fields_build):
    assert fields_build.returncode == 0 and fields_build.warnings == [], fields_build.output


# --- getting there -------------------------------------------------------------------

def test_address_location_notes_and_directions(full):
    address = section(full, "rd-address")
    assert text(address.find("address")) == "St. Mark's Church 1 Main St Springfield, IL 62701"
    assert text(address.select_one(".rd-location-notes")) == "Side door, basement"
    directions = address.select_one("a.rd-directions")
    query = quote("1 Main St, Springfield, IL 62701", safe="")
    assert directions["href"] == f"https://www.google.com/maps/dir/?api=1&destination={query}"
    assert directions["data-apple-href"] == f"https://maps.apple.com/?daddr={query}"
    assert text(directions) == T.directions and "nofollow" in directions["rel"]


def test_the_default_directions_go_to_openstreetmap(example_site, example_directory):
    listing = next(l for l in example_directory.listings if l.slug == "capital-city-group")
    link = example_site.soup("groups/capital-city-group/").select_one("a.rd-directions")
    assert link["href"] == "https://www.openstreetmap.org/search?query=" + quote(listing.location.one_line, safe="")


def test_accessibility_in_words(full, bare):
    access = section(full, "rd-access")
    assert [text(li) for li in access.select("li")] == [
        "American Sign Language (Monday only)", "Wheelchair Access", "Wheelchair-Accessible Bathroom (Saturday only)"]
    assert section(bare, "rd-access") is None


# --- joining online ----------------------------------------------------------------------

def test_join_button_meeting_id_and_one_tap_dial_in(full):
    online = section(full, "rd-online")
    join = online.select_one("a.rd-join")
    assert (text(join), join["href"]) == ("Join on Zoom", "https://us02web.zoom.us/j/123456789")
    assert text(online.select_one(".rd-online-notes")) == "Meeting ID 123 456 789, passcode serenity"
    dial = online.select_one(".rd-dial-in a")
    assert (dial["href"], text(dial)) == ("tel:+16465550100,,123456789%23", "+1 646 555 0100")
    assert text(online.select_one(".rd-dial-in__pauses")) == T.dial_in_one_tap
    assert text(online.select_one(".rd-phone-notes")) == "Numeric passcode 246810"


def test_an_unknown_service_joins_online_with_nothing_else(fields_site):
    online = section(fields_site.soup(BARE_ONLINE), "rd-online")
    assert [(text(a), a["href"]) for a in online.select("a")] == [(T.join_online, "https://example.org/our-room")]
    assert not online.select(".rd-online-notes, .rd-dial-in, .rd-phone-notes")


def test_a_known_service_on_the_same_groups_other_listing(fields_site):
    join = fields_site.soup("groups/full-group-online/").select_one("a.rd-join")
    assert text(join) == "Join on Google Meet"


def test_in_person_only_has_no_joining_section(bare):
    assert section(bare, "rd-online") is None


@pytest.mark.parametrize("phone, url", [
    ("+1 646 555 0100,,123456789#", "tel:+16465550100,,123456789%23"),
    ("+1 646 555 0100,,123456789#,,,246810#", "tel:+16465550100,,123456789%23,,,246810%23"),
    ("+1 646 555 0100,,,*6", "tel:+16465550100,,,*6"),
    ("(646) 555-0100", "tel:6465550100"),
])
def test_tel_links_keep_the_pauses_and_codes(phone, url):
    # A comma pauses, # ends a code and is written %23 (it would start a fragment), * stays.
    assert tel_url(phone) == url


def test_feedback_mail_has_the_listing_in_its_subject():
    assert mailto_url("listings@example.org", "Listing: Café & Co") == "mailto:listings@example.org?subject=Listing%3A%20Caf%C3%A9%20%26%20Co"
    assert mailto_url("listings@example.org") == "mailto:listings@example.org"


# --- time ------------------------------------------------------------------------------------

def test_schedule_rows_carry_day_time_and_zone_for_the_script(full, bare):
    rows = full.select(".rd-schedule tbody tr")
    assert [(r["data-day"], r["data-time"], r["data-end"], r["data-zone"]) for r in rows] == [
        ("1", "19:00", "20:00", "America/Chicago"), ("6", "09:30", "", "America/Chicago")]
    assert text(full.select_one(".rd-schedule caption")) == f"{T.time_zone}: Central Time"
    assert full.select_one(".rd-your-zone").has_attr("hidden")
    scripts = [s["src"].rsplit("/", 1)[1] for s in full.select("script[src]")]
    assert scripts.index("meeting-time.js") < scripts.index("listing.js")


# --- the group and the place -------------------------------------------------------------------

def test_the_groups_other_meetings_and_others_at_the_address(fields_site, full):
    siblings = section(full, "rd-siblings")
    headings = [text(h) for h in siblings.find_all("h2")]
    assert headings == [T.siblings_same_group, T.siblings_same_place]
    linked = [(fields_site.resolve(FULL, a["href"])[0], text(a)) for a in siblings.select("a.rd-connection__name")]
    assert linked == [("groups/full-group-online/", "Full Group"), ("family-groups/same-place-al-anon/", "Same Place Al-Anon")]
    back = section(fields_site.soup("family-groups/same-place-al-anon/"), "rd-siblings")
    assert [text(h) for h in back.find_all("h2")] == [T.siblings_same_place]
    assert [fields_site.resolve("family-groups/same-place-al-anon/", a["href"])[0] for a in back.select("a")] == [FULL]


def test_group_notes_and_contacts(full):
    assert text(full.select_one(".rd-notes")) == "Coffee from 6:45"
    contact = section(full, "rd-contact")
    assert [flat(li) for li in contact.select("li")] == [
        "Website: https://example.org/full", "E-mail: group@example.org", "Phone: +1 217 555 0100",
        "Bob S.: bob@example.org · +1 217 555 0101", "Ann: +1 217 555 0102", "Contact 3: secretary@example.org"]
    assert [a["href"] for a in contact.select(".rd-contact__person a")] == [
        "mailto:bob@example.org", "tel:+12175550101", "tel:+12175550102", "mailto:secretary@example.org"]


def test_a_bare_listing_has_no_siblings_notes_or_contacts(bare):
    for heading in ("rd-siblings", "rd-notes", "rd-contact"):
        assert section(bare, heading) is None, heading


@pytest.mark.parametrize("url", [BARE, BARE_ONLINE])
def test_absent_fields_leave_no_trace(fields_site, url):
    """No empty heading, label or element for a field the listing does not have."""
    soup = fields_site.soup(url)
    article = soup.select_one("article.rd-listing")
    for selector in (".rd-location-notes", ".rd-online-notes", ".rd-phone-notes", ".rd-dial-in", ".rd-access",
                     ".rd-siblings", ".rd-contact", ".rd-contact__person", ".rd-contributions", ".rd-notes"):
        assert article.select(selector) == [], (url, selector)
    for heading in article.find_all("h2"):
        assert flat(heading.find_parent(["section", "footer"]) or heading) != flat(heading), (url, flat(heading))
    footer = soup.select_one(".rd-listing-footer")
    assert footer.select(".rd-keeper__entity, .rd-feedback__emails, .rd-feedback__url") == []


# --- contributions -------------------------------------------------------------------------------

def test_seventh_tradition_links_only(full, bare):
    gifts = section(full, "rd-contributions")
    assert [(text(a), a["href"]) for a in gifts.select("a")] == [
        ("Contribute with Venmo", "https://venmo.com/u/Full-Group"),
        ("Contribute with Cash App", "https://cash.app/$FullGroup"),
        ("Contribute with PayPal", "https://www.paypal.me/FullGroup"),
        ("Contribute with Homegroup Online", "https://donate.homegroup.online/full-group/"),
    ]
    assert [text(s) for s in gifts.select(".rd-contributions__handle")] == ["@Full-Group", "$FullGroup", "FullGroup", "full-group"]
    assert not gifts.find_all(["img", "iframe", "script", "form", "button"])
    assert section(bare, "rd-contributions") is None


# --- who keeps this listing ----------------------------------------------------------------------

def test_who_keeps_the_listing(full):
    footer = section(full, "rd-keeper")
    assert text(footer.select_one(".rd-keeper__entity")) == (
        "Kept by: Central Illinois Intergroup · https://example.org/intergroup · office@example.org · +1 217 555 0199")
    links = {text(a): a["href"] for a in footer.select("a")}
    assert links["https://example.org/intergroup"] == "https://example.org/intergroup"
    assert links["office@example.org"] == "mailto:office@example.org"
    assert links["+1 217 555 0199"] == "tel:+12175550199"
    assert footer.find("time")["datetime"] == "2026-01-15"
    assert T.edit_listing in links and T.report_problem in links
    subject = quote("Listing: Full Group", safe="")
    assert links["listings@example.org"] == f"mailto:listings@example.org?subject={subject}"
    assert links["web@example.org"] == f"mailto:web@example.org?subject={subject}"
    assert links[T.feedback_form] == "https://example.org/feedback"


def test_without_a_service_body_only_the_listings_own_links_remain(bare):
    footer = section(bare, "rd-keeper")
    assert footer.select(".rd-keeper__entity, .rd-feedback__emails, .rd-feedback__url") == []
    assert T.last_verified_unknown in text(footer)
    assert {text(a) for a in footer.select("a")} == {T.edit_listing, T.report_problem}


def test_the_sites_default_service_body(example_site, example_directory):
    default = CONFIG["extra"]["directory"]["entity"]
    for listing in example_directory.listings:
        url = f"{KIND_BY_KEY[listing.kind].folder}/{listing.slug}/"
        entity = example_site.soup(url).select_one(".rd-keeper__entity strong")
        assert text(entity) == (listing.entity.name if listing.entity else default["name"]), url
    assert any(listing.entity for listing in example_directory.listings)


# --- sharing and discovery -------------------------------------------------------------------------

def test_every_listing_page_has_a_share_button_the_script_reveals(fields_site):
    for relative in LISTINGS:
        soup = fields_site.soup(relative.removesuffix(".yml") + "/")
        share = soup.select_one("article .rd-share")
        assert share.has_attr("hidden") and text(share.button) == T.share and share.button["type"] == "button"
        assert share.select_one('[role="status"][aria-live="polite"]') is not None


def test_listing_pages_link_their_feed_for_discovery(fields_site):
    for relative in LISTINGS:
        soup = fields_site.soup(relative.removesuffix(".yml") + "/")
        [alternate] = soup.head.find_all("link", rel="alternate", type="application/json")
        # In <noscript>: the theme's script would fetch sitemap.xml beside it (main.html).
        assert alternate.parent.name == "noscript"
        centre = relative.startswith("treatment-centers/")
        assert alternate["href"] == SITE_URL + ("treatment-centers.json" if centre else "meetings.json")
        assert alternate["title"] == ("Treatment Centres Feed" if centre else "Meetings Feed")
    for page in ("", "regions/", "online/"):
        assert fields_site.soup(page).head.find("link", rel="alternate", type="application/json") is None


# --- the same fields in the feed ---------------------------------------------------------------------

def test_the_feed_carries_every_field_under_its_meeting_guide_name(feed):
    meetings = [m for m in feed if m["group_id"] == "full-group"]
    assert len(meetings) == 2
    for meeting in meetings:
        assert NEW_FEED_FIELDS - {"contact_2_email", "contact_3_name", "contact_3_phone"} <= set(meeting)
        assert {key: meeting[key] for key in sorted(NEW_FEED_FIELDS) if key in meeting} == {
            "conference_phone_notes": "Numeric passcode 246810",
            "contact_1_name": "Bob S.", "contact_1_email": "bob@example.org", "contact_1_phone": "+1 217 555 0101",
            "contact_2_name": "Ann", "contact_2_phone": "+1 217 555 0102", "contact_3_email": "secretary@example.org",
            "venmo": "@Full-Group", "square": "$FullGroup", "paypal": "FullGroup", "homegroup_online": "full-group",
            "entity": "Central Illinois Intergroup", "entity_email": "office@example.org", "entity_phone": "+1 217 555 0199",
            "entity_url": "https://example.org/intergroup", "entity_website_url": "https://example.org/intergroup",
            "feedback_emails": ["listings@example.org", "web@example.org"], "feedback_url": "https://example.org/feedback",
        }
        assert (meeting["location_notes"], meeting["conference_url_notes"], meeting["group_notes"]) == (
            "Side door, basement", "Meeting ID 123 456 789, passcode serenity", "Coffee from 6:45")


def test_a_bare_listing_has_none_of_them_in_the_feed(feed):
    for slug in ("bare-group", "bare-online"):
        [meeting] = [m for m in feed if m["group_id"] == slug]
        assert not NEW_FEED_FIELDS & set(meeting), slug


def test_the_feed_carries_the_sites_default_service_body(example_site, example_directory):
    default = CONFIG["extra"]["directory"]["entity"]
    feed = json.loads((example_site.root / "meetings.json").read_text(encoding="utf-8"))
    own = {l.slug: l.entity for l in example_directory.listings if l.entity}
    for meeting in feed:
        entity = own.get(meeting["group_id"])
        assert meeting["entity"] == (entity.name if entity else default["name"]), meeting["slug"]
        if not entity:
            assert meeting["entity_url"] == meeting["entity_website_url"] == default["url"]
            assert meeting["feedback_emails"] == default["feedback_emails"]


# --- hostile values in every new field -------------------------------------------------------------------

def test_hostile_values_in_the_new_fields_are_text(hostile_site):
    data = HOSTILE_LISTINGS["groups/script-everywhere.yml"]
    soup = hostile_site.soup("groups/script-everywhere/")
    names = [n.get_text() for n in soup.select(".rd-contact__name")]
    assert names == [data["contact_1_name"], data["contact_2_name"], data["contact_3_name"]]
    assert all(not n.find(True) for n in soup.select(".rd-contact__name"))
    assert soup.select_one(".rd-phone-notes").get_text() == data["online"]["phone_notes"]
    assert not soup.select_one(".rd-phone-notes").find(True)
    entity = soup.select_one(".rd-keeper__entity")
    assert entity.strong.get_text() == data["entity"] and not entity.strong.find(True)
    assert entity.select("a")[0]["href"] == HOSTILE_URL and entity.select("a")[0].get_text() == HOSTILE_URL
    feedback = soup.select_one(".rd-feedback__url a")
    assert feedback["href"] == data["feedback_url"] and set(feedback.attrs) == {"href", "rel"}
    join = soup.select_one("a.rd-join")
    assert (join["href"], join.get_text()) == (HOSTILE_URL, T.join_online)
    footer = soup.select_one(".rd-listing-footer")
    assert not footer.find_all(["script", "img", "iframe", "svg"])
    assert not [e for e in footer.find_all(True) if any(a.lower().startswith("on") for a in e.attrs)]


def test_hostile_values_are_text_in_the_feed(hostile_site):
    data = HOSTILE_LISTINGS["groups/script-everywhere.yml"]
    feed = json.loads((hostile_site.root / "meetings.json").read_text(encoding="utf-8"))
    [meeting] = [m for m in feed if m["group_id"] == "script-everywhere"]
    assert (meeting["contact_1_name"], meeting["entity"], meeting["conference_phone_notes"]) == (
        data["contact_1_name"], data["entity"], data["online"]["phone_notes"])
    assert meeting["feedback_url"] == data["feedback_url"] and meeting["entity_url"] == HOSTILE_URL
