"""Injected faults: the spec grammar, first-N faults, repeatable randomness, timeout/reset."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from localcx.sandbox import SandboxState, make_app
from localcx.sandbox.faults import FaultInjector, parse_faults

AUTH = {"Authorization": "Bearer t"}


@pytest.fixture
def state(tmp_path: Path) -> SandboxState:
    return SandboxState.open(tmp_path / "sandbox.db")


def test_parse_spec() -> None:
    rules = parse_faults("429:0.1, 503:0.05,500:0.01,timeout:0.02,reset:0.02,503@locations.patch:x3")
    assert [(r.kind, r.method) for r in rules][-1] == ("503", "locations.patch")
    assert rules[-1].remaining == 3 and rules[0].probability == 0.1
    assert parse_faults("") == []


@pytest.mark.parametrize("spec", ["418:0.1", "503:1.5", "503:0", "503@locations.frobnicate:x1",
                                  "503", "503:x0", "timeout:abc", "503@:x1"])
def test_bad_spec_raises_value_error(spec: str) -> None:
    with pytest.raises(ValueError, match=r"fault|probability|count|method"):
        parse_faults(spec)


def test_random_faults_are_repeatable() -> None:
    def run(seed: int) -> list[str | None]:
        inj = FaultInjector("429:0.2,503:0.2", seed=seed)
        return [inj.decide("locations.get") for _ in range(200)]

    assert run(1) == run(1)
    assert run(1) != run(2)
    kinds = run(1)
    assert 20 < kinds.count("429") < 70 and 10 < kinds.count("503") < 60


def test_first_three_patches_get_503(state: SandboxState) -> None:
    app = make_app(state, faults="503@locations.patch:x3")
    client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s", headers=AUTH)
    name = state.locations()[0]["name"]
    statuses = []
    for _ in range(4):
        resp = client.patch(f"/v1/{name}", params={"updateMask": "labels"}, json={"labels": ["a"]})
        statuses.append(resp.status_code)
        if resp.status_code == 503:
            err = resp.json()["error"]
            assert err == {"code": 503, "message": "The service is currently unavailable.",
                           "status": "UNAVAILABLE"}
    assert statuses == [503, 503, 503, 200]
    assert client.get(f"/v1/{name}", params={"readMask": "name"}).status_code == 200
    assert app.fault_counts == {"503": 3}
    assert state.patch_counts() == {name: 1}  # injected errors never take effect


def test_injected_429_has_retry_after(state: SandboxState) -> None:
    app = make_app(state, faults="429@accounts.list:x1")
    client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s", headers=AUTH)
    resp = client.get("/v1/accounts")
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "1"
    assert resp.json()["error"]["status"] == "RESOURCE_EXHAUSTED"


def test_timeout_applies_the_edit_then_raises(state: SandboxState) -> None:
    app = make_app(state, faults="timeout@locations.patch:x1")
    client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s", headers=AUTH)
    name = state.locations()[0]["name"]
    with pytest.raises(TimeoutError):
        client.patch(f"/v1/{name}", params={"updateMask": "labels"}, json={"labels": ["lost"]})
    saved = state.location(name)
    assert saved is not None and saved["labels"] == ["lost"]
    assert state.patch_counts() == {name: 1}
    assert app.fault_counts == {"timeout": 1}


def test_reset_raises_before_anything(state: SandboxState) -> None:
    app = make_app(state, faults="reset@locations.patch:x1")
    client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s", headers=AUTH)
    name = state.locations()[0]["name"]
    with pytest.raises(ConnectionResetError):
        client.patch(f"/v1/{name}", params={"updateMask": "labels"}, json={"labels": ["never"]})
    assert state.patch_counts() == {}
    assert app.request_log[-1] == ("PATCH", f"/v1/{name}", 0)
