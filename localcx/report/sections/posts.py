"""Posts: a calendar of the period's posts per day (published, rejected, queued, failed,
each written as a count with a sign, so colour is not needed), and the posts Google
rejected with their text, so the client sees what was refused and where."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from localcx.posts import queue
from localcx.report import sources
from localcx.report.html import absent, esc, table
from localcx.report.labels import Labels
from localcx.report.model import Period, Selection

KEY = "posts"
FILL_COMMAND = "localcx posts add TEMPLATE --stores SEL --at WHEN"
MAX_MONTHS = 6  # calendars for the most recent months with posts
MAX_REJECTED = 50
REJECTED = "REJECTED"


@dataclass
class PostsData:
    days: dict[str, dict[str, int]]  # YYYY-MM-DD → published / rejected / queued / failed
    rejected: list[dict[str, Any]]

    def total(self, kind: str) -> int:
        return sum(day.get(kind, 0) for day in self.days.values())


def collect(db: sqlite_utils.Database, selection: Selection, period: Period) -> PostsData | None:
    days = {
        row["day"]: {k: int(row[k] or 0) for k in ("published", "rejected", "queued", "failed")}
        for row in sources.post_days(db, selection, period)
    }
    if not days:
        return None
    rejected = [
        {"store_code": p.store_code, "due_at": p.due_at, "summary": p.body.get("summary", ""), "id": p.id}
        for p in queue.published(db, with_state=[REJECTED])
        if selection.has(p.location_id) and period.start <= p.due_at < period.end
    ]
    rejected.sort(key=lambda p: (p["due_at"], p["store_code"]))
    return PostsData(days, rejected)


def _cell(counts: dict[str, int] | None, labels: Labels) -> str:
    if not counts:
        return ""
    marks = (("published", "✓", labels["status_published"]), ("rejected", "✗", labels["status_rejected"]),
             ("queued", "◷", labels["status_queued"]), ("failed", "!", labels["status_failed"]))
    return " ".join(
        f'<span title="{esc(name)}" class="{"bad" if kind in ("rejected", "failed") else ""}">{sign}{counts[kind]}</span>'
        for kind, sign, name in marks if counts.get(kind)
    )


def _month(year: int, month: int, data: PostsData, labels: Labels) -> str:
    weeks = calendar.Calendar(firstweekday=0).monthdayscalendar(year, month)
    names = ("月", "火", "水", "木", "金", "土", "日") if labels.lang == "ja" else ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
    head = "".join(f'<th scope="col">{n}</th>' for n in names)
    rows = []
    for week in weeks:
        cells = []
        for day in week:
            if day == 0:
                cells.append('<td class="out"></td>')
                continue
            counts = data.days.get(date(year, month, day).isoformat())
            cells.append(f'<td><span class="d">{day}</span>{_cell(counts, labels)}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    caption = labels.month(f"{year:04d}-{month:02d}")
    return f'<table class="calendar"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def render(data: PostsData | None, labels: Labels) -> str:
    if data is None:
        return absent(labels, FILL_COMMAND)
    months = sorted({day[:7] for day in data.days})[-MAX_MONTHS:]
    legend = (f'✓ {labels["status_published"]} · ✗ {labels["status_rejected"]} · '
              f'◷ {labels["status_queued"]} · ! {labels["status_failed"]}')
    parts = [
        f'<h3>{esc(labels["calendar"])}</h3><p class="meta">{esc(legend)}</p>',
        '<div class="calendars">' + "".join(_month(int(m[:4]), int(m[5:]), data, labels) for m in months) + "</div>",
        f'<h3>{esc(labels["rejected"])} (<span data-count="rejected">{labels.count(len(data.rejected))}</span>)</h3>',
    ]
    if not data.rejected:
        parts.append(f'<p class="ok">{esc(labels["no_rejected"])}</p>')
        return "".join(parts)
    shown = data.rejected[:MAX_REJECTED]
    parts.append(table(
        [labels["store"], labels["due"], labels["summary_text"]],
        [(p["store_code"], labels.day(p["due_at"]), p["summary"]) for p in shown], css="rejected-posts",
    ))
    if len(data.rejected) > len(shown):
        parts.append(f'<p class="more">{esc(labels.get("more", n=labels.count(len(data.rejected) - len(shown))))}</p>')
    return "".join(parts)
