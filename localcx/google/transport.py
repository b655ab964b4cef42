"""The one road to Google: auth header, pacing, retries, typed errors, a call log.

Every request from localcx (v1 through google-api-python-client, v4 and Places over
httpx) goes through `Transport.request`, so quota pacing and retry rules hold for all
of them and the `api_calls` table sees every attempt. Tokens never reach the log.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from localcx.clock import Clock
from localcx.config import HttpSettings
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
    ) -> httpx.Response:
        """Send with pacing and retries; return a 2xx response or raise a typed error.

        Every attempt draws from the quotas the request counts against (see `quotas`).
        """
        method = method.upper()
        path = urlsplit(url).path
        draw = draw_for(service, method, url)
        refreshed = False
        last_error: GoogleError | None = None
        for attempt in range(1, self.http.max_attempts + 1):
            self.quotas.acquire(draw)
            send_headers = {"User-Agent": USER_AGENT, **(headers or {})}
            token = self.tokens.token()
            if token:
                send_headers["Authorization"] = f"Bearer {token}"
            if service == "places" and self.api_key:
                send_headers["X-Goog-Api-Key"] = self.api_key
            started = time.perf_counter()
            try:
                response = self.client.request(
                    method, url, params=params, json=json, content=content, headers=send_headers
                )
            except (httpx.TransportError, TimeoutError, ConnectionError) as exc:
                ms = (time.perf_counter() - started) * 1000
                self._log(service, method, path, 0, ms, attempt, type(exc).__name__)
                never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                if method not in SAFE_METHODS and not never_sent:
                    raise OutcomeUnknownError(
                        f"{method} {path}: no answer from Google ({type(exc).__name__}); "
                        "the change may or may not have been applied",
                        hint="re-read the store before sending it again",
                    ) from exc
                if attempt == self.http.max_attempts:
                    raise GoogleApiError(
                        GoogleError(0, "UNAVAILABLE", f"network error: {type(exc).__name__}"),
                        method,
                        path,
                        hint="check the network or the endpoint setting, then try again",
                    ) from exc
                self.clock.sleep(self._backoff(attempt, None))
                continue
            ms = (time.perf_counter() - started) * 1000
            status = response.status_code
            if status < 300:
                self._log(service, method, path, status, ms, attempt)
                return response
            error = GoogleError.parse(status, response.content)
            retry_after = response.headers.get("Retry-After")
            if retry_after and retry_after.strip().isdigit():
                error.retry_delay = max(error.retry_delay or 0.0, float(retry_after))
            self._log(service, method, path, status, ms, attempt, error.status or error.reason)
            last_error = error
            if error.not_approved:
                raise GoogleAuthError(f"{method} {path}: {error.message}", APPROVAL_HINT, error)
            if error.per_day:
                raise GoogleQuotaError(
                    f"daily quota used up: {error.message}",
                    "the daily quota resets at midnight Pacific time; run again after it",
                    error,
                )
            if status == 401 and not refreshed:
                refreshed = True
                with self._refresh_lock:
                    if self.tokens.refresh():
                        continue
                raise GoogleAuthError(
                    f"{method} {path}: {error.message or 'not authenticated'}",
                    "run: localcx auth login",
                    error,
                )
            if status == 401:
                raise GoogleAuthError(
                    f"{method} {path}: {error.message}", "run: localcx auth login", error
                )
            if status == 403 and not error.rate_limited_403:
                raise GoogleAuthError(
                    f"{method} {path}: {error.describe()}", _forbidden_hint(error), error
                )
            if status not in RETRY_STATUSES and not error.rate_limited_403:
                raise GoogleApiError(error, method, path)
            if attempt == self.http.max_attempts:
                break
            delay = self._backoff(attempt, error)
            if status == 429 and "PerLocation" not in error.quota_limit:
                # A project-wide limit: every thread backs off, not just this one.
                self.quotas.back_off(service, delay)
            self.clock.sleep(delay)
        assert last_error is not None
        if last_error.http_status == 429:
            raise GoogleQuotaError(
                f"{method} {path}: still rate-limited after {self.http.max_attempts} attempts",
                "lower [limits] project_qpm in settings.toml or run again later",
                last_error,
            )
        raise GoogleApiError(
            last_error,
            method,
            path,
            hint=f"Google kept failing after {self.http.max_attempts} attempts; try again later",
        )

    def _log(
        self,
        service: str,
        method: str,
        path: str,
        status: int,
        ms: float,
        attempt: int,
        error: str = "",
    ) -> None:
        if self.on_call is not None:
            self.on_call(
                ApiCall(self.clock.now(), service, method, path, status, ms, attempt, error)
            )

    def close(self) -> None:
        self.client.close()
        self.quotas.close()
