"""A template and a store → the LocalPost Google would receive, or the reasons it can't.

Rendering is strict: a variable the template uses and the store (or the variables file)
lacks is an error naming the template line and the store, never an empty string. The
sandboxed Jinja environment keeps a shared template from reaching into Python.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from localcx.posts.template import Spot, Template

TEMPLATE_FILE = "<template>"
_ENV = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
_MOMENT = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?\s*$")


@dataclass
class Rendered:
    """One store's post: the body to send, and what is wrong with it (errors stop it)."""

    store_code: str
    location_id: str
    language: str
    post: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    region: str = "US"  # the store's country, for reading phone numbers in its text

    @property
    def ok(self) -> bool:
        return not self.errors


def _template_line(exc: BaseException) -> int:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == TEMPLATE_FILE]
    return frames[-1].lineno or 1 if frames else getattr(exc, "lineno", None) or 1


class _Renderer:
    def __init__(self, template: Template, store_code: str, context: dict[str, Any]):
        self.template = template
        self.store_code = store_code
        self.context = context
        self.errors: list[str] = []

    def text(self, value: Any, path: str, spot_key: str) -> str:
        spot = self.template.spots.get(spot_key) or self.template.spots.get(path) or Spot(1, path)
        try:
            compiled = _ENV.from_string(str(value))
            compiled.filename = TEMPLATE_FILE
            return compiled.render(self.context).strip()
        except jinja2.TemplateError as exc:
            line = spot.at(_template_line(exc))
            reason = exc.message or type(exc).__name__
            if isinstance(exc, jinja2.UndefinedError):
                reason = _undefined(reason)
            self.errors.append(f"{self.template.path}:{line}:{path}: store {self.store_code}: {reason}")
            return ""


_MISSING = re.compile(r"has no attribute '([^']+)'|^'([^']+)' is undefined")


def _undefined(message: str) -> str:
    """Jinja's "'dict object' has no attribute 'dish'" in the user's words."""
    match = _MISSING.search(message)
    if match is None:
        return message
    name = match.group(1) or match.group(2)
    return (
        f"no value for {name!r} (store.* comes from the store master; vars.* from a column "
        "of the --vars file and the store's row)"
    )


def _moment(text: str, key: str, end: bool) -> tuple[dict[str, int], dict[str, int]] | str:
    """`2026-12-01` or `2026-12-01 10:00` → (Date, TimeOfDay); a date alone is the whole day."""
    match = _MOMENT.match(text)
    if not match:
        return f'"{text}" is not a date (YYYY-MM-DD, optionally with HH:MM)'
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    try:
        date(year, month, day)
    except ValueError:
        return f'"{text}" is not a real date'
    if match.group(4) is None:
        time = {"hours": 23, "minutes": 59} if end else {}
    else:
        hours, minutes = int(match.group(4)), int(match.group(5))
        if hours > 23 or minutes > 59:
            return f'"{text}" has no such time'
        time = {k: v for k, v in (("hours", hours), ("minutes", minutes)) if v}
    return {"year": year, "month": month, "day": day}, time


def render_post(
    template: Template, store_code: str, location_id: str, language: str, context: dict[str, Any]
) -> Rendered:
    """The LocalPost body for one store (no scheduledTime: that belongs to the instance)."""
    chosen, fields = template.variant(language)
    prefix = "" if chosen == template.language else f"variants.{chosen}."
    r = _Renderer(template, store_code, context)
    post: dict[str, Any] = {"languageCode": chosen, "topicType": template.topic}

    def text(key: str) -> str:
        value = fields
        for part in key.split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        return r.text(value, key, prefix + key) if value else ""

    if summary := text("summary"):
        post["summary"] = summary
    cta = fields.get("call_to_action")
    if isinstance(cta, dict) and template.topic != "OFFER":
        action = {"actionType": str(cta.get("type", "")).upper()}
        if url := text("call_to_action.url"):
            action["url"] = url
        post["callToAction"] = action
    event = fields.get("event")
    if isinstance(event, dict):
        out: dict[str, Any] = {}
        if title := text("event.title"):
            out["title"] = title
        schedule: dict[str, Any] = {}
        for key, end in (("start", False), ("end", True)):
            moment = text(f"event.{key}")
            if not moment:
                continue
            parsed = _moment(moment, key, end)
            if isinstance(parsed, str):
                spot = template.spots.get(prefix + f"event.{key}") or Spot(1, key)
                r.errors.append(f"{template.path}:{spot.line}:event.{key}: store {store_code}: {parsed}")
                continue
            day, time = parsed
            schedule[f"{key}Date"], schedule[f"{key}Time"] = day, time
        if schedule:
            out["schedule"] = schedule
        post["event"] = out
    offer = fields.get("offer")
    if isinstance(offer, dict) and template.topic == "OFFER":
        names = {"coupon": "couponCode", "terms": "termsConditions", "url": "redeemOnlineUrl"}
        post["offer"] = {google: value for key, google in names.items() if (value := text(f"offer.{key}"))}
    media = fields.get("media")
    if isinstance(media, list):
        items = []
        for i, item in enumerate(media):
            url = r.text(item.get("url", ""), "media.url", f"{prefix}media.{i}.url")
            if url:
                items.append({"mediaFormat": str(item.get("format", "PHOTO")).upper(), "sourceUrl": url})
        if items:
            post["media"] = items
    if template.topic == "ALERT":
        post["alertType"] = "COVID_19"
    region = str((context.get("store") or {}).get("country") or "US")
    return Rendered(store_code, location_id, chosen, post, errors=r.errors, region=region)


def _event_moment(post: dict[str, Any], which: str) -> datetime | None:
    schedule = (post.get("event") or {}).get("schedule") or {}
    day, time = schedule.get(f"{which}Date"), schedule.get(f"{which}Time") or {}
    if not day:
        return None
    return datetime(day["year"], day["month"], day["day"], time.get("hours", 0), time.get("minutes", 0))


def event_start(post: dict[str, Any]) -> datetime | None:
    """When an event or offer starts (naive, the store's local time), if it says."""
    return _event_moment(post, "start")


def event_end(post: dict[str, Any]) -> datetime | None:
    """When an event or offer ends (naive, the store's local time), if it says."""
    return _event_moment(post, "end")
