"""Quotas on an injected clock: edits per minute per location, QPM per service, 0-quota."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from localcx.sandbox import Limits, SandboxState, make_app

AUTH = {"Authorization": "Bearer t"}


class FakeClock:
    def __init__(self, t: float = 1_790_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def client_for(state: SandboxState, clock: FakeClock, **kw: object) -> httpx.Client:
    app = make_app(state, clock=clock, **kw)  # type: ignore[arg-type]
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s", headers=AUTH)


def error_info(resp: httpx.Response) -> dict[str, str]:
    details = resp.json()["error"]["details"]
    info = next(d for d in details if d["@type"].endswith("google.rpc.ErrorInfo"))
    assert info["reason"] == "RATE_LIMIT_EXCEEDED"
    return info["metadata"]


@pytest.fixture
def state(tmp_path: Path) -> SandboxState:
    return SandboxState.open(tmp_path / "sandbox.db")


def test_ten_edits_per_minute_per_location(state: SandboxState) -> None:
    clock = FakeClock()
    client = client_for(state, clock)
    name = state.locations()[0]["name"]
    other = state.locations()[1]["name"]
    for i in range(10):
        clock.t += 1
        resp = client.patch(f"/v1/{name}", params={"updateMask": "labels"}, json={"labels": [f"l{i}"]})
        assert resp.status_code == 200
    clock.t += 1
    resp = client.patch(f"/v1/{name}", params={"updateMask": "labels"}, json={"labels": ["x"]})
    assert resp.status_code == 429
    assert resp.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert error_info(resp)["quota_limit_value"] == "10"
    assert resp.headers["Retry-After"] == "50"  # first edit at +1 s frees at +61 s; now +11 s
    retry = next(d for d in resp.json()["error"]["details"] if d["@type"].endswith("RetryInfo"))
    assert retry["retryDelay"] == "50s"
    # other locations are not affected; validateOnly does not count
    assert client.patch(f"/v1/{other}", params={"updateMask": "labels"},
                        json={"labels": ["y"]}).status_code == 200
    assert client.patch(f"/v1/{name}", params={"updateMask": "labels", "validateOnly": "true"},
                        json={"labels": ["z"]}).status_code == 200
    assert state.patch_counts()[name] == 10
    clock.t += 60
    assert client.patch(f"/v1/{name}", params={"updateMask": "labels"},
                        json={"labels": ["x"]}).status_code == 200
    assert state.patch_counts()[name] == 11


def test_edit_quota_survives_a_new_app_on_the_same_state(state: SandboxState) -> None:
    clock = FakeClock()
    name = state.locations()[0]["name"]
    for _ in range(10):
        assert client_for(state, clock).patch(f"/v1/{name}", params={"updateMask": "labels"},
                                              json={"labels": ["a"]}).status_code == 200
    assert client_for(state, clock).patch(f"/v1/{name}", params={"updateMask": "labels"},
                                          json={"labels": ["a"]}).status_code == 429


def test_project_qpm_per_service(state: SandboxState) -> None:
    clock = FakeClock()
    client = client_for(state, clock, limits=Limits(project_qpm=5))
    for _ in range(5):
        assert client.get("/v1/accounts/-/locations", params={"readMask": "name"}).status_code == 200
    resp = client.get("/v1/accounts/-/locations", params={"readMask": "name"})
    assert resp.status_code == 429
    meta = error_info(resp)
    assert meta["quota_limit_value"] == "5"
    assert meta["service"] == "mybusinessbusinessinformation.googleapis.com"
    assert int(resp.headers["Retry-After"]) == 60
    # another API service has its own budget
    assert client.get("/v1/accounts").status_code == 200
    clock.t += 30
    assert client.get("/v1/categories", params={"regionCode": "US", "languageCode": "en",
                                                "view": "BASIC"}).status_code == 429
    clock.t += 30
    assert client.get("/v1/categories", params={"regionCode": "US", "languageCode": "en",
                                                "view": "BASIC"}).status_code == 200


def test_unapproved_project_gets_zero_quota(state: SandboxState) -> None:
    client = client_for(state, FakeClock(), limits=Limits(unapproved=True))
    for path in ("/v1/accounts", "/v1/accounts/-/locations"):
        resp = client.get(path, params={"readMask": "name"} if "locations" in path else None)
        assert resp.status_code == 429
        assert error_info(resp)["quota_limit_value"] == "0"
        assert "Retry-After" not in resp.headers
        assert "Quota exceeded for quota metric" in resp.json()["error"]["message"]


def test_daily_update_cap(state: SandboxState) -> None:
    clock = FakeClock()
    client = client_for(state, clock, limits=Limits(daily_updates=3))
    names = [loc["name"] for loc in state.locations()[:4]]
    for name in names[:3]:
        assert client.patch(f"/v1/{name}", params={"updateMask": "labels"},
                            json={"labels": ["a"]}).status_code == 200
    resp = client.patch(f"/v1/{names[3]}", params={"updateMask": "labels"}, json={"labels": ["a"]})
    assert resp.status_code == 429 and error_info(resp)["quota_limit_value"] == "3"
    assert int(resp.headers["Retry-After"]) <= 25 * 3600
    clock.t += 25 * 3600
    assert client.patch(f"/v1/{names[3]}", params={"updateMask": "labels"},
                        json={"labels": ["a"]}).status_code == 200


def test_a_thousand_patches_are_each_accepted_and_counted(state: SandboxState) -> None:
    clock = FakeClock()
    client = client_for(state, clock)
    names = [loc["name"] for loc in state.locations()]
    for i in range(1000):
        clock.t += 0.25
        resp = client.patch(f"/v1/{names[i % 30]}", params={"updateMask": "labels"},
                            json={"labels": [f"run-{i}"]})
        assert resp.status_code == 200, resp.text
    assert sum(state.patch_counts().values()) == 1000
