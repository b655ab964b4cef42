"""Places (New) billing in the sandbox's state file: one `places_billing` row per SKU tier.

Tests and benchmarks check what a rank-tracking run would cost (GOOGLE-API.md §5: each
searchText call is billed at the highest SKU its field mask triggers). The counters live in
the state file, not in memory, so they survive a restart of `sandbox serve` and another
process sharing the file reads the same figures.
"""

from __future__ import annotations

import sqlite3
import threading

SCHEMA = """
CREATE TABLE IF NOT EXISTS places_billing (sku TEXT PRIMARY KEY, calls INTEGER NOT NULL);
"""


class BillingTable:
    """Per-SKU call counters over the state's connection and lock."""

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock):
        self._conn = conn
        self._lock = lock

    def add(self, sku: str) -> None:
        """Count one billed call at `sku`, in its own transaction."""
        with self._lock:
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                c.execute("INSERT INTO places_billing VALUES (?, 1) "
                          "ON CONFLICT(sku) DO UPDATE SET calls = calls + 1", (sku,))
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    def counts(self) -> dict[str, int]:
        """{SKU tier: billed calls}, tiers never billed left out."""
        with self._lock:
            rows = self._conn.execute("SELECT sku, calls FROM places_billing").fetchall()
        return {sku: int(n) for sku, n in rows}
