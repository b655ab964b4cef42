"""Posting approved replies (and deleting posted ones) on the shared run executor.

`PUT …/reviews/{id}/reply` is an upsert, so sending one reply twice would do no harm on
Google's side, but each send is a write a person approved once: the journal makes it
exactly one. Before sending, each review is read again: a reply with our text already
there is done (a crash after Google took it), and an owner reply that appeared on Google
since the draft was written is never overwritten unless `--overwrite` was given. After a
lost answer or a crash, `landed()` reads the review and compares the reply text.

Pacing is the transport's: every request draws on the workspace's quota ledger.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.google.clients import Google
from localcx.google.errors import GoogleApiError
from localcx.reviews import replies
from localcx.reviews import store as review_store
from localcx.reviews.replies import Draft, DraftStatus
from localcx.runs.executor import Decision, Executor, Progress, RunResult, finish_open_then
from localcx.runs.journal import Item, ItemStatus, Journal, NewItem

AREA = "replies"
RESUME = "localcx reviews replies post"
POST, DELETE = "post", "delete"


def _reply_of(review: dict[str, Any]) -> dict[str, Any]:
    return review.get("reviewReply") or {}


class _ReplyJob:
    """What posting and deleting share: the draft, its review on Google, our copies."""

    def __init__(self, db: sqlite_utils.Database, google: Google, clock: Clock):
        self.db = db
        self.google = google
        self.clock = clock
        self._reviews: dict[int, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _draft(self, item: Item) -> Draft:
        return replies.get(self.db, str(item.payload["draft_id"]))

    def _name(self, draft: Draft) -> str:
        review = review_store.get(self.db, draft.review_id)
        if review is None or not review.get("name"):
            raise LookupError(draft.review_id)
        return str(review["name"])

    def _read(self, item: Item) -> dict[str, Any] | None:
        """The review as Google has it now (None: gone), kept for `confirm`."""
        try:
            review = self.google.reviews.get(self._name(self._draft(item)))
        except GoogleApiError as exc:
            if exc.error.http_status == 404:
                return None
            raise
        with self._lock:
            self._reviews[item.id] = review
        return review

    def _store_copy(self, item: Item, reply: dict[str, Any] | None) -> None:
        """Our copy of the review learns the reply (so `reviews sync` follows its moderation)."""
        with self._lock:
            review = self._reviews.pop(item.id, None)
        if review is None:
            return
        review = {k: v for k, v in review.items() if k != "reviewReply"}
        if reply:
            review["reviewReply"] = reply
        draft = self._draft(item)
        review_store.save_page(self.db, [(review, draft.location_id, draft.store_code)], iso(self.clock.now()))

    def prepare(self, items: Sequence[Item]) -> None:
        """Each review is read on its own, right before its write."""

    def failed(self, item: Item) -> None:
        """Google refused the reply, or one appeared there meanwhile: the draft says why. A
        draft a person changed during the run keeps its new state."""
        if self._draft(item).status is DraftStatus.APPROVED:
            replies.mark_failed(self.db, str(item.payload["draft_id"]), item.error, iso(self.clock.now()))


class ReplyPosting(_ReplyJob):
    """The executor's Job for `replies post`: one reply PUT per approved draft."""

    def __init__(self, db: sqlite_utils.Database, google: Google, clock: Clock):
        super().__init__(db, google, clock)
        self._answers: dict[int, dict[str, Any]] = {}

    def decide(self, item: Item) -> Decision:
        draft = self._draft(item)
        if draft.status in replies.ON_GOOGLE:
            return Decision.settle(ItemStatus.DONE, "already posted")
        if draft.status is not DraftStatus.APPROVED:
            return Decision.settle(ItemStatus.CONFLICT, f"the draft is {draft.status.value} now, no longer approved")
        try:
            review = self._read(item)
        except LookupError:
            return Decision.settle(ItemStatus.FAILED, "the review is not in this workspace any more")
        if review is None:
            return Decision.settle(ItemStatus.FAILED, "the review is gone from Google")
        reply = _reply_of(review)
        if reply.get("comment") == draft.text:
            with self._lock:
                self._answers[item.id] = reply
            return Decision.settle(ItemStatus.DONE, "already on Google")
        if reply.get("comment") and not item.payload.get("overwrite") and reply.get("updateTime") != draft.base_reply_at:
            return Decision.settle(
                ItemStatus.CONFLICT,
                "an owner reply was posted on Google after this draft was written; read it with "
                "`localcx reviews sync`, or approve the draft again and post with --overwrite",
            )
        return Decision.send_it()

    def send(self, item: Item) -> None:
        draft = self._draft(item)
        answer = self.google.reviews.put_reply(self._name(draft), draft.text)
        with self._lock:
            self._answers[item.id] = answer or {"comment": draft.text}

    def landed(self, item: Item) -> bool:
        try:
            review = self._read(item)
        except LookupError:
            return False
        if review is None:
            return False
        reply = _reply_of(review)
        if reply.get("comment") != self._draft(item).text:
            return False
        with self._lock:
            self._answers[item.id] = reply
        return True

    def confirm(self, item: Item) -> None:
        with self._lock:
            answer = self._answers.pop(item.id, {})
        state = replies_state(answer)
        replies.mark_posted(self.db, str(item.payload["draft_id"]), state, iso(self.clock.now()))
        self._store_copy(item, answer)


def replies_state(reply: dict[str, Any]) -> str | None:
    return review_store.reply_state(reply) if reply else None


class ReplyDeletion(_ReplyJob):
    """The executor's Job for `replies delete`: a reply already gone counts as deleted."""

    def decide(self, item: Item) -> Decision:
        return Decision.send_it()

    def failed(self, item: Item) -> None:
        """The journal keeps why; the reply stays on Google and its draft stays posted."""

    def send(self, item: Item) -> None:
        try:
            self.google.reviews.delete_reply(self._name(self._draft(item)))
        except GoogleApiError as exc:
            if exc.error.http_status != 404:
                raise

    def landed(self, item: Item) -> bool:
        try:
            review = self._read(item)
        except LookupError:
            return True
        return review is None or _reply_of(review).get("comment") != self._draft(item).text

    def confirm(self, item: Item) -> None:
        replies.mark_deleted(self.db, str(item.payload["draft_id"]), iso(self.clock.now()))
        if item.id not in self._reviews:
            try:
                self._read(item)
            except (LookupError, GoogleApiError):
                return
        self._store_copy(item, None)


def _run(
    db: sqlite_utils.Database, google: Google, journal: Journal, run_id: str, *,
    clock: Clock, workers: int, progress: Progress | None,
) -> RunResult:
    kind = journal.run(run_id)["kind"]
    job = (ReplyDeletion if kind == DELETE else ReplyPosting)(db, google, clock)
    executor = Executor(db, journal, job, clock=clock, workers=workers, progress=progress, resume_command=RESUME)
    return executor.run(run_id)


def post_approved(
    db: sqlite_utils.Database,
    google: Google,
    *,
    clock: Clock,
    overwrite: bool = False,
    workers: int = 4,
    progress: Progress | None = None,
) -> list[RunResult]:
    """Finish an interrupted replies run first, then post every approved draft."""
    journal = Journal(db, clock, AREA)

    def open_next() -> str | None:
        with db.atomic():
            drafts = replies.approved(db)
            if not drafts:
                return None
            items = [NewItem(d.review_id, d.store_code or d.location_id, {"draft_id": d.id, "overwrite": overwrite}) for d in drafts]
            return journal.open_run(POST, items, source="reviews replies post")

    return finish_open_then(
        journal, lambda run_id: _run(db, google, journal, run_id, clock=clock, workers=workers, progress=progress), open_next
    )


def delete_replies(
    db: sqlite_utils.Database, google: Google, drafts: Sequence[Draft], *, clock: Clock,
    progress: Progress | None = None,
) -> RunResult:
    journal = Journal(db, clock, AREA)
    items = [NewItem(d.review_id, d.store_code or d.location_id, {"draft_id": d.id}) for d in drafts]
    run_id = journal.open_run(DELETE, items, source="reviews replies delete")
    return _run(db, google, journal, run_id, clock=clock, workers=1, progress=progress)


def unfinished_run(db: sqlite_utils.Database, clock: Clock) -> str | None:
    row = Journal(db, clock, AREA).latest_unfinished()
    return str(row["id"]) if row else None
