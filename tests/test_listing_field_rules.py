"""The listing fields behind a complete listing page (Meeting Guide names):
named contacts and the anonymity warning, Seventh Tradition links, the service
body that keeps the listing, feedback addresses and the dial-in's own notes.
Each rule's exact line, as ``recovery-directory validate`` prints it, and the
site settings (``extra.directory.entity``, ``directions``) with their messages.
"""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from recovery_directory.contributions import CASH_APP, HOMEGROUP_ONLINE, PAYPAL, VENMO, contributions
from recovery_directory.fields import Lookups
from recovery_directory.listing import Contact, Entity, keeper
from recovery_directory.schema import full_surname
from recovery_directory.settings import entity_from_setting
from recovery_directory.siblings import find_siblings

from listing_texts import GROUP, ONLINE_GROUP  # noqa: E402 - shared with test_validation_rules

ANONYMITY = "the group's tradition of anonymity asks for a first name and last initial"


def lines(problem_lines, text: str, folder: str = "groups") -> list[str]:
    return problem_lines({f"{folder}/x.yml": text})


# --- contacts and anonymity ------------------------------------------------------

def test_a_full_surname_is_a_warning_with_file_line_and_field(make_directory):
    directory = make_directory({"groups/x.yml": GROUP + "contact_1_name: Bob Smith\ncontact_1_email: bob@example.org\n"})
    result = directory.validate()
    assert [str(p) for p in result.problems] == [
        f"directory/groups/x.yml:11:17: warning: contact_1_name: 'Smith' looks like a full surname — {ANONYMITY}, e.g. 'Bob S.'",
    ]
    assert result.ok and result.listings[0].contacts == (Contact("Bob Smith", "bob@example.org"),)


def test_the_surname_warning_names_the_contact_number_and_its_own_example(problem_lines):
    text = GROUP + 'contact_3_name: "Maria José García-Lopez"\ncontact_3_phone: "+1 217 555 0101"\n'
    assert lines(problem_lines, text) == [
        f"directory/groups/x.yml:11:17: warning: contact_3_name: 'García-Lopez' looks like a full surname — {ANONYMITY}, e.g. 'Maria G.'",
    ]


def test_the_surname_warning_in_a_family_group(problem_lines):
    text = ONLINE_GROUP.replace("fellowship: na      ", "fellowship: al-anon ") + "contact_2_name: Ann Jones\ncontact_2_email: ann@example.org\n"
    assert lines(problem_lines, text, "family-groups") == [
        f"directory/family-groups/x.yml:9:17: warning: contact_2_name: 'Jones' looks like a full surname — {ANONYMITY}, e.g. 'Ann J.'",
    ]


@pytest.mark.parametrize("name, surname", [
    ("Bob Smith", "Smith"), ("bob Smith", "Smith"), ("Bob SMITH", "SMITH"), ("Bob O'Neil", "O'Neil"),
    ("Bob S.", None), ("Bob S", None), ("Bob", None), ("Bob St.", None), ("Mary-Jo K.", None),
    ("Bob (secretary)", None), ("Bob s", None), ("Bob Sm1th", None), ("", None), (None, None),
])
def test_what_counts_as_a_full_surname(name, surname):
    assert full_surname(name) == surname


def test_first_names_and_initials_pass(make_directory):
    text = GROUP + ("contact_1_name: Bob S.\ncontact_1_email: bob@example.org\n"
                    "contact_2_name: Ann\ncontact_2_phone: \"+1 217 555 0102\"\n"
                    "contact_3_email: secretary@example.org\n")
    result = make_directory({"groups/x.yml": text}).validate()
    assert [str(p) for p in result.problems] == []
    assert result.listings[0].contacts == (Contact("Bob S.", "bob@example.org"), Contact("Ann", None, "+1 217 555 0102"),
                                           Contact(None, "secretary@example.org"))


def test_a_contact_name_with_no_way_to_reach_them(problem_lines):
    assert lines(problem_lines, GROUP + "contact_2_name: Ann\n") == [
        "directory/groups/x.yml:11:17: contact_2_name: gives no way to reach 'Ann' — add contact_2_email or contact_2_phone, or delete contact_2_name",
    ]


def test_contact_fields_are_checked_like_the_groups_own(problem_lines):
    text = GROUP + 'contact_1_name: Bob S.\ncontact_1_email: bob@\ncontact_1_phone: "555-0100"\n'
    assert lines(problem_lines, text) == [
        "directory/groups/x.yml:12:18: contact_1_email: 'bob@' is not an e-mail address (There must be something after the @-sign.) — e.g. secretary@example.org",
        "directory/groups/x.yml:13:18: contact_1_phone: '555-0100' is not a valid phone number — include the area code, e.g. +1 217 555 0100",
    ]


def test_a_fourth_contact_is_an_unknown_field(problem_lines):
    assert lines(problem_lines, GROUP + "contact_4_name: Bob S.\n") == [
        "directory/groups/x.yml:11:1: contact_4_name: unknown field 'contact_4_name' — did you mean 'contact_3_name'?",
    ]


# --- Seventh Tradition ---------------------------------------------------------------

@pytest.mark.parametrize("line, message", [
    ("venmo: Downtown-Serenity", "11:8: venmo: 'Downtown-Serenity' needs @ in front: '@Downtown-Serenity'"),
    ("venmo: '@ab'", "11:8: venmo: '@ab' is not a Venmo username — write @ and the group's username (5 to 30 letters, digits, - or _), e.g. @Downtown-Serenity"),
    ("venmo: https://paypal.me/Downtown", "11:8: venmo: 'https://paypal.me/Downtown' is not a link to a Venmo page — write the Venmo username, e.g. @Downtown-Serenity, or the link to the group's page, e.g. https://venmo.com/u/Downtown-Serenity"),
    ("venmo: 'https://venmo.com/u/abcdef\"><script>alert(1)</script>'", "11:8: venmo: 'https://venmo.com/u/abcdef\"><script>alert(1)</script>' is not a link to a Venmo page — write the Venmo username, e.g. @Downtown-Serenity, or the link to the group's page, e.g. https://venmo.com/u/Downtown-Serenity"),
    ("venmo: javascript:alert(1)", "11:8: venmo: 'javascript:alert(1)' is not a link to a Venmo page — write the Venmo username, e.g. @Downtown-Serenity, or the link to the group's page, e.g. https://venmo.com/u/Downtown-Serenity"),
    ("square: DowntownSerenity", "11:9: square: 'DowntownSerenity' needs $ in front: '$DowntownSerenity'"),
    ("square: '$123'", "11:9: square: '$123' is not a Cash App $cashtag — write $ and the group's cashtag (up to 20 letters, digits, - or _, with at least one letter), e.g. $DowntownSerenity"),
    ("paypal: '@Downtown'", "11:9: paypal: '@Downtown' is not a PayPal.me name — write the group's PayPal.me name (up to 20 letters and digits), without paypal.me/, e.g. DowntownSerenity"),
    ("paypal: 12345", "11:9: paypal: must be a PayPal.me name or link in quotes, not 12345"),
    ("homegroup_online: 'a b'", "11:19: homegroup_online: 'a b' is not a Homegroup Online group code — write the group's code from its Homegroup Online page (letters, digits, - or _), e.g. downtown-serenity"),
])
def test_contribution_handles_and_links(problem_lines, line, message):
    assert lines(problem_lines, GROUP + line + "\n") == [f"directory/groups/x.yml:{message}"]


@pytest.mark.parametrize("service, value, handle, url", [
    (VENMO, "@Downtown-Serenity", "@Downtown-Serenity", "https://venmo.com/u/Downtown-Serenity"),
    (VENMO, "https://venmo.com/u/Downtown-Serenity", "@Downtown-Serenity", "https://venmo.com/u/Downtown-Serenity"),
    (VENMO, "https://account.venmo.com/u/Downtown_1/", "@Downtown_1", "https://venmo.com/u/Downtown_1"),
    (VENMO, "https://venmo.com/Downtown-Serenity", "@Downtown-Serenity", "https://venmo.com/u/Downtown-Serenity"),
    (CASH_APP, "$DowntownSerenity", "$DowntownSerenity", "https://cash.app/$DowntownSerenity"),
    (CASH_APP, "https://cash.app/$Downtown1", "$Downtown1", "https://cash.app/$Downtown1"),
    (PAYPAL, "DowntownSerenity", "DowntownSerenity", "https://www.paypal.me/DowntownSerenity"),
    (PAYPAL, "https://paypal.me/DowntownSerenity", "DowntownSerenity", "https://www.paypal.me/DowntownSerenity"),
    (PAYPAL, "https://www.paypal.com/paypalme/Downtown", "Downtown", "https://www.paypal.me/Downtown"),
    (HOMEGROUP_ONLINE, "tbc", "tbc", "https://donate.homegroup.online/tbc/"),
    (HOMEGROUP_ONLINE, "https://donate.homegroup.online/tbc/", "tbc", "https://donate.homegroup.online/tbc/"),
])
def test_each_form_gives_the_handle_and_the_groups_page(service, value, handle, url):
    assert service.check(value, Lookups({}, set())) == []
    assert (service.written(value), service.link(value)) == (handle, url)


def test_contributions_come_in_the_pages_order(make_directory):
    text = GROUP + "homegroup_online: tbc\npaypal: Downtown\nsquare: $Downtown\nvenmo: '@Downtown-Serenity'\n"
    result = make_directory({"groups/x.yml": text}).validate()
    assert [str(p) for p in result.problems] == []
    assert [(c.service, c.handle, c.url) for c in contributions(result.listings[0])] == [
        ("Venmo", "@Downtown-Serenity", "https://venmo.com/u/Downtown-Serenity"),
        ("Cash App", "$Downtown", "https://cash.app/$Downtown"),
        ("PayPal", "Downtown", "https://www.paypal.me/Downtown"),
        ("Homegroup Online", "tbc", "https://donate.homegroup.online/tbc/"),
    ]


# --- who keeps the listing, and feedback ------------------------------------------------

def test_entity_details_need_the_entitys_name(problem_lines):
    text = GROUP + "entity_phone: \"+1 217 555 0199\"\nentity_url: https://example.org\n"
    assert lines(problem_lines, text) == [
        "directory/groups/x.yml:11:15: entity_phone: belongs to a service body with no name — add entity: with its name, "
        "e.g. entity: Central Illinois Intergroup",
    ]


def test_entity_and_feedback_fields_build_the_keeper(make_directory):
    text = GROUP + ("entity: Central Illinois Intergroup\nentity_email: office@example.org\nentity_url: https://example.org\n"
                    "feedback_emails: [listings@example.org, web@example.org]\nfeedback_url: mailto:listings@example.org?subject=x\n")
    result = make_directory({"groups/x.yml": text}).validate()
    assert [str(p) for p in result.problems] == []
    listing = result.listings[0]
    assert listing.entity == Entity("Central Illinois Intergroup", "office@example.org", None, "https://example.org")
    default = Entity("Site Intergroup", feedback_emails=("site@example.org",), feedback_url="https://example.org/site")
    kept = keeper(listing, default)
    assert (kept.entity, kept.feedback_emails, kept.feedback_url) == (
        listing.entity, ("listings@example.org", "web@example.org"), "mailto:listings@example.org?subject=x")


def test_the_sites_entity_keeps_a_listing_that_names_none(make_directory):
    listing = make_directory({"groups/x.yml": GROUP}).validate().listings[0]
    default = Entity("Site Intergroup", feedback_emails=("site@example.org",), feedback_url="https://example.org/site")
    kept, unkept = keeper(listing, default), keeper(listing)
    assert (kept.entity, kept.feedback_emails, kept.feedback_url) == (default, ("site@example.org",), "https://example.org/site")
    assert (unkept.entity, unkept.feedback_emails, unkept.feedback_url) == (None, (), None)


@pytest.mark.parametrize("line, message", [
    ("feedback_url: javascript:alert(1)", "11:15: feedback_url: 'javascript:alert(1)' is not a web address — only links starting with https://, http:// or mailto: are allowed"),
    ("feedback_url: 'mailto:'", "11:15: feedback_url: 'mailto:' is not a complete mailto: link — write mailto: and the address, e.g. mailto:listings@example.org"),
    ("feedback_url: mailto:listings", "11:15: feedback_url: 'mailto:listings' is not a complete mailto: link — write mailto: and the address, e.g. mailto:listings@example.org"),
    ("feedback_emails: [listings@example.org, nope]", "11:41: feedback_emails[1]: 'nope' is not an e-mail address (An email address must have an @-sign.) — e.g. secretary@example.org"),
    ("feedback_emails: listings@example.org", "11:18: feedback_emails: must be a list, not 'listings@example.org' — start each entry on its own line with '- '"),
    ("entity_url: mailto:office@example.org", "11:13: entity_url: 'mailto:office@example.org' is not a web address — only links starting with https:// or http:// are allowed"),
])
def test_feedback_and_entity_links(problem_lines, line, message):
    text = GROUP + ("entity: Central Illinois Intergroup\n" if line.startswith("entity_") else "") + line + "\n"
    if line.startswith("entity_"):
        message = message.replace("11:", "12:", 1)
    assert lines(problem_lines, text) == [f"directory/groups/x.yml:{message}"]


# --- the dial-in's own notes -----------------------------------------------------------------

def test_phone_notes_need_a_phone(problem_lines):
    text = ONLINE_GROUP.replace("  url: https://zoom.us/j/1234567890   # 5\n",
                                "  url: https://zoom.us/j/1234567890   # 5\n  phone_notes: Passcode 1234\n")
    assert lines(problem_lines, text) == [
        "directory/groups/x.yml:6:16: online.phone_notes: describes a dial-in number the listing does not give — "
        "add online.phone, or move these notes to online.notes",
    ]


def test_phone_notes_beside_a_phone(make_directory):
    text = ONLINE_GROUP.replace("  url: https://zoom.us/j/1234567890   # 5\n",
                                "  url: https://zoom.us/j/1234567890   # 5\n  phone: '+1 646 555 0100,,123#'\n  phone_notes: Passcode 1234\n")
    result = make_directory({"groups/x.yml": text}).validate()
    assert [str(p) for p in result.problems] == []
    assert result.listings[0].online.phone_notes == "Passcode 1234"


# --- only groups and family groups -------------------------------------------------------------

def test_a_treatment_centre_has_no_contribution_links(problem_lines):
    text = """\
name: Prairie Recovery Center
region: austin
location:
  address: 500 Congress Ave
  city: Austin
phone: "+1 512 555 0100"
services: [detox]
payment: [medicaid]
venmo: '@Prairie-Recovery'
"""
    [line] = lines(problem_lines, text, "treatment-centers")
    assert line.startswith("directory/treatment-centers/x.yml:9:1: venmo: unknown field 'venmo' — allowed here: ")


# --- site settings --------------------------------------------------------------------------------

def test_the_sites_entity_setting():
    assert entity_from_setting(None) is None
    assert entity_from_setting({"name": "Intergroup", "email": "office@example.org", "feedback_emails": ["a@example.org"]}) == \
        Entity("Intergroup", "office@example.org", feedback_emails=("a@example.org",))


@pytest.mark.parametrize("raw, message", [
    ({"email": "office@example.org"}, "mkdocs.yml: extra.directory.entity: give the service body's name, and optionally email, phone, url, feedback_emails, feedback_url"),
    ("Intergroup", "mkdocs.yml: extra.directory.entity: give the service body's name, and optionally email, phone, url, feedback_emails, feedback_url"),
    ({"name": "I", "logo": "x"}, "mkdocs.yml: extra.directory.entity: unknown key(s) logo — known: name, email, phone, url, feedback_emails, feedback_url"),
    ({"name": "I", "url": "javascript:alert(1)"}, "mkdocs.yml: extra.directory.entity.url: 'javascript:alert(1)' is not a web address — only links starting with https:// or http:// are allowed"),
    ({"name": "I", "feedback_emails": ["nope"]}, "mkdocs.yml: extra.directory.entity.feedback_emails: 'nope' is not an e-mail address (An email address must have an @-sign.) — e.g. secretary@example.org"),
])
def test_the_sites_entity_setting_is_checked(raw, message):
    with pytest.raises(PluginError) as raised:
        entity_from_setting(raw)
    assert str(raised.value) == message


# --- the group's other listings, and others at its address (siblings.py) -----------------------

def test_siblings_by_group_and_by_address(make_directory):
    def group(name: str, fellowship: str, region: str, where: str, city: str = "Springfield") -> str:
        place = f"location: {{address: {where}, city: {city}}}" if where else "online: {url: https://zoom.us/j/1}"
        return f"name: {name}\nfellowship: {fellowship}\nregion: {region}\n{place}\nmeetings: [{{day: monday, time: '19:00'}}]\n"

    result = make_directory({
        "groups/serenity.yml": group("Serenity Group", "aa", "springfield", "1 Main St"),
        "groups/serenity-online.yml": group("SERENITY group!", "aa", "springfield", ""),
        "groups/serenity-chicago.yml": group("Serenity Group", "aa", "chicago", "1 Main St", "Chicago"),  # another city's
        "groups/serenity-na.yml": group("Serenity Group", "na", "springfield", "9 Elm St"),  # another fellowship's
        "family-groups/al-anon.yml": group("Main Street Al-Anon", "al-anon", "springfield", "1 Main Street"),
    }).validate()
    assert [str(p) for p in result.problems] == []
    found = {slug: ([l.slug for l in s.same_group], [l.slug for l in s.same_place]) for slug, s in find_siblings(result.listings).items()}
    assert found == {
        "serenity": (["serenity-online"], ["al-anon"]),
        "serenity-online": (["serenity"], []),
        "al-anon": ([], ["serenity"]),
    }
