"""``recovery-directory geocode``: street-level coordinates for listings, found
online with geopy and stored in ``directory/geocache.yml``, which is committed.

Only a maintainer runs this, online; the build reads the cache and never
geocodes. Addresses already in the cache, and listings that give their own
latitude and longitude, are skipped. Each result is written to the cache as soon
as it arrives (atomically), so a crash or Ctrl-C loses nothing already found.

The geocoder is set in ``mkdocs.yml`` under ``extra: directory: geocoder:``
(Nominatim when not set); an API key is read from the environment variable
named by ``api_key_env``, never from the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import math
import os
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, TextIO

import yaml

from . import geocache
from .cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, command
from .gazetteer import Gazetteer, far_from_region, load_gazetteer
from .listing import Listing
from .problems import format_text

CONFIG_KEYS = ("name", "user_agent", "api_key_env", "api_key_argument", "timeout", "min_delay_seconds", "options")
_SECRET_WORDS = ("key", "secret", "password", "token")
# Consecutive timeouts after which the service is taken to be down for this run.
MAX_TIMEOUTS = 2


class ConfigError(Exception):
    """The geocoder settings cannot be used; the message says what to change."""


@dataclass(frozen=True)
class GeocoderConfig:
    name: str = "nominatim"
    user_agent: str | None = None
    api_key_env: str | None = None  # the environment variable holding the key
    api_key_argument: str = "api_key"  # what the geopy class calls it
    timeout: float = 10.0
    min_delay_seconds: float = 1.0  # Nominatim's usage policy: at most one request a second
    options: dict = field(default_factory=dict)  # more arguments for the geopy class, e.g. domain


# --- settings --------------------------------------------------------------
class _ConfigLoader(yaml.SafeLoader):
    """Safe loading of mkdocs.yml that reads tags such as !ENV or
    !!python/name as nothing instead of failing: only our section matters."""


def _no_value(loader, suffix, node):
    return None


_ConfigLoader.add_multi_constructor("!", _no_value)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _no_value)


def read_config(path: str) -> tuple[GeocoderConfig, str]:
    """``extra.directory.geocoder`` and ``repo_url`` from ``mkdocs.yml``;
    defaults when the file or the section is missing."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_ConfigLoader) or {}  # noqa: S506 - a safe loader
    except FileNotFoundError:
        return GeocoderConfig(), ""
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    extra = data.get("extra") if isinstance(data, dict) else None
    directory = extra.get("directory") if isinstance(extra, dict) else None
    raw = directory.get("geocoder") if isinstance(directory, dict) else None
    repo_url = str(data.get("repo_url") or "") if isinstance(data, dict) else ""
    if raw is None:
        return GeocoderConfig(), repo_url
    where = f"{path}: extra.directory.geocoder"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} must be a mapping, e.g. {{name: nominatim, user_agent: …}}")
    unknown = sorted(set(map(str, raw)) - set(CONFIG_KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {', '.join(unknown)} — known: {', '.join(CONFIG_KEYS)}")
    options = raw.get("options") or {}
    if not isinstance(options, dict):
        raise ConfigError(f"{where}.options must be a mapping of arguments for the geopy class")
    secret = next((k for k in options if any(word in str(k).lower() for word in _SECRET_WORDS)), None)
    if secret is not None:
        raise ConfigError(f"{where}.options.{secret}: secrets never go in the repository — "
                          f"put it in an environment variable and name that with api_key_env")
    try:
        return GeocoderConfig(
            name=str(raw.get("name") or "nominatim"),
            user_agent=raw.get("user_agent"),
            api_key_env=raw.get("api_key_env"),
            api_key_argument=str(raw.get("api_key_argument") or "api_key"),
            timeout=float(raw.get("timeout", 10.0)),
            min_delay_seconds=float(raw.get("min_delay_seconds", 1.0)),
            options=dict(options),
        ), repo_url
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: timeout and min_delay_seconds are numbers of seconds") from None


def make_geocoder(config: GeocoderConfig, repo_url: str = "", environ: dict | None = None):
    """The geopy geocoder the settings name (no request is made here)."""
    from geopy.exc import GeocoderNotFound
    from geopy.geocoders import get_geocoder_for_service

    try:
        cls = get_geocoder_for_service(config.name)
    except GeocoderNotFound:
        raise ConfigError(f"{config.name!r} is not a geopy geocoder — use e.g. nominatim, photon, opencage, googlev3") from None
    kwargs: dict[str, Any] = dict(config.options)
    if config.api_key_env:
        key = (os.environ if environ is None else environ).get(config.api_key_env)
        if not key:
            raise ConfigError(f"{config.name} needs an API key: set the environment variable {config.api_key_env}")
        kwargs[config.api_key_argument] = key
    accepted = inspect.signature(cls.__init__).parameters
    if "user_agent" in accepted:
        # Nominatim's usage policy asks every application to identify itself.
        kwargs.setdefault("user_agent", config.user_agent or _user_agent(repo_url))
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ConfigError(f"{config.name}: {exc} — check extra.directory.geocoder in mkdocs.yml") from None
    except Exception as exc:  # geopy's ConfigurationError and the like
        raise ConfigError(f"{config.name}: {exc}") from None


def _user_agent(repo_url: str) -> str:
    from . import __version__

    return f"recovery-directory/{__version__}" + (f" (+{repo_url})" if repo_url else "")


# --- what to geocode -------------------------------------------------------
@dataclass
class Job:
    key: str  # the normalised address, the cache's key
    query: str  # what the geocoder is asked
    listing: Listing  # the first listing at this address (its region is checked)

    @property
    def label(self) -> str:
        return f"{self.listing.source}: {self.query}"


def pending(listings: list[Listing], entries: dict[str, geocache.Entry]) -> list[Job]:
    """Addresses of in-person listings without coordinates of their own that
    the cache lacks, one job per address."""
    jobs: dict[str, Job] = {}
    for listing in listings:
        location = listing.location
        if location is None or location.has_coordinates:
            continue
        key = geocache.address_key(location)
        if key not in entries and key not in jobs:
            jobs[key] = Job(key, f"{location.one_line}, {location.country or 'US'}", listing)
    return list(jobs.values())


# --- geocoding -------------------------------------------------------------
@dataclass
class Outcome:
    stored: int = 0
    failed: list[str] = field(default_factory=list)
    not_tried: list[Job] = field(default_factory=list)
    stopped: str | None = None  # why the run stopped early


def geocode_jobs(jobs: list[Job], geocode: Callable[..., Any], entries: dict[str, geocache.Entry], root: str, *,
                 source: str, regions: dict, gazetteer: Gazetteer, timeout: float, out: TextIO,
                 today: dt.date | None = None) -> Outcome:
    """Ask ``geocode`` (geopy's interface) for each job; store each good result in
    the cache at once. Service-wide failures (no network, rate limit, bad key)
    stop the run: every later request would fail the same way."""
    from geopy.exc import GeocoderTimedOut, GeopyError

    today = today or dt.date.today()
    outcome = Outcome()
    timeouts = 0
    for index, job in enumerate(jobs, 1):
        prefix = f"[{index:>{len(str(len(jobs)))}}/{len(jobs)}] {job.label}"
        try:
            result = geocode(job.query, exactly_one=True, timeout=timeout)
        except GeopyError as exc:
            outcome.failed.append(job.key)
            timeouts = timeouts + 1 if isinstance(exc, GeocoderTimedOut) else 0
            stop = _stops_the_run(exc, timeouts)
            if stop is None:
                print(f"{prefix}: {_failure(exc, timeout)} — not stored", file=out, flush=True)
                continue
            outcome.stopped, detail = stop
            print(f"{prefix}: {detail} — not stored; stopping", file=out, flush=True)
            outcome.not_tried = jobs[index:]
            break
        timeouts = 0
        entry, reason = _entry(result, job, source, regions, gazetteer, today)
        if entry is None:
            outcome.failed.append(job.key)
            print(f"{prefix}: {reason} — not stored", file=out, flush=True)
            continue
        entries[job.key] = entry
        geocache.save(root, entries)
        outcome.stored += 1
        print(f"{prefix}: {entry.latitude:.5f}, {entry.longitude:.5f} ({entry.precision})", file=out, flush=True)
    return outcome


def _stops_the_run(exc: Exception, timeouts: int) -> tuple[str, str] | None:
    """For a failure of the whole service: why the run stops, and what to print
    for the address. None when only this address failed."""
    from geopy import exc as e

    if isinstance(exc, e.GeocoderRateLimited):
        after = f"; it asks to wait {exc.retry_after} s" if exc.retry_after else ""
        return "rate limited by the geocoder — run the command again later", f"rate limited{after}"
    if isinstance(exc, e.GeocoderQuotaExceeded):
        return "the geocoder's quota is used up — run the command again when it resets", _brief(exc)
    if isinstance(exc, (e.GeocoderAuthenticationFailure, e.GeocoderInsufficientPrivileges, e.ConfigurationError)):
        return "the geocoder refused the request — check the API key and its environment variable", _brief(exc)
    if isinstance(exc, e.GeocoderUnavailable):
        return "no network, or the geocoder is unavailable — try again when online", _brief(exc)
    if isinstance(exc, e.GeocoderTimedOut) and timeouts >= MAX_TIMEOUTS:
        return f"{timeouts} timeouts in a row — the geocoder is not answering; try again later", _failure(exc, 0)
    return None


def _failure(exc: Exception, timeout: float) -> str:
    from geopy.exc import GeocoderTimedOut

    if isinstance(exc, GeocoderTimedOut):
        return f"no answer within {timeout:g} s (timed out)" if timeout else "no answer (timed out)"
    return f"the geocoder failed ({_brief(exc)})"


def _entry(result: Any, job: Job, source: str, regions: dict, gazetteer: Gazetteer,
           today: dt.date) -> tuple[geocache.Entry | None, str]:
    """A cache entry from a geopy Location, or None and the reason it is unusable."""
    if result is None:
        return None, "no result — check the address, or add latitude and longitude to the listing"
    lat, lon = getattr(result, "latitude", None), getattr(result, "longitude", None)
    if not (_number(lat) and _number(lon) and -90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None, f"the geocoder's answer is not a usable position ({_show(result)})"
    match = " ".join(str(getattr(result, "address", "") or "").split())[:300] or None
    region = regions.get(job.listing.region)
    far = far_from_region(gazetteer, region, lat, lon) if region else None
    if far:
        return None, (f"rejected: the result {lat:.5f}, {lon:.5f} ({match or 'no address given'}) is {far}, "
                      f"the listing's region {job.listing.region} — check the address, or add latitude and longitude to the listing")
    return geocache.Entry(float(lat), float(lon), source, today, _precision(getattr(result, "raw", None)), match), ""


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _brief(exc: Exception) -> str:
    return f"{type(exc).__name__}: {_show(str(exc), 160)}"


def _show(value: Any, width: int = 80) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= width else text[:width - 1] + "…"


# Nominatim's addresstype (older servers: type) for results coarser than a
# street address; other geocoders' results count as street level.
_COARSE = {"postcode": "postal-code", "city": "city", "town": "city", "village": "city", "hamlet": "city",
           "municipality": "city", "county": "city", "state": "city", "suburb": "city", "neighbourhood": "city"}


def _precision(raw: Any) -> str:
    if not isinstance(raw, dict):
        return "street"
    return _COARSE.get(raw.get("addresstype") or raw.get("type"), "street")


# --- the command -----------------------------------------------------------
def _geocode_args(parser: argparse.ArgumentParser) -> None:
    parser.description = ("Find street-level coordinates online (geopy) for listings the cache lacks, "
                          "and store them in directory/geocache.yml. The build itself never goes online.")
    parser.add_argument("--dry-run", action="store_true", help="list the addresses that would be geocoded; ask nothing, write nothing")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="geocode at most N addresses this run")
    parser.add_argument("--config", default="mkdocs.yml", help="where the geocoder settings are (default: mkdocs.yml)")


@command("geocode", _geocode_args)
def run_geocode(args: argparse.Namespace) -> int:
    from geopy.extra.rate_limiter import RateLimiter

    from .validate import validate_directory

    try:
        config, repo_url = read_config(args.config)
        geocoder = make_geocoder(config, repo_url)
    except ConfigError as exc:
        print(f"geocode: {exc}", file=sys.stderr)
        return EXIT_USAGE
    entries, problems = geocache.load(args.directory)
    if problems:
        # Rewriting the file would drop the broken entries: refuse, touch nothing.
        for problem in problems:
            print(format_text(problem))
        print(f"geocode: fix {geocache.CACHE_FILE} first; nothing was geocoded", file=sys.stderr)
        return EXIT_INVALID
    directory = validate_directory(args.directory)
    if directory.vocabularies is None:
        for problem in directory.errors:
            print(format_text(problem))
        return EXIT_INVALID
    if directory.errors:
        print(f"geocode: {len(directory.errors)} problems in listings (see 'recovery-directory validate'); "
              "geocoding the valid listings only", file=sys.stderr)
    jobs = pending(directory.listings, entries)
    waiting = len(jobs)
    if args.limit is not None:
        jobs = jobs[:max(args.limit, 0)]
    if not jobs:
        print("geocode: every address is in the cache or has its own coordinates; nothing to do", file=sys.stderr)
        return EXIT_OK
    if args.dry_run:
        for job in jobs:
            print(f"would geocode {job.label}")
        print(f"geocode: {len(jobs)} of {waiting} addresses would be geocoded with {config.name}; nothing was asked or written",
              file=sys.stderr)
        return EXIT_OK
    estimate = f" (at least {len(jobs) * config.min_delay_seconds:.0f} s)" if config.min_delay_seconds else ""
    print(f"geocode: {len(jobs)} of {waiting} addresses with {config.name}{estimate}; Ctrl-C stops, keeping what was found",
          file=sys.stderr, flush=True)
    limited = RateLimiter(geocoder.geocode, min_delay_seconds=config.min_delay_seconds, max_retries=0, swallow_exceptions=False)
    started = time.perf_counter()
    outcome = Outcome()
    try:
        outcome = geocode_jobs(jobs, limited, entries, args.directory, source=config.name,
                               regions=directory.vocabularies.regions, gazetteer=load_gazetteer(),
                               timeout=config.timeout, out=sys.stdout)
    except KeyboardInterrupt:
        print(f"geocode: interrupted — every result found so far is saved in {geocache.cache_path(args.directory)}",
              file=sys.stderr)
        raise
    return _summary(outcome, args.directory, time.perf_counter() - started)


def _summary(outcome: Outcome, root: str, seconds: float) -> int:
    for job in outcome.not_tried:
        print(f"not tried: {job.label}")
    if outcome.stopped:
        print(f"geocode: stopped early: {outcome.stopped}", file=sys.stderr)
    print(f"geocode: {outcome.stored} stored in {geocache.cache_path(root)}, {len(outcome.failed)} failed, "
          f"{len(outcome.not_tried)} not tried, in {seconds:.1f} s", file=sys.stderr)
    return EXIT_INVALID if outcome.failed or outcome.not_tried else EXIT_OK
