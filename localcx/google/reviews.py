"""Reviews: the legacy My Business v4 API, over the Transport as plain JSON.

google-api-python-client ships no v4 discovery document, so these calls are built here
(GOOGLE-API.md §3.7, §3.8, §7). A v4 name needs the account that holds the location
(`accounts/{a}/locations/{l}`; §6 item 3). Each method is one request and returns Google's
raw answer: paging, stop marks and storage are the sync's business (`localcx.reviews`).

`put_reply` is an upsert, so a retry after a lost answer is safe. Google moderates replies
after the fact and a PUT does not (as far as anyone knows) move the review's `updateTime`:
re-read the reviews you replied to (`get`) to learn their `reviewReplyState`.

The moderation fields are parsed tolerantly (their names and shapes are unconfirmed):
`reply_state` reads `reviewReplyState`, then `state`; `policy_violation` accepts the enum
string of Google's v4 extract or an object with a reason and a description.
"""

from __future__ import annotations

from typing import Any

from localcx.google.business import BaseUrl
from localcx.google.transport import Transport

SERVICE = "mybusiness"
PAGE_SIZE_MAX = 50  # Google's maximum for reviews.list and batchGetReviews
BATCH_MAX_LOCATIONS = 50  # locationNames per batchGetReviews call
REPLY_MAX_BYTES = 4096  # a reply's comment, in bytes of UTF-8
ORDER_BY = "updateTime desc"  # newest first: what incremental sync relies on
STAR_VALUES = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}


class ReviewsApi:
    def __init__(self, transport: Transport, base_url: BaseUrl):
        self.transport = transport
        self._base_url = base_url

    def _url(self, name: str) -> str:
        return f"{self._base_url(SERVICE)}v4/{name}"

    def page(self, location: str, *, page_token: str | None = None,
             page_size: int = PAGE_SIZE_MAX, order_by: str = ORDER_BY) -> dict[str, Any]:
        """One page of `reviews.list` for the v4 location `accounts/{a}/locations/{l}`:
        `{reviews, averageRating, totalReviewCount, nextPageToken}` as Google sends it."""
        params: dict[str, Any] = {"pageSize": page_size, "orderBy": order_by}
        if page_token:
            params["pageToken"] = page_token
        response = self.transport.request(
            "GET", self._url(f"{location}/reviews"), service=SERVICE, params=params
        )
        return dict(response.json())

    def batch(self, account: str, location_names: list[str], *, page_token: str | None = None,
              page_size: int = PAGE_SIZE_MAX, order_by: str = ORDER_BY,
              ignore_rating_only: bool = False) -> dict[str, Any]:
        """One page of `locations:batchGetReviews` over up to 50 v4 location names held by
        `account` (`accounts/{a}`): `{locationReviews: [{name, review}], nextPageToken}`."""
        if not 1 <= len(location_names) <= BATCH_MAX_LOCATIONS:
            raise ValueError(f"batchGetReviews takes 1 to {BATCH_MAX_LOCATIONS} locations, "
                             f"got {len(location_names)}")
        body: dict[str, Any] = {"locationNames": list(location_names), "pageSize": page_size,
                                "orderBy": order_by}
        if page_token:
            body["pageToken"] = page_token
        if ignore_rating_only:
            body["ignoreRatingOnlyReviews"] = True
        response = self.transport.request(
            "POST", self._url(f"{account}/locations:batchGetReviews"), service=SERVICE, json=body
        )
        return dict(response.json())

    def get(self, review_name: str) -> dict[str, Any]:
        """One Review by its name `accounts/{a}/locations/{l}/reviews/{reviewId}`."""
        return dict(self.transport.request("GET", self._url(review_name), service=SERVICE).json())

    def put_reply(self, review_name: str, comment: str) -> dict[str, Any]:
        """Create or replace the owner's reply; returns the ReviewReply (usually PENDING)."""
        response = self.transport.request(
            "PUT", self._url(f"{review_name}/reply"), service=SERVICE, json={"comment": comment}
        )
        return dict(response.json())

    def delete_reply(self, review_name: str) -> None:
        self.transport.request("DELETE", self._url(f"{review_name}/reply"), service=SERVICE)


def stars(review: dict[str, Any]) -> int | None:
    """The review's rating as 1–5, None when unspecified or unknown."""
    return STAR_VALUES.get(str(review.get("starRating", "")))


def _reply_of(review_or_reply: dict[str, Any]) -> dict[str, Any]:
    reply = review_or_reply.get("reviewReply")
    return reply if isinstance(reply, dict) else review_or_reply


def reply_state(review_or_reply: dict[str, Any]) -> str | None:
    """PENDING | APPROVED | REJECTED (or another value Google adds) of a Review's reply or
    of a ReviewReply; None when it carries no state (replies from before 2026 have none)."""
    reply = _reply_of(review_or_reply)
    for key in ("reviewReplyState", "state"):
        value = reply.get(key)
        if isinstance(value, str) and value and not value.endswith("_UNSPECIFIED"):
            return value
    return None


def policy_violation(review_or_reply: dict[str, Any]) -> str | None:
    """Why moderation rejected the reply, as one line ("PERSONAL_INFO", or "REASON:
    description"), or None. Accepts the v4 extract's enum string and object shapes
    (`{reason|type|policy, description|message}`)."""
    value = _reply_of(review_or_reply).get("policyViolation")
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        reason = next((str(value[k]) for k in ("reason", "type", "policy", "code")
                       if value.get(k)), "")
        text = next((str(value[k]) for k in ("description", "message", "details")
                     if value.get(k)), "")
        return ": ".join(p for p in (reason, text) if p) or None
    return None
