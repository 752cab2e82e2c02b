"""Printable schedules: each region, the online page and each fellowship has
one, linked as "Print this schedule"; printed to PDF by Debian's Chromium on
Letter and A4, every meeting of the region is in the PDF's text, within a
bound of pages, with the legend of codes, the build's date and a QR code."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter

import pytest

from site_build import text

pytest_plugins = ["site_fixtures"]

# The example directory's busiest region fits this many sheets, on either paper.
PAGE_BOUND = 2  # 45 meetings of Illinois print on 2 pages of Letter or A4


def region_meetings(directory, region_slug: str) -> Counter:
    """How many meetings each listing of a region (its sub-regions' included) holds."""
    regions = directory.vocabularies.regions
    counts: Counter = Counter()
    for l in directory.listings:
        if l.meetings and region_slug in {r.slug for r in regions[l.region].lineage}:
            counts[l.name] += len(l.meetings)  # two listings may share a name (in person, online)
    return counts


def busiest_region(directory):
    regions = directory.vocabularies.regions
    return max(regions.values(), key=lambda r: (sum(region_meetings(directory, r.slug).values()), r.slug))


def squeezed(value: str) -> str:
    # Text from a PDF breaks lines anywhere a name wraps, and a font may set "fi" as
    # one ligature glyph (U+FB01, "Springﬁeld"): compare the compatibility form, without whitespace.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))


def test_each_region_online_and_fellowship_page_links_its_print_page(example_site, example_directory):
    vocab = example_directory.vocabularies
    pages = [f"regions/{r.path}/" for r in vocab.regions.values()] + ["online/"]
    pages += [f"fellowships/{t.code}/" for t in vocab.terms["fellowships"]]
    for url in pages:
        link = next((a for a in example_site.soup(url).select("a") if a.get_text(strip=True) == "Print this schedule"), None)
        assert link is not None, url
        assert example_site.resolve(url, link["href"])[0] == url + "print/"
        assert example_site.exists(url + "print/"), url


def test_a_print_page_has_every_meeting_the_legend_the_date_and_a_qr_code(example_site, example_directory):
    region = busiest_region(example_directory)
    soup = example_site.soup(f"regions/{region.path}/print/")
    meetings = soup.select(".rd-print__meeting")
    assert len(meetings) == sum(region_meetings(example_directory, region.slug).values())
    used = {code for li in meetings for code in text(li.select_one(".rd-print__codes") or li).split() if li.select_one(".rd-print__codes")}
    assert {dt.get_text() for dt in soup.select(".rd-print__legend dt")} == used
    assert "as built on" in text(soup.select_one(".rd-print__summary"))
    qr = soup.select_one("figure.rd-qr")
    assert qr["role"] == "img" and f"https://example.org/recovery-directory/regions/{region.path}/" in qr["aria-label"]
    assert qr.svg is not None and not qr.find_all(["script", "foreignobject", "a"])
    assert soup.select_one("[data-pagefind-body]") is None  # not searchable
    sitemap_nav = [a["href"] for a in soup.select(".md-nav a")]
    assert not any("print/" in href for href in sitemap_nav)


@pytest.mark.browser
@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_printed_to_pdf_every_meeting_of_the_region_is_there(page, example_server, example_directory, paper):
    pypdf = pytest.importorskip("pypdf") if not __import__("os").environ.get("CI") else __import__("pypdf")
    region = busiest_region(example_directory)
    page.goto(f"{example_server}regions/{region.path}/print/")
    pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format=paper, print_background=False)))
    content = squeezed("".join(p.extract_text() for p in pdf.pages))
    expected = region_meetings(example_directory, region.slug)
    for name, count in expected.items():
        assert content.count(squeezed(name)) >= count, f"{name}: {count} meetings, {content.count(squeezed(name))} in the PDF"
    assert 1 <= len(pdf.pages) <= PAGE_BOUND, f"{len(pdf.pages)} pages on {paper}"
    assert "Incrisis?" in content  # the crisis line stays on paper
    assert page.log.elsewhere == []


@pytest.mark.browser
def test_on_paper_no_header_navigation_search_or_buttons(page, example_server, example_directory):
    listing = next(l for l in example_directory.listings if l.kind == "group" and l.meetings)
    page.goto(f"{example_server}groups/{listing.slug}/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search", ".md-button", "button"):
        for element in page.locator(selector).all():
            assert not element.is_visible(), selector
    assert page.locator("h1").is_visible()
