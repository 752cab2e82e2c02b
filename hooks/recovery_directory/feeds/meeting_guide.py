"""The Meeting Guide format (Code for Recovery's ``spec``): the directory's
groups and family groups as one JSON object per weekly meeting.

Pure functions: listings in, plain dicts out. docs/feeds.md describes every
field and the choices made here; :mod:`.meeting_guide_import` reads the format
back into listings, and tests/test_feed_roundtrip.py checks that the two agree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from typing import Iterable, Iterator
from urllib.parse import urljoin

import phonenumbers
from babel import Locale

from ..contributions import contributions
from ..fields import DAYS
from ..listing import LAST_WEEK, Entity, Keeper, Listing, Location, Meeting, keeper
from ..schedule import WEEKLY_RULE, describe, is_closed, next_occurrence, rule_kind
from ..site_model import listing_url
from ..vocabularies import Region, Vocabularies

MEETING_KINDS = ("group", "family-group")
MAX_SLUG = 64  # the spec: "64 characters max, but ideally shorter"

# The spec's language type codes and the ISO 639-1 codes listings use.
LANGUAGE_TYPES = {
    "af": "AF", "am": "AM", "ar": "AR", "bg": "BG", "da": "DA", "de": "DE", "el": "EL",
    "en": "EN", "es": "S", "fa": "FA", "fi": "FI", "fr": "FR", "he": "HE", "hi": "HI",
    "hr": "HR", "hu": "HU", "is": "IS", "it": "ITA", "ja": "JA", "ka": "KA", "ko": "KOR",
    "lt": "LT", "ml": "ML", "mt": "MT", "ne": "NE", "nl": "NL", "no": "NO", "pa": "PUN",
    "pl": "POL", "pt": "POR", "ru": "RUS", "sk": "SK", "sl": "SL", "sv": "SV", "th": "TH",
    "tl": "TL", "tr": "TUR", "uk": "UK",
}
TYPE_LANGUAGES = {code: language for language, code in LANGUAGE_TYPES.items()}

# Postal codes of US states and territories and of Canadian provinces, to name
# the country of an approximate address built from a region.
US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI".split())
CA_PROVINCES = frozenset("AB BC MB NB NL NS NT NU ON PE QC SK YT".split())
COARSE_PRECISION = ("postal-code", "city")  # enrichment's guesses, not the door


@dataclass(frozen=True)
class Links:
    """Where a listing's page and its editable source file are on the web.

    ``site_url`` empty gives page links relative to the site root, which is
    also where the feed is served, so they resolve against the feed's own URL.
    """

    site_url: str = ""
    edit_base: str = ""  # repo_url joined with edit_uri, e.g. https://github.com/o/r/edit/main/docs/
    docs_dir: str = "docs"

    def page(self, listing: Listing) -> str:
        path = listing_url(listing)
        return urljoin(self.site_url.rstrip("/") + "/", path) if self.site_url else path

    def edit(self, listing: Listing) -> str | None:
        if not self.edit_base:
            return None
        source = os.path.relpath(os.path.abspath(listing.source), os.path.abspath(self.docs_dir))
        return urljoin(self.edit_base, source.replace(os.sep, "/"))


def meetings_feed(listings: Iterable[Listing], vocabularies: Vocabularies, links: Links = Links(),
                  entity: Entity | None = None, language: str = "en", now: dt.datetime | None = None) -> list[dict]:
    """One Meeting Guide object per meeting of every group and family group;
    ``entity`` keeps the listings that name no service body of their own.
    Schedules and closures as of ``now`` (see :func:`schedule_fields`)."""
    return list(iter_meetings_feed(listings, vocabularies, links, entity, language, now))


def iter_meetings_feed(listings: Iterable[Listing], vocabularies: Vocabularies, links: Links = Links(),
                       entity: Entity | None = None, language: str = "en", now: dt.datetime | None = None) -> Iterator[dict]:
    """:func:`meetings_feed` one object at a time."""
    now = now or dt.datetime.now(dt.timezone.utc)
    groups = [listing for listing in listings if listing.kind in MEETING_KINDS]
    drop = _shared_region_depth(vocabularies.regions[listing.region] for listing in groups)
    derived = {t.code for t in vocabularies.terms["meeting-types"] if t.extra.get("derived")}
    for listing in groups:
        shared = _listing_fields(listing, vocabularies, links, drop, entity)
        extra_types = _language_types(listing)
        for meeting in listing.meetings:
            item = _meeting(listing, meeting, shared, derived, extra_types)
            yield schedule_fields(item, listing, meeting, language, now)


def meeting_slug(listing: Listing, meeting: Meeting) -> str:
    """``<listing slug>-<day>-<hhmm>``: unique, since a listing's slug is unique
    and it never holds two meetings at the same day and time."""
    suffix = f"-{DAYS[meeting.day][:3]}-{meeting.time.replace(':', '')}"
    stem = listing.slug
    if len(stem) + len(suffix) > MAX_SLUG:  # keep it unique with a digest of the full slug
        digest = hashlib.sha1(stem.encode()).hexdigest()[:6]
        stem = stem[: MAX_SLUG - len(suffix) - 7].rstrip("-") + "-" + digest
    return stem + suffix


def _meeting(listing: Listing, meeting: Meeting, shared: dict, derived: set[str], extra_types: list[str]) -> dict:
    types = [code for code in meeting.types if code not in derived]
    types += [code for code in extra_types if code not in types]
    item = {"name": listing.name, "slug": meeting_slug(listing, meeting), "day": meeting.day, "time": meeting.time}
    if meeting.end_time:
        item["end_time"] = meeting.end_time
    item.update(shared["head"])
    if types:
        item["types"] = types
    if meeting.notes:
        item["notes"] = meeting.notes
    item.update(shared["tail"])
    return item


def _listing_fields(listing: Listing, vocabularies: Vocabularies, links: Links, drop: int,
                    entity: Entity | None = None) -> dict[str, dict]:
    """The fields every meeting of a listing shares: those before types and notes, and those after."""
    region = vocabularies.regions[listing.region]
    head: dict = {}
    timezone = listing.timezone or region.default_timezone
    if timezone:
        head["timezone"] = timezone
    head.update(place_fields(listing.location, region))
    head.update(region_fields(region, drop))
    if listing.online:
        head.update(_online_fields(listing))
    tail: dict = {"group": listing.name}
    for key, value in (("group_notes", listing.notes), ("email", listing.email), ("phone", listing.phone),
                       ("website", listing.website), ("fellowship", listing.fellowship), ("group_id", listing.slug)):
        if value:
            tail[key] = value
    tail.update(contact_fields(listing))
    tail.update({c.field: c.handle for c in contributions(listing)})
    tail["url"] = links.page(listing)
    edit = links.edit(listing)
    if edit:
        tail["edit_url"] = edit
    tail.update(keeper_fields(keeper(listing, entity)))
    if listing.last_verified:
        tail["updated"] = updated(listing)
    return {"head": head, "tail": tail}


CLOSED_TYPE = "TC"  # the format's "Location Temporarily Closed"


def schedule_fields(item: dict, listing: Listing, meeting: Meeting, language: str, now: dt.datetime) -> dict:
    """What the format cannot say, said as well as its readers show it.

    The format knows only weekly meetings. A meeting on some weeks stays one
    weekly entry (apps then show it on its day, every week) with a first line
    of notes saying "1st and 3rd Monday only (next: …)", which TSML UI and the
    Meeting Guide app show on the meeting; leaving it out, or one entry per
    date, would be worse. A closure open at build time adds the type TC.
    Our own fields keep it all: ``schedule`` (``every``/``starting``,
    ``weeks``, ``cancelled``) and ``closed`` / ``group_closed`` (``reason``,
    ``since``, ``until``), so the import restores the listing exactly."""
    extra: dict = {}
    if rule_kind(meeting) != WEEKLY_RULE:
        when = next_occurrence(listing, meeting, now)
        from ..render import catalogue, Formats

        line = catalogue(language)("feed_rule_note", rule=describe(meeting, language),
                                   date=Formats(language).date(when.date()) if when else "—")
        item["notes"] = line + ("\n" + item["notes"] if item.get("notes") else "")
        extra = {"every": "other week", "starting": meeting.starting.isoformat()} if meeting.every == 2 else {
            "weeks": ["last" if n == LAST_WEEK else n for n in meeting.weeks]}
    if meeting.cancelled:
        extra["cancelled"] = [d.isoformat() for d in meeting.cancelled]
    if is_closed(listing, now.date()) or is_closed(meeting, now.date()):
        item["types"] = item.get("types", []) + ([CLOSED_TYPE] if CLOSED_TYPE not in item.get("types", []) else [])
    if extra:
        item["schedule"] = extra
    for key, closure in (("closed", meeting.closed), ("group_closed", listing.closed)):
        if closure is not None:
            item[key] = {k: (v.isoformat() if isinstance(v, dt.date) else v)
                         for k, v in (("reason", closure.reason), ("since", closure.since), ("until", closure.until)) if v}
    return item


def contact_fields(listing: Listing) -> dict:
    """``contact_1_name`` … ``contact_3_phone``, numbered from 1 in the listing's order."""
    out: dict = {}
    for number, contact in enumerate(listing.contacts, 1):
        for part in ("name", "email", "phone"):
            value = getattr(contact, part)
            if value:
                out[f"contact_{number}_{part}"] = value
    return out


def keeper_fields(kept: Keeper) -> dict:
    """The service body (``entity…``) and where feedback goes (``feedback_…``).
    Its website is written under both names in use: ``entity_website_url`` (the
    specification's text) and ``entity_url`` (TSML UI, 12 Step Meeting List)."""
    out: dict = {}
    if kept.entity:
        entity = kept.entity
        out["entity"] = entity.name
        for key, value in (("entity_email", entity.email), ("entity_phone", entity.phone),
                           ("entity_url", entity.url), ("entity_website_url", entity.url)):
            if value:
                out[key] = value
    if kept.feedback_emails:
        out["feedback_emails"] = list(kept.feedback_emails)
    if kept.feedback_url:
        out["feedback_url"] = kept.feedback_url
    return out


def place_fields(location: Location | None, region: Region) -> dict:
    """Where: the street address when people meet in person, else an approximate
    address standing for the region (the spec wants one even for online meetings)."""
    if location is None:
        return {"formatted_address": approximate_address(region), "approximate": "yes"}
    out: dict = {}
    if location.name:
        out["location"] = location.name
    if location.notes:
        out["location_notes"] = location.notes
    state = location.state or region.state_code
    country = location.country or "US"
    tail = " ".join(part for part in (state, location.postal_code) if part)
    out["formatted_address"] = ", ".join(part for part in (location.address, location.city, tail, country_name(country)) if part)
    out["address"], out["city"] = location.address, location.city
    if state:
        out["state"] = state
    if location.postal_code:
        out["postal_code"] = location.postal_code
    out["country"] = country
    out["approximate"] = "no"
    if location.has_coordinates and location.precision not in COARSE_PRECISION:
        out["latitude"], out["longitude"] = round(location.latitude, 5), round(location.longitude, 5)
    return out


def approximate_address(region: Region) -> str:
    """``Chicago, IL, USA``; ``Illinois, USA``; or the region's names, specific first."""
    state = region.state_code
    country = "USA" if state in US_STATES else "Canada" if state in CA_PROVINCES else None
    if not state or not country:
        return ", ".join(r.name for r in reversed(region.lineage))
    if region.state:
        return f"{region.name}, {country}"
    return f"{region.name}, {state}, {country}"


def country_name(code: str) -> str:
    """The country as addresses write it: USA for US, else its English name."""
    if code.upper() == "US":
        return "USA"
    return Locale("en").territories.get(code.upper(), code)


def region_fields(region: Region, drop: int = 0) -> dict:
    """``regions``, general to specific, and ``region``/``sub_region`` for readers
    that know only two levels; levels shared by the whole feed are left out."""
    names = [r.name for r in region.lineage][drop:]
    out = {"region": names[0]}
    if len(names) > 1:
        out["sub_region"] = names[1]
    out["regions"] = names
    return out


def _shared_region_depth(regions: Iterable[Region]) -> int:
    # The spec: "A region that's shared across all meetings should be omitted."
    lineages = [r.lineage for r in regions]
    if not lineages:
        return 0
    depth = min(len(lineage) for lineage in lineages) - 1
    for level in range(depth):
        if len({lineage[level].slug for lineage in lineages}) > 1:
            return level
    return depth


def _online_fields(listing: Listing) -> dict:
    online = listing.online
    out: dict = {}
    if online.url:
        out["conference_url"] = online.url
        if online.notes:
            out["conference_url_notes"] = online.notes
    if online.phone:
        out["conference_phone"] = conference_phone(online.phone)
        # The dial-in's own notes; else the general ones, which also serve the
        # phone (and are all there is for a meeting with no link).
        notes = online.phone_notes or online.notes
        if online.phone_notes and online.notes and not online.url:
            notes = f"{online.notes}\n{online.phone_notes}"
        if notes:
            out["conference_phone_notes"] = notes
    return out


def conference_phone(phone: str) -> str:
    """``+1 646 555 0100,,123#`` → ``+16465550100,,123#``: digits, ``+`` and the
    one-tap pauses only, as the spec asks."""
    number, comma, pauses = phone.partition(",")
    try:
        number = phonenumbers.format_number(phonenumbers.parse(number, "US"), phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:  # validation accepted it; keep its digits
        number = "".join(c for c in number if c.isdigit() or c == "+")
    return number + comma + pauses.replace(" ", "")


def updated(listing: Listing) -> str:
    """``last_verified`` as the spec's UTC timestamp; a listing records no time of day."""
    return f"{listing.last_verified.isoformat()} 00:00:00"


def _language_types(listing: Listing) -> list[str]:
    # The spec marks a meeting's language with a type code; English is assumed.
    if tuple(listing.languages) == ("en",):
        return []
    return [LANGUAGE_TYPES[code] for code in listing.languages if code in LANGUAGE_TYPES]
