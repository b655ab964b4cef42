"""Checks a request body's JSON shape the way Google's JSON parser does, against the discovery
schema: unknown names, wrong types, bad enum strings, out-of-range integers and malformed
timestamps answer "Invalid JSON payload received…" / "Invalid value at …". The business rules
that follow are in rules.py (locations) and posts_rules.py (local posts).

The v1 Location is the default; v4 bodies pass `Dialect.V4`, whose schemas come from the v4
extract plus the fields Google added after it (see posts_rules.LATER_FIELDS).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from localcx.sandbox import discovery
from localcx.sandbox.wire import ApiError, bad_request, camel_to_snake

API = discovery.BUSINESS_INFORMATION
INT32 = range(-(2**31), 2**31)
_TYPE_URL = "type.googleapis.com/google.mybusiness.businessinformation.v1."
# proto3 JSON Timestamp: RFC 3339 with a `Z` or an offset, up to nine fractional digits.
_TIMESTAMP = re.compile(
    r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})")


@dataclass(frozen=True)
class Dialect:
    """Which API's schemas a body is read against, and how its type names are spelled."""

    api: str
    type_url: str
    # {schema: {field: discovery spec}} known to Google but absent from our document copy
    extra: Mapping[str, Mapping[str, dict[str, Any]]] = field(default_factory=dict)

    def properties(self, schema_name: str) -> dict[str, Any]:
        props = dict(discovery.schema(self.api, schema_name).get("properties", {}))
        props.update(self.extra.get(schema_name, {}))
        return props


V1 = Dialect(API, _TYPE_URL)


def _shape_error(path: str, message: str) -> ApiError:
    return bad_request([(path, message)], message)


def _invalid_value(path: str, type_name: str, value: Any) -> ApiError:
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 200:  # never echo a megabyte back
        shown = shown[:200] + "…"
    return _shape_error(path, f"Invalid value at '{path}' ({type_name}), {shown}")


def check_shape(value: Any, schema_name: str = "Location", path: str = "location",
                dialect: Dialect = V1) -> None:
    """Raise the 400 Google's JSON parser gives for unknown names and mistyped values."""
    if not isinstance(value, dict):
        raise _invalid_value(path, dialect.type_url + schema_name, value)
    props = dialect.properties(schema_name)
    for key, item in value.items():
        spec = props.get(key)
        if spec is None:
            raise _shape_error(path, f"Invalid JSON payload received. Unknown name \"{key}\" "
                                     f"at '{path}': Cannot find field.")
        _check_field(item, spec, f"{path}.{camel_to_snake(key)}", schema_name, key, dialect)


def _check_field(value: Any, spec: dict[str, Any], path: str, owner: str, key: str,
                 dialect: Dialect) -> None:
    if value is None:
        return
    if spec.get("type") == "array":
        if not isinstance(value, list):
            raise _shape_error(path, "Invalid JSON payload received. Expected a list at "
                                     f"'{path}'.")
        for i, item in enumerate(value):
            _check_field(item, spec["items"], f"{path}[{i}]", owner, key, dialect)
        return
    if "$ref" in spec:
        check_shape(value, spec["$ref"], path, dialect)
        return
    kind = spec.get("type")
    if "enum" in spec:
        if not isinstance(value, str) or value not in spec["enum"]:
            raise _invalid_value(path, f"{dialect.type_url}{owner}.{key[0].upper()}{key[1:]}",
                                 value)
    elif kind == "integer":
        if not _int32(value):
            raise _invalid_value(path, "TYPE_INT32", value)
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _invalid_value(path, "TYPE_DOUBLE", value)
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise _invalid_value(path, "TYPE_BOOL", value)
    elif kind == "string" and not isinstance(value, str):
        raise _invalid_value(path, "TYPE_STRING", value)
    elif spec.get("format") == "google-datetime" and parse_timestamp(value) is None:
        raise _invalid_value(path, "type.googleapis.com/google.protobuf.Timestamp", value)


def parse_timestamp(value: str) -> float | None:
    """Epoch seconds of a proto3 JSON Timestamp (RFC 3339), or None when it is not one."""
    m = _TIMESTAMP.fullmatch(value)
    if m is None:
        return None
    try:
        base = datetime.fromisoformat(m[1] + ("+00:00" if m[3] == "Z" else m[3]))
    except ValueError:  # e.g. month 13
        return None
    frac = m[2] or ""
    return base.timestamp() + (int(frac) / 10 ** len(frac) if frac else 0.0)


def _int32(value: Any) -> bool:
    """An int32 as proto3 JSON allows it: a number or a decimal string, within range."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        digits = value[1:] if value.startswith("-") else value
        if not (digits.isascii() and digits.isdigit() and len(digits) <= 10):
            return False
        value = int(value)
    return isinstance(value, int) and value in INT32
