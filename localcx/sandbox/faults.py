"""Injected faults, so clients can be tested against every row of Google's retry table.

Grammar (whitespace ignored, rules separated by commas)::

    SPEC   := RULE ("," RULE)*
    RULE   := KIND ["@" METHOD] ":" AMOUNT
    KIND   := 400 | 401 | 403 | 404 | 409 | 429 | 500 | 502 | 503 | 504 | timeout | reset
    METHOD := a method id such as accounts.list, locations.list, locations.get,
              locations.patch, locations.getGoogleUpdated, categories.list,
              categories.batchGet, localPosts.create, localPosts.list, localPosts.get,
              localPosts.patch, localPosts.delete, places.searchText; "*" or no "@" part
              means every method
    AMOUNT := PROBABILITY   a decimal in (0, 1]: each matching call fails with that chance
            | "x" N         the first N matching calls fail (N ≥ 1), then none

Examples: ``429:0.1,503:0.05,timeout:0.02`` (random, from `random.Random(fault_seed)`, so a
run is repeatable), ``503@locations.patch:x3`` (the first three PATCHes answer 503),
``timeout@localPosts.create:x1`` (the first post is created but its answer is lost: the
case a client must reconcile by listing, as create is not idempotent).

Rules are tried in order for each request and the first that fires wins. Every probability rule
draws one number per matching request whether or not an earlier rule fired, so adding a count
rule does not shift the random sequence of the others.

Effects (all decided before the request takes effect, except `timeout`):
- a status code → Google's error body for it (429 with `Retry-After: 1` and RetryInfo);
- `reset` → the app raises the builtin ConnectionResetError before doing anything;
- `timeout` → the app performs the request (it takes effect), then raises the builtin
  TimeoutError: the answer is lost, as on real networks. The HTTP server turns these into a
  dropped connection and a held-then-closed connection.
"""

from __future__ import annotations

import random
import re
import threading
from collections import Counter
from dataclasses import dataclass

from localcx.sandbox.quota import places_qpm_error, qpm_error
from localcx.sandbox.wire import ApiError

METHODS = frozenset({
    "accounts.list", "locations.list", "locations.get", "locations.patch",
    "locations.getGoogleUpdated", "categories.list", "categories.batchGet",
    # served by later modules; accepted so specs stay valid as routes are added
    "reviews.list", "reviews.get", "reviews.updateReply", "reviews.deleteReply",
    "locations.batchGetReviews", "localPosts.create", "localPosts.list", "localPosts.get",
    "localPosts.patch", "localPosts.delete", "locations.fetchMultiDailyMetricsTimeSeries",
    "searchkeywords.impressions.monthly.list", "places.searchText", "places.get",
})
KINDS = ("400", "401", "403", "404", "409", "429", "500", "502", "503", "504", "timeout", "reset")

_MESSAGES = {
    400: "Request contains an invalid argument.",
    401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
         "cookie or other valid authentication credential. See "
         "https://developers.google.com/identity/sign-in/web/devconsole-project.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    409: "The operation was aborted.",
    500: "Internal error encountered.",
    502: "Bad Gateway",
    503: "The service is currently unavailable.",
    504: "The request timed out. Please try again.",
}

_RULE = re.compile(r"^(?P<kind>[a-z0-9]+)(?:@(?P<method>[A-Za-z.*]+))?:(?P<amount>x\d+|[0-9.]+)$")


@dataclass
class FaultRule:
    kind: str
    method: str  # "*" for every method
    probability: float = 0.0
    remaining: int = 0  # for "xN" rules
    counted: bool = False

    def matches(self, method: str) -> bool:
        return self.method in ("*", method)


def parse_faults(spec: str) -> list[FaultRule]:
    """Parse a SPEC (see the module docstring); raise ValueError naming the bad part."""
    rules: list[FaultRule] = []
    for raw in (part.strip() for part in spec.replace(" ", "").split(",")):
        if not raw:
            continue
        m = _RULE.match(raw)
        if not m:
            raise ValueError(f"bad fault rule {raw!r}: expected KIND[@METHOD]:P or "
                             "KIND[@METHOD]:xN, e.g. '503:0.05' or '503@locations.patch:x3'")
        kind, method, amount = m["kind"], m["method"] or "*", m["amount"]
        if kind not in KINDS:
            raise ValueError(f"bad fault kind {kind!r} in {raw!r}: use one of {', '.join(KINDS)}")
        if method != "*" and method not in METHODS:
            raise ValueError(f"unknown method {method!r} in {raw!r}: use one of "
                             f"{', '.join(sorted(METHODS))}")
        if amount.startswith("x"):
            n = int(amount[1:])
            if n < 1:
                raise ValueError(f"bad count in {raw!r}: xN needs N ≥ 1")
            rules.append(FaultRule(kind, method, remaining=n, counted=True))
            continue
        try:
            p = float(amount)
        except ValueError:
            raise ValueError(f"bad probability {amount!r} in {raw!r}") from None
        if not 0.0 < p <= 1.0:
            raise ValueError(f"probability in {raw!r} must be in (0, 1], got {amount}")
        rules.append(FaultRule(kind, method, probability=p))
    return rules


class FaultInjector:
    """Decides, per request, whether and how to fail; thread-safe and repeatable."""

    def __init__(self, spec: str = "", seed: int = 0):
        self.rules = parse_faults(spec)
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()  # kind → times fired
        self.by_method: Counter[tuple[str, str]] = Counter()  # (method, kind) → times fired

    def decide(self, method: str) -> str | None:
        """The fault kind to inject for this call of `method`, or None."""
        chosen: str | None = None
        with self._lock:
            for rule in self.rules:
                if not rule.matches(method):
                    continue
                if rule.counted:
                    if chosen is None and rule.remaining > 0:
                        rule.remaining -= 1
                        chosen = rule.kind
                else:
                    hit = self._rng.random() < rule.probability
                    if chosen is None and hit:
                        chosen = rule.kind
            if chosen is not None:
                self.counts[chosen] += 1
                self.by_method[(method, chosen)] += 1
        return chosen


def fault_error(kind: str, service: str, method: str = "") -> ApiError:
    """Google's answer for an injected status code (a Places 429 names its method's limit)."""
    code = int(kind)
    if code == 429 and service == "places":
        return places_qpm_error(method, 600, 1.0)
    if code == 429:
        return qpm_error(service, 300, 1.0)
    if code == 401:
        return ApiError(401, _MESSAGES[401], headers={
            "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'})
    return ApiError(code, _MESSAGES[code])
