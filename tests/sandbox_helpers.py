"""The emulator in-process for its own tests: a hand-moved clock and an httpx client on the
WSGI app, shared by the sandbox test modules."""

from __future__ import annotations

from typing import Any

import httpx

from localcx.sandbox import SandboxState, make_app

AUTH = {"Authorization": "Bearer test-token"}
T0 = 1_790_000_000.0  # 2026-09-21, inside the seeded three years of reviews


class FakeClock:
    """The sandbox's `clock=` callable, moved by hand (`clock.t += 300`)."""

    def __init__(self, t: float = T0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def client_for(state: SandboxState, clock: FakeClock, **kwargs: Any) -> httpx.Client:
    app = make_app(state, clock=clock, **kwargs)
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://sandbox", headers=AUTH)
