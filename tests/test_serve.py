"""`mkdocs serve` shows an edited listing at once: the maintainer's edit loop."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and text in page:
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("directory", "docs", "hooks", "overrides"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    # As in a checkout after `npm ci`: the service worker's Workbox comes from node_modules/ (vendor.py).
    if (REPO / "node_modules").is_dir():
        (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    return tmp_path


def test_serve_rebuilds_when_a_listing_changes(project: Path):
    port = _free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=(project / "serve.log").open("w"),
    )
    try:
        listing = next((project / "directory" / "groups").glob("*.yml"))
        text = listing.read_text(encoding="utf-8")
        name_line = next(line for line in text.splitlines() if line.startswith("name:"))
        url = f"http://127.0.0.1:{port}/recovery-directory/groups/{listing.stem}/"
        assert _wait_for(url, "<h1", 60), "mkdocs serve did not come up:\n" + (project / "serve.log").read_text()

        listing.write_text(text.replace(name_line, "name: Renamed While Serving"), encoding="utf-8")

        assert _wait_for(url, "Renamed While Serving", 60), "the edited listing was not rebuilt"
    finally:
        server.terminate()
        server.wait(timeout=20)
