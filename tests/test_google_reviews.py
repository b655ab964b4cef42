"""The v4 reviews client (ReviewsApi) against the in-process sandbox, on a virtual clock, and
its pure helpers for Google's loosely documented moderation fields."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from localcx import config, db
from localcx.backend import connect
from localcx.clock import FakeClock
from localcx.google import reviews
from localcx.google.clients import Google
from localcx.google.errors import GoogleApiError
from localcx.google.quotas import Draw, draw_for
from localcx.sandbox.reviews import MODERATION_SECONDS
from localcx.sandbox.state import SandboxState


@dataclass
class Setup:
    google: Google
    clock: FakeClock
    sandbox: SandboxState
    verified: list[str]  # v4 names of stores Google serves reviews for
    unverified: list[str]


@pytest.fixture
def setup(cli: Any) -> Iterator[Setup]:
    assert cli("init", "--sandbox").exit_code == 0
    ws = config.open_workspace("default")
    database = db.open_db(ws.db_path)
    clock = FakeClock()
    google = connect(ws, database, clock=clock, faults="")
    sandbox = SandboxState.open(ws.sandbox_path)
    names = {True: [], False: []}  # type: dict[bool, list[str]]
    for loc in sandbox.locations():
        verified = bool(loc["metadata"].get("hasVoiceOfMerchant"))
        names[verified].append(f"{sandbox.account_of(loc['name'])}/{loc['name']}")
    try:
        yield Setup(google, clock, sandbox, names[True], names[False])
    finally:
        sandbox.close()
        google.close()
        database.close()


def test_page_walks_a_store_newest_first(setup: Setup) -> None:
    store = setup.verified[0]
    first = setup.google.reviews.page(store, page_size=20)
    assert len(first["reviews"]) == 20 and first["nextPageToken"]
    assert 1.0 <= first["averageRating"] <= 5.0
    seen = list(first["reviews"])
    token = first["nextPageToken"]
    while token:
        page = setup.google.reviews.page(store, page_token=token)
        seen += page["reviews"]
        token = page.get("nextPageToken")
    assert len(seen) == first["totalReviewCount"] == len({r["reviewId"] for r in seen})
    assert [r["updateTime"] for r in seen] == sorted((r["updateTime"] for r in seen),
                                                     reverse=True)
    assert setup.google.reviews.get(seen[5]["name"]) == seen[5]


def test_batch_covers_an_accounts_stores_in_one_stream(setup: Setup) -> None:
    account = setup.verified[0].split("/locations/")[0]
    mine = [n for n in setup.verified if n.startswith(account + "/")]
    page = setup.google.reviews.batch(account, mine, page_size=50)
    entries = page["locationReviews"]
    assert len(entries) == 50 and page["nextPageToken"]
    assert {e["name"] for e in entries} <= set(mine)
    assert [e["review"]["updateTime"] for e in entries] == sorted(
        (e["review"]["updateTime"] for e in entries), reverse=True)
    more = setup.google.reviews.batch(account, mine, page_token=page["nextPageToken"])
    assert not {e["review"]["reviewId"] for e in more["locationReviews"]} & {
        e["review"]["reviewId"] for e in entries}
    with pytest.raises(ValueError, match="1 to 50"):
        setup.google.reviews.batch(account, [f"{account}/locations/{i}" for i in range(51)])


def test_reply_moves_from_pending_to_approved_and_can_be_deleted(setup: Setup) -> None:
    listed = setup.google.reviews.page(setup.verified[1])["reviews"]
    review = next(r for r in listed if "reviewReply" not in r)
    answer = setup.google.reviews.put_reply(review["name"], "Thanks for coming by!")
    assert reviews.reply_state(answer) == "PENDING"
    assert reviews.reply_state(setup.google.reviews.get(review["name"])) == "PENDING"
    setup.clock.advance(MODERATION_SECONDS)
    approved = setup.google.reviews.get(review["name"])
    assert reviews.reply_state(approved) == "APPROVED"
    assert reviews.policy_violation(approved) is None
    assert approved["updateTime"] == review["updateTime"]
    setup.google.reviews.delete_reply(review["name"])
    gone = setup.google.reviews.get(review["name"])
    assert "reviewReply" not in gone and reviews.reply_state(gone) is None
    assert setup.sandbox.reply_put_counts() == {review["name"]: 1}


def test_a_rejected_reply_shows_its_reason(setup: Setup) -> None:
    review = setup.google.reviews.page(setup.verified[2])["reviews"][0]
    setup.google.reviews.put_reply(review["name"], "Email us at owner@example.com")
    setup.clock.advance(MODERATION_SECONDS + 1)
    shown = setup.google.reviews.get(review["name"])
    assert reviews.reply_state(shown) == "REJECTED"
    assert reviews.policy_violation(shown) == "PERSONAL_INFO"


def test_refusals_arrive_as_typed_errors(setup: Setup) -> None:
    review = setup.google.reviews.page(setup.verified[0])["reviews"][0]
    with pytest.raises(GoogleApiError) as too_long:
        setup.google.reviews.put_reply(review["name"], "ありがとう" * 300)  # 4,500 bytes
    assert too_long.value.error.status == "INVALID_ARGUMENT"
    assert [f for f, _ in too_long.value.error.field_violations] == ["comment"]
    with pytest.raises(GoogleApiError) as unverified:
        setup.google.reviews.page(setup.unverified[0])
    assert unverified.value.error.status == "FAILED_PRECONDITION"
    with pytest.raises(GoogleApiError) as missing:
        setup.google.reviews.get(setup.verified[0] + "/reviews/AIe9_Bgone")
    assert missing.value.error.http_status == 404 and "notFound" in missing.value.error.legacy_reasons


def test_review_calls_draw_only_from_the_v4_per_minute_bucket() -> None:
    base = "https://mybusiness.googleapis.com/v4/accounts/1/locations/2"
    for method, url in (("GET", f"{base}/reviews"), ("GET", f"{base}/reviews/r"),
                        ("PUT", f"{base}/reviews/r/reply"), ("DELETE", f"{base}/reviews/r/reply"),
                        ("POST", "https://mybusiness.googleapis.com/v4/accounts/1/"
                                 "locations:batchGetReviews")):
        assert draw_for(reviews.SERVICE, method, url) == Draw("mybusiness")


def test_star_values_and_tolerant_moderation_fields() -> None:
    assert reviews.STAR_VALUES == {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
    assert reviews.stars({"starRating": "FOUR"}) == 4
    assert reviews.stars({"starRating": "STAR_RATING_UNSPECIFIED"}) is None
    assert reviews.stars({}) is None
    assert reviews.reply_state({"reviewReply": {"state": "APPROVED"}}) == "APPROVED"
    assert reviews.reply_state({"reviewReplyState": "REJECTED", "state": "PENDING"}) == "REJECTED"
    assert reviews.reply_state({"reviewReply": {"comment": "old reply"}}) is None
    assert reviews.reply_state({"reviewReplyState": "REVIEW_REPLY_STATE_UNSPECIFIED"}) is None
    assert reviews.reply_state({}) is None
    assert reviews.policy_violation({"policyViolation": "SPAM"}) == "SPAM"
    assert reviews.policy_violation({"reviewReply": {"policyViolation": {
        "reason": "CONTAINS_PERSONAL_INFORMATION", "description": "A phone number."}}}) == (
        "CONTAINS_PERSONAL_INFORMATION: A phone number.")
    assert reviews.policy_violation({"policyViolation": {"type": "OFF_TOPIC"}}) == "OFF_TOPIC"
    assert reviews.policy_violation({"policyViolation": {}}) is None
    assert reviews.policy_violation({"reviewReply": {}}) is None
