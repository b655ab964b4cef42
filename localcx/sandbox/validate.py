"""Checks a PATCH body's JSON shape the way Google's JSON parser does, against the discovery
schema: unknown names, wrong types, bad enum strings and out-of-range integers answer
"Invalid JSON payload received…" / "Invalid value at …". The business rules that follow are
in rules.py.
"""

from __future__ import annotations

import json
from typing import Any

from localcx.sandbox import discovery
from localcx.sandbox.wire import ApiError, bad_request, camel_to_snake

API = discovery.BUSINESS_INFORMATION
INT32 = range(-(2**31), 2**31)
_TYPE_URL = "type.googleapis.com/google.mybusiness.businessinformation.v1."

def _shape_error(path: str, message: str) -> ApiError:
    return bad_request([(path, message)], message)


def _invalid_value(path: str, type_name: str, value: Any) -> ApiError:
    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 200:  # never echo a megabyte back
        shown = shown[:200] + "…"
    return _shape_error(path, f"Invalid value at '{path}' ({type_name}), {shown}")


def check_shape(value: Any, schema_name: str = "Location", path: str = "location") -> None:
    """Raise the 400 Google's JSON parser gives for unknown names and mistyped values."""
    if not isinstance(value, dict):
        raise _invalid_value(path, _TYPE_URL + schema_name, value)
    props = discovery.schema(API, schema_name).get("properties", {})
    for key, item in value.items():
        spec = props.get(key)
        if spec is None:
            raise _shape_error(path, f"Invalid JSON payload received. Unknown name \"{key}\" "
                                     f"at '{path}': Cannot find field.")
        _check_field(item, spec, f"{path}.{camel_to_snake(key)}", schema_name, key)


def _check_field(value: Any, spec: dict[str, Any], path: str, owner: str, key: str) -> None:
    if value is None:
        return
    if spec.get("type") == "array":
        if not isinstance(value, list):
            raise _shape_error(path, "Invalid JSON payload received. Expected a list at "
                                     f"'{path}'.")
        for i, item in enumerate(value):
            _check_field(item, spec["items"], f"{path}[{i}]", owner, key)
        return
    if "$ref" in spec:
        check_shape(value, spec["$ref"], path)
        return
    kind = spec.get("type")
    if "enum" in spec:
        if not isinstance(value, str) or value not in spec["enum"]:
            raise _invalid_value(path, f"{_TYPE_URL}{owner}.{key[0].upper()}{key[1:]}", value)
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
