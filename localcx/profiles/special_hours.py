"""Special (holiday) hours as readable text, and their Google ``specialHours`` form.

Readable syntax, segments separated by ``;``::

    2026-12-24 08:00-14:00; 2026-12-25 closed; 2027-01-01 closed
    2026-12-31 10:00-14:00, 18:00-23:00     several ranges on one date
    2026-12-31 22:00-02:00                  overnight: closes 02:00 on 2027-01-01
    2026/12/25 休み                          YYYY/MM/DD and Japanese closed words work too
    2026-12-29..2027-01-03 closed           a date range (``..`` or ``〜``), one entry per date
    2026-12-24: 09:00-14:00                 a colon after the date is allowed (Google's sheet)

Closed words are those of regular hours (``closed``, ``x``, ``休み``, ``定休日`` …); ``24h``
means 00:00-24:00. Google's rules are enforced: a period may end on the next day at the
latest and must be shorter than 24 h, so overnight ranges close before they open; the one
24-hour period is ``00:00-24:00`` on its own date (Google's "open 24 hours" special day).
Ranges on a date and an overnight tail into the next date must not overlap. A date may
appear once (list several ranges with commas).

Canonical text: sorted by date, ``YYYY-MM-DD closed`` or ``YYYY-MM-DD HH:MM-HH:MM[, …]``,
joined with ``; ``; no dates is ``""``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from localcx.profiles._timetext import (
    DAY_MINUTES,
    HoursError,
    Range,
    check_overlaps,
    format_ranges,
    merge_intervals,
    normalise,
    parse_ranges,
    place_interval,
    range_end,
    split_segments,
    time_from_google,
    time_to_google,
)

# date → None (closed all day) or its ranges.
Days = dict[dt.date, list[Range] | None]

_DATE = r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
_SEGMENT = re.compile(rf"^{_DATE}(?:\s*(?:-|\.\.)\s*{_DATE})?\s*:?\s*(.*)$")
_MAX_SPAN_DAYS = 366
# Special hours are for dates people plan for. The bound also keeps an overnight range's
# next day representable (9999-12-31 22:00-02:00 would close in year 10000).
YEARS = range(1900, 3000)


def _date(parts: tuple[str | Any, ...], piece: str) -> dt.date:
    try:
        date = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise HoursError(f'"{piece}": {"-".join(parts)} is not a valid date') from None
    if date.year not in YEARS:
        raise HoursError(
            f'"{piece}": {"-".join(parts)} is outside the years {YEARS[0]}-{YEARS[-1]}'
        )
    return date


def parse_days(text: str) -> Days:
    """Readable special hours → ``{date: None | ranges}``, validated."""
    days: Days = {}
    first_seen: dict[dt.date, str] = {}
    for piece in split_segments(text):
        match = _SEGMENT.match(normalise(piece))
        if match is None:
            raise HoursError(f'"{piece}": expected a date (YYYY-MM-DD) then hours or closed')
        start = _date(match.groups()[0:3], piece)
        end = _date(match.groups()[3:6], piece) if match.group(4) else start
        if end < start or (end - start).days > _MAX_SPAN_DAYS:
            raise HoursError(f'"{piece}": date range must run forwards and span at most a year')
        ranges = parse_ranges(match.group(7), piece)
        for offset in range((end - start).days + 1):
            date = start + dt.timedelta(days=offset)
            if date in days:
                raise HoursError(
                    f'"{piece}": {date.isoformat()} is already given in "{first_seen[date]}"'
                    " (list several ranges for one date with commas)"
                )
            days[date] = None if ranges is None else list(ranges)
            first_seen[date] = piece
    _check(days)
    return days


def _check(days: Days) -> None:
    intervals = []
    for date, ranges in days.items():
        base = date.toordinal() * DAY_MINUTES
        for rng in ranges or []:
            label = f"{date.isoformat()} {format_ranges([rng])}"
            intervals.append((base + rng[0], base + range_end(rng), label))
    check_overlaps(intervals, None)


def format_days(days: Days) -> str:
    parts = []
    for date in sorted(days):
        ranges = days[date]
        parts.append(f"{date.isoformat()} {'closed' if ranges is None else format_ranges(ranges)}")
    return "; ".join(parts)


def parse_special_hours(text: str) -> str:
    """Readable special hours → canonical text; raises HoursError naming the bad piece."""
    return format_days(parse_days(text))


def merge_special_hours(existing: str, new: str) -> str:
    """Dates in ``new`` replace the same dates in ``existing``; other dates are kept.

    Google replaces the whole ``specialHourPeriods`` list on PATCH, so adding holidays
    means read, merge, write the full list; this is the merge.
    """
    merged = parse_days(existing)
    merged.update(parse_days(new))
    _check(merged)
    return format_days(merged)


def _google_date(date: dt.date) -> dict[str, int]:
    return {"year": date.year, "month": date.month, "day": date.day}


def special_hours_to_google(text: str) -> dict[str, Any]:
    """Readable special hours → ``{"specialHourPeriods": [...]}``.

    A closed date is ``{"startDate": …, "closed": true}``; a range carries startDate,
    openTime, endDate (the next day for overnight ranges) and closeTime.
    """
    periods: list[dict[str, Any]] = []
    for date, ranges in sorted(parse_days(text).items()):
        if ranges is None:
            periods.append({"startDate": _google_date(date), "closed": True})
            continue
        for opening, closing in ranges:
            end = date if closing > opening else date + dt.timedelta(days=1)
            periods.append({
                "startDate": _google_date(date),
                "openTime": time_to_google(opening),
                "endDate": _google_date(end),
                "closeTime": time_to_google(closing),
            })  # fmt: skip
    return {"specialHourPeriods": periods}


def _date_from_google(value: Any, where: str) -> dt.date:
    if not isinstance(value, Mapping):
        raise HoursError(f'"{where}": missing or invalid date {value!r}')
    try:
        date = dt.date(int(value["year"]), int(value["month"]), int(value["day"]))
    except (KeyError, TypeError, ValueError, OverflowError):
        raise HoursError(f'"{where}": {dict(value)!r} is not a full date') from None
    if date.year not in YEARS:
        raise HoursError(f'"{where}": {dict(value)!r} is outside the years we can hold')
    return date


def special_hours_from_google(obj: Mapping[str, Any] | None) -> str:
    """Google ``specialHours`` → canonical text.

    Tolerant like regular hours: ``{}`` times, 24:00 or next-day 00:00 closes, a missing
    endDate, out-of-order periods, overlapping ranges on one date (merged). A date that is
    both closed and has ranges is read as closed, the safer reading for customers.
    """
    closed: set[dt.date] = set()
    intervals: list[tuple[int, int]] = []
    for index, period in enumerate((obj or {}).get("specialHourPeriods") or []):
        where = f"specialHours.specialHourPeriods[{index}]"
        start_date = _date_from_google(period.get("startDate"), where)
        if period.get("closed"):
            closed.add(start_date)
            continue
        end_date = (
            _date_from_google(period["endDate"], where) if period.get("endDate") else start_date
        )
        base = start_date.toordinal() * DAY_MINUTES
        start = base + time_from_google(period.get("openTime"), where)
        end = end_date.toordinal() * DAY_MINUTES + time_from_google(period.get("closeTime"), where)
        if end <= start:
            end += DAY_MINUTES
        intervals.append((start, min(end, start + DAY_MINUTES)))
    days: Days = {date: None for date in closed}
    for start, end in merge_intervals(intervals):
        for ordinal, rng in place_interval(start, end):
            date = dt.date.fromordinal(ordinal)
            if date not in closed:
                ranges = days.setdefault(date, [])
                assert ranges is not None
                ranges.append(rng)
    return format_days({d: None if r is None else sorted(r) for d, r in days.items()})
