"""The search index: Pagefind, fed one language at a time, in parts of a bounded size.

Pagefind holds every page it indexes in memory until it writes the index: about
35 KB per listing page even with little text (60-75 KB when it crawls the site
itself), so one index of 100,000 listings would need several GiB. Here
each language's pages go to ``pagefind --service`` in parts of at most
``PART_PAGES`` pages, one process per part, one after the other: the peak is
one part's, whatever the size of the directory.

The first part of each language is written into the site's ``pagefind/``
bundle (one ``pagefind-entry.json`` naming every language, as Pagefind's own
multilingual index does); each further part into a bundle of its own beside
it (``pagefind/en-2/``…), which the search page merges into the first with
Pagefind's ``mergeIndex``. ``pagefind/parts.json`` says which parts each
language has (search.js reads it).

Only pages with a ``data-pagefind-body`` element reach Pagefind, and only that
element (with the page's ``<html lang>``): Pagefind would ignore the rest of
the page anyway after parsing it, and parsing the theme's header, navigation
and footer was most of its time.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from mkdocs.exceptions import PluginError

BUNDLE = "pagefind"  # the bundle's folder in the site, as search.html links it
PARTS_FILE = "parts.json"  # {language: [folder of each part after the first, relative to the bundle]}
PART_PAGES = 10_000  # pages per Pagefind process: a peak of about 400 MiB
INDEX_CONFIG = {"exclude_selectors": [".headerlink"]}  # the heading permalink mark stays out of result titles
ENTRY = "pagefind-entry.json"  # a bundle's languages and the names of their index files
# A further part's bundle needs only its index: the scripts, styles and WebAssembly are the first's.
PART_FOLDERS = {"fragment", "index", "filter"}

BODY_MARK = b"data-pagefind-body"
TAG = re.compile(rb"<([A-Za-z][A-Za-z0-9-]*)\b")
LANG = re.compile(rb"<html\b[^>]*?\slang=[\"']?([A-Za-z0-9-]+)")


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
    parts = []
    at = html.find(BODY_MARK)
    while at >= 0:
        start = html.rfind(b"<", 0, at)
        tag = TAG.match(html, start) if start >= 0 else None
        end = _element_end(html, start, tag.group(1)) if tag else at + len(BODY_MARK)
        if tag:
            parts.append(html[start:end])
        at = html.find(BODY_MARK, max(end, at + len(BODY_MARK)))
    if not parts:
        return None
    lang = LANG.search(html, 0, 4096)
    opening = b'<html lang="%s"><body>' % lang.group(1) if lang else b"<html><body>"
    return opening + b"".join(parts) + b"</body></html>"


def _element_end(html: bytes, start: int, name: bytes) -> int:
    """Where the element opened at ``start`` ends: after its matching end tag
    (elements of the same name counted in between), else the end of the page."""
    pattern = re.compile(rb"<(/?)%s\b[^>]*>" % re.escape(name), re.IGNORECASE)
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


def searchable_pages(site_dir: str, folder: str = "", skip: Iterable[str] = ()) -> Iterator[tuple[str, bytes]]:
    """``(url, html for Pagefind)`` of each searchable page under ``folder`` of
    the site, read one at a time."""
    for path in html_files(os.path.join(site_dir, folder), skip):
        with open(path, "rb") as handle:
            html = searchable_html(handle.read())
        if html is not None:
            yield page_url(site_dir, path), html


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
        return them, leaving out files indexed, which are only counted."""
        sent = threading.Condition()
        state = {"sent": 0, "done": False, "error": None}

        def write():
            try:
                for payload in payloads:
                    self.message_id += 1
                    message = json.dumps({"message_id": self.message_id, "payload": payload}).encode()
                    self.process.stdin.write(base64.b64encode(message) + b",")
                    with sent:
                        state["sent"] += 1
                        sent.notify()
                self.process.stdin.flush()
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
            with sent:
                sent.wait_for(lambda: state["sent"] > received or state["done"])
                if received == state["sent"] and state["done"]:
                    break
            response = self._read()
            received += 1
            if response.get("type") == "Error":
                raise PluginError(f"Pagefind could not index the site: {response.get('message')}")
            if response.get("type") != "IndexedFile":
                kept.append(response)
        writer.join()
        if state["error"] is not None:
            raise PluginError(f"Pagefind could not index the site: {state['error']}") from state["error"]
        return kept

    def _read(self) -> dict:
        while b"," not in self.pending:
            chunk = self.process.stdout.read1(1 << 16)
            if not chunk:
                raise PluginError(f"Pagefind stopped while indexing the site (exit {self.process.wait()}).")
            self.pending += chunk
        message, self.pending = self.pending.split(b",", 1)
        return json.loads(base64.b64decode(message)).get("payload") or {}


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
    for file in files:
        path, content = file["path"], base64.b64decode(file["content"])
        if path == ENTRY:
            entry = json.loads(content)
        elif first or path.split("/")[0] in PART_FOLDERS or path.endswith(".pf_meta"):
            target = os.path.join(out, *path.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as handle:
                handle.write(content)
    return entry


# --- the whole site -------------------------------------------------------------

def index_site(site_dir: str, languages: dict[str, str] | None = None, part_pages: int = PART_PAGES) -> IndexStats:
    """Index the built site into ``<site_dir>/pagefind/``.

    ``languages``: each language's folder in the site (``{"en": "", "es": "es/"}``,
    languages.language_folder), indexed one after the other; ``None``: the site
    is one build, indexed as its pages' ``lang`` say (a plain ``mkdocs build``)."""
    started = time.perf_counter()
    bundle = os.path.join(site_dir, BUNDLE)
    shutil.rmtree(bundle, ignore_errors=True)  # no part of an earlier, larger index stays listed
    if languages:
        others = [folder for folder in languages.values() if folder]
        groups = [(code, folder, () if folder else others) for code, folder in languages.items()]
    else:
        groups = [(None, "", ())]
    stats = IndexStats()
    entry: dict = {"languages": {}}  # the first bundle's, for every language
    parts: dict[str, list[str]] = {}
    for language, folder, skip in groups:
        for number, chunk in enumerate(_chunks(searchable_pages(site_dir, folder, skip), part_pages), start=1):
            first = number == 1
            stats.parts += 1
            out = bundle if first else os.path.join(bundle, f"{language or 'part'}-{number}")
            written = write_part(chunk, out, language, first)
            for code, meta in written["languages"].items():
                stats.pages[code] = stats.pages.get(code, 0) + meta["page_count"]
                if not first:
                    parts.setdefault(code, []).append(os.path.basename(out) + "/")
            if first:  # the first bundle's entry names every language's first part
                entry = {**written, "languages": {**entry["languages"], **written["languages"]}}
            else:
                _write_json(os.path.join(out, ENTRY), written)
    if not stats.pages:
        raise PluginError("Pagefind could not index the site: no page has a data-pagefind-body element.")
    _write_json(os.path.join(bundle, ENTRY), entry)
    _write_json(os.path.join(bundle, PARTS_FILE), parts)
    stats.seconds = time.perf_counter() - started
    return stats


def _chunks(pages: Iterator[tuple[str, bytes]], size: int) -> Iterator[Iterator[tuple[str, bytes]]]:
    """``pages`` in runs of ``size``, each to be consumed before the next is asked for."""
    pages = iter(pages)
    for page in pages:  # the first page of a run; islice takes the rest of it
        yield itertools.chain((page,), itertools.islice(pages, size - 1))


def _write_json(path: str, value: dict) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, separators=(",", ":"), sort_keys=True)
