"""Reviews of a store, derived lazily from (seed, location): v4 Review shapes, EN and JA.

Nothing is stored: `reviews_for` regenerates the same list every time from a Random seeded
with the world seed and the location name, so 5,000 stores × 300 reviews cost nothing until
asked for. Mixes what review pipelines must cope with: J-shaped star mixes, rating-only reviews
(no `comment`), Google's "(Translated by Google) … (Original) …" comments, anonymous reviewers,
edited reviews (updateTime > createTime) and existing owner replies.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)  # newest possible review time, for determinism
SPAN_DAYS = 3 * 365
STARS = ("ONE", "TWO", "THREE", "FOUR", "FIVE")
_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

# (Japanese, English) sentence pairs by mood, so a translated comment can show both sides.
_RAMEN = {
    "good": (("スープが濃厚で最高でした。", "The broth was rich and fantastic."),
             ("麺の硬さがちょうど良かったです。", "The noodles were cooked just right."),
             ("チャーシューが柔らかくて美味しい。", "The chashu was tender and delicious."),
             ("店員さんの対応がとても丁寧でした。", "The staff were very polite."),
             ("深夜でも開いているのが嬉しい。", "Great that it is open late at night.")),
    "mixed": (("味は良いけど少し塩辛かった。", "Tasty, but a little too salty."),
              ("昼は行列が長くて30分待ちました。", "The lunch queue was long; we waited 30 minutes."),
              ("量は多いが値段がやや高め。", "Big portions, but a bit pricey.")),
    "bad": (("スープがぬるかったです。", "The soup was lukewarm."),
            ("店内が狭くて落ち着かない。", "The shop is cramped and uncomfortable."),
            ("注文を間違えられました。", "They got my order wrong."),
            ("接客が冷たく感じました。", "The service felt cold.")),
}
_COFFEE = {
    "good": (("ラテがとても美味しかった。", "The latte was excellent."),
             ("バリスタがフレンドリーでした。", "The baristas were friendly."),
             ("スコーンが焼きたてでした。", "The scones were fresh out of the oven."),
             ("作業しやすい落ち着いた雰囲気。", "Calm atmosphere, good for working.")),
    "mixed": (("コーヒーは美味しいが席が少ない。", "Good coffee but not many seats."),
              ("朝は混んでいて時間がかかった。", "Busy in the morning, so it took a while."),
              ("Wi-Fiが時々つながらない。", "The Wi-Fi drops now and then.")),
    "bad": (("コーヒーがぬるかった。", "My coffee was lukewarm."),
            ("モバイルオーダーが20分遅れた。", "My mobile order was 20 minutes late."),
            ("テーブルが汚れていました。", "The tables were dirty."),
            ("店員の態度が悪かった。", "The staff were rude.")),
}
_REPLIES = {
    "ja": ("ご来店ありがとうございました。またのお越しをお待ちしております。",
           "貴重なご意見ありがとうございます。スタッフ一同、改善に努めてまいります。",
           "ご迷惑をおかけし申し訳ございませんでした。"),
    "en": ("Thanks so much for visiting - see you again soon!",
           "Thank you for the feedback; we've shared it with the team.",
           "We're sorry about your visit. Please reach out so we can make it right."),
}
_JA_NAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")
_EN_NAMES = ("Sam K.", "Maria Lopez", "Chris P.", "Jenny Wu", "Tom B.", "Priya S.", "Alex R.",
             "Dana M.", "Kevin O.", "Lauren T.")
# Star weights (ONE..FIVE) for a few store "personalities".
_MIXES = ((0.05, 0.03, 0.07, 0.25, 0.60), (0.10, 0.05, 0.10, 0.25, 0.50),
          (0.18, 0.08, 0.14, 0.22, 0.38), (0.03, 0.02, 0.05, 0.20, 0.70))


def _rng(seed: int, location_name: str) -> random.Random:
    return random.Random(f"{seed}:reviews:{location_name}")


def _rfc3339(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"


def _text(rng: random.Random, pairs: tuple[tuple[str, str], ...], n: int) -> tuple[str, str]:
    chosen = rng.sample(pairs, min(n, len(pairs)))
    return "".join(p[0] for p in chosen), " ".join(p[1] for p in chosen)


def _comment(rng: random.Random, stars: int, store_ja: bool, writer_ja: bool,
             ramen: bool) -> str | None:
    if rng.random() < 0.25:
        return None  # rating-only review
    bank = _RAMEN if ramen else _COFFEE
    mood = "good" if stars >= 4 else "mixed" if stars == 3 else "bad"
    ja, en = _text(rng, bank[mood], rng.randint(1, 3))
    if writer_ja != store_ja and rng.random() < 0.6:
        # Google translated it into the store's language and kept the original below.
        translated, original = (ja, en) if store_ja else (en, ja)
        return f"(Translated by Google) {translated}\n\n(Original)\n{original}"
    return ja if writer_ja else en


def reviews_for(seed: int, location: dict[str, Any], *, account: str | None = None,
                until: datetime = ANCHOR) -> list[dict[str, Any]]:
    """50-300 v4 Review dicts, newest `updateTime` first; `name` set when `account` given."""
    name = location["name"]
    rng = _rng(seed, name)
    store_ja = location.get("languageCode", "en").startswith("ja")
    primary = location.get("categories", {}).get("primaryCategory", {}).get("name", "")
    ramen = "ramen" in primary or (store_ja and "coffee" not in primary)
    weights = rng.choice(_MIXES)
    out: list[dict[str, Any]] = []
    for _ in range(rng.randint(50, 300)):
        stars = rng.choices(range(1, 6), weights)[0]
        rid = "AbFvOq" + "".join(rng.choice(_ID_ALPHABET) for _ in range(34))
        created = until - timedelta(seconds=rng.randrange(SPAN_DAYS * 86400),
                                    microseconds=rng.randrange(1_000_000))
        updated = created + timedelta(days=rng.randint(1, 60)) if rng.random() < 0.05 else created
        updated = min(updated, until)
        writer_ja = rng.random() < (0.8 if store_ja else 0.06)
        review: dict[str, Any] = {"reviewId": rid}
        if account:
            review["name"] = f"{account}/{name}/reviews/{rid}"
        if rng.random() < 0.05:
            review["reviewer"] = {"isAnonymous": True}
        else:
            review["reviewer"] = {
                "profilePhotoUrl": "https://lh3.googleusercontent.com/a-/ALV-Uj"
                + "".join(rng.choice(_ID_ALPHABET) for _ in range(20)),
                "displayName": rng.choice(_JA_NAMES) + rng.choice(("", " さん")) if writer_ja
                else rng.choice(_EN_NAMES)}
        review["starRating"] = STARS[stars - 1]
        comment = _comment(rng, stars, store_ja, writer_ja, ramen)
        if comment:
            review["comment"] = comment
        review["createTime"] = _rfc3339(created)
        review["updateTime"] = _rfc3339(updated)
        if comment and rng.random() < 0.4:
            lang = "ja" if store_ja else "en"
            text = _REPLIES[lang][0 if stars >= 4 else 1 if stars == 3 else 2]
            replied = min(updated + timedelta(hours=rng.randint(1, 72)), until)
            review["reviewReply"] = {"comment": text, "updateTime": _rfc3339(replied)}
        out.append(review)
    out.sort(key=lambda r: r["updateTime"], reverse=True)
    return out


def review_summary(reviews: list[dict[str, Any]]) -> dict[str, Any]:
    """`averageRating` (one decimal, as Google shows) and `totalReviewCount` of a list."""
    if not reviews:
        return {}
    total = sum(STARS.index(r["starRating"]) + 1 for r in reviews)
    return {"averageRating": round(total / len(reviews), 1), "totalReviewCount": len(reviews)}
