"""Field types: each checks one value and describes itself as JSON Schema.

A field type knows nothing of where its value sits: it returns problems with
paths relative to the value, and :func:`problems.under` re-roots them. Every
message says what is wrong and how to fix it, in words a group secretary can act on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import urlsplit

from .problems import Problem, error, under

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
TIME_PATTERN = r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"
_SLUG = re.compile(SLUG_PATTERN)
_TIME = re.compile(TIME_PATTERN)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")


class Lookups:
    """What a field needs from outside its value: the vocabularies, and the
    country used to read national phone numbers. Set per validation run."""

    def __init__(self, vocabularies: Mapping[str, Iterable[str]], timezones: set[str], country: str = "US"):
        self.vocabularies = {name: set(codes) for name, codes in vocabularies.items()}
        self.timezones = timezones
        self.country = country


def show(value: Any) -> str:
    """A value as a contributor wrote it, shortened, for a message."""
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "…"
        return repr(text)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return str(value)


def closest(word: Any, choices: Iterable[str]) -> str | None:
    """The one choice close to ``word`` (a likely typo), if any."""
    if not isinstance(word, str):
        return None
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def suggest(word: Any, choices: Iterable[str]) -> str:
    """``did you mean 'x'?`` when one choice is close, else ``""``."""
    close = closest(word, choices)
    return f"did you mean {close!r}?" if close else ""


class FieldType:
    """Base: subclasses implement :meth:`check` and :meth:`schema`."""

    def check(self, value: Any, lookups: Lookups) -> list[Problem]:
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(FieldType):
    max_length: int = 200
    multiline: bool = False
    accept_numbers: bool = False  # postal codes written without quotes

    def check(self, value, lookups):
        if self.accept_numbers and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, (list, dict)):
            return [error(f"must be a single piece of text, not {show(value)}")]
        if not isinstance(value, str):
            return [error(f"must be text, not {show(value)} — put it in quotes")]
        if not value.strip():
            return [error("is empty — fill it in or delete the line")]
        if len(value) > self.max_length:
            return [error(f"is {len(value)} characters long; keep it under {self.max_length}")]
        if _CONTROL.search(value) or (not self.multiline and "\n" in value.strip()):
            hint = "" if self.multiline else " (use one line)"
            return [error(f"contains control characters or line breaks{hint} — remove them")]
        return []

    def schema(self):
        out: dict = {"type": ["string", "integer"] if self.accept_numbers else "string"}
        out["maxLength"] = self.max_length
        return out


@dataclass(frozen=True)
class Slug(FieldType):
    def check(self, value, lookups):
        if not isinstance(value, str) or not _SLUG.match(value):
            return [error(f"{show(value)} is not a slug — use lowercase letters, digits and single hyphens, e.g. downtown-serenity")]
        return []

    def schema(self):
        return {"type": "string", "pattern": SLUG_PATTERN}


@dataclass(frozen=True)
class Choice(FieldType):
    """A code from a closed vocabulary in ``directory/``."""

    vocabulary: str
    noun: str
    source: str

    def check(self, value, lookups):
        codes = lookups.vocabularies.get(self.vocabulary, set())
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # codes such as 11 (11th Step) written without quotes
        if isinstance(value, str) and value in codes:
            return []
        hint = suggest(value, codes) if isinstance(value, str) else ""
        if not hint:
            hint = (f"use one of: {', '.join(sorted(codes))}" if len(codes) <= 12
                    else f"see {self.source} for the list")
        return [error(f"{show(value)} is not a known {self.noun} — {hint}")]

    def schema(self):
        # The vocabulary's codes are filled in by jsonschema.py from directory/.
        return {"type": "string", "x-vocabulary": self.vocabulary}


@dataclass(frozen=True)
class Day(FieldType):
    def check(self, value, lookups):
        if isinstance(value, str) and value.lower() in DAYS:
            return []
        hint = suggest(value, DAYS) or "use monday, tuesday, wednesday, thursday, friday, saturday or sunday"
        return [error(f"{show(value)} is not a day — {hint}")]

    def schema(self):
        return {"type": "string", "enum": list(DAYS[1:] + DAYS[:1])}


@dataclass(frozen=True)
class Time(FieldType):
    def check(self, value, lookups):
        if isinstance(value, str) and _TIME.match(value):
            return []
        if isinstance(value, str) and _TIME.match("0" + value):
            return [error(f"{show(value)} is not a time — use 24-hour HH:MM with two digits for the hour: {'0' + value!r}")]
        return [error(f"{show(value)} is not a time — use 24-hour HH:MM, e.g. 19:30")]

    def schema(self):
        return {"type": "string", "pattern": TIME_PATTERN}


@dataclass(frozen=True)
class Date(FieldType):
    def check(self, value, lookups):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return []
        if isinstance(value, str) and parse_date(value) is not None:
            return []
        return [error(f"{show(value)} is not a date — use YYYY-MM-DD, e.g. 2026-03-01")]

    def schema(self):
        return {"type": "string", "format": "date"}


def parse_date(value) -> dt.date | None:
    """A date from YAML: already a date, or text in YYYY-MM-DD (a quoted date)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Phrase(FieldType):
    """One of a few fixed words, e.g. ``every: other week``."""

    words: tuple[str, ...]
    hint: str  # how to fix a value that is none of them

    def check(self, value, lookups):
        if isinstance(value, str) and value.strip().lower() in self.words:
            return []
        return [error(f"{show(value)} is not a schedule this field knows — {self.hint}")]

    def schema(self):
        return {"type": "string", "enum": list(self.words)}


WEEK_WORDS = ("last",)  # besides 1–5: the week of the month counted from its end


@dataclass(frozen=True)
class WeekOfMonth(FieldType):
    """Which week of the month: 1 to 5 (the 1st … 5th such weekday), or last."""

    def check(self, value, lookups):
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
            return []
        if isinstance(value, str) and value.strip().lower() in WEEK_WORDS:
            return []
        return [error(f"{show(value)} is not a week of the month — use 1 to 5 (the 1st to 5th) or last")]

    def schema(self):
        return {"oneOf": [{"type": "integer", "minimum": 1, "maximum": 5}, {"type": "string", "enum": list(WEEK_WORDS)}]}


@dataclass(frozen=True)
class Number(FieldType):
    minimum: float
    maximum: float
    what: str

    def check(self, value, lookups):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return [error(f"{show(value)} is not a number — write it as a decimal number, e.g. 39.7817")]
        if not self.minimum <= value <= self.maximum:
            return [error(f"{value} is out of range — a {self.what} lies between {self.minimum:g} and {self.maximum:g}")]
        return []

    def schema(self):
        return {"type": "number", "minimum": self.minimum, "maximum": self.maximum}


@dataclass(frozen=True)
class Url(FieldType):
    mailto: bool = False  # also a mailto: link (the Meeting Guide format's feedback_url)

    def check(self, value, lookups):
        if not isinstance(value, str):
            return [error(f"must be a web address in quotes, not {show(value)}")]
        if _CONTROL.search(value):
            return [error(f"{show(value)} contains control characters — type the web address again by hand")]
        parts = urlsplit(value.strip())
        if self.mailto and parts.scheme.lower() == "mailto":
            address = parts.path
            if not address or any(c.isspace() for c in value.strip()) or Email().check(address, lookups):
                return [error(f"{show(value)} is not a complete mailto: link — write mailto: and the address, e.g. mailto:listings@example.org")]
            return []
        if parts.scheme.lower() not in ("http", "https"):
            allowed = "https://, http:// or mailto:" if self.mailto else "https:// or http://"
            return [error(f"{show(value)} is not a web address — only links starting with {allowed} are allowed")]
        if not parts.hostname or any(c.isspace() for c in value.strip()):
            return [error(f"{show(value)} is not a complete web address — write it in full, e.g. https://example.org/meetings")]
        return []

    def schema(self):
        return {"type": "string", "format": "uri", "pattern": "^(?:https?://|mailto:)" if self.mailto else "^https?://"}


@dataclass(frozen=True)
class Handle(FieldType):
    """A group's page on a contribution service (Venmo, Cash App …): its handle
    as the service writes it (``@name``, ``$name``, ``name``), or a link to it."""

    service: str  # e.g. Venmo
    noun: str  # what the service calls a handle, e.g. Venmo username
    prefix: str  # written before the handle: "@", "$" or ""
    pattern: str  # the handle without its prefix (a regular expression)
    hint: str  # what the handle may hold, in words
    links: tuple[str, ...]  # regular expressions of accepted links; group 1 is the handle
    template: str  # the link made from a handle, e.g. https://venmo.com/u/{handle}
    example: str

    def handle(self, value: Any) -> str | None:
        """The handle, without its prefix, from either form; ``None`` if neither."""
        if not isinstance(value, str):
            return None
        text = value.strip()
        for link in self.links:
            match = re.fullmatch(link, text)
            if match:
                return match.group(1)
        if text.startswith(self.prefix) and re.fullmatch(self.pattern, text[len(self.prefix):]):
            return text[len(self.prefix):]
        return None

    def written(self, value: Any) -> str | None:
        """The handle as the service (and the Meeting Guide format) writes it: ``@name``."""
        handle = self.handle(value)
        return None if handle is None else self.prefix + handle

    def link(self, value: Any) -> str | None:
        handle = self.handle(value)
        return None if handle is None else self.template.format(handle=handle)

    def check(self, value, lookups):
        if not isinstance(value, str):
            return [error(f"must be a {self.noun} or link in quotes, not {show(value)}")]
        if self.handle(value) is not None:
            return []
        text = value.strip()
        if self.prefix and re.fullmatch(self.pattern, text):
            return [error(f"{show(value)} needs {self.prefix} in front: {self.prefix + text!r}")]
        if urlsplit(text).scheme:
            return [error(f"{show(value)} is not a link to a {self.service} page — write the {self.noun}, e.g. {self.example}, "
                          f"or the link to the group's page, e.g. {self.template.format(handle=self.example.removeprefix(self.prefix))}")]
        return [error(f"{show(value)} is not a {self.noun} — {self.hint}, e.g. {self.example}")]

    def schema(self):
        forms = [re.escape(self.prefix) + self.pattern] + list(self.links)
        return {"type": "string", "pattern": "^(?:" + "|".join(forms) + ")$"}


@dataclass(frozen=True)
class Email(FieldType):
    def check(self, value, lookups):
        from email_validator import EmailNotValidError, validate_email

        if not isinstance(value, str):
            return [error(f"must be an e-mail address, not {show(value)}")]
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError as exc:
            return [error(f"{show(value)} is not an e-mail address ({exc}) — e.g. secretary@example.org")]
        return []

    def schema(self):
        return {"type": "string", "format": "email"}


@dataclass(frozen=True)
class Phone(FieldType):
    """A phone number; ``dial_in`` allows the one-tap pauses ``,`` ``*`` ``#``
    that the Meeting Guide format allows after the number."""

    dial_in: bool = False

    def check(self, value, lookups):
        import phonenumbers

        if not isinstance(value, str):
            return [error(f"must be a phone number in quotes, not {show(value)}")]
        number, _, pauses = value.partition(",") if self.dial_in else (value, "", "")
        if self.dial_in and pauses and not re.fullmatch(r"[0-9,*#]*", pauses):
            return [error(f"{show(value)} has something other than digits, commas, * and # after the number — write the pauses and codes without spaces, e.g. +1 646 555 0100,,123456789#")]
        try:
            parsed = phonenumbers.parse(number, lookups.country)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is None or not phonenumbers.is_valid_number(parsed):
            return [error(f"{show(value)} is not a valid phone number — include the area code, e.g. +1 217 555 0100")]
        return []

    def schema(self):
        return {"type": "string"}


_ZONE_AREAS = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/", "Pacific/")


def canonical_timezones(zones: Iterable[str]) -> list[str]:
    """Zones worth suggesting: Area/City names, not aliases such as US/Central."""
    return [z for z in zones if z.startswith(_ZONE_AREAS)]


@dataclass(frozen=True)
class TimeZone(FieldType):
    def check(self, value, lookups):
        if isinstance(value, str) and value in lookups.timezones:
            return []
        hint = suggest(value, canonical_timezones(lookups.timezones)) or "use an IANA name such as America/Chicago"
        return [error(f"{show(value)} is not a time zone — {hint}")]

    def schema(self):
        return {"type": "string", "pattern": r"^[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)*$"}


@dataclass(frozen=True)
class Language(FieldType):
    def check(self, value, lookups):
        if isinstance(value, str) and _LANGUAGE_CODE.fullmatch(value) and _known_language(value):
            return []
        return [error(f"{show(value)} is not a language code — use a two-letter ISO 639-1 code such as en, es or pl")]

    def schema(self):
        return {"type": "string", "pattern": "^[a-z]{2,3}$"}


@functools.lru_cache(maxsize=512)
def _known_language(code: str) -> bool:
    # A few codes, each in thousands of listings: ask Babel once per code.
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code)
        return True
    except (UnknownLocaleError, ValueError):
        return False


@dataclass(frozen=True)
class ListOf(FieldType):
    item: FieldType
    min_items: int = 1
    max_items: int = 100

    def check(self, value, lookups):
        if not isinstance(value, list):
            return [error(f"must be a list, not {show(value)} — start each entry on its own line with '- '")]
        if len(value) < self.min_items:
            return [error("is empty — add at least one entry or delete the field")]
        if len(value) > self.max_items:
            return [error(f"has {len(value)} entries; at most {self.max_items} are allowed")]
        problems: list[Problem] = []
        seen: list = []
        for index, entry in enumerate(value):
            found = self.item.check(entry, lookups)
            if found:  # re-rooting only when there is something to re-root: the happy path is most of the work
                problems += under((index,), found)
            elif isinstance(entry, (str, int)):
                if str(entry) in seen:
                    problems.append(error(f"{show(entry)} is listed twice — delete one", index))
                seen.append(str(entry))
        return problems

    def schema(self):
        return {"type": "array", "items": self.item.schema(), "minItems": self.min_items,
                "maxItems": self.max_items}


@dataclass(frozen=True)
class Field:
    """One named field of a record, with the description shown to editors."""

    name: str
    type: FieldType
    description: str
    required: bool = False
    example: Any = None


@dataclass(frozen=True)
class Record(FieldType):
    """A mapping with known fields. Unknown fields are errors, with a guess."""

    fields: tuple[Field, ...]
    title: str = ""
    # Extra whole-record rules: (record, lookups) -> problems.
    rules: tuple[Callable[[dict, Lookups], list[Problem]], ...] = field(default=(), compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})

    def field(self, name: str) -> Field:
        return self._by_name[name]  # type: ignore[attr-defined]

    def check(self, value, lookups):
        if not isinstance(value, dict):
            return [error(f"must be a group of fields (name: value), not {show(value)}")]
        by_name = self._by_name  # type: ignore[attr-defined]
        problems: list[Problem] = []
        misspelt: set[str] = set()  # required fields a misspelt key was meant to be
        for key, entry in value.items():
            spec = by_name.get(key)
            if spec is None:
                close = closest(str(key), by_name)
                hint = f"did you mean {close!r}?" if close else f"allowed here: {', '.join(by_name)}"
                if close:
                    misspelt.add(close)
                problems.append(error(f"unknown field {show(key)} — {hint}", str(key), at_key=True))
            elif entry is None:
                example = f", e.g. {spec.name}: {spec.example}" if spec.required and spec.example is not None else ""
                advice = f"fill it in{example}" if spec.required else "fill it in or delete the line"
                problems.append(error(f"is empty — {advice}", key))
            else:
                found = spec.type.check(entry, lookups)
                if found:
                    problems += under((key,), found)
        for spec in self.fields:
            if spec.required and spec.name not in value and spec.name not in misspelt:
                example = f", e.g. {spec.name}: {spec.example}" if spec.example is not None else ""
                problems.append(error(f"is missing — add the {spec.name} field{example}", spec.name))
        for rule in self.rules:  # rules read defensively: the fields may be wrong
            problems += rule(value, lookups)
        return problems

    def schema(self):
        out: dict = {"type": "object", "additionalProperties": False, "properties": {}}
        if self.title:
            out["title"] = self.title
        for spec in self.fields:
            prop = spec.type.schema()
            prop["description"] = spec.description
            if spec.example is not None:
                prop["examples"] = [spec.example]
            out["properties"][spec.name] = prop
        required = [f.name for f in self.fields if f.required]
        if required:
            out["required"] = required
        return out
