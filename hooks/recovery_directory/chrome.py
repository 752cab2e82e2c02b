"""The theme around a generated page (its "chrome"), rendered once per shape.

Two generated pages outside the nav whose links are alike (``_nav_key``) get the
same theme around them but for a few values of their own: the title (in
``<title>``, the header and, when the content has none, an ``<h1>``), the
description, the canonical URL, the edit link, the language switcher's links
and the content. So the theme renders a stand-in page once per :class:`Shape`,
with a marked stand-in for each of those values; the result is split at the
stand-ins into a :class:`Skeleton`, and each page is the skeleton's pieces
joined with its own values.

Each value must come out exactly as the theme's template would print it. A
stand-in carries a fingerprint that each filter the theme may apply changes in
its own way (escaping, ``striptags``), so the text the theme printed tells
which filters ran at that spot; the page's value goes through the same filters.
A stand-in printed through anything else, or cut, stops the build
(:class:`ChromeError`): a theme upgrade cannot silently give wrong pages. What
the theme decides from a value (is there a description, an ``<h1>`` in the
content, an edit link) is part of the shape. The first pages of each shape are
also rendered the theme's way and compared, byte for byte.

Private-use characters mark the stand-ins: escaping, ``striptags`` and URL
normalisation leave them as they are.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable

from markupsafe import Markup, escape

from .csp import add_policy, fragment_script_hashes, head_end, inline_script_hashes, policy_tag

OPEN, MID, CLOSE = "\ue000", "\ue001", "\ue002"
# One fingerprint for every value: raw, escaped and striptags-then-escaped give three different texts.
FINGERPRINT = "x&amp;y  z"


def _raw(value: str) -> str:
    return str(value)


def _escaped(value: str) -> str:
    return str(escape(value))


def _striptags_escaped(value: str) -> str:
    return str(escape(Markup(str(value)).striptags()))  # Jinja's `striptags | e`


# The ways the theme prints each value (overrides/main.html, the theme's base.html and partials).
TRANSFORMS: dict[str, Callable[[str], str]] = {"raw": _raw, "e": _escaped, "striptags|e": _striptags_escaped}
ALLOWED = {
    "title": ("raw", "striptags|e"),  # header, <h1> (raw meta.title); <title> (main.html)
    "description": ("raw",),  # <meta name="description">
    "canonical": ("raw",),  # <link rel="canonical">
    "edit": ("raw",),  # the edit button
    "content": ("raw",),
    "alternate": ("e",),  # the language switcher (partials/alternate.html)
}


# What a generated page's meta may hold (on_page_markdown): each is a value or part of the shape.
KNOWN_META = frozenset(("title", "description", "template", "rd_feed"))


class ChromeError(Exception):
    """The theme printed a page's value in a way the skeleton cannot reproduce."""


@dataclass(frozen=True)
class Shape:
    """What the theme decides from a page's own values, besides its links."""

    nav_key: tuple
    description: bool
    canonical: bool
    edit: bool
    feed: str | None  # page.meta.rd_feed: which feed's link (a constant per feed)
    h1: bool  # the content has its own <h1> (else the theme adds one)
    alternates: int  # language switcher links


@dataclass
class Skeleton:
    pieces: list[str]  # literal text around the slots: one more than slots
    slots: list[tuple[str, Callable[[str], str]]]  # (value's name, how the theme prints it)
    script_hashes: list[str]  # of the theme's inline scripts (no value is inside one)
    head_end: int  # where the policy goes, in pieces[0]; -1: no <head>
    policy: dict[tuple, str] = field(default_factory=dict)  # extra hosts → the <meta> tag

    def join(self, values: dict[str, str]) -> str:
        return "".join(self.parts(values))

    def parts(self, values: dict[str, str]) -> list[str]:
        """The page's text in pieces: the skeleton's, each followed by a value as the theme prints it."""
        parts = [self.pieces[0]]
        for (name, transform), piece in zip(self.slots, self.pieces[1:]):
            parts.append(transform(values[name]))
            parts.append(piece)
        return parts

    def with_policy(self, parts: list[str], content_hashes: list[str], hosts: tuple[str, ...]) -> str:
        """``csp.add_policy`` of the page joined from ``parts``, with the theme's scripts
        hashed once; joined anew with the policy in its first piece, which holds <head>
        (one copy of the page, where cutting the page at <head> made two)."""
        if self.head_end < 0:
            return "".join(parts)
        if content_hashes:
            tag = policy_tag(self.script_hashes + content_hashes, hosts)
        else:
            tag = self.policy.get(hosts) or self.policy.setdefault(hosts, policy_tag(self.script_hashes, hosts))
        head = parts[0]
        return "".join([head[: self.head_end], tag, head[self.head_end:], *parts[1:]])


@dataclass
class Assembled:
    """A page joined from its skeleton, with what its policy needs."""

    html: str
    skeleton: Skeleton
    values: dict[str, str | None]
    parts: list[str]  # html in the skeleton's pieces and the values between them (Skeleton.parts)

    def with_policy(self, hosts: tuple[str, ...]) -> str:
        """``csp.add_policy(self.html, hosts)``, hashing only the content's scripts
        when no other value of the page could open or close a script."""
        content = fragment_script_hashes(self.values["content"])
        if content is None or any("<script" in value for name, value in self.values.items() if value and name != "content"):
            return add_policy(self.html, hosts)
        return self.skeleton.with_policy(self.parts, content, hosts)


def stand_in(name: str) -> str:
    return f"{OPEN}{name}{MID}{FINGERPRINT}{CLOSE}"


def content_stand_in(h1: bool) -> str:
    # The theme adds an <h1> unless the content has one ("<h1" in page.content).
    return f"{OPEN}content{MID}{'<h1>' if h1 else ''}{FINGERPRINT}{CLOSE}"


def split(rendered: str, stand_ins: dict[str, str]) -> Skeleton:
    """The skeleton of ``rendered``, a page rendered with ``stand_ins`` (value's name → its stand-in)."""
    pieces, slots, at = [], [], 0
    while (start := rendered.find(OPEN, at)) != -1:
        name = rendered[start + 1:rendered.find(MID, start)] if MID in rendered[start:start + 40] else "?"
        end = rendered.find(CLOSE, start)
        if name not in stand_ins or end == -1:
            raise ChromeError(f"the theme printed a cut or unknown stand-in near {rendered[start:start + 60]!r}")
        printed = rendered[start:end + 1]
        kind = name.rstrip("0123456789")
        matches = [t for t in ALLOWED[kind] if TRANSFORMS[t](stand_ins[name]) == printed]
        if len(matches) != 1:
            raise ChromeError(f"the theme prints the page's {name} as {printed!r}, which is none of {ALLOWED[kind]} "
                              f"of {stand_ins[name]!r}: a theme upgrade? Render those pages the theme's way and compare")
        pieces.append(rendered[at:start])
        slots.append((name, TRANSFORMS[matches[0]]))
        at = end + 1
    pieces.append(rendered[at:])
    for marker in (MID, CLOSE):
        if any(marker in piece for piece in pieces):
            raise ChromeError("the theme printed part of a stand-in: a theme upgrade?")
    return Skeleton(pieces, slots, *_scripts_and_head(rendered, pieces))


def _scripts_and_head(rendered: str, pieces: list[str]) -> tuple[list[str], int]:
    """The theme's inline scripts' hashes, and where csp.add_policy puts the policy.
    Both hold for every page of the shape only if no value is in a script and
    <head> comes before any value."""
    hashes = inline_script_hashes(rendered)
    start = rendered.find("<script")
    while start != -1:
        end = rendered.find("</script>", start)
        if OPEN in rendered[start:end if end != -1 else len(rendered)]:
            raise ChromeError(f"the theme prints a page's value inside a script: {rendered[start:start + 80]!r}")
        start = rendered.find("<script", end) if end != -1 else -1
    at = head_end(pieces[0])
    if at < 0 and head_end(rendered) >= 0:
        raise ChromeError("the theme prints a page's value before <head>, where the policy goes")
    return hashes, at


class Chrome:
    """Generated pages' theme, rendered once per shape and then joined per page."""

    VERIFIED_PER_SHAPE = 2  # pages of each shape also rendered the theme's way and compared

    def __init__(self, render_theme: Callable[[dict], str]):
        self.render_theme = render_theme  # context → the page as the theme renders it
        self.skeletons: dict[Shape, Skeleton] = {}
        self.verified: dict[Shape, int] = {}
        self.joined = 0  # pages joined so far

    def page(self, page: Any, context: dict, nav_key: tuple, config: Any) -> Assembled:
        """``page`` (its content rendered, its meta set) inside the theme."""
        if not page.meta.keys() <= KNOWN_META or page.title != page.meta["title"]:
            raise ChromeError(f"{page.file.src_uri}: its meta ({sorted(page.meta)}) or title is more than a shape and "
                              f"its values say: teach chrome.Shape what the theme does with it")
        alternate = config.extra.get("alternate")
        links = getattr(alternate, "links", None) if alternate is not None else None
        shape = Shape(nav_key, bool(page.meta.get("description")), bool(page.canonical_url), bool(page.edit_url),
                      page.meta.get("rd_feed"), "<h1" in page.content, len(links) if links is not None else -1)
        skeleton = self.skeletons.get(shape)
        if skeleton is None:
            skeleton = self.skeletons[shape] = self._skeleton(page, context, shape, config, alternate)
        values = {"title": page.meta["title"], "description": page.meta.get("description"), "canonical": page.canonical_url,
                  "edit": page.edit_url, "content": page.content}
        for i, link in enumerate(links or ()):
            values[f"alternate{i}"] = link.href
        parts = skeleton.parts(values)
        html = "".join(parts)
        self.joined += 1
        if self.verified.get(shape, 0) < self.VERIFIED_PER_SHAPE:
            self.verified[shape] = self.verified.get(shape, 0) + 1
            expected = self.render_theme(context)
            if html != expected:
                at = next((i for i, (a, b) in enumerate(zip(html, expected)) if a != b), min(len(html), len(expected)))
                raise ChromeError(f"{page.file.src_uri}: joined from the skeleton it differs from the theme's rendering at "
                                  f"character {at}: {html[at - 60:at + 60]!r} against {expected[at - 60:at + 60]!r}")
        return Assembled(html, skeleton, values, parts)

    def _skeleton(self, page: Any, context: dict, shape: Shape, config: Any, alternate: Any) -> Skeleton:
        stand_ins = {"title": stand_in("title"), "content": content_stand_in(shape.h1)}
        probe = copy.copy(page)
        probe.meta = dict(page.meta, title=stand_ins["title"])
        if shape.description:
            probe.meta["description"] = stand_ins["description"] = stand_in("description")
        if shape.canonical:
            probe.canonical_url = stand_ins["canonical"] = stand_in("canonical")
        if shape.edit:
            probe.edit_url = stand_ins["edit"] = stand_in("edit")
        probe.content = stand_ins["content"]
        if shape.alternates >= 0:
            links = tuple(type(link)(link.lang, link.name, stand_in(f"alternate{i}"), link.current)
                          for i, link in enumerate(alternate.links))
            stand_ins.update((f"alternate{i}", link.href) for i, link in enumerate(links))
            config.extra["alternate"] = type(alternate)(links)
        try:
            rendered = self.render_theme(dict(context, page=probe))
        finally:
            if shape.alternates >= 0:
                config.extra["alternate"] = alternate
        skeleton = split(rendered, stand_ins)
        if "title" not in (name for name, _ in skeleton.slots):
            raise ChromeError("the theme no longer prints the page's title: a theme upgrade?")
        return skeleton
