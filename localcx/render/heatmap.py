"""Rank scans for people at a terminal: the grid as a heatmap, trends as a sparkline.

The heatmap draws one 3-character slot per grid point (a gap and a 2-digit position), so a
21×21 grid is 64 columns of cells and 68 with the panel around it, inside 80. Colour helps
(1–3 green, 4–10 yellow, 11–20 orange, 21 and over red, not found grey) but never carries
meaning alone: with NO_COLOR or in a pipe the numbers, "–" for not found and the brackets
around the store's own point say everything. North is up: row 0 is the northern edge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Group
from rich.panel import Panel
from rich.text import Text

from localcx.render.terminal import Terminal

NOT_FOUND = "–"
NOT_ASKED = "?"  # a point with no answer (failed or skipped): not the same as not found
SPARK_BARS = "▁▂▃▄▅▆▇█"

# (highest position in the band, style, legend label)
BANDS: tuple[tuple[int, str, str], ...] = (
    (3, "bold black on green3", "1–3"),
    (10, "black on yellow3", "4–10"),
    (20, "black on dark_orange", "11–20"),
    (10**9, "white on red3", "21+"),
)
NOT_FOUND_STYLE = "grey50"


def _cell(position: int | None, asked: bool) -> Text:
    if not asked:
        return Text(f" {NOT_ASKED}", style="dim")
    if position is None:
        return Text(f" {NOT_FOUND}", style=NOT_FOUND_STYLE)
    shown = f"{position:>2}" if position < 100 else "9+"
    style = next(style for top, style, _ in BANDS if position <= top)
    return Text(shown, style=style)


def _by_index(
    positions: Sequence[int | None] | Mapping[int, int | None], size: int
) -> list[tuple[int | None, bool]]:
    """(position, asked) for every index; a Mapping leaves out the points not asked."""
    if isinstance(positions, Mapping):
        return [(positions.get(i), i in positions) for i in range(size * size)]
    if len(positions) != size * size:
        raise ValueError(f"{len(positions)} positions for a {size}×{size} grid")
    return [(p, True) for p in positions]


def grid_lines(
    positions: Sequence[int | None] | Mapping[int, int | None], size: int
) -> list[Text]:
    """One Text per row, north first; the store's centre cell is bracketed `[ 5]`."""
    cells = _by_index(positions, size)
    half = size // 2
    lines = []
    for row in range(size):
        line = Text()
        for col in range(size):
            if row == half and col == half:
                line.append("[", style="bold")
            elif row == half and col == half + 1:
                line.append("]", style="bold")
            else:
                line.append(" ")
            position, asked = cells[row * size + col]
            line.append_text(_cell(position, asked))
        line.append(" ")
        lines.append(line)
    return lines


def legend() -> Text:
    """The key under a heatmap; each band is written as its numbers, not only its colour."""
    text = Text()
    for _, style, label in BANDS:
        text.append(f" {label} ", style=style)
        text.append(" ")
    text.append(f"{NOT_FOUND} not found", style=NOT_FOUND_STYLE)
    text.append("  [ ] store  ↑ north")
    return text


def heatmap(
    positions: Sequence[int | None] | Mapping[int, int | None],
    size: int,
    *,
    title: str = "Places API rank",
    caption: str | None = None,
) -> Panel:
    """The grid of a scan's positions (index order, None: not found within the depth; a
    Mapping may leave out points that got no answer, shown "?") in a panel with a legend.
    `caption` goes under the title, e.g. the keyword, grid and date."""
    body: list[Text] = grid_lines(positions, size)
    body += [Text(""), legend()]
    if caption:
        body.insert(0, Text(caption, style="dim"))
    return Panel(Group(*body), title=title, title_align="left", expand=False, padding=(0, 1))


def print_heatmap(
    terminal: Terminal,
    positions: Sequence[int | None] | Mapping[int, int | None],
    size: int,
    *,
    title: str = "Places API rank",
    caption: str | None = None,
) -> None:
    terminal.out.print(heatmap(positions, size, title=title, caption=caption))


def sparkline(
    values: Sequence[float | None],
    *,
    lower_is_better: bool = True,
    low: float | None = None,
    high: float | None = None,
) -> str:
    """One bar per value, `▁` worst to `█` best; None (no scan) is a space.

    Ranks are better when lower, so by default the scale is inverted: position 1 is the
    tallest bar and the line rises as a store climbs. Pass `lower_is_better=False` for
    SoLV or found share. The scale runs from `low` to `high` (default: the values' own
    range; give `low=1, high=depth + 1` for ATRP to compare sparklines between stores).
    Values outside are clamped; when every value is equal the bars sit at mid height."""
    present = [v for v in values if v is not None]
    if not present:
        return " " * len(values)
    lo = min(present) if low is None else low
    hi = max(present) if high is None else high
    top = len(SPARK_BARS) - 1
    bars = []
    for value in values:
        if value is None:
            bars.append(" ")
            continue
        if hi <= lo:
            bars.append(SPARK_BARS[top // 2])
            continue
        share = (min(max(value, lo), hi) - lo) / (hi - lo)
        if lower_is_better:
            share = 1 - share
        bars.append(SPARK_BARS[round(share * top)])
    return "".join(bars)
