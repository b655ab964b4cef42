"""Fixtures: a private LOCALCX_HOME per test, a CLI runner, and sandbox workspaces."""

from __future__ import annotations

import json
import os
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import settings as hypothesis_settings
from typer.testing import CliRunner, Result

from localcx import config
from localcx.commands._common import Environment
from localcx.commands.main import app

# CI runs the same examples every time, so a red build is reproducible; local runs explore.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@dataclass
class Cli:
    home: Path
    runner: CliRunner

    clock: Any = None  # a FakeClock to run every invocation on virtual time

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        obj = Environment(clock=self.clock) if self.clock is not None else None
        return self.runner.invoke(app, list(args), input=input, env=env, obj=obj, catch_exceptions=False)

    def json(self, *args: str) -> Any:
        result = self(*args, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    def settings(self, workspace: str = "default", **sections: dict[str, Any]) -> None:
        """Merge values into a workspace's settings.toml, as a user would edit it."""
        path = self.home / "workspaces" / workspace / "settings.toml"
        data = tomllib.loads(path.read_text())
        for section, values in sections.items():
            data.setdefault(section, {}).update(values)
        path.write_text(tomli_w.dumps(data))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "home"
    monkeypatch.setenv("LOCALCX_HOME", str(root))
    for name in ("LOCALCX_WORKSPACE", "LOCALCX_GOOGLE_ENDPOINT", "LOCALCX_GOOGLE_TOKEN", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return root


@pytest.fixture
def cli(home: Path) -> Cli:
    return Cli(home, CliRunner())


@pytest.fixture
def synced(cli: Cli) -> Cli:
    """A default 30-store sandbox workspace, synced, with fast retries and quotas scaled
    up 100x on both sides, so pacing is exercised without waiting real minutes."""
    assert cli("init", "--sandbox").exit_code == 0
    cli.settings(
        http={"backoff_base": 0.001, "backoff_cap": 0.01},
        limits={"project_qpm": 30000},
        sandbox={"project_qpm": 30000},
    )
    result = cli("locations", "sync")
    assert result.exit_code == 0, result.stderr
    return cli


def _save_expired_login(
    name: str, refresh_token: str, token_uri: str = "https://oauth2.googleapis.com/token"
) -> config.Workspace:
    """A workspace logged in as `auth login` leaves it, with the access token already expired."""
    ws = config.open_workspace(name)
    login = {
        "token": "ya29.expired",
        "refresh_token": refresh_token,
        "token_uri": token_uri,
        "client_id": "1234-abc.apps.googleusercontent.com",
        "client_secret": "GOCSPX-test",
        "scopes": ["https://www.googleapis.com/auth/business.manage"],
        "expiry": "2020-01-01T00:00:00Z",
    }
    ws.write_secret("token.json", json.dumps(login))
    return ws


@pytest.fixture
def save_expired_login(home: Path) -> Any:
    return _save_expired_login


def workspace(name: str = "default") -> config.Workspace:
    return config.open_workspace(name)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Any]:
    """Start `sandbox serve`'s server on a free loopback port; yields a factory."""
    from localcx.backend import start_server

    servers = []

    def start(**kwargs: Any) -> str:
        served = start_server(tmp_path / f"served-{len(servers)}.db", port=0, seed=7, stores=30, **kwargs)
        threading.Thread(target=served.server.serve_forever, daemon=True).start()
        servers.append(served.server)
        return served.url

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
