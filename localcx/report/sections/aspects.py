"""Sentiment by aspect: for the aspects reviews of the period talk about most (service,
taste, price, …), how many mentions were positive, neutral and negative, each aspect named
in the report's language."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from localcx.report import sources, svg
from localcx.report.html import absent, figure, table
from localcx.report.labels import Labels
from localcx.report.model import Period, Selection
from localcx.text.aspects import LABELS as ASPECT_NAMES
from localcx.text.aspects import Aspect

KEY = "aspects"
FILL_COMMAND = "localcx reviews score"


@dataclass
class AspectsData:
    rows: list[tuple[str, int, int, int]]  # (aspect, positive, neutral, negative)


def collect(db: sqlite_utils.Database, selection: Selection, period: Period) -> AspectsData | None:
    rows = [
        (str(r["aspect"]), int(r["positive"] or 0), int(r["neutral"] or 0), int(r["negative"] or 0))
        for r in sources.aspect_sentiment(db, selection, period)
    ]
    return AspectsData(rows) if rows else None


def _name(aspect: str, lang: str) -> str:
    """The aspect as a reader of the report's language calls it."""
    try:
        return ASPECT_NAMES[Aspect(aspect)][lang]
    except (ValueError, KeyError):
        return aspect


def render(data: AspectsData | None, labels: Labels) -> str:
    if data is None:
        return absent(labels, FILL_COMMAND)
    names = [labels["positive"], labels["neutral"], labels["negative"]]
    rows = [(_name(a, labels.lang), p, n, g) for a, p, n, g in data.rows]
    chart = svg.hbar_stacked([(a, (p, n, g)) for a, p, n, g in rows], names,
                             title=labels["chart_aspects"], x_title=labels["mentions"])
    return figure(labels["chart_aspects"], chart) + table(
        [labels["aspect"], *names],
        [(a, labels.count(p), labels.count(n), labels.count(g)) for a, p, n, g in rows],
        numeric=(1, 2, 3), css="aspects",
    )
