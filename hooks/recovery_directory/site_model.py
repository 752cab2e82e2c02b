"""What pages the site has, and what each shows: built once from the listings.

Everything here is data (no HTML): a :class:`SitePage` names its URL, its
template in ``overrides/directory/`` and the objects the template needs. The
indexes (by region, type, fellowship, kind) are built in one pass each, so the
cost grows linearly with the directory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import quote, urlencode, urlsplit

from .access import access_codes, access_features
from .listing import Listing, Meeting
from .nearby import Neighbours, find_neighbours
from .peer_support import Connection, link_centres
from .siblings import Siblings, find_siblings
from .vocabularies import Region, Vocabularies

KIND_FOLDERS = {"group": "groups", "family-group": "family-groups", "treatment-center": "treatment-centers"}


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One meeting of one listing, as a row in a schedule."""

    listing: Listing
    meeting: Meeting

    @property
    def sort_key(self) -> tuple:
        return (self.meeting.day, self.meeting.time, self.listing.name.lower())


@dataclass
class SitePage:
    src_uri: str  # e.g. groups/downtown-serenity.md → /groups/downtown-serenity/
    template: str
    title: str
    description: str
    context: dict[str, Any] = field(default_factory=dict)
    source: str | None = None  # the YAML file that "edit this page" opens
    searchable: bool = False  # carries data-pagefind-body
    in_nav: bool = False

    @property
    def url(self) -> str:
        stem = self.src_uri.removesuffix(".md")
        if stem == "index":
            return ""
        return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


def listing_url(listing: Listing) -> str:
    return f"{KIND_FOLDERS[listing.kind]}/{listing.slug}/"


def region_url(region: Region) -> str:
    return f"regions/{region.path}/"


REPORT_FORM = "report-problem.yml"  # .github/ISSUE_TEMPLATE/, with a field whose id is "listing"


def report_problem_url(repo_url: str, listing: Listing, title: str) -> str | None:
    """GitHub's new-issue page with the "Report a problem" form, prefilled
    with the listing's slug and a title (issue forms fill a field from the query
    parameter named like its id). ``None`` when the repository is not on GitHub."""
    parts = urlsplit(repo_url or "")
    if parts.scheme != "https" or parts.hostname != "github.com" or parts.path.strip("/").count("/") != 1:
        return None
    query = urlencode({"template": REPORT_FORM, "listing": listing.slug, "title": title}, quote_via=quote)
    return f"https://github.com/{parts.path.strip('/').removesuffix('.git')}/issues/new?{query}"


@dataclass
class SiteModel:
    vocabularies: Vocabularies
    listings: list[Listing]
    by_region: dict[str, list[Listing]]  # each region → its listings and its sub-regions'
    by_type: dict[str, list[MeetingRow]]
    by_fellowship: dict[str, list[Listing]]
    by_kind: dict[str, list[Listing]]
    online_rows: list[MeetingRow]
    # Built after enrichment, from the listings' coordinates and addresses.
    neighbours: dict[str, Neighbours] = field(default_factory=dict)
    peer_support: dict[str, list[Connection]] = field(default_factory=dict)  # centre → its groups
    centres: dict[str, list[Connection]] = field(default_factory=dict)  # group → its centres
    siblings: dict[str, Siblings] = field(default_factory=dict)  # the group's other listings, others at its address

    def region_of(self, listing: Listing) -> Region:
        return self.vocabularies.regions[listing.region]

    def count(self, region: Region) -> int:
        return len(self.by_region.get(region.slug, ()))


def build_model(vocabularies: Vocabularies, listings: Iterable[Listing]) -> SiteModel:
    listings = sorted(listings, key=lambda l: (l.name.lower(), l.slug))
    by_region: dict[str, list[Listing]] = defaultdict(list)
    by_type: dict[str, list[MeetingRow]] = defaultdict(list)
    by_fellowship: dict[str, list[Listing]] = defaultdict(list)
    by_kind: dict[str, list[Listing]] = defaultdict(list)
    online_rows: list[MeetingRow] = []
    derived_online = vocabularies.derived_types
    for listing in listings:
        for region in vocabularies.regions[listing.region].lineage:
            by_region[region.slug].append(listing)
        by_kind[listing.kind].append(listing)
        if listing.fellowship:
            by_fellowship[listing.fellowship].append(listing)
        for meeting in listing.meetings:
            row = MeetingRow(listing, meeting)
            codes = set(meeting.types)
            if listing.is_online:
                online_rows.append(row)
                codes.update(derived_online)
            for code in codes:
                by_type[code].append(row)
    for rows in list(by_type.values()) + [online_rows]:
        rows.sort(key=lambda r: r.sort_key)
    family_of = {t.code: t.extra["family"] for t in vocabularies.terms["fellowships"] if t.extra.get("family")}
    links = link_centres(listings)
    return SiteModel(vocabularies, listings, dict(by_region), dict(by_type), dict(by_fellowship), dict(by_kind), online_rows,
                     find_neighbours(listings, family_of), links.by_centre, links.by_group, find_siblings(listings))


def group_by_region(model: SiteModel, items: Iterable[Any], listing_of=lambda item: item) -> list[tuple[Region, list[Any]]]:
    """Items grouped under their listing's region, regions in hierarchy order."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        groups[listing_of(item).region].append(item)
    order = {slug: index for index, slug in enumerate(model.vocabularies.regions)}
    return [(model.vocabularies.regions[slug], groups[slug]) for slug in sorted(groups, key=order.__getitem__)]


def meeting_rows(listings: Iterable[Listing]) -> list[MeetingRow]:
    rows = [MeetingRow(listing, meeting) for listing in listings for meeting in listing.meetings]
    rows.sort(key=lambda r: r.sort_key)
    return rows


def site_pages(model: SiteModel, t) -> list[SitePage]:
    """Every generated page of the site, for one language's catalogue ``t``."""
    pages: list[SitePage] = [
        SitePage("near-me/index.md", "directory/near-me.html", t.near_title, t.near_description, _near_me_context(model, t), in_nav=True),
        SitePage("search/index.md", "directory/search.html", t.search_title, t.search_description, in_nav=True),
        SitePage("regions/index.md", "directory/regions.html", t.regions_title, t.regions_description, {"regions": model.vocabularies.top_regions}, in_nav=True),
        SitePage("types/index.md", "directory/types.html", t.types_title, t.types_description, {"types": _used_types(model)}, in_nav=True),
        SitePage("fellowships/index.md", "directory/fellowships.html", t.fellowships_title, t.fellowships_description, {"fellowships": _used_fellowships(model)}, in_nav=True),
        SitePage("family-groups/index.md", "directory/kind.html", t.family_title, t.family_description,
                 {"kind": "family-group", "intro": t.family_intro, "groups": group_by_region(model, model.by_kind.get("family-group", []))}, in_nav=True, searchable=True),
        SitePage("treatment-centers/index.md", "directory/kind.html", t.treatment_title, t.treatment_description,
                 {"kind": "treatment-center", "intro": "", "groups": group_by_region(model, model.by_kind.get("treatment-center", []))}, in_nav=True, searchable=True),
        SitePage("online/index.md", "directory/online.html", t.online_title, t.online_description,
                 {"rows": model.online_rows, "strings": t.starting_with(*BROWSER_STRINGS["online"]), "labels": _labels(model, t, [l for l in model.listings if l.is_online])}, in_nav=True),
    ]
    for region in model.vocabularies.regions.values():
        listed = model.by_region.get(region.slug, [])
        pages.append(SitePage(
            f"regions/{region.path}/index.md", "directory/region.html", region.name, t("region_description", region=region.name),
            {"region": region,
             "rows": meeting_rows(l for l in listed if l.kind == "group"),
             "family_rows": meeting_rows(l for l in listed if l.kind == "family-group"),
             "centers": [l for l in listed if l.kind == "treatment-center"]},
        ))
    for code, rows in model.by_type.items():
        term = model.vocabularies.terms["meeting-types"][code]
        pages.append(SitePage(
            f"types/{term.slug}.md", "directory/type.html", term.name(t.language), t("type_description", type=term.name(t.language)),
            {"term": term, "groups": group_by_region(model, rows, lambda r: r.listing)},
        ))
    # Every fellowship has a page, listed or not, so the guides can link to each.
    for term in model.vocabularies.terms["fellowships"]:
        code, listed = term.code, model.by_fellowship.get(term.code, [])
        pages.append(SitePage(
            f"fellowships/{code}.md", "directory/fellowship.html", term.name(t.language), t("fellowship_description", fellowship=term.name(t.language)),
            {"term": term, "groups": group_by_region(model, meeting_rows(listed), lambda r: r.listing)},
        ))
    pages += print_pages(model, t)
    pages.append(SitePage("my-meetings/index.md", "directory/my-meetings.html", t.saved_title, t.saved_description,
                          {"strings": t.starting_with(*BROWSER_STRINGS["saved"])}, in_nav=True))
    access, strings = access_codes(model.vocabularies), t.starting_with(*BROWSER_STRINGS["listing"])
    for listing in model.listings:
        pages.append(SitePage(
            f"{KIND_FOLDERS[listing.kind]}/{listing.slug}.md", "directory/listing.html", listing.name,
            _listing_description(model, listing, t),
            {"listing": listing, "region": model.region_of(listing), "neighbours": model.neighbours.get(listing.slug),
             "peer_support": model.peer_support.get(listing.slug, []), "centres": model.centres.get(listing.slug, []),
             "siblings": model.siblings.get(listing.slug), "access": access_features(listing, access),
             "strings": strings},
            source=listing.source, searchable=True,
        ))
    return pages


# Keys of translations/<language>.yml that a page's script shows, by prefix.
BROWSER_STRINGS = {
    "near": ("near_", "time_of_day_", "distance_", "map_", "kind_", "when_", "in_person", "hybrid"),
    "online": ("online_now_", "when_", "join_online", "join_by_phone"),
    "listing": ("listing_js_",),
    "saved": ("saved_js_", "when_", "join_online", "join_by_phone", "directions", "kind_"),
}


def print_pages(model: SiteModel, t) -> list[SitePage]:
    """A print-ready schedule for each region, the online meetings and each
    fellowship: every meeting of the page by day and time (print.html, print.css).
    Not in the nav and not searchable: the page it prints links to it."""
    pages = []
    for region in model.vocabularies.regions.values():
        rows = meeting_rows(model.by_region.get(region.slug, []))
        pages.append(_print_page(model, t, f"regions/{region.path}/print/index.md", region_url(region), region.name, rows))
    pages.append(_print_page(model, t, "online/print/index.md", "online/", t.online_title, model.online_rows, show_zone=True))
    for term in model.vocabularies.terms["fellowships"]:
        rows = meeting_rows(model.by_fellowship.get(term.code, []))
        pages.append(_print_page(model, t, f"fellowships/{term.code}/print/index.md", f"fellowships/{term.code}/",
                                 term.name(t.language), rows, show_zone=True))
    return pages


def _print_page(model: SiteModel, t, src_uri: str, online_url: str, name: str, rows: list[MeetingRow], show_zone: bool = False) -> SitePage:
    codes = {code for row in rows for code in row.meeting.types}
    legend = [term for term in model.vocabularies.terms["meeting-types"] if term.code in codes]
    return SitePage(src_uri, "directory/print.html", t("print_title", name=name), t("print_description", name=name),
                    {"rows": rows, "legend": legend, "online_url": online_url, "name": name, "show_zone": show_zone})


# How near-me.js searches: results per page; farther than max_km is not near; a
# search loads cells of at most `budget` listings by itself (about 95 KB), and
# "Search farther" allows as many again (benchmarks/near_me_bench.py).
NEAR_SEARCH = {"page": 25, "max_km": 250, "budget": 500}


def _near_me_context(model: SiteModel, t) -> dict[str, Any]:
    placed = [l for l in model.listings if l.location is not None]
    return {
        "regions": model.vocabularies.top_regions,
        "types": _terms_used(model.vocabularies.terms["meeting-types"], {c for l in placed for m in l.meetings for c in m.types}),
        "fellowships": _terms_used(model.vocabularies.terms["fellowships"], {l.fellowship for l in placed if l.fellowship}),
        "kinds": [kind for kind in KIND_FOLDERS if any(l.kind == kind for l in placed)],
        "strings": t.starting_with(*BROWSER_STRINGS["near"]),
        "labels": _labels(model, t, placed),
        "search": NEAR_SEARCH,
    }


def _terms_used(vocabulary, codes: set[str]) -> list[Any]:
    return [term for term in vocabulary if term.code in codes]


def _labels(model: SiteModel, t, listings: list[Listing]) -> dict[str, dict[str, str]]:
    """Names of the codes a page's data uses, for its script (the data carries codes)."""
    types = {c for l in listings for m in l.meetings for c in m.types}
    fellowships = {l.fellowship for l in listings if l.fellowship}
    return {
        "types": {c: model.vocabularies.terms["meeting-types"].name(c, t.language) for c in sorted(types)},
        "fellowships": {c: model.vocabularies.terms["fellowships"].name(c, t.language) for c in sorted(fellowships)},
    }


def _used_types(model: SiteModel) -> list[tuple[Any, int]]:
    vocab = model.vocabularies.terms["meeting-types"]
    return [(term, len(model.by_type[term.code])) for term in vocab if term.code in model.by_type]


def _used_fellowships(model: SiteModel) -> list[tuple[Any, int]]:
    vocab = model.vocabularies.terms["fellowships"]
    return [(term, len(model.by_fellowship[term.code])) for term in vocab if term.code in model.by_fellowship]


def _listing_description(model: SiteModel, listing: Listing, t) -> str:
    place = listing.location.city if listing.location else model.region_of(listing).name
    if listing.kind == "treatment-center":
        return t("listing_description_center", name=listing.name, place=place)
    fellowship = model.vocabularies.terms["fellowships"].name(listing.fellowship or "", t.language)
    schedule = t.count("count_meetings", len(listing.meetings))
    return t("listing_description_meeting", name=listing.name, fellowship=fellowship, place=place, schedule=schedule)
