"""The sandbox against Google's discovery documents: routes, query parameters, answer fields."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from localcx.sandbox import SandboxState, discovery, make_app
from localcx.sandbox.app import ROUTES

AUTH = {"Authorization": "Bearer t"}
DATA = Path(discovery.__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "google-discovery"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> httpx.Client:
    state = SandboxState.open(tmp_path_factory.mktemp("conf") / "sandbox.db")
    return httpx.Client(transport=httpx.WSGITransport(app=make_app(state)), base_url="http://s",
                        headers=AUTH)


def conforms(value: Any, api: str, schema_name: str, where: str) -> None:
    """Every key of `value` is a property of the schema, recursively; enums are valid."""
    assert isinstance(value, dict), where
    props = discovery.schema(api, schema_name)["properties"]
    for key, item in value.items():
        assert key in props, f"{where}.{key} is not in {schema_name}"
        check(item, props[key], api, f"{where}.{key}")


def check(item: Any, spec: dict[str, Any], api: str, where: str) -> None:
    if spec.get("type") == "array":
        assert isinstance(item, list) and item, f"{where}: empty lists must be omitted"
        for i, sub in enumerate(item):
            check(sub, spec["items"], api, f"{where}[{i}]")
    elif "$ref" in spec:
        conforms(item, api, spec["$ref"], where)
    elif "enum" in spec:
        assert item in spec["enum"], f"{where}: {item!r} not a valid enum value"
    elif spec.get("format") in ("int64", "uint64"):
        assert isinstance(item, str), f"{where}: int64 must be a string"
    else:
        assert item not in ("", 0, False), f"{where}: proto3 default must be omitted"


def test_data_copies_match_shared_discovery() -> None:
    if not SHARED.is_dir():
        pytest.skip("shared/google-discovery is not beside the repo")
    for name in ("mybusinessaccountmanagement.v1.json", "mybusinessbusinessinformation.v1.json"):
        assert json.loads((DATA / name).read_text()) == json.loads((SHARED / name).read_text())


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.method_id)
def test_route_matches_discovery(route: Any) -> None:
    api, *rest = route.discovery_id.split(".")
    node = discovery.document(api)
    for part in rest[:-1]:
        node = node["resources"][part]
    method = node["methods"][rest[-1]]
    assert method["httpMethod"] == route.http_method
    flat = "/" + method["flatPath"]
    ours = route.pattern.pattern.strip("^$").replace("(?P<account>[^/:]+)", "{accountsId}")
    ours = ours.replace("(?P<location>[^/:]+)", "{locationsId}")
    assert ours == flat


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.method_id)
def test_every_declared_query_parameter_binds(route: Any) -> None:
    from localcx.sandbox.binding import bind_query

    declared = discovery.query_params(route.discovery_id)
    for name in declared:
        bind_query(f"{name}=x", route.discovery_id, route.service) if "enum" not in declared[
            name] else bind_query(f"{name}={declared[name]['enum'][1]}", route.discovery_id,
                                  route.service)


def test_answers_use_only_discovery_fields(client: httpx.Client) -> None:
    am, bi = discovery.ACCOUNT_MANAGEMENT, discovery.BUSINESS_INFORMATION
    conforms(client.get("/v1/accounts", params={"pageSize": 1}).json(), am,
             "ListAccountsResponse", "accounts.list")
    every_field = ",".join(discovery.schema(bi, "Location")["properties"])
    listed = client.get("/v1/accounts/-/locations",
                        params={"readMask": every_field, "pageSize": 100}).json()
    assert len(listed["locations"]) == 30
    conforms(listed, bi, "ListLocationsResponse", "locations.list")
    for loc in listed["locations"]:
        got = client.get(f"/v1/{loc['name']}:getGoogleUpdated", params={"readMask": every_field})
        conforms(got.json(), bi, "GoogleUpdatedLocation", "getGoogleUpdated")
        assert client.get(f"/v1/{loc['name']}", params={"readMask": every_field}).json() == loc
    cats = client.get("/v1/categories", params={"regionCode": "JP", "languageCode": "ja",
                                                "view": "FULL"}).json()
    conforms(cats, bi, "ListCategoriesResponse", "categories.list")


def test_errors_use_google_envelope(client: httpx.Client) -> None:
    for resp in (client.get("/v1/accounts", params={"pageSize": "ten"}),
                 client.get("/v1/accounts/-/locations"), client.get("/v1/unknown"),
                 httpx.Client(transport=client._transport, base_url="http://s").get("/v1/accounts")):
        err = resp.json()["error"]
        assert set(err) <= {"code", "message", "status", "details"}
        assert err["code"] == resp.status_code and err["status"] and err["message"]
        assert resp.headers["content-type"] == "application/json; charset=UTF-8"
