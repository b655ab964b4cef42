"""The page around the sections: one HTML document with its CSS inline, and the small
builders every section uses (tables, key figures, the "no data" notice).

Everything a section prints that came from the database goes through `esc` (or a builder
that calls it): store names are whatever a user typed into Google, `<script>` included.
The CSS holds the print rules (A4, a page break before each section, charts never split)
and the phone rules (one column, charts as wide as the screen).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from localcx.report.labels import Labels

FONT_STACK = '"Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans JP", "Noto Sans CJK JP", "Yu Gothic", Meiryo, system-ui, sans-serif'

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --rule: #d0d7de; --panel: #f6f8fa; --accent: #0072B2; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: FONTS; color: var(--ink); background: #fff; line-height: 1.55; font-size: 15px; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; }
header.cover { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 8px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 0 0 12px; padding-top: 8px; border-top: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 18px 0 8px; }
.meta { color: var(--muted); margin: 0; }
section.report-section { margin-top: 28px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 10px; margin: 0; padding: 0; }
.kpi { background: var(--panel); border: 1px solid var(--rule); border-radius: 8px; padding: 10px 12px; list-style: none; }
.kpi .label { display: block; color: var(--muted); font-size: 0.85rem; }
.kpi .value { display: block; font-size: 1.5rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.kpi .note { display: block; color: var(--muted); font-size: 0.8rem; }
.absent { background: var(--panel); border: 1px dashed var(--rule); border-radius: 8px; padding: 14px 16px; color: var(--muted); }
.absent strong { color: var(--ink); }
figure { margin: 8px 0 16px; break-inside: avoid; page-break-inside: avoid; }
figcaption { color: var(--muted); font-size: 0.85rem; margin-bottom: 4px; }
svg.chart { width: 100%; height: auto; max-height: 340px; display: block; }
svg.heatmap { width: 100%; max-width: 260px; height: auto; display: block; }
svg.spark { width: 80px; height: 20px; vertical-align: middle; }
svg text { font-family: FONTS; }
.axis-title { fill: var(--muted); }
ul.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 4px 0 0; padding: 0; font-size: 0.85rem; }
ul.legend li { display: inline-flex; align-items: center; gap: 6px; }
svg.swatch { width: 12px; height: 12px; }
svg.swatch.wide { width: 24px; }
.heatmaps { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 16px; }
.heatmaps figure { margin: 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; margin: 6px 0 12px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; page-break-inside: avoid; }
.quote { max-width: 46ch; }
.calendars { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 16px; }
table.calendar { table-layout: fixed; font-size: 0.8rem; }
table.calendar td { height: 2.6em; padding: 2px 3px; border: 1px solid var(--rule); }
table.calendar td .d { color: var(--muted); display: block; }
table.calendar td.out { background: #fafafa; }
.bad { color: #b42318; font-weight: 600; }
.ok { color: #1a7f37; }
.more { color: var(--muted); }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  section.report-section { break-before: page; page-break-before: always; margin-top: 0; }
  section.report-section.first, section.report-section.empty { break-before: auto; page-break-before: auto; margin-top: 8mm; }
  figure, svg, table.calendar, .kpi, .absent { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .table-wrap { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
@media (max-width: 600px) {
  body { font-size: 14px; }
  main { padding: 14px 12px 32px; }
  h1 { font-size: 1.35rem; }
  .kpis { grid-template-columns: repeat(2, 1fr); }
  .kpi .value { font-size: 1.2rem; }
  th, td { padding: 4px 5px; }
  .heatmaps { grid-template-columns: repeat(2, 1fr); }
}
""".replace("FONTS", FONT_STACK)


def esc(value: object) -> str:
    """Text from anywhere (a store name, a review) made safe for HTML text and attributes."""
    return escape("" if value is None else str(value), quote=True)


def section(key: str, title: str, body: str, *, first: bool = False) -> str:
    """One section; in print each starts a page, except the first and those with no data
    (a page of its own for "no data" would only waste paper)."""
    classes = ["report-section"] + (["first"] if first else []) + (["empty"] if 'data-absent="true"' in body else [])
    return f'<section class="{" ".join(classes)}" id="{esc(key)}" data-section="{esc(key)}"><h2>{esc(title)}</h2>{body}</section>'


def absent(labels: Labels, command: str) -> str:
    """The notice a section shows instead of an empty chart."""
    hint = labels.get("absent_hint", command=f"<code>{esc(command)}</code>")
    return f'<div class="absent" data-absent="true"><strong>{esc(labels["absent"])}</strong><br>{hint}</div>'


def kpis(items: Iterable[tuple[str, str, str, str]]) -> str:
    """Key figures: (key, label, value, note); `data-kpi` lets a test read each value."""
    cells = [
        f'<li class="kpi" data-kpi="{esc(key)}"><span class="label">{esc(label)}</span>'
        f'<span class="value" data-kpi-value="{esc(key)}">{esc(value)}</span><span class="note">{esc(note)}</span></li>'
        for key, label, value, note in items
    ]
    return f'<ul class="kpis">{"".join(cells)}</ul>'


def table(
    columns: Sequence[str], rows: Iterable[Sequence[object]], *, numeric: Sequence[int] = (),
    raw: Sequence[int] = (), css: str = "",
) -> str:
    """A data table; cells are escaped except the `raw` columns (already-built HTML, such
    as a sparkline). `numeric` columns align right."""
    head = "".join(f'<th class="{"num" if i in numeric else ""}" scope="col">{esc(c)}</th>' for i, c in enumerate(columns))
    body = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            text = str(value) if i in raw else esc(value)
            cells.append(f'<td class="{"num" if i in numeric else ""}">{text}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f'<div class="table-wrap"><table class="{css}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def figure(caption: str, chart: str) -> str:
    return f"<figure><figcaption>{esc(caption)}</figcaption>{chart}</figure>"


def page(lang: str, title: str, header: str, body: str) -> str:
    """The whole document: no script, no external font, image or style sheet."""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{header}{body}</main></body></html>\n"
    )
