"""Grid geometry: units, sizes, layout, and distances checked against Vincenty's geodesic."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from localcx.errors import UsageError
from localcx.rank.grid import MAX_BIAS_RADIUS_M, build_grid, format_distance, parse_distance


def vincenty_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Geodesic distance on WGS84 (Vincenty's inverse formula), the yardstick for the grid."""
    a, f = 6_378_137.0, 1 / 298.257223563
    b = a * (1 - f)
    big_l = math.radians(lng2 - lng1)
    u1 = math.atan((1 - f) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - f) * math.tan(math.radians(lat2)))
    sin_u1, cos_u1, sin_u2, cos_u2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    lam = big_l
    for _ in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        if sin_sigma == 0:
            return 0.0
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha**2
        cos_2sm = cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha if cos2_alpha else 0.0
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * f * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2))
        )
        if abs(lam - previous) < 1e-12:
            break
    u_sq = cos2_alpha * (a * a - b * b) / (b * b)
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta = big_b * sin_sigma * (
        cos_2sm
        + big_b / 4 * (cos_sigma * (-1 + 2 * cos_2sm**2) - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2))
    )
    return b * big_a * (sigma - delta)


@pytest.mark.parametrize(
    ("text", "metres"),
    [("500m", 500), ("1km", 1000), ("0.5mi", 804.672), ("1.2 km", 1200), (" 2 KM ", 2000), (".5km", 500)],
)
def test_distances_parse_with_their_unit(text, metres):
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["500", "1 ft", "2yd", "1,5km", "-1km", "km", "", "1e3m", "0m", "nan m"])
def test_other_distances_are_refused_with_a_hint(text):
    with pytest.raises(UsageError) as info:
        parse_distance(text)
    assert info.value.hint and "500m" in info.value.hint


def test_format_distance_is_short():
    assert format_distance(500) == "500 m"
    assert format_distance(1000) == "1 km"
    assert format_distance(1200) == "1.2 km"


def test_layout_north_up_west_left_and_the_store_in_the_middle():
    grid = build_grid(47.61, -122.33, 5, spacing="1km")
    assert len(grid.points) == 25
    assert [p.index for p in grid.points] == list(range(25))
    assert all(p.index == p.row * 5 + p.col for p in grid.points)
    centre = grid.centre
    assert (centre.row, centre.col, centre.lat, centre.lng) == (2, 2, 47.61, -122.33)
    north_west = grid.point(0, 0)
    assert north_west.lat > centre.lat and north_west.lng < centre.lng
    assert (north_west.east_m, north_west.north_m) == (-2000, 2000)
    south_east = grid.point(4, 4)
    assert south_east.lat < centre.lat and south_east.lng > centre.lng
    # rows share a latitude, columns nearly share a longitude
    assert grid.point(0, 0).lat == pytest.approx(grid.point(0, 4).lat, abs=1e-12)
    assert grid.point(0, 2).lng == pytest.approx(centre.lng, abs=1e-12)


def test_radius_sets_the_spacing():
    grid = build_grid(35.68, 139.76, 7, radius="3km")
    assert grid.spacing_m == pytest.approx(1000)
    assert grid.radius_m == pytest.approx(3000)
    assert grid.span_m == pytest.approx(6000)


def test_numbers_are_metres():
    assert build_grid(0, 0, 3, spacing=250).spacing_m == 250


def test_bias_radius_is_half_the_spacing_within_googles_limit():
    grid = build_grid(47.61, -122.33, 3, spacing="2km")
    assert grid.bias_radius_m == 1000
    assert 0 < build_grid(0, 0, 3, spacing="50km").bias_radius_m <= MAX_BIAS_RADIUS_M
    body = grid.location_bias(grid.point(0, 0))
    assert body["circle"]["radius"] == 1000
    assert body["circle"]["center"] == {"latitude": grid.point(0, 0).lat, "longitude": grid.point(0, 0).lng}


@pytest.mark.parametrize("size", [1, 2, 4, 23, 0, -3, True])
def test_sizes_must_be_odd_3_to_21(size):
    with pytest.raises(UsageError):
        build_grid(0, 0, size, spacing="1km")


@pytest.mark.parametrize(
    ("size", "spacing"), [(3, "51km"), (21, "5.1km"), (11, "11km"), (3, "5m")]
)
def test_absurd_grids_are_refused(size, spacing):
    with pytest.raises(UsageError) as info:
        build_grid(0, 0, size, spacing=spacing)
    assert info.value.hint


def test_the_largest_grid_is_allowed():
    assert build_grid(0, 0, 21, spacing="5km").span_m == pytest.approx(100_000)


def test_spacing_or_radius_not_both_nor_neither():
    with pytest.raises(UsageError):
        build_grid(0, 0, 3)
    with pytest.raises(UsageError):
        build_grid(0, 0, 3, spacing="1km", radius="1km")


@pytest.mark.parametrize(("lat", "lng"), [(89.9, 0), (-85, 10), (91, 0), (0, 181), (math.nan, 0)])
def test_poles_and_non_places_are_refused(lat, lng):
    with pytest.raises(UsageError):
        build_grid(lat, lng, 3, spacing="1km")


def test_a_grid_over_the_antimeridian_wraps_longitude():
    grid = build_grid(-17.8, 179.99, 3, spacing="5km")
    assert all(-180 <= p.lng < 180 for p in grid.points)
    assert grid.point(1, 2).lng < 0  # east of Fiji's 180°
    assert vincenty_m(grid.centre.lat, grid.centre.lng, grid.point(1, 2).lat, grid.point(1, 2).lng) == pytest.approx(5000, rel=1e-4)


def test_key_tells_grids_apart():
    a = build_grid(47.61, -122.33, 7, spacing="1km")
    assert a.key == build_grid(47.61, -122.33, 7, radius="3km").key
    assert a.key != build_grid(47.61, -122.33, 9, spacing="1km").key
    assert a.key != build_grid(47.61, -122.33, 7, spacing="1.1km").key
    assert a.key != build_grid(47.62, -122.33, 7, spacing="1km").key


def _worst_error(lat: float, lng: float) -> float:
    """The largest relative error of neighbour and centre distances on a 21×21×5 km grid."""
    grid = build_grid(lat, lng, 21, spacing="5km")
    worst = 0.0
    for p in grid.points:
        for q, expected in ((grid.centre, math.hypot(p.east_m, p.north_m)),):
            if expected:
                worst = max(worst, abs(vincenty_m(p.lat, p.lng, q.lat, q.lng) / expected - 1))
        if p.col + 1 < grid.size:
            q = grid.point(p.row, p.col + 1)
            worst = max(worst, abs(vincenty_m(p.lat, p.lng, q.lat, q.lng) / 5000 - 1))
        if p.row + 1 < grid.size:
            q = grid.point(p.row + 1, p.col)
            worst = max(worst, abs(vincenty_m(p.lat, p.lng, q.lat, q.lng) / 5000 - 1))
    return worst


@pytest.mark.parametrize("lat", [0.0, 35.68, 47.61, 60.17, -33.87, 78.22, -80.0])
def test_distances_on_the_largest_grid_are_within_two_hundredths_of_a_percent(lat):
    assert _worst_error(lat, 10.0) < 0.0002  # the module promises 0.02%; the brief asked 0.1%


@given(
    lat=st.floats(-80, 80),
    lng=st.floats(-180, 180),
    size=st.sampled_from([3, 5, 7, 9, 11, 13, 15, 17, 19, 21]),
    spacing=st.floats(10, 5000),
)
def test_any_allowed_grid_has_accurate_neighbours(lat, lng, size, spacing):
    grid = build_grid(lat, lng, size, spacing=spacing)
    corner, beside = grid.point(0, 0), grid.point(0, 1)
    below = grid.point(1, 0)
    assert vincenty_m(corner.lat, corner.lng, beside.lat, beside.lng) == pytest.approx(spacing, rel=1e-3)
    assert vincenty_m(corner.lat, corner.lng, below.lat, below.lng) == pytest.approx(spacing, rel=1e-3)
    assert all(-90 < p.lat < 90 and -180 <= p.lng < 180 for p in grid.points)
