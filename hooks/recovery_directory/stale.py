"""``recovery-directory stale``: listings nobody has checked for a while, by
region, for the people who re-verify them. A scheduled workflow posts the
Markdown form to one issue each month (.github/workflows/stale.yml).

Prints nothing on standard output when nothing is stale, so that a script can
test for an empty report; the one-line summary goes to standard error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass

from .cli import EXIT_INVALID, EXIT_OK, command
from .listing import Listing
from .problems import format_text
from .validate import validate_directory
from .vocabularies import Region, Vocabularies

MAX_MARKDOWN_ROWS = 300  # an issue body holds at most 65,536 characters


def is_stale(verified: dt.date | None, days: int, today: dt.date) -> bool:
    """Never verified, or verified more than ``days`` days before ``today``."""
    return verified is None or (today - verified).days > days


@dataclass(frozen=True)
class StaleListing:
    listing: Listing
    age: int | None  # days since last_verified; None: never verified

    @property
    def when(self) -> str:
        verified = self.listing.last_verified
        return f"{verified.isoformat()} ({self.age} days ago)" if verified else "never"


def stale_by_region(vocabularies: Vocabularies, listings: list[Listing], days: int,
                    today: dt.date) -> list[tuple[Region, list[StaleListing]]]:
    """Stale listings under their region, regions in the order of regions.yml,
    the longest unchecked first within each."""
    found: dict[str, list[StaleListing]] = {}
    for listing in listings:
        if is_stale(listing.last_verified, days, today):
            age = (today - listing.last_verified).days if listing.last_verified else None
            found.setdefault(listing.region, []).append(StaleListing(listing, age))
    order = {slug: index for index, slug in enumerate(vocabularies.regions)}
    return [(vocabularies.regions[slug], sorted(found[slug], key=_oldest_first))
            for slug in sorted(found, key=order.__getitem__)]


def _oldest_first(item: StaleListing) -> tuple:
    return (item.age is not None, -(item.age or 0), item.listing.name.lower())


def region_title(region: Region) -> str:
    return " › ".join(r.name for r in region.lineage)


def format_text_report(groups: list[tuple[Region, list[StaleListing]]]) -> str:
    lines: list[str] = []
    for region, items in groups:
        name_width = max(len(item.listing.name) for item in items)
        when_width = max(len(item.when) for item in items)
        lines.append(region_title(region))
        lines += [f"  {item.listing.name:<{name_width}}  {item.when:<{when_width}}  {item.listing.source}" for item in items]
        lines.append("")
    return "\n".join(lines)


def format_markdown_report(groups: list[tuple[Region, list[StaleListing]]], days: int, today: dt.date) -> str:
    total = sum(len(items) for _, items in groups)
    lines = [
        f"{total} listings were last verified more than {days} days ago, or never (as of {today.isoformat()}).",
        "",
        "To re-verify one: check the details with the group (its own website, e-mail or phone, or "
        "by going to the meeting), fix anything that changed, and set `last_verified` to the date "
        "you checked. A group that has closed for good is removed by deleting its file.",
    ]
    shown = 0
    for region, items in groups:
        if shown >= MAX_MARKDOWN_ROWS:
            break
        lines += ["", f"### {_cell(region_title(region))}", "", "| Listing | File | Last verified |", "| --- | --- | --- |"]
        for item in items[:MAX_MARKDOWN_ROWS - shown]:
            lines.append(f"| {_cell(item.listing.name)} | `{_cell(item.listing.source)}` | {item.when} |")
        shown += min(len(items), MAX_MARKDOWN_ROWS - shown)
    if total > shown:
        lines += ["", f"…and {total - shown} more; run `recovery-directory stale --days {days}` for them all."]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("`", "'").replace("\n", " ")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _stale_args(parser: argparse.ArgumentParser) -> None:
    parser.description = ("List the listings whose last_verified is older than --days, or missing, grouped by "
                          "region. Prints nothing when none is; exit status 1 only if the directory has errors.")
    parser.add_argument("--days", type=_positive, default=365, help="how old a check may be (default: 365)")
    parser.add_argument("--format", choices=("text", "markdown"), default="text",
                        help="markdown prints a table per region, for an issue")


@command("stale", _stale_args)
def run_stale(args: argparse.Namespace) -> int:
    result = validate_directory(args.directory)
    for problem in result.errors:
        print(format_text(problem), file=sys.stderr)
    if result.vocabularies is None:
        return EXIT_INVALID
    today = dt.date.today()
    groups = stale_by_region(result.vocabularies, result.listings, args.days, today)
    total = sum(len(items) for _, items in groups)
    if groups:
        report = format_markdown_report(groups, args.days, today) if args.format == "markdown" else format_text_report(groups)
        sys.stdout.write(report)
    skipped = f"; {len(result.errors)} errors kept some files out — run 'recovery-directory validate'" if result.errors else ""
    print(f"{total} of {len(result.listings)} listings not verified in the last {args.days} days{skipped}.", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_INVALID
