"""OAuth tokens: refreshed against a token endpoint on loopback, saved 0600, errors with hints."""

from __future__ import annotations

import json
import stat
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest

from localcx import config
from localcx.errors import AuthError
from localcx.exitcodes import ExitCode
from localcx.google.auth import TOKEN_FILE, OAuthTokens


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


def test_expired_token_is_refreshed_and_saved_0600(cli, save_expired_login, token_uri):
    ws = _workspace(cli, save_expired_login, token_uri, "1//good")
    assert OAuthTokens(ws).token() == "ya29.fresh"
    saved = json.loads(ws.read_secret(TOKEN_FILE) or "{}")
    assert saved["token"] == "ya29.fresh" and saved["refresh_token"] == "1//good"
    assert stat.S_IMODE(ws.secret_path(TOKEN_FILE).stat().st_mode) == 0o600


def test_revoked_refresh_token_asks_to_log_in_again(cli, save_expired_login, token_uri):
    ws = _workspace(cli, save_expired_login, token_uri, "1//revoked")
    with pytest.raises(AuthError) as caught:
        OAuthTokens(ws).token()
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
