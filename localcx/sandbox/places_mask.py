"""The Places (New) response field mask: where it comes from, which paths exist, what it costs.

Places has no default response: the caller must name fields (`X-Goog-FieldMask`, or the
`fields` / `$fields` system parameter), and Google bills each request at the highest SKU any
named field triggers (GOOGLE-API.md §5). Valid paths are read from the discovery document's
`GoogleMapsPlacesV1SearchTextResponse` schema; unlike `readMask` paths they may go through
repeated fields (`places.id` selects `id` in every element of `places`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from localcx.sandbox import discovery
from localcx.sandbox.wire import ApiError, apply_mask, parse_mask

PLACES = "places"
RESPONSE_SCHEMA = "GoogleMapsPlacesV1SearchTextResponse"
MISSING_MASK = (
    "FieldMask is a required parameter. See https://cloud.google.com/apis/docs/system-parameters "
    "on how to provide it. As an example, you can set the header 'X-Goog-FieldMask' to value "
    "'places.displayName', 'places.id' to ask for the display name and the place id of a "
    "place. You can also set the value to '*' in manual testing to get all the available "
    "response fields.")

# SKU tiers, cheapest first. Text Search bills the highest tier any masked field triggers.
IDS_ONLY, PRO, ENTERPRISE, ATMOSPHERE = "ids_only", "pro", "enterprise", "enterprise_atmosphere"
SKUS = (IDS_ONLY, PRO, ENTERPRISE, ATMOSPHERE)
_IDS_ONLY_FIELDS = frozenset({"id", "name", "attributions", "movedPlace", "movedPlaceId"})
_PRO_FIELDS = frozenset({
    "accessibilityOptions", "addressComponents", "addressDescriptor", "adrFormatAddress",
    "businessStatus", "containingPlaces", "displayName", "formattedAddress", "googleMapsLinks",
    "googleMapsTypeLabel", "googleMapsUri", "iconBackgroundColor", "iconMaskBaseUri",
    "location", "photos", "plusCode", "postalAddress", "primaryType", "primaryTypeDisplayName",
    "pureServiceAreaBusiness", "shortFormattedAddress", "subDestinations", "timeZone", "types",
    "utcOffsetMinutes", "viewport"})
_ENTERPRISE_FIELDS = frozenset({
    "currentOpeningHours", "currentSecondaryOpeningHours", "internationalPhoneNumber",
    "nationalPhoneNumber", "priceLevel", "priceRange", "rating", "regularOpeningHours",
    "regularSecondaryOpeningHours", "userRatingCount", "websiteUri"})
# Top-level response fields other than `places`: the page token is free; searchUri is billed
# as Pro (a guess: Google's SKU table does not list it); the rest are not emulated.
_TOP_LEVEL_SKU = {"nextPageToken": IDS_ONLY, "searchUri": PRO}


def _walk(api: str, name: str, prefix: str, depth: int, out: set[str]) -> None:
    for field, spec in discovery.schema(api, name).get("properties", {}).items():
        path = prefix + field
        out.add(path)
        ref = spec.get("$ref") or spec.get("items", {}).get("$ref")
        if ref and depth < 4:
            _walk(api, ref, path + ".", depth + 1, out)


@cache
def valid_paths() -> frozenset[str]:
    """Every field-mask path into a searchText response, through lists too."""
    out: set[str] = set()
    _walk(PLACES, RESPONSE_SCHEMA, "", 0, out)
    return frozenset(out)


def response_mask(headers: dict[str, str], system: dict[str, str]) -> list[str]:
    """The caller's mask paths; 400 when there is none or a path names no response field.
    The header wins over the `fields` / `$fields` parameters, as on Google's front end."""
    raw = headers.get("x-goog-fieldmask") or system.get("fields") or system.get("$fields") or ""
    paths = parse_mask(raw)
    if not paths:
        raise ApiError(400, MISSING_MASK)
    known = valid_paths()
    for path in paths:
        if path != "*" and path not in known:
            raise ApiError(400, "Error expanding 'fields' parameter. Cannot find matching "
                                f"fields for path '{path}'.")
    return paths


def _place_field_sku(field: str) -> str:
    if field in _IDS_ONLY_FIELDS:
        return IDS_ONLY
    if field in _PRO_FIELDS:
        return PRO
    if field in _ENTERPRISE_FIELDS:
        return ENTERPRISE
    return ATMOSPHERE  # reviews, servesCoffee, dineIn, …: the Atmosphere data


def sku_for(paths: list[str]) -> str:
    """The SKU tier one request with this mask is billed at: the highest any path triggers
    (`*` or the whole `places` object: every field, so the top tier)."""
    tiers = []
    for path in paths:
        top, _, rest = path.partition(".")
        if path == "*" or (top == PLACES and not rest):
            tiers.append(ATMOSPHERE)
        elif top == PLACES:
            tiers.append(_place_field_sku(rest.split(".")[0]))
        else:
            tiers.append(_TOP_LEVEL_SKU.get(top, ATMOSPHERE))
    return max(tiers, key=SKUS.index)


def masked_response(places: list[dict[str, Any]], next_token: str,
                    paths: list[str]) -> dict[str, Any]:
    """The answer holding only masked fields (proto3 defaults pruned); `{}` when empty.
    `nextPageToken` appears only when named (or `*`), as Google does."""
    everything = "*" in paths
    whole_place = everything or PLACES in paths
    place_paths = [p.split(".", 1)[1] for p in paths if p.startswith(PLACES + ".")]
    out: dict[str, Any] = {}
    if whole_place or place_paths:
        shown = [apply_mask(p, list(p)) if whole_place else apply_mask(p, place_paths)
                 for p in places]
        shown = [p for p in shown if p]
        if shown:
            out[PLACES] = shown
    if next_token and (everything or "nextPageToken" in paths):
        out["nextPageToken"] = next_token
    return out
