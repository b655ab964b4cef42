"""Desired-state files: CSV (localcx and Google layouts), encodings, TOML, export round trip."""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import Any

import pytest

from localcx.profiles.desired import DesiredState, Problem, StoreInfo, load_desired
from localcx.profiles.export import EXPORT_COLUMNS, write_rows
from localcx.profiles.fields import location_values

STORES = {
    "TKY-001": StoreInfo("TKY-001", ("tokyo-west", "flagship"), "JP"),
    "TKY-002": StoreInfo("TKY-002", ("tokyo-west",), "JP"),
    "TKY-003": StoreInfo("TKY-003", ("tokyo-east", "late-night"), "JP"),
    "SEA-001": StoreInfo("SEA-001", ("region-west",), "US"),
    "SEA-002": StoreInfo("SEA-002", ("region-west",), "US"),
}


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(state: DesiredState, root: Path) -> list[str]:
    return [str(p).replace(f"{root}/", "") for p in state.problems]


def test_problem_str() -> None:
    assert str(Problem("stores.csv", 7, "phone", "bad")) == "stores.csv:7:phone: bad"


def test_bad_phone_on_line_7_and_unknown_column(tmp_path: Path) -> None:
    text = (
        "store_code,title,phnoe,phone,regular_hours\n"
        "TKY-001,Ramen,,03-1234-5678,\n"
        'TKY-002,,,,"Mon 11:00-14:00\n'  # a quoted cell over two physical lines
        'Tue 17:00-22:00"\n'
        "\n"
        "SEA-001,,,(206) 555-0142,\n"
        "TKY-003,,,03-1234,\n"
    )
    state = load_desired(write(tmp_path, "stores.csv", text), stores=STORES)
    assert problems(state, tmp_path) == [
        "stores.csv:1:phnoe: unknown column (did you mean primary_phone?)",
        'stores.csv:7:phone: "03-1234" is not a valid phone number for JP',
    ]
    assert state.values["TKY-001"] == {"title": "Ramen", "primary_phone": "+81312345678"}
    assert state.values["TKY-002"] == {"regular_hours": "Mon 11:00-14:00; Tue 17:00-22:00"}
    assert state.values["SEA-001"] == {"primary_phone": "+12065550142"}
    assert state.skipped == ["TKY-003"]
    assert state.sources["SEA-001"] == (str(tmp_path / "stores.csv"), 6)


def test_all_problems_at_once(tmp_path: Path) -> None:
    text = (
        "store_code , website ,description,regular_hours\r\n"
        "TKY-001,example.com,,Sat 25:00-26:00\r\n"
        "TKY-9,,,\r\n"
        "TKY-002,,ok,\r\n"
        "TKY-002,,again,\r\n"
        ",https://x.example,,\r\n"
        ",,,\r\n"
        ",,,\r\n"
    )
    state = load_desired(write(tmp_path, "s.csv", text), stores=STORES)
    assert problems(state, tmp_path) == [
        's.csv:2:website: "example.com" is not an http(s) URL with a host',
        's.csv:2:regular_hours: "Sat 25:00-26:00": hour must be 0-24',
        's.csv:3:store_code: unknown store code "TKY-9" (did you mean TKY-003?)',
        's.csv:5:store_code: store code "TKY-002" is also on line 4',
        "s.csv:6:store_code: missing store code",
    ]
    assert state.values == {}
    assert state.skipped == ["TKY-001", "TKY-9", "TKY-002"]


def test_blank_is_unchanged_and_clear_rules(tmp_path: Path) -> None:
    text = (
        "store_code,title,website,labels,primary_category\n"
        "TKY-001,,~clear,,\n"
        "TKY-002,~clear,,~clear,~clear\n"
    )
    state = load_desired(write(tmp_path, "s.csv", text), stores=STORES)
    assert state.values == {"TKY-001": {"website": ""}}
    assert problems(state, tmp_path) == [
        "s.csv:3:title: title can't be cleared: Google requires it",
        "s.csv:3:primary_category: primary_category can't be cleared: Google requires it",
    ]


def test_cp932_file_with_japanese_day_names(tmp_path: Path) -> None:
    text = (
        "store_code,title,regular_hours,special_hours\r\n"
        'TKY-001,麺屋さくら 新宿店,"月-金 11:00-15:00, 17:00-22:00; 土日 11:00-21:00",'
        "2026/12/31 11:00-18:00; 2027/01/01 休み\r\n"
        'TKY-002,,"月〜金 １１：００～１５：００、１７：００～２２：００；水 定休日",\r\n'
    )
    path = write(tmp_path, "stores.csv", text, "cp932")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    state = load_desired(path, stores=STORES)
    assert state.problems == []
    assert state.values["TKY-001"] == {
        "title": "麺屋さくら 新宿店",
        "regular_hours": "Mon-Fri 11:00-15:00, 17:00-22:00; Sat-Sun 11:00-21:00",
        "special_hours": "2026-12-31 11:00-18:00; 2027-01-01 closed",
    }
    assert state.values["TKY-002"] == {
        "regular_hours": "Mon-Tue 11:00-15:00, 17:00-22:00; Thu-Fri 11:00-15:00, 17:00-22:00"
    }


def test_utf8_bom_file_and_tsv(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "store_code,title\nTKY-001,らーめん\n".encode())
    state = load_desired(path, stores=STORES)
    assert state.problems == []
    assert state.values == {"TKY-001": {"title": "らーめん"}}
    tsv = write(tmp_path, "s.tsv", "store_code\ttitle\nTKY-001\tA, B\n")
    assert load_desired(tsv, stores=STORES).values == {"TKY-001": {"title": "A, B"}}


def test_undecodable_file_and_encoding_override(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"store_code,title\nTKY-001,\x82\xff\x82\n")
    state = load_desired(path, stores=STORES)
    assert len(state.problems) == 1
    problem = state.problems[0]
    assert problem.line == 0
    assert str(problem).startswith(str(path)) and "utf-8" in problem.message
    assert "cp932" in problem.message
    latin = load_desired(path, stores=STORES, encoding="latin-1")
    assert latin.problems == []


def test_known_categories_and_cross_checks_with_current(tmp_path: Path) -> None:
    text = "store_code,primary_category,additional_categories\nTKY-001,gcid:ramen_restaurnt,\nTKY-002,,gcid:ramen_restaurant\n"
    current = {"TKY-002": {"primary_category": "gcid:ramen_restaurant"}}
    state = load_desired(
        write(tmp_path, "s.csv", text),
        stores=STORES,
        known_categories=["categories/gcid:ramen_restaurant", "gcid:noodle_shop"],
        current=current,
    )
    assert problems(state, tmp_path) == [
        's.csv:2:primary_category: "gcid:ramen_restaurnt" is not a known category'
        " (did you mean gcid:ramen_restaurant?)",
        "s.csv:3:additional_categories: gcid:ramen_restaurant is both the primary and an"
        " additional category",
    ]


# --- TOML ----------------------------------------------------------------------------------

TOML = """\
[defaults]
website = "https://example.com/"
regular_hours = "Mon-Fri 09:00-18:00"

[[rule]]
stores = "label:tokyo-west"
regular_hours = "月-金 11:00-22:00; 土日 11:00-21:00"
website = "https://example.jp/"

[[rule]]
stores = "TKY-002, TKY-003"
website = "https://example.jp/late"

[stores."TKY-002"]
primary_phone = "03-1234-5678"
labels = ["a", "b"]
"""


def test_toml_precedence(tmp_path: Path) -> None:
    state = load_desired(write(tmp_path, "d.toml", TOML), stores=STORES)
    assert state.problems == []
    assert state.values["SEA-001"] == {
        "website": "https://example.com/",
        "regular_hours": "Mon-Fri 09:00-18:00",
    }
    assert state.values["TKY-001"] == {
        "website": "https://example.jp/",
        "regular_hours": "Mon-Fri 11:00-22:00; Sat-Sun 11:00-21:00",
    }
    assert state.values["TKY-002"] == {
        "website": "https://example.jp/late",
        "regular_hours": "Mon-Fri 11:00-22:00; Sat-Sun 11:00-21:00",
        "primary_phone": "+81312345678",
        "labels": "a; b",
    }
    assert state.values["TKY-003"]["website"] == "https://example.jp/late"
    assert state.sources["TKY-002"] == (str(tmp_path / "d.toml"), 14)


def test_toml_problems_point_at_keys(tmp_path: Path) -> None:
    text = """\
[defaults]
websit = "https://example.com/"

[[rule]]
stores = "label:tokyo-wst"
title = "x"

[[rule]]
stores = "all"
primary_phone = "12"

[stores."NOPE-1"]
title = "y"

[store."TKY-001"]
title = "z"
"""
    state = load_desired(write(tmp_path, "d.toml", text), stores=STORES)
    assert problems(state, tmp_path) == [
        "d.toml:15:store: unknown table (did you mean stores?)",
        'd.toml:5:stores: "label:tokyo-wst" matches no store (did you mean tokyo-west?)',
        'd.toml:12:stores: unknown store code "NOPE-1"',
        "d.toml:2:websit: unknown field (did you mean website?)",
        'd.toml:10:primary_phone: "12" is not a valid phone number for JP',
        'd.toml:10:primary_phone: "12" is not a valid phone number for US',
    ]
    assert state.values == {}


def test_toml_syntax_error(tmp_path: Path) -> None:
    state = load_desired(write(tmp_path, "d.toml", "[defaults]\ntitle = \n"), stores=STORES)
    assert [p.line for p in state.problems] == [2]
    assert "invalid TOML" in state.problems[0].message


# --- Google's bulk sheet -------------------------------------------------------------------


def test_google_sheet_japanese_headers(tmp_path: Path) -> None:
    header = (
        "店舗コード,ビジネス名,住所 1 行目,郵便番号,電話番号,ウェブサイト,メインカテゴリ,"
        "日曜日の営業時間,月曜日の営業時間,火曜日の営業時間,水曜日の営業時間,"
        "木曜日の営業時間,金曜日の営業時間,土曜日の営業時間,特別営業時間,ラベル,Wi-Fi (has_wi_fi)"
    )
    rows = [
        "TKY-001,麺屋さくら,新宿1-2-3,160-0022,03-1234-5678,https://example.jp/,gcid:ramen_restaurant,"
        '00:00-00:00,9:00AM-5:00PM,9:00AM-5:00PM,x,"11:00-15:00, 17:00-22:00",6:00PM-2:00AM,'
        'x,"2026-12-25: x, 2026-12-31: 10:00-14:00, 2026-12-31: 18:00-23:00",'
        '"tokyo-west, flagship",yes',
        "TKY-002,,,,,,,,,,,,,10:00-16:00,,,",
    ]
    path = write(tmp_path, "bulk.csv", "\r\n".join([header, *rows]) + "\r\n")
    current = {"TKY-002": {"regular_hours": "Mon-Fri 11:00-22:00; Sat 11:00-21:00"}}
    state = load_desired(path, stores=STORES, current=current)
    assert state.problems == []
    assert state.values["TKY-001"] == {
        "title": "麺屋さくら",
        "primary_phone": "+81312345678",
        "website": "https://example.jp/",
        "primary_category": "gcid:ramen_restaurant",
        "regular_hours": "Mon-Tue 09:00-17:00; Thu 11:00-15:00, 17:00-22:00; "
        "Fri 18:00-02:00; Sun 00:00-24:00",
        "special_hours": "2026-12-25 closed; 2026-12-31 10:00-14:00, 18:00-23:00",
        "labels": "tokyo-west; flagship",
    }
    # Only Saturday given: the other days keep the store's current hours.
    assert state.values["TKY-002"] == {"regular_hours": "Mon-Fri 11:00-22:00; Sat 10:00-16:00"}


def test_google_sheet_problems(tmp_path: Path) -> None:
    text = (
        "Store code,Business name,Monday hours,Tuesday hours,Special hours,Primary category,Favourite colour\n"
        "SEA-001,,9:00AM-13:00PM,,2026-12-25: maybe,Coffee shop,\n"
        "SEA-002,,18:00-03:00,02:00-10:00,,ラーメン屋,\n"
    )
    state = load_desired(write(tmp_path, "bulk.csv", text), stores=STORES)
    assert problems(state, tmp_path) == [
        "bulk.csv:1:Favourite colour: unknown column",
        'bulk.csv:2:Special hours: "2026-12-25: maybe": "maybe" is not a range (use HH:MM-HH:MM)',
        'bulk.csv:2:Monday hours: "9:00AM-13:00PM": hour must be 1-12 with AM/PM',
        'bulk.csv:3:Primary category: "ラーメン屋" is not a category id like gcid:coffee_shop',
        'bulk.csv:3:Monday hours: "Tue 02:00-10:00" overlaps "Mon 18:00-03:00"',
    ]


def test_google_sheet_english_display_category(tmp_path: Path) -> None:
    text = 'Store code,Primary category,Additional categories\nSEA-001,Coffee shop,"Cafe, Bakery"\n'
    state = load_desired(write(tmp_path, "bulk.csv", text), stores=STORES)
    assert state.values["SEA-001"] == {
        "primary_category": "gcid:coffee_shop",
        "additional_categories": "gcid:cafe; gcid:bakery",
    }


# --- export → load round trip --------------------------------------------------------------

RAMEN: dict[str, Any] = {
    "name": "locations/1", "storeCode": "TKY-001", "languageCode": "ja",
    "title": "麺屋さくら 新宿店",
    "phoneNumbers": {"primaryPhone": "03-1234-5678", "additionalPhones": ["+81 3-9876-5432"]},
    "categories": {"primaryCategory": {"name": "categories/gcid:ramen_restaurant"},
                   "additionalCategories": [{"name": "categories/gcid:noodle_shop"}]},
    "storefrontAddress": {"regionCode": "JP", "addressLines": ["新宿3-1-1"]},
    "websiteUri": "https://menya-sakura.example/shops/tky-001",
    "regularHours": {"periods": [
        {"openDay": day, "openTime": {"hours": 11}, "closeDay": day, "closeTime": {"hours": 15}}
        for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
    ] + [
        {"openDay": "MONDAY", "openTime": {"hours": 17, "minutes": 30}, "closeDay": "MONDAY",
         "closeTime": {"hours": 22}},
        {"openDay": "FRIDAY", "openTime": {"hours": 18}, "closeDay": "SATURDAY",
         "closeTime": {"hours": 2}},
        {"openDay": "SATURDAY", "openTime": {"hours": 11}, "closeDay": "SUNDAY", "closeTime": {}},
    ]},
    "specialHours": {"specialHourPeriods": [
        {"startDate": {"year": 2027, "month": 1, "day": 1}, "closed": True},
        {"startDate": {"year": 2026, "month": 12, "day": 31}, "openTime": {"hours": 11},
         "endDate": {"year": 2027, "month": 1, "day": 1}, "closeTime": {"hours": 1}},
        {"startDate": {"year": 2026, "month": 12, "day": 30}, "openTime": {"hours": 10},
         "closeTime": {"hours": 14}},
        {"startDate": {"year": 2026, "month": 12, "day": 30}, "openTime": {"hours": 17},
         "closeTime": {"hours": 20}},
    ]},
    "labels": ["tokyo-west", "late-night"],
    "openInfo": {"status": "OPEN"},
    "profile": {"description": '新宿の醤油ラーメン、"特製"つけ麺も。\n深夜2時まで営業, cash only'},
}  # fmt: skip
COFFEE: dict[str, Any] = {
    "name": "locations/2", "storeCode": "SEA-001", "languageCode": "en",
    "title": "Northwind Coffee – Pike's \"Flagship\"",
    "phoneNumbers": {"primaryPhone": "+1 206-555-0142"},
    "categories": {"primaryCategory": {"name": "categories/gcid:coffee_shop"}},
    "storefrontAddress": {"regionCode": "US"},
    "websiteUri": "https://northwind.example/stores/sea-001?utm_source=gbp&x=1,2",
    "regularHours": {"periods": [
        {"openDay": "SUNDAY", "openTime": {}, "closeDay": "SUNDAY", "closeTime": {"hours": 24}},
        {"openDay": "MONDAY", "openTime": {"hours": 6, "minutes": 30}, "closeDay": "MONDAY",
         "closeTime": {"hours": 18}},
        {"openDay": "TUESDAY", "openTime": {"hours": 6, "minutes": 30}, "closeDay": "TUESDAY",
         "closeTime": {"hours": 18}},
    ]},
    "labels": ["region-west"],
    "openInfo": {"status": "CLOSED_TEMPORARILY"},
    "profile": {"description": "Espresso, pastries, and \"slow bar\" pour-overs.\r\nDogs welcome."},
}  # fmt: skip
BARE: dict[str, Any] = {"name": "locations/3", "storeCode": "SEA-002", "title": "Bare"}


def _export(locations: list[dict[str, Any]], fmt: str, language: str = "en") -> str:
    stream = io.StringIO(newline="")
    rows = ({"store_code": loc["storeCode"], **location_values(loc)} for loc in locations)
    assert write_rows(rows, stream, format=fmt, language=language) == len(locations)
    return stream.getvalue()


def _differences(state: DesiredState, locations: list[dict[str, Any]]) -> list[str]:
    current = {loc["storeCode"]: location_values(loc) for loc in locations}
    return [
        f"{code}.{name}: {current[code][name]!r} → {value!r}"
        for code, values in state.values.items()
        for name, value in values.items()
        if current[code][name] != value
    ]


@pytest.mark.parametrize(
    ("fmt", "language", "encoding"),
    [("localcx", "en", "utf-8"), ("localcx", "en", "cp932"), ("google-bulk", "en", "utf-8-sig"),
     ("google-bulk", "ja", "cp932")],
)  # fmt: skip
def test_export_then_load_has_zero_differences(
    tmp_path: Path, fmt: str, language: str, encoding: str
) -> None:
    locations = [RAMEN, COFFEE, BARE]
    text = _export(locations, fmt, language)
    if encoding == "cp932":
        text = text.replace("–", "-")  # the en dash has no CP932 code
        COFFEE_CP932 = {**COFFEE, "title": COFFEE["title"].replace("–", "-")}
        locations = [RAMEN, COFFEE_CP932, BARE]
    path = write(tmp_path, "export.csv", text, encoding)
    current = {loc["storeCode"]: location_values(loc) for loc in locations}
    state = load_desired(path, stores=STORES, current=current)
    assert state.problems == []
    assert _differences(state, locations) == []
    assert set(state.values) == {"TKY-001", "SEA-001", "SEA-002"}


def test_export_columns_and_hours_text() -> None:
    text = _export([RAMEN], "localcx")
    assert text.splitlines()[0] == ",".join(EXPORT_COLUMNS)
    values = location_values(RAMEN)
    assert values["regular_hours"] == (
        "Mon 11:00-15:00, 17:30-22:00; Tue-Thu 11:00-15:00; Fri 11:00-15:00, 18:00-02:00; "
        "Sat 11:00-24:00"
    )
    assert values["special_hours"] == (
        "2026-12-30 10:00-14:00, 17:00-20:00; 2026-12-31 11:00-01:00; 2027-01-01 closed"
    )
    sheet = _export([RAMEN], "google-bulk", "ja").splitlines()
    assert sheet[0].startswith("店舗コード,ビジネス名,電話番号")
    assert "2026-12-30: 10:00-14:00, 2026-12-30: 17:00-20:00" in sheet[1]


def test_write_rows_rejects_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        write_rows([], io.StringIO(), format="xlsx")


def test_sandbox_world_round_trips(tmp_path: Path) -> None:
    """Every store the sandbox generates survives export → load with no differences."""
    world = pytest.importorskip("localcx.sandbox.world").build_world(seed=7, stores=2000)
    locations = [{**loc, "storeCode": loc["storeCode"]} for loc in world.locations]
    stores = {
        loc["storeCode"]: StoreInfo(
            loc["storeCode"], tuple(loc.get("labels", [])), loc["storefrontAddress"]["regionCode"]
        )
        for loc in locations
    }
    current = {loc["storeCode"]: location_values(loc) for loc in locations}
    for fmt in ("localcx", "google-bulk"):
        path = write(tmp_path, f"{fmt}.csv", _export(locations, fmt))
        state = load_desired(path, stores=stores, current=current)
        assert state.problems == []
        assert _differences(state, locations) == []


def test_cross_checks_only_flag_changes(tmp_path: Path) -> None:
    """Existing odd data (special hours without regular hours) is not the file's fault."""
    current = {"SEA-001": {"special_hours": "2026-12-25 closed", "regular_hours": ""}}
    unchanged = "store_code,special_hours\nSEA-001,2026-12-25 closed\n"
    state = load_desired(write(tmp_path, "a.csv", unchanged), stores=STORES, current=current)
    assert state.problems == []
    changed = "store_code,special_hours\nSEA-001,2026-12-26 closed\n"
    state = load_desired(write(tmp_path, "b.csv", changed), stores=STORES, current=current)
    assert problems(state, tmp_path) == [
        "b.csv:2:special_hours: special hours need regular hours (Google refuses them)"
    ]
    toml = '[stores."SEA-001"]\nregular_hours = "~clear"\n'
    current["SEA-001"]["regular_hours"] = "Mon 09:00-17:00"
    state = load_desired(write(tmp_path, "c.toml", toml), stores=STORES, current=current)
    assert problems(state, tmp_path) == [
        "c.toml:2:regular_hours: special hours need regular hours (Google refuses them)"
    ]


def test_google_sheet_clear_and_all_closed(tmp_path: Path) -> None:
    days = ",".join(f"{d} hours" for d in ("Sunday", "Monday", "Tuesday", "Wednesday",
                                           "Thursday", "Friday", "Saturday"))  # fmt: skip
    text = f"Store code,Website,{days}\nSEA-001,~clear,,,~clear,,,,\nSEA-002,,x,x,x,x,x,x,x\n"
    current = {"SEA-001": {"regular_hours": "Mon 09:00-17:00"}}
    state = load_desired(write(tmp_path, "bulk.csv", text), stores=STORES, current=current)
    assert state.problems == []
    assert state.values == {
        "SEA-001": {"website": "", "regular_hours": ""},
        "SEA-002": {"regular_hours": ""},
    }
