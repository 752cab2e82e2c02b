"""``recovery-directory new KIND``: a new listing file, from options or from
answers to questions, written only when it is valid.

:func:`create_listing` (validate, then create the file, never overwrite) and the
readers of typed-in values (:func:`read_value`, :func:`parse_meeting`) are
shared with ``from-issue``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, Callable

from .cli import EXIT_INVALID, EXIT_OK, command
from .fields import SLUG_PATTERN, Date, Field, FieldType, ListOf, Number, Record, Time
from .listing_writer import listing_yaml
from .problems import Problem, error, format_text
from .schema import KIND_BY_KEY, KINDS, Kind
from .validate import validate_paths
from .vocabularies import slugify

_SLUG = re.compile(SLUG_PATTERN)
_CLOCK = r"\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?)?"
_TIME = re.compile(r"^\s*(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?:(?P<half>[ap])\.?\s?m?\.?)?\s*$", re.IGNORECASE)
_MEETING = re.compile(
    rf"^(?P<day>[A-Za-z]+)[\s,]+(?P<time>{_CLOCK})(?:\s*(?:-|–|—|to)\s*(?P<end>{_CLOCK}))?(?:[\s,]+(?P<types>.*))?$",
    re.IGNORECASE,
)
MEETING_FORMAT = "DAY HH:MM[-HH:MM] [TYPE,TYPE…], e.g. 'monday 19:30-20:30 O,D'"


class ListingExists(Exception):
    """The listing file is already there; it is never overwritten."""


# --- shared with from-issue ----------------------------------------------------


def create_listing(kind: Kind, slug: str, data: dict, directory: str, check_only: bool = False) -> tuple[str, list[Problem], bool]:
    """Check ``data`` as ``<directory>/<folder>/<slug>.yml`` and create that
    file only if it has no errors (and not ``check_only``). Returns (path shown
    to people, problems, written). Raises :class:`ListingExists` if the file
    is already there."""
    path = os.path.join(directory, kind.folder, f"{slug}.yml")
    display = os.path.relpath(path)
    if not _SLUG.match(slug):
        problem = error(f"{slug!r} is not a usable file name — give a slug of lowercase letters, digits and "
                        "single hyphens, e.g. --slug downtown-serenity")
        return display, [problem.located(display)], False
    if os.path.lexists(path):
        raise ListingExists(display)
    text = listing_yaml(kind.key, data)
    problems = _trial_validation(kind, slug, text, directory, display)
    if check_only or any(p.is_error for p in problems):
        # Line numbers would point into a file that was not written.
        return display, [replace(p, line=0, column=0) if p.file == display else p for p in problems], False
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    # "x" creates the file or fails if it appeared meanwhile: nothing is overwritten.
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ListingExists(display) from None
    return display, problems, True


def _trial_validation(kind: Kind, slug: str, text: str, directory: str, display: str) -> list[Problem]:
    # Validated under its real file name in a scratch folder, against the real
    # vocabularies and the slugs already on disk; problems then name the real path.
    with tempfile.TemporaryDirectory(prefix="recovery-directory-") as scratch:
        trial = os.path.join(scratch, kind.folder, f"{slug}.yml")
        os.makedirs(os.path.dirname(trial))
        with open(trial, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        result = validate_paths([trial], directory)
        trial_display = os.path.relpath(trial)
    return [replace(p, file=display) if p.file == trial_display else p for p in result.problems]


def slug_for(name: str) -> str:
    """``Grupo Señor de la Misericordia`` → ``grupo-senor-de-la-misericordia``."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return slugify(ascii_name)


def parse_time(text: str) -> str:
    """``7:30 pm``, ``19.30``, ``7pm`` → ``19:30`` / ``19:00``; anything else as typed."""
    match = _TIME.match(text)
    if not match:
        return text.strip()
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    half = (match["half"] or "").lower()
    if half and not 1 <= hour <= 12:
        return text.strip()
    if half:
        hour = hour % 12 + (12 if half == "p" else 0)
    return f"{hour:02d}:{minute:02d}"


def split_list(text: str) -> list[str]:
    """``O, D`` or ``O D`` → ``['O', 'D']``."""
    return [part for part in re.split(r"[,;]\s*|\s+", text.strip()) if part] if text.strip() else []


def parse_meeting(text: str, read_types: Callable[[str], list] = split_list) -> dict | None:
    """``monday 19:30-20:30 O,D`` → a meeting; ``None`` if it is not one.
    ``read_types`` turns what follows the times into type codes."""
    match = _MEETING.match(text.strip())
    if not match:
        return None
    meeting: dict[str, Any] = {"day": match["day"].lower(), "time": parse_time(match["time"])}
    if match["end"]:
        meeting["end_time"] = parse_time(match["end"])
    types = read_types(match["types"] or "")
    if types:
        meeting["types"] = types
    return meeting


def read_value(ftype: FieldType, text: str) -> Any:
    """A typed-in answer as the listing holds it; what cannot be read is kept
    as typed, so that validation explains what is wrong with it."""
    text = text.strip()
    if isinstance(ftype, ListOf):
        return [read_value(ftype.item, part) for part in re.split(r"\s*[,;]\s*", text) if part]
    if isinstance(ftype, Time):
        return parse_time(text)
    if isinstance(ftype, Date):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    if isinstance(ftype, Number):
        try:
            return float(text)
        except ValueError:
            return text
    return text


# --- the command ---------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One command-line option for one field, e.g. --location-city."""

    path: tuple[str, ...]
    field: Field

    @property
    def flag(self) -> str:
        return "--" + "-".join(self.path).replace("_", "-")

    @property
    def dest(self) -> str:
        return "field." + ".".join(self.path)


def _options() -> list[Option]:
    # Every field of every kind, once; fields of a record (location, online) as
    # --record-field. Meetings have their own --meeting.
    seen: dict[tuple[str, ...], Option] = {}
    for kind in KINDS:
        for spec in kind.record.fields:
            if isinstance(spec.type, Record):
                for sub in spec.type.fields:
                    seen.setdefault((spec.name, sub.name), Option((spec.name, sub.name), sub))
            elif not (isinstance(spec.type, ListOf) and isinstance(spec.type.item, Record)):
                seen.setdefault((spec.name,), Option((spec.name,), spec))
    return list(seen.values())


OPTIONS = _options()


def _new_args(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write a new listing file, with comments, from the options given and, in a terminal, "
        "from answers to questions for the fields not given. The file is written only if it is "
        "valid: otherwise nothing is written, the problems are listed and the exit status is 1. "
        "An existing file is never overwritten. last_verified defaults to today.")
    parser.add_argument("kind", choices=list(KIND_BY_KEY), help="what to add")
    asking = parser.add_mutually_exclusive_group()
    asking.add_argument("--ask", action="store_true", help="ask for missing fields even when input is not a terminal")
    asking.add_argument("--no-input", action="store_true", help="never ask; use the options only")
    parser.add_argument("--meeting", action="append", default=[], metavar="MEETING",
                        help=f"a weekly meeting, repeatable: {MEETING_FORMAT}")
    fields = parser.add_argument_group("fields", "one option per field of the listing (see docs/contributing.md)")
    for option in OPTIONS:
        help_text = option.field.description + (" Comma-separated." if isinstance(option.field.type, ListOf) else "")
        fields.add_argument(option.flag, dest=option.dest, metavar="VALUE", help=help_text.replace("%", "%%"))


@command("new", _new_args)
def run_new(args: argparse.Namespace) -> int:
    kind = KIND_BY_KEY[args.kind]
    data, slug = _data_from_options(kind, args)
    problems: list[Problem] = []
    for text in args.meeting:
        meeting = parse_meeting(text)
        if meeting is None:
            problems.append(error(f"{text!r} is not a meeting — write it as {MEETING_FORMAT}", "meetings"))
        else:
            data.setdefault("meetings", []).append(meeting)
    if problems:
        return _report(problems)
    if args.ask or (not args.no_input and sys.stdin.isatty()):
        _ask_missing(kind, data, _Asker())
    data.setdefault("last_verified", dt.date.today())
    slug = slug or slug_for(str(data.get("name") or ""))
    if not slug:
        return _report([error("has no name to make a file name from — give --name, or --slug", "name")])
    try:
        path, problems, written = create_listing(kind, slug, data, args.directory)
    except ListingExists as exists:
        print(f"{exists}: already exists — edit that file instead, or choose another name with --slug", file=sys.stderr)
        return EXIT_INVALID
    for problem in problems:
        print(format_text(problem), file=sys.stderr)
    if not written:
        print(f"{path}: not written — fix the problems above and run the command again", file=sys.stderr)
        return EXIT_INVALID
    print(f"wrote {path}")
    return EXIT_OK


def _data_from_options(kind: Kind, args: argparse.Namespace) -> tuple[dict, str | None]:
    data: dict[str, Any] = {}
    slug = None
    for option in OPTIONS:
        value = getattr(args, option.dest)
        if value is None:
            continue
        if option.path == ("slug",):
            slug = value.strip()  # the file name; not repeated inside the file
            continue
        target = data
        for key in option.path[:-1]:
            target = target.setdefault(key, {})
        target[option.path[-1]] = read_value(option.field.type, value)
    return data, slug


def _report(problems: list[Problem]) -> int:
    for problem in problems:
        print(format_text(problem.located("<options>")), file=sys.stderr)
    return EXIT_INVALID


class _Asker:
    """Questions on standard output, answers from standard input; at the end
    of input every later question counts as left empty."""

    def __init__(self) -> None:
        self.closed = False

    def __call__(self, question: str) -> str:
        if self.closed:
            return ""
        try:
            return input(question).strip()
        except EOFError:
            self.closed = True
            print(file=sys.stderr)
            return ""

    def required(self, question: str) -> str:
        answer = self(question)
        while not answer and not self.closed:
            answer = self("  (needed) " + question.lstrip())
        return answer


def _ask_missing(kind: Kind, data: dict, ask: _Asker) -> None:
    print(f"New {kind.record.title.lower()}: answer each question; press Enter to leave an optional one out.")
    for spec in kind.record.fields:
        if spec.name in data or spec.name in ("slug", "last_verified", "closed"):  # a new listing is open
            continue
        if isinstance(spec.type, ListOf) and isinstance(spec.type.item, Record):
            data[spec.name] = _ask_meetings(ask)
        elif isinstance(spec.type, Record):
            wanted = spec.required or ask(f"Add {spec.name}? {spec.description} [y/N] ").lower().startswith("y")
            if wanted:
                data[spec.name] = _ask_record(spec.type, ask, spec.name + ".")
        else:
            answer = _ask_field(spec, ask)
            if answer:
                data[spec.name] = read_value(spec.type, answer)
        if data.get(spec.name) in ({}, []):
            del data[spec.name]


def _ask_field(spec: Field, ask: _Asker, prefix: str = "") -> str:
    question = f"{prefix}{spec.name} — {spec.description}" + (" (comma-separated)" if isinstance(spec.type, ListOf) else "") + "\n> "
    return ask.required(question) if spec.required else ask(question)


def _ask_record(record: Record, ask: _Asker, prefix: str) -> dict:
    values = {}
    for sub in record.fields:
        answer = _ask_field(sub, ask, prefix)
        if answer:
            values[sub.name] = read_value(sub.type, answer)
    return values


def _ask_meetings(ask: _Asker) -> list[dict]:
    meetings = []
    while not ask.closed:
        answer = ask(f"Meeting {len(meetings) + 1}: {MEETING_FORMAT} (Enter when done)\n> ")
        if not answer:
            if meetings or ask.closed:
                break
            continue
        meeting = parse_meeting(answer)
        if meeting is None:
            print(f"  {answer!r} is not a meeting — write it as {MEETING_FORMAT}")
        else:
            meetings.append(meeting)
    return meetings
