"""Reply drafts, one per review, and what happens to them. Owns reply_drafts.

A draft moves `draft → approved → posted → accepted | rejected`: a person approves it,
`replies post` sends it, and Google's moderation (read back by `reviews sync`) accepts or
rejects it. A person can also `reject` a draft (`declined`), Google can refuse the write
itself (`failed`), and a posted reply can be taken down (`deleted`). Editing a draft sends
it back to `draft`, so changed text is never posted without a new approval.

Approval is where the rules about people live: a draft with a lint error cannot be
approved, and only 4–5 star drafts can be approved in bulk; a 1–3 star review always
needs a person to approve its reply by id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.errors import NotFoundError, UsageError
from localcx.reviews import store
from localcx.text import reply_lint
from localcx.text.reply_lint import Problem

RECENT = 20  # a store's newest drafts among which no two may open alike
BULK_MIN_STARS = 4  # below this, a reply is approved by id only


class DraftStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    POSTED = "posted"  # sent; Google is moderating it (PENDING) or has not said
    ACCEPTED = "accepted"  # Google's moderation: APPROVED
    REJECTED = "rejected"  # Google's moderation: REJECTED (see google_reason)
    DECLINED = "declined"  # a person rejected the draft
    FAILED = "failed"  # Google refused the write, or a reply appeared there meanwhile
    DELETED = "deleted"  # taken down from Google


ON_GOOGLE = (DraftStatus.POSTED, DraftStatus.ACCEPTED, DraftStatus.REJECTED)
APPROVABLE = (DraftStatus.DRAFT, DraftStatus.FAILED)


@dataclass
class Draft:
    id: str
    review_id: str
    location_id: str
    store_code: str | None
    stars: int | None
    lang: str
    text: str
    opening: str
    source: str
    status: DraftStatus
    problems: list[Problem]
    base_reply_at: str | None
    created_at: str
    updated_at: str
    approved_at: str | None
    posted_at: str | None
    google_state: str | None
    google_reason: str | None
    error: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Draft:
        problems = [
            Problem(reply_lint.Level(p["level"]), p["code"], p["message"])
            for p in json.loads(row["problems"] or "[]")
        ]
        return cls(
            row["id"], row["review_id"], row["location_id"], row["store_code"], row["stars"],
            row["lang"], row["text"], row["opening"] or "", row["source"],
            DraftStatus(row["status"]), problems, row["base_reply_at"], row["created_at"],
            row["updated_at"], row["approved_at"], row["posted_at"], row["google_state"],
            row["google_reason"], row["error"],
        )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level is reply_lint.Level.ERROR]

    def public(self) -> dict[str, Any]:
        """The draft as listings show it (JSON, CSV)."""
        return {
            "id": self.id, "review_id": self.review_id, "store_code": self.store_code,
            "stars": self.stars, "lang": self.lang, "status": self.status.value,
            "source": self.source, "text": self.text,
            "errors": sum(p.level is reply_lint.Level.ERROR for p in self.problems),
            "warnings": sum(p.level is reply_lint.Level.WARNING for p in self.problems),
            "problems": [str(p) for p in self.problems],
            "created_at": self.created_at, "updated_at": self.updated_at,
            "approved_at": self.approved_at, "posted_at": self.posted_at,
            "google_state": self.google_state, "reason": self.google_reason, "error": self.error,
        }


def draft_id(review_id: str) -> str:
    """Short, stable, and typed by people: `rp-` and 10 hex digits of the review id."""
    return "rp-" + hashlib.sha1(review_id.encode("utf-8")).hexdigest()[:10]


def _problems_json(problems: Iterable[Problem]) -> str:
    return json.dumps([p.as_dict() for p in problems], ensure_ascii=False)


def get(db: sqlite_utils.Database, id_: str) -> Draft:
    row = next(db.query("select * from reply_drafts where id = ?", [id_.strip()]), None)
    if row is None:
        raise NotFoundError(f"no reply draft {id_!r}", hint="list drafts with: localcx reviews replies list")
    return Draft.from_row(row)


def for_review(db: sqlite_utils.Database, review_id: str) -> Draft | None:
    row = next(db.query("select * from reply_drafts where review_id = ?", [review_id]), None)
    return Draft.from_row(row) if row else None


def drafted_reviews(db: sqlite_utils.Database) -> dict[str, DraftStatus]:
    """review id → its draft's status, for every review that has one."""
    return {r["review_id"]: DraftStatus(r["status"]) for r in db.query("select review_id, status from reply_drafts")}


def recent_openings(
    db: sqlite_utils.Database, location_id: str, *, exclude: str | None = None, limit: int = RECENT
) -> list[str]:
    """The opening keys a draft of this store must not repeat, newest first.

    For a new draft: those of the store's `limit` newest drafts. For a stored one
    (`exclude`): those of the `limit` drafts on either side of it, so any `limit` drafts
    in a row (the newest ones included) never open alike, while an old draft may share
    an opening with one written long after it.
    """
    own = next(db.query("select seq from reply_drafts where id = ?", [exclude or ""]), None)
    if own is None:
        return [
            r["opening"]
            for r in db.query(
                f"select opening from reply_drafts where location_id = ? order by seq desc limit {int(limit)}",
                [location_id],
            )
        ]
    before = db.query(
        f"select opening from reply_drafts where location_id = ? and seq < ? order by seq desc limit {int(limit)}",
        [location_id, own["seq"]],
    )
    after = db.query(
        f"select opening from reply_drafts where location_id = ? and seq > ? order by seq limit {int(limit)}",
        [location_id, own["seq"]],
    )
    return [r["opening"] for r in after][::-1] + [r["opening"] for r in before]


def save(
    db: sqlite_utils.Database,
    review: dict[str, Any],
    *,
    text: str,
    lang: str,
    opening: str,
    source: str,
    problems: Sequence[Problem],
    now: str,
) -> Draft:
    """A new draft for a review, or a fresh one replacing its draft: a replaced draft
    starts over as `draft` and becomes the store's newest."""
    id_ = draft_id(review["review_id"])
    with db.atomic():
        seq = int(db.execute("select coalesce(max(seq), 0) + 1 from reply_drafts").fetchone()[0])
        db.execute("delete from reply_drafts where id = ?", [id_])
        db.table("reply_drafts").insert({
            "id": id_, "seq": seq, "review_id": review["review_id"],
            "location_id": review["location_id"], "store_code": review.get("store_code"),
            "stars": review.get("stars"), "lang": lang, "text": text, "opening": opening,
            "source": source, "status": DraftStatus.DRAFT.value,
            "problems": _problems_json(problems), "base_reply_at": review.get("reply_updated_at"),
            "created_at": now, "updated_at": now, "approved_at": None, "posted_at": None,
            "google_state": None, "google_reason": None, "alerted_at": None, "error": None,
        })
    return get(db, id_)


def list_drafts(
    db: sqlite_utils.Database,
    *,
    statuses: Sequence[DraftStatus] | None = None,
    location_ids: Sequence[str] | None = None,
    ids: Sequence[str] | None = None,
) -> Iterator[Draft]:
    """Drafts, newest first, a page at a time."""
    clauses: list[str] = []
    params: list[Any] = []
    for column, values in (("status", [s.value for s in statuses or []]), ("location_id", location_ids), ("id", ids)):
        if values is not None and (column != "status" or statuses):
            clauses.append(f"{column} in ({', '.join('?' for _ in values) or 'null'})")
            params += list(values)
    where = f"where {' and '.join(clauses)}" if clauses else ""
    last = None
    while True:
        page_where = where + (f"{' and' if where else 'where'} seq < ?" if last is not None else "")
        rows = list(db.query(
            f"select * from reply_drafts {page_where} order by seq desc limit 500",
            params + ([last] if last is not None else []),
        ))
        yield from (Draft.from_row(r) for r in rows)
        if len(rows) < 500:
            return
        last = rows[-1]["seq"]


# -- lint ------------------------------------------------------------------------------


def names_of(review: dict[str, Any]) -> list[str]:
    """How the reviewer's name may appear in a reply (masked when openings are compared)."""
    name = review.get("reviewer") if not review.get("anonymous") else None
    if not name:
        return []
    plain = honourless(str(name))
    return [str(name), plain, f"{plain}様"]


def honourless(name: str) -> str:
    """A Japanese display name without the honorific the reviewer gave themselves."""
    plain = name.strip()
    for suffix in ("さん", "様", "さま", "サン"):
        if plain.endswith(suffix) and len(plain) > len(suffix):
            plain = plain[: -len(suffix)].strip()
    return plain


def lint_text(
    db: sqlite_utils.Database, review: dict[str, Any], text: str, lang: str, *,
    store_title: str = "", exclude: str | None = None,
) -> tuple[str, list[Problem]]:
    """(opening key, problems) of a reply text for one review, against its store's
    newest drafts."""
    names = names_of(review)
    opening = reply_lint.opening_key(text, names)
    recent = set(recent_openings(db, review["location_id"], exclude=exclude))
    problems = reply_lint.lint(
        text, lang=lang, recent_openings=recent, names=names, store_names=[store_title] if store_title else [],
    )
    return opening, problems


def relint(db: sqlite_utils.Database, draft: Draft, store_title: str, now: str) -> Draft:
    """Lint a stored draft again (other drafts of its store may have changed)."""
    review = store.get(db, draft.review_id) or {"review_id": draft.review_id, "location_id": draft.location_id}
    opening, problems = lint_text(db, review, draft.text, draft.lang, store_title=store_title, exclude=draft.id)
    with db.atomic():
        db.execute(
            "update reply_drafts set opening = ?, problems = ? where id = ?",
            [opening, _problems_json(problems), draft.id],
        )
    return get(db, draft.id)


def edit(db: sqlite_utils.Database, id_: str, text: str, store_title: str, clock: Clock) -> Draft:
    """New text for a draft: linted again and back to `draft`, so it needs a new approval.
    A reply already on Google keeps its place: posting the edit replaces our own reply."""
    draft = get(db, id_)
    if draft.status is DraftStatus.DELETED:
        raise UsageError(f"{id_} was deleted from Google", hint="draft a new reply with: localcx reviews draft --redraft")
    review = store.get(db, draft.review_id) or {"review_id": draft.review_id, "location_id": draft.location_id}
    opening, problems = lint_text(db, review, text, draft.lang, store_title=store_title, exclude=draft.id)
    base = review.get("reply_updated_at") if draft.status in ON_GOOGLE else draft.base_reply_at
    with db.atomic():
        db.execute(
            "update reply_drafts set text = ?, opening = ?, problems = ?, status = ?, source = ?, "
            "base_reply_at = ?, updated_at = ?, approved_at = null, error = null where id = ?",
            [text, opening, _problems_json(problems), DraftStatus.DRAFT.value,
             draft.source if draft.source.endswith("+edited") else f"{draft.source}+edited",
             base, iso(clock.now()), draft.id],
        )
    return get(db, draft.id)


# -- a person's decisions --------------------------------------------------------------


@dataclass
class Decisions:
    done: list[str]
    refused: list[str]  # "ID: why"


def approve(db: sqlite_utils.Database, ids: Sequence[str], clock: Clock) -> Decisions:
    """Approve drafts by id: any star rating, but never one with a lint error."""
    out = Decisions([], [])
    now = iso(clock.now())
    for id_ in ids:
        draft = get(db, id_)
        if draft.status is DraftStatus.APPROVED:
            out.done.append(draft.id)
            continue
        if draft.status not in APPROVABLE:
            out.refused.append(f"{draft.id}: is {draft.status.value}, not a draft")
            continue
        if draft.errors:
            out.refused.append(f"{draft.id}: {draft.errors[0].message} (fix it with: localcx reviews replies edit {draft.id})")
            continue
        _set_approved(db, draft.id, now)
        out.done.append(draft.id)
    return out


def approve_min_stars(
    db: sqlite_utils.Database, min_stars: int, clock: Clock, *, location_ids: Sequence[str] | None = None
) -> Decisions:
    """Approve, in bulk, the clean drafts of reviews with at least `min_stars` stars.
    Bulk approval stops at 4 stars, whatever is asked: 1–3 star replies are approved by id."""
    if min_stars < BULK_MIN_STARS:
        raise UsageError(
            f"--min-stars {min_stars}: replies to 1-3 star reviews are approved one by one",
            hint="approve those by id: localcx reviews replies approve ID...",
        )
    out = Decisions([], [])
    now = iso(clock.now())
    floor = max(min_stars, BULK_MIN_STARS)
    candidates = [
        d for d in list_drafts(db, statuses=[DraftStatus.DRAFT], location_ids=location_ids)
        if d.stars is not None and d.stars >= floor and _stars_now(db, d) >= floor
    ]
    for draft in candidates:
        if draft.errors:
            out.refused.append(f"{draft.id}: {draft.errors[0].message}")
            continue
        _set_approved(db, draft.id, now)
        out.done.append(draft.id)
    return out


def _stars_now(db: sqlite_utils.Database, draft: Draft) -> int:
    """The review's rating as last synced: a reviewer who changed 5 stars to 1 since the
    draft was written gets a person's decision, not a bulk one."""
    review = store.get(db, draft.review_id)
    return int(review["stars"] or 0) if review else 0


def _set_approved(db: sqlite_utils.Database, id_: str, now: str) -> None:
    with db.atomic():
        db.execute(
            "update reply_drafts set status = ?, approved_at = ?, updated_at = ?, error = null where id = ?",
            [DraftStatus.APPROVED.value, now, now, id_],
        )


def decline(db: sqlite_utils.Database, ids: Sequence[str], clock: Clock) -> Decisions:
    """A person rejects drafts: they are never posted (a new draft replaces them)."""
    out = Decisions([], [])
    now = iso(clock.now())
    for id_ in ids:
        draft = get(db, id_)
        if draft.status in (*ON_GOOGLE, DraftStatus.DELETED):
            out.refused.append(f"{draft.id}: is {draft.status.value} on Google (remove it with: localcx reviews replies delete {draft.id})")
            continue
        with db.atomic():
            db.execute(
                "update reply_drafts set status = ?, updated_at = ?, approved_at = null where id = ?",
                [DraftStatus.DECLINED.value, now, draft.id],
            )
        out.done.append(draft.id)
    return out


# -- what the posting job records ------------------------------------------------------


def approved(db: sqlite_utils.Database) -> list[Draft]:
    """Approved drafts, oldest approval first: what `replies post` sends."""
    return [
        Draft.from_row(r)
        for r in db.query(
            "select * from reply_drafts where status = ? order by approved_at, seq", [DraftStatus.APPROVED.value]
        )
    ]


def mark_posted(db: sqlite_utils.Database, id_: str, google_state: str | None, now: str) -> None:
    db.execute(
        "update reply_drafts set status = ?, posted_at = ?, updated_at = ?, google_state = ?, "
        "google_reason = null, alerted_at = null, error = null where id = ?",
        [_status_for(google_state).value, now, now, google_state, id_],
    )


def mark_failed(db: sqlite_utils.Database, id_: str, error: str | None, now: str) -> None:
    db.execute(
        "update reply_drafts set status = ?, error = ?, updated_at = ? where id = ?",
        [DraftStatus.FAILED.value, error, now, id_],
    )


def mark_deleted(db: sqlite_utils.Database, id_: str, now: str) -> None:
    db.execute(
        "update reply_drafts set status = ?, google_state = null, updated_at = ? where id = ?",
        [DraftStatus.DELETED.value, now, id_],
    )


def _status_for(google_state: str | None) -> DraftStatus:
    return {"APPROVED": DraftStatus.ACCEPTED, "REJECTED": DraftStatus.REJECTED}.get(
        str(google_state or "").upper(), DraftStatus.POSTED
    )


# -- Google's moderation ---------------------------------------------------------------


def reason_text(violation: str | None) -> str | None:
    """Google's policy violation as one line, whatever its shape (a string or an object)."""
    if not violation:
        return None
    try:
        value = json.loads(violation)
    except json.JSONDecodeError:
        return violation
    if isinstance(value, dict):
        parts = [str(v) for v in value.values() if isinstance(v, str | int | float) and str(v).strip()]
        return "; ".join(parts) or json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class ModerationChange:
    draft: Draft
    before: DraftStatus
    after: DraftStatus
    reason: str | None

    def alert(self) -> dict[str, Any]:
        """The JSON line a `--on-new` hook receives for a rejected reply."""
        return {
            "event": "reply_rejected", "draft_id": self.draft.id, "review_id": self.draft.review_id,
            "store_code": self.draft.store_code, "stars": self.draft.stars, "reply": self.draft.text,
            "reason": self.reason, "posted_at": self.draft.posted_at,
        }


def refresh_moderation(db: sqlite_utils.Database, clock: Clock) -> list[ModerationChange]:
    """Carry Google's moderation (as the last `reviews sync` stored it on each review) over
    to the posted drafts; returns the drafts whose status changed."""
    now = iso(clock.now())
    changes = []
    for draft in list_drafts(db, statuses=list(ON_GOOGLE)):
        review = store.get(db, draft.review_id)
        if review is None or review["reply_comment"] != draft.text:
            continue  # not our reply any more (replaced or removed on Google)
        state = review["reply_state"]
        after = _status_for(state)
        reason = reason_text(review["reply_violation"]) if after is DraftStatus.REJECTED else None
        if after is draft.status and state == draft.google_state and reason == draft.google_reason:
            continue
        with db.atomic():
            db.execute(
                "update reply_drafts set status = ?, google_state = ?, google_reason = ?, updated_at = ? where id = ?",
                [after.value, state, reason, now, draft.id],
            )
        if after is not draft.status:
            changes.append(ModerationChange(draft, draft.status, after, reason))
    return changes


def rejected_reply_alerts(db: sqlite_utils.Database, clock: Clock) -> list[dict[str, Any]]:
    """For `reviews sync --alert/--on-new`, right after the sync: carry Google's moderation
    over to the drafts and return one alert (`"event": "reply_rejected"`) per rejected reply
    not alerted on before. Each rejection alerts once, whoever looked at the drafts first."""
    refresh_moderation(db, clock)
    now = iso(clock.now())
    fresh = [
        Draft.from_row(r)
        for r in db.query(
            "select * from reply_drafts where status = ? and alerted_at is null order by seq",
            [DraftStatus.REJECTED.value],
        )
    ]
    with db.atomic():
        db.conn.executemany("update reply_drafts set alerted_at = ? where id = ?", [(now, d.id) for d in fresh])
    return [ModerationChange(d, DraftStatus.POSTED, DraftStatus.REJECTED, d.google_reason).alert() for d in fresh]
