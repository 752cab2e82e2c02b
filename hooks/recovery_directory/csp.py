"""A strict Content-Security-Policy for every page, as a <meta> tag.

Static hosts rarely let a site set headers, so the policy goes into the page.
The theme has a few small inline scripts (they differ with the page's depth);
each is allowed by its SHA-256 hash, nothing else inline runs. Pagefind needs
WebAssembly, hence 'wasm-unsafe-eval'.
"""

from __future__ import annotations

import base64
import hashlib
import re

_HEAD = re.compile(r"<head[^>]*>", re.I)


def policy(script_hashes: list[str], extra_img_hosts: tuple[str, ...] = ()) -> str:
    scripts = " ".join(f"'sha256-{h}'" for h in sorted(set(script_hashes)))
    images = " ".join(("'self'", "data:") + tuple(extra_img_hosts))
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'wasm-unsafe-eval' {scripts}".strip(),
        "style-src 'self' 'unsafe-inline'",
        f"img-src {images}",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ))


def inline_script_hashes(html: str) -> list[str]:
    """The SHA-256 of each inline script's text. Found with ``str.find``, ten
    times faster than a regular expression over a whole page; tags in upper
    case are not seen, so such a script is not allowed (it does not run)."""
    return _scan(html)[0]


def fragment_script_hashes(html: str) -> list[str] | None:
    """:func:`inline_script_hashes` of a fragment of a page, or ``None`` when a
    script in it is not closed inside it (in the page, its end is found further on)."""
    hashes, closed = _scan(html)
    return hashes if closed else None


def _scan(html: str) -> tuple[list[str], bool]:
    hashes = []
    start = html.find("<script")
    while start != -1:
        body_start = html.find(">", start) + 1
        end = html.find("</script>", body_start)
        if body_start == 0 or end == -1:
            return hashes, False
        attrs = html[start + len("<script"):body_start - 1].lower()
        if not ("src=" in attrs or "application/json" in attrs or "application/ld+json" in attrs):
            digest = hashlib.sha256(html[body_start:end].encode("utf-8")).digest()
            hashes.append(base64.b64encode(digest).decode("ascii"))
        start = html.find("<script", end)
    return hashes, True


def add_policy(html: str, extra_img_hosts: tuple[str, ...] = ()) -> str:
    """The page with its policy as the first element of <head>."""
    at = head_end(html)
    if at < 0:
        return html
    return html[:at] + policy_tag(inline_script_hashes(html), extra_img_hosts) + html[at:]


def head_end(html: str) -> int:
    """Where the policy goes: just after ``<head>``; -1 when there is none."""
    head = _HEAD.search(html)
    return -1 if head is None else head.end()


def policy_tag(script_hashes: list[str], extra_img_hosts: tuple[str, ...] = ()) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy(script_hashes, extra_img_hosts)}">'
