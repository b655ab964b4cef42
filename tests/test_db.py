"""Migrations bring any older workspace database forward, once."""

from __future__ import annotations

import sqlite3

from localcx import db


def test_empty_database_gets_every_migration_once(tmp_path):
    path = tmp_path / "w.db"
    first = db.open_db(path)
    names = [row["name"] for row in first.query("select name from _migrations order by name")]
    assert names == [name for name, _ in db.MIGRATIONS]
    readable = set(first.table_names()) | set(first.view_names())
    assert {"locations", "edits", "apply_runs", "drift_events", "api_calls"} <= readable
    assert {"runs", "run_items"} <= set(first.table_names())
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
    assert "edits" in upgraded.view_names() and "run_items" in upgraded.table_names()


def test_the_profiles_journal_moves_to_the_shared_runs_tables(tmp_path):
    """A workspace journaled before the runs tables existed keeps every run and edit."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    old = db.sqlite_utils.Database(conn)
    old.table("_migrations").create({"name": str, "applied_at": str}, pk="name")
    for name, fn in db.MIGRATIONS[:2]:
        fn(old)
        old.table("_migrations").insert({"name": name, "applied_at": "2026-01-01T00:00:00Z"})
    old.table("apply_runs").insert({"id": "run-1", "kind": "apply", "status": "interrupted", "source": "x.csv"})
    old.table("edits").insert(
        {"id": 7, "run_id": "run-1", "location_id": "42", "store_code": "SEA-001", "update_mask": '["websiteUri"]',
         "fields": '["website"]', "before": '{"website": "a"}', "after": '{"website": "b"}',
         "body": '{"websiteUri": "b"}', "status": "sent", "attempts": 1, "error": None}
    )
    conn.commit()
    conn.close()
    upgraded = db.open_db(path)
    from localcx.clock import FakeClock
    from localcx.profiles.journal import Journal

    journal = Journal(upgraded, FakeClock())
    assert journal.latest_unfinished()["id"] == "run-1"
    (edit,) = journal.edits("run-1")
    assert (edit.location_id, edit.store_code, edit.status, edit.attempts) == ("42", "SEA-001", "sent", 1)
    assert edit.update_mask == ["websiteUri"] and edit.after == {"website": "b"}
    assert upgraded.execute("select store_code, status from edits").fetchall() == [("SEA-001", "sent")]
