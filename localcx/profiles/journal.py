"""The profiles area's view of the run journal: each item is one store's PATCH.

The generic journal (`localcx.runs.journal`) stores what an item sends as a payload; here
that payload is the plan's change for one store (mask, body, before and after values).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from localcx.clock import Clock
from localcx.profiles.planner import Plan, StoreChange, list_plans
from localcx.runs import journal as runs_journal
from localcx.runs.journal import OPEN_ITEMS, Item, ItemStatus, NewItem

AREA = "profiles"
OPEN_STATUSES = tuple(s.value for s in OPEN_ITEMS)


@dataclass
class Edit(Item):
    """A run item of the profiles area, with its payload's parts by name."""

    @classmethod
    def of(cls, item: Item) -> Edit:
        return cls(**vars(item))

    @property
    def location_id(self) -> str:
        return self.key

    @property
    def store_code(self) -> str:
        return self.label

    @property
    def update_mask(self) -> list[str]:
        return list(self.payload["update_mask"])

    @property
    def fields(self) -> list[str]:
        return list(self.payload["fields"])

    @property
    def before(self) -> dict[str, str]:
        return dict(self.payload["before"])

    @property
    def after(self) -> dict[str, str]:
        return dict(self.payload["after"])

    @property
    def body(self) -> dict[str, Any]:
        return dict(self.payload["body"])


def edit_payload(store: StoreChange) -> dict[str, Any]:
    """What the journal keeps of one store's planned change."""
    return {
        "update_mask": store.update_mask,
        "fields": store.fields,
        "before": store.before,
        "after": store.after,
        "body": store.body,
    }


class Journal(runs_journal.Journal):
    def __init__(self, db: sqlite_utils.Database, clock: Clock):
        super().__init__(db, clock, AREA)

    def start_run(self, plan: Plan, *, kind: str = "apply", undo_of: str | None = None) -> str:
        items = (NewItem(s.location_id, s.store_code, edit_payload(s)) for s in plan.stores)
        return self.open_run(kind, items, plan_id=plan.id, source=plan.source, undo_of=undo_of)

    def edits(self, run_id: str, statuses: Iterable[str] | None = None) -> list[Edit]:
        wanted = [ItemStatus(s) for s in statuses] if statuses is not None else None
        return [Edit.of(item) for item in self.items(run_id, wanted)]


def plans_with_runs(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Saved plans, newest first, each with the last run that applied it (if any)."""
    last_run = runs_journal.Journal(db, Clock(), AREA).last_run_by_plan()
    out = []
    for plan in list_plans(db):
        run = last_run.get(plan["id"])
        out.append(
            {
                **plan,
                "applied": run is not None and run["status"] in ("done", "partial"),
                "run": run["id"] if run else None,
                "run_status": run["status"] if run else None,
            }
        )
    return out


def plans_in_use(db: sqlite_utils.Database) -> set[str]:
    """Plans an unfinished run was started from: kept when old plans are pruned."""
    return runs_journal.Journal(db, Clock(), AREA).unfinished_plans()
