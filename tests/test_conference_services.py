"""The join button names the conference service when the link's host is one
of data/conference-services.yml (the host itself or a subdomain of it), and
says "Join online" for any other host."""

from __future__ import annotations

import pytest

from recovery_directory.conference import conference_service, known_services

# Every host in the data file, with a link people are sent in practice.
KNOWN = [
    ("https://zoom.us/j/85598765432?pwd=abc", "Zoom"),
    ("https://us02web.zoom.us/j/85598765432", "Zoom"),
    ("https://www.zoomgov.com/j/1610000000", "Zoom"),
    ("https://meet.google.com/abc-defg-hij", "Google Meet"),
    ("https://teams.microsoft.com/l/meetup-join/19%3ameeting_x", "Microsoft Teams"),
    ("https://teams.live.com/meet/9876543210", "Microsoft Teams"),
    ("https://meet.jit.si/DowntownSerenity", "Jitsi Meet"),
    ("https://8x8.vc/vpaas-magic-cookie-x/room", "Jitsi Meet"),
    ("https://whereby.com/downtown-serenity", "Whereby"),
    ("https://example.webex.com/meet/serenity", "Webex"),
    ("https://global.gotomeeting.com/join/123456789", "GoTo Meeting"),
    ("https://meet.goto.com/123456789", "GoTo Meeting"),
    ("https://discord.gg/abcdef", "Discord"),
    ("https://discord.com/invite/abcdef", "Discord"),
    ("https://join.skype.com/abcdefgh", "Skype"),
    ("https://www.freeconferencecall.com/wall/serenity", "FreeConferenceCall"),
    ("https://bluejeans.com/123456789", "BlueJeans"),
    ("https://meetings.ringcentral.com/j/1234567890", "RingCentral"),
    ("https://v.ringcentral.com/join/123456789", "RingCentral"),
    ("https://chime.aws/1234567890", "Amazon Chime"),
    ("https://signal.group/#abc", "Signal"),
]


@pytest.mark.parametrize("url, name", KNOWN, ids=[url.split("/")[2] for url, _ in KNOWN])
def test_each_known_host_is_named(url, name):
    assert conference_service(url) == name


def test_every_host_in_the_data_file_is_tested():
    tested = {url.split("/")[2] for url, _ in KNOWN}
    untested = [host for host in known_services() if not any(t == host or t.endswith("." + host) for t in tested)]
    assert untested == []


@pytest.mark.parametrize("url", [
    "https://example.org/our-meeting",  # a group's own page
    "https://zoom.us.example.org/j/1",  # the name inside another host
    "https://evilzoom.us/j/1",  # a host that only ends the same way
    "https://us",  # a bare top-level name
    "https://meet.google.com.evil.example/x",
    "not a link", "", None,
    "https://[::1/",  # a URL Python cannot split: no service, no exception
])
def test_an_unknown_host_has_no_name(url):
    assert conference_service(url) is None


def test_hosts_are_compared_without_case_or_a_trailing_dot():
    assert conference_service("HTTPS://US02WEB.ZOOM.US./j/1") == "Zoom"
