"""A group's Seventh Tradition links: Venmo, Cash App, PayPal and Homegroup
Online, with the Meeting Guide format's field names (``venmo``, ``square``,
``paypal``, ``homegroup_online``).

A listing may give the handle as the service writes it or a link to the
group's page; the feed carries the handle, the listing page a plain link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .fields import Handle

_NAME = r"[A-Za-z0-9_-]"

VENMO = Handle(
    service="Venmo", noun="Venmo username", prefix="@", pattern=_NAME + "{5,30}",
    hint="write @ and the group's username (5 to 30 letters, digits, - or _)",
    links=(r"https://(?:www\.|account\.)?venmo\.com/(?:u/)?(" + _NAME + r"{5,30})/?",),
    template="https://venmo.com/u/{handle}", example="@Downtown-Serenity",
)
CASH_APP = Handle(
    service="Cash App", noun="Cash App $cashtag", prefix="$", pattern=r"(?=[A-Za-z0-9_-]*[A-Za-z])" + _NAME + "{1,20}",
    hint="write $ and the group's cashtag (up to 20 letters, digits, - or _, with at least one letter)",
    links=(r"https://(?:www\.)?cash\.app/\$((?=[A-Za-z0-9_-]*[A-Za-z])" + _NAME + r"{1,20})/?",),
    template="https://cash.app/${handle}", example="$DowntownSerenity",
)
PAYPAL = Handle(
    service="PayPal", noun="PayPal.me name", prefix="", pattern=r"[A-Za-z0-9]{1,20}",
    hint="write the group's PayPal.me name (up to 20 letters and digits), without paypal.me/",
    links=(r"https://(?:www\.)?paypal\.me/([A-Za-z0-9]{1,20})/?",
           r"https://(?:www\.)?paypal\.com/paypalme/([A-Za-z0-9]{1,20})/?"),
    template="https://www.paypal.me/{handle}", example="DowntownSerenity",
)
HOMEGROUP_ONLINE = Handle(
    service="Homegroup Online", noun="Homegroup Online group code", prefix="", pattern=_NAME + "{1,64}",
    hint="write the group's code from its Homegroup Online page (letters, digits, - or _)",
    links=(r"https://donate\.homegroup\.online/(" + _NAME + r"{1,64})/?",),
    template="https://donate.homegroup.online/{handle}/", example="downtown-serenity",
)

# Field name (the Meeting Guide format's) → the service, in the order pages show them.
SERVICES: dict[str, Handle] = {
    "venmo": VENMO,
    "square": CASH_APP,
    "paypal": PAYPAL,
    "homegroup_online": HOMEGROUP_ONLINE,
}


@dataclass(frozen=True, slots=True)
class Contribution:
    field: str  # venmo, square, paypal, homegroup_online
    service: str  # Venmo, Cash App …
    handle: str  # as the service writes it: @name, $name, name
    url: str  # the group's page on the service


def contributions(listing: Any) -> list[Contribution]:
    """The listing's contribution links, in :data:`SERVICES` order."""
    found = []
    for field, service in SERVICES.items():
        value = getattr(listing, field, None)
        handle, url = service.written(value), service.link(value)
        if handle and url:
            found.append(Contribution(field, service.service, handle, url))
    return found
