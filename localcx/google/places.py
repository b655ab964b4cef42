"""Places API (New): Text Search for rank checks, Place Details for competitor names.

Authenticated by the workspace's API key (the transport adds `X-Goog-Api-Key` for the
`places` service), never by the Business Profile token. The field mask is mandatory and
decides the price: rank checks ask for `places.id,nextPageToken` only, the IDs-only SKU,
and names and ratings are fetched once per new competitor (GOOGLE-API.md §3.12, §5).
"""

from __future__ import annotations

from typing import Any

from localcx.google.business import BaseUrl
from localcx.google.transport import Transport

SERVICE = "places"
RANK_MASK = "places.id,nextPageToken"
DETAILS_MASK = "id,displayName,rating,userRatingCount,formattedAddress,types"
PAGE_SIZE = 20  # Google's maximum per page


class PlacesApi:
    def __init__(self, transport: Transport, base_url: BaseUrl):
        self.transport = transport
        self._base_url = base_url

    def search_text(
        self,
        query: str,
        *,
        latitude: float,
        longitude: float,
        radius: float,
        language: str | None = None,
        region: str | None = None,
        page_token: str | None = None,
        mask: str = RANK_MASK,
    ) -> dict[str, Any]:
        """One page of results biased to a circle; every field but the token stays the
        same across pages, as Google requires."""
        body: dict[str, Any] = {
            "textQuery": query,
            "pageSize": PAGE_SIZE,
            "locationBias": {
                "circle": {
                    "center": {"latitude": latitude, "longitude": longitude},
                    "radius": radius,
                }
            },
        }
        if language:
            body["languageCode"] = language
        if region:
            body["regionCode"] = region
        if page_token:
            body["pageToken"] = page_token
        response = self.transport.request(
            "POST",
            f"{self._base_url(SERVICE)}v1/places:searchText",
            service=SERVICE,
            json=body,
            headers={"X-Goog-FieldMask": mask},
            authenticate=False,
        )
        return dict(response.json())

    def details(self, place_id: str, *, language: str | None = None, mask: str = DETAILS_MASK) -> dict[str, Any]:
        params = {"languageCode": language} if language else None
        response = self.transport.request(
            "GET",
            f"{self._base_url(SERVICE)}v1/places/{place_id}",
            service=SERVICE,
            params=params,
            headers={"X-Goog-FieldMask": mask},
            authenticate=False,
        )
        return dict(response.json())
