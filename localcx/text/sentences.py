"""Sentences and contrast clauses of a review, in English and Japanese, without a tokenizer.

Aspects are found per sentence, and a sentence like "great coffee but rude staff" carries two
opinions, so the scorer must see each half on its own. Rules on raw text are enough for
reviews and run at hundreds of thousands of sentences a second.
"""

from __future__ import annotations

import re

# Common English abbreviations that end in a full stop but do not end a sentence.
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "approx", "apt", "ave", "e.g", "i.e", "a.m", "p.m"}
)
# Emoji and pictographs: a run of them closes a sentence (reviewers use them as full stops).
_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d"
_CLOSERS = "」』）)】\"'”’"
_JA_END = re.compile(rf"[。．！？!?…♪]+[{_CLOSERS}]*|[{_EMOJI}]+|[wｗ]{{2,}}(?=\S)")
_EN_END = re.compile(
    rf"(?:[.!?…]+[{_CLOSERS}]*|[{_EMOJI}]+)(?=\s|$)"
    rf"|(?:\.{{2,}}|…+|[!?]+)(?=[^\s.!?…{_CLOSERS}])"  # "great...rude", "wow!!nice": no space needed
)
_LAST_WORD = re.compile(r"([A-Za-z.]+)\.$")


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of `text`, in order; lines and fragments without a letter or digit dropped."""
    sentences: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        pieces = _split_japanese(line) if lang == "ja" else _split_english(line)
        sentences.extend(piece for piece in (p.strip() for p in pieces) if _has_words(piece))
    return sentences


def _has_words(text: str) -> bool:
    return any(char.isalnum() for char in text)


def _split_japanese(line: str) -> list[str]:
    pieces, start = [], 0
    for match in _JA_END.finditer(line):
        pieces.append(line[start : match.end()])
        start = match.end()
    pieces.append(line[start:])
    return pieces


def _split_english(line: str) -> list[str]:
    pieces, start = [], 0
    for match in _EN_END.finditer(line):
        candidate = line[start : match.end()]
        if match.group().startswith(".") and _ends_with_abbreviation(candidate.rstrip(_CLOSERS)):
            continue
        pieces.append(candidate)
        start = match.end()
    pieces.append(line[start:])
    return pieces


def _ends_with_abbreviation(piece: str) -> bool:
    found = _LAST_WORD.search(piece)
    if not found:
        return False
    word = found.group(1).lower()
    # "U.S." and "e.g." style initials, or a known abbreviation like "Mr."
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


# Contrast: the second half of "A but B" usually holds a different opinion than the first.
_EN_CONTRAST = re.compile(
    r"\s*(?:[,;]\s*)?\b(?=(?:but|however|although|though|whereas|except|unfortunately)\b)",
    re.IGNORECASE,
)
_EN_LEADING_CONCESSION = re.compile(r"^(?:although|though|even though|while|despite)\b[^,]*,", re.IGNORECASE)
# Japanese: cut after が、/ですが/けど/けれど(も)/ものの, and before しかし/でも/ただ after a comma.
# のに is cut when a comma follows or a past tense, adjective or な precedes it (来たのに, 美味しい
# のに, 静かなのに): after a plain verb it means "for" (駅から行くのに便利) and is no contrast.
_JA_CONTRAST = re.compile(
    r"(?<=が[、，,])|(?<=けど[、，,])|(?<=けれど[、，,])|(?<=けれども[、，,])"
    r"|(?<=けど)(?![、，,])|(?<=けれど)(?![、，,も])|(?<=けれども)(?![、，,])"
    r"|(?<=のに[、，,])|(?<=[たいな]のに)(?![、，,])|(?<=ものの[、，,])|(?<=ものの)(?![、，,])"
    r"|(?<=ですが)(?![、，,])|(?<=ましたが)(?![、，,])"
    r"|(?<=[、，,])(?=(?:しかし|でも|ただ|一方)[、，,]?)"
)


def clauses(sentence: str, lang: str) -> list[str]:
    """The sentence cut at contrast words, each part keeping its own words (nothing dropped)."""
    if lang == "ja":
        parts = _JA_CONTRAST.split(sentence)
    else:
        lead = _EN_LEADING_CONCESSION.match(sentence)
        head = [sentence[: lead.end()]] if lead else []
        rest = sentence[lead.end() :] if lead else sentence
        parts = head + _EN_CONTRAST.split(rest)
    return [part.strip() for part in parts if _has_words(part)]
