"""Opening hours for the synthetic stores, in Google's BusinessHours / SpecialHours shapes.

Hours exercise what clients get wrong: overnight periods (FRIDAY 18:00 → SATURDAY 02:00),
closing at midnight as `closeTime: {}` on the next day, 24-hour days as `{}` → `{"hours": 24}`,
closed days (no period at all) and split lunch/dinner shifts.
"""

from __future__ import annotations

import copy
import random
from typing import Any

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def tod(hours: int, minutes: int = 0) -> dict[str, int]:
    """A TimeOfDay with proto3 omissions: 00:00 is `{}`."""
    out: dict[str, int] = {}
    if hours:
        out["hours"] = hours
    if minutes:
        out["minutes"] = minutes
    return out


def period(open_day: str, open_at: tuple[int, int], close_day: str, close_at: tuple[int, int]) -> dict:
    return {"openDay": open_day, "openTime": tod(*open_at), "closeDay": close_day,
            "closeTime": tod(*close_at)}


def _next(day: str) -> str:
    return DAYS[(DAYS.index(day) + 1) % 7]


def ramen_hours(rng: random.Random) -> tuple[dict[str, Any], bool]:
    """A ramen shop's week; the flag says whether it stays open past midnight."""
    style = rng.choice(("split", "late", "midnight", "split"))
    closed_day = rng.choice(("MONDAY", "TUESDAY", "WEDNESDAY"))
    periods: list[dict[str, Any]] = []
    for day in DAYS:
        if day == closed_day and style != "late":
            continue
        if style == "split":
            periods.append(period(day, (11, 0), day, (15, 0)))
            periods.append(period(day, (17, 30), day, (22, 30)))
        elif style == "late":
            if day in ("FRIDAY", "SATURDAY"):
                periods.append(period(day, (11, 0), day, (15, 0)))
                periods.append(period(day, (18, 0), _next(day), (2, 0)))
            else:
                periods.append(period(day, (11, 0), day, (23, 0)))
        else:  # closes at midnight: the close is 00:00 of the next day, i.e. `{}`
            periods.append(period(day, (11, 30), _next(day), (0, 0)))
    return {"periods": periods}, style in ("late", "midnight")


def coffee_hours(rng: random.Random) -> tuple[dict[str, Any], bool]:
    """A coffee shop's week; the flag says whether it is open around the clock."""
    if rng.random() < 0.08:
        return {"periods": [period(d, (0, 0), d, (24, 0)) for d in DAYS]}, True
    open_h, open_m = rng.choice(((6, 0), (6, 30), (7, 0)))
    close_h = rng.choice((18, 19, 20))
    periods = []
    for day in DAYS:
        if day == "SATURDAY":
            periods.append(period(day, (7, 0), day, (close_h - 1, 0)))
        elif day == "SUNDAY":
            periods.append(period(day, (8, 0), day, (17, 0)))
        else:
            periods.append(period(day, (open_h, open_m), day, (close_h, 30 if open_m else 0)))
    return {"periods": periods}, False


def special_hours(rng: random.Random, ramen: bool) -> dict[str, Any]:
    """Holiday exceptions: New Year closures in Japan, Thanksgiving/Christmas in the US."""
    def date(y: int, m: int, d: int) -> dict[str, int]:
        return {"year": y, "month": m, "day": d}

    if ramen:
        periods: list[dict[str, Any]] = [
            {"startDate": date(2026, 12, 31), "closed": True},
            {"startDate": date(2027, 1, 1), "closed": True},
            {"startDate": date(2027, 1, 2), "openTime": tod(12), "endDate": date(2027, 1, 2),
             "closeTime": tod(18)},
        ]
    else:
        periods = [
            {"startDate": date(2026, 11, 26), "closed": True},
            {"startDate": date(2026, 12, 24), "openTime": tod(8), "endDate": date(2026, 12, 24),
             "closeTime": tod(14)},
            {"startDate": date(2026, 12, 25), "closed": True},
        ]
    if rng.random() < 0.5:
        periods = periods[:2]
    return {"specialHourPeriods": periods}


def google_saturday(hours: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """Google's version of the week: Saturday hours changed (as if from user suggestions)."""
    live = copy.deepcopy(hours)
    kept = [p for p in live["periods"] if p["openDay"] != "SATURDAY"]
    close = rng.choice((16, 17, 20))
    kept.append(period("SATURDAY", (10, 0), "SATURDAY", (close, 0)))
    kept.sort(key=lambda p: (DAYS.index(p["openDay"]), p["openTime"].get("hours", 0)))
    live["periods"] = kept
    return live
