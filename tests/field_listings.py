"""Listings for the listing page's fields (listing_site_fixtures.py builds them):
``full-group`` has every field a listing page shows; ``bare-group`` and
``bare-online`` have as few as a listing may."""

from __future__ import annotations

ADDRESS = {"name": "St. Mark's Church", "address": "1 Main St", "city": "Springfield", "state": "IL",
           "postal_code": "62701", "notes": "Side door, basement"}

FULL_GROUP = {
    "name": "Full Group", "fellowship": "aa", "region": "springfield", "timezone": "America/Chicago",
    "location": ADDRESS,
    "online": {"url": "https://us02web.zoom.us/j/123456789", "phone": "+1 646 555 0100,,123456789#",
               "notes": "Meeting ID 123 456 789, passcode serenity", "phone_notes": "Numeric passcode 246810"},
    "meetings": [
        {"day": "monday", "time": "19:00", "end_time": "20:00", "types": ["O", "D", "X", "ASL"]},
        {"day": "saturday", "time": "09:30", "types": ["O", "X", "XB"]},
    ],
    "website": "https://example.org/full", "email": "group@example.org", "phone": "+1 217 555 0100",
    "contact_1_name": "Bob S.", "contact_1_email": "bob@example.org", "contact_1_phone": "+1 217 555 0101",
    "contact_2_name": "Ann", "contact_2_phone": "+1 217 555 0102",
    "contact_3_email": "secretary@example.org",
    "venmo": "https://venmo.com/u/Full-Group", "square": "$FullGroup", "paypal": "FullGroup", "homegroup_online": "full-group",
    "notes": "Coffee from 6:45",
    "entity": "Central Illinois Intergroup", "entity_email": "office@example.org", "entity_phone": "+1 217 555 0199",
    "entity_url": "https://example.org/intergroup",
    "feedback_emails": ["listings@example.org", "web@example.org"], "feedback_url": "https://example.org/feedback",
    "last_verified": "2026-01-15",
}

LISTINGS = {
    "groups/full-group.yml": FULL_GROUP,
    # The same group's online meeting: a listing of its own.
    "groups/full-group-online.yml": {
        "name": "Full Group", "fellowship": "aa", "region": "springfield",
        "online": {"url": "https://meet.google.com/abc-defg-hij"},
        "meetings": [{"day": "sunday", "time": "18:00"}],
    },
    # Another fellowship at the same door.
    "family-groups/same-place-al-anon.yml": {
        "name": "Same Place Al-Anon", "fellowship": "al-anon", "region": "springfield",
        "location": {"address": "1 Main Street", "city": "Springfield", "state": "IL"},
        "meetings": [{"day": "monday", "time": "19:00"}],
    },
    "groups/bare-group.yml": {
        "name": "Bare Group", "fellowship": "na", "region": "springfield",
        "location": {"address": "9 Elm St", "city": "Springfield", "state": "IL"},
        "meetings": [{"day": "tuesday", "time": "12:00"}],
    },
    "groups/bare-online.yml": {
        "name": "Bare Online", "fellowship": "aa", "region": "springfield",
        "online": {"url": "https://example.org/our-room"},
        "meetings": [{"day": "wednesday", "time": "20:00"}],
    },
    "treatment-centers/plain-center.yml": {
        "name": "Plain Center", "region": "springfield",
        "location": {"address": "5 Oak St", "city": "Springfield", "state": "IL"},
        "phone": "+1 217 555 0105", "services": ["outpatient"], "payment": ["medicaid"],
    },
}
