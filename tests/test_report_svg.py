"""The report's chart helpers and labels: well-formed, accessible SVG that never lets
colour carry meaning alone, and two languages with the same words."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from localcx.report import svg
from localcx.report.labels import EN, JA, Labels
from localcx.report.model import Period

NS = "{http://www.w3.org/2000/svg}"


def _svg(markup: str) -> ET.Element:
    """The first <svg> of a chart's markup (a legend list may follow it)."""
    end = markup.index("</svg>") + len("</svg>")
    return ET.fromstring(markup[:end])


def test_both_languages_have_every_label() -> None:
    assert EN.keys() == JA.keys()
    assert all(value.strip() for value in [*EN.values(), *JA.values()])
    with pytest.raises(ValueError, match="fr"):
        Labels("fr")


def test_numbers_and_dates_per_language() -> None:
    en, ja = Labels("en"), Labels("ja")
    assert en.count(12345.4) == ja.count(12345.4) == "12,345"
    assert en.percent(0.904) == "90%" and en.signed(-0.05) == "−5%" and en.signed(0.25) == "+25%"
    assert en.signed(None) == en.decimal(None) == "–"
    assert en.day("2026-12-01T08:00:00Z") == "2026-12-01" and ja.day("2026-12-01T08:00:00Z") == "2026年12月1日"
    assert ja.month("2026-03") == "2026年3月" and en.short_month("2026-03") == "26/03"
    assert ja.get("more", n="3") == "ほか 3 件"


def test_periods_count_whole_days_and_months() -> None:
    period = Period(date(2025, 11, 15), date(2026, 2, 3))
    assert period.months() == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert (period.start, period.end) == ("2025-11-15T00:00:00", "2026-02-04T00:00:00")
    assert period.previous() == Period(date(2025, 8, 26), date(2025, 11, 14))  # 81 days each


@pytest.mark.parametrize(("low", "high"), [(0, 1), (1, 5), (0, 1234), (3.2, 3.3), (0, 0)])
def test_ticks_cover_the_range_in_round_steps(low: float, high: float) -> None:
    ticks = svg.nice_ticks(low, high)
    assert ticks[0] <= low and ticks[-1] >= high and len(ticks) >= 2
    steps = {round(b - a, 9) for a, b in itertools.pairwise(ticks)}
    assert len(steps) == 1


def test_a_line_chart_is_titled_labelled_and_breaks_at_missing_values() -> None:
    markup = svg.line_chart(
        [svg.Series("ARP <mine>", [2.0, None, 3.0, 2.5]), svg.Series("B", [1.0, 1.5, 1.2, 1.1])],
        ["a", "b", "c", "d"], title="Trend & <more>", x_title="Month", y_title="Rank",
    )
    root = _svg(markup)
    assert root.get("viewBox") and root.get("width") is None and root.get("role") == "img"
    assert root.find(f"{NS}title").text == "Trend & <more>"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Month" in texts and "Rank" in texts
    lines = root.findall(f"{NS}polyline")
    assert len(lines) == 2, "the first series is one point, a gap, then a line of two"
    assert {line.get("stroke-dasharray") for line in lines} == {"", "6 3"}  # told apart without colour
    assert "ARP &lt;mine&gt;" in markup and "<mine>" not in markup
    assert len(root.findall(f"{NS}circle")) == 3 and len(root.findall(f"{NS}rect")) == 4


def test_percent_axis_and_inverted_rank() -> None:
    root = _svg(svg.line_chart([svg.Series("SoLV", [0.2, 0.9])], ["a", "b"], title="t", x_title="x", y_title="y",
                               y_range=(0.0, 1.0), percent=True))
    assert "100%" in [t.text for t in root.iter(f"{NS}text")]
    up = _svg(svg.line_chart([svg.Series("ARP", [1.0, 10.0])], ["a", "b"], title="t", x_title="x", y_title="y", invert=True))
    first, second = (float(c.get("cy")) for c in up.iter(f"{NS}circle"))
    assert first < second, "rank 1 is drawn above rank 10"


def test_stacked_bars_print_their_totals() -> None:
    root = _svg(svg.stacked_bar([svg.Series("maps", [10, 0]), svg.Series("search", [5, 7])], ["Jan", "Feb"],
                                title="Impressions", x_title="Month", y_title="Views"))
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "15" in texts and "7" in texts
    assert len([r for r in root.iter(f"{NS}rect")]) == 3  # a zero segment draws nothing


def test_heatmap_writes_every_position_and_outlines_the_store() -> None:
    positions = {0: 1, 1: None, 4: 12, 8: 25}
    root = _svg(svg.heatmap(3, positions, title="TKY-001 ramen", depth=20))
    cells = [t.text for t in root.iter(f"{NS}text")]
    assert cells == ["1", "–", "?", "?", "12", "?", "?", "?", "20+"]
    outlined = [r for r in root.iter(f"{NS}rect") if r.get("fill") == "none"]
    assert len(outlined) == 1 and outlined[0].find(f"{NS}title").text == "store"
    assert float(outlined[0].get("x")) == 2 + 36 + 2  # the centre cell of a 3×3 grid


def test_sparkline_needs_two_values() -> None:
    assert svg.sparkline([1.0], title="t") == ""
    root = ET.fromstring(svg.sparkline([1.0, None, 3.0], title="ARP 1 → 3"))
    assert root.find(f"{NS}title").text == "ARP 1 → 3"
    assert len(root.find(f"{NS}polyline").get("points").split()) == 2


def test_sentiment_bars_print_counts_and_name_their_rows() -> None:
    markup = svg.hbar_stacked([("service", (5, 1, 2)), ("<price>", (0, 3, 0))], ["Positive", "Neutral", "Negative"],
                              title="Aspects", x_title="Mentions")
    root = _svg(markup)
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts[:2] == ["service", "5"] and "<price>" in texts and "Mentions" in texts
    assert "Positive" in markup and "Negative" in markup
