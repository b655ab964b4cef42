"""Google's JSON wire conventions: proto3 omissions, field masks, name spelling, error bodies.

Clients break on real data when an emulator emits `false`, `0`, `""` or `[]` that Google
leaves out, so every answer goes through `prune`, and every error through `error_body`.
"""

from __future__ import annotations

import copy
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# TimeOfDay keys (hours' openTime/closeTime, a post schedule's startTime/endTime): a
# set-but-zero TimeOfDay (00:00) is the one empty object Google keeps ("{}").
TIME_OF_DAY_KEYS = frozenset({"openTime", "closeTime", "startTime", "endTime"})

TYPE_PREFIX = "type.googleapis.com/"

STATUS_BY_CODE = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

REASON_PHRASES = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

JSON_CONTENT_TYPE = "application/json; charset=UTF-8"
HTML_CONTENT_TYPE = "text/html; charset=UTF-8"
INVALID_ARGUMENT = "Request contains an invalid argument."


class ApiError(Exception):
    """An answer in Google's error envelope; raised by handlers, rendered by the app."""

    def __init__(
        self,
        code: int,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        status: str = "",
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or []
        self.headers = headers or {}
        self.legacy_reason = ""  # set → the body also carries the legacy `errors` list
        # The canonical code when it is not the usual one for `code` (a 400 may be
        # FAILED_PRECONDITION rather than INVALID_ARGUMENT).
        self.status = status

    def body(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details, self.legacy_reason,
                          self.status)


def error_body(code: int, message: str, details: list[dict[str, Any]] | None = None,
               legacy_reason: str = "", status: str = "") -> dict:
    """`{"error": {code, message, [errors], status, details}}`; `details` omitted when empty
    (proto3); the legacy `errors: [{message, domain: "global", reason}]` list only when
    `legacy_reason` is given, as some of Google's 400s carry it and others do not; `status`
    overrides the canonical code usual for `code`."""
    err: dict[str, Any] = {"code": code, "message": message}
    if legacy_reason:
        err["errors"] = [{"message": message, "domain": "global", "reason": legacy_reason}]
    err["status"] = status or STATUS_BY_CODE[code]
    if details:
        err["details"] = details
    return {"error": err}


@dataclass(frozen=True)
class Violation:
    """One broken business rule: the BadRequest field (snake_case, may index into lists),
    a description, Google's ErrorCode `reason` and the camelCase field mask it names."""

    field: str
    description: str
    reason: str
    field_mask: str


def rule_error(violations: list[Violation], domain: str) -> ApiError:
    """400 INVALID_ARGUMENT for business-rule failures: one google.rpc.ErrorInfo per distinct
    (reason, field mask), as Google's ErrorCode entries carry the mask in their metadata, plus
    one google.rpc.BadRequest listing every violation, so clients reading either form work."""
    details: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for v in violations:
        if not v.reason or (v.reason, v.field_mask) in seen:
            continue
        seen.add((v.reason, v.field_mask))
        details.append({"@type": TYPE_PREFIX + "google.rpc.ErrorInfo", "reason": v.reason,
                        "domain": domain, "metadata": {"field_mask": v.field_mask}})
    fv = [{"field": v.field, "description": v.description} for v in violations]
    details.append({"@type": TYPE_PREFIX + "google.rpc.BadRequest", "fieldViolations": fv})
    err = ApiError(400, INVALID_ARGUMENT, details)
    err.legacy_reason = "badRequest"
    return err


def html_not_found(path: str) -> bytes:
    """The HTML page Google's front end answers for a path no API method serves."""
    shown = html.escape(path)
    return (
        "<!DOCTYPE html>\n<html lang=en>\n<meta charset=utf-8>\n"
        "<title>Error 404 (Not Found)</title>\n"
        "<style>body{font-family:arial,sans-serif;margin:7% auto;max-width:390px}</style>\n"
        "<p><b>404.</b> <ins>That is an error.</ins>\n"
        f"<p>The requested URL <code>{shown}</code> was not found on this server. "
        "<ins>That is all we know.</ins>\n</html>\n"
    ).encode()


def bad_request(violations: list[tuple[str, str]], message: str = "") -> ApiError:
    """400 INVALID_ARGUMENT with a google.rpc.BadRequest listing (snake_case field, why)."""
    fv = [{"field": f, "description": d} if f else {"description": d} for f, d in violations]
    detail = {"@type": TYPE_PREFIX + "google.rpc.BadRequest", "fieldViolations": fv}
    return ApiError(400, message or INVALID_ARGUMENT, [detail])


def not_found(message: str = "Requested entity was not found.") -> ApiError:
    return ApiError(404, message)


def camel_to_snake(path: str) -> str:
    """`phoneNumbers.primaryPhone` → `phone_numbers.primary_phone` (error field paths)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", path).lower()


def snake_to_camel(path: str) -> str:
    """`regular_hours.periods` → `regularHours.periods`; camelCase passes unchanged."""
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), path)


def prune(value: Any, key: str = "") -> Any:
    """Drop proto3 default values recursively; return None when `value` itself vanishes."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            pv = prune(v, k)
            if pv is not None:
                out[k] = pv
        if not out and key not in TIME_OF_DAY_KEYS:
            return None
        return out
    if isinstance(value, list):
        items = [p for p in (prune(v, "") for v in value) if p is not None]
        return items or None
    if value is None or value is False or value == "" or (
        isinstance(value, int | float) and not isinstance(value, bool) and value == 0
    ):
        return None
    return value


def parse_mask(mask: str) -> list[str]:
    """Split a field mask into camelCase paths (snake_case accepted), dropping blanks."""
    return [snake_to_camel(p.strip()) for p in mask.split(",") if p.strip()]


def get_path(obj: dict[str, Any], path: str) -> Any:
    node: Any = obj
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def set_path(obj: dict[str, Any], path: str, value: Any) -> None:
    """Set (or, with value None, remove) `path` inside `obj`, creating parents as needed."""
    parts = path.split(".")
    node = obj
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            if value is None:
                return
            child = node[part] = {}
        node = child
    if value is None:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = copy.deepcopy(value)


def apply_mask(obj: dict[str, Any], paths: Iterable[str]) -> dict[str, Any]:
    """A new object holding only the masked paths of `obj`, with proto3 defaults pruned."""
    out: dict[str, Any] = {}
    for path in paths:
        value = get_path(obj, path)
        if value is not None:
            set_path(out, path, value)
    return prune(out) or {}


def top_level(paths: Iterable[str]) -> list[str]:
    """The distinct top-level fields named by mask paths, in first-seen order."""
    seen: dict[str, None] = {}
    for p in paths:
        seen.setdefault(p.split(".")[0], None)
    return list(seen)


def dumps(obj: Any) -> bytes:
    """JSON bytes as Google sends them: UTF-8, non-ASCII kept."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def rfc3339(ts: float, *, micros: bool = False) -> str:
    """Epoch seconds → `2026-03-02T18:22:05.123456Z` (UTC, microseconds only when non-zero,
    or always with `micros`: server-stamped times such as a post's createTime carry them)."""
    dt = datetime.fromtimestamp(ts, UTC)
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond or micros:
        text += f".{dt.microsecond:06d}"
    return text + "Z"
