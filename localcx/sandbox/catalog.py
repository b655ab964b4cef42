"""Account Management `accounts.list`; Business Information `categories.list` and
`categories.batchGet`."""

from __future__ import annotations

import re
from typing import Any

from localcx.sandbox import categories, discovery
from localcx.sandbox.binding import Request, paginate
from localcx.sandbox.wire import bad_request, camel_to_snake, not_found

_TYPE_FILTER = re.compile(r'^\s*type\s*=\s*"?([A-Z_]+)"?\s*$')
_NAME_FILTER = re.compile(r'^\s*display_?[Nn]ame\s*=\s*"?(.*?)"?\s*$')


def list_accounts(app: Any, req: Request) -> dict[str, Any]:
    """The caller's PERSONAL account first, then the groups; `filter=type=…` only."""
    accounts = app.state.accounts()
    parent = req.params.get("parentAccount", "")
    if parent:
        if app.state.account(parent) is None:
            raise not_found()
        accounts = []  # no organisation or user group in the world: nothing sits under one
    filter_text = req.params.get("filter", "")
    if filter_text:
        m = _TYPE_FILTER.match(filter_text)
        types = discovery.enum_values(discovery.ACCOUNT_MANAGEMENT, "Account", "type")
        if not m or m.group(1) not in types:
            raise bad_request([("filter", f"Invalid filter: {filter_text}. Only "
                                          "type=<AccountType> is supported.")])
        accounts = [a for a in accounts if a.get("type") == m.group(1)]
    page, token = paginate(accounts, req, default=20, maximum=20,
                           scope=f"accounts|{parent}|{filter_text}")
    out: dict[str, Any] = {}
    if page:
        out["accounts"] = page
    if token:
        out["nextPageToken"] = token
    return out


def _require(req: Request, *names: str) -> None:
    """400 naming every required parameter that is absent (an UNSPECIFIED view is absent)."""
    missing = [(camel_to_snake(n), "Field is required") for n in names
               if req.params.get(n, "") in ("", "CATEGORY_VIEW_UNSPECIFIED")]
    if missing:
        raise bad_request(missing)


def batch_get_categories(app: Any, req: Request) -> dict[str, Any]:
    """The named categories (`names` repeated, every value kept) in `languageCode`."""
    _require(req, "languageCode", "view")
    names = req.params.values_of("names")
    if not names:
        raise bad_request([("names", "At least one name must be set.")])
    unknown = [n for n in names if not categories.exists(n)]
    if unknown:
        raise bad_request([("names", f"Unknown category: {n}") for n in unknown])
    full = req.params["view"] == "FULL"
    return {"categories": [categories.category(n, req.params["languageCode"], full=full)
                           for n in dict.fromkeys(names)]}


def list_categories(app: Any, req: Request) -> dict[str, Any]:
    """The catalogue in `languageCode`; regionCode, languageCode and view are required
    (discovery marks all three "Required.")."""
    _require(req, "regionCode", "languageCode", "view")
    filter_text = req.params.get("filter", "")
    needle = ""
    if filter_text:
        m = _NAME_FILTER.match(filter_text)
        if not m:
            raise bad_request([("filter", f"Invalid filter: {filter_text}. Only "
                                          "displayName=<text> is supported.")])
        needle = m.group(1)
    full = req.params.get("view") == "FULL"
    items = categories.catalogue(req.params["languageCode"], full=full, name_filter=needle)
    scope = "|".join(["categories", req.params["regionCode"], req.params["languageCode"],
                      req.params.get("view", ""), filter_text])
    page, token = paginate(items, req, default=100, maximum=100, scope=scope)
    out: dict[str, Any] = {}
    if page:
        out["categories"] = page
    if token:
        out["nextPageToken"] = token
    return out
