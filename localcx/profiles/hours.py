"""Regular opening hours as readable text, and their Google ``regularHours`` form.

People type hours; Google stores periods. localcx keeps one **canonical text** per store
so a plan diff is a text diff a person reads directly (``before → after``).

Readable syntax (what :func:`parse_regular_hours` accepts), segments separated by ``;``::

    Mon-Fri 09:00-18:00; Sat 10:00-16:00; Sun closed
    Mon 11:00-14:00, 17:00-22:00          several ranges in one day, comma-separated
    Fri 22:00-02:00                       overnight: closes 02:00 on Saturday
    Mon-Sun 00:00-24:00                   open 24 hours (also "24h", "24時間")
    Mon,Wed,Fri 09:00-12:00               lists; "Sat-Mon" wraps past Sunday (Sat, Sun, Mon)
    月-金 11:00〜15:00、17:00〜22:00; 土日 11:00-21:00; 水 定休日

* Days: English names or abbreviations in any case (Monday/Mon/mon/Tues/Thurs), Japanese
  月 火 水 木 金 土 日 with optional 曜/曜日, and the words daily/毎日, weekdays/平日,
  weekends/週末. Ranges of days use ``-`` ``〜`` ``～`` ``–``; lists use ``,`` ``、`` ``・``
  or simply run on (``土日``). Public holidays (祝) are not a weekday: use special hours.
* Times: ``09:00``, ``9:00``, ``9``, ``0900``, ``9時30分``, ``9:00AM``; full-width digits
  and colons are fine. ``24:00`` only as a close time; a close of ``00:00`` means midnight
  and is written ``24:00``. A close earlier than the open runs overnight into the next day.
* Closed: ``closed``, ``x``, ``×``, ``定休日``, ``休み``, ``休業``. Days not mentioned are closed.
* A day may get hours only once (list its ranges with commas); a later ``closed`` segment
  overrides earlier hours, so ``Mon-Sun 11:00-21:00; Wed closed`` works.
* Validation: hours 0-24, minutes 0-59, open ≠ close, no overlapping ranges — including an
  overnight range that runs into the next day's first range (Sunday night wraps to Monday).

Canonical text (what every function here returns): Monday → Sunday, consecutive days with
identical ranges grouped as ``Mon-Fri``, zero-padded 24-hour times, ranges sorted by open
time, closed days omitted, ``; `` between groups. A week with no open day is ``""``
(Google has no "closed every day" hours; that is open_status's job). The canonical text is a
fixed point: ``parse_regular_hours(parse_regular_hours(x)) == parse_regular_hours(x)``.

Special hours live in :mod:`localcx.profiles.special_hours` and are re-exported here so
callers have one import for every hours function.
"""

from __future__ import annotations

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
from localcx.profiles.special_hours import (
    merge_special_hours,
    parse_special_hours,
    special_hours_from_google,
    special_hours_to_google,
)

__all__ = [
    "DAY_NAMES",
    "GOOGLE_DAYS",
    "HoursError",
    "format_week",
    "merge_special_hours",
    "parse_regular_hours",
    "parse_special_hours",
    "parse_week",
    "regular_hours_from_google",
    "regular_hours_to_google",
    "special_hours_from_google",
    "special_hours_to_google",
]

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
GOOGLE_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
WEEK_MINUTES = 7 * DAY_MINUTES

Week = list[list[Range]]

_EN_DAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2,
    "wed": 2, "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
_JA_DAYS = {c: i for i, c in enumerate("月火水木金土日")}
_DAY_GROUPS = {
    "every day": range(7), "everyday": range(7), "daily": range(7), "毎日": range(7),
    "weekdays": range(5), "平日": range(5), "weekends": range(5, 7), "週末": range(5, 7),
}  # fmt: skip
_DAY = re.compile(
    "(?:(?P<en>" + "|".join(sorted(_EN_DAYS, key=len, reverse=True)) + r")s?(?![a-z])"
    r"|(?P<ja>[月火水木金土日])(?:曜日|曜)?)"
)
_GROUP = re.compile("|".join(sorted(map(re.escape, _DAY_GROUPS), key=len, reverse=True)))
_HOLIDAY = re.compile(r"祝|祭日|(?:public )?holidays?(?![a-z])")
_RANGE_DASH = re.compile(r"\s*-\s*")
_LIST_SEP = re.compile(r"\s*(?:,|&|/|\band\b)?\s*")


def _day_at(text: str, pos: int) -> tuple[int, int] | None:
    match = _DAY.match(text, pos)
    if match is None:
        return None
    day = _EN_DAYS[match["en"]] if match["en"] else _JA_DAYS[match["ja"]]
    return day, match.end()


def _parse_days(text: str, piece: str) -> tuple[list[int], str]:
    """Read the leading day list of a normalised, lower-cased segment; return the rest."""
    days: list[int] = []
    pos = 0
    while True:
        group = _GROUP.match(text, pos)
        found = _day_at(text, pos)
        if group is not None:
            days.extend(_DAY_GROUPS[group.group()])
            pos = group.end()
        elif found is not None:
            first, pos = found
            dash = _RANGE_DASH.match(text, pos)
            last = _day_at(text, dash.end()) if dash else None
            if dash and last is not None:
                end, pos = last
                days.extend((first + i) % 7 for i in range((end - first) % 7 + 1))
            else:
                days.append(first)
        elif _HOLIDAY.match(text, pos):
            raise HoursError(
                f'"{piece}": public holidays are not a weekday; put them in special_hours'
            )
        else:
            break
        sep = _LIST_SEP.match(text, pos)
        if sep and _starts_with_day(text[sep.end() :]):
            pos = sep.end()
    if not days:
        raise HoursError(f'"{piece}": missing day name (e.g. Mon, Mon-Fri, 月-金)')
    rest = text[pos:].strip().lstrip(":").strip()
    return list(dict.fromkeys(days)), rest


def _starts_with_day(text: str) -> bool:
    return bool(_day_at(text, 0) or _GROUP.match(text) or _HOLIDAY.match(text))


def _segments(text: str) -> list[tuple[str, list[int], list[Range] | None]]:
    """Split into (original piece, days, ranges or None for closed).

    Besides ``;``, a comma followed by a day name starts a new segment, because people
    write ``Mon-Fri 9-17, Sat 10-14`` and ``平日 11時-20時、水 休み``.
    """
    out = []
    for piece in split_segments(text):
        rest = normalise(piece).lower()
        while rest:
            days, body = _parse_days(rest, piece)
            rest = ""
            for comma in re.finditer(",", body):
                following = body[comma.end() :].lstrip()
                if _starts_with_day(following):
                    body, rest = body[: comma.start()], following
                    break
            out.append((piece, days, parse_ranges(body, piece)))
    return out


def parse_week(text: str) -> Week:
    """Readable hours → seven lists of ranges (index 0 = Monday), validated."""
    week: Week = [[] for _ in range(7)]
    hours_from: dict[int, str] = {}
    closed_by: dict[int, str] = {}
    for piece, days, ranges in _segments(text):
        for day in days:
            if ranges is None:
                week[day] = []
                closed_by[day] = piece
                hours_from.pop(day, None)
                continue
            if day in hours_from:
                raise HoursError(
                    f'"{piece}": {DAY_NAMES[day]} already has hours from "{hours_from[day]}"'
                    " (list several ranges for one day with commas)"
                )
            if day in closed_by:
                raise HoursError(
                    f'"{piece}": {DAY_NAMES[day]} is already closed by "{closed_by[day]}"'
                )
            week[day] = list(ranges)
            hours_from[day] = piece
    _check_week(week)
    return week


def _check_week(week: Week) -> None:
    intervals = [
        (day * DAY_MINUTES + rng[0], day * DAY_MINUTES + range_end(rng),
         f"{DAY_NAMES[day]} {format_ranges([rng])}")
        for day, ranges in enumerate(week)
        for rng in ranges
    ]  # fmt: skip
    check_overlaps(intervals, WEEK_MINUTES)


def format_week(week: Week) -> str:
    """Seven day lists → canonical text (consecutive identical days grouped)."""
    groups: list[tuple[int, int, list[Range]]] = []
    for day, ranges in enumerate(week):
        ranges = sorted(ranges)
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == ranges:
            groups[-1] = (groups[-1][0], day, ranges)
        else:
            groups.append((day, day, ranges))
    parts = []
    for first, last, ranges in groups:
        if not ranges:
            continue
        days = DAY_NAMES[first] if first == last else f"{DAY_NAMES[first]}-{DAY_NAMES[last]}"
        parts.append(f"{days} {format_ranges(ranges)}")
    return "; ".join(parts)


def parse_regular_hours(text: str) -> str:
    """Readable regular hours (any accepted form) → canonical text; raises HoursError."""
    return format_week(parse_week(text))


def regular_hours_to_google(text: str) -> dict[str, Any]:
    """Readable hours → ``{"periods": [...]}``; overnight periods close on the next day."""
    periods = []
    for day, ranges in enumerate(parse_week(text)):
        for opening, closing in ranges:
            periods.append({
                "openDay": GOOGLE_DAYS[day],
                "openTime": time_to_google(opening),
                "closeDay": GOOGLE_DAYS[day if closing > opening else (day + 1) % 7],
                "closeTime": time_to_google(closing),
            })  # fmt: skip
    return {"periods": periods}


def _google_day(value: Any, where: str) -> int:
    try:
        return GOOGLE_DAYS.index(str(value).upper())
    except ValueError:
        raise HoursError(f'"{where}": {value!r} is not a day of the week') from None


def regular_hours_from_google(obj: Mapping[str, Any] | None) -> str:
    """Google ``regularHours`` → canonical text.

    Tolerates what Google (and older data) sends: missing minutes, ``{}`` for 00:00,
    ``{"hours": 24}``, a close at next-day 00:00, periods out of order, a missing closeDay,
    one period spanning several days (split into whole days), and overlapping periods
    (merged), so that the result always parses back to itself.
    """
    intervals = []
    for index, period in enumerate((obj or {}).get("periods") or []):
        where = f"regularHours.periods[{index}]"
        open_day = _google_day(period.get("openDay"), where)
        close_day = _google_day(period.get("closeDay") or period.get("openDay"), where)
        start = open_day * DAY_MINUTES + time_from_google(period.get("openTime"), where)
        if start % DAY_MINUTES == 0 and start // DAY_MINUTES != open_day:
            raise HoursError(f'"{where}": 24:00 is only allowed as a close time')
        days_later = (close_day - open_day) % 7
        end = (open_day + days_later) * DAY_MINUTES + time_from_google(
            period.get("closeTime"), where
        )
        if end <= start:
            end += DAY_MINUTES if days_later == 0 else WEEK_MINUTES
        intervals.append((start, min(end, start + WEEK_MINUTES)))
    return format_week(_week_from_intervals(intervals))


def _week_from_intervals(intervals: list[tuple[int, int]]) -> Week:
    merged = merge_intervals(intervals)
    # An interval running past Sunday midnight may overlap Monday's first ones.
    while len(merged) > 1 and merged[-1][1] - WEEK_MINUTES > merged[0][0]:
        first = merged.pop(0)
        last = merged.pop()
        merged.append((last[0], max(last[1], first[1] + WEEK_MINUTES)))
    week: Week = [[] for _ in range(7)]
    for start, end in merged:
        for day, rng in place_interval(start, min(end, start + WEEK_MINUTES)):
            week[day % 7].append(rng)
    return [sorted(ranges) for ranges in week]
