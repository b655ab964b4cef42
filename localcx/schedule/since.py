"""`--since`/`--until` of the reporting commands: a day, a moment, or a span back from now.

Unlike WHEN (where a bare date means 09:00, the start of a working day), a bare date here
means the start of that day, and `30d`, `12w`, `6m`, `1y` count back from now, which is
what "the last 30 days" means to a person reading a report.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from localcx.errors import UsageError

_SPAN = re.compile(r"^\s*(\d{1,4})\s*(d|days?|w|weeks?|m|months?|y|years?)\s*(ago)?\s*$", re.IGNORECASE)
SINCE_EXAMPLES = "2026-06-01, 2026-06-01T12:00+09:00, 30d, 12w, 6m, 1y"


def parse_since(text: str, *, zone: ZoneInfo, now: datetime) -> datetime:
    """An aware moment; raises UsageError with examples for anything else."""
    span = _SPAN.match(text)
    if span:
        n, unit = int(span.group(1)), span.group(2).lower()[0]
        delta = {"d": relativedelta(days=n), "w": relativedelta(weeks=n),
                 "m": relativedelta(months=n), "y": relativedelta(years=n)}[unit]
        return now - delta
    cleaned = text.strip().replace("/", "-")
    try:
        if len(cleaned) == 10:
            return datetime.combine(date.fromisoformat(cleaned), time(), tzinfo=zone)
        moment = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"not a date or a span: {text!r}", hint=f"e.g. {SINCE_EXAMPLES}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)
