"""The journal of every write job: one row per run, one row per item, written before
anything is sent. Owns the tables runs and run_items.

An item moves pending → sent → done | failed | conflict. `sent` is committed before the
request leaves, so after a crash the executor knows which items may have reached Google
and reconciles them instead of sending them again. What an item sends is the area's own
business, kept as JSON in `payload`; the journal never looks inside it.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.errors import NotFoundError


class RunStatus(StrEnum):
    RUNNING = "running"
    INTERRUPTED = "interrupted"  # open items left; `resume` finishes it
    DONE = "done"
    PARTIAL = "partial"  # finished, but some items failed or conflicted


class ItemStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"  # may have reached Google: reconcile before sending again
    DONE = "done"
    FAILED = "failed"  # Google refused it (a 4xx); final
    CONFLICT = "conflict"  # changed elsewhere since it was planned; final unless forced


OPEN_ITEMS = (ItemStatus.PENDING, ItemStatus.SENT)
UNFINISHED_RUNS = (RunStatus.RUNNING, RunStatus.INTERRUPTED)


def new_id(clock: Clock, prefix: str) -> str:
    stamp = clock.utcnow().strftime("%Y%m%d-%H%M%S")
    return f"{prefix}{stamp}-{secrets.token_hex(2)}"


@dataclass
class NewItem:
    key: str  # what the item writes to, e.g. a location id
    label: str  # what people call it, e.g. a store code
    payload: dict[str, Any]


@dataclass
class Item:
    id: int
    run_id: str
    key: str
    label: str
    payload: dict[str, Any]
    status: ItemStatus
    attempts: int
    error: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Item:
        return cls(
            id=row["id"],
            run_id=row["run_id"],
            key=row["item_key"],
            label=row["label"],
            payload=json.loads(row["payload"]),
            status=ItemStatus(row["status"]),
            attempts=row["attempts"],
            error=row["error"],
        )


class Journal:
    """The runs of one area (`profiles`, `posts`, …); each area sees only its own."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock, area: str):
        self.db = db
        self.clock = clock
        self.area = area

    def open_run(
        self,
        kind: str,
        items: Iterable[NewItem],
        *,
        plan_id: str | None = None,
        source: str = "",
        undo_of: str | None = None,
    ) -> str:
        run_id = new_id(self.clock, "run-")
        now = iso(self.clock.now())
        with self.db.atomic():
            self.db.table("runs").insert(
                {
                    "id": run_id,
                    "area": self.area,
                    "kind": kind,
                    "plan_id": plan_id,
                    "undo_of": undo_of,
                    "source": source,
                    "started_at": now,
                    "finished_at": None,
                    "status": RunStatus.RUNNING.value,
                }
            )
            self.db.table("run_items").insert_all(
                {
                    "run_id": run_id,
                    "item_key": item.key,
                    "label": item.label,
                    "payload": json.dumps(item.payload, ensure_ascii=False),
                    "status": ItemStatus.PENDING.value,
                    "attempts": 0,
                    "error": None,
                    "updated_at": now,
                }
                for item in items
            )
        return run_id

    def items(self, run_id: str, statuses: Iterable[ItemStatus] | None = None) -> list[Item]:
        sql = "select * from run_items where run_id = ?"
        params: list[Any] = [run_id]
        wanted = [str(s) for s in statuses] if statuses is not None else []
        if wanted:
            sql += f" and status in ({', '.join('?' for _ in wanted)})"
            params.extend(wanted)
        return [Item.from_row(row) for row in self.db.query(sql + " order by id", params)]

    def mark(
        self, item: Item, status: ItemStatus | str, error: str | None = None, *, sending: bool = False
    ) -> None:
        status = ItemStatus(status)
        item.status = status
        item.error = error
        if sending:
            item.attempts += 1
        with self.db.atomic():
            self.db.execute(
                "update run_items set status = ?, error = ?, attempts = ?, updated_at = ? "
                "where id = ?",
                [status.value, error, item.attempts, iso(self.clock.now()), item.id],
            )

    def finish(self, run_id: str, status: RunStatus) -> None:
        finished = None if status in UNFINISHED_RUNS else iso(self.clock.now())
        with self.db.atomic():
            self.db.execute(
                "update runs set status = ?, finished_at = ? where id = ?",
                [status.value, finished, run_id],
            )

    def run(self, run_id: str) -> dict[str, Any]:
        row = next(
            self.db.query("select * from runs where id = ? and area = ?", [run_id, self.area]),
            None,
        )
        if row is None:
            raise NotFoundError(
                f"no {self.area} run {run_id!r}",
                hint=f"list runs with: localcx {self.area} history",
            )
        return row

    def latest_unfinished(self) -> dict[str, Any] | None:
        return next(
            self.db.query(
                "select * from runs where area = ? and status in (?, ?) "
                "order by started_at desc, rowid desc limit 1",
                [self.area, *[s.value for s in UNFINISHED_RUNS]],
            ),
            None,
        )

    def runs(self) -> list[dict[str, Any]]:
        """Every run with its item counts, newest first."""
        sql = """
            select r.id, r.kind, r.status, r.started_at, r.finished_at, r.plan_id, r.undo_of,
              r.source, count(i.id) as items,
              coalesce(sum(i.status = 'done'), 0) as done,
              coalesce(sum(i.status = 'failed'), 0) as failed,
              coalesce(sum(i.status = 'conflict'), 0) as conflicts,
              coalesce(sum(i.status in ('pending', 'sent')), 0) as open
            from runs r left join run_items i on i.run_id = r.id
            where r.area = ? group by r.id order by r.started_at desc, r.rowid desc
        """
        return list(self.db.query(sql, [self.area]))

    def last_run_by_plan(self) -> dict[str, dict[str, Any]]:
        """Plan id → the latest run started from it."""
        return {
            row["plan_id"]: row
            for row in self.db.query(
                "select plan_id, id, status from runs where area = ? and plan_id is not null "
                "order by started_at, rowid",
                [self.area],
            )
        }

    def unfinished_plans(self) -> set[str]:
        return {
            row["plan_id"]
            for row in self.db.query(
                "select plan_id from runs where area = ? and plan_id is not null "
                "and status in (?, ?)",
                [self.area, *[s.value for s in UNFINISHED_RUNS]],
            )
        }

    def counts(self, run_id: str) -> dict[str, int]:
        rows = self.db.query(
            "select status, count(*) as n from run_items where run_id = ? group by status",
            [run_id],
        )
        return {row["status"]: row["n"] for row in rows}
