"""The schedule grammar: every WHEN and SCHEDULE form, DST, month ends, Japanese input,
bounds and caps, and that no text whatever raises anything but a UsageError."""

from __future__ import annotations

import contextlib
import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from localcx.errors import UsageError
from localcx.schedule import (
    EXAMPLES,
    HELP,
    MAX_OCCURRENCES,
    Schedule,
    Unit,
    due,
    expand,
    next_occurrence,
    occurrences,
    parse_schedule,
    parse_when,
    zone_named,
)

TOKYO = zone_named("Asia/Tokyo")
LA = zone_named("America/Los_Angeles")
NOW = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # Tuesday 09:00 in Tokyo


def when(text: str, zone=TOKYO, now: datetime = NOW) -> datetime:
    return parse_when(text, zone=zone, now=now)


def local(moment: datetime, zone=TOKYO) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %a %H:%M")


def usage_error(call, *args, **kwargs) -> UsageError:
    with pytest.raises(UsageError) as caught:
        call(*args, **kwargs)
    return caught.value


# WHEN ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-05T09:00", "2026-12-05 Sat 09:00"),
        ("2026-12-05 09:00", "2026-12-05 Sat 09:00"),
        ("2026-12-05T09:00+09:00", "2026-12-05 Sat 09:00"),
        ("2026-12-05T00:00Z", "2026-12-05 Sat 09:00"),
        ("2026-12-05T00:00:00.000Z", "2026-12-05 Sat 09:00"),
        ("2026-12-04T16:00-08:00", "2026-12-05 Sat 09:00"),
        ("2026/12/05 9:00", "2026-12-05 Sat 09:00"),
        ("2026-12-05", "2026-12-05 Sat 09:00"),  # a bare date is 09:00 local
        ("2026-12-05 6pm", "2026-12-05 Sat 18:00"),
        ("12/5 18:00", "2026-12-05 Sat 18:00"),
        ("now", "2026-12-01 Tue 09:00"),
        ("today 18:00", "2026-12-01 Tue 18:00"),
        ("today", "2026-12-01 Tue 09:00"),
        ("tomorrow 9:00", "2026-12-02 Wed 09:00"),
        ("+2h", "2026-12-01 Tue 11:00"),
        ("+30m", "2026-12-01 Tue 09:30"),
        ("+3d", "2026-12-04 Fri 09:00"),
        ("+1w", "2026-12-08 Tue 09:00"),
        ("in 2 hours", "2026-12-01 Tue 11:00"),
        ("mon 09:00", "2026-12-07 Mon 09:00"),
        ("Monday", "2026-12-07 Mon 09:00"),
        ("next fri 17:30", "2026-12-04 Fri 17:30"),
        ("tue 10:00", "2026-12-01 Tue 10:00"),  # later today is the next one
        ("tue 08:00", "2026-12-08 Tue 08:00"),  # earlier today has passed: next week
        ("08:00", "2026-12-02 Wed 08:00"),
        ("21:00", "2026-12-01 Tue 21:00"),
    ],
)
def test_when_forms(text: str, expected: str) -> None:
    moment = when(text)
    assert moment.tzinfo is UTC
    assert local(moment) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２６－１２－０５　９：００", "2026-12-05 Sat 09:00"),
        ("2026年12月5日 9時", "2026-12-05 Sat 09:00"),
        ("2026年12月5日 9時30分", "2026-12-05 Sat 09:30"),
        ("12月5日", "2026-12-05 Sat 09:00"),
        ("明日 ９：００", "2026-12-02 Wed 09:00"),
        ("今日 18時", "2026-12-01 Tue 18:00"),
        ("月曜 9:00", "2026-12-07 Mon 09:00"),
        ("金曜日 ９：３０", "2026-12-04 Fri 09:30"),
        ("3日後", "2026-12-04 Fri 09:00"),
        ("＋２ｈ", "2026-12-01 Tue 11:00"),
    ],
)
def test_when_japanese_and_full_width(text: str, expected: str) -> None:
    assert local(when(text)) == expected


def test_when_month_day_without_year_is_the_next_one() -> None:
    assert local(when("11/30")) == "2027-11-30 Tue 09:00"


def test_when_zone_is_the_stores() -> None:
    assert when("2026-12-05 09:00", zone=LA) == datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
    assert when("2026-12-05 09:00+09:00", zone=LA) == datetime(2026, 12, 5, 0, 0, tzinfo=UTC)


def test_when_relative_days_keep_clock_time_across_dst() -> None:
    before = datetime(2026, 3, 7, 17, 0, tzinfo=UTC)  # Sat 09:00 PST
    assert local(when("+1d", zone=LA, now=before), LA) == "2026-03-08 Sun 09:00"
    assert when("+24h", zone=LA, now=before) - before == timedelta(hours=24)
    assert local(when("+24h", zone=LA, now=before), LA) == "2026-03-08 Sun 10:00"


def test_when_skipped_time_is_refused_and_repeated_time_is_the_first() -> None:
    error = usage_error(when, "2026-03-08 02:30", zone=LA)
    assert "does not exist" in error.message and "03:30" in (error.hint or "")
    assert when("2026-11-01 01:30", zone=LA) == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    ["", "soon", "2026-02-30", "2026-13-01 09:00", "1999-01-01", "2026-12-05 25:00",
     "2026-12-05 09:00+15:00", "+5y", "mon,thu 09:00", "weekdays", "祝", "x" * 300, "9-5"],
)  # fmt: skip
def test_when_errors_name_the_text_and_give_examples(text: str) -> None:
    error = usage_error(when, text)
    assert text[:20] in error.message
    assert error.hint and "examples:" in error.hint


def test_when_needs_an_aware_now() -> None:
    with pytest.raises(ValueError):
        parse_when("now", zone=TOKYO, now=datetime(2026, 1, 1))


def test_zones() -> None:
    assert zone_named("asia/tokyo").key == "Asia/Tokyo"
    assert zone_named(" America/Los_Angeles ").key == "America/Los_Angeles"
    error = usage_error(zone_named, "Asia/Tokio")
    assert '"Asia/Tokio"' in error.message and "Asia/Tokyo" in error.message
    for bad in ("", "Mars/Olympus", "../etc/passwd", "/etc/localtime", "Asia"):
        assert "Asia/Tokyo" in (usage_error(zone_named, bad).hint or "")


# SCHEDULE ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("day", Schedule(unit=Unit.DAY)),
        ("daily", Schedule(unit=Unit.DAY)),
        ("3 days", Schedule(unit=Unit.DAY, interval=3)),
        ("every 3 days", Schedule(unit=Unit.DAY, interval=3)),
        ("week", Schedule(unit=Unit.WEEK)),
        ("2 weeks", Schedule(unit=Unit.WEEK, interval=2)),
        ("month", Schedule(unit=Unit.MONTH)),
        ("6 hours", Schedule(unit=Unit.HOUR, interval=6)),
        ("weekday", Schedule(weekdays=(0, 1, 2, 3, 4))),
        ("weekdays", Schedule(weekdays=(0, 1, 2, 3, 4))),
        ("mon-fri", Schedule(weekdays=(0, 1, 2, 3, 4))),
        ("mon,thu", Schedule(weekdays=(0, 3))),
        ("Thu, Mon", Schedule(weekdays=(0, 3))),
        ('"0 9 * * 1"', Schedule(cron="0 9 * * 1")),
        ("*/30 9-17 * * mon-fri", Schedule(cron="*/30 9-17 * * mon-fri")),
        ("week x 4", Schedule(unit=Unit.WEEK, count=4)),
        ("day, 10 times", Schedule(unit=Unit.DAY, count=10)),
        ("毎日", Schedule(unit=Unit.DAY)),
        ("3日ごと", Schedule(unit=Unit.DAY, interval=3)),
        ("２週間ごと", Schedule(unit=Unit.WEEK, interval=2)),
        ("毎月", Schedule(unit=Unit.MONTH)),
        ("6時間ごと", Schedule(unit=Unit.HOUR, interval=6)),
        ("平日", Schedule(weekdays=(0, 1, 2, 3, 4))),
        ("月・木", Schedule(weekdays=(0, 3))),
        ("月,木", Schedule(weekdays=(0, 3))),
        ("月木", Schedule(weekdays=(0, 3))),
        ("月曜,木曜", Schedule(weekdays=(0, 3))),
        ("月曜日、木曜日", Schedule(weekdays=(0, 3))),
        ("毎週月", Schedule(weekdays=(0,))),
        ("月〜金", Schedule(weekdays=(0, 1, 2, 3, 4))),
        ("毎週 4回", Schedule(unit=Unit.WEEK, count=4)),
    ],
)
def test_schedule_forms_and_canonical_text(text: str, expected: Schedule) -> None:
    schedule = parse_schedule(text)
    assert schedule == expected
    assert parse_schedule(str(schedule)) == schedule


@pytest.mark.parametrize(
    "text",
    ["", "sometimes", "0 days", "5 minutes", "2月", "0 9 * * 8", "61 * * * *", "0 9 L * *",
     "0 9 31 2 *", "day x 0", "mon 09:00", "祝", "1000 days"],
)  # fmt: skip
def test_schedule_errors_name_the_text_and_give_examples(text: str) -> None:
    error = usage_error(parse_schedule, text)
    assert f'"{text}"' in error.message
    assert error.hint and "examples:" in error.hint


# Occurrences ---------------------------------------------------------------------------


def test_expand_daily_keeps_9am_across_both_la_dst_changes() -> None:
    start = when("2026-03-06 09:00", zone=LA)
    spring = expand(start, parse_schedule("day"), LA, until=when("2026-03-10", zone=LA))
    assert [local(m, LA) for m in spring][:4] == [
        "2026-03-06 Fri 09:00", "2026-03-07 Sat 09:00", "2026-03-08 Sun 09:00", "2026-03-09 Mon 09:00",
    ]  # fmt: skip
    assert [m.hour for m in spring] == [17, 17, 16, 16, 16]
    start = when("2026-10-30 09:00", zone=LA)
    autumn = expand(start, parse_schedule("day x 4"), LA)
    assert [m.hour for m in autumn] == [16, 16, 17, 17]  # PST from 1 November
    assert all(local(m, LA).endswith("09:00") for m in autumn)


def test_hours_are_elapsed_time_across_dst() -> None:
    start = when("2026-03-07 20:00", zone=LA)
    scans = expand(start, parse_schedule("6 hours x 4"), LA)
    assert [b - a for a, b in itertools.pairwise(scans)] == [timedelta(hours=6)] * 3


def test_cron_in_a_skipped_hour_moves_forward_and_never_repeats() -> None:
    start = when("2026-03-07 00:00", zone=LA)
    runs = expand(start, parse_schedule('"30 2 * * *"'), LA, until=when("2026-03-09 23:00", zone=LA))
    assert [local(m, LA) for m in runs] == [
        "2026-03-07 Sat 02:30", "2026-03-08 Sun 03:30", "2026-03-09 Mon 02:30",
    ]  # fmt: skip
    quarter = expand(when("2026-03-08 01:00", zone=LA), parse_schedule("*/15 * * * * x 12"), LA)
    assert quarter == sorted(set(quarter))


def test_tokyo_has_no_dst() -> None:
    start = when("2026-01-05 09:00")
    weekly = expand(start, parse_schedule("week"), TOKYO, until=when("2026-12-31"))
    assert len(weekly) == 52
    assert {m.hour for m in weekly} == {0}


def test_month_end_falls_on_the_last_day_of_shorter_months() -> None:
    start = when("2027-01-31 10:00")
    months = expand(start, parse_schedule("month x 5"), TOKYO)
    assert [local(m)[:10] for m in months] == [
        "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31",
    ]  # fmt: skip
    leap = expand(when("2028-01-31"), parse_schedule("month x 2"), TOKYO)
    assert local(leap[1])[:10] == "2028-02-29"


@pytest.mark.parametrize("text", ["mon,thu", "月・木", "月曜日,木曜日"])
def test_weekday_lists(text: str) -> None:
    start = when("2026-12-01 09:00")  # a Tuesday: the first is Thursday
    posts = expand(start, parse_schedule(text), TOKYO, until=when("2026-12-14 23:00"))
    assert [local(m) for m in posts] == [
        "2026-12-03 Thu 09:00", "2026-12-07 Mon 09:00", "2026-12-10 Thu 09:00", "2026-12-14 Mon 09:00",
    ]  # fmt: skip


def test_weekdays_skip_the_weekend() -> None:
    posts = expand(when("2026-12-04 09:00"), parse_schedule("weekdays x 3"), TOKYO)
    assert [local(m)[11:14] for m in posts] == ["Fri", "Mon", "Tue"]


def test_cron_counts_from_start() -> None:
    runs = expand(when("2026-12-01 09:00"), parse_schedule('"0 9 * * 1" x 3'), TOKYO)
    assert [local(m) for m in runs] == ["2026-12-07 Mon 09:00", "2026-12-14 Mon 09:00", "2026-12-21 Mon 09:00"]


def test_until_is_inclusive_and_must_follow_start() -> None:
    start = when("2026-12-01 09:00")
    assert len(expand(start, parse_schedule("day"), TOKYO, until=when("2026-12-03 09:00"))) == 3
    assert len(expand(start, parse_schedule("day"), TOKYO, until=when("2026-12-03 08:59"))) == 2
    error = usage_error(expand, start, parse_schedule("day"), TOKYO, until=when("2026-11-01"))
    assert "before the start" in error.message
    assert expand(start, None, TOKYO) == [start]


def test_endless_caps_and_empty_recurrences_are_usage_errors() -> None:
    start = when("2026-12-01 09:00")
    error = usage_error(expand, start, parse_schedule("week"), TOKYO)
    assert "no end" in error.message and "--until" in (error.hint or "")
    error = usage_error(expand, start, parse_schedule("hour"), TOKYO, until=when("2027-12-01"))
    assert str(MAX_OCCURRENCES) in error.message
    assert "at most" in usage_error(expand, start, parse_schedule("day x 999"), TOKYO).message
    assert len(expand(start, parse_schedule("day"), TOKYO, until=start + timedelta(days=365))) == 366
    error = usage_error(expand, start, parse_schedule("mon"), TOKYO, until=when("2026-12-02"))
    assert "no occurrence" in error.message


def test_next_occurrence_keeps_an_endless_schedule_going() -> None:
    start = when("2020-01-06 09:00")  # a Monday, years ago
    after = when("2026-12-01 09:00")
    for text in ("week", "day", "3 days", "mon,thu", '"0 9 * * 1"', "6 hours", "month", "weekdays"):
        schedule = parse_schedule(text)
        walked = next(m for m in occurrences(start, schedule, TOKYO) if m > after)
        assert next_occurrence(start, schedule, TOKYO, after=after) == walked, text
    weekly = next_occurrence(start, parse_schedule("week"), TOKYO, after=after)
    assert weekly is not None and local(weekly) == "2026-12-07 Mon 09:00"
    monthly = next_occurrence(when("2026-01-31"), parse_schedule("month"), TOKYO, after=after)
    assert monthly is not None and local(monthly) == "2026-12-31 Thu 09:00"
    assert next_occurrence(start, parse_schedule("week x 2"), TOKYO, after=after) is None


def test_due_picks_what_has_come_oldest_first() -> None:
    moments = [when("+2h"), when("2026-11-30"), NOW, when("2026-11-29")]
    assert due(moments, NOW) == [when("2026-11-29"), when("2026-11-30"), NOW]
    rows = [{"id": 1, "at": when("+1h")}, {"id": 2, "at": when("2026-11-30")}]
    assert [row["id"] for row in due(rows, NOW, key=lambda row: row["at"])] == [2]


def test_help_lists_the_grammar() -> None:
    for form in ("2026-12-05 09:00", "tomorrow", "+2h", "mon,thu", "0 9 * * 1", "month", "月・木"):
        assert form in HELP
    for line in EXAMPLES.splitlines():
        assert line.strip().startswith("--")


# Fuzz ------------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    ["2026", "-", "12", "05", "T", " ", ":", "00", "+", "Z", "h", "d", "mon", "thu", ",", "月",
     "曜日", "・", "〜", "９", "：", "時", "x", "*", "/", "every", "week", "days", "今日", "後",
     "30", "9", "'", '"', "pm", "年", "日", "next", "0", "99999", "\x00", "٣", "Ⅻ", "ｘ"]
)  # fmt: skip
_TEXT = st.one_of(st.text(max_size=40), st.lists(_PIECES, max_size=10).map("".join))


@given(_TEXT)
def test_fuzz_when_raises_only_usage_errors(text: str) -> None:
    for zone in (TOKYO, LA):
        try:
            moment = parse_when(text, zone=zone, now=NOW)
        except UsageError:
            continue
        assert moment.tzinfo is UTC


@given(_TEXT)
def test_fuzz_schedule_raises_only_usage_errors(text: str) -> None:
    try:
        schedule = parse_schedule(text)
    except UsageError:
        return
    assert parse_schedule(str(schedule)) == schedule
    with contextlib.suppress(UsageError):
        expand(NOW, schedule, LA, until=NOW + timedelta(days=60))


@given(st.text(max_size=30))
def test_fuzz_zone_raises_only_usage_errors(text: str) -> None:
    with contextlib.suppress(UsageError):
        zone_named(text)
