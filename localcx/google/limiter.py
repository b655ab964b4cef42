"""Pacing that spends Google's quota without overdrawing it.

Each bucket is a GCRA-style schedule: a request may start no earlier than the previous
one plus 1/rate. Reservations are taken under a lock and slept outside it, so threads
sharing a bucket queue up fairly and the achieved rate sits at the configured rate.
A burst of one keeps every rolling 60-second window within `rate * 60 + 1`.

Per-location edit limits are small counts (10 a minute) where a retry soon after a failed
attempt is normal, so they use an exact sliding window instead: at most N sends in any
60 seconds, without forcing six seconds between two attempts at the same edit.

This is the in-process limiter; `ledger.SharedLimiter` keeps the same books in a file so
that every process on one Cloud project shares them. Both offer the same methods.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

from localcx.clock import Clock


@dataclass(frozen=True)
class Rate:
    per_minute: float

    @property
    def interval(self) -> float:
        return 60.0 / self.per_minute if self.per_minute > 0 else 0.0


class Limiter:
    def __init__(self, clock: Clock):
        self.clock = clock
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._windows: dict[str, deque[float]] = {}
        self._daily: dict[str, int] = {}

    def reserve(self, key: str, rate: Rate) -> float:
        """Book the next slot for `key`; returns how long the caller must wait for it."""
        with self._lock:
            now = self.clock.now()
            slot = max(now, self._next.get(key, now))
            self._next[key] = slot + rate.interval
            return slot - now

    def acquire(self, key: str, rate: Rate) -> float:
        wait = self.reserve(key, rate)
        self.clock.sleep(wait)
        return wait

    def push_back(self, key: str, seconds: float) -> None:
        """After a 429, move the bucket's next slot so every thread backs off together."""
        with self._lock:
            now = self.clock.now()
            self._next[key] = max(self._next.get(key, now), now + seconds)

    def acquire_window(self, key: str, limit: int, period: float = 60.0) -> float:
        """Wait until fewer than `limit` sends to `key` happened in the last `period` s."""
        waited = 0.0
        while True:
            with self._lock:
                now = self.clock.now()
                sent = self._windows.setdefault(key, deque())
                while sent and sent[0] <= now - period:
                    sent.popleft()
                if len(sent) < limit:
                    sent.append(now)
                    return waited
                wait = sent[0] + period - now
            self.clock.sleep(wait)
            waited += wait

    def take_daily(self, key: str, limit: int) -> bool:
        """Count one use of a daily allowance (key includes the day); False when used up."""
        with self._lock:
            used = self._daily.get(key, 0)
            if used >= limit:
                return False
            self._daily[key] = used + 1
            return True

    def daily(self, key: str) -> int:
        with self._lock:
            return self._daily.get(key, 0)
