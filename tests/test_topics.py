"""Aspect mentions folded into ranked topics with quotes and the change since last period."""

from __future__ import annotations

import pytest

from localcx.text.aspects import Aspect
from localcx.text.topics import QUOTE_CHARS, TopicRow, TopicSummary, shorten, summarise


def row(aspect: Aspect, polarity: float, quote: str = "", when: str = "2026-11-01", stars: int | None = 4) -> TopicRow:
    return TopicRow(aspect, polarity, quote or f"{aspect} {polarity}", stars, when)


def test_ranked_by_mentions_then_most_negative_first():
    current = [
        row(Aspect.SERVICE, 0.5),
        row(Aspect.SERVICE, -0.5),
        row(Aspect.SERVICE, 0.9),
        row(Aspect.PRICE, -0.4),
        row(Aspect.QUALITY, 0.8),
        row(Aspect.WAITING, -0.6),
    ]
    ranked = [(s.aspect, s.mentions) for s in summarise(current, [])]
    assert ranked == [(Aspect.SERVICE, 3), (Aspect.WAITING, 1), (Aspect.PRICE, 1), (Aspect.QUALITY, 1)]


def test_counts_share_mean_and_the_previous_period():
    current = [row(Aspect.PRICE, -0.8), row(Aspect.PRICE, 0.4), row(Aspect.PRICE, 0.0), row(Aspect.QUALITY, 1.0)]
    previous = [row(Aspect.PRICE, 0.6, when="2026-10-01"), row(Aspect.PRICE, 0.2, when="2026-10-02")]
    price, quality = summarise(current, previous)
    assert price == TopicSummary(
        aspect=Aspect.PRICE,
        mentions=3,
        share=0.75,
        polarity=pytest.approx(-0.4 / 3),
        positive=1,
        negative=1,
        previous_mentions=2,
        previous_polarity=pytest.approx(0.4),
        quotes=price.quotes,
    )
    assert quality.previous_mentions == 0 and quality.previous_polarity is None
    assert quality.share == 0.25


def test_aspects_only_in_the_previous_period_are_left_out():
    assert [s.aspect for s in summarise([row(Aspect.PRICE, 0.1)], [row(Aspect.BOOKING, -1.0)])] == [Aspect.PRICE]
    assert summarise([], [row(Aspect.BOOKING, -1.0)]) == []


def test_quotes_are_most_negative_then_most_positive_then_the_next_negative():
    current = [
        row(Aspect.SERVICE, -0.2, "A bit slow to greet us."),
        row(Aspect.SERVICE, -0.9, "The staff were rude."),
        row(Aspect.SERVICE, 0.3, "Staff were fine."),
        row(Aspect.SERVICE, 0.95, "The barista was wonderful."),
        row(Aspect.SERVICE, 0.0, "There was one waiter."),
        row(Aspect.SERVICE, -0.5, "Nobody said hello."),
    ]
    (service,) = summarise(current, [])
    assert service.quotes == ("The staff were rude.", "The barista was wonderful.", "Nobody said hello.")


def test_only_complaints_are_not_quoted_as_praise_and_duplicates_are_skipped():
    current = [
        row(Aspect.WAITING, -0.9, "Waited an hour."),
        row(Aspect.WAITING, -0.9, "Waited an hour.", when="2026-11-02"),
        row(Aspect.WAITING, -0.3, "Slow kitchen."),
    ]
    (waiting,) = summarise(current, [])
    assert waiting.quotes == ("Waited an hour.", "Slow kitchen.")
    assert (waiting.positive, waiting.negative) == (0, 3)


def test_neutral_quotes_fill_in_when_there_is_nothing_else():
    (booking,) = summarise([row(Aspect.BOOKING, 0.0, "We booked by phone.")], [])
    assert booking.quotes == ("We booked by phone.",)


def test_equal_polarity_prefers_the_newer_quote():
    current = [
        row(Aspect.PRICE, -0.5, "old complaint", when="2026-01-01"),
        row(Aspect.PRICE, -0.5, "new complaint", when="2026-11-30"),
        row(Aspect.PRICE, -0.5, "middle complaint", when="2026-06-01"),
        row(Aspect.PRICE, -0.5, "older complaint", when="2025-01-01"),
    ]
    (price,) = summarise(current, [])
    assert price.quotes == ("new complaint", "middle complaint", "old complaint")


def test_rows_stream_through_a_generator():
    rows = (row(Aspect.QUALITY, (i % 7 - 3) / 3, f"quote {i}") for i in range(10_000))
    (quality,) = summarise(rows, iter([]))
    assert quality.mentions == 10_000 and len(quality.quotes) == 3


def test_short_quotes_stay_as_they_are_with_whitespace_folded():
    assert shorten("  Great\n\ncoffee  ") == "Great coffee"


def test_long_english_quotes_are_cut_at_a_word():
    text = "The staff were friendly " * 10
    short = shorten(text)
    assert len(short) <= QUOTE_CHARS and short.endswith("…")
    assert text.startswith(short[:-1]) and short[:-1].split()[-1] in {"The", "staff", "were", "friendly"}


def test_long_japanese_quotes_are_cut_at_a_character():
    text = "店員さんの対応がとても丁寧で、また来たいと思いました。" * 10
    short = shorten(text)
    assert QUOTE_CHARS - 2 <= len(short) <= QUOTE_CHARS and short.endswith("…") and text.startswith(short[:-1])
