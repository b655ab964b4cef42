"""My Business v4 reviews: list, get, batchGetReviews, updateReply and deleteReply.

Reviews come from world_reviews (a deterministic stream over simulated time: a request sees
what exists at the sandbox clock's `now`); the merchant's replies are kept in the state file
(state_reviews). What the sandbox decides where Google is unconfirmed (GOOGLE-API.md §3.7,
§3.8, §7):

- Pairing and verification as for local posts: the account in the path must hold the
  location, else 404 "Requested entity was not found." (legacy reason `notFound`); an
  unknown location, review or malformed id is the same 404. A location without Voice of
  Merchant (unverified, not on Maps) gets 400 FAILED_PRECONDITION "Precondition check
  failed." (reason failedPrecondition) on every reviews method, reads included, since
  Google serves reviews for verified locations only.
- list: `pageSize` default 50, above 50 clamped to 50 (AIP-158, as the other lists here),
  negative → 400. `orderBy` is `updateTime desc` (default), `rating` or `rating desc`
  (spaces and letter case are not significant); anything else, `updateTime` ascending
  included, → 400 INVALID_ARGUMENT on `order_by`. Ties go to the newest update, then the
  id. `averageRating` (one decimal) and `totalReviewCount` cover the whole location, on
  every page (omitted, as proto3 zeros, when it has no review yet). Page tokens are keyset
  tokens bound to the location and the order: a review arriving while a client pages never
  shifts a page, one edited meanwhile is found by the next sync; a forged token, or one from
  another listing, → 400 on `page_token`.
- batchGetReviews: body `{locationNames (1–50 v4 names under the path's account),
  pageSize, pageToken, orderBy, ignoreRatingOnlyReviews}`; more than 50 names, none, or a
  malformed one → 400 on `location_names`; a name the account does not hold → 404; any
  unverified one → 400 FAILED_PRECONDITION (the whole call). Reviews of every location are
  merged in the order asked (`updateTime desc` by default) into `locationReviews`
  `[{name: location, review}]`; duplicate names count once.
- updateReply (PUT …/reply, an upsert): `comment` required (blank → 400) and at most 4096
  bytes of UTF-8 (→ 400 naming `comment`); both answered as Google's v4 ValidationError.
  Output fields in the body are ignored. The answer is the ReviewReply with `updateTime` and
  `reviewReplyState: PENDING`. The review's own `updateTime` does **not** change (Google's
  behaviour is unconfirmed): a client re-reads the reviews it replied to to see moderation.
- Moderation: PENDING for `MODERATION_SECONDS` of sandbox time after the PUT, then APPROVED,
  or REJECTED with `policyViolation` when the reply holds a phone number or an email
  address (`PERSONAL_INFO`) or a web address (`ADVERTISING_AND_SOLICITATION`), and for a
  seeded 5% of (review, text) pairs whatever they say (`OFF_TOPIC`, `REPETITIVE`, …).
  `policyViolation` is a string of the enum in Google's v4 extract (a guess where it sits:
  GOOGLE-API.md §7); clients should also accept an object.
- deleteReply answers `{}`, also when there is no reply (idempotent, so a retry after a lost
  answer is safe; Google's answer for a missing reply is unconfirmed), and removes a reply
  the seeded world had put there too.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import heapq
import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

import phonenumbers

from localcx.sandbox import validate, world_reviews
from localcx.sandbox.binding import Request
from localcx.sandbox.posts_rules import V4, Code, validation_error
from localcx.sandbox.state import SandboxState
from localcx.sandbox.state_reviews import REJECTED, StoredReply
from localcx.sandbox.wire import ApiError, bad_request, rfc3339

PAGE_DEFAULT, PAGE_MAX = 50, 50
BATCH_MAX_LOCATIONS = 50
REPLY_MAX_BYTES = 4096
MODERATION_SECONDS = 300.0
REJECTED_SHARE = 0.05
ORDERS = ("updateTime desc", "rating", "rating desc")
SEEDED_VIOLATIONS = ("OFF_TOPIC", "REPETITIVE", "GIBBERISH_AND_REPETITIVE", "UNCLEAR",
                     "GENERIC_QUALITY")
_V4_LOCATION = re.compile(r"accounts/([^/]+)/locations/([0-9]+)")
_PHONE_LIKE = re.compile(r"[+(]?\d[\d ().\-]{6,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S|\b[a-z0-9-]+\.(?:com|net|org|jp|io|co|info|"
                  r"biz|shop|example)(?:/\S*)?\b")


# -- lookups -------------------------------------------------------------------------------
def _not_found() -> ApiError:
    err = ApiError(404, "Requested entity was not found.")
    err.legacy_reason = "notFound"
    return err


def _location(state: SandboxState, account_id: str, location_id: str) -> dict[str, Any]:
    """The verified location, when the account holds it (404 / 400 FAILED_PRECONDITION)."""
    loc = state.location(f"locations/{location_id}") if location_id.isdigit() else None
    if loc is None or state.account_of(loc["name"]) != f"accounts/{account_id}":
        raise _not_found()
    if not loc.get("metadata", {}).get("hasVoiceOfMerchant"):
        err = ApiError(400, "Precondition check failed.", status="FAILED_PRECONDITION")
        err.legacy_reason = "failedPrecondition"
        raise err
    return loc


def _view(state: SandboxState, loc: dict[str, Any], now: float) -> world_reviews.View:
    return world_reviews.view(world_reviews.profile_of(state.seed, loc, state.reviews_per_store),
                              now)


def _review(state: SandboxState, req: Request
            ) -> tuple[dict[str, Any], str, world_reviews.Shown]:
    """(location, v4 parent, the review as it stands now) for a …/reviews/{review} path."""
    args = req.path_args
    loc = _location(state, args["account"], args["location"])
    found = _view(state, loc, req.now).by_id.get(args["review"])
    if found is None:
        raise _not_found()
    return loc, f"accounts/{args['account']}/{loc['name']}", found


# -- orders and page tokens ----------------------------------------------------------------
def _order(raw: Any) -> str:
    text = " ".join(str(raw or "").split())
    if not text:
        return ORDERS[0]
    for order in ORDERS:
        if text.lower() == order.lower():
            return order
    raise bad_request([("order_by", f"Invalid order_by: {text!r}. Supported: "
                                    "updateTime desc, rating, rating desc.")])


def _scope_hash(scope: str) -> str:
    return hashlib.sha256(scope.encode("utf-8")).hexdigest()[:12]


def _encode(key: tuple[Any, ...], scope: str) -> str:
    raw = json.dumps({"k": list(key), "s": _scope_hash(scope)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str, scope: str, order: str) -> tuple[Any, ...] | None:
    """The sort key a page starts after; 400 when the token is not ours for this listing."""
    if not token:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        key = tuple(data["k"])
        shape = (int, float, str) if order != ORDERS[0] else (float, str)
        ok = (data["s"] == _scope_hash(scope) and len(key) == len(shape)
              and all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(key, shape, strict=True)))
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        ok, key = False, ()
    if not ok:
        raise bad_request([("page_token", "Invalid page token.")])
    return key


def _page_size(raw: Any) -> int:
    """The body's pageSize (proto3 JSON may send an int32 as a string), as list's."""
    raw = int(raw or 0)
    if raw == 0:
        return PAGE_DEFAULT
    if raw < 0:
        raise bad_request([("page_size", "Page size must not be negative.")])
    return int(min(raw, PAGE_MAX))


# -- the answer ----------------------------------------------------------------------------
def reply_body(reply: StoredReply, now: float) -> dict[str, Any]:
    """The ReviewReply Google shows for a merchant's reply at `now`."""
    shown = reply.state_at(now, MODERATION_SECONDS)
    out: dict[str, Any] = {"comment": reply.comment,
                           "updateTime": rfc3339(reply.put_at, micros=True),
                           "reviewReplyState": shown}
    if shown == REJECTED and reply.verdict:
        out["policyViolation"] = reply.verdict
    return out


def _render(s: world_reviews.Shown, parent: str, replies: dict[str, StoredReply],
            now: float) -> dict[str, Any]:
    out = world_reviews.render(s, parent)
    mine = replies.get(out["name"])
    if mine is not None:
        out.pop("reviewReply", None)
        if not mine.deleted:
            out["reviewReply"] = reply_body(mine, now)
            if "reviewMediaItems" in out:  # keep Google's field order
                out["reviewMediaItems"] = out.pop("reviewMediaItems")
    return out


# -- handlers ------------------------------------------------------------------------------
def list_reviews(app: Any, req: Request) -> dict[str, Any]:
    state: SandboxState = app.state
    args = req.path_args
    loc = _location(state, args["account"], args["location"])
    order = _order(req.params.get("orderBy"))
    size = req.page_size(PAGE_DEFAULT, PAGE_MAX)
    parent = f"accounts/{args['account']}/{loc['name']}"
    scope = f"reviews|{parent}|{order}"
    after = _decode(req.params.get("pageToken", ""), scope, order)
    view = _view(state, loc, req.now)
    items, keys = view.ordered(order)
    start = 0 if after is None else bisect.bisect_right(keys, after)
    page = items[start:start + size]
    replies = state.reply_table.for_locations([loc["name"]]) if page else {}
    out: dict[str, Any] = {}
    if page:
        out["reviews"] = [_render(s, parent, replies, req.now) for s in page]
    if view.total:
        out["averageRating"] = view.average
        out["totalReviewCount"] = view.total
    if start + size < len(items):
        out["nextPageToken"] = _encode(keys[start + size - 1], scope)
    return out


def get_review(app: Any, req: Request) -> dict[str, Any]:
    state: SandboxState = app.state
    loc, parent, found = _review(state, req)
    return _render(found, parent, state.reply_table.for_locations([loc["name"]]), req.now)


def _batch_locations(state: SandboxState, account_id: str, names: Any) -> list[dict[str, Any]]:
    if not names:
        raise bad_request([("location_names", "At least one location name is required.")])
    unique = list(dict.fromkeys(names))
    if len(unique) > BATCH_MAX_LOCATIONS:
        raise bad_request([("location_names", f"At most {BATCH_MAX_LOCATIONS} locations may "
                                              f"be requested at once, got {len(unique)}.")])
    parsed = []
    for i, name in enumerate(unique):
        m = _V4_LOCATION.fullmatch(name)
        if m is None:
            raise bad_request([(f"location_names[{i}]", f"Invalid location name: {name!r}. "
                                                        "Expected accounts/*/locations/*.")])
        if m.group(1) != account_id:
            raise _not_found()
        parsed.append(m.group(2))
    return [_location(state, account_id, lid) for lid in parsed]


def batch_get_reviews(app: Any, req: Request) -> dict[str, Any]:
    state: SandboxState = app.state
    body = req.json_body()
    validate.check_shape(body, "BatchGetReviewsRequest", "batch_get_reviews_request", V4)
    account_id = req.path_args["account"]
    locs = _batch_locations(state, account_id, body.get("locationNames"))
    order = _order(body.get("orderBy"))
    size = _page_size(body.get("pageSize"))
    commented = bool(body.get("ignoreRatingOnlyReviews"))
    parents = [f"accounts/{account_id}/{loc['name']}" for loc in locs]
    scope = f"batch|{'|'.join(sorted(parents))}|{order}|{commented}"
    after = _decode(str(body.get("pageToken") or ""), scope, order)

    def stream(parent: str, loc: dict[str, Any]
               ) -> Iterator[tuple[tuple[Any, ...], str, world_reviews.Shown]]:
        items, keys = _view(state, loc, req.now).ordered(order, commented)
        start = 0 if after is None else bisect.bisect_right(keys, after)
        for i in range(start, len(items)):
            yield keys[i], parent, items[i]

    merged = heapq.merge(*(stream(p, loc) for p, loc in zip(parents, locs, strict=True)),
                         key=lambda t: t[0])
    taken = list(itertools.islice(merged, size + 1))
    page = taken[:size]
    out: dict[str, Any] = {}
    if page:
        replies = state.reply_table.for_locations([loc["name"] for loc in locs])
        out["locationReviews"] = [{"name": parent, "review": _render(s, parent, replies, req.now)}
                                  for _, parent, s in page]
    if len(taken) > size:
        out["nextPageToken"] = _encode(page[-1][0], scope)
    return out


def _has_phone(text: str, region: str) -> bool:
    """A phone number for the store's region (libphonenumber), or any run of 9–15 digits
    written like one (moderation does not care which country a number is from)."""
    if any(True for _ in phonenumbers.PhoneNumberMatcher(text, region or "US")):
        return True
    return any(9 <= sum(c.isdigit() for c in m) <= 15 for m in _PHONE_LIKE.findall(text))


def moderation_verdict(seed: int, review_name: str, comment: str, region: str) -> str | None:
    """The policyViolation moderation will give this reply, or None if it is approved."""
    if _EMAIL.search(comment) or _has_phone(comment, region):
        return "PERSONAL_INFO"
    if _URL.search(comment):
        return "ADVERTISING_AND_SOLICITATION"
    digest = hashlib.sha256(f"reply|{seed}|{review_name}|{comment}".encode()).digest()
    draw = int.from_bytes(digest[:8], "big") / 2**64
    if draw < REJECTED_SHARE:
        return SEEDED_VIOLATIONS[digest[8] % len(SEEDED_VIOLATIONS)]
    return None


def _reply_comment(body: dict[str, Any]) -> str:
    comment = body.get("comment")
    comment = comment if isinstance(comment, str) else ""
    if not comment.strip():
        raise validation_error([{"code": int(Code.MISSING_VALUE), "field": "comment",
                                 "message": "Reply comment is required."}])
    size = len(comment.encode("utf-8"))
    if size > REPLY_MAX_BYTES:
        raise validation_error([{"code": int(Code.VALUE_TOO_LONG), "field": "comment",
                                 "message": f"Reply comment is {size} bytes; the limit is "
                                            f"{REPLY_MAX_BYTES} bytes of UTF-8."}])
    return comment


def update_reply(app: Any, req: Request) -> dict[str, Any]:
    state: SandboxState = app.state
    body = req.json_body()
    validate.check_shape(body, "ReviewReply", "review_reply", V4)
    loc, parent, found = _review(state, req)
    comment = _reply_comment(body)
    name = f"{parent}/reviews/{found.review.review_id}"
    region = str(loc.get("storefrontAddress", {}).get("regionCode", "US"))
    stored = state.reply_table.put(
        name, loc["name"], comment, now=req.now,
        verdict=moderation_verdict(state.seed, name, comment, region))
    return reply_body(stored, req.now)


def delete_reply(app: Any, req: Request) -> dict[str, Any]:
    state: SandboxState = app.state
    loc, parent, found = _review(state, req)
    state.reply_table.delete(f"{parent}/reviews/{found.review.review_id}", loc["name"],
                             now=req.now)
    return {}
