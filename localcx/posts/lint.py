"""Checking a rendered post the way Google would, and for what readers dislike.

Errors are what Google refuses (GOOGLE-API.md §3.9): a summary over 1,500 characters, an
event or offer without its title and dates, an unknown call-to-action type or a missing
URL, an event that ends before it starts or before the post goes out, a title over 58
characters. Warnings are what Google tends to reject or readers skip: phone numbers or
URLs in the text, shouting in capitals, and the same text on every store when the
template was meant to vary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

import phonenumbers

from localcx.posts.render import Rendered, event_end, event_start
from localcx.posts.template import CTA_TYPES, MEDIA_FORMATS, Template

MAX_SUMMARY = 1500
MAX_EVENT_TITLE = 58
def _has_phone(text: str, region: str) -> bool:
    """A phone number as the store's country writes one (libphonenumber), not any run of
    digits: dates, prices and opening hours are not phone numbers."""
    try:
        return any(True for _ in phonenumbers.PhoneNumberMatcher(text, region or "US"))
    except Exception:  # the matcher is a guard for a warning; never fail a preview on it
        return False
_URL = re.compile(r"https?://|www\.\S", re.IGNORECASE)


def _where(template: Template, rendered: Rendered, key: str) -> str:
    """`file:line:key: store CODE`, the line the store's own variant sets the key on."""
    spot = None
    if rendered.language != template.language:
        spot = template.spots.get(f"variants.{rendered.language}.{key}")
    spot = spot or template.spots.get(key)
    return f"{template.path}:{spot.line if spot else 1}:{key}: store {rendered.store_code}"


def check(template: Template, rendered: Rendered, publish_at: datetime) -> None:
    """Add Google's refusals (errors) and readers' dislikes (warnings) to `rendered`.
    `publish_at` is naive, in the store's local time, like the event dates."""
    post, errors, warnings = rendered.post, rendered.errors, rendered.warnings
    summary = post.get("summary", "")
    if len(summary) > MAX_SUMMARY:
        errors.append(f"{_where(template, rendered, 'summary')}: summary is {len(summary):,} characters after rendering; Google allows {MAX_SUMMARY:,}")
    if template.topic in ("EVENT", "OFFER"):
        event = post.get("event") or {}
        if not event.get("title"):
            errors.append(f"{_where(template, rendered, 'event.title')}: an {template.topic} post needs an event title")
        elif len(event["title"]) > MAX_EVENT_TITLE:
            errors.append(f"{_where(template, rendered, 'event.title')}: event title is {len(event['title'])} characters; Google allows {MAX_EVENT_TITLE}")
        start, end = event_start(post), event_end(post)
        if start is None or end is None:
            errors.append(f"{_where(template, rendered, 'event')}: an {template.topic} post needs event start and end")
        elif end < start:
            errors.append(f"{_where(template, rendered, 'event.end')}: the event ends before it starts")
        elif end <= publish_at:
            errors.append(f"{_where(template, rendered, 'event.end')}: the event is over before the post goes out ({publish_at:%Y-%m-%d %H:%M})")
    cta = post.get("callToAction")
    if cta:
        if cta["actionType"] not in CTA_TYPES:
            errors.append(f"{_where(template, rendered, 'call_to_action.type')}: call to action must be one of {', '.join(CTA_TYPES)}")
        elif cta["actionType"] == "CALL" and cta.get("url"):
            errors.append(f"{_where(template, rendered, 'call_to_action.url')}: a CALL button takes no URL (Google calls the store's phone)")
        elif cta["actionType"] != "CALL" and not cta.get("url"):
            errors.append(f"{_where(template, rendered, 'call_to_action.url')}: a {cta['actionType']} button needs a URL")
        elif cta.get("url") and not cta["url"].startswith(("https://", "http://")):
            errors.append(f"{_where(template, rendered, 'call_to_action.url')}: {cta['url']!r} is not a web address")
    for item in post.get("media", []):
        if item["mediaFormat"] not in MEDIA_FORMATS:
            errors.append(f"{_where(template, rendered, 'media')}: media format must be PHOTO or VIDEO")
        if not item["sourceUrl"].startswith("https://"):
            warnings.append(f"{_where(template, rendered, 'media')}: Google fetches media itself; use a public https:// URL")
    if _has_phone(summary, rendered.region):
        warnings.append(f"{_where(template, rendered, 'summary')}: a phone number in the text (Google often rejects these; use a CALL button)")
    if _URL.search(summary):
        warnings.append(f"{_where(template, rendered, 'summary')}: a URL in the text (Google often rejects these; use a call to action)")
    letters = [c for c in summary if c.isascii() and c.isalpha()]
    if len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        warnings.append(f"{_where(template, rendered, 'summary')}: mostly capitals reads as shouting")


def check_variety(template: Template, posts: Sequence[Rendered]) -> None:
    """The same summary on every store when the template uses variables: probably a
    variable that does not vary (or a forgotten one)."""
    accepted = [p for p in posts if p.ok]
    summaries = {p.post.get("summary") for p in accepted}
    uses_variables = "{{" in str(template.fields.get("summary", ""))
    if len(accepted) > 1 and len(summaries) == 1 and uses_variables:
        for rendered in accepted:
            rendered.warnings.append(f"{_where(template, rendered, 'summary')}: every store gets the same text although the template uses variables")
