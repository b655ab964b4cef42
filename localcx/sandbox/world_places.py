"""Competitors around a store, derived lazily from (seed, location), in Places API (New) shapes.

Each store gets 15-40 nearby businesses (mostly rivals of its own kind, some other shops) with
place ids, names in the store's language, coordinates within about 1.5 km, ratings and types;
rank checks and the Places emulator are built on top of this.
"""

from __future__ import annotations

import math
import random
from typing import Any

_PLACE_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_JA_RIVALS = ("らーめん{x}", "中華そば {x}", "{x}家", "麺処 {x}", "つけ麺 {x}", "ラーメン{x}")
_JA_WORDS = ("一番", "大勝", "花月", "龍", "竹", "松風", "天", "福", "虎", "武蔵", "桜木", "青葉")
_JA_OTHERS = (("居酒屋 {x}", "izakaya_restaurant"), ("喫茶 {x}", "cafe"),
              ("寿司 {x}", "sushi_restaurant"), ("餃子の{x}", "chinese_restaurant"))
_EN_RIVALS = ("{x} Coffee", "{x} Espresso", "{x} Roasters", "Cafe {x}", "{x} Coffee House")
_EN_WORDS = ("Blue Heron", "Cascade", "Driftwood", "Evergreen", "Ferry", "Granite", "Harbor",
             "Juniper", "Larch", "Madrona", "Orca", "Rainier", "Salish", "Tideline", "Vashon")
_EN_OTHERS = (("{x} Bakery", "bakery"), ("{x} Donuts", "donut_shop"),
              ("{x} Tea Bar", "tea_house"), ("{x} Sandwich Co.", "sandwich_shop"))
_COMMON_TYPES = ["food", "point_of_interest", "establishment"]


def _place_id(rng: random.Random) -> str:
    return "ChIJ" + "".join(rng.choice(_PLACE_ID_ALPHABET) for _ in range(23))


def _offset(lat: float, lng: float, rng: random.Random) -> tuple[float, float]:
    """A point within ~1.5 km of (lat, lng), denser near the centre."""
    dist = 1500.0 * math.sqrt(rng.random()) * rng.random()
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = dist * math.cos(bearing) / 111_320.0
    dlng = dist * math.sin(bearing) / (111_320.0 * math.cos(math.radians(lat)))
    return round(lat + dlat, 7), round(lng + dlng, 7)


def competitors(seed: int, location: dict[str, Any]) -> list[dict[str, Any]]:
    """Places (New) `Place` dicts near the store, in a fixed order."""
    rng = random.Random(f"{seed}:competitors:{location['name']}")
    ja = location.get("languageCode", "en").startswith("ja")
    centre = location.get("latlng", {})
    lat, lng = centre.get("latitude", 0.0), centre.get("longitude", 0.0)
    rivals, words, others = (_JA_RIVALS, _JA_WORDS, _JA_OTHERS) if ja else (
        _EN_RIVALS, _EN_WORDS, _EN_OTHERS)
    own_type = "ramen_restaurant" if ja else "coffee_shop"
    locality = location.get("storefrontAddress", {}).get("locality", "")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for _ in range(rng.randint(15, 40)):
        if rng.random() < 0.7:
            name, primary = rng.choice(rivals).format(x=rng.choice(words)), own_type
        else:
            pattern, primary = rng.choice(others)
            name = pattern.format(x=rng.choice(words))
        if name in seen:
            name = f"{name} {rng.randint(2, 9)}" if not ja else f"{name} {rng.randint(2, 9)}号店"
        seen.add(name)
        plat, plng = _offset(lat, lng, rng)
        place: dict[str, Any] = {
            "id": _place_id(rng),
            "displayName": {"text": name, "languageCode": "ja" if ja else "en"},
            "location": {"latitude": plat, "longitude": plng},
            "types": [primary, "restaurant" if primary != "cafe" else "cafe", *_COMMON_TYPES],
            "primaryType": primary,
            "formattedAddress": f"{locality}, {'Japan' if ja else 'USA'}" if locality else "",
            "businessStatus": "OPERATIONAL" if rng.random() > 0.04 else "CLOSED_TEMPORARILY",
        }
        if rng.random() > 0.05:  # a few brand-new places have no rating yet
            place["rating"] = round(min(5.0, max(2.5, rng.gauss(4.1, 0.35))), 1)
            place["userRatingCount"] = int(rng.lognormvariate(4.5, 1.0)) + 1
        place["name"] = f"places/{place['id']}"
        out.append({k: v for k, v in place.items() if v != ""})
    return out
