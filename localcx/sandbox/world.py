"""A deterministic synthetic world: the caller's accounts, two chains and their stores.

Everything comes from one `random.Random(seed)`, drawn in a fixed order, so the same seed and
store count give a byte-identical world (`World.to_json()`); tests and demos can rely on it.
Half the stores are a Tokyo ramen chain (Japanese content), half a Seattle-area coffee chain.
Reviews, competitors and daily metrics are not stored here: `world_reviews`, `world_places`
and `world_metrics` derive them lazily from (seed, location), so a 5,000-store world stays small.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

from localcx.sandbox import categories, world_hours
from localcx.sandbox.world_geo import JP_AREAS, JP_BUILDINGS, US_AREAS, US_STREETS

MAX_STORES = 10_000
RAMEN_BRAND = "麺屋さくら"
COFFEE_BRAND = "Northwind Coffee"
_PLACE_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

_RAMEN_EXTRA = ("japanese_restaurant", "noodle_shop", "tsukemen_restaurant", "takeout_restaurant",
                "gyoza_restaurant")
_COFFEE_EXTRA = ("cafe", "espresso_bar", "bakery", "breakfast_restaurant", "coffee_roasters")

_JA_DESCRIPTIONS = (
    "{town}駅から徒歩{n}分。豚骨と鶏がらを十二時間炊き出した濃厚スープと、自家製の細麺が自慢のラーメン店です。",
    "{town}で愛される醤油ラーメンの専門店。国産小麦の自家製麺と、煮干しの香るあっさりスープをお楽しみください。",
    "味噌ラーメンとつけ麺が人気の{town}店。深夜まで営業しているので、お仕事帰りにもお気軽にお立ち寄りください。",
    "創業以来の塩ラーメンと手包み餃子の店。{town}駅近く、カウンター{n}席のお店です。",
)
_EN_DESCRIPTIONS = (
    "Neighbourhood espresso bar in {town} with house-roasted beans and pastries baked on site.",
    "Our {town} cafe pours single-origin pour-overs and oat-milk lattes; laptops welcome, "
    "{n} seats and free Wi-Fi.",
    "Drive-up and walk-in coffee in {town}: seasonal drinks, breakfast sandwiches and beans to go.",
    "A bright corner cafe in {town} serving Northwind's signature roasts, fresh scones and "
    "locally baked bread.",
)
_PERSONAL_NAMES = ("Dana Ruiz", "佐藤 美咲", "Alex Chen", "田中 健一", "Jordan Park")


@dataclass
class World:
    """The seeded world: accounts, the merchant's locations, and Google's live overrides."""

    seed: int
    stores: int
    accounts: list[dict[str, Any]]
    locations: list[dict[str, Any]]
    location_accounts: dict[str, str]  # location name → account name
    google_live: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → {field: live}

    def to_json(self) -> str:
        """Canonical JSON of the whole world (for determinism checks and fixtures)."""
        return json.dumps(
            {"seed": self.seed, "stores": self.stores, "accounts": self.accounts,
             "locations": self.locations, "locationAccounts": self.location_accounts,
             "googleLive": self.google_live},
            ensure_ascii=False, sort_keys=True, separators=(",", ":"),
        )


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(10 ** (n - 1), 10**n))


def _place_id(rng: random.Random) -> str:
    return "ChIJ" + "".join(rng.choice(_PLACE_ID_ALPHABET) for _ in range(23))


def _category_block(rng: random.Random, primary: str, extras: tuple[str, ...], lang: str) -> dict:
    def cat(slug: str) -> dict[str, str]:
        name = f"categories/gcid:{slug}"
        return {"name": name, "displayName": categories.display_name(name, lang)}

    block: dict[str, Any] = {"primaryCategory": cat(primary)}
    extra = rng.sample(extras, rng.choice((0, 1, 1, 2)))
    if extra:
        block["additionalCategories"] = [cat(s) for s in extra]
    return block


def _jp_phone(rng: random.Random, area: str) -> str:
    first = 9 - len(area) - 4
    return f"+81 {area}-{_digits(rng, first)}-{rng.randrange(10_000):04d}"


def _us_phone(rng: random.Random, area: str) -> str:
    return f"+1 {area}-555-01{rng.randrange(100):02d}"


def _metadata(rng: random.Random, on_maps: bool) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if on_maps:
        pid = _place_id(rng)
        meta["placeId"] = pid
        meta["mapsUri"] = f"https://maps.google.com/maps?cid={_digits(rng, 19)}"
        meta["newReviewUri"] = f"https://search.google.com/local/writereview?placeid={pid}"
        meta["hasVoiceOfMerchant"] = True
    meta.update({"canDelete": True, "canHaveFoodMenus": True, "canModifyServiceList": True,
                 "canHaveBusinessCalls": on_maps})
    return {k: v for k, v in meta.items() if v}


def _ramen_store(rng: random.Random, i: int, slot: tuple[int, int, int]) -> dict[str, Any]:
    area_ix, town_ix, repeat = slot
    area = JP_AREAS[area_ix]
    town = area.towns[town_ix]
    code = f"TKY-{i + 1:03d}"
    suffix = f"{town}{repeat + 1}号店" if repeat else f"{town}店"
    phones: dict[str, Any] = {"primaryPhone": _jp_phone(rng, area.phone_area)}
    if rng.random() < 0.2:
        phones["additionalPhones"] = [_jp_phone(rng, area.phone_area)]
    address_lines = [f"{town}{rng.randint(1, 5)}丁目{rng.randint(1, 30)}-{rng.randint(1, 20)}"]
    if rng.random() < 0.6:
        address_lines.append(f"{rng.choice(JP_BUILDINGS)} {rng.randint(1, 3)}F")
    labels = [area.label]
    if i == 0:
        labels.append("flagship")
    hours, late = world_hours.ramen_hours(rng)
    if late:
        labels.append("late-night")
    return {
        "languageCode": "ja",
        "storeCode": code,
        "title": f"{RAMEN_BRAND} {suffix}",
        "phoneNumbers": phones,
        "categories": _category_block(rng, "ramen_restaurant", _RAMEN_EXTRA, "ja"),
        "storefrontAddress": {
            "regionCode": "JP", "languageCode": "ja",
            "postalCode": f"{area.postal3}-{rng.randrange(1, 10_000):04d}",
            "administrativeArea": area.prefecture, "locality": area.locality,
            "addressLines": address_lines},
        "websiteUri": f"https://menya-sakura.example/shops/{code.lower()}",
        "regularHours": hours,
        "labels": labels,
        "latlng": {"latitude": round(area.lat + rng.gauss(0, 0.006), 7),
                   "longitude": round(area.lng + rng.gauss(0, 0.006), 7)},
        "profile": {"description": rng.choice(_JA_DESCRIPTIONS).format(
            town=town, n=rng.randint(2, 12))},
    }


def _coffee_store(rng: random.Random, i: int, slot: tuple[int, int, int]) -> dict[str, Any]:
    area_ix, hood_ix, repeat = slot
    area = US_AREAS[area_ix]
    hood = area.neighbourhoods[hood_ix]
    code = f"SEA-{i + 1:03d}"
    suffix = f"{hood} {repeat + 1}" if repeat else hood
    phones: dict[str, Any] = {"primaryPhone": _us_phone(rng, area.phone_area)}
    if rng.random() < 0.15:
        phones["additionalPhones"] = [_us_phone(rng, area.phone_area)]
    lines = [f"{rng.randint(100, 9899)} {rng.choice(US_STREETS)}"]
    if rng.random() < 0.4:
        lines.append(f"Suite {rng.randint(1, 9)}{rng.randint(0, 9)}0")
    labels = list(dict.fromkeys(["region-oregon" if area.state == "OR" else "region-west", area.label]))
    if i == 0:
        labels.append("flagship")
    hours, always_open = world_hours.coffee_hours(rng)
    if always_open:
        labels.append("24-hours")
    return {
        "languageCode": "en",
        "storeCode": code,
        "title": f"{COFFEE_BRAND} {suffix}",
        "phoneNumbers": phones,
        "categories": _category_block(rng, "coffee_shop", _COFFEE_EXTRA, "en"),
        "storefrontAddress": {
            "regionCode": "US", "languageCode": "en",
            "postalCode": f"{area.zip3}{rng.randrange(1, 100):02d}",
            "administrativeArea": area.state, "locality": area.locality, "addressLines": lines},
        "websiteUri": f"https://northwind.example/stores/{code.lower()}",
        "regularHours": hours,
        "labels": labels,
        "latlng": {"latitude": round(area.lat + rng.gauss(0, 0.008), 7),
                   "longitude": round(area.lng + rng.gauss(0, 0.008), 7)},
        "profile": {"description": rng.choice(_EN_DESCRIPTIONS).format(
            town=hood, n=rng.randint(12, 60))},
    }


def _slots(rng: random.Random, towns_per_area: list[int], count: int) -> list[tuple[int, int, int]]:
    """Where each store of a chain sits: (area, town, repeat); towns shuffled, reused as needed."""
    pairs = [(a, t) for a, n in enumerate(towns_per_area) for t in range(n)]
    rng.shuffle(pairs)
    return [(*pairs[i % len(pairs)], i // len(pairs)) for i in range(count)]


def _apply_google_edit(rng: random.Random, loc: dict[str, Any], kind: str) -> dict[str, Any]:
    """Make Maps show something else than the merchant's data; returns {field: live value}."""
    if kind == "title":
        mark = "®" if loc["languageCode"] == "ja" else "™"
        live_title = loc["title"]
        brand = RAMEN_BRAND if loc["languageCode"] == "ja" else COFFEE_BRAND
        loc["title"] = live_title.replace(brand, brand + mark, 1)
        return {"title": live_title}
    if kind == "hours":
        return {"regularHours": world_hours.google_saturday(loc["regularHours"], rng)}
    homepage = loc["websiteUri"].split("/stores/")[0].split("/shops/")[0] + "/"
    return {"websiteUri": homepage}


def build_world(seed: int = 7, stores: int = 30) -> World:
    """Generate the world; pure function of (seed, stores)."""
    if not 1 <= stores <= MAX_STORES:
        raise ValueError(f"stores must be between 1 and {MAX_STORES}, got {stores}")
    rng = random.Random(seed)
    personal = {"name": f"accounts/{_digits(rng, 21)}", "accountName": rng.choice(_PERSONAL_NAMES),
                "type": "PERSONAL", "verificationState": "UNVERIFIED", "vettedState": "NOT_VETTED"}
    groups = []
    for title in (f"{RAMEN_BRAND} 全店舗", f"{COFFEE_BRAND} – All Stores"):
        groups.append({
            "name": f"accounts/{_digits(rng, 21)}", "accountName": title,
            "accountNumber": f"{_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 4)}",
            "type": "LOCATION_GROUP", "role": "OWNER", "permissionLevel": "OWNER_LEVEL",
            "verificationState": "VERIFIED", "vettedState": "NOT_VETTED"})
    n_ramen = (stores + 1) // 2
    n_coffee = stores - n_ramen
    ramen_slots = _slots(rng, [len(a.towns) for a in JP_AREAS], n_ramen)
    coffee_slots = _slots(rng, [len(a.neighbourhoods) for a in US_AREAS], n_coffee)

    off_maps = set(rng.sample(range(stores), max(1, round(stores / 15))))
    on_maps = [i for i in range(stores) if i not in off_maps]
    edited = rng.sample(on_maps, min(len(on_maps), max(1, round(stores * 0.1))))
    closed = set(rng.sample(on_maps, max(1, stores // 300)))
    special = set(rng.sample(range(stores), max(1, stores // 6)))

    ids: set[str] = set()
    locations: list[dict[str, Any]] = []
    owners: dict[str, str] = {}
    live: dict[str, dict[str, Any]] = {}
    edit_kind = {ix: ("title", "hours", "website")[k % 3] for k, ix in enumerate(edited)}
    for i in range(stores):
        lid = _digits(rng, 19)
        while lid in ids:
            lid = _digits(rng, 19)
        ids.add(lid)
        ramen = i < n_ramen
        body = (_ramen_store(rng, i, ramen_slots[i]) if ramen
                else _coffee_store(rng, i - n_ramen, coffee_slots[i - n_ramen]))
        if i in special:
            body["specialHours"] = world_hours.special_hours(rng, ramen)
        body["openInfo"] = {
            "status": "CLOSED_TEMPORARILY" if i in closed else "OPEN", "canReopen": True,
            "openingDate": {"year": rng.randint(2009, 2024), "month": rng.randint(1, 12)}}
        body["metadata"] = _metadata(rng, i not in off_maps)
        loc = {"name": f"locations/{lid}", **body}
        if i in edit_kind:
            live[loc["name"]] = _apply_google_edit(rng, loc, edit_kind[i])
        locations.append(loc)
        owners[loc["name"]] = groups[0 if ramen else 1]["name"]
    return World(seed=seed, stores=stores, accounts=[personal, *groups], locations=locations,
                 location_accounts=owners, google_live=live)
