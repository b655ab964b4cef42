"""Desired state → per-store field diffs → a saved plan with one minimal PATCH per store.

A plan records, for each store, the values it expects to find (`before`) and the values
it will write (`after`). Apply re-reads Google first and skips any store whose `before`
no longer holds, so an edit made elsewhere since planning is never clobbered silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlite_utils

from localcx import stores as store_master
from localcx.clock import Clock, iso
from localcx.errors import NotFoundError
from localcx.profiles.fields import FIELD_NAMES, build_patch, location_region, location_values
from localcx.runs.journal import new_id


@dataclass
class StoreChange:
    location_id: str
    store_code: str
    title: str
    before: dict[str, str]
    after: dict[str, str]
    update_mask: list[str]
    body: dict[str, Any]

    @property
    def fields(self) -> list[str]:
        return [name for name in FIELD_NAMES if name in self.after]


@dataclass
class Plan:
    id: str
    created_at: str
    source: str
    stores: list[StoreChange] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def change_count(self) -> int:
        return sum(len(store.after) for store in self.stores)

    def totals(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for store in self.stores:
            for name in store.fields:
                counts[name] = counts.get(name, 0) + 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "source": self.source,
            "stores_changed": len(self.stores),
            "stores_unchanged": self.unchanged,
            "changes": self.change_count,
            "totals": self.totals(),
            "skipped": self.skipped,
            "stores": [asdict(store) for store in self.stores],
        }

    @classmethod
    def new(cls, clock: Clock, source: str) -> Plan:
        """An empty plan with a fresh id, made now."""
        return cls(new_id(clock, "plan-"), iso(clock.now()), source)

    def diff_rows(self) -> Iterable[dict[str, str]]:
        for store in self.stores:
            for name in store.fields:
                yield {
                    "store_code": store.store_code,
                    "field": name,
                    "before": store.before.get(name, ""),
                    "after": store.after[name],
                }


@dataclass
class Current:
    """A synced store as the planner sees it: its row, canonical values and phone region."""

    row: dict[str, Any]
    values: dict[str, str]
    region: str


def current_values(db: sqlite_utils.Database, region: str) -> dict[str, Current]:
    """Store key (see `stores.store_key`) → what we last read from Google, per store."""
    out = {}
    for stored in store_master.stored_locations(db):
        store_region = location_region(stored.raw, region)
        row = {"location_id": stored.location_id, "store_code": stored.key, "title": stored.title}
        out[stored.key] = Current(row, location_values(stored.raw, store_region), store_region)
    return out


def store_change(
    row: Mapping[str, Any], current: dict[str, str], desired: Mapping[str, str], region: str
) -> StoreChange | None:
    """The change one store needs, or None when it already matches."""
    changed = {name: value for name, value in desired.items() if current.get(name, "") != value}
    if not changed:
        return None
    body, mask = build_patch(current, changed, region=region)
    return StoreChange(
        location_id=row["location_id"],
        store_code=row["store_code"],
        title=row["title"] or "",
        before={name: current.get(name, "") for name in changed},
        after=changed,
        update_mask=mask,
        body=body,
    )


def make_plan(
    db: sqlite_utils.Database,
    desired: Mapping[str, Mapping[str, str]],
    *,
    source: str,
    region: str,
    clock: Clock | None = None,
) -> Plan:
    clock = clock or Clock()
    plan = Plan.new(clock, source)
    stores = current_values(db, region)
    for store_code in sorted(desired):
        if store_code not in stores:
            plan.skipped.append(store_code)
            continue
        current = stores[store_code]
        change = store_change(current.row, current.values, desired[store_code], current.region)
        if change is None:
            plan.unchanged += 1
        else:
            plan.stores.append(change)
    return plan


def save_plan(db: sqlite_utils.Database, plan: Plan) -> None:
    db.table("plans").insert(
        {
            "id": plan.id,
            "created_at": plan.created_at,
            "source": plan.source,
            "stores": len(plan.stores),
            "changes": plan.change_count,
            "body": json.dumps(plan.as_dict(), ensure_ascii=False),
        }
    )


def list_plans(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(
        db.query(
            "select id, created_at, source, stores, changes from plans order by created_at desc, rowid desc"
        )
    )


def prune_plans(db: sqlite_utils.Database, *, older_than: str, keep: set[str]) -> int:
    """Delete saved plans created before `older_than` (ISO), except those in `keep`.
    Runs hold their own copy of every edit, so history and undo never need an old plan."""
    doomed = [
        row["id"]
        for row in db.query("select id from plans where created_at < ?", [older_than])
        if row["id"] not in keep
    ]
    with db.atomic():
        for plan_id in doomed:
            db.table("plans").delete(plan_id)
    return len(doomed)


def load_plan(db: sqlite_utils.Database, plan_id: str) -> Plan:
    row = next(db.query("select body from plans where id = ?", [plan_id]), None)
    if row is None:
        raise NotFoundError(
            f"no plan {plan_id!r}", hint="plans are listed by: localcx profiles history --plans"
        )
    data = json.loads(row["body"])
    return Plan(
        id=data["id"],
        created_at=data["created_at"],
        source=data["source"],
        stores=[StoreChange(**store) for store in data["stores"]],
        unchanged=data["stores_unchanged"],
        skipped=data["skipped"],
    )
