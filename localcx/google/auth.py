"""Credentials: OAuth for Business Profile, an API key for Places, static tokens for emulators.

The token file is written 0600 and read back on every run; refreshes are saved so a
cron job never needs a browser. Nothing here prints or logs a token.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from localcx.config import Workspace, clean_secret, command_hint, endpoint_override
from localcx.errors import AuthError, LocalcxError, UsageError
from localcx.google.transport import TokenSource, Transport

INSECURE_ENV = "OAUTHLIB_INSECURE_TRANSPORT"
AUTH_PATH = "/o/oauth2/auth"  # Google's consent page, under the endpoint override
SCOPES = ["https://www.googleapis.com/auth/business.manage"]
TOKEN_FILE = "token.json"
PLACES_KEY_FILE = "places_api_key"
# What Google's own loader insists on; checked first so a broken file gets a plain message.
REQUIRED_KEYS = ("refresh_token", "client_id", "client_secret")
LOGIN_ARGS = "auth login --client-secret client_secret.json"


def login_hint(workspace_name: str) -> str:
    return f"run: {command_hint(workspace_name, LOGIN_ARGS)}"


def expired_hint(workspace_name: str) -> str:
    return (
        f"log in again with: {command_hint(workspace_name, LOGIN_ARGS)} "
        "(an OAuth app in 'Testing' mode loses refresh tokens after 7 days; publish it to avoid this)"
    )


def parse_expiry(value: str) -> datetime:
    """An expiry as google-auth reads it (it ignores fractions and the zone: always UTC)."""
    return datetime.strptime(value.rstrip("Z").split(".")[0], "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=UTC
    )


def load_token_info(workspace: Workspace) -> dict[str, Any] | None:
    """The saved login as a dict, None when there is none.

    A file that is not a login (empty, truncated, not UTF-8, `[]`, a bad expiry) raises
    an AuthError naming the file and the command that writes a good one. No value from
    the file ever goes into the message.
    """
    path = workspace.secret_path(TOKEN_FILE)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _broken(workspace, f"cannot be read ({exc.strerror})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _broken(workspace, "is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        what = "is empty" if not raw.strip() else f"is not valid JSON ({exc.msg}, line {exc.lineno})"
        raise _broken(workspace, what) from None
    if not isinstance(data, dict):
        raise _broken(workspace, "does not hold a saved login (a JSON object)")
    missing = [key for key in REQUIRED_KEYS if not isinstance(data.get(key), str)]
    if missing:
        raise _broken(workspace, f"lacks {', '.join(missing)}")
    expiry = data.get("expiry")
    if expiry is not None:
        try:
            parse_expiry(expiry)
        except (TypeError, AttributeError, ValueError):
            raise _broken(workspace, "has an expiry that is not a date and time") from None
    return data


def _broken(workspace: Workspace, problem: str) -> AuthError:
    return AuthError(
        f"{workspace.secret_path(TOKEN_FILE)} {problem}",
        f"log in again with: {command_hint(workspace.name, LOGIN_ARGS)}",
    )


class OAuthTokens(TokenSource):
    """User credentials from the workspace's token file, refreshed and saved as needed."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._creds: Any = None
        self._transport: Transport | None = None

    def bind(self, transport: Transport) -> None:
        """Refresh through the transport that uses these tokens, like every other request."""
        self._transport = transport

    def _load(self) -> Any:
        if self._creds is None:
            from google.oauth2.credentials import Credentials

            info = load_token_info(self.workspace)
            if info is None:
                raise AuthError(
                    f"workspace {self.workspace.name!r} is not logged in",
                    login_hint(self.workspace.name),
                )
            try:
                creds = Credentials.from_authorized_user_info(info, SCOPES)
            except (ValueError, KeyError, TypeError, AttributeError):
                raise _broken(self.workspace, "does not hold a saved login") from None
            override = endpoint_override()
            if override:
                # The token endpoint is a Google host too: it follows the endpoint override.
                expiry = creds.expiry
                creds = creds.with_token_uri(override + "/token")
                creds.expiry = expiry  # the copy drops it, which would hide an expired token
            self._creds = creds
        return self._creds

    def token(self) -> str | None:
        creds = self._load()
        if not creds.valid:
            self.refresh()
        return str(creds.token) if creds.token else None

    def refresh(self) -> bool:
        from google.auth.exceptions import RefreshError, TransportError

        from localcx.google.auth_http import TransportRequest

        if self._transport is None:
            raise RuntimeError("OAuthTokens.bind(transport) must come before a refresh")
        creds = self._load()
        if not creds.refresh_token:
            raise AuthError(
                "the saved login has no refresh token", expired_hint(self.workspace.name)
            )
        try:
            creds.refresh(TransportRequest(self._transport))
        except TransportError:
            raise unreachable(str(creds.token_uri)) from None
        except RefreshError as exc:
            raise AuthError(
                f"Google refused to refresh the login: {exc.args[0]}",
                expired_hint(self.workspace.name),
            ) from exc
        self.workspace.write_secret(TOKEN_FILE, creds.to_json())
        return True


def _client_config(client_secret: Path) -> dict[str, Any]:
    """The OAuth client file, checked; with the endpoint override, its auth and token URLs
    point at that endpoint too, so `auth login` runs end to end against `sandbox serve`."""
    if not client_secret.exists():
        raise UsageError(
            f"{client_secret}: no such file",
            hint="download the OAuth client (type 'Desktop app') JSON from the Cloud console",
        )
    not_desktop = UsageError(
        f"{client_secret} is not an OAuth client file of type 'Desktop app'",
        hint="in the Cloud console create an OAuth client of type 'Desktop app' and download its JSON",
    )
    try:
        config = json.loads(client_secret.read_bytes())
    except (OSError, ValueError):
        raise not_desktop from None
    installed = config.get("installed") if isinstance(config, dict) else None
    if not isinstance(installed, dict) or not installed.get("client_id"):
        raise not_desktop
    override = endpoint_override()
    if override:
        installed["auth_uri"] = override + AUTH_PATH
        installed["token_uri"] = override + "/token"
    return config


@contextmanager
def _plain_http_allowed(token_uri: str) -> Iterator[None]:
    """oauthlib insists on https; an emulator on this machine (`sandbox serve`) is http."""
    parts = urlsplit(token_uri)
    local = parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1", "::1")
    previous = os.environ.get(INSECURE_ENV)
    if local:
        os.environ[INSECURE_ENV] = "1"
    try:
        yield
    finally:
        if local and previous is None:
            os.environ.pop(INSECURE_ENV, None)


def login(
    workspace: Workspace,
    client_secret: Path,
    transport: Transport,
    *,
    open_browser: bool = True,
    show_url: Callable[[str], None] = lambda url: None,
) -> dict[str, Any]:
    """Run Google's installed-app flow on a loopback port and save the token (0600).

    The consent URL goes to `show_url` (the command prints it on stderr); the code
    exchange goes through the transport, paced and logged like any request."""
    from google_auth_oauthlib.flow import InstalledAppFlow

    from localcx.google.auth_http import TransportAdapter

    class Flow(InstalledAppFlow):
        def authorization_url(self, **kwargs: Any) -> Any:
            url, state = super().authorization_url(**kwargs)
            show_url(url)
            return url, state

    try:
        flow = Flow.from_client_config(_client_config(client_secret), SCOPES)
    except ValueError as exc:
        raise UsageError(f"{client_secret}: {exc}") from None
    adapter = TransportAdapter(transport)
    flow.oauth2session.mount("https://", adapter)
    flow.oauth2session.mount("http://", adapter)
    with _plain_http_allowed(flow.client_config["token_uri"]):
        creds = flow.run_local_server(
            port=0, prompt="consent", open_browser=open_browser, authorization_prompt_message=""
        )
    workspace.write_secret(TOKEN_FILE, creds.to_json())
    return status(workspace)


def unreachable(token_uri: str) -> LocalcxError:
    """No answer from the token endpoint: a network problem, not a bad login (exit 1)."""
    host = urlsplit(token_uri).netloc or token_uri
    return LocalcxError(
        f"cannot reach the token endpoint {host} to refresh the login",
        hint="check the network (and LOCALCX_GOOGLE_ENDPOINT if set), then try again",
    )


def status(workspace: Workspace) -> dict[str, Any]:
    """What is known about the saved credentials, without any secret value.

    A broken token file is reported under `token_problem`, not raised: status is how
    a user finds out what is wrong.
    """
    info: dict[str, Any] = {"workspace": workspace.name, "backend": workspace.settings.backend}
    path = workspace.secret_path(TOKEN_FILE)
    info["logged_in"] = path.exists()
    if path.exists():
        try:
            data = load_token_info(workspace) or {}
        except AuthError as exc:
            data = {}
            info["token_problem"] = f"{exc.message} — {exc.hint}"
        if "token_problem" not in info:
            info["account"] = data.get("account") or None
            info["scopes"] = data.get("scopes") or []
            info["expiry"] = data.get("expiry")
            info["has_refresh_token"] = bool(data.get("refresh_token"))
            if data.get("expiry"):
                info["access_token_valid"] = parse_expiry(data["expiry"]) > datetime.now(UTC)
        info["token_file_mode"] = oct(path.stat().st_mode & 0o777)
    info["places_api_key"] = workspace.secret_path(PLACES_KEY_FILE).exists()
    return info


def read_api_key(workspace: Workspace) -> str | None:
    """The saved Places API key, cleaned; None when there is none.

    Hand-written files often end in a newline (`echo KEY > places_api_key`), which would
    otherwise go into every request header.
    """
    path = workspace.secret_path(PLACES_KEY_FILE)
    raw = workspace.read_secret(PLACES_KEY_FILE)
    if raw is None:
        return None
    try:
        return clean_secret(raw, str(path))
    except UsageError as exc:
        raise AuthError(
            exc.message,
            f"save the key again with: {command_hint(workspace.name, 'auth login --api-key')}",
        ) from None


def save_api_key(workspace: Workspace, key: str) -> None:
    workspace.write_secret(PLACES_KEY_FILE, clean_secret(key, "the Places API key"))


def logout(workspace: Workspace) -> list[str]:
    return [name for name in (TOKEN_FILE, PLACES_KEY_FILE) if workspace.delete_secret(name)]
