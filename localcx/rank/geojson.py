"""A scan's grid as GeoJSON (RFC 7946), for QGIS, geojson.io, Kepler or a web map.

One Point Feature per grid point. Coordinates are `[longitude, latitude]` (RFC 7946 §3.1.1:
longitude first, WGS84, no `crs` member) rounded to 7 decimals (about a centimetre).
Properties: `row`, `col`, `index`, `store` (true on the centre point), `asked` (false for a
point that got no answer), `position` (1-based, or null when not found or not asked) and
`top_place_ids` (the first few ids answered there, best first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from localcx.rank.grid import Grid

COORDINATE_DECIMALS = 7
TOP_IDS = 3


def feature_collection(
    grid: Grid,
    positions: Sequence[int | None] | Mapping[int, int | None],
    top_place_ids: Sequence[Sequence[str]] | Mapping[int, Sequence[str]] | None = None,
    *,
    top: int = TOP_IDS,
    properties: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The FeatureCollection of `grid`'s points with each one's position. `positions` and
    `top_place_ids` are in index order, or Mappings by index that leave out points not asked.
    `properties` (e.g. keyword, scanned_at) is added to every feature's properties."""
    if not isinstance(positions, Mapping) and len(positions) != len(grid.points):
        raise ValueError(f"{len(positions)} positions for {len(grid.points)} grid points")
    by_index = positions if isinstance(positions, Mapping) else dict(enumerate(positions))
    ids: Mapping[int, Sequence[str]]
    if top_place_ids is None:
        ids = {}
    elif isinstance(top_place_ids, Mapping):
        ids = top_place_ids
    else:
        ids = dict(enumerate(top_place_ids))
    centre = grid.centre.index
    features = []
    for point in grid.points:
        props: dict[str, Any] = dict(properties or {})
        props.update(
            row=point.row,
            col=point.col,
            index=point.index,
            store=point.index == centre,
            asked=point.index in by_index,
            position=by_index.get(point.index),
            top_place_ids=list(ids.get(point.index, ()))[:top],
        )
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(point.lng, COORDINATE_DECIMALS),
                        round(point.lat, COORDINATE_DECIMALS),
                    ],
                },
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}
