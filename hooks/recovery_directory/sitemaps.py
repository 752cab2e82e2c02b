"""Sitemaps past the protocol's limit.

MkDocs writes one ``sitemap.xml`` (from ``overrides/sitemap.xml``) with every
page. The protocol allows 50,000 URLs in a file (sitemaps.org); a national
directory has more. Then the URLs go into ``sitemap-1.xml``, ``sitemap-2.xml`` …
in order, and ``sitemap.xml`` (and ``sitemap.xml.gz``) becomes their index, the
address search engines already know.
"""

from __future__ import annotations

import gzip
import os
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from .atomic import write_text_atomic

SITEMAP = "sitemap.xml"
URLS_PER_SITEMAP = 50_000  # sitemaps.org: at most 50,000 URLs and 50 MB per file
_URL_END = "</url>"


def split_sitemap(site_dir: str, site_url: str, limit: int = URLS_PER_SITEMAP) -> int:
    """Split ``site_dir/sitemap.xml`` when it lists more than ``limit`` URLs;
    the number of sitemap files written (0: it was small enough)."""
    path = os.path.join(site_dir, SITEMAP)
    if not os.path.isfile(path):
        return 0
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if text.count(_URL_END) <= limit:
        return 0
    head, _, rest = text.partition("<url>")
    urlset_open = head[head.index("<urlset"):].rstrip()  # with its namespaces (hreflang: xhtml)
    prolog = head[:head.index("<urlset")]
    body = "<url>" + rest[:rest.rindex(_URL_END)]
    entries = [entry.strip() + _URL_END for entry in body.split(_URL_END) if entry.strip()]
    names = []
    for number, start in enumerate(range(0, len(entries), limit), start=1):
        name = f"sitemap-{number}.xml"
        chunk = "\n".join(entries[start:start + limit])
        write_text_atomic(os.path.join(site_dir, name), f"{prolog}{urlset_open}\n{chunk}\n</urlset>\n")
        names.append(name)
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
