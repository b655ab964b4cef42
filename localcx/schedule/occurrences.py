"""Occurrences of a Schedule and the due queue: pure functions over aware datetimes.

No SQL and no clock here: posts and rank each own their tables and pass rows and ``now``
in. Wall-clock steps (days, weeks, months, days of the week, cron) are computed in the
store's zone and converted to UTC one by one, so 09:00 stays 09:00 local across a DST
change; hours are real elapsed time, so "6 hours" is always 6 hours apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from croniter import croniter
from dateutil.relativedelta import relativedelta

from localcx.errors import UsageError
from localcx.schedule.every import Schedule, Unit

# A year of daily posts. More is a runaway loop or a typo in --until, not a campaign.
MAX_OCCURRENCES = 366

T = TypeVar("T")


def _aware(value: datetime, name: str) -> None:
    if value.tzinfo is None:
        raise ValueError(f"{name} must be an aware datetime")


def _utc(wall: datetime, zone: ZoneInfo) -> datetime:
    """Wall time in ``zone`` -> UTC: a repeated time is the first; a skipped one moves on."""
    return wall.replace(tzinfo=zone).astimezone(UTC)


def _walls(local: datetime, schedule: Schedule) -> Iterator[datetime]:
    """Naive local wall times from ``local`` on, for every wall-clock kind of schedule."""
    if schedule.cron is not None:
        it = croniter(schedule.cron, local - timedelta(seconds=1))
        while True:
            yield it.get_next(datetime)
    elif schedule.weekdays:
        day = local
        while True:
            if day.weekday() in schedule.weekdays:
                yield day
            day += timedelta(days=1)
    elif schedule.unit is Unit.MONTH:
        # Always counted from the start, so the 31st -> Feb 28 -> Mar 31, never drifting.
        for i in range(10**6):
            yield local + relativedelta(months=i * schedule.interval)
    else:
        step = timedelta(days=schedule.interval * (7 if schedule.unit is Unit.WEEK else 1))
        for i in range(10**6):
            yield local + i * step


def occurrences(start: datetime, schedule: Schedule, zone: ZoneInfo) -> Iterator[datetime]:
    """Every occurrence at or after ``start``, as aware UTC, strictly increasing.

    Endless unless the schedule has a count; use ``expand`` to get a bounded list, or
    ``next_occurrence`` for a schedule kept open (a weekly rank scan with no end).
    """
    _aware(start, "start")
    start = start.astimezone(UTC)
    if schedule.unit is Unit.HOUR:
        moments: Iterator[datetime] = (
            start + timedelta(hours=i * schedule.interval) for i in range(10**6)
        )
    else:
        local = start.astimezone(zone).replace(tzinfo=None)
        moments = (_utc(wall, zone) for wall in _walls(local, schedule))
    last: datetime | None = None
    emitted = 0
    try:
        for moment in moments:
            # The hour skipped in spring maps onto the next; never yield one twice or backwards.
            if moment < start or (last is not None and moment <= last):
                continue
            if schedule.count is not None and emitted >= schedule.count:
                return
            yield moment
            last, emitted = moment, emitted + 1
    except OverflowError:  # past year 9999: nothing more to give
        return


def expand(
    start: datetime,
    schedule: Schedule | None,
    zone: ZoneInfo,
    *,
    until: datetime | None = None,
    limit: int = MAX_OCCURRENCES,
) -> list[datetime]:
    """The occurrences from ``start`` to ``until`` (inclusive) or the schedule's count.

    Posts are stored one row per occurrence, so a recurrence must end: no ``until`` and
    no count is a UsageError, and so is one that would make more than ``limit`` rows.
    Without a schedule the answer is ``[start]``.
    """
    _aware(start, "start")
    if schedule is None:
        return [start.astimezone(UTC)]
    if until is None and schedule.count is None:
        raise UsageError(
            f'the schedule "{schedule}" has no end',
            hint=f'add --until (e.g. --until 2027-03-31) or a count ("{schedule} x 8")',
        )
    if schedule.count is not None and schedule.count > limit:
        raise UsageError(
            f'"{schedule}" asks for {schedule.count} occurrences; at most {limit} are made at once',
            hint=f"use a count up to {limit}, or --until",
        )
    if until is not None:
        _aware(until, "until")
        if until < start:
            raise UsageError(
                f"--until {until:%Y-%m-%d %H:%M} UTC is before the start {start.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
                hint="give an --until after --at, e.g. --at 2026-12-01 --until 2027-03-31",
            )
    found: list[datetime] = []
    for moment in occurrences(start, schedule, zone):
        if until is not None and moment > until:
            break
        if len(found) == limit:
            raise UsageError(
                f'"{schedule}" makes more than {limit} occurrences',
                hint=f'end it sooner with --until or a count ("{schedule} x 52"), or take a longer step',
            )
        found.append(moment)
    if not found:
        raise UsageError(
            f'"{schedule}" has no occurrence between the start and --until',
            hint="move --until later, or check the days in the schedule",
        )
    return found


def next_occurrence(
    start: datetime, schedule: Schedule, zone: ZoneInfo, *, after: datetime
) -> datetime | None:
    """The first occurrence strictly after ``after``: how an endless schedule is kept.

    A caller stores start and schedule, and after each run asks for the next one. ``None``
    when a counted schedule is used up. Long-running schedules skip ahead rather than walk
    every past occurrence.
    """
    _aware(after, "after")
    if schedule.count is None:
        start = _skip_ahead(start, schedule, zone, after)
    for moment in occurrences(start, schedule, zone):
        if moment > after:
            return moment
    return None


def _skip_ahead(start: datetime, schedule: Schedule, zone: ZoneInfo, after: datetime) -> datetime:
    """A later start on the same grid, at or before ``after`` (endless schedules only)."""
    if after <= start:
        return start
    if schedule.unit is Unit.HOUR:
        step = timedelta(hours=schedule.interval)
        return start + ((after - start) // step) * step
    if schedule.unit is Unit.MONTH:
        return start  # at most 12 a year to walk, and a month-end anchor must stay the anchor
    local = start.astimezone(zone).replace(tzinfo=None)
    days = (after.astimezone(zone).date() - local.date()).days - 1
    period = 1  # days of the week and cron lines only need the time of day kept
    if schedule.unit is not None:
        period = schedule.interval * (7 if schedule.unit is Unit.WEEK else 1)
    return _utc(local + timedelta(days=max(0, days // period) * period), zone)


def due(items: Iterable[T], now: datetime, *, key: Callable[[T], datetime] | None = None) -> list[T]:
    """The items whose moment is at or before ``now``, oldest first.

    Storage-agnostic: pass datetimes, or rows with ``key`` picking their moment.
    """
    _aware(now, "now")
    if key is None:
        moments = [item for item in items if isinstance(item, datetime) and item <= now]
        return sorted(moments)  # type: ignore[return-value]
    return sorted((item for item in items if key(item) <= now), key=key)
