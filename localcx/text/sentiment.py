"""Sentiment of a review's text, offline, for English and Japanese.

The star rating is never an input: the point is to read what the text says, so that a
five-star review with an angry text can be flagged (`disagrees`). Other languages get a neutral
answer here; callers score Google's English translation of those reviews instead.
"""

from __future__ import annotations

from localcx.text import lang as language
from localcx.text.sentiment_core import Label, Sentiment, decide, neutral

__all__ = ["MODEL_VERSION", "Label", "Sentiment", "disagrees", "score"]

MODEL_VERSION = "lexrules-2026.12.1"
"""Stored with every score; bump it when a lexicon or rule changes so stored scores are redone."""

_CLEAR = 0.45  # polarity beyond which a text "clearly" says the opposite of its stars


def score(text: str, lang: str | None = None) -> Sentiment:
    """Score `text`; `lang` is an ISO 639-1 code, detected when None."""
    code = language.detect(text) if lang is None else lang
    if code == "en":
        from localcx.text import sentiment_en

        return decide(sentiment_en.evidence(text), code)
    if code == "ja":
        from localcx.text import sentiment_ja

        return decide(sentiment_ja.evidence(text), code)
    return neutral(code)


def disagrees(stars: int, sentiment: Sentiment) -> bool:
    """True when the text clearly contradicts the stars: 4-5★ with a clearly negative text,
    1-2★ with a clearly positive one. Three stars disagree with nothing: a middling rating fits
    any text."""
    if not 1 <= stars <= 5:
        raise ValueError(f"stars must be 1..5, not {stars}")
    if stars >= 4:
        return sentiment.label is Label.NEGATIVE and sentiment.polarity <= -_CLEAR
    if stars <= 2:
        return sentiment.label is Label.POSITIVE and sentiment.polarity >= _CLEAR
    return False
