"""A listing's accessibility, in words: the meeting types that
``directory/meeting-types.yml`` marks ``access: true`` (wheelchair access,
an accessible bathroom, sign language, fragrance free …), with the days they
apply to when not every meeting has them."""

from __future__ import annotations

from dataclasses import dataclass

from .listing import Listing
from .vocabularies import Vocabularies


@dataclass(frozen=True, slots=True)
class AccessFeature:
    code: str
    days: tuple[int, ...] = ()  # the meetings' days (0 = Sunday) when only some have it


def access_codes(vocabularies: Vocabularies) -> tuple[str, ...]:
    return tuple(t.code for t in vocabularies.terms["meeting-types"] if t.extra.get("access"))


def access_features(listing: Listing, codes: tuple[str, ...]) -> list[AccessFeature]:
    """The access codes (in vocabulary order) on any of the listing's meetings."""
    found = []
    for code in codes:
        days = [m.day for m in listing.meetings if code in m.types]
        if days:
            every = len(days) == len(listing.meetings)
            found.append(AccessFeature(code, () if every else tuple(dict.fromkeys(days))))
    return found
