"""The post queue: one row per store instance (owns the tables posts and post_templates).

An instance moves queued → publishing (taken by a run) → published (Google has it; its
`google_state` is LIVE, PROCESSING or REJECTED as last read) — or failed, cancelled,
deleted. The `instance_key` (template, store, time) is unique, so adding the same
campaign twice queues nothing twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.errors import NotFoundError, UsageError

MAX_ATTEMPTS = 3  # a post Google refused is tried again on later runs, this many times in all


class PostStatus(StrEnum):
    QUEUED = "queued"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    FAILED = "failed"
    CANCELLED = "cancelled"
    DELETED = "deleted"


class Via(StrEnum):
    CRON = "cron"  # `posts run-due` publishes it when it is due
    GOOGLE = "google"  # handed to Google at once with scheduledTime


@dataclass
class Post:
    id: str
    template_id: str
    location_id: str
    store_code: str
    account: str
    due_at: str
    via: Via
    status: PostStatus
    body: dict[str, Any]
    attempts: int
    error: str | None
    google_name: str | None
    google_state: str | None
    search_url: str | None
    created_at: str
    taken_at: str | None
    published_at: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Post:
        return cls(
            id=row["id"],
            template_id=row["template_id"],
            location_id=row["location_id"],
            store_code=row["store_code"],
            account=row["account"],
            due_at=row["due_at"],
            via=Via(row["via"]),
            status=PostStatus(row["status"]),
            body=json.loads(row["body"]),
            attempts=row["attempts"],
            error=row["error"],
            google_name=row["google_name"],
            google_state=row["google_state"],
            search_url=row["search_url"],
            created_at=row["created_at"],
            taken_at=row["taken_at"],
            published_at=row["published_at"],
        )

    @property
    def parent(self) -> str:
        """The v4 name of the post's location."""
        return f"{self.account}/locations/{self.location_id}"

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "store_code": self.store_code,
            "due_at": self.due_at,
            "via": self.via.value,
            "status": self.status.value,
            "google_state": self.google_state,
            "topic": self.body.get("topicType"),
            "summary": self.body.get("summary", ""),
            "attempts": self.attempts,
            "error": self.error,
            "google_name": self.google_name,
            "search_url": self.search_url,
            "published_at": self.published_at,
        }


@dataclass
class NewPost:
    location_id: str
    store_code: str
    account: str
    due_at: str
    body: dict[str, Any]


def save_template(db: sqlite_utils.Database, name: str, path: str, source: str, now: str) -> str:
    """Record the template text instances were made from; the same text is stored once."""
    template_id = "tpl-" + hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
    with db.atomic():
        if not db.table("post_templates").count_where("id = ?", [template_id]):
            db.table("post_templates").insert(
                {"id": template_id, "name": name, "path": path, "source": source, "added_at": now}
            )
    return template_id


def _instance_key(template_id: str, location_id: str, due_at: str, via: Via) -> str:
    return hashlib.sha256(f"{template_id}|{location_id}|{due_at}|{via}".encode()).hexdigest()


def add(
    db: sqlite_utils.Database, template_id: str, posts: Iterable[NewPost], via: Via, clock: Clock
) -> tuple[list[str], int]:
    """Queue instances; returns the new post ids and how many were already queued."""
    now = iso(clock.now())
    added, already = [], 0
    with db.atomic():
        for post in posts:
            key = _instance_key(template_id, post.location_id, post.due_at, via)
            if db.table("posts").count_where("instance_key = ?", [key]):
                already += 1
                continue
            post_id = f"post-{key[:12]}"  # the instance key is unique, so is this
            db.table("posts").insert(
                {
                    "id": post_id,
                    "template_id": template_id,
                    "location_id": post.location_id,
                    "store_code": post.store_code,
                    "account": post.account,
                    "due_at": post.due_at,
                    "via": via.value,
                    "status": PostStatus.QUEUED.value,
                    "body": json.dumps(post.body, ensure_ascii=False),
                    "instance_key": key,
                    "attempts": 0,
                    "error": None,
                    "google_name": None,
                    "google_state": None,
                    "search_url": None,
                    "created_at": now,
                    "updated_at": now,
                    "taken_at": None,
                    "published_at": None,
                }
            )
            added.append(post_id)
    return added, already


def get(db: sqlite_utils.Database, post_id: str) -> Post:
    """One post. (Worker threads share the connection; the workspace database reads every
    query whole under the connection's lock, so this read never interleaves.)"""
    row = next(db.query("select * from posts where id = ?", [post_id]), None)
    if row is None:
        raise NotFoundError(f"no post {post_id!r}", hint="list posts with: localcx posts list")
    return Post.from_row(row)


def take_due(db: sqlite_utils.Database, now: str, clock: Clock) -> list[Post]:
    """Every instance due by `now` (and every --via google one), marked publishing in the
    same transaction, so two runs can never take one post."""
    with db.atomic():
        rows = list(
            db.query(
                "select * from posts where status = ? and (due_at <= ? or via = ?) "
                "order by due_at, store_code",
                [PostStatus.QUEUED.value, now, Via.GOOGLE.value],
            )
        )
        now_iso = iso(clock.now())
        for row in rows:
            db.execute(
                "update posts set status = ?, taken_at = ?, updated_at = ? where id = ?",
                [PostStatus.PUBLISHING.value, now_iso, now_iso, row["id"]],
            )
            row["taken_at"] = now_iso
    return [Post.from_row(row) for row in rows]


def _set(db: sqlite_utils.Database, ids: Sequence[str], status: PostStatus, clock: Clock) -> None:
    now = iso(clock.now())
    for post_id in ids:
        db.execute(
            "update posts set status = ?, updated_at = ? where id = ?", [status.value, now, post_id]
        )


def mark_published(
    db: sqlite_utils.Database, post_id: str, created: dict[str, Any], clock: Clock
) -> None:
    now = iso(clock.now())
    with db.atomic():
        db.execute(
            "update posts set status = ?, google_name = ?, google_state = ?, search_url = ?, "
            "error = null, attempts = attempts + 1, published_at = ?, updated_at = ? where id = ?",
            [
                PostStatus.PUBLISHED.value,
                created.get("name"),
                created.get("state"),
                created.get("searchUrl"),
                now,
                now,
                post_id,
            ],
        )


# Refusals that may pass later: Google could not fetch the media (code 1000: a CDN down, a
# file not yet uploaded). Anything else Google refuses (a 4xx on the post itself) will be
# refused again, so it fails at once rather than spending quota and mailing cron three times.
RETRYABLE_REFUSALS = ("Fetching image failed",)


def mark_failed(db: sqlite_utils.Database, post_id: str, error: str | None, clock: Clock) -> None:
    """Google refused it: failed, or queued again for a later run (up to MAX_ATTEMPTS) when
    the refusal is one that may pass."""
    with db.atomic():
        post = get(db, post_id)
        attempts = post.attempts + 1
        retry = any(reason in (error or "") for reason in RETRYABLE_REFUSALS)
        status = PostStatus.QUEUED if retry and attempts < MAX_ATTEMPTS else PostStatus.FAILED
        db.execute(
            "update posts set status = ?, error = ?, attempts = ?, updated_at = ? where id = ?",
            [status.value, error, attempts, iso(clock.now()), post_id],
        )


def update_state(
    db: sqlite_utils.Database, post_id: str, state: str | None, search_url: str | None, clock: Clock
) -> None:
    with db.atomic():
        db.execute(
            "update posts set google_state = ?, search_url = coalesce(?, search_url), "
            "updated_at = ? where id = ?",
            [state, search_url, iso(clock.now()), post_id],
        )


def mark_deleted(db: sqlite_utils.Database, post_id: str, clock: Clock) -> None:
    with db.atomic():
        _set(db, [post_id], PostStatus.DELETED, clock)


def cancel(db: sqlite_utils.Database, post_ids: Sequence[str], clock: Clock) -> list[str]:
    """Queued → cancelled; anything else is refused by name (nothing is half-cancelled)."""
    posts = [get(db, post_id) for post_id in post_ids]
    refused = [f"{p.id} is {p.status}" for p in posts if p.status is not PostStatus.QUEUED]
    if refused:
        raise UsageError(
            "only queued posts can be cancelled: " + "; ".join(refused),
            hint="delete a published post with: localcx posts delete ID",
        )
    with db.atomic():
        _set(db, [p.id for p in posts], PostStatus.CANCELLED, clock)
    return [p.id for p in posts]


def published(db: sqlite_utils.Database, *, with_state: Iterable[str] | None = None) -> list[Post]:
    """Posts Google has (optionally only those last seen in a state), by location."""
    rows = db.query(
        "select * from posts where status = ? and google_name is not null order by location_id",
        [PostStatus.PUBLISHED.value],
    )
    states = set(with_state) if with_state is not None else None
    return [Post.from_row(r) for r in rows if states is None or r["google_state"] in states]


def list_posts(
    db: sqlite_utils.Database,
    *,
    statuses: Sequence[str] | None = None,
    keys: Iterable[str] | None = None,
    since: str | None = None,
) -> list[Post]:
    where: list[str] = ["1 = 1"]
    params: list[str] = []
    if statuses:
        where.append(f"status in ({', '.join('?' for _ in statuses)})")
        params.extend(statuses)
    if since:
        where.append("due_at >= ?")
        params.append(since)
    wanted = set(keys) if keys is not None else None
    rows = db.query(f"select * from posts where {' and '.join(where)} order by due_at, store_code", params)
    return [Post.from_row(r) for r in rows if wanted is None or r["store_code"] in wanted]
