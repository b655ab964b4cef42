"""The store master: every location Google lists for the user, flattened into SQLite.

Owns the tables accounts, locations, location_snapshots and categories. A sync reads
every account and every page, keeps Google's raw JSON beside flattened columns, and
adds a snapshot only when a store's data changed, which makes the change history.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.errors import NotFoundError
from localcx.google.business import BusinessApi
from localcx.profiles.fields import location_values

Progress = Callable[[str, int], None]

PUBLIC_COLUMNS = [
    "location_id",
    "store_code",
    "title",
    "primary_phone",
    "website",
    "address",
    "city",
    "postal_code",
    "region_code",
    "primary_category",
    "labels",
    "open_status",
    "place_id",
    "lat",
    "lng",
    "account",
    "updated_at",
]


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


def digest(location: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(location, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def location_id(location: dict[str, Any]) -> str:
    return str(location["name"]).rsplit("/", 1)[-1]


def flatten(location: dict[str, Any], account: str) -> dict[str, Any]:
    """The columns people filter and sort on; the raw JSON stays alongside."""
    address = location.get("storefrontAddress") or {}
    lines = list(address.get("addressLines") or [])
    address_text = ", ".join(
        part
        for part in [
            *lines,
            address.get("locality"),
            address.get("administrativeArea"),
            address.get("postalCode"),
        ]
        if part
    )
    latlng = location.get("latlng") or {}
    metadata = location.get("metadata") or {}
    primary = (location.get("categories") or {}).get("primaryCategory") or {}
    return {
        "location_id": location_id(location),
        "name": location["name"],
        "account": account,
        "store_code": location.get("storeCode"),
        "title": location.get("title"),
        "primary_phone": (location.get("phoneNumbers") or {}).get("primaryPhone"),
        "website": location.get("websiteUri"),
        "address": address_text or None,
        "city": address.get("locality"),
        "postal_code": address.get("postalCode"),
        "region_code": address.get("regionCode"),
        "primary_category": str(primary.get("name", "")).removeprefix("categories/") or None,
        "labels": json.dumps(location.get("labels") or [], ensure_ascii=False),
        "place_id": metadata.get("placeId"),
        "lat": latlng.get("latitude"),
        "lng": latlng.get("longitude"),
        "open_status": (location.get("openInfo") or {}).get("status"),
        "has_google_updated": int(bool(metadata.get("hasGoogleUpdated"))),
        "has_pending_edits": int(bool(metadata.get("hasPendingEdits"))),
        "raw": json.dumps(location, ensure_ascii=False, sort_keys=True),
        "digest": digest(location),
    }


def store_key(store_code: str | None, location_id: str) -> str:
    """How files name a store: its store code, or `locations/ID` for a store without one
    (Google does not require store codes), so every store can be exported and planned."""
    return store_code or f"locations/{location_id}"


def _changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


def store_location(
    db: sqlite_utils.Database, location: dict[str, Any], account: str, now: str
) -> str:
    """Upsert one location; returns 'new', 'changed' or 'unchanged'."""
    row = flatten(location, account)
    existing = next(
        db.query("select raw, digest from locations where location_id = ?", [row["location_id"]]),
        None,
    )
    if existing and existing["digest"] == row["digest"]:
        db.execute(
            "update locations set fetched_at = ?, account = ? where location_id = ?",
            [now, account, row["location_id"]],
        )
        return "unchanged"
    before = json.loads(existing["raw"]) if existing else {}
    db.table("location_snapshots").insert(
        {
            "location_id": row["location_id"],
            "taken_at": now,
            "digest": row["digest"],
            "changed_fields": json.dumps(_changed_fields(before, location)),
            "raw": row["raw"],
        }
    )
    db.table("locations").upsert({**row, "fetched_at": now, "updated_at": now}, pk="location_id")
    return "changed" if existing else "new"


def sync(
    db: sqlite_utils.Database,
    api: BusinessApi,
    *,
    clock: Clock | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Read every account and all of its locations; the DB changes only if all pages came."""
    now = iso((clock or Clock()).now())
    result = SyncResult()
    accounts = list(api.accounts())
    fetched: list[tuple[dict[str, Any], str]] = []
    for account in accounts:
        for location in api.locations(account["name"]):
            fetched.append((location, account["name"]))
            if progress:
                progress("locations", len(fetched))
    with db.atomic():
        for account in accounts:
            db.table("accounts").upsert(
                {
                    "name": account["name"],
                    "account_name": account.get("accountName"),
                    "type": account.get("type"),
                    "role": account.get("role"),
                    "raw": json.dumps(account, ensure_ascii=False),
                    "fetched_at": now,
                },
                pk="name",
            )
        seen = set()
        for location, account_name in fetched:
            seen.add(location_id(location))
            outcome = store_location(db, location, account_name, now)
            setattr(result, outcome, getattr(result, outcome) + 1)
        stale = [
            r["location_id"]
            for r in db.query("select location_id from locations")
            if r["location_id"] not in seen
        ]
        for gone in stale:
            db.table("locations").delete(gone)
        result.removed = stale
    result.accounts = len(accounts)
    result.stores = len(fetched)
    result.categories = refresh_categories(db, api, now=now)
    return result


def _public(row: dict[str, Any]) -> dict[str, Any]:
    out = {name: row.get(name) for name in PUBLIC_COLUMNS}
    out["labels"] = json.loads(row["labels"]) if row.get("labels") else []
    return out


def list_stores(
    db: sqlite_utils.Database,
    *,
    label: str | None = None,
    city: str | None = None,
    search: str | None = None,
    with_location: bool = False,
) -> Iterator[dict[str, Any]]:
    """Stores as public rows; `with_location` adds Google's full JSON under `location`."""
    where, params = ["1 = 1"], []
    if label:
        where.append("exists (select 1 from json_each(locations.labels) where value = ?)")
        params.append(label)
    if city:
        where.append("city = ? collate nocase")
        params.append(city)
    if search:
        where.append("(title like ? or store_code like ? or address like ?)")
        params.extend([f"%{search}%"] * 3)
    sql = f"select * from locations where {' and '.join(where)} order by store_code, location_id"
    for row in db.query(sql, params):
        out = _public(row)
        if with_location:
            out["location"] = json.loads(row["raw"])
        yield out


def raw_locations(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    """Google's JSON of every store, in the same order as `list_stores`."""
    for row in db.query("select raw from locations order by store_code, location_id"):
        yield json.loads(row["raw"])


def find_store(db: sqlite_utils.Database, ref: str) -> dict[str, Any]:
    """A store by store code or location id (`123` or `locations/123`)."""
    ident = ref.removeprefix("locations/")
    row = next(
        db.query(
            "select * from locations where store_code = ? or location_id = ? limit 1", [ref, ident]
        ),
        None,
    )
    if row is None:
        if db.table("locations").count == 0:
            raise NotFoundError(
                f"no store {ref!r}: no stores synced yet", hint="run: localcx locations sync"
            )
        raise NotFoundError(
            f"no store {ref!r}", hint="list store codes with: localcx locations list"
        )
    return row


def show_store(db: sqlite_utils.Database, ref: str) -> dict[str, Any]:
    row = find_store(db, ref)
    out = _public(row)
    out["has_google_updated"] = bool(row["has_google_updated"])
    out["has_pending_edits"] = bool(row["has_pending_edits"])
    out["fetched_at"] = row["fetched_at"]
    out["snapshots"] = db.table("location_snapshots").count_where(
        "location_id = ?", [row["location_id"]]
    )
    location = json.loads(row["raw"])
    out["profile"] = location_values(location, row["region_code"] or "US")
    out["location"] = location
    return out


def store_history(db: sqlite_utils.Database, ref: str) -> list[dict[str, Any]]:
    """Every snapshot of a store: when our copy changed and which fields changed."""
    row = find_store(db, ref)
    return [
        {"taken_at": snap["taken_at"], "changed_fields": json.loads(snap["changed_fields"] or "[]")}
        for snap in db.query(
            "select taken_at, changed_fields from location_snapshots where location_id = ? order by id",
            [row["location_id"]],
        )
    ]


def store_count(db: sqlite_utils.Database) -> int:
    return db.table("locations").count


CATEGORY_MAX_AGE_DAYS = 30


def refresh_categories(db: sqlite_utils.Database, api: BusinessApi, *, now: str) -> int:
    """Google's category list for every (country, language) the stores use, monthly.

    Validation checks planned categories against it, so a typo is caught before any
    edit is sent. Only pairs never fetched or older than a month are read again.
    """
    pairs = {
        (row["region"], row["language"])
        for row in db.query(
            "select coalesce(json_extract(raw, '$.storefrontAddress.regionCode'), 'US') as region, "
            "coalesce(json_extract(raw, '$.languageCode'), 'en') as language from locations"
        )
    }
    fresh = {
        (row["region_code"], row["language_code"])
        for row in db.query(
            "select region_code, language_code from categories group by region_code, language_code "
            "having min(fetched_at) > strftime('%Y-%m-%dT%H:%M:%fZ', ?, ?)",
            [now, f"-{CATEGORY_MAX_AGE_DAYS} days"],
        )
    }
    count = 0
    for region, language in sorted(pairs - fresh):
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
        with db.atomic():
            db.execute(
                "delete from categories where region_code = ? and language_code = ?",
                [region, language],
            )
            db.table("categories").insert_all(rows, pk=("name", "region_code", "language_code"))
        count += len(rows)
    return count


def known_categories(db: sqlite_utils.Database) -> set[str] | None:
    names = {row["name"] for row in db.query("select distinct name from categories")}
    return names or None


def select_stores(db: sqlite_utils.Database, selector: str) -> list[dict[str, Any]]:
    """Resolve SEL: `all`, `label:NAME`, `country:CC`, `file:PATH` (one code per line) or `A,B,C`."""
    from pathlib import Path

    from localcx.errors import UsageError

    selector = selector.strip()
    if selector == "all":
        return list(list_stores(db))
    if selector.startswith("label:"):
        found = list(list_stores(db, label=selector.removeprefix("label:")))
        if not found:
            raise NotFoundError(f"no store has the label {selector.removeprefix('label:')!r}")
        return found
    if selector.startswith("country:"):
        country = selector.removeprefix("country:").upper()
        found = [s for s in list_stores(db) if (s["region_code"] or "").upper() == country]
        if not found:
            raise NotFoundError(f"no store is in the country {country!r}")
        return found
    if selector.startswith("file:"):
        path = Path(selector.removeprefix("file:"))
        if not path.exists():
            raise UsageError(f"{path}: no such file")
        refs = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]
        refs = [ref for ref in refs if ref and not ref.startswith("#")]
    else:
        refs = [ref.strip() for ref in selector.split(",") if ref.strip()]
    if not refs:
        raise UsageError(f"the store selection {selector!r} names no stores")
    return [_public(find_store(db, ref)) for ref in refs]
