"""Listings as the rest of the pipeline sees them: small typed records, built
only from data that has passed validation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .fields import DAYS, parse_date

IN_PERSON, ONLINE, HYBRID = "in-person", "online", "hybrid"


@dataclass(slots=True)
class Location:
    address: str
    city: str
    name: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str = "US"
    latitude: float | None = None
    longitude: float | None = None
    notes: str | None = None
    # How precise the coordinates are: listing, street, postal-code, city (enrichment sets it).
    precision: str | None = None

    @property
    def one_line(self) -> str:
        tail = " ".join(p for p in (self.state, self.postal_code) if p)
        return ", ".join(p for p in (self.address, self.city, tail) if p)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(slots=True)
class Online:
    url: str | None = None
    phone: str | None = None
    notes: str | None = None  # Meeting Guide: conference_url_notes
    phone_notes: str | None = None  # Meeting Guide: conference_phone_notes


@dataclass(frozen=True, slots=True)
class Contact:
    """A member the group agreed to name (contact_1_… in the Meeting Guide format)."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    """The service body that keeps a listing: the listing's entity fields, or
    the site's default (``extra.directory.entity`` in mkdocs.yml)."""

    name: str
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    feedback_emails: tuple[str, ...] = ()  # the site default's; a listing's are its own fields
    feedback_url: str | None = None


@dataclass(frozen=True, slots=True)
class Closure:
    """A temporary closure of a listing or one meeting (schedule.py reads it)."""

    reason: str | None = None
    since: dt.date | None = None  # the first day closed; None: already closed
    until: dt.date | None = None  # the day it opens again; None: not known


LAST_WEEK = -1  # weeks: [last]


@dataclass(slots=True)
class Meeting:
    day: int  # 0 = Sunday … 6 = Saturday, as in the Meeting Guide format
    time: str  # HH:MM in the listing's time zone
    end_time: str | None = None
    types: tuple[str, ...] = ()
    notes: str | None = None
    every: int = 1  # weeks between meetings: 1, or 2 for every other week (from ``starting``)
    starting: dt.date | None = None
    weeks: tuple[int, ...] = ()  # weeks of the month, 1–5 and LAST_WEEK; () for every week
    cancelled: tuple[dt.date, ...] = ()
    closed: Closure | None = None

    @property
    def day_name(self) -> str:
        return DAYS[self.day]

    @property
    def minutes(self) -> int:
        hours, minutes = self.time.split(":")
        return int(hours) * 60 + int(minutes)


@dataclass(slots=True)
class Listing:
    kind: str  # group, family-group, treatment-center
    slug: str
    source: str  # path of the YAML file, relative to the repository
    name: str
    region: str
    fellowship: str | None = None
    closed: Closure | None = None
    location: Location | None = None
    online: Online | None = None
    meetings: list[Meeting] = field(default_factory=list)
    timezone: str | None = None
    languages: tuple[str, ...] = ("en",)
    website: str | None = None
    email: str | None = None
    phone: str | None = None
    notes: str | None = None
    last_verified: dt.date | None = None
    services: tuple[str, ...] = ()
    payment: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    support: str | None = None
    # Where the time zone came from: listing, coordinates, postal-code, city, region.
    timezone_source: str | None = None
    groups: tuple[str, ...] = ()  # a treatment centre's groups, by slug
    contacts: tuple[Contact, ...] = ()
    # Seventh Tradition links as the listing writes them (contributions.py reads them).
    venmo: str | None = None
    square: str | None = None
    paypal: str | None = None
    homegroup_online: str | None = None
    entity: Entity | None = None  # the listing's own; the site's default is in Settings
    feedback_emails: tuple[str, ...] = ()
    feedback_url: str | None = None

    @property
    def attendance(self) -> str:
        if self.location and self.online:
            return HYBRID
        return ONLINE if self.online else IN_PERSON

    @property
    def is_online(self) -> bool:
        return self.online is not None

    @property
    def in_person(self) -> bool:
        return self.location is not None


@dataclass(frozen=True, slots=True)
class Keeper:
    """Who keeps a listing and where suggestions about it go."""

    entity: Entity | None
    feedback_emails: tuple[str, ...] = ()
    feedback_url: str | None = None


def keeper(listing: Listing, default: Entity | None = None) -> Keeper:
    """The listing's own entity and feedback fields, each else the site's default."""
    return Keeper(
        listing.entity or default,
        listing.feedback_emails or (default.feedback_emails if default else ()),
        listing.feedback_url or (default.feedback_url if default else None),
    )


def _optional(mapping: dict, key: str) -> Any:
    value = mapping.get(key)
    return str(value) if isinstance(value, int) and not isinstance(value, bool) and key == "postal_code" else value


def build_listing(kind: str, slug: str, source: str, data: dict) -> Listing:
    """Build the record from a validated mapping (no checks here)."""
    location = None
    if data.get("location"):
        loc = data["location"]
        location = Location(**{k: _optional(loc, k) for k in loc})
        location.country = location.country or "US"
        if location.has_coordinates:
            location.latitude, location.longitude = float(location.latitude), float(location.longitude)
            location.precision = "listing"
    online = Online(**data["online"]) if data.get("online") else None
    meetings = [
        Meeting(
            day=DAYS.index(m["day"].lower()),
            time=m["time"],
            end_time=m.get("end_time"),
            types=tuple(str(code) for code in m.get("types") or ()),
            notes=m.get("notes"),
            every=2 if m.get("every") else 1,
            starting=parse_date(m.get("starting")),
            weeks=tuple(LAST_WEEK if str(w).lower() == "last" else int(w) for w in m.get("weeks") or ()),
            cancelled=tuple(sorted(parse_date(d) for d in m.get("cancelled") or ())),
            closed=_closure(m.get("closed")),
        )
        for m in data.get("meetings") or ()
    ]
    meetings.sort(key=lambda m: (m.day, m.time))
    return Listing(
        kind=kind,
        slug=slug,
        source=source,
        name=data["name"],
        region=data["region"],
        fellowship=data.get("fellowship"),
        closed=_closure(data.get("closed")),
        location=location,
        online=online,
        meetings=meetings,
        timezone=data.get("timezone"),
        timezone_source="listing" if data.get("timezone") else None,
        languages=tuple(data.get("languages") or ("en",)),
        website=data.get("website"),
        email=data.get("email"),
        phone=data.get("phone"),
        notes=data.get("notes"),
        last_verified=parse_date(data.get("last_verified")),
        services=tuple(data.get("services") or ()),
        payment=tuple(data.get("payment") or ()),
        populations=tuple(data.get("populations") or ()),
        support=data.get("support"),
        groups=tuple(data.get("groups") or ()),
        contacts=_contacts(data),
        venmo=data.get("venmo"),
        square=data.get("square"),
        paypal=data.get("paypal"),
        homegroup_online=data.get("homegroup_online"),
        entity=Entity(data["entity"], data.get("entity_email"), data.get("entity_phone"), data.get("entity_url")) if data.get("entity") else None,
        feedback_emails=tuple(data.get("feedback_emails") or ()),
        feedback_url=data.get("feedback_url"),
    )


def _contacts(data: dict) -> tuple[Contact, ...]:
    # contact_1_… to contact_3_…, leaving out numbers with nothing in them.
    found = []
    for number in (1, 2, 3):
        contact = Contact(*(data.get(f"contact_{number}_{part}") for part in ("name", "email", "phone")))
        if contact.name or contact.email or contact.phone:
            found.append(contact)
    return tuple(found)


def _closure(data: dict | None) -> Closure | None:
    if data is None:
        return None
    return Closure(data.get("reason"), parse_date(data.get("since")), parse_date(data.get("until")))
