"""Keyword lists compiled into one fast regular expression each.

Python's `re` tries the alternatives of `a|b|c...` one by one at every position, so a list of a
hundred keywords costs a hundred attempts per character. Folding the list into a trie first
("staff|stale|star" becomes "sta(?:ff|le|r)") makes each position cost one or two steps; for
the aspect lexicons that is the difference between 800 and several thousand reviews a second.

Entries are matched against text already folded by `fold` (NFKC, lower case, one apostrophe),
so the patterns need no IGNORECASE (which would switch off `re`'s own prefix skipping).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_END = ""
# In English entries: * is any word ending, a space or hyphen is any run of spaces or hyphens.
_ANY_ENDING = r"\w*"
_GAP = r"[\s-]+"

Trie = dict[str, "Trie"]


def fold(text: str) -> str:
    """Text as keyword lists see it: full-width letters and half-width kana folded, lower case."""
    return unicodedata.normalize("NFKC", text).lower().replace("’", "'")


def _tokens(entry: str, words: bool) -> list[str]:
    """An entry as regex pieces, one per character (or per wildcard and gap for word entries)."""
    text = fold(entry.strip())
    if not words:
        return [re.escape(char) for char in text]
    pieces: list[str] = []
    for index, word in enumerate(re.split(r"[\s-]+", text)):
        if index:
            pieces.append(_GAP)
        pieces.extend(_ANY_ENDING if char == "*" else re.escape(char) for char in word)
    return pieces


def _insert(trie: Trie, tokens: list[str]) -> None:
    node = trie
    for token in tokens:
        node = node.setdefault(token, {})
    node[_END] = {}


def _pattern(node: Trie) -> str:
    branches = [token + _pattern(child) for token, child in sorted(node.items()) if token != _END]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        # Greedy and optional: the longer entry is tried first, the shorter one still matches.
        return body + "?" if len(branches) == 1 and len(branches[0]) == 1 else f"(?:{body})?"
    return body


def alternation(entries: Iterable[str], words: bool) -> str:
    """One regex matching any entry; `words` entries are English-style (see `_tokens`)."""
    trie: Trie = {}
    for entry in entries:
        if entry.strip():
            _insert(trie, _tokens(entry, words))
    return _pattern(trie) or r"(?!)"
