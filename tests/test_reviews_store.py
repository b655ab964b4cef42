"""The local review store: upserts that count new and updated reviews once, removal marks,
rating history, and the filters and trigram search `reviews list` uses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from localcx.db import open_db
from localcx.errors import UsageError
from localcx.reviews import alerts, store
from localcx.reviews.store import ReviewFilter

NOW = "2026-12-01T00:00:00Z"


def _review(rid: str, stars: str = "FIVE", comment: str | None = "Great coffee.", *,
            updated: str = "2026-11-01T10:00:00.000000Z", reply: dict[str, Any] | None = None,
            reviewer: dict[str, Any] | None = None) -> dict[str, Any]:
    review: dict[str, Any] = {
        "name": f"accounts/1/locations/100/reviews/{rid}",
        "reviewId": rid,
        "reviewer": reviewer if reviewer is not None else {"displayName": "Sam K."},
        "starRating": stars,
        "createTime": updated,
        "updateTime": updated,
    }
    if comment is not None:
        review["comment"] = comment
    if reply is not None:
        review["reviewReply"] = reply
    return review


@pytest.fixture
def db(tmp_path: Path) -> Any:
    database = open_db(tmp_path / "ws.db")
    yield database
    database.close()


def _save(db: Any, *reviews: dict[str, Any]) -> store.PageCounts:
    return store.save_page(db, [(r, "100", "TKY-001") for r in reviews], NOW)


def test_a_page_read_twice_is_new_once_and_then_unchanged(db: Any) -> None:
    first = _save(db, _review("a"), _review("b", "ONE", "Cold food."))
    assert [r["review_id"] for r in first.new] == ["a", "b"]
    again = _save(db, _review("a"), _review("b", "ONE", "Cold food."))
    assert (again.new, again.updated, again.unchanged) == ([], 0, 2)
    assert store.count(db) == 2


def test_an_edit_or_a_new_reply_counts_as_updated_and_replaces_the_text(db: Any) -> None:
    _save(db, _review("a", "TWO", "Slow service."))
    edited = _save(db, _review("a", "FOUR", "Slow at first, then lovely.", updated="2026-11-05T00:00:00Z"))
    assert edited.updated == 1 and not edited.new
    replied = _save(db, _review("a", "FOUR", "Slow at first, then lovely.", updated="2026-11-05T00:00:00Z",
                                reply={"comment": "Thanks!", "updateTime": "2026-11-06T00:00:00Z",
                                       "reviewReplyState": "PENDING"}))
    assert replied.updated == 1
    row = store.get(db, "a")
    assert row is not None
    assert (row["stars"], row["original"], row["reply_state"]) == (4, "Slow at first, then lovely.", "PENDING")
    assert [r["review_id"] for r in store.pending_replies(db)] == ["a"]
    hits = list(store.select(db, ReviewFilter(search="lovely")))
    assert [r["review_id"] for r in hits] == ["a"], "the search index follows the edit"
    assert not list(store.select(db, ReviewFilter(search="Slow service")))


def test_google_translation_is_split_and_the_original_language_kept(db: Any) -> None:
    _save(db, _review("t", "FIVE", "(Translated by Google) The broth was rich.\n\n(Original)\nスープが濃厚でした。"))
    row = store.get(db, "t")
    assert row is not None
    assert (row["original"], row["translated"], row["lang"]) == ("スープが濃厚でした。", "The broth was rich.", "ja")


def test_anonymous_reviewers_in_both_shapes_have_no_name(db: Any) -> None:
    _save(db, _review("x", reviewer={"isAnonymous": True}),
          _review("y", reviewer={"displayName": "A Google User", "isAnonymous": True}),
          _review("z", comment=None))
    rows = {r["review_id"]: r for r in store.select(db, ReviewFilter())}
    assert rows["x"]["reviewer"] is None and rows["x"]["anonymous"] == 1
    assert rows["y"]["reviewer"] is None and rows["y"]["anonymous"] == 1
    assert rows["z"]["original"] is None and rows["z"]["stars"] == 5, "a rating-only review is kept"


def test_removed_reviews_are_marked_and_hidden_but_kept(db: Any) -> None:
    _save(db, _review("a"), _review("b"))
    assert store.mark_removed(db, "100", {"a"}, NOW) == 1
    assert [r["review_id"] for r in store.select(db, ReviewFilter())] == ["a"]
    assert len(list(store.select(db, ReviewFilter(include_removed=True)))) == 2
    _save(db, _review("b"))
    assert store.count(db) == 2, "a review Google shows again is no longer removed"


def test_filters_combine(db: Any) -> None:
    _save(
        db,
        _review("a", "ONE", "The staff were rude and the parking was full.", updated="2026-11-20T00:00:00Z"),
        _review("b", "TWO", "駐車場が狭くて停めにくい。", updated="2026-11-10T00:00:00Z"),
        _review("c", "FIVE", "Lovely place.", updated="2026-10-01T00:00:00Z",
                reply={"comment": "Thank you!", "updateTime": "2026-10-02T00:00:00Z"}),
    )

    def ids(**where: Any) -> list[str]:
        return [r["review_id"] for r in store.select(db, ReviewFilter(**where))]

    assert ids() == ["a", "b", "c"], "newest first"
    assert ids(max_stars=2) == ["a", "b"]
    assert ids(min_stars=5) == ["c"]
    assert ids(since="2026-11-01T00:00:00Z") == ["a", "b"]
    assert ids(lang="ja") == ["b"]
    assert ids(unreplied=True) == ["a", "b"]
    assert ids(search="駐車場") == ["b"], "a Japanese word inside a sentence (trigram)"
    assert ids(search="駐車") == ["b"], "two characters fall back to LIKE"
    assert ids(search="PARKING") == ["a"], "case does not matter"
    assert ids(search='"rude') == [], "FTS syntax in a search is literal, never an error"
    assert ids(location_ids=("999",)) == []
    assert ids(limit=1) == ["a"]


def test_rating_history_records_google_figures_or_the_local_copy(db: Any) -> None:
    _save(db, _review("a", "FIVE"), _review("b", "TWO"))
    store.record_stats(db, "100", 4.4, 318, "2026-11-30T00:00:00Z")
    store.record_stats(db, "100", None, None, NOW)
    history = store.stats_history(db, ["100"])
    assert [(h["average_rating"], h["total_count"], h["source"]) for h in history] == [
        (4.4, 318, "google"), (3.5, 2, "local")]


def test_star_ranges() -> None:
    assert (alerts.parse_stars("1-2").low, alerts.parse_stars("1-2").high) == (1, 2)
    assert 5 in alerts.parse_stars("5") and 4 not in alerts.parse_stars("5")
    for bad in ("0-2", "3-1", "six", "1-2-3", ""):
        with pytest.raises(UsageError):
            alerts.parse_stars(bad)


def test_the_hook_gets_one_json_line_per_review_and_failures_are_reported(tmp_path: Path) -> None:
    out = tmp_path / "got.jsonl"
    script = f"{sys.executable} -c \"import sys; open(r'{out}', 'a', encoding='utf-8').write(sys.stdin.read())\""
    failures = alerts.run_hook(script, [{"review_id": "a" * 20, "text": "冷たい"}, {"review_id": "b" * 20}])
    assert failures == []
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and "冷たい" in lines[0]
    failing = alerts.run_hook(f"{sys.executable} -c \"import sys; sys.exit('no route')\"", [{"review_id": "c" * 20}])
    assert len(failing) == 1 and "exited 1" in failing[0] and "no route" in failing[0]
