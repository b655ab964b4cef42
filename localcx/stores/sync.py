"""Reading every account and location from Google into the store master.

A sync reads all pages before writing anything, so an interrupted or failed sync never
leaves half a chain updated, then writes in one transaction through `stores.repo`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.google.business import BusinessApi
from localcx.stores import repo

Progress = Callable[[str, int], None]
CATEGORY_MAX_AGE_DAYS = 30


@dataclass
class SyncResult:
    accounts: int = 0
    stores: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    categories: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "accounts": self.accounts,
            "stores": self.stores,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "removed": len(self.removed),
            "categories_fetched": self.categories,
        }


def sync(
    db: sqlite_utils.Database,
    api: BusinessApi,
    *,
    clock: Clock | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Read every account and all of its locations; the DB changes only if all pages came."""
    now = iso((clock or Clock()).now())
    accounts = list(api.accounts())
    fetched: list[tuple[dict[str, Any], str]] = []
    for account in accounts:
        for location in api.locations(account["name"]):
            fetched.append((location, account["name"]))
            if progress:
                progress("locations", len(fetched))
    outcome = repo.save_sync(db, accounts, fetched, now)
    result = SyncResult(
        accounts=len(accounts),
        stores=len(fetched),
        new=outcome["new"],
        changed=outcome["changed"],
        unchanged=outcome["unchanged"],
        removed=outcome["removed"],
    )
    result.categories = refresh_categories(db, api, now=now)
    return result


def refresh_categories(db: sqlite_utils.Database, api: BusinessApi, *, now: str) -> int:
    """Google's category list for every (country, language) the stores use, monthly.

    Validation checks planned categories against it, so a typo is caught before any
    edit is sent. Only pairs never fetched or older than a month are read again.
    """
    due = repo.category_languages(db) - repo.fresh_category_languages(
        db, now, CATEGORY_MAX_AGE_DAYS
    )
    count = 0
    for region, language in sorted(due):
        rows = [
            {
                "name": str(c["name"]).removeprefix("categories/"),
                "display_name": c.get("displayName"),
                "region_code": region,
                "language_code": language,
                "fetched_at": now,
            }
            for c in api.categories(region, language)
        ]
        repo.replace_categories(db, region, language, rows)
        count += len(rows)
    return count
