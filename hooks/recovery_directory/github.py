"""What a GitHub Actions run shows: the job summary of a validation."""

from __future__ import annotations

import os

from .problems import Problem


def step_summary(problems: list[Problem], files_checked: int) -> str:
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    if not problems:
        from .cli import plural

        return f"### ✅ {plural(files_checked, 'listing file')} checked: all valid\n"
    from .cli import plural

    counts = f"{plural(len(errors), 'error')}, {plural(len(warnings), 'warning')} in {plural(files_checked, 'listing file')}"
    lines = [f"### {'❌' if errors else '⚠️'} {counts}", "",
             "| File | Line | Field | Problem |", "| --- | --- | --- | --- |"]
    for problem in problems[:200]:
        cells = [problem.file, str(problem.line or ""), problem.field, problem.message]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if len(problems) > 200:
        lines.append(f"\n…and {len(problems) - 200} more; the log has them all.")
    return "\n".join(lines) + "\n"


def write_step_summary(result) -> None:
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(step_summary(result.problems, result.files_checked))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
