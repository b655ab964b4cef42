"""Hostile and odd desired-state files: every one is a file:line problem, never a crash."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from localcx.exitcodes import ExitCode
from localcx.profiles.desired import DesiredState, StoreInfo, detect_format, load_desired
from localcx.profiles.fields import FieldError, parse_value
from localcx.profiles.hours import HoursError, parse_regular_hours
from localcx.profiles.special_hours import special_hours_from_google
from localcx.profiles.tabular import sniff_delimiter

STORES = {
    "TKY-001": StoreInfo("TKY-001", ("tokyo-west",), "JP"),
    "TKY-002": StoreInfo("TKY-002", ("tokyo-west",), "JP"),
    "SEA-001": StoreInfo("SEA-001", ("region-west",), "US"),
}


def load(tmp_path: Path, name: str, data: bytes, **kwargs: object) -> DesiredState:
    path = tmp_path / name
    path.write_bytes(data)
    return load_desired(path, stores=STORES, **kwargs)  # type: ignore[arg-type]


def shown(state: DesiredState, root: Path) -> list[str]:
    return [str(p).replace(f"{root}/", "") for p in state.problems]


# --- 1. bytes and values that used to crash -------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xfe\xff\x00", "starts with a UTF-16 BOM but is not valid utf-16"),
        (codecs.BOM_UTF8 + b"store_code\n\xff\xfe\x82", "starts with a UTF-8 BOM but is not valid"),
        (bytes(range(256)) * 4, "can't decode"),
        (b"", "the file is empty"),
        (b" \r\n\t\n", "the file is empty"),
    ],
)
def test_undecodable_or_empty_bytes_are_a_file_problem(
    tmp_path: Path, data: bytes, message: str
) -> None:
    state = load(tmp_path, "s.csv", data)
    assert len(state.problems) == 1
    assert state.problems[0].line == 0 and message in state.problems[0].message
    assert not state.problems[0].skippable


def test_header_only_csv_is_a_problem(tmp_path: Path) -> None:
    state = load(tmp_path, "s.csv", b"store_code,title\r\n")
    assert shown(state, tmp_path) == ["s.csv:1: no rows under the header: the file sets nothing"]


def test_huge_field_is_a_malformed_csv_problem(tmp_path: Path) -> None:
    state = load(tmp_path, "s.csv", b"store_code,title\nTKY-001," + b"a" * 200_000 + b"\n")
    assert [p.line for p in state.problems] == [2]
    assert "malformed CSV" in state.problems[0].message


def test_nul_byte_is_a_problem_on_its_line(tmp_path: Path) -> None:
    # Older csv modules refuse NUL ("malformed CSV"); newer ones pass it to validation.
    state = load(tmp_path, "s.csv", b"store_code,title\nTKY-001,a\x00b\n")
    assert [p.line for p in state.problems] == [2] and state.values == {}


def test_special_hours_overnight_on_the_last_representable_date(tmp_path: Path) -> None:
    text = "store_code,regular_hours,special_hours\nTKY-001,Mon 09:00-10:00,9999-12-31 22:00-02:00\n"
    state = load(tmp_path, "s.csv", text.encode())
    assert shown(state, tmp_path) == [
        's.csv:2:special_hours: "9999-12-31 22:00-02:00": 9999-12-31 is outside the years'
        " 1900-2999"
    ]


def test_special_hours_from_google_with_a_date_past_year_9999_is_unreadable_not_a_crash() -> None:
    period = {"startDate": {"year": 9999, "month": 12, "day": 31}, "openTime": {"hours": 22},
              "endDate": {"year": 9999, "month": 12, "day": 31}, "closeTime": {"hours": 2}}  # fmt: skip
    with pytest.raises(HoursError):
        special_hours_from_google({"specialHourPeriods": [period]})


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[x", '"http://[x" is not a valid URL'),
        ("https://example.com:abc/", "is not a valid URL"),
        ("https://example.com:99999/", "is not a valid URL"),
        (
            "https://menya-sakura.example：8080/",
            'has a full-width "：" (U+FF1A): type it as ":" with the input method in half-width',
        ),
        ("https：//example.jp/", 'full-width "："'),
        ("https://ｅｘａｍｐｌｅ.jp/", 'full-width "ｅ"'),
        ("https://example.jp/店舗　一覧", "full-width space"),
    ],
)
def test_websites_urllib_refuses_or_an_ime_mangled(url: str, message: str) -> None:
    with pytest.raises(FieldError) as info:
        parse_value("website", url, region="JP")
    assert message in str(info.value)


def test_japanese_host_and_path_are_still_fine() -> None:
    assert parse_value("website", "https://ラーメン.jp/店舗/新宿", region="JP")


def test_full_width_colon_in_a_csv_names_the_cell(tmp_path: Path) -> None:
    text = "store_code,website\nTKY-001,https://menya-sakura.example：8080/\n"
    state = load(tmp_path, "s.csv", text.encode("cp932"))
    assert shown(state, tmp_path)[0].startswith('s.csv:2:website: "https://menya-sakura.example：')


# --- 2. control characters in one-line fields ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("website", "https://example.com/\nx", 'contains a line break: website must be one line'),
        ("website", "https://exa\tmple.com/", "contains a tab"),
        ("title", "Ramen\rShop", "title must be one line"),
        ("title", "Ramen\x1bShop", "U+001B"),
        ("title", "Ramen\u2028Shop", "title must be one line"),
        ("primary_phone", "03-1234\n-5678", "line break"),
        ("additional_phones", "03-1234-5678\t03-1234-5679", "tab"),
        ("labels", "a\nb", "labels must be one line"),
        ("primary_category", "gcid:cafe\x00", "U+0000"),
        ("additional_categories", "gcid:cafe\ngcid:bakery", "line break"),
        ("description", "ok\x07bell", "U+0007"),
    ],
)
def test_control_characters_are_refused(name: str, text: str, message: str) -> None:
    with pytest.raises(FieldError) as info:
        parse_value(name, text, region="JP")
    assert message in str(info.value)
    assert "\n" not in str(info.value) and "\t" not in str(info.value)


def test_multi_line_fields_keep_line_breaks_and_tabs() -> None:
    assert parse_value("description", "one\n\ttwo", region="JP") == "one\n\ttwo"
    assert parse_value("regular_hours", "Mon 09:00-10:00\r\nTue 09:00-10:00", region="JP")


def test_control_character_in_a_store_code(tmp_path: Path) -> None:
    text = 'store_code,title\n"TKY-\x01001",Ramen\n'
    state = load(tmp_path, "s.csv", text.encode())
    assert shown(state, tmp_path) == [
        's.csv:2:store_code: "TKY-\\x01001" contains the control character U+0001:'
        " a store code can't contain it"
    ]
    assert state.skipped == ["TKY-\x01001"]


# --- 3. TOML mistakes that used to be silent -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[rule]\nstores = "all"\ntitle = "x"\n',
         "d.toml:1:rule: write [[rule]] (two brackets): each rule is one of a list"),
        ('defaults = "x"\n',
         "d.toml:1:defaults: must be a table: write [defaults] with field = value lines under it"),
        ('# a store\n[stores]\nTKY-001 = "x"\n',
         'd.toml:3:TKY-001: must be a table: write [stores."TKY-001"] with field = value under it'),
        ('stores = "TKY-001"\n',
         'd.toml:1:stores: must be tables: write [stores."CODE"] with field = value lines under it'),
        ('\ntitle = "x"\n',
         'd.toml:2:title: a field outside any table: put it under [defaults], a [[rule]] or'
         ' [stores."CODE"]'),
        ('[defautls]\ntitle = "x"\n', "d.toml:1:defautls: unknown table (did you mean defaults?)"),
        ('[[rule]]\ntitle = "x"\n',
         'd.toml:1:stores: a [[rule]] needs stores = "all" | "label:X" | codes'),
        ('[[rule]]\nstores = []\ntitle = "x"\n',
         'd.toml:2:stores: selects no store: write "all", "label:NAME" or store codes'),
        ("[defaults]\ntitle = 5\n",
         "d.toml:2:title: must be a string (or an array of strings), not a number"),
        ("[defaults]\nlabels = [1, 2]\n",
         "d.toml:2:labels: must be a string (or an array of strings), not an array with non-strings"),
        ("[defaults]\nwebsite = true\n",
         "d.toml:2:website: must be a string (or an array of strings), not true/false"),
        ("rule = [1]\n", "d.toml:1:rule: must be [[rule]] tables"),
        ("# only a comment\n",
         'd.toml: no [defaults], [[rule]] or [stores."CODE"] table: the file sets nothing'),
        ("a = " + "[" * 5000 + "\n", "invalid TOML"),
    ],
)  # fmt: skip
def test_toml_mistakes_are_problems(tmp_path: Path, text: str, expected: str) -> None:
    state = load(tmp_path, "d.toml", text.encode())
    assert state.values == {}
    assert expected in shown(state, tmp_path)[0]


def test_toml_wrong_type_in_one_store_skips_only_that_store(tmp_path: Path) -> None:
    text = '[stores."TKY-001"]\ntitle = 1\n\n[stores."TKY-002"]\ntitle = "ok"\n'
    state = load(tmp_path, "d.toml", text.encode())
    assert [p.store for p in state.problems] == ["TKY-001"]
    assert state.skipped == ["TKY-001"]
    assert state.values == {"TKY-002": {"title": "ok"}}


# --- 4. 9-5 is ambiguous -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mon-Fri 9-5", '"9-5" closes before it opens; write 09:00-17:00, or 09:00-05:00 if it'
                        " is open overnight"),
        ("Fri 18-2", "write 18:00-02:00 if it is open overnight"),
        ("土 11時-2時", "write 11:00-14:00, or 11:00-02:00"),
        ("Fri 22:00-2", "write 22:00-02:00"),
    ],
)  # fmt: skip
def test_range_without_minutes_closing_before_it_opens_is_ambiguous(text: str, message: str) -> None:
    with pytest.raises(HoursError) as info:
        parse_regular_hours(text)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Fri 18:00-02:00", "Fri 18:00-02:00"),
        ("Fri 6PM-2AM", "Fri 18:00-02:00"),
        ("Fri 22-0", "Fri 22:00-24:00"),
        ("Mon-Fri 9-17", "Mon-Fri 09:00-17:00"),
        ("Fri 2200-0200", "Fri 22:00-02:00"),
    ],
)
def test_unambiguous_ranges_still_parse(text: str, canonical: str) -> None:
    assert parse_regular_hours(text) == canonical


def test_ambiguous_hours_in_a_csv_are_a_problem_not_a_twenty_hour_day(tmp_path: Path) -> None:
    state = load(tmp_path, "s.csv", b"store_code,regular_hours\nSEA-001,Mon-Fri 9-5\n")
    assert state.values == {}
    assert shown(state, tmp_path)[0].startswith('s.csv:2:regular_hours: "Mon-Fri 9-5"')


# --- 5. delimiters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("store_code;title;website", ";"), ("store_code\ttitle", "\t"), ("store_code,title", ","),
     ("store_code", ",")],
)  # fmt: skip
def test_sniff_delimiter(line: str, delimiter: str) -> None:
    assert sniff_delimiter(line + "\nx\n") == delimiter


def test_semicolon_csv_from_european_excel(tmp_path: Path) -> None:
    text = "store_code;title;regular_hours\r\nSEA-001;Café, Bar;Mon-Fri 09:00-17:00\r\n"
    state = load(tmp_path, "s.csv", codecs.BOM_UTF8 + text.encode())
    assert state.problems == []
    assert state.values == {
        "SEA-001": {"title": "Café, Bar", "regular_hours": "Mon-Fri 09:00-17:00"}
    }


def test_which_problems_skip_invalid_can_get_past(tmp_path: Path) -> None:
    state = load(
        tmp_path, "s.csv", b"store_code,phnoe,title\nTKY-001,,A\nNOPE,,B\n,,C\nTKY-002,,\x1b\n"
    )
    assert [(p.line, p.store) for p in state.problems] == [
        (1, None), (3, "NOPE"), (4, ""), (5, "TKY-002")
    ]  # fmt: skip
    assert [str(p) for p in state.file_problems] == [
        f"{tmp_path}/s.csv:1:phnoe: unknown column (did you mean primary_phone?)"
    ]


# --- 6. JSON, as `locations export x.json` writes it ---------------------------------------

EXPORT = [
    {"location_id": "101", "store_code": "TKY-001", "title": "麺屋さくら", "website": None,
     "primary_phone": "+81 3-1234-5678", "address": "新宿1-2-3", "labels": ["tokyo-west"],
     "open_status": "OPEN", "location": {"title": "ignored", "websiteUri": "x"}},
    {"location_id": "102", "store_code": "TKY-002", "title": "Ramen",
     "regular_hours": "Mon-Fri 9-5", "labels": []},
]  # fmt: skip


def test_json_export_reads_like_csv_rows(tmp_path: Path) -> None:
    data = json.dumps(EXPORT, ensure_ascii=False, indent=2).encode()
    state = load(tmp_path, "all.json", data)
    assert state.values["TKY-001"] == {
        "title": "麺屋さくら", "primary_phone": "+81312345678", "labels": "tokyo-west",
        "open_status": "OPEN",
    }  # fmt: skip
    line = data.decode().splitlines().index('    "regular_hours": "Mon-Fri 9-5",') + 1
    assert [(p.line, p.column, p.store) for p in state.problems] == [
        (line, "regular_hours", "TKY-002")
    ]
    assert state.skipped == ["TKY-002"]
    assert state.sources["TKY-001"] == (str(tmp_path / "all.json"), 2)


def test_jsonl_problems_name_the_line(tmp_path: Path) -> None:
    lines = [json.dumps({"store_code": "TKY-001", "title": "A"}),
             json.dumps({"store_code": "TKY-002", "webiste": "https://a.example/"}),
             json.dumps({"location_id": "9", "title": 5}),
             "[1]"]  # fmt: skip
    state = load(tmp_path, "all.jsonl", "\n".join(lines).encode())
    assert shown(state, tmp_path) == [
        "all.jsonl:2:webiste: unknown field (did you mean website?)",
        "all.jsonl:3:title: must be a string (or an array of strings)",
        'all.jsonl:3:store_code: unknown store code "locations/9"',
        "all.jsonl:4: expected a store object, found list",
    ]
    assert state.values == {"TKY-001": {"title": "A"}}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[{"store_code": "TKY-001",}]', "all.json:1: invalid JSON: Expecting property name"),
        ('{"store_code": "TKY-001"}', "all.json:1: expected an array of stores"),
        ("[]", "all.json:1: no stores in the file: it sets nothing"),
        ("[" * 100_000, "all.json:1: invalid JSON: nested too deeply"),
        ('[\n{"store_code": 5}]', "all.json:2:store_code: must be a string"),
    ],
)
def test_json_mistakes(tmp_path: Path, text: str, expected: str) -> None:
    assert shown(load(tmp_path, "all.json", text.encode()), tmp_path)[0].startswith(expected)


# --- 7. bytes from stdin, format from the content ------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("store_code,title\nTKY-001,A\n", "table"),
        ("[defaults]\ntitle = 'A'\n", "toml"),
        ('[stores."TKY-001"]\ntitle = "A"\n', "toml"),
        ("# comment\n[[rule]]\n", "toml"),
        ('[\n  {"store_code": "TKY-001"}\n]\n', "json"),
        ('[{"store_code": "TKY-001"}]', "json"),
        ('{"store_code": "TKY-001"}\n{"store_code": "TKY-002"}\n', "jsonl"),
    ],
)
def test_detect_format_without_an_extension(text: str, kind: str) -> None:
    assert detect_format("", text) == kind


def test_load_from_bytes_with_a_display_name() -> None:
    state = load_desired(
        Path("-"), stores=STORES, data="store_code;title\nTKY-001;Ａ\n".encode("cp932"),
        name="<stdin>",
    )  # fmt: skip
    assert state.values == {"TKY-001": {"title": "Ａ"}}
    bad = load_desired(Path("-"), stores=STORES, data=b"[defaults]\ntitle = 1\n", name="<stdin>")
    assert [str(p) for p in bad.problems] == [
        "<stdin>:2:title: must be a string (or an array of strings), not a number"
    ]


# --- CLI: exit 1 with file:line, and --skip-invalid only where it helps ---------------------


def test_cli_hostile_file_is_exit_1_with_a_problem_not_a_bug(synced, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    stores = synced.json("locations", "list")
    path.write_text(f"store_code,website\n{stores[0]['store_code']},http://[x\n")
    result = synced("profiles", "plan", str(path))
    assert result.exit_code == ExitCode.ERROR
    assert f"{path}:2:website: " in result.stderr and "this is a bug" not in result.stderr
    assert "--skip-invalid" in result.stderr
    path.write_bytes(b"\xfe\xff\x00")
    result = synced("profiles", "plan", str(path), "--skip-invalid")
    assert result.exit_code == ExitCode.ERROR
    assert "UTF-16" in result.stderr and "--skip-invalid" not in result.stderr


def test_cli_plans_the_json_export_and_lists_what_it_skipped(synced, tmp_path: Path) -> None:
    out = tmp_path / "all.json"
    assert synced("locations", "export", str(out)).exit_code == 0
    assert synced.json("profiles", "plan", str(out))["stores_changed"] == 0
    items = json.loads(out.read_text())
    items[0]["website"] = "https://example.com/new"
    items[1]["website"] = "http://[x"
    out.write_text(json.dumps(items, indent=2))
    plan = synced.json("profiles", "plan", str(out), "--skip-invalid")
    assert [s["store_code"] for s in plan["stores"]] == [items[0]["store_code"]]
    assert items[1]["store_code"] in plan["skipped"]
    assert len(plan["problems"]) == 1 and f"{out}:" in plan["problems"][0]
