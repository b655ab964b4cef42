"""Business Information v1 location methods: list, get, patch, getGoogleUpdated.

Two versions of each location exist, as at Google: the merchant's (what `get` answers) and the
live one on Maps (merchant data with Google's overrides, and with edits under review still
showing the old value), which `getGoogleUpdated` answers with `diffMask` and `pendingMask`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from localcx.sandbox import categories, discovery, rules, validate
from localcx.sandbox.binding import Request, paginate
from localcx.sandbox.quota import Quotas, next_pacific_midnight
from localcx.sandbox.state import SandboxState
from localcx.sandbox.wire import (
    apply_mask,
    bad_request,
    camel_to_snake,
    get_path,
    not_found,
    prune,
    rule_error,
    set_path,
    snake_to_camel,
    top_level,
)

REVIEWED_FIELDS = ("title", "categories", "storefrontAddress")  # edits go through review
WHOLE_ONLY = ("phoneNumbers", "categories")  # may not be masked by sub-field
IMMUTABLE = ("languageCode",)
_ORDER_FIELDS = {"title": "title", "store_code": "storeCode", "storeCode": "storeCode"}


# -- views ---------------------------------------------------------------------------------
def google_view(state: SandboxState, loc: dict[str, Any], now: float) -> tuple[dict, list, list]:
    """(live location, diff fields, pending fields) for a merchant location."""
    name = loc["name"]
    overrides = state.google_live(name)
    pending = state.pending(name, now)
    live = dict(loc)
    for field, value in overrides.items():
        live[field] = value
    for field, old in pending.items():
        if old is None:
            live.pop(field, None)
        else:
            live[field] = old
    diff = [f for f, v in overrides.items() if f not in pending and loc.get(f) != v]
    return live, diff, list(pending)


def with_flags(state: SandboxState, loc: dict[str, Any], now: float) -> dict[str, Any]:
    """The location with metadata.hasGoogleUpdated / hasPendingEdits filled in."""
    _, diff, pending = google_view(state, loc, now)
    if not diff and not pending:
        return loc
    out = dict(loc)
    meta = dict(out.get("metadata", {}))
    meta["hasGoogleUpdated"] = bool(diff)
    meta["hasPendingEdits"] = bool(pending)
    out["metadata"] = meta
    return out


# -- masks ---------------------------------------------------------------------------------
def read_mask(req: Request) -> list[str]:
    paths = req.mask("readMask")
    valid = discovery.location_paths()
    bad = [p for p in paths if p not in valid]
    if bad:
        raise bad_request([("read_mask", f"Invalid field mask path: {p}") for p in bad],
                          "Request contains an invalid argument.")
    return paths


def update_mask(req: Request) -> list[str]:
    paths = req.mask("updateMask")
    valid = discovery.location_paths()
    violations: list[tuple[str, str]] = []
    for p in paths:
        head = p.split(".")[0]
        if p not in valid:
            violations.append(("update_mask", f"Invalid field mask path: {p}"))
        elif p == "name" or valid[p]:
            violations.append(("update_mask", f"{p} is output only and cannot be updated."))
        elif head in IMMUTABLE:
            violations.append((camel_to_snake(head), "Field is immutable."))
        elif head in WHOLE_ONLY and p != head:
            violations.append(("update_mask",
                               f"{p}: {camel_to_snake(head)} must be updated as a whole "
                               f"(updateMask={head})."))
    if violations:
        raise bad_request(violations)
    return paths


# -- lookup --------------------------------------------------------------------------------
def _location(state: SandboxState, location_id: str) -> dict[str, Any]:
    if not location_id.isdigit():
        raise bad_request([("name", f"Invalid location name: locations/{location_id}")])
    loc = state.location(f"locations/{location_id}")
    if loc is None:
        raise not_found()
    return loc


# -- list filter and order -----------------------------------------------------------------
_TERM = re.compile(r'^\s*([A-Za-z_.]+)\s*([=:])\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))\s*$')


def _parse_filter(text: str) -> list[tuple[str, str, str]]:
    """`FIELD=VALUE` / `FIELD:VALUE` terms joined by AND (values optionally quoted)."""
    terms = []
    for part in re.split(r"\s+AND\s+", text.strip()) if text.strip() else []:
        m = _TERM.match(part)
        path = snake_to_camel(m.group(1)) if m else ""
        if not m or path not in discovery.location_paths():
            raise bad_request([("filter", f"Invalid filter: {text}")])
        value = m.group(3) if m.group(3) is not None else m.group(4)
        terms.append((path, m.group(2), value.replace('\\"', '"')))
    return terms


def _matches(loc: dict[str, Any], terms: list[tuple[str, str, str]]) -> bool:
    for path, op, value in terms:
        actual = get_path(loc, path)
        if isinstance(actual, list):
            ok = value in actual if op == "=" else any(value in str(a) for a in actual)
        elif op == "=":
            ok = str(actual if actual is not None else "") == value
        else:
            ok = value.lower() in str(actual or "").lower()
        if not ok:
            return False
    return True


def _sort_key(field: str) -> Callable[[dict[str, Any]], str]:
    return lambda loc: str(loc.get(field, ""))


def _order(locs: list[dict[str, Any]], order_by: str) -> list[dict[str, Any]]:
    keys: list[tuple[str, bool]] = []
    for part in (p.strip() for p in order_by.split(",") if p.strip()):
        words = part.split()
        if words[0] not in _ORDER_FIELDS or len(words) > 2 or (
                len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise bad_request([("order_by", f"Invalid order_by: {order_by}. Valid fields are "
                                            "title and store_code, optionally with ' desc'.")])
        keys.append((_ORDER_FIELDS[words[0]], len(words) == 2 and words[1].lower() == "desc"))
    out = list(locs)
    for field, desc in reversed(keys):  # stable sorts, least significant key first
        out.sort(key=_sort_key(field), reverse=desc)
    return out


# -- handlers ------------------------------------------------------------------------------
def list_locations(app: Any, req: Request) -> dict[str, Any]:
    state: SandboxState = app.state
    account = req.path_args["account"]
    mask = read_mask(req)
    if account == "-":
        locs = state.locations()
    elif state.account(f"accounts/{account}") is None:
        raise not_found()
    else:
        locs = state.locations(f"accounts/{account}")
    filter_text = req.params.get("filter", "")
    terms = _parse_filter(filter_text)
    if terms:
        locs = [loc for loc in locs if _matches(loc, terms)]
    order_by = req.params.get("orderBy", "")
    if order_by:
        locs = _order(locs, order_by)
    scope = f"locations|{account}|{filter_text}|{order_by}"
    page, token = paginate(locs, req, default=10, maximum=100, scope=scope)
    out: dict[str, Any] = {}
    items = [apply_mask(with_flags(state, loc, req.now), mask) for loc in page]
    if items:
        out["locations"] = items
    if token:
        out["nextPageToken"] = token
    if terms and locs:
        out["totalSize"] = len(locs)
    return out


def get_location(app: Any, req: Request) -> dict[str, Any]:
    mask = read_mask(req)
    loc = _location(app.state, req.path_args["location"])
    return apply_mask(with_flags(app.state, loc, req.now), mask)


def get_google_updated(app: Any, req: Request) -> dict[str, Any]:
    mask = read_mask(req)
    loc = _location(app.state, req.path_args["location"])
    live, diff, pending = google_view(app.state, with_flags(app.state, loc, req.now), req.now)
    out: dict[str, Any] = {"location": apply_mask(live, mask)}
    if diff:
        out["diffMask"] = ",".join(diff)
    if pending:
        out["pendingMask"] = ",".join(pending)
    return out


def patch_location(app: Any, req: Request) -> dict[str, Any]:
    state: SandboxState = app.state
    quotas: Quotas = app.quotas
    paths = update_mask(req)
    validate_only = req.bool_param("validateOnly")
    body = req.json_body()
    validate.check_shape(body)
    with state.lock:  # read, check quotas and write as one step
        loc = _location(state, req.path_args["location"])
        merged = copy.deepcopy(loc)
        for path in paths:
            set_path(merged, path, get_path(body, path))
        fields = top_level(paths)
        violations = rules.business_rules(merged, loc, set(fields), req.now)
        if violations:
            raise rule_error(violations, f"{req.service}.googleapis.com")
        _fill_category_names(merged)
        merged = prune(merged) or {}
        if validate_only:
            return {}
        name = loc["name"]
        day_start, _ = next_pacific_midnight(req.now)
        quotas.check_edit(req.service, name, state.edit_times(name, req.now - 60.0),
                          state.patches_since(day_start), req.now)
        reviewed = [f for f in fields if f in REVIEWED_FIELDS and loc.get(f) != merged.get(f)]
        state.commit_patch(name, merged, update_mask=",".join(paths), body=body, now=req.now,
                           touched=fields, reviewed=reviewed)
        return apply_mask(with_flags(state, merged, req.now), ["name", *paths])


def _fill_category_names(loc: dict[str, Any]) -> None:
    """Only `name` is writable: Google fills displayName in the location's language."""
    cats = loc.get("categories")
    if not isinstance(cats, dict):
        return
    lang = loc.get("languageCode", "en")
    for cat in [cats.get("primaryCategory"), *(cats.get("additionalCategories") or [])]:
        if isinstance(cat, dict) and cat.get("name"):
            for key in ("serviceTypes", "moreHoursTypes"):
                cat.pop(key, None)
            cat["displayName"] = categories.display_name(cat["name"], lang)
