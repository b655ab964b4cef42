"""v4 local posts in the sandbox: shapes, paging, pairing, validation, moderation, schedule,
faults, quotas and persistence (in-process, and once over real HTTP)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_helpers import AUTH, T0, FakeClock, client_for

from localcx.sandbox import Limits, SandboxState
from localcx.sandbox.posts_rules import REVIEW_SECONDS, fetchable, seeded_rejection

STANDARD = {"topicType": "STANDARD", "summary": "New single-origin from Huila on the bar.",
            "callToAction": {"actionType": "LEARN_MORE", "url": "https://northwind.example/huila"}}
SCHEDULE = {"startDate": {"year": 2026, "month": 12, "day": 1}, "startTime": {"hours": 7},
            "endDate": {"year": 2026, "month": 12, "day": 7}, "endTime": {"hours": 19}}
OFFER = {"topicType": "OFFER", "summary": "Buy one drink, get a second half price.",
         "event": {"title": "Half-price week", "schedule": SCHEDULE},
         "offer": {"couponCode": "HALF2ND", "redeemOnlineUrl": "https://northwind.example/offer",
                   "termsConditions": "One per customer."}}



@pytest.fixture
def state(tmp_path: Path) -> SandboxState:
    return SandboxState.open(tmp_path / "sandbox.db")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()



@pytest.fixture
def client(state: SandboxState, clock: FakeClock) -> httpx.Client:
    return client_for(state, clock)


def store(state: SandboxState, *, on_maps: bool = True, index: int = 0) -> str:
    """The v4 parent `accounts/{a}/locations/{l}` of a seeded store; stores with Voice of
    Merchant are taken from the (English) coffee chain."""
    locs = [loc for loc in state.locations()
            if bool(loc["metadata"].get("hasVoiceOfMerchant")) == on_maps
            and (not on_maps or loc["languageCode"] == "en")]
    loc = locs[index]
    return f"{state.account_of(loc['name'])}/{loc['name']}"


def posts_url(parent: str) -> str:
    return f"/v4/{parent}/localPosts"


def details(resp: httpx.Response) -> list[dict[str, Any]]:
    """The errorDetails of a v4 ValidationError answer (asserting its envelope)."""
    assert resp.status_code == 400, resp.text
    err = resp.json()["error"]
    assert err["status"] == "INVALID_ARGUMENT"
    assert err["message"] == "Request contains an invalid argument."
    assert err["errors"] == [{"message": "Request contains an invalid argument.",
                              "domain": "global", "reason": "badRequest"}]
    (detail,) = err["details"]
    assert detail["@type"] == "type.googleapis.com/google.mybusiness.v4.ValidationError"
    found: list[dict[str, Any]] = detail["errorDetails"]
    return found


# -- shapes ----------------------------------------------------------------------------------
def test_create_answers_the_created_post(client: httpx.Client, state: SandboxState) -> None:
    parent = store(state)
    resp = client.post(posts_url(parent), json=STANDARD)
    assert resp.status_code == 200, resp.text
    post = resp.json()
    assert re.fullmatch(re.escape(parent) + r"/localPosts/[1-9][0-9]{18}", post["name"])
    assert post["createTime"] == post["updateTime"] == "2026-09-21T14:13:20.000000Z"
    assert post["state"] == "LIVE"
    assert re.fullmatch(r"https://local\.google\.com/place\?id=\d+&use=posts&lpsid=[\w-]+",
                        post["searchUrl"])
    assert post["languageCode"] == "en"  # the store's language when none is sent
    for key, value in STANDARD.items():
        assert post[key] == value
    assert client.get(f"/v4/{post['name']}").json() == post
    assert client.get(posts_url(parent)).json() == {"localPosts": [post]}
    (stored,) = state.posts(parent.split("/", 2)[2])
    assert stored.name == post["name"] and stored.body["summary"] == STANDARD["summary"]


def test_timestamps_keep_the_clock_microseconds(state: SandboxState) -> None:
    client = client_for(state, FakeClock(T0 + 0.511))
    post = client.post(posts_url(store(state)), json=STANDARD).json()
    assert post["createTime"] == "2026-09-21T14:13:20.511000Z"


def test_create_is_not_idempotent(client: httpx.Client, state: SandboxState) -> None:
    parent = store(state)
    first = client.post(posts_url(parent), json=STANDARD).json()
    second = client.post(posts_url(parent), json=STANDARD).json()
    assert first["name"] != second["name"]
    assert state.post_counts() == {parent.split("/", 2)[2]: 2}


def test_offer_keeps_terms_and_drops_call_to_action(client: httpx.Client,
                                                    state: SandboxState) -> None:
    body = {**OFFER, "callToAction": {"actionType": "ORDER", "url": "https://x.example/"},
            "languageCode": "en-US"}
    post = client.post(posts_url(store(state)), json=body).json()
    assert post["offer"]["termsConditions"] == "One per customer."
    assert "callToAction" not in post
    assert post["event"]["schedule"] == SCHEDULE and post["languageCode"] == "en-US"


def test_midnight_schedule_times_stay_as_empty_objects(client: httpx.Client,
                                                       state: SandboxState) -> None:
    schedule = {**SCHEDULE, "startTime": {}}
    body = {**OFFER, "event": {"title": "All week", "schedule": schedule}}
    post = client.post(posts_url(store(state)), json=body).json()
    assert post["event"]["schedule"]["startTime"] == {}


def test_list_pages_newest_first(client: httpx.Client, state: SandboxState,
                                 clock: FakeClock) -> None:
    parent = store(state)
    assert client.get(posts_url(parent)).json() == {}
    names = []
    for i in range(25):
        clock.t = T0 + i
        names.append(client.post(posts_url(parent), json={**STANDARD, "summary": f"#{i}"})
                     .json()["name"])
    first = client.get(posts_url(parent)).json()
    assert [p["name"] for p in first["localPosts"]] == names[::-1][:20]
    client.post(posts_url(parent), json=STANDARD)  # a post made while paging shifts nothing
    rest = client.get(posts_url(parent), params={"pageToken": first["nextPageToken"]}).json()
    assert [p["name"] for p in rest["localPosts"]] == names[::-1][20:]
    assert "nextPageToken" not in rest
    assert len(client.get(posts_url(parent), params={"pageSize": 500}).json()["localPosts"]) == 26
    three = client.get(posts_url(parent), params={"pageSize": 3}).json()
    assert len(three["localPosts"]) == 3 and three["nextPageToken"]
    assert client.get(posts_url(parent), params={"pageSize": -1}).status_code == 400
    assert client.get(posts_url(parent), params={"pageToken": "forged"}).status_code == 400
    other = client.get(posts_url(store(state, index=1)),
                       params={"pageToken": first["nextPageToken"]})
    assert other.status_code == 400  # a token is bound to its listing
    assert client.get(posts_url(parent), params={"orderBy": "x"}).status_code == 400


# -- pairing and preconditions ---------------------------------------------------------------
def test_wrong_account_is_not_found(client: httpx.Client, state: SandboxState) -> None:
    parent = store(state)
    location = parent.split("/", 2)[2]
    other = next(a["name"] for a in state.accounts() if a["name"] != state.account_of(location))
    post = client.post(posts_url(parent), json=STANDARD).json()
    post_id = post["name"].rsplit("/", 1)[1]
    for resp in (client.post(f"/v4/{other}/{location}/localPosts", json=STANDARD),
                 client.get(f"/v4/{other}/{location}/localPosts"),
                 client.get(f"/v4/{other}/{location}/localPosts/{post_id}"),
                 client.delete(f"/v4/{other}/{location}/localPosts/{post_id}"),
                 client.get(f"/v4/{parent}/localPosts/1234567890123456789"),
                 client.get("/v4/accounts/1/locations/2/localPosts")):
        assert resp.status_code == 404
        err = resp.json()["error"]
        assert err["message"] == "Requested entity was not found."
        assert err["errors"][0]["reason"] == "notFound" and err["status"] == "NOT_FOUND"
    assert state.post_counts() == {location: 1}


def test_store_without_voice_of_merchant_cannot_post(client: httpx.Client,
                                                     state: SandboxState) -> None:
    parent = store(state, on_maps=False)
    resp = client.post(posts_url(parent), json=STANDARD)
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["status"] == "FAILED_PRECONDITION"
    assert err["errors"][0]["reason"] == "failedPrecondition"
    assert client.get(posts_url(parent)).json() == {}
    assert state.post_counts() == {}


# -- validation ------------------------------------------------------------------------------
TITLE_59 = "x" * 59


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"summary": "No topic"}, 2, "topic_type"),
    ({"topicType": "LOCAL_POST_TOPIC_TYPE_UNSPECIFIED", "summary": "x"}, 2, "topic_type"),
    ({"topicType": "PRODUCT", "summary": "x"}, 3, "topic_type"),
    ({"topicType": "OFFER", "summary": "x"}, 2, "event"),
    ({"topicType": "EVENT", "summary": "x"}, 2, "event"),
    ({"topicType": "EVENT", "event": {"schedule": SCHEDULE}}, 2, "event.title"),
    ({"topicType": "EVENT", "event": {"title": TITLE_59, "schedule": SCHEDULE}}, 4,
     "event.title"),
    ({"topicType": "EVENT", "event": {"title": "T"}}, 2, "event.schedule"),
    ({"topicType": "EVENT", "event": {"title": "T", "schedule": {
        k: v for k, v in SCHEDULE.items() if k != "endTime"}}}, 2, "event.schedule.end_time"),
    ({"topicType": "EVENT", "event": {"title": "T", "schedule": {
        **SCHEDULE, "startDate": {"year": 2026, "month": 2, "day": 30}}}}, 3,
     "event.schedule.start_date"),
    ({"topicType": "EVENT", "event": {"title": "T", "schedule": {
        **SCHEDULE, "endDate": SCHEDULE["startDate"], "endTime": {"hours": 6}}}}, 3,
     "event.schedule"),
    ({"topicType": "STANDARD", "summary": "x" * 1501}, 4, "summary"),
    ({"topicType": "STANDARD"}, 2, "summary"),
    ({**STANDARD, "callToAction": {"url": "https://a.example/"}}, 2,
     "call_to_action.action_type"),
    ({**STANDARD, "callToAction": {"actionType": "BOOK"}}, 2, "call_to_action.url"),
    ({**STANDARD, "callToAction": {"actionType": "SHOP", "url": "ftp://a.example/"}}, 3,
     "call_to_action.url"),
    ({**STANDARD, "callToAction": {"actionType": "CALL", "url": "https://a.example/"}}, 3,
     "call_to_action.url"),
    ({**STANDARD, "offer": {"couponCode": "X"}}, 3, "offer"),
    ({**OFFER, "offer": {"redeemOnlineUrl": "not a url"}}, 3, "offer.redeem_online_url"),
    ({**STANDARD, "alertType": "COVID_19"}, 3, "alert_type"),
    ({"topicType": "ALERT", "summary": "Closed today."}, 2, "alert_type"),
    ({**STANDARD, "media": [{"sourceUrl": "https://cdn.example/a.jpg"}]}, 2,
     "media.media_format"),
    ({**STANDARD, "media": [{"mediaFormat": "PHOTO"}]}, 2, "media.source_url"),
    ({**STANDARD, "scheduledTime": "2020-01-01T00:00:00Z"}, 3, "scheduled_time"),
    ({**STANDARD, "languageCode": "english please"}, 3, "language_code"),
])
def test_validation_errors(client: httpx.Client, state: SandboxState, body: dict[str, Any],
                           code: int, field: str) -> None:
    found = details(client.post(posts_url(store(state)), json=body))
    assert {"code": code, "field": field} in [{"code": d["code"], "field": d["field"]}
                                               for d in found], found
    assert all(d["message"] for d in found)
    assert state.post_counts() == {}


def test_topic_type_message_is_googles(client: httpx.Client, state: SandboxState) -> None:
    assert details(client.post(posts_url(store(state)), json={"summary": "x"})) == [
        {"code": 2, "field": "topic_type", "message": "Topic type is required for post creation."}]
    offer = details(client.post(posts_url(store(state)),
                                json={"topicType": "OFFER", "summary": "x"}))
    assert offer == [{"code": 2, "field": "event", "message": "Event is required"}]


def test_every_problem_is_listed(client: httpx.Client, state: SandboxState) -> None:
    body = {"topicType": "EVENT", "summary": "x" * 1501,
            "media": [{"mediaFormat": "PHOTO", "sourceUrl": "https://x.invalid/a.jpg"}]}
    fields = [d["field"] for d in details(client.post(posts_url(store(state)), json=body))]
    assert fields == ["summary", "event", "media"]


@pytest.mark.parametrize("url", [
    "https://cdn.shop.invalid/a.jpg", "https://localhost/a.jpg", "http://10.0.0.7/a.jpg",
    "https://cdn.northwind.example/missing/a.jpg", "file:///tmp/a.jpg", "https://x.test/a.png",
    "cdn.northwind.example/a.jpg"])
def test_unfetchable_image_is_error_1000(client: httpx.Client, state: SandboxState,
                                         url: str) -> None:
    body = {**STANDARD, "media": [{"mediaFormat": "PHOTO", "sourceUrl": url}]}
    found = details(client.post(posts_url(store(state)), json=body))
    assert found == [{"code": 1000, "field": "media", "message": "Fetching image failed.",
                      "value": url}]


def test_fetchable_media_is_kept_as_sent(client: httpx.Client, state: SandboxState) -> None:
    media = [{"mediaFormat": "PHOTO", "sourceUrl": "https://cdn.northwind.example/half.jpg"},
             {"mediaFormat": "VIDEO", "sourceUrl": "http://8.8.8.8/v.mp4"}]
    body = {"topicType": "STANDARD", "media": [{**media[0], "description": "dropped"},
                                                media[1]]}
    post = client.post(posts_url(store(state)), json=body)
    assert post.status_code == 200, post.text
    assert post.json()["media"] == media
    assert fetchable("https://cdn.northwind.example/posts/half.jpg")


def test_call_without_url_is_accepted(client: httpx.Client, state: SandboxState) -> None:
    body = {**STANDARD, "callToAction": {"actionType": "CALL"}}
    post = client.post(posts_url(store(state)), json=body).json()
    assert post["callToAction"] == {"actionType": "CALL"}


@pytest.mark.parametrize(("body", "where"), [
    ({**OFFER, "offer": {"termsAndConditions": "One per customer."}}, "local_post.offer"),
    ({**STANDARD, "colour": "red"}, "local_post"),
    ({**STANDARD, "topicType": "NEWS"}, "local_post.topic_type"),
    ({**STANDARD, "scheduledTime": "next tuesday"}, "local_post.scheduled_time"),
    ({**STANDARD, "media": {"mediaFormat": "PHOTO"}}, "local_post.media"),
])
def test_bodies_the_json_parser_refuses(client: httpx.Client, state: SandboxState,
                                        body: dict[str, Any], where: str) -> None:
    resp = client.post(posts_url(store(state)), json=body)
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["message"].startswith("Invalid")
    (violation,) = err["details"][0]["fieldViolations"]
    assert violation["field"] == where
    assert client.post(posts_url(store(state)), content=b"{oops").status_code == 400


def test_output_fields_in_a_body_are_ignored(client: httpx.Client, state: SandboxState) -> None:
    body = {**STANDARD, "name": "accounts/1/locations/2/localPosts/3", "state": "REJECTED",
            "searchUrl": "https://evil.example/"}
    post = client.post(posts_url(store(state)), json=body).json()
    assert post["state"] == "LIVE" and post["name"].startswith(f"{store(state)}/localPosts/")
    assert "evil" not in post["searchUrl"]


# -- patch and delete ------------------------------------------------------------------------
def test_patch_changes_only_masked_fields(client: httpx.Client, state: SandboxState,
                                          clock: FakeClock) -> None:
    created = client.post(posts_url(store(state)), json=STANDARD).json()
    url = f"/v4/{created['name']}"
    missing = client.patch(url, json={"summary": "new"})
    assert missing.status_code == 400
    assert missing.json()["error"]["details"][0]["fieldViolations"][0]["field"] == "update_mask"
    clock.t += 60
    resp = client.patch(url, params={"updateMask": "summary"},
                        json={"summary": "Now with oat milk.", "callToAction": {
                            "actionType": "ORDER", "url": "https://northwind.example/order"}})
    assert resp.status_code == 200, resp.text
    post = resp.json()
    assert post["summary"] == "Now with oat milk."
    assert post["callToAction"] == STANDARD["callToAction"]  # not in the mask: unchanged
    assert post["createTime"] == created["createTime"] and post["updateTime"] > created[
        "updateTime"]
    assert client.get(url).json() == post
    both = client.patch(url, params={"updateMask": "summary,callToAction.url"},
                        json={"summary": "Both.", "callToAction": {
                            "url": "https://northwind.example/oat"}}).json()
    assert both["callToAction"] == {"actionType": "LEARN_MORE",
                                    "url": "https://northwind.example/oat"}


@pytest.mark.parametrize(("mask", "body", "field"), [
    ("state", {"state": "LIVE"}, "update_mask"),
    ("summery", {"summery": "x"}, "update_mask"),
])
def test_patch_refuses_bad_masks(client: httpx.Client, state: SandboxState, mask: str,
                                 body: dict[str, Any], field: str) -> None:
    created = client.post(posts_url(store(state)), json=STANDARD).json()
    resp = client.patch(f"/v4/{created['name']}", params={"updateMask": mask}, json={})
    assert resp.status_code == 400
    assert resp.json()["error"]["details"][0]["fieldViolations"][0]["field"] == field


def test_patch_applies_the_create_rules(client: httpx.Client, state: SandboxState) -> None:
    created = client.post(posts_url(store(state)), json=STANDARD).json()
    url = f"/v4/{created['name']}"
    too_long = client.patch(url, params={"updateMask": "summary"}, json={"summary": "x" * 1501})
    assert details(too_long)[0]["field"] == "summary"
    topic = client.patch(url, params={"updateMask": "topicType"}, json={"topicType": "ALERT"})
    assert details(topic)[0]["field"] == "topic_type"
    reschedule = client.patch(url, params={"updateMask": "scheduledTime"},
                              json={"scheduledTime": "2031-01-01T00:00:00Z"})
    assert "scheduled_time" in [d["field"] for d in details(reschedule)]
    assert client.get(url).json() == created


def test_delete_removes_the_post(client: httpx.Client, state: SandboxState) -> None:
    parent = store(state)
    created = client.post(posts_url(parent), json=STANDARD).json()
    resp = client.delete(f"/v4/{created['name']}")
    assert resp.status_code == 200 and resp.json() == {}
    assert client.get(f"/v4/{created['name']}").status_code == 404
    assert client.get(posts_url(parent)).json() == {}
    assert client.delete(f"/v4/{created['name']}").status_code == 404
    assert state.posts() == []


# -- moderation and schedule -----------------------------------------------------------------
def test_phone_number_in_summary_is_rejected_after_review(client: httpx.Client,
                                                          state: SandboxState,
                                                          clock: FakeClock) -> None:
    body = {**STANDARD, "summary": "Order ahead: call 206-555-0123!"}
    post = client.post(posts_url(store(state)), json=body).json()
    url = f"/v4/{post['name']}"
    assert post["state"] == "LIVE"
    clock.t = T0 + REVIEW_SECONDS - 1
    assert client.get(url).json()["state"] == "LIVE"
    clock.t = T0 + REVIEW_SECONDS
    rejected = client.get(url).json()
    assert rejected["state"] == "REJECTED" and "searchUrl" not in rejected
    assert client.get(posts_url(store(state))).json()["localPosts"][0]["state"] == "REJECTED"
    # a fixed summary passes a fresh review and the post is live again, unless it is one of
    # the seeded share moderation rejects whatever it says
    expected = "REJECTED" if seeded_rejection(state.seed, post["name"].rsplit("/", 1)[1]) \
        else "LIVE"
    fixed = client.patch(url, params={"updateMask": "summary"},
                         json={"summary": "Order ahead with the button below."}).json()
    assert fixed["state"] == expected
    clock.t += REVIEW_SECONDS * 2
    assert client.get(url).json()["state"] == expected


def test_url_in_summary_is_rejected(client: httpx.Client, state: SandboxState,
                                    clock: FakeClock) -> None:
    body = {**STANDARD, "summary": "Details at www.northwind.example/huila"}
    post = client.post(posts_url(store(state)), json=body).json()
    clock.t = T0 + REVIEW_SECONDS
    assert client.get(f"/v4/{post['name']}").json()["state"] == "REJECTED"


def _rejected_share(tmp_path: Path, name: str) -> list[str]:
    state = SandboxState.open(tmp_path / name)
    clock = FakeClock()
    client = client_for(state, clock)
    parents = [store(state, index=i) for i in range(10)]
    for i in range(200):
        client.post(posts_url(parents[i % 10]), json={**STANDARD, "summary": f"Brew #{i}"})
    clock.t = T0 + REVIEW_SECONDS
    rejected = []
    for parent in parents:
        listed = client.get(posts_url(parent), params={"pageSize": 100}).json()["localPosts"]
        rejected += [p["name"] for p in listed if p["state"] == "REJECTED"]
    return sorted(rejected)


def test_a_seeded_share_is_rejected_deterministically(tmp_path: Path) -> None:
    first = _rejected_share(tmp_path, "a.db")
    assert 2 <= len(first) <= 25  # about 5% of 200
    assert _rejected_share(tmp_path, "b.db") == first


def test_scheduled_post_goes_live_at_its_time(client: httpx.Client, state: SandboxState,
                                              clock: FakeClock) -> None:
    when = "2026-09-21T15:13:20Z"  # T0 + 1 h
    post = client.post(posts_url(store(state)), json={**STANDARD, "scheduledTime": when}).json()
    assert post["state"] == "PROCESSING" and "searchUrl" not in post
    assert post["scheduledTime"] == when
    clock.t = T0 + 3599
    assert client.get(f"/v4/{post['name']}").json()["state"] == "PROCESSING"
    moved = client.patch(f"/v4/{post['name']}", params={"updateMask": "scheduledTime"},
                         json={"scheduledTime": "2026-09-21T15:30:00+00:00"}).json()
    assert moved["state"] == "PROCESSING"
    clock.t = T0 + 3600
    assert client.get(f"/v4/{post['name']}").json()["state"] == "PROCESSING"
    clock.t = T0 + 3600 + 16 * 60 + 40
    live = client.get(f"/v4/{post['name']}").json()
    assert live["state"] == "LIVE" and live["searchUrl"]


# -- faults and quotas -----------------------------------------------------------------------
def test_timeout_creates_the_post_but_loses_the_answer(state: SandboxState,
                                                       clock: FakeClock) -> None:
    client = client_for(state, clock, faults="timeout@localPosts.create:x1")
    parent = store(state)
    with pytest.raises(TimeoutError):
        client.post(posts_url(parent), json=STANDARD)
    (stored,) = state.posts()
    listed = client.get(posts_url(parent)).json()["localPosts"]
    assert [p["name"] for p in listed] == [stored.name]
    assert client.post(posts_url(parent), json=STANDARD).status_code == 200
    assert state.post_counts() == {parent.split("/", 2)[2]: 2}


def test_503_fault_creates_nothing(state: SandboxState, clock: FakeClock) -> None:
    client = client_for(state, clock, faults="503@localPosts.create:x1")
    resp = client.post(posts_url(store(state)), json=STANDARD)
    assert resp.status_code == 503 and resp.json()["error"]["status"] == "UNAVAILABLE"
    assert state.posts() == []
    assert client.post(posts_url(store(state)), json=STANDARD).status_code == 200


def test_posts_count_against_the_v4_requests_per_minute(state: SandboxState,
                                                        clock: FakeClock) -> None:
    client = client_for(state, clock, limits=Limits(project_qpm=3))
    parent = store(state)
    for _ in range(3):
        assert client.get(posts_url(parent)).status_code == 200
    resp = client.post(posts_url(parent), json=STANDARD)
    assert resp.status_code == 429
    meta = resp.json()["error"]["details"][0]["metadata"]
    assert meta["service"] == "mybusiness.googleapis.com"
    assert client.get("/v1/accounts").status_code == 200  # another service, another quota
    clock.t += 60
    assert client.post(posts_url(parent), json=STANDARD).status_code == 200


# -- persistence -----------------------------------------------------------------------------
def test_posts_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    state = SandboxState.open(path)
    clock = FakeClock()
    post = client_for(state, clock).post(posts_url(store(state)), json=STANDARD).json()
    state.close()
    again = SandboxState.open(path)
    assert [p.name for p in again.posts()] == [post["name"]]
    assert client_for(again, clock).get(f"/v4/{post['name']}").json() == post


def test_state_file_from_before_posts_gains_the_table(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    SandboxState.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE posts")
    conn.commit()
    conn.close()
    state = SandboxState.open(path)
    assert state.posts() == [] and state.post_counts() == {}
    assert client_for(state, FakeClock()).post(posts_url(store(state)),
                                               json=STANDARD).status_code == 200


def test_reset_forgets_posts_and_repeats_ids(state: SandboxState, clock: FakeClock) -> None:
    client = client_for(state, clock)
    first = client.post(posts_url(store(state)), json=STANDARD).json()["name"]
    state.reset()
    assert state.posts() == []
    assert client.post(posts_url(store(state)), json=STANDARD).json()["name"] == first


def test_posts_over_real_http_are_shared_through_the_state_file(served: Any,
                                                                tmp_path: Path) -> None:
    url = served()
    reader = SandboxState.open(tmp_path / "served-0.db")
    parent = store(reader, index=3)
    with httpx.Client(base_url=url, headers=AUTH, timeout=10) as http:
        resp = http.post(posts_url(parent), json=OFFER)
        assert resp.status_code == 200, resp.text
        post = resp.json()
        assert post["state"] == "LIVE" and post["offer"] == OFFER["offer"]
        assert http.get(posts_url(parent)).json() == {"localPosts": [post]}
        bad = http.post(posts_url(parent), json={"summary": "x"})
        assert bad.status_code == 400
        assert bad.headers["content-type"] == "application/json; charset=UTF-8"
    assert [p.name for p in reader.posts()] == [post["name"]]
    assert reader.post_counts() == {parent.split("/", 2)[2]: 1}
