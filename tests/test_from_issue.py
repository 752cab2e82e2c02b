"""``recovery-directory from-issue``: an "Add a meeting" issue body (GitHub's
issue-form Markdown) → a valid listing file, or every problem on the issue's
own lines; never a file that is not valid, never over an existing one."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import yaml

from conftest import REPO, VALID_GROUP
from recovery_directory import cli
from recovery_directory.from_issue import FORM, SECTIONS
from recovery_directory.safe_yaml import read_document

ANSWERS = {
    "Name": "Downtown Serenity",
    "Fellowship": "Alcoholics Anonymous (AA)",
    "Region": "Springfield",
    "Day": "Monday",
    "Start time": "7:30 PM",
    "End time": "8:30 pm",
    "Meeting types": "Open, Discussion",
    "More meetings": "- Thursday 12:00-13:00 Open, Big Book\n- Saturday 9:00 AM Closed",
    "Building": "St. Mark's Church",
    "Street address": "123 Main St",
    "City or town": "Springfield",
    "State": "IL",
    "ZIP or postal code": "62701",
    "Finding the room": "_No response_",
    "Online meeting link": "_No response_",
    "Dial-in number": "_No response_",
    "How to join online": "_No response_",
    "Languages": "English, Spanish",
    "Group website": "_No response_",
    "Group e-mail": "downtown@example.org",
    "Group phone": "_No response_",
    "Anything else": "Coffee from 6:45.\nWheelchair access at the side door.",
    "Privacy": "- [X] These contact details belong to the group, which agreed to publish them; no member's surname or personal number is given.",
}


def body(**changes: str | None) -> str:
    """An issue body as GitHub writes it; ``None`` drops a section."""
    answers = {**ANSWERS, **{k.replace("_", " "): v for k, v in changes.items()}}
    return "".join(f"### {label}\n\n{text}\n\n" for label, text in answers.items() if text is not None)


@pytest.fixture
def issue(make_directory, tmp_path):
    """Write an issue body to issue.md in a fresh directory; returns (directory, path)."""
    directory = make_directory()

    def write(text: str):
        path = tmp_path / "issue.md"
        path.write_text(text, encoding="utf-8", newline="")
        return directory, path

    return write


def line_of(text: str, heading: str) -> int:
    """The line of the answer under ``### heading`` (1-based)."""
    lines = text.split("\n")
    return lines.index(f"### {heading}") + 3


# --- good issues ------------------------------------------------------------------


def test_an_issue_becomes_a_valid_listing(issue, capsys):
    directory, path = issue(body())
    assert cli.main(["from-issue", str(path)]) == 0
    printed = capsys.readouterr()
    assert printed.out == "directory/groups/downtown-serenity.yml\n"
    assert printed.err == ""
    written = directory.root / "groups" / "downtown-serenity.yml"
    data = read_document(str(written)).data
    assert data == {
        "name": "Downtown Serenity",
        "fellowship": "aa",
        "region": "springfield",
        "location": {"name": "St. Mark's Church", "address": "123 Main St", "city": "Springfield", "state": "IL", "postal_code": "62701"},
        "meetings": [
            {"day": "monday", "time": "19:30", "end_time": "20:30", "types": ["O", "D"]},
            {"day": "thursday", "time": "12:00", "end_time": "13:00", "types": ["O", "B"]},
            {"day": "saturday", "time": "09:00", "types": ["C"]},
        ],
        "languages": ["en", "es"],
        "email": "downtown@example.org",
        "notes": "Coffee from 6:45.\nWheelchair access at the side door.",
        "last_verified": dt.date.today(),
    }
    assert written.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../docs/schema/group.schema.json\n")
    assert directory.lines() == []


def test_a_family_fellowship_goes_to_family_groups(issue, capsys):
    directory, path = issue(body(Fellowship="Al-Anon", Name="Hope for Today"))
    assert cli.main(["from-issue", str(path)]) == 0
    assert capsys.readouterr().out == "directory/family-groups/hope-for-today.yml\n"
    assert directory.lines() == []


def test_an_online_only_group(issue, capsys):
    directory, path = issue(body(**{
        "Building": "_No response_", "Street address": "_No response_", "City or town": "_No response_",
        "State": "_No response_", "ZIP or postal code": "_No response_",
        "Online meeting link": "https://zoom.us/j/1234567890", "How to join online": "Passcode: serenity",
    }))
    assert cli.main(["from-issue", str(path)]) == 0
    data = read_document(str(directory.root / "groups" / "downtown-serenity.yml")).data
    assert "location" not in data
    assert data["online"] == {"url": "https://zoom.us/j/1234567890", "notes": "Passcode: serenity"}


def test_a_heading_typed_into_a_text_box_stays_in_the_answer(issue, capsys):
    directory, path = issue(body(Anything_else="Coffee first.\n\n### Parking\n\nBehind the church."))
    assert cli.main(["from-issue", str(path)]) == 0
    data = read_document(str(directory.root / "groups" / "downtown-serenity.yml")).data
    assert data["notes"] == "Coffee first.\n\n### Parking\n\nBehind the church."


def test_crlf_line_endings_and_standard_input(make_directory, monkeypatch, capsys):
    directory = make_directory()
    monkeypatch.setattr("sys.stdin", io.StringIO(body().replace("\n", "\r\n")))
    assert cli.main(["from-issue", "-", "--slug", "downtown-serenity-springfield"]) == 0
    assert capsys.readouterr().out == "directory/groups/downtown-serenity-springfield.yml\n"
    data = read_document(str(directory.root / "groups" / "downtown-serenity-springfield.yml")).data
    assert data["notes"] == "Coffee from 6:45.\nWheelchair access at the side door."


def test_only_the_required_sections(issue, capsys):
    required = {s.label for s in SECTIONS if s.required}
    text = body(**{label: None for label in ANSWERS if label not in required and label != "Street address" and label != "City or town"})
    directory, path = issue(text)
    assert cli.main(["from-issue", str(path)]) == 0
    data = read_document(str(directory.root / "groups" / "downtown-serenity.yml")).data
    assert data["meetings"] == [{"day": "monday", "time": "19:30"}]


# --- malformed issues ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "Please add our meeting on Mondays at 7.", "## Name\n\nDowntown\n", "### Title\n\nX\n"])
def test_a_body_that_is_not_an_issue_form(issue, capsys, text):
    directory, path = issue(text)
    assert cli.main(["from-issue", str(path)]) == 1
    assert capsys.readouterr().err == (
        "issue.md:1:1: is not the body of an 'Add a meeting' issue — it has none of its sections ('### Name', "
        "'### Fellowship', '### Region' …); copy the whole issue body, or open the issue with the 'Add a meeting' form\n")
    assert not list((directory.root / "groups").iterdir())


def test_missing_sections_are_each_reported(issue, capsys):
    directory, path = issue(body(Day=None, Privacy=None))
    assert cli.main(["from-issue", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "issue.md: the section '### Day' is missing — open the issue with the 'Add a meeting' form, or add the section with its answer",
        "issue.md: the section '### Privacy' is missing — open the issue with the 'Add a meeting' form, or add the section with its answer",
    ]


def test_a_required_answer_left_empty(issue, capsys):
    text = body(Region="_No response_")
    directory, path = issue(text)
    assert cli.main(["from-issue", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"issue.md:{line_of(text, 'Region')}:1: Region: is required — answer it in the issue\n" in err
    assert not list((directory.root / "groups").iterdir())


def test_a_section_given_twice(issue, capsys):
    text = body() + "### Name\n\nSomething Else\n"
    directory, path = issue(text)
    assert cli.main(["from-issue", str(path)]) == 1
    assert capsys.readouterr().err == f"issue.md:{len(text.splitlines())}:1: Name: appears twice (also on line 3) — keep one\n"


def test_privacy_box_not_ticked(issue, capsys):
    text = body(Privacy="- [ ] These contact details belong to the group")
    directory, path = issue(text)
    assert cli.main(["from-issue", str(path)]) == 1
    assert capsys.readouterr().err.startswith(
        f"issue.md:{line_of(text, 'Privacy')}:1: Privacy: the box is not ticked — a listing shows only contacts the group agreed to publish")
    assert not list((directory.root / "groups").iterdir())


def test_a_line_of_more_meetings_that_is_not_a_meeting(issue, capsys):
    text = body(More_meetings="Thursday 12:00 Open\nevery other Friday")
    directory, path = issue(text)
    assert cli.main(["from-issue", str(path)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"issue.md:{line_of(text, 'More meetings') + 1}:1: More meetings: 'every other Friday' is not a meeting — "
        "write one meeting per line, e.g. 'Thursday 12:00-13:00 Open, Discussion'")


def test_an_unreadable_file_is_a_usage_error(make_directory, tmp_path, capsys):
    make_directory()
    assert cli.main(["from-issue", str(tmp_path / "missing.md")]) == 2
    assert capsys.readouterr().err.startswith("missing.md: cannot be read (FileNotFoundError")
    (tmp_path / "binary.md").write_bytes(b"\xff\xfe\x00")
    assert cli.main(["from-issue", str(tmp_path / "binary.md")]) == 2


def test_a_body_too_long_for_an_issue(issue, capsys):
    directory, path = issue(body(Anything_else="x" * 70000))
    assert cli.main(["from-issue", str(path)]) == 1
    assert "is longer than an issue body can be (65536 characters)" in capsys.readouterr().err


# --- issues that give an invalid listing -----------------------------------------------


def test_validation_problems_are_shown_on_the_issue_lines_and_nothing_is_written(issue, capsys):
    text = body(Region="Springfeld", Start_time="25:00", Meeting_types="Open, Dscussion", Group_phone="555-0100")
    directory, path = issue(text)
    assert cli.main(["from-issue", str(path)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"issue.md:{line_of(text, 'Region')}:1: Region: 'Springfeld' is not a known region — did you mean 'springfield'?",
        f"issue.md:{line_of(text, 'Start time')}:1: Start time: '25:00' is not a time — use 24-hour HH:MM, e.g. 19:30",
        f"issue.md:{line_of(text, 'Meeting types')}:1: Meeting types: 'Dscussion' is not a known meeting type — see directory/meeting-types.yml for the list",
        f"issue.md:{line_of(text, 'Group phone')}:1: Group phone: '555-0100' is not a valid phone number — include the area code, e.g. +1 217 555 0100",
        "directory/groups/downtown-serenity.yml: not written — fix the issue (or the file) and run the command again",
    ]
    assert not list((directory.root / "groups").iterdir())


def test_a_listing_with_neither_place_nor_link(issue, capsys):
    text = body(**{"Street address": "_No response_", "City or town": "_No response_", "Building": "_No response_",
                   "State": "_No response_", "ZIP or postal code": "_No response_"})
    directory, path = issue(text)
    assert cli.main(["from-issue", str(path)]) == 1
    assert capsys.readouterr().err.splitlines()[0].startswith("issue.md: has neither a location nor an online link")


def test_parse_and_validation_problems_are_reported_together(issue, capsys):
    text = body(Start_time="25:00", More_meetings="whenever")
    directory, path = issue(text)
    assert cli.main(["from-issue", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Start time: '25:00' is not a time" in err
    assert "More meetings: 'whenever' is not a meeting" in err


def test_an_existing_listing_is_never_overwritten(issue, capsys):
    directory, path = issue(body())
    existing = directory.group("downtown-serenity", VALID_GROUP)
    assert cli.main(["from-issue", str(path)]) == 1
    assert capsys.readouterr().err == (
        "directory/groups/downtown-serenity.yml: already exists — if it is the same group, update that file instead; "
        "if not, give another file name with --slug\n")
    assert existing.read_text(encoding="utf-8") == VALID_GROUP


def test_help_says_nothing_is_written_unless_valid(capsys):
    with pytest.raises(SystemExit):
        cli.main(["from-issue", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "The file is written only if it is valid" in help_text


# --- the issue form and this reader agree ----------------------------------------------


def test_the_issue_form_has_exactly_the_sections_the_reader_knows():
    form = yaml.safe_load((REPO / FORM).read_text(encoding="utf-8"))
    fields = [element for element in form["body"] if element["type"] != "markdown"]
    assert [(f["id"], f["attributes"]["label"]) for f in fields] == [(s.id, s.label) for s in SECTIONS]
    for field, section in zip(fields, SECTIONS):
        if field["type"] == "checkboxes":
            required = all(option.get("required") for option in field["attributes"]["options"])
        else:
            required = field.get("validations", {}).get("required", False)
        assert required == section.required, section.id


def test_the_form_offers_every_day():
    form = yaml.safe_load((REPO / FORM).read_text(encoding="utf-8"))
    day = next(element for element in form["body"] if element.get("id") == "day")
    assert [d.lower() for d in day["attributes"]["options"]] == ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
