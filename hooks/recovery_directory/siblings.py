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


@dataclass(frozen=True, slots=True)
class Siblings:
    same_group: tuple[Listing, ...] = ()  # the group's other listings
    same_place: tuple[Listing, ...] = ()  # other groups meeting at this address


def find_siblings(listings: Iterable[Listing]) -> dict[str, Siblings]:
    """Slug → its :class:`Siblings`, only for listings that have some."""
    groups = [l for l in listings if l.kind in GROUP_KINDS]
    by_group: dict[tuple, list[Listing]] = defaultdict(list)
    by_place: dict[tuple, list[Listing]] = defaultdict(list)
    for listing in groups:
        by_group[group_key(listing)].append(listing)
        if listing.location:
            by_place[address_key(listing)].append(listing)
    for bucket in list(by_group.values()) + list(by_place.values()):
        bucket.sort(key=lambda l: (l.name.lower(), l.slug))
    found = {}
    for listing in groups:
        same_group = _others(by_group[group_key(listing)], listing)
        shown = {l.slug for l in same_group}
        place = by_place.get(address_key(listing), ()) if listing.location else ()
        same_place = tuple(l for l in _others(place, listing) if l.slug not in shown)
        if same_group or same_place:
            found[listing.slug] = Siblings(same_group, same_place)
    return found


def group_key(listing: Listing) -> tuple[str, str]:
    """One group's listings share a fellowship and a name (compared without case or punctuation)."""
    return listing.fellowship or "", " ".join(re.sub(r"[^\w]+", " ", listing.name.lower()).split())


def _others(listings: Iterable[Listing], listing: Listing) -> tuple[Listing, ...]:
    return tuple(l for l in listings if l is not listing)
