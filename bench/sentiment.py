"""How well, and how fast, does localcx's offline sentiment scorer read reviews?

On the team-written dev sets in tests/data/ (see tests/data/README.md), prints 3-class macro-F1
and per-class F1 for localcx's scorer, TextBlob's default analyser (polarity ±0.1 → labels) and
VADER (compound ±0.05), on all lines and on the held-out last 40% that the rules were not tuned
on; then scoring rows/s per language on one core (each dev text scored repeatedly for ~2 s).
Prints figures; asserts nothing.

    PYTHONPATH=. python bench/sentiment.py [--errors]   # --errors lists our misses on the tuning part
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from localcx.text import sentiment

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
LABELS = ("positive", "neutral", "negative")
TUNED_SHARE = 0.6
SECONDS = 2.0

Row = tuple[str, str]


def load(lang: str) -> list[Row]:
    lines = (DATA / f"sentiment_{lang}.tsv").read_text(encoding="utf-8").splitlines()
    return [(label, text) for label, text in (line.split("\t", 1) for line in lines if line)]


def held_out(rows: Sequence[Row]) -> list[Row]:
    return list(rows[int(len(rows) * TUNED_SHARE):])


def tuned(rows: Sequence[Row]) -> list[Row]:
    return list(rows[: int(len(rows) * TUNED_SHARE)])


def f1_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        scores[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    scores["macro"] = sum(scores[label] for label in LABELS) / len(LABELS)
    return scores


def ours(lang: str) -> Callable[[str], str]:
    return lambda text: str(sentiment.score(text, lang).label)


def textblob() -> Callable[[str], str]:
    from textblob import TextBlob

    def label(text: str) -> str:
        polarity = TextBlob(text).sentiment.polarity
        return "positive" if polarity > 0.1 else "negative" if polarity < -0.1 else "neutral"

    return label


def vader() -> Callable[[str], str]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyser = SentimentIntensityAnalyzer()

    def label(text: str) -> str:
        compound = analyser.polarity_scores(text)["compound"]
        return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"

    return label


def rows_per_second(lang: str, rows: Sequence[Row]) -> float:
    texts = [text for _, text in rows]
    sentiment.score(texts[0], lang)  # load lexicons and the tokenizer outside the timing
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        for text in texts:
            sentiment.score(text, lang)
        done += len(texts)
    return done / (time.perf_counter() - start)


def report(lang: str) -> None:
    rows = load(lang)
    analysers = {"localcx": ours(lang), "TextBlob": textblob(), "VADER": vader()}
    print(f"\n{lang}: {len(rows)} lines, held-out {len(held_out(rows))}")
    print(f"  {'analyser':<10}{'part':<10}{'macro-F1':>9}{'pos':>7}{'neu':>7}{'neg':>7}")
    for name, analyse in analysers.items():
        for part, subset in (("all", rows), ("held-out", held_out(rows))):
            scores = f1_scores([g for g, _ in subset], [analyse(t) for _, t in subset])
            print(
                f"  {name:<10}{part:<10}{scores['macro']:>9.3f}{scores['positive']:>7.3f}"
                f"{scores['neutral']:>7.3f}{scores['negative']:>7.3f}"
            )
    print(f"  scoring: {rows_per_second(lang, rows):,.0f} rows/s on one core")


def errors(lang: str) -> None:
    for gold, text in tuned(load(lang)):
        got = sentiment.score(text, lang)
        if got.label != gold:
            print(f"{lang} want {gold:<8} got {got.label:<8} {got.polarity:+.2f} {text}")


if __name__ == "__main__":
    for code in ("en", "ja"):
        if "--errors" in sys.argv:
            errors(code)
        else:
            report(code)
