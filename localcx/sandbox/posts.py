"""My Business v4 local posts: create, list, get, patch and delete under
`/v4/accounts/{a}/locations/{l}/localPosts`.

What the sandbox decides where Google's behaviour is unconfirmed (the body rules and the
moderation rules are in posts_rules.py):
- The account in the path must be the one holding the location; any other pairing (or an
  unknown location or post) is 404 "Requested entity was not found." with legacy reason
  `notFound`, as Google answers a wrong v4 pairing.
- A location without Voice of Merchant (the seeded stores that are not on Maps: unverified,
  no `metadata.hasVoiceOfMerchant`) can list, read and delete posts but not create or edit
  them: 400 FAILED_PRECONDITION "Precondition check failed." (reason failedPrecondition).
- create is not idempotent: every accepted create stores a new post with a new 19-digit id.
  An immediate post is LIVE at once, with `searchUrl`. A post with a future `scheduledTime`
  shows PROCESSING (no `searchUrl`) until that time on the sandbox clock, then LIVE. A post
  moderation rejects shows REJECTED from its rejection time on, whatever it showed before.
  The state is computed on each read from the clock; nothing runs in the background.
- `createTime`/`updateTime` always carry microseconds, as Google's server stamps do.
- list: newest first, `pageSize` 1–100 (0 or absent: 20; above 100: 100), keyset page
  tokens, so posts created while a client pages never shift or repeat a page.
- patch: `updateMask` is required and names LocalPost paths (output fields refused).
  Fields outside the mask are ignored, as in locations.patch, so a change the mask does not
  name is lost: that is how a client learns every changed field must be in the mask. The
  edited post is checked against every create rule and moderated again; `topicType` cannot
  change; a post already published cannot be given a new `scheduledTime`.
- delete answers `{}`; the post is gone from list and get (404).
"""

from __future__ import annotations

import base64
import copy
import hashlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

from localcx.sandbox import discovery, posts_rules, validate
from localcx.sandbox.binding import Request, decode_token, encode_token
from localcx.sandbox.posts_rules import V4, Code, validation_error
from localcx.sandbox.state import SandboxState
from localcx.sandbox.state_posts import LIVE, PROCESSING, StoredPost
from localcx.sandbox.wire import (
    ApiError,
    bad_request,
    get_path,
    prune,
    rfc3339,
    set_path,
)

PAGE_DEFAULT, PAGE_MAX = 20, 100
_ORDER = ("name", "languageCode", "topicType", "summary", "callToAction", "event", "offer",
          "alertType", "media", "scheduledTime", "createTime", "updateTime", "state",
          "searchUrl")


# -- lookups -------------------------------------------------------------------------------
def _not_found() -> ApiError:
    err = ApiError(404, "Requested entity was not found.")
    err.legacy_reason = "notFound"
    return err


def _location(state: SandboxState, req: Request) -> tuple[dict[str, Any], str]:
    """(location, account name) when the path's pairing is the one that holds it."""
    account = f"accounts/{req.path_args['account']}"
    location_id = req.path_args["location"]
    loc = state.location(f"locations/{location_id}") if location_id.isdigit() else None
    if loc is None or state.account_of(loc["name"]) != account:
        raise _not_found()
    return loc, account


def _require_voice_of_merchant(loc: dict[str, Any]) -> None:
    if not loc.get("metadata", {}).get("hasVoiceOfMerchant"):
        err = ApiError(400, "Precondition check failed.", status="FAILED_PRECONDITION")
        err.legacy_reason = "failedPrecondition"
        raise err


def _post(state: SandboxState, req: Request, account: str, loc: dict[str, Any]) -> StoredPost:
    name = f"{account}/{loc['name']}/localPosts/{req.path_args['post']}"
    found = state.post_table.get(name)
    if found is None:
        raise _not_found()
    return found


def _region(loc: dict[str, Any]) -> str:
    return str(loc.get("storefrontAddress", {}).get("regionCode", "US"))


def _body(req: Request) -> dict[str, Any]:
    body = req.json_body()
    validate.check_shape(body, "LocalPost", "local_post", V4)
    return body


# -- the answer ----------------------------------------------------------------------------
def search_url(loc: dict[str, Any], post: StoredPost) -> str:
    """The post on Google Search: the listing's Maps CID and an opaque id for the post."""
    maps = urlsplit(loc.get("metadata", {}).get("mapsUri", ""))
    cid = parse_qs(maps.query).get("cid", [""])[0]
    digest = hashlib.sha256(f"lpsid|{post.name}".encode()).digest()[:15]
    lpsid = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return f"https://local.google.com/place?id={cid}&use=posts&lpsid={lpsid}"


def render(loc: dict[str, Any], post: StoredPost, now: float) -> dict[str, Any]:
    """The LocalPost as Google answers it at `now`."""
    shown = post.state_at(now)
    out: dict[str, Any] = {**post.body, "name": post.name, "state": shown,
                           "createTime": rfc3339(post.create_time, micros=True),
                           "updateTime": rfc3339(post.update_time, micros=True)}
    if shown == LIVE:
        out["searchUrl"] = search_url(loc, post)
    out = prune(out) or {}
    return {k: out[k] for k in sorted(out, key=lambda k: _ORDER.index(k)
                                      if k in _ORDER else len(_ORDER))}


# -- handlers ------------------------------------------------------------------------------
def create_post(app: Any, req: Request) -> dict[str, Any]:
    state: SandboxState = app.state
    body = _body(req)
    loc, account = _location(state, req)
    _require_voice_of_merchant(loc)
    post = prune(posts_rules.clean(body, str(loc.get("languageCode", "en")))) or {}
    problems = posts_rules.violations(post, req.now)
    if problems:
        raise validation_error(problems)
    scheduled = validate.parse_timestamp(post.get("scheduledTime", ""))
    region, seed = _region(loc), state.seed
    stored = state.post_table.create(
        seed=seed, location=loc["name"], account=account, body=post, now=req.now,
        live_at=scheduled if scheduled is not None else req.now,
        review=lambda pid: posts_rules.rejection_time(seed, pid, post, region, req.now))
    return render(loc, stored, req.now)


def list_posts(app: Any, req: Request) -> dict[str, Any]:
    state: SandboxState = app.state
    loc, account = _location(state, req)
    size = req.page_size(PAGE_DEFAULT, PAGE_MAX)
    scope = f"localPosts|{account}/{loc['name']}"
    after = decode_token(req.params.get("pageToken", ""), scope)
    rows = state.post_table.list(loc["name"], before_seq=after, limit=size + 1)
    page = rows[:size]
    out: dict[str, Any] = {}
    if page:
        out["localPosts"] = [render(loc, p, req.now) for p in page]
    if len(rows) > size:
        out["nextPageToken"] = encode_token(page[-1].seq, scope)
    return out


def get_post(app: Any, req: Request) -> dict[str, Any]:
    loc, account = _location(app.state, req)
    return render(loc, _post(app.state, req, account, loc), req.now)


def delete_post(app: Any, req: Request) -> dict[str, Any]:
    state: SandboxState = app.state
    loc, account = _location(state, req)
    if not state.post_table.delete(_post(state, req, account, loc).name):
        raise _not_found()
    return {}


def patch_post(app: Any, req: Request) -> dict[str, Any]:
    state: SandboxState = app.state
    paths = _update_mask(req)
    body = _body(req)
    loc, account = _location(state, req)
    _require_voice_of_merchant(loc)
    with state.lock:  # read, check and write as one step
        old = _post(state, req, account, loc)
        merged = copy.deepcopy(old.body)
        for path in paths:
            set_path(merged, path, get_path(body, path))
        merged = prune(posts_rules.clean(merged, str(loc.get("languageCode", "en")))) or {}
        problems = _edit_problems(old, merged, paths, req.now)
        problems += posts_rules.violations(merged, req.now,
                                           check_schedule="scheduledTime" in paths)
        if problems:
            raise validation_error(problems)
        live_at = old.live_at
        if "scheduledTime" in paths:
            scheduled = validate.parse_timestamp(merged.get("scheduledTime", ""))
            live_at = scheduled if scheduled is not None else req.now
        verdict = posts_rules.rejection_time(state.seed, old.post_id, merged, _region(loc),
                                             req.now)
        # A post already on its way out stays so; a fixed one is reviewed afresh.
        rejected_at = None if verdict is None else (
            old.rejected_at if old.rejected_at is not None else verdict)
        new = state.post_table.update(old.name, merged, now=req.now, live_at=live_at,
                                      rejected_at=rejected_at)
    if new is None:
        raise _not_found()
    return render(loc, new, req.now)


def _update_mask(req: Request) -> list[str]:
    paths = req.mask("updateMask")
    valid = {**discovery.field_paths(discovery.MYBUSINESS_V4, "LocalPost"),
             **{f: False for f in posts_rules.LATER_FIELDS["LocalPost"]}}
    problems: list[tuple[str, str]] = []
    for p in paths:
        if p not in valid:
            problems.append(("update_mask", f"Invalid field mask path: {p}"))
        elif p.split(".")[0] in posts_rules.OUTPUT_ONLY:
            problems.append(("update_mask", f"{p} is output only and cannot be updated."))
    if problems:
        raise bad_request(problems)
    return paths


def _edit_problems(old: StoredPost, merged: dict[str, Any], paths: list[str],
                   now: float) -> list[posts_rules.Detail]:
    out: list[posts_rules.Detail] = []
    if merged.get("topicType") != old.body.get("topicType"):
        out.append({"code": int(Code.INVALID_VALUE), "field": "topic_type",
                    "message": "Topic type cannot be changed."})
    if ("scheduledTime" in paths and old.state_at(now) != PROCESSING
            and merged.get("scheduledTime") != old.body.get("scheduledTime")):
        out.append({"code": int(Code.INVALID_VALUE), "field": "scheduled_time",
                    "message": "A published post cannot be rescheduled."})
    return out
