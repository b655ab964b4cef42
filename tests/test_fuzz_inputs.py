"""Fuzzing the desired-state readers: any bytes give values or problems, never a crash.

"Never a crash" means: loading returns a DesiredState (problems are data), turning its
problems into the command's error raises only ValidationError, and every value that
passed validation can be built into a PATCH body (the step that used to overflow).
"""

from __future__ import annotations

import codecs
import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localcx.errors import LocalcxError, ValidationError
from localcx.profiles.desired import DesiredState, StoreInfo, load_desired
from localcx.profiles.fields import FIELD_NAMES, FieldError, build_patch, parse_value
from localcx.profiles.hours import HoursError, parse_regular_hours, parse_special_hours

STORES = {
    "TKY-001": StoreInfo("TKY-001", ("tokyo",), "JP"),
    "SEA-001": StoreInfo("SEA-001", ("west",), "US"),
}
# A few seconds per run; LOCALCX_FUZZ_EXAMPLES=5000 explores further when hunting.
FUZZ = settings(
    max_examples=int(os.environ.get("LOCALCX_FUZZ_EXAMPLES", "250")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Pieces people (and spreadsheets) put in files, so random text reaches the deep paths.
_WORDS = [
    "TKY-001", "SEA-001", "store_code", "title", "website", "regular_hours", "special_hours",
    "primary_phone", "labels", "~clear", "Mon-Fri", "月-金", "土日", "9-5", "18:00-02:00",
    "24h", "closed", "定休日", "2026-12-31", "9999-12-31", "0000-01-01", "..", "〜", "：",
    "https://", "http://[", "example.jp", "：8080", "+81 3-1234-5678", "03-1234", "\"", ",",
    ";", "\t", "\n", "\r\n", "\x00", "\x1b", "\u2028", "[defaults]", "[[rule]]", "[rule]",
    '[stores."TKY-001"]', "stores = ", '"all"', "label:tokyo", "=", "[", "]", "{", "}",
    "gcid:cafe", "Store code", "店舗コード", "Monday hours", "月曜日の営業時間", "x", "9:00AM",
]  # fmt: skip
texts = st.lists(
    st.one_of(st.sampled_from(_WORDS), st.text(max_size=6)), max_size=30
).map("".join)
ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "utf-16", "latin-1"]


def encoded(text: str, encoding: str) -> bytes:
    return codecs.encode(text, encoding, errors="replace")


def mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, delete count, insert) edits: truncations, flips, stray bytes."""
    out = bytearray(data)
    for position, delete, insert in edits:
        at = position % (len(out) + 1)
        out[at : at + delete] = insert
    return bytes(out)


edits = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 4), st.binary(max_size=4)), max_size=6
)


def check(data: bytes, name: str, tmp_path: Path | None = None) -> None:
    """Load like `profiles plan` does; only LocalcxError may come out."""
    state = load_desired(Path(name), stores=STORES, data=data, name=name, current={})
    assert isinstance(state, DesiredState)
    for problem in state.problems:
        assert str(problem).startswith(name)
    if state.problems:
        with pytest.raises(ValidationError):
            raise ValidationError("problems", [str(p) for p in state.problems])
    for code, values in state.values.items():
        # Phones/categories are sent whole and need their primary: a planner-level refusal.
        with contextlib.suppress(FieldError):
            build_patch({}, values, region=STORES[code].region)


SEEDS = {
    "s.csv": "store_code,title,website,regular_hours,special_hours,labels\r\n"
    'TKY-001,麺屋さくら,https://example.jp/,"月-金 11:00-15:00, 17:00-22:00",'
    "2026-12-31 22:00-02:00,a; b\r\n",
    "bulk.csv": "Store code,Business name,Monday hours,Special hours\n"
    'SEA-001,Cafe,9:00AM-5:00PM,"2026-12-25: x, 2026-12-24: 09:00-14:00"\n',
    "d.toml": '[defaults]\nwebsite = "https://example.com/"\n[[rule]]\nstores = "label:tokyo"\n'
    'regular_hours = "月-金 11:00-22:00"\n[stores."SEA-001"]\nlabels = ["a", "b"]\n',
    "all.json": '[\n {"store_code": "TKY-001", "title": "A", "labels": ["x"], "location": {}}\n]\n',
    "all.jsonl": '{"store_code": "TKY-001", "title": "A"}\n{"store_code": "SEA-001"}\n',
}


@FUZZ
@given(data=st.binary(max_size=400), name=st.sampled_from([*SEEDS, "-", "stdin"]))
def test_random_bytes(data: bytes, name: str) -> None:
    check(data, name)


@FUZZ
@given(seed=st.sampled_from(sorted(SEEDS)), encoding=st.sampled_from(ENCODINGS), changes=edits)
def test_mutated_seed_files(seed: str, encoding: str, changes: list[tuple[int, int, bytes]]) -> None:
    check(mutate(encoded(SEEDS[seed], encoding), changes), seed)


@FUZZ
@given(
    header=st.lists(st.sampled_from([*FIELD_NAMES, "phone", "Store code", "x"]), max_size=5),
    cells=st.lists(texts, max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(ENCODINGS),
)
def test_generated_csv(header: list[str], cells: list[str], delimiter: str, encoding: str) -> None:
    row = delimiter.join(['"' + c.replace('"', '""') + '"' for c in cells])
    text = delimiter.join(["store_code", *header]) + "\r\n" + "TKY-001" + delimiter + row + "\r\n"
    check(encoded(text, encoding), "s.csv")


@FUZZ
@given(body=texts, key=st.sampled_from([*FIELD_NAMES, "stores", "defaults", "rule"]))
def test_generated_toml(body: str, key: str) -> None:
    for text in (body, f"[defaults]\n{key} = {body}\n", f'[[rule]]\nstores = "all"\n{key} = "{body}"\n'):
        check(text.encode("utf-8", errors="replace"), "d.toml")


@FUZZ
@given(text=texts)
def test_hours_text_raises_only_hours_error(text: str) -> None:
    for parse in (parse_regular_hours, parse_special_hours):
        with contextlib.suppress(HoursError):
            parse(text)


@FUZZ
@given(text=texts, name=st.sampled_from(FIELD_NAMES), region=st.sampled_from(["JP", "US", "ZZ"]))
def test_field_values_raise_only_field_error(text: str, name: str, region: str) -> None:
    try:
        value = parse_value(name, text, region=region)
    except FieldError:
        return
    assert parse_value(name, value, region=region) == value if value else True


def test_localcx_error_is_the_only_family() -> None:
    assert issubclass(ValidationError, LocalcxError)
