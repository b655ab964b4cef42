"""Map rank: a heatmap of the latest scan of each keyword (store marked), a table of their
ARP, ATRP and SoLV, and the trend of the average ARP and SoLV across the period's scans.

The figures are those of `localcx/rank/metrics.py` (ARP over points where the store was
found, ATRP charging a miss as depth + 1, SoLV the share of points in the top three),
computed from per-scan counts SQLite sums, so 500 stores × 18 months of scans stay fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from localcx.report import sources, svg
from localcx.report.html import absent, esc, figure, table
from localcx.report.labels import Labels
from localcx.report.model import Period, Selection

KEY = "rank"
FILL_COMMAND = "localcx rank scan"
MAX_HEATMAPS = 24  # beyond this a report is a catalogue; the table still lists every keyword


@dataclass
class ScanFigures:
    id: str
    keyword_id: str
    store_code: str
    keyword: str
    grid: int
    depth: int
    started_at: str
    answered: int
    found: int
    arp: float | None
    atrp: float | None
    solv: float | None


@dataclass
class RankData:
    latest: list[ScanFigures]  # the latest scan of each keyword, by store then keyword
    trend: list[tuple[str, float | None, float | None]]  # (day, mean ARP, mean SoLV)
    positions: dict[str, dict[int, int | None]] = field(default_factory=dict)  # scan id → index → position
    scans: int = 0

    @property
    def mean_arp(self) -> float | None:
        values = [s.arp for s in self.latest if s.arp is not None]
        return sum(values) / len(values) if values else None

    @property
    def mean_solv(self) -> float | None:
        values = [s.solv for s in self.latest if s.solv is not None]
        return sum(values) / len(values) if values else None


def figures(row: dict[str, Any]) -> ScanFigures:
    """One scan's metrics from its counts (the formulas of `localcx.rank.metrics`)."""
    n, found, depth = int(row["answered"] or 0), int(row["found"] or 0), int(row["depth"] or 0)
    total, top3 = int(row["position_sum"] or 0), int(row["top3"] or 0)
    return ScanFigures(
        id=str(row["id"]), keyword_id=str(row["keyword_id"]), store_code=str(row["store_code"]),
        keyword=str(row["keyword"]), grid=int(row["grid"]), depth=depth, started_at=str(row["started_at"]),
        answered=n, found=found,
        arp=total / found if found else None,
        atrp=(total + (depth + 1) * (n - found)) / n if n else None,
        solv=top3 / n if n else None,
    )


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def collect(db: sqlite_utils.Database, selection: Selection, period: Period) -> RankData | None:
    scans = [figures(row) for row in sources.rank_scan_figures(db, selection, period)]
    if not scans:
        return None
    latest: dict[str, ScanFigures] = {}
    by_day: dict[str, list[ScanFigures]] = {}
    for scan in scans:  # oldest first, so the last one seen per keyword is the latest
        latest[scan.keyword_id] = scan
        by_day.setdefault(scan.started_at[:10], []).append(scan)
    ordered = sorted(latest.values(), key=lambda s: (s.store_code, s.keyword.casefold()))
    positions: dict[str, dict[int, int | None]] = {s.id: {} for s in ordered[:MAX_HEATMAPS]}
    for point in sources.rank_scan_points(db, list(positions)):
        positions[point["scan_id"]][int(point["idx"])] = point["position"]
    trend = [(day, _mean([s.arp for s in group]), _mean([s.solv for s in group])) for day, group in sorted(by_day.items())]
    return RankData(ordered, trend, positions, len(scans))


def _number(labels: Labels, value: float | None) -> str:
    return labels.decimal(value, 2)


def render(data: RankData | None, labels: Labels) -> str:
    if data is None:
        return absent(labels, FILL_COMMAND)
    maps = []
    for scan in data.latest[:MAX_HEATMAPS]:
        caption = f"{scan.store_code} · “{scan.keyword}” · {scan.grid}×{scan.grid} · {labels.day(scan.started_at)}"
        chart = svg.heatmap(scan.grid, data.positions.get(scan.id, {}), title=caption, depth=scan.depth)
        maps.append(
            f'<figure data-scan="{esc(scan.id)}"><figcaption>{esc(caption)}<br>'
            f'{esc(labels["arp"])} <span data-metric="arp">{_number(labels, scan.arp)}</span> · '
            f'{esc(labels["solv"])} <span data-metric="solv">{labels.percent(scan.solv)}</span></figcaption>{chart}</figure>'
        )
    more = len(data.latest) - MAX_HEATMAPS
    parts = [
        f'<p class="meta">{esc(labels["heatmap_caption"])}</p>',
        svg.heatmap_legend(labels["not_found"]),
        f'<div class="heatmaps">{"".join(maps)}</div>',
    ]
    if more > 0:
        parts.append(f'<p class="more">{esc(labels.get("more", n=labels.count(more)))}</p>')
    rows = [
        (s.store_code, s.keyword, f"{s.grid}×{s.grid}", labels.day(s.started_at), _number(labels, s.arp),
         _number(labels, s.atrp), labels.percent(s.solv))
        for s in data.latest
    ]
    parts.append(table(
        [labels["store"], labels["keyword"], labels["grid"], labels["date"], labels["arp"], labels["atrp"], labels["solv"]],
        rows, numeric=(4, 5, 6), css="rank-table",
    ))
    if len(data.trend) >= 2:
        days = [labels.day(day) for day, _, _ in data.trend]
        arp_chart = svg.line_chart(
            [svg.Series(labels["arp"], [arp for _, arp, _ in data.trend])], days,
            title=labels["chart_trend"], x_title=labels["date"], y_title=f'{labels["arp"]} ({labels["lower_better"]})', invert=True,
        )
        solv_chart = svg.line_chart(
            [svg.Series(labels["solv"], [solv for _, _, solv in data.trend])], days,
            title=labels["solv"], x_title=labels["date"], y_title=labels["solv"], y_range=(0.0, 1.0), percent=True,
        )
        parts.append(f'<h3>{esc(labels["trend"])}</h3>' + figure(labels["chart_trend"], arp_chart) + figure(labels["solv"], solv_chart))
    return "".join(parts)
