"""Google's bulk-upload spreadsheet (Business Profile Manager) as a desired-state file.

Agencies already keep this sheet, so localcx reads and writes it. Headers come in English
or Japanese (``Store code``/``店舗コード``, ``Business name``/``ビジネス名``, ``Monday hours``/
``月曜日の営業時間`` …); matching ignores case, spacing and full-width forms, and common
variants are accepted (see ``_COLUMNS``). Columns localcx does not edit (address lines,
locality, postal code, latitude/longitude, photos, opening date, Ads phone, and attribute
columns such as ``Wi-Fi (has_wi_fi)``) are accepted and ignored; anything else is an
unknown column.

Cells:

* weekday columns: ``09:00-17:00``, ``9:00AM-5:00PM``, several ranges comma-separated,
  ``x`` (or ``closed``/``定休日``) for closed, ``00:00-00:00`` or ``24h`` for open 24 hours.
* ``Special hours``: ``2026-12-25: x, 2026-12-24: 09:00-14:00``; a second range for a
  date repeats the date (``2026-12-31: 10:00-14:00, 2026-12-31: 18:00-23:00``). The cell
  is the store's whole special-hours list, as when Google imports the sheet.
* lists (additional phones, additional categories, labels) are comma-separated.
* categories may be ``gcid:coffee_shop`` (what localcx exports) or an English display
  name (``Coffee shop`` → ``gcid:coffee_shop``); Japanese display names can't be mapped.

An empty cell never changes anything. Regular hours are one field spread over seven
columns, so: all seven empty → regular hours unchanged; some filled → the filled days are
set and **each empty day keeps the store's current ranges** (from ``current``; a store with
no known hours has none). ``x`` in every day column, or ``~clear`` in any of them, removes
regular hours. ``~clear`` works in any cell of a clearable field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from typing import NamedTuple

from localcx.profiles._timetext import HoursError, normalise, parse_ranges
from localcx.profiles.fields import CLEAR, FieldError, parse_value
from localcx.profiles.hours import format_week, parse_special_hours, parse_week
from localcx.profiles.special_hours import parse_days

_DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAYS_JA = ("月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日")
SHEET_DAY_ORDER = (6, 0, 1, 2, 3, 4, 5)  # Google's sheet starts the week on Sunday

# role → (English header written on export, Japanese header written, other accepted forms)
_COLUMNS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "store_code": ("Store code", "店舗コード", ()),
    "title": ("Business name", "ビジネス名", ("Name", "Location name", "名前", "ビジネスの名前")),
    "primary_phone": ("Primary phone", "電話番号",
                      ("Phone", "代表電話", "代表電話番号", "メイン電話番号", "メインの電話番号")),
    "additional_phones": ("Additional phones", "追加の電話番号",
                          ("その他の電話番号", "その他の電話", "追加電話番号")),
    "website": ("Website", "ウェブサイト", ("Website URL", "ウェブサイトURL", "WebサイトURL")),
    "primary_category": ("Primary category", "メインカテゴリ",
                         ("メインカテゴリー", "メインのカテゴリ", "主なカテゴリ")),
    "additional_categories": ("Additional categories", "追加カテゴリ",
                              ("追加カテゴリー", "その他のカテゴリ")),
    **{f"day:{i}": (f"{en} hours", f"{ja}の営業時間", (f"{ja}営業時間", f"{ja[0]}曜の営業時間"))
       for i, (en, ja) in enumerate(zip(_DAYS_EN, _DAYS_JA, strict=True))},
    "special_hours": ("Special hours", "特別営業時間", ("Holiday hours", "祝休日の営業時間")),
    "description": ("From the business", "ビジネスの説明",
                    ("Description", "Business description", "ビジネス情報", "説明")),
    "labels": ("Labels", "ラベル", ()),
}  # fmt: skip
_IGNORED = (
    *(f"Address line {n}" for n in range(1, 6)), *(f"住所 {n} 行目" for n in range(1, 6)),
    *(f"住所({n} 行目)" for n in range(1, 6)),
    "Sub-locality", "Locality", "Administrative area", "Country/Region", "Country", "Region",
    "Postal code", "Latitude", "Longitude", "Opening date", "Logo photo", "Cover photo",
    "Other photos", "Preferred photo", "AdWords location extensions phone",
    "Google Ads location extensions phone", "Google ID", "Status", "Service area",
    "サブロカリティ", "地域", "市区町村", "都道府県", "国/地域", "国", "郵便番号", "緯度", "経度",
    "開業日", "ロゴ写真", "カバー写真", "その他の写真", "優先する写真", "ステータス",
    "AdWords 住所表示オプションの電話番号", "Google 広告の住所表示オプションの電話番号",
    "サービス提供地域",
)  # fmt: skip
_ATTRIBUTE = re.compile(r"\([a-z0-9_/]+\)$")
DAY_ROLES = tuple(f"day:{i}" for i in range(7))


def header_key(header: str) -> str:
    """Compare headers ignoring case, spacing and full-width forms."""
    return re.sub(r"[\s_]+", "", unicodedata.normalize("NFKC", header)).lower()


_ROLES: dict[str, str] = {}
for _role, (_en, _ja, _others) in _COLUMNS.items():
    for _name in (_en, _ja, *_others):
        _ROLES[header_key(_name)] = _role
for _name in _IGNORED:
    _ROLES[header_key(_name)] = ""

KNOWN_HEADERS: tuple[str, ...] = (
    *(name for en, ja, others in _COLUMNS.values() for name in (en, ja, *others)),
    *_IGNORED,
)


def google_role(header: str) -> str | None:
    """The role of a sheet header: a field name, ``day:N``, ``""`` (ignored) or None."""
    key = header_key(header)
    if key in _ROLES:
        return _ROLES[key]
    if _ATTRIBUTE.search(unicodedata.normalize("NFKC", header).strip()):
        return ""
    return None


def looks_like_google_sheet(headers: Collection[str]) -> bool:
    """True when the header names a Google store-code column and no localcx one."""
    lowered = {h.strip().lower() for h in headers}
    if "store_code" in lowered:
        return False
    return any(google_role(h) == "store_code" for h in headers)


def sheet_headers(language: str = "en") -> list[str]:
    """The columns localcx writes, in Google's order, English or Japanese."""
    index = 1 if language == "ja" else 0
    roles = ["store_code", "title", "primary_phone", "additional_phones", "website",
             "primary_category", "additional_categories",
             *(f"day:{d}" for d in SHEET_DAY_ORDER), "special_hours", "description", "labels"]  # fmt: skip
    return [str(_COLUMNS[role][index]) for role in roles]


class Cell(NamedTuple):
    """A non-blank cell: header as written, stripped text, physical line."""

    header: str
    text: str
    line: int


# --- reading -----------------------------------------------------------------------------


def _category_cell(text: str) -> str:
    """``gcid:x``/``categories/gcid:x`` pass through; English display names become gcids."""
    value = text.strip()
    if value.lower().startswith(("gcid:", "categories/")) or value.lower() == CLEAR:
        return value
    slug = re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")
    return f"gcid:{slug}" if slug and slug.isascii() else value


def _day_cell(text: str) -> list[tuple[int, int]] | None:
    folded = normalise(text)
    if re.fullmatch(r"0?0:00\s*-\s*0?0:00", folded):
        folded = "00:00-24:00"
    return parse_ranges(folded, text)


def _special_cell(text: str) -> str:
    """``2026-12-25: x, 2026-12-24: 09:00-14:00`` → readable special-hours text."""
    by_date: dict[str, list[str]] = {}
    date = ""
    for part in normalise(text).split(","):
        part = part.strip()
        if not part:
            continue
        match = re.match(r"^(\d{4}[-/]\d{1,2}[-/]\d{1,2})\s*:?\s*(.*)$", part)
        if match:
            date, part = match.group(1).replace("/", "-"), match.group(2)
        elif not date:
            raise HoursError(f'"{part}": expected YYYY-MM-DD: hours')
        by_date.setdefault(date, []).append(part)
    segments = []
    for day, parts in by_date.items():
        closed = [p for p in parts if parse_ranges(p, f"{day}: {p}") is None]
        if closed and len(closed) != len(parts):
            raise HoursError(f'"{day}": both closed and open hours')
        segments.append(f"{day} {'closed' if closed else ', '.join(parts)}")
    return parse_special_hours("; ".join(segments))


def row_values(
    cells: Mapping[str, Cell],
    *,
    region: str,
    known_categories: Collection[str] | None,
    current_hours: str,
) -> tuple[dict[str, str], list[tuple[Cell, str]]]:
    """One sheet row (role → non-blank cell) → canonical values and (cell, message) errors."""
    values: dict[str, str] = {}
    errors: list[tuple[Cell, str]] = []
    for role, cell in cells.items():
        if role.startswith("day:"):
            continue
        text = cell.text
        try:
            if role == "special_hours" and text.lower() != CLEAR:
                values[role] = _special_cell(text)
                continue
            if role in ("primary_category", "additional_categories"):
                text = ", ".join(_category_cell(p) for p in text.split(","))
            elif role == "labels":
                text = "; ".join(p for p in text.split(","))
            values[role] = parse_value(role, text, region=region,
                                       known_categories=known_categories)  # fmt: skip
        except (FieldError, HoursError) as exc:
            errors.append((cell, str(exc)))
    day_cells = [(int(role[4:]), cell) for role, cell in cells.items() if role.startswith("day:")]
    if any(cell.text.lower() == CLEAR for _, cell in day_cells):
        values["regular_hours"] = ""  # ~clear in any weekday column removes regular hours
    elif day_cells:
        try:
            week = parse_week(current_hours)
        except HoursError:
            week = [[] for _ in range(7)]
        failed = False
        for day, cell in day_cells:
            try:
                ranges = _day_cell(cell.text)
            except HoursError as exc:
                errors.append((cell, str(exc)))
                failed = True
                continue
            week[day] = [] if ranges is None else ranges
        if not failed:
            try:
                values["regular_hours"] = format_week(week)
                parse_week(values["regular_hours"])
            except HoursError as exc:
                values.pop("regular_hours", None)
                errors.append((min((c for _, c in day_cells), key=lambda c: c.line), str(exc)))
    return values, errors


# --- writing -----------------------------------------------------------------------------


def sheet_row(values: Mapping[str, str]) -> list[str]:
    """A localcx row (canonical values) → cells in :func:`sheet_headers` order."""
    week = parse_week(values.get("regular_hours", ""))
    has_hours = any(week)

    def day(d: int) -> str:
        if not has_hours:
            return ""
        return ", ".join(f"{_hhmm(o)}-{_hhmm(c)}" for o, c in week[d]) or "x"

    special = []
    for date, ranges in sorted(parse_days(values.get("special_hours", "")).items()):
        if ranges is None:
            special.append(f"{date.isoformat()}: x")
        special.extend(f"{date.isoformat()}: {_hhmm(o)}-{_hhmm(c)}" for o, c in ranges or [])

    def joined(name: str) -> str:
        return ", ".join(p for p in values.get(name, "").split("; ") if p)

    return [
        values.get("store_code", ""), values.get("title", ""), values.get("primary_phone", ""),
        joined("additional_phones"), values.get("website", ""),
        values.get("primary_category", ""), joined("additional_categories"),
        *(day(d) for d in SHEET_DAY_ORDER), ", ".join(special),
        values.get("description", ""), joined("labels"),
    ]  # fmt: skip


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
