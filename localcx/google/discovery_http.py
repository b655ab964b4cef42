"""Lets google-api-python-client send its requests through localcx's Transport.

The client wants an httplib2-style object: `request(uri, method, body, headers)` that
returns `(httplib2.Response, bytes)`. Handing it this adapter keeps Google's own request
building (paths, parameter checks) while pacing, retries and logging stay ours.
"""

from __future__ import annotations

from typing import Any

import httplib2

from localcx.google.transport import Transport

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
        clean = {k: v for k, v in (headers or {}).items() if k.lower() not in _HOP_HEADERS}
        content = body.encode("utf-8") if isinstance(body, str) else body
        response = self.transport.request(
            method, uri, service=self.service, content=content, headers=clean
        )
        info = {k.lower(): v for k, v in response.headers.items()}
        info["status"] = str(response.status_code)
        return httplib2.Response(info), response.content

    def close(self) -> None:  # the client calls this when a service object is closed
        return None
