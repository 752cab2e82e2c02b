"""A listing's relatives, for its page: the same group's other listings (a
group meeting at two addresses, or in person and on its own online room, has
one listing for each) and the other groups and family groups meeting at the
same street address. One index each, so the cost grows with the directory.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from .listing import Listing
from .peer_support import GROUP_KINDS, address_key

_PUNCTUATION = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Siblings:
    same_group: tuple[Listing, ...] = ()  # the group's other listings
    same_place: tuple[Listing, ...] = ()  # other groups meeting at this address


def find_siblings(listings: Iterable[Listing]) -> dict[str, Siblings]:
    """Slug → its :class:`Siblings`, only for listings that have some."""
    groups = [l for l in listings if l.kind in GROUP_KINDS]
    keys = [(group_key(l), address_key(l) if l.location else None) for l in groups]
    by_group: dict[tuple, list[Listing]] = defaultdict(list)
    by_place: dict[tuple, list[Listing]] = defaultdict(list)
    for listing, (group, place) in zip(groups, keys):
        by_group[group].append(listing)
        if place:
            by_place[place].append(listing)
    found = {}
    for listing, (group, place) in zip(groups, keys):
        together, here = by_group[group], by_place[place] if place else [listing]
        if len(together) == 1 and len(here) == 1:  # alone in both (a listing is in its own buckets)
            continue
        same_group = _others(together, listing)
        shown = {l.slug for l in same_group}
        same_place = tuple(l for l in _others(here, listing) if l.slug not in shown)
        if same_group or same_place:
            found[listing.slug] = Siblings(same_group, same_place)
    return found


def group_key(listing: Listing) -> tuple[str, str, str]:
    """One group's listings share a fellowship, a name (compared without case or
    punctuation) and a region: many groups in a state are called "Serenity Group"."""
    return listing.fellowship or "", _PUNCTUATION.sub(" ", listing.name.lower()).strip(), listing.region


def _others(listings: Iterable[Listing], listing: Listing) -> tuple[Listing, ...]:
    return tuple(sorted((l for l in listings if l is not listing), key=lambda l: (l.name.lower(), l.slug)))
