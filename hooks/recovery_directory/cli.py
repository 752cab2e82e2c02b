"""``recovery-directory``: the command line. Exit 0 when all is well, 1 when a
listing is invalid (or a command failed on its data), 2 for usage errors."""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Callable, Sequence

from .problems import format_github, format_text

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def command(name: str, setup: Callable[[argparse.ArgumentParser], None]):
    """Register a sub-command: ``setup`` adds its arguments, the function runs it."""

    def register(run: Callable[[argparse.Namespace], int]):
        COMMANDS[name] = (setup, run)
        return run

    return register


def _validate_args(parser: argparse.ArgumentParser) -> None:
    parser.description = "Check listing files and report every problem with file, line, field and fix."
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check (default: all of the directory)")
    parser.add_argument("--format", choices=("text", "github"), default="text", help="github prints workflow annotations")
    parser.add_argument("--quiet", action="store_true", help="print problems only, no summary")


@command("validate", _validate_args)
def run_validate(args: argparse.Namespace) -> int:
    from .validate import validate_directory, validate_paths

    started = time.perf_counter()
    result = validate_paths(args.paths, args.directory) if args.paths else validate_directory(args.directory)
    formatter = format_github if args.format == "github" else format_text
    for problem in result.problems:
        print(formatter(problem))
    summary = (f"Checked {plural(result.files_checked, 'listing file')} in {time.perf_counter() - started:.2f} s: "
               f"{plural(len(result.errors), 'error')}, {plural(len(result.warnings), 'warning')}.")
    if not args.quiet:
        print(summary, file=sys.stderr)
    if args.format == "github":
        from .github import write_step_summary

        write_step_summary(result)
    return EXIT_OK if result.ok else EXIT_INVALID


def load_vocabularies_or_report(directory: str):
    """The vocabularies, or None after printing every problem in them."""
    from .vocabularies import VocabularyError, load_vocabularies

    try:
        return load_vocabularies(directory)
    except VocabularyError as exc:
        for problem in exc.problems:
            print(format_text(problem))
        return None


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _schema_args(parser: argparse.ArgumentParser) -> None:
    parser.description = "Write the JSON Schema files that editors use to autocomplete listings."
    parser.add_argument("--output", default=os.path.join("docs", "schema"), help="folder for the .schema.json files")
    parser.add_argument("--check", action="store_true", help="exit 1 if the files on disk are out of date, write nothing")


@command("schema", _schema_args)
def run_schema(args: argparse.Namespace) -> int:
    from .jsonschema import schema_files

    if load_vocabularies_or_report(args.directory) is None:
        return EXIT_INVALID
    files = schema_files(args.directory)
    stale = []
    for name, text in files.items():
        path = os.path.join(args.output, name)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current == text:
            continue
        stale.append(path)
        if not args.check:
            from .atomic import write_text_atomic

            write_text_atomic(path, text)
            print(f"wrote {path}")
    if args.check and stale:
        for path in stale:
            print(f"{path}: out of date — run 'recovery-directory schema' and commit the result")
        return EXIT_INVALID
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="recovery-directory", description="Build and keep a recovery resource directory.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--directory", default="directory", help="the listings folder (default: directory)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (setup, _) in COMMANDS.items():
        setup(sub.add_parser(name, parents=[common]))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from . import commands  # noqa: F401 - registers the other sub-commands

    parser = build_parser()
    args = parser.parse_args(argv)
    if not os.path.isdir(args.directory):
        parser.error(f"no directory at {args.directory!r} — run from the repository's top folder, or pass --directory")
    try:
        return COMMANDS[args.command][1](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
