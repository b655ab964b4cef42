"""Reply lint: what blocks a reply (length in bytes, personal data, incentives, links, a
repeated opening, the wrong language) and what is only a warning (keyword stuffing)."""

from __future__ import annotations

import pytest

from localcx.text import reply_lint
from localcx.text.reply_lint import Level, first_sentence, has_errors, lint, opening_key

CLEAN_EN = "Hi Sam, thanks a lot for the kind words!\n\nWe hope to see you again soon!\n\n— The Northwind team"
CLEAN_JA = "佐藤様、この度はご来店いただき、誠にありがとうございます。\nまたのご来店を心よりお待ちしております。\n\n麺屋さくら スタッフ一同"


def _fake_detect(text: str) -> str:
    """Language detection stand-in: Japanese when any kana or kanji is in the text."""
    return "ja" if any("\u3040" <= c <= "\u9fff" for c in text) else "en"


def codes(text: str, lang: str | None = "en", **kwargs) -> set[str]:
    return {p.code for p in lint(text, lang=lang, detect=kwargs.pop("detect", _fake_detect), **kwargs)}


def test_clean_replies_in_both_languages_pass():
    assert lint(CLEAN_EN, lang="en", detect=_fake_detect) == []
    assert lint(CLEAN_JA, lang="ja", detect=_fake_detect) == []


@pytest.mark.parametrize(
    "phone",
    ["03-1234-5678", "090-1234-5678", "0120-123-456", "(03)1234-5678", "０３－１２３４－５６７８",
     "09012345678", "+81 3 1234 5678", "(555) 123-4567", "555-123-4567"],
)
def test_a_phone_number_is_an_error(phone):
    problems = lint(f"Please call us on {phone} any time.", lang="en", detect=_fake_detect)
    assert [p.code for p in problems if p.level is Level.ERROR] == ["phone"], problems
    assert has_errors(problems)


@pytest.mark.parametrize("text", ["Open 10:00-18:00 on 2026-12-01.", "We waited 30 minutes, sorry.", "Price 1,200 yen."])
def test_dates_times_and_prices_are_not_phone_numbers(text):
    assert "phone" not in codes(text)


def test_an_email_is_an_error_even_in_fullwidth():
    assert "email" in codes("Write to manager@example.com please.")
    assert "email" in codes("ｍａｎａｇｅｒ＠ｅｘａｍｐｌｅ．ｃｏｍ までご連絡ください。", lang="ja")


@pytest.mark.parametrize(
    "text",
    ["Here's a 10% discount for next time!", "Show this for a free coffee.", "A coupon is waiting for you.",
     "Enjoy a gift card on us.", "次回使える割引をご用意しました。", "クーポンを差し上げます。", "ドリンク無料でご提供します。",
     "プレゼントをご用意しております。"],
)
def test_incentives_are_errors(text):
    lang = "ja" if any("\u3040" <= c <= "\u9fff" for c in text) else "en"
    assert "incentive" in codes(text, lang)


def test_feel_free_and_gluten_free_are_not_incentives():
    assert "incentive" not in codes("Feel free to ask for the manager. We have gluten-free bread too.")


@pytest.mark.parametrize("url", ["https://example.com/menu", "www.example.com", "example.co.jp"])
def test_links_are_errors(url):
    assert "url" in codes(f"See {url} for our menu.")


def test_over_4096_bytes_is_an_error_counted_in_bytes_not_characters():
    ja = "ありがとうございます。" * 125  # 1,375 characters, 4,125 bytes
    assert len(ja) < 4096 < len(ja.encode("utf-8"))
    assert "too_long" in codes(ja, "ja")
    assert "too_long" in codes("a" * 5000)
    assert "too_long" not in codes("a " * 2048)  # exactly 4,096 bytes


def test_a_repeated_opening_is_an_error_with_the_name_masked():
    earlier = opening_key("Hi Sam K., thanks a lot for the kind words!\nMore.", ["Sam K."])
    text = "Hi Jenny Wu, thanks a lot for the kind words!\nOther text."
    assert "repeated_opening" in codes(text, recent_openings={earlier}, names=["Jenny Wu"])
    assert "repeated_opening" not in codes(text, recent_openings={"something else"}, names=["Jenny Wu"])


def test_first_sentence_keeps_initials_titles_and_numbers_whole():
    assert first_sentence("Hi Alex R., thanks a lot!\n\nBye.") == "Hi Alex R., thanks a lot!"
    assert first_sentence("Dr. Smith was right. Next") == "Dr. Smith was right."
    assert first_sentence("佐藤様、ありがとうございます。またどうぞ。") == "佐藤様、ありがとうございます。"
    assert first_sentence("It was 3.5 stars. Ok") == "It was 3.5 stars."


def test_wrong_language_is_an_error():
    assert "wrong_language" in codes(CLEAN_EN, "ja")
    assert "wrong_language" in codes(CLEAN_JA, "en")
    assert "wrong_language" not in codes(CLEAN_EN, None)  # an unknown review language checks nothing


def test_keyword_stuffing_is_a_warning_not_an_error():
    text = "Best ramen in Shibuya. Shibuya ramen lovers, our Shibuya ramen is the best ramen in Shibuya!"
    problems = lint(text, lang="en", store_names=["Shibuya"], detect=_fake_detect)
    stuffed = [p for p in problems if p.code == "keyword_stuffing"]
    assert stuffed and all(p.level is Level.WARNING for p in stuffed)
    assert not has_errors(problems)


def test_errors_come_before_warnings_and_read_as_level_then_message():
    text = "ramen ramen ramen ramen, call 03-1234-5678"
    problems = lint(text, lang="en", detect=_fake_detect)
    assert problems[0].level is Level.ERROR and problems[-1].level is Level.WARNING
    assert str(problems[0]).startswith("error: contains a phone number")


def test_the_real_language_detector_is_the_default():
    assert lint.__kwdefaults__["detect"] is reply_lint.langs.detect
