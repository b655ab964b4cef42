"""The workspace database: one SQLite file, migrated forward on every open.

Migrations are ordered functions recorded in `_migrations`; once shipped they are never
edited, only followed by new ones, so any older workspace file can be brought forward.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from localcx.clock import iso

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def open_db(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed) with WAL and a busy timeout, so cron jobs can overlap."""
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    migrate(db)
    return db


def migrate(db: sqlite_utils.Database) -> list[str]:
    db.table("_migrations").create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    done = {row["name"] for row in db.table("_migrations").rows}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        with db.atomic():
            fn(db)
            db.table("_migrations").insert({"name": name, "applied_at": iso()})
        applied.append(name)
    return applied


@migration
def m001_locations(db: sqlite_utils.Database) -> None:
    db.table("accounts").create(
        {
            "name": str,
            "account_name": str,
            "type": str,
            "role": str,
            "raw": str,
            "fetched_at": str,
        },
        pk="name",
    )
    db.table("locations").create(
        {
            "location_id": str,
            "name": str,
            "account": str,
            "store_code": str,
            "title": str,
            "primary_phone": str,
            "website": str,
            "address": str,
            "city": str,
            "postal_code": str,
            "region_code": str,
            "primary_category": str,
            "labels": str,
            "place_id": str,
            "lat": float,
            "lng": float,
            "open_status": str,
            "has_google_updated": int,
            "has_pending_edits": int,
            "raw": str,
            "digest": str,
            "fetched_at": str,
            "updated_at": str,
        },
        pk="location_id",
    )
    db.table("locations").create_index(["store_code"])
    db.table("location_snapshots").create(
        {
            "id": int,
            "location_id": str,
            "taken_at": str,
            "digest": str,
            "changed_fields": str,
            "raw": str,
        },
        pk="id",
    )
    db.table("location_snapshots").create_index(["location_id", "taken_at"])
    db.table("categories").create(
        {
            "name": str,
            "display_name": str,
            "region_code": str,
            "language_code": str,
            "fetched_at": str,
        },
        pk=("name", "region_code", "language_code"),
    )
    db.table("api_calls").create(
        {
            "id": int,
            "at": str,
            "service": str,
            "method": str,
            "path": str,
            "status": int,
            "ms": float,
            "attempt": int,
            "error": str,
        },
        pk="id",
    )
    db.table("api_calls").create_index(["at"])


@migration
def m002_profiles(db: sqlite_utils.Database) -> None:
    db.table("plans").create(
        {"id": str, "created_at": str, "source": str, "stores": int, "changes": int, "body": str},
        pk="id",
    )
    db.table("apply_runs").create(
        {
            "id": str,
            "plan_id": str,
            "kind": str,
            "undo_of": str,
            "source": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
        },
        pk="id",
    )
    db.table("edits").create(
        {
            "id": int,
            "run_id": str,
            "location_id": str,
            "store_code": str,
            "update_mask": str,
            "fields": str,
            "before": str,
            "after": str,
            "body": str,
            "status": str,
            "attempts": int,
            "error": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("run_id", "apply_runs", "id")],
    )
    db.table("edits").create_index(["run_id", "status"])
    db.table("drift_events").create(
        {
            "id": int,
            "location_id": str,
            "store_code": str,
            "field": str,
            "kind": str,
            "ours": str,
            "google": str,
            "detected_at": str,
            "resolution": str,
            "resolved_at": str,
        },
        pk="id",
    )
    db.table("drift_events").create_index(["location_id", "field", "resolved_at"])


def lock_for(db: sqlite_utils.Database) -> threading.RLock:
    """The one lock for a connection shared by worker threads (journal, call log)."""
    lock = getattr(db, "_localcx_lock", None)
    if lock is None:
        lock = threading.RLock()
        db._localcx_lock = lock  # type: ignore[attr-defined]
    return lock
