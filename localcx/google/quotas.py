"""Which of Google's quotas each request draws from, and keeping within all of them.

Google's limits, per Cloud project: 300 requests a minute per API (each API host has its
own), 10 edits a minute per location (a PATCH of the location; `validateOnly` does not
edit), and 10,000 location updates a day. Places has its own per-minute limit on its own
key. `draw_for` classifies a request; `Quotas.acquire` waits for every bucket it draws
from and refuses a request the daily cap cannot cover.

The books are kept in the shared ledger (a file under LOCALCX_HOME keyed by the Cloud
project) so every process and workspace on one project stays under the limits together;
`[limits] shared_quota = false` keeps them in the process instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from localcx.clock import Clock
from localcx.config import LimitSettings
from localcx.google.errors import GoogleQuotaError
from localcx.google.ledger import SharedLimiter
from localcx.google.limiter import Limiter, Rate

PLACES = "places"
DAILY_UPDATES = "location-updates"
# Google's daily quotas reset at midnight Pacific time.
QUOTA_DAY_ZONE = ZoneInfo("America/Los_Angeles")
_LOCATION_EDIT = re.compile(r"/v1/locations/(\d+)$")


class Books(Protocol):
    def acquire(self, key: str, rate: Rate) -> float: ...
    def push_back(self, key: str, seconds: float) -> None: ...
    def acquire_window(self, key: str, limit: int, period: float = 60.0) -> float: ...
    def take_daily(self, key: str, limit: int) -> bool: ...
    def daily(self, key: str) -> int: ...


@dataclass(frozen=True)
class Draw:
    """The buckets one request draws from."""

    api: str  # the per-minute bucket: one per API host
    location: str | None = None  # a location edited (10 a minute each)
    daily: str | None = None  # a daily allowance it uses


def draw_for(service: str, method: str, url: str) -> Draw:
    """Classify a request by Google's quota rules."""
    parts = urlsplit(url)
    match = _LOCATION_EDIT.search(parts.path)
    if method.upper() == "PATCH" and match:
        validate_only = parse_qs(parts.query).get("validateOnly", ["false"])[0] == "true"
        if not validate_only:
            return Draw(service, location=match.group(1), daily=DAILY_UPDATES)
    return Draw(service)


def project_key(description: str) -> str:
    """A ledger key for a Cloud project: a hash, so no id or secret is stored as it is."""
    return hashlib.sha256(description.encode("utf-8")).hexdigest()[:20]


def ledger_path(home: Path) -> Path:
    return home / "quota-ledger.db"


class Quotas:
    def __init__(
        self,
        limits: LimitSettings,
        clock: Clock,
        *,
        project: str,
        places_project: str | None = None,
        shared: Path | None = None,
    ):
        """`project` and `places_project` describe the Cloud project(s) (OAuth client,
        endpoint, API key); `shared` is the ledger file, or None for in-process books."""
        self.limits = limits
        self.clock = clock
        self.project = project_key(project)
        self.places_project = project_key(places_project or project)
        self.books: Books = SharedLimiter(shared, clock) if shared else Limiter(clock)

    def _key(self, api: str, name: str) -> str:
        project = self.places_project if api == PLACES else self.project
        return f"{project}:{api}:{name}"  # Google's per-minute limits are per API

    def _rate(self, api: str) -> Rate:
        qpm = self.limits.places_qpm if api == PLACES else self.limits.project_qpm
        return Rate(qpm * self.limits.headroom)

    def quota_day(self) -> str:
        return datetime.fromtimestamp(self.clock.now(), QUOTA_DAY_ZONE).date().isoformat()

    def acquire(self, draw: Draw) -> None:
        """Wait for every bucket the request draws from; refuse it past a daily cap."""
        if draw.daily and not self.books.take_daily(
            self._key(draw.api, f"{draw.daily}:{self.quota_day()}"), self.limits.daily_updates
        ):
            raise GoogleQuotaError(
                f"today's {self.limits.daily_updates:,} location updates for this Cloud project "
                "are used up",
                "the daily quota resets at midnight Pacific time; resume after it",
            )
        self.books.acquire(self._key(draw.api, "requests"), self._rate(draw.api))
        if draw.location:
            self.books.acquire_window(
                self._key(draw.api, f"edits:{draw.location}"), self.limits.edits_per_minute
            )

    def back_off(self, api: str, seconds: float) -> None:
        """After a project-wide 429: every thread and process on the project waits."""
        self.books.push_back(self._key(api, "requests"), seconds)

    def close(self) -> None:
        close = getattr(self.books, "close", None)
        if close is not None:
            close()

    def updates_today(self, api: str = "mybusinessbusinessinformation") -> int:
        return self.books.daily(self._key(api, f"{DAILY_UPDATES}:{self.quota_day()}"))
