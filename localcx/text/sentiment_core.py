"""What every language's scorer shares: the result types and the one decision rule.

A language module turns text into `Evidence` (how much positive and negative weight it found,
and how many lukewarm words such as "fine" or 普通); `decide` turns evidence into a label and a
polarity. Keeping the decision in one place means English and Japanese labels mean the same
thing, and the polarity bands below hold for every language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Label(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


@dataclass(frozen=True)
class Sentiment:
    """A text's sentiment. `polarity` is in -1..1 and agrees with `label` by band:
    negative ≤ -0.25 < neutral < 0.25 ≤ positive, so sorting by polarity never contradicts
    the label."""

    polarity: float
    label: Label
    lang: str


@dataclass(frozen=True)
class Evidence:
    """Weights a language scorer found, after negation, contrast and intensity rules."""

    positive: float = 0.0
    negative: float = 0.0
    lukewarm: int = 0
    worst: float = 0.0  # the strongest single negative weight, as a positive number


NEUTRAL_BAND = 0.25
_DECISION_THRESHOLD = 0.5  # net weight needed to leave neutral
_MIXED_MIN = 0.9  # both sides at least this strong ...
_MIXED_RATIO = 0.6  # ... and the weaker at least this share of the stronger: a mixed review
_LUKEWARM_OVERRIDE = 2.2  # a lukewarm word keeps a text neutral unless the rest is this clear
_LUKEWARM_WORST = 2.0  # ... or one complaint is this strong ("ok, but the service was terrible")
_LUKEWARM_EACH = 0.5  # each further lukewarm word ("ok, nothing special") asks for more
_SQUASH = 4.0


def decide(evidence: Evidence, lang: str) -> Sentiment:
    """Label and polarity from the evidence; see `Sentiment` for how the two agree."""
    net = evidence.positive - evidence.negative
    label = _label(evidence, net)
    strength = abs(net) / math.sqrt(net * net + _SQUASH)
    if label is Label.NEUTRAL:
        polarity = math.copysign(strength * (NEUTRAL_BAND - 0.01), net) if net else 0.0
    else:
        polarity = NEUTRAL_BAND + (1.0 - NEUTRAL_BAND) * strength
        if label is Label.NEGATIVE:
            polarity = -polarity
    return Sentiment(polarity=round(polarity, 4), label=label, lang=lang)


def _label(evidence: Evidence, net: float) -> Label:
    weaker = min(evidence.positive, evidence.negative)
    stronger = max(evidence.positive, evidence.negative)
    if weaker >= _MIXED_MIN and weaker >= _MIXED_RATIO * stronger:
        return Label.NEUTRAL
    override = _LUKEWARM_OVERRIDE + _LUKEWARM_EACH * (evidence.lukewarm - 1)
    if evidence.lukewarm and abs(net) < override and evidence.worst < _LUKEWARM_WORST:
        return Label.NEUTRAL
    if net >= _DECISION_THRESHOLD:
        return Label.POSITIVE
    if net <= -_DECISION_THRESHOLD:
        return Label.NEGATIVE
    return Label.NEUTRAL


def neutral(lang: str) -> Sentiment:
    """The answer for languages without a scorer (callers score Google's translation)."""
    return Sentiment(polarity=0.0, label=Label.NEUTRAL, lang=lang)
