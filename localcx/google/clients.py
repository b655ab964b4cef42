"""The clients of one workspace's Google connection, as the engines use them.

Built by `backend.connect` (which alone knows whether they reach Google, one endpoint, or
the in-process sandbox); engines take this object and never the wiring itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from localcx.google.business import BusinessApi
from localcx.google.performance import PerformanceApi
from localcx.google.places import PlacesApi
from localcx.google.posts import PostsApi
from localcx.google.reviews import ReviewsApi
from localcx.google.transport import Transport


@dataclass
class Google:
    transport: Transport
    business: BusinessApi
    posts: PostsApi
    places: PlacesApi
    reviews: ReviewsApi
    performance: PerformanceApi
    backend: str
    closers: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        self.transport.close()
        for close in self.closers:
            close()
