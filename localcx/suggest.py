"""Did-you-mean, once for every place a user can mistype a name (store codes, labels,
columns, settings keys, fields).

Store codes are mostly a prefix and a zero-padded number, where plain string similarity
misleads: `SEA-01` is as close to `SEA-015` as to `SEA-001` by edit distance, but the
person meant store number 1. So candidates whose letters and numbers mean the same as the
word rank first, then codes that differ only in their numbers (nearest number first),
then by edit distance (a swap of two neighbouring letters counts as one), case ignored
throughout.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PARTS = re.compile(r"([0-9]+)")


def _meaning(text: str) -> tuple[str | int, ...]:
    """`SEA-001` and `sea-1` both mean ("sea-", 1)."""
    return tuple(int(p) if p.isascii() and p.isdigit() else p for p in _PARTS.split(text.casefold()) if p)


def _skeleton(meaning: tuple[str | int, ...]) -> tuple[str, ...]:
    """The letters of a name with its numbers blanked: `TKY-9` and `TKY-003` share one."""
    return tuple("#" if isinstance(p, int) else p for p in meaning)


def _number_gap(a: tuple[str | int, ...], b: tuple[str | int, ...]) -> int:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True) if isinstance(x, int) and isinstance(y, int))


def _distance(a: str, b: str) -> int:
    """Edit distance with adjacent swaps counted once (`phnoe` → `phone` is 1); names here
    are short, so the plain table is fast enough."""
    rows = [list(range(len(b) + 1))]
    for i, left in enumerate(a, 1):
        current = [i]
        for j, right in enumerate(b, 1):
            best = min(rows[-1][j] + 1, current[j - 1] + 1, rows[-1][j - 1] + (left != right))
            if i > 1 and j > 1 and left == b[j - 2] and a[i - 2] == right:
                best = min(best, rows[-2][j - 2] + 1)
            current.append(best)
        rows = [rows[-1], current]
    return rows[-1][-1]


def closest(word: str, candidates: Iterable[str], *, limit: int = 3) -> list[str]:
    """The candidates a person most likely meant, best first; none when nothing is close."""
    folded = word.casefold()
    meaning = _meaning(word)
    skeleton = _skeleton(meaning)
    scored: list[tuple[int, int, int, str]] = []
    for candidate in set(candidates):
        other = _meaning(candidate)
        distance = _distance(folded, candidate.casefold())
        if other == meaning:
            scored.append((0, 0, distance, candidate))
        elif "#" in skeleton and _skeleton(other) == skeleton:
            scored.append((1, _number_gap(meaning, other), distance, candidate))
        elif distance <= max(1, len(folded) // 3):
            scored.append((2, 0, distance, candidate))
    return [candidate for *_, candidate in sorted(scored)[:limit]]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`; did you mean "X"?` ready to append to a message, or "" when nothing is close."""
    best = closest(word, candidates, limit=1)
    return f'; did you mean "{best[0]}"?' if best else ""


def in_parentheses(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean X?)`, as desired-state problems phrase it, or ""."""
    best = closest(word, candidates, limit=1)
    return f" (did you mean {best[0]}?)" if best else ""
