"""Generated pages joined from a skeleton of the theme per shape (chrome.py) are
byte for byte the pages the theme's template renders for each of them.

Each site is built twice in this process, as ``recovery-directory build`` builds
each language (``RECOVERY_DIRECTORY_ALL_LANGUAGES``: with the language switcher,
without Pagefind): once as usual, once with every generated page through the
theme's template (``RECOVERY_DIRECTORY_THEME_EVERY_PAGE``), and the two trees
must be the same, file for file. A small page limit splits the lists at
several depths (by state, by day, into parts), with print pages beside them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
import yaml
from recovery_directory import chrome
from recovery_directory.chrome import ChromeError, split, stand_in, content_stand_in
from recovery_directory.csp import add_policy
from recovery_directory.languages import ALL_LANGUAGES_ENV
from recovery_directory.mkdocs_build import THEME_EVERY_PAGE_ENV, flatten_globals
from hostile_listings import HOSTILE_LISTINGS, write_directory
from site_build import REPO, write_inheriting_config

sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402
from languages_bench import project as language_project  # noqa: E402

SMALL_LIMIT = 12  # meetings on a page: the generated directory's lists split by state, then by day


# `mkdocs build --strict` with a smaller page limit, in a process of its own as `recovery-directory build` runs it.
BUILD = ("import sys; from recovery_directory import splitting; splitting.PAGE_LIMIT = int(sys.argv.pop(1)); "
         "from mkdocs.__main__ import cli; sys.argv[0] = 'mkdocs'; cli()")


def build_site(configs: list[tuple[Path, Path]], every_page: bool, together: bool = True) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1764000000", PYTHONHASHSEED="0")  # the same date and order
    env.pop(THEME_EVERY_PAGE_ENV, None)
    env.pop(ALL_LANGUAGES_ENV, None)
    if together:  # with the language switcher
        env[ALL_LANGUAGES_ENV] = "1"
    if every_page:
        env[THEME_EVERY_PAGE_ENV] = "1"
    for config_file, site_dir in configs:
        command = [sys.executable, "-c", BUILD, str(SMALL_LIMIT), "build", "--strict", "-f", str(config_file), "-d", str(site_dir)]
        result = subprocess.run(command, cwd=config_file.parent, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        joined = re.search(r"rendered (\d+) pages \((\d+) in the theme joined from (\d+) skeletons\)", result.stderr)
        assert (joined is None) == every_page, result.stderr  # each build took the way it was asked to
        if joined:  # every page outside the nav but the 404 page
            assert int(joined[3]) < int(joined[2]) < int(joined[1]), joined[0]


def files_of(root: Path) -> dict[str, Path]:
    return {path.relative_to(root).as_posix(): path for path in sorted(root.rglob("*")) if path.is_file()}


def assert_same_trees(joined: Path, themed: Path) -> list[str]:
    ours, theirs = files_of(joined), files_of(themed)
    assert sorted(ours) == sorted(theirs)
    differing = [name for name in ours if ours[name].read_bytes() != theirs[name].read_bytes()]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"
    return [name for name in ours if name.endswith(".html")]


def test_every_page_of_both_languages_is_the_themes_page(tmp_path):
    directory = tmp_path / "directory"
    generate(60, str(directory), seed=5)
    language_project(str(tmp_path), str(directory), ["en", "es"], root=str(REPO))
    sites = {}
    for name, every_page in (("joined", False), ("themed", True)):
        site = tmp_path / name
        build_site([(tmp_path / "mkdocs.yml", site), (tmp_path / "mkdocs.es.yml", site / "es")], every_page)
        sites[name] = site
    pages = assert_same_trees(sites["joined"], sites["themed"])
    # Pages of every kind and depth were compared.
    for prefix in ("", "es/"):
        names = [p for p in pages if p.startswith(prefix) and (prefix or not p.startswith("es/"))]
        for folder in ("groups/", "family-groups/", "treatment-centers/", "regions/", "types/", "fellowships/", "online/"):
            assert any(p.startswith(prefix + folder) for p in names), (prefix, folder)
        assert any(p.endswith("/print/index.html") for p in names)
        assert max(p.count("/") for p in names if p.startswith(prefix + "types/")) >= 4 + bool(prefix)  # types/x/in/state/day/
        assert len(names) > 300


def test_hostile_listings_come_out_as_the_theme_prints_them(tmp_path):
    """Titles and descriptions with markup, quotes, entities and runs of spaces:
    escaped in each spot as the theme escapes them there. Built as a plain
    ``mkdocs build`` of one language: no language switcher."""
    listings = dict(HOSTILE_LISTINGS)
    listings["groups/spaced-out.yml"] = dict(listings["groups/entity-name.yml"], name="Spaced   out\tname &amp; more")
    directory = write_directory(tmp_path, listings)
    config = write_inheriting_config(tmp_path, directory)
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["extra"]["directory"]["search"] = False  # Pagefind is not what this compares
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    for name, every_page in (("joined", False), ("themed", True)):
        build_site([(config, tmp_path / name)], every_page, together=False)
    pages = assert_same_trees(tmp_path / "joined", tmp_path / "themed")
    assert "groups/title-breaker/index.html" in pages


# --- the skeleton itself -----------------------------------------------------

STAND_INS = {"title": stand_in("title"), "content": content_stand_in(True)}


def test_a_skeleton_joins_each_value_as_the_theme_printed_it():
    themed = ("<html><head><title>" + chrome.TRANSFORMS["striptags|e"](STAND_INS["title"]) + " - Site</title></head>"
              "<body><span>" + STAND_INS["title"] + "</span>" + STAND_INS["content"] + "</body></html>")
    skeleton = split(themed, STAND_INS)
    title = "A  &amp; B"  # as on_page_markdown sets it: escaped
    page = skeleton.join({"title": title, "content": "<h1>A &amp; B</h1>"})
    assert page == "<html><head><title>A &amp; B - Site</title></head><body><span>A  &amp; B</span><h1>A &amp; B</h1></body></html>"


@pytest.mark.parametrize("content", ["<h1>A</h1>", "<h1>A</h1><script>go(1)</script>", "<h1>A</h1><script src=x.js></script>"])
@pytest.mark.parametrize("hosts", [(), ("tile.example.org",)])
def test_a_joined_pages_policy_is_the_one_csp_adds_to_the_whole_page(content, hosts):
    themed = ('<html><head lang="en"><title>' + chrome.TRANSFORMS["striptags|e"](STAND_INS["title"]) + "</title><script>a()</script>"
              "</head><body><span>" + STAND_INS["title"] + "</span>" + STAND_INS["content"] + "<script>b()</script></body></html>")
    skeleton = split(themed, STAND_INS)
    for title in ("A &amp; B", "C"):  # the second from the skeleton's cached tag
        assembled = chrome.Assembled(skeleton.join({"title": title, "content": content}), skeleton,
                                     {"title": title, "content": content}, skeleton.parts({"title": title, "content": content}))
        assert assembled.with_policy(hosts) == add_policy(assembled.html, hosts)
        assert "sha256-" in assembled.with_policy(hosts)


def test_a_template_with_its_globals_flattened_renders_as_before():
    env = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ rd_page }}|{{ rd_x }}|{{ range(2)|list }}"}))
    env.globals["rd_x"] = "global"
    before = env.get_template("t.html").render(rd_page="<p>page</p>")
    flatten_globals(env, "t.html")
    template = env.get_template("t.html")
    assert type(template.globals) is dict and template.globals == dict(env.globals)
    assert template.render(rd_page="<p>page</p>") == before == "<p>page</p>|global|[0, 1]"


def test_the_fingerprint_tells_every_way_of_printing_apart():
    printed = {name: transform(stand_in("title")) for name, transform in chrome.TRANSFORMS.items()}
    assert len(set(printed.values())) == len(printed)


@pytest.mark.parametrize("themed, message", [
    ("<p>" + chrome.TRANSFORMS["e"](stand_in("title")) + "</p>",
     r"the theme prints the page's title as '\ue000title\ue001x&amp;amp;y  z\ue002', which is none of ('raw', 'striptags|e')"),
    ("<p>" + chrome.TRANSFORMS["e"](content_stand_in(True)) + "</p>",
     "the theme prints the page's content as"),
    ("<p>" + stand_in("title")[:8] + "</p>", "the theme printed a cut or unknown stand-in"),
    ("<p>" + stand_in("title").upper() + "</p>", "the theme printed a cut or unknown stand-in"),
    ("<head></head><script>var t = '" + stand_in("title") + "';</script>", "the theme prints a page's value inside a script"),
    ("<p>" + stand_in("title") + "</p><head>", "the theme prints a page's value before <head>"),
])
def test_a_value_printed_in_a_way_the_skeleton_cannot_reproduce_stops_the_build(themed, message):
    with pytest.raises(ChromeError) as error:
        split(themed, STAND_INS)
    assert message in str(error.value)
