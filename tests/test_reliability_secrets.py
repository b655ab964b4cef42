"""Planted secrets: a bearer token, OAuth tokens and a Places key that must never leave
their 0600 files, whatever command runs, succeeds or fails, with or without --debug.

Searched: every stdout and stderr, every file under LOCALCX_HOME except the secrets files
themselves (holding them is their job), and a dump of every workspace database. The
emulator's state files live outside LOCALCX_HOME (the `served` fixture puts them in the
test's tmp dir), as `sandbox serve` is another program; it never stores headers anyway.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import stat
from pathlib import Path

from localcx import config
from localcx.exitcodes import ExitCode
from localcx.google.auth import PLACES_KEY_FILE, TOKEN_FILE


def _plant(what: str) -> str:
    return f"{what}-PLANTED-{secrets.token_hex(8)}"


class Transcript:
    """Every output of every command, to search afterwards."""

    def __init__(self, cli):
        self.cli = cli
        self.outputs: list[tuple[tuple[str, ...], str]] = []

    def __call__(self, *args: str, expect: int | tuple[int, ...] = 0, env=None, input=None):
        expected = (expect,) if isinstance(expect, int) else expect
        runs = [args, ("--debug", *args)]
        for argv in runs:
            result = self.cli(*argv, env=env, input=input)
            self.outputs.append((argv, result.stdout + result.stderr))
            assert result.exit_code in expected, (argv, result.exit_code, result.stderr)
        return result


def _login(ws: config.Workspace, access: str, refresh: str, client_secret: str, *, expiry: str) -> None:
    ws.write_secret(
        TOKEN_FILE,
        json.dumps(
            {
                "token": access,
                "refresh_token": refresh,
                "token_uri": "https://oauth2.googleapis.com/token",
                "client_id": "1234-abc.apps.googleusercontent.com",
                "client_secret": client_secret,
                "scopes": ["https://www.googleapis.com/auth/business.manage"],
                "expiry": expiry,
            }
        ),
    )


def _files_to_search(home: Path) -> list[Path]:
    return [
        path
        for path in sorted(home.rglob("*"))
        if path.is_file() and "secrets" not in path.relative_to(home).parts
    ]


def _database_dumps(home: Path) -> list[str]:
    dumps = []
    for path in sorted(home.glob("workspaces/*/localcx.db")):
        with sqlite3.connect(path) as conn:
            dumps.append("\n".join(conn.iterdump()))
    return dumps


def test_planted_secrets_never_leave_their_files(cli, served, tmp_path):
    token, key = _plant("tok"), _plant("key")
    access, refresh, client_secret = _plant("ya29"), _plant("1//"), _plant("GOCSPX")
    revoked = _plant("revoked")  # the emulator's token endpoint refuses refresh tokens named so
    planted = [token, key, access, refresh, client_secret, revoked]
    url = served()
    env = {"LOCALCX_GOOGLE_ENDPOINT": url, "LOCALCX_GOOGLE_TOKEN": token + "\r\n"}
    run = Transcript(cli)

    # A bearer token from the environment, over real HTTP, through a whole working day.
    run("-w", "live", "init", "--google", env=env, expect=(0, 1))  # the second: "already exists"
    cli.settings("live", http={"backoff_base": 0.001, "backoff_cap": 0.01, "max_attempts": 2})
    run("-w", "live", "auth", "login", "--api-key", input=key + "\n", env=env)
    run("-w", "live", "auth", "status", "--json", env=env)
    run("-w", "live", "doctor", env=env, expect=(0, 1, ExitCode.AUTH))
    run("-w", "live", "locations", "sync", env=env)
    stores = cli.json("-w", "live", "locations", "list")
    code = stores[0]["store_code"]
    run("-w", "live", "locations", "list", env=env)
    run("-w", "live", "locations", "show", code, env=env)
    export = tmp_path / "export.csv"
    run("-w", "live", "locations", "export", str(export), env=env, expect=(0, 1))
    export.unlink(missing_ok=True)
    desired = tmp_path / "desired.csv"
    desired.write_text(f"store_code,website\n{code},https://example.com/planted\n", encoding="utf-8")
    run("-w", "live", "profiles", "plan", str(desired), env=env)
    run("-w", "live", "profiles", "apply", str(desired), "--yes", env=env)
    history = cli.json("-w", "live", "profiles", "history")
    run("-w", "live", "profiles", "history", env=env)
    run("-w", "live", "profiles", "history", history[0]["id"], env=env)
    run("-w", "live", "profiles", "undo", history[-1]["id"], "--yes", env=env, expect=(0, ExitCode.PARTIAL))
    run("-w", "live", "profiles", "drift", env=env, expect=(0, ExitCode.PARTIAL))
    # ... and the ways it goes wrong.
    broken = tmp_path / "broken.csv"
    broken.write_text(f"store_code,website\n{code},not a url\n,x\n", encoding="utf-8")
    run("-w", "live", "profiles", "plan", str(broken), env=env, expect=(ExitCode.USAGE, 1))
    run("-w", "live", "profiles", "plan", str(tmp_path / "missing.csv"), env=env, expect=(ExitCode.USAGE, 1))
    for faults in ("401:1.0", "403:1.0"):
        faulty = {**env, "LOCALCX_GOOGLE_ENDPOINT": served(faults=faults)}
        run("-w", "live", "locations", "sync", env=faulty, expect=ExitCode.AUTH)
        run("-w", "live", "profiles", "apply", str(desired), "--yes", env=faulty, expect=(0, ExitCode.AUTH))
    bad_token = {**env, "LOCALCX_GOOGLE_TOKEN": token + " tail"}
    run("-w", "live", "locations", "sync", env=bad_token, expect=ExitCode.USAGE)

    # A saved OAuth login: a live access token, an expired one refreshed, then one whose
    # refresh token was revoked.
    oauth_env = {"LOCALCX_GOOGLE_ENDPOINT": url, "LOCALCX_GOOGLE_TOKEN": None}
    run("-w", "oauth", "init", "--google", env=oauth_env, expect=(0, 1))
    ws = config.open_workspace("oauth")
    _login(ws, access, refresh, client_secret, expiry="2099-01-01T00:00:00Z")
    run("-w", "oauth", "auth", "status", env=oauth_env)
    run("-w", "oauth", "doctor", env=oauth_env, expect=(0, 1, ExitCode.AUTH))
    run("-w", "oauth", "locations", "sync", env=oauth_env)
    run("-w", "oauth", "profiles", "apply", str(desired), "--yes", env=oauth_env)
    _login(ws, access, refresh, client_secret, expiry="2020-01-01T00:00:00Z")
    run("-w", "oauth", "locations", "sync", env=oauth_env)
    _login(ws, access, revoked, client_secret, expiry="2020-01-01T00:00:00Z")
    run("-w", "oauth", "locations", "sync", env=oauth_env, expect=ExitCode.AUTH)
    run("-w", "oauth", "profiles", "drift", env=oauth_env, expect=ExitCode.AUTH)
    run("-w", "oauth", "auth", "status", env=oauth_env)
    run("-w", "oauth", "doctor", env=oauth_env, expect=(0, 1, ExitCode.AUTH))

    for secret_file in (
        config.open_workspace("live").secret_path(PLACES_KEY_FILE),
        ws.secret_path(TOKEN_FILE),
    ):
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(secret_file.parent.stat().st_mode) == 0o700

    # The needles are right: each secret is where it belongs.
    assert key in config.open_workspace("live").read_secret(PLACES_KEY_FILE)
    assert revoked in ws.read_secret(TOKEN_FILE) and client_secret in ws.read_secret(TOKEN_FILE)

    leaks = []
    for argv, output in run.outputs:
        leaks += [(" ".join(argv), p) for p in planted if p in output]
    for path in _files_to_search(cli.home):
        data = path.read_bytes()
        leaks += [(str(path.relative_to(cli.home)), p) for p in planted if p.encode() in data]
    for dump in _database_dumps(cli.home):
        leaks += [("database dump", p) for p in planted if p in dump]
    assert not leaks
    assert len(run.outputs) > 50
