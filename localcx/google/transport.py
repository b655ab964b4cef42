"""The one road to Google: auth header, pacing, retries, typed errors, a call log.

Every request from localcx (v1 through google-api-python-client, v4 and Places over
httpx) goes through `Transport.request`, so quota pacing and retry rules hold for all
of them and the `api_calls` table sees every attempt. Tokens never reach the log.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from localcx.clock import Clock
from localcx.config import ENDPOINT_ENV, HttpSettings
from localcx.errors import LocalcxError
from localcx.google.errors import (
    APPROVAL_HINT,
    GoogleApiError,
    GoogleAuthError,
    GoogleError,
    GoogleQuotaError,
    OutcomeUnknownError,
)
from localcx.google.quotas import Quotas, draw_for

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
USER_AGENT = "localcx/0.1"


@dataclass
class ApiCall:
    at: float
    service: str
    method: str
    path: str
    status: int
    ms: float
    attempt: int
    error: str = ""


@dataclass
class _Call:
    """One request across its attempts."""

    method: str
    url: str
    service: str
    path: str
    refreshed: bool = False
    errors: list[GoogleError] = field(default_factory=list)


def _endpoint_hint() -> str:
    if os.environ.get(ENDPOINT_ENV):
        return f"check {ENDPOINT_ENV} (is `localcx sandbox serve` running there?)"
    return "check the network connection, then try again"


class TokenSource:
    """Supplies bearer tokens; `refresh()` returns False when a new one cannot be had."""

    def token(self) -> str | None:
        return None

    def refresh(self) -> bool:
        return False


class StaticToken(TokenSource):
    def __init__(self, value: str | None):
        self.value = value

    def token(self) -> str | None:
        return self.value


def _forbidden_hint(error: GoogleError) -> str:
    if error.reason == "SERVICE_DISABLED":
        return (
            "enable this API for the Cloud project in the console; the Business Profile APIs "
            "are listed only after Google approves the project's Basic API Access application"
        )
    return (
        "check that the logged-in account manages this store, and that Google approved the "
        "project's Business Profile Basic API Access application"
    )


class Transport:
    def __init__(
        self,
        *,
        tokens: TokenSource,
        quotas: Quotas,
        http: HttpSettings,
        clock: Clock | None = None,
        client: httpx.Client | None = None,
        on_call: Callable[[ApiCall], None] | None = None,
        api_key: str | None = None,
        rng: random.Random | None = None,
    ):
        self.tokens = tokens
        self.quotas = quotas
        self.http = http
        self.clock = clock or Clock()
        self.client = client or httpx.Client(timeout=http.timeout, follow_redirects=False)
        self.on_call = on_call
        self.api_key = api_key
        self.rng = rng or random.Random()
        self._refresh_lock = threading.Lock()

    def _backoff(self, attempt: int, error: GoogleError | None) -> float:
        hinted = error.retry_delay if error else None
        jitter = self.rng.uniform(
            0, min(self.http.backoff_cap, self.http.backoff_base * 2**attempt)
        )
        return max(hinted or 0.0, jitter)

    # -- the request loop -------------------------------------------------------------------
    def request(
        self,
        method: str,
        url: str,
        *,
        service: str,
        params: Any = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        authenticate: bool = True,
        raise_for_status: bool = True,
    ) -> httpx.Response:
        """Send with pacing and retries; return a 2xx response or raise a typed error.

        Every attempt draws from the quotas the request counts against (see `quotas`).
        `authenticate=False` sends no bearer token (the token endpoint itself);
        `raise_for_status=False` hands back an answer that would not be retried, such as
        the token endpoint's `invalid_grant`, for the caller's library to read.
        """
        call = _Call(method.upper(), url, service, urlsplit(url).path)
        draw = draw_for(service, call.method, url)
        for attempt in range(1, self.http.max_attempts + 1):
            self.quotas.acquire(draw)
            sent = self._headers(service, headers, authenticate)
            started = time.perf_counter()
            try:
                response = self.client.request(
                    call.method, url, params=params, json=json, content=content, headers=sent
                )
            except (httpx.TransportError, TimeoutError, ConnectionError) as exc:
                self._log(call, 0, started, attempt, type(exc).__name__)
                self._no_answer(call, exc, attempt)
                self.clock.sleep(self._backoff(attempt, None))
                continue
            if response.status_code < 300:
                self._log(call, response.status_code, started, attempt)
                return response
            error = self._error(response)
            self._log(call, response.status_code, started, attempt, error.status or error.reason)
            call.errors.append(error)
            if not self._retryable(call, error, authenticate):
                if not raise_for_status:
                    return response
                raise self._refusal(call, error)
            if attempt < self.http.max_attempts:
                self._wait(call, error, attempt)
        raise self._gave_up(call)

    def _headers(
        self, service: str, headers: dict[str, str] | None, authenticate: bool
    ) -> dict[str, str]:
        sent = {"User-Agent": USER_AGENT, **(headers or {})}
        token = self.tokens.token() if authenticate else None
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if service == "places" and self.api_key:
            sent["X-Goog-Api-Key"] = self.api_key
        return sent

    def _no_answer(self, call: _Call, exc: BaseException, attempt: int) -> None:
        """Decide after a request got no answer; returns only when a retry is right."""
        kind = type(exc).__name__
        if isinstance(exc, httpx.ConnectError):
            # Nothing is listening (or no route): waiting will not help, and nothing was sent.
            raise LocalcxError(
                f"cannot connect to {urlsplit(call.url).netloc} ({kind})", hint=_endpoint_hint()
            ) from None
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError | httpx.InvalidURL):
            # Our own request is malformed (a bad URL or header): never retried, and the
            # exception text (which can quote a header) is not passed on.
            raise LocalcxError(
                f"{call.method} {call.path}: the request could not be sent ({kind})",
                hint=_endpoint_hint(),
            ) from None
        if call.method not in SAFE_METHODS and not isinstance(exc, httpx.ConnectTimeout):
            raise OutcomeUnknownError(
                f"{call.method} {call.path}: no answer from Google ({kind}); "
                "the change may or may not have been applied",
                hint="re-read the store before sending it again",
            ) from None
        call.errors.append(GoogleError(0, "UNAVAILABLE", f"network error: {kind}"))
        if attempt == self.http.max_attempts:
            raise self._gave_up(call)

    @staticmethod
    def _error(response: httpx.Response) -> GoogleError:
        error = GoogleError.parse(response.status_code, response.content)
        retry_after = response.headers.get("Retry-After")
        if retry_after and retry_after.strip().isdigit():
            error.retry_delay = max(error.retry_delay or 0.0, float(retry_after))
        return error

    def _retryable(self, call: _Call, error: GoogleError, authenticate: bool) -> bool:
        """Whether to try again: 429 and 5xx are; a first 401 is, once the token is fresh."""
        if error.not_approved or error.per_day:
            return False
        if error.http_status == 401 and authenticate and not call.refreshed:
            call.refreshed = True
            with self._refresh_lock:
                return self.tokens.refresh()
        return error.http_status in RETRY_STATUSES or error.rate_limited_403

    def _wait(self, call: _Call, error: GoogleError, attempt: int) -> None:
        if error.http_status == 401:
            return  # the token was just refreshed: try again at once
        delay = self._backoff(attempt, error)
        if error.http_status == 429 and "PerLocation" not in error.quota_limit:
            # A project-wide limit: every thread and process on the project backs off.
            self.quotas.back_off(call.service, delay)
        self.clock.sleep(delay)

    @staticmethod
    def _refusal(call: _Call, error: GoogleError) -> LocalcxError:
        where = f"{call.method} {call.path}"
        if error.not_approved:
            return GoogleAuthError(f"{where}: {error.message}", APPROVAL_HINT, error)
        if error.per_day:
            return GoogleQuotaError(
                f"daily quota used up: {error.message}",
                "the daily quota resets at midnight Pacific time; resume after it",
                error,
            )
        if error.http_status == 401:
            return GoogleAuthError(
                f"{where}: {error.message or 'not authenticated'}",
                "log in again with: localcx auth login --client-secret client_secret.json",
                error,
            )
        if error.http_status == 403 and not error.rate_limited_403:
            return GoogleAuthError(f"{where}: {error.describe()}", _forbidden_hint(error), error)
        return GoogleApiError(error, call.method, call.path)

    def _gave_up(self, call: _Call) -> LocalcxError:
        """Every attempt failed. Only a run of 429s is a quota problem; 5xx or silence is
        Google (or the network) failing, which a later resume can finish."""
        attempts = self.http.max_attempts
        last = call.errors[-1]
        if all(e.http_status == 429 and "PerLocation" in e.quota_limit for e in call.errors):
            return GoogleQuotaError(
                f"{call.method} {call.path}: this store was edited too often "
                f"(Google allows 10 edits a minute per store), still refused after {attempts} attempts",
                "wait a minute, then resume",
                last,
            )
        if all(e.http_status == 429 for e in call.errors):
            return GoogleQuotaError(
                f"{call.method} {call.path}: still rate-limited after {attempts} attempts",
                "another job may be using this Cloud project's quota: lower [limits] "
                "project_qpm in settings.toml, or run again later",
                last,
            )
        return GoogleApiError(
            last,
            call.method,
            call.path,
            hint=f"Google kept failing after {attempts} attempts; try again later",
        )

    def _log(
        self, call: _Call, status: int, started: float, attempt: int, error: str = ""
    ) -> None:
        if self.on_call is not None:
            ms = (time.perf_counter() - started) * 1000
            self.on_call(
                ApiCall(
                    self.clock.now(), call.service, call.method, call.path, status, ms, attempt, error
                )
            )

    def close(self) -> None:
        self.client.close()
        self.quotas.close()
