"""What people searched for before they saw a store: monthly search keywords, derived lazily.

Like `world_metrics`, a figure is a pure function of (seed, location, keyword, month), so any
month of any store can be answered without storing a series. Japanese stores get Japanese
searches (ラーメン 新宿, 新宿 つけ麺 …), US stores English ones, with the store's own
neighbourhood and city in some of them; all are lower-cased, as Google reports them. Each
store has a few popular keywords and a long tail of rare ones, whose monthly figure is often
below Google's privacy threshold (reported as `threshold`, not as a count).
"""

from __future__ import annotations

import math
import random
import re
from typing import Any

HISTORY_MONTHS = 12  # Google keeps about a year of monthly keyword figures
THRESHOLD = 15  # figures below it are reported as {"threshold": "15"}

_JA_TEMPLATES = (
    ("ラーメン {town}", 220.0), ("{town} ラーメン", 160.0), ("麺屋さくら", 120.0),
    ("{locality} ラーメン", 90.0), ("つけ麺 {town}", 45.0), ("ラーメン", 60.0),
    ("{town} つけ麺", 30.0), ("塩ラーメン", 18.0), ("深夜 ラーメン {town}", 14.0),
    ("{town} 餃子", 11.0), ("近くのラーメン屋", 25.0), ("{town} ランチ", 16.0),
    ("醤油ラーメン 東京", 8.0), ("{town}駅 ラーメン", 9.0), ("渋谷 カフェ", 4.0),
    ("味噌ラーメン", 6.0), ("ラーメン 持ち帰り", 5.0),
)
_EN_TEMPLATES = (
    ("coffee near me", 260.0), ("northwind coffee", 150.0), ("{town} coffee", 110.0),
    ("coffee shop {locality}", 70.0), ("cafe near me", 55.0), ("espresso {town}", 24.0),
    ("{town} cafe", 35.0), ("latte", 12.0), ("breakfast near me", 20.0),
    ("coffee {locality} {state}", 9.0), ("oat milk latte", 6.0), ("wifi cafe {town}", 7.0),
    ("northwind {town}", 16.0), ("pastries near me", 8.0), ("cold brew", 5.0),
)
_RAMEN_SUFFIX = re.compile(r"(\d+号店|店)$")
_TRAILING_NUMBER = re.compile(r"\s+\d+$")


def _place_words(location: dict[str, Any]) -> dict[str, str]:
    """The neighbourhood, city and state a store's searches mention, from its own listing."""
    address = location.get("storefrontAddress") or {}
    title = str(location.get("title") or "")
    tail = title.split(" ", 1)[1] if " " in title else title
    if location.get("languageCode") == "ja":
        town = _RAMEN_SUFFIX.sub("", tail)
        locality = str(address.get("locality") or "").removesuffix("区").removesuffix("市")
    else:
        town = _TRAILING_NUMBER.sub("", tail.removeprefix("Coffee ").strip())
        locality = str(address.get("locality") or "")
    return {"town": town, "locality": locality, "state": str(address.get("administrativeArea") or "")}


def keywords(seed: int, location: dict[str, Any]) -> list[tuple[str, float]]:
    """(keyword, typical monthly searchers) of a store: its own mix of the chain's searches."""
    words = _place_words(location)
    templates = _JA_TEMPLATES if location.get("languageCode") == "ja" else _EN_TEMPLATES
    rng = random.Random(f"{seed}:keywords:{location['name']}")
    scale = rng.lognormvariate(0.0, 0.5)
    out: dict[str, float] = {}
    for template, base in templates:
        if rng.random() < 0.15:  # not every store is found by every search
            continue
        word = " ".join(template.format(**words).lower().split())
        out[word] = max(out.get(word, 0.0), base * scale * rng.uniform(0.6, 1.4))
    return list(out.items())


def monthly_value(seed: int, location_name: str, keyword: str, level: float, year: int,
                  month: int) -> int:
    """Unique searchers in one month: the level, a seasonal swing (more in winter for ramen
    and coffee alike) and noise."""
    season = 1.0 + 0.15 * math.cos(2 * math.pi * (month - 1) / 12)
    rng = random.Random(f"{seed}:{location_name}:{keyword}:{year}-{month:02d}")
    mean = level * season
    return max(0, round(rng.gauss(mean, math.sqrt(mean) + 1)))


def months_with_data(current: tuple[int, int]) -> list[tuple[int, int]]:
    """The months Google has figures for in `current` (year, month): the last twelve complete
    months; the current month is still empty."""
    year, month = current
    out = []
    for back in range(HISTORY_MONTHS, 0, -1):
        index = year * 12 + (month - 1) - back
        out.append((index // 12, index % 12 + 1))
    return out
