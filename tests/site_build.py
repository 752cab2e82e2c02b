"""Helpers for the site tests: build with MkDocs, read the result with a real
HTML parser, serve it over HTTP and drive Debian's Chromium.

Nothing here knows what the site should contain; the tests compare what these
helpers read against the listings loaded with ``validate_directory``.
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from recovery_directory.offline import shard_of

REPO = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_NAME: str = CONFIG["site_name"]
SITE_URL: str = CONFIG["site_url"]
REPO_URL: str = CONFIG["repo_url"]

# Attributes whose value a browser follows or runs as a URL.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "cite", "data", "background", "xlink:href", "srcset", "ping")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


# --- building ------------------------------------------------------------

@dataclass
class Build:
    site_dir: Path
    output: str
    returncode: int

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith(("WARNING", "ERROR"))]

    def site(self, command: str = "mkdocs build --strict") -> "Site":
        """The built site; the test fails, with the build's output, when the build failed or warned."""
        if self.returncode != 0 or self.warnings:
            pytest.fail(f"{command} failed or warned:\n{self.output}", pytrace=False)
        return Site(self.site_dir)


def mkdocs_build(config_file: Path, site_dir: Path, cwd: Path = REPO) -> Build:
    """``mkdocs build --strict`` as a contributor runs it; output kept for messages."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(site_dir)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    return Build(site_dir, result.stdout + result.stderr, result.returncode)


def build_project(project: Path) -> Build:
    """``mkdocs build --strict`` of ``project``'s ``mkdocs.yml`` into ``project/site``, run from ``project``."""
    return mkdocs_build(project / "mkdocs.yml", project / "site", cwd=project)


def write_inheriting_config(project: Path, directory: Path, **settings) -> Path:
    """A ``mkdocs.yml`` in ``project`` that inherits the repository's and builds ``directory``,
    with ``settings`` in ``extra.directory`` (``search=False``…).

    MkDocs resolves relative paths against the config file that is loaded (the
    child), so every path the parent writes relatively is given here in full;
    ``extra`` is merged key by key, so the crisis lines and units carry over.
    """
    config = {
        "INHERIT": str(REPO / "mkdocs.yml"),
        "docs_dir": str(REPO / "docs"),
        "theme": {"name": "material", "custom_dir": str(REPO / "overrides")},
        "hooks": [str(REPO / "hooks" / "directory.py")],
        "watch": [],
        "extra": {"directory": {"directory": str(directory), **settings}},
    }
    path = project / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


# --- reading the built site ------------------------------------------------

class Site:
    """A built site on disk, addressed by URL paths such as ``groups/x/``."""

    def __init__(self, root: Path, site_url: str = SITE_URL):
        self.root = root
        self.base_path = urlsplit(site_url).path  # /recovery-directory/

    def page_urls(self) -> list[str]:
        """Every HTML page as a URL path: ``""`` (home), ``groups/x/``, ``404.html``."""
        urls = []
        for path in sorted(self.root.rglob("*.html")):
            relative = path.relative_to(self.root).as_posix()
            if relative.startswith(("pagefind/", "assets/")):
                continue
            urls.append(relative.removesuffix("index.html"))
        return urls

    def file_for(self, url: str) -> Path | None:
        """The file a server would send for ``url`` (a path relative to the site)."""
        path = self.root / url
        if url.endswith("/") or url == "":
            path = path / "index.html"
        if path.is_file():
            return path
        if path.is_dir() and (path / "index.html").is_file():
            return path / "index.html"
        return None

    def exists(self, url: str) -> bool:
        return not url.startswith(("../", "/")) and self.file_for(url) is not None

    @functools.lru_cache(maxsize=None)
    def soup(self, url: str) -> BeautifulSoup:
        path = self.file_for(url)
        assert path is not None, f"no page at /{url}"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def source(self, url: str) -> str:
        return self.file_for(url).read_text(encoding="utf-8")

    def resolve(self, page_url: str, href: str) -> tuple[str, str] | None:
        """``(target URL path, fragment)`` for a link inside the site, else ``None``.

        A target outside the site's folder comes back starting with ``../`` or
        ``/``, which :meth:`exists` rejects: such a link breaks once the site is
        served under its ``site_url`` path.
        """
        parts = urlsplit(href)
        site = urlsplit(SITE_URL)
        path = unquote(parts.path)
        if parts.scheme or parts.netloc:
            if (parts.scheme, parts.netloc) != (site.scheme, site.netloc) or not path.startswith(self.base_path):
                return None  # another site, or mailto:, tel:, sms:
        if not path:
            return page_url, parts.fragment  # "#anchor" on the same page
        if path.startswith("/"):
            if not path.startswith(self.base_path):
                return path, parts.fragment
            target = path[len(self.base_path):]
        else:
            folder = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
            target = posixpath.join(folder, path)
        normal = posixpath.normpath(target) if target else "."
        if normal == ".":
            return "", parts.fragment
        return normal + ("/" if target.endswith("/") else ""), parts.fragment


def links(soup: BeautifulSoup) -> Iterator[tuple[str, str]]:
    """``(attribute, value)`` for every URL-bearing attribute in a page."""
    for element in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = element.get(attribute)
            if value is None:
                continue
            if attribute == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        yield attribute, candidate.split()[0]
            else:
                yield attribute, value


def script_url(value: str) -> bool:
    """True for URLs a browser would run as script, however they are disguised."""
    compact = re.sub(r"[\x00-\x20]", "", value).lower()
    return compact.startswith(("javascript:", "vbscript:", "data:text/html", "data:image/svg"))


def pagefind_values(scope, what: str) -> dict[str, list[str]]:
    """What Pagefind reads from ``data-pagefind-<what>`` (filter, sort, meta) under ``scope``.

    Pagefind's forms: ``key[attr]`` takes the element's ``attr``; ``key:value``
    gives the value inline; a bare ``key`` takes the element's text. Pagefind
    1.5 decodes entities in filter values once more than a browser does (the
    browser tests check this against Pagefind itself), so filters are decoded
    here once more too.
    """
    values: dict[str, list[str]] = {}
    attribute = f"data-pagefind-{what}"
    for element in scope.find_all(attrs={attribute: True}):
        spec = element[attribute]
        match = re.fullmatch(r"([^\[\]:,]+)\[([^\]]+)\]", spec.strip())
        if match:
            key, value = match.group(1), element.get(match.group(2), "")
        elif ":" in spec:
            key, value = spec.split(":", 1)
        else:
            key, value = spec, element.get_text()
        values.setdefault(key.strip(), []).append(html.unescape(value) if what == "filter" else value)
    return values


def text(element) -> str:
    """An element's text with runs of whitespace made single spaces."""
    return " ".join(element.get_text(" ").split())


# --- serving and the browser ---------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm"}

    def log_message(self, format, *args):  # the test output stays readable
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1, a free port, in a thread; yield the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def listings_in_two_shards(site: Site, directory) -> tuple:
    """Two groups with meetings whose saved data is in different shards of ``site``."""
    count = json.loads(site.source("data/listings/index.json"))["shards"]
    groups = [listing for listing in directory.listings if listing.kind == "group" and listing.meetings]
    first = groups[0]
    second = next(listing for listing in groups if shard_of(listing.slug, count) != shard_of(first.slug, count))
    return count, first, second


def chicago_page(browser, service_workers: str):
    """A page in a context of its own, in Chicago's time zone, its requests logged;
    ``service_workers``: "allow" or "block". Returns (context, page)."""
    from site_fixtures import PageLog

    context = browser.new_context(timezone_id="America/Chicago", service_workers=service_workers)
    page = context.new_page()
    page.log = PageLog(page)
    return context, page
