"""The executor every write job runs on: profile edits now; posts, replies and scans next.

An area describes its writes as a `Job` (decide what an item needs, send it, and say
whether a write landed when its answer was lost) and the executor does the rest the same
way for all of them:

* items left `sent` by a crash are reconciled with Google before anything is resent,
  whatever the run's kind, so a resumed run never sends an item twice;
* `sent` is committed before each request leaves;
* a refusal from Google (4xx) fails that item and the run goes on; quota, auth, and a
  service that keeps failing (5xx beyond the retries) stop the run with the item back
  to pending, so `resume` can finish it later;
* Ctrl-C, SIGTERM or a crash leave the run `interrupted` with the journal exact;
* a thread pool, progress callbacks, and nothing printed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Protocol

import sqlite_utils

from localcx.clock import Clock
from localcx.errors import LocalcxError
from localcx.exitcodes import ExitCode
from localcx.google.errors import (
    GoogleApiError,
    GoogleAuthError,
    GoogleQuotaError,
    OutcomeUnknownError,
)
from localcx.runs.journal import OPEN_ITEMS, Item, ItemStatus, Journal, RunStatus

MAX_UNKNOWN_OUTCOMES = 3
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Decision:
    """What an item needs now: to be sent, or to be settled without a request."""

    send: bool
    status: ItemStatus | None = None
    reason: str | None = None

    @classmethod
    def send_it(cls) -> Decision:
        return cls(True)

    @classmethod
    def settle(cls, status: ItemStatus, reason: str | None = None) -> Decision:
        return cls(False, status, reason)


class Job(Protocol):
    """An area's write, item by item. Methods may be called from worker threads."""

    def prepare(self, items: Sequence[Item]) -> None:
        """Read what `decide` and `landed` need, in as few requests as possible."""

    def decide(self, item: Item) -> Decision:
        """Send, or settle now (already done, a conflict, gone)."""

    def send(self, item: Item) -> None:
        """Make the write; raise the transport's errors as they come."""

    def landed(self, item: Item) -> bool:
        """Re-read Google: did this item's write take effect (after a crash or a lost answer)?"""

    def confirm(self, item: Item) -> None:
        """Record the write's local effects (e.g. our copy of the store); runs in the same
        transaction that marks the item done."""

    def failed(self, item: Item) -> None:
        """The item ended failed or in conflict (`item.error` says why): record it in the
        area's own rows, e.g. to try again on a later run."""


class TransientFailure(LocalcxError):
    """Google kept failing (5xx or no answer) beyond the retries: the item stays open.
    Exit 3, as for a partial run: some of it landed and the rest can be resumed."""

    exit_code = ExitCode.PARTIAL


@dataclass
class RunResult:
    run_id: str
    status: str = RunStatus.RUNNING.value
    counts: dict[str, int] = field(default_factory=dict)
    already: int = 0
    items: list[Item] = field(default_factory=list)
    stop_error: LocalcxError | None = None


class Executor:
    def __init__(
        self,
        db: sqlite_utils.Database,
        journal: Journal,
        job: Job,
        *,
        clock: Clock,
        workers: int = 4,
        progress: Progress | None = None,
        resume_command: str = "resume",
    ):
        """`resume_command` is what the area's users run to finish an open run
        (`localcx profiles resume`); hints name it."""
        self.db = db
        self.journal = journal
        self.job = job
        self.clock = clock
        self.workers = workers
        self.progress = progress or (lambda n: None)
        self.resume_command = resume_command
        self._stop = threading.Event()
        self._stop_error: LocalcxError | None = None
        self._already = 0

    def run(self, run_id: str) -> RunResult:
        """Finish every open item of a run: a fresh run and a resumed one alike."""
        self.journal.finish(run_id, RunStatus.RUNNING)
        try:
            items = self.journal.items(run_id, OPEN_ITEMS)
            self.job.prepare(items)
            to_send = [item for item in items if self._needs_sending(item)]
            self._send_all(to_send)
        except (GoogleQuotaError, GoogleAuthError) as exc:
            # Re-reading before sending (or after a lost answer) hit a stop: the run is open.
            self._stop_error = self._stop_error or self._left_open(exc)
        except GoogleApiError as exc:
            if not exc.error.transient:
                self.journal.finish(run_id, RunStatus.INTERRUPTED)
                raise
            self._stop_error = self._stop_error or self._transient(exc)
        except BaseException:
            # Ctrl-C, SIGTERM, a crash: the journal says exactly which items are open.
            self.journal.finish(run_id, RunStatus.INTERRUPTED)
            raise
        return self._finish(run_id)

    def _finish(self, run_id: str) -> RunResult:
        result = RunResult(run_id, already=self._already, stop_error=self._stop_error)
        result.counts = self.journal.counts(run_id)
        if any(result.counts.get(s.value) for s in OPEN_ITEMS):
            status = RunStatus.INTERRUPTED
        elif result.counts.get(ItemStatus.FAILED.value) or result.counts.get(
            ItemStatus.CONFLICT.value
        ):
            status = RunStatus.PARTIAL
        else:
            status = RunStatus.DONE
        self.journal.finish(run_id, status)
        result.status = status.value
        result.items = self.journal.items(run_id)
        return result

    def _settle(self, item: Item, status: ItemStatus, reason: str | None) -> None:
        if status is ItemStatus.DONE:
            with self.db.atomic():
                self.job.confirm(item)
                self.journal.mark(item, status, reason)
        else:
            with self.db.atomic():
                self.journal.mark(item, status, reason)
                self.job.failed(item)
        self.progress(1)

    def _needs_sending(self, item: Item) -> bool:
        if item.status is ItemStatus.SENT and self.job.landed(item):
            self._already += 1
            self._settle(item, ItemStatus.DONE, "already applied")
            return False
        decision = self.job.decide(item)
        if decision.send:
            return True
        assert decision.status is not None
        if decision.status is ItemStatus.DONE:
            self._already += 1
        self._settle(item, decision.status, decision.reason)
        return False

    def _send_all(self, items: list[Item]) -> None:
        workers = max(1, min(self.workers, len(items) or 1))
        if workers == 1:
            for item in items:
                if self._stop.is_set():
                    break
                self._send(item)
            return
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="run")
        try:
            futures = [pool.submit(self._send, item) for item in items]
            for future in as_completed(futures):
                future.result()
        except BaseException:
            self._stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)

    def _stop_run(self, item: Item, error: LocalcxError) -> None:
        """Google did not take the write, and more would not help now: back to pending."""
        self.journal.mark(item, ItemStatus.PENDING, error.message)
        if self._stop_error is None:
            self._stop_error = self._left_open(error)
        self._stop.set()

    def _left_open(self, error: LocalcxError) -> LocalcxError:
        """A quota or login problem's own fix, then how to finish the run once it is fixed."""
        if isinstance(error, GoogleQuotaError | GoogleAuthError) and self.resume_command not in (
            error.hint or ""
        ):
            then = f"then finish the run with: {self.resume_command}"
            error.hint = f"{error.hint}; {then}" if error.hint else then
        return error

    def _send(self, item: Item) -> None:
        if self._stop.is_set():
            return
        for _ in range(MAX_UNKNOWN_OUTCOMES):
            self.journal.mark(item, ItemStatus.SENT, sending=True)
            try:
                self.job.send(item)
            except OutcomeUnknownError:
                if self.job.landed(item):
                    self._settle(item, ItemStatus.DONE, "confirmed by re-reading after a lost answer")
                    return
                continue
            except (GoogleQuotaError, GoogleAuthError) as exc:
                self._stop_run(item, exc)
                return
            except GoogleApiError as exc:
                if exc.error.transient:
                    self._stop_run(item, self._transient(exc))
                    return
                self._settle(item, ItemStatus.FAILED, exc.error.describe())
                return
            self._settle(item, ItemStatus.DONE, None)
            return
        self._stop_run(
            item,
            TransientFailure(
                f"no answer from Google for {item.label} after several tries",
                hint=f"the run is open: finish it later with: {self.resume_command}",
            ),
        )

    def _transient(self, exc: GoogleApiError) -> TransientFailure:
        return TransientFailure(
            f"Google kept failing ({exc.error.describe()}); the rest of the run is open",
            hint=f"try again later with: {self.resume_command} (nothing will be sent twice)",
        )


def finish_open_then(
    journal: Journal, execute: Callable[[str], RunResult], open_next: Callable[[], str | None]
) -> list[RunResult]:
    """How a cron-run area works: finish its interrupted run first (and stop there if that
    run stopped on quota or auth), then open the next run (`open_next` returns its id, or
    None when there is nothing to do) and run it."""
    results = []
    unfinished = journal.latest_unfinished()
    if unfinished is not None:
        results.append(execute(unfinished["id"]))
        if results[-1].stop_error is not None:
            return results
    run_id = open_next()
    if run_id is not None:
        results.append(execute(run_id))
    return results


def combined_counts(results: Sequence[RunResult]) -> dict[str, int]:
    """Item counts by status over several runs (an interrupted one finished, then a new one)."""
    out: dict[str, int] = {}
    for result in results:
        for status, n in result.counts.items():
            out[status] = out.get(status, 0) + n
    return out


def first_stop(results: Sequence[RunResult]) -> LocalcxError | None:
    """What stopped the first run that stopped (quota, login, a failing Google), if any."""
    return next((r.stop_error for r in results if r.stop_error is not None), None)


def run_summary(result: RunResult) -> dict[str, Any]:
    """The parts of a result every area reports the same way."""
    return {"run_id": result.run_id, "status": result.status, "counts": result.counts}
