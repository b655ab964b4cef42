"""Local posts in the sandbox's state file: one `posts` row per post, until it is deleted.

A row keeps what the merchant sent (the LocalPost without output fields) and the times that
decide what Google shows: `live_at` (creation, or the `scheduledTime`) and `rejected_at` (when
moderation turns it REJECTED, or NULL). The state shown is computed on read from the sandbox
clock, like the pending location edits, so a test moves a post along by moving its clock.

Posts are read straight from SQLite (no in-memory copy): every read sees what any process
sharing the file has committed. Each write is one transaction.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS posts (seq INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT UNIQUE NOT NULL, location TEXT NOT NULL, account TEXT NOT NULL,
    json TEXT NOT NULL, created REAL NOT NULL, updated REAL NOT NULL, live_at REAL NOT NULL,
    rejected_at REAL);
CREATE INDEX IF NOT EXISTS posts_by_location ON posts (location, seq);
"""

LIVE, PROCESSING, REJECTED = "LIVE", "PROCESSING", "REJECTED"


@dataclass(frozen=True)
class StoredPost:
    """One post as the sandbox holds it; `body` is what the merchant set (no output fields)."""

    seq: int  # creation order, across all locations
    name: str  # accounts/{a}/locations/{l}/localPosts/{postId}
    location: str  # locations/{l}
    account: str  # accounts/{a}
    body: dict[str, Any]
    create_time: float
    update_time: float
    live_at: float  # when it goes (or went) LIVE: creation, or its scheduledTime
    rejected_at: float | None  # when moderation rejects it; None: never

    @property
    def post_id(self) -> str:
        return self.name.rsplit("/", 1)[1]

    def state_at(self, now: float) -> str:
        """What Google shows at `now`: REJECTED once moderated out, PROCESSING while held for
        its scheduled time, LIVE otherwise."""
        if self.rejected_at is not None and now >= self.rejected_at:
            return REJECTED
        return PROCESSING if now < self.live_at else LIVE


def post_id(seed: int, location: str, seq: int) -> str:
    """A 19-digit id (as Google's), a pure function of the world seed, location and creation
    number, so a scripted run makes the same ids every time."""
    digest = hashlib.sha256(f"post|{seed}|{location}|{seq}".encode()).digest()
    return str(10**18 + int.from_bytes(digest[:8], "big") % (9 * 10**18))


_COLUMNS = "seq, name, location, account, json, created, updated, live_at, rejected_at"


def _row(row: tuple[Any, ...]) -> StoredPost:
    seq, name, location, account, text, created, updated, live_at, rejected_at = row
    return StoredPost(seq, name, location, account, json.loads(text), created, updated,
                      live_at, rejected_at)


class PostTable:
    """Reads and writes of the `posts` table over the state's connection and lock."""

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock):
        self._conn = conn
        self._lock = lock

    def _write(self, sql: str, args: tuple[Any, ...]) -> int:
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                changed = c.execute(sql, args).rowcount
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        return changed

    def create(self, *, seed: int, location: str, account: str, body: dict[str, Any],
               now: float, live_at: float,
               review: Callable[[str], float | None]) -> StoredPost:
        """Store a new post; `review(post_id)` gives its rejection time (or None). Never
        deduplicates: Google's create is not idempotent, so neither is this."""
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                row = c.execute("SELECT seq FROM sqlite_sequence WHERE name='posts'").fetchone()
                seq = (row[0] if row else 0) + 1
                pid = post_id(seed, location, seq)
                while c.execute("SELECT 1 FROM posts WHERE name LIKE ?",
                                (f"%/localPosts/{pid}",)).fetchone():
                    seq += 1  # a 1-in-10^18 clash: take the next number
                    pid = post_id(seed, location, seq)
                name = f"{account}/{location}/localPosts/{pid}"
                rejected_at = review(pid)
                c.execute(f"INSERT INTO posts ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                          (seq, name, location, account, json.dumps(body, ensure_ascii=False),
                           now, now, live_at, rejected_at))
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
        return StoredPost(seq, name, location, account, body, now, now, live_at, rejected_at)

    def get(self, name: str) -> StoredPost | None:
        with self._lock:
            row = self._conn.execute(f"SELECT {_COLUMNS} FROM posts WHERE name=?",
                                     (name,)).fetchone()
        return _row(row) if row else None

    def list(self, location: str | None = None, *, before_seq: int = 0,
             limit: int = -1) -> list[StoredPost]:
        """Newest first; `before_seq` > 0 starts after that post (keyset paging, so a post
        created while a client pages never shifts a page)."""
        sql = f"SELECT {_COLUMNS} FROM posts WHERE 1=1"
        args: list[Any] = []
        if location is not None:
            sql += " AND location=?"
            args.append(location)
        if before_seq > 0:
            sql += " AND seq<?"
            args.append(before_seq)
        sql += " ORDER BY seq DESC LIMIT ?"
        args.append(limit)
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        return [_row(r) for r in rows]

    def update(self, name: str, body: dict[str, Any], *, now: float, live_at: float,
               rejected_at: float | None) -> StoredPost | None:
        """Replace a post's body and times; None when it is gone (deleted meanwhile)."""
        changed = self._write(
            "UPDATE posts SET json=?, updated=?, live_at=?, rejected_at=? WHERE name=?",
            (json.dumps(body, ensure_ascii=False), now, live_at, rejected_at, name))
        return self.get(name) if changed else None

    def delete(self, name: str) -> bool:
        return self._write("DELETE FROM posts WHERE name=?", (name,)) > 0

    def counts(self) -> dict[str, int]:
        """{"locations/{id}": number of stored posts} for locations holding any."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT location, COUNT(*) FROM posts GROUP BY location").fetchall()
        return {loc: n for loc, n in rows}
