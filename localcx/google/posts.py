"""Local posts: the legacy My Business v4 API, over the Transport as plain JSON.

google-api-python-client ships no v4 discovery document, so these calls are built here:
`accounts/{a}/locations/{l}/localPosts`. A v4 name needs the account that holds the
location (GOOGLE-API.md §6 item 3); the store master records it at sync.

`create` is not idempotent. Callers never retry it blindly: after a lost answer they list
the location's recent posts and look for theirs (see `posts.publish`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from localcx.google.business import BaseUrl
from localcx.google.transport import Transport

SERVICE = "mybusiness"
LIST_PAGE_SIZE = 100  # Google's maximum for localPosts.list


class PostsApi:
    def __init__(self, transport: Transport, base_url: BaseUrl):
        self.transport = transport
        self._base_url = base_url

    def _url(self, name: str) -> str:
        return f"{self._base_url(SERVICE)}v4/{name}"

    def create(self, location: str, post: dict[str, Any]) -> dict[str, Any]:
        """`location` is the v4 name `accounts/{a}/locations/{l}`."""
        response = self.transport.request(
            "POST", self._url(f"{location}/localPosts"), service=SERVICE, json=post
        )
        return dict(response.json())

    def recent(self, location: str, *, pages: int = 1) -> Iterator[dict[str, Any]]:
        """The location's posts, newest first, up to `pages` pages of 100."""
        token: str | None = None
        for _ in range(pages):
            params: dict[str, Any] = {"pageSize": LIST_PAGE_SIZE}
            if token:
                params["pageToken"] = token
            page = self.transport.request(
                "GET", self._url(f"{location}/localPosts"), service=SERVICE, params=params
            ).json()
            yield from page.get("localPosts", [])
            token = page.get("nextPageToken")
            if not token:
                return

    def get(self, name: str) -> dict[str, Any]:
        return dict(self.transport.request("GET", self._url(name), service=SERVICE).json())

    def delete(self, name: str) -> None:
        self.transport.request("DELETE", self._url(name), service=SERVICE)
