"""Did-you-mean, once for every place a user can mistype a name (store codes, labels,
columns, settings keys, fields).

Store codes are mostly a prefix and a zero-padded number, where plain string similarity
misleads: `SEA-01` is as close to `SEA-015` as to `SEA-001` by edit distance, but the
person meant store number 1. So candidates whose letters and numbers mean the same as the
word rank first, then by edit distance, case ignored throughout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PARTS = re.compile(r"(\d+)")


def _meaning(text: str) -> tuple[str | int, ...]:
    """`SEA-001` and `sea-1` both mean ("sea-", 1)."""
    return tuple(int(p) if p.isdigit() else p for p in _PARTS.split(text.casefold()) if p)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance; names here are short, so the plain table is fast enough."""
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, 1):
        current = [i]
        for j, right in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right))
            )
        previous = current
    return previous[-1]


def closest(word: str, candidates: Iterable[str], *, limit: int = 3) -> list[str]:
    """The candidates a person most likely meant, best first; none when nothing is close."""
    folded = word.casefold()
    meaning = _meaning(word)
    scored = []
    for candidate in set(candidates):
        other = candidate.casefold()
        distance = _distance(folded, other)
        if _meaning(candidate) != meaning and distance > max(1, len(folded) // 3):
            continue
        scored.append((_meaning(candidate) != meaning, distance, candidate))
    return [candidate for *_, candidate in sorted(scored)[:limit]]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`; did you mean "X"?` ready to append to a message, or "" when nothing is close."""
    best = closest(word, candidates, limit=1)
    return f'; did you mean "{best[0]}"?' if best else ""
