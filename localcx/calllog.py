"""The call log: every attempt at a Google request, one row in api_calls (owned here).

Written by the transport's callback from any worker thread; read by `doctor` and the demo
for their summaries. Tokens and keys never reach it: a row holds the method, path,
status, time and attempt number only.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from localcx.clock import iso
from localcx.google.transport import ApiCall


class CallLog:
    """The transport's `on_call`: one insert per attempt."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def __call__(self, call: ApiCall) -> None:
        with self.db.atomic():
            self.db.table("api_calls").insert(
                {
                    "at": iso(call.at),
                    "service": call.service,
                    "method": call.method,
                    "path": call.path,
                    "status": call.status,
                    "ms": round(call.ms, 2),
                    "attempt": call.attempt,
                    "error": call.error or None,
                }
            )


@dataclass
class CallSummary:
    sent: int
    retries: int
    throttled: int  # answered 429
    failed: int  # 5xx or no answer

    def describe(self) -> str:
        return (
            f"{self.sent:,} sent, {self.retries:,} of them retries, {self.throttled:,} answered "
            f"429, {self.failed:,} 5xx or network errors"
        )


def summary(db: sqlite_utils.Database, since: float) -> CallSummary:
    sent, retries, throttled, failed = db.execute(
        "select count(*), coalesce(sum(attempt > 1), 0), coalesce(sum(status = 429), 0), "
        "coalesce(sum(status >= 500 or status = 0), 0) from api_calls where at >= ?",
        [iso(since)],
    ).fetchone()
    return CallSummary(sent, retries, throttled, failed)


def successful_updates(db: sqlite_utils.Database, since: float) -> int:
    """Location PATCHes Google accepted since a moment (this workspace's share of the day)."""
    row = db.execute(
        "select count(*) from api_calls where method = 'PATCH' and status = 200 and at >= ?",
        [iso(since)],
    ).fetchone()
    return int(row[0])


def total(db: sqlite_utils.Database) -> int:
    return db.table("api_calls").count
