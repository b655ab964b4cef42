"""Account Management v1 and Business Information v1, through Google's own Python client.

Static discovery keeps Google's paths and rejects unknown parameters before anything is
sent; the HTTP underneath is localcx's Transport (see discovery_http.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from googleapiclient.discovery import build

from localcx.google.discovery_http import DiscoveryHttp
from localcx.google.transport import Transport

ACCOUNT_MANAGEMENT = "mybusinessaccountmanagement"
BUSINESS_INFORMATION = "mybusinessbusinessinformation"

# Every Location field localcx stores or edits; one sync reads them all.
SYNC_READ_MASK = ",".join(
    [
        "name",
        "languageCode",
        "storeCode",
        "title",
        "phoneNumbers",
        "categories",
        "storefrontAddress",
        "websiteUri",
        "regularHours",
        "specialHours",
        "serviceArea",
        "labels",
        "latlng",
        "openInfo",
        "profile",
        "metadata",
    ]
)
LOCATIONS_PAGE_SIZE = 100  # Google's maximum for accounts.locations.list

BaseUrl = Callable[[str], str]


class BusinessApi:
    def __init__(self, transport: Transport, base_url: BaseUrl):
        self.transport = transport
        self._base_url = base_url
        self._services: dict[str, Any] = {}

    def _service(self, name: str) -> Any:
        if name not in self._services:
            self._services[name] = build(
                name,
                "v1",
                http=DiscoveryHttp(self.transport, name),
                static_discovery=True,
                cache_discovery=False,
                client_options={"api_endpoint": self._base_url(name)},
            )
        return self._services[name]

    @staticmethod
    def _pages(method: Any, key: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a paged list call; Google omits nextPageToken on the last page."""
        token = None
        while True:
            page = method(**params, pageToken=token).execute()
            yield from page.get(key, [])
            token = page.get("nextPageToken")
            if not token:
                return

    def accounts(self) -> Iterator[dict[str, Any]]:
        api = self._service(ACCOUNT_MANAGEMENT).accounts()
        return self._pages(api.list, "accounts", pageSize=20)

    def locations(
        self, account: str, read_mask: str = SYNC_READ_MASK, page_size: int = LOCATIONS_PAGE_SIZE
    ) -> Iterator[dict[str, Any]]:
        api = self._service(BUSINESS_INFORMATION).accounts().locations()
        return self._pages(
            api.list, "locations", parent=account, readMask=read_mask, pageSize=page_size
        )

    def get_location(self, location_id: str, read_mask: str = SYNC_READ_MASK) -> dict[str, Any]:
        api = self._service(BUSINESS_INFORMATION).locations()
        result: dict[str, Any] = api.get(
            name=f"locations/{location_id}", readMask=read_mask
        ).execute()
        return result

    def patch_location(
        self,
        location_id: str,
        body: dict[str, Any],
        update_mask: list[str],
        *,
        validate_only: bool = False,
    ) -> dict[str, Any]:
        api = self._service(BUSINESS_INFORMATION).locations()
        result: dict[str, Any] = api.patch(
            name=f"locations/{location_id}",
            body=body,
            updateMask=",".join(update_mask),
            validateOnly=validate_only or None,
        ).execute()
        return result

    def google_updated(self, location_id: str, read_mask: str = SYNC_READ_MASK) -> dict[str, Any]:
        api = self._service(BUSINESS_INFORMATION).locations()
        result: dict[str, Any] = api.getGoogleUpdated(
            name=f"locations/{location_id}", readMask=read_mask
        ).execute()
        return result

    def categories(self, region_code: str, language_code: str) -> Iterator[dict[str, Any]]:
        api = self._service(BUSINESS_INFORMATION).categories()
        return self._pages(
            api.list,
            "categories",
            regionCode=region_code,
            languageCode=language_code,
            view="BASIC",
            pageSize=100,
        )
