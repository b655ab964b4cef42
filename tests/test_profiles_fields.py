"""Profile fields: canonical text from Google, validation of user text, PATCH building."""

from __future__ import annotations

from typing import Any

import pytest

from localcx.profiles.fields import (
    CLEAR,
    FIELD_NAMES,
    FIELDS,
    FieldError,
    build_patch,
    cross_check,
    location_values,
    mask_for,
    parse_value,
)

SEATTLE: dict[str, Any] = {
    "name": "locations/4832106583271943211",
    "storeCode": "SEA-014",
    "title": "Northwind Coffee",
    "phoneNumbers": {"primaryPhone": "+1 206-555-0142", "additionalPhones": ["+1 206-555-0199"]},
    "categories": {
        "primaryCategory": {"name": "categories/gcid:coffee_shop", "displayName": "Coffee shop"},
        "additionalCategories": [{"name": "categories/gcid:cafe", "displayName": "Cafe"}],
    },
    "storefrontAddress": {"regionCode": "US", "postalCode": "98101"},
    "websiteUri": "https://northwind.example/stores/sea-014",
    "regularHours": {"periods": [
        {"openDay": "MONDAY", "openTime": {"hours": 7}, "closeDay": "MONDAY",
         "closeTime": {"hours": 18, "minutes": 30}},
        {"openDay": "FRIDAY", "openTime": {"hours": 18}, "closeDay": "SATURDAY",
         "closeTime": {"hours": 2}},
        {"openDay": "SUNDAY", "openTime": {}, "closeDay": "SUNDAY", "closeTime": {"hours": 24}},
    ]},
    "specialHours": {"specialHourPeriods": [
        {"startDate": {"year": 2026, "month": 12, "day": 25}, "closed": True},
        {"startDate": {"year": 2026, "month": 12, "day": 24}, "openTime": {"hours": 8},
         "endDate": {"year": 2026, "month": 12, "day": 24}, "closeTime": {"hours": 14}},
    ]},
    "labels": ["region-west", "flagship"],
    "openInfo": {"status": "OPEN", "canReopen": True},
    "profile": {"description": "Neighbourhood espresso bar."},
}  # fmt: skip


def test_location_values_canonical_text() -> None:
    assert location_values(SEATTLE) == {
        "title": "Northwind Coffee",
        "primary_phone": "+12065550142",
        "additional_phones": "+12065550199",
        "website": "https://northwind.example/stores/sea-014",
        "description": "Neighbourhood espresso bar.",
        "primary_category": "gcid:coffee_shop",
        "additional_categories": "gcid:cafe",
        "regular_hours": "Mon 07:00-18:30; Fri 18:00-02:00; Sun 00:00-24:00",
        "special_hours": "2026-12-24 08:00-14:00; 2026-12-25 closed",
        "labels": "region-west; flagship",
        "open_status": "OPEN",
    }
    assert tuple(location_values(SEATTLE)) == FIELD_NAMES


def test_location_values_unset_fields_are_empty() -> None:
    values = location_values({"name": "locations/1", "title": "Bare"})
    assert values["title"] == "Bare"
    assert all(values[name] == "" for name in FIELD_NAMES if name != "title")


def test_google_phone_and_typed_phone_compare_equal() -> None:
    google = location_values(SEATTLE)["primary_phone"]
    assert parse_value("primary_phone", "(206) 555-0142", region="US") == google
    assert parse_value("primary_phone", "03-1234-5678", region="JP") == "+81312345678"
    assert parse_value("primary_phone", "０３－１２３４－５６７８", region="JP") == "+81312345678"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("additional_phones", "+1 206-555-0199, 206 555 0100", "+12065550199; +12065550100"),
        ("website", "  https://example.com/a  ", "https://example.com/a"),
        ("primary_category", "categories/gcid:Coffee_Shop", "gcid:coffee_shop"),
        ("additional_categories", "gcid:cafe; categories/gcid:bakery", "gcid:cafe; gcid:bakery"),
        ("labels", "tokyo;  flagship ;tokyo", "tokyo; flagship"),
        ("open_status", "closed temporarily", "CLOSED_TEMPORARILY"),
        ("open_status", "臨時休業", "CLOSED_TEMPORARILY"),
        ("regular_hours", "月-金 9:00-18:00", "Mon-Fri 09:00-18:00"),
        ("special_hours", "2026/12/25 x", "2026-12-25 closed"),
        ("description", "  line 1\r\nline 2  ", "line 1\nline 2"),
    ],
)
def test_parse_value_normalises(name: str, text: str, expected: str) -> None:
    assert parse_value(name, text, region="US") == expected


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("primary_phone", "03-1234", '"03-1234" is not a valid phone number for JP'),
        ("additional_phones", "03-1111-2222; 03-3333-4444; 03-5555-6666", "Google allows 2"),
        ("website", "example.com", "is not an http(s) URL"),
        ("website", "ftp://example.com", "is not an http(s) URL"),
        ("description", "あ" * 751, "751 characters; Google allows 750"),
        ("primary_category", "Coffee shop", "did you mean gcid:coffee_shop?"),
        ("labels", "x" * 256, "over 255 characters"),
        ("labels", "; ".join(f"l{i}" for i in range(51)), "at most 50"),
        ("open_status", "maybe", "is not an open status"),
        ("regular_hours", "Sat 25:00-26:00", '"Sat 25:00-26:00": hour must be 0-24'),
        ("regular_hours", "Mon-Sun closed", "write ~clear"),
        ("title", "two\nlines", "must be one line"),
        ("nope", "x", "unknown field"),
    ],
)
def test_parse_value_errors(name: str, text: str, message: str) -> None:
    with pytest.raises(FieldError) as info:
        parse_value(name, text, region="JP")
    assert message in str(info.value)


def test_description_limit_counts_characters_not_bytes() -> None:
    assert parse_value("description", "あ" * 750, region="JP") == "あ" * 750


def test_known_categories_did_you_mean() -> None:
    known = {"categories/gcid:coffee_shop", "gcid:cafe"}
    assert parse_value("primary_category", "gcid:cafe", region="US", known_categories=known)
    with pytest.raises(
        FieldError, match=r"not a known category \(did you mean gcid:coffee_shop\?\)"
    ):
        parse_value("primary_category", "gcid:coffe_shop", region="US", known_categories=known)


@pytest.mark.parametrize("name", FIELD_NAMES)
def test_clear_rules(name: str) -> None:
    if name in ("title", "primary_phone", "primary_category", "open_status"):
        with pytest.raises(FieldError, match="can't be cleared"):
            parse_value(name, CLEAR, region="US")
    else:
        assert parse_value(name, CLEAR, region="US") == ""
        assert parse_value(name, " ~CLEAR ", region="US") == ""


def test_blank_is_not_a_clear() -> None:
    with pytest.raises(FieldError, match="blank means unchanged"):
        parse_value("website", "   ", region="US")


def test_masks() -> None:
    assert mask_for("primary_phone") == mask_for("additional_phones") == "phoneNumbers"
    assert mask_for("description") == "profile.description"
    assert mask_for("open_status") == "openInfo.status"
    assert {f.mask for f in FIELDS.values()} == {
        "title", "phoneNumbers", "websiteUri", "profile.description", "categories",
        "regularHours", "specialHours", "labels", "openInfo.status",
    }  # fmt: skip


def test_build_patch_minimal_mask_and_whole_groups() -> None:
    current = location_values(SEATTLE)
    body, mask = build_patch(
        current,
        {
            "additional_phones": "+12065550100",
            "regular_hours": "Sat 10:00-16:00",
            "title": current["title"],  # unchanged: not sent
            "primary_category": "gcid:cafe",
            "additional_categories": "",
        },
        region="US",
    )
    assert mask == ["categories", "phoneNumbers", "regularHours"]
    assert body == {
        "phoneNumbers": {"primaryPhone": "+12065550142", "additionalPhones": ["+12065550100"]},
        "categories": {"primaryCategory": {"name": "categories/gcid:cafe"},
                       "additionalCategories": []},
        "regularHours": {"periods": [{"openDay": "SATURDAY", "openTime": {"hours": 10},
                                      "closeDay": "SATURDAY", "closeTime": {"hours": 16}}]},
    }  # fmt: skip


def test_build_patch_cleared_field_is_masked_not_sent() -> None:
    current = location_values(SEATTLE)
    body, mask = build_patch(current, {"website": "", "description": "", "labels": ""}, region="US")
    assert mask == ["labels", "profile.description", "websiteUri"]
    assert body == {}


def test_build_patch_nested_and_status() -> None:
    current = location_values(SEATTLE)
    body, mask = build_patch(
        current,
        {"description": "New text", "open_status": "CLOSED_TEMPORARILY",
         "special_hours": "2027-01-01 closed", "labels": "a; b"},
        region="US",
    )  # fmt: skip
    assert mask == ["labels", "openInfo.status", "profile.description", "specialHours"]
    assert body["profile"] == {"description": "New text"}
    assert body["openInfo"] == {"status": "CLOSED_TEMPORARILY"}
    assert body["labels"] == ["a", "b"]
    assert body["specialHours"] == {"specialHourPeriods": [
        {"startDate": {"year": 2027, "month": 1, "day": 1}, "closed": True}]}  # fmt: skip


def test_build_patch_nothing_changed() -> None:
    current = location_values(SEATTLE)
    assert build_patch(current, dict(current), region="US") == ({}, [])


def test_build_patch_rejects_bad_phone() -> None:
    with pytest.raises(FieldError):
        build_patch(location_values(SEATTLE), {"primary_phone": "123"}, region="US")


def test_cross_check() -> None:
    values = location_values(SEATTLE)
    assert cross_check(values) == []
    values["additional_categories"] = "gcid:coffee_shop"
    values["regular_hours"] = ""
    fields = [involved[0] for involved, _ in cross_check(values)]
    assert fields == ["additional_categories", "special_hours"]
