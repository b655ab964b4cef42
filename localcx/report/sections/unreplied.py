"""Unreplied negative reviews: every 1–2★ review still without an owner reply, oldest
first, whenever it was written (a complaint from last year still waits). Read through
`report/sources.py` (table `reviews`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from localcx.report import sources
from localcx.report.html import absent, esc, table
from localcx.report.labels import Labels
from localcx.report.model import Period, Selection

KEY = "unreplied"
FILL_COMMAND = "localcx reviews sync"
MAX_ROWS = 30
QUOTE_CHARS = 200


@dataclass
class UnrepliedData:
    total: int
    reviews: list[dict[str, Any]]
    synced: bool  # reviews exist at all (else the section is absent, not "all replied")


def collect(db: sqlite_utils.Database, selection: Selection, period: Period) -> UnrepliedData | None:
    if not sources.review_months(db, selection, period):  # no review in the period
        return None
    total = sources.unreplied_negative_count(db, selection)
    return UnrepliedData(total, sources.unreplied_negative_reviews(db, selection, MAX_ROWS), True)


def _quote(text: str | None) -> str:
    text = (text or "").strip()
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def render(data: UnrepliedData | None, labels: Labels) -> str:
    if data is None:
        return absent(labels, FILL_COMMAND)
    head = f'<p><span class="{"bad" if data.total else "ok"}" data-count="unreplied">{labels.count(data.total)}</span> {esc(labels["unreplied_negative"])}</p>'
    if not data.reviews:
        return head
    rows = [(r["store_code"], "★" * int(r["stars"]), labels.day(r["created_at"]), r["reviewer"] or "", _quote(r["text"]))
            for r in data.reviews]
    more = data.total - len(data.reviews)
    tail = f'<p class="more">{esc(labels.get("more", n=labels.count(more)))}</p>' if more > 0 else ""
    return head + table([labels["store"], labels["stars"], labels["date"], "", labels["review"]], rows, css="unreplied") + tail
