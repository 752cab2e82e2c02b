"""The hostile directory: listings whose every text field carries markup,
script, quotes, entities or template syntax (they must build, and show as
text), and listings with script URLs (validation must refuse them, with the
message given here).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from site_build import REPO

VOCABULARY_FILES = ("meeting-types.yml", "fellowships.yml", "services.yml", "payment.yml", "populations.yml")

# --- payloads --------------------------------------------------------------
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
SINGLE_QUOTE = "' autofocus onfocus='alert(1)"
MARKDOWN_LINK = "[x](javascript:alert(1))"
RAW_HTML = '<a href="javascript:alert(1)">click</a> <iframe src="javascript:alert(1)"></iframe> <svg onload=alert(1)>'
ENTITIES = "&lt;script&gt;alert(1)&lt;/script&gt;"
TITLE_BREAK = "</title><script>alert(1)</script><!--"
TEMPLATE = "{{ 7*7 }} {% raw %}{{ config }}{% endraw %} {{ config.site_name }}"
# A URL that passes validation (https, a host) yet tries to leave its attribute.
HOSTILE_URL = 'https://example.org/join?a="><script>alert(1)</script>'

HOSTILE_REGION_NAME = "<script>alert(1)</script> \"Hostile\" 'Town' &amp; <b>co</b>"
HOSTILE_REGIONS = [
    {"slug": "illinois", "name": "Illinois", "state": "IL", "timezone": "America/Chicago", "regions": [
        {"slug": "springfield", "name": "Springfield"},
        {"slug": "hostile-town", "name": HOSTILE_REGION_NAME},
    ]},
]

_MEETING = {"day": "monday", "time": "19:30", "types": ["O", "D"]}
_PLACE = {"address": "1 Main St", "city": "Springfield", "state": "IL"}

# Valid listings: they build, and every string must come out as text.
HOSTILE_LISTINGS: dict[str, dict] = {
    "groups/downtown-serenity.yml": {  # the clean neighbour that pins the URLs
        "name": "Downtown Serenity Group", "fellowship": "aa", "region": "springfield",
        "location": {"address": "123 Main St", "city": "Springfield", "state": "IL"},
        "meetings": [{"day": "monday", "time": "19:30", "types": ["O", "W"]}],
    },
    "groups/script-everywhere.yml": {
        "name": f"{SCRIPT} Group", "fellowship": "aa", "region": "hostile-town",
        "location": {
            "name": ATTRIBUTE,
            "address": f'12 "Quoted" St {SINGLE_QUOTE}',
            "city": f'Spring"field{ATTRIBUTE}',
            "state": "IL",
            "postal_code": '"><b>62701</b>',
            "notes": RAW_HTML,
        },
        "online": {"url": HOSTILE_URL, "phone": "+1 646 555 0100,,123#", "notes": f"{MARKDOWN_LINK} {SCRIPT}", "phone_notes": RAW_HTML},
        "meetings": [
            {"day": "tuesday", "time": "19:30", "types": ["O", "W"], "notes": f"{ATTRIBUTE} {MARKDOWN_LINK}"},
        ],
        "website": 'https://example.org/"onmouseover="alert(1)',
        "notes": f"Notes with {MARKDOWN_LINK} and {RAW_HTML} and {SCRIPT}",
        # The listing page's newer fields (tests/test_listing_fields.py reads them back).
        "contact_1_name": SCRIPT, "contact_1_email": "c1@example.org",
        "contact_2_name": ATTRIBUTE, "contact_2_phone": "+1 217 555 0106",
        "contact_3_name": "{{ 7*7 }} {{ config.site_name }}", "contact_3_email": "c3@example.org",
        "venmo": "@Hostile-Group", "square": "$Hostile", "paypal": "Hostile", "homegroup_online": "hostile",
        "entity": TITLE_BREAK, "entity_email": "office@example.org", "entity_phone": "+1 217 555 0107", "entity_url": HOSTILE_URL,
        "feedback_emails": ["feedback@example.org"], "feedback_url": 'https://example.org/"onmouseover="alert(1)',
    },
    "groups/attribute-breaker.yml": {
        "name": ATTRIBUTE, "fellowship": "na", "region": "springfield",
        "location": _PLACE, "meetings": [_MEETING], "notes": SINGLE_QUOTE,
    },
    "groups/entity-name.yml": {
        "name": ENTITIES, "fellowship": "aa", "region": "springfield",
        "location": {**_PLACE, "address": "2 Main St"}, "meetings": [_MEETING],
    },
    "groups/title-breaker.yml": {
        "name": TITLE_BREAK, "fellowship": "aa", "region": "springfield",
        "location": {**_PLACE, "address": "3 Main St"}, "meetings": [_MEETING],
    },
    "groups/template-name.yml": {
        "name": TEMPLATE, "fellowship": "aa", "region": "springfield",
        "location": {**_PLACE, "address": "4 Main St", "notes": "{% include 'main.html' %}"},
        "meetings": [_MEETING], "notes": "{{ 6*7 }} {{ page.title }}",
    },
    "family-groups/hostile-family.yml": {
        "name": f'Al-Anon "<b>Family</b>" {SINGLE_QUOTE}', "fellowship": "al-anon", "region": "hostile-town",
        "online": {"url": HOSTILE_URL, "notes": RAW_HTML},
        "meetings": [{"day": "wednesday", "time": "12:00", "notes": SCRIPT}],
        "notes": RAW_HTML,
    },
    "treatment-centers/hostile-center.yml": {
        "name": "Center <iframe src=javascript:alert(1)>", "region": "hostile-town",
        "location": {"name": SCRIPT, "address": ATTRIBUTE, "city": SINGLE_QUOTE, "notes": MARKDOWN_LINK},
        "phone": "+1 217 555 0105", "services": ["outpatient"], "payment": ["medicaid"],
        "support": f"{RAW_HTML} {MARKDOWN_LINK}", "notes": SCRIPT,
        "website": HOSTILE_URL,
    },
}

# Listings validation must reject, with the message it must give.
REJECTED_LISTINGS: dict[str, tuple[dict, str]] = {
    "groups/javascript-website.yml": (
        {"name": "Website Group", "fellowship": "aa", "region": "springfield", "location": {**_PLACE, "address": "5 Main St"},
         "meetings": [_MEETING], "website": "javascript:alert(1)"},
        "website: 'javascript:alert(1)' is not a web address — only links starting with https:// or http:// are allowed",
    ),
    "groups/javascript-online.yml": (
        {"name": "Online Group", "fellowship": "aa", "region": "springfield",
         "online": {"url": "JaVaScRiPt:alert(1)"}, "meetings": [_MEETING]},
        "online.url: 'JaVaScRiPt:alert(1)' is not a web address — only links starting with https:// or http:// are allowed",
    ),
    "family-groups/data-url.yml": (
        {"name": "Data Family Group", "fellowship": "al-anon", "region": "springfield",
         "online": {"url": "data:text/html,<script>alert(1)</script>"}, "meetings": [_MEETING]},
        "online.url: 'data:text/html,<script>alert(1)</script>' is not a web address — only links starting with https:// or http:// are allowed",
    ),
}


def write_directory(root: Path, listings: dict[str, dict]) -> Path:
    """A ``directory/`` with the repository's vocabularies, our regions and ``listings``."""
    directory = root / "directory"
    for kind in ("groups", "family-groups", "treatment-centers"):
        (directory / kind).mkdir(parents=True, exist_ok=True)
    for name in VOCABULARY_FILES:
        shutil.copyfile(REPO / "directory" / name, directory / name)
    _dump(directory / "regions.yml", HOSTILE_REGIONS)
    for relative, data in listings.items():
        _dump(directory / relative, data)
    return directory


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
