"""The heatmap at 80 columns with and without colour, the sparkline, and GeoJSON output."""

from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from localcx.rank.geojson import feature_collection
from localcx.rank.grid import build_grid
from localcx.render.heatmap import SPARK_BARS, heatmap, print_heatmap, sparkline
from localcx.render.terminal import Terminal

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _render(positions, size, *, color: bool) -> str:
    console = Console(width=80, force_terminal=True, no_color=not color, record=True, file=io.StringIO())
    console.print(heatmap(positions, size, caption="coffee shop · 1 km"))
    return console.export_text(styles=False)


def _sample(size: int) -> list[int | None]:
    cycle = [1, 2, 3, 7, 12, 20, 33, None, 60]
    return [cycle[i % len(cycle)] for i in range(size * size)]


@pytest.mark.parametrize("size", [3, 7, 21])
@pytest.mark.parametrize("color", [True, False])
def test_heatmap_fits_80_columns_and_shows_numbers_and_the_store(size, color):
    positions = _sample(size)
    positions[(size * size) // 2] = 4
    text = _render(positions, size, color=color)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "[ 4]" in text  # the store's own point, bracketed
    assert "Places API rank" in text
    assert "1–3" in text and "not found" in text and "store" in text
    grid_rows = lines[2 : 2 + size]  # after the border and the caption
    for row, line in zip(range(size), grid_rows, strict=True):
        cells = line.split("│")[1].replace("[", " ").replace("]", " ").split()
        expected = ["–" if p is None else str(p) for p in positions[row * size : (row + 1) * size]]
        assert cells == expected


def test_a_21_grid_is_64_columns_of_cells():
    text = _render(_sample(21), 21, color=False)
    widths = {len(line) for line in text.splitlines()}
    assert max(widths) == 68  # 64 cell columns, two borders, two padding


def test_without_colour_the_numbers_carry_the_meaning():
    terminal = Terminal(io.StringIO(), io.StringIO(), io.StringIO(), stdout_tty=True, no_color=True, width=80)
    print_heatmap(terminal, [1, 12, None, 5, 2, 44, None, 3, 20], 3)
    out = terminal.stdout.getvalue()  # type: ignore[attr-defined]
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m|\x1b\[[0-9;]*4[0-7]m", out)  # no colours
    plain = ANSI.sub("", out)
    rows = [line for line in plain.splitlines() if "│" in line][:3]
    assert rows[0].split("│")[1].split() == ["1", "12", "–"]
    assert "[ 2]" in rows[1] and "44" in rows[1]
    assert rows[2].split("│")[1].split() == ["–", "3", "20"]


def test_in_a_pipe_there_are_no_escape_codes():
    terminal = Terminal.for_stream(io.StringIO())
    print_heatmap(terminal, _sample(5), 5)
    assert "\x1b[" not in terminal.stdout.getvalue()  # type: ignore[attr-defined]


def test_with_colour_cells_are_coloured_by_band():
    console = Console(width=80, force_terminal=True, color_system="truecolor", file=io.StringIO())
    console.print(heatmap([1, 5, 15, 30, None, 2, 3, 4, 5], 3))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    styles = set(re.findall(r"\x1b\[([0-9;]+)m(?: ?\d+|[ ]–)\x1b\[0m", out))
    assert len(styles) == 5  # four bands and not found, each its own style


def test_points_not_asked_show_a_question_mark():
    text = _render({0: 1, 4: None}, 3, color=False)
    assert "?" in text and "[ –]" in text


def test_wrong_number_of_positions_is_a_bug():
    with pytest.raises(ValueError):
        heatmap([1, 2], 3)


def test_sparkline_lower_rank_is_a_taller_bar():
    assert sparkline([1, 20]) == "█▁"
    assert sparkline([20, 10.5, 1]) == "▁▅█"  # climbing rises
    assert sparkline([0.0, 1.0], lower_is_better=False) == "▁█"
    assert sparkline([3, None, 3]) == "▄ ▄"
    assert sparkline([]) == ""
    assert sparkline([None, None]) == "  "
    assert sparkline([1, 21, 50], low=1, high=21) == "█▁▁"  # clamped to the scale


@given(st.lists(st.one_of(st.none(), st.floats(1, 61)), max_size=52))
def test_sparkline_has_one_bar_per_value(values):
    line = sparkline(values)
    assert len(line) == len(values)
    assert all(c in SPARK_BARS or c == " " for c in line)


def test_geojson_is_a_feature_collection_with_lng_lat_order():
    grid = build_grid(47.6101, -122.3344, 3, spacing="1km")
    positions = [1, 2, None, 4, 3, 6, None, 8, 9]
    ids = [["a", "b", "c", "d"]] * 9
    doc = feature_collection(grid, positions, ids, properties={"keyword": "coffee shop"})
    json.loads(json.dumps(doc, allow_nan=False))  # plain JSON
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == 9
    for feature, point, position in zip(doc["features"], grid.points, positions, strict=True):
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lng, lat = feature["geometry"]["coordinates"]
        assert (lng, lat) == (pytest.approx(point.lng, abs=1e-7), pytest.approx(point.lat, abs=1e-7))
        assert -180 <= lng <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        assert (props["row"], props["col"], props["index"]) == (point.row, point.col, point.index)
        assert props["position"] == position and props["asked"] is True
        assert props["top_place_ids"] == ["a", "b", "c"]
        assert props["keyword"] == "coffee shop"
    centre = doc["features"][4]
    assert centre["properties"]["store"] is True
    assert centre["geometry"]["coordinates"] == [-122.3344, 47.6101]  # longitude first


def test_geojson_marks_points_not_asked():
    grid = build_grid(0, 0, 3, spacing="1km")
    doc = feature_collection(grid, {4: 2})
    asked = [f["properties"]["asked"] for f in doc["features"]]
    assert asked.count(True) == 1 and doc["features"][0]["properties"]["position"] is None
    with pytest.raises(ValueError):
        feature_collection(grid, [1, 2])
