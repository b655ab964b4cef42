"""Time as an injectable object, so quota waits can be tested without real minutes."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class Clock:
    """Wall clock: `now()` in epoch seconds, `sleep()` really sleeps."""

    virtual = False

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    def utcnow(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)


class FakeClock(Clock):
    """Virtual time: sleeping advances the clock instantly. Used by tests and benchmarks."""

    virtual = True

    def __init__(self, start: float = 1_790_000_000.0):
        self._now = start
        self._lock = threading.Lock()
        self.slept = 0.0

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            with self._lock:
                self._now += seconds
                self.slept += seconds

    def advance(self, seconds: float) -> None:
        self.sleep(seconds)


def iso(ts: float | None = None) -> str:
    """UTC ISO-8601 with a Z, the one timestamp format stored in the database."""
    moment = datetime.fromtimestamp(time.time() if ts is None else ts, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
