"""Request plumbing shared by the handlers: query binding, typed parameters, page tokens.

Query binding follows Google's front end: a parameter the method does not declare (in the
discovery document) is a 400 "Cannot bind query parameter"; snake_case spellings of declared
parameters are accepted; system parameters (alt, key, fields, …) are accepted everywhere.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from localcx.sandbox import discovery
from localcx.sandbox.wire import ApiError, bad_request, camel_to_snake, parse_mask, snake_to_camel

_INT32 = re.compile(r"-?[0-9]{1,10}")


class Params(dict[str, str]):
    """Declared query parameters (camelCase name → last value given), keeping every value of
    a repeated one (`dailyMetrics=A&dailyMetrics=B`) for `values_of(name)`."""

    def __init__(self) -> None:
        super().__init__()
        self._all: dict[str, list[str]] = {}

    def add(self, name: str, value: str) -> None:
        self[name] = value
        self._all.setdefault(name, []).append(value)

    def values_of(self, name: str) -> list[str]:
        """Every value of `name` in the order given (empty when absent)."""
        return list(self._all.get(name, []))


@dataclass
class Request:
    """One API call as the handlers see it."""

    method_id: str  # e.g. "locations.patch"
    service: str  # e.g. "mybusinessbusinessinformation"
    params: Params  # declared query parameters, camelCase names
    path_args: dict[str, str]
    body: bytes
    now: float
    extra: dict[str, Any] = field(default_factory=dict)
    # Request headers (lower-case names) and system parameters (key, fields, …): Places reads
    # its API key and response field mask from them.
    headers: dict[str, str] = field(default_factory=dict)
    system: dict[str, str] = field(default_factory=dict)

    # -- typed access --------------------------------------------------------------------
    def int_param(self, name: str, default: int) -> int:
        raw = self.params.get(name)
        if raw is None or raw == "":
            return default
        if not _INT32.fullmatch(raw) or not -(2**31) <= int(raw) < 2**31:
            raise _invalid_value(name, "TYPE_INT32", raw)
        return int(raw)

    def bool_param(self, name: str) -> bool:
        raw = self.params.get(name, "")
        if raw.lower() in ("", "false", "0"):
            return False
        if raw.lower() in ("true", "1"):
            return True
        raise _invalid_value(name, "TYPE_BOOL", raw)

    def page_size(self, default: int, maximum: int) -> int:
        """pageSize: 0/absent → default, above the max → clamped (AIP-158), negative → 400."""
        size = self.int_param("pageSize", default)
        if size < 0:
            raise bad_request([("page_size", "Page size must not be negative.")])
        return min(size or default, maximum)

    def mask(self, name: str) -> list[str]:
        """A required field mask parameter (readMask, updateMask) as camelCase paths."""
        paths = parse_mask(self.params.get(name, ""))
        if not paths:
            raise bad_request([(camel_to_snake(name), "Field is required")])
        return paths

    def json_body(self) -> dict[str, Any]:
        if not self.body.strip():
            return {}
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            msg = (f"Invalid JSON payload received. The body is not valid UTF-8 (byte "
                   f"{exc.start}).")
            raise bad_request([("", msg)], msg) from None
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            msg = f"Invalid JSON payload received. {exc.__class__.__name__}: {exc}"
            raise bad_request([("", msg)], msg) from None
        except RecursionError:
            msg = "Invalid JSON payload received. The body is nested too deeply."
            raise bad_request([("", msg)], msg) from None
        if not isinstance(value, dict):
            msg = "Invalid JSON payload received. Expected an object at the top level."
            raise bad_request([("", msg)], msg)
        return value


def _invalid_value(name: str, type_name: str, raw: str) -> ApiError:
    field_name = camel_to_snake(name)
    msg = f"Invalid value at '{field_name}' ({type_name}), {json.dumps(raw, ensure_ascii=False)}"
    return bad_request([(field_name, msg)], msg)


def bind_query(query: str, discovery_id: str, api: str) -> Params:
    """Declared parameters of the method (camelCase); 400 on any undeclared one. Every value
    of a repeated parameter is kept; a singular one given twice keeps its last value."""
    declared = discovery.query_params(discovery_id)
    system = discovery.system_params(api)
    params = Params()
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key in system:
            continue
        name = snake_to_camel(key)
        if name not in declared:
            msg = (f'Invalid JSON payload received. Unknown name "{key}": Cannot bind query '
                   f"parameter. Field '{key}' could not be found in request message.")
            raise bad_request([("", msg)], msg)
        enum = declared[name].get("enum")
        if enum and value not in enum:
            raise _invalid_value(name, "TYPE_ENUM", value)
        params.add(name, value)
    return params


def system_values(query: str, api: str) -> dict[str, str]:
    """The system parameters given (alt, key, fields, $fields, …), last value of each."""
    system = discovery.system_params(api)
    return {k: v for k, v in parse_qsl(query, keep_blank_values=True) if k in system}


def headers_of(environ: dict[str, Any]) -> dict[str, str]:
    """The request's headers from a WSGI environ, as lower-case names with dashes."""
    out = {k[5:].lower().replace("_", "-"): str(v) for k, v in environ.items()
           if k.startswith("HTTP_")}
    if "CONTENT_TYPE" in environ:
        out["content-type"] = str(environ["CONTENT_TYPE"])
    return out


# -- page tokens ---------------------------------------------------------------------------
def _scope_hash(scope: str) -> str:
    return hashlib.sha256(scope.encode("utf-8")).hexdigest()[:12]


def encode_token(offset: int, scope: str) -> str:
    """An opaque token bound to the listing it came from (`scope`: parent, filter, order)."""
    raw = json.dumps({"o": offset, "s": _scope_hash(scope)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_token(token: str, scope: str) -> int:
    """The offset a token stands for; 400 when it is not one of ours for this listing."""
    if not token:
        return 0
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        offset = data["o"]
        ok = (type(offset) is int and offset >= 0 and data["s"] == _scope_hash(scope))
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        # base64, UTF-8 and JSON errors are ValueErrors; a list or string has no "o"
        ok, offset = False, 0
    if not ok:
        raise bad_request([("page_token", "Invalid page token.")])
    return offset


def paginate(items: list[Any], req: Request, *, default: int, maximum: int,
             scope: str) -> tuple[list[Any], str]:
    """(this page, next page token or "") for `items` under the request's pageSize/pageToken."""
    size = req.page_size(default, maximum)
    offset = decode_token(req.params.get("pageToken", ""), scope)
    page = items[offset:offset + size]
    more = offset + size < len(items)
    return page, encode_token(offset + size, scope) if more else ""
