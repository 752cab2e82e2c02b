"""How a long list becomes pages a phone can load: no page lists more than
:data:`PAGE_LIMIT` meetings (or listings), however large the directory grows.

A list that fits shows all of it on its own page, as every list of a small
directory does. A longer one becomes a page of links with counts, one link per
state (top-level region) or per day, each to a page of the same list narrowed
down, which splits again by the next rule when it is still too long. A rule that
would make a single page (every meeting in one state) is skipped. What no rule
divides is cut into numbered parts, in the order it is shown, each linking to
the part before and after it::

    types/open/                      Open: a count and a link per state
    types/open/in/texas/             Open in Texas: a count and a link per day
    types/open/in/texas/monday/      Open in Texas: Monday (part 1 of 3)
    types/open/in/texas/monday/2/    … part 2 of 3

So a page holds at most PAGE_LIMIT items or one link per region or day; the
number of pages grows with the directory, the size of none does. The rules and
their wording come from :mod:`.site_model`; this module only cuts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

# Meetings (or listings) on one page: about 90 KB of HTML (12 KB compressed) on
# top of the theme's, and some 1,600 elements — quick on an inexpensive phone.
PAGE_LIMIT = 200


@dataclass(frozen=True)
class Split:
    """One rule that divides a list, e.g. by state or by day."""

    name: str  # what a page of links lists by: "region", "day", "kind" (its heading's key)
    groups: Callable[[list], list[tuple[str, str, list]]]  # items → (URL segment, label, items), in order
    title: Callable[[str, str], str]  # (the list's title, a group's label) → the narrower page's title


@dataclass(eq=False)
class ListPage:
    """One page of a list: its items, or links to the pages it was split into."""

    uri: str  # its URL: "types/open/in/texas/"
    title: str
    total: int  # items on this page and on every page below it
    items: list = field(default_factory=list)  # what it shows; empty on a page of links
    label: str = ""  # its name on the page of links above it: "Texas", "Monday"
    split: str = ""  # on a page of links: the rule's name
    children: list["ListPage"] = field(default_factory=list)  # on a page of links
    trail: tuple["ListPage", ...] = ()  # the pages of links above it, outermost first
    part: int = 0  # in a list cut into parts: its number, of `parts`
    parts: int = 0
    span: str = ""  # in a list cut into parts: its first and last item, "Austin – Houston"
    previous: "ListPage | None" = None
    next: "ListPage | None" = None

    @property
    def shows_items(self) -> bool:
        """True on a page that lists (not a page of links): it has a print version, if any."""
        return not self.children


def split_list(uri: str, title: str, items: list, splits: list[Split],
               span: Callable[[list], str] | None = None, limit: int | None = None) -> list[ListPage]:
    """Every page of one list, the first at ``uri``, each before the pages below it.

    ``items`` are in the order they are shown; ``span`` names a part's first and
    last item for the links between parts.
    """
    pages: list[ListPage] = []
    _place(ListPage(uri, title, len(items)), items, splits, PAGE_LIMIT if limit is None else limit, span, pages)
    return pages


def _place(page: ListPage, items: list, splits: list[Split], limit: int, span, pages: list[ListPage]) -> None:
    pages.append(page)
    if len(items) <= limit:
        page.items = items
        return
    for index, split in enumerate(splits):
        groups = split.groups(items)
        if len(groups) > 1:
            page.split, trail = split.name, page.trail + (page,)
            for segment, label, group in groups:
                child = ListPage(f"{page.uri}{segment}/", split.title(page.title, label), len(group), label=label, trail=trail)
                page.children.append(child)
                _place(child, group, splits[index + 1:], limit, span, pages)
            return
    _cut(page, items, limit, span, pages)


def _cut(page: ListPage, items: list, limit: int, span, pages: list[ListPage]) -> None:
    """Parts of ``limit`` items; the first keeps the page's own URL, the others add 2/, 3/ …"""
    chunks = [items[start:start + limit] for start in range(0, len(items), limit)]
    parts = [page] + [ListPage(f"{page.uri}{number}/", page.title, page.total, label=page.label, trail=page.trail)
                      for number in range(2, len(chunks) + 1)]
    for number, (part, chunk) in enumerate(zip(parts, chunks), 1):
        part.items, part.part, part.parts = chunk, number, len(chunks)
        part.span = span(chunk) if span else ""
        part.previous = parts[number - 2] if number > 1 else None
        part.next = parts[number] if number < len(parts) else None
    pages.extend(parts[1:])


def span_of(first: Any, last: Any) -> str:
    """"Austin – Houston", or one name when the part starts and ends alike."""
    return str(first) if first == last else f"{first} – {last}"
