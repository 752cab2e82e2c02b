"""The data files behind "meetings near me" and "online now" (geo_index.py)."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from recovery_directory.geo_index import (CELL_LIMIT, covered_states, duration_minutes, geohash, normal_place, online_hour,
                                          place_index, place_key, places_data, split_cells, write_geo_data,
                                          write_places)
from recovery_directory.site_model import build_model

NEAR_GROUP = """\
name: Capitol Noon Group
fellowship: aa
region: springfield
location:
  address: 525 S 6th St
  city: Springfield
  state: IL
  postal_code: "62701"
  latitude: 39.7977
  longitude: -89.6489
meetings:
  - day: monday
    time: "12:00"
    end_time: "13:00"
    types: [O, D]
  - day: friday
    time: "19:30"
"""

HYBRID_GROUP = """\
name: Loop Hybrid Group
fellowship: na
region: chicago
timezone: America/Chicago
location:
  address: 1 N State St
  city: Chicago
  state: IL
  latitude: 41.8826
  longitude: -87.6278
online:
  url: https://zoom.us/j/5550001111
  phone: "+1 312 555 0100,,5550001111#"
meetings:
  - day: tuesday
    time: "19:00"
    end_time: "20:30"
    types: [C]
"""

ONLINE_ONLY = """\
name: Prairie Online Al-Anon
fellowship: al-anon
region: chicago
online:
  url: https://zoom.us/j/5550002222
meetings:
  - day: wednesday
    time: "23:00"
    end_time: "00:30"
"""

CENTER = """\
name: Austin Recovery Center
region: austin
location:
  address: 500 Congress Ave
  city: Austin
  state: TX
  latitude: 30.2672
  longitude: -97.7431
phone: "+1 512 555 0100"
services: [detox]
payment: [self-pay]
"""


@pytest.fixture
def model(make_directory):
    directory = make_directory({
        "groups/capitol-noon-group.yml": NEAR_GROUP,
        "groups/loop-hybrid-group.yml": HYBRID_GROUP,
        "family-groups/prairie-online-al-anon.yml": ONLINE_ONLY,
        "treatment-centers/austin-recovery-center.yml": CENTER,
    }).validate()
    assert directory.ok, [str(p) for p in directory.problems]
    return build_model(directory.vocabularies, directory.listings)


def read(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_geohash_matches_the_standard_cells():
    assert geohash(37.7749, -122.4194, 5) == "9q8yy"
    assert geohash(57.64911, 10.40744, 11) == "u4pruydqqvj"
    assert geohash(-25.382708, -49.265506, 8) == "6gkzwgjz"


def test_geohash_in_integers_is_the_cell_halving_finds():
    from recovery_directory.geo_index import _bisected_geohash

    rng = random.Random(7)
    edges = [-90.0, 90.0, -180.0, 180.0, 0.0, -0.0, 45.0, -45.0, 22.5, 89.99999999999999, -179.99999999999997, 1e-300]
    # Midpoints the halving meets (exact in binary), their neighbours, random and out-of-range points.
    edges += [180.0 * k / 2 ** 17 for k in range(-5, 6)] + [math.nextafter(x, 0.0) for x in edges] + [95.0, -200.0, 400.0]
    points = [(rng.choice(edges), rng.choice(edges)) for _ in range(2000)]
    points += [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(3000)]
    points += [(round(rng.uniform(-90, 90), rng.randrange(6)), round(rng.uniform(-180, 180), rng.randrange(6))) for _ in range(3000)]
    for lat, lon in points:
        for precision in (1, 2, 5, 7, 11, 12):
            assert geohash(lat, lon, precision) == _bisected_geohash(lat, lon, precision), (lat, lon, precision)
    assert geohash(41.5, -87.6, 14) == _bisected_geohash(41.5, -87.6, 14)  # past 64 bits: halved as before


def test_cells_split_until_each_fits_and_keep_every_record():
    rng = random.Random(3)
    placed = []
    for number in range(2000):  # a dense city and a sparse state
        lat, lon = (41.88 + rng.gauss(0, 0.05), -87.63 + rng.gauss(0, 0.05)) if number % 4 else (rng.uniform(37, 42), rng.uniform(-91, -87))
        placed.append((geohash(lat, lon, 7), [lat, lon, number]))
    cells = split_cells(placed)
    assert sorted(r[2] for records in cells.values() for r in records) == list(range(2000))
    assert all(len(records) <= CELL_LIMIT for records in cells.values())
    for cell, records in cells.items():
        assert all(geohash(r[0], r[1], len(cell)) == cell for r in records)
    # No cell lies inside another, so a record is found in exactly one place.
    names = sorted(cells)
    assert not any(b.startswith(a) for a, b in zip(names, names[1:]))


def test_near_cells_hold_in_person_and_hybrid_listings_only(model, tmp_path):
    summary = write_geo_data(model, str(tmp_path))
    index = read(tmp_path / "data" / "near" / "index.json")
    assert index["kinds"] == [["group", "groups"], ["family-group", "family-groups"], ["treatment-center", "treatment-centers"]]
    records = {r[3]: r for cell in index["cells"] for r in read(tmp_path / "data" / "near" / f"{cell}.json")}
    assert sorted(records) == ["austin-recovery-center", "capitol-noon-group", "loop-hybrid-group"]
    assert sum(index["cells"].values()) == summary.near_listings == 3
    noon = records["capitol-noon-group"]
    assert noon == [39.7977, -89.6489, 0, "capitol-noon-group", "Capitol Noon Group", "aa",
                    index["zones"].index("America/Chicago"), 0, "Springfield",
                    [[1, "12:00", "13:00", "O D"], [5, "19:30", "", ""]]]
    assert records["loop-hybrid-group"][7] == 1  # hybrid
    center = records["austin-recovery-center"]
    assert (center[2], center[5], center[9]) == (2, "", [])
    assert index["zones"][center[6]] == "America/Chicago"  # Texas's default, from regions.yml


def test_online_hours_place_each_meeting_in_its_utc_hour(model, tmp_path):
    write_geo_data(model, str(tmp_path))
    folder = tmp_path / "data" / "online"
    index = read(folder / "index.json")
    assert (index["margin"], index["longest"], len(index["hours"])) == (2, 90, 168)
    # Tuesday 19:00 in Chicago (UTC-6 in January) is Wednesday 01:00 UTC: hour 3 × 24 + 1.
    assert index["hours"][73] == 1
    assert read(folder / "73.json") == [["groups/loop-hybrid-group/", "Loop Hybrid Group", "na", index["zones"].index("America/Chicago"),
                                         2, "19:00", "20:30", "C", "https://zoom.us/j/5550001111", "+1 312 555 0100,,5550001111#"]]
    # Wednesday 23:00 in Chicago is Thursday 05:00 UTC.
    assert [row[1] for row in read(folder / f"{4 * 24 + 5}.json")] == ["Prairie Online Al-Anon"]
    assert sum(index["hours"]) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["101.json", "73.json", "index.json"]


def test_online_hour_and_duration():
    assert online_hour(0, "00:30", "UTC") == 0
    assert online_hour(6, "23:59", "UTC") == 167
    assert online_hour(0, "01:00", "Europe/Berlin") == 0  # UTC+1 in January
    assert online_hour(0, "00:00", "Europe/Berlin") == 167  # the week wraps
    assert online_hour(1, "19:00", "America/Los_Angeles") == 2 * 24 + 3
    assert online_hour(3, "10:00", "Asia/Kolkata") == 3 * 24 + 4  # 04:30 UTC
    assert duration_minutes("19:00", "20:30") == 90
    assert duration_minutes("23:00", "00:30") == 90
    assert duration_minutes("19:00", None) == 60


def test_places_cover_only_the_directory_states(model, tmp_path):
    assert covered_states(model) == {"IL", "TX"}
    write_geo_data(model, str(tmp_path))
    places = tmp_path / "data" / "places"
    springfield = read(places / "zip" / "627.json")["62701"]
    assert springfield[2:] == ["Springfield", "IL"]
    assert springfield[0] == pytest.approx(39.80, abs=0.05) and springfield[1] == pytest.approx(-89.65, abs=0.05)
    assert not (places / "zip" / "972.json").exists()  # Portland, Oregon: not covered
    towns = read(places / "city" / "spr.json")
    assert any(t[:3] == ["springfield", "Springfield", "IL"] for t in towns)
    assert all(t[2] in ("IL", "TX") for t in towns)
    assert any(t[0] == "saint joseph" and t[2] == "IL" for t in read(places / "city" / "sai.json"))  # "St. Joseph"


def test_places_are_written_for_the_states_asked(tmp_path):
    zips, towns = write_places({"IL", "TX"}, str(tmp_path / "places"))
    made = places_data({"TX", "IL"})
    assert (zips, towns) == (made.zips, made.cities) and zips > 1000
    assert {str(p.relative_to(tmp_path / "places")): p.read_bytes() for p in (tmp_path / "places").rglob("*") if p.is_file()} == made.files


def test_place_index_town_is_the_mean_of_its_zip_codes():
    zips, towns = place_index({"IL"})
    chicago = [t for t in towns if t[0] == "chicago" and t[2] == "IL"]
    assert len(chicago) == 1
    own = [z for z in zips.values() if z[2] == "Chicago"]
    assert chicago[0][3] == pytest.approx(sum(z[0] for z in own) / len(own), abs=0.01)
    assert all(len(code) == 5 and code.isdigit() for code in zips)


def test_place_names_and_their_files():
    assert normal_place("St. Louis") == "saint louis"
    assert normal_place("Coeur d'Alene") == "coeur d alene"
    assert normal_place("Cañon City") == "canon city"
    assert place_key("saint louis") == "sai"
    assert place_key("o fallon") == "o_f"
    assert place_key("ai") == "ai_"
