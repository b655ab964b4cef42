"""What a review talks about (staff, price, quality ...) and how it feels about each, EN and JA.

An owner with fifty stores cannot read every review; "price complaints doubled at Shibuya" is
what they act on. Aspects are found with keyword lexicons (`data/aspects.toml`) on raw text, so
Japanese needs no tokenizer and a review costs a few dozen regex searches. Each mention is
scored on the smallest piece of text that holds its keyword, so "great coffee but rude staff"
gives a positive quality mention and a negative service one.

How a review becomes mentions:
1. sentences (`sentences.split_sentences`), then contrast clauses (`sentences.clauses`);
2. each clause is cut further at commas and "and"/、 into fragments; a fragment names an aspect
   through a strong keyword, or through a weak one (a food noun) when no strong keyword of any
   aspect is in the same fragment: "the food was expensive" is about price, not quality;
3. one mention per aspect per sentence, from the first clause that names it;
4. the mention is scored on its fragment when the clause names several aspects and the
   fragment carries sentiment of its own, otherwise on the whole clause ("Staff, food and
   music were all great": the fragment "Staff" is neutral, so the clause speaks for it).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

from localcx.text.keywords import alternation, fold
from localcx.text.sentences import clauses, split_sentences

Scorer = Callable[[str, str], float]
LANGUAGES = ("en", "ja")
# Below this the scorer is taken to have found no opinion in a fragment (see step 4 above).
NEUTRAL_BELOW = 0.05


class Aspect(StrEnum):
    SERVICE = "service"
    PRICE = "price"
    QUALITY = "quality"
    CLEANLINESS = "cleanliness"
    WAITING = "waiting"
    ATMOSPHERE = "atmosphere"
    LOCATION = "location"
    BOOKING = "booking"


# Names for tables and reports, in the reader's language.
LABELS: dict[Aspect, dict[str, str]] = {
    Aspect.SERVICE: {"en": "Staff & service", "ja": "接客・サービス"},
    Aspect.PRICE: {"en": "Price & value", "ja": "価格・コスパ"},
    Aspect.QUALITY: {"en": "Food & product quality", "ja": "味・品質"},
    Aspect.CLEANLINESS: {"en": "Cleanliness", "ja": "清潔さ"},
    Aspect.WAITING: {"en": "Waiting time", "ja": "待ち時間"},
    Aspect.ATMOSPHERE: {"en": "Atmosphere", "ja": "雰囲気"},
    Aspect.LOCATION: {"en": "Location & parking", "ja": "立地・駐車場"},
    Aspect.BOOKING: {"en": "Booking & reservations", "ja": "予約"},
}


@dataclass(frozen=True)
class Mention:
    """One aspect named in one sentence, with the words that name it and how they feel."""

    aspect: Aspect
    text: str  # the sentence/clause that mentions it
    polarity: float  # from the scorer, -1..1


@dataclass(frozen=True)
class _Matcher:
    """One aspect in one language: a single pattern whose groups say which kind of word hit.

    Exclusions come first in the alternation, so at any position a phrase like "can't wait"
    is consumed whole before "wait" could match inside it.
    """

    aspect: Aspect
    pattern: re.Pattern[str]
    words: bool  # matches must start at a word start (checked here: a look-behind is slow)

    def find(self, text: str) -> tuple[bool, bool]:
        """(a strong keyword is in folded text, a weak keyword is in it)."""
        strong = weak = False
        position = 0
        while match := self.pattern.search(text, position):
            start = match.start()
            if self.words and start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                position = start + 1  # inside a word: look again from the next character
                continue
            kind = match.lastgroup
            strong = strong or kind == "strong"
            weak = weak or kind == "weak"
            if strong:
                break
            position = max(match.end(), start + 1)
        return strong, weak


def _matcher(aspect: Aspect, lang: str, table: dict[str, list[str]]) -> _Matcher:
    words = lang != "ja"  # English keywords are whole words; Japanese ones are plain substrings
    weak = table.get(f"{lang}_weak", [])
    strong = [entry for entry in table.get(lang, []) if entry not in weak]
    groups = (
        f"(?P<exclude>{alternation(table.get(f'{lang}_exclude', []), words)})"
        f"|(?P<strong>{alternation(strong, words)})"
        f"|(?P<weak>{alternation(weak, words)})"
    )
    return _Matcher(aspect, re.compile(f"(?:{groups})(?!\\w)" if words else groups), words)


@cache
def _matchers(lang: str) -> tuple[_Matcher, ...]:
    """The lexicon of one language, read once from the package's data file."""
    source = resources.files("localcx.text").joinpath("data/aspects.toml").read_text(encoding="utf-8")
    lexicon = tomllib.loads(source)
    return tuple(_matcher(aspect, lang, lexicon[aspect.value]) for aspect in Aspect)


_EN_FRAGMENT = re.compile(r"\s*(?:[,;:&]|\band\b|\bplus\b)\s*", re.IGNORECASE)
_JA_FRAGMENT = re.compile(r"[、，,;；]")


def _aspects_by_fragment(clause: str, lang: str) -> list[tuple[Aspect, str]]:
    """(aspect, fragment naming it) for each aspect the clause names, first fragment wins."""
    splitter = _JA_FRAGMENT if lang == "ja" else _EN_FRAGMENT
    found: dict[Aspect, str] = {}
    for fragment in splitter.split(clause):
        normal = fold(fragment)
        hits = [(matcher.aspect, *matcher.find(normal)) for matcher in _matchers(lang)]
        any_strong = any(strong for _, strong, _ in hits)
        for aspect, strong, weak in hits:
            if (strong or (weak and not any_strong)) and aspect not in found:
                found[aspect] = fragment.strip()
    return list(found.items())


def mentions(text: str, lang: str, scorer: Scorer) -> list[Mention]:
    """Every aspect each sentence of `text` names, scored by `scorer(text, lang)`.

    Languages other than English and Japanese give no mentions: the lexicons would not match
    and a guess would pollute the store's figures.
    """
    lang = lang.split("-")[0].lower()
    if lang not in LANGUAGES or not text:
        return []
    found: list[Mention] = []
    for sentence in split_sentences(text, lang):
        seen: set[Aspect] = set()
        for clause in clauses(sentence, lang):
            clause = _without_connector(clause, lang)
            named = [(aspect, part) for aspect, part in _aspects_by_fragment(clause, lang) if aspect not in seen]
            seen.update(aspect for aspect, _ in named)
            found.extend(_scored(named, clause, lang, scorer))
    return found


def _scored(named: list[tuple[Aspect, str]], clause: str, lang: str, scorer: Scorer) -> list[Mention]:
    """Mentions for the aspects one clause names, each on its own fragment when that has a view."""
    if len(named) == 1:
        return [Mention(named[0][0], clause, scorer(clause, lang))]
    clause_score: float | None = None
    scored = []
    for aspect, fragment in named:
        quote, score = fragment, scorer(fragment, lang)
        if abs(score) < NEUTRAL_BELOW:
            clause_score = scorer(clause, lang) if clause_score is None else clause_score
            quote, score = clause, clause_score
        scored.append(Mention(aspect, quote, score))
    return scored


# A clause that opens with its contrast word reads better as a quote without it ("rude staff").
_LEADING_CONNECTOR = {
    "en": re.compile(r"^(?:but|however|though|yet|and|so)\b[\s,]*", re.IGNORECASE),
    "ja": re.compile(r"^(?:でも|しかし|ただ|だけど|けど|ですが|一方)[、，,\s]*"),
}


def _without_connector(clause: str, lang: str) -> str:
    rest = _LEADING_CONNECTOR[lang].sub("", clause)
    return rest if any(char.isalnum() for char in rest) else clause
