"""Text Search ranking: a pure function of (world seed, day, request, candidate places).

The model, loosely after Google's three documented local-ranking factors (relevance, distance,
prominence), so rank-tracking code sees believable behaviour:

- **Relevance** (weight 0.40): the share of the query's words that match the place. A word
  matches when it is part of the place's name, of a type's words or synonyms (English and
  Japanese: `ラーメン`, `らーめん`, `中華そば` and `ramen` all match `ramen_restaurant`), or
  of its address. Japanese is written without spaces, so words are matched as substrings.
  A place no word matches is not a result; `near`, `me`, `in`, … are ignored.
- **Proximity** (0.30): `1 / (1 + (d / s)²)` with `d` the distance from the area's centre and
  `s` half the bias radius (at least 125 m). Places beyond `max(3 × radius, 2 km)` of a
  bias centre fall off; a locationRestriction drops everything outside its rectangle.
- **Prominence** (0.12): rating (1–5 mapped to 0–1) times review volume
  (`log10(1 + count) / 3`, capped at 1); unrated places score 0.
- **Verified owner profile** (0.12): the merchant's own stores are verified, complete
  profiles, which Google's guidance says help; so a store searched for at its own door
  ranks first for its category.
- **Daily noise** (± 0.03): uniform, from a hash of (seed, day, place id), so positions move
  a little from day to day (trends) but repeat exactly for the same day.
- Temporarily closed places lose 0.10; permanently closed ones are not returned.

`rankPreference=DISTANCE` orders by distance instead (score breaks ties). At most 60 results.
"""

from __future__ import annotations

import hashlib
import math
import re
from typing import Any

from localcx.sandbox.places_pool import Candidate
from localcx.sandbox.places_request import Area, SearchText, distance_m

MAX_RESULTS = 60
WEIGHTS = {"relevance": 0.40, "proximity": 0.30, "prominence": 0.12, "owner": 0.12}
NOISE = 0.03
CLOSED_PENALTY = 0.10
MIN_REACH_M = 2_000.0

_STOPWORDS = frozenset({"near", "me", "in", "the", "a", "an", "of", "at", "best", "open",
                        "now", "around", "nearby", "近く", "の", "周辺", "付近", "おすすめ"})
# Words and synonyms of the types in the world, English and Japanese.
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "ramen_restaurant": ("ramen", "noodle", "noodles", "ラーメン", "らーめん", "拉麺", "中華そば",
                         "麺"),
    "noodle_shop": ("noodle", "noodles", "麺"),
    "tsukemen_restaurant": ("tsukemen", "つけ麺", "ramen", "ラーメン"),
    "japanese_restaurant": ("japanese", "和食", "日本料理"),
    "gyoza_restaurant": ("gyoza", "dumplings", "餃子", "ギョーザ"),
    "chinese_restaurant": ("chinese", "gyoza", "中華", "餃子"),
    "takeout_restaurant": ("takeout", "take out", "テイクアウト", "持ち帰り"),
    "izakaya_restaurant": ("izakaya", "居酒屋"),
    "sushi_restaurant": ("sushi", "寿司", "鮨", "すし"),
    "coffee_shop": ("coffee", "coffee shop", "cafe", "café", "espresso", "latte", "コーヒー",
                    "珈琲", "カフェ", "喫茶"),
    "cafe": ("cafe", "café", "coffee", "カフェ", "喫茶"),
    "espresso_bar": ("espresso", "coffee", "エスプレッソ"),
    "coffee_roasters": ("roaster", "roasters", "coffee", "焙煎"),
    "bakery": ("bakery", "bread", "pastry", "パン", "ベーカリー"),
    "breakfast_restaurant": ("breakfast", "brunch", "朝食", "モーニング"),
    "donut_shop": ("donut", "donuts", "doughnut", "ドーナツ"),
    "tea_house": ("tea", "お茶", "紅茶", "ティー"),
    "sandwich_shop": ("sandwich", "sandwiches", "サンドイッチ"),
    "restaurant": ("restaurant", "restaurants", "レストラン", "飲食店"),
    "food": ("food", "グルメ"),
}
_SPLIT = re.compile(r"[\s\u3000,.;:!?/、。・「」()（）]+")


def query_words(text: str) -> list[str]:
    """The query's words, case-folded, without stop words (kept whole if only stop words)."""
    words = [w for w in _SPLIT.split(text.casefold()) if w]
    kept = [w for w in words if w not in _STOPWORDS]
    return kept or words


def _haystack(place: dict[str, Any]) -> str:
    """Everything a query word can match in the place, case-folded."""
    parts = [place.get("displayName", {}).get("text", ""), place.get("formattedAddress", "")]
    for t in place.get("types", []):
        parts.append(t.replace("_", " "))
        parts.extend(TYPE_WORDS.get(t, ()))
    return " | ".join(parts).casefold()


def relevance(words: list[str], place: dict[str, Any]) -> float:
    """The share of `words` found in the place's name, types or address."""
    if not words:
        return 0.0
    hay = _haystack(place)
    return sum(1 for w in words if w in hay) / len(words)


def prominence(place: dict[str, Any]) -> float:
    rating = float(place.get("rating", 0.0))
    if not rating:
        return 0.0
    volume = min(1.0, math.log10(1 + int(place.get("userRatingCount", 0))) / 3)
    return max(0.0, (rating - 1.0) / 4.0) * volume


def daily_noise(seed: int, day: int, place_id: str) -> float:
    """A repeatable draw in [-NOISE, NOISE] for this place on this day."""
    digest = hashlib.sha256(f"{seed}:{day}:{place_id}".encode()).digest()
    unit = int.from_bytes(digest[:8], "big") / 2**64
    return (2 * unit - 1) * NOISE


def _scale(area: Area) -> float:
    return max(area.radius, 250.0) / 2


def reach(area: Area) -> float:
    """How far from a bias centre results may lie before they fall off."""
    return max(3 * area.radius, MIN_REACH_M)


def rank(cands: list[Candidate], req: SearchText, area: Area, *, seed: int,
         day: int) -> list[dict[str, Any]]:
    """The ordered result Places (at most 60) for the request on `day` (days since epoch)."""
    words = query_words(req.text_query)
    limit = reach(area)
    scored: list[tuple[float, float, str, dict[str, Any]]] = []
    for cand in cands:
        place = cand.place
        status = place.get("businessStatus", "OPERATIONAL")
        if status == "CLOSED_PERMANENTLY" or not _filters_pass(place, req):
            continue
        rel = relevance(words, place)
        loc = place.get("location", {})
        lat, lng = loc.get("latitude", 0.0), loc.get("longitude", 0.0)
        dist = distance_m(area.lat, area.lng, lat, lng)
        if rel == 0.0 or not area.contains(lat, lng) or (not req.restricted and dist > limit):
            continue
        score = (WEIGHTS["relevance"] * rel
                 + WEIGHTS["proximity"] / (1 + (dist / _scale(area)) ** 2)
                 + WEIGHTS["prominence"] * prominence(place)
                 + (WEIGHTS["owner"] if cand.owned else 0.0)
                 + daily_noise(seed, day, place["id"])
                 - (CLOSED_PENALTY if status == "CLOSED_TEMPORARILY" else 0.0))
        scored.append((score, dist, place["id"], place))
    if req.rank_preference == "DISTANCE":
        scored.sort(key=lambda s: (s[1], -s[0], s[2]))
    else:
        scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    return [s[3] for s in scored[:MAX_RESULTS]]


def _filters_pass(place: dict[str, Any], req: SearchText) -> bool:
    if req.included_type and req.included_type not in place.get("types", []):
        return False
    return not req.min_rating or float(place.get("rating", 0.0)) >= req.min_rating
