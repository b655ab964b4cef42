"""Places API (New) `POST /v1/places:searchText`: API-key auth, field mask, paging, billing.

**Auth** is by API key, in `X-Goog-Api-Key` or `?key=` (the header wins). A Business Profile
bearer token does not do: its only scope, business.manage, does not cover Places, so a token
without a key gets Google's 403 PERMISSION_DENIED ACCESS_TOKEN_SCOPE_INSUFFICIENT; no
credential at all gets 403 "The request is missing a valid API key.". Which keys are valid:
the app's `api_keys` when it was given some; otherwise any key of 1–256 characters from
`A-Z a-z 0-9 - _ . ~` (no spaces) that does not start with `bad` (any case), so tests can
send `bad-key` for the failure. An invalid or empty key: 400 INVALID_ARGUMENT "API key not
valid. Please pass a valid API key." with ErrorInfo API_KEY_INVALID.

**Answer**: only the masked fields (places_mask.py), ranked by places_rank.py over the world's
places (places_pool.py); pages of up to 20 and at most 60 results, each page token bound to
every other field of the first request. Each answered call is billed at its mask's SKU tier
in the state file (`SandboxState.places_billing()`).
"""

from __future__ import annotations

import re
from typing import Any

from localcx.sandbox import places_mask, places_pool, places_rank, places_request
from localcx.sandbox.binding import Request, decode_token, encode_token
from localcx.sandbox.locations import google_view
from localcx.sandbox.wire import TYPE_PREFIX, ApiError, bad_request, parse_mask

SERVICE_HOST = "places.googleapis.com"
RPC_METHOD = "google.maps.places.v1.Places.SearchText"
_KEY = re.compile(r"[A-Za-z0-9_.~-]{1,256}")
INVALID_KEY = "API key not valid. Please pass a valid API key."
MISSING_KEY = "The request is missing a valid API key."
SCOPE_INSUFFICIENT = "Request had insufficient authentication scopes."


def key_is_valid(key: str, accepted: frozenset[str] | None) -> bool:
    """The sandbox's rule for API keys (see the module docstring)."""
    if accepted is not None:
        return key in accepted
    return bool(_KEY.fullmatch(key)) and not key.casefold().startswith("bad")


def _error_info(reason: str) -> dict[str, Any]:
    return {"@type": TYPE_PREFIX + "google.rpc.ErrorInfo", "reason": reason,
            "domain": "googleapis.com",
            "metadata": {"service": SERVICE_HOST, "method": RPC_METHOD}}


def authenticate(headers: dict[str, str], system: dict[str, str], has_bearer: bool,
                 accepted: frozenset[str] | None) -> None:
    """Raise Google's answer unless the request carries a valid API key."""
    key = headers.get("x-goog-api-key")
    if key is None:
        key = system.get("key")
    if key is None:
        if has_bearer:
            raise ApiError(403, SCOPE_INSUFFICIENT, [_error_info("ACCESS_TOKEN_SCOPE_INSUFFICIENT")],
                           {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", '
                                                'error="insufficient_scope", '
                                                'scope="https://www.googleapis.com/auth/cloud-platform"'})
        raise ApiError(403, MISSING_KEY)
    if not key_is_valid(key, accepted):
        info = _error_info("API_KEY_INVALID")
        info["metadata"] = {"service": SERVICE_HOST}
        raise ApiError(400, INVALID_KEY, [info, {
            "@type": TYPE_PREFIX + "google.rpc.LocalizedMessage", "locale": "en-US",
            "message": INVALID_KEY}])


def search_text(app: Any, req: Request) -> dict[str, Any]:
    """`places.searchText`: the masked page of ranked places (see the module docstring)."""
    paths = places_mask.response_mask(req.headers, req.system)
    search = places_request.parse(req.json_body())
    offset = decode_token(search.page_token, search.scope)
    if offset >= places_rank.MAX_RESULTS:
        raise bad_request([("page_token", "Invalid page token.")])
    state = app.state
    stores = [google_view(state, loc, req.now)[0] for loc in state.locations()]
    area = search.area or places_pool.guess_area(search.text_query, stores)
    reach = area.radius if search.restricted else places_rank.reach(area)
    cands = places_pool.candidates(state.seed, stores, area, reach)
    ranked = places_rank.rank(cands, search, area, seed=state.seed, day=int(req.now // 86_400))
    page = ranked[offset:offset + search.page_size]
    end = offset + search.page_size
    token = encode_token(end, search.scope) if end < len(ranked) else ""
    out = places_mask.masked_response(page, token, paths)
    state.billing.add(places_mask.sku_for(paths))
    return out


def get_place(app: Any, req: Request) -> dict[str, Any]:
    """`places.get` (Place Details): one place by id, masked like a searchText place
    (the mask names Place fields directly: `displayName,rating`). Billed at its SKU."""
    raw = req.headers.get("x-goog-fieldmask") or req.system.get("fields") or req.system.get("$fields") or ""
    fields = parse_mask(raw)
    if not fields:
        raise ApiError(400, places_mask.MISSING_MASK)
    paths = places_mask.response_mask(
        {"x-goog-fieldmask": ",".join(p if p == "*" else f"places.{p}" for p in fields)}, {}
    )
    place_id = req.path_args.get("place", "")
    state = app.state
    stores = [google_view(state, loc, req.now)[0] for loc in state.locations()]
    for candidate in places_pool.every_place(state.seed, stores):
        if candidate.place.get("id") == place_id:
            shown = places_mask.masked_response([candidate.place], "", paths).get("places", [{}])[0]
            state.billing.add(places_mask.sku_for(paths))
            return shown
    raise ApiError(404, f"Place '{place_id}' not found.")
