"""Reviews cut into sentences and contrast clauses, in English and Japanese."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localcx.text.sentences import clauses, split_sentences


def test_english_sentences_keep_abbreviations_and_decimals():
    text = "Mr. Smith served us. The latte was 3.5 dollars! Would we come again? Yes."
    assert split_sentences(text, "en") == ["Mr. Smith served us.", "The latte was 3.5 dollars!", "Would we come again?", "Yes."]


def test_english_ellipsis_and_repeated_marks_need_no_space():
    assert split_sentences("Great food...rude staff. Wow!!nice", "en") == ["Great food...", "rude staff.", "Wow!!", "nice"]


def test_japanese_sentences_at_marks_emoji_and_newlines():
    text = "ラーメンが美味しかった。スタッフも親切！また来ます😊次は塩にする\r\n「最高」と言いたい。"
    assert split_sentences(text, "ja") == ["ラーメンが美味しかった。", "スタッフも親切！", "また来ます😊", "次は塩にする", "「最高」と言いたい。"]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_emoji_only_and_empty_lines_are_dropped(lang):
    assert split_sentences("😊😊\n\n!!!\n  \nok", lang) == ["ok"]


@pytest.mark.parametrize(
    ("sentence", "parts"),
    [
        ("Great coffee but rude staff", ["Great coffee", "but rude staff"]),
        ("Although the food was good, the service was slow.", ["Although the food was good,", "the service was slow."]),
        ("The food was good; however, the wait was long", ["The food was good", "however, the wait was long"]),
        ("I love butter on toast", ["I love butter on toast"]),
    ],
)
def test_english_clauses(sentence, parts):
    assert clauses(sentence, "en") == parts


@pytest.mark.parametrize(
    ("sentence", "parts"),
    [
        ("味は美味しいですが、値段が高い", ["味は美味しいですが、", "値段が高い"]),
        ("美味しいけど高い", ["美味しいけど", "高い"]),
        ("美味しいけれども高い", ["美味しいけれども", "高い"]),
        ("予約していたのに30分待たされた", ["予約していたのに", "30分待たされた"]),
        ("雰囲気は良い、でも狭い", ["雰囲気は良い、", "でも狭い"]),
        ("駅から行くのに便利", ["駅から行くのに便利"]),  # のに meaning "for"
        ("いつでも美味しい", ["いつでも美味しい"]),  # でも inside a word
    ],
)
def test_japanese_clauses(sentence, parts):
    assert clauses(sentence, "ja") == parts


def _letters(text: str) -> str:
    return "".join(char for char in text if char.isalnum())


_TEXT = st.lists(
    st.one_of(st.text(max_size=10), st.sampled_from(["。", ". ", "!", "…", "\n", "😊", "Mr. ", "3.5", "けど", "but ", "が、", "のに"])),
    max_size=12,
).map("".join)


@settings(derandomize=True, max_examples=300)
@given(_TEXT, st.sampled_from(["en", "ja"]))
def test_no_letter_or_digit_is_ever_lost(text, lang):
    sentences = split_sentences(text, lang)
    assert "".join(_letters(sentence) for sentence in sentences) == _letters(text)
    for sentence in sentences:
        assert "".join(_letters(part) for part in clauses(sentence, lang)) == _letters(sentence)
