"""Offline language detection for review texts.

Most reviews a localcx user sees are Japanese or English, and those two are told apart by
script alone, in microseconds. The statistical model (py3langid, whose weights ship inside the
package) is only asked about Latin-script text that does not read as English, and about scripts
this module does not know, so detection is fast, deterministic and needs no system locale.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

UNDETERMINED = "und"

# Languages the statistical model may answer with. Restricting it keeps a short, odd text from
# being labelled with a rare language (py3langid guesses "ltg" for "buono" otherwise).
_MODEL_LANGUAGES = (
    "en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs", "sk", "hu",
    "ro", "hr", "sl", "tr", "id", "ms", "vi", "tl", "ru", "uk", "bg", "el", "he", "ar", "fa",
    "hi", "bn", "th", "ca", "et", "lv", "lt", "sr",
)
_MODEL_MIN_CONFIDENCE = 0.30

# Words so common in English reviews that one of them marks an ASCII text as English.
_ENGLISH_WORDS_TEXT = """
    a an the and or but not no is are was were be been am i we you he she it they my our your
    this that these those there here of in on at to for with from by about as so very too
    really just good great bad nice ok okay meh fine food staff will would
    never always love loved best worst amazing awful friendly rude delicious
    recommend recommended again back all what when had have has do did does don't didn't
    can't won't wasn't isn't it's i'm we're they're clean dirty slow fast average
    decent wonderful lovely disgusting yummy perfect thanks thank cold hot wait waited
"""
_ENGLISH_WORDS = frozenset(_ENGLISH_WORDS_TEXT.split())

_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f']+")
_LETTER = re.compile(r"[^\W\d_]")

# Kanji forms used in Japanese but not in Chinese (shinjitai), and characters that only
# Chinese writes, for Han-only texts such as "駅前の店" vs "这家店很好".
_JAPANESE_ONLY_HAN = frozenset("気駅円広様売読込働県辺沢渋鉄薬戦単図悪楽変実発払価団栄桜歳絵従")
_CHINESE_MARKERS = frozenset("的了很是这们吗呢么没还说个过对时会来为们给让还吧啊")


def detect(text: str) -> str:
    """The ISO 639-1 code of `text`'s language, or "und" when it cannot be told.

    Empty, emoji-only, digit-only and very short texts are "und": guessing there would put a
    wrong language into the database, and a wrong language sends text to the wrong scorer.
    """
    letters = len(_LETTER.findall(text))
    if letters == 0:
        return UNDETERMINED
    kana = len(_KANA.findall(text))
    han = len(_HAN.findall(text))
    latin_letters = sum(len(w) for w in _LATIN_WORD.findall(text))
    cjk = kana + han
    if cjk and cjk * 3 >= latin_letters:
        return _cjk_language(text, kana, han)
    if _HANGUL.search(text):
        return "ko"
    if latin_letters * 2 >= letters:
        return _latin_language(text)
    return _model_language(text)


def _cjk_language(text: str, kana: int, han: int) -> str:
    """Kana means Japanese; Han alone means Chinese unless a Japanese-only kanji shows."""
    if kana:
        return "ja"
    if any(ch in _CHINESE_MARKERS for ch in text):
        return "zh"
    if any(ch in _JAPANESE_ONLY_HAN for ch in text):
        return "ja"
    return "zh" if han else UNDETERMINED


def _latin_language(text: str) -> str:
    """English by its common words; otherwise the model if it is confident. Plain-ASCII text
    the model cannot place is taken as English: that is what it nearly always is in the
    reviews localcx sees ("Impeccable.", "5 stars, no question.")."""
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    plain = text.isascii()
    if english and (english * 5 >= 2 * len(words) or (plain and english * 4 >= len(words))):
        return "en"
    if sum(len(w) for w in words) < 4:
        return UNDETERMINED
    code = _model_language(text)
    return "en" if code == UNDETERMINED and plain else code


def _model_language(text: str) -> str:
    code, confidence = _identifier().classify(text)
    if confidence < _MODEL_MIN_CONFIDENCE:
        return UNDETERMINED
    return str(code)


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    """Loaded once, on first need: unpacking the model takes a few hundred milliseconds."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(_MODEL_LANGUAGES))
    return identifier
