"""What render.py keeps so that listing pages render faster: each kept value
must be what the plain computation gives."""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

import jinja2
from markupsafe import Markup

from recovery_directory.nearby import Neighbour
from recovery_directory.page_lines import NearbyLines
from recovery_directory.render import SAFE_SCHEMES, Formats, _safe_url, catalogue, make_environment, relative_link, safe_url
from recovery_directory.site_model import REPORT_FORM, report_problem_url


def plain_distance_text(fmt: Formats, km: float, units: str) -> str:
    t = catalogue(fmt.language)
    if fmt.in_units(km, units) < 0.1:
        return t("nearby_under_" + units)
    return t("distance_" + units, distance=fmt.distance(km, units))


def test_distance_texts_are_kept_per_number_shown():
    for language in ("en", "es"):
        fmt = Formats(language)
        for units in ("mi", "km"):
            for step in range(0, 3000):
                km = step * 0.0371
                assert fmt.distance_text(km, units) == plain_distance_text(Formats(language), km, units), (km, units)


def test_safe_url_is_what_urlsplit_says_for_every_url():
    urls = ["https://a.b/c", " HTTPS://x ", "tel", "tel:+1", "mailto:a@b", "javascript:alert(1)", "\x01https://x",
            "ht\ttps://x", "https:x\n", "Http:", Markup("https://x&amp;"), "ftp://x", "https", ":https", "https://",
            "\u212aelp:x", "data:text/html,x", " tel:1 "]
    for url in urls:
        kept = safe_url(url)
        text = url.strip()
        plain = text if urlsplit(text).scheme.lower() in SAFE_SCHEMES else "#"
        assert kept == plain and type(kept) is type(_safe_url.__wrapped__(url)), url


class Slug:
    slug = "a-b"


def test_report_link_is_built_as_before():
    title = "Problem: A & B é"
    query = urlencode({"template": REPORT_FORM, "listing": Slug.slug, "title": title}, quote_via=quote)
    assert report_problem_url("https://github.com/x/y.git", Slug, title) == f"https://github.com/x/y/issues/new?{query}"
    assert report_problem_url("https://gitlab.com/x/y", Slug, title) is None


def test_nearby_lines_keep_each_listings_about_once_and_give_the_rest_per_page():
    env = make_environment(jinja2.DictLoader({"m.html": "{% macro about(l, t, fmt, vocab) %}[{{ l.name }}]{% endmacro %}"}))
    about = env.get_template("m.html").module.about
    calls = []

    def counted(*args):
        calls.append(args[0])
        return about(*args)
    counted.name = "about"

    class Listing:
        def __init__(self, name):
            self.name, self.slug = name, name.lower()

    a, b = Listing("A"), Listing("B")
    near = [Neighbour(a, 1.0), Neighbour(b, 0.05, "postal-code")]
    lines = NearbyLines()
    fmt, t = Formats("en"), catalogue("en")
    url = lambda listing: f"groups/{listing.slug}/"
    first = lines(near, relative_link("groups/c/"), url, fmt, "mi", counted, t, None)
    second = lines(near, relative_link("treatment-centers/d/"), url, fmt, "km", counted, t, None)
    assert calls == [a, b]  # once per listing
    assert [(x.href, x.about) for x in first] == [("../a/", "[A]"), ("../b/", "[B]")]
    assert [x.href for x in second] == ["../../groups/a/", "../../groups/b/"]
    assert [x.distance for x in first] == [plain_distance_text(fmt, 1.0, "mi"), plain_distance_text(fmt, 0.05, "mi")]
    assert [x.approximate for x in second] == ["", fmt.approximate("postal-code")]


def test_meeting_types_and_days_are_what_the_filter_chain_gave():
    from types import SimpleNamespace as NS
    from recovery_directory.page_lines import meeting_days, meeting_types
    env = jinja2.Environment()
    types = env.from_string("{{ (l.meetings | map(attribute='types') | sum(start=()) | unique | list) == expected }}")
    days = env.from_string("{{ (l.meetings | map(attribute='day') | unique | list) == expected }}")
    listings = [NS(meetings=[]), NS(meetings=[NS(types=("O", "D"), day=3), NS(types=("o", "W", "D"), day=1), NS(types=(), day=3)]),
                NS(meetings=[NS(types=("C",), day=0), NS(types=("C", "B"), day=0)])]
    for listing in listings:
        assert types.render(l=listing, expected=list(meeting_types(listing))) == "True"
        assert days.render(l=listing, expected=list(meeting_days(listing))) == "True"
    assert meeting_types(listings[1]) == ("O", "D", "W") and meeting_days(listings[1]) == (3, 1)


def test_fragments_keep_tuples_of_numbers_by_value():
    env = make_environment(jinja2.DictLoader({"m.html": "{% macro days(d) %}{{ d | join(',') }}{% endmacro %}"}))
    cached, macro = env.globals["cached"], env.get_template("m.html").module.days
    assert cached(macro, (1, 3)) == "1,3" and cached(macro, tuple([1, 3])) is cached(macro, (1, 3))
    assert len(cached._kept) == 1
