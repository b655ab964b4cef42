"""Language detection: script decides Japanese, Korean and Chinese; words decide English."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localcx.text.lang import detect


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("料理がとても美味しかったです。", "ja"),
        ("スタッフの対応がとても悪かった", "ja"),
        ("ラーメン", "ja"),
        ("駅前の店", "ja"),  # Han only, but 駅 is a Japanese-only form
        ("Great ramen! 美味しい", "ja"),
        ("The staff were not unfriendly", "en"),
        ("ok", "en"),
        ("meh", "en"),
        ("Never again.", "en"),
        ("음식이 정말 맛있어요", "ko"),
        ("这家店很好吃", "zh"),
        ("服務很好", "zh"),
        ("Le service était très bien, mais un peu cher.", "fr"),
        ("La comida estaba muy buena y el servicio excelente.", "es"),
        ("Отличное кафе, очень вкусно", "ru"),
    ],
)
def test_detects_the_language(text: str, expected: str) -> None:
    assert detect(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "😍😍😍", "👍", "123", "!!!", "5/5", "x"])
def test_empty_emoji_only_and_too_short_texts_are_undetermined(text: str) -> None:
    assert detect(text) == "und"


def test_english_with_an_emoji_is_still_english() -> None:
    assert detect("Loved the pancakes! 🥞❤️") == "en"


@settings(derandomize=True, max_examples=200)
@given(st.text(max_size=200))
def test_any_text_gets_a_short_code(text: str) -> None:
    code = detect(text)
    assert code == "und" or (2 <= len(code) <= 3 and code.isalpha() and code.islower())
