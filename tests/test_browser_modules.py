"""The pages' own logic (overrides/assets/directory/*.js) under node's test
runner (tests/js/), and the build's Python side of it checked against the same
JavaScript: a geohash cell or a place name written by the build must be the one
the browser asks for. Without node these skip, or fail when CI is set."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from recovery_directory.geo_index import geohash, normal_place, place_key

REPO = Path(__file__).resolve().parent.parent
JS_TESTS = sorted((REPO / "tests" / "js").glob("*.test.js"))


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("node is not installed — CI must run the JavaScript unit tests", pytrace=False)
        pytest.skip("node is not installed; the JavaScript unit tests need it")
    return found


def run_node(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([node(), *args], cwd=REPO, capture_output=True, text=True, timeout=120)


def test_javascript_unit_tests_pass():
    assert JS_TESTS, "no tests/js/*.test.js"
    result = run_node("--test", *map(str, JS_TESTS))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_python_and_javascript_agree_on_cells_and_place_names():
    rng = random.Random(7)
    points = [(rng.uniform(18, 72), rng.uniform(-170, -60)) for _ in range(300)] + [(0.0, 0.0), (-33.9, 151.2), (89.99, 179.99)]
    names = ["St. Louis", "Coeur d'Alene", "Cañon City", "O'Fallon", "Mt. Vernon", "Ft Worth", "Winston-Salem", "  New   York ", "Ste. Genevieve"]
    script = (
        "const G = require('./overrides/assets/directory/geo.js');"
        "const input = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify({"
        "  hashes: input.points.map(([lat, lon]) => G.encode(lat, lon, 7)),"
        "  names: input.names.map(G.normalPlace),"
        "  keys: input.names.map((n) => G.placeKey(G.normalPlace(n)))}));"
    )
    result = run_node("-e", script, json.dumps({"points": points, "names": names}))
    assert result.returncode == 0, result.stderr
    browser = json.loads(result.stdout)
    assert browser["hashes"] == [geohash(lat, lon, 7) for lat, lon in points]
    assert browser["names"] == [normal_place(n) for n in names]
    assert browser["keys"] == [place_key(normal_place(n)) for n in names]
