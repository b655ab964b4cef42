"""Google's quotas, enforced on the injected clock so tests never wait real minutes.

- Requests per minute per API service (300 on every GBP API, `Limits.project_qpm`): a rolling
  60-second window per service kept in memory.
- Edits per minute per location (10, cannot be increased): counted from the state's PATCH log,
  so the rule holds across restarts of the host and across processes sharing the state file.
- Update Location requests per day (10,000 per project): PATCHes since midnight Pacific time.
- Places (New): its own per-minute limit per method (`Limits.places_qpm`, GOOGLE-API.md §5).
- An unapproved project has 0 QPM on every GBP API (GOOGLE-API.md §2.3); Places is not GBP.

Every excess answers 429 RESOURCE_EXHAUSTED with google.rpc.ErrorInfo (RATE_LIMIT_EXCEEDED,
`quota_limit_value`), google.rpc.RetryInfo and a `Retry-After` header, as Google does.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from localcx.sandbox.wire import TYPE_PREFIX, ApiError

PROJECT_NUMBER = "123456789012"
_PACIFIC = ZoneInfo("America/Los_Angeles")


@dataclass(frozen=True)
class Limits:
    """Quota figures; Google's defaults. Tests shrink them to hit limits quickly."""

    project_qpm: int = 300  # per API service (host), per minute
    edits_per_minute: int = 10  # per location; Google does not raise it
    places_qpm: int = 600  # Places API (New), per minute
    daily_updates: int = 10_000  # Update Location per project per Pacific day
    unapproved: bool = False  # every GBP call answers the 0-quota 429


def quota_error(service: str, *, metric: str, limit_name: str, quota_limit: str, unit: str,
                value: int, retry_after: float | None, increasable: bool = True) -> ApiError:
    """A 429 exactly shaped like Google's quota errors."""
    host = f"{service}.googleapis.com"
    details: list[dict[str, Any]] = [{
        "@type": TYPE_PREFIX + "google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED",
        "domain": "googleapis.com",
        "metadata": {"service": host, "consumer": f"projects/{PROJECT_NUMBER}",
                     "quota_metric": f"{host}/{metric}", "quota_limit": quota_limit,
                     "quota_unit": unit, "quota_location": "global",
                     "quota_limit_value": str(value)}}]
    if increasable and value:
        details.append({"@type": TYPE_PREFIX + "google.rpc.Help", "links": [{
            "description": "Request a higher quota limit.",
            "url": "https://cloud.google.com/docs/quotas/help/request_increase"}]})
    headers: dict[str, str] = {}
    if retry_after is not None:
        seconds = max(1, math.ceil(retry_after))
        details.append({"@type": TYPE_PREFIX + "google.rpc.RetryInfo", "retryDelay": f"{seconds}s"})
        headers["Retry-After"] = str(seconds)
    message = (f"Quota exceeded for quota metric '{limit_name.split(' per ')[0]}' and limit "
               f"'{limit_name}' of service '{host}' for consumer 'project_number:{PROJECT_NUMBER}'.")
    return ApiError(429, message, details, headers)


def qpm_error(service: str, value: int, retry_after: float | None) -> ApiError:
    return quota_error(service, metric="default_requests", limit_name="Requests per minute",
                       quota_limit="DefaultRequestsPerMinutePerProject", unit="1/min/{project}",
                       value=value, retry_after=retry_after)


def places_qpm_error(method: str, value: int, retry_after: float | None) -> ApiError:
    """The 429 of a Places method's per-minute limit, e.g. SearchTextRequest per minute
    (Google's metric naming for Places; the exact names are unconfirmed)."""
    name = method.rsplit(".", 1)[-1]
    metric = name[:1].upper() + name[1:] + "Request"  # searchText → SearchTextRequest
    return quota_error("places", metric=metric, limit_name=f"{metric} per minute",
                       quota_limit=f"{metric}PerMinutePerProject", unit="1/min/{project}",
                       value=value, retry_after=retry_after)


class RollingWindow:
    """At most `limit` events in any `seconds`-long window."""

    def __init__(self, limit: int, seconds: float = 60.0):
        self.limit = limit
        self.seconds = seconds
        self._times: deque[float] = deque()

    def acquire(self, now: float) -> float | None:
        """Record an event and return None, or return the seconds until one would fit."""
        while self._times and self._times[0] <= now - self.seconds:
            self._times.popleft()
        if len(self._times) >= self.limit:
            return self._times[0] + self.seconds - now
        self._times.append(now)
        return None


def next_pacific_midnight(now: float) -> tuple[float, float]:
    """(start of the current Pacific day, start of the next one) in epoch seconds."""
    local = datetime.fromtimestamp(now, _PACIFIC)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    nxt = (start + timedelta(days=1, hours=2)).replace(hour=0)  # DST-safe
    return start.timestamp(), nxt.timestamp()


class Quotas:
    """The request-rate half of the quotas (the edit quotas read the state's PATCH log)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self._windows: dict[str, RollingWindow] = {}
        self._lock = threading.Lock()

    def check_request(self, service: str, now: float, method: str = "") -> None:
        """Count one request against its service (Places: against its method, as Google
        meters Places per method); raise the 429 Google would send."""
        places = service == "places"
        if self.limits.unapproved and not places:
            raise quota_error(service, metric="default_requests", limit_name="Requests per minute",
                              quota_limit="DefaultRequestsPerMinutePerProject",
                              unit="1/min/{project}", value=0, retry_after=None)
        limit = self.limits.places_qpm if places else self.limits.project_qpm
        key = f"{service}/{method}" if places else service
        with self._lock:
            window = self._windows.setdefault(key, RollingWindow(limit))
            wait = window.acquire(now)
        if wait is None:
            return
        if places:
            raise places_qpm_error(method, limit, wait)
        raise qpm_error(service, limit, wait)

    def check_edit(self, service: str, location: str, edit_times: list[float],
                   day_count: int, now: float) -> None:
        """Raise 429 if one more PATCH of `location` would break the per-location or daily cap.
        `edit_times`: the location's PATCH times in the last 60 s; `day_count`: today's PATCHes."""
        per_min = self.limits.edits_per_minute
        if len(edit_times) >= per_min:
            wait = edit_times[-per_min] + 60.0 - now
            raise quota_error(service, metric="location_edits",
                              limit_name="Edits per minute per location",
                              quota_limit="EditsPerMinutePerLocation",
                              unit="1/min/{project}/{location}", value=per_min,
                              retry_after=wait, increasable=False)
        if day_count >= self.limits.daily_updates:
            _, tomorrow = next_pacific_midnight(now)
            raise quota_error(service, metric="update_location_requests",
                              limit_name="Update Location requests per day",
                              quota_limit="UpdateLocationRequestsPerDayPerProject",
                              unit="1/d/{project}", value=self.limits.daily_updates,
                              retry_after=tomorrow - now)
