"""What the build adds for near me, online now, maps and calendars: the page in
the navigation, the data files, the .ics links, the tile server setting and
the Content-Security-Policy that follows from it (no browser here)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import yaml
from icalendar import Calendar
from mkdocs.exceptions import PluginError

from recovery_directory.geo_index import geohash
from recovery_directory.render import TRANSLATIONS
from recovery_directory.settings import Settings, TileServer
from recovery_directory.site_model import BROWSER_STRINGS
from site_build import text

pytest_plugins = ["site_fixtures", "geo_site_fixtures"]


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_near_me_leads_find_help_and_the_home_page(example_site):
    nav = example_site.soup("").select_one("nav.md-nav--primary")
    labels = [(a["href"], text(a)) for a in nav.select("a") if a.get("href", "").endswith("/")]
    assert labels[0] == ("near-me/", "Meetings near me")
    quick = example_site.soup("").select_one(".rd-quick")
    assert quick.find("a", string="Meetings near me")["href"] == "near-me/"


def test_near_me_page_carries_its_strings_and_no_inline_script(example_site):
    soup = example_site.soup("near-me/")
    config = json.loads(soup.select_one("#rd-near")["data-config"])
    english = yaml.safe_load(open(f"{TRANSLATIONS}/en.yml", encoding="utf-8"))
    assert config["strings"] == {k: v for k, v in english.items() if k.startswith(BROWSER_STRINGS["near"])}
    assert (config["data"], config["root"], config["units"], config["tiles"]) == ("../data/", "../", "mi", None)
    assert all(script.get("src") for script in soup.select("article script, .md-content script"))
    assert [a["href"] for a in soup.select("#rd-near-regions + .rd-regions a")][:1] == ["../regions/illinois/"]
    assert soup.select(".rd-map") == []


def test_every_placed_listing_is_in_exactly_one_near_cell(example_site, example_directory):
    near = example_site.root / "data" / "near"
    index = read(near / "index.json")
    found = {}
    for cell, count in index["cells"].items():
        records = read(near / f"{cell}.json")
        assert len(records) == count
        for record in records:
            assert geohash(record[0], record[1], len(cell)) == cell
            found[(index["kinds"][record[2]][1], record[3])] = record
    folders = {"group": "groups", "family-group": "family-groups", "treatment-center": "treatment-centers"}
    in_person = {(folders[l.kind], l.slug) for l in example_directory.listings if l.location}
    assert set(found) <= in_person
    assert len(found) >= len(in_person) - 3  # the build places nearly every address offline (enrich.py)
    for folder, slug in found:
        assert example_site.exists(f"{folder}/{slug}/")


def test_online_hours_list_every_online_meeting(example_site, example_directory):
    folder = example_site.root / "data" / "online"
    index = read(folder / "index.json")
    rows = [row for hour, count in enumerate(index["hours"]) if count for row in read(folder / f"{hour}.json")]
    assert len(rows) == sum(index["hours"])
    expected = sum(len(l.meetings) for l in example_directory.listings if l.online)
    assert len(rows) == expected
    assert all(example_site.exists(row[0]) for row in rows)
    assert all(row[8].startswith("https://") or row[8] == "" for row in rows)


def test_each_listing_with_meetings_offers_its_calendar(example_site, example_directory):
    folders = {"group": "groups", "family-group": "family-groups", "treatment-center": "treatment-centers"}
    for listing in example_directory.listings:
        url = f"{folders[listing.kind]}/{listing.slug}/"
        link = example_site.soup(url).find("a", attrs={"download": True})
        if not listing.meetings:
            assert link is None
            continue
        assert (link["href"], text(link)) == ("meetings.ics", "Add to calendar (.ics)")
        calendar = Calendar.from_ical((example_site.root / url / "meetings.ics").read_bytes())
        assert len(calendar.walk("VEVENT")) == len(listing.meetings)
        assert str(calendar["x-wr-calname"]) == listing.name


def test_without_tiles_the_policy_allows_no_other_image_host(example_site):
    policy = example_site.soup("near-me/").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "img-src 'self' data:;" in policy
    assert not (example_site.root / "assets" / "vendor" / "leaflet").exists()


def test_with_tiles_leaflet_is_vendored_and_the_tile_host_allowed(geo_site):
    soup = geo_site.soup("groups/downtown-springfield-group/")
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "img-src 'self' data: https://tiles.example.test;" in policy
    assert "connect-src 'self';" in policy
    leaflet = geo_site.root / "assets" / "vendor" / "leaflet"
    assert {p.name for p in leaflet.iterdir()} == {"leaflet.js", "leaflet.css", "images", "LICENSE"}
    assert (leaflet / "images" / "marker-icon.png").is_file()
    box = soup.select_one(".rd-map")
    assert box.has_attr("hidden") and box.find("button", string="Show map")
    assert json.loads(box["data-map"])["points"] == [{"lat": 39.8017, "lon": -89.6436, "label": "Downtown Springfield Group"}]
    assert soup.find("script", src="../../assets/directory/map.js")


def config(extra: dict) -> SimpleNamespace:
    return SimpleNamespace(extra={"directory": extra}, config_file_path="mkdocs.yml", theme={"language": "en"}, repo_url="")


def test_tiles_setting():
    settings = Settings.from_config(config({"tiles": {"url": "https://{s}.tile.example.org/{z}/{x}/{y}.png", "attribution": "© Example"}}))
    assert settings.tiles == TileServer("https://{s}.tile.example.org/{z}/{x}/{y}.png", "© Example")
    assert settings.tiles.host == "https://*.tile.example.org"
    assert Settings.from_config(config({})).tiles is None


@pytest.mark.parametrize("tiles, message", [
    ({"url": "http://tile.example.org/{z}/{x}/{y}.png", "attribution": "x"},
     "mkdocs.yml: extra.directory.tiles.url must be an https:// URL with {z}, {x} and {y}, e.g. https://tile.example.org/{z}/{x}/{y}.png"),
    ({"url": "https://tile.example.org/{z}/{x}.png", "attribution": "x"},
     "mkdocs.yml: extra.directory.tiles.url must be an https:// URL with {z}, {x} and {y}, e.g. https://tile.example.org/{z}/{x}/{y}.png"),
    ({"url": "https://tile.example.org/{z}/{x}/{y}.png; script-src *", "attribution": "x"},
     "mkdocs.yml: extra.directory.tiles.url must not contain spaces, quotes or semicolons"),
    ({"url": "https://tile.example.org/{z}/{x}/{y}.png"},
     "mkdocs.yml: extra.directory.tiles: give url and attribution (optionally max_zoom, subdomains)"),
    ("https://tile.example.org/{z}/{x}/{y}.png",
     "mkdocs.yml: extra.directory.tiles: give url and attribution (optionally max_zoom, subdomains)"),
])
def test_tiles_setting_errors(tiles, message):
    with pytest.raises(PluginError) as raised:
        Settings.from_config(config({"tiles": tiles}))
    assert str(raised.value) == message
