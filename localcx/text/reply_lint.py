"""Checks on an owner reply before a person may approve it, and before Google sees it.

Google refuses a reply over 4,096 bytes of UTF-8 and its moderation rejects replies that
carry personal data, incentives or links, so those are errors: an error blocks approval.
What only reads badly (a keyword said again and again) is a warning a person weighs.

The checks work on the text alone, plus what the caller knows: the language the reply
should be in and the openings of the store's recent replies. Fullwidth digits and symbols
(０３－１２３４－５６７８, ＠) are folded first, so a Japanese phone number or email typed
in fullwidth is caught as well.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum

from localcx.text import lang as langs

MAX_BYTES = 4096  # Google's limit on a reply, in bytes of UTF-8
STUFFED_WORD = 4  # the same keyword this many times reads as keyword stuffing
STUFFED_NAME = 3  # the store's name this many times


class Level(StrEnum):
    ERROR = "error"  # blocks approval
    WARNING = "warning"  # shown, a person decides


@dataclass(frozen=True)
class Problem:
    level: Level
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.level.value}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"level": self.level.value, "code": self.code, "message": self.message}


_SENTENCE_END = re.compile(r"[.!?。！？]+|\n")
_NOT_AN_END = re.compile(r"(?:^|[\s(,])(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Jr|Sr|No|vs|etc|e\.g|i\.e)$")
_PHONES = (
    # Japanese numbers with separators: 03-1234-5678, 090-1234-5678, 0120-123-456, (03)1234-5678
    re.compile(r"(?<!\d)\(?0\d{1,4}\)?[-ー‐\s]?\d{1,4}[-ー‐\s]\d{3,4}(?!\d)"),
    # Japanese numbers written solid: 0312345678, 09012345678
    re.compile(r"(?<!\d)0\d{9,10}(?!\d)"),
    # international: +81 3 1234 5678, +1 (555) 123-4567
    re.compile(r"\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,3}(?!\d)"),
    # North American: (555) 123-4567, 555-123-4567, 555.123.4567
    re.compile(r"(?<!\d)\(?\d{3}\)?[\s.-]\d{3}[.-]\d{4}(?!\d)"),
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|shop|io|jp|co\.jp)\b(?:/\S*)?",
    re.IGNORECASE,
)
_INCENTIVES_EN = re.compile(
    r"\b(?:discount(?:s|ed)?|coupons?|vouchers?|gift ?cards?|promo(?:tion)? codes?|"
    r"\d+ ?% off|on the house|complimentary|freebies?|(?<!feel )(?<!-)free(?!-))\b",
    re.IGNORECASE,
)
_INCENTIVES_JA = ("割引", "割り引き", "値引き", "クーポン", "無料", "プレゼント", "特典", "粗品",
                  "サービス券", "半額", "ポイント進呈", "ギフト券", "商品券", "お値引")
_WORD = re.compile(r"[a-z][a-z'-]{3,}")
_JA_RUN = re.compile(r"[\u30a0-\u30ff]{3,}|[\u4e00-\u9fff]{2,}")
_STOPWORDS = frozenset(
    ["this", "that", "with", "your", "you're", "we're", "we've", "have", "from", "they", "them", "their", "there", "will", "were", "been", "again", "thank", "thanks", "very", "really", "much", "about", "would", "could", "should", "when", "what", "which", "while", "into", "also", "just", "more", "most", "some", "only", "over", "here", "next", "time", "team", "visit", "visiting"]
)


def fold(text: str) -> str:
    """Fullwidth digits, letters and symbols as their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def first_sentence(text: str) -> str:
    """The reply's first sentence (or first line), as written. A full stop after an
    initial or a title ("Sam K.", "Dr.") or inside a number ("3.5") ends nothing."""
    text = text.strip()
    start = 0
    for end in _SENTENCE_END.finditer(text):
        mark = end.group(0)
        if mark.startswith((".", "!", "?")):
            if end.end() < len(text) and not text[end.end()].isspace():
                continue
            if mark == "." and _NOT_AN_END.search(text[start:end.start()]):
                continue
        sentence = text[start:end.end() if mark != "\n" else end.start()].strip()
        if sentence:
            return sentence
        start = end.end()
    return text


def opening_key(text: str, names: Iterable[str] = ()) -> str:
    """The first sentence as compared between replies: case, spacing and punctuation
    ignored, and the reviewer's name masked, so "Thanks, Sam!" and "Thanks, Jenny!" count
    as the same opening — readers see through a swapped name."""
    masked = fold(text)
    for name in sorted((fold(n) for n in names if n.strip()), key=len, reverse=True):
        masked = masked.replace(name, "~")
    return re.sub(r"[\s\W_]+", " ", first_sentence(masked).lower()).strip()


def language_of(
    text: str, names: Iterable[str] = (), detect: Callable[[str], str | None] = langs.detect
) -> str | None:
    """The language a reply is written in, judged without the names in it: "Hi 김민지,"
    opens an English reply, not a Korean one."""
    masked = text
    for name in sorted((n for n in names if n.strip()), key=len, reverse=True):
        masked = masked.replace(name, " ")
    return detect(masked) if masked.strip() else None


def _phones(folded: str) -> list[str]:
    found: list[str] = []
    for pattern in _PHONES:
        found += [m.group(0).strip() for m in pattern.finditer(folded)]
    return found


def _incentives(folded: str) -> list[str]:
    found = [m.group(0) for m in _INCENTIVES_EN.finditer(folded)]
    return found + [word for word in _INCENTIVES_JA if word in folded]


def _stuffing(folded: str, store_names: Iterable[str]) -> list[str]:
    lowered = folded.lower()
    counts = Counter(w for w in _WORD.findall(lowered) if w not in _STOPWORDS)
    counts.update(_JA_RUN.findall(folded))
    stuffed = [f"{word!r} {n} times" for word, n in counts.most_common() if n >= STUFFED_WORD]
    for name in store_names:
        n = lowered.count(fold(name).lower()) if name.strip() else 0
        if n >= STUFFED_NAME:
            stuffed.append(f"the store's name {n} times")
    return stuffed


def lint(
    text: str,
    *,
    lang: str | None,
    recent_openings: Collection[str] = (),
    names: Iterable[str] = (),
    store_names: Iterable[str] = (),
    detect: Callable[[str], str | None] = langs.detect,
) -> list[Problem]:
    """Every problem of one reply, errors first.

    `lang` is the language the reply must be in (the review's); `recent_openings` the
    `opening_key`s of the store's other recent replies; `names` the reviewer's name as it
    may appear (masked when openings are compared).
    """
    names, store_names = list(names), list(store_names)
    problems: list[Problem] = []
    folded = fold(text)
    size = len(text.encode("utf-8"))
    if not text.strip():
        problems.append(Problem(Level.ERROR, "empty", "the reply is empty"))
    if size > MAX_BYTES:
        problems.append(Problem(Level.ERROR, "too_long", f"{size:,} bytes of UTF-8; Google takes at most {MAX_BYTES:,}"))
    key = opening_key(text, names)
    if key and key in recent_openings:
        problems.append(Problem(Level.ERROR, "repeated_opening", f"opens like another recent reply of this store: {first_sentence(text)!r}"))
    for phone in _phones(folded):
        problems.append(Problem(Level.ERROR, "phone", f"contains a phone number: {phone}"))
    for email in _EMAIL.findall(folded):
        problems.append(Problem(Level.ERROR, "email", f"contains an email address: {email}"))
    for url in _URL.findall(folded):
        problems.append(Problem(Level.ERROR, "url", f"contains a link: {url}"))
    for word in _incentives(folded):
        problems.append(Problem(Level.ERROR, "incentive", f"offers an incentive ({word}); Google forbids rewarding reviews"))
    if lang and lang != "und" and text.strip():
        found = language_of(text, [*names, *store_names], detect)
        if found and found != "und" and found != lang:
            problems.append(Problem(Level.ERROR, "wrong_language", f"written in {found}, but the review is in {lang}"))
    for stuffed in _stuffing(folded, store_names):
        problems.append(Problem(Level.WARNING, "keyword_stuffing", f"keyword stuffing: {stuffed}"))
    return sorted(problems, key=lambda p: p.level is not Level.ERROR)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.level is Level.ERROR for p in problems)
