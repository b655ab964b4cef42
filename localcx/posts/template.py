"""Post templates: one TOML file per campaign, each text field a Jinja2 template.

    topic = "EVENT"                       # STANDARD | EVENT | OFFER | ALERT
    summary = "Winter menu at {{ store.title }}: {{ vars.dish }}"
    [call_to_action]                      # not on OFFER posts; no url for CALL
    type = "LEARN_MORE"
    url = "{{ store.website }}"
    [event]                               # EVENT and OFFER
    title = "Winter menu"
    start = "2026-12-01 10:00"            # the store's local time; a date alone is all day
    end = "2026-12-31 21:00"
    [offer]                               # OFFER only
    coupon = "WINTER10"
    terms = "One per customer."
    url = "https://example.com/offer"
    [[media]]
    url = "https://cdn.example.com/winter.jpg"   # PHOTO unless format = "VIDEO"
    [variants.ja]                         # chosen for stores whose language is ja
    summary = "…"
    [variants.ja.event]
    title = "冬メニュー"

Every problem names the file, its line and the key, like the desired-state files do, so
a person can find it; rendering errors later point back into the same lines.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localcx.errors import ValidationError
from localcx.suggest import did_you_mean

TOPICS = ("STANDARD", "EVENT", "OFFER", "ALERT")
CTA_TYPES = ("BOOK", "ORDER", "SHOP", "LEARN_MORE", "SIGN_UP", "CALL")
MEDIA_FORMATS = ("PHOTO", "VIDEO")
TOP_KEYS = ("topic", "language", "summary", "alert", "call_to_action", "event", "offer", "media", "variants", "name")
TABLE_KEYS = {
    "call_to_action": ("type", "url"),
    "event": ("title", "start", "end"),
    "offer": ("coupon", "terms", "url"),
    "media": ("url", "format"),
}
MAX_TEMPLATE_BYTES = 1_000_000


@dataclass(frozen=True)
class Spot:
    """Where a templated text starts in the file: its line, key, and whether the value
    begins on the next line (a multi-line string)."""

    line: int
    key: str
    next_line: bool = False

    def at(self, template_line: int) -> int:
        return self.line + (template_line - 1) + (1 if self.next_line else 0)


@dataclass
class Template:
    path: str
    name: str
    topic: str
    language: str
    fields: dict[str, Any]  # the default variant: summary, alert, call_to_action, event, offer, media
    variants: dict[str, dict[str, Any]] = field(default_factory=dict)
    spots: dict[str, Spot] = field(default_factory=dict)  # "summary", "event.title", "variants.ja.summary"

    def variant(self, language: str) -> tuple[str, dict[str, Any]]:
        """The fields for a store's language (`ja`, `ja-JP` → `ja`), over the default ones."""
        base = language.split("-")[0].lower()
        if base in self.variants and base != self.language:
            return base, _merge(self.fields, self.variants[base])
        return self.language, self.fields


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _spots(text: str) -> dict[str, Spot]:
    """Key paths → where their values start, found by reading the TOML text line by line
    (tomllib gives values, not positions)."""
    spots: dict[str, Spot] = {}
    table = ""
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", stripped)
        if header:
            table = header.group(1).replace(" ", "")
            if stripped.startswith("[["):
                counts[table] = counts.get(table, -1) + 1
                table = f"{table}.{counts[table]}"
            continue
        key = re.match(r'^([A-Za-z0-9_"-]+)\s*=\s*(.*)$', stripped)
        if key:
            name = key.group(1).strip('"')
            path = f"{table}.{name}" if table else name
            spots.setdefault(path, Spot(number, name, key.group(2).rstrip() in ('"""', "'''")))
    return spots


def _check_table(
    data: dict[str, Any], where: str, allowed: tuple[str, ...], spots: dict[str, Spot], path: str, problems: list[str]
) -> None:
    for key, value in data.items():
        spot = spots.get(f"{where}.{key}" if where else key)
        line = spot.line if spot else 1
        if key not in allowed:
            problems.append(f"{path}:{line}:{key}: unknown key{did_you_mean(key, allowed)}")
        elif key in TABLE_KEYS and not isinstance(value, dict | list):
            problems.append(f"{path}:{line}:{key}: must be a table ([{key}])")
        elif key not in TABLE_KEYS and key != "variants" and not isinstance(value, str):
            problems.append(f"{path}:{line}:{key}: must be text in quotes")
    for table, keys in TABLE_KEYS.items():
        value = data.get(table)
        items = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            prefix = (f"{where}." if where else "") + (f"{table}.{i}" if isinstance(value, list) else table)
            for key, text in item.items():
                spot = spots.get(f"{prefix}.{key}")
                line = spot.line if spot else 1
                if key not in keys:
                    problems.append(f"{path}:{line}:{table}.{key}: unknown key{did_you_mean(key, keys)}")
                elif not isinstance(text, str):
                    problems.append(f"{path}:{line}:{table}.{key}: must be text in quotes")


def load_template(path: Path) -> Template:
    """Read and check a template file; every problem at once, as `file:line:key: reason`."""
    shown = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"{shown}: no such file", []) from None
    except IsADirectoryError:
        raise ValidationError(f"{shown}: is a folder, not a post template", []) from None
    if len(raw) > MAX_TEMPLATE_BYTES:
        raise ValidationError(f"{shown}: too large for a post template", [])
    try:
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise ValidationError(f"{shown}: a template must be UTF-8 text", []) from None
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{shown}: not valid TOML", [f"{shown}: {exc}"]) from None
    spots = _spots(text)
    problems: list[str] = []
    _check_table(data, "", TOP_KEYS, spots, shown, problems)
    topic = str(data.get("topic", "")).upper()
    if topic not in TOPICS:
        line = spots["topic"].line if "topic" in spots else 1
        problems.append(f"{shown}:{line}:topic: must be one of {', '.join(TOPICS)}")
    variants = data.get("variants") or {}
    if not isinstance(variants, dict) or not all(isinstance(v, dict) for v in variants.values()):
        problems.append(f"{shown}:{spots.get('variants', Spot(1, 'variants')).line}:variants: use [variants.ja] tables")
        variants = {}
    for language, variant in variants.items():
        _check_table(variant, f"variants.{language}", TOP_KEYS, spots, shown, problems)
    fields = {k: v for k, v in data.items() if k not in ("topic", "language", "variants", "name")}
    if not fields.get("summary") and topic != "OFFER":
        problems.append(f"{shown}:1:summary: a post needs a summary")
    if problems:
        raise ValidationError(f"{shown}: the template has problems", problems)
    return Template(
        path=shown,
        name=str(data.get("name") or path.stem),
        topic=topic,
        language=str(data.get("language") or "en").lower(),
        fields=fields,
        variants={k.lower(): v for k, v in variants.items()},
        spots=spots,
    )
