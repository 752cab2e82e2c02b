"""``recovery-directory stale``: listings not verified for --days, or never,
by region, as text and as the Markdown the monthly issue carries."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import VALID_FAMILY_GROUP, VALID_GROUP, VALID_TREATMENT_CENTER
from recovery_directory import cli, stale
from recovery_directory.stale import format_markdown_report, is_stale, stale_by_region

TODAY = dt.date.today()


def verified(text: str, days_ago: int | None) -> str:
    return text if days_ago is None else text + f"last_verified: {(TODAY - dt.timedelta(days=days_ago)).isoformat()}\n"


@pytest.fixture
def mixed(make_directory):
    """Fresh, old and never-verified listings in three regions."""
    return make_directory({
        "groups/fresh.yml": verified(VALID_GROUP, 10),
        "groups/old-springfield.yml": verified(VALID_GROUP.replace("Downtown Serenity Group", "Old Springfield Group"), 400),
        "groups/older-springfield.yml": verified(VALID_GROUP.replace("Downtown Serenity Group", "Older | Pipe Group"), 800),
        "groups/never-springfield.yml": verified(VALID_GROUP.replace("Downtown Serenity Group", "Never Checked Group"), None),
        "family-groups/hope.yml": verified(VALID_FAMILY_GROUP, 366),
        "treatment-centers/prairie.yml": verified(VALID_TREATMENT_CENTER, 365),
    })


def date(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


@pytest.mark.parametrize("days_ago, expected", [(None, True), (0, False), (365, False), (366, True), (-3, False)])
def test_is_stale(days_ago, expected):
    when = None if days_ago is None else TODAY - dt.timedelta(days=days_ago)
    assert is_stale(when, 365, TODAY) is expected


def test_text_report_groups_by_region_in_regions_file_order(mixed, capsys):
    assert cli.main(["stale", "--days", "365"]) == 0
    printed = capsys.readouterr()
    assert printed.out == (
        "Illinois › Springfield\n"
        f"  Never Checked Group    {'never':<25}  directory/groups/never-springfield.yml\n"
        f"  Older | Pipe Group     {date(800)} (800 days ago)  directory/groups/older-springfield.yml\n"
        f"  Old Springfield Group  {date(400)} (400 days ago)  directory/groups/old-springfield.yml\n"
        "\n"
        "Illinois › Chicago\n"
        f"  Hope for Today Al-Anon  {date(366)} (366 days ago)  directory/family-groups/hope.yml\n"
    )
    assert printed.err == "4 of 6 listings not verified in the last 365 days.\n"


def test_markdown_report_is_a_table_per_region(mixed, capsys):
    assert cli.main(["stale", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"4 listings were last verified more than 365 days ago, or never (as of {TODAY.isoformat()}).\n")
    assert (
        "### Illinois › Springfield\n\n"
        "| Listing | File | Last verified |\n| --- | --- | --- |\n"
        "| Never Checked Group | `directory/groups/never-springfield.yml` | never |\n"
        f"| Older \\| Pipe Group | `directory/groups/older-springfield.yml` | {date(800)} (800 days ago) |\n"
        f"| Old Springfield Group | `directory/groups/old-springfield.yml` | {date(400)} (400 days ago) |\n"
        "\n### Illinois › Chicago\n"
    ) in out
    assert "A group that has closed for good is removed by deleting its file." in out


def test_days_option(mixed, capsys):
    assert cli.main(["stale", "--days", "5"]) == 0
    assert capsys.readouterr().err == "6 of 6 listings not verified in the last 5 days.\n"


def test_nothing_stale_prints_nothing_on_standard_output(make_directory, capsys):
    make_directory({"groups/fresh.yml": verified(VALID_GROUP, 1)})
    for format_ in ("text", "markdown"):
        assert cli.main(["stale", "--format", format_]) == 0
        printed = capsys.readouterr()
        assert printed.out == ""
        assert printed.err == "0 of 1 listings not verified in the last 365 days.\n"


def test_an_invalid_listing_is_reported_and_the_rest_still_listed(mixed, capsys):
    mixed.group("broken", VALID_GROUP.replace("region: springfield", "region: nowhere"))
    assert cli.main(["stale"]) == 1
    printed = capsys.readouterr()
    assert "Never Checked Group" in printed.out
    assert printed.err.startswith("directory/groups/broken.yml:3:9: region: 'nowhere' is not a known region")
    assert printed.err.endswith("4 of 6 listings not verified in the last 365 days; 1 errors kept some files out — "
                                "run 'recovery-directory validate'.\n")


def test_a_broken_vocabulary_stops_the_report(make_directory, capsys):
    directory = make_directory({"groups/fresh.yml": VALID_GROUP})
    directory.write("regions.yml", "- slug: Not A Slug\n  name: X\n")
    assert cli.main(["stale"]) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert "is not a slug" in printed.err


@pytest.mark.parametrize("days", ["-1", "soon", "1.5"])
def test_bad_days_is_a_usage_error(make_directory, capsys, days):
    make_directory()
    with pytest.raises(SystemExit) as exit_:
        cli.main(["stale", "--days", days])
    assert exit_.value.code == 2


def test_markdown_report_is_cut_to_fit_an_issue(mixed, monkeypatch):
    monkeypatch.setattr(stale, "MAX_MARKDOWN_ROWS", 2)
    result = mixed.validate()
    groups = stale_by_region(result.vocabularies, result.listings, 365, TODAY)
    text = format_markdown_report(groups, 365, TODAY)
    assert text.count("| directory/") + text.count("| `directory/") == 2
    assert "### Illinois › Chicago" not in text
    assert text.endswith("…and 2 more; run `recovery-directory stale --days 365` for them all.\n")
