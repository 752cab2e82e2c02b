"""Fixtures for the site tests; a test module loads them with
``pytest_plugins = ["site_fixtures"]`` so each session builds each site once.

- ``example_site``: the repository's example directory, built with
  ``mkdocs build --strict`` into a temporary folder;
- ``hostile_site``: a directory whose listings carry markup, script and
  template payloads in every text field, built the same way through a
  ``mkdocs.yml`` that inherits the repository's;
- ``browser`` / ``page``: Debian's Chromium through Playwright. Without it the
  browser tests skip, or fail when ``CI`` is set.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hostile_listings import HOSTILE_LISTINGS, write_directory
from recovery_directory.validate import Directory, validate_directory
from site_build import CHROMIUM_ARGS, REPO, Build, Site, build_project, chromium_path, mkdocs_build, serve, write_inheriting_config

# --- builds ---------------------------------------------------------------

@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Build:
    return mkdocs_build(REPO / "mkdocs.yml", tmp_path_factory.mktemp("example") / "site")


@pytest.fixture(scope="session")
def example_site(example_build) -> Site:
    return example_build.site()


@pytest.fixture(scope="session")
def example_directory() -> Directory:
    directory = validate_directory(str(REPO / "directory"))
    assert directory.ok, [str(p) for p in directory.errors]
    return directory


@pytest.fixture(scope="session")
def hostile_project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("hostile")
    directory = write_directory(project, HOSTILE_LISTINGS)
    write_inheriting_config(project, directory)
    return project


@pytest.fixture(scope="session")
def hostile_build(hostile_project) -> Build:
    return build_project(hostile_project)


@pytest.fixture(scope="session")
def hostile_site(hostile_build) -> Site:
    return hostile_build.site()


@pytest.fixture(scope="session")
def hostile_directory(hostile_project) -> Directory:
    directory = validate_directory(str(hostile_project / "directory"))
    assert directory.ok, [str(p) for p in directory.errors]
    return directory


# --- serving and the browser ------------------------------------------------

@pytest.fixture(scope="session")
def example_server(example_site):
    with serve(example_site.root) as base:
        yield base


@pytest.fixture(scope="session")
def hostile_server(hostile_site):
    with serve(hostile_site.root) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless. Missing: skip, or fail under CI."""
    def unavailable(reason: str):
        if os.environ.get("CI"):
            pytest.fail(f"{reason} — CI must run the browser tests (.ci/install-browser installs Chromium)", pytrace=False)
        pytest.skip(f"{reason}; install it with: apt-get install chromium")

    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed")
    executable = chromium_path()
    if executable is None:
        unavailable("Chromium is not installed")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Error as exc:
            unavailable(f"Chromium at {executable} does not start: {exc}")
        yield launched
        launched.close()


class PageLog:
    """What a page did: every request, console error, page error and dialog.

    Requests are watched on the page's context, so a worker's count too; one
    for another host is recorded in ``elsewhere`` and never leaves the machine.
    """

    def __init__(self, page):
        self.requests: list[str] = []
        self.elsewhere: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.dialogs: list[str] = []
        page.context.on("request", lambda request: self.requests.append(request.url))
        page.context.route("**/*", self._route)
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(
            f"{message.text} ({message.location.get('url', '')})"))
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.elsewhere.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture
def page(browser):
    """A fresh page (its own context) with a :class:`PageLog` as ``page.log``."""
    context = browser.new_context(timezone_id="America/Chicago")
    opened = context.new_page()
    opened.log = PageLog(opened)
    yield opened
    context.close()
