"""Credentials: OAuth for Business Profile, an API key for Places, static tokens for emulators.

The token file is written 0600 and read back on every run; refreshes are saved so a
cron job never needs a browser. Nothing here prints or logs a token.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from localcx.config import ENDPOINT_ENV, Workspace
from localcx.errors import AuthError, UsageError
from localcx.google.transport import TokenSource

SCOPES = ["https://www.googleapis.com/auth/business.manage"]
TOKEN_FILE = "token.json"
PLACES_KEY_FILE = "places_api_key"
LOGIN_HINT = "run: localcx auth login --client-secret client_secret.json"
EXPIRED_HINT = (
    "log in again with: localcx auth login --client-secret client_secret.json "
    "(an OAuth app in 'Testing' mode loses refresh tokens after 7 days; publish it to avoid this)"
)


class OAuthTokens(TokenSource):
    """User credentials from the workspace's token file, refreshed and saved as needed."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._creds: Any = None

    def _load(self) -> Any:
        if self._creds is None:
            from google.oauth2.credentials import Credentials

            raw = self.workspace.read_secret(TOKEN_FILE)
            if raw is None:
                raise AuthError(f"workspace {self.workspace.name!r} is not logged in", LOGIN_HINT)
            try:
                creds = Credentials.from_authorized_user_info(json.loads(raw), SCOPES)
            except (ValueError, KeyError) as exc:
                raise AuthError(f"the saved token is unreadable: {exc}", LOGIN_HINT) from exc
            override = os.environ.get(ENDPOINT_ENV)
            if override:
                # The token endpoint is a Google host too: it follows the endpoint override.
                expiry = creds.expiry
                creds = creds.with_token_uri(override.rstrip("/") + "/token")
                creds.expiry = expiry  # the copy drops it, which would hide an expired token
            self._creds = creds
        return self._creds

    def token(self) -> str | None:
        creds = self._load()
        if not creds.valid:
            self.refresh()
        return str(creds.token) if creds.token else None

    def refresh(self) -> bool:
        from google.auth.exceptions import RefreshError
        from google.auth.transport.requests import Request

        creds = self._load()
        if not creds.refresh_token:
            raise AuthError("the saved login has no refresh token", EXPIRED_HINT)
        try:
            creds.refresh(Request())
        except RefreshError as exc:
            raise AuthError(
                f"Google refused to refresh the login: {exc.args[0]}", EXPIRED_HINT
            ) from exc
        self.workspace.write_secret(TOKEN_FILE, creds.to_json())
        return True


def login(
    workspace: Workspace, client_secret: Path, *, open_browser: bool = True
) -> dict[str, Any]:
    """Run Google's installed-app flow on a loopback port and save the token (0600)."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    if not client_secret.exists():
        raise UsageError(
            f"{client_secret}: no such file",
            hint="download the OAuth client (type 'Desktop app') JSON from the Cloud console",
        )
    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(client_secret), SCOPES)
    except (ValueError, KeyError) as exc:
        raise UsageError(
            f"{client_secret} is not an OAuth client file: {exc}",
            hint="in the Cloud console create an OAuth client of type 'Desktop app' and download its JSON",
        ) from exc
    creds = flow.run_local_server(port=0, prompt="consent", open_browser=open_browser)
    workspace.write_secret(TOKEN_FILE, creds.to_json())
    return status(workspace)


def status(workspace: Workspace) -> dict[str, Any]:
    """What is known about the saved credentials, without any secret value."""
    info: dict[str, Any] = {"workspace": workspace.name, "backend": workspace.settings.backend}
    raw = workspace.read_secret(TOKEN_FILE)
    info["logged_in"] = raw is not None
    if raw is not None:
        try:
            data = json.loads(raw)
        except ValueError:
            data = {}
        info["account"] = data.get("account") or None
        info["scopes"] = data.get("scopes") or []
        info["expiry"] = data.get("expiry")
        info["has_refresh_token"] = bool(data.get("refresh_token"))
        expiry = data.get("expiry")
        if expiry:
            when = datetime.fromisoformat(expiry.replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            info["access_token_valid"] = when > datetime.now(UTC)
        mode = workspace.secret_path(TOKEN_FILE).stat().st_mode & 0o777
        info["token_file_mode"] = oct(mode)
    info["places_api_key"] = workspace.read_secret(PLACES_KEY_FILE) is not None
    return info


def save_api_key(workspace: Workspace, key: str) -> None:
    key = key.strip()
    if not key:
        raise UsageError("the API key is empty")
    workspace.write_secret(PLACES_KEY_FILE, key)


def logout(workspace: Workspace) -> list[str]:
    return [name for name in (TOKEN_FILE, PLACES_KEY_FILE) if workspace.delete_secret(name)]
