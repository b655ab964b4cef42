"""A searchText request body, checked as Places (New) checks it, as a plain frozen value.

Rules (GOOGLE-API.md §3.12 and §7): `textQuery` required; `pageSize` 0/unset → 20, above 20
clamped, negative → 400 (`maxResultCount`, deprecated, is used only when `pageSize` is not);
`locationBias` is a circle (radius 0–50,000 m) or a rectangle; `locationRestriction` is a
rectangle only and excludes a bias; `regionCode` has two letters; `rankPreference` comes from
the discovery enum. A field the request message does not have is a 400, as in proto JSON.
The `scope` of a request is everything but the paging fields: a page token is bound to it.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

from localcx.sandbox import discovery
from localcx.sandbox.wire import ApiError, bad_request, camel_to_snake, snake_to_camel

REQUEST_SCHEMA = "GoogleMapsPlacesV1SearchTextRequest"
PAGE_SIZE = 20
MAX_RADIUS = 50_000.0
PAGING_FIELDS = frozenset({"pageToken", "pageSize", "maxResultCount"})


@dataclass(frozen=True)
class Area:
    """Where to search: a centre and a radius in metres (a rectangle → its centre and half
    diagonal), and the rectangle's corners when it restricts the results."""

    lat: float
    lng: float
    radius: float
    bounds: tuple[float, float, float, float] | None = None  # low lat, low lng, high lat, high lng

    def contains(self, lat: float, lng: float) -> bool:
        if self.bounds is None:
            return True
        low_lat, low_lng, high_lat, high_lng = self.bounds
        inside_lng = (low_lng <= lng <= high_lng if low_lng <= high_lng
                      else lng >= low_lng or lng <= high_lng)  # across the antimeridian
        return low_lat <= lat <= high_lat and inside_lng


@dataclass(frozen=True)
class SearchText:
    text_query: str
    page_size: int
    page_token: str
    area: Area | None  # None: no bias or restriction given
    restricted: bool  # the area is a locationRestriction (results outside it are dropped)
    rank_preference: str  # "", RELEVANCE or DISTANCE
    language_code: str
    region_code: str
    included_type: str
    min_rating: float
    scope: str  # a digest of every non-paging field, to bind page tokens


def _violation(field: str, description: str) -> ApiError:
    return bad_request([(camel_to_snake(field), description)])


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _violation(field, f"Invalid value at '{camel_to_snake(field)}' (TYPE_DOUBLE)")
    return float(value)


def _lat_lng(value: Any, field: str) -> tuple[float, float]:
    if not isinstance(value, dict):
        raise _violation(field, "Field is required")
    lat = _number(value.get("latitude", 0.0), field + ".latitude")
    lng = _number(value.get("longitude", 0.0), field + ".longitude")
    if not -90.0 <= lat <= 90.0 or not -180.0 <= lng <= 180.0:
        raise _violation(field, "Invalid latitude/longitude: latitude must be in [-90, 90] "
                                "and longitude in [-180, 180].")
    return lat, lng


def _rectangle(value: Any, field: str) -> Area:
    if not isinstance(value, dict) or "low" not in value or "high" not in value:
        raise _violation(field, "A rectangle needs both low and high.")
    low = _lat_lng(value["low"], field + ".low")
    high = _lat_lng(value["high"], field + ".high")
    if low[0] > high[0]:
        raise _violation(field, "The rectangle's low latitude is above its high latitude.")
    width = (high[1] - low[1]) % 360.0
    if width > 180.0:
        raise _violation(field, "The rectangle is wider than 180 degrees.")
    lat = (low[0] + high[0]) / 2
    lng = (low[1] + width / 2 + 180.0) % 360.0 - 180.0
    half_diag = distance_m(low[0], low[1], high[0], high[1]) / 2
    return Area(lat, lng, half_diag, (low[0], low[1], high[0], high[1]))


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(a)))



def _bias(value: Any) -> Area:
    if not isinstance(value, dict) or len(value) != 1 or set(value) - {"circle", "rectangle"}:
        raise _violation("locationBias", "Exactly one of circle or rectangle must be set.")
    if "rectangle" in value:
        return _rectangle(value["rectangle"], "locationBias.rectangle")
    circle = value["circle"]
    if not isinstance(circle, dict):
        raise _violation("locationBias.circle", "Field is required")
    lat, lng = _lat_lng(circle.get("center"), "locationBias.circle.center")
    radius = _number(circle.get("radius", 0.0), "locationBias.circle.radius")
    if not 0.0 <= radius <= MAX_RADIUS:
        raise _violation("locationBias.circle.radius",
                         "Invalid radius. Radius must be between 0.0 and 50000.0, inclusive.")
    return Area(lat, lng, radius)


def _restriction(value: Any) -> Area:
    if not isinstance(value, dict) or set(value) != {"rectangle"}:
        raise _violation("locationRestriction",
                         "Text Search supports only a rectangle as a location restriction.")
    return _rectangle(value["rectangle"], "locationRestriction.rectangle")


def _page_size(body: dict[str, Any]) -> int:
    for field in ("pageSize", "maxResultCount"):
        value = body.get(field, 0)
        if isinstance(value, bool) or not isinstance(value, int):
            raise _violation(field, f"Invalid value at '{camel_to_snake(field)}' (TYPE_INT32)")
        if value < 0:
            raise _violation(field, f"{field} must not be negative.")
        if value:
            return min(value, PAGE_SIZE)
    return PAGE_SIZE


def _normalise(raw: dict[str, Any]) -> dict[str, Any]:
    """camelCase keys (proto JSON accepts snake_case too); 400 on a field the message lacks."""
    known = discovery.schema("places", REQUEST_SCHEMA)["properties"]
    body: dict[str, Any] = {}
    for key, value in raw.items():
        name = snake_to_camel(key)
        if name not in known:
            msg = f'Invalid JSON payload received. Unknown name "{key}": Cannot find field.'
            raise bad_request([("", msg)], msg)
        body[name] = value
    return body


def _string(body: dict[str, Any], field: str) -> str:
    value = body.get(field, "")
    if not isinstance(value, str):
        raise _violation(field, f"Invalid value at '{camel_to_snake(field)}' (TYPE_STRING)")
    return value


def parse(raw: dict[str, Any]) -> SearchText:
    """The checked request; raises the 400 Google would send for the first broken rule."""
    body = _normalise(raw)
    query = _string(body, "textQuery").strip()
    if not query:
        raise _violation("textQuery", "Field is required")
    if "locationBias" in body and "locationRestriction" in body:
        raise _violation("locationRestriction",
                         "location_bias and location_restriction cannot both be set.")
    area = (_bias(body["locationBias"]) if "locationBias" in body else
            _restriction(body["locationRestriction"]) if "locationRestriction" in body else None)
    region = _string(body, "regionCode")
    if region and not (len(region) == 2 and region.isascii() and region.isalpha()):
        raise _violation("regionCode", f"Invalid region code: {region}. Use a two-letter "
                                       "CLDR region code.")
    rank = _string(body, "rankPreference")
    if rank and rank not in discovery.schema("places", REQUEST_SCHEMA)["properties"][
            "rankPreference"]["enum"]:
        raise _violation("rankPreference", f"Invalid value at 'rank_preference' (TYPE_ENUM), "
                                           f"\"{rank}\"")
    min_rating = _number(body.get("minRating", 0.0), "minRating")
    if not 0.0 <= min_rating <= 5.0:
        raise _violation("minRating", "minRating must be between 0.0 and 5.0, inclusive.")
    scope_fields = {k: v for k, v in body.items() if k not in PAGING_FIELDS}
    scope = hashlib.sha256(json.dumps(scope_fields, sort_keys=True, ensure_ascii=False)
                           .encode("utf-8")).hexdigest()[:16]
    return SearchText(
        text_query=query, page_size=_page_size(body), page_token=_string(body, "pageToken"),
        area=area, restricted="locationRestriction" in body,
        rank_preference="" if rank == "RANK_PREFERENCE_UNSPECIFIED" else rank,
        language_code=_string(body, "languageCode"), region_code=region.upper(),
        included_type=_string(body, "includedType"), min_rating=min_rating, scope=scope)
