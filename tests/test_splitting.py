"""Long lists become pages of bounded size (splitting.py): first the cutting
itself on plain numbers, then every list of a generated directory of a few
hundred listings in several states, cut with a small limit so that every rule
(state, day, kind, parts) is used: no page lists more than the limit, every
meeting is on exactly one page of each list it belongs to, and on the right one.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from recovery_directory import splitting
from recovery_directory.fields import DAYS
from recovery_directory.render import catalogue
from recovery_directory.site_model import MeetingRow, build_model, site_pages
from recovery_directory.splitting import Split, split_list
from recovery_directory.validate import validate_directory
from recovery_directory.vocabularies import Region

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import generate  # noqa: E402

LIMIT = 25  # small, so that a few hundred listings use every rule


def by_parity(items):
    even, odd = [i for i in items if i % 2 == 0], [i for i in items if i % 2]
    return [(name, name.title(), group) for name, group in (("even", even), ("odd", odd)) if group]


def by_hundred(items):
    hundreds = sorted({i // 100 for i in items})
    return [(f"h{h}", f"{h}00s", [i for i in items if i // 100 == h]) for h in hundreds]


PARITY = Split("parity", by_parity, lambda title, label: f"{title}, {label}")
HUNDRED = Split("hundred", by_hundred, lambda title, label: f"{title} in the {label}")


# --- the cutting ----------------------------------------------------------

def test_a_list_that_fits_is_one_page_of_everything():
    pages = split_list("numbers/", "Numbers", list(range(5)), [PARITY], limit=5)
    assert [(p.uri, p.title, p.items, p.children, p.parts) for p in pages] == [("numbers/", "Numbers", [0, 1, 2, 3, 4], [], 0)]


def test_a_longer_list_becomes_links_to_narrower_pages():
    home, even, odd = split_list("numbers/", "Numbers", list(range(10)), [PARITY], limit=5)
    assert (home.items, home.split, home.total) == ([], "parity", 10)
    assert home.children == [even, odd]
    assert [(p.uri, p.title, p.label, p.items, p.trail) for p in (even, odd)] == [
        ("numbers/even/", "Numbers, Even", "Even", [0, 2, 4, 6, 8], (home,)),
        ("numbers/odd/", "Numbers, Odd", "Odd", [1, 3, 5, 7, 9], (home,)),
    ]


def test_a_rule_that_would_make_one_page_is_skipped():
    pages = split_list("numbers/", "Numbers", list(range(0, 300, 2)), [PARITY, HUNDRED], limit=50)
    assert [p.uri for p in pages] == ["numbers/", "numbers/h0/", "numbers/h1/", "numbers/h2/"]  # all even: by hundreds
    assert pages[0].split == "hundred" and [p.title for p in pages[1:]] == [f"Numbers in the {h}00s" for h in range(3)]


def test_what_no_rule_divides_is_cut_into_parts_that_link_to_each_other():
    pages = split_list("numbers/", "Numbers", list(range(0, 24, 2)), [PARITY], span=lambda c: f"{c[0]}–{c[-1]}", limit=5)
    assert [(p.uri, p.items, p.part, p.parts, p.span) for p in pages] == [
        ("numbers/", [0, 2, 4, 6, 8], 1, 3, "0–8"),
        ("numbers/2/", [10, 12, 14, 16, 18], 2, 3, "10–18"),
        ("numbers/3/", [20, 22], 3, 3, "20–22"),
    ]
    first, second, third = pages
    assert (first.previous, first.next, second.previous, second.next, third.previous, third.next) == (None, second, first, third, second, None)


def test_each_rule_applies_below_the_one_before():
    pages = split_list("n/", "N", list(range(300)), [HUNDRED, PARITY], limit=60)
    shown = {p.uri: p.items for p in pages if p.shows_items}
    assert list(shown) == ["n/h0/even/", "n/h0/odd/", "n/h1/even/", "n/h1/odd/", "n/h2/even/", "n/h2/odd/"]
    assert sorted(i for items in shown.values() for i in items) == list(range(300))
    assert pages[-1].title == "N in the 200s, Odd" and [up.uri for up in pages[-1].trail] == ["n/", "n/h2/"]


# --- every list of a generated directory ---------------------------------------

@pytest.fixture(scope="module")
def model(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated") / "directory"
    generate(400, str(out), seed=3)
    directory = validate_directory(str(out))
    assert directory.ok, [str(p) for p in directory.errors][:5]
    return build_model(directory.vocabularies, directory.listings)


@pytest.fixture(scope="module")
def pages(model):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(splitting, "PAGE_LIMIT", LIMIT)
        return {page.url: page for page in site_pages(model, catalogue("en")) if page.template != "directory/listing.html"}


def lists(pages, prefix):
    """The split list at ``prefix``: its pages by URL."""
    return {url: page.context["list"] for url, page in pages.items() if url.startswith(prefix) and "list" in page.context}


def key(item):
    """A listing by its slug, a meeting by its listing's slug and itself (neither is hashable)."""
    return (item.listing.slug, id(item.meeting)) if hasattr(item, "meeting") else item.slug


def shown(pages, prefix):
    """Every item the pages of one list show, each as often as it is shown."""
    return Counter(key(item) for page in lists(pages, prefix).values() for item in page.items)


def state_of(model, listing) -> str:
    return model.vocabularies.regions[listing.region].lineage[0].slug


def test_no_page_lists_more_than_the_limit(pages):
    for url, page in pages.items():
        context = page.context
        for key in ("rows", "family_rows", "centers"):
            assert len(context.get(key) or ()) <= LIMIT, (url, key)
        if "list" in context:
            assert len(context["list"].items) <= LIMIT, url
            assert len(context["list"].children) <= 51, url  # one per state (50 and DC), or per day
        if "groups" in context:
            assert sum(len(items) for _, items in context["groups"]) <= LIMIT, url


def test_the_national_type_page_links_to_a_page_per_state(model, pages):
    rows = model.by_type["O"]
    assert len(rows) > LIMIT
    home = pages["types/open/"].context["list"]
    states = [top for top in model.vocabularies.top_regions if any(state_of(model, r.listing) == top.slug for r in rows)]
    assert home.items == [] and [(c.uri, c.label) for c in home.children] == [(f"types/open/in/{s.slug}/", s.name) for s in states]
    assert all(pages[c.uri].title == f"Open in {c.label}" for c in home.children)


@pytest.mark.parametrize("prefix, listed", [
    ("types/open/", lambda model: model.by_type["O"]),
    ("types/online/", lambda model: model.by_type["ONL"]),
    ("fellowships/aa/", lambda model: [r for l in model.by_fellowship["aa"] for r in _rows(l)]),
    ("family-groups/", lambda model: model.by_kind["family-group"]),
    ("treatment-centers/", lambda model: model.by_kind["treatment-center"]),
    ("online/", lambda model: model.online_rows),
])
def test_every_item_of_a_list_is_on_exactly_one_of_its_pages(model, pages, prefix, listed):
    expected = listed(model)
    assert len(expected) > LIMIT, prefix  # or this checks no splitting at all
    assert shown(pages, prefix) == Counter(map(key, expected))


def _rows(listing):
    return [MeetingRow(listing, meeting) for meeting in listing.meetings]


def test_a_page_for_a_state_or_a_day_lists_only_that_state_or_day(model, pages):
    checked = Counter()
    for url, page in lists(pages, "").items():
        parts = url.split("/")
        if "in" in parts[:-2]:  # …/in/<state>/…
            state = parts[parts.index("in") + 1]
            for item in page.items:
                assert state_of(model, getattr(item, "listing", item)) == state, url
            checked["state"] += bool(page.items)
        days = [p for p in parts if p in DAYS]
        if days:
            assert all(DAYS[row.meeting.day] == days[0] for row in page.items), url
            checked["day"] += bool(page.items)
        checked["part"] += page.part > 1
    assert checked["state"] > 10 and checked["day"] > 10 and checked["part"] > 3


def test_the_online_meetings_are_split_by_day(model, pages):
    home = pages["online/"].context
    assert home["now"] is not None and home["list"].split == "day"
    assert [c.uri for c in home["list"].children] == [f"online/{DAYS[d]}/" for d in sorted({r.meeting.day for r in model.online_rows})]
    assert all(pages[c.uri].context["now"] is None for c in home["list"].children)  # "online now" on online/ only


def test_a_large_region_links_to_its_meetings_by_day(model, pages):
    largest = max(model.vocabularies.top_regions, key=model.count)
    home = pages[f"regions/{largest.slug}/"]
    assert home.context["home"] and home.context["list"].split == "day" and home.context["rows"] == []
    listed = [l for l in model.by_region[largest.slug] if l.kind != "treatment-center"]
    assert Counter(key(r) for page in walk(home.context["list"]) for r in page.items) == Counter(key(r) for l in listed for r in _rows(l))


def walk(page):
    """A page of a list and every page below it or after it (its parts)."""
    yield page
    for child in page.children:
        yield from walk(child)
    if page.part == 1:
        while page.next:
            page = page.next
            yield page


def test_every_page_that_lists_meetings_of_a_fellowship_region_or_online_has_a_print_version(pages):
    lists_with_print = {url: page for prefix in ("fellowships/", "regions/", "online/") for url, page in lists(pages, prefix).items()
                        if page.shows_items and pages[url].template != "directory/kind.html"}
    assert len(lists_with_print) > 50
    for url, page in lists_with_print.items():
        printed = pages[url + "print/"].context
        assert sorted(printed["rows"], key=lambda r: r.sort_key) == printed["rows"], url
        assert Counter(map(key, printed["rows"])) == Counter(map(key, page.items)), url
    hubs = [url for prefix in ("fellowships/", "regions/", "online/") for url, page in lists(pages, prefix).items() if page.children]
    assert hubs and not any(url + "print/" in pages for url in hubs)


def test_no_list_page_is_in_the_nav_but_the_first(pages):
    for url, page in lists(pages, "").items():
        if page.trail or page.part > 1:
            assert not pages[url].in_nav and not pages[url].searchable, url


def test_a_region_named_like_a_page_beside_it_is_refused(model):
    texas = model.vocabularies.regions["texas"]
    clash = Region("print", "Print", parent=texas)
    model.vocabularies.regions["print"] = clash
    texas.children.append(clash)
    try:
        with pytest.raises(ValueError) as raised:
            site_pages(model, catalogue("en"))
    finally:
        texas.children.remove(clash)
        del model.vocabularies.regions["print"]
    assert str(raised.value) == ("two pages at regions/texas/print/: 'Texas: meeting schedule' and 'Print' — "
                                 "rename the region in regions.yml whose slug is the last part of that address")


def test_a_region_with_too_many_centres_links_to_them_by_area(model):
    centres = lambda region: [l for l in model.by_region.get(region.slug, []) if l.kind == "treatment-center"]  # noqa: E731
    largest = max(model.vocabularies.top_regions, key=lambda region: len(centres(region)))
    limit = max(1, len(centres(largest)) // 3)
    assert len(centres(largest)) > limit
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(splitting, "PAGE_LIMIT", limit)
        pages = {page.url: page for page in site_pages(model, catalogue("en")) if page.url.startswith(f"regions/{largest.slug}/")}
    home = pages[f"regions/{largest.slug}/"].context
    assert home["centers"] == [] and home["centers_page"].uri == f"regions/{largest.slug}/treatment-centers/"
    shown = [listing for page in walk(home["centers_page"]) for listing in page.items]
    assert sorted(l.slug for l in shown) == sorted(l.slug for l in centres(largest))
    order = [model.region_order[l.region] for l in shown]
    assert order == sorted(order)  # by area, as the cards are grouped
    assert {page.uri for page in walk(home["centers_page"])} <= set(pages)
