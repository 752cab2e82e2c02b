"""Listing files written by the tools (``new``, ``from-issue``, importers) the
way a person would write them: fields in the schema's order, a comment above
each field saying what it is, times and phone numbers in quotes.

Only :func:`listing_yaml` is public. It writes whatever it is given (unknown
fields too, after the known ones) so that validation, not the writer, decides
what is wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from typing import Any

import yaml

from .fields import Date, FieldType, ListOf, Phone, Record, Text, Time
from .safe_yaml import ListingLoader
from .schema import KIND_BY_KEY

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_COMMENT_WIDTH = 88


def listing_yaml(kind_key: str, data: dict) -> str:
    """The YAML text of one listing of kind ``kind_key`` (group, family-group,
    treatment-center). ``None`` values are left out."""
    try:
        kind = KIND_BY_KEY[kind_key]
    except KeyError:
        raise ValueError(f"unknown kind {kind_key!r} — use one of: {', '.join(KIND_BY_KEY)}") from None
    lines = [
        f"# yaml-language-server: $schema=../../docs/schema/{kind.key}.schema.json",
        f"# {kind.record.title}. Lines starting with # are notes for people; every field",
        "# is explained in docs/contributing.md.",
    ]
    for key, spec, value in _ordered(kind.record, data):
        if spec is not None:
            lines += textwrap.wrap(spec.description, _COMMENT_WIDTH, initial_indent="# ", subsequent_indent="# ")
        lines += _entry(key, spec.type if spec else None, value, 0)
    return "\n".join(lines) + "\n"


def _ordered(record: Record | None, data: dict) -> list[tuple[Any, Any, Any]]:
    # Known fields in the schema's order, then anything else as it came.
    known = [(f.name, f, data[f.name]) for f in (record.fields if record else ()) if data.get(f.name) is not None]
    names = {name for name, _, _ in known}
    return known + [(key, None, value) for key, value in data.items() if key not in names and value is not None]


def _entry(key: Any, ftype: FieldType | None, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    name = _scalar(key) if not isinstance(key, str) or not _plain_ok(key) else key
    if isinstance(value, dict) and value:
        record = ftype if isinstance(ftype, Record) else None
        lines = [f"{pad}{name}:"]
        for sub_key, spec, sub_value in _ordered(record, value):
            lines += _entry(sub_key, spec.type if spec else None, sub_value, indent + 2)
        return lines
    if isinstance(value, list) and value:
        item_type = ftype.item if isinstance(ftype, ListOf) else None
        if _needs_block(item_type, value):
            return [f"{pad}{name}:"] + _block_list(item_type, value, indent + 2)
        return [f"{pad}{name}: [{', '.join(_scalar(v, item_type) for v in value)}]"]
    if isinstance(value, str) and "\n" in value.strip() and _literal_ok(value):
        body = [f"{pad}  {line}" if line else "" for line in value.split("\n")]
        return [f"{pad}{name}: |-"] + body
    return [f"{pad}{name}: {_scalar(value, ftype)}"]


def _needs_block(item_type: FieldType | None, items: list) -> bool:
    return any(isinstance(v, (dict, list)) or (isinstance(v, str) and not _plain_ok(v, flow=True))
               for v in items) or isinstance(item_type, Record)


def _block_list(item_type: FieldType | None, items: list, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for item in items:
        if isinstance(item, dict) and item:
            record = item_type if isinstance(item_type, Record) else None
            inner: list[str] = []
            for key, spec, value in _ordered(record, item):
                inner += _entry(key, spec.type if spec else None, value, indent + 2)
            lines += [f"{pad}- {inner[0].lstrip()}"] + inner[1:]
        else:
            lines.append(f"{pad}- {_scalar(item, item_type)}")
    return lines


def _scalar(value: Any, ftype: FieldType | None = None) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (dict, list)):  # only empty ones reach here
        return "{}" if isinstance(value, dict) else "[]"
    text = str(value)
    if isinstance(ftype, Date) and _DATE.match(text):
        return text  # unquoted, so that it reads as a date
    if _always_quoted(ftype) or not _plain_ok(text):
        return _double_quoted(text)
    return text


def _double_quoted(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar; YAML also takes NEL and the
    # Unicode line separators as line breaks, so those are escaped as well.
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _always_quoted(ftype: FieldType | None) -> bool:
    # Values that look like numbers when someone edits them later: 19:30 (a
    # sexagesimal number in YAML 1.1), +12175550100, 02134.
    return isinstance(ftype, (Time, Phone)) or (isinstance(ftype, Text) and ftype.accept_numbers)


def _plain_ok(text: str, flow: bool = False) -> bool:
    """Whether ``text`` reads back as the same string when written unquoted,
    both by our loader and by a YAML 1.1 one (what other tools may use)."""
    if not text or text != text.strip() or "\n" in text or (flow and any(c in text for c in ",[]{}")):
        return False
    document = f"k: [{text}]" if flow else f"k: {text}"
    for loader in (ListingLoader, yaml.SafeLoader):
        try:
            data = yaml.load(document, Loader=loader)  # noqa: S506 - both are safe loaders
        except yaml.YAMLError:
            return False
        got = data.get("k") if isinstance(data, dict) else None
        if flow:
            got = got[0] if isinstance(got, list) and len(got) == 1 else None
        if got != text or not isinstance(got, str):
            return False
    return True


def _literal_ok(text: str) -> bool:
    # A literal block keeps the text exactly only when no line ends in spaces,
    # the first line has no leading space, and nothing needs escaping.
    lines = text.split("\n")
    return (not text.startswith((" ", "\t", "\n")) and not text.endswith("\n")
            and all(line == line.rstrip() for line in lines)
            and all(c == "\n" or c.isprintable() for c in text))
