"""Starting and finishing posts runs: publishing due instances, deleting live posts.

Taking due instances and opening the run that publishes them is one transaction, and an
open run (of either kind) is finished before new instances are taken, so an instance
belongs to at most one run and a crash leaves nothing half-claimed.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from localcx.clock import Clock
from localcx.google.clients import Google
from localcx.posts import queue
from localcx.posts.google_state import PostDeletion
from localcx.posts.publish import PostPublishing
from localcx.runs.executor import Executor, Job, Progress, RunResult, finish_open_then
from localcx.runs.journal import Journal, NewItem

AREA = "posts"
RESUME = "localcx posts run-due"
PUBLISH, DELETE = "publish", "delete"


def _job(kind: str, db: sqlite_utils.Database, google: Google, clock: Clock) -> Job:
    return (PostDeletion if kind == DELETE else PostPublishing)(db, google, clock)


def _run(
    db: sqlite_utils.Database,
    google: Google,
    journal: Journal,
    run_id: str,
    *,
    clock: Clock,
    workers: int,
    progress: Progress | None,
) -> RunResult:
    kind = journal.run(run_id)["kind"]
    executor = Executor(
        db,
        journal,
        _job(kind, db, google, clock),
        clock=clock,
        workers=workers,
        progress=progress,
        resume_command=RESUME,
    )
    return executor.run(run_id)


def run_due(
    db: sqlite_utils.Database,
    google: Google,
    *,
    now: str,
    clock: Clock,
    workers: int = 4,
    progress: Progress | None = None,
) -> list[RunResult]:
    """Finish an open posts run, then publish every instance due by `now` (UTC ISO)."""
    journal = Journal(db, clock, AREA)

    def open_next() -> str | None:
        with db.atomic():
            due = queue.take_due(db, now, clock)
            if not due:
                return None
            items = [NewItem(p.id, p.store_code, {"post_id": p.id}) for p in due]
            return journal.open_run(PUBLISH, items, source=f"due by {now}")

    return finish_open_then(
        journal, lambda run_id: _run(db, google, journal, run_id, clock=clock, workers=workers, progress=progress), open_next
    )


def delete_posts(
    db: sqlite_utils.Database,
    google: Google,
    posts: Sequence[queue.Post],
    *,
    clock: Clock,
    progress: Progress | None = None,
) -> RunResult:
    journal = Journal(db, clock, AREA)
    items = [NewItem(p.id, p.store_code, {"post_id": p.id}) for p in posts]
    run_id = journal.open_run(DELETE, items, source="posts delete")
    return _run(db, google, journal, run_id, clock=clock, workers=1, progress=progress)
