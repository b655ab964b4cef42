"""The sandbox: an offline emulator of Google's Business Profile APIs over a seeded world.

It shares no code with the client side of localcx. Entry points:
`SandboxState.open(path)`, `make_app(state, ...)` (a WSGI app) and `server.start_server(app)`.
Tests read what the emulator holds through the state: `locations()`, `patch_log()`, and for v4
local posts `posts(location=None)` and `post_counts()`.
"""

from localcx.sandbox.app import SandboxApp, make_app
from localcx.sandbox.quota import Limits
from localcx.sandbox.state import SandboxState

__all__ = ["Limits", "SandboxApp", "SandboxState", "make_app"]
