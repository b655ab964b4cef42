"""v4 reviews in the sandbox: the review stream over simulated time, list/get/batch shapes and
paging, owner replies with their limits and moderation, refusals, faults and persistence."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_helpers import AUTH, T0, FakeClock, client_for

from localcx.sandbox import Limits, SandboxState, world_reviews
from localcx.sandbox.reviews import MODERATION_SECONDS, moderation_verdict
from localcx.sandbox.world import build_world

DAY = 86400.0



@pytest.fixture
def state(tmp_path: Path) -> SandboxState:
    return SandboxState.open(tmp_path / "sandbox.db")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()



@pytest.fixture
def client(state: SandboxState, clock: FakeClock) -> httpx.Client:
    return client_for(state, clock)


def stores(state: SandboxState, *, verified: bool = True, language: str | None = None
           ) -> list[str]:
    """v4 names `accounts/{a}/locations/{l}` of seeded stores."""
    return [f"{state.account_of(loc['name'])}/{loc['name']}" for loc in state.locations()
            if bool(loc["metadata"].get("hasVoiceOfMerchant")) == verified
            and (language is None or loc["languageCode"] == language)]


def every_review(client: httpx.Client, parent: str, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    token = ""
    while True:
        resp = client.get(f"/v4/{parent}/reviews", params={**params, "pageToken": token})
        assert resp.status_code == 200, resp.text
        out += resp.json().get("reviews", [])
        token = resp.json().get("nextPageToken", "")
        if not token:
            return out


def stream_of(state: SandboxState, parent: str) -> list[world_reviews.SeededReview]:
    """The seeded stream behind a store (up to a year past T0), to find edits and removals."""
    loc = state.location(parent.split("/", 2)[2])
    assert loc is not None
    profile = world_reviews.profile_of(state.seed, loc, state.reviews_per_store)
    return list(world_reviews.timeline(profile, world_reviews.chunk_of(T0 + 365 * DAY)).reviews)


def error_of(resp: httpx.Response, code: int, status: str) -> dict[str, Any]:
    assert resp.status_code == code, resp.text
    err: dict[str, Any] = resp.json()["error"]
    assert err["status"] == status
    return err


def field_of(err: dict[str, Any]) -> str:
    detail = err["details"][0]
    if "fieldViolations" in detail:
        return str(detail["fieldViolations"][0]["field"])
    return str(detail["errorDetails"][0]["field"])


# -- the world's reviews --------------------------------------------------------------------
def test_reviews_have_googles_shapes_and_a_realistic_mix() -> None:
    world = build_world(7, 60)
    reviews = [r for loc in world.locations for r in world_reviews.reviews_for(7, loc)]
    comments = [r["comment"] for r in reviews if "comment" in r]
    assert 0.18 < 1 - len(comments) / len(reviews) < 0.32, "about a quarter are rating-only"
    stars = [world_reviews.STARS.index(r["starRating"]) + 1 for r in reviews]
    assert stars.count(5) > stars.count(4) > stars.count(3) and stars.count(1) > stars.count(2)
    ids = [r["reviewId"] for r in reviews]
    assert len(set(ids)) == len(ids)
    assert all(120 <= len(i) <= 140 and re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)
    assert any(i.startswith("AIe9_B") for i in ids) and any(i.startswith("ChZDSUhN") for i in ids)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", r["createTime"])
               for r in reviews)
    anonymous = [r["reviewer"] for r in reviews if r["reviewer"].get("isAnonymous")]
    assert {"isAnonymous": True} in anonymous
    assert {"displayName": "A Google User", "isAnonymous": True} in anonymous
    named = [r["reviewer"] for r in reviews if not r["reviewer"].get("isAnonymous")]
    assert all(v["profilePhotoUrl"].startswith("https://lh3.googleusercontent.com/") and
               v["displayName"] for v in named)
    assert any("reviewReply" in r for r in reviews)
    assert any("reviewMediaItems" in r for r in reviews)
    joined = "\n".join(comments)
    for form in (r"^\(Translated by Google\) .+\n\n\(Original\)\n.+",
                 r"^\(Original\)\n.+\n\n\(Translated by Google\)\n.+",
                 r"^\(Google による翻訳\) .+\n\n\(原文\)\n.+",
                 r"^\(原文\)\n.+\n\n\(Google による翻訳\)\n.+"):
        assert any(re.search(form, c, re.S) for c in comments), form
    for original in ("국물", "味道", "personnel"):
        assert original in joined
    assert "美味しくないわけではない" in joined and "not unfriendly" in joined
    assert any(len(c) <= 6 for c in comments), "very short texts"
    assert re.search("[\U0001F300-\U0001FAFF]", joined), "emoji"


def test_reviews_are_deterministic_per_seed_and_store() -> None:
    loc = build_world().locations[3]
    assert world_reviews.reviews_for(7, loc) == world_reviews.reviews_for(7, loc)
    assert world_reviews.reviews_for(7, loc) != world_reviews.reviews_for(8, loc)
    # a category edit changes the text bank, never ids, times or stars
    edited = {**loc, "categories": {"primaryCategory": {"name": "categories/gcid:bakery"}}}
    def skeleton(rs: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
        return [(r["reviewId"], r["updateTime"], r["starRating"]) for r in rs]
    assert skeleton(world_reviews.reviews_for(7, edited)) == skeleton(
        world_reviews.reviews_for(7, loc))


def test_a_world_of_500_stores_holds_a_hundred_thousand_reviews() -> None:
    """The size bench/reviews.py ingests (how fast they generate is measured there)."""
    world = build_world(11, 500)
    total = sum(world_reviews.view(world_reviews.profile_of(11, loc, 200), T0 + 60 * DAY).total
                for loc in world.locations)
    assert total >= 95_000


# -- list and get ---------------------------------------------------------------------------
def test_list_pages_with_bound_tokens_and_whole_location_figures(
        client: httpx.Client, state: SandboxState) -> None:
    parent = stores(state, language="ja")[0]
    first = client.get(f"/v4/{parent}/reviews").json()
    assert len(first["reviews"]) == 50, "default and maximum page size is 50"
    assert client.get(f"/v4/{parent}/reviews", params={"pageSize": 500}).json()[
        "reviews"] == first["reviews"], "a larger page size is clamped to 50"
    everything = every_review(client, parent, pageSize=7)
    assert len(everything) == first["totalReviewCount"]
    assert len({r["reviewId"] for r in everything}) == len(everything)
    times = [r["updateTime"] for r in everything]
    assert times == sorted(times, reverse=True)
    assert all(r["name"] == f"{parent}/reviews/{r['reviewId']}" for r in everything)
    stars = [world_reviews.STARS.index(r["starRating"]) + 1 for r in everything]
    assert first["averageRating"] == round(sum(stars) / len(stars), 1)
    page2 = client.get(f"/v4/{parent}/reviews",
                       params={"pageSize": 7, "pageToken": client.get(
                           f"/v4/{parent}/reviews", params={"pageSize": 7}).json()[
                           "nextPageToken"]}).json()
    assert page2["totalReviewCount"] == first["totalReviewCount"]
    assert page2["averageRating"] == first["averageRating"]
    token = first["nextPageToken"]
    other = stores(state, language="ja")[1]
    for url, params in ((f"/v4/{other}/reviews", {"pageToken": token}),
                        (f"/v4/{parent}/reviews", {"pageToken": token, "orderBy": "rating"}),
                        (f"/v4/{parent}/reviews", {"pageToken": token[:-3] + "xyz"}),
                        (f"/v4/{parent}/reviews", {"pageToken": "not-a-token"})):
        err = error_of(client.get(url, params=params), 400, "INVALID_ARGUMENT")
        assert field_of(err) == "page_token"
    err = error_of(client.get(f"/v4/{parent}/reviews", params={"pageSize": -1}), 400,
                   "INVALID_ARGUMENT")
    assert field_of(err) == "page_size"


def test_order_by_rating_and_refused_orders(client: httpx.Client, state: SandboxState) -> None:
    parent = stores(state, language="en")[0]
    for order, descending in (("rating", False), ("rating desc", True), ("RATING  DESC", True)):
        got = every_review(client, parent, orderBy=order, pageSize=50)
        ranks = [world_reviews.STARS.index(r["starRating"]) for r in got]
        assert ranks == sorted(ranks, reverse=descending)
        assert len(got) == len(every_review(client, parent))
    for bad in ("updateTime", "updateTime asc", "createTime desc", "stars"):
        err = error_of(client.get(f"/v4/{parent}/reviews", params={"orderBy": bad}), 400,
                       "INVALID_ARGUMENT")
        assert field_of(err) == "order_by"


def test_get_one_review_and_unknown_ones(client: httpx.Client, state: SandboxState) -> None:
    parent = stores(state)[0]
    listed = client.get(f"/v4/{parent}/reviews").json()["reviews"][3]
    assert client.get(f"/v4/{listed['name']}").json() == listed
    for name in (f"{parent}/reviews/AIe9_Bnope", f"{parent}/reviews/{'A' * 130}"):
        err = error_of(client.get(f"/v4/{name}"), 404, "NOT_FOUND")
        assert err["errors"][0]["reason"] == "notFound"


def test_new_reviews_arrive_as_the_clock_moves(client: httpx.Client, state: SandboxState,
                                               clock: FakeClock) -> None:
    parent = stores(state)[0]
    before = every_review(client, parent)
    clock.t += 90 * DAY
    after = every_review(client, parent)
    old_ids = {r["reviewId"] for r in before}
    new = [r for r in after if r["reviewId"] not in old_ids]
    assert len(new) >= 3
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(T0))
    assert all(r["createTime"] > stamp for r in new)
    fresh = [r for r in after if r["updateTime"] > stamp]  # new, or edited since T0
    assert after[:len(fresh)] == fresh and {r["reviewId"] for r in new} <= {
        r["reviewId"] for r in fresh}, "new reviews come first"
    assert client.get(f"/v4/{parent}/reviews").json()["totalReviewCount"] == len(after)


def test_edited_reviews_float_to_the_top(client: httpx.Client, state: SandboxState,
                                         clock: FakeClock) -> None:
    found = [(parent, r) for parent in stores(state) for r in stream_of(state, parent)
             if r.created < T0 and r.edited_at is not None and T0 < r.edited_at < T0 + 200 * DAY
             and (r.removed_at is None or r.removed_at > r.edited_at + DAY)]
    parent, seeded = min(found, key=lambda f: f[1].edited_at or 0)
    name = f"{parent}/reviews/{seeded.review_id}"
    old = client.get(f"/v4/{name}").json()
    assert old["updateTime"] == old["createTime"]
    assert seeded.edited_at is not None
    clock.t = seeded.edited_at + 1
    new = client.get(f"/v4/{name}").json()
    assert new["createTime"] == old["createTime"] and new["updateTime"] > old["updateTime"]
    assert (new.get("comment"), new["starRating"]) != (old.get("comment"), old["starRating"])
    top = client.get(f"/v4/{parent}/reviews").json()["reviews"]
    assert top[0]["reviewId"] == seeded.review_id, "the edit is the store's newest update"
    assert len({r["reviewId"] for r in every_review(client, parent)}) == len(
        every_review(client, parent)), "listed once, at its new place"


def test_removed_reviews_vanish(client: httpx.Client, state: SandboxState,
                                clock: FakeClock) -> None:
    found = [(parent, r) for parent in stores(state) for r in stream_of(state, parent)
             if r.created < T0 and r.removed_at is not None and r.removed_at > T0]
    parent, seeded = min(found, key=lambda f: f[1].removed_at or 0)
    name = f"{parent}/reviews/{seeded.review_id}"
    assert client.get(f"/v4/{name}").status_code == 200
    assert seeded.removed_at is not None
    clock.t = seeded.removed_at + 1
    error_of(client.get(f"/v4/{name}"), 404, "NOT_FOUND")
    assert seeded.review_id not in {r["reviewId"] for r in every_review(client, parent)}


# -- batchGetReviews ------------------------------------------------------------------------
def test_batch_merges_locations_newest_first(client: httpx.Client, state: SandboxState) -> None:
    account = stores(state, language="en")[0].split("/locations/")[0]
    names = [p for p in stores(state) if p.startswith(account + "/")]
    url = f"/v4/{account}/locations:batchGetReviews"
    got: list[dict[str, Any]] = []
    token = ""
    while True:
        page = client.post(url, json={"locationNames": names, "pageSize": 40,
                                      "pageToken": token}).json()
        assert len(page["locationReviews"]) <= 40
        got += page["locationReviews"]
        token = page.get("nextPageToken", "")
        if not token:
            break
    times = [e["review"]["updateTime"] for e in got]
    assert times == sorted(times, reverse=True)
    assert {e["name"] for e in got} == set(names)
    for name in names[:3]:
        mine = [e["review"] for e in got if e["name"] == name]
        assert mine == every_review(client, name)
    commented = client.post(url, json={"locationNames": names, "ignoreRatingOnlyReviews": True})
    assert commented.status_code == 200
    assert all("comment" in e["review"] for e in commented.json()["locationReviews"])
    rating = client.post(url, json={"locationNames": names[:2], "orderBy": "rating desc"}).json()
    ranks = [world_reviews.STARS.index(e["review"]["starRating"])
             for e in rating["locationReviews"]]
    assert ranks == sorted(ranks, reverse=True)


def test_batch_limits_and_refusals(client: httpx.Client, state: SandboxState) -> None:
    verified = stores(state, language="en")
    account = verified[0].split("/locations/")[0]
    url = f"/v4/{account}/locations:batchGetReviews"
    too_many = [f"{account}/locations/{10**18 + i}" for i in range(51)]
    err = error_of(client.post(url, json={"locationNames": too_many}), 400, "INVALID_ARGUMENT")
    assert field_of(err) == "location_names" and "50" in err["details"][0][
        "fieldViolations"][0]["description"]
    error_of(client.post(url, json={}), 400, "INVALID_ARGUMENT")
    error_of(client.post(url, json={"locationNames": ["locations/1"]}), 400, "INVALID_ARGUMENT")
    ramen = stores(state, language="ja")[0]  # held by the other account
    error_of(client.post(url, json={"locationNames": [verified[0], ramen]}), 404, "NOT_FOUND")
    unverified = stores(state, verified=False)[0]
    owner = unverified.split("/locations/")[0]
    sibling = next(p for p in stores(state) if p.startswith(owner + "/"))
    err = error_of(client.post(f"/v4/{owner}/locations:batchGetReviews",
                               json={"locationNames": [sibling, unverified]}), 400,
                   "FAILED_PRECONDITION")
    assert err["message"] == "Precondition check failed."
    error_of(client.post(url, json={"locationNames": [verified[0]], "orderBy": "updateTime"}),
             400, "INVALID_ARGUMENT")
    error_of(client.post(url, json={"locationNames": [verified[0]], "pageToken": "zz"}),
             400, "INVALID_ARGUMENT")
    error_of(client.post(url, json={"locationNames": [verified[0]], "unknownField": 1}),
             400, "INVALID_ARGUMENT")


# -- replies and moderation -----------------------------------------------------------------
def a_review(client: httpx.Client, parent: str, index: int = 0) -> dict[str, Any]:
    reviews = [r for r in client.get(f"/v4/{parent}/reviews").json()["reviews"]
               if "reviewReply" not in r]
    return reviews[index]


def test_reply_put_is_an_upsert_and_moderated(client: httpx.Client, state: SandboxState,
                                              clock: FakeClock) -> None:
    parent = stores(state, language="en")[0]
    review = a_review(client, parent)
    name = review["name"]
    put = client.put(f"/v4/{name}/reply", json={"comment": "Thanks, Sam!"})
    assert put.status_code == 200, put.text
    assert put.json() == {"comment": "Thanks, Sam!", "updateTime": put.json()["updateTime"],
                          "reviewReplyState": "PENDING"}
    again = client.put(f"/v4/{name}/reply", json={"comment": "Thank you, Sam!",
                                                  "updateTime": "2020-01-01T00:00:00Z"})
    assert again.json()["comment"] == "Thank you, Sam!"
    shown = client.get(f"/v4/{name}").json()
    assert shown["reviewReply"]["reviewReplyState"] == "PENDING"
    assert shown["updateTime"] == review["updateTime"], "a PUT does not move the review"
    clock.t += MODERATION_SECONDS
    assert client.get(f"/v4/{name}").json()["reviewReply"]["reviewReplyState"] == "APPROVED"
    assert state.reply_put_counts() == {name: 2}
    listed = {r["name"]: r for r in client.get(f"/v4/{parent}/reviews").json()["reviews"]}
    assert listed[name]["reviewReply"]["comment"] == "Thank you, Sam!"


@pytest.mark.parametrize(("text", "violation"), [
    ("Call us on (206) 555-0134 and we will sort it out.", "PERSONAL_INFO"),
    ("Write to manager@northwind.example please.", "PERSONAL_INFO"),
    ("お電話ください 03-1234-5678", "PERSONAL_INFO"),
    ("See our menu at https://northwind.example/menu", "ADVERTISING_AND_SOLICITATION"),
])
def test_replies_with_personal_data_or_links_are_rejected(
        client: httpx.Client, state: SandboxState, clock: FakeClock, text: str,
        violation: str) -> None:
    parent = stores(state, language="en")[0]
    name = a_review(client, parent, 1)["name"]
    assert client.put(f"/v4/{name}/reply", json={"comment": text}).json()[
        "reviewReplyState"] == "PENDING"
    clock.t += MODERATION_SECONDS + 1
    reply = client.get(f"/v4/{name}").json()["reviewReply"]
    assert reply["reviewReplyState"] == "REJECTED" and reply["policyViolation"] == violation


def test_a_seeded_share_of_clean_replies_is_rejected() -> None:
    verdicts = [moderation_verdict(7, f"accounts/1/locations/2/reviews/r{i}",
                                   "Thank you for visiting!", "US") for i in range(4000)]
    rejected = [v for v in verdicts if v]
    assert 0.035 < len(rejected) / len(verdicts) < 0.065
    assert len(set(rejected)) >= 3
    assert verdicts == [moderation_verdict(7, f"accounts/1/locations/2/reviews/r{i}",
                                           "Thank you for visiting!", "US") for i in range(4000)]


def test_reply_limits_count_bytes(client: httpx.Client, state: SandboxState) -> None:
    parent = stores(state, language="ja")[0]
    name = a_review(client, parent)["name"]
    err = error_of(client.put(f"/v4/{name}/reply", json={"comment": "あ" * 1400}), 400,
                   "INVALID_ARGUMENT")
    assert err["details"][0]["@type"].endswith("google.mybusiness.v4.ValidationError")
    assert field_of(err) == "comment" and "4200 bytes" in err["details"][0]["errorDetails"][0][
        "message"]
    assert client.put(f"/v4/{name}/reply", json={"comment": "あ" * 1365}).status_code == 200
    assert client.put(f"/v4/{name}/reply", json={"comment": "a" * 4096}).status_code == 200
    error_of(client.put(f"/v4/{name}/reply", json={"comment": "a" * 4097}), 400,
             "INVALID_ARGUMENT")
    for empty in ({}, {"comment": ""}, {"comment": "   \n"}):
        err = error_of(client.put(f"/v4/{name}/reply", json=empty), 400, "INVALID_ARGUMENT")
        assert field_of(err) == "comment"
    error_of(client.put(f"/v4/{name}/reply", json={"comment": 5}), 400, "INVALID_ARGUMENT")
    assert state.reply_put_counts() == {name: 2}, "refused PUTs are not counted"


def test_delete_reply_removes_own_and_seeded_replies(client: httpx.Client,
                                                     state: SandboxState) -> None:
    parent = stores(state, language="en")[0]
    listed = client.get(f"/v4/{parent}/reviews").json()["reviews"]
    seeded = next(r for r in listed if "reviewReply" in r)
    assert client.delete(f"/v4/{seeded['name']}/reply").json() == {}
    assert "reviewReply" not in client.get(f"/v4/{seeded['name']}").json()
    assert client.delete(f"/v4/{seeded['name']}/reply").status_code == 200, "idempotent"
    mine = a_review(client, parent)["name"]
    client.put(f"/v4/{mine}/reply", json={"comment": "Thanks!"})
    assert client.delete(f"/v4/{mine}/reply").json() == {}
    assert "reviewReply" not in client.get(f"/v4/{mine}").json()
    assert state.reply_put_counts() == {mine: 1}


def test_replies_persist_across_restarts(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "sandbox.db"
    state = SandboxState.open(path)
    client = client_for(state, clock)
    name = a_review(client, stores(state)[0])["name"]
    client.put(f"/v4/{name}/reply", json={"comment": "Thanks for coming!"})
    state.close()
    reopened = SandboxState.open(path)
    assert reopened.reply_put_counts() == {name: 1}
    again = client_for(reopened, clock).get(f"/v4/{name}").json()
    assert again["reviewReply"]["comment"] == "Thanks for coming!"


# -- refusals, faults, quotas, the knob -----------------------------------------------------
def test_unverified_pairing_and_bad_ids(client: httpx.Client, state: SandboxState) -> None:
    unverified = stores(state, verified=False)[0]
    for resp in (client.get(f"/v4/{unverified}/reviews"),
                 client.get(f"/v4/{unverified}/reviews/AIe9_Bx"),
                 client.put(f"/v4/{unverified}/reviews/AIe9_Bx/reply", json={"comment": "Hi"}),
                 client.delete(f"/v4/{unverified}/reviews/AIe9_Bx/reply")):
        err = error_of(resp, 400, "FAILED_PRECONDITION")
        assert err["message"] == "Precondition check failed."
    ramen, coffee = stores(state, language="ja")[0], stores(state, language="en")[0]
    wrong = coffee.split("/locations/")[0] + "/locations/" + ramen.split("/locations/")[1]
    for url in (f"/v4/{wrong}/reviews", "/v4/accounts/1/locations/abc/reviews",
                f"/v4/{coffee.split('/locations/')[0]}/locations/123/reviews"):
        err = error_of(client.get(url), 404, "NOT_FOUND")
        assert err["errors"][0]["reason"] == "notFound"


def test_faults_on_the_review_methods(state: SandboxState, clock: FakeClock) -> None:
    client = client_for(state, clock, faults="503@reviews.list:x1,timeout@reviews.updateReply:x1,"
                                             "429@locations.batchGetReviews:x1")
    parent = stores(state)[0]
    assert client.get(f"/v4/{parent}/reviews").status_code == 503
    name = client.get(f"/v4/{parent}/reviews").json()["reviews"][0]["name"]
    with pytest.raises(TimeoutError):
        client.put(f"/v4/{name}/reply", json={"comment": "Thanks!"})
    assert state.reply_put_counts() == {name: 1}, "a timeout loses the answer, not the PUT"
    account = parent.split("/locations/")[0]
    batch = client.post(f"/v4/{account}/locations:batchGetReviews",
                        json={"locationNames": [parent]})
    assert batch.status_code == 429 and batch.headers["Retry-After"]


def test_review_calls_count_against_the_v4_quota(state: SandboxState, clock: FakeClock) -> None:
    client = client_for(state, clock, limits=Limits(project_qpm=3))
    parent = stores(state)[0]
    assert [client.get(f"/v4/{parent}/reviews").status_code for _ in range(4)] == [
        200, 200, 200, 429]
    clock.t += 61
    assert client.get(f"/v4/{parent}/reviews").status_code == 200


def test_reviews_per_store_knob_is_kept_by_the_state(tmp_path: Path, clock: FakeClock) -> None:
    small = SandboxState.open(tmp_path / "a.db", stores=10)
    big = SandboxState.open(tmp_path / "b.db", stores=10, reviews_per_store=700)
    parent = stores(small)[0]
    count = client_for(small, clock).get(f"/v4/{parent}/reviews").json()["totalReviewCount"]
    big_count = client_for(big, clock).get(f"/v4/{parent}/reviews").json()["totalReviewCount"]
    assert big_count > 3 * count
    big.reset()
    big.close()
    assert SandboxState.open(tmp_path / "b.db").reviews_per_store == 700


def test_reset_forgets_replies(state: SandboxState, clock: FakeClock) -> None:
    client = client_for(state, clock)
    name = a_review(client, stores(state)[0])["name"]
    client.put(f"/v4/{name}/reply", json={"comment": "Thanks!"})
    state.reset()
    assert state.reply_put_counts() == {}
    assert "reviewReply" not in client_for(state, clock).get(f"/v4/{name}").json()


def test_reviews_over_real_http(served: Any, tmp_path: Path) -> None:
    """`sandbox serve` answers the same reviews, and PUTs land in its state file."""
    url = served()
    with httpx.Client(base_url=url, headers=AUTH) as http:
        state = SandboxState.open(tmp_path / "served-0.db")
        parent = stores(state)[0]
        page = http.get(f"/v4/{parent}/reviews", params={"pageSize": 5})
        assert page.status_code == 200 and len(page.json()["reviews"]) == 5
        name = page.json()["reviews"][0]["name"]
        put = http.put(f"/v4/{name}/reply", json={"comment": "ご来店ありがとうございました。"})
        assert put.json()["reviewReplyState"] == "PENDING"
        assert state.reply_put_counts() == {name: 1}
        state.close()
