"""Schedules on list and print pages: each line's texts are worked out in one
pass over a page's rows (page_lines.schedule_days, page_lines.print_days) and the type
labels looked up in a kept table (Fragments.table), rather than through the
template engine for each line. The lines must read exactly as the templates
wrote them when they worked each text out themselves: the templates as they
were are kept here and rendered beside the real ones, on the example
directory (rules, closures, online and hybrid meetings) and on the hostile
one (markup in every field).
"""

from __future__ import annotations

import datetime as dt
import re

import jinja2
import pytest

from hostile_listings import HOSTILE_LISTINGS, write_directory
from recovery_directory.render import Formats, catalogue, make_environment, relative_link
from recovery_directory.schedule import ScheduleView
from recovery_directory.site_model import listing_url, meeting_rows, region_url
from recovery_directory.validate import validate_directory
from site_build import REPO

# The lines as macros.html and print.html wrote them, each text worked out in the template.
REFERENCE = {
    "reference/schedule.html": """\
{% import "directory/macros.html" as m %}
{% macro schedule_by_day(rows, t, fmt, vocab, link, listing_url, heading_level=3, show_zone=False, schedule=None) %}
{% for day_rows in rows | groupby('meeting.day') %}
<h{{ heading_level }} class="rd-day">{{ fmt.day(day_rows.grouper) }}</h{{ heading_level }}>
<ul class="rd-meetings">
  {% for row in day_rows.list %}
  <li class="rd-meeting">
    <span class="rd-meeting__time">{{ fmt.time_range(row.meeting) }}{% if show_zone and row.listing.timezone %} <span class="rd-zone">{{ fmt.zone(row.listing.timezone) }}</span>{% endif %}</span>
    <a class="rd-meeting__name" href="{{ link(listing_url(row.listing)) }}">{{ row.listing.name }}</a>{% if schedule and schedule.has_note(row.listing, row.meeting) %}{{ m.rule_note(row.listing, row.meeting, t, schedule) }}{% endif %}
    <span class="rd-meeting__where">{{ fmt.place(row.listing) }}</span>
    {{ m.type_labels(row.meeting.types, vocab, t.language) }}
  </li>
  {% endfor %}
</ul>
{% endfor %}
{% endmacro %}
{{ schedule_by_day(rows, t, fmt, vocab, link, listing_url, heading_level=heading_level, show_zone=show_zone, schedule=schedule) }}""",
    "reference/print.html": """\
  <div class="rd-print__days">
  {% for day_rows in rows | groupby('meeting.day') %}
  <section class="rd-print__day" aria-labelledby="rd-print-day-{{ day_rows.grouper }}">
    <h2 id="rd-print-day-{{ day_rows.grouper }}">{{ fmt.day(day_rows.grouper) }}</h2>
    <ul class="rd-print__meetings">
      {% for row in day_rows.list %}
      {% set l = row.listing %}
      <li class="rd-print__meeting">
        <span class="rd-print__time">{{ fmt.time_range(row.meeting) }}{% if show_zone and l.timezone %} <span class="rd-zone">{{ fmt.zone(l.timezone) }}</span>{% endif %}</span>
        <span class="rd-print__name">{{ l.name }}</span>
        {% if row.meeting.types %}<span class="rd-print__codes" aria-label="{{ t.types }}">{{ row.meeting.types | join(' ') }}</span>{% endif %}
        {% if l.location %}<span class="rd-print__where">{% if l.location.name %}{{ l.location.name }}, {% endif %}{{ l.location.one_line }}</span>{% endif %}
        {% if l.online %}<span class="rd-print__join">{% if l.online.url %}{{ t.join_online }}: <span class="rd-print__url">{{ l.online.url | safe_url }}</span>{% endif %}{% if l.online.url and l.online.phone %} · {% endif %}{% if l.online.phone %}{{ t.join_by_phone }}: {{ l.online.phone }}{% endif %}</span>{% endif %}
      </li>
      {% endfor %}
    </ul>
  </section>
  {% endfor %}
  </div>
""",
    "reference/groups.html": """\
{% for region, rows in groups %}
<section class="rd-region-group">
  <h2><a href="{{ link(region_url(region)) }}">{% for r in region.lineage %}{{ r.name }}{% if not loop.last %} › {% endif %}{% endfor %}</a> <span class="rd-count">{{ t.count('count_meetings', rows | length) }}</span></h2>
</section>
{% endfor %}""",
    "reference/cards.html": """\
{% import "directory/macros.html" as m %}
<ul class="rd-cards">
  {% for listing in listings %}
  <li class="rd-card">
    <a class="rd-card__name" href="{{ link(listing_url(listing)) }}">{{ listing.name }}</a>
    <span class="rd-card__where">{{ fmt.place(listing) }}</span>
    {% if listing.fellowship %}<span class="rd-card__fellowship">{{ vocab.terms['fellowships'].name(listing.fellowship, t.language) }}</span>{% endif %}
    {% if listing.services %}<span class="rd-card__services">{{ m.term_names(listing.services, vocab.terms['services'], t.language) }}</span>{% endif %}
    {% if listing.payment %}<span class="rd-card__payment">{{ m.term_names(listing.payment, vocab.terms['payment'], t.language) }}</span>{% endif %}
  </li>
  {% endfor %}
</ul>""",
}
PAGES = ["types/open/", "regions/illinois/chicago/", "fellowships/aa/in/illinois/monday/2/", ""]


def environment() -> jinja2.Environment:
    return make_environment(jinja2.ChoiceLoader([jinja2.DictLoader(REFERENCE), jinja2.FileSystemLoader(str(REPO / "overrides"))]))


@pytest.fixture(scope="module", params=["example", "hostile"])
def directory(request, tmp_path_factory):
    if request.param == "example":
        found = validate_directory(str(REPO / "directory"))
    else:
        found = validate_directory(str(write_directory(tmp_path_factory.mktemp("hostile"), HOSTILE_LISTINGS)))
    assert found.ok, [str(p) for p in found.errors][:5]
    # Time zones come with enrichment: here the region's, on every listing but a few.
    regions = found.vocabularies.regions
    for index, listing in enumerate(found.listings):
        listing.timezone = None if index % 5 == 0 else regions[listing.region].default_timezone
    return found


@pytest.fixture(scope="module")
def rows(directory):
    return meeting_rows(directory.listings)


def test_the_directories_have_lines_of_every_kind(rows):
    # What the comparisons below need to see: notes, zones, online and in person.
    view = ScheduleView("en")
    listings = {id(row.listing): row.listing for row in rows}.values()
    assert any(l.online for l in listings) and any(l.location for l in listings)
    assert any(l.timezone for l in listings)
    if any("<" in l.name for l in listings):  # the hostile directory: markup, every line of it
        return
    assert any(view.has_note(row.listing, row.meeting) for row in rows)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("show_zone", [False, True])
def test_schedule_lines_read_as_the_template_wrote_them(directory, rows, language, page, show_zone):
    env = environment()
    t, fmt, view = catalogue(language), Formats(language), ScheduleView(language, now=dt.datetime(2026, 1, 5, tzinfo=dt.timezone.utc))
    args = dict(rows=rows, t=t, fmt=fmt, vocab=directory.vocabularies, link=relative_link(page), listing_url=listing_url,
                heading_level=2, show_zone=show_zone, schedule=view)
    expected = env.get_template("reference/schedule.html").render(args)
    macros = env.get_template("directory/macros.html").module
    for _ in range(2):  # and again, the type labels from the kept table
        got = macros.schedule_by_day(rows, t, fmt, directory.vocabularies, relative_link(page), listing_url,
                                     heading_level=2, show_zone=show_zone, schedule=view)
        assert str(got).strip() == expected.strip()
    assert expected.count('class="rd-meeting"') == len(rows) and ('class="rd-zone"' in expected) == show_zone


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("show_zone", [False, True])
def test_print_lines_read_as_the_template_wrote_them(directory, rows, language, show_zone):
    env = environment()
    t, fmt = catalogue(language), Formats(language)
    context = dict(rows=rows, t=t, fmt=fmt, show_zone=show_zone)
    expected = env.get_template("reference/print.html").render(context)
    page = env.get_template("directory/print.html").render(
        context, link=relative_link("regions/illinois/print/"), online_url="regions/illinois/", name="Illinois", title="Illinois",
        settings=type("Settings", (), {"site_url": "https://example.org/"})(), built=type("Built", (), {"when": dt.datetime(2026, 1, 5)})(),
        crisis_compact="", legend=[])
    found = re.search(r'  <div class="rd-print__days">\n.*?\n  </div>', page, re.S)
    assert found is not None and found.group(0) == expected
    assert expected.count('class="rd-print__meeting"') == len(rows) and ('class="rd-zone"' in expected) == show_zone


def test_a_fragment_table_gives_the_macros_output_and_keeps_it():
    env = make_environment(jinja2.DictLoader({"m.html": "{% macro label(code, suffix) %}<b>{{ code }}{{ suffix }}</b>{% endmacro %}"}))
    macro = env.get_template("m.html").module.label
    calls = []

    def counted(*args):
        calls.append(args)
        return macro(*args)
    counted.name = macro.name
    cached = env.globals["cached"]
    table = cached.table(counted, "!")
    assert table[("O", "D")] == macro(("O", "D"), "!") == cached(macro, ("O", "D"), "!")
    assert table["<x>"] == "<b>&lt;x&gt;!</b>"
    assert table[("O", "D")] is table[("O", "D")] and len(calls) == 2  # each key rendered once
    assert cached.table(counted, "!") is table  # one table a build for the same macro and arguments
    assert cached.table(counted, "?") is not table


@pytest.mark.parametrize("language", ["en", "es"])
def test_region_headings_read_as_the_template_wrote_them(directory, rows, language):
    env = environment()
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.listing.region, []).append(row)
    regions = directory.vocabularies.regions
    context = dict(groups=[(regions[slug], found) for slug, found in groups.items()], t=catalogue(language), fmt=Formats(language),
                   vocab=directory.vocabularies, link=relative_link("types/open/in/illinois/"), region_url=region_url,
                   listing_url=listing_url, schedule=ScheduleView(language))
    expected = re.findall(r"  <h2>.*</h2>\n", env.get_template("reference/groups.html").render(context))
    got = re.findall(r"  <h2>.*</h2>\n", env.get_template("directory/grouped-meetings.html").render(context))
    assert got == expected and len(expected) == len(groups)


@pytest.mark.parametrize("language", ["en", "es"])
def test_listing_cards_read_as_the_template_wrote_them(directory, language):
    env = environment()
    args = dict(listings=directory.listings, t=catalogue(language), fmt=Formats(language), vocab=directory.vocabularies,
                link=relative_link("regions/illinois/"), listing_url=listing_url)
    expected = env.get_template("reference/cards.html").render(args)
    macros = env.get_template("directory/macros.html").module
    for _ in range(2):  # and again, the names from the kept tables
        assert str(macros.listing_cards(*args.values())).strip() == expected.strip()
    assert any(listing.services for listing in directory.listings)
