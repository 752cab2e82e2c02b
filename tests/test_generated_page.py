"""A generated page's addresses and edit link (mkdocs_build.GeneratedPage, GeneratedFile): MkDocs' own,
made without urljoin, pathlib and posixpath for the plain URLs of listings and lists."""

from __future__ import annotations

import os

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from recovery_directory.mkdocs_build import GeneratedFile, GeneratedPage, _edit_uri
from site_build import REPO


@pytest.mark.parametrize("site_url", [
    "https://example.org/recovery-directory/", "https://example.org/recovery-directory", "https://example.org",
    "https://example.org/a/../b//c/./", "https://example.org/x/?q=1#top", "http://host:8000/es/", "/", "sub/", "", None,
])
def test_a_generated_page_has_the_canonical_url_mkdocs_gives_it(site_url):
    config = load_config(str(REPO / "mkdocs.yml"))
    config["site_url"] = site_url  # past validation: the odd ones too
    config.plugins._current_plugin = "test"  # File.generated names the plugin that made the file
    for uri in ("meetings/capitol-noon/index.md", "index.md", "a.b/c.md", "regions/il/v2.0/index.md", "caf%C3%A9/index.md"):
        theirs = Page(None, File.generated(config, uri, content=""), config)
        ours = GeneratedPage(None, File.generated(config, uri, content=""), config)
        assert (ours.canonical_url, ours.abs_url) == (theirs.canonical_url, theirs.abs_url), uri


@pytest.mark.parametrize("repo_url, edit_uri", [
    ("https://github.com/example/recovery-directory", "edit/main/docs/"),
    ("https://github.com/example/recovery-directory/", "edit/main/docs-es/"), ("https://example.org/r/", "/x/edit/"),
    ("https://github.com/example/r", "https://elsewhere.org/edit/main/docs/"), ("https://example.org/r", "?path="),
    ("https://example.org/r", "edit/main/docs"), (None, "https://example.org/edit/"), ("https://example.org/r", None),
])
def test_a_generated_page_has_the_edit_link_mkdocs_gives_it(repo_url, edit_uri):
    config = load_config(str(REPO / "mkdocs.yml"))
    config["repo_url"], config["edit_uri"] = repo_url, edit_uri
    config.plugins._current_plugin = "test"
    for source in ("../directory/groups/capitol-noon.yml", "../../elsewhere/d/t/a.yml", "g/x..yml", "../d/..", "caf%C3%A9.yml", None):
        pages = []
        for kind in (Page, GeneratedPage):
            generated = File.generated(config, "groups/capitol-noon/index.md", content="")
            generated.edit_uri = source
            try:
                pages.append(kind(None, generated, config).edit_url)
            except AssertionError as exc:  # MkDocs' own, for an edit_uri without its final /
                pages.append(type(exc))
        assert pages[1] == pages[0], source


GENERATED_URIS = ("groups/capitol-noon.md", "groups/capitol-noon/index.md", "index.md", "a.b/c.md", "regions/il/v2.0/index.md",
                  "types/open/in/texas/monday/print/index.md", "README.md", "x/README.md", "x/readme.md", "caf%C3%A9/index.md",
                  "café/x.md", "a b/c.md", "a//b.md", "a/./b.md", "a/../b.md", "./a.md", "a/b/", "a.md.txt", "img/a.png",
                  "_x-y/z_.md", "x.markdown", "index.html", "a/index.html")


@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_a_generated_file_has_the_paths_mkdocs_gives_it(use_directory_urls):
    config = load_config(str(REPO / "mkdocs.yml"))
    config["use_directory_urls"] = use_directory_urls
    config.plugins._current_plugin = "test"
    fields = ("src_uri", "src_path", "dest_uri", "dest_path", "url", "abs_dest_path", "abs_src_path", "name", "edit_uri",
              "generated_by", "inclusion", "content_string")
    for uri in GENERATED_URIS:
        theirs, ours = File.generated(config, uri, content=""), GeneratedFile.generated(config, uri, content="")
        assert [getattr(ours, name) for name in fields] == [getattr(theirs, name) for name in fields], uri
        assert ours.is_documentation_page() == theirs.is_documentation_page(), uri
        pages = [kind(None, file, config) for kind, file in ((Page, theirs), (GeneratedPage, ours))] if theirs.is_documentation_page() else []
        assert [(p.url, p.canonical_url, p.abs_url, p.is_index) for p in pages[1:]] == [(p.url, p.canonical_url, p.abs_url, p.is_index) for p in pages[:1]], uri


@pytest.mark.parametrize("docs_dir", ["/work/site/docs", "/work/site/docs/", "docs", "/", "/work/site/directory"])
def test_a_listings_edit_path_is_relpaths(docs_dir):
    sources = ["/work/site/directory/groups/capitol-noon.yml", "/work/site/directory/groups/other.yml", "/elsewhere/a.yml",
               "/work/site/docs/x.yml", "/work/site/docs/../directory/t/a.yml", "directory/groups/b.yml", "b.yml", "d/..", "d/.", "/a"]
    for source in sources + sources:  # twice: from the cache too
        assert _edit_uri(source, docs_dir) == os.path.relpath(source, docs_dir).replace(os.sep, "/"), source
