"""The business rules a PATCHed Location must meet (GOOGLE-API.md §3.4 and §7), each broken
rule reported with Google's ErrorCode reason (INVALID_PHONE_NUMBER, STRING_TOO_LONG, …) and
the field mask it names, beside a snake_case google.rpc.BadRequest field path.

Length limits: `profile.description` 750 characters and `labels[]` 1–255 come from Google's
help pages and the schema. Google publishes none for `title`, `storeCode` or `websiteUri`;
the sandbox uses 100, 64 and 2048 characters (conservative guesses) so that an absurd value
(a 20 MB title) is refused the way Google refuses an over-long string. Single-line fields
refuse control characters (newline, tab, other C0/C1 codes and DEL).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import phonenumbers

from localcx.sandbox import categories, rules_hours
from localcx.sandbox.wire import Violation

OPEN_STATUSES = ("OPEN", "CLOSED_PERMANENTLY", "CLOSED_TEMPORARILY")
TITLE_MAX = 100
STORE_CODE_MAX = 64
WEBSITE_MAX = 2048
DESCRIPTION_MAX = 750
LABEL_MAX = 255
ADDITIONAL_PHONES_MAX = 2
ADDRESS_LINES_MAX = 5
ADDITIONAL_CATEGORIES_MAX = 9

STRING_TOO_LONG = "STRING_TOO_LONG"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_URL_IN_TEXT = re.compile(r"(?i)\b(?:https?://|www\.)\S|\b[a-z0-9-]+\.(?:com|net|org|jp|io|"
                          r"co|info|biz|shop|example)(?:/\S*)?\b")


def _plain(field: str, description: str) -> Violation:
    """A violation Google reports only as a BadRequest field violation (no ErrorCode)."""
    return Violation(field, description, "", "")


def _single_line(value: Any, field: str, mask: str, maximum: int) -> list[Violation]:
    if not isinstance(value, str):
        return []
    if _CONTROL.search(value):
        return [_plain(field, "Control characters (such as a newline or tab) are not allowed.")]
    if len(value) > maximum:
        return [Violation(field, f"Must be at most {maximum} characters.", STRING_TOO_LONG,
                          mask)]
    return []


def _phone(number: Any, field: str, region: str) -> list[Violation]:
    mask = "phoneNumbers." + ("primaryPhone" if field.endswith("primary_phone")
                              else "additionalPhones")
    if isinstance(number, str) and _CONTROL.search(number):
        return [_plain(field, "Control characters are not allowed in a phone number.")]
    try:
        parsed = phonenumbers.parse(number, region or None)
        possible = phonenumbers.is_possible_number(parsed)
    except (phonenumbers.NumberParseException, TypeError):
        possible = False
    if not possible:
        return [Violation(field, "Invalid phone number.", "INVALID_PHONE_NUMBER", mask)]
    if region and parsed.country_code != phonenumbers.country_code_for_region(region):
        return [Violation(field, f"The phone number is not valid for region {region}.",
                          "INVALID_PHONE_NUMBER_FOR_REGION", mask)]
    return []


def _phones(phones: dict[str, Any], region: str) -> list[Violation]:
    out: list[Violation] = []
    if not phones.get("primaryPhone"):
        out.append(Violation("phone_numbers.primary_phone", "Field is required.",
                             "MISSING_PRIMARY_PHONE_NUMBER", "phoneNumbers.primaryPhone"))
    else:
        out += _phone(phones["primaryPhone"], "phone_numbers.primary_phone", region)
    extra = phones.get("additionalPhones") or []
    if len(extra) > ADDITIONAL_PHONES_MAX:
        out.append(_plain("phone_numbers.additional_phones",
                          f"At most {ADDITIONAL_PHONES_MAX} additional phones are allowed."))
    for i, number in enumerate(extra):
        out += _phone(number, f"phone_numbers.additional_phones[{i}]", region)
    return out


def _categories(cats: dict[str, Any]) -> list[Violation]:
    out: list[Violation] = []
    primary = (cats.get("primaryCategory") or {}).get("name")
    if not primary:
        out.append(_plain("categories.primary_category.name", "Field is required."))
    elif not categories.exists(primary):
        out.append(Violation("categories.primary_category.name", f"Unknown category: {primary}",
                             "INVALID_CATEGORY", "categories.primaryCategory"))
    extra = cats.get("additionalCategories") or []
    if len(extra) > ADDITIONAL_CATEGORIES_MAX:
        out.append(_plain("categories.additional_categories",
                          f"At most {ADDITIONAL_CATEGORIES_MAX} additional categories."))
    for i, c in enumerate(extra):
        if not categories.exists(c.get("name", "")):
            out.append(Violation(f"categories.additional_categories[{i}].name",
                                 f"Unknown category: {c.get('name', '')}", "INVALID_CATEGORY",
                                 "categories.additionalCategories"))
    return out


def _website(uri: Any) -> list[Violation]:
    out = _single_line(uri, "website_uri", "websiteUri", WEBSITE_MAX)
    if out or not uri:
        return out
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in uri:
        return [Violation("website_uri", "Invalid website URI: use an http or https URL.",
                          "INVALID_URL", "websiteUri")]
    return []


def _description(text: str) -> list[Violation]:
    if len(text) > DESCRIPTION_MAX:
        return [Violation("profile.description",
                          f"Description must be at most {DESCRIPTION_MAX} characters.",
                          STRING_TOO_LONG, "profile.description")]
    if _URL_IN_TEXT.search(text):
        return [Violation("profile.description", "The description must not contain a URL.",
                          "PROFILE_DESCRIPTION_CONTAINS_URL", "profile.description")]
    return []


def _open_info(info: dict[str, Any], before: dict[str, Any], now: float) -> list[Violation]:
    out: list[Violation] = []
    status = info.get("status")
    if status not in OPEN_STATUSES:
        out.append(_plain("open_info.status", "Field is required: OPEN, CLOSED_PERMANENTLY or "
                                              "CLOSED_TEMPORARILY."))
    elif (before.get("status") == "CLOSED_PERMANENTLY" and status != "CLOSED_PERMANENTLY"
          and not before.get("canReopen")):
        out.append(Violation("open_info.status", "This location is closed permanently and "
                                                 "cannot be reopened.", "CANNOT_REOPEN",
                             "openInfo.status"))
    opening = info.get("openingDate")
    if isinstance(opening, dict) and opening:
        try:
            first = dt.date(int(opening["year"]), int(opening.get("month", 1)),
                            int(opening.get("day", 1)) or 1)
        except (KeyError, TypeError, ValueError, OverflowError):
            return [*out, _plain("open_info.opening_date", "Invalid date.")]
        if first > _a_year_after(dt.datetime.fromtimestamp(now, dt.UTC).date()):
            out.append(Violation("open_info.opening_date", "The opening date must be in the "
                                 "past or at most one year ahead.",
                                 "OPENING_DATE_TOO_FAR_IN_THE_FUTURE", "openInfo.openingDate"))
    return out


def _a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _address(addr: dict[str, Any]) -> list[Violation]:
    out: list[Violation] = []
    if len(addr.get("addressLines") or []) > ADDRESS_LINES_MAX:
        out.append(_plain("storefront_address.address_lines",
                          f"At most {ADDRESS_LINES_MAX} address lines."))
    if not addr.get("regionCode"):
        out.append(_plain("storefront_address.region_code", "Field is required."))
    if addr.get("revision"):
        out.append(_plain("storefront_address.revision", "Revision must be 0."))
    return out


def _labels(labels: list[Any]) -> list[Violation]:
    out: list[Violation] = []
    for i, label in enumerate(labels):
        if not label:
            out.append(_plain(f"labels[{i}]", f"A label must be 1 to {LABEL_MAX} characters."))
        else:
            out += _single_line(label, f"labels[{i}]", "labels", LABEL_MAX)
    return out


def business_rules(loc: dict[str, Any], before: dict[str, Any], fields: set[str],
                   now: float) -> list[Violation]:
    """Violations in the resulting Location `loc` (was `before`) for the top-level `fields`
    a PATCH touches."""
    out: list[Violation] = []
    region = (loc.get("storefrontAddress") or {}).get("regionCode", "")
    if "latlng" in fields:
        out.append(Violation("latlng", "Only approved clients may update latlng.",
                             "LAT_LNG_UPDATES_NOT_PERMITTED", "latlng"))
    if "title" in fields:
        if not str(loc.get("title", "")).strip():
            out.append(_plain("title", "Field is required."))
        out += _single_line(loc.get("title"), "title", "title", TITLE_MAX)
    if "storeCode" in fields:
        out += _single_line(loc.get("storeCode"), "store_code", "storeCode", STORE_CODE_MAX)
    if "phoneNumbers" in fields and loc.get("phoneNumbers"):
        out += _phones(loc["phoneNumbers"], region)
    if "categories" in fields:
        out += _categories(loc.get("categories") or {})
    if "websiteUri" in fields:
        out += _website(loc.get("websiteUri"))
    if "profile" in fields:
        out += _description((loc.get("profile") or {}).get("description", ""))
    if "regularHours" in fields:
        out += rules_hours.regular_hours(loc.get("regularHours") or {})
    if "specialHours" in fields or ("regularHours" in fields and loc.get("specialHours")):
        has_regular = bool((loc.get("regularHours") or {}).get("periods"))
        out += rules_hours.special_hours(loc.get("specialHours") or {}, has_regular)
    if "openInfo" in fields and loc.get("openInfo"):
        out += _open_info(loc["openInfo"], before.get("openInfo") or {}, now)
    if "storefrontAddress" in fields and loc.get("storefrontAddress"):
        out += _address(loc["storefrontAddress"])
    if "labels" in fields:
        out += _labels(loc.get("labels") or [])
    return out
