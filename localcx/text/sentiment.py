"""Sentiment of a review's text, offline, for English and Japanese.

The star rating is never an input: the point is to read what the text says, so that a
five-star review with an angry text can be flagged (`disagrees`). Other languages get a neutral
answer here; callers score Google's English translation of those reviews instead.
"""

from __future__ import annotations

from localcx.text import lang as language
from localcx.text.sentiment_core import Label, Sentiment, decide, neutral

__all__ = ["MODEL_VERSION", "Label", "Sentiment", "disagrees", "score"]

MODEL_VERSION = "lexrules-2026.12.3"
"""Stored with every score; bump it when a lexicon or rule changes (the aspect lexicon in
text/data/aspects.toml too: aspects are stored with the score) so stored scores are redone."""

_CLEAR = 0.65  # polarity beyond which a text "clearly" says the opposite of its stars (net weight ~1.25)


def score(text: str, lang: str | None = None) -> Sentiment:
    """Score `text`; `lang` is an ISO 639-1 code or a BCP 47 tag ("ja-JP"), detected when None.
    Other languages get neutral 0.0 with their code."""
    # Google's languageCode comes as "ja-JP" or "en_US" too; the scorer needs the language only.
    code = language.detect(text) if lang is None else lang.replace("_", "-").split("-")[0].lower()
    if code in ("en", language.UNDETERMINED):
        # "und" is emoji, ratings ("5/10") and fragments: the English rules read those too.
        from localcx.text import sentiment_en

        return decide(sentiment_en.evidence(text), code)
    if code == "ja":
        from localcx.text import sentiment_ja

        return decide(sentiment_ja.evidence(text), code)
    return neutral(code)


def disagrees(stars: int, sentiment: Sentiment) -> bool:
    """True when the text clearly contradicts the stars: 4-5★ with a clearly negative text,
    1-2★ with a clearly positive one. Three stars disagree with nothing: a middling rating fits
    any text, and a rating outside 1..5 (Google's STAR_RATING_UNSPECIFIED) contradicts nothing."""
    if stars in (4, 5):
        return sentiment.label is Label.NEGATIVE and sentiment.polarity <= -_CLEAR
    if stars in (1, 2):
        return sentiment.label is Label.POSITIVE and sentiment.polarity >= _CLEAR
    return False
