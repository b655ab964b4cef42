"""Google's auth libraries, sending through localcx's Transport.

google-auth refreshes tokens with a `google.auth.transport.Request`, and the installed-app
login exchanges its code through a `requests` session. Both are handed adapters over the
Transport, so token traffic is paced, retried and written to the call log like every
other request (path and status only: bodies, which carry the tokens, are never logged),
and the endpoint override reaches it too.
"""

from __future__ import annotations

from typing import Any

import google.auth.transport
import requests
from google.auth.exceptions import TransportError
from requests.structures import CaseInsensitiveDict

from localcx.errors import LocalcxError
from localcx.google.transport import Transport

SERVICE = "oauth2"


class _AuthResponse(google.auth.transport.Response):
    def __init__(self, status: int, headers: dict[str, str], data: bytes):
        self._status = status
        self._headers = headers
        self._data = data

    @property
    def status(self) -> int:
        return self._status

    @property
    def headers(self) -> dict[str, str]:
        return self._headers

    @property
    def data(self) -> bytes:
        return self._data


class TransportRequest(google.auth.transport.Request):
    """What `Credentials.refresh()` calls to reach the token endpoint."""

    def __init__(self, transport: Transport):
        self.transport = transport

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Any = None,
        timeout: Any = None,
        **kwargs: Any,
    ) -> _AuthResponse:
        try:
            response = self.transport.request(
                method,
                url,
                service=SERVICE,
                content=body,
                headers=dict(headers or {}),
                authenticate=False,
                raise_for_status=False,
            )
        except LocalcxError as exc:  # no answer at all: google-auth's network error
            raise TransportError(exc.message) from None
        return _AuthResponse(response.status_code, dict(response.headers), response.content)


class TransportAdapter(requests.adapters.BaseAdapter):
    """Mounted on the login flow's requests session for the code exchange."""

    def __init__(self, transport: Transport):
        super().__init__()
        self.transport = transport

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        body = request.body.encode("utf-8") if isinstance(request.body, str) else request.body
        if body is not None and not isinstance(body, bytes):
            raise TypeError("the login flow sent a streamed body")  # it only sends forms
        headers = {
            k: v if isinstance(v, str) else v.decode("latin-1")
            for k, v in request.headers.items()
            if k.lower() != "content-length"
        }
        answer = self.transport.request(
            str(request.method),
            str(request.url),
            service=SERVICE,
            content=body,
            headers=headers,
            authenticate=False,
            raise_for_status=False,
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.content
        response.url = str(request.url)
        response.request = request
        response.encoding = answer.encoding
        return response

    def close(self) -> None:
        return None
