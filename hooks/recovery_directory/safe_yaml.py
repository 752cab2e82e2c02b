"""Reading untrusted YAML: one file, safely, with positions for error messages.

Listing files come from pull requests, so everything here assumes the worst:
symbolic links (which could pull a file from the build machine into the site),
huge or binary files, invalid UTF-8, alias bombs, Python tags, duplicate keys.
Each of these becomes a :class:`Problem` with a line and a fix, never a hang or
a traceback.

The resolver is YAML 1.2-like on purpose: under YAML 1.1 an unquoted ``19:30``
is the number 1170, ``NO`` (Norway) is ``False`` and ``01234`` an octal number.

An ordinary listing is built straight from the C parser's events
(:func:`_fast_load`, about half the cost of PyYAML's node-by-node construction);
anything unusual goes through ``yaml.load`` with :class:`ListingLoader`, which
gives the same values and every message (tests/test_fast_yaml.py holds the two
to that).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import FieldPath, Problem, error

MAX_FILE_BYTES = 256 * 1024

try:  # the C parser is about 5x faster; the pure-Python one is the fallback
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _BaseLoader = yaml.SafeLoader

_IMPLICIT = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (
        "tag:yaml.org,2002:timestamp",
        r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}"
        r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
        r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$",
        "0123456789",
    ),
]


class ListingLoader(_BaseLoader):
    """Safe loader with a strict resolver and no duplicate keys."""

    yaml_implicit_resolvers: dict = {}

    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        seen: set = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "a field name must be plain text, not a list or a group of fields — "
                    "write it as 'name: value'", key_node.start_mark)
            key = key_node.value
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"the field {key!r} appears twice — keep one and delete the other",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node):  # type: ignore[override]
        # An impossible date (2026-13-01) stays text, so the field check can
        # report it at its own line instead of the whole file failing to load.
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


for _tag, _pattern, _first in _IMPLICIT:
    ListingLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
ListingLoader.add_constructor("tag:yaml.org,2002:map", ListingLoader.construct_mapping)
ListingLoader.add_constructor("tag:yaml.org,2002:timestamp", ListingLoader.construct_yaml_timestamp)


@dataclass
class Document:
    """One YAML file as read: its data, or the problems that stopped it."""

    file: str
    data: Any = None
    text: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def read_document(path: str, display: str | None = None) -> Document:
    """Read and parse one YAML file; never raises for bad content."""
    display = display or path
    raw, problem = _read_bytes(path)
    if problem:
        return Document(display, problems=[problem.located(display)])
    return parse_text(raw, display)


def parse_bytes(raw: bytes, display: str) -> Document:
    """Parse bytes already read (for tests and for text from elsewhere)."""
    if len(raw) > MAX_FILE_BYTES:
        return Document(display, problems=[_too_big(len(raw)).located(display)])
    return parse_text(raw, display)


def parse_text(raw: bytes, display: str) -> Document:
    text, problem = _decode(raw)
    if problem:
        return Document(display, problems=[problem.located(display, problem.line, problem.column)])
    try:
        return Document(display, data=_fast_load(text), text=text)
    except Exception:  # noqa: BLE001 - anything unusual: PyYAML's own construction decides, with its messages
        pass
    if ("&" in text or "*" in text) and _has_anchors(text):
        problem = _aliases_problem(text)
        return Document(display, text=text, problems=[problem.located(display, problem.line, problem.column)])
    try:
        data = yaml.load(text, Loader=ListingLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        return Document(display, text=text, problems=[_yaml_problem(exc, display)])
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        message = f"could not be read as YAML ({type(exc).__name__}) — simplify the file"
        return Document(display, text=text, problems=[error(message).located(display, 1, 1)])
    return Document(display, data=data, text=text)


class _Unusual(Exception):
    """Something the fast path leaves to PyYAML: a tag, an anchor, a repeated key …"""


# Deeper than any listing; deeper input goes the slow way, which reports it as before.
_FAST_MAX_DEPTH = 64
_RESOLVERS = ListingLoader.yaml_implicit_resolvers
_STUB = ListingLoader("")  # only its constructor methods are used, never its parser
_CONSTRUCT = {
    "tag:yaml.org,2002:null": lambda value: None,
    "tag:yaml.org,2002:bool": lambda value: yaml.constructor.SafeConstructor.bool_values[value.lower()],
    # Our int pattern has no sign-only, octal, hex, "_" or ":" forms, so int() is PyYAML's answer.
    "tag:yaml.org,2002:int": int,
    "tag:yaml.org,2002:float": lambda value: _STUB.construct_yaml_float(
        yaml.ScalarNode("tag:yaml.org,2002:float", value)),
    "tag:yaml.org,2002:timestamp": lambda value: _STUB.construct_yaml_timestamp(
        yaml.ScalarNode("tag:yaml.org,2002:timestamp", value)),
}


def _fast_load(text: str) -> Any:
    """What ``yaml.load(text, Loader=ListingLoader)`` gives for an ordinary listing,
    built straight from the C parser's events: no node tree, no per-node resolver
    and constructor calls. Raises for anything else (anchors, aliases, tags, a
    repeated or non-text key, several documents, a syntax error), and the caller
    then takes the slow path, so every message stays PyYAML's and ours."""
    loader = ListingLoader(text)
    try:
        get = loader.get_event
        get()  # the stream's start
        if type(get()) is _STREAM_END:
            return None  # an empty file, as yaml.load reads it
        data = _fast_value(get, get(), 0)
        get()  # the document's end
        if type(get()) is not _STREAM_END:
            raise _Unusual("another document follows")
        return data
    finally:
        loader.dispose()


_SCALAR, _ALIAS, _STREAM_END = yaml.ScalarEvent, yaml.AliasEvent, yaml.StreamEndEvent
_MAPPING_START, _MAPPING_END = yaml.MappingStartEvent, yaml.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.SequenceStartEvent, yaml.SequenceEndEvent


def _fast_value(get, event, depth: int) -> Any:
    # Scalars are handled inline below too: a listing is mostly scalars, and calls cost.
    kind = type(event)
    if kind is _ALIAS or event.anchor is not None or event.tag is not None:
        raise _Unusual("an alias, an anchor or a tag")
    if kind is _SCALAR:
        return _fast_scalar(event.value) if event.implicit[0] else event.value
    if depth > _FAST_MAX_DEPTH:
        raise _Unusual("deeply nested")
    if kind is _MAPPING_START:
        mapping: dict = {}
        seen: set = set()
        while True:
            key_event = get()
            key_kind = type(key_event)
            if key_kind is _MAPPING_END:
                return mapping
            if key_kind is not _SCALAR or key_event.anchor is not None or key_event.tag is not None:
                raise _Unusual("a key that is not plain text")
            raw = key_event.value
            if raw in seen:
                raise _Unusual("a repeated key")
            seen.add(raw)
            key = _fast_scalar(raw) if key_event.implicit[0] else raw
            event = get()
            if type(event) is _SCALAR and event.anchor is None and event.tag is None:
                mapping[key] = _fast_scalar(event.value) if event.implicit[0] else event.value
            else:
                mapping[key] = _fast_value(get, event, depth + 1)
    if kind is _SEQUENCE_START:
        items: list = []
        while True:
            event = get()
            item_kind = type(event)
            if item_kind is _SEQUENCE_END:
                return items
            if item_kind is _SCALAR and event.anchor is None and event.tag is None:
                items.append(_fast_scalar(event.value) if event.implicit[0] else event.value)
            else:
                items.append(_fast_value(get, event, depth + 1))
    raise _Unusual(f"an unexpected {kind.__name__}")  # pragma: no cover - the parser emits none other here


def _fast_scalar(value: str) -> Any:
    # ListingLoader's implicit resolvers, in their order, then PyYAML's constructor for the tag.
    resolvers = _RESOLVERS.get(value[:1])
    if resolvers:
        for tag, regexp in resolvers:
            if regexp.match(value):
                return _CONSTRUCT[tag](value)
    return value


def _read_bytes(path: str) -> tuple[bytes, Problem | None]:
    try:
        info = os.lstat(path)
    except OSError as exc:
        return b"", error(f"cannot be read ({exc.strerror})")
    if stat.S_ISLNK(info.st_mode):
        return b"", error(
            "is a symbolic link — files in the directory must be ordinary files; "
            "replace the link with the file itself"
        )
    if not stat.S_ISREG(info.st_mode):
        return b"", error("is not an ordinary file — remove it from the directory")
    if info.st_size > MAX_FILE_BYTES:
        return b"", _too_big(info.st_size)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return b"", error(f"cannot be read ({exc.strerror})")
    with os.fdopen(fd, "rb") as handle:
        # Asking for the size it has saves allocating the limit for every file;
        # a file that grew since lstat is read on, as far as the limit.
        want = info.st_size + 1
        raw = handle.read(want)
        if len(raw) == want:
            raw += handle.read(MAX_FILE_BYTES + 1 - want)
    if len(raw) > MAX_FILE_BYTES:
        return b"", _too_big(len(raw))
    return raw, None


def _too_big(size: int) -> Problem:
    return error(
        f"is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte ({MAX_FILE_BYTES // 1024} KiB) limit for one file — "
        "a listing is a few lines of text; check that the right file was added"
    )


def _decode(raw: bytes) -> tuple[str, Problem | None]:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return "", Problem(
            "is a binary file, not YAML text — save it as plain text (UTF-8)", line=line, column=1
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return "", Problem(
            f"is not valid UTF-8 text (byte 0x{raw[exc.start]:02x}) — "
            "save the file with UTF-8 encoding",
            line=line,
            column=column,
        )
    return text.removeprefix("\ufeff"), None


def _has_anchors(text: str) -> bool:
    try:
        for event in yaml.parse(text, Loader=ListingLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return True
    except yaml.YAMLError:
        return False  # the real load reports the syntax error with its position
    return False


def _aliases_problem(text: str) -> Problem:
    for event in yaml.parse(text, Loader=ListingLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            return Problem(
                "uses YAML anchors or aliases (&name / *name) — "
                "write each value out in full",
                line=mark.line + 1,
                column=mark.column + 1,
            )
    raise AssertionError("no anchor found")  # pragma: no cover


def _yaml_problem(exc: yaml.MarkedYAMLError, display: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    reason = exc.problem or "invalid YAML"
    if "could not determine a constructor" in reason or "python/" in reason:
        message = (
            "uses a YAML tag (such as !!python/object) that is not allowed — "
            "listings hold plain text, numbers, lists and fields only"
        )
    elif "appears twice" in reason or "field name must be" in reason:
        message = reason
    else:
        message = (
            f"is not valid YAML: {reason} — check the indentation, and put text "
            "that contains a colon or starts with a special character in quotes"
        )
    return error(message).located(display, line, column)


def position(text: str, path: FieldPath, at_key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the value at ``path``, or of the deepest
    ancestor that exists (the mapping a missing field belongs in)."""
    try:
        node = yaml.compose(text, Loader=ListingLoader)
    except yaml.YAMLError:
        return 1, 1
    if node is None:
        return 1, 1
    mark = node.start_mark
    for depth, part in enumerate(path):
        last = depth == len(path) - 1
        child_key, child = _child(node, part)
        if child is None:
            break
        mark = child_key.start_mark if (last and at_key and child_key is not None) else child.start_mark
        node = child
    return mark.line + 1, mark.column + 1


def _child(node: yaml.Node, part: str | int):
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key_node, value_node in node.value:
            if key_node.value == part:
                return key_node, value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            return None, node.value[part]
    return None, None
