"""Business rules for `regularHours` and `specialHours`, as the discovery documents state them.

- TimeOfDay: 00:00 to 24:00, and 24:00 (midnight at the end of the day) is valid for both
  `openTime` and `closeTime` (TimePeriod and SpecialHourPeriod descriptions).
- TimePeriod: closes after it opens, at most 24 hours later; periods do not overlap.
- SpecialHourPeriod: `endDate` is the start date or the day after; a period that ends the next
  day closes no later than 11:59; a period lasts less than 24 hours; periods (a closed day
  covers the whole date) must not overlap (OVERLAPPED_SPECIAL_HOURS); none may be set without
  regular hours (SPECIAL_HOURS_SET_WITHOUT_REGULAR_HOURS).

Each violation carries Google's ErrorCode reason and the field mask it names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from localcx.sandbox.wire import Violation

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
WEEK = 7 * 1440
NEXT_DAY_LAST_CLOSE = 11 * 60 + 59  # 11:59 the morning after the start date

INVALID_HOURS_VALUE = "INVALID_HOURS_VALUE"
INVALID_TIME_SCHEDULE = "INVALID_TIME_SCHEDULE"
OVERLAPPED_SPECIAL_HOURS = "OVERLAPPED_SPECIAL_HOURS"
WITHOUT_REGULAR = "SPECIAL_HOURS_SET_WITHOUT_REGULAR_HOURS"
_REGULAR = "regularHours.periods"
_SPECIAL = "specialHours.specialHourPeriods"


def _time_ok(t: Any) -> bool:
    """A TimeOfDay from 00:00 to 24:00 (24 only as exactly 24:00:00.0)."""
    if not isinstance(t, dict):
        return False
    h, m = int(t.get("hours", 0)), int(t.get("minutes", 0))
    s, n = int(t.get("seconds", 0)), int(t.get("nanos", 0))
    if h == 24:
        return m == s == n == 0
    return 0 <= h <= 23 and 0 <= m <= 59 and 0 <= s <= 59 and 0 <= n <= 999_999_999


def _minutes(t: dict[str, Any]) -> int:
    return int(t.get("hours", 0)) * 60 + int(t.get("minutes", 0))


def _bad_time(field: str, mask: str) -> Violation:
    return Violation(field, "Invalid time of day: valid values are 00:00 to 24:00.",
                     INVALID_HOURS_VALUE, mask)


def regular_hours(hours: dict[str, Any]) -> list[Violation]:
    out: list[Violation] = []
    spans: list[tuple[int, int, int]] = []
    for i, p in enumerate(hours.get("periods") or []):
        base = f"regular_hours.periods[{i}]"
        bad = False
        for key, snake in (("openDay", "open_day"), ("closeDay", "close_day")):
            if p.get(key) not in DAYS:
                out.append(Violation(f"{base}.{snake}", "A day of the week is required.",
                                     INVALID_HOURS_VALUE, _REGULAR))
                bad = True
        for key, snake in (("openTime", "open_time"), ("closeTime", "close_time")):
            if key not in p:
                out.append(Violation(f"{base}.{snake}", "Field is required.",
                                     INVALID_HOURS_VALUE, _REGULAR))
                bad = True
            elif not _time_ok(p[key]):
                out.append(_bad_time(f"{base}.{snake}", _REGULAR))
                bad = True
        if bad:
            continue
        start = DAYS.index(p["openDay"]) * 1440 + _minutes(p["openTime"])
        end = DAYS.index(p["closeDay"]) * 1440 + _minutes(p["closeTime"])
        if end <= start:
            end += WEEK
        if end - start > 1440:
            out.append(Violation(base, "A period must close after it opens and last at most "
                                       "24 hours.", INVALID_TIME_SCHEDULE, _REGULAR))
            continue
        spans.append((start, end, i))
    for a in range(len(spans)):
        for b in range(a + 1, len(spans)):
            (s1, e1, i1), (s2, e2, i2) = spans[a], spans[b]
            if any(s1 < e2 + k and s2 + k < e1 for k in (-WEEK, 0, WEEK)):
                out.append(Violation(f"regular_hours.periods[{i2}]",
                                     f"Period overlaps period {i1}.", INVALID_TIME_SCHEDULE,
                                     _REGULAR))
    return out


def _date(d: Any) -> dt.date | None:
    try:
        return dt.date(int(d["year"]), int(d["month"]), int(d["day"]))
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def _special_span(p: dict[str, Any], base: str, out: list[Violation]) -> tuple[int, int] | None:
    """The period as minutes since 0001-01-01 (start, end), or None after adding violations."""
    start = _date(p.get("startDate"))
    if start is None:
        out.append(Violation(f"{base}.start_date", "A valid start date is required.",
                             INVALID_TIME_SCHEDULE, _SPECIAL))
        return None
    day0 = start.toordinal() * 1440
    if p.get("closed"):  # end date and times are ignored: the whole date is closed
        return day0, day0 + 1440
    end = _date(p["endDate"]) if "endDate" in p else start
    if end is None or not start <= end <= start + dt.timedelta(days=1):
        out.append(Violation(f"{base}.end_date", "End date must be the start date or the day "
                                                 "after it.", INVALID_TIME_SCHEDULE, _SPECIAL))
        return None
    times_ok = True
    for key, snake in (("openTime", "open_time"), ("closeTime", "close_time")):
        if key not in p:
            out.append(Violation(f"{base}.{snake}", "Field is required unless closed is true.",
                                 INVALID_HOURS_VALUE, _SPECIAL))
            times_ok = False
        elif not _time_ok(p[key]):
            out.append(_bad_time(f"{base}.{snake}", _SPECIAL))
            times_ok = False
    if not times_ok:
        return None
    opens, closes = _minutes(p["openTime"]), _minutes(p["closeTime"])
    if end > start and closes > NEXT_DAY_LAST_CLOSE:
        out.append(Violation(f"{base}.close_time", "A period ending the next day must close "
                                                   "by 11:59.", INVALID_TIME_SCHEDULE, _SPECIAL))
        return None
    span = (end - start).days * 1440 + closes - opens
    if not 0 < span < 1440:
        out.append(Violation(base, "A special hours period must close after it opens and last "
                                   "less than 24 hours.", INVALID_TIME_SCHEDULE, _SPECIAL))
        return None
    return day0 + opens, day0 + opens + span


def _overlap(a: tuple[int, int, bool], b: tuple[int, int, bool]) -> bool:
    """Open periods overlap in time; a closed day clashes with any period starting that date
    (an evening period running past midnight into a closed day is not a clash)."""
    (s1, e1, closed1), (s2, e2, closed2) = a, b
    if closed1 or closed2:
        return s1 // 1440 == s2 // 1440
    return s1 < e2 and s2 < e1


def special_hours(special: dict[str, Any], has_regular: bool) -> list[Violation]:
    periods = special.get("specialHourPeriods") or []
    if periods and not has_regular:
        return [Violation("special_hours", "Special hours cannot be set without regular hours.",
                          WITHOUT_REGULAR, "specialHours")]
    out: list[Violation] = []
    spans: list[tuple[int, tuple[int, int, bool]]] = []
    for i, p in enumerate(periods):
        span = _special_span(p, f"special_hours.special_hour_periods[{i}]", out)
        if span is not None:
            spans.append((i, (*span, bool(p.get("closed")))))
    for a, (i1, span1) in enumerate(spans):
        for i2, span2 in spans[a + 1:]:
            if _overlap(span1, span2):
                out.append(Violation(f"special_hours.special_hour_periods[{i2}]",
                                     f"Period overlaps period {i1}.", OVERLAPPED_SPECIAL_HOURS,
                                     _SPECIAL))
    return out
