"""Lets google-api-python-client send its requests through localcx's Transport.

The client wants an httplib2-style object: `request(uri, method, body, headers)` that
returns `(httplib2.Response, bytes)`. Handing it this adapter keeps Google's own request
building (paths, parameter checks) while pacing, retries and logging stay ours.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httplib2

from localcx.google.transport import Transport

_LOCATION_EDIT = re.compile(r"/v1/locations/(\d+)$")
_HOP_HEADERS = {"content-length", "accept-encoding", "user-agent"}


class DiscoveryHttp:
    def __init__(self, transport: Transport, service: str):
        self.transport = transport
        self.service = service

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: Any = None,
        headers: dict[str, str] | None = None,
        redirections: int = 0,
        connection_type: Any = None,
    ) -> tuple[httplib2.Response, bytes]:
        parts = urlsplit(uri)
        edit_key = None
        match = _LOCATION_EDIT.search(parts.path)
        if method.upper() == "PATCH" and match:
            validate_only = parse_qs(parts.query).get("validateOnly", ["false"])[0] == "true"
            edit_key = None if validate_only else match.group(1)
        clean = {k: v for k, v in (headers or {}).items() if k.lower() not in _HOP_HEADERS}
        content = body.encode("utf-8") if isinstance(body, str) else body
        response = self.transport.request(
            method, uri, service=self.service, content=content, headers=clean, edit_key=edit_key
        )
        info = {k.lower(): v for k, v in response.headers.items()}
        info["status"] = str(response.status_code)
        return httplib2.Response(info), response.content

    def close(self) -> None:  # the client calls this when a service object is closed
        return None
