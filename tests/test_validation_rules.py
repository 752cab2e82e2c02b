"""One test per validation rule, each asserting the exact line a contributor sees:
``file:line:col: field: message``.

Listings are written into a temporary copy of the directory (see conftest.py);
the working directory is that copy's parent, so paths print as
``directory/groups/x.yml``.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

from recovery_directory import safe_yaml

from listing_texts import GROUP, ONLINE_GROUP  # noqa: E402 - shared with test_listing_field_rules

FAMILY_GROUP = """\
name: Hope for Today Al-Anon          # 1
fellowship: al-anon                   # 2
region: chicago                       # 3
online:                               # 4
  url: https://zoom.us/j/1234567890   # 5
meetings:                             # 6
  - day: tuesday                      # 7
    time: "19:00"                     # 8
"""

TREATMENT_CENTER = """\
name: Prairie Recovery Center         # 1
region: austin                        # 2
location:                             # 3
  address: 500 Congress Ave           # 4
  city: Austin                        # 5
  state: TX                           # 6
phone: "+1 512 555 0100"              # 7
services: [detox, residential]        # 8
payment: [medicaid, self-pay]         # 9
"""

ANCHORS_HINT = "uses YAML anchors or aliases (&name / *name) — write each value out in full"
NOT_YAML_HINT = ("check the indentation, and put text that contains a colon or starts with a "
                 "special character in quotes")
TAG_MESSAGE = ("uses a YAML tag (such as !!python/object) that is not allowed — listings hold "
               "plain text, numbers, lists and fields only")
GROUP_FIELDS = ("slug, name, fellowship, region, closed, location, online, meetings, timezone, languages, "
                "website, email, phone, notes, contact_1_name, contact_1_email, contact_1_phone, "
                "contact_2_name, contact_2_email, contact_2_phone, contact_3_name, contact_3_email, "
                "contact_3_phone, venmo, square, paypal, homegroup_online, entity, entity_email, "
                "entity_phone, entity_url, feedback_emails, feedback_url, last_verified")


def without(text: str, key: str) -> str:
    """``text`` with the top-level field ``key`` (and its indented block) removed."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith(f"{key}:"):
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def insert(text: str, after: int, lines: str) -> str:
    """``text`` with ``lines`` inserted after line ``after``."""
    head = text.splitlines(keepends=True)
    return "".join(head[:after]) + lines + "".join(head[after:])


def test_the_base_listings_are_valid(make_directory):
    directory = make_directory({
        "groups/downtown-serenity.yml": GROUP,
        "groups/night-owls.yml": ONLINE_GROUP,
        "family-groups/hope-for-today.yml": FAMILY_GROUP,
        "treatment-centers/prairie-recovery.yml": TREATMENT_CENTER,
    })
    result = directory.validate()
    assert [str(p) for p in result.problems] == []
    assert sorted(listing.slug for listing in result.listings) == [
        "downtown-serenity", "hope-for-today", "night-owls", "prairie-recovery"]


# --- Reading the file ---------------------------------------------------------


def test_malformed_yaml(problem_lines):
    assert problem_lines({"groups/x.yml": "name: Downtown: Serenity\n"}) == [
        f"directory/groups/x.yml:1:15: is not valid YAML: mapping values are not allowed in this context — {NOT_YAML_HINT}",
    ]


def test_file_that_is_not_utf8(problem_lines):
    assert problem_lines({"groups/x.yml": b"name: Caf\xe9 Serenity\n"}) == [
        "directory/groups/x.yml:1:10: is not valid UTF-8 text (byte 0xe9) — save the file with UTF-8 encoding",
    ]


def test_binary_file(problem_lines):
    assert problem_lines({"groups/x.yml": b"name: x\n\x00\x01\x02"}) == [
        "directory/groups/x.yml:2:1: is a binary file, not YAML text — save it as plain text (UTF-8)",
    ]


def test_file_over_the_size_limit(problem_lines):
    text = "# padding\n" * (300 * 1024 // 10)
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml: is 307,200 bytes, over the 262,144-byte (256 KiB) limit for one file — a "
        "listing is a few lines of text; check that the right file was added",
    ]


def test_file_just_over_the_size_limit_does_not_claim_to_be_at_the_limit(problem_lines):
    [line] = problem_lines({"groups/x.yml": "#" * (safe_yaml.MAX_FILE_BYTES + 1)})
    assert "is 256 KiB, over the 256 KiB limit" not in line
    assert line == (
        "directory/groups/x.yml: is 262,145 bytes, over the 262,144-byte (256 KiB) limit for one file — a "
        "listing is a few lines of text; check that the right file was added")


def test_symbolic_link(make_directory):
    directory = make_directory({"groups/real.yml": GROUP})
    os.symlink("real.yml", directory.root / "groups" / "link.yml")
    assert directory.lines() == [
        "directory/groups/link.yml: is a symbolic link — files in the directory must be ordinary files; "
        "replace the link with the file itself",
    ]


def test_symbolic_link_out_of_the_repository_never_shows_the_file(make_directory, capsys):
    directory = make_directory()
    os.symlink("/etc/passwd", directory.root / "groups" / "passwd.yml")
    result = directory.validate()
    lines = [str(p) for p in result.problems]
    assert lines == [
        "directory/groups/passwd.yml: is a symbolic link — files in the directory must be ordinary files; "
        "replace the link with the file itself",
    ]
    assert result.listings == []
    printed = capsys.readouterr()
    for text in lines + [printed.out, printed.err]:
        assert "root:" not in text


def test_kind_folder_that_is_a_symbolic_link_is_not_followed(make_directory, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yml").write_text("name: x\nfellowship: TOPSECRET\n", encoding="utf-8")
    directory = make_directory()
    (directory.root / "groups").rmdir()
    os.symlink(outside, directory.root / "groups")
    result = directory.validate()
    assert result.listings == []
    assert result.errors, "the link must be reported"
    assert not any("TOPSECRET" in str(p) for p in result.problems)
    assert [str(p) for p in result.problems] == [
        "directory/groups: is a folder or link — directory/groups/ holds only listing files",
    ]


def test_folder_inside_a_kind_folder(make_directory):
    directory = make_directory({"groups/springfield/downtown.yml": GROUP})
    assert directory.lines() == [
        "directory/groups/springfield: is a folder or link — directory/groups/ holds only listing files",
    ]


def test_file_that_is_not_yml(problem_lines):
    assert problem_lines({"groups/downtown.txt": GROUP}) == [
        "directory/groups/downtown.txt: is not a listing file — listing files end in .yml; rename it, "
        "or move it out of directory/groups/",
    ]


def test_named_pipe_is_not_an_ordinary_file(make_directory):
    directory = make_directory()
    os.mkfifo(directory.root / "groups" / "pipe.yml")
    assert directory.lines() == [
        "directory/groups/pipe.yml: is not an ordinary file — remove it from the directory",
    ]


@pytest.mark.parametrize("text", ["- name: x\n", "just some text\n", ""], ids=["list", "text", "empty"])
def test_top_level_is_not_a_mapping(problem_lines, text):
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:1:1: must be a set of fields, starting with 'name:' — see docs/contributing.md",
    ]


# --- Required and unknown fields ----------------------------------------------


@pytest.mark.parametrize("field, example", [
    ("name", ", e.g. name: Downtown Serenity Group"),
    ("fellowship", ", e.g. fellowship: aa"),
    ("region", ", e.g. region: springfield"),
    ("meetings", ""),
])
def test_missing_required_field_of_a_group(problem_lines, field, example):
    assert problem_lines({"groups/x.yml": without(GROUP, field)}) == [
        f"directory/groups/x.yml:1:1: {field}: is missing — add the {field} field{example}",
    ]


@pytest.mark.parametrize("field, example", [
    ("location", ""),
    ("phone", ", e.g. phone: +1 217 555 0100"),
    ("services", ", e.g. services: [detox, residential]"),
    ("payment", ", e.g. payment: [medicaid, private-insurance]"),
])
def test_missing_required_field_of_a_treatment_center(problem_lines, field, example):
    assert problem_lines({"treatment-centers/x.yml": without(TREATMENT_CENTER, field)}) == [
        f"directory/treatment-centers/x.yml:1:1: {field}: is missing — add the {field} field{example}",
    ]


def test_unknown_field_with_a_close_match(problem_lines):
    text = GROUP.replace("  address:", "  adress: ")
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:5:3: location.adress: unknown field 'adress' — did you mean 'address'?",
    ]


def test_unknown_field_without_a_close_match(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "parking: plenty\n"}) == [
        f"directory/groups/x.yml:11:1: parking: unknown field 'parking' — allowed here: {GROUP_FIELDS}",
    ]


# --- Types --------------------------------------------------------------------


def test_text_given_a_list(problem_lines):
    text = GROUP.replace("name: Downtown Serenity Group", "name: [Downtown, Serenity]")
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:1:7: name: must be a single piece of text, not a list",
    ]


def test_list_given_text(problem_lines):
    text = GROUP.replace("types: [O, D]", "types: O     ")
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:10:12: meetings[0].types: must be a list, not 'O' — start each entry "
        "on its own line with '- '",
    ]


def test_record_given_text(problem_lines):
    text = insert(without(GROUP, "location"), 3, "location: 123 Main St\n")
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:4:11: location: must be a group of fields (name: value), not '123 Main St'",
    ]


# --- Days and times -----------------------------------------------------------


def test_unknown_day_with_a_suggestion(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP.replace("monday", "mondy ")}) == [
        "directory/groups/x.yml:8:10: meetings[0].day: 'mondy' is not a day — did you mean 'monday'?",
    ]


def test_invalid_time(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP.replace('"19:30"', '"25:00"')}) == [
        "directory/groups/x.yml:9:11: meetings[0].time: '25:00' is not a time — use 24-hour HH:MM, e.g. 19:30",
    ]


def test_unquoted_time_is_read_as_text_and_valid(make_directory):
    directory = make_directory({"groups/x.yml": GROUP.replace('"19:30"', "19:30  ")})
    result = directory.validate()
    assert [str(p) for p in result.problems] == []
    assert result.listings[0].meetings[0].time == "19:30"


def test_time_without_leading_zero(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP.replace('"19:30"', "7:30   ")}) == [
        "directory/groups/x.yml:9:11: meetings[0].time: '7:30' is not a time — use 24-hour HH:MM with two "
        "digits for the hour: '07:30'",
    ]


def test_end_time_equal_to_time(problem_lines):
    text = insert(GROUP, 9, '    end_time: "19:30"\n')
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:10:15: meetings[0].end_time: is the same as the start time — give the "
        "time the meeting ends, or delete end_time",
    ]


# --- Vocabularies -------------------------------------------------------------


def test_unknown_meeting_type(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP.replace("[O, D]", "[O, Q]")}) == [
        "directory/groups/x.yml:10:16: meetings[0].types[1]: 'Q' is not a known meeting type — see "
        "directory/meeting-types.yml for the list",
    ]


def test_derived_meeting_type_onl(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP.replace("[O, D]", "[O, ONL]")}) == [
        "directory/groups/x.yml:10:16: meetings[0].types[1]: 'ONL' is set automatically from the "
        "listing's online link — remove it",
    ]


def test_unknown_fellowship(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP.replace("fellowship: aa", "fellowship: aaa")}) == [
        "directory/groups/x.yml:2:13: fellowship: 'aaa' is not a known fellowship — did you mean 'aa'?",
    ]


def test_family_fellowship_in_groups(problem_lines):
    text = GROUP.replace("fellowship: aa", "fellowship: al-anon")
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:2:13: fellowship: 'al-anon' is a family fellowship — move the file to "
        "directory/family-groups/, or pick one of: aa, ca, celebrate-recovery, cma, lifering, ma, na, "
        "recovery-dharma, smart-recovery, women-for-sobriety",
    ]


def test_peer_fellowship_in_family_groups(problem_lines):
    text = FAMILY_GROUP.replace("fellowship: al-anon", "fellowship: aa     ")
    assert problem_lines({"family-groups/x.yml": text}) == [
        "directory/family-groups/x.yml:2:13: fellowship: 'aa' is a peer fellowship — move the file to "
        "directory/groups/, or pick one of: al-anon, alateen, co-anon, families-anonymous, nar-anon, "
        "smart-family-friends",
    ]


def test_unknown_region_with_a_suggestion(problem_lines):
    text = GROUP.replace("region: springfield", "region: springfeld ")
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:3:9: region: 'springfeld' is not a known region — did you mean 'springfield'?",
    ]


def test_unknown_region_lists_the_regions(problem_lines):
    text = GROUP.replace("region: springfield", "region: denver     ")
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:3:9: region: 'denver' is not a known region — use one of: austin, "
        "chicago, illinois, springfield, texas",
    ]


def test_unknown_service(problem_lines):
    text = TREATMENT_CENTER.replace("[detox, residential]", "[detx, residential] ")
    assert problem_lines({"treatment-centers/x.yml": text}) == [
        "directory/treatment-centers/x.yml:8:12: services[0]: 'detx' is not a known treatment service "
        "— did you mean 'detox'?",
    ]


def test_unknown_payment_option(problem_lines):
    text = TREATMENT_CENTER.replace("[medicaid, self-pay]", "[medicaid, cash]    ")
    assert problem_lines({"treatment-centers/x.yml": text}) == [
        "directory/treatment-centers/x.yml:9:21: payment[1]: 'cash' is not a known payment option — use "
        "one of: free, medicaid, medicare, military-insurance, private-insurance, self-pay, "
        "sliding-scale, state-funded",
    ]


def test_unknown_population(problem_lines):
    text = TREATMENT_CENTER + "populations: [adults, kids]\n"
    assert problem_lines({"treatment-centers/x.yml": text}) == [
        "directory/treatment-centers/x.yml:10:23: populations[1]: 'kids' is not a known population — use "
        "one of: adolescents, adults, justice-involved, lgbtq, men, older-adults, pregnant-women, "
        "veterans, women, young-adults",
    ]


# --- Places, links and contacts -----------------------------------------------


def test_invalid_timezone_with_a_suggestion(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "timezone: America/Chicgo\n"}) == [
        "directory/groups/x.yml:11:11: timezone: 'America/Chicgo' is not a time zone — did you mean "
        "'America/Chicago'?",
    ]


def test_invalid_timezone_without_a_suggestion(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "timezone: Mars/Olympus\n"}) == [
        "directory/groups/x.yml:11:11: timezone: 'Mars/Olympus' is not a time zone — use an IANA name such "
        "as America/Chicago",
    ]


def test_invalid_timezone_never_suggests_an_alias(problem_lines):
    # US/Central is a valid zone, but only Area/City names are suggested.
    assert problem_lines({"groups/x.yml": GROUP + "timezone: US/Centrl\n"}) == [
        "directory/groups/x.yml:11:11: timezone: 'US/Centrl' is not a time zone — use an IANA name such "
        "as America/Chicago",
    ]


def _with_coordinates(latitude: str | None, longitude: str | None) -> str:
    pairs = (("latitude", latitude), ("longitude", longitude))
    return insert(GROUP, 6, "".join(f"  {name}: {value}\n" for name, value in pairs if value is not None))


def test_latitude_out_of_range(problem_lines):
    assert problem_lines({"groups/x.yml": _with_coordinates("91", "-89.65")}) == [
        "directory/groups/x.yml:7:13: location.latitude: 91 is out of range — a latitude lies between -90 and 90",
    ]


def test_longitude_out_of_range(problem_lines):
    assert problem_lines({"groups/x.yml": _with_coordinates("39.78", "-189.65")}) == [
        "directory/groups/x.yml:8:14: location.longitude: -189.65 is out of range — a longitude lies "
        "between -180 and 180",
    ]


def test_latitude_without_longitude(problem_lines):
    assert problem_lines({"groups/x.yml": _with_coordinates("39.78", None)}) == [
        "directory/groups/x.yml:5:3: location.longitude: is missing — coordinates need both latitude and longitude",
    ]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/meetings"], ids=["javascript", "ftp"])
def test_url_that_is_not_http(problem_lines, url):
    assert problem_lines({"groups/x.yml": GROUP + f"website: {url}\n"}) == [
        f"directory/groups/x.yml:11:10: website: '{url}' is not a web address — only links starting "
        "with https:// or http:// are allowed",
    ]


def test_url_with_a_control_character(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + 'website: "https://ok.example/\\x01"\n'}) == [
        "directory/groups/x.yml:11:10: website: 'https://ok.example/\\x01' contains control characters — "
        "type the web address again by hand",
    ]


def test_url_without_a_host(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "website: https:///meetings\n"}) == [
        "directory/groups/x.yml:11:10: website: 'https:///meetings' is not a complete web address — "
        "write it in full, e.g. https://example.org/meetings",
    ]


def test_invalid_email(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "email: secretary@\n"}) == [
        "directory/groups/x.yml:11:8: email: 'secretary@' is not an e-mail address (There must be "
        "something after the @-sign.) — e.g. secretary@example.org",
    ]


def test_invalid_phone(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + 'phone: "555-0100"\n'}) == [
        "directory/groups/x.yml:11:8: phone: '555-0100' is not a valid phone number — include the area "
        "code, e.g. +1 217 555 0100",
    ]


def test_phone_written_as_a_number(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "phone: 2175550100\n"}) == [
        "directory/groups/x.yml:11:8: phone: must be a phone number in quotes, not 2175550100",
    ]


def test_dial_in_with_letters_after_the_comma(problem_lines):
    text = ONLINE_GROUP.replace("  url: https://zoom.us/j/1234567890", '  phone: "+1 646 555 0100,,pass"  ')
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:5:10: online.phone: '+1 646 555 0100,,pass' has something other than "
        "digits, commas, * and # after the number — write the pauses and codes without spaces, e.g. "
        "+1 646 555 0100,,123456789#",
    ]


def test_valid_dial_in(make_directory):
    text = ONLINE_GROUP.replace("  url: https://zoom.us/j/1234567890", "  phone: '+1 646 555 0100,,123456#'")
    result = make_directory({"groups/x.yml": text}).validate()
    assert [str(p) for p in result.problems] == []
    assert result.listings[0].online.phone == "+1 646 555 0100,,123456#"


def test_invalid_language_code(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "languages: [en, english]\n"}) == [
        "directory/groups/x.yml:11:17: languages[1]: 'english' is not a language code — use a two-letter "
        "ISO 639-1 code such as en, es or pl",
    ]


# --- Empty and repeated values ------------------------------------------------


def test_empty_value(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP + "notes:\n"}) == [
        "directory/groups/x.yml:11:7: notes: is empty — fill it in or delete the line",
    ]


def test_required_field_that_is_empty(problem_lines):
    text = GROUP.replace("name: Downtown Serenity Group", "name:                        ")
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:1:6: name: is empty — fill it in, e.g. name: Downtown Serenity Group",
    ]


def test_duplicate_key(problem_lines):
    text = insert(GROUP, 6, "  city: Chicago\n")
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:7:3: the field 'city' appears twice — keep one and delete the other",
    ]


def test_listed_twice(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP.replace("[O, D]", "[O, O]")}) == [
        "directory/groups/x.yml:10:16: meetings[0].types[1]: 'O' is listed twice — delete one",
    ]


def test_repeated_meeting(problem_lines):
    text = GROUP + '  - day: Monday\n    time: "19:30"\n'
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:11:5: meetings[1]: repeats meetings[0] (same day and time) — delete one of them",
    ]


# --- File names and slugs -----------------------------------------------------


def test_file_name_that_is_not_a_slug(problem_lines):
    assert problem_lines({"groups/Downtown Serenity.yml": GROUP}) == [
        "directory/groups/Downtown Serenity.yml:1:1: the file name 'Downtown Serenity' is not a slug — "
        "rename the file to lowercase words joined by hyphens, e.g. downtown-serenity.yml",
    ]


def test_slug_field_that_differs_from_the_file_name(problem_lines):
    assert problem_lines({"groups/downtown-serenity.yml": "slug: downtown\n" + GROUP}) == [
        "directory/groups/downtown-serenity.yml:1:7: slug: 'downtown' does not match the file name "
        "'downtown-serenity' — rename the file to downtown.yml, or change the slug",
    ]


def test_invalid_slug_field_is_reported_once(problem_lines):
    assert problem_lines({"groups/downtown-serenity.yml": "slug: Downtown Serenity\n" + GROUP}) == [
        "directory/groups/downtown-serenity.yml:1:7: slug: 'Downtown Serenity' is not a slug — use "
        "lowercase letters, digits and single hyphens, e.g. downtown-serenity",
    ]


def test_same_slug_in_two_kind_folders(problem_lines):
    assert problem_lines({"groups/serenity.yml": GROUP, "family-groups/serenity.yml": FAMILY_GROUP}) == [
        "directory/family-groups/serenity.yml:1:1: the slug 'serenity' is already used by "
        "directory/groups/serenity.yml — slugs must be unique across the directory; rename this "
        "file, e.g. serenity-chicago.yml",
    ]


def test_listing_with_a_duplicate_slug_is_not_produced(make_directory):
    directory = make_directory({"groups/serenity.yml": GROUP, "family-groups/serenity.yml": FAMILY_GROUP})
    result = directory.validate()
    assert [listing.source for listing in result.listings] == ["directory/groups/serenity.yml"]


# --- Whole-listing rules ------------------------------------------------------


def test_neither_location_nor_online(problem_lines):
    assert problem_lines({"groups/x.yml": without(GROUP, "location")}) == [
        "directory/groups/x.yml:1:1: has neither a location nor an online link — add a location: with "
        "the address people go to, or an online: with the url or phone people join with",
    ]


def test_online_with_neither_url_nor_phone(problem_lines):
    text = ONLINE_GROUP.replace("  url: https://zoom.us/j/1234567890", "  notes: Meeting ID 123 456 7890")
    assert problem_lines({"groups/x.yml": text}) == [
        "directory/groups/x.yml:5:3: online: has neither url nor phone — add the link people join with, "
        "or the dial-in number",
    ]


def test_same_name_and_address(problem_lines):
    other = GROUP.replace("Downtown Serenity Group", "downtown serenity group").replace("monday", "friday")
    assert problem_lines({"groups/a.yml": GROUP, "groups/b.yml": other}) == [
        "directory/groups/b.yml:1:7: name: has the same name and address as directory/groups/a.yml — if "
        "it is the same group, merge the two files into one",
    ]


# --- Hostile YAML -------------------------------------------------------------


def test_python_tag_is_refused_and_nothing_runs(make_directory, tmp_path):
    marker = tmp_path / "pwned"
    text = GROUP + f"notes: !!python/object/apply:os.system ['touch {marker}']\n"
    directory = make_directory({
        "groups/x.yml": text,
        "groups/y.yml": f"!!python/object/apply:os.system ['touch {marker}']\n",
        "groups/z.yml": "!!python/object:os.PathLike {}\n",
    })
    assert directory.lines() == [
        f"directory/groups/x.yml:11:8: {TAG_MESSAGE}",
        f"directory/groups/y.yml:1:1: {TAG_MESSAGE}",
        f"directory/groups/z.yml:1:1: {TAG_MESSAGE}",
    ]
    assert not marker.exists()


BILLION_LAUGHS = "".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n']
    + [f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")]
)


def test_anchors_and_aliases_are_refused(problem_lines):
    # Expanding this would build 9^9 strings; it must be refused before loading.
    assert problem_lines({"groups/lol.yml": BILLION_LAUGHS}) == [
        f"directory/groups/lol.yml:1:4: {ANCHORS_HINT}",
    ]


def test_a_single_alias_is_refused_where_it_is(problem_lines):
    text = GROUP + "notes: &n Coffee from 6:45\nwebsite: *n\n"
    assert problem_lines({"groups/x.yml": text}) == [f"directory/groups/x.yml:11:8: {ANCHORS_HINT}"]


def test_deeply_nested_input_is_a_problem_not_an_exception(problem_lines):
    lines = problem_lines({"groups/deep.yml": "[" * 100_000})
    if safe_yaml._BaseLoader is getattr(yaml, "CSafeLoader", None):
        assert lines == [
            f"directory/groups/deep.yml:1:1001: is not valid YAML: exceeded maximum nesting depth — {NOT_YAML_HINT}",
        ]
    else:  # pragma: no cover - the pure-Python parser recurses instead
        assert lines == ["directory/groups/deep.yml:1:1: could not be read as YAML (RecursionError) — simplify the file"]


def test_complex_mapping_key_is_a_problem_not_an_exception(make_directory):
    lines = make_directory({"groups/x.yml": GROUP + "? [a, b]\n: x\n"}).lines()
    assert len(lines) == 1 and lines[0].startswith("directory/groups/x.yml:11:")
    assert lines == [
        "directory/groups/x.yml:11:3: a field name must be plain text, not a list or a group of fields — "
        "write it as 'name: value'",
    ]


# --- The resolver reads values as a contributor means them --------------------


def test_postal_code_written_as_a_number_is_accepted(make_directory):
    text = insert(GROUP, 6, "  postal_code: 62701\n")
    result = make_directory({"groups/x.yml": text}).validate()
    assert [str(p) for p in result.problems] == []
    assert result.listings[0].location.postal_code == "62701"


def test_postal_code_with_a_leading_zero_keeps_its_zero(make_directory):
    text = insert(GROUP, 6, "  postal_code: 02134\n")
    result = make_directory({"groups/x.yml": text}).validate()
    assert [str(p) for p in result.problems] == []
    assert result.listings[0].location.postal_code == "02134"


def test_time_with_a_leading_zero_stays_text(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP.replace('"19:30"', "0730   ")}) == [
        "directory/groups/x.yml:9:11: meetings[0].time: '0730' is not a time — use 24-hour HH:MM, e.g. 19:30",
    ]


def test_meeting_type_written_as_a_number_is_accepted(make_directory):
    result = make_directory({"groups/x.yml": GROUP.replace("[O, D]", "[11]  ")}).validate()
    assert [str(p) for p in result.problems] == []
    assert len(result.listings) == 1


def test_meeting_type_written_as_a_number_becomes_its_code(make_directory):
    result = make_directory({"groups/x.yml": GROUP.replace("[O, D]", "[11]  ")}).validate()
    assert result.listings[0].meetings[0].types == ("11",)


def test_meeting_type_listed_twice_as_number_and_text(problem_lines):
    assert problem_lines({"groups/x.yml": GROUP.replace("[O, D]", "[11, '11']")}) == [
        "directory/groups/x.yml:10:17: meetings[0].types[1]: '11' is listed twice — delete one",
    ]


def test_country_no_is_text_not_a_boolean(make_directory):
    text = insert(GROUP, 6, "  country: NO\n")
    result = make_directory({"groups/x.yml": text}).validate()
    assert [str(p) for p in result.problems] == []
    assert result.listings[0].location.country == "NO"


def test_date_is_read_as_a_date(make_directory):
    result = make_directory({"groups/x.yml": GROUP + "last_verified: 2026-01-15\n"}).validate()
    assert [str(p) for p in result.problems] == []
    assert str(result.listings[0].last_verified) == "2026-01-15"


def test_quoted_date_is_accepted(make_directory):
    result = make_directory({"groups/x.yml": GROUP + 'last_verified: "2026-01-15"\n'}).validate()
    assert [str(p) for p in result.problems] == []
    assert str(result.listings[0].last_verified) == "2026-01-15"


def test_impossible_date_is_reported_on_its_line(problem_lines):
    [line] = problem_lines({"groups/x.yml": GROUP + "last_verified: 2026-13-01\n"})
    assert re.match(r"directory/groups/x\.yml:11:\d+: last_verified: ", line), line
    assert line == ("directory/groups/x.yml:11:16: last_verified: '2026-13-01' is not a date — use "
                    "YYYY-MM-DD, e.g. 2026-03-01")
