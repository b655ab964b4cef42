"""The workspace database: one SQLite file, migrated forward on every open.

Migrations are ordered functions recorded in `_migrations`; once shipped they are never
edited, only followed by new ones, so any older workspace file can be brought forward.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlite_utils

from localcx.clock import iso
from localcx.errors import WorkspaceError

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


class WorkspaceDatabase(sqlite_utils.Database):
    """A Database whose transactions take SQLite's write lock up front.

    A deferred `BEGIN` that reads and then writes must upgrade its lock, and in WAL mode
    that upgrade fails at once ("database is locked") when another process committed in
    between: the busy timeout never applies. `BEGIN IMMEDIATE` queues for the lock
    instead, so a cron sync and a person's apply simply take turns.

    Worker threads share this connection, so every statement and transaction holds the
    connection's thread lock, and a query reads all its rows under it: no thread's
    statement lands inside another's transaction, and none reads a half-read cursor.
    """

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        with lock_for(self):
            return super().execute(sql, parameters)

    def query(self, sql: str, params: Any = None) -> Generator[dict[str, Any], None, None]:
        with lock_for(self):
            rows = list(super().query(sql, params))
        yield from rows

    @contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        with lock_for(self):
            if self.conn.in_transaction:
                with super().atomic() as db:  # a savepoint inside the open transaction
                    yield db
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self.conn.rollback()
                raise
            self.conn.execute("COMMIT")


def open_db(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed) with WAL and a busy timeout, so cron jobs can overlap.

    Autocommit mode: a statement outside `atomic()` is its own short transaction, so no
    implicit deferred transaction is ever left holding a read snapshot.
    """
    try:
        conn = sqlite3.connect(
            str(path), timeout=60, check_same_thread=False, isolation_level=None
        )
        db = WorkspaceDatabase(conn)
        conn.execute("PRAGMA journal_mode=WAL")
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(
            f"{path}: not a localcx database ({exc})",
            hint="restore the file from a backup, or move it away and run: localcx locations sync",
        ) from exc
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=60000")
    migrate(db)
    return db


def where_in(column: str, ids: Sequence[str] | None) -> tuple[str, list[str]]:
    """` and COLUMN in (…)` and its one parameter (the ids as a JSON list, so thousands of
    stores are still one bound value), or nothing when `ids` is None (every store)."""
    if ids is None:
        return "", []
    return f" and {column} in (select value from json_each(?))", [json.dumps(list(ids))]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply what is missing; each migration re-checks inside its own write transaction,
    so two processes opening an old file at once never apply one twice."""
    db.table("_migrations").create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    names = [name for name, _ in MIGRATIONS]
    if len(set(names)) != len(names):
        raise RuntimeError("two migrations share a name")
    done = {row["name"] for row in db.table("_migrations").rows}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        with db.atomic():
            if db.table("_migrations").count_where("name = ?", [name]):
                continue
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


@migration
def m003_runs(db: sqlite_utils.Database) -> None:
    """One journal for every area that writes to Google (profiles now; posts, replies and
    rank scans next): `runs` and their `run_items`, each item's area-specific data in
    `payload`. The profiles journal moves over, and `apply_runs` / `edits` stay readable
    as views for scripts that query them."""
    db.table("runs").create(
        {
            "id": str,
            "area": str,
            "kind": str,
            "plan_id": str,
            "undo_of": str,
            "source": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
        },
        pk="id",
    )
    db.table("runs").create_index(["area", "status"])
    db.table("run_items").create(
        {
            "id": int,
            "run_id": str,
            "item_key": str,
            "label": str,
            "payload": str,
            "status": str,
            "attempts": int,
            "error": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db.table("run_items").create_index(["run_id", "status"])
    db.execute(
        "insert into runs select id, 'profiles', kind, plan_id, undo_of, source, started_at, "
        "finished_at, status from apply_runs"
    )
    db.execute(
        "insert into run_items select id, run_id, location_id, store_code, json_object("
        "'update_mask', json(update_mask), 'fields', json(fields), 'before', json(before), "
        "'after', json(after), 'body', json(body)), status, attempts, error, updated_at from edits"
    )
    db.execute("drop table edits")
    db.execute("drop table apply_runs")
    db.execute(
        "create view apply_runs as select id, plan_id, kind, undo_of, source, started_at, "
        "finished_at, status from runs where area = 'profiles'"
    )
    db.execute(
        "create view edits as select i.id, i.run_id, i.item_key as location_id, "
        "i.label as store_code, json_extract(i.payload, '$.update_mask') as update_mask, "
        "json_extract(i.payload, '$.fields') as fields, "
        "json_extract(i.payload, '$.before') as before, "
        "json_extract(i.payload, '$.after') as after, "
        "json_extract(i.payload, '$.body') as body, i.status, i.attempts, i.error, i.updated_at "
        "from run_items i join runs r on r.id = i.run_id where r.area = 'profiles'"
    )


@migration
def m004_posts(db: sqlite_utils.Database) -> None:
    """Campaign posts: the templates used, and one row per store instance to publish."""
    db.table("post_templates").create(
        {"id": str, "name": str, "path": str, "source": str, "added_at": str}, pk="id"
    )
    db.table("posts").create(
        {
            "id": str,
            "template_id": str,
            "location_id": str,
            "store_code": str,
            "account": str,
            "due_at": str,
            "via": str,
            "status": str,
            "body": str,
            "instance_key": str,
            "attempts": int,
            "error": str,
            "google_name": str,
            "google_state": str,
            "search_url": str,
            "created_at": str,
            "updated_at": str,
            "taken_at": str,
            "published_at": str,
        },
        pk="id",
        foreign_keys=[("template_id", "post_templates", "id")],
    )
    db.table("posts").create_index(["instance_key"], unique=True)
    db.table("posts").create_index(["status", "due_at"])
    db.table("posts").create_index(["location_id"])


@migration
def m005_rank(db: sqlite_utils.Database) -> None:
    """Rank tracking: keywords per store (grid, spacing, schedule), scans, their points
    (the ordered place ids at each), and the competitors seen, cached with their names."""
    db.table("rank_keywords").create(
        {
            "id": str,
            "location_id": str,
            "store_code": str,
            "keyword": str,
            "grid": int,
            "spacing_m": float,
            "schedule": str,
            "starts_at": str,
            "created_at": str,
            "last_scan_id": str,
            "last_scan_at": str,
        },
        pk="id",
    )
    db.table("rank_keywords").create_index(["location_id", "keyword"], unique=True)
    db.table("rank_scans").create(
        {
            "id": str,
            "keyword_id": str,
            "location_id": str,
            "store_code": str,
            "keyword": str,
            "place_id": str,
            "grid": int,
            "spacing_m": float,
            "bias_m": float,
            "language": str,
            "region": str,
            "depth": int,
            "run_id": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
        },
        pk="id",
    )
    db.table("rank_scans").create_index(["keyword_id", "started_at"])
    db.table("rank_points").create(
        {
            "scan_id": str,
            "idx": int,
            "row": int,
            "col": int,
            "lat": float,
            "lng": float,
            "position": int,
            "place_ids": str,
            "requests": int,
            "done_at": str,
        },
        pk=("scan_id", "idx"),
        foreign_keys=[("scan_id", "rank_scans", "id")],
    )
    db.table("competitors").create(
        {
            "place_id": str,
            "name": str,
            "rating": float,
            "reviews": int,
            "address": str,
            "types": str,
            "fetched_at": str,
        },
        pk="place_id",
    )


@migration
def m006_reviews(db: sqlite_utils.Database) -> None:
    """Reviews as Google last showed them (text split into original and Google's translation,
    the owner reply and its moderation), a trigram FTS5 index so a search finds Japanese
    words as well as English ones, each store's rating over time, the sync marks, and the
    scores and aspects of each review under the scorer's model version."""
    db.table("reviews").create(
        {
            "review_id": str,
            "name": str,
            "location_id": str,
            "store_code": str,
            "stars": int,
            "reviewer": str,
            "anonymous": int,
            "comment": str,
            "original": str,
            "translated": str,
            "lang": str,
            "created_at": str,
            "updated_at": str,
            "reply_comment": str,
            "reply_updated_at": str,
            "reply_state": str,
            "reply_violation": str,
            "removed_at": str,
            "fetched_at": str,
            "raw": str,
        },
        pk="review_id",
    )
    db.table("reviews").create_index(["location_id", "updated_at"])
    db.table("reviews").create_index(["created_at"])
    db.execute(
        "create virtual table reviews_fts using fts5(original, translated, reviewer, "
        "content='reviews', content_rowid='rowid', tokenize='trigram')"
    )
    for name, body in (
        ("ai", "insert into reviews_fts(rowid, original, translated, reviewer) "
               "values (new.rowid, new.original, new.translated, new.reviewer);"),
        ("ad", "insert into reviews_fts(reviews_fts, rowid, original, translated, reviewer) "
               "values ('delete', old.rowid, old.original, old.translated, old.reviewer);"),
        ("au", "insert into reviews_fts(reviews_fts, rowid, original, translated, reviewer) "
               "values ('delete', old.rowid, old.original, old.translated, old.reviewer); "
               "insert into reviews_fts(rowid, original, translated, reviewer) "
               "values (new.rowid, new.original, new.translated, new.reviewer);"),
    ):
        event = {"ai": "after insert", "ad": "after delete", "au": "after update of original, translated, reviewer"}[name]
        db.execute(f"create trigger reviews_fts_{name} {event} on reviews begin {body} end")
    db.table("review_stats").create(
        {
            "location_id": str,
            "recorded_at": str,
            "average_rating": float,
            "total_count": int,
            "source": str,
        },
        pk=("location_id", "recorded_at"),
    )
    db.table("review_sync").create(
        {"location_id": str, "synced_from": str, "synced_at": str, "full_at": str},
        pk="location_id",
    )
    db.table("review_scores").create(
        {
            "review_id": str,
            "model": str,
            "lang": str,
            "polarity": float,
            "label": str,
            "disagrees": int,
            "scored_at": str,
        },
        pk="review_id",
        foreign_keys=[("review_id", "reviews", "review_id")],
    )
    db.table("review_aspects").create(
        {"review_id": str, "idx": int, "aspect": str, "polarity": float, "quote": str},
        pk=("review_id", "idx"),
        foreign_keys=[("review_id", "reviews", "review_id")],
    )
    db.table("review_aspects").create_index(["aspect"])


@migration
def m007_insights(db: sqlite_utils.Database) -> None:
    """Insights: one row per store, metric and day (a value Google leaves out is stored as
    0), monthly search keywords (a figure Google only bounds is kept as its threshold, value
    NULL, never as a count), and per store how far each has been synced."""
    db.table("insights_daily").create(
        {"location_id": str, "metric": str, "day": str, "value": int},
        pk=("location_id", "metric", "day"),
        not_null={"value"},
    )
    db.table("search_keywords_monthly").create(
        {"location_id": str, "month": str, "keyword": str, "value": int, "threshold": int},
        pk=("location_id", "month", "keyword"),
    )
    db.table("insights_marks").create(
        {
            "location_id": str,
            "daily_from": str,
            "daily_through": str,
            "keywords_through": str,
            "synced_at": str,
        },
        pk="location_id",
    )


@migration
def m008_replies(db: sqlite_utils.Database) -> None:
    """Reply drafts, one per review: the text, where it came from, its lint, the person's
    decision, and what Google made of it once posted (moderation state and reason)."""
    db.table("reply_drafts").create(
        {
            "id": str,
            "seq": int,
            "review_id": str,
            "location_id": str,
            "store_code": str,
            "stars": int,
            "lang": str,
            "text": str,
            "opening": str,
            "source": str,
            "status": str,
            "problems": str,
            "base_reply_at": str,
            "created_at": str,
            "updated_at": str,
            "approved_at": str,
            "posted_at": str,
            "google_state": str,
            "google_reason": str,
            "alerted_at": str,
            "error": str,
        },
        pk="id",
    )
    db.table("reply_drafts").create_index(["review_id"], unique=True)
    db.table("reply_drafts").create_index(["location_id", "seq"])
    db.table("reply_drafts").create_index(["status"])
