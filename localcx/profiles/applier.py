"""Apply, resume and undo: the profiles area's job on the shared run executor.

Before sending, the stores are re-read from Google: a store whose planned `before`
values no longer hold is a conflict and is skipped (unless forced); a store that already
shows the planned `after` values is marked done without a request. The same check lets
the executor reconcile an edit left `sent` by a crash: one that reached Google is
recognised, not re-sent.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from localcx import stores
from localcx.clock import Clock, iso
from localcx.errors import LocalcxError, UsageError
from localcx.google.business import LOCATIONS_PAGE_SIZE
from localcx.google.clients import Google
from localcx.google.errors import GoogleApiError
from localcx.profiles.fields import location_region, location_values
from localcx.profiles.journal import Edit, Journal, edit_payload
from localcx.profiles.planner import Plan
from localcx.runs.executor import Decision, Executor
from localcx.runs.executor import RunResult as ExecutorResult
from localcx.runs.journal import Item, ItemStatus

Progress = Callable[[int], None]
# Drift runs write values our own copy may already hold (a reassert): such an edit is done
# only when the version live on Maps shows it too, so those runs also read that version.
LIVE_CHECKED_KINDS = frozenset({"drift"})
# A drift run's `before` values are what Google shows, not our copy, so the conflict check
# against our copy does not apply to it: such runs are forced, when started and on resume.
FORCED_KINDS = frozenset({"drift"})


@dataclass
class ApplyOptions:
    force: bool = False
    preflight: bool = False
    dry_run: bool = False
    workers: int = 4


@dataclass
class RunResult:
    run_id: str
    status: str = "running"
    counts: dict[str, int] = field(default_factory=dict)
    already: int = 0
    stores: list[dict[str, Any]] = field(default_factory=list)
    stop_error: LocalcxError | None = None

    @classmethod
    def of(cls, result: ExecutorResult) -> RunResult:
        edits = [Edit.of(item) for item in result.items]
        return cls(
            result.run_id,
            result.status,
            result.counts,
            result.already,
            [
                {"store_code": e.store_code, "status": e.status.value, "error": e.error, "fields": e.fields}
                for e in edits
            ],
            result.stop_error,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "counts": self.counts,
            "already_applied": self.already,
            "problems": [s for s in self.stores if s["status"] in ("failed", "conflict")],
        }


def merge_patch(location: dict[str, Any], body: dict[str, Any], mask: list[str]) -> dict[str, Any]:
    """Our copy of a location after Google accepted `body` under `mask`."""
    merged = copy.deepcopy(location)
    for path in mask:
        parts = path.split(".")
        source: Any = body
        for part in parts:
            source = source.get(part) if isinstance(source, dict) else None
        target = merged
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        if source is None:
            target.pop(parts[-1], None)
        else:
            target[parts[-1]] = copy.deepcopy(source)
    return merged


class ProfileEdits:
    """The executor's Job for profile edits: one PATCH per store."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        google: Google,
        *,
        region: str,
        clock: Clock,
        force: bool = False,
        preflight: bool = False,
        live_checked: bool = False,
    ):
        self.db = db
        self.google = google
        self.region = region
        self.clock = clock
        self.force = force
        self.preflight = preflight
        self.live_checked = live_checked

    # -- what Google shows ----------------------------------------------------------------
    def _values(self, location_id: str) -> dict[str, str] | None:
        stored = stores.stored_location(self.db, location_id)
        if stored is None:
            return None
        return location_values(stored.raw, location_region(stored.raw, self.region))

    def _reread(self, location_id: str) -> None:
        try:
            location = self.google.business.get_location(location_id)
        except GoogleApiError as exc:
            if exc.error.http_status != 404:
                raise
            stores.forget_location(self.db, location_id)
            return
        stores.save_location(self.db, location, iso(self.clock.now()))

    def _shows(self, edit: Edit, current: dict[str, str]) -> bool:
        """Whether Google holds the edit's values (and, for live-checked runs, shows them)."""
        if any(current.get(name, "") != value for name, value in edit.after.items()):
            return False
        if not self.live_checked:
            return True
        stored = stores.stored_location(self.db, edit.location_id)
        assert stored is not None
        answer = self.google.business.google_updated(edit.location_id)
        live = location_values(
            {**stored.raw, **(answer.get("location") or {})},
            location_region(stored.raw, self.region),
        )
        return all(live.get(name, "") == value for name, value in edit.after.items())

    # -- the Job protocol -----------------------------------------------------------------
    def prepare(self, items: Sequence[Item]) -> None:
        """Re-read the stores about to be edited, by whichever costs fewer requests:
        one GET each, or a full sync at 100 stores a page."""
        if not items:
            return
        pages = 1 + math.ceil(stores.store_count(self.db) / LOCATIONS_PAGE_SIZE)
        if len(items) >= pages:
            stores.sync(self.db, self.google.business, clock=self.clock)
            return
        for item in items:
            self._reread(item.key)

    def decide(self, item: Item) -> Decision:
        edit = Edit.of(item)
        current = self._values(edit.location_id)
        if current is None:
            return Decision.settle(ItemStatus.FAILED, "the store is no longer listed on Google")
        if self._shows(edit, current):
            return Decision.settle(ItemStatus.DONE)
        moved = [
            f"{name}: planned from {edit.before.get(name, '')!r}, now {current.get(name, '')!r}"
            for name in edit.after
            if current.get(name, "") != edit.before.get(name, "")
        ]
        if moved and not self.force:
            return Decision.settle(
                ItemStatus.CONFLICT, "changed on Google since the plan; " + "; ".join(moved)
            )
        if self.preflight:
            try:
                self.google.business.patch_location(
                    edit.location_id, edit.body, edit.update_mask, validate_only=True
                )
            except GoogleApiError as exc:
                if exc.error.transient:
                    raise
                return Decision.settle(ItemStatus.FAILED, f"preflight: {exc.error.describe()}")
        return Decision.send_it()

    def send(self, item: Item) -> None:
        edit = Edit.of(item)
        self.google.business.patch_location(edit.location_id, edit.body, edit.update_mask)

    def landed(self, item: Item) -> bool:
        edit = Edit.of(item)
        self._reread(edit.location_id)
        current = self._values(edit.location_id)
        return current is not None and self._shows(edit, current)

    def failed(self, item: Item) -> None:
        """The journal's row is the whole record of a failed edit."""

    def confirm(self, item: Item) -> None:
        edit = Edit.of(item)
        stored = stores.stored_location(self.db, edit.location_id)
        if stored is None:
            return
        merged = merge_patch(stored.raw, edit.body, edit.update_mask)
        stores.save_location(self.db, merged, iso(self.clock.now()), stored.account)


class Runner:
    """One profiles run on the executor; shared by apply, resume, undo and drift."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        google: Google,
        *,
        region: str,
        clock: Clock | None = None,
        options: ApplyOptions | None = None,
        progress: Progress | None = None,
    ):
        self.db = db
        self.google = google
        self.region = region
        self.clock = clock or Clock()
        self.options = options or ApplyOptions()
        self.progress = progress or (lambda n: None)
        self.journal = Journal(db, self.clock)

    def _job(self, kind: str, *, preflight: bool) -> ProfileEdits:
        return ProfileEdits(
            self.db,
            self.google,
            region=self.region,
            clock=self.clock,
            force=self.options.force or kind in FORCED_KINDS,
            preflight=preflight,
            live_checked=kind in LIVE_CHECKED_KINDS,
        )

    def start(self, plan: Plan, *, kind: str = "apply", undo_of: str | None = None) -> RunResult:
        if self.options.dry_run:
            return self._dry_run(plan, kind)
        run_id = self.journal.start_run(plan, kind=kind, undo_of=undo_of)
        return self.execute(run_id)

    def execute(self, run_id: str) -> RunResult:
        """Finish every open edit of a run. Used for a fresh run and by resume alike."""
        kind = self.journal.run(run_id)["kind"]
        executor = Executor(
            self.db,
            self.journal,
            self._job(kind, preflight=self.options.preflight),
            clock=self.clock,
            workers=self.options.workers,
            progress=self.progress,
            resume_command="localcx profiles resume",
        )
        return RunResult.of(executor.run(run_id))

    def _dry_run(self, plan: Plan, kind: str) -> RunResult:
        """The real checks against Google's current data, with nothing sent or journaled."""
        job = self._job(kind, preflight=False)
        items = [
            Item(
                0,
                "dry-run",
                store.location_id,
                store.store_code,
                edit_payload(store),
                ItemStatus.PENDING,
                0,
                None,
            )
            for store in plan.stores
        ]
        job.prepare(items)
        result = RunResult("dry-run", status="dry-run")
        for item in items:
            decision = job.decide(item)
            status = "would send" if decision.send else str(decision.status)
            if decision.status is ItemStatus.DONE:
                status = "already applied"
            result.counts[status] = result.counts.get(status, 0) + 1
            result.stores.append(
                {
                    "store_code": item.label,
                    "status": status,
                    "error": decision.reason,
                    "fields": item.payload["fields"],
                }
            )
        return result


def resume(runner: Runner, run_id: str | None) -> RunResult:
    """Finish `run_id`, or the latest run that did not finish."""
    if run_id is None:
        row = runner.journal.latest_unfinished()
        if row is None:
            raise UsageError(
                "no unfinished run to resume", hint="see runs with: localcx profiles history"
            )
        run_id = row["id"]
    return runner.execute(run_id)
