"""What every report section is handed and hands back.

A section is a module with `collect(db, selection, period) -> data | None` and
`render(data, labels) -> str`. `collect` returning None means "no data for this period":
the report then says so in words instead of drawing an empty chart, so a section whose
table is not filled yet (or not even created) never breaks the report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """Whole days, `since` and `until` both included (the reader's calendar, not instants)."""

    since: date
    until: date

    @property
    def start(self) -> str:
        """The first instant, as stored timestamps compare (UTC ISO-8601)."""
        return f"{self.since.isoformat()}T00:00:00"

    @property
    def end(self) -> str:
        """The first instant after the period: `< end` keeps the last day whole."""
        return f"{(self.until + timedelta(days=1)).isoformat()}T00:00:00"

    def months(self) -> list[str]:
        """Every calendar month the period touches, `YYYY-MM`, oldest first."""
        out, year, month = [], self.since.year, self.since.month
        while (year, month) <= (self.until.year, self.until.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def previous(self) -> Period:
        """The period of the same length just before, for "change vs previous period"."""
        length = self.until - self.since
        until = self.since - timedelta(days=1)
        return Period(until - length, until)


@dataclass(frozen=True)
class Selection:
    """The stores a report covers. `location_ids` None means every store (no filter), so
    a report over all 500 stores never sends 500 ids to SQLite."""

    keys: tuple[str, ...]
    location_ids: tuple[str, ...] | None
    names: dict[str, str]  # location id → store key, for the rows sections print

    def has(self, location_id: str) -> bool:
        return self.location_ids is None or location_id in set(self.location_ids)


def where_location(selection: Selection, column: str = "location_id") -> tuple[str, list[str]]:
    """`and location_id in (…)` and its one parameter (the ids as a JSON list, so a
    selection of thousands of stores is still one bound value), or nothing when every
    store is in."""
    if selection.location_ids is None:
        return "", []
    ids: Sequence[str] = selection.location_ids
    return f" and {column} in (select value from json_each(?))", [json.dumps(list(ids))]
