"""A generated page's addresses and edit link (mkdocs_build.GeneratedPage): MkDocs' own, made without
urljoin for the plain URLs of listings and lists."""

from __future__ import annotations

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from recovery_directory.mkdocs_build import GeneratedPage
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
