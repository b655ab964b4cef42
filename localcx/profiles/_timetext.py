"""Pieces shared by regular and special hours: text normalisation, times, Google TimeOfDay.

Times are held as minutes after midnight (0..1440, where 1440 is the end-of-day 24:00).
A range is ``(open, close)``; ``close <= open`` can only mean the range runs past midnight
and closes on the next day ("overnight"), so callers never carry a separate flag.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

DAY_MINUTES = 1440

Range = tuple[int, int]


class HoursError(ValueError):
    """A regular- or special-hours text (or a Google hours object) that can't be used.

    The message starts with the offending piece in double quotes, so a caller can put it
    after ``file:line:column:`` and the user sees exactly what to fix.
    """


# Characters people type for "from … to": hyphen, en/em dash, minus, wave dash, tildes.
_DASHES = str.maketrans(
    {c: "-" for c in "〜～~–—−‐‑‒―"} | {"、": ",", "，": ",", "・": ",", "；": ";", "　": " "}
)

CLOSED_WORDS = frozenset(
    {"closed", "close", "x", "×", "✕", "off", "定休日", "定休", "休み", "休業", "休業日", "休"}
)
ALL_DAY_WORDS = frozenset(
    {"24h", "24 h", "24hrs", "24 hours", "open 24 hours", "open 24h", "24時間", "24時間営業"}
)


def normalise(text: str) -> str:
    """Fold full-width digits/colons (NFKC), the many dash and comma forms, and spacing."""
    folded = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return re.sub(r"\s+", " ", folded).strip()


def split_segments(text: str) -> list[str]:
    """Split on ``;`` (ASCII or full-width) and newlines, dropping empty pieces."""
    return [piece.strip() for piece in re.split(r"[;；\r\n]+", text) if piece.strip()]


_TIME = re.compile(
    r"^(?:(?P<hhmm>\d{4})|(?P<h>\d{1,2})(?:(?::|時)(?P<m>\d{1,2})分?|時)?)"
    r"\s*(?P<ap>[ap]\.?\s?m\.?)?$"
)


def parse_time(token: str, piece: str, *, is_close: bool) -> int:
    """Parse ``09:00``, ``9:00``, ``9``, ``0900``, ``9時30分``, ``9:00AM`` into minutes."""
    match = _TIME.match(token.strip().lower())
    if match is None:
        raise HoursError(f'"{piece}": "{token.strip()}" is not a time (use HH:MM)')
    if match["hhmm"]:
        hours, minutes = int(match["hhmm"][:2]), int(match["hhmm"][2:])
    else:
        hours, minutes = int(match["h"]), int(match["m"] or 0)
    if match["ap"]:
        if not 1 <= hours <= 12:
            raise HoursError(f'"{piece}": hour must be 1-12 with AM/PM')
        hours = hours % 12 + (12 if match["ap"].startswith("p") else 0)
    if hours > 24:
        raise HoursError(f'"{piece}": hour must be 0-24')
    if minutes > 59:
        raise HoursError(f'"{piece}": minute must be 0-59')
    if hours == 24 and minutes:
        raise HoursError(f'"{piece}": 24:00 is the latest time')
    if hours == 24 and not is_close:
        raise HoursError(f'"{piece}": 24:00 is only allowed as a close time')
    return hours * 60 + minutes


def parse_ranges(body: str, piece: str) -> list[Range] | None:
    """Parse the time part of a segment: ``None`` for closed, else a list of ranges.

    ``body`` is already normalised. Close 00:00 after a later open means "until midnight"
    and becomes 24:00, so ``22:00-00:00`` and ``22:00-24:00`` are the same text.
    """
    lowered = body.strip().lower()
    if lowered in CLOSED_WORDS:
        return None
    if lowered in ALL_DAY_WORDS:
        return [(0, DAY_MINUTES)]
    if not lowered:
        raise HoursError(f'"{piece}": missing hours (write closed for a closed day)')
    ranges: list[Range] = []
    for part in lowered.split(","):
        part = part.strip()
        if not part:
            continue
        ends = part.split("-")
        if len(ends) != 2 or not ends[0].strip() or not ends[1].strip():
            raise HoursError(f'"{piece}": "{part}" is not a range (use HH:MM-HH:MM)')
        opening = parse_time(ends[0], piece, is_close=False)
        closing = parse_time(ends[1], piece, is_close=True)
        if closing == opening:
            hint = " (use 00:00-24:00 for open 24 hours)" if opening == 0 else ""
            raise HoursError(f'"{piece}": open and close are the same time{hint}')
        if 0 < closing < opening and (_bare_hour(ends[0]) or _bare_hour(ends[1])):
            raise HoursError(_ambiguous(piece, part, opening, closing))
        if closing == 0:
            closing = DAY_MINUTES
        ranges.append((opening, closing))
    if not ranges:
        raise HoursError(f'"{piece}": missing hours (write closed for a closed day)')
    return sorted(ranges)


def _bare_hour(token: str) -> bool:
    """``9`` or ``9時``: an hour with no minutes and no AM/PM, so 12-hour clock is possible."""
    match = _TIME.match(token.strip().lower())
    return bool(match and match["h"] and match["m"] is None and not match["ap"])


def _ambiguous(piece: str, part: str, opening: int, closing: int) -> str:
    """``9-5`` reads as 09:00-05:00 overnight but almost always means 09:00-17:00.

    Planning it silently would publish a 20-hour day, so the user must say which.
    """
    overnight = f"{format_time(opening)}-{format_time(closing)}"
    afternoon = closing + DAY_MINUTES // 2
    if opening < afternoon <= DAY_MINUTES:
        choice = f"write {format_time(opening)}-{format_time(afternoon)}, or {overnight}"
    else:
        choice = f"write {overnight}"
    return (
        f'"{piece}": "{part}" closes before it opens; {choice} if it is open overnight'
        " (times with minutes are read as a 24-hour clock)"
    )


def range_end(rng: Range) -> int:
    """Minutes after the open day's midnight at which the range closes."""
    opening, closing = rng
    return closing if closing > opening else closing + DAY_MINUTES


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_ranges(ranges: list[Range]) -> str:
    return ", ".join(f"{format_time(o)}-{format_time(c)}" for o, c in ranges)


def check_overlaps(intervals: list[tuple[int, int, str]], period: int | None) -> None:
    """Raise if any two absolute ``(start, end, label)`` intervals overlap.

    ``period`` is the length of a repeating cycle (a week for regular hours), so a
    Sunday-night range that runs into Monday is checked against Monday's ranges.
    """
    items = sorted(intervals)
    if period is not None:
        items += [(s + period, e + period, label) for s, e, label in items]
    for (_s1, e1, l1), (s2, _e2, l2) in itertools.pairwise(items):
        if s2 < e1:
            raise HoursError(f'"{l2}" overlaps "{l1}"' if l1 != l2 else f'"{l1}": ranges overlap')


def merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge intervals that overlap (not those that merely touch), sorted by start."""
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def place_interval(start: int, end: int) -> list[tuple[int, Range]]:
    """Absolute minutes ``[start, end)`` → ``(day number, range)`` pieces text can hold.

    Under 24 h stays one range (overnight if it crosses midnight); longer spans are cut
    at each midnight, so the pieces never overlap and always parse back unchanged.
    """
    day, opening = divmod(start, DAY_MINUTES)
    span = end - start
    if opening + span <= DAY_MINUTES:
        return [(day, (opening, opening + span))]
    if span < DAY_MINUTES:
        return [(day, (opening, opening + span - DAY_MINUTES))]
    pieces = []
    cursor = start
    while cursor < end:
        day, opening = divmod(cursor, DAY_MINUTES)
        closing = min(DAY_MINUTES, opening + end - cursor)
        pieces.append((day, (opening, closing)))
        cursor += closing - opening
    return pieces


def time_from_google(value: Any, where: str) -> int:
    """TimeOfDay (``{}``, ``{"hours": 9}``, ``{"hours": 24}``) or ``"09:00"`` → minutes."""
    if value is None:
        return 0
    if isinstance(value, str):
        return parse_time(value, where, is_close=True)
    if not isinstance(value, Mapping):
        raise HoursError(f'"{where}": {value!r} is not a time of day')
    try:
        hours = int(value.get("hours", 0) or 0)
        minutes = int(value.get("minutes", 0) or 0)
    except (TypeError, ValueError):
        raise HoursError(f'"{where}": {dict(value)!r} is not a time of day') from None
    if not 0 <= hours <= 24 or not 0 <= minutes <= 59 or (hours == 24 and minutes):
        raise HoursError(f'"{where}": {dict(value)!r} is outside 00:00-24:00')
    return hours * 60 + minutes


def time_to_google(minutes: int) -> dict[str, int]:
    """Minutes → TimeOfDay the way Google serialises it: zero fields omitted."""
    out: dict[str, int] = {}
    if minutes // 60:
        out["hours"] = minutes // 60
    if minutes % 60:
        out["minutes"] = minutes % 60
    return out
