"""Hostile or broken requests still get Google's JSON envelope (never a text/plain 500), and
the front end's habits: an HTML 404 for unknown paths, repeated query parameters kept."""

from __future__ import annotations

import base64
import dataclasses
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from localcx.sandbox import SandboxState, make_app
from localcx.sandbox.binding import bind_query

AUTH = {"Authorization": "Bearer t"}
JSON_TYPE = "application/json; charset=UTF-8"


@pytest.fixture
def state(tmp_path: Path) -> SandboxState:
    return SandboxState.open(tmp_path / "sandbox.db")


def _client(state: SandboxState, **kwargs: Any) -> httpx.Client:
    return httpx.Client(transport=httpx.WSGITransport(app=make_app(state, **kwargs)),
                        base_url="http://s", headers=AUTH)


@pytest.fixture
def client(state: SandboxState) -> httpx.Client:
    return _client(state)


def _google_400(resp: httpx.Response) -> dict[str, Any]:
    assert resp.status_code == 400, resp.text[:300]
    assert resp.headers["content-type"] == JSON_TYPE
    err: dict[str, Any] = resp.json()["error"]
    assert err["code"] == 400 and err["status"] == "INVALID_ARGUMENT" and err["message"]
    return err


def _token(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("body", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"title": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_001,
    b"\xff\xfe{\x00}",
    b'{"title": "caf\xe9"}',
    b'["title", "x"]',
    b'"just a string"',
    b"null",
    b"12",
], ids=["deep-list", "deep-object", "utf16-bom", "latin-1", "list", "string", "null", "number"])
def test_bad_bodies_get_json_400(client: httpx.Client, state: SandboxState, body: bytes) -> None:
    name = state.locations()[0]["name"]
    resp = client.patch(f"/v1/{name}", params={"updateMask": "title"}, content=body,
                        headers={"Content-Type": "application/json"})
    err = _google_400(resp)
    assert "Invalid JSON payload received" in err["message"]
    assert len(resp.content) < 2000
    assert state.patch_counts() == {}


@pytest.mark.parametrize("token", [
    _token(b'{"o": 1e999, "s": "x"}'),
    _token(b'{"o": -1e999}'),
    _token(b'{"o": 1.5, "s": "x"}'),
    _token(b'{"o": true, "s": "x"}'),
    _token(b'{"o": "3", "s": "x"}'),
    _token(b"[1, 2]"),
    _token(b'"o"'),
    _token(b"[" * 40_000),
    _token(b"\xff\xfe\xfd"),
    "!!!not base64!!!",
    "a",
], ids=["inf", "-inf", "float", "bool", "string", "list", "str", "deep", "bytes", "junk", "one"])
def test_forged_page_tokens_are_400(client: httpx.Client, token: str) -> None:
    resp = client.get("/v1/accounts/-/locations", params={"readMask": "name", "pageToken": token})
    err = _google_400(resp)
    fv = err["details"][0]["fieldViolations"]
    assert fv == [{"field": "page_token", "description": "Invalid page token."}]


@pytest.mark.parametrize("size", ["99999999999", "1" * 5000, "1_0", " 10", "１０"])
def test_odd_integers_in_the_query_are_400(client: httpx.Client, size: str) -> None:
    _google_400(client.get("/v1/accounts", params={"pageSize": size}))


@pytest.mark.parametrize("hours", ["1" * 5000, 2**40, "9" * 11, "٣"])
def test_odd_integers_in_the_body_are_400(client: httpx.Client, state: SandboxState,
                                          hours: Any) -> None:
    periods = [{"openDay": "MONDAY", "openTime": {"hours": hours}, "closeDay": "MONDAY",
                "closeTime": {"hours": 17}}]
    name = state.locations()[0]["name"]
    resp = client.patch(f"/v1/{name}", params={"updateMask": "regularHours"},
                        json={"regularHours": {"periods": periods}})
    assert "TYPE_INT32" in _google_400(resp)["message"]


def test_oversized_body_is_refused_unread(state: SandboxState) -> None:
    client = _client(state, max_body_bytes=1000)
    name = state.locations()[0]["name"]
    resp = client.patch(f"/v1/{name}", params={"updateMask": "title"},
                        json={"title": "x" * 2000})
    err = _google_400(resp)
    assert err["message"] == "Request payload size exceeds the limit: 1000 bytes."
    assert state.patch_counts() == {}
    ok = client.patch(f"/v1/{name}", params={"updateMask": "title"}, json={"title": "Short"})
    assert ok.status_code == 200


def test_default_body_cap_is_google_sized(state: SandboxState) -> None:
    from localcx.sandbox.app import MAX_BODY_BYTES

    assert 20 * 1024 * 1024 < MAX_BODY_BYTES <= 64 * 1024 * 1024


def test_a_handler_bug_is_a_json_500(state: SandboxState) -> None:
    def broken(app: Any, req: Any) -> dict[str, Any]:
        raise KeyError("oops")

    app = make_app(state)
    app.routes = [dataclasses.replace(r, handler=broken) for r in app.routes]
    client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s",
                          headers=AUTH)
    resp = client.get("/v1/accounts")
    assert resp.status_code == 500 and resp.headers["content-type"] == JSON_TYPE
    assert resp.json()["error"] == {"code": 500, "message": "Internal error encountered.",
                                    "status": "INTERNAL"}


@pytest.mark.parametrize("path", ["/v1/unknown", "/", "/v4/accounts/1/locations/2/media",
                                  "/v1/locations/1/bogus", "/<script>"])
def test_unknown_paths_answer_an_html_404(client: httpx.Client, path: str) -> None:
    resp = client.get(path)
    assert resp.status_code == 404
    assert resp.headers["content-type"] == "text/html; charset=UTF-8"
    assert resp.text.lstrip().startswith("<!DOCTYPE html>")
    assert "<script>" not in resp.text
    with pytest.raises(json.JSONDecodeError):
        json.loads(resp.content)


def test_known_path_wrong_method_is_json_404(client: httpx.Client) -> None:
    resp = client.delete("/v1/accounts")
    assert resp.status_code == 404 and resp.headers["content-type"] == JSON_TYPE
    assert resp.json()["error"]["message"] == "Method not found."


def test_html_404_over_real_http(state: SandboxState) -> None:
    from localcx.sandbox.server import start_server

    with start_server(make_app(state)) as server:
        resp = httpx.get(f"{server.url}/v1/nowhere", headers=AUTH)
    assert resp.status_code == 404 and resp.headers["content-type"].startswith("text/html")


def test_repeated_query_parameters_keep_every_value(client: httpx.Client) -> None:
    params = bind_query("names=categories/gcid:cafe&names=categories/gcid:bakery&view=BASIC",
                        "mybusinessbusinessinformation.categories.batchGet",
                        "mybusinessbusinessinformation")
    assert params.values_of("names") == ["categories/gcid:cafe", "categories/gcid:bakery"]
    assert params.values_of("view") == ["BASIC"] and params["view"] == "BASIC"
    resp = client.get("/v1/categories:batchGet", params=[
        ("names", "categories/gcid:cafe"), ("names", "categories/gcid:bakery"),
        ("languageCode", "en"), ("view", "BASIC")])
    assert resp.status_code == 200, resp.text
    assert [c["name"] for c in resp.json()["categories"]] == [
        "categories/gcid:cafe", "categories/gcid:bakery"]


def test_every_value_of_a_repeated_enum_is_checked(client: httpx.Client) -> None:
    resp = client.get("/v1/categories:batchGet", params=[
        ("names", "categories/gcid:cafe"), ("languageCode", "en"), ("view", "BASIC"),
        ("view", "WIDE")])
    _google_400(resp)
    unknown = client.get("/v1/categories:batchGet", params=[
        ("names", "categories/gcid:cafe"), ("names", "categories/gcid:moon_base"),
        ("languageCode", "en"), ("view", "BASIC")])
    assert "moon_base" in json.dumps(_google_400(unknown))
