"""The sandbox's category catalogue: `categories/gcid:{slug}` with English and Japanese names.

Google validates category names on PATCH against its catalogue; the sandbox does the same
against this list, and `categories.list` pages through it. It includes every category the
synthetic world uses.
"""

from __future__ import annotations

from typing import Any

# (slug, English displayName, Japanese displayName, is_food)
_CATALOGUE: tuple[tuple[str, str, str, bool], ...] = (
    ("ramen_restaurant", "Ramen restaurant", "ラーメン屋", True),
    ("japanese_restaurant", "Japanese restaurant", "和食店", True),
    ("noodle_shop", "Noodle shop", "麺類専門店", True),
    ("tsukemen_restaurant", "Tsukemen restaurant", "つけ麺店", True),
    ("takeout_restaurant", "Takeout Restaurant", "テイクアウト", True),
    ("izakaya_restaurant", "Izakaya restaurant", "居酒屋", True),
    ("sushi_restaurant", "Sushi restaurant", "寿司店", True),
    ("udon_noodle_restaurant", "Udon noodle restaurant", "うどん店", True),
    ("soba_noodle_shop", "Soba noodle shop", "そば店", True),
    ("gyoza_restaurant", "Gyoza restaurant", "餃子店", True),
    ("yakitori_restaurant", "Yakitori restaurant", "焼き鳥店", True),
    ("tonkatsu_restaurant", "Tonkatsu restaurant", "とんかつ店", True),
    ("chinese_restaurant", "Chinese restaurant", "中華料理店", True),
    ("korean_restaurant", "Korean restaurant", "韓国料理店", True),
    ("curry_restaurant", "Curry restaurant", "カレー専門店", True),
    ("restaurant", "Restaurant", "レストラン", True),
    ("fast_food_restaurant", "Fast food restaurant", "ファストフード店", True),
    ("family_restaurant", "Family restaurant", "ファミリーレストラン", True),
    ("coffee_shop", "Coffee shop", "コーヒーショップ", True),
    ("cafe", "Cafe", "カフェ", True),
    ("espresso_bar", "Espresso bar", "エスプレッソバー", True),
    ("coffee_roasters", "Coffee roasters", "コーヒー焙煎所", True),
    ("coffee_store", "Coffee store", "コーヒー豆店", False),
    ("tea_house", "Tea house", "喫茶店", True),
    ("bakery", "Bakery", "ベーカリー", True),
    ("pastry_shop", "Pastry shop", "洋菓子店", True),
    ("donut_shop", "Donut shop", "ドーナツ店", True),
    ("breakfast_restaurant", "Breakfast restaurant", "朝食レストラン", True),
    ("brunch_restaurant", "Brunch restaurant", "ブランチレストラン", True),
    ("sandwich_shop", "Sandwich shop", "サンドイッチ店", True),
    ("juice_shop", "Juice shop", "ジューススタンド", True),
    ("ice_cream_shop", "Ice cream shop", "アイスクリーム店", True),
    ("dessert_shop", "Dessert shop", "デザート店", True),
    ("bar", "Bar", "バー", True),
    ("wine_bar", "Wine bar", "ワインバー", True),
    ("pub", "Pub", "パブ", True),
    ("brewery", "Brewery", "醸造所", True),
    ("pizza_restaurant", "Pizza restaurant", "ピザ店", True),
    ("italian_restaurant", "Italian restaurant", "イタリア料理店", True),
    ("french_restaurant", "French restaurant", "フランス料理店", True),
    ("american_restaurant", "American restaurant", "アメリカ料理店", True),
    ("mexican_restaurant", "Mexican restaurant", "メキシコ料理店", True),
    ("thai_restaurant", "Thai restaurant", "タイ料理店", True),
    ("vietnamese_restaurant", "Vietnamese restaurant", "ベトナム料理店", True),
    ("indian_restaurant", "Indian restaurant", "インド料理店", True),
    ("vegetarian_restaurant", "Vegetarian restaurant", "ベジタリアン料理店", True),
    ("hamburger_restaurant", "Hamburger restaurant", "ハンバーガー店", True),
    ("steak_house", "Steak house", "ステーキハウス", True),
    ("seafood_restaurant", "Seafood restaurant", "シーフード料理店", True),
    ("caterer", "Caterer", "ケータリング", True),
    ("convenience_store", "Convenience store", "コンビニエンスストア", False),
    ("grocery_store", "Grocery store", "食料品店", False),
    ("supermarket", "Supermarket", "スーパーマーケット", False),
    ("liquor_store", "Liquor store", "酒店", False),
    ("book_store", "Book store", "書店", False),
    ("clothing_store", "Clothing store", "衣料品店", False),
    ("shoe_store", "Shoe store", "靴店", False),
    ("electronics_store", "Electronics store", "家電量販店", False),
    ("hardware_store", "Hardware store", "ホームセンター", False),
    ("florist", "Florist", "花屋", False),
    ("gift_shop", "Gift shop", "ギフトショップ", False),
    ("pharmacy", "Pharmacy", "薬局", False),
    ("drugstore", "Drugstore", "ドラッグストア", False),
    ("optician", "Optician", "眼鏡店", False),
    ("hair_salon", "Hair salon", "美容院", False),
    ("barber_shop", "Barber shop", "理容店", False),
    ("nail_salon", "Nail salon", "ネイルサロン", False),
    ("beauty_salon", "Beauty salon", "エステサロン", False),
    ("gym", "Gym", "ジム", False),
    ("yoga_studio", "Yoga studio", "ヨガスタジオ", False),
    ("dentist", "Dentist", "歯科医院", False),
    ("medical_clinic", "Medical clinic", "クリニック", False),
    ("veterinarian", "Veterinarian", "動物病院", False),
    ("hotel", "Hotel", "ホテル", False),
    ("hostel", "Hostel", "ホステル", False),
    ("car_repair", "Auto repair shop", "自動車修理店", False),
    ("car_wash", "Car wash", "洗車場", False),
    ("gas_station", "Gas station", "ガソリンスタンド", False),
    ("laundromat", "Laundromat", "コインランドリー", False),
    ("dry_cleaner", "Dry cleaner", "クリーニング店", False),
    ("real_estate_agency", "Real estate agency", "不動産会社", False),
    ("bank", "Bank", "銀行", False),
    ("post_office", "Post office", "郵便局", False),
    ("coworking_space", "Coworking space", "コワーキングスペース", False),
)

# Google's more-hours types offered by food categories (FULL view only).
_FOOD_MORE_HOURS = (
    ("BREAKFAST", "Breakfast", "朝食"),
    ("DELIVERY", "Delivery", "デリバリー"),
    ("TAKEOUT", "Takeout", "テイクアウト"),
    ("HAPPY_HOURS", "Happy hours", "ハッピーアワー"),
)

_BY_NAME = {f"categories/gcid:{row[0]}": row for row in _CATALOGUE}


def names() -> list[str]:
    """Every category name in catalogue order."""
    return list(_BY_NAME)


def exists(name: str) -> bool:
    return name in _BY_NAME


def _is_japanese(language_code: str) -> bool:
    return language_code.lower().startswith("ja")


def display_name(name: str, language_code: str) -> str:
    """The category's displayName in the location's language ("" when unknown)."""
    row = _BY_NAME.get(name)
    if row is None:
        return ""
    return row[2] if _is_japanese(language_code) else row[1]


def category(name: str, language_code: str, *, full: bool = False) -> dict[str, Any]:
    """A Category resource; FULL adds serviceTypes/moreHoursTypes as Google's FULL view does."""
    slug, en, ja, food = _BY_NAME[name]
    out: dict[str, Any] = {"name": name, "displayName": ja if _is_japanese(language_code) else en}
    if full and food:
        out["serviceTypes"] = [
            {
                "serviceTypeId": f"job_type_id:{slug}_dine_in",
                "displayName": "イートイン" if _is_japanese(language_code) else "Dine-in",
            }
        ]
        out["moreHoursTypes"] = [
            {"hoursTypeId": hid, "displayName": hen, "localizedDisplayName": hja
             if _is_japanese(language_code) else hen}
            for hid, hen, hja in _FOOD_MORE_HOURS
        ]
    return out


def catalogue(language_code: str, *, full: bool = False, name_filter: str = "") -> list[dict]:
    """All categories in `language_code`, optionally only those whose displayName contains
    `name_filter` (case-insensitive), as `categories.list` answers with `filter=displayName=`."""
    needle = name_filter.lower()
    out = []
    for name in _BY_NAME:
        cat = category(name, language_code, full=full)
        if needle and needle not in cat["displayName"].lower():
            continue
        out.append(cat)
    return out
