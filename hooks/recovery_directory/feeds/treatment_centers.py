"""``treatment-centers.json``: the directory's treatment centres, one object each.

Treatment centres are not meetings, so they stay out of the Meeting Guide feed.
No shared format exists for them; this one reuses the Meeting Guide field names
wherever a field means the same (address, region, url, updated …) so that one
reader serves both files. docs/feeds.md describes every field.
"""

from __future__ import annotations

from typing import Iterable

from ..listing import Listing
from ..vocabularies import Vocabularies
from .meeting_guide import Links, place_fields, region_fields, updated


def treatment_centers_feed(listings: Iterable[Listing], vocabularies: Vocabularies,
                           links: Links = Links(), language: str = "en") -> list[dict]:
    return [_center(listing, vocabularies, links, language)
            for listing in listings if listing.kind == "treatment-center"]


def _center(listing: Listing, vocabularies: Vocabularies, links: Links, language: str) -> dict:
    region = vocabularies.regions[listing.region]
    item: dict = {"name": listing.name, "slug": listing.slug}
    timezone = listing.timezone or region.default_timezone
    if timezone:
        item["timezone"] = timezone
    item.update(place_fields(listing.location, region))
    item.update(region_fields(region))
    item["phone"] = listing.phone
    for key in ("services", "payment", "populations"):
        codes = getattr(listing, key)
        if codes:
            vocabulary = vocabularies.terms[key]
            item[key] = [{"code": code, "name": vocabulary.name(code, language)} for code in codes]
    if listing.languages:
        item["languages"] = list(listing.languages)
    for key in ("support", "notes", "website", "email"):
        value = getattr(listing, key)
        if value:
            item[key] = value
    item["url"] = links.page(listing)
    edit = links.edit(listing)
    if edit:
        item["edit_url"] = edit
    if listing.last_verified:
        item["updated"] = updated(listing)
    return item
