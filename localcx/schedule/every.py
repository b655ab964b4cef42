"""SCHEDULE: the recurrence after ``--every``, parsed once into a value both areas store.

``str(schedule)`` is a canonical text that parses back to an equal Schedule, so posts and
rank keep the text in their tables and re-read it, rather than a second serialisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from croniter import CroniterError, croniter

from localcx.schedule._text import (
    DAY_NAMES,
    SCHEDULE_EXAMPLES,
    check_length,
    days_of_week,
    fold,
    usage,
)

MAX_INTERVAL = 999


class Unit(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Schedule:
    """Every ``interval`` ``unit``s, or on ``weekdays`` (Mon=0), or a 5-field ``cron`` line.

    Exactly one of the three is set. ``count`` (``week x 4``) ends it after that many
    occurrences; an end can also come from ``--until`` when the schedule is expanded.
    """

    unit: Unit | None = None
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    cron: str | None = None
    count: int | None = None

    def __str__(self) -> str:
        if self.cron is not None:
            text = self.cron
        elif self.weekdays:
            text = "weekdays" if self.weekdays == (0, 1, 2, 3, 4) else ",".join(DAY_NAMES[d] for d in self.weekdays)
        elif self.interval == 1:
            text = str(self.unit)
        else:
            text = f"{self.interval} {self.unit}s"
        return text if self.count is None else f"{text} x {self.count}"


_ALIASES = {
    **dict.fromkeys(("hour", "hourly", "毎時"), Unit.HOUR),
    **dict.fromkeys(("day", "daily", "every day", "everyday", "毎日"), Unit.DAY),
    **dict.fromkeys(("week", "weekly", "毎週"), Unit.WEEK),
    **dict.fromkeys(("month", "monthly", "毎月"), Unit.MONTH),
}
_UNIT_WORDS = {
    **dict.fromkeys(("hour", "hours", "h", "時間"), Unit.HOUR),
    **dict.fromkeys(("day", "days", "d", "日"), Unit.DAY),
    **dict.fromkeys(("week", "weeks", "w", "週", "週間"), Unit.WEEK),
    **dict.fromkeys(("month", "months", "か月", "ヶ月", "カ月", "ヵ月", "ケ月"), Unit.MONTH),
}
_INTERVAL = re.compile(r"^(?P<n>[0-9]{1,4})\s*(?P<unit>[a-z]+|時間|日|週間|週|[かヶカヵケ]月)(?:ごと|毎|おきに?)?$")
_COUNT = re.compile(r"^(?P<body>.+?)\s*,?\s*(?:x\s*(?P<x>[0-9]{1,4})|(?P<t>[0-9]{1,4})\s*(?:times|回))$")
_CRON_FIELD = re.compile(r"^[0-9*/,-]+$")
_CRON_NAMED = re.compile(r"^(?:[0-9*/,-]|[a-z]{3})+$")  # month and day-of-week fields take jan, mon
_WEEKDAYS = {"weekday": (0, 1, 2, 3, 4), "weekdays": (0, 1, 2, 3, 4), "平日": (0, 1, 2, 3, 4),
             "weekend": (5, 6), "weekends": (5, 6), "週末": (5, 6), "土日": (5, 6)}  # fmt: skip


def parse_schedule(text: str) -> Schedule:
    """Read SCHEDULE (see ``HELP``); any bad text is a UsageError naming it, with examples."""
    check_length("SCHEDULE", text, SCHEDULE_EXAMPLES)
    folded = fold(text).strip("\"'` ")
    count = None
    counted = _COUNT.match(folded)
    if counted and not _is_cron(folded):
        folded, count = counted["body"].rstrip(", "), int(counted["x"] or counted["t"])
        if not 1 <= count <= MAX_INTERVAL:
            raise usage("SCHEDULE", text, f"count must be 1-{MAX_INTERVAL}", "week x 4, day x 30")
    schedule = _body(folded, text)
    return Schedule(schedule.unit, schedule.interval, schedule.weekdays, schedule.cron, count)


def _body(folded: str, text: str) -> Schedule:
    folded = folded.strip("\"'` ")
    if folded.startswith("cron "):
        folded = folded[5:].strip("\"'` ")
    if _is_cron(folded):
        return Schedule(cron=_cron(folded, text))
    if folded.startswith("every "):
        folded = folded[6:].strip()
    if folded in _ALIASES:
        return Schedule(unit=_ALIASES[folded])
    if folded in _WEEKDAYS:
        return Schedule(weekdays=_WEEKDAYS[folded])
    interval = _INTERVAL.match(folded)
    if interval:
        return _every(int(interval["n"]), interval["unit"], text)
    if folded.startswith("毎週"):
        folded = folded[2:].strip()
    named = days_of_week(folded) if folded else None
    if named is not None:
        days, rest = named
        if rest:
            raise usage("SCHEDULE", text, f'"{rest}" after the days is not understood (give the time in --at)', "mon,thu, 月・木, weekdays")
        return Schedule(weekdays=tuple(sorted(days)))
    if re.search(r"min|分", folded):
        raise usage("SCHEDULE", text, "the smallest step is 1 hour", "hour, 6 hours, day")
    raise usage("SCHEDULE", text, "not a schedule", SCHEDULE_EXAMPLES)


def _every(count: int, word: str, text: str) -> Schedule:
    unit = _UNIT_WORDS.get(word)
    if unit is None and (word.startswith("min") or word in ("m", "分")):
        raise usage("SCHEDULE", text, "the smallest step is 1 hour", "hour, 6 hours, day")
    if unit is None:
        raise usage("SCHEDULE", text, f'unknown unit "{word}"', "2 days, 2 weeks, 6 hours")
    if not 1 <= count <= MAX_INTERVAL:
        raise usage("SCHEDULE", text, f"the number must be 1-{MAX_INTERVAL}", "2 days, 2 weeks, month")
    return Schedule(unit=unit, interval=count)


def _is_cron(folded: str) -> bool:
    fields = folded.strip("\"'` ").removeprefix("cron ").split()
    return len(fields) == 5 and all(_CRON_NAMED.match(f) for f in fields) and any(
        c.isdigit() or c == "*" for c in fields[0] + fields[1]
    )


def _cron(folded: str, text: str) -> str:
    """Five fields only, without croniter's extensions (L, #, ?, H): they are not portable."""
    fields = folded.split()
    if not all(_CRON_FIELD.match(f) for f in fields[:3]):
        raise usage("SCHEDULE", text, "minute, hour and day-of-month take numbers, *, / and -", '"0 9 * * 1", "30 8 1 * *"')
    line = " ".join(fields)
    try:  # croniter checks ranges lazily; ask it once for a next date to surface errors now
        croniter(line, datetime(2000, 1, 1)).get_next(datetime)
    except (CroniterError, ValueError, KeyError, IndexError, TypeError, OverflowError):
        raise usage("SCHEDULE", text, "not a valid cron expression (minute hour day month weekday)", '"0 9 * * 1", "0 9 1 * *", "*/30 9-17 * * mon-fri"') from None
    return line
