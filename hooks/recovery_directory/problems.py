"""Problems found in the directory: what, where, and how to fix it.

A problem is found on plain data with a *field path* (``("meetings", 1, "time")``);
its line and column are filled in afterwards from the YAML node tree, only for the
files that have problems, so a clean directory never pays for positions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Iterable, Sequence

FieldPath = tuple[str | int, ...]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one file, with the fix in its message."""

    message: str
    path: FieldPath = ()
    file: str = ""
    line: int = 0
    column: int = 0
    severity: Severity = Severity.ERROR
    # Problems about a mapping key (unknown or misspelt fields) point at the key,
    # all others at the value.
    at_key: bool = False

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def located(self, file: str, line: int = 0, column: int = 0) -> "Problem":
        return replace(self, file=file, line=line, column=column)

    @property
    def field(self) -> str:
        return format_path(self.path)

    def __str__(self) -> str:
        return format_text(self)


def error(message: str, *path: str | int, at_key: bool = False) -> Problem:
    return Problem(message, tuple(path), at_key=at_key)


def warning(message: str, *path: str | int, at_key: bool = False) -> Problem:
    return Problem(message, tuple(path), severity=Severity.WARNING, at_key=at_key)


def under(prefix: Sequence[str | int], problems: Iterable[Problem]) -> list[Problem]:
    """Re-root problems found on a sub-value at ``prefix``."""
    prefix = tuple(prefix)
    return [replace(p, path=prefix + p.path) for p in problems]


def format_path(path: FieldPath) -> str:
    """``("meetings", 1, "time")`` → ``meetings[1].time``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def format_text(problem: Problem) -> str:
    where = problem.file or "<input>"
    if problem.line:
        where += f":{problem.line}:{problem.column or 1}"
    field = f" {problem.field}:" if problem.path else ""
    label = "" if problem.is_error else " warning:"
    return f"{where}:{label}{field} {problem.message}"


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command, shown as an annotation on the line."""
    command = "error" if problem.is_error else "warning"
    props = [f"file={_escape_property(problem.file)}"]
    if problem.line:
        props += [f"line={problem.line}", f"col={problem.column or 1}"]
    if problem.path:
        props.append(f"title={_escape_property(problem.field)}")
    return f"::{command} {','.join(props)}::{_escape_data(problem.message)}"


def _escape_data(text: str) -> str:
    # The escapes GitHub's runner decodes in a workflow command's message.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.line, problem.column, problem.field, problem.message)
