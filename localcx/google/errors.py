"""Google's error envelope, parsed once into exceptions the rest of localcx can act on.

Every API here answers `{"error": {"code", "message", "status", "details"}}`; v4 may add a
legacy `errors` list. The parsed form keeps what decides retries (quota metadata,
RetryInfo) and what users must see (field violations).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

from localcx.errors import AuthError, LocalcxError, QuotaError
from localcx.exitcodes import ExitCode

APPROVAL_HINT = (
    "Google has not approved this Cloud project for Business Profile API access (quota 0). "
    "Apply for Basic API Access (search 'Business Profile APIs prerequisites'), "
    "then enable each API in the Cloud console."
)


@dataclass
class GoogleError:
    http_status: int
    status: str = ""
    message: str = ""
    reason: str = ""
    field_violations: list[tuple[str, str]] = field(default_factory=list)
    quota_limit_value: str | None = None
    quota_limit: str = ""
    retry_delay: float | None = None
    legacy_reasons: list[str] = field(default_factory=list)
    # (field mask, ErrorCode reason) of each ErrorInfo that names a field, e.g.
    # ("phoneNumbers.primaryPhone", "INVALID_PHONE_NUMBER_FOR_REGION")
    field_reasons: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def parse(cls, http_status: int, body: bytes) -> GoogleError:
        try:
            data = json.loads(body or b"{}")
        except (ValueError, RecursionError):
            return cls(http_status, message=_text_of(body) or f"HTTP {http_status}")
        error = data.get("error") if isinstance(data, dict) else None
        if not isinstance(error, dict):
            # OAuth endpoints answer {"error": "invalid_grant", "error_description": ...}
            message = (
                data.get("error_description") or str(error or "") if isinstance(data, dict) else ""
            )
            return cls(http_status, message=message or f"HTTP {http_status}")
        parsed = cls(
            http_status,
            status=str(error.get("status", "")),
            message=str(error.get("message", "")),
        )
        for detail in error.get("details") or []:
            if isinstance(detail, dict):
                parsed._read_detail(detail)
        for legacy in error.get("errors") or []:
            if isinstance(legacy, dict) and legacy.get("reason"):
                parsed.legacy_reasons.append(str(legacy["reason"]))
        return parsed

    def _read_detail(self, detail: dict[str, Any]) -> None:
        kind = str(detail.get("@type", "")).rsplit("/", 1)[-1]
        if kind == "google.rpc.BadRequest":
            for violation in detail.get("fieldViolations") or []:
                self.field_violations.append(
                    (str(violation.get("field", "")), str(violation.get("description", "")))
                )
        elif kind == "google.mybusiness.v4.ValidationError":
            for item in detail.get("errorDetails") or []:
                self.field_violations.append(
                    (str(item.get("field", "")), str(item.get("message", "")))
                )
        elif kind == "google.rpc.ErrorInfo":
            self.reason = self.reason or str(detail.get("reason", ""))
            metadata = detail.get("metadata") or {}
            if not isinstance(metadata, dict):
                return
            if metadata.get("field_mask"):
                self.field_reasons.append(
                    (str(metadata["field_mask"]), str(detail.get("reason", "")))
                )
            if "quota_limit_value" in metadata:
                self.quota_limit_value = str(metadata["quota_limit_value"])
            self.quota_limit = str(metadata.get("quota_limit", ""))
        elif kind == "google.rpc.RetryInfo":
            self.retry_delay = parse_duration(str(detail.get("retryDelay", "")))

    @property
    def not_approved(self) -> bool:
        return self.http_status == 429 and self.quota_limit_value == "0"

    @property
    def per_day(self) -> bool:
        text = f"{self.quota_limit} {self.message}".lower()
        return self.http_status == 429 and ("per day" in text or "perday" in text)

    @property
    def transient(self) -> bool:
        """Google (or the network) failed, rather than refusing the request: try again later."""
        return self.http_status == 0 or self.http_status >= 500

    @property
    def rate_limited_403(self) -> bool:
        return self.http_status == 403 and any(
            r in ("rateLimitExceeded", "userRateLimitExceeded") for r in self.legacy_reasons
        )

    def describe(self) -> str:
        """One line for people: `400 INVALID_ARGUMENT: phoneNumbers.primaryPhone:
        INVALID_PHONE_NUMBER_FOR_REGION (why)` when Google names the field and rule, else the
        message with any field violations."""
        head = f"{self.http_status} {self.status}".strip()
        if self.field_reasons:
            return f"{head}: " + "; ".join(
                f"{mask}: {reason} ({self._why(mask)})" for mask, reason in self.field_reasons
            )
        text = f"{head}: {self.message}" if self.message else head
        if self.field_violations:
            text += " (" + "; ".join(f"{f}: {d}" for f, d in self.field_violations) + ")"
        return text

    def _why(self, mask: str) -> str:
        """The field violation describing `mask` (matched on camelCase path), else the message."""
        wanted = mask.replace("_", "").lower()
        for field_path, description in self.field_violations:
            flat = re.sub(r"\[\d+\]", "", field_path).replace("_", "").lower()
            if description and (flat == wanted or flat.startswith(wanted + ".")
                                or wanted.startswith(flat + ".")):
                return description
        return self.message


def _text_of(body: bytes, limit: int = 160) -> str:
    """A short readable line from a non-JSON body (Google's HTML 404 page, a proxy's error):
    the page's visible text without tags, else its <title>, cut to `limit` characters."""
    text = body[:65536].decode("utf-8", "replace")
    title = re.search(r"(?is)<title[^>]*>(.*?)</title>", text)
    if "<" in text and ">" in text:
        text = re.sub(r"(?is)<(script|style|title)[^>]*>.*?</\1>", " ", text)
        text = html.unescape(re.sub(r"(?s)<[^>]*>", " ", text))
    text = " ".join(text.split())
    if not text and title:
        text = " ".join(html.unescape(title.group(1)).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def parse_duration(text: str) -> float | None:
    match = re.fullmatch(r"\s*([0-9.]+)s\s*", text)
    return float(match.group(1)) if match else None


class GoogleApiError(LocalcxError):
    """A request Google refused; `error` holds the parsed envelope."""

    def __init__(self, error: GoogleError, method: str, path: str, hint: str | None = None):
        super().__init__(f"{method} {path} failed: {error.describe()}", hint)
        self.error = error
        self.method = method
        self.path = path


class GoogleAuthError(AuthError):
    def __init__(self, message: str, hint: str | None = None, error: GoogleError | None = None):
        super().__init__(message, hint, ExitCode.AUTH)
        self.error = error


class GoogleQuotaError(QuotaError):
    def __init__(self, message: str, hint: str | None = None, error: GoogleError | None = None):
        super().__init__(message, hint, ExitCode.QUOTA)
        self.error = error


class OutcomeUnknownError(LocalcxError):
    """A write was sent but no answer came back: it may or may not have taken effect.

    Retrying blindly could apply an edit twice, so the caller re-reads and decides.
    """
