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

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
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
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs").lower()
        if "src=" in attrs or "application/json" in attrs or "application/ld+json" in attrs:
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append(base64.b64encode(digest).decode("ascii"))
    return hashes


def add_policy(html: str, extra_img_hosts: tuple[str, ...] = ()) -> str:
    """The page with its policy as the first element of <head>."""
    head = _HEAD.search(html)
    if head is None:
        return html
    content = policy(inline_script_hashes(html), extra_img_hosts)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    return html[: head.end()] + tag + html[head.end():]
