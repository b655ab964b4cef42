"""Owner replies in the sandbox's state file: one `review_replies` row per review replied to.

Reviews themselves are not stored (world_reviews regenerates them); what the merchant does
to them is. A row holds the reply last PUT (or a deletion, which also hides a reply the
seeded world had put there), when it was PUT, moderation's verdict on it (a policy
violation, or NULL when it will be approved) and how many PUTs and DELETEs the review got,
so a test can check that "each approved reply was sent once" even across kill -9 and
restarts. The moderation state shown is computed on read from the sandbox clock.

Read straight from SQLite: every read sees what any process sharing the file committed.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS review_replies (review TEXT PRIMARY KEY, location TEXT NOT NULL,
    comment TEXT, put_at REAL NOT NULL, verdict TEXT, deleted INTEGER NOT NULL DEFAULT 0,
    puts INTEGER NOT NULL DEFAULT 0, deletes INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS review_replies_by_location ON review_replies (location);
"""

PENDING, APPROVED, REJECTED = "PENDING", "APPROVED", "REJECTED"


@dataclass(frozen=True)
class StoredReply:
    """The merchant's latest action on one review's reply."""

    review: str  # accounts/{a}/locations/{l}/reviews/{reviewId}
    location: str  # locations/{l}
    comment: str | None  # None once deleted
    put_at: float  # time of the last PUT (or DELETE)
    verdict: str | None  # the policyViolation moderation will give, or None
    deleted: bool
    puts: int
    deletes: int

    def state_at(self, now: float, review_seconds: float) -> str:
        """PENDING for `review_seconds` after the PUT, then REJECTED or APPROVED."""
        if now < self.put_at + review_seconds:
            return PENDING
        return REJECTED if self.verdict else APPROVED


_COLUMNS = "review, location, comment, put_at, verdict, deleted, puts, deletes"


def _row(row: tuple[Any, ...]) -> StoredReply:
    review, location, comment, put_at, verdict, deleted, puts, deletes = row
    return StoredReply(review, location, comment, put_at, verdict, bool(deleted), puts, deletes)


class ReplyTable:
    """Reads and writes of `review_replies` over the state's connection and lock."""

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock):
        self._conn = conn
        self._lock = lock

    def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                c.execute(sql, args)
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    def put(self, review: str, location: str, comment: str, *, now: float,
            verdict: str | None) -> StoredReply:
        """Create or replace the reply (an upsert, as Google's), counting the PUT."""
        self._write(
            f"INSERT INTO review_replies ({_COLUMNS}) VALUES (?,?,?,?,?,0,1,0) "
            "ON CONFLICT(review) DO UPDATE SET comment=excluded.comment, "
            "put_at=excluded.put_at, verdict=excluded.verdict, deleted=0, puts=puts+1",
            (review, location, comment, now, verdict))
        found = self.get(review)
        assert found is not None
        return found

    def delete(self, review: str, location: str, *, now: float) -> None:
        """Remove the reply (a seeded one too), counting the DELETE."""
        self._write(
            f"INSERT INTO review_replies ({_COLUMNS}) VALUES (?,?,NULL,?,NULL,1,0,1) "
            "ON CONFLICT(review) DO UPDATE SET comment=NULL, put_at=excluded.put_at, "
            "verdict=NULL, deleted=1, deletes=deletes+1",
            (review, location, now))

    def get(self, review: str) -> StoredReply | None:
        with self._lock:
            row = self._conn.execute(f"SELECT {_COLUMNS} FROM review_replies WHERE review=?",
                                     (review,)).fetchone()
        return _row(row) if row else None

    def for_locations(self, locations: list[str]) -> dict[str, StoredReply]:
        """{review name: reply row} of every review of these locations the merchant touched."""
        if not locations:
            return {}
        marks = ",".join("?" * len(locations))
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM review_replies WHERE location IN ({marks})",
                locations).fetchall()
        return {r.review: r for r in map(_row, rows)}

    def all(self) -> list[StoredReply]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_COLUMNS} FROM review_replies ORDER BY review").fetchall()
        return [_row(r) for r in rows]

    def put_counts(self) -> dict[str, int]:
        """{review name: accepted PUTs of its reply}, for reviews PUT at least once."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT review, puts FROM review_replies WHERE puts > 0").fetchall()
        return {review: int(n) for review, n in rows}
