"""The contributor page's field tables, generated from :mod:`schema` at build
time so that they never disagree with what validation accepts."""

from __future__ import annotations

import json
from typing import Iterator

from .fields import Field, ListOf, Phone, Record, Text, Time
from .schema import KINDS, Kind


def field_tables(heading: str = "###") -> str:
    """One Markdown table per kind of listing: field, required, description, example."""
    return "\n".join(_kind_table(kind, heading) for kind in KINDS)


def _kind_table(kind: Kind, heading: str) -> str:
    lines = [f"{heading} {kind.record.title}: `directory/{kind.folder}/`", "",
             "| Field | Required | What it holds | Example |", "| --- | --- | --- | --- |"]
    for path, spec, required in _rows(kind.record.fields):
        example = _example(spec)
        lines.append(f"| `{path}` | {required} | {_cell(spec.description)} | {f'`{_cell(example)}`' if example else ''} |")
    return "\n".join(lines) + "\n"


def _rows(fields: tuple[Field, ...], prefix: str = "", parent: str | None = None) -> Iterator[tuple[str, Field, str]]:
    # A field inside an optional record is required only when that record is there.
    for spec in fields:
        path = prefix + spec.name
        required = ("yes" if parent is None else f"if there is a `{parent}`") if spec.required else ""
        yield path, spec, required
        inner = spec.type.item if isinstance(spec.type, ListOf) else spec.type
        if isinstance(inner, Record):
            child_prefix = path + ("[]." if isinstance(spec.type, ListOf) else ".")
            child_parent = parent if spec.required else (parent or path)
            yield from _rows(inner.fields, child_prefix, child_parent)


def _example(spec: Field) -> str:
    if spec.example is None:
        return ""
    # Quoted as a listing must quote them: 19:30 and +1 217… are not text in YAML 1.1.
    quoted = isinstance(spec.type, (Time, Phone)) or (isinstance(spec.type, Text) and spec.type.accept_numbers)
    return json.dumps(str(spec.example)) if quoted else str(spec.example)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
