"""The local copy of every store's reviews. Owns reviews, reviews_fts, review_stats,
review_sync, and the scores and aspects of each review (review_scores, review_aspects).

A review row is Google's review as last read, flattened for filtering: stars as 1–5, the
comment split into what the reviewer wrote and Google's translation, the language of the
original, and the owner reply with its moderation state. Writes are upserts keyed by
Google's review id, so reading a page twice (a resumed or overlapping sync) changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from localcx.db import where_in
from localcx.text import lang as langs
from localcx.text.translation import split

STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
ANONYMOUS_NAMES = {"a google user", "google ユーザー"}
_COLUMNS = (
    "review_id", "name", "location_id", "store_code", "stars", "reviewer", "anonymous",
    "comment", "original", "translated", "lang", "created_at", "updated_at", "reply_comment",
    "reply_updated_at", "reply_state", "reply_violation", "removed_at", "fetched_at", "raw",
)
# What makes a stored review "updated" when it is read again.
_COMPARED = ("stars", "comment", "updated_at", "reply_comment", "reply_updated_at",
             "reply_state", "reply_violation", "removed_at")


@dataclass
class PageCounts:
    new: list[dict[str, Any]]  # the rows of reviews seen for the first time (one page's)
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class SyncMark:
    location_id: str
    synced_from: str | None  # reviews updated before this were already read
    synced_at: str | None
    full_at: str | None


def reply_state(reply: dict[str, Any]) -> str | None:
    """Google's moderation state of an owner reply; both spellings seen in the wild."""
    state = reply.get("reviewReplyState") or reply.get("state")
    return str(state) if state else None


def to_row(review: dict[str, Any], location_id: str, store_code: str | None, now: str) -> dict[str, Any]:
    """One v4 Review as a row; tolerant of fields Google adds or leaves out."""
    reviewer = review.get("reviewer") or {}
    display = reviewer.get("displayName")
    anonymous = bool(reviewer.get("isAnonymous")) or (
        display is not None and str(display).strip().lower() in ANONYMOUS_NAMES
    )
    text = split(review.get("comment"))
    reply = review.get("reviewReply") or {}
    violation = reply.get("policyViolation")
    return {
        "review_id": str(review.get("reviewId") or str(review.get("name", "")).rsplit("/", 1)[-1]),
        "name": review.get("name"),
        "location_id": location_id,
        "store_code": store_code,
        "stars": STARS.get(str(review.get("starRating"))),
        "reviewer": None if anonymous else display,
        "anonymous": int(anonymous),
        "comment": review.get("comment"),
        "original": text.original or None,
        "translated": text.translated,
        "lang": langs.detect(text.original) if text.original else None,
        "created_at": review.get("createTime"),
        "updated_at": review.get("updateTime") or review.get("createTime"),
        "reply_comment": reply.get("comment"),
        "reply_updated_at": reply.get("updateTime"),
        "reply_state": reply_state(reply) if reply else None,
        "reply_violation": json.dumps(violation, ensure_ascii=False) if violation else None,
        "removed_at": None,
        "fetched_at": now,
        "raw": json.dumps(review, ensure_ascii=False, separators=(",", ":")),
    }


_UPSERT = (
    f"insert into reviews ({', '.join(_COLUMNS)}) values ({', '.join('?' for _ in _COLUMNS)}) "
    "on conflict(review_id) do update set "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c != "review_id")
)


def save_page(
    db: sqlite_utils.Database,
    reviews: Iterable[tuple[dict[str, Any], str, str | None]],
    now: str,
) -> PageCounts:
    """Upsert one page of (review, location_id, store_code) in one transaction."""
    counts = PageCounts([])
    rows = [to_row(review, location_id, code, now) for review, location_id, code in reviews]
    if not rows:
        return counts
    with db.atomic():
        known = _stored(db, [r["review_id"] for r in rows])
        changed = []
        for row in rows:
            old = known.get(row["review_id"])
            if old is None:
                counts.new.append(row)
            elif any(old[c] != row[c] for c in _COMPARED):
                counts.updated += 1
            else:
                counts.unchanged += 1
                continue
            changed.append(tuple(row[c] for c in _COLUMNS))
        if changed:
            db.conn.executemany(_UPSERT, changed)
    return counts


def _stored(db: sqlite_utils.Database, ids: list[str]) -> dict[str, dict[str, Any]]:
    marks = ", ".join("?" for _ in ids)
    return {
        row["review_id"]: row
        for row in db.query(
            f"select review_id, {', '.join(_COMPARED)} from reviews where review_id in ({marks})", ids
        )
    }


def mark_removed(db: sqlite_utils.Database, location_id: str, seen: set[str], now: str) -> int:
    """After a full listing: reviews no longer on Google are marked removed (kept, not
    deleted, so reports of past months stay true). Returns how many were newly marked."""
    with db.atomic():
        ids = [
            row["review_id"]
            for row in db.query(
                "select review_id from reviews where location_id = ? and removed_at is null",
                [location_id],
            )
            if row["review_id"] not in seen
        ]
        db.conn.executemany(
            "update reviews set removed_at = ? where review_id = ?", [(now, i) for i in ids]
        )
    return len(ids)


def record_stats(
    db: sqlite_utils.Database, location_id: str, average: float | None, total: int | None,
    now: str, *, source: str = "google",
) -> None:
    """The store's rating and review count at `now`: Google's own figures when a listing
    returned them, else ("local") the figures of the stored copy."""
    if average is None and total is None:
        row = next(db.query(
            "select avg(stars) as average, count(*) as total from reviews "
            "where location_id = ? and removed_at is null and stars is not null",
            [location_id],
        ))
        if not row["total"]:
            return
        average, total, source = round(float(row["average"]), 1), int(row["total"]), "local"
    db.table("review_stats").upsert(
        {"location_id": location_id, "recorded_at": now, "average_rating": average,
         "total_count": total, "source": source},
        pk=("location_id", "recorded_at"),
    )


def stats_history(db: sqlite_utils.Database, location_ids: Iterable[str]) -> list[dict[str, Any]]:
    ids = list(location_ids)
    marks = ", ".join("?" for _ in ids)
    return list(db.query(
        f"select location_id, recorded_at, average_rating, total_count, source from review_stats "
        f"where location_id in ({marks}) order by location_id, recorded_at",
        ids,
    ))


def sync_mark(db: sqlite_utils.Database, location_id: str) -> SyncMark | None:
    row = next(db.query("select * from review_sync where location_id = ?", [location_id]), None)
    if row is None:
        return None
    return SyncMark(row["location_id"], row["synced_from"], row["synced_at"], row["full_at"])


def set_mark(db: sqlite_utils.Database, location_id: str, *, synced_from: str, now: str, full: bool) -> None:
    """A store's sync finished: later syncs read only what was updated after `synced_from`."""
    old = sync_mark(db, location_id)
    db.table("review_sync").upsert(
        {"location_id": location_id, "synced_from": synced_from, "synced_at": now,
         "full_at": now if full else (old.full_at if old else None)},
        pk="location_id",
    )


def count(db: sqlite_utils.Database, location_id: str | None = None) -> int:
    if location_id is None:
        return int(db.execute("select count(*) from reviews where removed_at is null").fetchone()[0])
    return int(db.execute(
        "select count(*) from reviews where location_id = ? and removed_at is null", [location_id]
    ).fetchone()[0])


def review_ids(db: sqlite_utils.Database, *, include_removed: bool = False) -> set[str]:
    where = "" if include_removed else "where removed_at is null"
    return {row["review_id"] for row in db.query(f"select review_id from reviews {where}")}


def get(db: sqlite_utils.Database, review_id: str) -> dict[str, Any] | None:
    """One review with its score (columns `polarity`, `label`, `disagrees`), or None."""
    return next(db.query(f"{_SELECT} where r.review_id = ?", [review_id]), None)


def pending_replies(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Reviews whose owner reply Google is still moderating: a sync re-reads them, since a
    moderation decision does not move a review up the `updateTime` order."""
    return list(db.query(
        "select review_id, name, location_id, store_code from reviews "
        "where reply_state = 'PENDING' and removed_at is null"
    ))


_SELECT = (
    "select r.review_id, r.name, r.location_id, r.store_code, r.stars, r.reviewer, r.anonymous, "
    "r.original, r.translated, r.lang, r.created_at, r.updated_at, r.reply_comment, "
    "r.reply_updated_at, r.reply_state, r.reply_violation, r.removed_at, "
    "s.polarity, s.label, s.disagrees "
    "from reviews r left join review_scores s on s.review_id = r.review_id"
)


@dataclass(frozen=True)
class ReviewFilter:
    """What `reviews list` (and the report, the drafts and the board) select by."""

    location_ids: tuple[str, ...] | None = None  # None: every store
    min_stars: int | None = None
    max_stars: int | None = None
    since: str | None = None  # ISO; reviews created at or after
    until: str | None = None
    lang: str | None = None
    label: str | None = None
    unreplied: bool = False
    search: str | None = None
    include_removed: bool = False
    limit: int | None = None


def select(db: sqlite_utils.Database, where: ReviewFilter) -> Iterator[dict[str, Any]]:
    """Matching reviews, newest first, streamed a page at a time (keyset paging, so the
    100,000th row costs what the first does).

    A search of three or more characters goes through the trigram index (so 駐車場 or
    "parking" match inside words, in either language); a shorter one scans with LIKE,
    which the trigram tokenizer cannot answer.
    """
    clauses, params = _where(where)
    page = 1000
    left = where.limit
    after: tuple[str, str] | None = None
    while left is None or left > 0:
        size = page if left is None else min(page, left)
        keyset = ["(r.created_at < ? or (r.created_at = ? and r.review_id > ?))"] if after else []
        keys = [after[0], after[0], after[1]] if after else []
        conditions = clauses + keyset
        rows = list(db.query(
            f"{_SELECT} {('where ' + ' and '.join(conditions)) if conditions else ''} "
            f"order by r.created_at desc, r.review_id limit {size}",
            [*params, *keys],
        ))
        yield from rows
        if len(rows) < size:
            return
        after = (rows[-1]["created_at"] or "", rows[-1]["review_id"])
        if left is not None:
            left -= len(rows)


def _where(where: ReviewFilter) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if where.location_ids is not None:
        sql, bound = where_in("r.location_id", where.location_ids)
        clauses.append(sql.removeprefix(" and "))
        params += bound
    if where.min_stars is not None:
        clauses.append("r.stars >= ?")
        params.append(where.min_stars)
    if where.max_stars is not None:
        clauses.append("r.stars <= ?")
        params.append(where.max_stars)
    if where.since:
        clauses.append("r.created_at >= ?")
        params.append(where.since)
    if where.until:
        clauses.append("r.created_at < ?")
        params.append(where.until)
    if where.lang:
        clauses.append("r.lang = ?")
        params.append(where.lang)
    if where.label:
        clauses.append("s.label = ?")
        params.append(where.label)
    if where.unreplied:
        clauses.append("r.reply_comment is null")
    if not where.include_removed:
        clauses.append("r.removed_at is null")
    if where.search:
        text = where.search.strip()
        if len(text) >= 3:
            clauses.append("r.rowid in (select rowid from reviews_fts where reviews_fts match ?)")
            params.append(_fts_phrase(text))
        else:
            like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append(
                "(r.original like ? escape '\\' or r.translated like ? escape '\\' "
                "or r.reviewer like ? escape '\\')"
            )
            params += [like, like, like]
    return clauses, params


def _fts_phrase(text: str) -> str:
    """Each word as a quoted phrase (FTS5 syntax characters in a search are literal)."""
    words = [w for w in text.split() if w]
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words if len(w) >= 3) or (
        '"' + text.replace('"', '""') + '"'
    )


# -- scores and aspects ---------------------------------------------------------------------

def unscored(db: sqlite_utils.Database, model: str, *, rescore: bool, chunk: int) -> Iterator[list[dict[str, Any]]]:
    """Reviews to score, `chunk` at a time: those without a score from `model` (or all)."""
    where = "" if rescore else "(s.review_id is null or s.model != ?) and"
    params: list[Any] = [] if rescore else [model]
    last = ""
    while True:
        rows = list(db.query(
            "select r.review_id, r.original, r.translated, r.lang, r.stars from reviews r "
            "left join review_scores s on s.review_id = r.review_id "
            f"where {where} r.review_id > ? order by r.review_id limit {int(chunk)}",
            [*params, last],
        ))
        if not rows:
            return
        yield rows
        last = rows[-1]["review_id"]


def unscored_count(db: sqlite_utils.Database, model: str) -> int:
    return int(db.execute(
        "select count(*) from reviews r left join review_scores s on s.review_id = r.review_id "
        "where s.review_id is null or s.model != ?",
        [model],
    ).fetchone()[0])


def save_scores(db: sqlite_utils.Database, scores: list[tuple[Any, ...]], mentions: list[tuple[Any, ...]]) -> None:
    """(review_id, model, lang, polarity, label, disagrees, scored_at) rows, and the reviews'
    aspects (review_id, idx, aspect, polarity, quote), replacing what they had."""
    with db.atomic():
        db.conn.executemany(
            "insert into review_scores (review_id, model, lang, polarity, label, disagrees, scored_at) "
            "values (?, ?, ?, ?, ?, ?, ?) on conflict(review_id) do update set model = excluded.model, "
            "lang = excluded.lang, polarity = excluded.polarity, label = excluded.label, "
            "disagrees = excluded.disagrees, scored_at = excluded.scored_at",
            scores,
        )
        db.conn.executemany("delete from review_aspects where review_id = ?", [(row[0],) for row in scores])
        db.conn.executemany(
            "insert into review_aspects (review_id, idx, aspect, polarity, quote) values (?, ?, ?, ?, ?)",
            mentions,
        )


def aspect_rows(
    db: sqlite_utils.Database, location_ids: list[str] | None, since: str | None, until: str | None
) -> Iterator[dict[str, Any]]:
    """Every aspect mention of the selected reviews (for `reviews topics` and the report)."""
    clauses = ["r.removed_at is null"]
    params: list[Any] = []
    if location_ids is not None:
        sql, bound = where_in("r.location_id", location_ids)
        clauses.append(sql.removeprefix(" and "))
        params += bound
    if since:
        clauses.append("r.created_at >= ?")
        params.append(since)
    if until:
        clauses.append("r.created_at < ?")
        params.append(until)
    yield from db.query(
        "select a.aspect, a.polarity, a.quote, r.stars, r.created_at, r.location_id "
        "from review_aspects a join reviews r on r.review_id = a.review_id "
        f"where {' and '.join(clauses)}",
        params,
    )


def label_counts(db: sqlite_utils.Database, location_ids: list[str] | None = None) -> dict[str, dict[str, int]]:
    """{location_id: {label: count}} over current reviews."""
    where, params = where_in("r.location_id", location_ids)
    out: dict[str, dict[str, int]] = {}
    for row in db.query(
        "select r.location_id, s.label, count(*) as n from reviews r join review_scores s "
        f"on s.review_id = r.review_id where r.removed_at is null{where} group by r.location_id, s.label",
        params,
    ):
        out.setdefault(row["location_id"], {})[row["label"]] = row["n"]
    return out


def aspects_of(db: sqlite_utils.Database, review_id: str) -> list[dict[str, Any]]:
    """The aspects one review mentions, in text order: {aspect, polarity, quote}."""
    return list(db.query(
        "select aspect, polarity, quote from review_aspects where review_id = ? order by idx",
        [review_id],
    ))
