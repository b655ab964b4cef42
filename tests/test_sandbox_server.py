"""The sandbox over real loopback HTTP, with httpx, on a port chosen by the OS."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from localcx.sandbox import SandboxState, make_app
from localcx.sandbox.server import make_server, start_server

AUTH = {"Authorization": "Bearer t"}


@pytest.fixture
def state(tmp_path: Path) -> SandboxState:
    return SandboxState.open(tmp_path / "sandbox.db")


def test_serves_google_paths_over_http(state: SandboxState) -> None:
    with start_server(make_app(state)) as server:
        assert server.port > 0 and server.url.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=server.url, headers=AUTH) as client:
            accounts = client.get("/v1/accounts").json()["accounts"]
            assert accounts[0]["type"] == "PERSONAL"
            name = state.locations()[0]["name"]
            got = client.get(f"/v1/{name}:getGoogleUpdated", params={"readMask": "title"})
            assert got.status_code == 200
            escaped = client.get(f"/v1/{name}%3AgetGoogleUpdated", params={"readMask": "title"})
            assert escaped.json() == got.json()
            resp = client.patch(f"/v1/{name}", params={"updateMask": "title"},
                                json={"title": "麺屋さくら 総本店"})
            assert resp.status_code == 200 and resp.json()["title"] == "麺屋さくら 総本店"
            bad = client.get("/v1/accounts", params={"foo": "1"})
            assert bad.status_code == 400
            assert bad.headers["content-type"] == "application/json; charset=UTF-8"


def test_reset_drops_the_connection(state: SandboxState) -> None:
    with start_server(make_app(state, faults="reset@accounts.list:x1")) as server, \
            httpx.Client(base_url=server.url, headers=AUTH) as client:
        with pytest.raises(httpx.TransportError):
            client.get("/v1/accounts")
        assert client.get("/v1/accounts").status_code == 200


def test_timeout_holds_then_closes_and_the_edit_sticks(state: SandboxState) -> None:
    app = make_app(state, faults="timeout@locations.patch:x1")
    name = state.locations()[0]["name"]
    with start_server(app, timeout_seconds=5.0) as server, \
            httpx.Client(base_url=server.url, headers=AUTH, timeout=0.3) as client, \
            pytest.raises(httpx.ReadTimeout):
        client.patch(f"/v1/{name}", params={"updateMask": "labels"}, json={"labels": ["t"]})
    saved = state.location(name)
    assert saved is not None and saved["labels"] == ["t"]


def test_refuses_non_loopback_hosts(state: SandboxState) -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        make_server(make_app(state), host="0.0.0.0")
