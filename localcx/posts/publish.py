"""Publishing due posts on the shared run executor, never twice.

`localPosts.create` is not idempotent, so a post whose answer was lost (a timeout, a
crash between Google's reply and our write, `kill -9`) is never simply sent again: the
executor asks `landed()`, which lists the store's recent posts and looks for this one
(same topic, text, event title and schedule, created after the instance was taken for
publishing). Only when Google has no such post is it sent again.

The run itself is started by `posts.runner`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from localcx.clock import Clock
from localcx.google.clients import Google
from localcx.posts import queue
from localcx.posts.queue import Post, Via
from localcx.runs.executor import Decision
from localcx.runs.journal import Item, ItemStatus

CLOCK_SKEW = timedelta(minutes=2)  # Google's clock against ours, when matching a lost create
RECENT_PAGES = 2  # up to 200 of the store's newest posts are searched for a lost create


def rfc3339(iso_utc: str) -> str:
    """Our stored UTC ISO time → Google's `2026-12-05T00:00:00Z`."""
    return datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).strftime("%Y-%m-%dT%H:%M:%SZ")


def wire_body(post: Post) -> dict[str, Any]:
    """What is sent: the rendered post, plus `scheduledTime` when Google is to publish it."""
    body = dict(post.body)
    if post.via is Via.GOOGLE and (post.taken_at is None or post.due_at > post.taken_at):
        # Google refuses a scheduledTime in the past: one already due goes out at once.
        # Decided by when the post was taken, so a resumed run sends (and matches) the same.
        body["scheduledTime"] = rfc3339(post.due_at)
    return body


def _same_post(google: dict[str, Any], body: dict[str, Any], taken_at: str | None) -> bool:
    keys = ("topicType", "summary", "scheduledTime")
    if any(google.get(k) != body.get(k) for k in keys):
        return False
    ours, theirs = body.get("event") or {}, google.get("event") or {}
    if ours.get("title") != theirs.get("title") or ours.get("schedule") != theirs.get("schedule"):
        return False
    if taken_at and google.get("createTime"):
        created = datetime.fromisoformat(str(google["createTime"]).replace("Z", "+00:00"))
        taken = datetime.fromisoformat(taken_at.replace("Z", "+00:00"))
        return created >= taken - CLOCK_SKEW
    return True


class PostPublishing:
    """The executor's Job: one `localPosts.create` per queued instance."""

    def __init__(self, db: sqlite_utils.Database, google: Google, clock: Clock):
        self.db = db
        self.google = google
        self.clock = clock
        self._answers: dict[int, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _post(self, item: Item) -> Post:
        return queue.get(self.db, str(item.payload["post_id"]))

    def prepare(self, items: Sequence[Item]) -> None:
        """Nothing to read up front: each lost answer is looked up on its own store."""

    def decide(self, item: Item) -> Decision:
        post = self._post(item)
        if post.google_name:
            return Decision.settle(ItemStatus.DONE, "already published")
        return Decision.send_it()

    def send(self, item: Item) -> None:
        post = self._post(item)
        created = self.google.posts.create(post.parent, wire_body(post))
        with self._lock:
            self._answers[item.id] = created

    def landed(self, item: Item) -> bool:
        post = self._post(item)
        body = wire_body(post)
        for candidate in self.google.posts.recent(post.parent, pages=RECENT_PAGES):
            if _same_post(candidate, body, post.taken_at):
                with self._lock:
                    self._answers[item.id] = candidate
                return True
        return False

    def confirm(self, item: Item) -> None:
        with self._lock:
            created = self._answers.pop(item.id, {})
        queue.mark_published(self.db, str(item.payload["post_id"]), created, self.clock)

    def failed(self, item: Item) -> None:
        queue.mark_failed(self.db, str(item.payload["post_id"]), item.error, self.clock)
