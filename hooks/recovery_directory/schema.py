"""The one source of truth for what a listing may contain.

Validation runs these records; ``recovery-directory schema`` turns the same
records into the JSON Schema files editors use, and the contributor page's field
table is generated from them. Field names follow the Meeting Guide format where a
field means the same (``postal_code``, ``end_time``, ``types``, ``timezone`` …).
"""

from __future__ import annotations

from dataclasses import dataclass

from .contributions import SERVICES
from .fields import (
    DAYS, Choice, Date, Day, Email, Field, Language, ListOf, Lookups, Number, Phone, Phrase, Record,
    Slug, Text, Time, TimeZone, Url, WeekOfMonth, parse_date,
)
from .problems import Problem, error, warning

DERIVED_TYPES_HINT = "is set automatically from the listing's online link — remove it"


def _meeting_rules(meeting: dict, lookups: Lookups) -> list[Problem]:
    problems = []
    if meeting.get("end_time") is not None and meeting.get("end_time") == meeting.get("time"):
        problems.append(error("is the same as the start time — give the time the meeting ends, or delete end_time", "end_time"))
    derived = lookups.vocabularies.get("derived-types", set())
    types = meeting.get("types")
    for index, code in enumerate(types if isinstance(types, list) else []):
        if code in derived:
            problems.append(error(f"{code!r} {DERIVED_TYPES_HINT}", "types", index))
    return problems


def _schedule_rules(meeting: dict, lookups: Lookups) -> list[Problem]:
    # every/starting/weeks go together as schedule.py reads them; read defensively.
    problems = []
    every, starting, weeks = meeting.get("every"), meeting.get("starting"), meeting.get("weeks")
    if every is not None and starting is None:
        problems.append(error("needs a date the meeting falls on — add starting: with the date of one of its meetings, e.g. starting: 2026-01-06", "every"))
    if starting is not None and every is None:
        problems.append(error("only goes with every: other week — add every: other week, or delete starting", "starting"))
    if every is not None and weeks is not None:
        problems.append(error("cannot go with every: other week — a meeting is either every other week or on given weeks of the month; keep one", "weeks"))
    day = meeting.get("day")
    day = DAYS.index(day.lower()) if isinstance(day, str) and day.lower() in DAYS else None
    start = parse_date(starting)
    if day is not None and start is not None and _day_of(start) != day:
        problems.append(error(f"{start} is a {DAYS[_day_of(start)].title()}, not a {DAYS[day].title()} — give the date of one {DAYS[day].title()} the meeting falls on", "starting"))
    cancelled = meeting.get("cancelled")
    for index, value in enumerate(cancelled if isinstance(cancelled, list) and day is not None else []):
        date = parse_date(value)
        if date is not None and _day_of(date) != day:
            problems.append(error(f"{date} is a {DAYS[_day_of(date)].title()}; this meeting is on {DAYS[day].title()}s — give the date of the meeting that is cancelled", "cancelled", index))
    return problems


def _day_of(date) -> int:
    return (date.weekday() + 1) % 7  # our 0 is Sunday


def _closure_rules(closure: dict, lookups: Lookups) -> list[Problem]:
    since, until = parse_date(closure.get("since")), parse_date(closure.get("until"))
    if since is not None and until is not None and until <= since:
        return [error(f"{until} is not after since: {since} — until: is the day it opens again, after the closure starts", "until")]
    return []


def _online_rules(online: dict, lookups: Lookups) -> list[Problem]:
    if online.get("url") is None and online.get("phone") is None:
        return [error("has neither url nor phone — add the link people join with, or the dial-in number", at_key=False)]
    if online.get("phone_notes") is not None and online.get("phone") is None:
        return [error("describes a dial-in number the listing does not give — add online.phone, or move these notes to online.notes", "phone_notes")]
    return []


def _location_rules(location: dict, lookups: Lookups) -> list[Problem]:
    if (location.get("latitude") is None) != (location.get("longitude") is None):
        missing = "longitude" if location.get("longitude") is None else "latitude"
        return [error(f"is missing — coordinates need both latitude and longitude", missing)]
    return []


def _meets_somewhere(listing: dict, lookups: Lookups) -> list[Problem]:
    if listing.get("location") is None and listing.get("online") is None:
        return [error("has neither a location nor an online link — add a location: with the "
                      "address people go to, or an online: with the url or phone people join with")]
    return []


def _no_repeated_meetings(listing: dict, lookups: Lookups) -> list[Problem]:
    meetings = listing.get("meetings")
    seen: dict = {}
    problems = []
    for index, meeting in enumerate(meetings if isinstance(meetings, list) else []):
        if not isinstance(meeting, dict):
            continue
        key = (str(meeting.get("day", "")).lower(), meeting.get("time"))
        if key in seen:
            problems.append(error(f"repeats meetings[{seen[key]}] (same day and time) — delete one of them", "meetings", index))
        else:
            seen[key] = index
    return problems


CONTACTS = (1, 2, 3)  # contact_1_… to contact_3_…, as the Meeting Guide format numbers them
ANONYMITY_HINT = "the group's tradition of anonymity asks for a first name and last initial"


def _contact_rules(listing: dict, lookups: Lookups) -> list[Problem]:
    problems = []
    for number in CONTACTS:
        key = f"contact_{number}_name"
        name = listing.get(key)
        if name is None:
            continue
        if listing.get(f"contact_{number}_email") is None and listing.get(f"contact_{number}_phone") is None:
            problems.append(error(f"gives no way to reach {name!r} — add contact_{number}_email or contact_{number}_phone, or delete {key}", key))
        surname = full_surname(name)
        if surname:
            first = name.split()[0]
            problems.append(warning(f"{surname!r} looks like a full surname — {ANONYMITY_HINT}, e.g. '{first} {surname[0]}.'", key))
    return problems


def full_surname(name: object) -> str | None:
    """The last word of a name when it is a whole capitalised word ('Smith'),
    not an initial ('S.' or 'S'); ``None`` for one word or anything else."""
    if not isinstance(name, str):
        return None
    words = name.split()
    if len(words) < 2:
        return None
    last = words[-1]
    letters = [c for c in last if c.isalpha()]
    if last.endswith(".") or len(letters) < 2 or not last[0].isupper():
        return None
    return last if all(c.isalpha() or c in "-'’" for c in last) else None


ENTITY_DETAILS = ("entity_email", "entity_phone", "entity_url")


def _entity_rules(listing: dict, lookups: Lookups) -> list[Problem]:
    # The Meeting Guide format: entity is required when any other entity field is present.
    given = [key for key in ENTITY_DETAILS if listing.get(key) is not None]
    if given and listing.get("entity") is None:
        return [error("belongs to a service body with no name — add entity: with its name, e.g. entity: Central Illinois Intergroup", given[0])]
    return []


LOCATION = Record(
    title="Location",
    fields=(
        Field("name", Text(), "The building or venue, e.g. 'St. Mark's Church'. Meeting Guide: location.", example="St. Mark's Church"),
        Field("address", Text(), "Street address, e.g. '123 Main St'.", required=True, example="123 Main St"),
        Field("city", Text(100), "City or town.", required=True, example="Springfield"),
        Field("state", Text(60), "State or province, as its postal abbreviation where there is one, e.g. IL.", example="IL"),
        Field("postal_code", Text(20, accept_numbers=True), "ZIP or postal code.", example="62701"),
        Field("country", Text(60), "Country as a two-letter ISO code; US when left out.", example="US"),
        Field("latitude", Number(-90, 90, "latitude"), "Latitude in decimal degrees; only needed when the address cannot be found on a map.", example=39.7817),
        Field("longitude", Number(-180, 180, "longitude"), "Longitude in decimal degrees; with latitude.", example=-89.6501),
        Field("notes", Text(500, multiline=True), "How to find the room, e.g. 'side door, basement'. Meeting Guide: location_notes.", example="Side door, downstairs"),
    ),
    rules=(_location_rules,),
)

ONLINE = Record(
    title="Online",
    fields=(
        Field("url", Url(), "The link people join with (Zoom, Meet, Jitsi …). Meeting Guide: conference_url.", example="https://zoom.us/j/1234567890"),
        Field("phone", Phone(dial_in=True), "Dial-in number; pauses after a comma, e.g. '+1 646 555 0100,,123456#'. Meeting Guide: conference_phone.", example="+1 646 555 0100,,1234567890#"),
        Field("notes", Text(500, multiline=True), "Meeting ID, passcode or how to join. Meeting Guide: conference_url_notes.", example="Meeting ID 123 456 7890, passcode: serenity"),
        Field("phone_notes", Text(500, multiline=True), "About the dial-in alone, e.g. a numeric passcode or how to mute. Meeting Guide: conference_phone_notes.", example="Passcode 246810; press *6 to unmute"),
    ),
    rules=(_online_rules,),
)

CLOSURE = Record(
    title="Closure",
    fields=(
        Field("reason", Text(200), "Why, in a few words, shown on the page, e.g. 'Church renovation'.", example="Church renovation"),
        Field("since", Date(), "The first day it is closed, YYYY-MM-DD; closed from now when left out.", example="2026-11-01"),
        Field("until", Date(), "The day it opens again, YYYY-MM-DD; from that day the closure stops showing by itself. Leave out when not known.", example="2027-02-01"),
    ),
    rules=(_closure_rules,),
)
CLOSED_NOTE = "For good? Delete the file instead."

MEETING = Record(
    title="Meeting",
    fields=(
        Field("day", Day(), "Day of the week, e.g. monday.", required=True, example="monday"),
        Field("time", Time(), "Start time, 24-hour HH:MM in the listing's time zone.", required=True, example="19:30"),
        Field("end_time", Time(), "End time, 24-hour HH:MM; may be after midnight.", example="20:30"),
        Field("every", Phrase(("other week",), "write every: other week, with starting: a date it falls on; or weeks: [1, 3] for given weeks of the month; or leave it out for every week"),
              "Leave out for a weekly meeting. 'other week' for every other week, with starting:.", example="other week"),
        Field("starting", Date(), "With every: other week, the date of one meeting (on its day), YYYY-MM-DD; it falls on that date and every second week from it.", example="2026-01-06"),
        Field("weeks", ListOf(WeekOfMonth(), max_items=5), "Only on these weeks of the month: 1 to 5 and last, e.g. [1, 3] for the 1st and 3rd Monday, [last] for the last Friday.", example="[1, 3]"),
        Field("types", ListOf(Choice("meeting-types", "meeting type", "directory/meeting-types.yml")), "Meeting type codes from directory/meeting-types.yml, e.g. [O, D, W].", example="[O, D]"),
        Field("notes", Text(500, multiline=True), "Anything about this meeting alone, e.g. 'Big Book study'.", example="Big Book study"),
        Field("cancelled", ListOf(Date(), max_items=60), "Dates this meeting does not take place (a holiday), YYYY-MM-DD.", example="[2026-12-24, 2026-12-31]"),
        Field("closed", CLOSURE, f"This meeting is closed for a while: reason, since, until. {CLOSED_NOTE}"),
    ),
    rules=(_meeting_rules, _schedule_rules),
)

_COMMON_HEAD = (
    Field("slug", Slug(), "The listing's identifier; the file name without .yml. Optional.", example="downtown-serenity"),
    Field("name", Text(120), "The group's name as it introduces itself.", required=True, example="Downtown Serenity Group"),
)
_COMMON_TAIL = (
    Field("timezone", TimeZone(), "IANA time zone, e.g. America/Chicago; when left out, taken from the location or the region.", example="America/Chicago"),
    Field("languages", ListOf(Language()), "Languages the meetings are held in, as ISO 639-1 codes; English when left out.", example="[en, es]"),
    Field("website", Url(), "The group's own web page.", example="https://example.org"),
    Field("email", Email(), "A contact address the group agreed to publish.", example="secretary@example.org"),
    Field("phone", Phone(), "A contact number the group agreed to publish (never a member's personal number).", example="+1 217 555 0100"),
    Field("notes", Text(2000, multiline=True), "About the group as a whole. Meeting Guide: group_notes.", example="Coffee from 6:45"),
)
_VERIFIED = (
    Field("last_verified", Date(), "When someone last checked this listing, YYYY-MM-DD.", example="2026-01-15"),
)


def _contact_fields(number: int) -> tuple[Field, ...]:
    which = ("A", "A second", "A third")[number - 1]
    return (
        Field(f"contact_{number}_name", Text(60), f"{which} member the group agreed to name as its contact: a first name and last initial only, e.g. 'Bob S.'. Meeting Guide: contact_{number}_name.", example=("Bob S.", "Maria G.", "Sam T.")[number - 1]),
        Field(f"contact_{number}_email", Email(), f"That contact's e-mail address, if they agreed to publish it. Meeting Guide: contact_{number}_email.", example=f"contact{number}@example.org"),
        Field(f"contact_{number}_phone", Phone(), f"That contact's phone number, if they agreed to publish it. Meeting Guide: contact_{number}_phone.", example=f"+1 217 555 01{number:02d}"),
    )


# Groups only: named contacts, Seventh Tradition links, and who keeps the listing.
_GROUP_TAIL = sum((_contact_fields(n) for n in CONTACTS), ()) + tuple(
    Field(name, service, f"The group's {service.service} for Seventh Tradition contributions: the {service.noun} ({service.example}) or a link to the group's page. Meeting Guide: {name}.", example=service.example)
    for name, service in SERVICES.items()
) + (
    Field("entity", Text(200), "The service body that keeps this listing (an intergroup, district or area), when not the site's own. Meeting Guide: entity.", example="Central Illinois Intergroup"),
    Field("entity_email", Email(), "The service body's public e-mail address. Meeting Guide: entity_email.", example="office@example.org"),
    Field("entity_phone", Phone(), "The service body's public phone number. Meeting Guide: entity_phone.", example="+1 217 555 0199"),
    Field("entity_url", Url(), "The service body's website. Meeting Guide: entity_url (entity_website_url in the specification's text).", example="https://example.org"),
    Field("feedback_emails", ListOf(Email(), max_items=5), "Where suggestions about this listing go by e-mail, when not the site's own address. Meeting Guide: feedback_emails.", example="[listings@example.org]"),
    Field("feedback_url", Url(mailto=True), "A form or page for feedback about this listing (https:// or mailto:). Meeting Guide: feedback_url.", example="https://example.org/feedback"),
)


def _group_record(title: str, fellowship_note: str) -> Record:
    return Record(
        title=title,
        fields=_COMMON_HEAD + (
            Field("fellowship", Choice("fellowships", "fellowship", "directory/fellowships.yml"), fellowship_note, required=True, example="aa"),
            Field("region", Choice("regions", "region", "directory/regions.yml"), "The region slug from directory/regions.yml.", required=True, example="springfield"),
            Field("closed", CLOSURE, f"The whole group is closed for a while: reason, since, until. {CLOSED_NOTE}"),
            Field("location", LOCATION, "Where people meet in person. Leave out for meetings held only online."),
            Field("online", ONLINE, "How people join online or by phone. Leave out for meetings held only in person."),
            Field("meetings", ListOf(MEETING, max_items=50), "The meetings: day, time, types; weekly unless every: or weeks: says otherwise.", required=True),
        ) + _COMMON_TAIL + _GROUP_TAIL + _VERIFIED,
        rules=(_meets_somewhere, _no_repeated_meetings, _contact_rules, _entity_rules),
    )


GROUP = _group_record("Peer support group", "The fellowship, e.g. aa, na, smart-recovery; see directory/fellowships.yml.")
FAMILY_GROUP = _group_record("Family support group", "The family fellowship, e.g. al-anon, nar-anon; see directory/fellowships.yml.")

TREATMENT_CENTER = Record(
    title="Treatment centre",
    fields=_COMMON_HEAD[:1] + (
        Field("name", Text(160), "The centre's name.", required=True, example="Prairie Recovery Center"),
        Field("region", Choice("regions", "region", "directory/regions.yml"), "The region slug from directory/regions.yml.", required=True, example="springfield"),
        Field("location", LOCATION, "The centre's address.", required=True),
        Field("phone", Phone(), "The centre's admissions number.", required=True, example="+1 217 555 0100"),
        Field("services", ListOf(Choice("services", "treatment service", "directory/services.yml")), "Levels of care offered; see directory/services.yml.", required=True, example="[detox, residential]"),
        Field("payment", ListOf(Choice("payment", "payment option", "directory/payment.yml")), "Payment accepted; see directory/payment.yml.", required=True, example="[medicaid, private-insurance]"),
        Field("populations", ListOf(Choice("populations", "population", "directory/populations.yml")), "Who the centre serves; see directory/populations.yml.", example="[adults, adolescents]"),
        Field("support", Text(1000, multiline=True), "How the centre connects people to peer support and family groups: meetings on site, alumni programme, aftercare.", example="AA and Al-Anon meet on site; alumni group on Thursdays"),
        Field("groups", ListOf(Slug(), max_items=50), "Groups and family groups that meet at the centre or that it runs for alumni and families, by slug (the file name in directory/groups/ or directory/family-groups/ without .yml). Groups meeting at the centre's address are linked without it.", example="[springfield-just-for-today-na, prairie-family-al-anon]"),
    ) + tuple(f for f in _COMMON_TAIL if f.name != "phone") + _VERIFIED,
)


@dataclass(frozen=True)
class Kind:
    """A kind of listing: its folder, its schema and the words for it."""

    key: str
    folder: str
    record: Record
    fellowship_kind: str | None  # which fellowships it may name (fellowships.yml `kind`)

    @property
    def has_meetings(self) -> bool:
        return self.fellowship_kind is not None


KINDS: tuple[Kind, ...] = (
    Kind("group", "groups", GROUP, "peer"),
    Kind("family-group", "family-groups", FAMILY_GROUP, "family"),
    Kind("treatment-center", "treatment-centers", TREATMENT_CENTER, None),
)
KIND_BY_FOLDER = {kind.folder: kind for kind in KINDS}
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
