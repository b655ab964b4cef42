"""Charts drawn as inline SVG: line, bar, stacked bar, heatmap and sparkline.

Every chart is a `<svg viewBox=…>` with no fixed width, so it scales to a phone's screen
and to an A4 column alike; it carries a `<title>` and `<desc>` (screen readers, and the
tooltip a browser shows), names its axes in words, and never lets colour carry meaning
alone: series differ by marker shape and dash as well, stacked segments and heatmap cells
print their numbers, and every legend entry is text. No script, no external reference.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

# Okabe–Ito: told apart by people with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")
# Heatmap bands, as the terminal heatmap: (highest position, fill, text colour).
BANDS = ((3, "#1a9850", "#ffffff"), (10, "#fee08b", "#000000"), (20, "#fc8d59", "#000000"), (10**9, "#d73027", "#ffffff"))
NOT_FOUND_FILL = "#d9d9d9"
NOT_ASKED_FILL = "#ffffff"

WIDTH, HEIGHT = 560, 250
LEFT, RIGHT, TOP, BOTTOM = 60, 12, 16, 50


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _attr(text: str) -> str:
    return escape(text, quote=True)


def _open(title: str, desc: str, width: int = WIDTH, height: int = HEIGHT, css: str = "chart") -> str:
    return (
        f'<svg class="{css}" viewBox="0 0 {width} {height}" role="img" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high (1, 2 or 5 times a power of ten apart)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(1, count)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks, value = [], start
    while value <= high + step * 0.001:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def _tick_text(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}"


def _frame(
    x_labels: Sequence[str], ticks: Sequence[float], x_title: str, y_title: str,
    y: Callable[[float], float], *, tick_text: Callable[[float], str] = _tick_text,
    width: int = WIDTH, height: int = HEIGHT,
) -> list[str]:
    """Axes, grid lines, tick labels and the axis titles."""
    parts = ['<g class="axis" font-size="13" fill="#333">']
    for tick in ticks:
        py = y(tick)
        parts.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{py:.1f}" y2="{py:.1f}" stroke="#e0e0e0"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{py + 4:.1f}" text-anchor="end">{tick_text(tick)}</text>')
    n = len(x_labels)
    step = max(1, math.ceil(n / 12))  # at most ~12 labels on the x axis
    for i, label in enumerate(x_labels):
        if i % step and i != n - 1:
            continue
        px = _x(i, n, width)
        parts.append(f'<text x="{px:.1f}" y="{height - BOTTOM + 16}" text-anchor="middle">{escape(label)}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{height - BOTTOM}" y2="{height - BOTTOM}" stroke="#666"/>')
    parts.append(f'<text x="{(LEFT + width - RIGHT) / 2:.1f}" y="{height - 8}" text-anchor="middle" class="axis-title">{escape(x_title)}</text>')
    parts.append(
        f'<text transform="translate(14 {(TOP + height - BOTTOM) / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle" class="axis-title">{escape(y_title)}</text>'
    )
    parts.append("</g>")
    return parts


def _percent_text(value: float) -> str:
    return f"{value * 100:.0f}%"


def _x(i: int, n: int, width: int = WIDTH) -> float:
    """The centre of slot i of n across the plot area."""
    inner = width - LEFT - RIGHT
    return LEFT + inner * (i + 0.5) / max(1, n)


def _scale(low: float, high: float, height: int = HEIGHT, invert: bool = False) -> Callable[[float], float]:
    span = (high - low) or 1.0
    bottom, top = height - BOTTOM, TOP

    def y(value: float) -> float:
        share = (value - low) / span
        return top + (bottom - top) * share if invert else bottom - (bottom - top) * share

    return y


def _marker(kind: str, x: float, y: float, colour: str, label: str) -> str:
    tip = f"<title>{escape(label)}</title>"
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}">{tip}</rect>'
    if kind == "triangle":
        return f'<polygon points="{x:.1f},{y - 4.5:.1f} {x + 4:.1f},{y + 3:.1f} {x - 4:.1f},{y + 3:.1f}" fill="{colour}">{tip}</polygon>'
    if kind == "diamond":
        return f'<polygon points="{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y:.1f} {x:.1f},{y + 4.5:.1f} {x - 4.5:.1f},{y:.1f}" fill="{colour}">{tip}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">{tip}</circle>'


def legend(names: Sequence[str], kinds: Sequence[str] = ("line",)) -> str:
    """An HTML legend (wraps on a phone): a small swatch, then the name in words."""
    items = []
    for i, name in enumerate(names):
        colour = PALETTE[i % len(PALETTE)]
        kind = kinds[i % len(kinds)]
        if kind == "bar":
            swatch = f'<svg viewBox="0 0 12 12" class="swatch" aria-hidden="true"><rect width="12" height="12" fill="{colour}"/></svg>'
        else:
            dash = DASHES[i % len(DASHES)]
            swatch = (
                f'<svg viewBox="0 0 24 12" class="swatch wide" aria-hidden="true"><line x1="0" x2="24" y1="6" y2="6" '
                f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
                + _marker(MARKERS[i % len(MARKERS)], 12, 6, colour, name) + "</svg>"
            )
        items.append(f"<li>{swatch}{escape(name)}</li>")
    return f'<ul class="legend">{"".join(items)}</ul>'


def line_chart(
    series: Sequence[Series], x_labels: Sequence[str], *, title: str, x_title: str, y_title: str,
    y_range: tuple[float, float] | None = None, invert: bool = False, percent: bool = False,
) -> str:
    """Lines over shared x slots; a None value breaks the line (no data is not zero).
    `invert` puts low values at the top (rank: 1 is best); `percent` reads 0..1 as %."""
    values = [v for s in series for v in s.values if v is not None]
    low, high = y_range or ((min(values) if values else 0.0), (max(values) if values else 1.0))
    ticks = nice_ticks(low, high)
    low, high = (low, high) if y_range else (ticks[0], ticks[-1])
    y = _scale(low, high, invert=invert)
    shown_ticks = [t for t in ticks if low <= t <= high]
    parts = [_open(title, f"{y_title} by {x_title}: " + "; ".join(s.name for s in series))]
    parts += _frame(x_labels, shown_ticks, x_title, y_title, y, tick_text=_percent_text if percent else _tick_text)
    n = len(x_labels)
    for i, s in enumerate(series):
        colour, dash, marker = PALETTE[i % len(PALETTE)], DASHES[i % len(DASHES)], MARKERS[i % len(MARKERS)]
        runs: list[list[tuple[float, float]]] = [[]]
        for j, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append((_x(j, n), y(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
                parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}" points="{points}"/>')
        for j, value in enumerate(s.values):
            if value is not None:
                shown = f"{value * 100:.0f}%" if percent else f"{value:,.2f}".rstrip("0").rstrip(".")
                parts.append(_marker(marker, _x(j, n), y(value), colour, f"{s.name} {x_labels[j]}: {shown}"))
    parts.append("</svg>")
    return "".join(parts) + legend([s.name for s in series])


def bar_chart(values: Sequence[float], x_labels: Sequence[str], *, title: str, x_title: str, y_title: str) -> str:
    """One bar per slot, its value written above it when there is room."""
    return stacked_bar([Series(y_title, values)], x_labels, title=title, x_title=x_title, y_title=y_title, show_legend=False)


def stacked_bar(
    series: Sequence[Series], x_labels: Sequence[str], *, title: str, x_title: str, y_title: str,
    show_legend: bool = True,
) -> str:
    """Bars stacked per slot, the total written on top of each bar."""
    n = len(x_labels)
    totals = [sum((s.values[i] or 0) for s in series) for i in range(n)]
    ticks = nice_ticks(0, max(totals) if totals and max(totals) > 0 else 1)
    y = _scale(0, ticks[-1])
    parts = [_open(title, f"{y_title} by {x_title}: " + ", ".join(s.name for s in series))]
    parts += _frame(x_labels, ticks, x_title, y_title, y)
    bar = (WIDTH - LEFT - RIGHT) / max(1, n) * 0.7
    for i in range(n):
        base = 0.0
        cx = _x(i, n)
        for k, s in enumerate(series):
            value = s.values[i] or 0
            if value <= 0:
                continue
            top, bottom = y(base + value), y(base)
            parts.append(
                f'<rect x="{cx - bar / 2:.1f}" y="{top:.1f}" width="{bar:.1f}" height="{bottom - top:.1f}" '
                f'fill="{PALETTE[k % len(PALETTE)]}" stroke="#fff" stroke-width="0.5">'
                f"<title>{escape(s.name)} {escape(x_labels[i])}: {value:,.0f}</title></rect>"
            )
            base += value
        if n <= 24 and totals[i] > 0:
            parts.append(f'<text x="{cx:.1f}" y="{y(totals[i]) - 3:.1f}" text-anchor="middle" font-size="12">{_short(totals[i])}</text>')
    parts.append("</svg>")
    return "".join(parts) + (legend([s.name for s in series], ("bar",)) if show_legend else "")


def _short(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    return f"{value:,.0f}"


def hbar_stacked(rows: Sequence[tuple[str, Sequence[float]]], names: Sequence[str], *, title: str, x_title: str) -> str:
    """One horizontal bar per row (an aspect), split into segments (sentiments) that print
    their counts; the row's label sits to the left. Height grows with the rows."""
    label_w, bar_h, gap = 130, 24, 8
    height = TOP + len(rows) * (bar_h + gap) + 36
    widest = max((sum(v) for _, v in rows), default=1) or 1
    inner = WIDTH - label_w - RIGHT
    parts = [_open(title, f"{x_title} per row, split: {', '.join(names)}", WIDTH, height)]
    for r, (label, values) in enumerate(rows):
        top = TOP + r * (bar_h + gap)
        parts.append(f'<text x="{label_w - 8}" y="{top + 17}" text-anchor="end" font-size="14">{escape(label)}</text>')
        x = float(label_w)
        for k, value in enumerate(values):
            if value <= 0:
                continue
            w = inner * value / widest
            colour = _sentiment_colour(k, len(values))
            text_colour = "#fff" if k != 1 or len(values) != 3 else "#000"
            parts.append(
                f'<rect x="{x:.1f}" y="{top}" width="{w:.1f}" height="{bar_h}" fill="{colour}" stroke="#fff">'
                f"<title>{escape(label)} · {escape(names[k])}: {value:,.0f}</title></rect>"
            )
            if w > 22:
                parts.append(f'<text x="{x + w / 2:.1f}" y="{top + 17}" text-anchor="middle" font-size="13" fill="{text_colour}">{value:,.0f}</text>')
            x += w
    parts.append(f'<text x="{label_w + inner / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="13" class="axis-title">{escape(x_title)}</text>')
    parts.append("</svg>")
    return "".join(parts) + _sentiment_legend(names)


def _sentiment_colour(k: int, n: int) -> str:
    """Positive green, neutral grey, negative vermillion (also told apart by position and the
    printed counts)."""
    if n == 3:
        return ("#009E73", "#bdbdbd", "#D55E00")[k]
    return PALETTE[k % len(PALETTE)]


def _sentiment_legend(names: Sequence[str]) -> str:
    items = "".join(
        f'<li><svg viewBox="0 0 12 12" class="swatch" aria-hidden="true"><rect width="12" height="12" '
        f'fill="{_sentiment_colour(k, len(names))}"/></svg>{escape(name)}</li>'
        for k, name in enumerate(names)
    )
    return f'<ul class="legend">{items}</ul>'


def heatmap(
    size: int, positions: Mapping[int, int | None], *, title: str, depth: int = 20,
) -> str:
    """A size×size grid, north up: each answered point prints its position (– when the
    store was not found within the depth, ? when the point got no answer); the centre,
    where the store is, is outlined in black. Colour bands as the terminal heatmap."""
    cell, pad = 36, 2
    side = size * cell + pad * 2
    parts = [_open(title, f"{size}×{size} grid of positions; centre outlined is the store", side, side, "heatmap")]
    centre = (size // 2) * size + size // 2
    for index in range(size * size):
        row, col = divmod(index, size)
        x, y = pad + col * cell, pad + row * cell
        asked = index in positions
        position = positions.get(index)
        if not asked:
            fill, ink, text = NOT_ASKED_FILL, "#666", "?"
        elif position is None:
            fill, ink, text = NOT_FOUND_FILL, "#333", "–"
        else:
            fill, ink = next((f, t) for top, f, t in BANDS if position <= top)
            text = str(position) if position <= depth else f"{depth}+"
        parts.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" fill="{fill}" stroke="#999" stroke-width="0.5"/>')
        parts.append(f'<text x="{x + cell / 2}" y="{y + cell / 2 + 5}" text-anchor="middle" font-size="14" fill="{ink}">{text}</text>')
        if index == centre:
            parts.append(f'<rect x="{x + 2}" y="{y + 2}" width="{cell - 4}" height="{cell - 4}" fill="none" stroke="#000" stroke-width="3"><title>store</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def heatmap_legend(not_found: str) -> str:
    """The bands in words (the numbers in the cells already say everything)."""
    names = ("1–3", "4–10", "11–20", "21+")
    items = [
        f'<li><svg viewBox="0 0 12 12" class="swatch" aria-hidden="true"><rect width="12" height="12" fill="{fill}"/></svg>{name}</li>'
        for name, (_, fill, _) in zip(names, BANDS, strict=True)
    ]
    items.append(
        f'<li><svg viewBox="0 0 12 12" class="swatch" aria-hidden="true"><rect width="12" height="12" fill="{NOT_FOUND_FILL}"/></svg>– {escape(not_found)}</li>'
    )
    return f'<ul class="legend">{"".join(items)}</ul>'


def sparkline(values: Sequence[float | None], *, title: str, invert: bool = False) -> str:
    """A small trend line for a table cell; its title names the first and last values."""
    shown = [v for v in values if v is not None]
    width, height = 80, 20
    if len(shown) < 2:
        return ""
    low, high = min(shown), max(shown)
    span = (high - low) or 1.0
    n = len(values)
    points = []
    for i, value in enumerate(values):
        if value is None:
            continue
        share = (value - low) / span
        y = 2 + (height - 4) * (share if invert else 1 - share)
        points.append(f"{2 + (width - 4) * i / max(1, n - 1):.1f},{y:.1f}")
    return (
        f'<svg class="spark" viewBox="0 0 {width} {height}" role="img" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>"
        f'<polyline fill="none" stroke="{PALETTE[0]}" stroke-width="1.5" points="{" ".join(points)}"/></svg>'
    )
