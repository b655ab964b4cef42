"""The N×N grid of points a rank scan asks Google from, centred on a store.

Layout: row 0 is the northern edge and column 0 the western edge, so a grid printed top to
bottom, left to right reads like a map with north up. `index = row * size + col`; the store
is the centre point, `row = col = size // 2`.

Geometry. East and north are metres in the plane that touches the WGS84 ellipsoid at the
store (the local East-North-Up frame); each point is converted to earth-centred
coordinates and dropped back onto the ellipsoid. That is exact geometry, not a series:
distances between neighbours and from the store match the geodesic ones to better than
0.02% on the largest grid allowed (21×21 at 5 km, 100 km across) up to 80° of latitude,
and tests check it against Vincenty's formulae. The simpler equirectangular step (degrees
= metres / a radius fixed at the store's latitude) drifts by almost 1% at the top row of
such a grid in Seattle, because a degree of longitude shrinks with latitude; a sphere in
place of the ellipsoid adds errors of a few tenths of a percent.

The poles are refused (|latitude| > 80°): there "east" turns through large angles across one
grid and the rows no longer make a square.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from localcx.errors import UsageError

MIN_SIZE = 3
MAX_SIZE = 21
MIN_SPACING_M = 10.0  # closer than this measures GPS noise, not rank
MAX_SPACING_M = 50_000.0
MAX_SPAN_M = 100_000.0  # edge to edge; a city region, not a country
MAX_ABS_LATITUDE = 80.0
MAX_BIAS_RADIUS_M = 50_000.0  # Google's limit on locationBias.circle.radius

# WGS84
_A = 6_378_137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)

_UNITS = {"m": 1.0, "km": 1000.0, "mi": 1609.344}
_DISTANCE = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*(m|km|mi)\s*$", re.IGNORECASE)
_DISTANCE_HINT = "write a number and a unit (m, km or mi): 500m, 1km, 1.2 km, 0.5mi"


def parse_distance(text: str) -> float:
    """`500m`, `1km`, `1.2 km`, `0.5mi` → metres. Refuses other units and bare numbers,
    because "5" could be five metres or five miles and a wrong guess costs a scan."""
    match = _DISTANCE.match(text)
    if not match:
        raise UsageError(f"not a distance: {text!r}", hint=_DISTANCE_HINT)
    metres = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if metres <= 0:
        raise UsageError(f"a distance must be more than zero: {text!r}", hint=_DISTANCE_HINT)
    return metres


def format_distance(metres: float) -> str:
    """The shortest honest text for a spacing: `500 m`, `1 km`, `1.2 km`, `804.67 m`."""
    if metres >= 1000:
        return f"{metres / 1000:.3f}".rstrip("0").rstrip(".") + " km"
    return f"{metres:.2f}".rstrip("0").rstrip(".") + " m"


@dataclass(frozen=True)
class GridPoint:
    """One place a scan asks from; `east_m` / `north_m` are its offset from the store."""

    row: int
    col: int
    lat: float
    lng: float
    index: int
    east_m: float
    north_m: float


@dataclass(frozen=True)
class Grid:
    """A square grid of `size × size` points `spacing_m` apart around (centre_lat, centre_lng)."""

    centre_lat: float
    centre_lng: float
    size: int
    spacing_m: float
    points: tuple[GridPoint, ...]

    @property
    def span_m(self) -> float:
        """Edge to edge, west-most column to east-most column."""
        return self.spacing_m * (self.size - 1)

    @property
    def radius_m(self) -> float:
        """Centre to the middle of an edge."""
        return self.span_m / 2

    @property
    def bias_radius_m(self) -> float:
        """The `locationBias.circle.radius` for each point: half the spacing, so the circles
        of neighbouring points touch without overlapping, within Google's 0–50,000 m."""
        return min(self.spacing_m / 2, MAX_BIAS_RADIUS_M)

    @property
    def centre(self) -> GridPoint:
        return self.point(self.size // 2, self.size // 2)

    @property
    def key(self) -> str:
        """What makes two scans' grids the same: size, spacing to the centimetre and centre
        to five decimals (about a metre). Metrics of scans with different keys are not
        compared."""
        return (
            f"{self.size}x{self.size}/{self.spacing_m:.2f}m/"
            f"{self.centre_lat:.5f},{self.centre_lng:.5f}"
        )

    def point(self, row: int, col: int) -> GridPoint:
        if not (0 <= row < self.size and 0 <= col < self.size):
            raise IndexError(f"no point at row {row}, col {col} in a {self.size}×{self.size} grid")
        return self.points[row * self.size + col]

    def location_bias(self, point: GridPoint) -> dict[str, dict[str, object]]:
        """The `locationBias` body member for a searchText request from `point`."""
        return {
            "circle": {
                "center": {"latitude": point.lat, "longitude": point.lng},
                "radius": self.bias_radius_m,
            }
        }


def _ecef(lat: float, lng: float) -> tuple[float, float, float]:
    """Earth-centred coordinates (metres) of a point on the WGS84 surface."""
    phi, lam = math.radians(lat), math.radians(lng)
    prime = _A / math.sqrt(1 - _E2 * math.sin(phi) ** 2)
    return (
        prime * math.cos(phi) * math.cos(lam),
        prime * math.cos(phi) * math.sin(lam),
        prime * (1 - _E2) * math.sin(phi),
    )


def _geodetic(x: float, y: float, z: float) -> tuple[float, float]:
    """(lat, lng) of the surface point under an earth-centred one (height dropped)."""
    p = math.hypot(x, y)
    phi = math.atan2(z, p * (1 - _E2))
    for _ in range(5):  # converges to well under a millimetre for points near the surface
        prime = _A / math.sqrt(1 - _E2 * math.sin(phi) ** 2)
        height = p / math.cos(phi) - prime
        phi = math.atan2(z, p * (1 - _E2 * prime / (prime + height)))
    return math.degrees(phi), math.degrees(math.atan2(y, x))


def offset(lat: float, lng: float, east_m: float, north_m: float) -> tuple[float, float]:
    """The (lat, lng) of the point `east_m` east and `north_m` north of (lat, lng) in the
    local tangent plane, dropped onto the ellipsoid."""
    phi, lam = math.radians(lat), math.radians(lng)
    x, y, z = _ecef(lat, lng)
    x += -math.sin(lam) * east_m - math.sin(phi) * math.cos(lam) * north_m
    y += math.cos(lam) * east_m - math.sin(phi) * math.sin(lam) * north_m
    z += math.cos(phi) * north_m
    new_lat, new_lng = _geodetic(x, y, z)
    return new_lat, _wrap_longitude(new_lng)


def _wrap_longitude(lng: float) -> float:
    """Into [-180, 180): a grid around Fiji crosses the antimeridian."""
    wrapped = (lng + 180.0) % 360.0 - 180.0
    return 0.0 if wrapped == 0 else wrapped  # no -0.0 in output


def grid_spacing(size: int, spacing: str | float | None = None, radius: str | float | None = None) -> float:
    """Metres between neighbouring points, from a spacing or from a radius
    (`spacing = radius / ((size - 1) / 2)`); text is parsed, numbers are metres."""
    _check_size(size)
    if (spacing is None) == (radius is None):
        raise UsageError(
            "give either a spacing or a radius", hint="e.g. --spacing 1km or --radius 3km"
        )
    if spacing is not None:
        metres = parse_distance(spacing) if isinstance(spacing, str) else float(spacing)
    else:
        assert radius is not None
        reach = parse_distance(radius) if isinstance(radius, str) else float(radius)
        metres = reach / ((size - 1) / 2)
    return metres


def _check_size(size: int) -> None:
    if isinstance(size, bool) or not isinstance(size, int):
        raise UsageError(f"grid size must be a whole number, not {size!r}")
    if size % 2 == 0 or not MIN_SIZE <= size <= MAX_SIZE:
        raise UsageError(
            f"grid size must be odd, {MIN_SIZE} to {MAX_SIZE}: {size}",
            hint="an odd size puts the store on the centre point: 3, 5, 7 … 21",
        )


def _check_spacing(size: int, metres: float) -> None:
    if not math.isfinite(metres) or metres < MIN_SPACING_M:
        raise UsageError(
            f"grid spacing too small: {format_distance(metres) if math.isfinite(metres) else metres}",
            hint=f"use at least {format_distance(MIN_SPACING_M)}",
        )
    if metres > MAX_SPACING_M:
        raise UsageError(
            f"grid spacing too large: {format_distance(metres)}",
            hint=f"use at most {format_distance(MAX_SPACING_M)} between points",
        )
    span = metres * (size - 1)
    if span > MAX_SPAN_M + 1e-6:
        raise UsageError(
            f"grid too wide: {size}×{size} at {format_distance(metres)} spans {format_distance(span)}",
            hint=f"keep the grid within {format_distance(MAX_SPAN_M)} edge to edge: "
            "a smaller spacing or fewer points",
        )


def _check_centre(lat: float, lng: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lng)) or abs(lat) > 90 or abs(lng) > 180:
        raise UsageError(
            f"not a location: {lat}, {lng}", hint="latitude −90…90, longitude −180…180"
        )
    if abs(lat) > MAX_ABS_LATITUDE:
        raise UsageError(
            f"too close to a pole for a grid: latitude {lat}",
            hint=f"grids work up to {MAX_ABS_LATITUDE:g}° north or south",
        )


def build_grid(
    lat: float,
    lng: float,
    size: int,
    *,
    spacing: str | float | None = None,
    radius: str | float | None = None,
) -> Grid:
    """The grid of `size × size` points around a store, spaced by `spacing` or spread over
    `radius` (text like `1km`, or metres). Raises `UsageError` with a hint for a size, a
    spacing or a place that would make a meaningless or absurdly large scan."""
    _check_centre(lat, lng)
    metres = grid_spacing(size, spacing=spacing, radius=radius)
    _check_spacing(size, metres)
    lng = _wrap_longitude(lng)  # 180 and -180 are one meridian: one key, one output range
    half = size // 2
    points = []
    for row in range(size):
        for col in range(size):
            east, north = (col - half) * metres, (half - row) * metres
            if row == half and col == half:
                p_lat, p_lng = lat, lng  # the store itself, exactly
            else:
                p_lat, p_lng = offset(lat, lng, east, north)
            points.append(GridPoint(row, col, p_lat, p_lng, row * size + col, east, north))
    return Grid(lat, lng, size, metres, tuple(points))
