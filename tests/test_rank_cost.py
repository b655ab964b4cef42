"""Which SKU a mask is billed at, what a scan plan costs, and the budget check."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from localcx.errors import UsageError
from localcx.rank import cost
from localcx.rank.cost import (
    DEFAULT_PRICES_PER_1000,
    RANK_FIELD_MASK,
    ScanPlan,
    Sku,
    estimate_month,
    estimate_run,
    price_table,
    request_cost,
    runs_per_month,
    sku_for_mask,
    would_exceed,
)


@pytest.mark.parametrize(
    ("mask", "sku"),
    [
        ("places.id,nextPageToken", Sku.IDS_ONLY),
        ("places.id, places.name, places.attributions, places.movedPlace, places.movedPlaceId", Sku.IDS_ONLY),
        (["places.id", "places.displayName"], Sku.PRO),
        ("places.id,places.location,places.types,places.googleMapsUri", Sku.PRO),
        ("places.displayName.text", Sku.PRO),
        ("places.id,places.rating", Sku.ENTERPRISE),
        ("places.userRatingCount", Sku.ENTERPRISE),
        ("places.id,places.displayName,places.websiteUri", Sku.ENTERPRISE),
        ("places.nationalPhoneNumber", Sku.ENTERPRISE),
        ("places.regularOpeningHours", Sku.ENTERPRISE),
        ("places.priceLevel", Sku.ENTERPRISE),
        ("places.reviews", Sku.ENTERPRISE),
        ("displayName,rating", Sku.ENTERPRISE),  # a Place Details mask
        ("id,displayName", Sku.PRO),
        ("*", Sku.ENTERPRISE),
        ("places", Sku.ENTERPRISE),
        ("places.somethingNew", Sku.ENTERPRISE),  # unknown: assume the worst
    ],
)
def test_the_highest_sku_any_field_triggers(mask, sku):
    assert sku_for_mask(mask) == sku


def test_the_rank_mask_is_free():
    assert sku_for_mask(RANK_FIELD_MASK) == Sku.IDS_ONLY
    assert request_cost(RANK_FIELD_MASK) == 0


def test_an_empty_mask_is_refused():
    with pytest.raises(UsageError):
        sku_for_mask(" , ")


def test_default_prices_are_named_placeholders():
    assert DEFAULT_PRICES_PER_1000[Sku.IDS_ONLY] == 0
    assert DEFAULT_PRICES_PER_1000[Sku.PRO] == cost.PLACEHOLDER_PRO_USD_PER_1000
    assert DEFAULT_PRICES_PER_1000[Sku.ENTERPRISE] == cost.PLACEHOLDER_ENTERPRISE_USD_PER_1000
    assert "check the current" in cost.PRICE_HINT
    assert "placeholder" in (cost.__doc__ or "").lower()


def test_a_run_counts_points_keywords_stores_pages_and_competitor_calls():
    plan = ScanPlan(points=49, keywords=3, stores=10, pages_per_point=2, competitor_details=15)
    estimate = estimate_run(plan)
    assert estimate.requests == {Sku.IDS_ONLY: 49 * 3 * 10 * 2, Sku.PRO: 0, Sku.ENTERPRISE: 15}
    assert estimate.cost[Sku.IDS_ONLY] == 0
    assert estimate.cost[Sku.ENTERPRISE] == Decimal("0.53")  # 15 × 35 / 1000 = 0.525, rounded up
    assert estimate.total_requests == 2955
    assert estimate.total_cost == Decimal("0.53")


def test_prices_are_a_mapping_the_caller_gives():
    prices = price_table({"pro": "10", "enterprise": 20})
    plan = ScanPlan(points=25, field_mask="places.id,places.displayName")
    estimate = estimate_run(plan, prices)
    assert estimate.requests[Sku.PRO] == 25
    assert estimate.cost[Sku.PRO] == Decimal("0.25")
    assert estimate.as_dict()["total_cost_usd"] == "0.25"


def test_an_enterprise_mask_costs_enterprise_rates_on_every_point():
    plan = ScanPlan(points=441, keywords=5, stores=100, field_mask="places.id,places.rating")
    estimate = estimate_run(plan)
    assert estimate.requests[Sku.ENTERPRISE] == 220_500
    assert estimate.total_cost == Decimal("220.5") * cost.PLACEHOLDER_ENTERPRISE_USD_PER_1000


def test_a_month_repeats_the_scans_but_not_the_cached_competitor_calls():
    plan = ScanPlan(points=9, keywords=2, stores=1, competitor_details=10)
    month = estimate_month(plan, runs_per_month=4)
    assert month.requests[Sku.IDS_ONLY] == 9 * 2 * 4
    assert month.requests[Sku.ENTERPRISE] == 10


def test_a_free_allowance_is_subtracted_when_given():
    plan = ScanPlan(points=441, field_mask="places.displayName")
    month = estimate_month(plan, 10, free_per_month={Sku.PRO: 4000})
    assert month.requests[Sku.PRO] == 4410
    assert month.cost[Sku.PRO] == Decimal("13.12")  # 410 × 32 / 1000


@pytest.mark.parametrize(("days", "runs"), [(1, 30), (7, 5), (14, 3), (30, 1), (0.5, 60)])
def test_runs_per_month_rounds_up(days, runs):
    assert runs_per_month(days) == runs


@pytest.mark.parametrize(
    "kwargs",
    [{"points": -1}, {"points": 9, "pages_per_point": 0}, {"points": 9, "pages_per_point": 4}, {"points": 9, "keywords": 1.5}],
)
def test_nonsense_plans_are_refused(kwargs):
    with pytest.raises(UsageError):
        ScanPlan(**kwargs)


@pytest.mark.parametrize("overrides", [{"gold": 1}, {"pro": -1}, {"pro": "cheap"}, {"pro": "nan"}])
def test_bad_prices_are_refused(overrides):
    with pytest.raises(UsageError):
        price_table(overrides)


def test_budget_check():
    assert not would_exceed(Decimal("4.00"), Decimal("1.00"), Decimal("5.00"))  # exactly the budget
    assert would_exceed(Decimal("4.00"), Decimal("1.01"), Decimal("5.00"))
    assert not would_exceed(Decimal("1000"), Decimal("1000"), None)
    assert not would_exceed(Decimal(0), Decimal(0), Decimal(0))
    with pytest.raises(ValueError):
        would_exceed(Decimal(-1), Decimal(0), Decimal(1))


@given(
    points=st.integers(0, 441),
    keywords=st.integers(0, 20),
    stores=st.integers(0, 50),
    pages=st.integers(1, 3),
    details=st.integers(0, 100),
    runs=st.integers(0, 31),
)
def test_month_is_never_cheaper_than_a_run_times_runs_minus_details(points, keywords, stores, pages, details, runs):
    plan = ScanPlan(points, keywords, stores, pages, "places.id,places.displayName", details)
    run, month = estimate_run(plan), estimate_month(plan, runs)
    assert month.requests[Sku.PRO] == plan.search_requests * runs
    assert month.total_requests == plan.search_requests * runs + details
    assert run.total_cost >= 0 and month.total_cost >= 0
