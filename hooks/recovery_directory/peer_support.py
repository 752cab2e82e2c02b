"""Treatment centres and the groups around them.

A centre's page shows, as "peer support here", the groups it names in its
``groups:`` field (groups meeting on its premises, or run for its alumni and
families) and the groups and family groups meeting at its address; each such
group's page links back to the centre. Addresses are compared after a light
normalisation (case, punctuation, common street words), with one index, so
the cost grows with the directory, not with its square.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from .listing import Listing

GROUP_KINDS = ("group", "family-group")
# Street words written both ways in addresses: compared in their short form.
_SHORT = {
    "street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr", "lane": "ln",
    "place": "pl", "court": "ct", "highway": "hwy", "parkway": "pkwy", "square": "sq", "terrace": "ter",
    "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne", "northwest": "nw",
    "southeast": "se", "southwest": "sw",
}


@dataclass(frozen=True, slots=True)
class Connection:
    """One end of a centre–group link, as the other end's page shows it."""

    listing: Listing
    named: bool  # the centre names the group in its groups: field
    same_address: bool  # the group meets at the centre's address


@dataclass
class PeerSupport:
    by_centre: dict[str, list[Connection]]  # centre slug → its groups
    by_group: dict[str, list[Connection]]  # group slug → its centres


def link_centres(listings: Iterable[Listing]) -> PeerSupport:
    """Every centre's groups (named ones in the order given, then those at its
    address by name), and every such group's centres (by name)."""
    listings = list(listings)
    by_slug = {l.slug: l for l in listings}
    at_address: dict[tuple[str, str], list[Listing]] = defaultdict(list)
    for listing in listings:
        if listing.kind in GROUP_KINDS and listing.location:
            at_address[address_key(listing)].append(listing)
    by_centre: dict[str, list[Connection]] = {}
    by_group: dict[str, list[Connection]] = defaultdict(list)
    for centre in listings:
        if centre.kind != "treatment-center":
            continue
        here = {l.slug: l for l in sorted(at_address.get(address_key(centre), ()), key=lambda l: (l.name.lower(), l.slug))}
        named = {slug: by_slug[slug] for slug in centre.groups if slug in by_slug and by_slug[slug].kind in GROUP_KINDS}
        groups = list(named.values()) + [l for slug, l in here.items() if slug not in named]
        if not groups:
            continue
        by_centre[centre.slug] = [Connection(g, g.slug in named, g.slug in here) for g in groups]
        for group in groups:
            by_group[group.slug].append(Connection(centre, group.slug in named, group.slug in here))
    for connections in by_group.values():
        connections.sort(key=lambda c: (c.listing.name.lower(), c.listing.slug))
    return PeerSupport(by_centre, dict(by_group))


def address_key(listing: Listing) -> tuple[str, str]:
    """The street address and city, compared without case, punctuation or long street words."""
    location = listing.location
    return _normal(location.address), _normal(location.city)


def _normal(text: str | None) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).split()
    return " ".join(_SHORT.get(word, word) for word in words)
