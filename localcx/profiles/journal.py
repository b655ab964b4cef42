"""The apply journal: one row per run, one row per store edit, written before anything is sent.

Owns the tables apply_runs and edits. An edit moves pending → sent → done | failed |
conflict; `sent` is committed before the PATCH leaves, so after a crash `resume` knows
which edits may have reached Google and checks them instead of sending them again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.db import lock_for
from localcx.errors import NotFoundError
from localcx.profiles.planner import Plan, new_id

OPEN_STATUSES = ("pending", "sent")
UNFINISHED_RUNS = ("running", "interrupted")


@dataclass
class Edit:
    id: int
    run_id: str
    location_id: str
    store_code: str
    update_mask: list[str]
    fields: list[str]
    before: dict[str, str]
    after: dict[str, str]
    body: dict[str, Any]
    status: str
    attempts: int
    error: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Edit:
        return cls(
            id=row["id"],
            run_id=row["run_id"],
            location_id=row["location_id"],
            store_code=row["store_code"],
            update_mask=json.loads(row["update_mask"]),
            fields=json.loads(row["fields"]),
            before=json.loads(row["before"]),
            after=json.loads(row["after"]),
            body=json.loads(row["body"]),
            status=row["status"],
            attempts=row["attempts"],
            error=row["error"],
        )


class Journal:
    def __init__(self, db: sqlite_utils.Database, clock: Clock):
        self.db = db
        self.clock = clock
        self.lock = lock_for(db)

    def start_run(self, plan: Plan, *, kind: str = "apply", undo_of: str | None = None) -> str:
        run_id = new_id(self.clock, "run-")
        now = iso(self.clock.now())
        with self.lock, self.db.atomic():
            self.db.table("apply_runs").insert(
                {
                    "id": run_id,
                    "plan_id": plan.id,
                    "kind": kind,
                    "undo_of": undo_of,
                    "source": plan.source,
                    "started_at": now,
                    "finished_at": None,
                    "status": "running",
                }
            )
            self.db.table("edits").insert_all(
                {
                    "run_id": run_id,
                    "location_id": store.location_id,
                    "store_code": store.store_code,
                    "update_mask": json.dumps(store.update_mask),
                    "fields": json.dumps(store.fields),
                    "before": json.dumps(store.before, ensure_ascii=False),
                    "after": json.dumps(store.after, ensure_ascii=False),
                    "body": json.dumps(store.body, ensure_ascii=False),
                    "status": "pending",
                    "attempts": 0,
                    "error": None,
                    "updated_at": now,
                }
                for store in plan.stores
            )
        return run_id

    def edits(self, run_id: str, statuses: tuple[str, ...] | None = None) -> list[Edit]:
        sql = "select * from edits where run_id = ?"
        params: list[Any] = [run_id]
        if statuses:
            sql += f" and status in ({', '.join('?' for _ in statuses)})"
            params.extend(statuses)
        with self.lock:
            return [Edit.from_row(row) for row in self.db.query(sql + " order by id", params)]

    def mark(
        self, edit: Edit, status: str, error: str | None = None, *, sending: bool = False
    ) -> None:
        edit.status = status
        edit.error = error
        if sending:
            edit.attempts += 1
        with self.lock, self.db.atomic():
            self.db.execute(
                "update edits set status = ?, error = ?, attempts = ?, updated_at = ? where id = ?",
                [status, error, edit.attempts, iso(self.clock.now()), edit.id],
            )

    def finish(self, run_id: str, status: str) -> None:
        with self.lock, self.db.atomic():
            self.db.execute(
                "update apply_runs set status = ?, finished_at = ? where id = ?",
                [status, iso(self.clock.now()) if status not in UNFINISHED_RUNS else None, run_id],
            )

    def set_running(self, run_id: str) -> None:
        self.finish(run_id, "running")

    def run(self, run_id: str) -> dict[str, Any]:
        row = next(self.db.query("select * from apply_runs where id = ?", [run_id]), None)
        if row is None:
            raise NotFoundError(
                f"no run {run_id!r}", hint="list runs with: localcx profiles history"
            )
        return row

    def latest_unfinished(self) -> dict[str, Any] | None:
        return next(
            self.db.query(
                "select * from apply_runs where status in ('running', 'interrupted') "
                "order by started_at desc, rowid desc limit 1"
            ),
            None,
        )

    def runs(self) -> list[dict[str, Any]]:
        sql = """
            select r.id, r.kind, r.status, r.started_at, r.finished_at, r.plan_id, r.undo_of, r.source,
              (select count(*) from edits e where e.run_id = r.id) as edits,
              (select count(*) from edits e where e.run_id = r.id and e.status = 'done') as done,
              (select count(*) from edits e where e.run_id = r.id and e.status = 'failed') as failed,
              (select count(*) from edits e where e.run_id = r.id and e.status = 'conflict') as conflicts,
              (select count(*) from edits e where e.run_id = r.id and e.status in ('pending', 'sent')) as open
            from apply_runs r order by r.started_at desc, r.rowid desc
        """
        return list(self.db.query(sql))

    def counts(self, run_id: str) -> dict[str, int]:
        rows = self.db.query(
            "select status, count(*) as n from edits where run_id = ? group by status", [run_id]
        )
        return {row["status"]: row["n"] for row in rows}
