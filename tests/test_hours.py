"""Regular and special hours: readable text ↔ canonical text ↔ Google JSON."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localcx.profiles.hours import (
    GOOGLE_DAYS,
    HoursError,
    merge_special_hours,
    parse_regular_hours,
    parse_special_hours,
    regular_hours_from_google,
    regular_hours_to_google,
    special_hours_from_google,
    special_hours_to_google,
)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Mon-Fri 09:00-18:00; Sat 10:00-16:00; Sun closed",
         "Mon-Fri 09:00-18:00; Sat 10:00-16:00"),
        ("mon 11:00-14:00, 17:00-22:00", "Mon 11:00-14:00, 17:00-22:00"),
        ("Monday 17:00-22:00, 11:00-14:00", "Mon 11:00-14:00, 17:00-22:00"),
        ("Fri 22:00-02:00", "Fri 22:00-02:00"),
        ("Fri 22:00-00:00", "Fri 22:00-24:00"),
        ("Mon-Sun 00:00-24:00", "Mon-Sun 00:00-24:00"),
        ("daily 24h", "Mon-Sun 00:00-24:00"),
        ("Mon,Wed,Fri 9-17", "Mon 09:00-17:00; Wed 09:00-17:00; Fri 09:00-17:00"),
        ("Sat-Mon 10:00-16:00", "Mon 10:00-16:00; Sat-Sun 10:00-16:00"),
        ("Tue 9:00AM-5:30PM", "Tue 09:00-17:30"),
        ("月-金 11:00-15:00, 17:00-22:00; 土日 11:00-21:00",
         "Mon-Fri 11:00-15:00, 17:00-22:00; Sat-Sun 11:00-21:00"),
        ("月曜日〜金曜日 ０９：００～１８：００；土 10:00–16:00；日 定休日",
         "Mon-Fri 09:00-18:00; Sat 10:00-16:00"),
        ("平日 11時-20時30分、 水 休み", "Mon-Tue 11:00-20:30; Thu-Fri 11:00-20:30"),
        ("Mon-Sun 11:00-21:00; Wed closed", "Mon-Tue 11:00-21:00; Thu-Sun 11:00-21:00"),
        ("Mon x; Tue X", ""),
        ("", ""),
    ],
)  # fmt: skip
def test_parse_regular_hours_canonical(text: str, canonical: str) -> None:
    assert parse_regular_hours(text) == canonical
    assert parse_regular_hours(canonical) == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Sat 25:00-26:00", '"Sat 25:00-26:00": hour must be 0-24'),
        ("Mon 09:60-10:00", '"Mon 09:60-10:00": minute must be 0-59'),
        ("Mon 24:00-10:00", "24:00 is only allowed as a close time"),
        ("Mon 24:30-10:00", "24:00 is the latest time"),
        ("Mon 10:00-10:00", "open and close are the same time"),
        ("Mon 11:00-15:00, 14:00-22:00", '"Mon 14:00-22:00" overlaps "Mon 11:00-15:00"'),
        ("Fri 22:00-03:00; Sat 02:00-10:00", '"Sat 02:00-10:00" overlaps "Fri 22:00-03:00"'),
        ("Sun 22:00-03:00; Mon 02:00-10:00", '"Mon 02:00-10:00" overlaps "Sun 22:00-03:00"'),
        ("Mon 9-17; Mon 18-19", "Mon already has hours"),
        ("Funday 10:00-12:00", "missing day name"),
        ("Mon", "missing hours"),
        ("Mon soon", "is not a range"),
        ("Mon soon-later", "is not a time"),
        ("土日祝 10:00-20:00", "special_hours"),
    ],
)
def test_parse_regular_hours_errors_name_the_piece(text: str, message: str) -> None:
    with pytest.raises(HoursError) as info:
        parse_regular_hours(text)
    assert message in str(info.value)


def test_adjacent_ranges_are_allowed_and_kept() -> None:
    assert parse_regular_hours("Mon 09:00-12:00, 12:00-18:00") == "Mon 09:00-12:00, 12:00-18:00"


def test_to_google_overnight_midnight_and_24h() -> None:
    periods = regular_hours_to_google("Fri 18:00-02:00; Sat 09:30-24:00; Sun 00:00-24:00")
    assert periods == {
        "periods": [
            {"openDay": "FRIDAY", "openTime": {"hours": 18},
             "closeDay": "SATURDAY", "closeTime": {"hours": 2}},
            {"openDay": "SATURDAY", "openTime": {"hours": 9, "minutes": 30},
             "closeDay": "SATURDAY", "closeTime": {"hours": 24}},
            {"openDay": "SUNDAY", "openTime": {},
             "closeDay": "SUNDAY", "closeTime": {"hours": 24}},
        ]
    }  # fmt: skip
    sunday_overnight = regular_hours_to_google("Sun 20:00-01:00")["periods"][0]
    assert sunday_overnight["closeDay"] == "MONDAY"


def test_from_google_tolerates_variations() -> None:
    obj = {
        "periods": [
            {"openDay": "SUNDAY", "openTime": {}, "closeDay": "MONDAY", "closeTime": {}},
            {"openDay": "MONDAY", "openTime": {"hours": 7}, "closeDay": "MONDAY",
             "closeTime": {"hours": 18, "minutes": 30}},
            {"openDay": "FRIDAY", "openTime": {"hours": 18}, "closeDay": "SATURDAY",
             "closeTime": {"hours": 2}},
            {"openDay": "TUESDAY", "openTime": "09:00", "closeTime": "17:00"},
            {"openDay": "WEDNESDAY", "openTime": {"hours": 22}, "closeDay": "WEDNESDAY",
             "closeTime": {}},
        ]
    }  # fmt: skip
    assert regular_hours_from_google(obj) == (
        "Mon 07:00-18:30; Tue 09:00-17:00; Wed 22:00-24:00; Fri 18:00-02:00; Sun 00:00-24:00"
    )
    assert regular_hours_from_google(None) == ""
    assert regular_hours_from_google({}) == ""


def test_from_google_splits_multi_day_periods_and_merges_overlaps() -> None:
    whole_week = {"periods": [{"openDay": "MONDAY", "openTime": {}, "closeDay": "SUNDAY",
                               "closeTime": {"hours": 24}}]}  # fmt: skip
    assert regular_hours_from_google(whole_week) == "Mon-Sun 00:00-24:00"
    overlapping = {"periods": [
        {"openDay": "MONDAY", "openTime": {"hours": 9}, "closeDay": "MONDAY", "closeTime": {"hours": 13}},
        {"openDay": "MONDAY", "openTime": {"hours": 12}, "closeDay": "MONDAY", "closeTime": {"hours": 18}},
    ]}  # fmt: skip
    assert regular_hours_from_google(overlapping) == "Mon 09:00-18:00"


# --- properties ----------------------------------------------------------------------------

_times = st.integers(0, 24 * 60 - 1)


@st.composite
def google_periods(draw: st.DrawFn) -> dict[str, object]:
    """Arbitrary (even overlapping, multi-day, out-of-order) Google periods."""
    periods = []
    for _ in range(draw(st.integers(0, 8))):
        open_day = draw(st.integers(0, 6))
        opening = draw(_times)
        close_day = (open_day + draw(st.integers(0, 2))) % 7
        closing = draw(st.integers(0, 24 * 60).filter(lambda m: m % 60 == 0 or m < 1440))

        def tod(minutes: int) -> dict[str, int]:
            out = {}
            if minutes // 60:
                out["hours"] = minutes // 60
            if minutes % 60:
                out["minutes"] = minutes % 60
            return out

        periods.append({"openDay": GOOGLE_DAYS[open_day], "openTime": tod(opening),
                        "closeDay": GOOGLE_DAYS[close_day], "closeTime": tod(closing)})  # fmt: skip
    return {"periods": draw(st.permutations(periods))}


@settings(max_examples=300)
@given(google_periods())
def test_google_round_trip_is_stable(obj: dict[str, object]) -> None:
    text = regular_hours_from_google(obj)
    assert parse_regular_hours(text) == text  # canonical is a fixed point
    again = regular_hours_from_google(regular_hours_to_google(text))
    assert again == text


_hhmm = st.builds(lambda m: f"{m // 60}:{m % 60:02d}", st.integers(0, 24 * 60 - 1))


@settings(max_examples=300)
@given(st.lists(st.tuples(st.sampled_from(["Mon", "tue", "水", "Thursday", "金曜日", "Sat", "日"]),
                          _hhmm, _hhmm), max_size=6))  # fmt: skip
def test_parse_is_a_fixed_point(entries: list[tuple[str, str, str]]) -> None:
    text = "; ".join(f"{day} {a}-{b}" for day, a, b in entries)
    try:
        canonical = parse_regular_hours(text)
    except HoursError:
        return  # overlaps, repeated days, equal times: rejected, fine
    assert parse_regular_hours(canonical) == canonical
    assert regular_hours_from_google(regular_hours_to_google(canonical)) == canonical


# --- special hours -------------------------------------------------------------------------


def test_special_hours_canonical_and_google() -> None:
    text = "2027-01-01 closed; 2026/12/24: 8:00-14:00; 2026-12-31 10:00-14:00, 18:00-02:00"
    canonical = parse_special_hours(text)
    assert canonical == (
        "2026-12-24 08:00-14:00; 2026-12-31 10:00-14:00, 18:00-02:00; 2027-01-01 closed"
    )
    google = special_hours_to_google(canonical)
    assert google["specialHourPeriods"][0] == {
        "startDate": {"year": 2026, "month": 12, "day": 24}, "openTime": {"hours": 8},
        "endDate": {"year": 2026, "month": 12, "day": 24}, "closeTime": {"hours": 14},
    }  # fmt: skip
    assert google["specialHourPeriods"][2]["endDate"] == {"year": 2027, "month": 1, "day": 1}
    assert google["specialHourPeriods"][3] == {
        "startDate": {"year": 2027, "month": 1, "day": 1}, "closed": True,
    }  # fmt: skip
    assert special_hours_from_google(google) == canonical


def test_special_hours_japanese_and_date_ranges() -> None:
    assert parse_special_hours("2026/12/30〜2027/01/01 休み") == (
        "2026-12-30 closed; 2026-12-31 closed; 2027-01-01 closed"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-30 closed", "is not a valid date"),
        ("12/25/2026 closed", "expected a date"),
        ("2026-12-25 closed; 2026-12-25 10:00-12:00", "already given"),
        ("2026-12-24 20:00-03:00; 2026-12-25 02:00-10:00", "overlaps"),
        ("2026-12-24 25:00-26:00", "hour must be 0-24"),
    ],
)
def test_special_hours_errors(text: str, message: str) -> None:
    with pytest.raises(HoursError, match=message):
        parse_special_hours(text)


def test_special_hours_from_google_variations() -> None:
    obj = {"specialHourPeriods": [
        {"startDate": {"year": 2026, "month": 12, "day": 25}, "closed": True},
        {"startDate": {"year": 2026, "month": 12, "day": 24}, "openTime": {"hours": 8},
         "closeTime": {"hours": 14}},
        {"startDate": {"year": 2026, "month": 12, "day": 31}, "openTime": {"hours": 22},
         "endDate": {"year": 2027, "month": 1, "day": 1}, "closeTime": {}},
    ]}  # fmt: skip
    assert special_hours_from_google(obj) == (
        "2026-12-24 08:00-14:00; 2026-12-25 closed; 2026-12-31 22:00-24:00"
    )


def test_merge_special_hours_replaces_same_dates_only() -> None:
    existing = "2026-12-24 08:00-14:00; 2026-12-25 closed"
    new = "2026-12-24 closed; 2027-01-01 closed"
    assert merge_special_hours(existing, new) == (
        "2026-12-24 closed; 2026-12-25 closed; 2027-01-01 closed"
    )
    assert merge_special_hours("", new) == parse_special_hours(new)


@st.composite
def google_special(draw: st.DrawFn) -> dict[str, object]:
    """Arbitrary special-hour periods over a few dates, including overlaps and closures."""
    periods: list[dict[str, object]] = []
    for _ in range(draw(st.integers(0, 6))):
        day = draw(st.integers(1, 4))
        start = {"year": 2026, "month": 12, "day": day}
        if draw(st.booleans()) and draw(st.booleans()):
            periods.append({"startDate": start, "closed": True})
            continue
        opening, closing = draw(_times), draw(st.integers(0, 24 * 60))
        end = {"year": 2026, "month": 12, "day": day + draw(st.integers(0, 1))}
        periods.append({
            "startDate": start, "endDate": end,
            "openTime": {"hours": opening // 60, "minutes": opening % 60},
            "closeTime": {"hours": closing // 60, "minutes": closing % 60},
        })  # fmt: skip
    return {"specialHourPeriods": periods}


@settings(max_examples=300)
@given(google_special())
def test_special_hours_google_round_trip_is_stable(obj: dict[str, object]) -> None:
    text = special_hours_from_google(obj)
    assert parse_special_hours(text) == text
    assert special_hours_from_google(special_hours_to_google(text)) == text
