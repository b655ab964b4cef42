"""Split a Google review comment into what the reviewer wrote and Google's translation.

Google hands back one string when it translated a review, in either order:

    (Translated by Google) <translation>\\n\\n(Original)\\n<original>
    <original>\\n\\n(Translated by Google)\\n<translation>

and with the labels in the language of the account that fetched it. Sentiment and aspects
must read one language at a time (a mixed string scores as neither), and the owner replies
to the original, so both parts are kept apart. The one promise that matters most: no text is
ever lost. A shape we do not recognise stays whole, as the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Label(StrEnum):
    """Which part of the comment a label introduces."""

    TRANSLATED = "translated"
    ORIGINAL = "original"


# The labels Google writes, by the language of the fetching account. Only labels we have seen;
# a new language is one more row. Spaces inside a label may be missing or doubled, and the
# parentheses may be half- or full-width: the pattern below allows both.
LABELS: dict[str, dict[Label, tuple[str, ...]]] = {
    "en": {Label.TRANSLATED: ("Translated by Google",), Label.ORIGINAL: ("Original",)},
    "ja": {Label.TRANSLATED: ("Google による翻訳",), Label.ORIGINAL: ("原文",)},
    "de": {Label.TRANSLATED: ("Übersetzt von Google",), Label.ORIGINAL: ("Original",)},
    "fr": {Label.TRANSLATED: ("Traduit par Google",), Label.ORIGINAL: ("Avis d'origine",)},
    "es": {Label.TRANSLATED: ("Traducido por Google",), Label.ORIGINAL: ("Original",)},
}


@dataclass(frozen=True)
class ReviewText:
    """A review's own words and, when Google translated it, the translation."""

    original: str  # what the reviewer wrote
    translated: str | None  # Google's translation, when the comment carries one


def _label_words(words: str) -> str:
    """A label's words as a pattern: any run of spaces (or none) between words."""
    return r"\s*".join(re.escape(part) for part in words.split())


def _label_pattern() -> re.Pattern[str]:
    groups: dict[Label, set[str]] = {Label.TRANSLATED: set(), Label.ORIGINAL: set()}
    for by_kind in LABELS.values():
        for kind, texts in by_kind.items():
            groups[kind].update(_label_words(text) for text in texts)
    alternatives = "|".join(
        f"(?P<{kind.value}>{'|'.join(sorted(groups[kind], key=len, reverse=True))})" for kind in Label
    )
    # No anchors or look-arounds: a label found inside a part is a label found in the whole,
    # which is what lets the tests prove that nothing but labels is ever dropped.
    return re.compile(rf"[(（]\s*(?:{alternatives})\s*[)）]", re.IGNORECASE)


LABEL_PATTERN = _label_pattern()


def split(comment: str | None) -> ReviewText:
    """The original and translated parts of a review comment, or the whole comment as original."""
    if comment is None:
        return ReviewText("", None)
    text = comment.replace("\r\n", "\n").replace("\r", "\n")
    found = [
        (Label.TRANSLATED if match.group(Label.TRANSLATED.value) else Label.ORIGINAL, match)
        for match in LABEL_PATTERN.finditer(text)
    ]
    kinds = [kind for kind, _ in found]
    if kinds.count(Label.TRANSLATED) != 1 or kinds.count(Label.ORIGINAL) > 1:
        return ReviewText(text.strip(), None)
    # Cut the text at every label: parts[0] is before the first label, parts[i] after label i.
    bounds = [0, *(edge for _, match in found for edge in (match.start(), match.end())), len(text)]
    parts = [text[bounds[i] : bounds[i + 1]].strip() for i in range(0, len(bounds), 2)]
    return _assign(kinds, parts, text)


def _assign(kinds: list[Label], parts: list[str], whole: str) -> ReviewText:
    """Map the parts between labels to original and translation, for the shapes Google writes."""
    if kinds == [Label.TRANSLATED]:
        before, after = parts  # "<original> (Translated by Google) <translation>"
        original, translated = before, after
    elif kinds == [Label.TRANSLATED, Label.ORIGINAL] and not parts[0]:
        translated, original = parts[1], parts[2]
    elif kinds == [Label.ORIGINAL, Label.TRANSLATED] and not parts[0]:
        original, translated = parts[1], parts[2]
    else:
        return ReviewText(whole.strip(), None)
    if not original:
        # A translation of nothing is not a shape we know: keep the comment whole.
        return ReviewText(whole.strip(), None)
    return ReviewText(original, translated or None)
