"""Reading a Meeting Guide feed back into listings.

The feed has one object per meeting; a listing is a group with its weekly
meetings at one place. Rows are merged by group (the feed's ``group``, else its
``name``) *and* by where people meet: the street address, the online link, the
region. A group that meets at two addresses becomes two listings, because a
listing has one location.

Every row either becomes a meeting or is reported with the reason it could not;
every value that had to be dropped or changed is reported too. Nothing here
touches the disk: :func:`import_feed` returns each listing's YAML text and the
problems, and ``recovery-directory import`` writes them. docs/feeds.md lists the
mapping field by field.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from babel import Locale

from ..fields import DAYS, SLUG_PATTERN, Email, FieldType, Language, Lookups, Phone, TimeZone, Url
from ..listing_writer import listing_yaml
from ..problems import Problem, warning
from ..contributions import SERVICES
from ..schema import CLOSURE, CONTACTS, GROUP, LOCATION, MEETING, ONLINE, KIND_BY_KEY
from ..vocabularies import Region, Vocabularies, slugify
from .meeting_guide import CLOSED_TYPE, TYPE_LANGUAGES

MAX_MEETINGS = GROUP.field("meetings").type.max_items
MAX_SLUG_STEM = 55  # leaves room for the feed's "-mon-1930" when exported again
_SLUG = re.compile(SLUG_PATTERN)
_TIME = re.compile(r"^\s*([0-9]{1,2}):([0-9]{2})(?::[0-9]{2})?\s*(?:([ap])\.?\s*m\.?)?\s*$", re.IGNORECASE)
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*\b[^>]*>|<!--.*?-->", re.DOTALL)
_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_STATE_POSTAL = re.compile(r"^([A-Za-z][A-Za-z .]*?)\s+([0-9]{5}(?:-[0-9]{4})?|[A-Za-z][0-9][A-Za-z] ?[0-9][A-Za-z][0-9])$")
_HOST = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:[/?#]|$)", re.IGNORECASE)
_NOWHERE = {"online", "zoom", "virtual", "tbd", "tba", "none", "n/a", "online meeting", "phone"}
_COUNTRIES = {"us": "US", "usa": "US", "u.s.": "US", "u.s.a.": "US", "united states": "US",
              "united states of america": "US", "canada": "CA"}


TC_REASON = "Marked temporarily closed (TC) in the feed it was imported from"


class FeedError(Exception):
    """The file is not a Meeting Guide feed at all; the message says why."""


class _Skip(Exception):
    """A row that cannot become a meeting; the message is the reason."""


@dataclass
class ImportedListing:
    kind: str  # group or family-group
    slug: str
    data: dict  # the listing's fields, as the YAML will hold them
    rows: list[int] = field(default_factory=list)  # positions in the feed

    @property
    def folder(self) -> str:
        return KIND_BY_KEY[self.kind].folder

    def path(self, root: str) -> str:
        return os.path.join(root, self.folder, f"{self.slug}.yml")

    def text(self, source: str) -> str:
        first, rest = listing_yaml(self.kind, self.data).split("\n", 1)
        return f"{first}\n# Imported from the Meeting Guide feed {source}.\n{rest}"


@dataclass
class FeedImport:
    listings: list[ImportedListing]
    problems: list[Problem]
    rows: int  # entries in the feed

    @property
    def meetings(self) -> int:
        return sum(len(listing.data["meetings"]) for listing in self.listings)


def parse_feed(raw: bytes | str) -> list:
    """The feed's entries; :class:`FeedError` when it is not JSON or not a list."""
    if isinstance(raw, bytes):
        raw = raw.removeprefix(b"\xef\xbb\xbf")  # a byte order mark, as some servers send
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError(f"is not JSON ({exc}) — a Meeting Guide feed is a JSON array of meetings") from None
    if not isinstance(data, list):
        raise FeedError("is not a Meeting Guide feed — expected a JSON array of meetings, found "
                        f"{type(data).__name__ if not isinstance(data, dict) else 'an object'}")
    return data


def import_feed(rows: list, vocabularies: Vocabularies, region: str, fellowship: str, source: str = "feed") -> FeedImport:
    """Listings from a feed's ``rows``, in ``region`` (and the regions inside it
    whose names the rows give); ``fellowship`` when a row names none."""
    reader = _Reader(vocabularies, region, fellowship, source)
    for index, raw in enumerate(rows):
        reader.read(index, raw)
    return FeedImport(reader.listings(), reader.problems, len(rows))


@dataclass
class _Group:
    """The rows that become one listing."""

    kind: str
    name: str
    data: dict
    group_ids: set = field(default_factory=set)
    meetings: dict = field(default_factory=dict)  # (day, time) → (row, meeting)
    updated: dt.date | None = None
    language_sets: list[set[str]] = field(default_factory=list)


class _Reader:
    def __init__(self, vocabularies: Vocabularies, region: str, fellowship: str, source: str):
        self.vocabularies = vocabularies
        self.lookups: Lookups = vocabularies.lookups()
        self.region = vocabularies.regions[region]
        self.region_names = _region_names(self.region)
        self.default_fellowship = fellowship
        self.source = source
        types = vocabularies.terms["meeting-types"]
        self.types = {t.code.lower(): t.code for t in types if not t.extra.get("derived")}
        self.derived = {t.code.lower() for t in types if t.extra.get("derived")} | {"onl"}
        self.fellowships = _fellowship_names(vocabularies)
        self.problems: list[Problem] = []
        self.slugs: dict[str, int] = {}
        self.groups: dict[tuple, _Group] = {}

    # --- one row ---------------------------------------------------------
    def read(self, index: int, raw: Any) -> None:
        slug = _slug_of(raw)
        notes: list[str] = []
        try:
            self._read(index, raw, slug, notes)
        except _Skip as skip:
            notes.append(f"skipped — {skip}")
        label = f"{slug!r}: " if slug else ""
        self.problems += [warning(label + note, index).located(self.source) for note in notes]

    def _read(self, index: int, raw: Any, slug: str | None, notes: list[str]) -> None:
        if not isinstance(raw, dict):
            raise _Skip("is not a meeting (a JSON object with name, day, time …)")
        if slug is not None:
            if slug in self.slugs:
                raise _Skip(f"its slug is already used by [{self.slugs[slug]}]; slugs must be unique in a feed, and apps keep only the first")
            self.slugs[slug] = index
        group_name = _line(raw.get("group"), GROUP.field("name").type.max_length, "group", notes)
        name = _line(raw.get("name"), GROUP.field("name").type.max_length, "name", notes)
        if not (group_name or name):
            raise _Skip("has neither a name nor a group")
        days = _days(raw.get("day"))
        time = _time(raw.get("time"), "time")
        online = self._online(raw, notes)
        location = self._location(raw, online, notes)
        region = self._region_of(raw, location)
        fellowship = self._fellowship(raw.get("fellowship"), notes)
        meeting = self._meeting(raw, time, notes)
        listing_name = group_name or name
        if name and group_name and _normal(name) != _normal(group_name):
            meeting["notes"] = _join(name, meeting.get("notes"), MEETING.field("notes").type.max_length)
        key = (fellowship, _normal(listing_name), region.slug,
               _normal(location["address"], location["city"]) if location else None,
               (online.get("url"), online.get("phone")) if online else None)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = self._new_group(fellowship, listing_name, region, location, online)
        elif (location, online) != (group.data.get("location"), group.data.get("online")):
            notes.append("location or online details differ from the group's earlier meetings at this place — kept the first")
        self._merge(group, raw, region, notes)
        for day in days:
            self._add(group, index, dict(meeting, day=DAYS[day]), notes)

    def _meeting(self, raw: dict, time: str, notes: list[str]) -> dict:
        meeting: dict = {"time": time}
        end_time = raw.get("end_time")
        if end_time not in (None, ""):
            try:
                end = _time(end_time, "end_time")
            except _Skip:
                notes.append(f"end_time {end_time!r} dropped — not a 24-hour HH:MM time")
            else:
                if end == time:
                    notes.append(f"end_time {end_time!r} dropped — it is the same as the start time")
                else:
                    meeting["end_time"] = end
        types = self._types(raw.get("types"), notes)
        schedule = self._schedule(raw.get("schedule"), notes)
        closed = self._closure(raw.get("closed"), "closed", notes)
        if CLOSED_TYPE in types:  # the format's temporary closure: ours is closed:
            types.remove(CLOSED_TYPE)
            if closed is None and raw.get("group_closed") is None:
                closed = {"reason": TC_REASON}
        if types:
            meeting["types"] = types
        raw_notes = raw.get("notes")
        if isinstance(raw_notes, str) and ("every" in schedule or "weeks" in schedule):
            raw_notes = raw_notes.partition("\n")[2]  # the export's "1st and 3rd Monday only" line
        text = _text(raw_notes, MEETING.field("notes").type.max_length, "notes", notes)
        if text:
            meeting["notes"] = text
        meeting.update(schedule)
        if closed:
            meeting["closed"] = closed
        return meeting

    def _schedule(self, value: Any, notes: list[str]) -> dict:
        """This directory's ``schedule`` field: every/starting, weeks, cancelled, checked as a listing's."""
        if not isinstance(value, dict):
            if value is not None:
                notes.append("schedule dropped — not a group of fields (every, starting, weeks, cancelled)")
            return {}
        found = {key: value[key] for key in ("every", "starting", "weeks", "cancelled") if value.get(key) not in (None, "", [])}
        for key in list(found):
            if self._fails(MEETING.field(key).type, found[key]):
                notes.append(f"schedule.{key} {found.pop(key)!r} dropped — not valid")
        if ("every" in found) != ("starting" in found):
            notes.append("schedule.every and schedule.starting dropped — each needs the other")
            found.pop("every", None), found.pop("starting", None)
        return found

    def _closure(self, value: Any, key: str, notes: list[str]) -> dict | None:
        """This directory's ``closed`` / ``group_closed`` field: reason, since, until."""
        if value is None:
            return None
        if not isinstance(value, dict) or self._fails(CLOSURE, value):
            notes.append(f"{key} dropped — not a closure (reason, since, until)")
            return None
        return dict(value)

    def _add(self, group: _Group, index: int, meeting: dict, notes: list[str]) -> None:
        when = (meeting["day"], meeting["time"])
        if when in group.meetings:
            first = group.meetings[when][0]
            notes.append(f"skipped — repeats [{first}]: the same group meets there on {meeting['day']} at {meeting['time']}")
        elif len(group.meetings) >= MAX_MEETINGS:
            notes.append(f"skipped — {group.name!r} already has {MAX_MEETINGS} meetings, the most one listing holds")
        else:
            group.meetings[when] = (index, meeting)
            group.language_sets.append({TYPE_LANGUAGES[c] for c in meeting.get("types", ()) if c in TYPE_LANGUAGES})

    # --- fields ------------------------------------------------------------
    def _types(self, value: Any, notes: list[str]) -> list[str]:
        if isinstance(value, str):
            value = [part for part in re.split(r"[,\s]+", value) if part]
        if not isinstance(value, list):
            if value is not None:
                notes.append("types dropped — not a list of type codes")
            return []
        codes, unknown = [], []
        for item in value:
            text = str(item).strip() if isinstance(item, (str, int)) and not isinstance(item, bool) else ""
            code = self.types.get(text.lower())
            if code and code not in codes:
                codes.append(code)
            elif not code and text.lower() not in self.derived:
                unknown.append(text or repr(item))
        if unknown:
            notes.append(f"types {', '.join(repr(u) for u in unknown)} dropped — not meeting types the directory knows (directory/meeting-types.yml)")
        return codes

    def _online(self, raw: dict, notes: list[str]) -> dict | None:
        online: dict = {}
        url = raw.get("conference_url")
        if url not in (None, ""):
            url = _web_address(url)
            if self._fails(Url(), url):
                notes.append(f"conference_url {raw.get('conference_url')!r} dropped — not a complete web address")
            else:
                online["url"] = url
        phone = raw.get("conference_phone")
        if phone not in (None, ""):
            dial = _dial_in(str(phone))
            if dial is None or self._fails(Phone(dial_in=True), dial):
                notes.append(f"conference_phone {phone!r} dropped — not a phone number that can be dialled")
            else:
                online["phone"] = dial
        if not online:
            return None
        # The link's notes are online.notes, the dial-in's online.phone_notes; a
        # meeting with no link has only the phone, whose notes are then its notes.
        limit = ONLINE.field("notes").type.max_length
        url_notes = _text(raw.get("conference_url_notes"), limit, "conference_url_notes", notes) if "url" in online else None
        phone_notes = _text(raw.get("conference_phone_notes"), limit, "conference_phone_notes", notes) if "phone" in online else None
        if url_notes:
            online["notes"] = url_notes
        if phone_notes and phone_notes != url_notes:
            online["phone_notes" if "url" in online else "notes"] = phone_notes
        return online

    def _location(self, raw: dict, online: dict | None, notes: list[str]) -> dict | None:
        parts = _address_parts(raw)
        if not _is_street_address(parts, raw.get("approximate"), online):
            if online:
                return None
            if parts is None and not any(raw.get(k) for k in ("address", "formatted_address", "city")):
                raise _Skip("has no address and no conference_url or conference_phone — there is no way to attend it")
            raise _Skip("has no street address and city, and no conference_url or conference_phone — an in-person meeting needs the address people go to")
        location: dict = {}
        limit = LOCATION.field("name").type.max_length
        place = _line(raw.get("location"), limit, "location", notes)
        if place and _normal(place) != _normal(parts["address"]):
            location["name"] = place
        for key in ("address", "city", "state", "postal_code", "country"):
            value = parts.get(key)
            if value:
                location[key] = _cut(value, LOCATION.field(key).type.max_length, key, notes)
        if location.get("country") == "US":
            del location["country"]  # the default
        location.update(_coordinates(raw, notes))
        text = _text(raw.get("location_notes"), LOCATION.field("notes").type.max_length, "location_notes", notes)
        if text:
            location["notes"] = text
        return location

    def _region_of(self, raw: dict, location: dict | None) -> Region:
        """The most specific region inside --region that the row names: its
        regions, region fields or city; else --region itself."""
        regions = raw.get("regions")
        candidates = list(reversed(regions)) if isinstance(regions, list) else []
        candidates += [raw.get(key) for key in ("sub_sub_region", "sub_region", "region", "city")]
        candidates.append(location and location.get("city"))
        formatted = raw.get("formatted_address")
        candidates += formatted.split(",") if isinstance(formatted, str) else []
        for name in candidates:
            slug = self.region_names.get(_normal(name)) if isinstance(name, str) else None
            if slug:
                return self.vocabularies.regions[slug]
        return self.region

    def _fellowship(self, value: Any, notes: list[str]) -> str:
        if value in (None, ""):
            return self.default_fellowship
        code = self.fellowships.get(_normal(str(value)))
        if code is None:
            notes.append(f"fellowship {value!r} is not in directory/fellowships.yml — imported as {self.default_fellowship}")
            return self.default_fellowship
        return code

    def _fails(self, ftype: FieldType, value: Any) -> bool:
        return bool(ftype.check(value, self.lookups))

    # --- one listing -------------------------------------------------------
    def _new_group(self, fellowship: str, name: str, region: Region, location: dict | None, online: dict | None) -> _Group:
        kind = "family-group" if self.vocabularies.terms["fellowships"][fellowship].extra.get("kind") == "family" else "group"
        data: dict = {"name": name, "fellowship": fellowship, "region": region.slug}
        if location:
            data["location"] = location
        if online:
            data["online"] = online
        return _Group(kind, name, data)

    def _merge(self, group: _Group, raw: dict, region: Region, notes: list[str]) -> None:
        """Group-level fields: the first row that has one sets it; a later row
        that disagrees is reported."""
        data = group.data
        fields = {
            "timezone": self._timezone(raw.get("timezone"), region, notes),
            "notes": _text(raw.get("group_notes"), GROUP.field("notes").type.max_length, "group_notes", notes),
            "closed": self._closure(raw.get("group_closed"), "group_closed", notes),
            "email": self._checked(Email(), raw.get("email"), "email", notes),
            "phone": self._group_phone(raw.get("phone"), notes),
            "website": self._checked(Url(), raw.get("website"), "website", notes),
            **self._contacts(raw, notes),
            **{key: self._checked(service, raw.get(key), key, notes) for key, service in SERVICES.items()},
            **self._entity(raw, notes),
            **self._feedback(raw, notes),
        }
        for key, value in fields.items():
            if value is None:
                continue
            if key not in data:
                data[key] = value
            elif data[key] != value:
                notes.append(f"{'group_notes' if key == 'notes' else key} differs from the group's earlier meetings — kept the first, {data[key]!r}")
        group_id = raw.get("group_id")
        if isinstance(group_id, str):
            group.group_ids.add(group_id)
        date = _date(raw.get("updated"), notes)
        if date and (group.updated is None or date > group.updated):
            group.updated = date

    def _contacts(self, raw: dict, notes: list[str]) -> dict:
        """``contact_N_…``, renumbered from 1; a name with no e-mail or phone is no contact."""
        found = []
        for number in CONTACTS:
            name = _line(raw.get(f"contact_{number}_name"), GROUP.field("contact_1_name").type.max_length, f"contact_{number}_name", notes)
            email = self._checked(Email(), raw.get(f"contact_{number}_email"), f"contact_{number}_email", notes)
            phone = self._group_phone(raw.get(f"contact_{number}_phone"), notes, f"contact_{number}_phone")
            if name and not (email or phone):
                notes.append(f"contact_{number}_name {name!r} dropped — no e-mail or phone to reach them by")
            elif email or phone:
                found.append({"name": name, "email": email, "phone": phone})
        return {f"contact_{number}_{part}": value for number, contact in enumerate(found, 1) for part, value in contact.items()}

    def _entity(self, raw: dict, notes: list[str]) -> dict:
        """The service body; its website under either name in use (entity_url, entity_website_url)."""
        url = raw.get("entity_url") if raw.get("entity_url") not in (None, "") else raw.get("entity_website_url")
        details = {
            "entity_email": self._checked(Email(), raw.get("entity_email"), "entity_email", notes),
            "entity_phone": self._group_phone(raw.get("entity_phone"), notes, "entity_phone"),
            "entity_url": self._checked(Url(), url, "entity_url", notes),
        }
        name = _line(raw.get("entity"), GROUP.field("entity").type.max_length, "entity", notes)
        if name is None and any(details.values()):
            notes.append(f"{', '.join(k for k, v in details.items() if v)} dropped — there is no entity, the service body they describe")
            return {}
        return {"entity": name, **details}

    def _feedback(self, raw: dict, notes: list[str]) -> dict:
        # feedback_emails, or entity_feedback_emails as earlier versions of the format call it;
        # a list, or text with the addresses separated by commas (as in a spreadsheet).
        value = raw.get("feedback_emails") if raw.get("feedback_emails") not in (None, "", []) else raw.get("entity_feedback_emails")
        items = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
        emails = list(dict.fromkeys(e for e in (self._checked(Email(), item, "feedback_emails", notes) for item in items) if e))
        limit = GROUP.field("feedback_emails").type.max_items
        if len(emails) > limit:
            notes.append(f"feedback_emails after the first {limit} dropped — a listing keeps {limit}")
        return {"feedback_emails": emails[:limit] or None,
                "feedback_url": self._checked(Url(mailto=True), raw.get("feedback_url"), "feedback_url", notes)}

    def _timezone(self, value: Any, region: Region, notes: list[str]) -> str | None:
        if value in (None, ""):
            return None
        if self._fails(TimeZone(), value):
            notes.append(f"timezone {value!r} dropped — not an IANA time zone such as America/Chicago")
            return None
        return None if value == region.default_timezone else value

    def _checked(self, ftype: FieldType, value: Any, key: str, notes: list[str]) -> str | None:
        if value in (None, ""):
            return None
        value = str(value).strip()
        if self._fails(ftype, value):
            notes.append(f"{key} {value!r} dropped — not valid")
            return None
        return value

    def _group_phone(self, value: Any, notes: list[str], key: str = "phone") -> str | None:
        if value in (None, ""):
            return None
        phone = _readable_phone(str(value))
        if phone is None or self._fails(Phone(), phone):
            notes.append(f"{key} {value!r} dropped — not a phone number that can be dialled")
            return None
        return phone

    def listings(self) -> list[ImportedListing]:
        out: list[ImportedListing] = []
        used: set[str] = set()
        for group in self.groups.values():
            if not group.meetings:
                continue
            data = dict(group.data)
            data["meetings"] = [m for _, (_, m) in sorted(group.meetings.items(), key=lambda kv: (DAYS.index(kv[0][0]), kv[0][1]))]
            languages = _languages(group.language_sets, self.lookups)
            if languages:
                data["languages"] = languages
            if group.updated:
                data["last_verified"] = group.updated
            slug = _listing_slug(group, used, self.vocabularies)
            used.add(slug)
            out.append(ImportedListing(group.kind, slug, _ordered(data), sorted(i for i, _ in group.meetings.values())))
        return out


# --- helpers: text ------------------------------------------------------------

def _slug_of(raw: Any) -> str | None:
    # The spec allows integer IDs as slugs.
    if not isinstance(raw, dict):
        return None
    slug = raw.get("slug")
    if isinstance(slug, bool) or not isinstance(slug, (str, int)):
        return None
    return str(slug).strip() or None


def plain_text(value: Any) -> str | None:
    """The text of a feed value, without HTML (the spec wants plain text, real
    feeds carry tags and entities anyway), control characters or edge spaces."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if _TAG.search(text) or _ENTITY.search(text):
        text = re.sub(r"<\s*br\s*/?\s*>", "\n", text, flags=re.IGNORECASE)
        text = re.sub(r"<\s*/\s*(?:p|div|h[1-6]|ul|ol)\s*>", "\n\n", text, flags=re.IGNORECASE)
        text = re.sub(r"<\s*li\b[^>]*>", "\n- ", text, flags=re.IGNORECASE)
        text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
        text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
        text = re.sub(r"\n{3,}", "\n\n", text)
    text = _CONTROL.sub("", text.replace("\t", " "))
    text = "\n".join(line.rstrip() for line in text.strip().split("\n"))
    return text or None


def _text(value: Any, limit: int, key: str, notes: list[str]) -> str | None:
    text = plain_text(value)
    return _cut(text, limit, key, notes) if text else None


def _line(value: Any, limit: int, key: str, notes: list[str]) -> str | None:
    text = plain_text(value)
    return _cut(" ".join(text.split()), limit, key, notes) if text else None


def _cut(text: str, limit: int, key: str, notes: list[str]) -> str:
    if len(text) <= limit:
        return text
    notes.append(f"{key} shortened to {limit} characters, the most the directory keeps")
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip() + "…"


def _join(first: str, rest: str | None, limit: int) -> str:
    text = f"{first}\n{rest}" if rest else first
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _normal(*texts: Any) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", _ascii(str(t or "")).lower()).strip() for t in texts).strip()


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


# --- helpers: days, times, dates ---------------------------------------------

def _days(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    if value is None or value == "" or value == []:
        raise _Skip("has no day — a meeting by appointment; the directory lists weekly meetings only")
    days = []
    for item in values:
        day = _day(item)
        if day is None:
            raise _Skip(f"day {item!r} is not 0 (Sunday) … 6 (Saturday)")
        if day not in days:
            days.append(day)
    return days


def _day(item: Any) -> int | None:
    if isinstance(item, bool):
        return None
    if isinstance(item, int):
        return item if 0 <= item <= 6 else None
    if isinstance(item, str):
        text = item.strip().lower()
        if text.isdigit():
            return int(text) if int(text) <= 6 else None
        for index, name in enumerate(DAYS):
            if text in (name, name[:3]):
                return index
    return None


def _time(value: Any, key: str) -> str:
    if value is None or value == "":
        raise _Skip(f"has no {key} — a meeting by appointment; the directory lists weekly meetings only")
    match = _TIME.match(value) if isinstance(value, str) else None
    if not match:
        raise _Skip(f"{key} {value!r} is not a time — the format is 24-hour HH:MM")
    hour, minute, half = int(match[1]), int(match[2]), (match[3] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise _Skip(f"{key} {value!r} is not a time — the format is 24-hour HH:MM")
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        raise _Skip(f"{key} {value!r} is not a time — the format is 24-hour HH:MM")
    return f"{hour:02d}:{minute:02d}"


def _date(value: Any, notes: list[str]) -> dt.date | None:
    """The day of ``updated`` (``YYYY-MM-DD HH:MM:SS``; the time is not kept)."""
    if value in (None, ""):
        return None
    match = re.match(r"^\s*([0-9]{4})-([0-9]{2})-([0-9]{2})", value) if isinstance(value, str) else None
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    notes.append(f"updated {value!r} dropped — not a date as YYYY-MM-DD HH:MM:SS")
    return None


# --- helpers: places and phones ----------------------------------------------

def _address_parts(raw: dict) -> dict | None:
    """Street address and city (and state, postal code, country), from the
    separate fields or else from ``formatted_address``; ``None`` when there is
    no street address with a city."""
    address = plain_text(raw.get("address"))
    city = plain_text(raw.get("city"))
    if address and _normal(address) in _NOWHERE:
        address = None
    if address and city:
        parts = {"address": " ".join(address.split()), "city": " ".join(city.split())}
        for key in ("state", "postal_code"):
            value = plain_text(raw.get(key))
            if value:
                parts[key] = " ".join(value.split())
        parts["country"] = _country(raw.get("country")) or "US"
        return parts
    formatted = plain_text(raw.get("formatted_address")) or (address if address and "," in address else None)
    return _parse_formatted(formatted) if formatted else None


def _parse_formatted(text: str) -> dict | None:
    """``4953 W Addison St, Chicago, IL 60641, USA`` → its parts."""
    parts = [" ".join(p.split()) for p in text.split(",") if p.strip()]
    country = None
    if len(parts) >= 3 and (_COUNTRIES.get(parts[-1].lower()) or (len(parts) >= 4 and _country(parts[-1]))):
        country = _country(parts.pop())
    state = postal = None
    if len(parts) >= 3:
        match = _STATE_POSTAL.match(parts[-1])
        if match:
            state, postal = match[1], match[2]
            parts.pop()
        elif re.fullmatch(r"[A-Za-z]{2}", parts[-1]):
            state = parts.pop().upper()
    if len(parts) < 2 or _normal(parts[0]) in _NOWHERE:
        return None
    out = {"address": ", ".join(parts[:-1]), "city": parts[-1], "country": country or "US"}
    if state:
        out["state"] = state
    if postal:
        out["postal_code"] = postal
    return out


def _is_street_address(parts: dict | None, approximate: Any, online: dict | None) -> bool:
    """Whether people can go to the address: the feed's ``approximate`` says so;
    else any address of a meeting that is not online; else one with a house number
    (an online meeting's address usually stands for its area)."""
    flag = str(approximate).strip().lower() if approximate is not None else ""
    if parts is None or flag in ("yes", "true"):
        return False
    if flag in ("no", "false") or not online:
        return True
    return any(c.isdigit() for c in parts["address"])


def _country(value: Any) -> str | None:
    text = plain_text(value)
    if not text:
        return None
    known = _COUNTRIES.get(text.lower())
    if known:
        return known
    if re.fullmatch(r"[A-Za-z]{2}", text):
        return text.upper()
    return _territories().get(text.lower(), text)


@functools.cache
def _territories() -> dict[str, str]:
    """English country name → ISO code, e.g. ``mexico`` → ``MX``."""
    return {name.lower(): code for code, name in Locale("en").territories.items() if code.isalpha()}


def _coordinates(raw: dict, notes: list[str]) -> dict:
    latitude, longitude = raw.get("latitude"), raw.get("longitude")
    if latitude in (None, "") and longitude in (None, ""):
        return {}
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        lat = lon = float("nan")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        notes.append(f"latitude and longitude {latitude!r}, {longitude!r} dropped — not a place on the map")
        return {}
    return {"latitude": round(lat, 5), "longitude": round(lon, 5)}


def _web_address(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip()
    return "https://" + text if _HOST.match(text) else text


def _dial_in(value: str) -> str | None:
    """A conference phone as the directory writes it: a readable number, then
    the one-tap pauses (``,`` ``*`` ``#`` and digits) after a comma."""
    clean = re.sub(r"[^0-9+,*#]", "", value)
    cut = next((i for i, c in enumerate(clean) if c in ",*#"), len(clean))
    number, pauses = clean[:cut], clean[cut:]
    readable = _readable_phone(number)
    if readable is None:
        return None
    if pauses and not pauses.startswith(","):
        pauses = "," + pauses  # the directory's dial-in numbers pause at a comma first
    return readable + pauses


def _readable_phone(number: str) -> str | None:
    try:
        parsed = phonenumbers.parse(number, "US")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL).replace("-", " ")


# --- helpers: listings -------------------------------------------------------

def _region_names(root: Region) -> dict[str, str]:
    """Normalised region name → slug, for ``root`` and the regions inside it;
    a name two regions share is left out, since it cannot choose one."""
    names: dict[str, str] = {}
    clashes: set[str] = set()
    stack = [root]
    while stack:
        region = stack.pop()
        key = _normal(region.name)
        if key in names:
            clashes.add(key)
        names[key] = region.slug
        stack += region.children
    return {key: slug for key, slug in names.items() if key not in clashes}


def _fellowship_names(vocabularies: Vocabularies) -> dict[str, str]:
    names = {}
    for term in vocabularies.terms["fellowships"]:
        for name in (term.code, term.extra.get("short"), *term.names.values()):
            if isinstance(name, str):
                names.setdefault(_normal(name), term.code)
    return names


def _languages(sets: list[set[str]], lookups: Lookups) -> list[str]:
    # Languages every meeting of the group is marked with; English is the default.
    common = set.intersection(*sets) if sets else set()
    languages = sorted(code for code in common if not Language().check(code, lookups))
    return [] if languages in ([], ["en"]) else languages


def _listing_slug(group: _Group, used: set[str], vocabularies: Vocabularies) -> str:
    ids = [i for i in group.group_ids if _SLUG.match(i) and not i.isdigit()]
    base = ids[0] if len(ids) == 1 and len(group.group_ids) == 1 else _slugify(group.name) or "group"
    if base not in used:
        return base
    place = group.data.get("location", {}).get("city") or vocabularies.regions[group.data["region"]].name
    suffix = "online" if "location" not in group.data else _slugify(place)
    candidate = _slugify(f"{base}-{suffix}") if suffix and not base.endswith(suffix) else base
    number = 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _slugify(text: str) -> str:
    slug = slugify(_ascii(text))
    if len(slug) > MAX_SLUG_STEM:
        slug = slug[:MAX_SLUG_STEM].rsplit("-", 1)[0]
    return slug


def _ordered(data: dict) -> dict:
    # listing_yaml orders known fields itself; this keeps the data readable in tests.
    order = [f.name for f in GROUP.fields]
    return {key: data[key] for key in sorted(data, key=order.index)}
