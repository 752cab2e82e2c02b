"""Turning data into HTML: the Jinja environment for ``overrides/directory/``.

Autoescaping is always on here (MkDocs' own theme environment has it off), so
every value from a listing is escaped wherever a template puts it. Links from
listings pass through :func:`safe_url` as well, whatever validation said.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from functools import lru_cache
from typing import Any, Mapping
from urllib.parse import quote, urlsplit

import jinja2
import yaml
from babel import Locale
from babel.dates import format_date, format_time, get_day_names, get_timezone_name
from babel.lists import format_list
from babel.numbers import format_decimal
from markupsafe import Markup
from mkdocs.utils import get_relative_url

from .conference import conference_service
from .contributions import contributions
from .page_lines import (NearbyLines, code_names, meeting_days, meeting_types, print_days, region_groups,
                         schedule_days)
from .qr import qr_matrix, qr_svg_markup

TRANSLATIONS = os.path.join(os.path.dirname(__file__), "translations")
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
KM_PER_MILE = 1.609344


class MissingTranslation(AttributeError):
    pass


class Catalogue:
    """The interface strings of one language: ``t.key`` or ``t('key', name=…)``."""

    def __init__(self, language: str, strings: Mapping[str, str]):
        self.language = language
        self.strings = dict(strings)
        self.locale = Locale.parse(language)

    def __getattr__(self, key: str) -> str:
        try:
            return self.__dict__["strings"][key]
        except KeyError:
            raise MissingTranslation(f"no {key!r} in translations/{self.language}.yml") from None

    def __call__(self, key: str, **params: Any) -> str:
        return getattr(self, key).format(**params)

    def starting_with(self, *prefixes: str) -> dict[str, str]:
        """The strings whose keys start with one of ``prefixes``: what a page's script needs."""
        return {key: text for key, text in self.strings.items() if key.startswith(prefixes)}

    def count(self, key: str, count: int) -> str:
        form = _plural_form(self.locale, count)
        text = self.strings.get(f"{key}_{form}") or getattr(self, f"{key}_other")
        return text.format(count=count)


@lru_cache(maxsize=4096)
def _plural_form(locale: Locale, count: int) -> str:
    """CLDR's plural rule for ``count``: Babel evaluates it anew each time (slow
    enough to show in a large build), and pages count the same small numbers."""
    return locale.plural_form(count)


@lru_cache(maxsize=None)
def catalogue(language: str) -> Catalogue:
    path = os.path.join(TRANSLATIONS, f"{language}.yml")
    with open(path, encoding="utf-8") as handle:
        strings = yaml.load(handle, Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader)
    return Catalogue(language, strings)


def available_languages() -> list[str]:
    return sorted(name[:-4] for name in os.listdir(TRANSLATIONS) if name.endswith(".yml"))


def safe_url(url: str | None) -> str:
    """The URL if its scheme is one we allow, else a harmless ``#``."""
    if not url:
        return "#"
    text = url.strip()
    scheme, colon, _ = text.partition(":")
    if colon and scheme.isascii() and scheme.lower() in SAFE_SCHEMES:  # letters only: urlsplit finds it too
        return text  # as _safe_url would, without its cache, which a listing's own links would only fill
    return _safe_url(url)


@lru_cache(maxsize=8192, typed=True)  # typed: markup and a plain string of the same text differ
def _safe_url(url: str) -> str:
    """safe_url of a non-empty URL, kept: the site's entity and a listing's
    links recur on its page and its print pages (urlsplit ~3 µs)."""
    text = url.strip()
    scheme = urlsplit(text).scheme.lower()
    if scheme in SAFE_SCHEMES:
        return text
    return "#"


def pagefind_filter(value: Any) -> str:
    """A search filter's value, for ``data-value`` (autoescaping adds the outer escape).

    Pagefind 1.5 decodes entities in filter values once more than a browser
    does, and its default UI writes them into the filter list with innerHTML.
    So ``<``, ``>`` and an ``&`` that starts an entity stay escaped to the end
    (a name never becomes markup there), and so does ``"``, which Pagefind
    cannot match in a filter; ordinary values, ``&`` and ``'`` included, reach
    Pagefind's API as written.
    """
    return html.escape(pagefind_value(value), quote=True)


def pagefind_value(value: Any) -> str:
    """A filter value as Pagefind keeps it (and as its API matches it) once
    ``pagefind_filter`` has written it into a page: the value as written, with
    ``<``, ``>``, ``"`` and an ``&`` that starts an entity still escaped."""
    text = value.unescape() if isinstance(value, Markup) else str(value)  # a macro's output is markup already
    return _pagefind_filter_text(text)


@lru_cache(maxsize=4096)
def _pagefind_filter_text(text: str) -> str:
    """pagefind_value of plain text; kept, as a listing page's filters are a
    kind, its regions, types and days: the same few values page after page."""
    text = re.sub(r"&(?=#?[0-9A-Za-z]+;)", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def search_region(region) -> list[list[str]]:
    """A listing's region for the search index (``data-rd-region``): each region
    of its lineage, outermost first, as ``[slug, region filter value]``;
    search_index.py splits the index along it and the search page filters with it."""
    return [[r.slug, pagefind_value(r.name)] for r in region.lineage]


def tel_url(phone: str | None) -> str:
    """``tel:`` link keeping the one-tap pauses (``,``) and ``#`` of a dial-in."""
    if not phone:
        return "#"
    digits = re.sub(r"[^0-9+,*#]", "", phone)
    return "tel:" + quote(digits, safe="+,*")


def mailto_url(email: str | None, subject: str | None = None) -> str:
    link = "mailto:" + quote(email or "", safe="@.+-_")
    return link + "?subject=" + quote(subject, safe="") if subject else link


# Where "Directions" leads (Settings.directions); {query} is the address.
DIRECTIONS = {
    "openstreetmap": "https://www.openstreetmap.org/search?query={query}",
    "google": "https://www.google.com/maps/dir/?api=1&destination={query}",
    "apple": "https://maps.apple.com/?daddr={query}",
}


def directions_url(location: Any, provider: str = "openstreetmap") -> str:
    """A link that opens a map app with the address; no request until pressed."""
    return DIRECTIONS[provider].format(query=_address_query(location.one_line))


@lru_cache(maxsize=16)
def _address_query(address: str) -> str:
    """An address quoted for a link: a listing page links it twice (Apple Maps and another)."""
    return quote(address, safe="")


class Formats:
    """Day names, times and dates from Babel's CLDR data, for one language."""

    def __init__(self, language: str):
        self.language = language
        # Stand-alone (headings, table cells, lists), with a capital as CLDR's context
        # transforms ask for there: Spanish "Lunes" where a sentence would say "lunes".
        days = get_day_names("wide", context="stand-alone", locale=language)  # 0 = Monday in Babel
        self.day_names = [days[(day - 1) % 7][:1].upper() + days[(day - 1) % 7][1:] for day in range(7)]  # 0 = Sunday, ours
        self._times: dict[str, str] = {}
        self._ranges: dict[tuple, str] = {}
        self._dates: dict[dt.date, str] = {}
        self._distances: dict[float, str] = {}
        self._online: str | None = None  # the catalogue's word, for place()
        self._distance_texts: dict[tuple, str] = {}
        self._approximate: dict[str, str] = {}

    def day(self, day: int) -> str:
        return self.day_names[day]

    def days(self, days) -> str:
        """``Monday and Thursday``: day numbers (0 = Sunday) as the language lists them."""
        return format_list([self.day_names[day] for day in days], locale=self.language)

    def time(self, hhmm: str | None) -> str:
        if not hhmm:
            return ""
        cached = self._times.get(hhmm)
        if cached is None:
            hours, minutes = hhmm.split(":")
            cached = format_time(dt.time(int(hours), int(minutes)), format="short", locale=self.language)
            self._times[hhmm] = cached
        return cached

    def time_range(self, meeting) -> str:
        """``7:30 PM – 8:30 PM``, or the start alone: a meeting's time in a schedule.
        Kept per start and end (a schedule line is rendered on several pages)."""
        key = (meeting.time, meeting.end_time)
        text = self._ranges.get(key)
        if text is None:
            if meeting.end_time:
                text = catalogue(self.language)("meeting_time_range", start=self.time(meeting.time), end=self.time(meeting.end_time))
            else:
                text = self.time(meeting.time)
            self._ranges[key] = text
        return text

    def place(self, listing) -> str:
        """Where a listing is, in a list: its town, "Springfield · Online" when it
        meets online too, or "Online"."""
        online = self._online
        if online is None:
            online = self._online = catalogue(self.language).online
        if listing.location:
            return f"{listing.location.city} · {online}" if listing.online else listing.location.city
        return online

    def date(self, value: dt.date | None) -> str:
        if not value:
            return ""
        text = self._dates.get(value)
        if text is None:  # Babel takes ~50 µs; every print page shows the build's date
            text = self._dates[value] = format_date(value, format="long", locale=self.language)
        return text

    def dates(self, values) -> str:
        """``December 24, 2026 and December 31, 2026``, as the language lists them."""
        return format_list([self.date(value) for value in values], locale=self.language)

    def zone(self, name: str | None) -> str:
        return _zone_name(name, self.language) if name else ""

    def in_units(self, km: float, units: str) -> float:
        return km / KM_PER_MILE if units == "mi" else km

    def distance(self, km: float, units: str) -> str:
        """The number of a distance in ``units`` (mi or km), as near-me.js writes
        it: one decimal under 10, whole numbers from 10."""
        value = self.in_units(km, units)
        shown = round(value, 1) if value < 10 else round(value)
        cached = self._distances.get(shown)
        if cached is None:  # Babel takes ~25 µs; a listing page shows a dozen distances
            cached = self._distances[shown] = format_decimal(shown, format="#,##0.#", locale=self.language)
        return cached


    def distance_text(self, km: float, units: str) -> str:
        """``2.3 mi``, or ``under 0.1 mi``: how far a listing near another is.
        Kept per number shown (a listing page shows a dozen distances)."""
        value = self.in_units(km, units)
        shown = None if value < 0.1 else round(value, 1) if value < 10 else round(value)
        text = self._distance_texts.get((units, shown))
        if text is None:
            t = catalogue(self.language)
            text = t("nearby_under_" + units) if shown is None else t("distance_" + units, distance=self.distance(km, units))
            self._distance_texts[units, shown] = text
        return text

    def approximate(self, precision: str) -> str:
        """``approximate: postal code centre``: said of a distance when either
        position is only a postal code's or a city's centre (nearby.py)."""
        text = self._approximate.get(precision)
        if text is None:
            t = catalogue(self.language)
            text = self._approximate[precision] = t("nearby_approximate", precision=t("precision_" + precision.replace("-", "_")))
        return text


@lru_cache(maxsize=256)
def _zone_name(name: str, language: str) -> str:
    try:
        return get_timezone_name(name, width="long", zone_variant="generic", locale=language)
    except LookupError:
        return name


@lru_cache(maxsize=512)
def language_name(code: str, language: str) -> str:
    """``es`` → ``Spanish`` (in English) or ``español`` (in Spanish), from CLDR."""
    try:
        name = Locale.parse(code).get_display_name(language)
    except (ValueError, LookupError):
        return code
    return name[:1].upper() + name[1:] if name else code


# The QR data mask. Any of the eight gives a valid code; left to choose, segno
# tries each one and scores it (ISO/IEC 18004 7.8.3), three quarters of the
# time a code takes. Pattern 2 (every third column) scores best on average for
# URLs like ours, and 2 is a valid number for a Micro QR code too (it has four
# masks; segno makes one for a very short URL). tests/test_qr_code.py reads the codes back.
QR_MASK = 2


def qr_svg(url: str) -> Markup:
    """A QR code of ``url`` as inline SVG, made at build time (no network): the
    symbol segno draws, drawn faster (qr.py).

    Marked safe because only the SVG's own elements and paths are written:
    the URL is encoded in the drawing, never copied into the markup.
    """
    return Markup(qr_svg_markup(qr_matrix(url, QR_MASK), scale=2, border=2, svgclass="rd-qr__code", dark="#000"))


class Fragments:
    """A macro's output kept and given again for the same arguments, for small
    pieces that recur on many pages with the same inputs: a meeting's type
    labels (by their codes: a few dozen combinations in a whole directory), a
    listing's one-line schedule (beside every listing near it). Whole schedule
    lines are not kept: their link differs with the page's depth, so few would
    be reused, and keeping them all costs memory that grows with the directory.

    Templates call it as ``cached(m.macro, arg, …)``, or look a piece up in a
    table of them, ``cached.table(m.macro, arg, …)[key]``. Strings, and tuples
    of strings or whole numbers, count by value, anything else by identity; the
    arguments are kept alive with the output, so an identity is never reused for another object.
    Sound because macros imported from ``macros.html`` see nothing of the page
    but their arguments (and macros there have distinct names).
    """

    def __init__(self) -> None:
        self._kept: dict[tuple, tuple[Markup, tuple]] = {}
        self._tables: dict[tuple, tuple[_Table, tuple]] = {}

    def __call__(self, macro: Any, *args: Any) -> Markup:
        key = (macro.name, *[a if type(a) is str or (type(a) is tuple and _by_value(a)) else id(a) for a in args])  # a list: faster than a generator here
        kept = self._kept.get(key)
        if kept is None:
            kept = self._kept[key] = (macro(*args), args)
        return kept[0]

    def table(self, macro: Any, *rest: Any) -> "_Table":
        """``macro(key, *rest)`` for any key, kept as ``cached`` keeps it: a
        mapping a template looks up line after line (``labels[codes]``), where
        a call for each line cost more than the macro's work. Keys are strings
        or tuples of strings; ``rest`` counts as ``cached``'s arguments do."""
        key = (macro.name, *(a if type(a) is str or (type(a) is tuple and _by_value(a)) else id(a) for a in rest))
        kept = self._tables.get(key)
        if kept is None:
            kept = self._tables[key] = (_Table(macro, rest), rest)
        return kept[0]


class _Table(dict):
    """Fragments.table: a macro's output by its first argument, made on first use."""

    def __init__(self, macro: Any, rest: tuple) -> None:
        super().__init__()
        self.macro, self.rest = macro, rest

    def __missing__(self, key: Any) -> Markup:
        value = self[key] = self.macro(key, *self.rest)
        return value


def _by_value(value: Any) -> bool:  # a tuple of strings and whole numbers
    return type(value) is tuple and all(type(item) is str or type(item) is int for item in value)


def make_environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(safe_url=safe_url, tel_url=tel_url, mailto_url=mailto_url,
                       directions_url=directions_url, language_name=language_name,
                       pagefind_filter=pagefind_filter, search_region=search_region, conference_service=conference_service,
                       contributions=contributions, qr_svg=qr_svg, schedule_days=schedule_days,
                       print_days=print_days, code_names=code_names, region_groups=region_groups,
                       meeting_types=meeting_types, meeting_days=meeting_days)
    env.globals["cached"] = Fragments()  # one per build: an environment is made per build
    env.globals["nearby_lines"] = NearbyLines()  # one per build, as cached
    return env


def relative_link(page_url: str):
    """A function templates call as ``link('groups/x/')`` from the current page.

    mkdocs' get_relative_url, without its normalisation when there is nothing
    to normalise (a page links a dozen listings or more): for a plain path (no
    ``.``, ``..`` or empty segment) from a plain folder-like page, the same
    walk up to the common folder and down again, on the segments as they are.

    Its ``outside`` is a link function for targets outside the page's first
    folder only (a listing page's links to regions/): those links are alike
    from every page as deep, so ``outside`` is one function per depth, and a
    fragment of them can be kept (Fragments tells functions apart by identity)."""
    link = _link_from(page_url)
    depth = page_url.count("/")
    link.outside = _outside_link(depth) if depth and link.plain else link
    return link


@lru_cache(maxsize=16)
def _outside_link(depth: int):
    """The link function of a page ``depth`` folders down, in a folder no page is in."""
    return _link_from("-/" * depth)


def _link_from(page_url: str):
    here = page_url.split("/")[:-1] if page_url == "" or (page_url.endswith("/") and _PLAIN_PATH.fullmatch(page_url)) else None
    up = "../" * len(here) if here is not None else ""

    def link(target: str) -> str:
        if here is None or not _PLAIN_PATH.fullmatch(target):
            return get_relative_url(target, page_url)
        parts = target.split("/")
        if not here or parts[0] != here[0]:  # nothing in common: up to the root, then the path
            return up + target
        if parts[-1] == "":
            parts.pop()
        common = 0
        for mine, theirs in zip(here, parts):
            if mine != theirs:
                break
            common += 1
        relative = "/".join([".."] * (len(here) - common) + parts[common:]) or "."
        return relative + "/" if target.endswith("/") else relative

    link.plain = here is not None
    return link


# Segments that path normalisation leaves alone: none empty, none "." or "..".
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*/?")
