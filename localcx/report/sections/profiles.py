"""Profile changes and drift: the profile runs of the period (what was applied, how many
stores succeeded or failed) and the drift still open, where Google shows something other
than what was set. Both read through their owners (the run journal, `profiles/drift.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from localcx.clock import Clock
from localcx.profiles import drift
from localcx.profiles.journal import AREA
from localcx.report.html import absent, esc, table
from localcx.report.labels import Labels
from localcx.report.model import Period, Selection
from localcx.runs.journal import Journal

KEY = "profiles"
FILL_COMMAND = "localcx profiles apply FILE"
MAX_ROWS = 50


@dataclass
class ProfilesData:
    runs: list[dict[str, Any]]
    drift: list[dict[str, Any]]


def collect(db: sqlite_utils.Database, selection: Selection, period: Period) -> ProfilesData | None:
    runs = [
        r for r in Journal(db, Clock(), AREA).runs()
        if period.start <= (r["started_at"] or "") < period.end
    ]
    events = [e for e in drift.open_events(db) if selection.has(e["location_id"])]
    if not runs and not events:
        return None
    return ProfilesData(runs, events)


def render(data: ProfilesData | None, labels: Labels) -> str:
    if data is None:
        return absent(labels, FILL_COMMAND)
    parts = [f'<h3>{esc(labels["runs"])} (<span data-count="runs">{labels.count(len(data.runs))}</span>)</h3>']
    if data.runs:
        parts.append(table(
            [labels["run"], labels["kind"], labels["started"], labels["done"], labels["failed"]],
            [(r["id"], r["kind"], labels.day(r["started_at"]), labels.count(r["done"]), labels.count(r["failed"]))
             for r in data.runs[:MAX_ROWS]],
            numeric=(3, 4), css="profile-runs",
        ))
    parts.append(f'<h3>{esc(labels["open_drift"])} (<span data-count="drift">{labels.count(len(data.drift))}</span>)</h3>')
    if not data.drift:
        parts.append(f'<p class="ok">{esc(labels["no_drift"])}</p>')
        return "".join(parts)
    parts.append(table(
        [labels["store"], labels["field"], labels["ours"], labels["google"], labels["detected"]],
        [(e["store_code"], e["field"], e["ours"], e["google"], labels.day(e["detected_at"])) for e in data.drift[:MAX_ROWS]],
        css="drift",
    ))
    if len(data.drift) > MAX_ROWS:
        parts.append(f'<p class="more">{esc(labels.get("more", n=labels.count(len(data.drift) - MAX_ROWS)))}</p>')
    return "".join(parts)
