"""Which days and months a store's sync asks for: pure date arithmetic, tested on its own.

Daily metrics: the first sync reaches back as far as one request may (18 months, never
before 2021-01-01); later syncs start `OVERLAP_DAYS` before the last day stored, because
Google fills in the last few days late, and end yesterday in the store's zone (today has no
data yet). A range longer than one request allows (`--since` far back) is cut into chunks.

Search keywords: monthly figures for complete months only (the current month is empty).
The first sync takes the twelve Google keeps; later syncs take the months since the last
one stored, and that last month again, as it may have been fetched before it was final.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

EARLIEST = date(2021, 1, 1)  # Google's daily metrics start here (third-party docs)
MAX_MONTHS = 18  # the longest range one request may span
OVERLAP_DAYS = 3  # days before the last stored day that are fetched again, for late data
KEYWORD_MONTHS = 12  # complete months of keyword figures Google keeps


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def daily_window(yesterday: date, daily_through: date | None, since: date | None) -> tuple[date, date] | None:
    """(first, last) day to fetch, or None when there is nothing new to ask for."""
    if since is not None:
        start = since
    elif daily_through is not None:
        start = daily_through - timedelta(days=OVERLAP_DAYS)
    else:
        start = add_months(yesterday, -MAX_MONTHS) + timedelta(days=1)
    start = max(start, EARLIEST)
    if start > yesterday:
        return None
    return start, yesterday


def chunks(start: date, end: date) -> list[tuple[date, date]]:
    """`start`..`end` cut into ranges one request may span (under 18 months each)."""
    out = []
    while start <= end:
        # Up to the day before the same day 18 months on; when that month is too short for
        # it (31 May → November), its last day is still inside the limit.
        limit = add_months(start, MAX_MONTHS)
        last = min(end, limit - timedelta(days=1) if limit.day == start.day else limit)
        out.append((start, last))
        start = last + timedelta(days=1)
    return out


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def keyword_months(today: date, keywords_through: str | None, since: date | None) -> list[date]:
    """First days of the complete months to fetch, oldest first."""
    this_month = today.replace(day=1)
    complete = [add_months(this_month, -back) for back in range(KEYWORD_MONTHS, 0, -1)]
    if since is not None:
        return [m for m in complete if month_key(m) >= month_key(since)]
    if keywords_through is not None:
        return [m for m in complete if month_key(m) >= keywords_through]
    return complete
