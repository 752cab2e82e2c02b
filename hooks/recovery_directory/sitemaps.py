"""Sitemaps past the protocol's limit.

MkDocs writes one ``sitemap.xml`` (from ``overrides/sitemap.xml``) with every
page. The protocol allows 50,000 URLs in a file (sitemaps.org); a national
directory has more. Then the URLs go into ``sitemap-1.xml``, ``sitemap-2.xml`` …
in order, and ``sitemap.xml`` (and ``sitemap.xml.gz``) becomes their index, the
address search engines already know.
"""

from __future__ import annotations

import gzip
import itertools
import os
from collections.abc import Iterator
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from .atomic import write_chunks_atomic, write_text_atomic

SITEMAP = "sitemap.xml"
URLS_PER_SITEMAP = 50_000  # sitemaps.org: at most 50,000 URLs and 50 MB per file
_URL_END = "</url>"


def split_sitemap(site_dir: str, site_url: str, limit: int = URLS_PER_SITEMAP) -> int:
    """Split ``site_dir/sitemap.xml`` when it lists more than ``limit`` URLs;
    the number of sitemap files written (0: it was small enough). The file is
    read piece by piece: at 100,000 pages it is tens of megabytes."""
    path = os.path.join(site_dir, SITEMAP)
    if not os.path.isfile(path):
        return 0
    with open(path, encoding="utf-8") as handle:
        if sum(chunk.count(_URL_END) for chunk in _chunks(handle)) <= limit:
            return 0
        handle.seek(0)
        head = handle.read(4096)
        urlset_open = head[head.index("<urlset"):head.index(">", head.index("<urlset")) + 1]  # its namespaces (hreflang: xhtml)
        prolog = head[:head.index("<urlset")]
        handle.seek(0)
        entries = _entries(handle)
        names: list[str] = []
        for first in entries:
            names.append(f"sitemap-{len(names) + 1}.xml")
            part = itertools.chain([first], itertools.islice(entries, limit - 1))
            write_chunks_atomic(os.path.join(site_dir, names[-1]),
                                itertools.chain([f"{prolog}{urlset_open}\n"], (entry + "\n" for entry in part), ["</urlset>\n"]))
    base = site_url if site_url.endswith("/") else site_url + "/"
    index = "".join(f"  <sitemap><loc>{escape(urljoin(base, name))}</loc></sitemap>\n" for name in names)
    index = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{index}</sitemapindex>\n')
    write_text_atomic(path, index)
    gzipped = path + ".gz"
    if os.path.exists(gzipped):  # MkDocs' compressed copy: now of the index
        with gzip.open(gzipped + ".tmp", "wt", encoding="utf-8") as handle:
            handle.write(index)
        os.replace(gzipped + ".tmp", gzipped)
    return len(names)


def _chunks(handle, size: int = 1 << 20) -> Iterator[str]:
    return iter(lambda: handle.read(size), "")


def _entries(handle) -> Iterator[str]:
    """Each ``<url>…</url>`` of a sitemap, in order, read a megabyte at a time."""
    buffer = ""
    for chunk in _chunks(handle):
        buffer += chunk
        at = 0
        while (start := buffer.find("<url>", at)) != -1 and (end := buffer.find(_URL_END, start)) != -1:
            at = end + len(_URL_END)
            yield buffer[start:at]
        buffer = buffer[at:]
