"""``recovery-directory new`` and the listing writer it shares with
``from-issue``: files written only when valid, never over an existing one, and
written the way a person would write them."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from conftest import REPO, VALID_GROUP
from recovery_directory import cli
from recovery_directory.listing_writer import listing_yaml
from recovery_directory.new_command import parse_meeting, parse_time, slug_for
from recovery_directory.safe_yaml import parse_bytes, read_document
from recovery_directory.schema import KIND_BY_FOLDER

GROUP_OPTIONS = [
    "new", "group", "--no-input",
    "--name", "Downtown Serenity Group", "--fellowship", "aa", "--region", "springfield",
    "--location-address", "123 Main St", "--location-city", "Springfield", "--location-postal-code", "62701",
    "--meeting", "monday 19:30-20:30 O,D", "--meeting", "thursday 7 pm C",
    "--email", "secretary@example.org", "--last-verified", "2026-01-15",
]

EXPECTED_GROUP = """\
# yaml-language-server: $schema=../../docs/schema/group.schema.json
# Peer support group. Lines starting with # are notes for people; every field
# is explained in docs/contributing.md.
# The group's name as it introduces itself.
name: Downtown Serenity Group
# The fellowship, e.g. aa, na, smart-recovery; see directory/fellowships.yml.
fellowship: aa
# The region slug from directory/regions.yml.
region: springfield
# Where people meet in person. Leave out for meetings held only online.
location:
  address: 123 Main St
  city: Springfield
  postal_code: "62701"
# The meetings: day, time, types; weekly unless every: or weeks: says otherwise.
meetings:
  - day: monday
    time: "19:30"
    end_time: "20:30"
    types: [O, D]
  - day: thursday
    time: "19:00"
    types: [C]
# A contact address the group agreed to publish.
email: secretary@example.org
# When someone last checked this listing, YYYY-MM-DD.
last_verified: 2026-01-15
"""


def files_in(directory) -> dict[str, str]:
    return {str(p.relative_to(directory.root)): p.read_text(encoding="utf-8")
            for p in sorted(directory.root.rglob("*")) if p.is_file()}


# --- the command ------------------------------------------------------------------


def test_new_group_from_options_writes_a_commented_valid_file(make_directory, capsys):
    directory = make_directory()
    assert cli.main(GROUP_OPTIONS) == 0
    assert capsys.readouterr().out == "wrote directory/groups/downtown-serenity-group.yml\n"
    written = directory.root / "groups" / "downtown-serenity-group.yml"
    assert written.read_text(encoding="utf-8") == EXPECTED_GROUP
    assert directory.lines() == []


def test_new_treatment_center_from_options(make_directory, capsys):
    directory = make_directory()
    assert cli.main([
        "new", "treatment-center", "--no-input", "--name", "Prairie Recovery Center", "--region", "austin",
        "--location-address", "500 Congress Ave", "--location-city", "Austin", "--phone", "+1 512 555 0100",
        "--services", "detox, residential", "--payment", "medicaid,self-pay",
    ]) == 0
    text = (directory.root / "treatment-centers" / "prairie-recovery-center.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../docs/schema/treatment-center.schema.json\n")
    assert 'phone: "+1 512 555 0100"\n' in text
    assert "services: [detox, residential]\n" in text
    assert f"last_verified: {dt.date.today().isoformat()}\n" in text  # today when not given
    assert directory.lines() == []


def test_new_slug_option_names_the_file(make_directory, capsys):
    directory = make_directory()
    assert cli.main(GROUP_OPTIONS + ["--slug", "downtown-serenity"]) == 0
    assert (directory.root / "groups" / "downtown-serenity.yml").exists()
    assert "slug:" not in (directory.root / "groups" / "downtown-serenity.yml").read_text(encoding="utf-8")


def test_new_refuses_to_overwrite_an_existing_listing(make_directory, capsys):
    directory = make_directory({"groups/downtown-serenity-group.yml": VALID_GROUP})
    before = files_in(directory)
    assert cli.main(GROUP_OPTIONS) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err == ("directory/groups/downtown-serenity-group.yml: already exists — edit that file instead, "
                           "or choose another name with --slug\n")
    assert files_in(directory) == before


def test_new_invalid_listing_is_not_written_and_every_problem_is_reported(make_directory, capsys):
    directory = make_directory()
    before = files_in(directory)
    options = [o.replace("springfield", "springfeld") if o == "springfield" else o for o in GROUP_OPTIONS]
    options[options.index("monday 19:30-20:30 O,D")] = "monday 25:00 O,D"
    assert cli.main(options) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.splitlines() == [
        "directory/groups/downtown-serenity-group.yml: region: 'springfeld' is not a known region — did you mean 'springfield'?",
        "directory/groups/downtown-serenity-group.yml: meetings[0].time: '25:00' is not a time — use 24-hour HH:MM, e.g. 19:30",
        "directory/groups/downtown-serenity-group.yml: not written — fix the problems above and run the command again",
    ]
    assert files_in(directory) == before


def test_new_missing_required_fields_are_reported(make_directory, capsys):
    directory = make_directory()
    assert cli.main(["new", "group", "--no-input", "--name", "Lonely Group"]) == 1
    err = capsys.readouterr().err
    for field in ("fellowship", "region", "meetings"):
        assert f"directory/groups/lonely-group.yml: {field}: is missing — add the {field} field" in err
    assert "has neither a location nor an online link" in err
    assert not (directory.root / "groups" / "lonely-group.yml").exists()


def test_new_a_meeting_that_cannot_be_read_is_reported(make_directory, capsys):
    directory = make_directory()
    options = GROUP_OPTIONS.copy()
    options[options.index("thursday 7 pm C")] = "every other thursday"
    assert cli.main(options) == 1
    assert capsys.readouterr().err == ("<options>: meetings: 'every other thursday' is not a meeting — write it as "
                                       "DAY HH:MM[-HH:MM] [TYPE,TYPE…], e.g. 'monday 19:30-20:30 O,D'\n")
    assert not list((directory.root / "groups").iterdir())


def test_new_a_family_fellowship_in_groups_is_refused(make_directory, capsys):
    directory = make_directory()
    options = [("al-anon" if o == "aa" else o) for o in GROUP_OPTIONS]
    assert cli.main(options) == 1
    assert "fellowship: 'al-anon' is a family fellowship — move the file to directory/family-groups/" in capsys.readouterr().err
    assert not list((directory.root / "groups").iterdir())


@pytest.mark.parametrize("slug", ["../escape", "Bad Name", "a/b"])
def test_new_an_unusable_slug_writes_nothing_anywhere(make_directory, tmp_path, capsys, slug):
    directory = make_directory()
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    assert cli.main(GROUP_OPTIONS + ["--slug", slug]) == 1
    assert f"{slug!r} is not a usable file name" in capsys.readouterr().err
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_new_a_name_without_latin_letters_needs_a_slug(make_directory, capsys):
    make_directory()
    options = GROUP_OPTIONS.copy()
    options[options.index("Downtown Serenity Group")] = "断酒会"
    assert cli.main(options) == 1
    assert capsys.readouterr().err == "<options>: name: has no name to make a file name from — give --name, or --slug\n"


def test_new_slug_taken_by_another_kind_is_reported(make_directory, capsys):
    directory = make_directory({"family-groups/downtown-serenity-group.yml": VALID_GROUP.replace("fellowship: aa", "fellowship: al-anon")})
    assert cli.main(GROUP_OPTIONS) == 1
    assert ("the slug 'downtown-serenity-group' is already used by directory/family-groups/downtown-serenity-group.yml"
            in capsys.readouterr().err)
    assert not (directory.root / "groups" / "downtown-serenity-group.yml").exists()


def test_new_asks_for_what_the_options_do_not_give(make_directory, monkeypatch, capsys):
    directory = make_directory()
    answers = [
        "Evening Reflections",  # name
        "aa",  # fellowship
        "chicago",  # region
        "y", "", "12 Elm St", "Chicago", "IL", "", "", "", "", "",  # location: yes, then its fields
        "n",  # online
        "tuesday 18:00-19:00 O, D", "friday 7:30 pm", "",  # meetings
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    assert cli.main(["new", "group", "--ask"]) == 0
    data = read_document(str(directory.root / "groups" / "evening-reflections.yml")).data
    assert data["location"] == {"address": "12 Elm St", "city": "Chicago", "state": "IL"}
    assert data["meetings"] == [
        {"day": "tuesday", "time": "18:00", "end_time": "19:00", "types": ["O", "D"]},
        {"day": "friday", "time": "19:30"},
    ]
    assert "online" not in data
    assert directory.lines() == []


def test_new_asking_stops_cleanly_at_the_end_of_input(make_directory, monkeypatch, capsys):
    directory = make_directory()
    monkeypatch.setattr("sys.stdin", io.StringIO("Half Finished\n"))
    assert cli.main(["new", "group", "--ask"]) == 1
    assert "fellowship: is missing" in capsys.readouterr().err
    assert not (directory.root / "groups" / "half-finished.yml").exists()


def test_new_help_says_nothing_is_written_unless_valid(capsys):
    with pytest.raises(SystemExit):
        cli.main(["new", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "The file is written only if it is valid" in help_text
    assert "An existing file is never overwritten" in help_text


def test_new_unknown_kind_is_a_usage_error(make_directory, capsys):
    make_directory()
    with pytest.raises(SystemExit) as exit_:
        cli.main(["new", "meeting", "--no-input"])
    assert exit_.value.code == 2


# --- reading typed-in values --------------------------------------------------------


@pytest.mark.parametrize("typed, expected", [
    ("19:30", "19:30"), ("7:30 pm", "19:30"), ("7:30PM", "19:30"), ("7 p.m.", "19:00"), ("19.30", "19:30"),
    ("12 am", "00:00"), ("12:15 pm", "12:15"), ("9", "09:00"),
    ("25:00", "25:00"), ("13 pm", "13 pm"), ("half past seven", "half past seven"),
])
def test_parse_time(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("monday 19:30-20:30 O,D", {"day": "monday", "time": "19:30", "end_time": "20:30", "types": ["O", "D"]}),
    ("Thursday, 7 pm to 8:30 pm O D", {"day": "thursday", "time": "19:00", "end_time": "20:30", "types": ["O", "D"]}),
    ("sunday 10:00", {"day": "sunday", "time": "10:00"}),
    ("tuesday 7:00 A", {"day": "tuesday", "time": "07:00", "types": ["A"]}),
    ("nonsense", None), ("19:30 monday", None),
])
def test_parse_meeting(typed, expected):
    assert parse_meeting(typed) == expected


@pytest.mark.parametrize("name, slug", [
    ("Downtown Serenity Group", "downtown-serenity-group"),
    ("Grupo Señor de la Misericordia", "grupo-senor-de-la-misericordia"),
    ("Women & Men: 24 Hours", "women-and-men-24-hours"),
    ("断酒会", ""),
])
def test_slug_for(name, slug):
    assert slug_for(name) == slug


# --- the listing writer -------------------------------------------------------------


def test_writer_round_trips_every_example_listing():
    for path in sorted((REPO / "directory").glob("*/*.yml")):
        kind = KIND_BY_FOLDER[path.parent.name]
        data = read_document(str(path)).data
        text = listing_yaml(kind.key, data)
        back = parse_bytes(text.encode("utf-8"), path.name)
        assert back.ok, (path, back.problems)
        assert back.data == data, path


@pytest.mark.parametrize("value", [
    "yes", "no", "on", "off", "null", "~", "true", "123", "0123", "1e3", "0x1F", "19:30", "2026-01-15",
    "#hash", "a #comment", "key: value", "- dash", "'quoted'", '"double"', "[list]", "{map}", "*star", "&amp",
    "!tag", "%percent", "@at", "`tick", "|pipe", ">fold", "trailing ", " leading", "tab\there", "ünïcödé ✓",
    "a\nb", "two\n\nparagraphs", "line with trailing space \nnext", "\nstarts with newline", "ends with newline\n",
    "\x85next line", "\u2028separator", "\x7fdelete", "\ufeffbom",
])
def test_writer_keeps_every_string_exactly(value):
    text = listing_yaml("group", {"name": value, "notes": value, "meetings": [{"day": "monday", "time": "19:30", "notes": value}]})
    data = parse_bytes(text.encode("utf-8"), "x.yml").data
    assert data["name"] == data["notes"] == data["meetings"][0]["notes"] == value


def test_writer_quotes_times_phones_and_postal_codes_and_not_dates():
    text = listing_yaml("group", {
        "name": "X", "phone": "+12175550100", "location": {"address": "1 A St", "city": "B", "postal_code": "02134"},
        "meetings": [{"day": "monday", "time": "07:00", "end_time": "08:00"}], "last_verified": dt.date(2026, 1, 15),
    })
    assert 'phone: "+12175550100"\n' in text
    assert 'postal_code: "02134"\n' in text
    assert 'time: "07:00"\n' in text and 'end_time: "08:00"\n' in text
    assert "last_verified: 2026-01-15\n" in text


def test_writer_puts_fields_in_schema_order_and_unknown_ones_last():
    text = listing_yaml("group", {"zzz": 1, "region": "r", "name": "n", "fellowship": "aa", "last_verified": None})
    keys = [line.split(":")[0] for line in text.splitlines() if not line.startswith("#")]
    assert keys == ["name", "fellowship", "region", "zzz"]


def test_writer_lists_that_need_quotes_are_written_as_blocks():
    text = listing_yaml("group", {"name": "n", "languages": ["en", "a, b"]})
    assert "languages:\n  - en\n  - a, b\n" in text
    assert parse_bytes(text.encode(), "x").data["languages"] == ["en", "a, b"]


def test_writer_unknown_kind():
    with pytest.raises(ValueError, match="unknown kind 'meeting' — use one of: group, family-group, treatment-center"):
        listing_yaml("meeting", {})


def test_writer_first_line_names_the_schema_of_each_kind():
    for kind in ("group", "family-group", "treatment-center"):
        first = listing_yaml(kind, {"name": "x"}).splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../../docs/schema/{kind}.schema.json"
        assert (REPO / "docs" / "schema" / f"{kind}.schema.json").exists()

