"""What Google's discovery documents say, read once: query parameters and Location field paths.

The sandbox validates `readMask` / `updateMask` and query parameters against the discovery
documents copied into `data/` (see data/SOURCES.md) instead of a hand-kept list, so the emulator
can never accept a path or parameter that Google's published description lacks.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

ACCOUNT_MANAGEMENT = "mybusinessaccountmanagement"
BUSINESS_INFORMATION = "mybusinessbusinessinformation"
MYBUSINESS_V4 = "mybusiness"  # the legacy API: reviews and local posts
PLACES = "places"  # Places API (New)
PERFORMANCE = "businessprofileperformance"  # daily metrics and search keywords
# The version of each API's document in data/; every other API is v1.
_VERSIONS = {MYBUSINESS_V4: "v4"}

# Parameters the Google front end accepts on every call, beyond each document's own list.
EXTRA_SYSTEM_PARAMS = frozenset({"$fields"})


@cache
def document(api: str, version: str = "") -> dict[str, Any]:
    """The discovery document of `api` (e.g. "mybusinessbusinessinformation"); api
    "mybusiness" (version "v4", its only one) is the extract of the legacy reviews and local
    posts API."""
    name = f"{api}.{version or _VERSIONS.get(api, 'v1')}.json"
    text = resources.files("localcx.sandbox").joinpath("data", name).read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def _find_method(api: str, method_id: str) -> dict[str, Any]:
    """Look a method up by its full discovery id, e.g. "mybusinessbusinessinformation.locations.get"."""
    node: dict[str, Any] = document(api)
    parts = method_id.split(".")[1:]
    for part in parts[:-1]:
        node = node["resources"][part]
    method: dict[str, Any] = node["methods"][parts[-1]]
    return method


@cache
def system_params(api: str) -> frozenset[str]:
    """Query parameters valid on every method of `api` (alt, key, fields, $.xgafv, ...)."""
    return frozenset(document(api)["parameters"]) | EXTRA_SYSTEM_PARAMS


@cache
def query_params(method_id: str) -> dict[str, dict[str, Any]]:
    """The method's own query parameters (name → discovery description), path ones excluded."""
    api = method_id.split(".")[0]
    params = _find_method(api, method_id).get("parameters", {})
    return {k: v for k, v in params.items() if v.get("location") == "query"}


def schema(api: str, name: str) -> dict[str, Any]:
    """One schema (e.g. "Location") of `api`."""
    found: dict[str, Any] = document(api)["schemas"][name]
    return found


def _walk(api: str, name: str, prefix: str, depth: int, out: dict[str, bool]) -> None:
    props = schema(api, name).get("properties", {})
    for field, spec in props.items():
        path = f"{prefix}{field}"
        out[path] = bool(spec.get("readOnly"))
        ref = spec.get("$ref")
        # Paths may go through singular messages only: a mask cannot select inside a list.
        if ref and depth < 4 and spec.get("type") != "array":
            child: dict[str, bool] = {}
            _walk(api, ref, path + ".", depth + 1, child)
            for child_path, ro in child.items():
                out[child_path] = ro or out[path]


@cache
def field_paths(api: str, schema_name: str) -> dict[str, bool]:
    """Every field-mask path into a schema → whether the document marks it readOnly."""
    out: dict[str, bool] = {}
    _walk(api, schema_name, "", 0, out)
    return out


@cache
def location_paths() -> dict[str, bool]:
    """Every valid Location field-mask path → whether it is output only (readOnly)."""
    out = dict(field_paths(BUSINESS_INFORMATION, "Location"))
    out["metadata"] = True
    return out


def enum_values(api: str, schema_name: str, field: str) -> list[str]:
    """Enum values of a string field, e.g. ("TimePeriod", "openDay") → ["DAY_OF_WEEK_...", ...]."""
    values: list[str] = schema(api, schema_name)["properties"][field].get("enum", [])
    return values
