"""The search index: Pagefind, fed one language at a time, in parts along the regions.

Pagefind holds every page it indexes in memory until it writes the index: about
35 KB per listing page even with little text (60-75 KB when it crawls the site
itself), so one index of 100,000 listings would need several GiB. And a reader's
first search loads the page table of every index it searches (about 10 bytes a
page). So a language with more than ``PART_PAGES`` listing pages is split along
its region tree (``plan_parts``: a state that fits is one part, small states
share one, a large state is split along its areas), each part indexed by its
own ``pagefind --service`` process, one after the other: the memory peak and
what a first search in one region loads are one part's, whatever the size of
the directory.

The site's ``pagefind/`` bundle holds, for each language, the pages of no
region (the guides), or every page when one part is enough (one
``pagefind-entry.json`` naming every language, as Pagefind's own multilingual
index does); each part is a bundle of its own beside it (``pagefind/en-1/``…),
with its index only. ``pagefind/parts.json`` describes, per language, what
each part holds (whole regions and regions' own pages, by path) and the places
a reader can choose to search (``scopes``): search.js loads the site bundle and
the parts holding the chosen region, merged with Pagefind's ``mergeIndex``.

Only pages with a ``data-pagefind-body`` element reach Pagefind, and only that
element (with the page's ``<html lang>``): Pagefind would ignore the rest of
the page anyway after parsing it, and parsing the theme's header, navigation
and footer was most of its time. The builds hand those bodies over as they
write each page (``SearchFeed``, a file outside the site), so the index need
not open every HTML file of the site again (about 0.25 ms of kernel time an
open); a site with no feed is walked and read as before. The feed holds each
page as our hook's ``on_post_page`` saw it: a plugin added to ``mkdocs.yml``
that changes pages after that (a later ``on_post_page``, or files rewritten in
``on_post_build``) would have to be indexed from the site, without the feed.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from html import unescape
from typing import AnyStr, Iterable, Iterator

from mkdocs.exceptions import PluginError

BUNDLE = "pagefind"  # the bundle's folder in the site, as search.html links it
PARTS_FILE = "parts.json"  # each language's parts and the regions a reader may choose (index_site)
# Listing pages per part: the first search loads one part's page table (about
# 10 bytes a page) and the query's index chunks, so this bounds it (benchmarks/
# results/scale.md); a Pagefind process then peaks near 150 MiB.
PART_PAGES = 3_000
INDEX_CONFIG = {"exclude_selectors": [".headerlink"]}  # the heading permalink mark stays out of result titles
BATCH = 1 << 16  # bytes of requests written at once (PagefindService.stream): a pipe's buffer
ENTRY = "pagefind-entry.json"  # a bundle's languages and the names of their index files
# A further part's bundle needs only its index: the scripts, styles and WebAssembly are the first's.
PART_FOLDERS = {"fragment", "index", "filter"}
# Pagefind's own interfaces: the search page is ours, on pagefind.js (search.js), so no page loads them.
PAGEFIND_UIS = frozenset(("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"))

BODY_MARK = b"data-pagefind-body"
TAG = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)\b")
LANG = re.compile(rb"<html\b[^>]*?\slang=[\"']?([A-Za-z0-9-]+)")
# The same in a page still as text (SearchFeed.add_page), matching as the bytes patterns do: ASCII only.
TEXT_BODY_MARK = BODY_MARK.decode()
TEXT_TAG = re.compile(TAG.pattern.decode(), re.ASCII)


@dataclass
class IndexStats:
    pages: dict[str, int] = field(default_factory=dict)  # language → pages indexed
    parts: int = 0
    seconds: float = 0.0


# --- which pages, and what of them --------------------------------------------

def searchable_html(html: bytes) -> bytes | None:
    """What Pagefind needs of a page: its ``data-pagefind-body`` elements inside
    an ``<html>`` with the page's ``lang``; ``None`` for a page that has none.

    A match that is not really an attribute (the words in a listing's notes)
    costs only a fragment that Pagefind then finds no body in, and drops."""
    parts = _body_parts(html)
    return _wrapped(html, parts) if parts else None


def searchable_text(page: str) -> bytes | None:
    """``searchable_html`` of ``page`` as MkDocs writes it (UTF-8, unencodable
    characters as references), byte for byte, from the page still as text: only
    its search body is encoded, not the whole page (a seventh of it)."""
    parts = _body_parts(page)
    if not parts:
        return None
    head = page[:4096].encode("utf-8", errors="xmlcharrefreplace")  # LANG's window: the page's first 4096 bytes
    return _wrapped(head, [part.encode("utf-8", errors="xmlcharrefreplace") for part in parts])


def _wrapped(html: bytes, parts: list[bytes]) -> bytes:
    lang = LANG.search(html, 0, 4096)
    opening = b'<html lang="%s"><body>' % lang.group(1) if lang else b"<html><body>"
    return opening + b"".join(parts) + b"</body></html>"


def _body_parts(html: AnyStr) -> list[AnyStr]:
    """The page's ``data-pagefind-body`` elements, bytes or text alike (ASCII markers)."""
    mark, tag_start, lt = (BODY_MARK, TAG, b"<") if isinstance(html, bytes) else (TEXT_BODY_MARK, TEXT_TAG, "<")
    parts = []
    at = html.find(mark)
    while at >= 0:
        start = html.rfind(lt, 0, at)
        tag = tag_start.match(html, start) if start >= 0 else None
        end = _element_end(html, start, tag.group(1)) if tag else at + len(mark)
        if tag:
            parts.append(html[start:end])
        at = html.find(mark, max(end, at + len(mark)))
    return parts


def _element_end(html: AnyStr, start: int, name: AnyStr) -> int:
    """Where the element opened at ``start`` ends: after its matching end tag
    (elements of the same name counted in between), else the end of the page."""
    if isinstance(html, bytes):
        pattern = re.compile(rb"<(/?)%s\b[^>]*>" % re.escape(name), re.IGNORECASE)
    else:
        pattern = re.compile(r"<(/?)%s\b[^>]*>" % re.escape(name), re.IGNORECASE | re.ASCII)
    depth = 0
    for match in pattern.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return len(html)


def page_url(site_dir: str, path: str) -> str:
    """The URL Pagefind gives a file it finds itself: ``/groups/x/``, ``/404.html``."""
    url = "/" + os.path.relpath(path, site_dir).replace(os.sep, "/")
    return url[: -len("index.html")] if url.endswith("/index.html") else url


def html_files(root: str, skip: Iterable[str] = ()) -> Iterator[str]:
    """Every HTML file under ``root`` in a stable order, leaving out the search
    bundle, the theme's assets and the folders in ``skip`` (other languages')."""
    left_out = {BUNDLE, "assets", *(s.strip("/") for s in skip)}
    for folder, dirs, files in os.walk(root):
        if folder == root:
            dirs[:] = [d for d in dirs if d not in left_out]
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".html"):
                yield os.path.join(folder, name)


# --- Pagefind's service -------------------------------------------------------

class PagefindService:
    """``pagefind --service``: base64 JSON messages, each followed by a comma.

    Pagefind's own Python client reads one response per 0.1 s (it sleeps
    between reads: 3 hours for 100,000 pages, and what looked like a hang with
    many requests at once); here a thread writes the requests while this one
    reads the responses as they come."""

    def __init__(self):
        from pagefind.service import get_executable

        executable = get_executable()
        if executable is None:
            raise PluginError("Pagefind's binary is not installed (pip install 'pagefind[bin]').")
        self.process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.message_id = 0
        self.pending = b""

    def __enter__(self) -> "PagefindService":
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process.poll() is None:
            if exc_info[0] is None:
                self.process.stdin.close()  # Pagefind exits at the end of its input
                self.process.wait()
            else:
                self.process.kill()
                self.process.wait()

    def request(self, payload: dict) -> dict:
        return self.stream([payload])[0]

    def stream(self, payloads: Iterable[dict]) -> list[dict]:
        """Send every request (read lazily, in a thread) and read every response;
        return them, leaving out files indexed, which are only counted.

        Requests go in writes of about ``BATCH`` bytes and responses are taken
        as they come, each read's worth at once: the threads meet once a batch,
        not once a page (their hand-offs cost more than encoding the pages)."""
        sent = threading.Condition()
        state = {"sent": 0, "done": False, "error": None}

        def write():
            try:
                batch, size = [], 0
                for payload in payloads:
                    self.message_id += 1
                    message = json.dumps({"message_id": self.message_id, "payload": payload}).encode()
                    batch.append(base64.b64encode(message) + b",")
                    size += len(batch[-1])
                    if size >= BATCH:
                        self._send(batch, sent, state)
                        batch, size = [], 0
                self._send(batch, sent, state)
            except Exception as exc:  # reading a page, or Pagefind gone (the reader says why)
                state["error"] = exc
            finally:
                with sent:
                    state["done"] = True
                    sent.notify()

        writer = threading.Thread(target=write, name="pagefind-requests", daemon=True)
        writer.start()
        kept, received = [], 0
        while True:
            if received == state["sent"]:  # every answer to what was sent is in: wait for more, or the end
                with sent:
                    sent.wait_for(lambda: state["sent"] > received or state["done"])
                    if received == state["sent"]:
                        break
            for response in self._read():
                received += 1
                if response.get("type") == "Error":
                    raise PluginError(f"Pagefind could not index the site: {response.get('message')}")
                if response.get("type") != "IndexedFile":
                    kept.append(response)
        writer.join()
        if state["error"] is not None:
            raise PluginError(f"Pagefind could not index the site: {state['error']}") from state["error"]
        return kept

    def _send(self, batch: list[bytes], sent: threading.Condition, state: dict) -> None:
        with sent:  # counted first: the reader may wait for their answers as soon as it knows of them
            state["sent"] += len(batch)
            sent.notify()
        self.process.stdin.write(b"".join(batch))
        self.process.stdin.flush()

    def _read(self) -> list[dict]:
        """Every whole response come so far, at least one (waiting for it)."""
        chunks = [self.pending]
        while True:
            chunk = self.process.stdout.read1(1 << 16)
            if not chunk:
                raise PluginError(f"Pagefind stopped while indexing the site (exit {self.process.wait()}).")
            chunks.append(chunk)
            if b"," in chunk:
                break
        *messages, self.pending = b"".join(chunks).split(b",")
        return [json.loads(base64.b64decode(message)).get("payload") or {} for message in messages]


def write_part(pages: Iterable[tuple[str, bytes]], out: str, language: str | None, first: bool) -> dict:
    """One Pagefind process: index ``pages`` and write the bundle into ``out``
    (a further part: its index only); returns its ``pagefind-entry.json``,
    which is left to the caller to write. ``language`` set: every page is
    indexed as that language (its folder's), whatever a stray page's ``lang`` says.

    The files come back through the service (GetFiles) and are written here:
    Pagefind's own WriteFiles answers before its writes have landed, and the
    service exits as soon as its input ends, so files could be cut short."""
    config = dict(INDEX_CONFIG, force_language=language) if language else INDEX_CONFIG
    with PagefindService() as service:
        index = service.request({"type": "NewIndex", "config": config})["index_id"]
        service.stream({"type": "AddFile", "index_id": index, "url": url, "file_path": None,
                        "file_contents": html.decode("utf-8", "replace")} for url, html in pages)
        files = service.request({"type": "GetFiles", "index_id": index})["files"]
    entry: dict = {}
    folders: set[str] = set()  # made: a page's fragment each, in a few folders
    for file in files:
        path = file["path"]
        if path == ENTRY:
            entry = json.loads(base64.b64decode(file["content"]))
        elif path in PAGEFIND_UIS:
            continue
        elif first or path.split("/")[0] in PART_FOLDERS or path.endswith(".pf_meta"):
            target = os.path.join(out, *path.split("/"))
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            with open(target, "wb") as handle:
                handle.write(base64.b64decode(file["content"]))
    return entry


# --- parts along the regions ------------------------------------------------------

@dataclass
class Part:
    """A bundle's share of one language's pages: whole regions (everything in
    them, by path: ``texas/houston``) and regions' own pages (listed in the
    region itself, none of its areas), read from the files in ``files``."""

    regions: list[str] = field(default_factory=list)
    own: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def manifest(self) -> dict:
        return {"regions": self.regions, "own": self.own, "pages": len(self.files)}


@dataclass
class _Region:
    path: str
    value: str  # its name as the region filter holds it
    own: list[str] = field(default_factory=list)
    children: dict[str, "_Region"] = field(default_factory=dict)
    total: int = 0

    def files(self) -> Iterator[str]:
        yield from self.own
        for child in self.children.values():
            yield from child.files()


@dataclass
class Plan:
    """How one language's pages are indexed: ``common`` (pages of no region:
    the guides) and every page when the language fits in one part, into the
    site's bundle; each of ``parts`` into a bundle of its own; ``scopes``: the
    regions a reader can choose to search in (each state, and the areas of a
    state too large for one part), outermost first."""

    common: Part
    parts: list[Part]
    scopes: list[dict]


def plan_parts(pages: Iterable[tuple[str, list[list[str]] | None]], limit: int) -> Plan:
    """Split ``(file, region lineage as [slug, filter value] pairs, or None)``
    into parts of at most ``limit`` regional pages along the region tree: a
    region that fits is one unit; one that does not gives its own pages (in runs
    of ``limit``) and each of its areas, split the same way. Units then fill
    parts in the tree's order, so small neighbours share a part."""
    roots: dict[str, _Region] = {}
    common: list[str] = []
    regional = 0
    for file, lineage in pages:
        if not lineage:
            common.append(file)
            continue
        level, path, node = roots, "", None
        for slug, value in lineage:
            path = f"{path}/{slug}" if path else slug
            node = level.setdefault(slug, _Region(path, value))
            node.total += 1
            level = node.children
        node.own.append(file)
        regional += 1
    if regional <= limit:  # one part: the reader chooses nowhere
        return Plan(Part(files=common + [f for root in _sorted(roots) for f in root.files()]), [], [])
    parts: list[Part] = []
    for regions, own, files in _units(_sorted(roots), limit):
        if parts and len(parts[-1].files) + len(files) <= limit:
            last = parts[-1]
            last.regions += regions
            last.own += own
            last.files += files
        else:
            parts.append(Part(list(regions), list(own), list(files)))
    return Plan(Part(files=common), parts, list(_scopes(_sorted(roots), limit)))


def _sorted(regions: dict[str, _Region]) -> list[_Region]:
    return [regions[slug] for slug in sorted(regions)]


def _units(regions: list[_Region], limit: int) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """``(whole regions, regions' own pages, files)``, each of at most ``limit``
    files unless one region's own pages are more (then in runs of ``limit``)."""
    for region in regions:
        if region.total <= limit:
            yield [region.path], [], list(region.files())
            continue
        for start in range(0, len(region.own), limit):
            yield [], [region.path], region.own[start:start + limit]
        yield from _units(_sorted(region.children), limit)


def _scopes(regions: list[_Region], limit: int, depth: int = 0) -> Iterator[dict]:
    for region in regions:
        yield {"path": region.path, "name": region.value, "pages": region.total, "depth": depth}
        if region.total > limit:  # too large to search at once lightly: its areas are offered too
            yield from _scopes(_sorted(region.children), limit, depth + 1)


REGION_ATTRIBUTE = re.compile(rb"\sdata-rd-region='([^']*)'")


def page_region(html: bytes) -> list[list[str]] | None:
    """The region lineage a page's search body carries (``data-rd-region``,
    listing.html), or ``None``: a page of no region (a guide) or not searchable."""
    at = html.find(BODY_MARK)
    start = html.rfind(b"<", 0, at) if at >= 0 else -1
    if start < 0 or not TAG.match(html, start):
        return None
    end = html.find(b">", at)
    found = REGION_ATTRIBUTE.search(html, start, end if end >= 0 else len(html))
    if not found:
        return None
    return json.loads(unescape(found.group(1).decode("utf-8")))


def regional_pages(site_dir: str, folder: str = "", skip: Iterable[str] = ()) -> Iterator[tuple[str, list[list[str]] | None]]:
    """``(file, region lineage or None)`` of each page that may be searchable."""
    for path in html_files(os.path.join(site_dir, folder), skip):
        with open(path, "rb") as handle:
            html = handle.read()
        if BODY_MARK in html:
            yield path, page_region(html)


def pages_of(site_dir: str, files: Iterable[FedPage | str], bodies: str | None = None) -> Iterator[tuple[str, bytes]]:
    """``(url, html for Pagefind)`` of each file, read one at a time: from the
    site, or a page the build fed from its feed's ``bodies`` (one file open)."""
    feed = None
    try:
        for page in files:
            if isinstance(page, FedPage):
                if feed is None:
                    feed = open(bodies, "rb")
                feed.seek(page.at)
                yield page.url, feed.read(page.size)
                continue
            with open(page, "rb") as handle:
                html = searchable_html(handle.read())
            if html is not None:
                yield page_url(site_dir, page), html
    finally:
        if feed is not None:
            feed.close()


# --- the build's feed: what each page gives the index, written as it renders -----

FEED_ENV = "RECOVERY_DIRECTORY_SEARCH_FEED"  # set by `recovery-directory build`: where a language's build writes its feed
FEED_PAGES = "pages.jsonl"  # one line a page: its path, region and where its body lies in FEED_BODIES
FEED_BODIES = "bodies"  # every page's search body (searchable_html), one after the other
_WRITING = ".part"  # until the build ends: a feed cut short is never read


@dataclass(frozen=True)
class FedPage:
    """A page the build handed over: its URL in the site and its body in the feed."""

    url: str
    at: int
    size: int


class SearchFeed:
    """What the index needs of each page, appended while the build renders
    (mkdocs_build.on_post_page): its path, region lineage and search body, so
    the index reads one file instead of opening every page of the site.
    Only a line per page stays in memory, in ``plan_parts``, never the bodies.

    The folder is the build's own, outside the site (the site is published as is)."""

    def __init__(self, folder: str):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self.pages = open(os.path.join(folder, FEED_PAGES + _WRITING), "w", encoding="utf-8")
        self.bodies = open(os.path.join(folder, FEED_BODIES), "wb")
        self.at = 0

    def add_page(self, path: str, page: str) -> None:
        """A page as MkDocs writes it at ``path`` (``groups/x/index.html``) in the build's folder."""
        body = searchable_text(page)
        if body is None:
            return
        self.bodies.write(body)
        line = {"path": path, "region": page_region(body), "at": self.at, "size": len(body)}
        self.pages.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.at += len(body)

    def add_file(self, path: str) -> None:
        """An HTML file the build writes but not as a page (a theme's 404.html, an
        HTML file of docs/ copied as is): the index reads it from the site."""
        self.pages.write(json.dumps({"file": path}, ensure_ascii=False) + "\n")

    def close(self, complete: bool = True) -> None:
        self.pages.close()
        self.bodies.close()
        if complete:
            os.replace(self.pages.name, os.path.join(self.folder, FEED_PAGES))


def fed_pages(feed: str, site_dir: str, folder: str = "") -> list[tuple[FedPage | str, list[list[str]] | None]] | None:
    """``(page, region lineage or None)`` of each searchable page the build's
    feed in ``feed`` names, in the order a walk of the site finds them
    (html_files): the same index, page for page. A file it names to be read
    from the site is read there (regional_pages). ``None``: no complete feed."""
    try:
        handle = open(os.path.join(feed, FEED_PAGES), encoding="utf-8")
    except FileNotFoundError:
        return None
    root = os.path.join(site_dir, folder)
    found, lineages = [], {}  # one lineage object for a region's pages: 100,000 pages share a few thousand
    with handle:
        for line in handle:
            entry = json.loads(line)
            if "file" in entry:
                if entry["file"].split("/")[0] in (BUNDLE, "assets"):  # as html_files leaves them out
                    continue
                path = os.path.join(root, *entry["file"].split("/"))
                with open(path, "rb") as page:
                    html = page.read()
                if BODY_MARK in html:
                    found.append((_walk_order(entry["file"]), path, page_region(html)))
                continue
            url = "/" + folder + entry["path"]
            url = url[: -len("index.html")] if url.endswith("/index.html") else url
            region = entry["region"] and lineages.setdefault(json.dumps(entry["region"]), entry["region"])
            found.append((_walk_order(entry["path"]), FedPage(url, entry["at"], entry["size"]), region))
    found.sort(key=lambda item: item[0])
    return [(page, region) for _, page, region in found]


def _walk_order(path: str) -> str:
    """Sorts paths as html_files walks them: a folder's files, then its folders,
    by name (a file's name follows \\x01, a folder's \\x02 and ends at \\x00)."""
    *folders, name = path.split("/")
    return "".join(f"\x02{f}\x00" for f in folders) + "\x01" + name


# --- the whole site -------------------------------------------------------------

def index_site(site_dir: str, languages: dict[str, str] | None = None, part_pages: int = PART_PAGES,
               feeds: dict[str | None, str] | None = None) -> IndexStats:
    """Index the built site into ``<site_dir>/pagefind/``.

    ``languages``: each language's folder in the site (``{"en": "", "es": "es/"}``,
    languages.language_folder), indexed one after the other; ``None``: the site
    is one build, indexed as its pages' ``lang`` say (a plain ``mkdocs build``).
    A language with more than ``part_pages`` listing pages is split along its
    regions (plan_parts); ``pagefind/parts.json`` describes each language's
    parts and the regions a reader can choose (search.js).

    ``feeds``: each language's (``None``: the one build's) feed folder
    (SearchFeed), written by its build: its pages are read from there, not
    from the site; a language with no complete feed is found by walking the site."""
    started = time.perf_counter()
    bundle = os.path.join(site_dir, BUNDLE)
    shutil.rmtree(bundle, ignore_errors=True)  # no part of an earlier, larger index stays listed
    if languages:
        others = [folder for folder in languages.values() if folder]
        groups = [(code, folder, () if folder else others) for code, folder in languages.items()]
    else:
        groups = [(None, "", ())]
    stats = IndexStats()
    entry: dict = {"languages": {}}  # the site's bundle's, for every language
    manifest: dict[str, dict] = {}
    for language, folder, skip in groups:
        feed = (feeds or {}).get(language)
        fed = fed_pages(feed, site_dir, folder) if feed else None
        plan = plan_parts(regional_pages(site_dir, folder, skip) if fed is None else fed, part_pages)
        bodies = os.path.join(feed, FEED_BODIES) if fed is not None else None
        primary, parts = plan.common, plan.parts
        if not primary.files and parts:  # nothing of no region: the first part is the site bundle's
            primary, parts = parts[0], parts[1:]
        described = {"primary": {"regions": primary.regions, "own": primary.own}, "parts": [], "scopes": plan.scopes}
        codes: set[str] = set()
        for number, part in enumerate([primary, *parts]):
            first = number == 0
            if not part.files:
                continue
            stats.parts += 1
            name = f"{language or 'part'}-{number}"
            out = bundle if first else os.path.join(bundle, name)
            written = write_part(pages_of(site_dir, part.files, bodies), out, language, first)
            for code, meta in written["languages"].items():
                stats.pages[code] = stats.pages.get(code, 0) + meta["page_count"]
                codes.add(code)
            if first:  # the site bundle's entry names every language's index there
                entry = {**written, "languages": {**entry["languages"], **written["languages"]}}
            else:
                described["parts"].append({"path": name + "/", **part.manifest()})
                _write_json(os.path.join(out, ENTRY), written)
        for code in codes:
            manifest[code] = described
    if not stats.pages:
        raise PluginError("Pagefind could not index the site: no page has a data-pagefind-body element.")
    _write_json(os.path.join(bundle, ENTRY), entry)
    _write_json(os.path.join(bundle, PARTS_FILE), manifest)
    stats.seconds = time.perf_counter() - started
    return stats


def _write_json(path: str, value: dict) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
