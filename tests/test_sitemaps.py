"""A sitemap past the protocol's 50,000 URLs becomes an index of sitemaps (sitemaps.py)."""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET

from recovery_directory.sitemaps import split_sitemap

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
SITE_URL = "https://example.org/dir/"


def sitemap(urls: list[str]) -> str:
    entries = "".join(
        f'    <url>\n         <loc>{SITE_URL}{u}</loc>\n         <lastmod>2026-11-25</lastmod>\n'
        f'         <xhtml:link rel="alternate" hreflang="es" href="{SITE_URL}es/{u}"/>\n    </url>\n' for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n{entries}</urlset>\n')


def locs(path) -> list[str]:
    return [loc.text for loc in ET.parse(path).getroot().iterfind("s:url/s:loc", NS)]


def test_a_small_sitemap_is_left_alone(tmp_path):
    text = sitemap(["a/", "b/"])
    (tmp_path / "sitemap.xml").write_text(text, encoding="utf-8")
    assert split_sitemap(str(tmp_path), SITE_URL, limit=2) == 0
    assert (tmp_path / "sitemap.xml").read_text(encoding="utf-8") == text


def test_a_large_sitemap_becomes_an_index_of_valid_sitemaps(tmp_path):
    urls = [f"groups/g{i}/" for i in range(7)]
    (tmp_path / "sitemap.xml").write_text(sitemap(urls), encoding="utf-8")
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress(b"old"))
    assert split_sitemap(str(tmp_path), SITE_URL, limit=3) == 3
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == "{%s}sitemapindex" % NS["s"]
    parts = [loc.text for loc in index.iterfind("s:sitemap/s:loc", NS)]
    assert parts == [f"{SITE_URL}sitemap-{n}.xml" for n in (1, 2, 3)]
    found = [loc for n in (1, 2, 3) for loc in locs(tmp_path / f"sitemap-{n}.xml")]
    assert found == [SITE_URL + u for u in urls]  # every URL once, in order
    assert [len(locs(tmp_path / f"sitemap-{n}.xml")) for n in (1, 2, 3)] == [3, 3, 1]
    alternates = ET.parse(tmp_path / "sitemap-1.xml").getroot().findall("s:url/x:link", NS)
    assert alternates[0].get("href") == f"{SITE_URL}es/groups/g0/"  # hreflang alternates kept
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()).decode() == (tmp_path / "sitemap.xml").read_text()


def test_a_sitemap_larger_than_one_read_splits_without_losing_an_entry(tmp_path):
    """Read a megabyte at a time: entries that straddle two reads come out whole."""
    urls = [f"groups/a-listing-with-a-longer-name-{i}/" for i in range(6000)]
    text = sitemap(urls)
    assert len(text) > 2**20  # more than one read
    (tmp_path / "sitemap.xml").write_text(text, encoding="utf-8")
    assert split_sitemap(str(tmp_path), SITE_URL, limit=2500) == 3
    found = [loc for n in (1, 2, 3) for loc in locs(tmp_path / f"sitemap-{n}.xml")]
    assert found == [SITE_URL + u for u in urls]
