"""Reviews of a store as a deterministic stream over simulated time, in v4 Review shapes.

Nothing is stored: a store's reviews are regenerated on demand from Randoms seeded with the
world seed and the location name, and a request sees only what exists at the sandbox's `now`
(its clock, which tests move by hand). The stream starts `SPAN_DAYS` before the world's
`ANCHOR` and goes on past it in chunks of `CHUNK_SECONDS`, so moving the clock forward makes
new reviews arrive, for as long as anyone runs the sandbox. Each chunk has its own Random, so
whether a chunk exists never changes the ones before it.

What review pipelines must cope with, all seeded:
- J-shaped star mixes per store; ~25% rating-only reviews (no `comment`);
- texts from the banks in world_review_texts (aspects, negation, contrast, lukewarm 3-star
  texts, emoji, very short ones), in the store's language and sometimes in another one,
  usually with Google's translation: "(Translated by Google) … (Original) …", in both orders,
  with Japanese labels on Japanese stores ("(Google による翻訳)" … "(原文)");
- anonymous reviewers in both shapes seen in the wild: `{"isAnonymous": true}` alone and
  `{"displayName": "A Google User", "isAnonymous": true}`;
- long opaque ids (~130 characters) in Google's two styles (`AIe9_B…`, base64 `ChZDSUhN…`),
  microsecond timestamps, `profilePhotoUrl`, a few `reviewMediaItems`;
- reviews **edited** later (at their edit time they get a new `updateTime` and a changed
  comment and/or star rating, so they float to the top of `updateTime desc`), a few
  **removed** (gone from their removal time on), and owner replies already present on ~40%
  of the commented ones (with `reviewReplyState: APPROVED` when posted in 2026 or later,
  when Google added the field; none before).

The text bank is picked from the store's language and primary category as they are now, but
every random draw is independent of the bank (each review carries its own text bits), so a
category or language edit changes review texts, never ids, times or stars.

Speed: a store's reviews and its view at a given moment are cached (bounded LRU, so memory
stays flat however many stores a sync walks); 100,000 reviews generate in well under 2 s.
`per_store` is the mean number of reviews a store has over the 3 years before the anchor
(`DEFAULT_PER_STORE`, ~50–300 per store); the state keeps it (see SandboxState.open).
"""

from __future__ import annotations

import base64
import bisect
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from localcx.sandbox import world_review_texts as texts

ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)  # the world's "today" at creation
ANCHOR_TS = ANCHOR.timestamp()
SPAN_DAYS = 3 * 365
START_TS = ANCHOR_TS - SPAN_DAYS * 86400.0
CHUNKS_BEFORE_ANCHOR = 12
CHUNK_SECONDS = SPAN_DAYS * 86400.0 / CHUNKS_BEFORE_ANCHOR  # ~91 days
DEFAULT_PER_STORE = 175
STARS = ("ONE", "TWO", "THREE", "FOUR", "FIVE")
REPLY_STATE_SINCE = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
_CACHE_STORES = 96  # a batchGetReviews call spans 50 stores; keep them all, and no more

# Star weights (ONE..FIVE) for a few store "personalities": J-shaped, some harsher.
_MIXES = ((0.05, 0.03, 0.07, 0.25, 0.60), (0.10, 0.05, 0.10, 0.25, 0.50),
          (0.18, 0.08, 0.14, 0.22, 0.38), (0.03, 0.02, 0.05, 0.20, 0.70))


@dataclass(frozen=True)
class Profile:
    """What a store's review stream depends on."""

    seed: int
    name: str  # locations/{id}
    language: str  # "ja" or "en": the store's language (translations go into it)
    kind: str  # "ramen", "coffee" or "generic": the sentence bank
    per_store: int = DEFAULT_PER_STORE


@dataclass(frozen=True, slots=True)
class SeededReview:
    """One review of the stream with everything that happens to it."""

    review_id: str
    reviewer: dict[str, Any]
    created: float  # epoch seconds (microsecond precision)
    create_time: str
    stars: int
    comment: str | None
    edited_at: float | None  # when the reviewer edits it, or None
    edit_time: str
    edited_stars: int
    edited_comment: str | None
    removed_at: float | None  # when it disappears, or None
    reply: dict[str, Any] | None  # the owner's reply already on it (seeded)
    reply_at: float | None
    media: tuple[dict[str, Any], ...] = ()

    def events(self) -> list[float]:
        return [t for t in (self.created, self.edited_at, self.removed_at, self.reply_at)
                if t is not None]


@dataclass(frozen=True, slots=True)
class Shown:
    """A review as it stands at some moment."""

    review: SeededReview
    update_ts: float
    update_time: str
    stars: int
    comment: str | None
    reply: dict[str, Any] | None


@dataclass
class View:
    """A store's visible reviews at one moment, newest `updateTime` first."""

    items: list[Shown]
    by_id: dict[str, Shown]
    average: float
    total: int
    _orders: dict[tuple[str, bool], tuple[list[Shown], list[tuple[Any, ...]]]] = field(
        default_factory=dict)

    def ordered(self, order: str, commented_only: bool = False
                ) -> tuple[list[Shown], list[tuple[Any, ...]]]:
        """(items, their sort keys ascending) for `order` (updateTime desc | rating |
        rating desc); keyset paging bisects the keys."""
        cached = self._orders.get((order, commented_only))
        if cached is None:
            items = [s for s in self.items if s.comment] if commented_only else self.items
            pairs = sorted(((sort_key(s, order), s) for s in items), key=lambda p: p[0])
            cached = ([s for _, s in pairs], [k for k, _ in pairs])
            self._orders[(order, commented_only)] = cached
        return cached


def sort_key(s: Shown, order: str) -> tuple[Any, ...]:
    """Ascending key for an order; ties broken by newest update, then id (ids are unique)."""
    if order == "rating":
        return (s.stars, -s.update_ts, s.review.review_id)
    if order == "rating desc":
        return (-s.stars, -s.update_ts, s.review.review_id)
    return (-s.update_ts, s.review.review_id)


# -- the profile of a store ---------------------------------------------------------------
def profile_of(seed: int, location: dict[str, Any], per_store: int = DEFAULT_PER_STORE
               ) -> Profile:
    language = "ja" if str(location.get("languageCode", "en")).startswith("ja") else "en"
    primary = location.get("categories", {}).get("primaryCategory", {}).get("name", "")
    kind = ("ramen" if "ramen" in primary or "noodle" in primary
            else "coffee" if "coffee" in primary or "cafe" in primary or "espresso" in primary
            else "ramen" if language == "ja" and not primary else "generic")
    return Profile(seed, location["name"], language, kind, per_store)


def _stamp(us: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(us // 1_000_000)) + \
        f".{us % 1_000_000:06d}Z"


class _Bits:
    """Cheap independent choices from one big random integer (no Random per review)."""

    __slots__ = ("v",)

    def __init__(self, v: int):
        self.v = v

    def pick(self, n: int) -> int:
        self.v, r = divmod(self.v, n)
        return r

    def chance(self, p: float) -> bool:
        self.v, r = divmod(self.v, 1000)
        return r < p * 1000


# -- texts --------------------------------------------------------------------------------
_BANKS = {"ramen": texts.RAMEN, "coffee": texts.COFFEE, "generic": texts.GENERIC}


def _mood(stars: int, bits: _Bits) -> str:
    if stars == 3 or (stars in (2, 4) and bits.chance(0.3)):
        return "mixed"
    return "pos" if stars >= 4 else "neg"


def _sentences(bits: _Bits, kind: str, mood: str) -> list[texts.Pair]:
    own, generic = _BANKS[kind][mood], texts.GENERIC[mood]
    out: list[texts.Pair] = []
    if bits.chance(0.25):
        out.append(texts.OPENERS[mood][bits.pick(len(texts.OPENERS[mood]))])
    for _ in range(1 + bits.pick(3)):
        bank = generic if bits.chance(0.35) else own
        pair = bank[bits.pick(len(bank))]
        if pair not in out:
            out.append(pair)
    return out


def _join(parts: list[str], lang: str) -> str:
    return "".join(parts) if lang == "ja" else " ".join(parts)


def _translated(store_lang: str, translated: str, original: str, original_first: bool) -> str:
    tl, ol = (("(Google による翻訳)", "(原文)") if store_lang == "ja"
              else ("(Translated by Google)", "(Original)"))
    if original_first:
        return f"{ol}\n{original}\n\n{tl}\n{translated}"
    return f"{tl} {translated}\n\n{ol}\n{original}"


def compose(bits: _Bits, p: Profile, writer: str, stars: int) -> str:
    """A review text by a `writer` ("en", "ja", "ko", "zh", "fr") at a `p` store."""
    mood = _mood(stars, bits)
    if writer in texts.FOREIGN:
        bank = texts.FOREIGN[writer][mood]
        chosen = [bank[bits.pick(len(bank))] for _ in range(1 + bits.pick(2))]
        chosen = list(dict.fromkeys(chosen))
        original = ("" if writer == "zh" else " ").join(c[0] for c in chosen)
        if bits.chance(0.15):
            return original  # Google did not translate this one
        translated = _join([c[1] if p.language == "en" else c[2] for c in chosen], p.language)
        return _translated(p.language, translated, original, bits.chance(0.3))
    if bits.chance(0.14):
        short = texts.SHORT[writer][mood]
        body = short[bits.pick(len(short))]
        pair_text = (body, body)
    else:
        pairs = _sentences(bits, p.kind, mood)
        pair_text = (_join([a for a, _ in pairs], "en"), _join([b for _, b in pairs], "ja"))
        if bits.chance(0.12):
            emoji = texts.EMOJI[mood][bits.pick(len(texts.EMOJI[mood]))]
            pair_text = (pair_text[0] + " " + emoji, pair_text[1] + emoji)
    own = pair_text[1] if writer == "ja" else pair_text[0]
    if writer == p.language or pair_text[0] == pair_text[1] or bits.chance(0.25):
        return own
    other = pair_text[1] if p.language == "ja" else pair_text[0]
    return _translated(p.language, other, own, bits.chance(0.3))


# -- one review ---------------------------------------------------------------------------
def _review_id(rng: random.Random) -> str:
    if rng.random() < 0.5:
        raw = rng.getrandbits(744).to_bytes(93, "big")
        return "AIe9_B" + base64.urlsafe_b64encode(raw).decode()[:124]
    inner = b"CIHM0ogKE" + base64.b64encode(rng.getrandbits(80).to_bytes(10, "big"))[:13]
    raw = b"\n\x16" + inner + b"\x12" + rng.getrandbits(592).to_bytes(74, "big")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _writer(rng: random.Random, store_lang: str) -> str:
    x = rng.random()
    if store_lang == "ja":
        return "ja" if x < 0.82 else "en" if x < 0.92 else ("ko", "zh", "fr")[int(x * 1000) % 3]
    return "en" if x < 0.9 else "ja" if x < 0.95 else ("ko", "zh", "fr")[int(x * 1000) % 3]


def _reviewer(rng: random.Random, writer: str) -> dict[str, Any]:
    x = rng.random()
    if x < 0.03:
        return {"isAnonymous": True}
    if x < 0.06:
        return {"displayName": texts.ANONYMOUS_NAME, "isAnonymous": True}
    names = texts.JA_NAMES if writer == "ja" else texts.FOREIGN_NAMES.get(writer, texts.EN_NAMES)
    name = names[rng.randrange(len(names))]
    photo = base64.urlsafe_b64encode(rng.getrandbits(240).to_bytes(30, "big")).decode()
    return {"profilePhotoUrl": f"https://lh3.googleusercontent.com/a-/ALV-Uj{photo}=s120-c-rp-mo-br100",
            "displayName": name}


def _stars(rng: random.Random, weights: tuple[float, ...]) -> int:
    x, acc = rng.random(), 0.0
    for i, w in enumerate(weights):
        acc += w
        if x < acc:
            return i + 1
    return 5


def _one(rng: random.Random, p: Profile, weights: tuple[float, ...], start: float) -> SeededReview:
    created_us = int((start + rng.random() * CHUNK_SECONDS) * 1_000_000)
    created = created_us / 1_000_000
    stars = _stars(rng, weights)
    writer = _writer(rng, p.language)
    bits = _Bits(rng.getrandbits(256))
    rid = _review_id(rng)
    reviewer = _reviewer(rng, writer)
    comment = None if bits.chance(0.25) else compose(bits, p, writer, stars)
    edited_at, edit_time, edited_stars, edited_comment = None, "", stars, comment
    if rng.random() < 0.06:
        edit_us = created_us + int(rng.uniform(86400, 240 * 86400) * 1_000_000)
        edited_at, edit_time = edit_us / 1_000_000, _stamp(edit_us)
        edited_stars = max(1, min(5, stars + rng.choice((-2, -1, 1, 1, 2))))
        edited_comment = (comment if rng.random() < 0.25 and comment
                          else compose(bits, p, writer, edited_stars))
    removed_at = created + rng.uniform(2, 400) * 86400 if rng.random() < 0.02 else None
    reply = reply_at = None
    if comment and rng.random() < 0.4:
        reply_us = created_us + int(rng.uniform(3600, 96 * 3600) * 1_000_000)
        reply_at = reply_us / 1_000_000
        mood = "pos" if stars >= 4 else "mixed" if stars == 3 else "neg"
        bank = texts.REPLIES[p.language][mood]
        reply = {"comment": bank[rng.randrange(len(bank))], "updateTime": _stamp(reply_us)}
        if reply_at >= REPLY_STATE_SINCE:
            reply["reviewReplyState"] = "APPROVED"
    media: tuple[dict[str, Any], ...] = ()
    if comment and rng.random() < 0.04:
        tag = base64.urlsafe_b64encode(rng.getrandbits(192).to_bytes(24, "big")).decode()
        media = ({"thumbnailUrl": f"https://lh5.googleusercontent.com/p/AF1Qip{tag}=w200-h200"},)
    return SeededReview(rid, reviewer, created, _stamp(created_us), stars, comment, edited_at,
                        edit_time, edited_stars, edited_comment, removed_at, reply, reply_at,
                        media)


# -- the stream ---------------------------------------------------------------------------
def chunk_of(ts: float) -> int:
    """The chunk holding `ts` (-1 before the stream starts)."""
    return -1 if ts < START_TS else int((ts - START_TS) // CHUNK_SECONDS)


def _store_traits(p: Profile) -> tuple[tuple[float, ...], float]:
    rng = random.Random(f"{p.seed}:reviews:{p.name}")
    return _MIXES[rng.randrange(len(_MIXES))], rng.uniform(0.35, 1.65)


def _chunk(p: Profile, k: int, weights: tuple[float, ...], factor: float) -> list[SeededReview]:
    rng = random.Random(f"{p.seed}:reviews:{p.name}:{k}")
    mean = p.per_store * factor / CHUNKS_BEFORE_ANCHOR
    n = max(0, round(rng.gauss(mean, mean * 0.12)))
    start = START_TS + k * CHUNK_SECONDS
    return [_one(rng, p, weights, start) for _ in range(n)]


@dataclass(frozen=True)
class Timeline:
    reviews: tuple[SeededReview, ...]  # every review created up to the horizon chunk's end
    events: tuple[float, ...]  # sorted times at which the visible set changes


@lru_cache(maxsize=_CACHE_STORES)
def timeline(p: Profile, horizon: int) -> Timeline:
    """Every review of chunks 0..horizon and the moments they change."""
    weights, factor = _store_traits(p)
    reviews: list[SeededReview] = []
    for k in range(horizon + 1):
        reviews.extend(_chunk(p, k, weights, factor))
    events = sorted(t for r in reviews for t in r.events())
    return Timeline(tuple(reviews), tuple(events))


def _shown(r: SeededReview, now: float) -> Shown | None:
    if r.created > now or (r.removed_at is not None and r.removed_at <= now):
        return None
    reply = r.reply if r.reply_at is not None and r.reply_at <= now else None
    if r.edited_at is not None and r.edited_at <= now:
        return Shown(r, r.edited_at, r.edit_time, r.edited_stars, r.edited_comment, reply)
    return Shown(r, r.created, r.create_time, r.stars, r.comment, reply)


@lru_cache(maxsize=_CACHE_STORES)
def _view(p: Profile, horizon: int, step: int, now: float) -> View:
    line = timeline(p, horizon)
    shown = [s for s in (_shown(r, now) for r in line.reviews) if s is not None]
    shown.sort(key=lambda s: (-s.update_ts, s.review.review_id))
    total = len(shown)
    average = round(sum(s.stars for s in shown) / total, 1) if total else 0.0
    return View(shown, {s.review.review_id: s for s in shown}, average, total)


def view(p: Profile, now: float) -> View:
    """The store's reviews as they stand at `now`. Cached per step of the timeline (the
    number of events up to `now`), so many requests between two events share one view."""
    horizon = chunk_of(now)
    if horizon < 0:
        return View([], {}, 0.0, 0)
    line = timeline(p, horizon)
    step = bisect.bisect_right(line.events, now)
    # The moment of the step's last event stands for every `now` until the next one.
    moment = line.events[step - 1] if step else START_TS
    return _view(p, horizon, step, moment)


def render(s: Shown, parent: str) -> dict[str, Any]:
    """The v4 Review dict; `parent` is `accounts/{a}/locations/{l}`."""
    r = s.review
    out: dict[str, Any] = {"name": f"{parent}/reviews/{r.review_id}", "reviewId": r.review_id,
                           "reviewer": dict(r.reviewer), "starRating": STARS[s.stars - 1]}
    if s.comment:
        out["comment"] = s.comment
    out["createTime"] = r.create_time
    out["updateTime"] = s.update_time
    if s.reply is not None:
        out["reviewReply"] = dict(s.reply)
    if r.media:
        out["reviewMediaItems"] = [dict(m) for m in r.media]
    return out


# -- the older, whole-list interface (places_pool, tests) ---------------------------------
def reviews_for(seed: int, location: dict[str, Any], *, account: str | None = None,
                until: datetime = ANCHOR) -> list[dict[str, Any]]:
    """The store's reviews at `until`, newest `updateTime` first; `name` set when `account`
    is given."""
    shown = view(profile_of(seed, location), until.timestamp()).items
    parent = f"{account}/{location['name']}" if account else ""
    out = [render(s, parent) for s in shown]
    if not account:
        for review in out:
            del review["name"]
    return out


def review_summary(reviews: list[dict[str, Any]]) -> dict[str, Any]:
    """`averageRating` (one decimal, as Google shows) and `totalReviewCount` of a list."""
    if not reviews:
        return {}
    total = sum(STARS.index(r["starRating"]) + 1 for r in reviews)
    return {"averageRating": round(total / len(reviews), 1), "totalReviewCount": len(reviews)}
