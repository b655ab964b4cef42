"""Sentiment and aspects of each stored review, under the scorer's model version. Owns
review_scores and review_aspects.

The scorer reads the text alone, never the stars (the stars are what a disagreement is
checked against). A review is scored in the language it was written in when the scorer
knows that language (English, Japanese); otherwise Google's translation is scored. When the
model version changes, every review is scored again on the next sync or `reviews score`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.text import aspects, sentiment
from localcx.text import lang as langs
from localcx.text.topics import TopicRow, TopicSummary, summarise

SCORED_LANGUAGES = ("en", "ja")
CHUNK = 500

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Scored:
    review_id: str
    lang: str
    sentiment: sentiment.Sentiment
    disagrees: bool
    mentions: list[aspects.Mention]


def text_to_score(original: str | None, translated: str | None, lang: str | None) -> tuple[str, str]:
    """(text, language) the scorer should read for one review."""
    if original and lang in SCORED_LANGUAGES:
        return original, lang
    if translated:
        translated_lang = langs.detect(translated)
        if translated_lang in SCORED_LANGUAGES:
            return translated, translated_lang
    return original or "", lang or "und"


def _clause_polarity(text: str, lang: str) -> float:
    return sentiment.score(text, lang).polarity


def analyse(review_id: str, original: str | None, translated: str | None, lang: str | None, stars: int | None) -> Scored:
    text, text_lang = text_to_score(original, translated, lang)
    if not text.strip():
        result = sentiment.Sentiment(0.0, sentiment.Label.NEUTRAL, text_lang)
        return Scored(review_id, text_lang, result, False, [])
    result = sentiment.score(text, text_lang)
    disagrees = stars is not None and sentiment.disagrees(stars, result)
    found = aspects.mentions(text, text_lang, _clause_polarity) if text_lang in SCORED_LANGUAGES else []
    return Scored(review_id, text_lang, result, disagrees, found)


def _unscored(db: sqlite_utils.Database, *, rescore: bool) -> Iterator[list[dict[str, Any]]]:
    where = "" if rescore else "where s.review_id is null or s.model != ?"
    params: list[Any] = [] if rescore else [sentiment.MODEL_VERSION]
    last = ""
    while True:
        rows = list(db.query(
            "select r.review_id, r.original, r.translated, r.lang, r.stars from reviews r "
            "left join review_scores s on s.review_id = r.review_id "
            f"{where + ' and' if where else 'where'} r.review_id > ? order by r.review_id limit {CHUNK}",
            [*params, last],
        ))
        if not rows:
            return
        yield rows
        last = rows[-1]["review_id"]


def pending(db: sqlite_utils.Database) -> int:
    """Reviews without a score from the current model."""
    return int(db.execute(
        "select count(*) from reviews r left join review_scores s on s.review_id = r.review_id "
        "where s.review_id is null or s.model != ?",
        [sentiment.MODEL_VERSION],
    ).fetchone()[0])


def score_all(db: sqlite_utils.Database, clock: Clock, *, rescore: bool = False, progress: Progress | None = None) -> int:
    """Score every review the current model has not scored (all of them with `rescore`)."""
    advance = progress or (lambda n: None)
    done = 0
    for rows in _unscored(db, rescore=rescore):
        results = [analyse(r["review_id"], r["original"], r["translated"], r["lang"], r["stars"]) for r in rows]
        save(db, results, iso(clock.now()))
        done += len(results)
        advance(len(results))
    return done


def save(db: sqlite_utils.Database, results: list[Scored], now: str) -> None:
    with db.atomic():
        db.conn.executemany(
            "insert into review_scores (review_id, model, lang, polarity, label, disagrees, scored_at) "
            "values (?, ?, ?, ?, ?, ?, ?) on conflict(review_id) do update set model = excluded.model, "
            "lang = excluded.lang, polarity = excluded.polarity, label = excluded.label, "
            "disagrees = excluded.disagrees, scored_at = excluded.scored_at",
            [(r.review_id, sentiment.MODEL_VERSION, r.lang, round(r.sentiment.polarity, 4),
              r.sentiment.label.value, int(r.disagrees), now) for r in results],
        )
        ids = [(r.review_id,) for r in results]
        db.conn.executemany("delete from review_aspects where review_id = ?", ids)
        db.conn.executemany(
            "insert into review_aspects (review_id, idx, aspect, polarity, quote) values (?, ?, ?, ?, ?)",
            [(r.review_id, i, m.aspect.value, round(m.polarity, 4), m.text)
             for r in results for i, m in enumerate(r.mentions)],
        )


def aspect_rows(
    db: sqlite_utils.Database, location_ids: list[str] | None, since: str | None, until: str | None
) -> Iterator[dict[str, Any]]:
    """Every aspect mention of the selected reviews (for `reviews topics` and the report)."""
    clauses = ["r.removed_at is null"]
    params: list[Any] = []
    if location_ids is not None:
        clauses.append(f"r.location_id in ({', '.join('?' for _ in location_ids) or 'null'})")
        params += location_ids
    if since:
        clauses.append("r.created_at >= ?")
        params.append(since)
    if until:
        clauses.append("r.created_at < ?")
        params.append(until)
    yield from db.query(
        "select a.aspect, a.polarity, a.quote, r.stars, r.created_at, r.location_id "
        "from review_aspects a join reviews r on r.review_id = a.review_id "
        f"where {' and '.join(clauses)}",
        params,
    )


def label_counts(db: sqlite_utils.Database, location_ids: list[str] | None = None) -> dict[str, dict[str, int]]:
    """{location_id: {label: count}} over current reviews."""
    where, params = "", []
    if location_ids is not None:
        where = f"and r.location_id in ({', '.join('?' for _ in location_ids) or 'null'})"
        params = list(location_ids)
    out: dict[str, dict[str, int]] = {}
    for row in db.query(
        "select r.location_id, s.label, count(*) as n from reviews r join review_scores s "
        f"on s.review_id = r.review_id where r.removed_at is null {where} group by r.location_id, s.label",
        params,
    ):
        out.setdefault(row["location_id"], {})[row["label"]] = row["n"]
    return out


def topic_summaries(
    db: sqlite_utils.Database, location_ids: list[str] | None, since: str, until: str, previous: str
) -> list[TopicSummary]:
    """Aspects of reviews created in [since, until), against [previous, since)."""

    def read(start: str, end: str) -> list[TopicRow]:
        return [
            TopicRow(aspects.Aspect(r["aspect"]), r["polarity"], r["quote"], r["stars"], r["created_at"][:10])
            for r in aspect_rows(db, location_ids, start, end)
        ]

    return summarise(read(since, until), read(previous, since))


def aspects_of(db: sqlite_utils.Database, review_id: str) -> list[dict[str, Any]]:
    """The aspects one review mentions, in text order: {aspect, polarity, quote}."""
    return list(db.query(
        "select aspect, polarity, quote from review_aspects where review_id = ? order by idx",
        [review_id],
    ))
