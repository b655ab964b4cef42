"""What Google did with the posts: LIVE, PROCESSING or REJECTED (read back), and deleting
live posts through the executor like any other write.

Google moderates posts after accepting them, so a post can turn REJECTED minutes or days
later; `posts sync` reads each store's recent posts once and reports what newly turned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from localcx.clock import Clock
from localcx.google.clients import Google
from localcx.google.errors import GoogleApiError
from localcx.posts import queue
from localcx.posts.publish import RECENT_PAGES
from localcx.runs.executor import Decision
from localcx.runs.journal import Item, ItemStatus

GONE = "NOT_FOUND"  # deleted on Google by someone else


@dataclass
class StateChange:
    post_id: str
    store_code: str
    before: str | None
    after: str
    search_url: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(vars(self))


def sync_states(db: sqlite_utils.Database, google: Google, clock: Clock) -> list[StateChange]:
    """Read the state of every published post, one list call per store."""
    changes = []
    by_parent: dict[str, list[queue.Post]] = {}
    for post in queue.published(db):
        by_parent.setdefault(post.parent, []).append(post)
    for parent, posts in by_parent.items():
        seen = {p["name"]: p for p in google.posts.recent(parent, pages=RECENT_PAGES)}
        for post in posts:
            found = seen.get(post.google_name or "")
            if found is None:
                found = _get(google, post.google_name or "")
            state = str(found.get("state") or GONE) if found else GONE
            url = found.get("searchUrl") if found else None
            if state != post.google_state or (url and url != post.search_url):
                queue.update_state(db, post.id, state, url, clock)
                changes.append(StateChange(post.id, post.store_code, post.google_state, state, url))
    return changes


def _get(google: Google, name: str) -> dict[str, Any] | None:
    try:
        return google.posts.get(name)
    except GoogleApiError as exc:
        if exc.error.http_status == 404:
            return None
        raise


class PostDeletion:
    """The executor's Job for `posts delete`: a post already gone counts as deleted."""

    def __init__(self, db: sqlite_utils.Database, google: Google, clock: Clock):
        self.db = db
        self.google = google
        self.clock = clock

    def _post(self, item: Item) -> queue.Post:
        return queue.get(self.db, str(item.payload["post_id"]))

    def prepare(self, items: Sequence[Item]) -> None:
        """Nothing to read first."""

    def decide(self, item: Item) -> Decision:
        return Decision.send_it() if self._post(item).google_name else Decision.settle(ItemStatus.DONE)

    def send(self, item: Item) -> None:
        try:
            self.google.posts.delete(self._post(item).google_name or "")
        except GoogleApiError as exc:
            if exc.error.http_status != 404:
                raise

    def landed(self, item: Item) -> bool:
        return _get(self.google, self._post(item).google_name or "") is None

    def confirm(self, item: Item) -> None:
        queue.mark_deleted(self.db, str(item.payload["post_id"]), self.clock)

    def failed(self, item: Item) -> None:
        """The journal keeps why; the post stays published."""
