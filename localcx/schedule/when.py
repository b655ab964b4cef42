"""WHEN: one moment, typed by a person or a cron line, read in a given zone.

``now`` is always passed in, never read from the system clock, so ``posts run-due --now``
and the tests see the same answers as production. A moment without an offset is wall-clock
time in ``zone`` (the store's, else the workspace's); the result is always aware UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from localcx.errors import UsageError
from localcx.schedule._text import (
    WHEN_EXAMPLES,
    check_length,
    days_of_week,
    fold,
    time_of_day,
    usage,
)

# A bare date or day name means 09:00 local: a post at midnight is published while the
# store's customers sleep, and 09:00 is when a shop's day starts.
DEFAULT_TIME = time(9, 0)
YEARS = range(2000, 2101)  # beyond these a typo is likelier than a plan; keeps arithmetic safe

_OFFSET = re.compile(r"\s*(?P<off>z|utc|[+-][0-9]{2}(?::?[0-9]{2})?)$")
_DATE = re.compile(
    r"^(?P<y>[0-9]{4})[-/.](?P<mo>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})(?:(?:t|\s+)(?P<rest>.+))?$"
)
_MONTH_DAY = re.compile(r"^(?P<mo>[0-9]{1,2})/(?P<d>[0-9]{1,2})(?:\s+(?P<rest>.+))?$")
_JA_DATE = re.compile(r"^(?:(?P<y>[0-9]{4})年)?(?P<mo>[0-9]{1,2})月(?P<d>[0-9]{1,2})日\s*")
_RELATIVE = re.compile(
    r"^(?:\+|in\s+)\s*(?P<n>[0-9]{1,4})\s*(?P<unit>[a-z]+|分|時間|日|週間|週)$"
    r"|^(?P<jn>[0-9]{1,4})\s*(?P<junit>分|時間|日|週間|週)後$"
)
_UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes", "分"), timedelta(minutes=1)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours", "時間"), timedelta(hours=1)),
    **dict.fromkeys(("d", "day", "days", "日"), timedelta(days=1)),
    **dict.fromkeys(("w", "wk", "week", "weeks", "週", "週間"), timedelta(weeks=1)),
}
_DAYS_AHEAD = {"today": 0, "今日": 0, "本日": 0, "tomorrow": 1, "明日": 1, "明後日": 2}


def parse_when(
    text: str, *, zone: ZoneInfo, now: datetime, default_time: time = DEFAULT_TIME
) -> datetime:
    """Read WHEN (see ``HELP``) as an aware UTC datetime; any bad text is a UsageError.

    ``now`` must be aware. Relative minutes and hours count real elapsed time; relative
    days and weeks keep the local clock time, so ``+1d`` at 09:00 is 09:00 tomorrow even
    across a DST change. Day names and bare times mean the next one at or after ``now``.
    """
    if now.tzinfo is None:
        raise ValueError("parse_when needs an aware `now`")
    check_length("WHEN", text, WHEN_EXAMPLES)
    folded = fold(text)
    local_now = now.astimezone(zone).replace(tzinfo=None)
    try:
        return _parse(folded, text, zone, now, local_now, default_time)
    except (ValueError, OverflowError):  # datetime's own range checks, as a last guard
        raise usage("WHEN", text, "not a date and time", WHEN_EXAMPLES) from None


def _parse(
    folded: str, text: str, zone: ZoneInfo, now: datetime, local_now: datetime, default: time
) -> datetime:
    if folded in ("now", "今", "いま", "今すぐ"):
        return now.astimezone(UTC)
    relative = _RELATIVE.match(folded)
    if relative:
        return _relative(relative, text, zone, now, local_now)
    folded = _JA_DATE.sub(_ja_date, folded).strip()
    dated = _DATE.match(folded)
    if dated:
        day = _date(int(dated["y"]), int(dated["mo"]), int(dated["d"]), text)
        return _at(day, dated["rest"], text, zone, default)
    month_day = _MONTH_DAY.match(folded)
    if month_day:
        day = _date(local_now.year, int(month_day["mo"]), int(month_day["d"]), text)
        moment = _at(day, month_day["rest"], text, zone, default)
        if moment < now:  # 12/05 in January means this year; in December after the 5th, next
            moment = _at(_date(day.year + 1, day.month, day.day, text), month_day["rest"], text, zone, default)
        return moment
    word, _, rest = folded.partition(" ")
    if word in _DAYS_AHEAD:
        return _at(local_now.date() + timedelta(days=_DAYS_AHEAD[word]), rest, text, zone, default)
    if folded.startswith("next "):
        folded = folded[5:]
    named = days_of_week(folded)
    if named is not None:
        return _next_weekday(named, text, zone, now, local_now, default)
    if folded and folded[0].isdigit():  # a time alone: the next one
        return _next_time(folded, text, zone, now, local_now)
    raise usage("WHEN", text, "not a date and time", WHEN_EXAMPLES)


def _relative(
    match: re.Match[str], text: str, zone: ZoneInfo, now: datetime, local_now: datetime
) -> datetime:
    count = int(match["n"] or match["jn"])
    step = _UNITS.get(match["unit"] or match["junit"])
    if step is None:
        raise usage("WHEN", text, "unknown unit (use m, h, d or w)", "+30m, +2h, +3d")
    if step < timedelta(days=1):
        return now.astimezone(UTC) + count * step
    wall = local_now + count * step
    return _localise(wall, text, zone, strict=False)


def _ja_date(match: re.Match[str]) -> str:
    """``2026年12月5日 9時`` -> ``2026-12-5 9時``; without a year -> ``12/5``."""
    if match["y"]:
        return f"{match['y']}-{match['mo']}-{match['d']} "
    return f"{match['mo']}/{match['d']} "


def _date(year: int, month: int, day: int, text: str) -> date:
    if year not in YEARS:
        raise usage("WHEN", text, f"year {year} is outside {YEARS[0]}-{YEARS[-1]}", WHEN_EXAMPLES)
    try:
        return date(year, month, day)
    except ValueError:
        raise usage("WHEN", text, f"{year}-{month:02d}-{day:02d} is not a date", WHEN_EXAMPLES) from None


def _at(day: date, rest: str | None, text: str, zone: ZoneInfo, default: time) -> datetime:
    """A calendar day plus an optional ``TIME [OFFSET]`` in ``zone``."""
    rest = (rest or "").strip()
    offset = _OFFSET.search(rest)
    tz: timezone | None = None
    if offset and (offset.start() > 0 or offset["off"] in ("z", "utc")):
        tz = _fixed(offset["off"], text)
        rest = rest[: offset.start()].strip()
    clock = time_of_day(rest, text) if rest else default
    wall = datetime.combine(day, clock)
    if tz is not None:
        return wall.replace(tzinfo=tz).astimezone(UTC)
    return _localise(wall, text, zone, strict=True)


def _fixed(offset: str, text: str) -> timezone:
    if offset in ("z", "utc"):
        return UTC
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 14 or minutes > 59:
        raise usage("WHEN", text, f'"{offset}" is not a UTC offset', "+09:00, -08:00, Z")
    sign = -1 if offset[0] == "-" else 1
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _next_weekday(
    named: tuple[list[int], str],
    text: str,
    zone: ZoneInfo,
    now: datetime,
    local_now: datetime,
    default: time,
) -> datetime:
    days, rest = named
    if len(days) != 1:
        raise usage("WHEN", text, "name one day (a list of days is a SCHEDULE for --every)", "mon 09:00, 月曜 9:00, next fri")
    ahead = (days[0] - local_now.weekday()) % 7
    moment = _at(local_now.date() + timedelta(days=ahead), rest, text, zone, default)
    if moment < now:
        moment = _at(local_now.date() + timedelta(days=ahead + 7), rest, text, zone, default)
    return moment


def _next_time(folded: str, text: str, zone: ZoneInfo, now: datetime, local_now: datetime) -> datetime:
    clock = time_of_day(folded, text)
    moment = _localise(datetime.combine(local_now.date(), clock), text, zone, strict=False)
    if moment < now:
        wall = datetime.combine(local_now.date() + timedelta(days=1), clock)
        moment = _localise(wall, text, zone, strict=False)
    return moment


def _localise(wall: datetime, text: str, zone: ZoneInfo, *, strict: bool) -> datetime:
    """Wall-clock time in ``zone`` -> UTC.

    A time repeated when clocks go back is the first of the two. A time skipped when clocks
    go forward is refused when typed as a date and time (``strict``), since the user named
    a moment that does not exist; computed ones move forward by the gap, as cron does.
    """
    moment = wall.replace(tzinfo=zone).astimezone(UTC)
    if strict and moment.astimezone(zone).replace(tzinfo=None) != wall:
        shown = moment.astimezone(zone).strftime("%H:%M")
        before = wall.replace(tzinfo=zone).strftime("%z")
        raise UsageError(
            f'WHEN "{text}": {wall:%Y-%m-%d %H:%M} does not exist in {zone.key} '
            "(the clocks go forward)",
            hint=f"use {shown}, or an offset: {wall:%Y-%m-%dT%H:%M}{before[:3]}:{before[3:]}",
        )
    return moment
