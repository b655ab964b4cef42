"""Japanese review sentiment: a lemma lexicon and phrase rules over fugashi's tokens.

Japanese puts negation, partial negation and contrast after the word they change
(美味しく|ない, 美味しくない|わけではない, 美味しい|けど|高い), so the scorer reads the tokens
that follow each lexicon match rather than the ones before it. Matching is by UniDic lemma, so
おいしかった, 美味しくて and 美味しい are one entry. The lexicon is `data/lexicon_ja.tsv`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

from localcx.text.sentiment_core import Evidence

if TYPE_CHECKING:
    import fugashi

# Weights, on the lexicon's -3..3 scale.
_NEGATED_POSITIVE = -0.8  # 美味しくない is plainly bad
_NEGATED_NEGATIVE = -0.25  # 悪くない is faint praise at most
_BEFORE_CONTRAST = 0.5  # 美味しいけど高い: what follows けど is the point
_AFTER_CONTRAST = 1.5
_EXCESS = -1.3  # 甘すぎる, 高すぎる: too much of anything is a complaint
_REQUEST = -1.2  # 〜てほしい: the reviewer asks for what was missing
_STANDALONE_PRAISE = 1.8  # すごい。 with nothing to intensify
_LUKEWARM_DAMPING = 0.4  # まあまあ美味しい
_LONG_WAIT = -1.8  # 1時間かかりました
_NOT_THAT_MUCH = -0.6  # 行くほどではない
_BELOW_EXPECTATIONS = -1.6  # 期待したほどではない: not "not that much", a disappointment
_COMING_BACK = 2.2  # また利用させていただきます
_TRAILING_OFF = -1.5  # 味がちょっと…: politeness leaves the complaint unsaid
_LET_DOWN = -1.2  # せっかく…のに
_EXCLAMATION_STEP = 0.12
_LOOKAHEAD = 6  # tokens after a match that may still negate it
_BOOSTER_REACH = 3

_NEGATORS = frozenset({"無い", "ない", "ず", "ぬ"})
_PARTIAL = frozenset({"訳", "わけ"})  # 〜わけではない: "not that it is ..."
# Tokens that may sit between a word and its negation: 美味しく|は|あり|ませ|ん.
_BRIDGE = frozenset({"です", "ます", "だ", "た", "て", "は", "も", "有る", "居る", "の", "ん", "で",
                     "じゃ", "では", "為る", "なる", "成る", "れる", "られる", "せる", "そう"})
# 気配りが(全く)感じられない, 美味しいとは言えない: a particle, then a verb that is negated.
_NOUN_BRIDGE = frozenset({"が", "は", "も", "有る", "感ずる", "感じる", "見える", "見る", "見当たる",
                          "と", "言う", "思う"})
# Suffixes that make any verb good or bad to do: 話しやすい, 使いにくい, 食べづらい.
_EASE_SUFFIXES = {"易い": 1.0, "難い": -1.0, "辛い": -1.0}
_DURATION_UNITS = frozenset({"分", "時間"})
_WAITING = frozenset({"待つ", "掛かる"})
_VISITS = frozenset({"行く", "来る", "伺う", "利用", "訪れる", "訪問", "寄る", "通う", "食べる", "飲む",
                     "邪魔", "リピート", "訪ねる", "参る", "頼む", "注文", "買う", "使う", "泊まる", "予約"})
_INTENTIONS = frozenset({"たい", "ます", "頂く", "貰う", "思う"})
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
    form: str  # conjugation form: 意志推量形 marks 行こう


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
    # MeCab reads C strings: a NUL would end the text there, and a lone surrogate cannot be sent.
    if "\x00" in text:
        text = text.replace("\x00", " ")
    try:
        words = _tagger()(text)
    except UnicodeEncodeError:
        words = _tagger()(text.encode("utf-8", "replace").decode("utf-8"))
    out = []
    for word in words:
        feature = word.feature
        lemma = feature.lemma or word.surface
        out.append(_Token(
            lemma.split("-")[0], word.surface, feature.pos1 or "", feature.pos2 or "",
            feature.cForm or "",
        ))
    return out


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    """Tokenise each entry once, so entries match text by lemma whatever the spelling."""
    entries: dict[tuple[str, ...], tuple[str, float]] = {}
    for kind, phrase, value in _rows("lexicon_ja.tsv", 3):
        for key in _keys(phrase):
            entries.setdefault(key, (kind, float(value)))
    emoji = {symbol: float(value) for symbol, value in _rows("emoji.tsv", 2)}
    return _Lexicon(entries, max(len(k) for k in entries), emoji)


# MeCab splits a phrase differently alone and in a sentence (コスパ alone is コス|パ, 普通に alone
# ends in the copula), so each entry is also indexed as it comes out inside these frames.
_FRAMES = (("", ""), ("それは", "。"), ("店員が", "と思う"), ("", "美味しい"))


def _keys(phrase: str) -> set[tuple[str, ...]]:
    keys = set()
    for before, after in _FRAMES:
        head = [t.lemma for t in _tokens(before)] if before else []
        tail = [t.lemma for t in _tokens(after)] if after else []
        lemmas = [t.lemma for t in _tokens(before + phrase + after)]
        if lemmas[:len(head)] != head or (tail and lemmas[-len(tail):] != tail):
            continue
        key = tuple(lemmas[len(head):len(lemmas) - len(tail)])
        if key:
            keys.add(key)
    return keys


def _rows(name: str, width: int) -> list[list[str]]:
    text = resources.files("localcx.text").joinpath("data", name).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return [row[:width] for row in rows if len(row) >= width]


def evidence(text: str) -> Evidence:
    """The weights found in a Japanese text (see `sentiment_core.decide` for the label)."""
    lex = _lexicon()
    values: list[float] = []
    lukewarm = 0
    previous = 0  # where the last sentence's values start
    for sentence in _SENTENCE_END.split(text):
        if sentence.strip():
            reading = _sentence(lex, sentence)
            if reading.opens_with_contrast:  # 美味しかった。でも高い。
                values[previous:] = [v * _BEFORE_CONTRAST for v in values[previous:]]
            previous = len(values)
            values.extend(cell[0] for cell in reading.cells)
            lukewarm += reading.lukewarm
    values.extend(lex.emoji[ch] for ch in text if ch >= _EMOJI_FLOOR and ch in lex.emoji)
    bangs = min(3, text.count("!") + text.count("！"))
    lift = 1.0 + _EXCLAMATION_STEP * bangs
    return Evidence(
        positive=sum(v for v in values if v > 0) * lift,
        negative=-sum(v for v in values if v < 0) * lift,
        lukewarm=lukewarm,
        worst=-min(values, default=0.0) * lift,
    )


@dataclass
class _Reading:
    """State while reading one sentence left to right."""

    cells: list[list[float]] = field(default_factory=list)  # [valence], so contrast can rescale
    lukewarm: int = 0
    boost: float = 1.0
    reach: int = 0
    after_contrast: bool = False
    opens_with_contrast: bool = False

    def contrast(self) -> None:
        for cell in self.cells:
            cell[0] *= _BEFORE_CONTRAST
        self.opens_with_contrast |= not self.cells and not self.after_contrast
        self.after_contrast = True

    def add(self, value: float) -> None:
        if value:
            self.cells.append([value * (_AFTER_CONTRAST if self.after_contrast else 1.0)])

    def keep_complaints(self) -> None:
        self.cells = [cell for cell in self.cells if cell[0] < 0]


def _sentence(lex: _Lexicon, sentence: str) -> _Reading:
    """One sentence read: valences after negation, contrast, boosters and requests."""
    tokens = _tokens(sentence)
    reading = _Reading()
    i = 0
    while i < len(tokens):
        i = _read(lex, tokens, i, reading)
    _whole_sentence(tokens, reading)
    return reading


def _read(lex: _Lexicon, tokens: list[_Token], i: int, reading: _Reading) -> int:
    """Read what starts at token i into `reading`; returns the index to read next."""
    length = _contrast_length(tokens, i)
    if length:
        reading.contrast()
        return i + length
    kind, value, end = _match(lex, tokens, i)
    if not kind and tokens[i].lemma == "又":
        value, end = _coming_back(tokens, i)
        kind = "polar" if value else ""
    if not kind and tokens[i].pos1 == "接尾辞" and tokens[i].lemma in _EASE_SUFFIXES:
        kind, value = "polar", _EASE_SUFFIXES[tokens[i].lemma]
    if kind == "booster" and not _stands_alone(tokens, i, end):
        reading.boost, reading.reach = value, _BOOSTER_REACH
        return end
    if kind == "booster":  # すごい。 on its own is praise
        kind, value = "polar", _STANDALONE_PRAISE
    if kind in ("polar", "lukewarm"):
        value, end, neutralised = _after(tokens, end, value)
        reading.lukewarm += kind == "lukewarm" or neutralised
        if kind == "lukewarm":  # まあまあ美味しい is a shrug, not praise
            reading.boost, reading.reach = _LUKEWARM_DAMPING, _BOOSTER_REACH
            reading.cells.append([value])
            return end
        if reading.reach:
            value *= reading.boost
            reading.reach = 0
    else:
        value = _rule_value(tokens, i, reading)
    reading.add(value)
    reading.reach = max(0, reading.reach - 1)
    return max(end, i + 1)


def _rule_value(tokens: list[_Token], i: int, reading: _Reading) -> float:
    """Valence of a token that no lexicon entry covers but a rule does."""
    if tokens[i].lemma == "過ぎる":
        return _EXCESS
    if _is_request(tokens, i):
        return _REQUEST
    if _is_long_wait(tokens, i):
        return _LONG_WAIT
    if _not_that_much(tokens, i):  # 行くほどではない: praise held back, mildly
        if any(t.lemma == "期待" for t in tokens[max(0, i - 6):i]):
            return _BELOW_EXPECTATIONS
        reading.keep_complaints()
        reading.lukewarm += 1
        return _NOT_THAT_MUCH
    return 0.0


def _whole_sentence(tokens: list[_Token], reading: _Reading) -> None:
    """Rules about the sentence as a whole: trailing off, wishes, requests, expectations."""
    if _trails_off(tokens):
        reading.add(_TRAILING_OFF)
    if reading.after_contrast and any(t.lemma == "折角" for t in tokens):
        reading.add(_LET_DOWN)  # せっかく来たのに…: the effort was wasted
    suggestion = _is_suggestion(tokens)
    expected = _expected_more(tokens)
    if suggestion or expected or any(_is_request(tokens, k) for k in range(len(tokens))):
        reading.keep_complaints()
        reading.lukewarm += suggestion
    if expected:
        reading.cells.append([_REQUEST])


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
        if _contrast_length(tokens, k):
            break  # 美味しいのに…: the contrast is read by the caller
        if _modified_noun(tokens, k) and not noun:
            noun = True  # 値段に見合う|味|ではない: the negation reaches back over the noun
        elif lemma in _NEGATORS or (lemma == "難い" and tokens[k - 1].lemma == "言う"):
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


def _coming_back(tokens: list[_Token], i: int) -> tuple[float, int]:
    """また + a visiting verb + an intention (また利用させていただきます, また行こう): the reviewer
    will return. With a negation just after (また来たいとは思わない) they will not."""
    visit = False
    for k in range(i + 1, min(len(tokens), i + 8)):
        token = tokens[k]
        if token.lemma in _VISITS:
            visit = True
        elif token.pos1 == "補助記号" or (
            token.lemma in ("か", "かも") and tokens[k - 1].pos1 in ("動詞", "助動詞")
        ):  # また来るか / また来るかも: undecided
            return 0.0, i + 1
        if visit and (token.lemma in _INTENTIONS or token.form.startswith("意志推量形")):
            after = tokens[k + 1:k + 7]
            if any(t.lemma in _NEGATORS for t in after):
                return -_COMING_BACK, k + 1 + len(after)
            return _COMING_BACK, k + 1
    return 0.0, i + 1


def _contrast_length(tokens: list[_Token], i: int) -> int:
    """How many tokens from i spell a contrast (けど, が, しかし, のに, でも…), 0 if none."""
    token = tokens[i]
    if token.pos2 == "接続助詞" and token.lemma in _CONTRAST_PARTICLES:
        return 1
    if token.pos1 == "接続詞" and token.lemma in _CONTRAST_CONJUNCTIONS:
        return 1
    if i == 0 and token.surface in _CONTRAST_CONJUNCTIONS:
        return 1
    pair = token.surface + tokens[i + 1].surface if i + 1 < len(tokens) else ""
    if i == 0 and pair in _CONTRAST_CONJUNCTIONS:  # でも at a sentence start can come out as で + も
        return 2
    # のに comes out as の + に after a predicate: 美味しいのに高い.
    if pair == "のに" and i > 0 and tokens[i - 1].pos1 in ("形容詞", "動詞", "助動詞"):
        return 2
    return 0


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
    return wish and _asks_for_more(tokens)


def _asks_for_more(tokens: list[_Token]) -> bool:
    return any(t.lemma in ("もう", "もっと", "少し") for t in tokens)


def _expected_more(tokens: list[_Token]) -> bool:
    """もう少し丁寧な接客を期待していました: what was hoped for did not happen."""
    return _asks_for_more(tokens) and any(t.lemma == "期待" for t in tokens)
