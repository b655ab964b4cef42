"""Google's translated comments split into original and translation, and nothing is ever lost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localcx.text.translation import LABEL_PATTERN, ReviewText, split


def test_translation_first_then_original():
    comment = "(Translated by Google) The ramen was great.\n\n(Original)\nラーメンが最高でした。"
    assert split(comment) == ReviewText("ラーメンが最高でした。", "The ramen was great.")


def test_original_first_then_translation():
    comment = "ラーメンが最高でした。\n\n(Translated by Google)\nThe ramen was great."
    assert split(comment) == ReviewText("ラーメンが最高でした。", "The ramen was great.")


def test_original_label_first_then_translation():
    comment = "(Original)\nGreat coffee\n\n(Translated by Google)\n美味しいコーヒー"
    assert split(comment) == ReviewText("Great coffee", "美味しいコーヒー")


@pytest.mark.parametrize(
    "comment",
    [
        "(Google による翻訳) Friendly staff.\n\n(原文)\n店員さんが親切。",
        "（Google による翻訳）Friendly staff.\n\n（原文）\n店員さんが親切。",
        "（Googleによる翻訳）Friendly staff.（原文）店員さんが親切。",
        "(Google による翻訳）Friendly staff.\n(原文）\n店員さんが親切。",
    ],
)
def test_japanese_labels_with_either_parentheses(comment):
    assert split(comment) == ReviewText("店員さんが親切。", "Friendly staff.")


def test_japanese_labels_in_the_other_order():
    comment = "Great coffee!\n\n（Google による翻訳）\n素晴らしいコーヒー！"
    assert split(comment) == ReviewText("Great coffee!", "素晴らしいコーヒー！")


@pytest.mark.parametrize(
    ("comment", "original", "translated"),
    [
        ("(Übersetzt von Google) Good.\n\n(Original)\nGut.", "Gut.", "Good."),
        ("(Traduit par Google) Good.\n\n(Avis d'origine)\nBon.", "Bon.", "Good."),
        ("(Traducido por Google) Good.\n\n(Original)\nBueno.", "Bueno.", "Good."),
    ],
)
def test_other_languages_from_the_label_table(comment, original, translated):
    assert split(comment) == ReviewText(original, translated)


def test_crlf_extra_blank_lines_and_surrounding_whitespace():
    comment = "  \r\n(Translated by Google)\r\n\r\n\r\nSlow service.\r\nCold soup.\r\n\r\n\r\n(Original)\r\n\r\n遅い。\r\n冷たいスープ。 \r\n"
    assert split(comment) == ReviewText("遅い。\n冷たいスープ。", "Slow service.\nCold soup.")


def test_missing_blank_lines_and_label_on_the_same_line():
    comment = "(Translated by Google) Nice place (Original) Bel endroit"
    assert split(comment) == ReviewText("Bel endroit", "Nice place")


def test_comment_without_labels_is_the_original_stripped():
    assert split("  Great coffee, rude staff.\n") == ReviewText("Great coffee, rude staff.", None)


def test_none_and_empty():
    assert split(None) == ReviewText("", None)
    assert split("") == ReviewText("", None)


@pytest.mark.parametrize(
    "comment",
    [
        "(Original) is what they call the burger. Loved it.",  # an original label alone
        "(Translated by Google) Only a translation, no original",
        "(Translated by Google) a (Translated by Google) b (Original) c",  # two translation labels
        "(Translated by Google) a (Original) b (Original) c",  # two original labels
        "preface (Translated by Google) a (Original) b",  # text before a translation-first form
    ],
)
def test_unknown_shapes_keep_the_whole_comment(comment):
    assert split(comment) == ReviewText(comment.strip(), None)


def test_empty_translation_is_none():
    assert split("店員さんが親切。\n\n(Translated by Google)\n") == ReviewText("店員さんが親切。", None)


def _content(text: str | None) -> str:
    """The characters that must survive a split: everything but labels and whitespace."""
    return "".join(LABEL_PATTERN.sub("", text or "").split())


_PIECES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "(Translated by Google)",
            "(Original)",
            "（Google による翻訳）",
            "(原文)",
            "（原文)",
            "\r\n",
            "\n\n",
            " ",
            "(",
            "）",
            "Translated by Google",
        ]
    ),
)


@settings(derandomize=True, max_examples=400)
@given(st.lists(_PIECES, max_size=8).map("".join))
def test_split_never_loses_characters_other_than_labels(comment):
    result = split(comment)
    kept_original, kept_translated = _content(result.original), _content(result.translated)
    assert _content(comment) in (kept_original + kept_translated, kept_translated + kept_original)
    assert result.translated is None or result.translated.strip() == result.translated != ""
