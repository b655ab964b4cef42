"""Sentiment and aspects of each stored review, under the scorer's model version (kept in
review_scores and review_aspects by the review store).

The scorer reads the text alone, never the stars (the stars are what a disagreement is
checked against). A review is scored in the language it was written in when the scorer
knows that language (English, Japanese); otherwise Google's translation is scored. When the
model version changes, every review is scored again on the next sync or `reviews score`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.reviews import store
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


def score_all(db: sqlite_utils.Database, clock: Clock, *, rescore: bool = False, progress: Progress | None = None) -> int:
    """Score every review the current model has not scored (all of them with `rescore`)."""
    advance = progress or (lambda n: None)
    done = 0
    for rows in store.unscored(db, sentiment.MODEL_VERSION, rescore=rescore, chunk=CHUNK):
        results = [analyse(r["review_id"], r["original"], r["translated"], r["lang"], r["stars"]) for r in rows]
        save(db, results, iso(clock.now()))
        done += len(results)
        advance(len(results))
    return done


def save(db: sqlite_utils.Database, results: list[Scored], now: str) -> None:
    store.save_scores(
        db,
        [(r.review_id, sentiment.MODEL_VERSION, r.lang, round(r.sentiment.polarity, 4),
          r.sentiment.label.value, int(r.disagrees), now) for r in results],
        [(r.review_id, i, m.aspect.value, round(m.polarity, 4), m.text)
         for r in results for i, m in enumerate(r.mentions)],
    )


def pending(db: sqlite_utils.Database) -> int:
    """Reviews without a score from the current model."""
    return store.unscored_count(db, sentiment.MODEL_VERSION)


def topic_summaries(
    db: sqlite_utils.Database, location_ids: list[str] | None, since: str, until: str, previous: str
) -> list[TopicSummary]:
    """Aspects of reviews created in [since, until), against [previous, since)."""

    def read(start: str, end: str) -> list[TopicRow]:
        return [
            TopicRow(aspects.Aspect(r["aspect"]), r["polarity"], r["quote"], r["stars"], r["created_at"][:10])
            for r in store.aspect_rows(db, location_ids, start, end)
        ]

    return summarise(read(since, until), read(previous, since))
