"""``recovery-directory validate`` and ``schema`` on the command line: exit codes,
output formats, the GitHub job summary, and that validation changes nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, VALID_FAMILY_GROUP, VALID_GROUP, VALID_TREATMENT_CENTER
from recovery_directory import cli

BAD_REGION = VALID_GROUP.replace("region: springfield", "region: springfeld")
BAD_REGION_LINE = ("directory/groups/bad.yml:3:9: region: 'springfeld' is not a known region — "
                   "did you mean 'springfield'?")


def _command() -> list[str]:
    """The installed console script, or the module when it is not on hand."""
    script = shutil.which("recovery-directory", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "recovery_directory.cli"]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the command in a real process, in the current working directory."""
    return subprocess.run(_command() + list(args), capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def clean(make_directory):
    return make_directory({
        "groups/downtown-serenity.yml": VALID_GROUP,
        "family-groups/hope-for-today.yml": VALID_FAMILY_GROUP,
        "treatment-centers/prairie-recovery.yml": VALID_TREATMENT_CENTER,
    })


# --- validate, in-process -----------------------------------------------------


def test_validate_clean_directory_exits_0(clean, capsys):
    assert cli.main(["validate"]) == 0
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.startswith("Checked 3 listing files in ")
    assert printed.err.endswith(": 0 errors, 0 warnings.\n")


def test_validate_invalid_directory_exits_1(clean, capsys):
    clean.write("groups/bad.yml", BAD_REGION)
    assert cli.main(["validate"]) == 1
    printed = capsys.readouterr()
    assert printed.out == BAD_REGION_LINE + "\n"
    assert re.fullmatch(r"Checked 4 listing files in \d+\.\d\d s: 1 error, 0 warnings\.\n", printed.err), printed.err


def test_validate_quiet_prints_no_summary(clean, capsys):
    clean.write("groups/bad.yml", BAD_REGION)
    assert cli.main(["validate", "--quiet"]) == 1
    printed = capsys.readouterr()
    assert printed.out == BAD_REGION_LINE + "\n"
    assert printed.err == ""


def test_validate_another_directory(clean, tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cli.main(["validate", "--directory", str(clean.root)]) == 0


@pytest.mark.parametrize("argv", [
    ["validate", "--no-such-option"],
    ["validate", "--format", "xml"],
    ["validate", "--directory", "no-such-folder"],
    [],
], ids=["unknown-option", "unknown-format", "missing-directory", "no-command"])
def test_usage_errors_exit_2(clean, capsys, argv):
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    assert "usage: recovery-directory" in capsys.readouterr().err


def test_missing_directory_says_what_to_do(clean, capsys):
    with pytest.raises(SystemExit):
        cli.main(["validate", "--directory", "no-such-folder"])
    assert capsys.readouterr().err.endswith(
        "error: no directory at 'no-such-folder' — run from the repository's top folder, or pass --directory\n")


def test_github_format_prints_workflow_commands(clean, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    clean.write("groups/bad.yml", BAD_REGION)
    clean.write("groups/notes.txt", "not a listing")
    assert cli.main(["validate", "--format", "github"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "::error file=directory/groups/bad.yml,line=3,col=9,title=region::'springfeld' is not a known "
        "region — did you mean 'springfield'?",
        "::error file=directory/groups/notes.txt::is not a listing file — listing files end in .yml; "
        "rename it, or move it out of directory/groups/",
    ]


def test_github_format_escapes_field_paths(clean, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    clean.write("groups/bad.yml", VALID_GROUP.replace('"19:30"', '"25:00"'))
    assert cli.main(["validate", "--format", "github", "--quiet"]) == 1
    assert capsys.readouterr().out == (
        "::error file=directory/groups/bad.yml,line=9,col=11,title=meetings[0].time::'25:00' is not a "
        "time — use 24-hour HH:MM, e.g. 19:30\n")


def test_github_step_summary_gets_a_markdown_table(clean, tmp_path, monkeypatch, capsys):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    clean.write("groups/bad.yml", BAD_REGION)
    clean.write("groups/pipe.yml", VALID_GROUP.replace("downtown", "pipe") + "website: a|b\n")
    assert cli.main(["validate", "--format", "github"]) == 1
    assert summary.read_text(encoding="utf-8") == (
        "### ❌ 2 errors, 0 warnings in 5 listing files\n"
        "\n"
        "| File | Line | Field | Problem |\n"
        "| --- | --- | --- | --- |\n"
        "| directory/groups/bad.yml | 3 | region | 'springfeld' is not a known region — did you mean 'springfield'? |\n"
        "| directory/groups/pipe.yml | 11 | website | 'a\\|b' is not a web address — only links starting with https:// or http:// are allowed |\n"
    )


def test_github_step_summary_when_all_is_well(clean, tmp_path, monkeypatch, capsys):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert cli.main(["validate", "--format", "github"]) == 0
    assert summary.read_text(encoding="utf-8") == "earlier step\n### ✅ 3 listing files checked: all valid\n"


def test_text_format_writes_no_step_summary(clean, tmp_path, monkeypatch, capsys):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert cli.main(["validate"]) == 0
    assert not summary.exists()


# --- validate with explicit paths ---------------------------------------------


def test_validate_a_single_file(clean, capsys):
    clean.write("groups/bad.yml", BAD_REGION)
    assert cli.main(["validate", "directory/groups/downtown-serenity.yml"]) == 0
    assert cli.main(["validate", "directory/groups/bad.yml"]) == 1
    printed = capsys.readouterr()
    assert printed.out == BAD_REGION_LINE + "\n"
    assert re.fullmatch(r"Checked 1 listing file in \d+\.\d\d s: 0 errors, 0 warnings\.\n"
                        r"Checked 1 listing file in \d+\.\d\d s: 1 error, 0 warnings\.\n", printed.err), printed.err


def test_validate_a_single_file_catches_a_slug_used_by_another_file_on_disk(clean, capsys):
    # A pull request adds family-groups/downtown-serenity.yml; groups/ already has one.
    clean.write("family-groups/downtown-serenity.yml", VALID_FAMILY_GROUP)
    assert cli.main(["validate", "--quiet", "directory/family-groups/downtown-serenity.yml"]) == 1
    assert capsys.readouterr().out == (
        "directory/family-groups/downtown-serenity.yml:1:1: the slug 'downtown-serenity' is already used "
        "by directory/groups/downtown-serenity.yml — slugs must be unique across the directory; rename "
        "this file, e.g. downtown-serenity-chicago.yml\n")


def test_validate_a_single_file_catches_a_slug_used_by_a_later_kind_folder(clean, capsys):
    clean.write("groups/hope-for-today.yml", VALID_GROUP)
    assert cli.main(["validate", "--quiet", "directory/groups/hope-for-today.yml"]) == 1
    assert capsys.readouterr().out == (
        "directory/groups/hope-for-today.yml:1:1: the slug 'hope-for-today' is already used by "
        "directory/family-groups/hope-for-today.yml — slugs must be unique across the directory; rename "
        "this file, e.g. hope-for-today-springfield.yml\n")


def test_validate_a_kind_folder(clean, capsys):
    clean.write("groups/bad.yml", BAD_REGION)
    assert cli.main(["validate", "directory/family-groups"]) == 0
    assert cli.main(["validate", "directory/groups"]) == 1
    assert capsys.readouterr().out == BAD_REGION_LINE + "\n"


def test_validate_a_file_outside_the_kind_folders(clean, tmp_path, capsys):
    (tmp_path / "stray.yml").write_text(VALID_GROUP, encoding="utf-8")
    assert cli.main(["validate", "--quiet", "stray.yml"]) == 1
    assert capsys.readouterr().out == (
        "stray.yml: is not in a listing folder — put it in one of directory/groups/, "
        "directory/family-groups/, directory/treatment-centers/\n")


# --- Validation changes nothing -----------------------------------------------


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_validation_never_modifies_a_file(clean, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    clean.write("groups/bad.yml", BAD_REGION)
    clean.write("groups/tabs.yml", "name:\tx\n  broken: [\n")
    clean.write("groups/crlf.yml", VALID_GROUP.replace("\n", "\r\n").replace("downtown", "crlf"))
    clean.write("groups/bom.yml", "\ufeff" + VALID_GROUP.replace("123 Main", "9 Elm"))
    clean.write("groups/latin1.yml", b"name: Caf\xe9\n")
    before = _snapshot(tmp_path)
    cli.main(["validate"])
    cli.main(["validate", "--format", "github"])
    cli.main(["validate", "directory/groups/bad.yml", "directory/groups"])
    assert _snapshot(tmp_path) == before


# --- In a real process --------------------------------------------------------


def test_process_exit_codes(clean):
    assert run("validate").returncode == 0
    clean.write("groups/bad.yml", BAD_REGION)
    invalid = run("validate")
    assert (invalid.returncode, invalid.stdout) == (1, BAD_REGION_LINE + "\n")
    assert run("validate", "--no-such-option").returncode == 2
    assert run("validate", "--directory", "no-such-folder").returncode == 2


def test_process_github_format_and_step_summary(clean, tmp_path):
    clean.write("groups/bad.yml", BAD_REGION)
    summary = tmp_path / "summary.md"
    done = run("validate", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert done.returncode == 1
    assert done.stdout == (
        "::error file=directory/groups/bad.yml,line=3,col=9,title=region::'springfeld' is not a known "
        "region — did you mean 'springfield'?\n")
    assert "| directory/groups/bad.yml | 3 | region |" in summary.read_text(encoding="utf-8")


def test_process_never_prints_a_linked_file(clean):
    os.symlink("/etc/passwd", clean.root / "groups" / "passwd.yml")
    os.symlink("/etc", clean.root / "groups" / "etc")
    done = run("validate")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "directory/groups/etc: is a folder or link — directory/groups/ holds only listing files",
        "directory/groups/passwd.yml: is a symbolic link — files in the directory must be ordinary files; "
        "replace the link with the file itself",
    ]
    assert "root:" not in done.stdout + done.stderr


# --- schema -------------------------------------------------------------------


def test_schema_check_passes_on_the_repository(monkeypatch, capsys):
    monkeypatch.chdir(REPO)
    assert cli.main(["schema", "--check"]) == 0, capsys.readouterr().out


def test_schema_check_fails_when_a_file_is_stale(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(REPO)
    output = tmp_path / "schema"
    assert cli.main(["schema", "--output", str(output)]) == 0
    names = sorted(p.name for p in output.iterdir())
    assert names == ["family-group.schema.json", "group.schema.json", "treatment-center.schema.json"]
    assert cli.main(["schema", "--check", "--output", str(output)]) == 0
    capsys.readouterr()

    stale = output / "group.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace("peer support group", "group"), encoding="utf-8")
    before = stale.read_bytes()
    assert cli.main(["schema", "--check", "--output", str(output)]) == 1
    assert capsys.readouterr().out == (
        f"{stale}: out of date — run 'recovery-directory schema' and commit the result\n")
    assert stale.read_bytes() == before, "--check writes nothing"


def test_schema_check_fails_when_a_file_is_missing(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(REPO)
    assert cli.main(["schema", "--check", "--output", str(tmp_path / "none")]) == 1
    assert not (tmp_path / "none").exists()


def test_schema_reads_the_vocabularies_of_directory_option(make_directory, tmp_path, monkeypatch):
    make_directory()
    os.rename(tmp_path / "directory", tmp_path / "listings")
    output = tmp_path / "schema"
    assert cli.main(["schema", "--directory", "listings", "--output", str(output)]) == 0
    assert '"austin"' in (output / "group.schema.json").read_text(encoding="utf-8")
