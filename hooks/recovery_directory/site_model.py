"""What pages the site has, and what each shows: built once from the listings.

Everything here is data (no HTML): a :class:`SitePage` names its URL, its
template in ``overrides/directory/`` and the objects the template needs. The
indexes (by region, type, fellowship, kind) are built in one pass each, so the
cost grows linearly with the directory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any, Callable, Iterable
from urllib.parse import quote, urlencode, urlsplit

from .access import access_codes, access_features
from .fields import DAYS
from .listing import Listing, Meeting
from .nearby import Neighbours, find_neighbours
from .peer_support import Connection, link_centres
from .render import Formats
from .siblings import Siblings, find_siblings
from . import search_index, splitting
from .splitting import ListPage, Split, span_of, split_list
from .vocabularies import Region, Vocabularies

KIND_FOLDERS = {"group": "groups", "family-group": "family-groups", "treatment-center": "treatment-centers"}


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One meeting of one listing, as a row in a schedule."""

    listing: Listing
    meeting: Meeting

    def __reduce__(self):
        # Pickled by its values (prepared.py): a frozen dataclass with slots is
        # otherwise pickled through dataclasses.fields() once an object.
        return MeetingRow, (self.listing, self.meeting)

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
    start = _report_form_url(repo_url or "")
    if start is None:
        return None
    return f"{start}&{urlencode({'listing': listing.slug, 'title': title}, quote_via=quote)}"


@lru_cache(maxsize=8)
def _report_form_url(repo_url: str) -> str | None:
    """The part of report_problem_url that is the same for every listing (each page has one)."""
    parts = urlsplit(repo_url)
    if parts.scheme != "https" or parts.hostname != "github.com" or parts.path.strip("/").count("/") != 1:
        return None
    return f"https://github.com/{parts.path.strip('/').removesuffix('.git')}/issues/new?{urlencode({'template': REPORT_FORM}, quote_via=quote)}"


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

    @cached_property
    def region_order(self) -> dict[str, int]:
        """Each region's place in regions.yml's order (a parent before its areas)."""
        return {slug: index for index, slug in enumerate(self.vocabularies.regions)}


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
            for code in sorted(codes):  # a set's order changes with each process's string hashes
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
    return [(model.vocabularies.regions[slug], groups[slug]) for slug in sorted(groups, key=model.region_order.__getitem__)]


def meeting_rows(listings: Iterable[Listing]) -> list[MeetingRow]:
    rows = [MeetingRow(listing, meeting) for listing in listings for meeting in listing.meetings]
    rows.sort(key=lambda r: r.sort_key)
    return rows


def site_pages(model: SiteModel, t) -> list[SitePage]:
    """Every generated page of the site, for one language's catalogue ``t``.

    A list longer than :data:`.splitting.PAGE_LIMIT` (meetings of a type, a
    fellowship, a region or online; listings of a kind) becomes a page of links
    by state or day and the pages they lead to (splitting.py), so no page grows
    with the directory.
    """
    pages: list[SitePage] = [
        SitePage("near-me/index.md", "directory/near-me.html", t.near_title, t.near_description, _near_me_context(model, t), in_nav=True),
        SitePage("search/index.md", "directory/search.html", t.search_title, t.search_description,
                 {"strings": t.starting_with(*BROWSER_STRINGS["search"])}, in_nav=True),
        SitePage("regions/index.md", "directory/regions.html", t.regions_title, t.regions_description, {"regions": model.vocabularies.top_regions}, in_nav=True),
        SitePage("types/index.md", "directory/types.html", t.types_title, t.types_description, {"types": _used_types(model)}, in_nav=True),
        SitePage("fellowships/index.md", "directory/fellowships.html", t.fellowships_title, t.fellowships_description, {"fellowships": _used_fellowships(model)}, in_nav=True),
    ]
    rules = ListRules(model, t)
    pages += _kind_pages(model, t, rules, "family-group", t.family_title, t.family_description, t.family_intro)
    pages += _kind_pages(model, t, rules, "treatment-center", t.treatment_title, t.treatment_description, "")
    pages += _online_pages(model, t, rules)
    for region in model.vocabularies.regions.values():
        pages += _region_pages(model, t, rules, region)
    for code, rows in model.by_type.items():
        term = model.vocabularies.terms["meeting-types"][code]
        name = term.name(t.language)
        split = split_list(f"types/{term.slug}/", name, _in_region_order(model, rows, _row_listing),
                           [rules.by_region(_row_listing), rules.by_day()], rules.region_span(_row_listing))
        pages += _list_pages(t, split, f"types/{term.slug}.md", "directory/type.html", t("type_description", type=name), "count_meetings",
                             lambda page, term=term: {"term": term, "groups": group_by_region(model, page.items, _row_listing)})
    # Every fellowship has a page, listed or not, so the guides can link to each.
    for term in model.vocabularies.terms["fellowships"]:
        name = term.name(t.language)
        rows = _in_region_order(model, meeting_rows(model.by_fellowship.get(term.code, [])), _row_listing)
        split = split_list(f"fellowships/{term.code}/", name, rows, [rules.by_region(_row_listing), rules.by_day()], rules.region_span(_row_listing))
        pages += _list_pages(t, split, f"fellowships/{term.code}.md", "directory/fellowship.html", t("fellowship_description", fellowship=name),
                             "count_meetings", lambda page, term=term: {"term": term, "groups": group_by_region(model, page.items, _row_listing)})
        pages += print_pages(model, t, split, show_zone=True)
    _check_unique(pages)
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


class ListRules:
    """How this site splits a long list (splitting.py), worded in one language."""

    def __init__(self, model: SiteModel, t):
        self.model, self.t, self.fmt = model, t, Formats(t.language)

    def by_region(self, listing_of: Callable[[Any], Listing]) -> Split:
        """By state (top-level region), in the order of regions.yml: types/open/in/texas/."""
        vocab = self.model.vocabularies

        def groups(items: list) -> list[tuple[str, str, list]]:
            found: dict[str, list] = defaultdict(list)
            for item in items:
                found[vocab.regions[listing_of(item).region].lineage[0].slug].append(item)
            return [(f"in/{top.slug}", top.name, found[top.slug]) for top in vocab.top_regions if top.slug in found]
        return Split("region", groups, lambda title, label: self.t("list_in", list=title, place=label))

    def by_day(self) -> Split:
        """By the day a meeting is held (in its own time zone), Sunday first: …/monday/."""
        def groups(rows: list[MeetingRow]) -> list[tuple[str, str, list]]:
            found: dict[int, list] = defaultdict(list)
            for row in rows:
                found[row.meeting.day].append(row)
            return [(DAYS[day], self.fmt.day(day), found[day]) for day in sorted(found)]
        return Split("day", groups, lambda title, label: self.t("list_of", list=title, name=label))

    def by_kind(self) -> Split:
        """Groups' meetings apart from family groups': a region's two schedules."""
        headings = {"group": self.t.groups_heading, "family-group": self.t.family_heading}

        def groups(rows: list[MeetingRow]) -> list[tuple[str, str, list]]:
            found: dict[str, list] = defaultdict(list)
            for row in rows:
                found[row.listing.kind].append(row)
            return [(KIND_FOLDERS[kind], headings[kind], found[kind]) for kind in headings if kind in found]
        return Split("kind", groups, lambda title, label: self.t("list_of", list=title, name=label))

    def region_span(self, listing_of: Callable[[Any], Listing]) -> Callable[[list], str]:
        """A part of a list shown by region: "Austin – Houston"."""
        regions = self.model.vocabularies.regions
        return lambda items: span_of(regions[listing_of(items[0]).region].name, regions[listing_of(items[-1]).region].name)

    def time_span(self, rows: list[MeetingRow]) -> str:
        """A part of a schedule: "6:30 AM – 12:00 PM", with the days when they differ."""
        first, last = rows[0].meeting, rows[-1].meeting
        if first.day == last.day:
            return span_of(self.fmt.time(first.time), self.fmt.time(last.time))
        return span_of(f"{self.fmt.day(first.day)} {self.fmt.time(first.time)}", f"{self.fmt.day(last.day)} {self.fmt.time(last.time)}")


def _row_listing(row: MeetingRow) -> Listing:
    return row.listing


def _in_region_order(model: SiteModel, items: list, listing_of: Callable[[Any], Listing]) -> list:
    """``items`` as a page grouped by region shows them (regions.yml's order), each region's in the order given."""
    order = model.region_order
    return sorted(items, key=lambda item: order[listing_of(item).region])


def _list_pages(t, split: list[ListPage], root_src: str, template: str, description: str, count_key: str,
                context: Callable[[ListPage], dict[str, Any]], **root_flags: Any) -> list[SitePage]:
    """The site's pages for one split list: the first at ``root_src`` with ``description``
    and ``root_flags``; the others (not in the nav) at their own URLs."""
    pages = []
    for index, page in enumerate(split):
        title = _page_title(t, page)
        if index == 0:
            pages.append(SitePage(root_src, template, title, description, {"list": page, **context(page)}, **root_flags))
        else:
            pages.append(SitePage(page.uri + "index.md", template, title, t("list_description", title=title, count=t.count(count_key, page.total)),
                                  {"list": page, **context(page)}))
    return pages


def _kind_pages(model: SiteModel, t, rules: ListRules, kind: str, title: str, description: str, intro: str) -> list[SitePage]:
    """family-groups/ or treatment-centers/: every listing of the kind, by region;
    by state (…/in/texas/) when there are too many for one page."""
    folder = KIND_FOLDERS[kind]
    listed = _in_region_order(model, model.by_kind.get(kind, []), lambda listing: listing)
    split = split_list(f"{folder}/", title, listed, [rules.by_region(lambda listing: listing)], rules.region_span(lambda listing: listing))
    return _list_pages(t, split, f"{folder}/index.md", "directory/kind.html", description, "count_listings",
                       lambda page: {"kind": kind, "intro": intro if page is split[0] else "", "groups": group_by_region(model, page.items)},
                       in_nav=True, searchable=True)


def _online_pages(model: SiteModel, t, rules: ListRules) -> list[SitePage]:
    """online/: "online now" (online-now.js, from data/online/) over every online
    meeting by day; by day (online/monday/) when there are too many for one page."""
    split = split_list("online/", t.online_title, model.online_rows, [rules.by_day()], rules.time_span)
    now = {"strings": t.starting_with(*BROWSER_STRINGS["online"]), "labels": _labels(model, t, [l for l in model.listings if l.is_online])}
    pages = _list_pages(t, split, "online/index.md", "directory/online.html", t.online_description, "count_meetings",
                        lambda page: {"now": now if page is split[0] else None}, in_nav=True)
    return pages + print_pages(model, t, split, show_zone=True)


def _region_pages(model: SiteModel, t, rules: ListRules, region: Region) -> list[SitePage]:
    """A region's page: its areas, its groups' and family groups' meetings and its
    treatment centres, its own and its areas'. Too many meetings for one page: a
    count and a link per day (regions/texas/monday/); too many centres: a link to
    them (regions/texas/treatment-centers/)."""
    listed = model.by_region.get(region.slug, [])
    rows = meeting_rows(l for l in listed if l.kind == "group") + meeting_rows(l for l in listed if l.kind == "family-group")
    centers = [l for l in listed if l.kind == "treatment-center"]
    split = split_list(region_url(region), region.name, rows, [rules.by_day(), rules.by_kind()], rules.time_span)
    centre_split = split_list(f"{region_url(region)}treatment-centers/", t("list_in", list=t.treatment_title, place=region.name),
                              _in_region_order(model, centers, lambda listing: listing), [],
                              rules.region_span(lambda listing: listing)) if len(centers) > splitting.PAGE_LIMIT else []

    # A directory whose search index is in parts along the regions: the region's
    # page leads to a search in it (search.js reads ?region=).
    searched_by_region = len(model.listings) > search_index.PART_PAGES

    def context(page: ListPage) -> dict[str, Any]:
        home = page is split[0]
        return {"region": region, "home": home, "search_here": home and searched_by_region,
                "rows": [r for r in page.items if r.listing.kind == "group"],
                "family_rows": [r for r in page.items if r.listing.kind == "family-group"],
                "centers": centers if home and not centre_split else [], "centers_page": centre_split[0] if home and centre_split else None}
    pages = _list_pages(t, split, f"regions/{region.path}/index.md", "directory/region.html", t("region_description", region=region.name),
                        "count_meetings", context)
    if centre_split:
        description = t("list_description", title=centre_split[0].title, count=t.count("count_listings", len(centers)))
        pages += _list_pages(t, centre_split, centre_split[0].uri + "index.md", "directory/kind.html", description, "count_listings",
                             lambda page: {"kind": "treatment-center", "intro": "", "region": region, "groups": group_by_region(model, page.items)})
    return pages + print_pages(model, t, split)


def _check_unique(pages: list[SitePage]) -> None:
    """Two pages at one URL: a region named like a page under its parent (print, monday, …)."""
    seen: dict[str, SitePage] = {}
    for page in pages:
        other = seen.setdefault(page.url, page)
        if other is not page:
            raise ValueError(f"two pages at {page.url}: {other.title!r} and {page.title!r} — "
                             "rename the region in regions.yml whose slug is the last part of that address")


# Keys of translations/<language>.yml that a page's script shows, by prefix.
BROWSER_STRINGS = {
    "near": ("near_", "time_of_day_", "distance_", "map_", "kind_", "when_", "in_person", "hybrid"),
    "online": ("online_now_", "when_", "join_online", "join_by_phone"),
    "listing": ("listing_js_",),
    "search": ("search_js_",),
    "saved": ("saved_js_", "when_", "join_online", "join_by_phone", "directions", "kind_"),
}


def print_pages(model: SiteModel, t, split: list[ListPage], show_zone: bool = False) -> list[SitePage]:
    """A print-ready schedule (print.html, print.css) of each page of a split list
    that shows meetings: every meeting of that page by day and time, at its URL +
    print/. Not in the nav and not searchable: the page it prints links to it."""
    return [_print_page(model, t, page.uri + "print/index.md", page.uri, _page_title(t, page), sorted(page.items, key=lambda r: r.sort_key), show_zone)
            for page in split if page.shows_items]


def _page_title(t, page: ListPage) -> str:
    """A page's title, with "(part 2 of 3)" in a list cut into parts."""
    return t("list_part", list=page.title, number=page.part, total=page.parts) if page.parts > 1 else page.title


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
