"""Which conference service an online meeting's link is on, from the host of
the link and ``data/conference-services.yml`` (host → the service's name)."""

from __future__ import annotations

import os
from functools import lru_cache
from urllib.parse import urlsplit

import yaml

SERVICES_FILE = os.path.join(os.path.dirname(__file__), "data", "conference-services.yml")


@lru_cache(maxsize=1)
def known_services() -> dict[str, str]:
    """Host suffix → service name, as the data file lists them."""
    with open(SERVICES_FILE, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return {str(host).lower().strip("."): str(name) for host, name in data.items()}


def conference_service(url: str | None) -> str | None:
    """``Zoom`` for https://us02web.zoom.us/j/123; ``None`` for a host not in the file."""
    try:
        host = (urlsplit((url or "").strip()).hostname or "").rstrip(".")
    except ValueError:  # a malformed port or IPv6 address: no service
        return None
    services = known_services()
    # The host, then each parent domain: a.b.zoom.us, b.zoom.us, zoom.us.
    labels = host.split(".")
    for start in range(len(labels) - 1):
        name = services.get(".".join(labels[start:]))
        if name:
            return name
    return None
