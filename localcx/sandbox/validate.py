"""Checks a PATCH body the way Google does: first its JSON shape against the discovery schema
(unknown names, wrong types, bad enum strings → "Invalid JSON payload received…"), then the
business rules of GOOGLE-API.md §3.4 as google.rpc.BadRequest field violations with snake_case
paths such as `regular_hours.periods[0].close_time`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlsplit

import phonenumbers

from localcx.sandbox import categories, discovery
from localcx.sandbox.wire import ApiError, bad_request, camel_to_snake

API = discovery.BUSINESS_INFORMATION
DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
OPEN_STATUSES = ("OPEN", "CLOSED_PERMANENTLY", "CLOSED_TEMPORARILY")
WEEK = 7 * 1440
_TYPE_URL = "type.googleapis.com/google.mybusiness.businessinformation.v1."

Violations = list[tuple[str, str]]


def _shape_error(path: str, message: str) -> ApiError:
    return bad_request([(path, message)], message)


def _invalid_value(path: str, type_name: str, value: Any) -> ApiError:
    shown = json.dumps(value, ensure_ascii=False)
    return _shape_error(path, f"Invalid value at '{path}' ({type_name}), {shown}")


def check_shape(value: Any, schema_name: str = "Location", path: str = "location") -> None:
    """Raise the 400 Google's JSON parser gives for unknown names and mistyped values."""
    if not isinstance(value, dict):
        raise _invalid_value(path, _TYPE_URL + schema_name, value)
    props = discovery.schema(API, schema_name).get("properties", {})
    for key, item in value.items():
        spec = props.get(key)
        if spec is None:
            raise _shape_error(path, f"Invalid JSON payload received. Unknown name \"{key}\" "
                                     f"at '{path}': Cannot find field.")
        _check_field(item, spec, f"{path}.{camel_to_snake(key)}", schema_name, key)


def _check_field(value: Any, spec: dict[str, Any], path: str, owner: str, key: str) -> None:
    if value is None:
        return
    if spec.get("type") == "array":
        if not isinstance(value, list):
            raise _shape_error(path, "Invalid JSON payload received. Expected a list at "
                                     f"'{path}'.")
        for i, item in enumerate(value):
            _check_field(item, spec["items"], f"{path}[{i}]", owner, key)
        return
    if "$ref" in spec:
        check_shape(value, spec["$ref"], path)
        return
    kind = spec.get("type")
    if "enum" in spec:
        if not isinstance(value, str) or value not in spec["enum"]:
            raise _invalid_value(path, f"{_TYPE_URL}{owner}.{key[0].upper()}{key[1:]}", value)
    elif kind == "integer":
        ok = (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and value.lstrip("-").isdigit())
        if not ok:
            raise _invalid_value(path, "TYPE_INT32", value)
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _invalid_value(path, "TYPE_DOUBLE", value)
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise _invalid_value(path, "TYPE_BOOL", value)
    elif kind == "string" and not isinstance(value, str):
        raise _invalid_value(path, "TYPE_STRING", value)


# -- business rules ------------------------------------------------------------------------
def _time_ok(t: Any, allow_24: bool) -> bool:
    if not isinstance(t, dict):
        return False
    h, m = int(t.get("hours", 0)), int(t.get("minutes", 0))
    s, n = int(t.get("seconds", 0)), int(t.get("nanos", 0))
    if h == 24:
        return allow_24 and m == s == n == 0
    return 0 <= h <= 23 and 0 <= m <= 59 and 0 <= s <= 59 and 0 <= n <= 999_999_999


def _minutes(t: dict[str, Any]) -> int:
    return int(t.get("hours", 0)) * 60 + int(t.get("minutes", 0))


def _regular_hours(hours: dict[str, Any]) -> Violations:
    out: Violations = []
    spans: list[tuple[int, int, int]] = []
    for i, p in enumerate(hours.get("periods") or []):
        base = f"regular_hours.periods[{i}]"
        bad = False
        for key in ("openDay", "closeDay"):
            if p.get(key) not in DAYS:
                out.append((f"{base}.{camel_to_snake(key)}", "A day of the week is required."))
                bad = True
        for key, allow_24 in (("openTime", False), ("closeTime", True)):
            if key not in p:
                out.append((f"{base}.{camel_to_snake(key)}", "Field is required."))
                bad = True
            elif not _time_ok(p[key], allow_24):
                out.append((f"{base}.{camel_to_snake(key)}",
                            "Invalid time: hours must be 0-24 (24 only as 24:00 closing) and "
                            "minutes 0-59."))
                bad = True
        if bad:
            continue
        start = DAYS.index(p["openDay"]) * 1440 + _minutes(p["openTime"])
        end = DAYS.index(p["closeDay"]) * 1440 + _minutes(p["closeTime"])
        if end <= start:
            end += WEEK
        if end - start > 1440:
            out.append((base, "A period must close after it opens and last at most 24 hours."))
            continue
        spans.append((start, end, i))
    for a in range(len(spans)):
        for b in range(a + 1, len(spans)):
            (s1, e1, i1), (s2, e2, i2) = spans[a], spans[b]
            if any(s1 < e2 + k and s2 + k < e1 for k in (-WEEK, 0, WEEK)):
                out.append((f"regular_hours.periods[{i2}]", f"Period overlaps period {i1}."))
    return out


def _date(d: Any) -> dt.date | None:
    try:
        return dt.date(int(d["year"]), int(d["month"]), int(d["day"]))
    except (KeyError, TypeError, ValueError):
        return None


def _special_hours(special: dict[str, Any], has_regular: bool) -> Violations:
    periods = special.get("specialHourPeriods") or []
    if periods and not has_regular:
        return [("special_hours", "Special hours cannot be set without regular hours.")]
    out: Violations = []
    for i, p in enumerate(periods):
        base = f"special_hours.special_hour_periods[{i}]"
        start = _date(p.get("startDate"))
        if start is None:
            out.append((f"{base}.start_date", "A valid start date is required."))
            continue
        end = _date(p["endDate"]) if "endDate" in p else start
        if end is None or not start <= end <= start + dt.timedelta(days=1):
            out.append((f"{base}.end_date",
                        "End date must be the start date or the day after it."))
            continue
        if p.get("closed"):
            continue
        times_ok = True
        for key, allow_24 in (("openTime", False), ("closeTime", True)):
            if key not in p:
                out.append((f"{base}.{camel_to_snake(key)}",
                            "Field is required unless closed is true."))
                times_ok = False
            elif not _time_ok(p[key], allow_24):
                out.append((f"{base}.{camel_to_snake(key)}", "Invalid time of day."))
                times_ok = False
        if times_ok:
            span = (end - start).days * 1440 + _minutes(p["closeTime"]) - _minutes(p["openTime"])
            if not 0 < span < 1440 + (1 if end == start else 0):
                out.append((base, "A special hours period must close after it opens and last "
                                  "less than 24 hours."))
    return out


def _phone_ok(number: Any, region: str) -> bool:
    if not isinstance(number, str) or not number.strip():
        return False
    try:
        parsed = phonenumbers.parse(number, region or None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(parsed))


def _phones(phones: dict[str, Any], region: str) -> Violations:
    out: Violations = []
    if "primaryPhone" not in phones:
        out.append(("phone_numbers.primary_phone", "Field is required."))
    elif not _phone_ok(phones["primaryPhone"], region):
        out.append(("phone_numbers.primary_phone", "Invalid phone number."))
    extra = phones.get("additionalPhones") or []
    if len(extra) > 2:
        out.append(("phone_numbers.additional_phones", "At most 2 additional phones are allowed."))
    for i, number in enumerate(extra):
        if not _phone_ok(number, region):
            out.append((f"phone_numbers.additional_phones[{i}]", "Invalid phone number."))
    return out


def _categories(cats: dict[str, Any]) -> Violations:
    out: Violations = []
    primary = (cats.get("primaryCategory") or {}).get("name")
    if not primary:
        out.append(("categories.primary_category.name", "Field is required."))
    elif not categories.exists(primary):
        out.append(("categories.primary_category.name", f"Unknown category: {primary}"))
    extra = cats.get("additionalCategories") or []
    if len(extra) > 9:
        out.append(("categories.additional_categories", "At most 9 additional categories."))
    for i, c in enumerate(extra):
        if not categories.exists(c.get("name", "")):
            out.append((f"categories.additional_categories[{i}].name",
                        f"Unknown category: {c.get('name', '')}"))
    return out


def _website(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in uri


def business_rules(loc: dict[str, Any], fields: set[str]) -> Violations:
    """Violations in the resulting Location for the top-level `fields` a PATCH touches."""
    out: Violations = []
    region = (loc.get("storefrontAddress") or {}).get("regionCode", "")
    if "title" in fields and not str(loc.get("title", "")).strip():
        out.append(("title", "Field is required."))
    if "phoneNumbers" in fields and loc.get("phoneNumbers"):
        out += _phones(loc["phoneNumbers"], region)
    if "categories" in fields:
        out += _categories(loc.get("categories") or {})
    if "websiteUri" in fields and loc.get("websiteUri") and not _website(loc["websiteUri"]):
        out.append(("website_uri", "Invalid website URI: use an http or https URL."))
    description = (loc.get("profile") or {}).get("description", "")
    if "profile" in fields and len(description) > 750:
        out.append(("profile.description", "Description must be at most 750 characters."))
    if "regularHours" in fields:
        out += _regular_hours(loc.get("regularHours") or {})
    if "specialHours" in fields or ("regularHours" in fields and loc.get("specialHours")):
        has_regular = bool((loc.get("regularHours") or {}).get("periods"))
        out += _special_hours(loc.get("specialHours") or {}, has_regular)
    status = (loc.get("openInfo") or {}).get("status")
    if "openInfo" in fields and loc.get("openInfo") and status not in OPEN_STATUSES:
        out.append(("open_info.status", "Field is required: OPEN, CLOSED_PERMANENTLY or "
                                        "CLOSED_TEMPORARILY."))
    if "storefrontAddress" in fields and loc.get("storefrontAddress"):
        addr = loc["storefrontAddress"]
        if len(addr.get("addressLines") or []) > 5:
            out.append(("storefront_address.address_lines", "At most 5 address lines."))
        if not addr.get("regionCode"):
            out.append(("storefront_address.region_code", "Field is required."))
        if addr.get("revision"):
            out.append(("storefront_address.revision", "Revision must be 0."))
    if "labels" in fields:
        for i, label in enumerate(loc.get("labels") or []):
            if not 1 <= len(label) <= 255:
                out.append((f"labels[{i}]", "A label must be 1 to 255 characters."))
    if "latlng" in fields and loc.get("latlng"):
        lat, lng = loc["latlng"].get("latitude", 0), loc["latlng"].get("longitude", 0)
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            out.append(("latlng", "Latitude must be in [-90, 90] and longitude in [-180, 180]."))
    return out
