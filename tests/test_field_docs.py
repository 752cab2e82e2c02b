"""The contributor page: field tables generated from the schema, put in place
of their marker at build time, and an error table whose messages are the
validator's real ones."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from conftest import REPO
from recovery_directory.field_docs import field_tables
from recovery_directory.mkdocs_build import GENERATED_MARKDOWN, DirectoryBuild
from recovery_directory.schema import KINDS

CONTRIBUTING = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")
MARKER = "<!-- the field tables are generated from the schema at build time -->"


def rows(markdown: str) -> dict[str, list[str]]:
    """Table rows by their first cell (the field path, without backticks)."""
    found = {}
    for line in markdown.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            found[cells[0].strip("`")] = cells
    return found


def kind_table(key: str) -> str:
    text = field_tables()
    start = text.index(f": `directory/{next(k.folder for k in KINDS if k.key == key)}/`")
    end = text.find("\n### ", start)
    return text[start:end if end != -1 else None]


def test_one_table_per_kind_with_every_field():
    text = field_tables()
    for kind in KINDS:
        assert f"### {kind.record.title}: `directory/{kind.folder}/`" in text
        table = rows(kind_table(kind.key))
        for spec in kind.record.fields:
            assert spec.name in table, (kind.key, spec.name)
            assert table[spec.name][2] == spec.description


def test_nested_fields_and_what_required_means_for_them():
    group = rows(kind_table("group"))
    assert group["name"][1] == "yes"
    assert group["website"][1] == ""
    assert group["location.address"][1] == "if there is a `location`"
    assert group["location.name"][1] == ""
    assert group["meetings[].day"][1] == "yes"  # meetings are required, so each meeting's day is
    assert group["meetings[].types"][1] == ""
    center = rows(kind_table("treatment-center"))
    assert center["location.address"][1] == "yes"  # a centre's location is required


def test_examples_are_quoted_as_a_listing_must_quote_them():
    group = rows(kind_table("group"))
    assert group["meetings[].time"][3] == '`"19:30"`'
    assert group["phone"][3] == '`"+1 217 555 0100"`'
    assert group["location.postal_code"][3] == '`"62701"`'
    assert group["last_verified"][3] == "`2026-01-15`"
    assert group["meetings[].types"][3] == "`[O, D]`"
    assert group["location"][3] == ""


def test_the_marker_is_replaced_on_plain_pages_only():
    build = DirectoryBuild()
    page = SimpleNamespace(file=SimpleNamespace(src_uri="contributing.md"))
    out = build.on_page_markdown(f"# Title\n\n{MARKER}\n\nAfter.\n", page=page, config=None, files=None)
    assert MARKER not in out
    assert out == f"# Title\n\n{field_tables()}\n\nAfter.\n"
    untouched = "# Other page\n\nNo marker here.\n"
    assert build.on_page_markdown(untouched, page=page, config=None, files=None) == untouched


def test_the_contributing_page_carries_the_marker():
    assert MARKER in GENERATED_MARKDOWN
    assert CONTRIBUTING.count(MARKER) == 1


# --- "What each error means": the messages are the validator's own --------------------

BASE = """\
name: Downtown Serenity Group
fellowship: aa
region: springfield-il
location:
  address: 123 Main St
  city: Springfield
meetings:
  - day: monday
    time: "19:30"
    types: [O, D]
"""

# file name → its text, for each message the page explains.
ERROR_EXAMPLES = {
    "groups/a01.yml": BASE.replace("  address:", "  adress:"),
    "groups/a02.yml": BASE.replace("  city: Springfield\n", ""),
    "groups/a03.yml": BASE.replace("springfield-il", "springfeld"),
    "groups/a04.yml": BASE.replace("fellowship: aa", "fellowship: AA"),
    "groups/a05.yml": BASE.replace("[O, D]", "[O, Open]"),
    "groups/a06.yml": BASE.replace("[O, D]", "[O, ONL]"),
    "groups/a07.yml": BASE.replace('"19:30"', "7:30pm"),
    "groups/a08.yml": BASE.replace("monday", "mon"),
    "groups/a09.yml": BASE.replace('    time: "19:30"\n', '    time: "19:30"\n    end_time: "19:30"\n'),
    "groups/a10.yml": BASE + '  - day: monday\n    time: "19:30"\n',
    "groups/a11.yml": BASE.replace("location:\n  address: 123 Main St\n  city: Springfield\n", ""),
    "groups/a12.yml": BASE.replace("fellowship: aa", "fellowship: al-anon"),
    "groups/a13.yml": BASE + 'phone: "555-0100"\n',
    "groups/a14.yml": BASE + "website: www.example.org\n",
    "groups/a15.yml": BASE + "last_verified: 15/01/2026\n",
    "groups/a16.yml": BASE + "timezone: America/Chicgo\n",
    "groups/a17.yml": BASE + "languages: [english]\n",
    "groups/a18.yml": BASE + "notes:\n",
    "groups/Downtown Serenity.yml": BASE.replace("Group", "Group Two"),
    "groups/a19.yml": BASE.replace("region: springfield-il", "region springfield-il"),
}


def documented_messages() -> list[str]:
    section = CONTRIBUTING[CONTRIBUTING.index("## What each error means"):CONTRIBUTING.index("## Fields")]
    return [cells.group(1) for cells in re.finditer(r"^\| `(.+?)` \|", section, re.MULTILINE)]


def test_every_documented_error_is_one_the_validator_gives(make_directory):
    directory = make_directory(ERROR_EXAMPLES, regions=None)
    given = {re.sub(r"^[^:]+\.yml(?::\d+:\d+)?: ", "", line) for line in directory.lines()}
    documented = documented_messages()
    assert len(documented) == len(ERROR_EXAMPLES)
    assert sorted(set(documented) - given) == []
    assert sorted(given - set(documented)) == []


@pytest.mark.parametrize("phrase", [
    "## The privacy rule", "No member's surname", "the group agreed to publish",
    "removed by deleting its file", "Suggest a change", "Report a problem", "Files changed",
])
def test_the_page_covers(phrase):
    assert phrase in " ".join(CONTRIBUTING.split())


def test_the_example_listing_on_the_page_is_valid(make_directory):
    start = CONTRIBUTING.index("    # yaml-language-server:")
    block = CONTRIBUTING[start:CONTRIBUTING.index("\n\n", start)]
    example = "\n".join(line[4:] for line in block.splitlines()) + "\n"
    online = CONTRIBUTING[CONTRIBUTING.index("    online:\n"):]
    online = "\n".join(line[4:] for line in online[:online.index("\n\n")].splitlines()) + "\n"
    without_location = re.sub(r"location:\n(?:  .*\n)+", online, example)
    directory = make_directory({"groups/downtown-serenity.yml": example,
                                "groups/downtown-serenity-online.yml": without_location.replace("Group", "Online Group")},
                               regions=None)
    assert "online:" in without_location and "location:" not in without_location
    assert directory.lines() == []
