"""Undo a run: a reverse plan built from the journal, applied like any other plan.

Only stores that still hold what the run wrote are reverted; a store changed since (by
a person or by Google) is left alone and reported, unless the user forces it.
"""

from __future__ import annotations

import sqlite_utils

from localcx.clock import Clock
from localcx.profiles.journal import Journal
from localcx.profiles.planner import Plan, current_values, store_change


def undo_plan(
    db: sqlite_utils.Database,
    run_id: str,
    *,
    region: str,
    force: bool = False,
    clock: Clock | None = None,
) -> tuple[Plan, list[str]]:
    """The plan that puts back each field's value from before the run, and the conflicts.

    A run that changed nothing (a dry run, or one whose edits all failed) gives an empty
    plan: there is nothing to put back, which is not a mistake."""
    clock = clock or Clock()
    journal = Journal(db, clock)
    journal.run(run_id)
    done = journal.edits(run_id, ("done",))
    plan = Plan.new(clock, f"undo of {run_id}")
    stores = current_values(db, region)
    conflicts = []
    for edit in done:
        current = stores.get(edit.store_code)
        if current is None:
            plan.skipped.append(edit.store_code)
            continue
        moved = [
            name for name, value in edit.after.items() if current.values.get(name, "") != value
        ]
        if moved and not force:
            conflicts.append(f"{edit.store_code}: {', '.join(moved)} changed since {run_id}")
            continue
        change = store_change(current.row, current.values, edit.before, current.region)
        if change is None:
            plan.unchanged += 1
        else:
            plan.stores.append(change)
    return plan, conflicts
