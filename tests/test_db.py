"""Migrations bring any older workspace database forward, once."""

from __future__ import annotations

import sqlite3

from localcx import db


def test_empty_database_gets_every_migration_once(tmp_path):
    path = tmp_path / "w.db"
    first = db.open_db(path)
    names = [row["name"] for row in first.query("select name from _migrations order by name")]
    assert names == [name for name, _ in db.MIGRATIONS]
    assert {"locations", "edits", "apply_runs", "drift_events", "api_calls"} <= set(first.table_names())
    first.close()
    again = db.open_db(path)
    assert db.migrate(again) == []
    assert again.execute("pragma journal_mode").fetchone()[0] == "wal"
    again.close()


def test_previous_schema_is_migrated_forward(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    old = db.sqlite_utils.Database(conn)
    old.table("_migrations").create({"name": str, "applied_at": str}, pk="name")
    name, first = db.MIGRATIONS[0]
    first(old)
    old.table("_migrations").insert({"name": name, "applied_at": "2026-01-01T00:00:00Z"})
    old.table("locations").insert({"location_id": "1", "store_code": "KEEP-1", "raw": "{}"})
    conn.commit()
    conn.close()
    upgraded = db.open_db(path)
    assert [r["name"] for r in upgraded.query("select name from _migrations order by name")] == [
        n for n, _ in db.MIGRATIONS
    ]
    assert upgraded.table("locations").get("1")["store_code"] == "KEEP-1"
    assert "edits" in upgraded.table_names()
