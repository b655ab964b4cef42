"""The sandbox as a plain WSGI app: Google's paths, bodies, errors, quotas and injected faults.

Every host shares one server, so requests are routed by path alone (the client keeps Google's
`/v1/...` and `/v4/...` paths); the route also says which API service a call counts against
for the per-service requests-per-minute quota (v4 local posts: `mybusiness`, 300 QPM like the
others, GOOGLE-API.md §5). Served: Account Management `accounts.list`; Business Information
locations and categories (locations.py, catalog.py); v4 `localPosts.*` (posts.py); v4
`reviews.list/get/updateReply/deleteReply` and `locations.batchGetReviews` (reviews.py);
Places (New) `places.searchText` (places.py); Performance daily metrics and search keywords
(performance.py). Order of checks for each request:

0. body size (over `max_body_bytes` → 400 "Request payload size exceeds the limit"),
1. route (a path no method serves → the front end's HTML 404 page; a known path with
   another HTTP method → JSON 404 "Method not found."),
2. credentials (`Authorization: Bearer …`, or `access_token=`; 401 otherwise; Places wants
   an API key instead, see places.py),
3. injected fault (see faults.py), decided before the request takes effect,
4. quota (unapproved project, requests per minute per service; Places: per method),
5. query binding (undeclared parameter → 400), then the handler (which checks the per-location
   edit quota only for PATCHes that will be saved).

Whatever a request holds (bad UTF-8, JSON nested too deeply, a forged page token), the answer
is Google's JSON envelope; an unforeseen failure is a JSON 500 INTERNAL, never a text page.

Usage in-process: `httpx.Client(transport=httpx.WSGITransport(app=make_app(state)))`;
over HTTP: `server.serve(app)`.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from localcx.sandbox import catalog, locations, oauth, performance, places, posts, reviews
from localcx.sandbox.binding import Request, bind_query, headers_of, system_values
from localcx.sandbox.discovery import (
    ACCOUNT_MANAGEMENT,
    BUSINESS_INFORMATION,
    MYBUSINESS_V4,
    PERFORMANCE,
    PLACES,
)
from localcx.sandbox.faults import FaultInjector, fault_error
from localcx.sandbox.quota import Limits, Quotas
from localcx.sandbox.state import SandboxState
from localcx.sandbox.wire import (
    HTML_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    REASON_PHRASES,
    TYPE_PREFIX,
    ApiError,
    dumps,
    html_not_found,
)

Handler = Callable[[Any, Request], dict[str, Any]]
REQUEST_LOG_SIZE = 2000
# Google's JSON front end refuses bodies above a limit (32 MiB here; Google's exact figure
# varies by API and is not published for GBP).
MAX_BODY_BYTES = 32 * 1024 * 1024

_MISSING_CREDENTIALS = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project.")
_INVALID_CREDENTIALS = (
    "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
    "cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project.")


@dataclass(frozen=True)
class Route:
    http_method: str
    pattern: re.Pattern[str]
    method_id: str  # short id used in fault specs, e.g. "locations.patch"
    service: str  # the API host's first label, for quotas
    discovery_id: str  # full discovery id, for query binding
    handler: Handler


def _route(http_method: str, path: str, method_id: str, service: str, discovery_id: str,
           handler: Handler) -> Route:
    regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/:]+)", path) + "$"
    return Route(http_method, re.compile(regex), method_id, service,
                 f"{service}.{discovery_id}", handler)


ROUTES: tuple[Route, ...] = (
    _route("GET", "/v1/accounts", "accounts.list", ACCOUNT_MANAGEMENT, "accounts.list",
           catalog.list_accounts),
    _route("GET", "/v1/accounts/{account}/locations", "locations.list", BUSINESS_INFORMATION,
           "accounts.locations.list", locations.list_locations),
    _route("GET", "/v1/locations/{location}", "locations.get", BUSINESS_INFORMATION,
           "locations.get", locations.get_location),
    _route("PATCH", "/v1/locations/{location}", "locations.patch", BUSINESS_INFORMATION,
           "locations.patch", locations.patch_location),
    _route("GET", "/v1/locations/{location}:getGoogleUpdated", "locations.getGoogleUpdated",
           BUSINESS_INFORMATION, "locations.getGoogleUpdated", locations.get_google_updated),
    _route("GET", "/v1/categories", "categories.list", BUSINESS_INFORMATION, "categories.list",
           catalog.list_categories),
    _route("GET", "/v1/categories:batchGet", "categories.batchGet", BUSINESS_INFORMATION,
           "categories.batchGet", catalog.batch_get_categories),
    *(_route(http, "/v4/accounts/{account}/locations/{location}/localPosts" + suffix,
             f"localPosts.{verb}", MYBUSINESS_V4, f"accounts.locations.localPosts.{verb}",
             handler)
      for http, suffix, verb, handler in (
          ("POST", "", "create", posts.create_post),
          ("GET", "", "list", posts.list_posts),
          ("GET", "/{post}", "get", posts.get_post),
          ("PATCH", "/{post}", "patch", posts.patch_post),
          ("DELETE", "/{post}", "delete", posts.delete_post))),
    *(_route(http, "/v4/accounts/{account}/locations/{location}/reviews" + suffix,
             f"reviews.{verb}", MYBUSINESS_V4, f"accounts.locations.reviews.{verb}", handler)
      for http, suffix, verb, handler in (
          ("GET", "", "list", reviews.list_reviews),
          ("GET", "/{review}", "get", reviews.get_review),
          ("PUT", "/{review}/reply", "updateReply", reviews.update_reply),
          ("DELETE", "/{review}/reply", "deleteReply", reviews.delete_reply))),
    _route("POST", "/v4/accounts/{account}/locations:batchGetReviews",
           "locations.batchGetReviews", MYBUSINESS_V4, "accounts.locations.batchGetReviews",
           reviews.batch_get_reviews),
    _route("GET", "/v1/locations/{location}:fetchMultiDailyMetricsTimeSeries",
           "locations.fetchMultiDailyMetricsTimeSeries", PERFORMANCE,
           "locations.fetchMultiDailyMetricsTimeSeries", performance.fetch_daily),
    _route("GET", "/v1/locations/{location}/searchkeywords/impressions/monthly",
           "searchkeywords.impressions.monthly.list", PERFORMANCE,
           "locations.searchkeywords.impressions.monthly.list", performance.list_keywords),
    _route("POST", "/v1/places:searchText", "places.searchText", PLACES, "places.searchText",
           places.search_text),
    _route("GET", "/v1/places/{place}", "places.get", PLACES, "places.get", places.get_place),
)


class SandboxApp:
    """WSGI callable; also exposes `state`, `quotas`, `faults`, `fault_counts`, `request_log`."""

    def __init__(self, state: SandboxState, *, faults: str = "",
                 clock: Callable[[], float] = time.time, limits: Limits | None = None,
                 fault_seed: int = 0, token: str | None = None, legacy_errors: bool = True,
                 max_body_bytes: int = MAX_BODY_BYTES, api_keys: frozenset[str] | None = None):
        self.state = state
        self.api_keys = api_keys
        self.legacy_errors = legacy_errors
        self.max_body_bytes = max_body_bytes
        self.clock = clock
        self.limits = limits or Limits()
        self.quotas = Quotas(self.limits)
        self.faults = FaultInjector(faults, fault_seed)
        self.token = token
        self.routes: list[Route] = list(ROUTES)
        self.request_log: deque[tuple[str, str, int]] = deque(maxlen=REQUEST_LOG_SIZE)
        self._log_lock = threading.Lock()

    def places_billing(self) -> dict[str, int]:
        """{SKU tier: billed searchText calls}, read from the state file (see state_places)."""
        return self.state.places_billing()

    @property
    def fault_counts(self) -> dict[str, int]:
        """{fault kind: times injected}, e.g. {"503": 3, "timeout": 1}."""
        return dict(self.faults.counts)

    def _resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        known_path = False
        for route in self.routes:
            m = route.pattern.match(path)
            if m and route.http_method == method:
                return route, m.groupdict()
            known_path = known_path or m is not None
        if not known_path:
            raise PageNotFound(path)
        raise ApiError(404, "Method not found.")

    def _authenticate(self, environ: dict[str, Any], query: str, route: Route) -> None:
        header = environ.get("HTTP_AUTHORIZATION", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        if not token:
            token = _query_token(query)
        if route.service == PLACES:
            places.authenticate(headers_of(environ), system_values(query, PLACES), bool(token),
                                self.api_keys)
            return
        if not token:
            raise ApiError(401, _MISSING_CREDENTIALS, [{
                "@type": TYPE_PREFIX + "google.rpc.ErrorInfo", "reason": "CREDENTIALS_MISSING",
                "domain": "googleapis.com",
                "metadata": {"service": f"{route.service}.googleapis.com",
                             "method": f"google.mybusiness.{route.method_id}"}}],
                {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})
        if self.token is not None and token != self.token:
            raise ApiError(401, _INVALID_CREDENTIALS, [{
                "@type": TYPE_PREFIX + "google.rpc.ErrorInfo", "reason": "ACCESS_TOKEN_EXPIRED",
                "domain": "googleapis.com",
                "metadata": {"service": f"{route.service}.googleapis.com",
                             "method": f"google.mybusiness.{route.method_id}"}}],
                {"WWW-Authenticate":
                 'Bearer realm="https://accounts.google.com/", error="invalid_token"'})

    def handle(self, method: str, path: str, query: str, body: bytes | None,
               environ: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str], str | None]:
        """(status, JSON body, extra headers, injected network fault or None); `body` None
        means it was over the size limit and left unread."""
        fault: str | None = None
        try:
            if body is None:
                raise ApiError(400, "Request payload size exceeds the limit: "
                                    f"{self.max_body_bytes} bytes.")
            route, args = self._resolve(method, path)
            self._authenticate(environ, query, route)
            fault = self.faults.decide(route.method_id)
            if fault == "reset":
                return 0, {}, {}, fault
            if fault is not None and fault != "timeout":
                raise fault_error(fault, route.service, route.method_id)
            now = self.clock()
            self.quotas.check_request(route.service, now, route.method_id)
            params = bind_query(query, route.discovery_id, route.service)
            req = Request(route.method_id, route.service, params, args, body, now,
                          headers=headers_of(environ),
                          system=system_values(query, route.service))
            return 200, route.handler(self, req), {}, fault
        except ApiError as err:
            if not self.legacy_errors:
                err.legacy_reason = ""
            return err.code, err.body(), err.headers, fault
        except PageNotFound:
            raise
        except Exception:  # a sandbox bug must still look like Google to the client
            internal = ApiError(500, "Internal error encountered.")
            return internal.code, internal.body(), {}, fault

    def __call__(self, environ: dict[str, Any],
                 start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        path = environ.get("PATH_INFO", "") or "/"
        query = environ.get("QUERY_STRING", "")
        body = _read_body(environ, self.max_body_bytes)
        if method == "GET" and path == oauth.CONSENT_PATH:
            status, location = oauth.consent(query)
            start_response(f"{status} {REASON_PHRASES.get(status, 'Found')}",
                           [("Location", location), ("Content-Length", "0")])
            return [b""]
        try:
            if method == "POST" and path == oauth.PATH:
                status, payload = oauth.token(
                    body or b"", self.clock(), environ.get("HTTP_AUTHORIZATION", "")
                )
                headers: dict[str, str] = {}
                fault = None
            else:
                status, payload, headers, fault = self.handle(method, path, query, body, environ)
        except PageNotFound:
            with self._log_lock:
                self.request_log.append((method, path, 404))
            page = html_not_found(path)
            start_response("404 Not Found", [("Content-Type", HTML_CONTENT_TYPE),
                                             ("Content-Length", str(len(page)))])
            return [page]
        with self._log_lock:
            self.request_log.append((method, path, status))
        if fault == "reset":
            raise ConnectionResetError(f"sandbox: injected connection reset on {method} {path}")
        if fault == "timeout":
            raise TimeoutError(f"sandbox: injected timeout on {method} {path} (request applied)")
        data = dumps(payload)
        start_response(f"{status} {REASON_PHRASES.get(status, 'Error')}", [
            ("Content-Type", JSON_CONTENT_TYPE), ("Content-Length", str(len(data))),
            ("Vary", "Origin, X-Origin, Referer"), *headers.items()])
        return [data]


def _query_token(query: str) -> str:
    for key, value in parse_qsl(query):
        if key in ("access_token", "oauth_token"):
            return value
    return ""


class PageNotFound(Exception):
    """No API method serves this path: Google's front end answers an HTML page, not JSON."""


def _read_body(environ: dict[str, Any], limit: int) -> bytes | None:
    """The request body, or None when Content-Length is over `limit` (left unread)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    stream = environ.get("wsgi.input")
    if length <= 0 or stream is None:
        return b""
    if length > limit:
        return None
    data: bytes = stream.read(length)
    return data


def make_app(state: SandboxState, *, faults: str = "", clock: Callable[[], float] = time.time,
             limits: Limits | None = None, fault_seed: int = 0,
             token: str | None = None, legacy_errors: bool = True,
             max_body_bytes: int = MAX_BODY_BYTES,
             api_keys: frozenset[str] | None = None) -> SandboxApp:
    """The sandbox WSGI app over `state`. `faults`: see faults.py; `clock`: epoch seconds used
    by every quota window; `token`: if set, the only bearer token accepted; `legacy_errors`:
    whether business-rule 400s also carry the legacy `errors` list (real ones vary);
    `max_body_bytes`: the largest request body accepted; `api_keys`: if set, the only Places
    API keys accepted (else any well-formed key not starting with "bad", see places.py)."""
    return SandboxApp(state, faults=faults, clock=clock, limits=limits, fault_seed=fault_seed,
                      token=token, legacy_errors=legacy_errors, max_body_bytes=max_body_bytes,
                      api_keys=api_keys)
