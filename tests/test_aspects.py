"""Aspects found in English and Japanese reviews, each scored on its own words."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localcx.text.aspects import LABELS, Aspect, Mention, mentions

DEV_SET = Path(__file__).parent / "data" / "aspects_dev.tsv"
_POSITIVE = ("great", "friendly", "delicious", "clean", "lovely", "美味し", "親切", "丁寧", "良い", "最高", "便利")
_NEGATIVE = ("rude", "dirty", "slow", "expensive", "terrible", "noisy", "悪い", "汚", "遅", "高い", "うるさ", "不便")


def fake_scorer(text: str, lang: str) -> float:
    """+1 / -1 / 0 by counting a few words: enough to see which words each mention was scored on."""
    lowered = text.lower()
    balance = sum(word in lowered for word in _POSITIVE) - sum(word in lowered for word in _NEGATIVE)
    return float((balance > 0) - (balance < 0))


def aspects_of(text: str, lang: str) -> set[Aspect]:
    return {mention.aspect for mention in mentions(text, lang, fake_scorer)}


@pytest.mark.parametrize(
    ("aspect", "english", "japanese"),
    [
        (Aspect.SERVICE, "The waiter was really attentive.", "店員さんの接客が丁寧でした。"),
        (Aspect.PRICE, "Prices are fair for the area.", "値段が手頃で助かります。"),
        (Aspect.QUALITY, "The noodles were delicious.", "麺がもちもちで美味しい。"),
        (Aspect.CLEANLINESS, "The restroom was dirty.", "トイレが清潔でした。"),
        (Aspect.WAITING, "We had to wait half an hour.", "30分待たされました。"),
        (Aspect.ATMOSPHERE, "Lovely relaxed atmosphere.", "雰囲気が落ち着いていて良い。"),
        (Aspect.LOCATION, "Plenty of parking out front.", "駐車場が広くて停めやすい。"),
        (Aspect.BOOKING, "Make a reservation on weekends.", "週末は予約したほうがいいです。"),
    ],
)
def test_each_aspect_is_found_in_both_languages(aspect, english, japanese):
    assert aspect in aspects_of(english, "en")
    assert aspect in aspects_of(japanese, "ja")


@pytest.mark.parametrize(
    ("text", "lang", "positive", "negative"),
    [
        ("Great coffee but rude staff.", "en", Aspect.QUALITY, Aspect.SERVICE),
        ("Although the service was slow, the food was delicious.", "en", Aspect.QUALITY, Aspect.WAITING),
        ("The staff were friendly, however the place was dirty.", "en", Aspect.SERVICE, Aspect.CLEANLINESS),
        ("ラーメンは美味しいけど、店員の態度が悪い。", "ja", Aspect.QUALITY, Aspect.SERVICE),
        ("接客は丁寧でしたが、値段が高い。", "ja", Aspect.SERVICE, Aspect.PRICE),
        ("駅から近くて便利なのに、店内がうるさい。", "ja", Aspect.LOCATION, Aspect.ATMOSPHERE),
    ],
)
def test_contrast_splits_aspects_with_opposite_polarity(text, lang, positive, negative):
    by_aspect = {mention.aspect: mention for mention in mentions(text, lang, fake_scorer)}
    assert by_aspect[positive].polarity > 0 > by_aspect[negative].polarity
    assert by_aspect[positive].text != by_aspect[negative].text
    assert by_aspect[positive].text in text and by_aspect[negative].text in text


def test_aspects_joined_by_and_are_scored_on_their_own_fragment():
    found = mentions("The coffee was great and the staff were rude", "en", fake_scorer)
    assert found == [
        Mention(Aspect.QUALITY, "The coffee was great", 1.0),
        Mention(Aspect.SERVICE, "the staff were rude", -1.0),
    ]


def test_a_quote_drops_the_contrast_word_it_opens_with():
    assert [m.text for m in mentions("Great coffee but rude staff.", "en", fake_scorer)] == ["Great coffee", "rude staff."]
    assert [m.text for m in mentions("値段は高い、でも味は最高", "ja", fake_scorer)] == ["値段は高い、", "味は最高"]


def test_a_neutral_fragment_takes_the_clause_polarity():
    found = {m.aspect: m for m in mentions("Staff, food and music were all great", "en", fake_scorer)}
    assert set(found) == {Aspect.SERVICE, Aspect.QUALITY, Aspect.ATMOSPHERE}
    assert all(mention.polarity == 1.0 for mention in found.values())


def test_one_mention_per_aspect_per_sentence():
    found = mentions("Friendly staff and a helpful manager. The staff were rude.", "en", fake_scorer)
    assert [(m.aspect, m.polarity) for m in found] == [(Aspect.SERVICE, 1.0), (Aspect.SERVICE, -1.0)]


def test_a_food_word_is_only_the_object_when_another_aspect_is_named():
    assert aspects_of("The food was expensive.", "en") == {Aspect.PRICE}
    assert aspects_of("We waited an hour for our food.", "en") == {Aspect.WAITING}
    assert aspects_of("The food was great.", "en") == {Aspect.QUALITY}
    assert aspects_of("ラーメンが1000円もする。", "ja") == {Aspect.PRICE}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Can't wait to come back!", "en"),
        ("I'll definitely be back, highly recommend.", "en"),
        ("Our waitress Anna made the evening.", "en"),  # a waitress is service, not waiting
        ("期待以上でした。", "ja"),  # 期待 holds 待
        ("興味があって来ました。", "ja"),  # 興味 holds 味
        ("北海道が好きです。", "ja"),  # 北海道 holds 道が
        ("レベルが高いお店です。", "ja"),  # 高い about level, not price
        ("天井が高くて開放感がある。", "ja"),  # 高い about the ceiling
    ],
)
def test_no_false_hits_on_tricky_sentences(text, lang):
    assert aspects_of(text, lang) <= ({Aspect.SERVICE} if "waitress" in text else set())


def test_one_hour_nearly_is_waiting_not_location():
    assert aspects_of("1時間近く待ちました。", "ja") == {Aspect.WAITING}


def test_full_width_letters_and_curly_apostrophes_are_folded():
    assert aspects_of("ＢＧＭがうるさい。", "ja") == {Aspect.ATMOSPHERE}
    assert aspects_of("Can’t wait to return!", "en") == set()


def test_other_languages_and_empty_text_give_no_mentions():
    assert mentions("Le personnel était très sympathique.", "fr", fake_scorer) == []
    assert mentions("", "en", fake_scorer) == []
    assert aspects_of("Great staff", "en-US") == {Aspect.SERVICE}


def test_every_aspect_has_a_label_in_both_languages():
    assert set(LABELS) == set(Aspect)
    assert all(set(names) == {"en", "ja"} and all(names.values()) for names in LABELS.values())


def _dev_rows() -> list[tuple[set[str], str, str]]:
    rows = []
    for line in DEV_SET.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        aspects, lang, text = line.split("\t")
        rows.append((set() if aspects == "-" else set(aspects.split(",")), lang, text))
    return rows


def test_dev_set_is_labelled_with_known_aspects_in_both_languages():
    rows = _dev_rows()
    assert len(rows) >= 80
    assert {lang for _, lang, _ in rows} == {"en", "ja"}
    assert set().union(*(gold for gold, _, _ in rows)) == {aspect.value for aspect in Aspect}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_precision_and_recall_on_the_dev_set(lang):
    true_positive = false_positive = false_negative = 0
    for gold, row_lang, text in _dev_rows():
        if row_lang != lang:
            continue
        found = {aspect.value for aspect in aspects_of(text, lang)}
        true_positive += len(gold & found)
        false_positive += len(found - gold)
        false_negative += len(gold - found)
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    assert precision >= 0.8 and recall >= 0.8, (precision, recall)


_REVIEW = st.lists(
    st.one_of(
        st.text(max_size=8),
        st.sampled_from(["staff", "but ", "高い", "けど", "待ち", "。", ". ", ", and ", "、", "\r\n", "can't wait", "料理"]),
    ),
    max_size=10,
).map("".join)


@settings(derandomize=True, max_examples=300)
@given(_REVIEW, st.sampled_from(["en", "ja"]))
def test_any_text_gives_mentions_quoting_its_own_words(text, lang):
    plain = text.replace("\r\n", "\n").replace("\r", "\n")
    found = mentions(text, lang, fake_scorer)
    assert all(mention.text and mention.text in plain for mention in found)
    assert all(mention.polarity in (-1.0, 0.0, 1.0) for mention in found)


def test_fast_or_slow_wifi_is_not_about_waiting() -> None:
    for text in ("Fast Wi-Fi and plenty of outlets.", "The Wi-Fi was slow.", "The wifi is slow but the coffee is great"):
        assert "waiting" not in {m.aspect.value for m in mentions(text, "en", lambda clause, lang: 0.0)}, text
    assert "waiting" in {m.aspect.value for m in mentions("Fast service.", "en", lambda clause, lang: 0.0)}
