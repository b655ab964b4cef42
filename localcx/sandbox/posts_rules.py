"""What a LocalPost must satisfy (GOOGLE-API.md §3.9, §5 and §7), and how moderation treats it.

Broken rules answer 400 INVALID_ARGUMENT "Request contains an invalid argument." with the
legacy `errors` list (reason badRequest) and one `google.mybusiness.v4.ValidationError`
detail whose `errorDetails` list every problem as `{code, field (snake_case), message}`.
Codes: 2 (a required value is missing; confirmed by a captured topic-type error) and 1000
("Fetching image failed."; Google's reference) are Google's; 3 (invalid value) and 4 (value
too long) sit in Google's 1–199 "general" range but are the sandbox's choice.

Choices where Google is silent or unconfirmed (keep them in step with the module docstring of
posts.py and with tests/test_sandbox_posts.py):
- `topicType` PRODUCT is a known value (posts made in Google's own UI) but cannot be created
  through the API: code 3 on `topic_type`. The topic type of a post cannot be changed.
- `event` (title ≤ 58 characters, and a schedule with all four of startDate, startTime,
  endDate, endTime, the end not before the start) is required for EVENT and OFFER posts.
- `summary` ≤ 1500 characters; a STANDARD post needs a summary or a photo/video, an ALERT
  post a summary and `alertType` (only ALERT posts may set it).
- `callToAction` is dropped from OFFER posts (Google ignores it there). Otherwise it needs an
  `actionType`, and a `url` (absolute http/https) for every type but CALL; a CALL with a `url`
  is refused (code 3) rather than silently ignored, so a client that sends one finds out.
- `offer` only on OFFER posts; its `redeemOnlineUrl`, when set, an absolute http/https URL.
- `media[]`: only `mediaFormat` (PHOTO or VIDEO, required) and `sourceUrl` (required) are kept.
  The sandbox "cannot fetch" (code 1000 on `media`, the URL as `value`) a URL that is not
  absolute http/https; whose host is `localhost`, an IP address that is not public, or ends
  in `.invalid`, `.test`, `.local`, `.localhost` or `.internal` (names that never resolve on
  the public internet); or whose path contains `missing` (a deliberate test trigger).
  `.example` hosts are fetchable: the seeded world's own sites use them.
- `scheduledTime` must be a proto3 Timestamp (the JSON parser refuses others) in the future.

Moderation: a post turns REJECTED `REVIEW_SECONDS` (5 minutes on the sandbox clock) after it
was created or edited when its summary holds a phone number (libphonenumber, the store's
region) or a web address (Google's posting policy keeps both out of post text: use a call to
action), and, independently of its content, for a seeded 5% of posts, chosen by a hash of
the world seed and the post id (so which posts are rejected never changes between runs).
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from datetime import date, datetime, time
from enum import IntEnum
from typing import Any
from urllib.parse import urlsplit

import phonenumbers

from localcx.sandbox import discovery
from localcx.sandbox.validate import Dialect, parse_timestamp
from localcx.sandbox.wire import INVALID_ARGUMENT, TYPE_PREFIX, ApiError

SUMMARY_MAX = 1500
EVENT_TITLE_MAX = 58
REVIEW_SECONDS = 300.0
REJECTED_SHARE = 0.05
UNFETCHABLE_SUFFIXES = (".invalid", ".test", ".local", ".localhost", ".internal")
CTA_TYPES_WITHOUT_URL = ("CALL",)
SCHEDULE_PARTS = ("startDate", "startTime", "endDate", "endTime")

# Fields of the current LocalPost that the v4 extract in data/ predates (GOOGLE-API.md §3.9,
# §7), and the topic type it lists no value for.
LATER_FIELDS: dict[str, dict[str, dict[str, Any]]] = {"LocalPost": {
    "scheduledTime": {"type": "string", "format": "google-datetime"},
    "recurringInstanceTime": {"type": "string", "format": "google-datetime"},
    "topicType": {"type": "string", "enum": [
        *discovery.schema(discovery.MYBUSINESS_V4, "LocalPost")["properties"]["topicType"][
            "enum"], "PRODUCT"]},
}}
V4 = Dialect(discovery.MYBUSINESS_V4, "type.googleapis.com/google.mybusiness.v4.", LATER_FIELDS)
OUTPUT_ONLY = ("name", "createTime", "updateTime", "state", "searchUrl",
               "recurringInstanceTime")

_URL_IN_TEXT = re.compile(r"(?i)\b(?:https?://|www\.)\S|\b[a-z0-9-]+\.(?:com|net|org|jp|io|"
                          r"co|info|biz|shop|example)(?:/\S*)?\b")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


class Code(IntEnum):
    """`errorDetails[].code` values the sandbox uses (see the module docstring)."""

    MISSING_VALUE = 2
    INVALID_VALUE = 3
    VALUE_TOO_LONG = 4
    FETCH_FAILED = 1000


Detail = dict[str, Any]


def _detail(code: Code, field: str, message: str, value: Any = None) -> Detail:
    out: Detail = {"code": int(code), "field": field, "message": message}
    if value is not None:
        out["value"] = value
    return out


def validation_error(details: list[Detail]) -> ApiError:
    """Google's v4 400 for broken post rules."""
    err = ApiError(400, INVALID_ARGUMENT, [{
        "@type": TYPE_PREFIX + "google.mybusiness.v4.ValidationError", "errorDetails": details}])
    err.legacy_reason = "badRequest"
    return err


# -- what is kept of a request body ------------------------------------------------------------
def clean(post: dict[str, Any], language: str) -> dict[str, Any]:
    """The post as stored: output fields dropped, media reduced to what Google honours, the
    call to action dropped from an offer, the location's language when none is given."""
    out = {k: v for k, v in post.items() if k not in OUTPUT_ONLY and v is not None}
    if out.get("topicType") == "OFFER":
        out.pop("callToAction", None)
    if isinstance(out.get("media"), list):
        out["media"] = [{k: item[k] for k in ("mediaFormat", "sourceUrl") if item.get(k)}
                        for item in out["media"] if isinstance(item, dict)]
    out.setdefault("languageCode", language)
    return out


# -- the rules -------------------------------------------------------------------------------------
def violations(post: dict[str, Any], now: float, *, check_schedule: bool = True) -> list[Detail]:
    """Every broken rule of a cleaned post; `check_schedule`: whether `scheduledTime` must be
    in the future (not when an edit leaves an old, already reached time in place)."""
    topic = post.get("topicType", "LOCAL_POST_TOPIC_TYPE_UNSPECIFIED")
    out: list[Detail] = []
    if topic == "LOCAL_POST_TOPIC_TYPE_UNSPECIFIED":
        out.append(_detail(Code.MISSING_VALUE, "topic_type",
                           "Topic type is required for post creation."))
    elif topic == "PRODUCT":
        out.append(_detail(Code.INVALID_VALUE, "topic_type",
                           "Product posts cannot be created through the API."))
    out += _summary(post, topic)
    out += _event(post.get("event"), topic)
    out += _call_to_action(post.get("callToAction"))
    out += _offer(post.get("offer"), topic)
    out += _alert(post.get("alertType"), topic)
    out += _media(post.get("media") or [])
    language = post.get("languageCode", "")
    if language and not _LANGUAGE.fullmatch(language):
        out.append(_detail(Code.INVALID_VALUE, "language_code", "Invalid language code.",
                           language))
    when = post.get("scheduledTime")
    if check_schedule and when and (parse_timestamp(when) or 0.0) <= now:
        out.append(_detail(Code.INVALID_VALUE, "scheduled_time",
                           "Scheduled time must be in the future.", when))
    return out


def _summary(post: dict[str, Any], topic: str) -> list[Detail]:
    summary = post.get("summary") or ""
    if len(summary) > SUMMARY_MAX:
        return [_detail(Code.VALUE_TOO_LONG, "summary",
                        f"Summary must be at most {SUMMARY_MAX} characters.")]
    if not summary and (topic == "ALERT" or (topic == "STANDARD" and not post.get("media"))):
        return [_detail(Code.MISSING_VALUE, "summary", "Summary is required.")]
    return []


def _event(event: dict[str, Any] | None, topic: str) -> list[Detail]:
    if topic not in ("EVENT", "OFFER"):
        return []
    if not event:
        return [_detail(Code.MISSING_VALUE, "event", "Event is required")]
    out: list[Detail] = []
    title = event.get("title") or ""
    if not title:
        out.append(_detail(Code.MISSING_VALUE, "event.title", "Event title is required."))
    elif len(title) > EVENT_TITLE_MAX:
        out.append(_detail(Code.VALUE_TOO_LONG, "event.title",
                           f"Event title must be at most {EVENT_TITLE_MAX} characters."))
    schedule = event.get("schedule")
    if not isinstance(schedule, dict):
        return [*out, _detail(Code.MISSING_VALUE, "event.schedule", "Schedule is required.")]
    return out + _schedule(schedule)


def _schedule(schedule: dict[str, Any]) -> list[Detail]:
    out: list[Detail] = []
    points: dict[str, Any] = {}
    for part in SCHEDULE_PARTS:
        field = "event.schedule." + re.sub(r"([A-Z])", r"_\1", part).lower()
        value = schedule.get(part)
        if value is None:
            out.append(_detail(Code.MISSING_VALUE, field, "Schedule needs a start and an end "
                                                          "date and time."))
            continue
        parsed = _date(value) if part.endswith("Date") else _time(value)
        if parsed is None:
            out.append(_detail(Code.INVALID_VALUE, field,
                               "Invalid date." if part.endswith("Date") else "Invalid time."))
        points[part] = parsed
    if out:
        return out
    start = datetime.combine(points["startDate"], points["startTime"])
    end = datetime.combine(points["endDate"], points["endTime"])
    if end < start:
        out.append(_detail(Code.INVALID_VALUE, "event.schedule",
                           "The end of the schedule must not be before its start."))
    return out


def _date(value: dict[str, Any]) -> date | None:
    try:
        return date(int(value.get("year", 0)), int(value.get("month", 0)),
                    int(value.get("day", 0)))
    except (ValueError, TypeError):
        return None


def _time(value: dict[str, Any]) -> time | None:
    try:
        return time(int(value.get("hours", 0)), int(value.get("minutes", 0)),
                    int(value.get("seconds", 0)))
    except (ValueError, TypeError):
        return None


def _call_to_action(cta: dict[str, Any] | None) -> list[Detail]:
    if cta is None:
        return []
    kind = cta.get("actionType") or "ACTION_TYPE_UNSPECIFIED"
    url = cta.get("url") or ""
    if kind == "ACTION_TYPE_UNSPECIFIED":
        return [_detail(Code.MISSING_VALUE, "call_to_action.action_type",
                        "Action type is required.")]
    if kind in CTA_TYPES_WITHOUT_URL:
        return [_detail(Code.INVALID_VALUE, "call_to_action.url",
                        f"A URL must not be set for the {kind} action type.", url)] if url else []
    if not url:
        return [_detail(Code.MISSING_VALUE, "call_to_action.url",
                        f"URL is required for the {kind} action type.")]
    if not _web_url(url):
        return [_detail(Code.INVALID_VALUE, "call_to_action.url", "Invalid URL.", url)]
    return []


def _offer(offer: dict[str, Any] | None, topic: str) -> list[Detail]:
    if offer is None:
        return []
    if topic != "OFFER":
        return [_detail(Code.INVALID_VALUE, "offer",
                        "Offer details are only allowed on OFFER posts.")]
    url = offer.get("redeemOnlineUrl") or ""
    if url and not _web_url(url):
        return [_detail(Code.INVALID_VALUE, "offer.redeem_online_url", "Invalid URL.", url)]
    return []


def _alert(alert: str | None, topic: str) -> list[Detail]:
    alert = alert or "ALERT_TYPE_UNSPECIFIED"
    if topic != "ALERT" and alert != "ALERT_TYPE_UNSPECIFIED":
        return [_detail(Code.INVALID_VALUE, "alert_type",
                        "Alert type is only allowed on ALERT posts.")]
    if topic == "ALERT" and alert == "ALERT_TYPE_UNSPECIFIED":
        return [_detail(Code.MISSING_VALUE, "alert_type",
                        "Alert type is required for ALERT posts.")]
    return []


def _media(items: list[dict[str, Any]]) -> list[Detail]:
    out: list[Detail] = []
    for item in items:
        if item.get("mediaFormat", "MEDIA_FORMAT_UNSPECIFIED") == "MEDIA_FORMAT_UNSPECIFIED":
            out.append(_detail(Code.MISSING_VALUE, "media.media_format",
                               "Media format is required."))
        url = item.get("sourceUrl") or ""
        if not url:
            out.append(_detail(Code.MISSING_VALUE, "media.source_url",
                               "Source URL is required."))
        elif not fetchable(url):
            out.append(_detail(Code.FETCH_FAILED, "media", "Fetching image failed.", url))
    return out


def _web_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def fetchable(url: str) -> bool:
    """Whether the sandbox pretends Google could download `url` (see the module docstring)."""
    if not _web_url(url):
        return False
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(UNFETCHABLE_SUFFIXES):
        return False
    try:
        if not ipaddress.ip_address(host).is_global:
            return False
    except ValueError:
        pass  # a name, not an address
    return "missing" not in parts.path.lower()


# -- moderation ------------------------------------------------------------------------------
def breaks_policy(post: dict[str, Any], region: str) -> bool:
    """Whether the summary holds a phone number or a web address."""
    summary = post.get("summary") or ""
    if _URL_IN_TEXT.search(summary):
        return True
    return any(True for _ in phonenumbers.PhoneNumberMatcher(summary, region or "US"))


def seeded_rejection(seed: int, post_id: str) -> bool:
    """Whether this post is in the seeded share that moderation rejects whatever it says."""
    digest = hashlib.sha256(f"reject|{seed}|{post_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < REJECTED_SHARE


def rejection_time(seed: int, post_id: str, post: dict[str, Any], region: str,
                   reviewed_at: float) -> float | None:
    """When moderation rejects the post (reviewed at `reviewed_at`), or None if it never does."""
    if seeded_rejection(seed, post_id) or breaks_policy(post, region):
        return reviewed_at + REVIEW_SECONDS
    return None
