"""Generate a large, valid directory for benchmarks.

    python benchmarks/generate.py --listings 10000 --out benchmarks/out/directory-n10000-s1 [--seed 1]

Writes a complete directory (vocabularies copied from the repository's
``directory/``, a ``regions.yml`` with every US state and DC, and N listings in
``groups/``, ``family-groups/`` and ``treatment-centers/``) that passes
``recovery-directory validate`` with no problems.

The data are realistic in shape: real US cities with their real ZIP codes,
approximate coordinates and time zones (from the ``zipcodes`` package),
fictional street addresses, phone numbers in the fictional 555-01XX range under
a real area code, e-mail addresses at example.org. The output is the same for
the same N and seed.

Other benchmarks import :func:`generate` or :func:`ensure_generated` (which
reuses a directory generated earlier with the same N, seed and generator).
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import os
import random
import re
import shutil
import sys
import time
import unicodedata
import zoneinfo
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SOURCE_DIRECTORY = os.path.join(REPO, "directory")
DEFAULT_OUT = os.path.join(HERE, "out")
VOCABULARY_FILES = ("meeting-types.yml", "fellowships.yml", "services.yml", "payment.yml", "populations.yml")
KIND_FOLDERS = ("groups", "family-groups", "treatment-centers")
MARKER = ".generated.json"
CITIES_PER_STATE = 15

STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}

# Mix of kinds and attendance (the brief: ~75/15/10 and ~65/20/15).
KIND_WEIGHTS = (("groups", 75), ("family-groups", 15), ("treatment-centers", 10))
ATTENDANCE_WEIGHTS = (("in-person", 65), ("online", 20), ("hybrid", 15))
LANGUAGE_WEIGHTS = ((("en",), 85), (("es",), 8), (("en", "es"), 7))

# Relative frequency of each fellowship; codes not named here get weight 1.
FELLOWSHIP_WEIGHTS = {
    "aa": 55, "na": 20, "ca": 3, "cma": 2, "ma": 2, "smart-recovery": 7, "recovery-dharma": 3,
    "lifering": 2, "celebrate-recovery": 5, "women-for-sobriety": 1,
    "al-anon": 60, "alateen": 6, "nar-anon": 16, "co-anon": 3, "families-anonymous": 8,
    "smart-family-friends": 7,
}

DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
MEETING_COUNT_WEIGHTS = ((1, 26), (2, 18), (3, 14), (4, 10), (5, 10), (6, 7), (7, 15))
START_TIMES = (
    ("06:30", 4), ("07:00", 6), ("07:30", 3), ("09:00", 2), ("10:00", 5), ("10:30", 2), ("12:00", 12),
    ("12:15", 3), ("13:00", 2), ("17:30", 5), ("18:00", 9), ("18:30", 8), ("19:00", 18), ("19:30", 14),
    ("20:00", 14), ("20:30", 4), ("21:00", 3), ("22:00", 1),
)
DURATIONS = ((60, 70), (90, 25), (45, 3), (120, 2))
# Meeting types by role; only codes present in meeting-types.yml (and not derived) are used.
OPEN_CLOSED = (("O", 55), ("C", 40), (None, 5))
FORMAT_TYPES = (
    ("D", 40), ("SP", 12), ("B", 10), ("ST", 8), ("BE", 5), ("LIT", 5), ("MED", 3), ("11", 3),
    ("12x12", 3), ("ABSI", 2), ("DR", 2), ("TR", 2), ("GR", 1), ("LS", 1), ("CAN", 1), ("BRK", 1),
)
EXTRA_TYPES = (
    ("X", 20), ("XB", 6), ("W", 6), ("M", 5), ("Y", 3), ("LGBTQ", 3), ("BA", 2), ("CF", 2), ("SEN", 1),
    ("FF", 1), ("ASL", 1), ("DD", 1), ("POC", 1), ("OUT", 1), ("NB", 1), ("TC", 1),
)

STREETS = (
    "Oak", "Maple", "Pine", "Cedar", "Elm", "Main", "Church", "Washington", "Lincoln", "Park", "Lake",
    "Hill", "Walnut", "Chestnut", "Spruce", "Jefferson", "Madison", "Franklin", "Highland", "Sunset",
    "Center", "Mill", "River", "Spring", "Ridge", "Willow", "Jackson", "Adams", "Grant", "Broad",
    "Market", "Union", "Liberty", "Prospect", "Meadow", "Forest", "Orchard", "College", "Front",
    "Water", "Bridge", "Locust", "Dogwood", "Hickory", "Magnolia", "Cherry", "Sycamore", "Birch",
    "Poplar", "Laurel", "Fairview", "Grove", "Summit", "Valley", "Railroad", "School", "Academy",
    "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
    "Martin Luther King Jr", "Pleasant", "Hillcrest", "Woodland", "Cypress", "Mulberry", "Harrison",
)
STREET_SUFFIXES = (("St", 30), ("Ave", 25), ("Rd", 15), ("Dr", 10), ("Blvd", 6), ("Ln", 5), ("Way", 4),
                   ("Ct", 2), ("Pl", 2), ("Pkwy", 1))
UNITS = ("Suite 100", "Suite 200", "Room 4", "Room 12", "Unit B", "Suite 310")

VENUES = (
    ("St. Mark's Church", 4), ("St. Paul's Episcopal Church", 3), ("First Presbyterian Church", 4),
    ("First United Methodist Church", 4), ("First Baptist Church", 3), ("Trinity Lutheran Church", 3),
    ("St. Mary's Catholic Church", 3), ("Grace Church", 2), ("Unitarian Universalist Fellowship", 2),
    ("Alano Club", 6), ("Community Center", 5), ("Public Library", 3), ("YMCA", 2),
    ("Senior Center", 2), ("Fellowship Hall", 3), ("Recovery Clubhouse", 2), ("Serenity House", 2),
    ("Iglesia Nueva Esperanza", 1), ("Parroquia San José", 1), ("Hospital Conference Center", 1),
    ("American Legion Post 12", 1), ("VFW Hall", 1), ("Friends Meeting House", 1),
)
LOCATION_NOTES = (
    "Side door, downstairs", "Enter through the back door by the parking lot", "Room 104, second floor",
    "Basement, use the ramp on the north side", "Parking behind the building", "Fellowship hall",
    "Upstairs library", "Follow the signs to the meeting room", "Door code at the front desk",
    "Park on the street after 6 pm", "Entrada por la puerta lateral",
)

PEER_NAMES = (
    "Downtown Serenity", "Uptown", "Northside", "Southside", "Eastside", "Westside", "Lakeside",
    "Riverside", "Hilltop", "Early Bird", "Nooners", "Sunrise", "Sunset", "Friday Night",
    "Saturday Morning", "Monday Night", "Happy Hour", "Midnight", "Brown Bag", "Serenity",
    "New Hope", "New Beginnings", "Back to Basics", "Keep It Simple", "Came to Believe",
    "Into Action", "One Day at a Time", "Living Sober", "Primary Purpose", "Freedom",
    "Spiritual Awakening", "As Bill Sees It", "Big Book Study", "Step Sisters", "Men's Stag",
    "Women's Circle", "Attitude Adjustment", "Candlelight", "Courage to Change", "Easy Does It",
    "First Things First", "Gratitude", "Hope and Recovery", "Just for Today", "Never Alone",
    "Clean and Serene", "Miracles Happen", "Sober Sisters", "Young People's", "Design for Living",
    "Fourth Dimension", "Road to Recovery", "Promises", "Third Tradition", "Acceptance",
    "Sobriety First", "Pass It On", "Winners", "Fireside", "Dawn Patrol", "Lunch Bunch",
    "Rule 62", "Twelve and Twelve", "Language of the Heart", "Carry the Message",
)
SPANISH_NAMES = (
    "Grupo Nueva Vida", "Grupo Esperanza", "Grupo Renacer", "Grupo Sólo por Hoy", "Grupo Amistad",
    "Grupo Serenidad", "Grupo Libertad", "Grupo Despertar", "Grupo Nuevo Amanecer", "Grupo Fe y Esperanza",
)
GROUP_SUFFIXES = (("Group", 60), ("", 25), ("Meeting", 10), ("Fellowship", 5))
FAMILY_NAMES = (
    "Hope for Today", "Courage to Change", "Serenity Seekers", "Keep Coming Back", "Detachment",
    "One Day at a Time", "Paths to Recovery", "Lifeline", "New Freedom", "Tuesday Night",
    "Monday Night", "Saturday Morning", "Grateful Hearts", "How Al-Anon Works", "Harmony",
    "Sunlight of the Spirit", "Steps to Serenity", "Parents' Circle", "Family Circle", "Oasis",
    "Grupo Esperanza Familiar", "Grupo Nuevo Camino",
)
CENTER_PREFIXES = (
    "Cedar Ridge", "Prairie", "Pine Valley", "Harbor", "Summit", "Lakeview", "Riverbend", "Oak Grove",
    "Blue Mountain", "Sunrise", "New Horizons", "Pathways", "Bridges", "Crossroads", "Gateway",
    "Willow Creek", "Meadowbrook", "Stone Creek", "Clear Springs", "Northstar", "Hope Harbor",
    "Serenity Springs", "Valley View", "Evergreen", "Lighthouse", "Turning Point", "Compass",
    "Rolling Hills", "Silver Lake", "Red Rock",
)
CENTER_TYPES = (
    ("Recovery Center", 30), ("Treatment Center", 25), ("Behavioral Health", 15), ("Addiction Services", 10),
    ("Recovery Services", 8), ("Wellness Center", 6), ("Counseling Services", 6),
)
GROUP_NOTES = (
    "Coffee from 6:45", "Newcomers welcome: arrive 15 minutes early", "Literature available at every meeting",
    "Business meeting on the first Sunday of the month", "Childcare available on request",
    "We read from the Big Book and share", "Accessible entrance on the east side",
    "Potluck on the last Friday of the month", "Cash and Venmo for the Seventh Tradition",
)
MEETING_NOTES = (
    "Big Book study", "Speaker meeting; last Friday is birthday night", "Step study: one step a month",
    "Newcomer meeting", "Daily Reflections reading", "Meditation for 15 minutes, then discussion",
    "Tradition study", "Chip night on the first Monday",
)
SUPPORT_NOTES = (
    "AA and Al-Anon meet on site; alumni group on Thursdays",
    "NA meets on site on Tuesdays and Fridays; family programme every Saturday",
    "Transportation to community meetings; SMART Recovery on site",
    "Alumni group meets monthly; families welcome at the Sunday session",
    "Peer recovery coaches connect every client to local meetings before discharge",
)
ONLINE_NOTES = (
    "Meeting ID {id}, passcode: serenity", "Meeting ID {id}, passcode: 12steps",
    "Waiting room opens 10 minutes early", "Meeting ID {id}; cameras optional",
    "Dial in and press *6 to unmute",
)
SERVICE_WEIGHTS = {
    "detox": 4, "residential": 5, "inpatient": 2, "partial-hospitalization": 3, "intensive-outpatient": 6,
    "outpatient": 8, "moud": 5, "telehealth": 4, "sober-living": 2, "family-program": 3,
    "peer-recovery-support": 3, "aftercare": 4,
}
PAYMENT_WEIGHTS = {
    "medicaid": 7, "medicare": 4, "private-insurance": 8, "military-insurance": 2, "state-funded": 3,
    "sliding-scale": 4, "self-pay": 7, "free": 1,
}
POPULATION_WEIGHTS = {
    "adults": 10, "adolescents": 3, "young-adults": 3, "older-adults": 2, "women": 3, "men": 3,
    "pregnant-women": 1, "veterans": 2, "lgbtq": 1, "justice-involved": 2,
}

# ---------------------------------------------------------------- YAML text

# Plain text starts with a letter, or with digits and then a space and a word
# ("1234 Oak St"), which no YAML reader takes for a number, date or time.
_PLAIN_BLOCK = re.compile(r"(?:[A-Za-z]|[0-9]+ [A-Za-z])[A-Za-z0-9 .,'&()/+;-]*\Z")
_PLAIN_FLOW = re.compile(r"[A-Za-z][A-Za-z0-9-]*\Z")
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def scalar(value: str) -> str:
    """A string as a YAML scalar in block context: plain when that is
    unambiguous for any YAML reader, else double-quoted (JSON strings are valid
    YAML double-quoted scalars). Anything with a colon or # is quoted."""
    if _PLAIN_BLOCK.match(value) and value.lower() not in _RESERVED and value[-1] != " ":
        return value
    return json.dumps(value, ensure_ascii=False)


def flow_item(value: str) -> str:
    """A code inside a flow list such as ``[O, D]``; ``"11"`` is quoted."""
    if _PLAIN_FLOW.match(value) and value.lower() not in _RESERVED:
        return value
    return json.dumps(value, ensure_ascii=False)


def flow_list(values) -> str:
    return "[" + ", ".join(flow_item(v) for v in values) + "]"


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", " and ").replace("'", ""))
    return text.strip("-")


def _normal(text: str) -> str:  # as the duplicate check compares them
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


# ------------------------------------------------------------ random helpers

class Weighted:
    """Fast weighted choice from (value, weight) pairs."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs):
        pairs = [(v, w) for v, w in pairs if w > 0]
        self.values = [v for v, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]

    def sample(self, rng: random.Random, k: int) -> list:
        """k distinct values (k is capped at the number of values)."""
        k = min(k, len(self.values))
        chosen: list = []
        while len(chosen) < k:
            value = self.pick(rng)
            if value not in chosen:
                chosen.append(value)
        return chosen


# ----------------------------------------------------------------- geography

class City:
    __slots__ = ("name", "state", "slug", "timezone", "zips", "weight")

    def __init__(self, name, state, slug, timezone, zips):
        self.name, self.state, self.slug, self.timezone, self.zips = name, state, slug, timezone, zips
        self.weight = len(zips)


_NOT_A_TOWN = re.compile(r"\b(?:afb|jb[a-z]*|navy|naval|parcel|fpo|apo|mcas|usmc)\b", re.IGNORECASE)


def load_geography():
    """Cities per state from the zipcodes package. A city's size is guessed from
    how many ZIP codes of any type (standard, PO box, unique) it has; each state
    keeps its CITIES_PER_STATE largest cities (those with two or more codes, and
    at least three cities), each with its standard ZIP codes (zip, lat, long,
    area codes) and its time zone."""
    import zipcodes

    zones = zoneinfo.available_timezones()
    size: Counter = Counter()
    standard: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for z in zipcodes.list_all():
        if z["state"] not in STATES or _NOT_A_TOWN.search(z["city"]):
            continue
        size[(z["state"], z["city"])] += 1
        if z["zip_code_type"] == "STANDARD" and z["active"] and z["timezone"] in zones and z["lat"] and z["long"]:
            standard[(z["state"], z["city"])].append(z)
    per_state: dict[str, list[tuple[int, str, list[dict]]]] = defaultdict(list)
    for (state, city), entries in standard.items():
        per_state[state].append((size[(state, city)], city, entries))
    states = []
    for code in sorted(STATES, key=lambda c: STATES[c]):
        ranked = sorted(per_state[code], key=lambda item: (-item[0], item[1]))
        chosen = [item for item in ranked[:CITIES_PER_STATE] if item[0] >= 2] or ranked[:1]
        chosen = chosen if len(chosen) >= 3 else ranked[:3]
        state_zone = Counter(z["timezone"] for _, _, entries in per_state[code] for z in entries).most_common(1)[0][0]
        cities = []
        for score, name, entries in sorted(chosen, key=lambda item: item[1]):
            zone = Counter(z["timezone"] for z in entries).most_common(1)[0][0]
            zips = [(z["zip_code"], float(z["lat"]), float(z["long"]), tuple(z["area_codes"]))
                    for z in sorted(entries, key=lambda z: z["zip_code"])]
            city = City(name, code, f"{slugify(name)}-{code.lower()}", zone, zips)
            city.weight = score
            cities.append(city)
        states.append((code, STATES[code], state_zone, cities))
    return states


def regions_yaml(states) -> str:
    lines = [
        "# Generated by benchmarks/generate.py: every US state and DC, each with its",
        "# largest cities. Slugs are unique across the file.",
    ]
    for code, name, zone, cities in states:
        lines += [f"- slug: {slugify(name)}", f"  name: {scalar(name)}", f"  state: {code}",
                  f"  timezone: {zone}", "  regions:"]
        for city in cities:
            lines += [f"    - slug: {city.slug}", f"      name: {scalar(city.name)}"]
            if city.timezone != zone:
                lines.append(f"      timezone: {city.timezone}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------- vocabularies

def read_vocabularies(source: str):
    """Codes from the vocabulary files in ``source`` (read with the project's loader)."""
    from recovery_directory.vocabularies import load_vocabularies

    vocabularies = load_vocabularies(source)  # raises VocabularyError if regions.yml is broken
    types = {t.code for t in vocabularies.terms["meeting-types"] if not t.extra.get("derived")}
    fellowships = {"peer": [], "family": []}
    for term in vocabularies.terms["fellowships"]:
        fellowships[term.extra["kind"]].append(term.code)
    return {
        "types": types,
        "fellowships": fellowships,
        "short": {t.code: t.extra.get("short") or t.names["en"] for t in vocabularies.terms["fellowships"]},
        "services": [t.code for t in vocabularies.terms["services"]],
        "payment": [t.code for t in vocabularies.terms["payment"]],
        "populations": [t.code for t in vocabularies.terms["populations"]],
    }


def _known(pairs, codes) -> Weighted:
    return Weighted([(c, w) for c, w in pairs if c is None or c in codes])


def _by_weight_table(codes, table) -> Weighted:
    return Weighted([(c, table.get(c, 1)) for c in codes])


# ---------------------------------------------------------------- generator

class Generator:
    def __init__(self, states, vocab, seed: int):
        self.rng = random.Random(seed)
        self.cities = Weighted([(city, city.weight) for _, _, _, cities in states for city in cities])
        self.kinds = Weighted(KIND_WEIGHTS)
        self.attendance = Weighted(ATTENDANCE_WEIGHTS)
        self.languages = Weighted(LANGUAGE_WEIGHTS)
        self.peer = _by_weight_table(vocab["fellowships"]["peer"], FELLOWSHIP_WEIGHTS)
        self.family = _by_weight_table(vocab["fellowships"]["family"], FELLOWSHIP_WEIGHTS)
        self.short = vocab["short"]
        types = vocab["types"]
        self.open_closed = _known(OPEN_CLOSED, types)
        self.formats = _known(FORMAT_TYPES, types)
        self.extras = _known(EXTRA_TYPES, types)
        self.spanish_type = "S" if "S" in types else None
        self.services = _by_weight_table(vocab["services"], SERVICE_WEIGHTS)
        self.payment = _by_weight_table(vocab["payment"], PAYMENT_WEIGHTS)
        self.populations = _by_weight_table(vocab["populations"], POPULATION_WEIGHTS)
        self.counts = Weighted(MEETING_COUNT_WEIGHTS)
        self.starts = Weighted(START_TIMES)
        self.durations = Weighted(DURATIONS)
        self.suffixes = Weighted(STREET_SUFFIXES)
        self.venues = Weighted(VENUES)
        self.group_suffixes = Weighted(GROUP_SUFFIXES)
        self.center_types = Weighted(CENTER_TYPES)
        self.slugs: set[str] = set()
        self.places: set[tuple] = set()
        self.stats: Counter = Counter()

    # -- pieces

    def phone(self, area_codes) -> str:
        rng = self.rng
        area = area_codes[rng.randrange(len(area_codes))] if area_codes else "217"
        return f"+1 {area} 555 01{rng.randrange(100):02d}"

    def address(self) -> str:
        rng = self.rng
        street = f"{rng.randrange(10, 9990)} {STREETS[rng.randrange(len(STREETS))]} {self.suffixes.pick(rng)}"
        if rng.random() < 0.05:
            street += f", {UNITS[rng.randrange(len(UNITS))]}"
        return street

    def slug_for(self, name: str, city: City) -> str:
        base = slugify(name) or "listing"
        slug = base
        if slug in self.slugs:
            slug = f"{base}-{city.slug}"
            n = 2
            while slug in self.slugs:
                slug = f"{base}-{city.slug}-{n}"
                n += 1
        self.slugs.add(slug)
        return slug

    def location(self, kind: str, name: str, city: City, venue: bool) -> list[str]:
        rng = self.rng
        zip_code, lat, lon, _ = city.zips[rng.randrange(len(city.zips))]
        address = self.address()
        while (kind, _normal(name), _normal(address), _normal(city.name)) in self.places:
            address = self.address()
        self.places.add((kind, _normal(name), _normal(address), _normal(city.name)))
        lines = ["location:"]
        if venue:
            lines.append(f"  name: {scalar(self.venues.pick(rng))}")
        lines += [
            f"  address: {scalar(address)}",
            f"  city: {scalar(city.name)}",
            f"  state: {city.state}",
            f'  postal_code: "{zip_code}"',
            f"  latitude: {lat + (rng.random() - 0.5) * 0.02:.5f}",
            f"  longitude: {lon + (rng.random() - 0.5) * 0.02:.5f}",
        ]
        if venue and rng.random() < 0.25:
            lines.append(f"  notes: {scalar(LOCATION_NOTES[rng.randrange(len(LOCATION_NOTES))])}")
        return lines

    def online(self, area_codes) -> list[str]:
        rng = self.rng
        meeting_id = f"{rng.randrange(100, 999)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
        digits = meeting_id.replace(" ", "")
        platform = rng.random()
        if platform < 0.75:
            url = f"https://zoom.us/j/{digits}"
        elif platform < 0.9:
            url = f"https://meet.google.com/{''.join(rng.choice('abcdefghijkmnopqrstuvwxyz') for _ in range(3))}-" \
                  f"{''.join(rng.choice('abcdefghijkmnopqrstuvwxyz') for _ in range(4))}-" \
                  f"{''.join(rng.choice('abcdefghijkmnopqrstuvwxyz') for _ in range(3))}"
        else:
            url = f"https://meet.jit.si/recovery-{digits}"
        lines = ["online:"]
        if rng.random() < 0.95:
            lines.append(f"  url: {scalar(url)}")
            if rng.random() < 0.3:
                lines.append(f"  phone: {scalar(self.phone(area_codes) + ',,' + digits + '#')}")
        else:  # phone-only meetings exist
            lines.append(f"  phone: {scalar(self.phone(area_codes) + ',,' + digits + '#')}")
        if rng.random() < 0.6:
            note = ONLINE_NOTES[rng.randrange(len(ONLINE_NOTES))]
            if platform >= 0.75 and "{id}" in note:  # meeting IDs are a Zoom thing
                note = "Waiting room opens 10 minutes early"
            lines.append(f"  notes: {scalar(note.format(id=meeting_id))}")
        return lines

    def meetings(self, spanish: bool) -> list[str]:
        rng = self.rng
        count = self.counts.pick(rng)
        days = sorted(rng.sample(range(7), count))
        base = self.starts.pick(rng)
        open_closed = self.open_closed.pick(rng)
        lines = ["meetings:"]
        for day in days:
            start = base if rng.random() < 0.75 else self.starts.pick(rng)
            lines.append(f"  - day: {DAYS[day]}")
            lines.append(f'    time: "{start}"')
            if rng.random() < 0.6:
                hours, minutes = int(start[:2]), int(start[3:])
                end = (hours * 60 + minutes + self.durations.pick(rng)) % (24 * 60)
                lines.append(f'    end_time: "{end // 60:02d}:{end % 60:02d}"')
            if rng.random() < 0.9:
                types = [open_closed] if open_closed else []
                types.append(self.formats.pick(rng))
                if rng.random() < 0.3:
                    types += self.extras.sample(rng, 1 if rng.random() < 0.8 else 2)
                if spanish and self.spanish_type:
                    types.append(self.spanish_type)
                types = list(dict.fromkeys(types))
                lines.append(f"    types: {flow_list(types)}")
            if rng.random() < 0.08:
                lines.append(f"    notes: {scalar(MEETING_NOTES[rng.randrange(len(MEETING_NOTES))])}")
            self.stats["meetings"] += 1
        return lines

    def tail(self, slug: str, languages, area_codes, timezone: str | None, phone: bool) -> list[str]:
        rng = self.rng
        lines = []
        if timezone:
            lines.append(f"timezone: {timezone}")
        lines.append(f"languages: {flow_list(languages)}")
        if rng.random() < 0.2:
            lines.append(f"website: {scalar(f'https://example.org/{slug}')}")
        if rng.random() < 0.4:
            lines.append(f"email: {slug}@example.org")
        if phone:
            lines.append(f"phone: {scalar(self.phone(area_codes))}")
        if rng.random() < 0.15:
            lines.append(f"notes: {scalar(GROUP_NOTES[rng.randrange(len(GROUP_NOTES))])}")
        if rng.random() < 0.7:
            lines.append(f"last_verified: {2024 + rng.randrange(3)}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}")
        return lines

    # -- listings

    def group_name(self, folder: str, fellowship: str, city: City, spanish: bool) -> str:
        rng = self.rng
        short = self.short.get(fellowship, fellowship)
        if folder == "groups":
            if spanish and rng.random() < 0.7:
                return SPANISH_NAMES[rng.randrange(len(SPANISH_NAMES))]
            roll = rng.random()
            if roll < 0.15:
                return f"{city.name} {short} {self.group_suffixes.pick(rng) or 'Group'}"
            stem = PEER_NAMES[rng.randrange(len(PEER_NAMES))]
            if fellowship not in ("aa",) and roll < 0.45:
                stem = f"{stem} {short}"
            suffix = self.group_suffixes.pick(rng)
            return f"{stem} {suffix}".strip()
        stem = FAMILY_NAMES[rng.randrange(len(FAMILY_NAMES))]
        if stem.startswith("Grupo"):
            return stem
        roll = rng.random()
        if roll < 0.2:
            return f"{city.name} {short}"
        if fellowship in ("al-anon", "nar-anon", "co-anon"):
            return f"{stem} {short} Family Group"
        return f"{stem} {short}"

    def group(self, folder: str) -> tuple[str, str]:
        rng = self.rng
        city = self.cities.pick(rng)
        area_codes = city.zips[rng.randrange(len(city.zips))][3]
        fellowship = (self.peer if folder == "groups" else self.family).pick(rng)
        languages = self.languages.pick(rng)
        spanish = languages[0] == "es"
        name = self.group_name(folder, fellowship, city, spanish)
        slug = self.slug_for(name, city)
        attendance = self.attendance.pick(rng)
        self.stats[attendance] += 1
        lines = [f"name: {scalar(name)}", f"fellowship: {fellowship}", f"region: {city.slug}"]
        if attendance != "online":
            lines += self.location(folder, name, city, venue=rng.random() < 0.85)
        if attendance != "in-person":
            lines += self.online(area_codes)
        lines += self.meetings(spanish)
        lines += self.tail(slug, languages, area_codes, city.timezone if attendance == "online" else None,
                           phone=rng.random() < 0.3)
        return slug, "\n".join(lines) + "\n"

    def center(self) -> tuple[str, str]:
        rng = self.rng
        city = self.cities.pick(rng)
        area_codes = city.zips[rng.randrange(len(city.zips))][3]
        if rng.random() < 0.3:
            name = f"{city.name} {self.center_types.pick(rng)}"
        else:
            name = f"{CENTER_PREFIXES[rng.randrange(len(CENTER_PREFIXES))]} {self.center_types.pick(rng)}"
        slug = self.slug_for(name, city)
        self.stats["in-person"] += 1
        lines = [f"name: {scalar(name)}", f"region: {city.slug}"]
        lines += self.location("treatment-centers", name, city, venue=False)
        lines.append(f"phone: {scalar(self.phone(area_codes))}")
        lines.append(f"services: {flow_list(self.services.sample(rng, 1 + rng.randrange(5)))}")
        lines.append(f"payment: {flow_list(self.payment.sample(rng, 1 + rng.randrange(4)))}")
        if rng.random() < 0.7:
            lines.append(f"populations: {flow_list(self.populations.sample(rng, 1 + rng.randrange(3)))}")
        if rng.random() < 0.6:
            lines.append(f"support: {scalar(SUPPORT_NOTES[rng.randrange(len(SUPPORT_NOTES))])}")
        languages = self.languages.pick(rng)
        lines += self.tail(slug, languages, area_codes, None, phone=False)
        if rng.random() < 0.7 and not any(line.startswith("website:") for line in lines):
            lines.append(f"website: {scalar(f'https://example.org/{slug}')}")
        return slug, "\n".join(lines) + "\n"


def fingerprint() -> str:
    """Changes when the generator or the copied vocabularies change."""
    digest = hashlib.sha256()
    with open(os.path.abspath(__file__), "rb") as handle:
        digest.update(handle.read())
    for name in VOCABULARY_FILES:
        with open(os.path.join(SOURCE_DIRECTORY, name), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:16]


def _prepare(out_dir: str) -> None:
    """Empty ``out_dir`` if it is a generated directory; refuse anything else."""
    if os.path.isdir(out_dir) and os.listdir(out_dir):
        if not os.path.exists(os.path.join(out_dir, MARKER)):
            raise SystemExit(f"{out_dir} exists and was not made by generate.py — give an empty or new folder")
        shutil.rmtree(out_dir)
    os.makedirs(out_dir, exist_ok=True)


def generate(n: int, out_dir: str, seed: int = 1) -> dict:
    """Write a valid directory with ``n`` listings to ``out_dir``; return a summary."""
    started = time.perf_counter()
    _prepare(out_dir)
    for name in VOCABULARY_FILES:
        shutil.copyfile(os.path.join(SOURCE_DIRECTORY, name), os.path.join(out_dir, name))
    states = load_geography()
    with open(os.path.join(out_dir, "regions.yml"), "w", encoding="utf-8") as handle:
        handle.write(regions_yaml(states))
    vocab = read_vocabularies(out_dir)
    gen = Generator(states, vocab, seed)
    for folder in KIND_FOLDERS:
        os.makedirs(os.path.join(out_dir, folder), exist_ok=True)
    per_kind: Counter = Counter()
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    for _ in range(n):
        folder = gen.kinds.pick(gen.rng)
        slug, text = gen.center() if folder == "treatment-centers" else gen.group(folder)
        fd = os.open(os.path.join(out_dir, folder, slug + ".yml"), flags, 0o644)
        try:
            os.write(fd, text.encode("utf-8"))
        finally:
            os.close(fd)
        per_kind[folder] += 1
    summary = {
        "listings": n,
        "seed": seed,
        "fingerprint": fingerprint(),
        "kinds": dict(sorted(per_kind.items())),
        "attendance": {k: gen.stats[k] for k in ("in-person", "online", "hybrid")},
        "meetings": gen.stats["meetings"],
        "regions": sum(1 + len(cities) for _, _, _, cities in states),
        "seconds": round(time.perf_counter() - started, 3),
    }
    with open(os.path.join(out_dir, MARKER), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
    return summary


def default_dir(n: int, seed: int = 1, out_root: str = DEFAULT_OUT) -> str:
    return os.path.join(out_root, f"directory-n{n}-s{seed}")


def ensure_generated(n: int, seed: int = 1, out_root: str = DEFAULT_OUT) -> tuple[str, dict, bool]:
    """The generated directory for ``n`` and ``seed`` under ``out_root``: reused
    when one made by this same generator exists, else generated.
    Returns (path, summary, reused)."""
    out_dir = default_dir(n, seed, out_root)
    try:
        with open(os.path.join(out_dir, MARKER), encoding="utf-8") as handle:
            summary = json.load(handle)
        if summary.get("listings") == n and summary.get("seed") == seed and summary.get("fingerprint") == fingerprint():
            return out_dir, summary, True
    except (OSError, ValueError):
        pass
    return out_dir, generate(n, out_dir, seed), False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, required=True, help="how many listing files to write")
    parser.add_argument("--out", required=True, help="folder to write (created; must be new, empty or generated earlier)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same files)")
    args = parser.parse_args(argv)
    if args.listings < 0:
        parser.error("--listings must be 0 or more")
    summary = generate(args.listings, args.out, args.seed)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
