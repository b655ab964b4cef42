"""Japanese review sentiment: a lemma lexicon and phrase rules over fugashi's tokens.

Japanese puts negation, partial negation and contrast after the word they change
(美味しく|ない, 美味しくない|わけではない, 美味しい|けど|高い), so the scorer reads the tokens
that follow each lexicon match rather than the ones before it. Matching is by UniDic lemma, so
おいしかった, 美味しくて and 美味しい are one entry. The lexicon is `data/lexicon_ja.tsv`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

from localcx.text.sentiment_core import Evidence

if TYPE_CHECKING:
    import fugashi

_NEGATED_POSITIVE = -0.8  # 美味しくない is plainly bad
_NEGATED_NEGATIVE = -0.25  # 悪くない is faint praise at most
_BEFORE_CONTRAST = 0.5  # 美味しいけど高い: what follows けど is the point
_AFTER_CONTRAST = 1.5
_EXCESS = -1.3  # 甘すぎる, 高すぎる: too much of anything is a complaint
_REQUEST = -1.2  # 〜てほしい: the reviewer asks for what was missing
_EXCLAMATION_STEP = 0.12
_LOOKAHEAD = 6
_STANDALONE_PRAISE = 1.8
_LUKEWARM_DAMPING = 0.4
_LONG_WAIT = -1.8
_NOT_THAT_MUCH = -0.6
_TRAILING_OFF = -1.5  # 味がちょっと…: Japanese politeness leaves the complaint unsaid
_BOOSTER_REACH = 3

_NEGATORS = frozenset({"無い", "ない", "ず", "ぬ"})
_PARTIAL = frozenset({"訳", "わけ"})
# 気配りが(全く)感じられない, 清潔感がない: a polar noun, its particle, then a verb that negates.
_NOUN_BRIDGE = frozenset({"が", "は", "も", "有る", "感ずる", "感じる", "見える", "見る", "見当たる"})
_DURATION_UNITS = frozenset({"分", "時間"})
_WAITING = frozenset({"待つ", "掛かる"})  # 〜わけではない: "not that it is ..."
# Tokens that may sit between a word and its negation: 美味しく|は|あり|ませ|ん.
_BRIDGE = frozenset({"です", "ます", "だ", "た", "て", "は", "も", "有る", "居る", "の", "ん", "で",
                     "じゃ", "では", "為る", "なる", "成る", "れる", "られる", "せる", "そう"})
_CONTRAST_PARTICLES = frozenset({"が", "けれど", "けど", "けれども", "ものの", "のに"})
_CONTRAST_CONJUNCTIONS = frozenset({"しかし", "でも", "ただ", "ですが", "だが", "けれど", "だけど",
                                    "けど", "ところが", "とはいえ"})
_SENTENCE_END = re.compile(r"[。．！？!?\n]+")
_EMOJI_FLOOR = "\u2600"


class _Token(NamedTuple):
    lemma: str
    surface: str
    pos1: str
    pos2: str


@dataclass(frozen=True)
class _Lexicon:
    entries: dict[tuple[str, ...], tuple[str, float]]
    longest: int
    emoji: dict[str, float]


@lru_cache(maxsize=1)
def _tagger() -> fugashi.Tagger:
    """One MeCab tagger per process: building it loads the dictionary (~100 ms)."""
    import fugashi

    return fugashi.Tagger()


def _tokens(text: str) -> list[_Token]:
    out = []
    for word in _tagger()(text):
        feature = word.feature
        lemma = feature.lemma or word.surface
        out.append(_Token(lemma.split("-")[0], word.surface, feature.pos1 or "", feature.pos2 or ""))
    return out


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Tokenise each entry once, so entries match text by lemma whatever the spelling."""
    entries: dict[tuple[str, ...], tuple[str, float]] = {}
    for kind, phrase, value in _rows("lexicon_ja.tsv", 3):
        key = tuple(token.lemma for token in _tokens(phrase))
        entries.setdefault(key, (kind, float(value)))
    emoji = {symbol: float(value) for symbol, value in _rows("emoji.tsv", 2)}
    return _Lexicon(entries, max(len(k) for k in entries), emoji)


def _rows(name: str, width: int) -> list[list[str]]:
    text = resources.files("localcx.text").joinpath("data", name).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return [row[:width] for row in rows if len(row) >= width]


def evidence(text: str) -> Evidence:
    """The weights found in a Japanese text (see `sentiment_core.decide` for the label)."""
    lex = _lexicon()
    values: list[float] = []
    lukewarm = 0
    for sentence in _SENTENCE_END.split(text):
        if sentence.strip():
            found, marks = _sentence(lex, sentence)
            values.extend(found)
            lukewarm += marks
    values.extend(lex.emoji[ch] for ch in text if ch >= _EMOJI_FLOOR and ch in lex.emoji)
    bangs = min(3, text.count("!") + text.count("！"))
    lift = 1.0 + _EXCLAMATION_STEP * bangs
    return Evidence(
        positive=sum(v for v in values if v > 0) * lift,
        negative=-sum(v for v in values if v < 0) * lift,
        lukewarm=lukewarm,
        worst=-min(values, default=0.0) * lift,
    )


def _sentence(lex: _Lexicon, sentence: str) -> tuple[list[float], int]:
    """Valences of one sentence after negation, contrast, boosters and requests."""
    tokens = _tokens(sentence)
    cells: list[list[float]] = []
    lukewarm = 0
    boost, reach = 1.0, 0
    after_contrast = False
    i = 0
    while i < len(tokens):
        if _is_contrast(tokens, i):
            for cell in cells:
                cell[0] *= _BEFORE_CONTRAST
            after_contrast = True
            i += 2 if tokens[i].surface == "の" else 1
            continue
        kind, value, end = _match(lex, tokens, i)
        if kind == "booster" and not _stands_alone(tokens, i, end):
            boost, reach = value, _BOOSTER_REACH
            i = end
            continue
        if kind == "booster":  # すごい。 on its own is praise
            kind, value = "polar", _STANDALONE_PRAISE
        if kind in ("polar", "lukewarm"):
            value, end, neutralised = _after(tokens, end, value)
            if kind == "lukewarm" or neutralised:
                lukewarm += 1
            if kind == "lukewarm":  # まあまあ美味しい is a shrug, not praise
                boost, reach = _LUKEWARM_DAMPING, _BOOSTER_REACH
                cells.append([value])
                i = end
                continue
            if reach and kind == "polar":
                value *= boost
                reach = 0
        elif tokens[i].lemma == "過ぎる":
            value = _EXCESS
        elif _is_request(tokens, i):
            value = _REQUEST
        elif _is_long_wait(tokens, i):
            value = _LONG_WAIT
        elif _not_that_much(tokens, i):  # 行くほどではない: praise held back, mildly
            cells = [cell for cell in cells if cell[0] < 0]
            value = _NOT_THAT_MUCH
            lukewarm += 1
        if value:
            cells.append([value * (_AFTER_CONTRAST if after_contrast else 1.0)])
        reach = max(0, reach - 1)
        i = max(end, i + 1)
    if _trails_off(tokens):
        cells.append([_TRAILING_OFF * (_AFTER_CONTRAST if after_contrast else 1.0)])
    suggestion = _is_suggestion(tokens)
    if suggestion or any(_is_request(tokens, k) for k in range(len(tokens))):
        cells = [cell for cell in cells if cell[0] < 0]
        lukewarm += suggestion
    return [cell[0] for cell in cells], lukewarm


def _match(lex: _Lexicon, tokens: list[_Token], i: int) -> tuple[str, float, int]:
    """The longest lexicon entry starting at token i: (kind, value, end index)."""
    for n in range(min(lex.longest, len(tokens) - i), 0, -1):
        entry = lex.entries.get(tuple(t.lemma for t in tokens[i:i + n]))
        if entry:
            return entry[0], entry[1], i + n
    return "", 0.0, i + 1


def _after(tokens: list[_Token], start: int, value: float) -> tuple[float, int, bool]:
    """Apply what follows a match: negation, わけではない, すぎる. Returns the new value, the
    index after the tokens consumed, and whether partial negation made it neutral."""
    negations, partial, excess, noun = 0, False, False, False
    k = start
    while k < len(tokens) and k < start + _LOOKAHEAD:
        lemma = tokens[k].lemma
        if _modified_noun(tokens, k) and not noun:
            noun = True  # 値段に見合う|味|ではない: the negation reaches back over the noun
        elif lemma in _NEGATORS:
            negations += 1
            if partial:
                return 0.0, k + 1, True
        elif lemma in _PARTIAL:
            partial = True
        elif lemma == "過ぎる":
            excess = True
        elif not (
            lemma in _BRIDGE
            or (partial and tokens[k].pos1 == "助詞")
            or (lemma in _NOUN_BRIDGE and tokens[k].pos2 != "接続助詞")
            or tokens[k].pos1 == "副詞"
        ):
            break
        k += 1
    if excess:
        value = _EXCESS if value > 0 else value * 1.3
    if negations % 2:
        value *= _NEGATED_POSITIVE if value > 0 else _NEGATED_NEGATIVE
    return value, k, bool(negations % 2 and value > 0)


def _modified_noun(tokens: list[_Token], k: int) -> bool:
    """A noun right after the polar word and right before a copula (だ / で / じゃ)."""
    return (
        tokens[k].pos1 == "名詞" and k > 0 and tokens[k - 1].pos1 in ("形容詞", "動詞", "助動詞")
        and k + 1 < len(tokens) and tokens[k + 1].lemma in ("だ", "で")
    )


def _is_contrast(tokens: list[_Token], i: int) -> bool:
    token = tokens[i]
    if token.pos2 == "接続助詞" and token.lemma in _CONTRAST_PARTICLES:
        return True
    if token.pos1 == "接続詞" and token.lemma in _CONTRAST_CONJUNCTIONS:
        return True
    if i == 0 and token.surface in _CONTRAST_CONJUNCTIONS:
        return True
    # のに comes out as の + に after a predicate: 美味しいのに高い.
    return (
        token.surface == "の" and i > 0 and i + 1 < len(tokens) and tokens[i + 1].surface == "に"
        and tokens[i - 1].pos1 in ("形容詞", "動詞", "助動詞")
    )


def _is_request(tokens: list[_Token], i: int) -> bool:
    """〜てほしい / 〜てください: asking for what the visit lacked."""
    if i == 0 or tokens[i - 1].surface not in ("て", "で"):
        return False
    if tokens[i].lemma == "欲しい":
        return True
    polite = i + 1 < len(tokens) and tokens[i + 1].lemma == "ます"  # してくださいます: a kindness
    return tokens[i].surface == "ください" and not polite


def _is_long_wait(tokens: list[_Token], i: int) -> bool:
    """1時間かかりました, 40分待った: a duration of 20 minutes or more spent waiting."""
    if tokens[i].lemma not in _WAITING or i < 2:
        return False
    unit, number = tokens[i - 1].lemma, tokens[i - 2].surface
    if unit in ("も", "ほど", "以上", "近く") and i >= 3:
        unit, number = tokens[i - 2].lemma, tokens[i - 3].surface
    if unit not in _DURATION_UNITS or not number.isdigit():
        return False
    return unit == "時間" or int(number) >= 20


def _not_that_much(tokens: list[_Token], i: int) -> bool:
    """ほど(の店)ではない: "not as … as (expected)"."""
    if tokens[i].lemma != "程" and tokens[i].surface != "ほど":
        return False
    for token in tokens[i + 1:i + 6]:
        if token.lemma in _NEGATORS:
            return True
        if token.lemma not in _BRIDGE and token.pos1 not in ("名詞", "助詞"):
            return False
    return False


def _trails_off(tokens: list[_Token]) -> bool:
    """A sentence that ends on ちょっと / いまいち with nothing after it but punctuation."""
    content = [t for t in tokens if t.pos1 != "補助記号"]
    return bool(content) and content[-1].lemma in ("ちょっと", "一寸") and len(content) > 1


def _stands_alone(tokens: list[_Token], i: int, end: int) -> bool:
    """An adjective booster (すごい) with nothing after it to intensify."""
    if tokens[i].pos1 != "形容詞":
        return False
    return end >= len(tokens) or tokens[end].pos1 in ("助動詞", "補助記号", "助詞")


def _is_suggestion(tokens: list[_Token]) -> bool:
    """もう少し…と嬉しい: a wish, not praise; its positive words do not count (nor do a
    request's: もう少し清潔にしてほしい)."""
    lemmas = [t.lemma for t in tokens]
    wish = any(a in ("と", "ば", "たら") and b in ("嬉しい", "良い", "有り難い")
               for a, b in itertools.pairwise(lemmas))
    return wish and any(t.lemma in ("もう", "もっと", "少し") for t in tokens)
