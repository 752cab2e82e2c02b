"""``recovery-directory from-issue FILE``: the body of an "Add a meeting" issue
(GitHub's issue-form Markdown) → a listing file, validated, ready for a pull
request.

An issue form's body is a series of ``### Label`` sections, each holding the
answer, or ``_No response_`` when an optional field was left empty. People
write names where the listing holds codes ("Al-Anon", "Open, Discussion",
"Spanish"), so answers are matched to the vocabularies; what matches nothing
is kept as typed, and validation says what is wrong, on the issue's line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from dataclasses import dataclass, replace
from typing import Any

from .cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, command
from .new_command import ListingExists, create_listing, parse_meeting, parse_time, slug_for
from .problems import Problem, error, format_text
from .schema import KIND_BY_KEY
from .vocabularies import VocabularyError, Vocabularies, load_vocabularies

NO_RESPONSE = "_No response_"
FORM = ".github/ISSUE_TEMPLATE/add-meeting.yml"
MAX_BODY = 65536  # GitHub's own limit for an issue body


@dataclass(frozen=True)
class Section:
    """One field of the issue form: its id and label there, and where its
    answer goes in the listing (``None``: read specially)."""

    id: str
    label: str
    path: tuple[str | int, ...] | None
    required: bool = False


# The form's fields, in its order. tests/test_from_issue.py checks that FORM
# has exactly these ids and labels, so the two cannot drift apart.
SECTIONS = (
    Section("name", "Name", ("name",), required=True),
    Section("fellowship", "Fellowship", ("fellowship",), required=True),
    Section("region", "Region", ("region",), required=True),
    Section("day", "Day", ("meetings", 0, "day"), required=True),
    Section("time", "Start time", ("meetings", 0, "time"), required=True),
    Section("end_time", "End time", ("meetings", 0, "end_time")),
    Section("types", "Meeting types", ("meetings", 0, "types")),
    Section("more_meetings", "More meetings", None),
    Section("location_name", "Building", ("location", "name")),
    Section("address", "Street address", ("location", "address")),
    Section("city", "City or town", ("location", "city")),
    Section("state", "State", ("location", "state")),
    Section("postal_code", "ZIP or postal code", ("location", "postal_code")),
    Section("location_notes", "Finding the room", ("location", "notes")),
    Section("online_url", "Online meeting link", ("online", "url")),
    Section("online_phone", "Dial-in number", ("online", "phone")),
    Section("online_notes", "How to join online", ("online", "notes")),
    Section("languages", "Languages", ("languages",)),
    Section("website", "Group website", ("website",)),
    Section("email", "Group e-mail", ("email",)),
    Section("phone", "Group phone", ("phone",)),
    Section("notes", "Anything else", ("notes",)),
    Section("privacy", "Privacy", None, required=True),
)
_BY_LABEL = {s.label.lower(): s for s in SECTIONS}
_HEADING = re.compile(r"^###[ \t]+(.+?)[ \t]*#*[ \t]*$")
_TICKED = re.compile(r"^\s*[-*]\s*\[[xX]\]")
_FENCE = re.compile(r"^```[^\n]*\n(.*?)\n?```$", re.DOTALL)


@dataclass
class Answer:
    section: Section
    text: str | None  # None: _No response_
    line: int  # of the answer's first line in the issue body


class MalformedIssue(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def read_sections(body: str, display: str) -> dict[str, Answer]:
    """The answers of an issue-form body, by section id; raises
    :class:`MalformedIssue` with every problem when it is not one."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    heads = [(index, match.group(1)) for index, line in enumerate(lines) if (match := _HEADING.match(line))]
    known = [(index, label) for index, label in heads if label.lower() in _BY_LABEL]
    if not known:
        example = ", ".join(f"'### {s.label}'" for s in SECTIONS[:3])
        raise MalformedIssue([error(f"is not the body of an 'Add a meeting' issue — it has none of its sections ({example} …); "
                                    "copy the whole issue body, or open the issue with the 'Add a meeting' form").located(display, 1, 1)])
    answers: dict[str, Answer] = {}
    problems: list[Problem] = []
    # Only the form's own headings end a section: a "### …" line someone typed
    # into a text box stays part of the answer.
    for number, (index, label) in enumerate(known):
        section = _BY_LABEL[label.lower()]
        end = known[number + 1][0] if number + 1 < len(known) else len(lines)
        text = "\n".join(lines[index + 1:end]).strip()
        first = next((i for i in range(index + 1, end) if lines[i].strip()), index)
        if section.id in answers:
            problems.append(_at(f"appears twice (also on line {answers[section.id].line}) — keep one", section, display, first + 1))
            continue
        fenced = _FENCE.match(text)
        answers[section.id] = Answer(section, None if text in ("", NO_RESPONSE) else (fenced.group(1).strip() if fenced else text), first + 1)
    for section in SECTIONS:
        if section.required and section.id not in answers:
            problems.append(error(f"the section '### {section.label}' is missing — open the issue with the 'Add a meeting' form, "
                                  "or add the section with its answer").located(display))
    if problems:
        raise MalformedIssue(problems)
    return answers


def listing_from_answers(answers: dict[str, Answer], vocabularies: Vocabularies, display: str) -> tuple[dict, list[Problem]]:
    """The listing's fields, and the problems found in reading the answers."""
    data: dict[str, Any] = {}
    first: dict[str, Any] = {}  # the meeting asked for field by field
    more: list[dict] = []  # the "More meetings" lines
    problems: list[Problem] = []
    match = _Matcher(vocabularies)
    for answer in answers.values():
        section = answer.section
        if answer.text is None:
            if section.required:
                problems.append(_at("is required — answer it in the issue", section, display, answer.line))
        elif section.id == "privacy":
            if not _TICKED.search(answer.text):
                problems.append(_at("the box is not ticked — a listing shows only contacts the group agreed to publish; "
                                    "tick it once the details follow that rule", section, display, answer.line))
        elif section.id == "more_meetings":
            problems += _more_meetings(answer, more, match, display)
        elif section.path[0] == "meetings":
            first[section.path[-1]] = _value(section.id, answer.text, match)
        else:
            _put(data, section.path, _value(section.id, answer.text, match))
    meetings = ([first] if first else []) + more
    if meetings:
        data["meetings"] = meetings
    return data, problems


def _more_meetings(answer: Answer, meetings: list[dict], match: "_Matcher", display: str) -> list[Problem]:
    problems = []
    for offset, line in enumerate(answer.text.split("\n")):
        text = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", line).strip()
        if not text:
            continue
        meeting = parse_meeting(text, match.types)
        if meeting is None:
            problems.append(_at(f"{text!r} is not a meeting — write one meeting per line, e.g. 'Thursday 12:00-13:00 Open, Discussion'",
                                answer.section, display, answer.line + offset))
        else:
            meetings.append(meeting)
    return problems


def _value(section_id: str, text: str, match: "_Matcher") -> Any:
    text = " ".join(text.split()) if section_id not in ("notes", "location_notes", "online_notes") else text.strip()
    if section_id == "fellowship":
        return match.code("fellowships", text)
    if section_id == "region":
        return match.region(text)
    if section_id == "day":
        return text.lower()
    if section_id in ("time", "end_time"):
        return parse_time(text)
    if section_id == "types":
        return match.types(text)
    if section_id == "languages":
        return [match.language(part) for part in re.split(r"\s*[,;]\s*|\s+and\s+", text) if part]
    return text


def _put(data: dict, path: tuple, value: Any) -> None:
    target = data
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value


def _at(message: str, section: Section, display: str, line: int) -> Problem:
    return Problem(message, (section.label,), file=display, line=line, column=1)


class _Matcher:
    """Names people type → the codes listings hold; unknown text as typed."""

    def __init__(self, vocabularies: Vocabularies):
        self.vocabularies = vocabularies
        self.names: dict[str, dict[str, str]] = {}
        for key, vocab in vocabularies.terms.items():
            table = self.names.setdefault(key, {})
            for term in vocab:
                for name in [term.code, term.extra.get("short"), *term.names.values()]:
                    if isinstance(name, str):
                        table.setdefault(name.lower(), term.code)
        self.regions = {r.slug: r.slug for r in vocabularies.regions.values()}
        for region in vocabularies.regions.values():
            self.regions.setdefault(region.name.lower(), region.slug)

    def code(self, key: str, text: str) -> str:
        table = self.names[key]
        for candidate in (text, *re.findall(r"\(([^)]+)\)", text), re.sub(r"\s*\([^)]*\)", "", text)):
            if candidate in self.vocabularies.terms[key]:
                return candidate
            if candidate.lower() in table:
                return table[candidate.lower()]
        return text

    def types(self, text: str) -> list[str]:
        return [self.code("meeting-types", part) for part in re.split(r"\s*[,;]\s*", text.strip()) if part]

    def region(self, text: str) -> str:
        return self.regions.get(text.lower()) or self.regions.get(re.split(r"\s*,\s*", text)[0].lower()) or text

    def language(self, text: str) -> str:
        lowered = text.lower()
        if re.fullmatch(r"[a-z]{2,3}", lowered):
            return lowered
        return _LANGUAGES.get(lowered, text)


def _language_codes() -> dict[str, str]:
    from babel import Locale

    english = Locale.parse("en").languages
    return {name.lower(): code for code, name in english.items() if re.fullmatch(r"[a-z]{2,3}", code)}


_LANGUAGES = _language_codes()


# --- the command ---------------------------------------------------------------


def _from_issue_args(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Turn the body of an 'Add a meeting' issue (GitHub's issue-form Markdown) into a listing "
        "file in directory/groups/ or directory/family-groups/ (by the fellowship). The file is "
        "written only if it is valid: otherwise nothing is written, every problem is listed with "
        "the issue's line and section, and the exit status is 1. An existing file is never "
        "overwritten. last_verified is set to today.")
    parser.add_argument("file", metavar="FILE", help="the issue body, saved to a file; - reads standard input")
    parser.add_argument("--slug", help="the file name without .yml (default: made from the group's name)")


@command("from-issue", _from_issue_args)
def run_from_issue(args: argparse.Namespace) -> int:
    display = "<stdin>" if args.file == "-" else os.path.relpath(args.file)
    try:
        body = sys.stdin.read(MAX_BODY + 1) if args.file == "-" else _read(args.file)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{display}: cannot be read ({exc.__class__.__name__}: {exc})", file=sys.stderr)
        return EXIT_USAGE
    if len(body) > MAX_BODY:
        return _report([error(f"is longer than an issue body can be ({MAX_BODY} characters) — is it the right file?").located(display)])
    try:
        vocabularies = load_vocabularies(args.directory)
        answers = read_sections(body, display)
    except (VocabularyError, MalformedIssue) as exc:
        return _report(exc.problems)
    data, problems = listing_from_answers(answers, vocabularies, display)
    data["last_verified"] = dt.date.today()
    kind = _kind_of(data, vocabularies)
    try:
        # With problems in the answers, still validate (without writing) so
        # that every problem is reported at once.
        path, found, written = create_listing(kind, args.slug or slug_for(data.get("name", "")), data,
                                              args.directory, check_only=bool(problems))
    except ListingExists as exists:
        print(f"{exists}: already exists — if it is the same group, update that file instead; "
              "if not, give another file name with --slug", file=sys.stderr)
        return EXIT_INVALID
    problems = sorted(problems + [_on_issue(p, path, answers, display) for p in found], key=_by_line)
    if not written:
        return _report(problems, f"{path}: not written — fix the issue (or the file) and run the command again")
    for problem in problems:
        print(format_text(problem), file=sys.stderr)
    print(path)
    return EXIT_OK


def _by_line(problem: Problem) -> tuple:
    return (problem.file, problem.line or 10**9, problem.message)


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read(MAX_BODY + 1)


def _kind_of(data: dict, vocabularies: Vocabularies):
    fellowship = vocabularies.terms["fellowships"].terms.get(data.get("fellowship", ""))
    family = fellowship is not None and fellowship.extra.get("kind") == "family"
    return KIND_BY_KEY["family-group" if family else "group"]


def _on_issue(problem: Problem, path: str, answers: dict[str, Answer], display: str) -> Problem:
    """A problem of the would-be listing, shown on the issue's section that
    holds the field, when there is one."""
    if problem.file != path:
        return problem
    field = problem.path
    if field[:1] == ("meetings",) and len(field) > 1 and isinstance(field[1], int) and field[1] > 0:
        section = next(s for s in SECTIONS if s.id == "more_meetings")
    else:
        candidates = [s for s in SECTIONS if s.path and field[:len(s.path)] == s.path]
        section = max(candidates, key=lambda s: len(s.path), default=None)
    answer = answers.get(section.id) if section else None
    if answer is None:
        return replace(problem, file=display, line=0, column=0)
    return replace(problem, path=(section.label,), file=display, line=answer.line, column=1)


def _report(problems: list[Problem], closing: str | None = None) -> int:
    for problem in problems:
        print(format_text(problem), file=sys.stderr)
    if closing:
        print(closing, file=sys.stderr)
    return EXIT_INVALID

