"""English review sentiment: VADER's lexicon, a review-domain lexicon, and rules.

VADER alone misses what reviewers actually complain about ("took forever", "lukewarm",
"overpriced") and calls three-star texts ("it was fine", "decent") positive. This scorer reuses
VADER's word valences (the MIT-licensed lexicon shipped with `vaderSentiment`) but tokenises,
negates, weighs contrast and marks lukewarm texts itself, with the domain lexicon in
`data/lexicon_en.tsv` taking precedence. It is a single pass over a regex tokenisation, which
keeps it far above 5,000 texts a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from localcx.text.sentiment_core import Evidence

_NEGATED_POSITIVE = -0.75  # "not good" is nearly as bad as "bad"
_NEGATED_NEGATIVE = -0.35  # "not unfriendly" is only faintly good
_NEGATION_REACH = 3  # words after "not" that it still governs
_BOOSTER_REACH = 2
_BEFORE_CONTRAST = 0.5  # "good, but slow": the clause after "but" says what the reviewer means
_AFTER_CONTRAST = 1.5
_CAPS = 1.3
_EXCLAMATION_STEP = 0.12
_EXCESS_OF_GOOD = -1.0  # "too sweet", "way too salty" for a word that is otherwise good

_CONTRASTS = frozenset({"but", "however", "yet", "except", "although", "though", "whereas"})
_LEADING_CONCESSIONS = frozenset({"although", "though", "while", "despite"})

_RATING = r"(?P<rating>\b\d+(?:\.\d+)?\s*/\s*(?:10|5)\b)"
_STARS = r"(?P<stars>\b[0-5](?:\.\d)?\s*stars?\b)"
_WAIT = (
    r"(?P<wait>\b(?:wait(?:ed|ing)?|queued?|took|takes)\s+(?:for\s+)?"
    r"(?:over\s+|about\s+|almost\s+|nearly\s+|more\s+than\s+|at\s+least\s+)?"
    r"(?:\d+|an?|one|two|three|half\s+an)\s*\+?\s*(?:min(?:ute)?s?|hours?|hrs?)\b"
    r"|\b(?:\d+|an?)\s*(?:min(?:ute)?s?|hours?)\s+late\b)"
)
_WORD = r"(?P<word>[a-z0-9][a-z0-9'-]*)"
_EMOTICON = r"(?P<emoticon>(?<!\w)(?:[:;=8]-?[()DPp/|\\\]\[]|<3|:'\()(?!\w))"
_BANG = r"(?P<bang>!+)"
_STOP = r"(?P<stop>[.,;:?\n]+)"
_OTHER = r"(?P<other>\S)"

_WAIT_VALENCE = -2.0
_NEGATOR_SUFFIXES = ("n't", "nt")
_NEGATOR_WORDS = frozenset((
    "dont", "didnt", "cant", "wont", "wasnt", "isnt", "couldnt", "wouldnt", "shouldnt", "arent",
    "werent", "havent", "hasnt", "doesnt",
))


@dataclass(frozen=True)
class _Lexicon:
    valence: dict[str, float]
    kinds: dict[str, tuple[str, float]]
    emoji: dict[str, float]
    tokens: re.Pattern[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Read VADER's lexicon, then ours over it; compiled once per process."""
    valence: dict[str, float] = {}
    vader = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    for line in vader.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            valence[parts[0]] = float(parts[1])
    kinds: dict[str, tuple[str, float]] = {}
    for kind, term, value in _rows("lexicon_en.tsv", 3):
        if kind == "word":
            valence[term] = float(value)
        else:
            kinds[term] = (kind, float(value))
    emoji = {symbol: float(value) for symbol, value in _rows("emoji.tsv", 2)}
    multiword = sorted((t for t in kinds if " " in t), key=len, reverse=True)
    phrase = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in multiword)
    pattern = "|".join(
        (rf"(?P<phrase>\b(?:{phrase})(?![\w'-]))", _RATING, _STARS, _WAIT, _WORD, _EMOTICON, _BANG,
         _STOP, _OTHER)
    )
    return _Lexicon(valence, kinds, emoji, re.compile(pattern, re.IGNORECASE))


def _rows(name: str, width: int) -> list[list[str]]:
    text = resources.files("localcx.text").joinpath("data", name).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return [row[:width] for row in rows if len(row) >= width]


@dataclass
class _Walk:
    """State while reading one text left to right."""

    sentence: list[list[float]] = field(default_factory=list)  # [valence] cells, this sentence
    done: list[float] = field(default_factory=list)
    previous: int = 0  # where the last finished sentence starts in `done`
    lukewarm: int = 0
    bangs: int = 0
    negation: int = 0
    boost: float = 1.0
    boost_reach: int = 0
    excess: bool = False
    after_contrast: bool = False
    concession: bool = False  # inside a leading "although ..." clause

    def add(self, value: float, *, negatable: bool = True) -> None:
        if negatable and self.negation:
            value *= _NEGATED_POSITIVE if value > 0 else _NEGATED_NEGATIVE
        elif self.excess and value > 0:
            value = _EXCESS_OF_GOOD * self.boost
        if self.boost_reach:
            value *= self.boost
            self.boost, self.boost_reach = 1.0, 0
        self.excess = False
        if self.after_contrast:
            value *= _AFTER_CONTRAST
        self.sentence.append([value])

    def contrast(self) -> None:
        """Weaken what came before; "However, ..." opening a sentence weakens the last one."""
        for cell in self.sentence:
            cell[0] *= _BEFORE_CONTRAST
        if not self.sentence:
            for k in range(self.previous, len(self.done)):
                self.done[k] *= _BEFORE_CONTRAST
        self.after_contrast = True
        self.negation = 0

    def pause(self, mark: str) -> None:
        """A comma ends a leading concession; a full stop ends the sentence."""
        self.negation, self.boost_reach, self.excess = 0, 0, False
        if self.concession and "," in mark:
            self.concession = False
            self.contrast()
        if any(ch in mark for ch in ".;?\n"):
            if self.sentence:
                self.previous = len(self.done)
                self.done.extend(cell[0] for cell in self.sentence)
                self.sentence = []
            self.after_contrast = self.concession = False

    def step(self) -> None:
        if self.negation:
            self.negation -= 1
        if self.boost_reach:
            self.boost_reach -= 1
            if not self.boost_reach:
                self.boost = 1.0

    def evidence(self) -> Evidence:
        values = self.done + [cell[0] for cell in self.sentence]
        lift = 1.0 + _EXCLAMATION_STEP * min(self.bangs, 3)
        return Evidence(
            positive=sum(v for v in values if v > 0) * lift,
            negative=-sum(v for v in values if v < 0) * lift,
            lukewarm=self.lukewarm,
            worst=-min(values, default=0.0) * lift,
        )


def evidence(text: str) -> Evidence:
    """The weights found in an English text (see `sentiment_core.decide` for the label)."""
    lex = _lexicon()
    walk = _Walk()
    text = text.replace("\u2019", "'")
    shouting = sum(1 for ch in text if ch.isupper()) > 0.5 * max(1, sum(ch.isalpha() for ch in text))
    for match in lex.tokens.finditer(text):
        group = match.lastgroup
        raw = match.group()
        if group == "word":
            _word(walk, lex, raw, shouting)
        elif group == "phrase":
            _term(walk, lex, " ".join(raw.lower().split()))
        elif group == "rating":
            _rating(walk, raw)
        elif group == "stars":
            _stars(walk, raw)
        elif group == "wait":
            walk.add(_WAIT_VALENCE, negatable=False)
        elif group == "emoticon":
            walk.add(lex.valence.get(raw, lex.valence.get(raw.lower(), 0.0)), negatable=False)
        elif group == "bang":
            walk.bangs += len(raw)
            walk.pause(",")
        elif group == "stop":
            walk.pause(raw)
        elif raw in lex.emoji:
            walk.add(lex.emoji[raw], negatable=False)
    return walk.evidence()


def _word(walk: _Walk, lex: _Lexicon, raw: str, shouting: bool) -> None:
    word = raw.lower().strip("'")
    if word in _CONTRASTS:
        if word in _LEADING_CONCESSIONS and not walk.sentence and not walk.after_contrast:
            walk.concession = True
        else:
            walk.contrast()
        return
    if word in _LEADING_CONCESSIONS and not walk.sentence:
        walk.concession = True
        return
    if word in lex.kinds:
        _term(walk, lex, word, caps=_shout(raw, shouting))
        return
    if word.endswith(_NEGATOR_SUFFIXES) and (word.endswith("n't") or word in _NEGATOR_WORDS):
        walk.negation = _NEGATION_REACH + 1
        walk.step()
        return
    value = lex.valence.get(word)
    walk.step()
    if value:
        walk.add(value * _shout(raw, shouting))


def _shout(raw: str, shouting: bool) -> float:
    return _CAPS if len(raw) > 1 and raw.isupper() and not shouting else 1.0


def _term(walk: _Walk, lex: _Lexicon, term: str, caps: float = 1.0) -> None:
    kind, value = lex.kinds.get(term, ("", 0.0))
    if kind == "negator":
        walk.negation = _NEGATION_REACH + 1
        walk.step()
    elif kind == "booster":
        walk.step()
        walk.boost, walk.boost_reach = value, _BOOSTER_REACH
    elif kind == "excess":
        walk.step()
        walk.excess = True
        walk.boost, walk.boost_reach = value, _BOOSTER_REACH
    elif kind == "contrast":
        walk.contrast()
    elif kind == "lukewarm":
        walk.lukewarm += 1
        if value:
            walk.add(value, negatable=False)
        walk.negation = 0
        walk.step()
    elif kind == "phrase":
        walk.step()
        if value:
            walk.add(value * caps)
    else:
        value = lex.valence.get(term, 0.0)
        walk.step()
        if value:
            walk.add(value * caps)


def _rating(walk: _Walk, raw: str) -> None:
    given, _, scale = raw.replace(" ", "").partition("/")
    _scaled(walk, float(given) / float(scale))


def _stars(walk: _Walk, raw: str) -> None:
    number = re.match(r"[\d.]+", raw)
    _scaled(walk, float(number.group()) / 5.0 if number else 0.5)


def _scaled(walk: _Walk, share: float) -> None:
    """"8/10" or "4 stars" written in the text (not the review's star rating)."""
    if share >= 0.8:
        walk.add(2.6, negatable=False)
    elif share <= 0.4:
        walk.add(-2.6, negatable=False)
    else:
        walk.lukewarm += 1
