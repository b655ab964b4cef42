"""Text folding, times of day, day names and zones shared by the WHEN and SCHEDULE parsers.

People type times the way their keyboard gives them: ``９：００`` from a Japanese IME,
``9時30分``, ``9:00pm``. The folding and the time-of-day and day-name readers already exist
for opening hours in ``localcx/profiles``; they are reused here so "月-金" or "9時" means
the same thing in a schedule as in an hours file.
"""

from __future__ import annotations

import functools
import re
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from localcx.errors import UsageError
from localcx.profiles._timetext import HoursError, normalise, parse_time
from localcx.profiles.hours import _parse_days
from localcx.suggest import did_you_mean

MAX_TEXT = 200  # longer input is never a schedule; refusing early keeps parsing cheap

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

WHEN_EXAMPLES = "2026-12-05 09:00, tomorrow 9:00, +2h"
SCHEDULE_EXAMPLES = 'week, mon,thu, "0 9 * * 1"'

# Seconds are accepted (scripts pass `date -Iseconds`); parse_time handles the rest.
_CLOCK = re.compile(r"^(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2}):(?P<s>[0-9]{2})(?:\.[0-9]{1,6})?$")


def fold(text: str) -> str:
    """NFKC (full-width digits, ``：``, ``＋``), one kind of dash and comma, lower case."""
    return normalise(text).lower()


def usage(kind: str, text: str, why: str, examples: str) -> UsageError:
    """One shape for every parse error: the text as typed, why, and valid examples."""
    shown = text if len(text) <= 60 else text[:57] + "..."
    return UsageError(f'{kind} "{shown}": {why}', hint=f"examples: {examples}")


def check_length(kind: str, text: str, examples: str) -> None:
    if len(text) > MAX_TEXT:
        raise usage(kind, text, f"too long (at most {MAX_TEXT} characters)", examples)


def time_of_day(token: str, text: str) -> time:
    """``09:00``, ``9:00:30``, ``9``, ``0900``, ``9時30分``, ``9:00pm`` (already folded)."""
    token = token.strip()
    clock = _CLOCK.match(token)
    if clock:
        hours, minutes, seconds = int(clock["h"]), int(clock["m"]), int(clock["s"])
        if hours > 23 or minutes > 59 or seconds > 59:
            raise usage("time", text, f'"{token}" is not a time of day', "09:00, 9時30分, 6pm")
        return time(hours, minutes, seconds)
    try:
        minutes = parse_time(token, text, is_close=False)
    except HoursError:
        raise usage("time", text, f'"{token}" is not a time of day', "09:00, 9時30分, 6pm") from None
    return time(minutes // 60, minutes % 60)


def days_of_week(text: str) -> tuple[list[int], str] | None:
    """A leading day list (``mon,thu``, ``月・木``, ``月曜日``, ``mon-fri``) and the rest.

    Monday is 0. ``None`` when the text does not start with a day name, so callers can try
    another reading; holidays (``祝``) are not days of the week and are refused.
    """
    try:
        days, rest = _parse_days(text, text)
    except HoursError as error:
        if "holiday" in str(error):
            raise usage("day", text, "public holidays are not a day of the week", "mon, 月曜, mon,thu") from None
        return None
    return days, rest


@functools.lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def zone_named(name: str) -> ZoneInfo:
    """An IANA zone by name, case-insensitively; an unknown name is a UsageError.

    On Linux and macOS zoneinfo reads the system database; on Windows the ``tzdata``
    package supplies it. A missing database shows up here as "unknown zone" with a hint.
    """
    cleaned = name.strip()
    key = _zone_names().get(cleaned.casefold(), cleaned) if cleaned else cleaned
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        pass
    # Zone names are ASCII; suggest.py would trip on digits int() refuses, such as "¹".
    close = did_you_mean(cleaned, _zone_names().values()) if cleaned.isascii() and len(cleaned) < 60 else ""
    hint = "use an IANA name such as Asia/Tokyo, America/Los_Angeles or UTC"
    if not _zone_names():
        hint += " (no time zone database found: install the tzdata package)"
    raise UsageError(f'unknown time zone "{cleaned[:60]}"{close}', hint=hint)
