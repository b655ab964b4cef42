"""Google's OAuth endpoints: the consent page and the token endpoint.

With the endpoint override, `localcx auth login` runs the real installed-app flow here:
the consent page (`GET /o/oauth2/auth`) approves at once and redirects to the loopback
redirect URI with a code, as Google does after the user clicks Allow; the token endpoint
(`POST /token`) exchanges that code and later refreshes the access token. A refresh token
starting with `revoked` answers `invalid_grant`, as Google does for a revoked login or a
testing-mode app's 7-day-old token.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

PATH = "/token"
CONSENT_PATH = "/o/oauth2/auth"
CODE_PREFIX = "4/sandbox-"
SCOPE = "https://www.googleapis.com/auth/business.manage"
REVOKED_PREFIX = "revoked"


def consent(query: str) -> tuple[int, str]:
    """(HTTP status, Location) for the consent page: straight back to the app with a code."""
    params = dict(parse_qsl(query))
    redirect = params.get("redirect_uri", "")
    parts = urlsplit(redirect)
    if parts.scheme != "http" or parts.hostname not in ("localhost", "127.0.0.1", "::1"):
        return 400, "about:blank#error=redirect_uri_mismatch"
    if params.get("response_type") != "code" or not params.get("client_id"):
        return 302, f"{redirect}?{urlencode({'error': 'invalid_request'})}"
    code = CODE_PREFIX + hashlib.sha256(params["client_id"].encode()).hexdigest()[:24]
    answer = {"code": code, "scope": SCOPE}
    if "state" in params:
        answer["state"] = params["state"]
    return 302, f"{redirect}?{urlencode(answer)}"


def _basic_client_id(authorization: str) -> str:
    """The client id from HTTP Basic client authentication, which oauthlib prefers."""
    if not authorization.lower().startswith("basic "):
        return ""
    try:
        decoded = base64.b64decode(authorization[6:].strip()).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return ""
    return unquote(decoded.partition(":")[0])


def token(body: bytes, now: float, authorization: str = "") -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) for a token request, in Google's OAuth error shape.
    The client may authenticate in the form or with HTTP Basic, as Google allows."""
    form = dict(parse_qsl(body.decode("utf-8", "replace")))
    form.setdefault("client_id", _basic_client_id(authorization))
    if not form["client_id"]:
        del form["client_id"]
    if form.get("grant_type") == "authorization_code":
        return _exchange(form, now)
    return refresh(body, now)


def _exchange(form: dict[str, str], now: float) -> tuple[int, dict[str, Any]]:
    if not form.get("client_id"):
        return 401, {"error": "invalid_client", "error_description": "The OAuth client was not found."}
    if not form.get("code", "").startswith(CODE_PREFIX):
        return 400, {"error": "invalid_grant", "error_description": "Malformed auth code."}
    digest = hashlib.sha256(f"{form['code']}:{int(now)}".encode()).hexdigest()[:40]
    return 200, {
        "access_token": f"ya29.sandbox-{digest}",
        "refresh_token": f"1//sandbox-{digest[:24]}",
        "expires_in": 3599,
        "scope": SCOPE,
        "token_type": "Bearer",
    }


def refresh(body: bytes, now: float) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) for a token request, in Google's OAuth error shape."""
    form = dict(parse_qsl(body.decode("utf-8", "replace")))
    grant = form.get("grant_type", "")
    if grant != "refresh_token":
        return 400, {"error": "unsupported_grant_type", "error_description": f"Invalid grant_type: {grant}"}
    if not form.get("client_id"):
        return 401, {"error": "invalid_client", "error_description": "The OAuth client was not found."}
    token = form.get("refresh_token", "")
    if not token or token.startswith(REVOKED_PREFIX):
        return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
    digest = hashlib.sha256(f"{token}:{int(now)}".encode()).hexdigest()[:40]
    return 200, {"access_token": f"ya29.sandbox-{digest}", "expires_in": 3599, "scope": SCOPE, "token_type": "Bearer"}
