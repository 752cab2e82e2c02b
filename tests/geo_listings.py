"""Listings at known places and times for the near-me, online-now and map
tests (geo_site_fixtures.py builds them into a site), with a tile server
configured: ``tiles.example.test``, which the tests answer themselves."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from site_build import REPO

TILE_HOST = "tiles.example.test"
TILES = {"url": f"https://{TILE_HOST}/{{z}}/{{x}}/{{y}}.png", "attribution": "Test tiles"}
VOCABULARIES = ("meeting-types.yml", "fellowships.yml", "services.yml", "payment.yml", "populations.yml")

REGIONS = """\
- slug: illinois
  name: Illinois
  state: IL
  timezone: America/Chicago
  regions:
    - slug: springfield-il
      name: Springfield
    - slug: decatur
      name: Decatur
    - slug: chicago
      name: Chicago
- slug: oregon
  name: Oregon
  state: OR
  timezone: America/Los_Angeles
  regions:
    - slug: portland-or
      name: Portland
"""


def _place(city: str, postal_code: str, lat: float, lon: float) -> str:
    return (f"location:\n  address: 1 Main St\n  city: {city}\n  state: IL\n  postal_code: \"{postal_code}\"\n"
            f"  latitude: {lat}\n  longitude: {lon}\n")


# slug → (kind folder, YAML). Coordinates, zones and times are what the tests expect.
LISTINGS = {
    "downtown-springfield-group": ("groups", "name: Downtown Springfield Group\nfellowship: aa\nregion: springfield-il\n"
        + _place("Springfield", "62701", 39.8017, -89.6436)
        + "meetings:\n  - day: monday\n    time: \"19:00\"\n    end_time: \"20:00\"\n    types: [O, D]\n"
          "  - day: thursday\n    time: \"12:00\"\n    types: [C]\n"),
    "springfield-al-anon": ("family-groups", "name: Springfield Al-Anon\nfellowship: al-anon\nregion: springfield-il\n"
        + _place("Springfield", "62704", 39.7700, -89.6800)
        + "meetings:\n  - day: wednesday\n    time: \"10:00\"\n    types: [O]\n"),
    "lincoln-land-recovery": ("treatment-centers", "name: Lincoln Land Recovery\nregion: springfield-il\n"
        + _place("Springfield", "62702", 39.8200, -89.6000)
        + "phone: \"+1 217 555 0100\"\nservices: [detox]\npayment: [self-pay]\n"),
    "chatham-morning-group": ("groups", "name: Chatham Morning Group\nfellowship: na\nregion: springfield-il\n"
        + _place("Chatham", "62629", 39.6761, -89.7043)
        + "meetings:\n  - day: saturday\n    time: \"07:00\"\n    types: [C]\n"),
    "decatur-hybrid-group": ("groups", "name: Decatur Hybrid Group\nfellowship: aa\nregion: decatur\n"
        + _place("Decatur", "62523", 39.8403, -88.9548)
        + "online:\n  url: https://zoom.us/j/5550004444\nmeetings:\n  - day: tuesday\n    time: \"18:00\"\n    types: [O]\n"),
    "chicago-evening-online": ("groups", "name: Chicago Evening Online\nfellowship: aa\nregion: chicago\n"
        "online:\n  url: https://zoom.us/j/5550005555\n  phone: \"+1 312 555 0100,,5550005555#\"\n"
        "meetings:\n  - day: wednesday\n    time: \"19:00\"\n    end_time: \"20:00\"\n    types: [O, D]\n"),
    "portland-noon-online": ("groups", "name: Portland Noon Online\nfellowship: na\nregion: portland-or\n"
        "online:\n  url: https://zoom.us/j/5550006666\n"
        "meetings:\n  - day: thursday\n    time: \"12:00\"\n    end_time: \"13:00\"\n"),
}
NAMES = {slug: yaml.safe_load(text)["name"] for slug, (_, text) in LISTINGS.items()}
COORDINATES = {slug: (yaml.safe_load(text)["location"]["latitude"], yaml.safe_load(text)["location"]["longitude"])
               for slug, (_, text) in LISTINGS.items() if "location:" in text}


def write_geo_directory(root: Path) -> Path:
    directory = root / "directory"
    for folder in ("groups", "family-groups", "treatment-centers"):
        (directory / folder).mkdir(parents=True, exist_ok=True)
    for name in VOCABULARIES:
        shutil.copyfile(REPO / "directory" / name, directory / name)
    (directory / "regions.yml").write_text(REGIONS, encoding="utf-8")
    for slug, (folder, text) in LISTINGS.items():
        (directory / folder / f"{slug}.yml").write_text(text, encoding="utf-8")
    return directory
