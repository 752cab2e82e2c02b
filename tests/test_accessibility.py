"""Accessibility in a real browser: axe-core on every page type of the example
site in the light and the dark scheme, and the search page used by keyboard
alone.

Needs Chromium (``apt-get install chromium``) and axe-core (``npm ci`` puts it
in ``node_modules/axe-core``). Without either these tests skip, or fail when
``CI`` is set.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit, parse_qs

import pytest

from site_build import REPO

pytest_plugins = ["site_fixtures"]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RESULT = ".pagefind-ui__result-link"
SEARCH_INPUT = ".pagefind-ui__search-input"
MESSAGE = ".pagefind-ui__message"

# One page of each type: (name, URL path, selector to wait for before checking).
PAGES = [
    ("home", "", None),
    ("regions", "regions/", None),
    ("region", "regions/illinois/", None),
    ("sub-region", "regions/illinois/cook-county/", None),
    ("meeting types", "types/", None),
    ("meeting type", "types/women/", None),
    ("fellowships", "fellowships/", None),
    ("fellowship", "fellowships/aa/", None),
    ("family groups", "family-groups/", None),
    ("treatment centres", "treatment-centers/", None),
    ("online meetings", "online/", None),
    ("group", "groups/capital-city-group/", None),
    ("online group", "groups/night-owls-online-aa/", None),
    ("family group", "family-groups/hope-for-today-al-anon/", None),
    ("treatment centre", "treatment-centers/prairie-recovery-center/", None),
    ("near me", "near-me/", None),
    ("guide", "guide/first-meeting/", None),
    ("guide with crisis lines", "guide/help-now/", None),
    ("search with results", "search/?q=group", RESULT),
]

RUN_AXE = """async (tags) => {
    const results = await axe.run(document, {runOnly: tags, resultTypes: ['violations']});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
    }));
}"""


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} — CI must run the accessibility tests (the Makefile runs npm ci)", pytrace=False)
    pytest.skip(f"{reason}; install it with: npm ci")


@pytest.fixture(scope="session")
def axe_script():
    if not AXE.is_file():
        _unavailable(f"axe-core is not installed ({AXE.relative_to(REPO)} is missing)")
    return AXE


def inject_axe(page, axe_script, base: str) -> None:
    """Load axe-core into the page as a script of the site's own origin.

    Every page carries a strict Content-Security-Policy (csp.py) that blocks an
    inline script, so ``add_script_tag(path=…)`` would be refused; the file is
    answered from a made-up same-origin URL instead and the policy stays on.
    """
    url = base + "__axe-core__/axe.min.js"
    page.route(url, lambda route: route.fulfill(path=str(axe_script), content_type="text/javascript"))
    page.add_script_tag(url=url)
    assert page.evaluate("typeof axe") == "object"


def report(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"]:
            lines.append(f"    {node['target']}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"        {detail}")
    return "\n".join(lines)


def page_exists(site, url: str) -> bool:
    return site.exists(urlsplit(url).path)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name, url, ready", PAGES, ids=[p[0] for p in PAGES])
def test_no_wcag_violations(page, example_site, example_server, axe_script, name, url, ready, scheme):
    if not page_exists(example_site, url):
        if name == "near me":
            pytest.skip("the site has no /near-me/ page")
        pytest.fail(f"the example site has no page at /{url} ({name})")
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    page.goto(example_server + url)
    page.wait_for_load_state("load")
    if ready:
        page.wait_for_selector(ready, timeout=15000)
        page.wait_for_timeout(300)  # the rest of the results and the filters settle
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
    inject_axe(page, axe_script, example_server)
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    assert not violations, f"/{url} ({name}, {scheme} scheme):\n{report(violations)}"
    assert page.log.page_errors == [], page.log.page_errors


# --- keyboard ---------------------------------------------------------------

def active_is(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, limit: int = 60) -> int:
    """Press Tab until the focused element matches ``selector``; the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if active_is(page, selector):
            return presses
    described = page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{selector} not reached in {limit} Tab presses; focus is on {described}")


def count(message: str) -> int:
    return int(re.search(r"\d+", message).group())


def result_urls(page) -> list[str]:
    return page.eval_on_selector_all(RESULT, "links => links.map(a => new URL(a.href).pathname)")


@pytest.mark.browser
def test_search_by_keyboard_alone(page, example_server):
    page.goto(example_server + "search/")
    page.wait_for_selector(SEARCH_INPUT)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    presses = tab_to(page, SEARCH_INPUT)
    # The skip link, the crisis lines and the header come first; 17 presses today.
    assert presses <= 30, f"{presses} Tab presses to reach the search box"
    page.keyboard.type("group")
    page.wait_for_selector(RESULT, timeout=15000)
    page.wait_for_timeout(500)  # the result list settles
    before = page.inner_text(MESSAGE)  # "N results for group"
    assert result_urls(page), before

    # Filters sit in collapsed <details>, their values loaded when one opens:
    # open the first by keyboard, then its first checkbox.
    tab_to(page, ".pagefind-ui__filter-name")
    page.keyboard.press("Enter")
    page.wait_for_selector(".pagefind-ui__filter-checkbox >> visible=true", timeout=15000)
    tab_to(page, ".pagefind-ui__filter-checkbox")
    checkbox = page.evaluate("document.activeElement.id")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked"), checkbox
    page.wait_for_function("([selector, before]) => { const m = document.querySelector(selector);"
                           " return m && m.innerText !== before; }", arg=[MESSAGE, before], timeout=15000)
    after = page.inner_text(MESSAGE)
    assert count(after) < count(before), (checkbox, before, after)
    assert result_urls(page), after


@pytest.mark.browser
def test_enter_in_the_home_search_box_opens_the_search_page(page, example_server):
    page.goto(example_server)
    tab_to(page, "#rd-home-q")
    page.keyboard.type("women")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    parts = urlsplit(page.url)
    assert parts.path == "/search/", page.url
    assert parse_qs(parts.query) == {"q": ["women"]}
    page.wait_for_selector(RESULT, timeout=15000)
    assert page.input_value(SEARCH_INPUT) == "women"
