"""Apply, resume and undo: send each store's one PATCH, paced, journaled, never twice.

Before sending, the stores are re-read from Google: a store whose planned `before`
values no longer hold is a conflict and is skipped (unless forced); a store that already
shows the planned `after` values is marked done without a request. The same check makes
`resume` safe after a crash: an edit that reached Google is recognised, not re-sent.
"""

from __future__ import annotations

import copy
import json
import math
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from localcx import locations
from localcx.backend import Google
from localcx.clock import Clock, iso
from localcx.db import lock_for
from localcx.errors import LocalcxError, UsageError
from localcx.google.business import LOCATIONS_PAGE_SIZE
from localcx.google.errors import (
    GoogleApiError,
    GoogleAuthError,
    GoogleQuotaError,
    OutcomeUnknownError,
)
from localcx.profiles.fields import location_values
from localcx.profiles.journal import OPEN_STATUSES, Edit, Journal
from localcx.profiles.planner import Plan

MAX_UNKNOWN_OUTCOMES = 3
Progress = Callable[[int], None]


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


class Runner:
    """One run's execution; shared by apply, resume and undo."""

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
        self.lock = lock_for(db)
        self._stop = threading.Event()
        self._stop_error: LocalcxError | None = None

    # -- reading Google's current state --------------------------------------------------
    def _current(self, location_id: str, *, fresh: bool = False) -> dict[str, str] | None:
        if fresh:
            location = self.google.business.get_location(location_id)
            self._store(location_id, location)
        with self.lock:
            row = next(
                self.db.query("select raw from locations where location_id = ?", [location_id]),
                None,
            )
        if row is None:
            return None
        return location_values(json.loads(row["raw"]), self.region)

    def _store(self, location_id: str, location: dict[str, Any]) -> None:
        with self.lock:
            row = self.db.table("locations").get(location_id)
            locations.store_location(self.db, location, row["account"], iso(self.clock.now()))

    # -- the run ------------------------------------------------------------------------
    def start(self, plan: Plan, *, kind: str = "apply", undo_of: str | None = None) -> RunResult:
        if self.options.dry_run:
            return self._dry_run(plan)
        run_id = self.journal.start_run(plan, kind=kind, undo_of=undo_of)
        return self.execute(run_id)

    def execute(self, run_id: str) -> RunResult:
        """Finish every open edit of a run. Used for a fresh run and by resume alike."""
        result = RunResult(run_id)
        # Drift runs re-send values our own copy already holds, so comparing with that
        # copy would wrongly call them done: they are always sent.
        verify = self.journal.run(run_id)["kind"] != "drift"
        self.journal.set_running(run_id)
        open_edits = self.journal.edits(run_id, OPEN_STATUSES)
        try:
            self._refresh([edit.location_id for edit in open_edits])
            to_send = [edit for edit in open_edits if self._check(edit, result, verify)]
            if self.options.preflight:
                to_send = [edit for edit in to_send if self._preflight(edit)]
            self._send_all(to_send)
        except BaseException:
            # Ctrl-C, a refused login, a crash: the journal says which edits are open.
            self.journal.finish(run_id, "interrupted")
            raise
        result.counts = self.journal.counts(run_id)
        if self._stop_error is not None:
            result.status = "interrupted"
            result.stop_error = self._stop_error
        elif result.counts.get("failed") or result.counts.get("conflict"):
            result.status = "partial"
        else:
            result.status = "done"
        self.journal.finish(run_id, result.status)
        result.stores = [
            {"store_code": e.store_code, "status": e.status, "error": e.error, "fields": e.fields}
            for e in self.journal.edits(run_id)
        ]
        return result

    def _refresh(self, location_ids: list[str]) -> None:
        """Re-read the stores about to be edited, by whichever costs fewer requests:
        one GET each, or a full sync at 100 stores a page."""
        if not location_ids:
            return
        pages = 1 + math.ceil(locations.store_count(self.db) / LOCATIONS_PAGE_SIZE)
        if len(location_ids) >= pages:
            locations.sync(self.db, self.google.business, clock=self.clock)
            return
        for location_id in location_ids:
            try:
                self._current(location_id, fresh=True)
            except GoogleApiError as exc:
                if exc.error.http_status != 404:
                    raise
                with self.lock:
                    self.db.table("locations").delete(location_id)

    def _decide(
        self, location_id: str, before: dict[str, str], after: dict[str, str]
    ) -> tuple[str, str | None]:
        """From Google's current values: "send", "done" (already there), "conflict" or "failed"."""
        current = self._current(location_id)
        if current is None:
            return "failed", "the store is no longer listed on Google"
        if all(current.get(name, "") == value for name, value in after.items()):
            return "done", None
        moved = [
            f"{name}: planned from {before.get(name, '')!r}, now {current.get(name, '')!r}"
            for name in after
            if current.get(name, "") != before.get(name, "")
        ]
        if moved and not self.options.force:
            return "conflict", "changed on Google since the plan; " + "; ".join(moved)
        return "send", None

    def _check(self, edit: Edit, result: RunResult, verify: bool) -> bool:
        """Send it, or settle it now as already done, a conflict or a store gone."""
        outcome, reason = self._decide(edit.location_id, edit.before, edit.after)
        if outcome == "send" or (not verify and outcome != "failed"):
            return True
        if outcome == "done":
            reason = "already applied" if edit.status == "sent" else None
            result.already += 1
        self.journal.mark(edit, outcome, reason)
        self.progress(1)
        return False

    def _preflight(self, edit: Edit) -> bool:
        try:
            self.google.business.patch_location(
                edit.location_id, edit.body, edit.update_mask, validate_only=True
            )
        except GoogleApiError as exc:
            self.journal.mark(edit, "failed", f"preflight: {exc.error.describe()}")
            self.progress(1)
            return False
        return True

    def _send_all(self, edits: list[Edit]) -> None:
        workers = max(1, min(self.options.workers, len(edits) or 1))
        if workers == 1:
            for edit in edits:
                if self._stop.is_set():
                    break
                self._send(edit)
            return
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="apply")
        try:
            futures = [pool.submit(self._send, edit) for edit in edits]
            for future in as_completed(futures):
                future.result()
        except BaseException:
            self._stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)

    def _send(self, edit: Edit) -> None:
        if self._stop.is_set():
            return
        for _ in range(MAX_UNKNOWN_OUTCOMES):
            self.journal.mark(edit, "sent", sending=True)
            try:
                self.google.business.patch_location(edit.location_id, edit.body, edit.update_mask)
            except OutcomeUnknownError:
                current = self._current(edit.location_id, fresh=True)
                if current is not None and all(
                    current.get(k, "") == v for k, v in edit.after.items()
                ):
                    self.journal.mark(edit, "done", "confirmed by re-reading after a lost answer")
                    self.progress(1)
                    return
                continue
            except GoogleApiError as exc:
                self.journal.mark(edit, "failed", exc.error.describe())
                self.progress(1)
                return
            except (GoogleQuotaError, GoogleAuthError) as exc:
                # Google answered with a refusal, so the edit did not land: back to pending.
                self.journal.mark(edit, "pending", exc.message)
                self._stop_error = exc
                self._stop.set()
                return
            self._record_success(edit)
            self.progress(1)
            return
        self.journal.mark(edit, "failed", "no answer from Google after several tries")
        self.progress(1)

    def _record_success(self, edit: Edit) -> None:
        with self.lock:
            row = self.db.table("locations").get(edit.location_id)
            merged = merge_patch(json.loads(row["raw"]), edit.body, edit.update_mask)
            with self.db.atomic():
                locations.store_location(self.db, merged, row["account"], iso(self.clock.now()))
                self.db.execute(
                    "update edits set status = 'done', error = null, updated_at = ? where id = ?",
                    [iso(self.clock.now()), edit.id],
                )
            edit.status = "done"

    def _dry_run(self, plan: Plan) -> RunResult:
        """The real checks against Google's current data, with nothing sent or journaled."""
        self._refresh([store.location_id for store in plan.stores])
        result = RunResult("dry-run", status="dry-run")
        labels = {"send": "would send", "done": "already applied"}
        for store in plan.stores:
            outcome, reason = self._decide(store.location_id, store.before, store.after)
            status = labels.get(outcome, outcome)
            result.counts[status] = result.counts.get(status, 0) + 1
            result.stores.append(
                {
                    "store_code": store.store_code,
                    "status": status,
                    "error": reason,
                    "fields": store.fields,
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
