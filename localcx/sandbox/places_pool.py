"""The places a Text Search can find: the merchant's stores (as Maps shows them) and their rivals.

A store is a Place only when it is on Maps (`metadata.placeId`); its `id` is that place id and
its fields are what Maps shows (Google's live values and edits still in review, not the
merchant's pending data, see locations.google_view). Rivals come from world_places, which
scatters them within about 1.5 km of each store, so only stores near the search area are
expanded: a 10,000-store world costs one distance check per store and a few dozen rival lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from localcx.sandbox import world_places, world_reviews
from localcx.sandbox.places_request import Area, distance_m
from localcx.sandbox.world_geo import JP_AREAS, US_AREAS

RIVAL_SPREAD_M = 1_600.0  # world_places puts rivals within 1.5 km of their store
_STATUS = {"OPEN": "OPERATIONAL", "CLOSED_TEMPORARILY": "CLOSED_TEMPORARILY",
           "CLOSED_PERMANENTLY": "CLOSED_PERMANENTLY"}
_COMMON_TYPES = ("food", "point_of_interest", "establishment")


@dataclass(frozen=True)
class Candidate:
    """One findable place and whether it is one of the merchant's own (verified) profiles."""

    place: dict[str, Any]
    owned: bool


@lru_cache(maxsize=20_000)
def _rating(seed: int, name: str, language: str, primary: str) -> tuple[float, int]:
    """(average rating, review count) of a store, from its generated reviews."""
    loc = {"name": name, "languageCode": language,
           "categories": {"primaryCategory": {"name": primary}}}
    summary = world_reviews.review_summary(world_reviews.reviews_for(seed, loc))
    return float(summary.get("averageRating", 0.0)), int(summary.get("totalReviewCount", 0))


@lru_cache(maxsize=20_000)
def _rivals(seed: int, name: str, language: str, lat: float, lng: float,
            locality: str) -> tuple[dict[str, Any], ...]:
    loc = {"name": name, "languageCode": language, "latlng": {"latitude": lat, "longitude": lng},
           "storefrontAddress": {"locality": locality}}
    return tuple(world_places.competitors(seed, loc))


def _address(loc: dict[str, Any]) -> str:
    addr = loc.get("storefrontAddress", {})
    lines = addr.get("addressLines", [])
    if addr.get("regionCode") == "JP":
        return (f"日本、〒{addr.get('postalCode', '')} {addr.get('administrativeArea', '')}"
                f"{addr.get('locality', '')}{''.join(lines)}")
    parts = [*lines, addr.get("locality", ""),
             f"{addr.get('administrativeArea', '')} {addr.get('postalCode', '')}".strip(), "USA"]
    return ", ".join(p for p in parts if p)


def store_place(seed: int, live: dict[str, Any]) -> dict[str, Any] | None:
    """The Place (New) Maps shows for a store, or None when it is not on Maps."""
    meta = live.get("metadata", {})
    place_id = meta.get("placeId")
    if not place_id:
        return None
    cats = live.get("categories", {})
    primary_name = cats.get("primaryCategory", {}).get("name", "")
    slugs = [c.get("name", "").removeprefix("categories/gcid:")
             for c in [cats.get("primaryCategory", {}), *cats.get("additionalCategories", [])]]
    slugs = [s for s in dict.fromkeys(slugs) if s]
    language = live.get("languageCode", "en")
    rating, count = _rating(seed, live["name"], language, primary_name)
    latlng = live.get("latlng", {})
    phone = live.get("phoneNumbers", {}).get("primaryPhone", "")
    place: dict[str, Any] = {
        "name": f"places/{place_id}", "id": place_id,
        "displayName": {"text": live.get("title", ""), "languageCode": language},
        "types": [*slugs, *_COMMON_TYPES], "primaryType": slugs[0] if slugs else "",
        "formattedAddress": _address(live),
        "location": {"latitude": latlng.get("latitude", 0.0),
                     "longitude": latlng.get("longitude", 0.0)},
        "businessStatus": _STATUS.get(live.get("openInfo", {}).get("status", "OPEN"),
                                      "OPERATIONAL"),
        "googleMapsUri": meta.get("mapsUri", ""), "websiteUri": live.get("websiteUri", ""),
        "internationalPhoneNumber": phone, "rating": rating, "userRatingCount": count,
    }
    return {k: v for k, v in place.items() if v not in ("", 0, 0.0)}


def candidates(seed: int, stores: list[dict[str, Any]], area: Area,
               reach_m: float) -> list[Candidate]:
    """Every store (live view) and rival that may lie within `reach_m` of the area's centre."""
    out: list[Candidate] = []
    seen: set[str] = set()
    for live in stores:
        latlng = live.get("latlng", {})
        lat, lng = latlng.get("latitude", 0.0), latlng.get("longitude", 0.0)
        if distance_m(area.lat, area.lng, lat, lng) > reach_m + RIVAL_SPREAD_M:
            continue
        own = store_place(seed, live)
        if own is not None and own["id"] not in seen:
            seen.add(own["id"])
            out.append(Candidate(own, owned=True))
        locality = live.get("storefrontAddress", {}).get("locality", "")
        for rival in _rivals(seed, live["name"], live.get("languageCode", "en"), lat, lng,
                             locality):
            if rival["id"] not in seen:
                seen.add(rival["id"])
                out.append(Candidate(rival, owned=False))
    return out


def every_place(seed: int, stores: list[dict[str, Any]]) -> list[Candidate]:
    """Every store on Maps and every rival around any store (for Place Details by id)."""
    return candidates(seed, stores, Area(0.0, 0.0, 0.0), float("inf"))


def guess_area(query: str, stores: list[dict[str, Any]]) -> Area:
    """Where Google would search when the request names no area: a town or city named in the
    query, else (Google uses the caller's IP location) the first store of the chain whose
    script the query is written in."""
    folded = query.casefold()
    for jp in JP_AREAS:
        if any(name in query for name in (jp.locality, *jp.towns)):
            return Area(jp.lat, jp.lng, 3_000.0)
    for us in US_AREAS:
        if any(name.casefold() in folded for name in (us.locality, *us.neighbourhoods)):
            return Area(us.lat, us.lng, 3_000.0)
    japanese = any(ord(ch) > 0x3000 for ch in query)
    for live in stores:
        if live.get("languageCode", "en").startswith("ja") == japanese and "latlng" in live:
            return Area(live["latlng"]["latitude"], live["latlng"]["longitude"], 5_000.0)
    return Area(0.0, 0.0, 5_000.0)
