"""One site in several languages: where each language's pages live, and how a
page leads to itself in the others.

Each language is its own MkDocs build (``mkdocs.yml`` for the first,
``mkdocs.<code>.yml`` for each other, inheriting it), written into one site:
the first language at the root, each other under ``<code>/``, the same page at
the same path in each. ``recovery-directory build`` runs them side by side and
indexes each language in turn into one Pagefind bundle (search_index.py).
A plain ``mkdocs build`` builds one language on its own: no switcher (the
other languages' pages are not there) and its own search index.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

# Set by `recovery-directory build`: every language is built at once into one site.
ALL_LANGUAGES_ENV = "RECOVERY_DIRECTORY_ALL_LANGUAGES"


def language_folder(languages: tuple[str, ...], code: str) -> str:
    """Where a language's pages sit in the whole site: ``""`` for the first, ``"es/"``."""
    return "" if code == languages[0] else f"{code}/"


def config_file(main_config: str, languages: tuple[str, ...], code: str) -> str:
    """The MkDocs config that builds ``code``: the main one, or ``mkdocs.<code>.yml`` beside it."""
    if code == languages[0]:
        return main_config
    return os.path.join(os.path.dirname(os.path.abspath(main_config)), f"mkdocs.{code}.yml")


def display_name(code: str, language: str) -> str:
    """A language's name as a sentence in ``language`` writes it: ``inglés``, ``English``."""
    try:
        return Locale.parse(code).get_display_name(language) or code
    except (ValueError, LookupError):
        return code


@dataclass(frozen=True)
class LanguageLink:
    lang: str
    name: str  # in its own language: English, Español
    href: str  # from the page it is on
    current: bool


@dataclass(frozen=True)
class LanguageLinks:
    """The header's language switcher (``overrides/partials/alternate.html``).

    Set as ``config.extra.alternate`` and deliberately not a list: for a list the
    theme also writes a ``<link rel="alternate">`` per entry into ``<head>``, and
    its script fetches ``sitemap.xml`` beside each of those links — two 404s on
    every page view when they lead to the same page in each language
    (mkdocs-material#6582). So the header shows this switcher, ``<head>`` gets no
    such links, and the hreflang alternates are in each language's sitemap.xml.
    """

    links: tuple[LanguageLink, ...]


@dataclass(frozen=True)
class Languages:
    """This build's place among the site's languages."""

    languages: tuple[str, ...]  # every language of the site, the first at its root
    language: str  # this build's
    together: bool  # all built at once into one site (recovery-directory build)
    root_url: str | None = None  # the whole site's URL, from this build's site_url

    @classmethod
    def for_build(cls, languages: tuple[str, ...], language: str, together: bool, site_url: str | None) -> "Languages":
        folder = language_folder(languages, language)
        root = None
        if site_url:
            base = site_url if site_url.endswith("/") else site_url + "/"
            if folder and not base.endswith("/" + folder):
                raise ValueError(f"site_url must end in /{folder} (the {language} pages sit under {folder} of the whole site), not {site_url}")
            root = base[: len(base) - len(folder)]
        return cls(languages, language, together, root)

    @property
    def folder(self) -> str:
        return language_folder(self.languages, self.language)

    @property
    def others_built(self) -> bool:
        """True when pages may link to the other languages: they are built beside this one."""
        return self.together and len(self.languages) > 1

    def whole(self, url: str) -> str:
        """A page URL of this build as a path in the whole site: ``groups/x/`` → ``es/groups/x/``."""
        return self.folder + url

    def link(self, target: str, page_url: str) -> str:
        """A relative link from this build's page ``page_url`` to ``target``, a path in the
        whole site (another language's page, the shared search index)."""
        if not self.together:  # this build is the whole site
            target = target.removeprefix(self.folder)
        here = self.whole(page_url) if self.together else page_url
        relative = get_relative_url(target or "./", here)
        return {"": "./", ".": "./", "..": "../"}.get(relative, relative)

    def switcher(self, page_url: str) -> LanguageLinks | None:
        """The same page in every language, or ``None`` when built alone."""
        if not self.others_built:
            return None
        links = []
        for code in self.languages:
            target = language_folder(self.languages, code) + page_url
            links.append(LanguageLink(code, _own_name(code), self.link(target, page_url), code == self.language))
        return LanguageLinks(tuple(links))

    def home_switcher(self) -> LanguageLinks | None:
        """For the 404 page, served at any depth: each language's home by its absolute path."""
        if not self.others_built:
            return None
        base = urlsplit(self.root_url).path if self.root_url else "/"
        return LanguageLinks(tuple(
            LanguageLink(code, _own_name(code), base + language_folder(self.languages, code), code == self.language)
            for code in self.languages))

    def hreflang(self, page_url: str) -> list[tuple[str, str]]:
        """``(hreflang, URL)`` for the sitemap: the page in each language, then x-default."""
        if not self.others_built or self.root_url is None or page_url == "404.html":
            return []
        found = [(code, self.root_url + language_folder(self.languages, code) + page_url) for code in self.languages]
        return found + [("x-default", found[0][1])]


@functools.lru_cache(maxsize=None)  # asked for on every page (the switcher); Babel parses the locale each time
def _own_name(code: str) -> str:
    name = display_name(code, code)
    return name[:1].upper() + name[1:]


def add_untranslated(files: Files, config: MkDocsConfig, source_dir: str) -> set[str]:
    """Add each file of ``source_dir`` (the first language's docs) that this
    language's docs lack, as it is there; return the pages among them."""
    pages: set[str] = set()
    root = Path(source_dir)
    for path in sorted(root.rglob("*")):
        uri = path.relative_to(root).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in uri.split("/")) or uri in files.src_uris:
            continue
        file = File.generated(config, uri, abs_src_path=str(path))
        file.edit_uri = os.path.relpath(path, config.docs_dir).replace(os.sep, "/")  # "Edit" opens the original
        files.append(file)
        if file.is_documentation_page():
            pages.add(uri)
    return pages


def untranslatable(files: Files, source_dir: str) -> list[str]:
    """This language's pages with no original in ``source_dir``: no other language has them."""
    return sorted(f.src_uri for f in files.documentation_pages()
                  if not f.generated_by and not os.path.isfile(os.path.join(source_dir, f.src_uri)))
