"""Account Management `accounts.list` and Business Information `categories.list`."""

from __future__ import annotations

import re
from typing import Any

from localcx.sandbox import categories, discovery
from localcx.sandbox.binding import Request, paginate
from localcx.sandbox.wire import bad_request, not_found

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


def list_categories(app: Any, req: Request) -> dict[str, Any]:
    """The catalogue in `languageCode`; regionCode and languageCode are required."""
    missing = [(f, "Field is required") for f, p in (("region_code", "regionCode"),
                                                     ("language_code", "languageCode"))
               if not req.params.get(p)]
    if missing:
        raise bad_request(missing)
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
