"""OAuth tokens: refreshed against a token endpoint on loopback, saved 0600, errors with hints."""

from __future__ import annotations

import json
import socket
import stat
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest

from localcx import config, db
from localcx.errors import AuthError
from localcx.exitcodes import ExitCode
from localcx.google.auth import TOKEN_FILE, OAuthTokens
from localcx.session import Session


class TokenEndpoint(BaseHTTPRequestHandler):
    """Google's token endpoint, as far as a refresh goes."""

    def do_POST(self) -> None:
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        if form.get("refresh_token") == ["1//good"]:
            status, body = 200, {"access_token": "ya29.fresh", "expires_in": 3599, "token_type": "Bearer"}
        else:
            status, body = 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def token_uri(monkeypatch):
    """A token endpoint on loopback, reached through the one-endpoint override."""
    server = HTTPServer(("127.0.0.1", 0), TokenEndpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("LOCALCX_GOOGLE_ENDPOINT", f"http://127.0.0.1:{server.server_port}")
    yield f"http://127.0.0.1:{server.server_port}/token"
    server.shutdown()
    server.server_close()


def _workspace(cli, save_expired_login, token_uri: str, refresh_token: str) -> config.Workspace:
    assert cli("init", "--google").exit_code == 0
    return save_expired_login("default", refresh_token, token_uri)


def _tokens(ws: config.Workspace) -> OAuthTokens:
    """The workspace's tokens as a session wires them: refreshed through its transport."""
    session = Session(ws)
    tokens = session.google.transport.tokens
    assert isinstance(tokens, OAuthTokens)
    return tokens


def test_expired_token_is_refreshed_and_saved_0600(cli, save_expired_login, token_uri):
    ws = _workspace(cli, save_expired_login, token_uri, "1//good")
    assert _tokens(ws).token() == "ya29.fresh"
    saved = json.loads(ws.read_secret(TOKEN_FILE) or "{}")
    assert saved["token"] == "ya29.fresh" and saved["refresh_token"] == "1//good"
    assert stat.S_IMODE(ws.secret_path(TOKEN_FILE).stat().st_mode) == 0o600


def test_revoked_refresh_token_asks_to_log_in_again(cli, save_expired_login, token_uri):
    ws = _workspace(cli, save_expired_login, token_uri, "1//revoked")
    with pytest.raises(AuthError) as caught:
        _tokens(ws).token()
    assert caught.value.exit_code == ExitCode.AUTH
    assert "auth login" in (caught.value.hint or "") and "7 days" in (caught.value.hint or "")
    result = cli("locations", "sync")
    assert result.exit_code == ExitCode.AUTH
    assert "GOCSPX" not in result.stderr and "1//revoked" not in result.stderr


def test_login_with_a_file_that_is_not_a_desktop_client(cli, tmp_path):
    assert cli("init", "--google").exit_code == 0
    bad = tmp_path / "client.json"
    bad.write_text(json.dumps({"type": "service_account", "project_id": "p"}), encoding="utf-8")
    result = cli("auth", "login", "--client-secret", str(bad))
    assert result.exit_code == ExitCode.USAGE
    assert "not an OAuth client file" in result.stderr and "Desktop app" in result.stderr


GOOD_LOGIN = {
    "token": "ya29.SECRET",
    "refresh_token": "1//SECRET",
    "token_uri": "https://oauth2.googleapis.com/token",
    "client_id": "1234-abc.apps.googleusercontent.com",
    "client_secret": "GOCSPX-SECRET",
    "expiry": "2020-01-01T00:00:00Z",
}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"[]", "does not hold a saved login"),
        (b"null", "does not hold a saved login"),
        (b'"text"', "does not hold a saved login"),
        (b"", "is empty"),
        (b'{"token": "ya29.SECRET", "refresh_tok', "is not valid JSON"),
        (b"\xff\xfe{}", "is not UTF-8 text"),
        (json.dumps({**GOOD_LOGIN, "expiry": 5}).encode(), "has an expiry that is not a date"),
        (json.dumps({**GOOD_LOGIN, "expiry": "not-a-date"}).encode(), "has an expiry that is not a date"),
        (json.dumps({"token": "ya29.SECRET", "expiry": 5}).encode(), "lacks refresh_token, client_id, client_secret"),
        (json.dumps({k: v for k, v in GOOD_LOGIN.items() if k != "client_id"}).encode(), "lacks client_id"),
    ],
)
def test_broken_token_file_names_the_file_and_the_fix(cli, content, problem):
    assert cli("-w", "live", "init", "--google").exit_code == 0
    ws = config.open_workspace("live")
    ws.write_secret(TOKEN_FILE, "")
    ws.secret_path(TOKEN_FILE).write_bytes(content)
    result = cli("-w", "live", "locations", "sync")
    assert result.exit_code == ExitCode.AUTH, result.stderr
    path = ws.secret_path(TOKEN_FILE)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"localcx: error: {path} {problem}")
    assert "log in again with: localcx -w live auth login --client-secret" in lines[0]
    assert "SECRET" not in result.stdout + result.stderr
    assert "unexpected" not in result.stderr

    status = cli("-w", "live", "auth", "status", "--json")
    assert status.exit_code == 0, status.stderr
    info = json.loads(status.stdout)
    assert info["logged_in"] is True and problem in info["token_problem"]
    assert "SECRET" not in status.stdout + status.stderr

    doctor = cli("-w", "live", "doctor", "--json")
    assert doctor.exit_code == ExitCode.AUTH
    check = next(c for c in json.loads(doctor.stdout) if c["check"] == "token file")
    assert not check["ok"] and problem in check["detail"]


def test_not_logged_in_hint_names_the_workspace(cli):
    assert cli("-w", "live", "init", "--google").exit_code == 0
    result = cli("-w", "live", "locations", "sync")
    assert result.exit_code == ExitCode.AUTH
    assert "run: localcx -w live auth login --client-secret client_secret.json" in result.stderr
    doctor = cli("-w", "live", "doctor", "--json")
    check = next(c for c in json.loads(doctor.stdout) if c["check"] == "login")
    assert "localcx -w live auth login" in check["detail"]


def test_revoked_login_hint_names_the_workspace(cli, save_expired_login, token_uri):
    assert cli("-w", "live", "init", "--google").exit_code == 0
    save_expired_login("live", "1//revoked", token_uri)
    result = cli("-w", "live", "locations", "sync")
    assert result.exit_code == ExitCode.AUTH
    assert "log in again with: localcx -w live auth login" in result.stderr


def test_unreachable_token_endpoint_names_the_host(cli, save_expired_login, monkeypatch):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("LOCALCX_GOOGLE_ENDPOINT", f"http://127.0.0.1:{port}")
    assert cli("init", "--google").exit_code == 0
    save_expired_login("default", "1//good")
    result = cli("locations", "sync")
    assert result.exit_code == ExitCode.ERROR
    assert result.stderr.startswith(
        f"localcx: error: cannot reach the token endpoint 127.0.0.1:{port} to refresh the login"
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert "GOCSPX" not in result.stderr and "unexpected" not in result.stderr


def test_a_token_refresh_is_paced_and_logged_like_any_request(cli, save_expired_login, token_uri):
    ws = _workspace(cli, save_expired_login, token_uri, "1//good")
    tokens = _tokens(ws)
    assert tokens.token() == "ya29.fresh"
    database = db.open_db(ws.db_path)
    try:
        calls = list(database.query("select service, method, path, status from api_calls"))
        dump = "\n".join(database.conn.iterdump())
    finally:
        database.close()
    assert calls == [{"service": "oauth2", "method": "POST", "path": "/token", "status": 200}]
    assert "ya29.fresh" not in dump and "1//good" not in dump and "GOCSPX" not in dump


def test_auth_login_runs_end_to_end_against_sandbox_serve(cli, served, tmp_path, monkeypatch):
    """The consent page answers at once, the code is exchanged through the transport, and
    the saved login then refreshes and syncs: the real-Google auth path, offline."""
    url = served()
    monkeypatch.setenv("LOCALCX_GOOGLE_ENDPOINT", url)
    # The "browser" follows the consent URL, as a person clicking Allow would.
    browser = tmp_path / "browser.py"
    browser.write_text("import sys, httpx\nhttpx.get(sys.argv[1], follow_redirects=True)\n")
    monkeypatch.setenv("BROWSER", f"{sys.executable} {browser} %s")
    client = tmp_path / "client_secret.json"
    client.write_text(json.dumps({"installed": {
        "client_id": "1234-sandbox.apps.googleusercontent.com", "client_secret": "GOCSPX-sandbox",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token", "redirect_uris": ["http://localhost"]}}))
    assert cli("-w", "live", "init", "--google").exit_code == 0
    result = cli("-w", "live", "auth", "login", "--client-secret", str(client))
    assert result.exit_code == 0, result.stderr
    assert f"{url}/o/oauth2/auth?" in result.stderr and "accounts.google.com" not in result.stderr
    ws = config.open_workspace("live")
    saved = json.loads(ws.read_secret(TOKEN_FILE) or "{}")
    assert saved["refresh_token"].startswith("1//sandbox-") and saved["token_uri"] == f"{url}/token"
    assert stat.S_IMODE(ws.secret_path(TOKEN_FILE).stat().st_mode) == 0o600
    status = cli.json("-w", "live", "auth", "status")
    assert status["logged_in"] and status["has_refresh_token"]
    assert cli("-w", "live", "locations", "sync").exit_code == 0
