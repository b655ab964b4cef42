"""`report build`: collect every section, then write one self-contained HTML document.

Each data section collects independently (a missing table or an empty period gives None,
and that section says so); the summary KPIs are drawn from what they collected, and the
store summary from the status board, so one figure never disagrees with another.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import ModuleType
from typing import Any

import sqlite_utils

from localcx.errors import UsageError
from localcx.report import html, status
from localcx.report.html import esc
from localcx.report.labels import LANGUAGES, Labels
from localcx.report.model import Period, Selection
from localcx.report.sections import (
    aspects,
    insights,
    posts,
    profiles,
    rank,
    reviews,
    stores,
    summary,
    unreplied,
)

# The data sections in the order they print, between the summary and the store summary.
SECTIONS: Sequence[ModuleType] = (reviews, aspects, unreplied, rank, insights, profiles, posts)
TITLES = {
    "summary": "summary", "reviews": "reviews", "aspects": "aspects", "unreplied": "unreplied", "rank": "rank",
    "insights": "insights", "profiles": "profiles", "posts": "posts", "stores": "store_summary",
}
DEFAULT_MONTHS = 12


def default_period(today: date, since: date | None = None, until: date | None = None) -> Period:
    """Without dates: the last twelve calendar months up to today (the current one
    included). A `since` after `until` is a usage error, not an empty report."""
    end = until or today
    if since is None:
        year, month = end.year, end.month - (DEFAULT_MONTHS - 1)
        while month < 1:
            year, month = year - 1, month + 12
        since = date(year, month, 1)
    if since > end:
        raise UsageError(f"--since {since} is after --until {end}", hint="give the earlier date to --since")
    return Period(since, end)


def collect(db: sqlite_utils.Database, selection: Selection, period: Period) -> dict[str, Any]:
    """Every data section's collected data by key (None: absent)."""
    return {section.KEY: section.collect(db, selection, period) for section in SECTIONS}


def _header(labels: Labels, selection: Selection, period: Period, store_text: str, now: datetime) -> str:
    contents = "".join(
        f'<a href="#{key}">{esc(labels[TITLES[key]])}</a>' + (" · " if i < len(TITLES) - 1 else "")
        for i, key in enumerate(TITLES)
    )
    return (
        f'<header class="cover"><h1>{esc(labels["title"])}</h1>'
        f'<p class="meta">{esc(labels["period"])}: <span data-period>{esc(labels.day(period.since))} – {esc(labels.day(period.until))}</span>'
        f' · {esc(labels["stores"])}: {esc(store_text)} ({labels.count(len(selection.keys))})'
        f' · {esc(labels["generated"])}: {esc(labels.day(now.date()))} {now:%H:%M} UTC</p>'
        f'<nav class="meta" aria-label="{esc(labels["toc"])}">{contents}</nav></header>'
    )


def build_report(
    db: sqlite_utils.Database, selection: Selection, period: Period, *, lang: str, now: datetime, store_text: str = "all",
) -> str:
    """The whole HTML document for these stores and this period, in `lang` (en or ja)."""
    if lang not in LANGUAGES:
        raise UsageError(f"no report language {lang!r}", hint=f"use --lang {' or --lang '.join(LANGUAGES)}")
    labels = Labels(lang)
    collected = collect(db, selection, period)
    board = status.board(db, selection, now)
    body = [html.section(summary.KEY, labels["summary"], summary.render(collected, labels, len(selection.keys)), first=True)]
    for section in SECTIONS:
        body.append(html.section(section.KEY, labels[TITLES[section.KEY]], section.render(collected[section.KEY], labels)))
    body.append(html.section(stores.KEY, labels["store_summary"], stores.render(board, labels)))
    return html.page(lang, labels["title"], _header(labels, selection, period, store_text, now), "".join(body))


def period_from(today: date, since: str | None, until: str | None) -> Period:
    """--since / --until as YYYY-MM-DD (a bad date names the option)."""
    def parse(text: str | None, name: str) -> date | None:
        if text is None:
            return None
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise UsageError(f"{name} {text!r} is not a date", hint="write it as YYYY-MM-DD, e.g. 2026-01-01") from None

    return default_period(today, parse(since, "--since"), parse(until, "--until"))


__all__ = ["Period", "build_report", "collect", "default_period", "period_from"]
