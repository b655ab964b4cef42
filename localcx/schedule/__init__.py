"""One schedule grammar and the due queue, shared by posts and rank.

- ``parse_when(text, zone=, now=)`` reads a moment (``--at``, ``--until``, ``--now``);
- ``parse_schedule(text)`` reads a recurrence (``--every``) into a ``Schedule``;
- ``expand(start, schedule, zone, until=)`` lists a bounded recurrence (one row each);
- ``next_occurrence(start, schedule, zone, after=)`` keeps an endless one going;
- ``due(items, now)`` picks what a ``run-due`` should do now;
- ``parse_since(text, zone=, now=)`` reads a report's ``--since``/``--until`` (a day, or ``30d``);
- ``zone_named(name)`` turns ``--tz`` or a settings value into a zone.

Everything takes ``now`` and ``zone`` as arguments and returns aware UTC datetimes; every
bad text raises ``localcx.errors.UsageError`` with examples in its hint.
"""

from __future__ import annotations

from localcx.schedule._text import zone_named
from localcx.schedule.every import Schedule, Unit, parse_schedule
from localcx.schedule.occurrences import MAX_OCCURRENCES, due, expand, next_occurrence, occurrences
from localcx.schedule.since import SINCE_EXAMPLES, parse_since
from localcx.schedule.when import DEFAULT_TIME, parse_when

__all__ = [
    "DEFAULT_TIME",
    "EXAMPLES",
    "HELP",
    "MAX_OCCURRENCES",
    "SINCE_EXAMPLES",
    "Schedule",
    "Unit",
    "due",
    "expand",
    "next_occurrence",
    "occurrences",
    "parse_schedule",
    "parse_since",
    "parse_when",
    "zone_named",
]

WHEN_HELP = """\
WHEN (--at, --until) is a moment, in the store's time zone unless it has an offset:
  2026-12-05 09:00   2026-12-05T09:00+09:00   2026-12-05T00:00Z   2026/12/05 9:00
  2026-12-05         a date alone is 09:00 local
  12/05 18:00        12月5日 18時   (the next 5 December)
  now   today 18:00   tomorrow 9:00   明日 9時
  mon 09:00   next fri   月曜 9:00   (the next one; a day alone is 09:00)
  +30m  +2h  +3d  +1w   in 2 hours   3日後   (days and weeks keep the clock time)
  Full-width digits and colons (９：００) are fine. A time skipped by a DST change is refused.
"""

SCHEDULE_HELP = f"""\
SCHEDULE (--every) repeats from --at, at --at's time of day, in the store's time zone:
  day   3 days   week   2 weeks   month   6 hours   (毎日  3日ごと  毎週  毎月  6時間ごと)
  weekdays (Mon-Fri)   weekends   mon,thu   mon-fri   月・木   月曜,木曜   毎週月
  "0 9 * * 1"        a cron line: minute hour day-of-month month day-of-week
  week x 4   day, 10 times   4回   (a count)
  month: on --at's day; a 31st falls on the last day of shorter months (Feb 28 or 29).
  Clock times stay put across DST changes; hours are real elapsed hours.
  Posts need an end: --until WHEN or a count; at most {MAX_OCCURRENCES} occurrences at once.
"""

HELP = WHEN_HELP + "\n" + SCHEDULE_HELP

EXAMPLES = """\
  --at "2026-12-05 09:00"
  --at tomorrow --every weekdays --until 2026-12-31
  --at "mon 9:00" --every "mon,thu" --until +8w
  --at 2026-12-01 --every month x 6
  --every "0 9 * * 1" --until 2027-03-31 --tz Asia/Tokyo
"""
