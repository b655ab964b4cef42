"""Map rank tracking on a geo-grid: the pure core, with no storage and no HTTP.

A rank scan asks Places API (New) `places:searchText` the same keyword at every point of a
square grid around a store (a `locationBias` circle centred on the point, field mask
`places.id,nextPageToken`, the free IDs Only SKU) and looks for the store's place id in
the ordered answer. The modules here are what the scan engine, the tables and the
commands stand on:

- `grid`     the points of an N×N grid around a store, from `500m` / `1km` / `0.5mi` text;
- `metrics`  ARP, ATRP, SoLV and found share for the store and every competitor seen,
             and the change against a previous scan;
- `cost`     which SKU a field mask is billed at, what a scan plan costs, budget checks;
- `geojson`  a scan's points as an RFC 7946 FeatureCollection.

The terminal heatmap and sparkline live with the other views in `localcx/render/heatmap.py`.
Positions are "Places API rank": Google does not document them as equal to the Maps app's
local pack, so every view labels them that way.
"""
