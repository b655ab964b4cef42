"""Wires a workspace to Google: the in-process sandbox, real hosts, or one endpoint.

This is the only client-side module that knows the sandbox exists; it hands the
sandbox's WSGI app to httpx, and everything above it runs the same code either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import sqlite_utils

from localcx.calllog import CallLog
from localcx.clock import Clock
from localcx.config import Workspace, endpoint_override, env_secret, home, open_workspace
from localcx.errors import LocalcxError, UsageError, WorkspaceError
from localcx.google.auth import OAuthTokens, load_token_info, read_api_key
from localcx.google.business import BusinessApi
from localcx.google.clients import Google
from localcx.google.performance import PerformanceApi
from localcx.google.places import PlacesApi
from localcx.google.posts import PostsApi
from localcx.google.quotas import Quotas, ledger_path
from localcx.google.reviews import ReviewsApi
from localcx.google.transport import StaticToken, TokenSource, Transport

if TYPE_CHECKING:  # the sandbox is imported only when a workspace uses it
    from localcx.sandbox.server import SandboxServer
    from localcx.sandbox.state import SandboxState

TOKEN_ENV = "LOCALCX_GOOGLE_TOKEN"
SANDBOX_BASE = "http://sandbox.localcx.test/"
SANDBOX_TOKEN = "sandbox-token"
SANDBOX_API_KEY = "sandbox-api-key"


def google_base_url(service: str) -> str:
    override = endpoint_override()
    if override:
        return override + "/"
    return f"https://{service}.googleapis.com/"


def cloud_project(workspace: Workspace) -> str:
    """What identifies the Cloud project whose quota a workspace spends: the emulator's
    own state, the one endpoint every request goes to, or the OAuth client logged in with.
    Workspaces that name the same project share one quota ledger."""
    if workspace.settings.backend == "sandbox":
        return f"sandbox:{workspace.sandbox_path}"
    override = endpoint_override()
    if override:
        return f"endpoint:{override}"
    try:
        client_id = (load_token_info(workspace) or {}).get("client_id")
    except LocalcxError:  # a broken login is reported where the token is used
        client_id = None
    return f"oauth-client:{client_id}" if client_id else f"workspace:{workspace.path}"


def connect(
    workspace: Workspace,
    db: sqlite_utils.Database,
    *,
    clock: Clock | None = None,
    faults: str | None = None,
) -> Google:
    clock = clock or Clock()
    settings = workspace.settings
    closers: list[Callable[[], None]] = []
    tokens: TokenSource
    if settings.backend == "sandbox":
        from localcx.sandbox.app import Limits, make_app

        state = open_sandbox_state(
            workspace.sandbox_path, seed=settings.sandbox.seed, stores=settings.sandbox.stores
        )
        closers.append(state.close)
        app = make_app(
            state,
            faults=settings.sandbox.faults if faults is None else faults,
            clock=clock.now,
            limits=Limits(
                project_qpm=settings.sandbox.project_qpm,
                edits_per_minute=settings.sandbox.edits_per_minute,
                daily_updates=settings.sandbox.daily_updates,
                places_qpm=settings.sandbox.places_qpm,
            ),
        )
        client = httpx.Client(
            transport=httpx.WSGITransport(app=app),
            base_url=SANDBOX_BASE,
            timeout=settings.http.timeout,
        )
        tokens = StaticToken(SANDBOX_TOKEN)

        def base_url(service: str) -> str:
            return SANDBOX_BASE
    else:
        client = httpx.Client(timeout=settings.http.timeout)
        static = env_secret(TOKEN_ENV)
        tokens = StaticToken(static) if static else OAuthTokens(workspace)
        base_url = google_base_url
    # The emulator takes any key; a sandbox workspace needs no `auth login --api-key`.
    api_key = read_api_key(workspace) or (SANDBOX_API_KEY if settings.backend == "sandbox" else None)
    quotas = Quotas(
        settings.limits,
        clock,
        project=cloud_project(workspace),
        places_project=f"places-key:{api_key}" if api_key else None,
        # Virtual time cannot be shared with other processes' real time: a test's or the
        # demo's clock keeps its books to itself.
        shared=ledger_path(home()) if settings.limits.shared_quota and not clock.virtual else None,
    )
    transport = Transport(
        tokens=tokens,
        quotas=quotas,
        http=settings.http,
        clock=clock,
        client=client,
        on_call=CallLog(db),
        api_key=api_key,
    )
    if isinstance(tokens, OAuthTokens):
        tokens.bind(transport)  # token refreshes are requests like any other
    return Google(
        transport,
        BusinessApi(transport, base_url),
        PostsApi(transport, base_url),
        PlacesApi(transport, base_url),
        ReviewsApi(transport, base_url),
        PerformanceApi(transport, base_url),
        settings.backend,
        closers,
    )


def default_state_path(workspace_name: str) -> Path:
    """A sandbox workspace's own state, else one shared file for `sandbox serve`."""
    try:
        workspace = open_workspace(workspace_name)
    except WorkspaceError:
        return home() / "sandbox.db"
    return (
        workspace.sandbox_path if workspace.settings.backend == "sandbox" else home() / "sandbox.db"
    )


def start_server(
    path: Path,
    *,
    port: int,
    seed: int,
    stores: int,
    faults: str = "",
    fault_seed: int = 0,
    unapproved: bool = False,
    project_qpm: int = 300,
) -> Served:
    """A threaded HTTP server on 127.0.0.1 serving the sandbox stored at `path`."""
    from localcx.sandbox.app import Limits, make_app
    from localcx.sandbox.server import make_server

    path.parent.mkdir(parents=True, exist_ok=True)
    state = open_sandbox_state(path, seed=seed, stores=stores)
    try:
        app = make_app(
            state,
            faults=faults,
            fault_seed=fault_seed,
            limits=Limits(unapproved=unapproved, project_qpm=project_qpm),
        )
    except ValueError as exc:
        state.close()
        raise UsageError(f"bad --faults: {exc}") from exc
    try:
        server = make_server(app, host="127.0.0.1", port=port)
    except OSError as exc:
        state.close()
        raise LocalcxError(
            f"cannot listen on 127.0.0.1:{port}: {exc.strerror}",
            hint="pick another --port, or --port 0 for any free one",
        ) from exc
    return Served(server, len(state.locations()))


@dataclass
class Served:
    """A bound (not yet serving) sandbox server and the size of the city it serves."""

    server: SandboxServer
    stores: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"


def reset_state(path: Path) -> bool:
    removed = False
    for suffix in ("", "-wal", "-shm"):
        candidate = path.with_name(path.name + suffix)
        if candidate.exists():
            candidate.unlink()
            removed = True
    return removed


def open_sandbox_state(path: Path, *, seed: int, stores: int) -> SandboxState:
    from localcx.sandbox.state import SandboxState, StateFileError

    try:
        return SandboxState.open(path, seed=seed, stores=stores)
    except StateFileError as exc:
        raise WorkspaceError(
            str(exc), hint="move the file away (the emulator makes a new one), or run: localcx sandbox reset"
        ) from None
