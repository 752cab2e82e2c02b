"""The site build, event by event. ``hooks/directory.py`` forwards MkDocs'
events here; this module holds what one build needs between them.

Generated pages are :func:`File.generated` files with no Markdown: their
content is rendered from data by templates in ``overrides/directory/`` and
handed to the theme's ``main.html`` like any page (FINDINGS.md: about half the
cost of a Markdown page). Outside the nav, the theme around them is rendered
once per shape of page and joined with each page's own values (chrome.py); they
still go through MkDocs' loop, every event and its writing.
"""

from __future__ import annotations

import datetime
import gc
import html
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from pathlib import PurePath
from typing import Any
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .calendar import write_calendars
from .chrome import Assembled, Chrome, ChromeError
from .csp import add_policy
from .fields import parse_date
from .feeds import MEETINGS_FILE, TREATMENT_CENTERS_FILE, write_feeds
from .field_docs import field_tables
from .geo_index import write_geo_data
from .languages import Languages, add_untranslated, display_name, untranslatable
from .listing import Keeper, keeper
from .offline import MANIFEST, SW_TEMPLATE, BuildStamp, manifest, remove_worker, worker_config, write_json, write_listings_data
from .prepared import handed_over, prepare, problems_report
from .problems import format_text
from .render import Formats, catalogue, make_environment, relative_link
from .settings import Settings
from .shared_data import SharedData, link_geo_data, link_listings_data
from .schedule import ScheduleView
from .search_index import FEED_ENV, SearchFeed
from .sitemaps import split_sitemap
from .site_model import SitePage, listing_url, region_url, report_problem_url, site_pages
from .stale import is_stale
from .vendor import copy_leaflet, copy_workbox

log = logging.getLogger("mkdocs.plugins.recovery_directory")

GENERATED_TEMPLATE = "directory/generated-page.html"  # main.html with blocks shared by like pages rendered once
ASSEMBLED_TEMPLATE = "directory/assembled-page.html"  # prints a page already joined from its shape's skeleton (chrome.py)
# Set (to 1) by the tests only: every generated page through the theme's template, to compare with the skeletons' pages.
THEME_EVERY_PAGE_ENV = "RECOVERY_DIRECTORY_THEME_EVERY_PAGE"
GUIDE_FOLDER = "guide/"  # hand-written guidance pages (docs/guide/*.md)
CRISIS_MARKER = "<!-- crisis lines -->"  # in a page's Markdown: the configured crisis lines go here

# Marker comments in docs/*.md → the Markdown generated in their place.
GENERATED_MARKDOWN = {
    "<!-- the field tables are generated from the schema at build time -->": field_tables,
}


@dataclass
class DirectoryBuild:
    settings: Settings | None = None
    pages: dict[str, SitePage] = field(default_factory=dict)
    model: Any = None
    shared_data: SharedData | None = None  # data/ written once for every language (prepared.py), or None: this build writes it
    env: Any = None
    theme_env: Any = None  # MkDocs' environment of the theme (on_env)
    crisis_compact: Markup | None = None  # the crisis lines in one line, rendered once a build (_crisis_compact)
    started: float = 0.0
    shared_blocks: dict[tuple, dict[str, str]] = field(default_factory=dict)  # _nav_key → block → its HTML
    nav_folders: set[str] = field(default_factory=set)  # every folder of a nav page's URL
    rendered: int = 0  # pages written so far
    guides: list[Page] = field(default_factory=list)  # docs/guide/ pages in the nav, in its order
    languages: Languages | None = None  # this build among the site's languages
    untranslated: set[str] = field(default_factory=set)  # pages built from the first language's docs
    built: BuildStamp | None = None
    chrome: Chrome | None = None  # the theme around generated pages, once per shape; None: the theme's way, page by page
    assembled: Assembled | None = None  # the page just joined, until its policy is added (on_post_page)
    _render_base: dict[str, Any] | None = None  # render()'s context shared by every page, made on the first
    feed: SearchFeed | None = None  # each page's search body, for the index (search_index.py), while pages are written
    feed_folder: str | None = None  # a folder of this build's own for it, removed after indexing; None: the command's
    dirty: bool = False  # --dirty: pages left as they were are not written again, so not fed: the index reads the site

    # --- MkDocs events -------------------------------------------------
    def on_startup(self, command: str, dirty: bool) -> None:
        self.dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.settings = Settings.from_config(config)
        self.started = time.perf_counter()
        catalogue.cache_clear()  # mkdocs serve: an edited translations file shows on the next rebuild
        _FORMATS.clear()  # and the texts made from it
        try:
            self.languages = Languages.for_build(self.settings.languages, self.settings.language, self.settings.together, config.site_url)
        except ValueError as exc:
            raise PluginError(f"{os.path.basename(config.config_file_path or 'mkdocs.yml')}: {exc}") from None
        self.built = BuildStamp.now()
        # Anew each build: under mkdocs serve an edited theme template shows on the next rebuild.
        self.chrome = None if os.environ.get(THEME_EVERY_PAGE_ENV) == "1" else Chrome(self._render_theme)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        settings = self.settings
        if settings.fallback_docs:  # a page not translated yet is built from the original, and says so
            for uri in untranslatable(files, settings.fallback_docs):
                log.warning(f"{config.docs_dir}/{uri} translates no page of {settings.fallback_docs}/: name it like the page it translates")
            self.untranslated = add_untranslated(files, config, settings.fallback_docs)
        # Listings and model: prepared once for every language by `recovery-directory
        # build` (which printed the warnings), or here.
        prepared = handed_over(settings.directory)
        if prepared is None:
            prepared = prepare(settings.directory, self._progress)
            for problem in prepared.directory.warnings:
                log.info(format_text(problem))
            gc.collect()  # what loading and checking left (a handed-over pickle leaves none)
        # The listings and the model stay to the end: out of the collector's sight, so
        # the garbage of planning (a third faster) and rendering does not rescan them.
        gc.freeze()
        if prepared.directory.errors:
            raise PluginError(problems_report(prepared.directory))
        self.model, self.shared_data = prepared.model, prepared.data
        # Our own environment over the theme's templates: autoescaping on.
        self.env = make_environment(config.theme.get_env().loader)
        self._render_base, self.crisis_compact = None, None
        t = catalogue(settings.language)
        self.pages, self.shared_blocks, self.rendered = {}, {}, 0
        try:
            planned = site_pages(self.model, t)
        except ValueError as exc:  # two pages at one address: a region named like a page beside it
            raise PluginError(f"{settings.directory}/regions.yml: {exc}") from None
        for page in planned:
            self.pages[page.src_uri] = page
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            if page.src_uri in files.src_uris:
                files.remove(files.src_uris[page.src_uri])
            generated = GeneratedFile.generated(config, page.src_uri, content="", inclusion=inclusion)
            if page.source:
                # "Edit this page" opens the listing's YAML file, next to docs/.
                generated.edit_uri = _edit_uri(page.source, config.docs_dir)
            files.append(generated)
            if not page.in_nav:
                GeneratedPage(None, generated, config)  # MkDocs keeps a page already on a file; its title: meta (escaped)
        self._progress(f"generated {len(self.pages)} pages (planned, not yet rendered)")
        # The pages too, once planning's garbage is gone: this collection scans
        # only what planning made, the model being frozen.
        gc.collect()
        gc.freeze()
        # The worker's template is rendered into sw.js after the build, never copied as is.
        template = files.get_file_from_path(SW_TEMPLATE)
        if template is not None:
            files.remove(template)
        return files

    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        # The home page lists the guides the nav shows; it is rendered before they are read.
        self.guides = [p for p in nav.pages if p.file.src_uri.startswith(GUIDE_FOLDER)]
        self.nav_folders = {url[:i + 1] for url in (p.url for p in nav.pages) for i, c in enumerate(url) if c == "/"}
        for guide in self.guides:
            if guide.title is None:  # no title in the nav: take it from the page
                guide.read_source(config)
        return nav

    def on_env(self, env, config: MkDocsConfig, files: Files):
        self.theme_env = env
        # The same on every page, so rendered once; the theme's env prints it as is.
        env.globals["rd_crisis_compact"] = self._crisis_compact()
        # The offline notice, saved-meeting strings and manifest link of every page (offline.js, saved.js).
        for name in ("offline-head", "offline-notice"):
            env.globals["rd_" + name.replace("-", "_")] = Markup(self.env.get_template(f"directory/{name}.html").render(
                t=catalogue(self.settings.language), settings=self.settings, built=self.built, fmt=_formats(self.settings.language)))
        # The sitemaps carry the hreflang alternates (languages.LanguageLinks says why not <head>).
        env.globals["rd_hreflang"] = lambda page: self.languages.hreflang(page.url)
        flatten_globals(env, ASSEMBLED_TEMPLATE)  # rendered once a page, every global now set
        self._open_feed(config, files)
        if self.languages.others_built:  # the 404 page, rendered before any page: each language's home
            config.extra["alternate"] = self.languages.home_switcher()
        return env

    def on_page_context(self, context, page: Page, config: MkDocsConfig, nav):
        # The switcher leads to this page in each language (FINDINGS: the theme's own
        # stay-on-page logic picks the wrong target when the first language is at /).
        switcher = self.languages.switcher(page.url)
        if switcher is not None:
            config.extra["alternate"] = switcher
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            # Rendered now, just before the theme wraps it, and dropped once written
            # (on_post_page): no phase holds every page's HTML.
            page.content = self.render(spec.template, page, title=spec.title, searchable=spec.searchable, **spec.context)
            if page.meta.get("template") == ASSEMBLED_TEMPLATE:
                context["rd_page"] = self._assemble(page, context, config)
            elif not spec.in_nav:
                context.update(self._shared_blocks(page))
        return context

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        spec = self.pages.get(page.file.src_uri)
        if spec is None:
            if page.file.src_uri.startswith(GUIDE_FOLDER):  # a site owner's words, printed unescaped by the theme
                page.meta.update({k: html.escape(str(page.meta[k])) for k in ("title", "description") if k in page.meta})
            for marker, generate in GENERATED_MARKDOWN.items():
                if marker in markdown:
                    markdown = markdown.replace(marker, generate())
            return markdown
        # The theme prints meta values into <title> and <meta> unescaped.
        page.meta["title"] = html.escape(spec.title)
        page.meta["description"] = html.escape(spec.description)
        if not spec.in_nav:
            # With a title, its theme is joined from the skeleton of its shape (chrome.py).
            page.meta["template"] = ASSEMBLED_TEMPLATE if self.chrome is not None and spec.title else GENERATED_TEMPLATE
        listing = spec.context.get("listing")
        if listing is not None:  # main.html links the feed that carries the listing
            page.meta["rd_feed"] = TREATMENT_CENTERS_FILE if listing.kind == "treatment-center" else MEETINGS_FILE
        return ""

    def on_page_content(self, content: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if page.file.src_uri in self.pages:
            return ""  # rendered in on_page_context
        if page.file.src_uri in self.untranslated:
            original = self.settings.languages[0]
            content = self.render("directory/untranslated.html", page, content=Markup(content), original=original,
                                  original_name=display_name(original, self.settings.language))
        if page.file.src_uri.startswith(GUIDE_FOLDER):
            return self._guide(content, page)
        if page.is_homepage:
            return self.render("directory/home.html", page, intro=content, guides=self.guides)
        return content

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        self.rendered += 1
        if page.file.src_uri in self.pages:
            page.content = None  # written: let it go
        assembled, self.assembled = self.assembled, None
        if self.settings.content_security_policy:
            tiles = self.settings.tiles
            hosts = (tiles.host,) if tiles else ()
            if assembled is not None and output == assembled.html:  # as joined: no other plugin changed it
                output = assembled.with_policy(hosts)
            else:
                output = add_policy(output, hosts)
        if self.feed is not None:  # the page as MkDocs writes it (build.py: _build_page)
            self.feed.add_page(page.file.dest_uri, output)
        return output

    def on_post_build(self, config: MkDocsConfig) -> None:
        joined = f" ({self.chrome.joined} in the theme joined from {len(self.chrome.skeletons)} skeletons)" if self.chrome else ""
        self._progress(f"rendered {self.rendered} pages{joined}")
        # Near-me cells, places, online hours and .ics files: static data the pages fetch.
        shared = self._shared_data()
        if shared is not None:
            link_geo_data(shared, config.site_dir)
        else:
            write_geo_data(self.model, config.site_dir)
        write_calendars(self.model, config.site_dir, config.site_url or "", config.site_name, catalogue(self.settings.language))
        if self.settings.tiles:
            copy_leaflet(os.path.dirname(os.path.abspath(config.config_file_path)), config.site_dir)
        self._progress("wrote near-me, online and calendar data")
        split_sitemap(config.site_dir, config.site_url or "")  # past 50,000 pages: an index of sitemaps
        write_feeds(config, self.model, self.settings.language, self.settings.entity)  # meetings.json, treatment-centers.json
        self._progress("wrote the sitemap and the feeds")
        self._offline(config)
        feed, self.feed = self.feed, None
        if feed is not None:
            feed.close()
        try:
            if self.settings.search:
                run_pagefind(config.site_dir, feed.folder if feed is not None else None)
                self._progress("indexed for search")
        finally:
            self._remove_feed()

    def on_build_error(self, error: Exception) -> None:
        if self.feed is not None:
            self.feed.close(complete=False)
            self.feed = None
        self._remove_feed()

    # --- helpers -------------------------------------------------------
    def render(self, template: str, page: Page, **context: Any) -> str:
        base = self._render_base
        if base is None:  # what every page of this build shares, made once
            t = catalogue(self.settings.language)
            base = self._render_base = dict(
                t=t, fmt=_formats(self.settings.language), listing_url=listing_url, region_url=region_url,
                model=self.model, vocab=self.model.vocabularies, settings=self.settings, is_stale=self._is_stale,
                report_url=self._report_url, keeper=self._keeper, built=self.built,
                schedule=ScheduleView(t.language),  # rule words, next dates, closures as of the build
            )
            base["crisis_compact"] = self._crisis_compact()  # on every print page, as in the theme's header
        return self.env.get_template(template).render(
            base,
            link=relative_link(page.url),
            site_link=partial(self.languages.link, page_url=page.url),  # a path in the whole site (languages.py)
            page=page,
            **context,
        )

    def _crisis_compact(self) -> Markup:
        """The crisis lines in one line: the theme's header on every page, and
        print pages (render() is first called for Markdown pages, before on_env)."""
        if self.crisis_compact is None:
            self.crisis_compact = Markup(self.env.get_template("directory/crisis-compact.html").render(
                t=catalogue(self.settings.language), settings=self.settings))
        return self.crisis_compact

    def _assemble(self, page: Page, context: dict, config: MkDocsConfig) -> str:
        """The page inside the theme, joined from its shape's skeleton (chrome.py)."""
        try:
            self.assembled = self.chrome.page(page, context, self._nav_key(page.url), config)
        except ChromeError as exc:
            raise PluginError(f"recovery-directory: {exc}") from None
        return self.assembled.html

    def _render_theme(self, context: dict) -> str:
        """A generated page the theme's way: generated-page.html, every block rendered for it."""
        return self.theme_env.get_template(GENERATED_TEMPLATE).render(dict(context, **_block_cache({})))

    def _shared_blocks(self, page: Page) -> dict[str, Any]:
        """The theme's blocks that generated-page.html renders once and reuses:
        the sidebars (half the theme's time), the styles, the footer, the
        theme's config and the scripts.

        For a page outside the nav none of them says anything of the page itself:
        nothing in the nav is active, the table of contents is empty (no
        Markdown), there is no previous or next page. They differ only in their
        links, relative to the page, and those are alike for pages with the
        same :meth:`_nav_key`.
        """
        return _block_cache(self.shared_blocks.setdefault(self._nav_key(page.url), {}))

    def _nav_key(self, url: str) -> tuple[int, str]:
        """What a link from ``url`` to any nav page depends on: the depth of
        ``url`` and the longest of its folders that is a folder of a nav page
        (beyond it, ``url`` shares no folder with any nav page)."""
        shared = prefix = ""
        for segment in url.split("/")[:-1]:
            prefix += segment + "/"
            if prefix not in self.nav_folders:
                break
            shared = prefix
        return url.count("/"), shared

    def _offline(self, config: MkDocsConfig) -> None:
        """Saved meetings' data, the manifest and, when switched on, the service worker."""
        site_dir = config.site_dir
        shared = self._shared_data(self.settings.directions)
        if shared is not None:
            shards = link_listings_data(shared, site_dir)
        else:
            shards = write_listings_data(self.model, site_dir, self.settings.directions)
        self._progress(f"wrote saved meetings' data ({len(self.model.listings)} listings, {shards} shard{'s' if shards != 1 else ''})")
        write_json(site_dir, MANIFEST, manifest(config.site_name, config.site_description or "", self.settings.theme_color, self.settings.language))
        if not self.settings.service_worker:
            remove_worker(site_dir)
            return
        copy_workbox(os.path.dirname(os.path.abspath(config.config_file_path)), site_dir)
        worker = self.env.get_template(SW_TEMPLATE).render(config=worker_config(site_dir))
        with open(os.path.join(site_dir, "sw.js"), "w", encoding="utf-8") as handle:
            handle.write(worker)
        self._progress("wrote the service worker")

    def _shared_data(self, directions: str | None = None) -> SharedData | None:
        """``data/`` as the command wrote it for every language, if it was, today
        (a build running past midnight drops what ended yesterday: its own);
        with ``directions``, only when written for them (data/listings/ holds the links)."""
        shared = self.shared_data
        if shared is None or shared.today != datetime.date.today():
            return None
        return shared if directions is None or shared.directions == directions else None

    def _open_feed(self, config: MkDocsConfig, files: Files) -> None:
        """Start this build's search feed: into the folder `recovery-directory build`
        names, or, when this build indexes the site itself, a temporary one."""
        folder = os.environ.get(FEED_ENV)
        if self.dirty or (not folder and not self.settings.search):
            return
        if not folder:
            folder = self.feed_folder = tempfile.mkdtemp(prefix=".recovery-directory-search-")
        self.feed = SearchFeed(folder)
        # HTML written other than as a page: the index reads these from the site.
        others = {f.dest_uri for f in files if f.dest_uri.endswith(".html") and not f.is_documentation_page()}
        others |= {name for name in (*config.theme.static_templates, *config.extra_templates) if name.endswith(".html")}
        for path in sorted(others):
            self.feed.add_file(path)

    def _remove_feed(self) -> None:
        if self.feed_folder is not None:
            shutil.rmtree(self.feed_folder, ignore_errors=True)
            self.feed_folder = None

    def _guide(self, content: str, page: Page) -> str:
        """A guide page: searchable, dated, with the crisis lines where its Markdown asks."""
        if CRISIS_MARKER in content:
            crisis = self.render("directory/crisis.html", page)
            content = content.replace(CRISIS_MARKER, crisis)
        reviewed = parse_date(page.meta.get("last_reviewed"))
        return self.render("directory/guide.html", page, content=Markup(content), reviewed=reviewed)

    def _is_stale(self, listing) -> bool:
        return is_stale(listing.last_verified, self.settings.stale_days, datetime.date.today())

    def _report_url(self, listing) -> str | None:
        title = catalogue(self.settings.language)("report_problem_title", name=listing.name)
        return report_problem_url(self.settings.repo_url, listing, title)

    def _keeper(self, listing) -> Keeper:
        return keeper(listing, self.settings.entity)

    def _progress(self, what: str) -> None:
        if self.settings and not self.settings.quiet:
            log.info(f"recovery-directory: {what} ({time.perf_counter() - self.started:.1f} s)")


class GeneratedFile(File):
    """The file of a generated page: ``File.generated`` makes it as for any file,
    and its paths are MkDocs' own, made without pathlib and posixpath for the
    plain paths of listings and lists (PurePath, split and join per file were a
    fifth of planning a page). Any other path takes File's own way."""

    @property
    def src_path(self) -> str:  # File's getter, unchanged (a subclass overriding the setter restates it)
        return os.path.normpath(self.src_uri)

    @src_path.setter
    def src_path(self, value: str) -> None:
        # File normalises with PurePath(value).as_posix(), which leaves a plain relative path as it is.
        self.src_uri = value if _PLAIN_PATH.fullmatch(value) else PurePath(value).as_posix()

    @cached_property
    def dest_uri(self) -> str:
        # File._get_dest_path: a/b.md → a/b/index.html and a/index.md → a/index.html with directory URLs.
        uri = self.src_uri
        if self.use_directory_urls and uri.endswith(".md") and _PLAIN_PATH.fullmatch(uri):
            stem = uri[:-3]
            name = stem.rpartition("/")[2]
            if name == "index":
                return stem + ".html"
            if name != "README":  # MkDocs makes README.md an index
                return stem + "/index.html"
        return self._get_dest_path()

    @cached_property
    def url(self) -> str:
        # File._get_url: a/index.html → a/, index.html → ./; quoting leaves a plain path as it is.
        dest = self.dest_uri
        if self.use_directory_urls and _PLAIN_PATH.fullmatch(dest):
            if dest == "index.html":
                return "./"
            if dest.endswith("/index.html"):
                return dest[:-len("index.html")]
        return self._get_url()


class GeneratedPage(Page):
    """A page outside the nav rendered from data: nothing to read, no Markdown
    to convert (FINDINGS: a Markdown instance per page costs 0.1 ms). Its HTML
    comes in ``on_page_context``; the hook's ``on_page_markdown`` sets its meta."""

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", {}

    def _set_canonical_url(self, base: str | None) -> None:
        # MkDocs' urljoin and urlsplit for every page were a third of planning
        # one; for a plain path they only append it to what they make of the base.
        url = self.url
        if base and _PLAIN_URL.fullmatch(url):
            prefix, path = _url_prefix(base)
            self.canonical_url, self.abs_url = prefix + url, path + url
        else:
            super()._set_canonical_url(base)

    def _set_edit_url(self, repo_url: str | None, edit_uri: str | None = None, edit_uri_template: str | None = None) -> None:
        # The same urljoin for every listing's YAML file of a folder: made once a folder.
        src_uri = self.file.edit_uri
        if (repo_url and edit_uri and edit_uri.endswith("/") and not edit_uri.startswith(("?", "#"))
                and not edit_uri_template and src_uri is not None):
            folder, _, name = (edit_uri + src_uri).rpartition("/")
            if _PLAIN_URL.fullmatch(name):
                self.edit_url = _folder_url(repo_url if repo_url.endswith("/") else repo_url + "/", folder) + name
                return
        super()._set_edit_url(repo_url, edit_uri, edit_uri_template)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content, self.toc = "", get_toc([])
        self.present_anchor_ids, self.links_to_anchors = set(), {}


# A page's URL that path normalisation leaves alone: no segment empty, "." or "..";
# nothing quoted, no query.
_PLAIN_URL = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*/?")


# A relative POSIX path that pathlib and quoting leave as it is: the same, with no final /.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*")


def _edit_uri(source: str, docs_dir: str) -> str:
    """``os.path.relpath(source, docs_dir)``, '/'-separated, made once a folder: relpath
    makes both paths absolute, asking the system for the working folder each time."""
    folder, name = os.path.split(source)
    if not folder or name in ("", ".", ".."):
        return os.path.relpath(source, docs_dir).replace(os.sep, "/")
    # A relative path's answer depends on the working folder: part of the cache's key.
    cwd = "" if os.path.isabs(folder) and os.path.isabs(docs_dir) else os.getcwd()
    relative = _relative_folder(folder, docs_dir, cwd)
    return name if relative == "." else f"{relative}/{name}"


@lru_cache(maxsize=None)
def _relative_folder(folder: str, docs_dir: str, cwd: str) -> str:
    return os.path.relpath(folder, docs_dir).replace(os.sep, "/")


@lru_cache(maxsize=None)
def _url_prefix(base: str) -> tuple[str, str]:
    # Page._set_canonical_url's urljoin(base, url) and its path, less the URL, for a plain URL.
    joined = urljoin(base if base.endswith("/") else base + "/", "x")
    return joined[:-1], urlsplit(joined).path[:-1]


@lru_cache(maxsize=None)
def _folder_url(base: str, folder: str) -> str:
    # Page._set_edit_url's urljoin(base, folder + "/" + name), less the name, for a plain name.
    return urljoin(base, folder + "/x")[:-1]


def _block_cache(shared: dict[str, str]) -> dict[str, Any]:
    """generated-page.html's rd_shared and rd_keep over ``shared``; empty, every block is rendered."""

    def keep(name: str, html: str) -> str:
        shared[name] = html
        return html

    return {"rd_shared": shared, "rd_keep": keep}


def flatten_globals(env, name: str) -> None:
    """Give the template ``name`` its globals in a plain dict, a snapshot of the
    environment's as they are now. Jinja's own are a ChainMap over the
    environment's, which each render copies key by key into the page's context
    in Python: two thirds of rendering assembled-page.html (18 us a page, 6 us
    with a dict). The environment caches the template (MkDocs' theme environment
    does not reload), so the dict serves every page; globals set later are not in it."""
    template = env.get_template(name)
    template.globals = dict(template.globals)


_FORMATS: dict[str, Formats] = {}


def _formats(language: str) -> Formats:
    if language not in _FORMATS:
        _FORMATS[language] = Formats(language)
    return _FORMATS[language]


def run_pagefind(site_dir: str, feed: str | None = None) -> None:
    """Index the built site (this build's language only: search_index.py), its
    pages read from the build's ``feed`` folder when there is one; a failure
    stops the build with Pagefind's words."""
    from .search_index import index_site

    index_site(site_dir, feeds={None: feed} if feed else None)
