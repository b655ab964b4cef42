"""The seeded world and its lazy generators: determinism, size and shape."""

from __future__ import annotations

import re
from datetime import date

from localcx.sandbox import categories, world_metrics, world_places, world_reviews
from localcx.sandbox.world import build_world


def test_same_seed_same_world_different_seed_differs() -> None:
    assert build_world(7).to_json() == build_world(7).to_json()
    assert build_world(7).to_json() != build_world(8).to_json()
    assert build_world(7, 40).to_json() != build_world(7, 30).to_json()


def test_default_world_shape() -> None:
    w = build_world()
    assert len(w.locations) == 30
    assert w.accounts[0]["type"] == "PERSONAL"
    assert [a["type"] for a in w.accounts[1:]] == ["LOCATION_GROUP", "LOCATION_GROUP"]
    owners = list(w.location_accounts.values())
    assert owners.count(w.accounts[1]["name"]) == 15 and owners.count(w.accounts[2]["name"]) == 15
    ids = [loc["name"] for loc in w.locations]
    assert all(re.fullmatch(r"locations/\d{19}", i) for i in ids) and len(set(ids)) == 30
    ramen = [loc for loc in w.locations if loc["languageCode"] == "ja"]
    assert all(loc["storefrontAddress"]["regionCode"] == "JP" for loc in ramen)
    assert all(loc["phoneNumbers"]["primaryPhone"].startswith("+81 ") for loc in ramen)
    assert all(loc["categories"]["primaryCategory"]["name"] == "categories/gcid:ramen_restaurant"
               for loc in ramen)
    assert any(p["closeDay"] != p["openDay"] for loc in ramen
               for p in loc["regularHours"]["periods"]), "some ramen shops close after midnight"
    off_maps = [loc for loc in w.locations if "placeId" not in loc["metadata"]]
    assert 1 <= len(off_maps) <= 4
    assert all("mapsUri" not in loc["metadata"] for loc in off_maps)
    assert 2 <= len(w.google_live) <= 4
    assert sum(loc["openInfo"]["status"] == "CLOSED_TEMPORARILY" for loc in w.locations) == 1
    used = {c["name"] for loc in w.locations for c in
            [loc["categories"]["primaryCategory"], *loc["categories"].get("additionalCategories", [])]}
    assert all(categories.exists(name) for name in used)
    assert len(categories.names()) >= 80


def test_five_thousand_stores_each_have_their_own_name_and_code() -> None:
    w = build_world(7, 5000)
    assert len({loc["name"] for loc in w.locations}) == 5000
    assert len({loc["storeCode"] for loc in w.locations}) == 5000


def test_reviews_are_deterministic_and_varied() -> None:
    loc = build_world().locations[0]
    reviews = world_reviews.reviews_for(7, loc, account="accounts/1")
    assert reviews == world_reviews.reviews_for(7, loc, account="accounts/1")
    assert reviews != world_reviews.reviews_for(8, loc, account="accounts/1")
    assert 50 <= len(reviews) <= 300
    assert {r["starRating"] for r in reviews} <= set(world_reviews.STARS)
    assert any("comment" not in r for r in reviews), "rating-only reviews exist"
    assert any("reviewReply" in r for r in reviews)
    times = [r["updateTime"] for r in reviews]
    assert times == sorted(times, reverse=True) and all(t.endswith("Z") for t in times)
    all_comments = [r.get("comment", "") for loc in build_world().locations
                    for r in world_reviews.reviews_for(7, loc)]
    assert any(c.startswith("(Translated by Google) ") and "\n\n(Original)\n" in c
               for c in all_comments)
    summary = world_reviews.review_summary(reviews)
    assert 1.0 <= summary["averageRating"] <= 5.0 and summary["totalReviewCount"] == len(reviews)


def test_metrics_are_pure_with_weekly_rhythm() -> None:
    name = build_world().locations[0]["name"]
    metric = "BUSINESS_IMPRESSIONS_MOBILE_MAPS"
    a = world_metrics.series(7, name, metric, date(2025, 1, 1), date(2025, 12, 31))
    assert a == world_metrics.series(7, name, metric, date(2025, 1, 1), date(2025, 12, 31))
    assert len(a) == 365 and all(v >= 0 for _, v in a)
    by_day = [0.0] * 7
    for d, v in a:
        by_day[d.weekday()] += v
    assert by_day[5] > by_day[1] * 1.2, "restaurants are busier on Saturdays"
    assert set(world_metrics.DAILY_METRICS) >= {"CALL_CLICKS", "WEBSITE_CLICKS"}
    first, last = world_metrics.history_range(date(2026, 7, 1))
    assert (last - first).days >= 540


def test_competitors_near_the_store() -> None:
    loc = build_world().locations[0]
    places = world_places.competitors(7, loc)
    assert places == world_places.competitors(7, loc)
    assert 15 <= len(places) <= 40
    assert len({p["id"] for p in places}) == len(places)
    lat = loc["latlng"]["latitude"]
    assert all(abs(p["location"]["latitude"] - lat) < 0.02 for p in places)
    assert all(p["name"] == f"places/{p['id']}" for p in places)
