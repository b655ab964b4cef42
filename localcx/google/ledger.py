"""The quota books in a file, shared by every process and workspace on one Cloud project.

Agencies run one Cloud project for many client workspaces and several cron jobs at once;
Google's per-project limits hold for all of them together, so the pacing schedule lives in
a small SQLite file under LOCALCX_HOME rather than in one process's memory. Each booking
is one short `BEGIN IMMEDIATE` transaction (the waiting happens outside it), so processes
queue for slots in the order they ask, exactly as threads do in the in-process limiter.
Keys name a project by a hash, never by a token, key or client secret.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from localcx.clock import Clock
from localcx.google.limiter import Rate

PRUNE_EVERY = 500
SCHEMA = """
CREATE TABLE IF NOT EXISTS slots (key TEXT PRIMARY KEY, next_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sends (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS sends_key_at ON sends (key, at);
CREATE TABLE IF NOT EXISTS daily (key TEXT PRIMARY KEY, used INTEGER NOT NULL);
"""


class SharedLimiter:
    """Same methods as `limiter.Limiter`, booked in `path`."""

    def __init__(self, path: Path, clock: Clock):
        self.clock = clock
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(
            str(path), timeout=60, isolation_level=None, check_same_thread=False
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)
        self._lock = threading.Lock()
        self._bookings = 0

    @contextmanager
    def _booking(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.rollback()
                raise
            self._conn.execute("COMMIT")

    def reserve(self, key: str, rate: Rate) -> float:
        with self._booking() as conn:
            now = self.clock.now()
            row = conn.execute("SELECT next_at FROM slots WHERE key = ?", (key,)).fetchone()
            slot = max(now, row[0] if row else now)
            conn.execute(
                "INSERT INTO slots VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET next_at = excluded.next_at",
                (key, slot + rate.interval),
            )
            return slot - now

    def acquire(self, key: str, rate: Rate) -> float:
        wait = self.reserve(key, rate)
        self.clock.sleep(wait)
        return wait

    def push_back(self, key: str, seconds: float) -> None:
        with self._booking() as conn:
            until = self.clock.now() + seconds
            conn.execute(
                "INSERT INTO slots VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                "next_at = max(next_at, excluded.next_at)",
                (key, until),
            )

    def acquire_window(self, key: str, limit: int, period: float = 60.0) -> float:
        waited = 0.0
        while True:
            with self._booking() as conn:
                now = self.clock.now()
                conn.execute("DELETE FROM sends WHERE key = ? AND at <= ?", (key, now - period))
                self._bookings += 1
                if self._bookings % PRUNE_EVERY == 0:  # stores edited once leave rows behind
                    conn.execute("DELETE FROM sends WHERE at <= ?", (now - 3600,))
                sent = conn.execute(
                    "SELECT count(*), min(at) FROM sends WHERE key = ?", (key,)
                ).fetchone()
                if sent[0] < limit:
                    conn.execute("INSERT INTO sends VALUES (?, ?)", (key, now))
                    return waited
                wait = sent[1] + period - now
            self.clock.sleep(wait)
            waited += wait

    def take_daily(self, key: str, limit: int) -> bool:
        with self._booking() as conn:
            row = conn.execute("SELECT used FROM daily WHERE key = ?", (key,)).fetchone()
            used = row[0] if row else 0
            if used >= limit:
                return False
            conn.execute(
                "INSERT INTO daily VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET used = used + 1",
                (key,),
            )
            return True

    def daily(self, key: str) -> int:
        with self._lock:
            row = self._conn.execute("SELECT used FROM daily WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self._conn.close()
