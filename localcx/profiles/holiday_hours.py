"""Holiday hours from the `holidays` package, merged into each store's special hours.

Existing special hours on other dates are kept (Google replaces the whole list on
PATCH, so the merge happens here); a holiday date already set is overwritten.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import holidays as holidays_lib
import sqlite_utils

from localcx import stores as store_master
from localcx.clock import Clock
from localcx.errors import UsageError
from localcx.profiles.hours import HoursError, merge_special_hours, parse_special_hours
from localcx.profiles.planner import Plan, current_values, make_plan


def holiday_dates(
    country: str, year: int, subdivision: str | None = None, *, observed: bool = True
) -> list[tuple[date, str]]:
    """A year's public holidays; `observed` adds the weekday a weekend holiday moves to."""
    code = country.upper()
    if code not in holidays_lib.list_supported_countries():
        raise UsageError(
            f"no holiday calendar for country {country!r}", hint="use an ISO code such as JP or US"
        )
    try:
        calendar = holidays_lib.country_holidays(
            code, subdiv=subdivision, years=year, observed=observed
        )
    except NotImplementedError as exc:
        known = holidays_lib.list_supported_countries().get(code, [])
        raise UsageError(
            f"the {code} calendar has no subdivision {subdivision!r}",
            hint=f"use one of {', '.join(known)}" if known else f"the {code} calendar has none",
        ) from exc
    return sorted((day, str(name)) for day, name in calendar.items() if day.year == year)


def holiday_plan(
    db: sqlite_utils.Database,
    *,
    country: str,
    year: int,
    selector: str,
    hours: str | None,
    region: str,
    subdivision: str | None = None,
    observed: bool = True,
    clock: Clock | None = None,
) -> tuple[Plan, list[dict[str, Any]]]:
    """A plan that sets every holiday of `year` to closed (hours None) or to `hours`."""
    days = holiday_dates(country, year, subdivision, observed=observed)
    if not days:
        raise UsageError(f"the {country} calendar has no holidays in {year}")
    value = "closed" if hours is None else hours
    text = "; ".join(f"{day.isoformat()} {value}" for day, _ in days)
    try:
        new = parse_special_hours(text)
    except HoursError as exc:
        raise UsageError(f"--hours {hours!r}: {exc}", hint="write hours like 10:00-15:00") from exc
    stores = current_values(db, region)
    desired = {}
    no_hours = []
    for key in store_master.select(db, selector):
        values = stores[key].values if key in stores else {}
        if not values.get("regular_hours"):
            no_hours.append(key)  # Google refuses special hours on a store without regular hours
            continue
        desired[key] = {"special_hours": merge_special_hours(values.get("special_hours", ""), new)}
    plan = make_plan(
        db,
        desired,
        source=f"holidays {country.upper()} {year} ({value})",
        region=region,
        clock=clock,
    )
    plan.skipped.extend(no_hours)
    return plan, [{"date": day.isoformat(), "name": name} for day, name in days]
