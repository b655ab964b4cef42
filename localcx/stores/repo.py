"""The store master in SQLite: the one module that reads and writes the tables
accounts, locations, location_snapshots and categories.

Google's raw JSON is kept beside flattened columns people filter on, and a snapshot is
added only when a store's data changed, which makes the change history. Every other
module (sync, planner, applier, drift, file readers, exports) comes through here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from localcx.errors import NotFoundError
from localcx.profiles.fields import location_values
from localcx.stores.selector import StoreFacts
from localcx.suggest import did_you_mean

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


def _public(row: dict[str, Any]) -> dict[str, Any]:
    out = {name: row.get(name) for name in PUBLIC_COLUMNS}
    out["labels"] = json.loads(row["labels"]) if row.get("labels") else []
    return out


def store_facts(db: sqlite_utils.Database) -> list[StoreFacts]:
    """What the store selector matches on, for every synced store, in listing order."""
    return [
        StoreFacts(
            key=store_key(row["store_code"], row["location_id"]),
            location_id=row["location_id"],
            labels=tuple(json.loads(row["labels"] or "[]")),
            country=row["region_code"] or "",
            city=row["city"] or "",
        )
        for row in db.query(
            "select location_id, store_code, labels, region_code, city from locations "
            "order by store_code, location_id"
        )
    ]


def list_stores(
    db: sqlite_utils.Database,
    *,
    keys: Iterable[str] | None = None,
    search: str | None = None,
    with_location: bool = False,
) -> Iterator[dict[str, Any]]:
    """Stores as public rows (only `keys`, from the selector, when given); `with_location`
    adds Google's full JSON under `location`."""
    wanted = set(keys) if keys is not None else None
    where, params = ["1 = 1"], []
    if search:
        where.append("(title like ? or store_code like ? or address like ?)")
        params.extend([f"%{search}%"] * 3)
    sql = f"select * from locations where {' and '.join(where)} order by store_code, location_id"
    for row in db.query(sql, params):
        if wanted is not None and store_key(row["store_code"], row["location_id"]) not in wanted:
            continue
        out = _public(row)
        if with_location:
            out["location"] = json.loads(row["raw"])
        yield out


def raw_locations(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    """Google's JSON of every store, in the same order as `list_stores`."""
    for row in db.query("select raw from locations order by store_code, location_id"):
        yield json.loads(row["raw"])


def find_store(db: sqlite_utils.Database, ref: str) -> dict[str, Any]:
    """A store by store code (any case) or location id (`123` or `locations/123`)."""
    ident = ref.strip().removeprefix("locations/")
    row = next(
        db.query(
            "select * from locations where store_code = ? collate nocase or location_id = ? "
            "order by store_code = ? desc limit 1",
            [ref.strip(), ident, ref.strip()],
        ),
        None,
    )
    if row is None:
        if db.table("locations").count == 0:
            raise NotFoundError(
                f"no store {ref!r}: no stores synced yet", hint="run: localcx locations sync"
            )
        codes = [f.key for f in store_facts(db)]
        raise NotFoundError(
            f"no store {ref!r}{did_you_mean(ref, codes)}",
            hint="list store codes with: localcx locations list",
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


def has_voice_of_merchant(raw: dict[str, Any]) -> bool:
    """Whether Google lets the owner manage the listing (posts, reviews, replies). A store
    synced without its metadata is given the benefit of the doubt."""
    metadata = raw.get("metadata")
    return metadata is None or bool(metadata.get("hasVoiceOfMerchant"))


def store_count(db: sqlite_utils.Database) -> int:
    return db.table("locations").count


@dataclass
class StoredLocation:
    """One store as the engines read it: Google's JSON with the keys that identify it."""

    location_id: str
    key: str
    title: str
    account: str
    raw: dict[str, Any]


def stored_locations(
    db: sqlite_utils.Database, *, flagged_only: bool = False
) -> list[StoredLocation]:
    """Every store (or those Google flagged as changed or pending), in listing order."""
    where = "where has_google_updated = 1 or has_pending_edits = 1" if flagged_only else ""
    return [
        StoredLocation(
            row["location_id"],
            store_key(row["store_code"], row["location_id"]),
            row["title"] or "",
            row["account"],
            json.loads(row["raw"]),
        )
        for row in db.query(
            "select location_id, store_code, title, account, raw from locations "
            f"{where} order by store_code, location_id"
        )
    ]


def stored_location(db: sqlite_utils.Database, location_id: str) -> StoredLocation | None:
    row = next(
        db.query(
            "select location_id, store_code, title, account, raw from locations "
            "where location_id = ?",
            [location_id],
        ),
        None,
    )
    if row is None:
        return None
    key = store_key(row["store_code"], row["location_id"])
    return StoredLocation(row["location_id"], key, row["title"] or "", row["account"], json.loads(row["raw"]))


def save_location(
    db: sqlite_utils.Database, location: dict[str, Any], now: str, account: str | None = None
) -> str:
    """Store one location read (or written) back from Google, keeping its account."""
    with db.atomic():
        if account is None:
            known = stored_location(db, location_id(location))
            if known is None:
                raise NotFoundError(f"no store {location_id(location)!r} to update")
            account = known.account
        return store_location(db, location, account, now)


def forget_location(db: sqlite_utils.Database, location_id: str) -> None:
    """Google no longer lists the store (404): drop our copy, keep its snapshots."""
    with db.atomic():
        db.table("locations").delete_where("location_id = ?", [location_id])


def save_sync(
    db: sqlite_utils.Database,
    accounts: Sequence[dict[str, Any]],
    fetched: Sequence[tuple[dict[str, Any], str]],
    now: str,
) -> dict[str, Any]:
    """Write one complete sync in one transaction: accounts, every store, and removals."""
    outcomes = {"new": 0, "changed": 0, "unchanged": 0}
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
            outcomes[store_location(db, location, account_name, now)] += 1
        stale = [
            r["location_id"]
            for r in db.query("select location_id from locations")
            if r["location_id"] not in seen
        ]
        for gone in stale:
            db.table("locations").delete(gone)
    return {**outcomes, "removed": stale}


def category_languages(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    """Every (country, language) the stores use: the category lists validation needs."""
    return {
        (row["region"], row["language"])
        for row in db.query(
            "select coalesce(json_extract(raw, '$.storefrontAddress.regionCode'), 'US') as region, "
            "coalesce(json_extract(raw, '$.languageCode'), 'en') as language from locations"
        )
    }


def fresh_category_languages(db: sqlite_utils.Database, now: str, max_age_days: int) -> set[tuple[str, str]]:
    return {
        (row["region_code"], row["language_code"])
        for row in db.query(
            "select region_code, language_code from categories group by region_code, language_code "
            "having min(fetched_at) > strftime('%Y-%m-%dT%H:%M:%fZ', ?, ?)",
            [now, f"-{max_age_days} days"],
        )
    }


def replace_categories(
    db: sqlite_utils.Database, region: str, language: str, rows: list[dict[str, Any]]
) -> None:
    with db.atomic():
        db.execute(
            "delete from categories where region_code = ? and language_code = ?",
            [region, language],
        )
        db.table("categories").insert_all(rows, pk=("name", "region_code", "language_code"))


def known_categories(db: sqlite_utils.Database) -> set[str] | None:
    names = {row["name"] for row in db.query("select distinct name from categories")}
    return names or None
