"""Drift: where Google shows something other than what we set, and what to do about it.

`getGoogleUpdated` returns the live Maps version with `diffMask` (fields Google changed)
and `pendingMask` (our edits still in review). A policy decides per field: `reassert`
(write ours again), `accept` (write Google's value, making it our baseline) or `alert`
(report only). Owns the table drift_events.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from localcx import stores as store_master
from localcx.clock import Clock, iso
from localcx.db import lock_for
from localcx.errors import LocalcxError, NotFoundError, UsageError
from localcx.google.clients import Google
from localcx.profiles.fields import (
    FIELD_NAMES,
    FIELDS,
    build_patch,
    location_region,
    location_values,
)
from localcx.profiles.planner import Plan, StoreChange, current_values

ACTIONS = ("reassert", "accept", "alert")


@dataclass
class Policy:
    default: str = "alert"
    fields: dict[str, str] = field(default_factory=dict)

    def action(self, name: str) -> str:
        return self.fields.get(name, self.default)


def load_policy(path: Path | None) -> Policy:
    """TOML: `default = "alert"` and a `[fields]` table such as `title = "reassert"`."""
    if path is None:
        return Policy()
    if not path.exists():
        raise NotFoundError(f"{path}: no such file", hint="see examples/profiles/drift-policy.toml")
    hint = "see examples/profiles/drift-policy.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except IsADirectoryError:
        raise LocalcxError(f"{path}: is a directory, not a TOML policy", hint=hint) from None
    except UnicodeDecodeError:
        raise LocalcxError(f"{path}: not a UTF-8 text file", hint=hint) from None
    except OSError as exc:
        raise LocalcxError(f"{path}: cannot read it ({exc.strerror or exc})", hint=hint) from None
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}", hint=hint) from None
    fields = data.get("fields", {})
    if not isinstance(fields, dict):
        raise UsageError(f"{path}: fields must be a table: [fields] then field = action", hint=hint)
    policy = Policy(default=data.get("default", "alert"), fields=dict(fields))
    for name, action in [("default", policy.default), *policy.fields.items()]:
        if not isinstance(action, str):
            raise UsageError(f"{path}: {name} must be text", hint=f"actions: {', '.join(ACTIONS)}")
        if name != "default" and name not in FIELDS:
            raise UsageError(
                f"{path}: unknown field {name!r}", hint=f"fields: {', '.join(FIELD_NAMES)}"
            )
        if action not in ACTIONS:
            raise UsageError(f"{path}: {name} = {action!r}", hint=f"actions: {', '.join(ACTIONS)}")
    return policy


def _fields_for(mask: str) -> list[str]:
    """Our field names touched by a Google mask such as `regularHours,phoneNumbers.primaryPhone`."""
    paths = [p.strip() for p in mask.split(",") if p.strip()]
    out = []
    for name in FIELD_NAMES:
        ours = FIELDS[name].mask
        if any(p == ours or p.startswith(ours + ".") or ours.startswith(p + ".") for p in paths):
            out.append(name)
    return out


@dataclass
class DriftItem:
    store_code: str
    location_id: str
    field: str
    kind: str  # "google" (Google changed it) or "pending" (our edit is in review)
    ours: str
    google: str
    action: str

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def detect(
    db: sqlite_utils.Database,
    google: Google,
    *,
    region: str,
    policy: Policy,
    check_all: bool = False,
    clock: Clock | None = None,
    progress: Any = None,
) -> list[DriftItem]:
    """Ask Google about every flagged store (or all) and record what differs."""
    clock = clock or Clock()
    now = iso(clock.now())
    items: list[DriftItem] = []
    for stored in store_master.stored_locations(db, flagged_only=not check_all):
        merchant = stored.raw
        store_region = location_region(merchant, region)
        answer = google.business.google_updated(stored.location_id)
        live = answer.get("location") or {}
        ours = location_values(merchant, store_region)
        theirs = location_values({**merchant, **live}, store_region)
        for kind, mask in (
            ("google", answer.get("diffMask", "")),
            ("pending", answer.get("pendingMask", "")),
        ):
            for name in _fields_for(mask):
                if kind == "google" and ours.get(name) == theirs.get(name):
                    continue
                action = policy.action(name) if kind == "google" else "alert"
                items.append(
                    DriftItem(
                        stored.key,
                        stored.location_id,
                        name,
                        kind,
                        ours.get(name, ""),
                        theirs.get(name, ""),
                        action,
                    )
                )
        if progress:
            progress(1)
    _record(db, items, now)
    return items


def _record(db: sqlite_utils.Database, items: list[DriftItem], now: str) -> None:
    """Open one event per (store, field, kind, Google value); close events that went away."""
    with lock_for(db), db.atomic():
        open_events = {
            (r["location_id"], r["field"], r["kind"], r["google"]): r["id"]
            for r in db.query("select * from drift_events where resolved_at is null")
        }
        seen = set()
        for item in items:
            key = (item.location_id, item.field, item.kind, item.google)
            seen.add(key)
            if key not in open_events:
                db.table("drift_events").insert(
                    {
                        "location_id": item.location_id,
                        "store_code": item.store_code,
                        "field": item.field,
                        "kind": item.kind,
                        "ours": item.ours,
                        "google": item.google,
                        "detected_at": now,
                        "resolution": None,
                        "resolved_at": None,
                    }
                )
        for key, event_id in open_events.items():
            if key not in seen:
                db.execute(
                    "update drift_events set resolution = 'gone', resolved_at = ? where id = ?",
                    [now, event_id],
                )


def resolution_plan(
    db: sqlite_utils.Database, items: list[DriftItem], *, region: str, clock: Clock
) -> Plan:
    """One PATCH per store writing ours (reassert) or Google's (accept) values."""
    plan = Plan.new(clock, "drift policy")
    stores = {c.row["location_id"]: c for c in current_values(db, region).values()}
    by_store: dict[str, list[DriftItem]] = {}
    for item in items:
        if item.kind == "google" and item.action in ("reassert", "accept"):
            by_store.setdefault(item.location_id, []).append(item)
    for location_id, store_items in by_store.items():
        current = stores[location_id]
        after = {i.field: (i.ours if i.action == "reassert" else i.google) for i in store_items}
        # Reasserting writes values our own copy already holds, so the diff is taken
        # against what Google shows for those fields.
        shown = {i.field: i.google for i in store_items if i.action == "reassert"}
        body, mask = build_patch({**current.values, **shown}, after, region=current.region)
        plan.stores.append(
            StoreChange(
                location_id=location_id,
                store_code=current.row["store_code"],
                title=current.row["title"] or "",
                before={i.field: i.google for i in store_items},
                after=after,
                update_mask=mask,
                body=body,
            )
        )
    return plan


def resolve(db: sqlite_utils.Database, items: list[DriftItem], clock: Clock) -> None:
    now = iso(clock.now())
    with lock_for(db), db.atomic():
        for item in items:
            if item.kind != "google" or item.action == "alert":
                continue
            db.execute(
                "update drift_events set resolution = ?, resolved_at = ? "
                "where location_id = ? and field = ? and kind = 'google' and resolved_at is null",
                [
                    "reasserted" if item.action == "reassert" else "accepted",
                    now,
                    item.location_id,
                    item.field,
                ],
            )


def open_events(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    return list(
        db.query("select * from drift_events where resolved_at is null order by store_code, field")
    )
