"""What customers talk about, ranked, with the change against the previous period.

`reviews topics` reads aspect mentions for a period and the one before it (the SQL lives with
the reviews store); this module only counts, so it can be tested with plain rows and reused by
the report. Rows arrive as iterables and are folded into per-aspect tallies as they stream, so
a year of reviews never sits in memory: only the few candidate quotes per aspect are kept.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from localcx.text.aspects import Aspect

# A mention counts as positive or negative past these polarities; in between it is neutral.
POSITIVE_FROM = 0.05
NEGATIVE_BELOW = -0.05
QUOTES = 3
QUOTE_CHARS = 120


@dataclass(frozen=True)
class TopicRow:
    """One mention of an aspect, as the reviews store hands it over."""

    aspect: Aspect
    polarity: float
    quote: str
    stars: int | None
    when: str  # ISO date


@dataclass(frozen=True)
class TopicSummary:
    """An aspect over a period: how often, how it felt, against the period before."""

    aspect: Aspect
    mentions: int
    share: float  # of all aspect mentions in the period, 0..1
    polarity: float  # mean
    positive: int
    negative: int
    previous_mentions: int
    previous_polarity: float | None  # None if no previous data
    quotes: tuple[str, ...]  # up to 3: the most negative and the most positive, shortened


@dataclass
class _Tally:
    mentions: int = 0
    polarity_sum: float = 0.0
    positive: int = 0
    negative: int = 0
    # The few most negative and most positive rows seen so far: (key, quote) heaps.
    lowest: list[tuple[float, str, str]] = field(default_factory=list)
    highest: list[tuple[float, str, str]] = field(default_factory=list)

    def add(self, row: TopicRow, keep_quotes: bool) -> None:
        self.mentions += 1
        self.polarity_sum += row.polarity
        self.positive += row.polarity >= POSITIVE_FROM
        self.negative += row.polarity < NEGATIVE_BELOW
        if keep_quotes and row.quote.strip():
            # Ties go to the newer row: heap keys compare polarity, then date.
            _keep(self.lowest, (-row.polarity, row.when, row.quote))
            _keep(self.highest, (row.polarity, row.when, row.quote))

    @property
    def mean(self) -> float:
        return self.polarity_sum / self.mentions if self.mentions else 0.0


def _keep(heap: list[tuple[float, str, str]], item: tuple[float, str, str]) -> None:
    """Keep the QUOTES largest items (a few extra so duplicates can be skipped later)."""
    if len(heap) < QUOTES * 2:
        heapq.heappush(heap, item)
    else:
        heapq.heappushpop(heap, item)


def summarise(current: Iterable[TopicRow], previous: Iterable[TopicRow]) -> list[TopicSummary]:
    """Aspects mentioned in the current period, most mentioned first, then most negative first.

    Aspects mentioned only in the previous period are left out: there is nothing to quote and
    no current polarity; their absence is itself the change.
    """
    now = _tally(current, keep_quotes=True)
    before = _tally(previous, keep_quotes=False)
    total = sum(tally.mentions for tally in now.values())
    summaries = [
        TopicSummary(
            aspect=aspect,
            mentions=tally.mentions,
            share=tally.mentions / total,
            polarity=tally.mean,
            positive=tally.positive,
            negative=tally.negative,
            previous_mentions=before[aspect].mentions if aspect in before else 0,
            previous_polarity=before[aspect].mean if aspect in before else None,
            quotes=_quotes(tally),
        )
        for aspect, tally in now.items()
    ]
    return sorted(summaries, key=lambda s: (-s.mentions, s.polarity, s.aspect.value))


def _tally(rows: Iterable[TopicRow], keep_quotes: bool) -> dict[Aspect, _Tally]:
    tallies: dict[Aspect, _Tally] = {}
    for row in rows:
        tallies.setdefault(Aspect(row.aspect), _Tally()).add(row, keep_quotes)
    return tallies


def _quotes(tally: _Tally) -> tuple[str, ...]:
    """The most negative, then the most positive, then alternating, never the same text twice.

    A quote is only "negative" or "positive" past the thresholds, so a store with only complaints
    shows complaints, not its least bad complaint as if it were praise; neutral quotes fill in.
    """
    negatives = [(-key, quote) for key, _, quote in sorted(tally.lowest, reverse=True) if -key < NEGATIVE_BELOW]
    positives = [(key, quote) for key, _, quote in sorted(tally.highest, reverse=True) if key >= POSITIVE_FROM]
    neutral = [
        (key, quote)
        for key, _, quote in sorted(tally.highest, reverse=True)
        if NEGATIVE_BELOW <= key < POSITIVE_FROM
    ]
    order: list[str] = []
    for pair in zip(negatives, positives, strict=False):
        order.extend(quote for _, quote in pair)
    longer = negatives if len(negatives) > len(positives) else positives
    order.extend(quote for _, quote in longer[min(len(negatives), len(positives)) :])
    order.extend(quote for _, quote in neutral)
    chosen: list[str] = []
    for quote in order:
        short = shorten(quote)
        if short not in chosen:
            chosen.append(short)
        if len(chosen) == QUOTES:
            break
    return tuple(chosen)


_SPACE = re.compile(r"\s+")


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """One line of at most `limit` characters, cut at a word (or, in Japanese, any character) with …"""
    line = _SPACE.sub(" ", text).strip()
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    # Cut at the last space when there is one in the last third; Japanese has none to look for.
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,.;:、。") + "…"
