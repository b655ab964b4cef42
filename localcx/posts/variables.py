"""What a template can say about a store: `store.*` from the store master, `vars.*` from
an optional CSV keyed by store code (UTF-8, UTF-8 with BOM or CP932, as profile files).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from localcx.errors import ValidationError
from localcx.profiles._timetext import format_ranges
from localcx.profiles.fields import location_region, location_values
from localcx.profiles.hours import HoursError, parse_week
from localcx.profiles.special_hours import parse_days
from localcx.profiles.tabular import DecodeError, decode, sniff_delimiter
from localcx.render.human import phone
from localcx.stores import StoredLocation
from localcx.suggest import did_you_mean

CLOSED = {"ja": "定休日"}
MAX_VARS_BYTES = 50_000_000


def hours_on(values: Mapping[str, str], day: date, language: str) -> str:
    """The store's hours on `day`: special hours for that date, else its weekday's."""
    closed = CLOSED.get(language, "closed")
    try:
        special = parse_days(values.get("special_hours", ""))
        if day in special:
            ranges = special[day]
            return format_ranges(ranges) if ranges else closed
        week = parse_week(values.get("regular_hours", "")) if values.get("regular_hours") else None
    except HoursError:
        return ""
    if week is None:
        return ""
    ranges = week[day.weekday()]
    return format_ranges(ranges) if ranges else closed


def store_variables(stored: StoredLocation, day: date, default_region: str) -> dict[str, Any]:
    """`store.*` for one store on the day its post goes out."""
    raw = stored.raw
    region = location_region(raw, default_region)
    values = location_values(raw, region)
    address = raw.get("storefrontAddress") or {}
    language = str(raw.get("languageCode") or "en").split("-")[0].lower()
    metadata = raw.get("metadata") or {}
    return {
        "code": stored.key,
        "title": values.get("title", ""),
        "city": address.get("locality", ""),
        "address": ", ".join([*(address.get("addressLines") or []), address.get("locality", "")]).strip(", "),
        "postal_code": address.get("postalCode", ""),
        "country": region,
        "phone": phone(values["primary_phone"]) if values.get("primary_phone") else "",
        "website": values.get("website", ""),
        "labels": list(raw.get("labels") or []),
        "language": language,
        "hours_today": hours_on(values, day, language),
        "maps_url": metadata.get("mapsUri", ""),
        "review_url": metadata.get("newReviewUri", ""),
    }


def load_variables(path: Path, known: Sequence[str]) -> dict[str, dict[str, str]]:
    """Store code → `vars.*`. Unknown codes and a missing store_code column are problems."""
    shown = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"{shown}: cannot read it ({exc.strerror})", []) from None
    if len(data) > MAX_VARS_BYTES or b"\x00" in data:
        raise ValidationError(f"{shown}: not a CSV file", [])
    try:
        text, _ = decode(data)
    except DecodeError as exc:
        raise ValidationError(f"{shown}: {exc}", []) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)))
    except csv.Error as exc:
        raise ValidationError(f"{shown}: not a readable CSV ({exc})", []) from None
    if not rows or "store_code" not in [h.strip() for h in rows[0]]:
        raise ValidationError(f"{shown}: the first row must name a store_code column", [])
    header = [h.strip() for h in rows[0]]
    column = header.index("store_code")
    by_key = {code.casefold(): code for code in known}
    out: dict[str, dict[str, str]] = {}
    problems = []
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        code = row[column].strip() if len(row) > column else ""
        store = by_key.get(code.casefold())
        if store is None:
            problems.append(f"{shown}:{number}:store_code: no store {code!r}{did_you_mean(code, known)}")
            continue
        out[store] = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header) if name and i != column}
    if problems:
        raise ValidationError(f"{shown}: the variables file has problems", problems)
    return out
