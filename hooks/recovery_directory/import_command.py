"""``recovery-directory import meeting-guide FEED --region SLUG``: listings from a
Meeting Guide feed (a JSON file, or a URL when online).

One listing file per group, never over an existing one: a listing whose slug is
already taken is reported ("exists — not overwritten") and left alone. Rows the
directory cannot hold are reported with their reason and the rest import. The
files written are then validated like any pull request; exit 1 if they have
problems, 0 otherwise (skipped rows and conflicts are warnings).
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.error
import urllib.request

from .atomic import write_text_atomic
from .cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, command, load_vocabularies_or_report
from .fields import suggest
from .feeds.meeting_guide_import import FeedError, FeedImport, import_feed, parse_feed
from .problems import format_text, warning
from .validate import LISTING_SUFFIXES, listing_files, validate_paths

MAX_FEED_BYTES = 64 * 1024 * 1024
DOWNLOAD_TIMEOUT = 60
DEFAULT_FELLOWSHIP = "aa"  # the Meeting Guide format comes from AA's meeting finders


def _import_args(parser: argparse.ArgumentParser) -> None:
    parser.description = "Create listings from another site's data."
    formats = parser.add_subparsers(dest="format", metavar="FORMAT", required=True)
    feed = formats.add_parser("meeting-guide", help="a Meeting Guide JSON feed (Code for Recovery's spec)",
                              description="Create one listing per group from a Meeting Guide feed; existing listings are never overwritten.")
    feed.add_argument("feed", metavar="FILE_OR_URL", help="the feed: a JSON file, or an https:// address (needs a connection)")
    feed.add_argument("--region", required=True, metavar="SLUG",
                      help="region from directory/regions.yml; rows whose region or city names a region inside it go there")
    feed.add_argument("--fellowship", default=DEFAULT_FELLOWSHIP, metavar="CODE",
                      help=f"fellowship from directory/fellowships.yml for rows that name none (default: {DEFAULT_FELLOWSHIP})")
    feed.add_argument("--dry-run", action="store_true", help="report what would be written, write nothing")
    # Also accepted after the format's name; SUPPRESS keeps the value given before it.
    feed.add_argument("--directory", default=argparse.SUPPRESS, help="the listings folder (default: directory)")


@command("import", _import_args)
def run_import(args: argparse.Namespace) -> int:
    vocabularies = load_vocabularies_or_report(args.directory)
    if vocabularies is None:
        return EXIT_INVALID
    for option, value, vocabulary in (("--region", args.region, vocabularies.regions),
                                      ("--fellowship", args.fellowship, vocabularies.terms["fellowships"].terms)):
        if value not in vocabulary:
            hint = suggest(value, vocabulary) or f"see {args.directory}/{'regions' if option == '--region' else 'fellowships'}.yml"
            print(f"recovery-directory import: {option} {value!r} is not known — {hint}", file=sys.stderr)
            return EXIT_USAGE
    try:
        raw, display = read_feed(args.feed)
        rows = parse_feed(raw)
    except FileNotFoundError:
        print(f"recovery-directory import: {args.feed}: no such file", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, FeedError) as exc:
        print(f"{args.feed}: {exc}", file=sys.stderr)
        return EXIT_INVALID
    result = import_feed(rows, vocabularies, args.region, args.fellowship, display)
    for problem in result.problems:
        print(format_text(problem))
    written, conflicts = write_listings(result, args.directory, display, args.dry_run)
    imported = {row for listing in written for row in listing.rows}
    summary = (f"{'Would import' if args.dry_run else 'Imported'} {_meetings_in(written)} meetings into "
               f"{len(written)} listings; {len(conflicts)} listings exist — not overwritten; "
               f"{result.rows - len(imported)} of {result.rows} feed entries not imported.")
    if args.dry_run or not written:
        print(summary, file=sys.stderr)
        return EXIT_OK
    check = validate_paths([listing.path(args.directory) for listing in written], args.directory)
    for problem in check.problems:
        print(format_text(problem))
    print(summary, file=sys.stderr)
    return EXIT_OK if check.ok else EXIT_INVALID


def read_feed(location: str) -> tuple[bytes, str]:
    """The feed's bytes and the name to report it by."""
    if location.startswith(("https://", "http://")):
        request = urllib.request.Request(location, headers={"User-Agent": "recovery-directory import", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:  # noqa: S310 - http(s) only
                raw = response.read(MAX_FEED_BYTES + 1)
        except (urllib.error.URLError, TimeoutError) as exc:
            why = f"HTTP {exc.code} {exc.reason}" if isinstance(exc, urllib.error.HTTPError) else getattr(exc, "reason", exc)
            raise OSError(f"could not be downloaded ({why}) — check the address and the connection, "
                          "or download the file and pass its path") from None
        display = location
    else:
        with open(location, "rb") as handle:
            raw = handle.read(MAX_FEED_BYTES + 1)
        display = os.path.relpath(location)
    if len(raw) > MAX_FEED_BYTES:
        raise OSError(f"is over {MAX_FEED_BYTES // (1024 * 1024)} MiB — is it a Meeting Guide feed?")
    return raw, display


def write_listings(result: FeedImport, root: str, source: str, dry_run: bool = False):
    """Write each new listing; return (written, conflicts). A slug that any
    listing already has, in any folder, is a conflict: slugs are unique."""
    taken = {os.path.basename(path).rsplit(".", 1)[0]: path for path, _ in listing_files(root)
             if path.endswith(LISTING_SUFFIXES)}
    written, conflicts = [], []
    for listing in result.listings:
        existing = taken.get(listing.slug)
        if existing:
            rows = ", ".join(f"[{row}]" for row in listing.rows)
            print(format_text(warning(f"exists — not overwritten; {listing.data['name']!r} from {source} {rows} was not imported").located(os.path.relpath(existing))))
            conflicts.append(listing)
            continue
        path = listing.path(root)
        if not dry_run:
            write_text_atomic(path, listing.text(source))
        print(f"{'would write' if dry_run else 'wrote'} {os.path.relpath(path)}")
        written.append(listing)
    return written, conflicts


def _meetings_in(listings) -> int:
    return sum(len(listing.data["meetings"]) for listing in listings)
