"""Google's OAuth token endpoint (`POST https://oauth2.googleapis.com/token`), refreshes only.

With the endpoint override, a localcx workspace logged in with a token file refreshes its
access token here, so the whole real-Google auth path runs against the sandbox. A refresh
token starting with `revoked` answers `invalid_grant`, as Google does for a revoked login or
a testing-mode app's 7-day-old token.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import parse_qsl

PATH = "/token"
SCOPE = "https://www.googleapis.com/auth/business.manage"
REVOKED_PREFIX = "revoked"


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
