"""Rank metrics on hand-made grids with answers worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from localcx.rank import metrics
from localcx.rank.metrics import (
    change,
    competitor_metrics,
    place_metrics,
    position_in,
    scan_metrics,
    summarise,
)

STORE = "ChIJstore"


def test_all_found():
    m = summarise([1, 2, 3, 4, 5, 1, 2, 3, 9], depth=20, place_id=STORE)
    assert (m.points, m.found, m.top3, m.best) == (9, 9, 6, 1)
    assert m.arp == pytest.approx(30 / 9)
    assert m.atrp == pytest.approx(30 / 9)  # nothing missed: ATRP equals ARP
    assert m.solv == pytest.approx(6 / 9)
    assert m.found_share == 1


def test_none_found():
    m = summarise([None] * 9, depth=20)
    assert (m.found, m.top3, m.best, m.arp) == (0, 0, None, None)
    assert m.atrp == 21  # every miss is depth + 1
    assert m.solv == 0 and m.found_share == 0


def test_some_found():
    m = summarise([1, None, 3, None, 10, None, None, None, 2], depth=20)
    assert m.arp == pytest.approx(16 / 4)
    assert m.atrp == pytest.approx((16 + 5 * 21) / 9)
    assert m.solv == pytest.approx(3 / 9)
    assert m.found_share == pytest.approx(4 / 9)


def test_depth_changes_what_a_miss_costs():
    assert summarise([1, None], depth=20).atrp == pytest.approx(11)
    assert summarise([1, None], depth=60).atrp == pytest.approx(31)


def test_ties_every_point_equal():
    m = summarise([4] * 25, depth=20)
    assert m.arp == m.atrp == 4
    assert m.solv == 0 and m.best == 4


def test_an_empty_grid_has_no_metrics():
    m = summarise([], depth=20)
    assert m.points == 0
    assert (m.arp, m.atrp, m.solv, m.found_share, m.best) == (None, None, None, None, None)


@pytest.mark.parametrize("bad", [0, 21, -1, True])
def test_positions_outside_the_depth_are_a_bug(bad):
    with pytest.raises(ValueError):
        summarise([bad], depth=20)


@pytest.mark.parametrize("depth", [0, -5, True])
def test_depth_must_be_positive(depth):
    with pytest.raises(ValueError):
        summarise([], depth=depth)


def test_position_is_matched_by_place_id_within_the_depth():
    ids = ["a", "b", STORE, "c"]
    assert position_in(ids, STORE, depth=20) == 3
    assert position_in(ids, STORE, depth=2) is None
    assert position_in(ids, ["old-id", STORE], depth=20) == 3
    assert position_in([], STORE, depth=20) is None


# Three points, depth 3: the store is 1st, 3rd and missing; A is everywhere.
RESULTS = [
    [STORE, "A", "B"],
    ["A", "B", STORE],
    ["A", "C", "B"],
]


def test_store_from_ordered_ids():
    m = place_metrics(RESULTS, STORE, depth=3, grid="g")
    assert (m.found, m.arp, m.atrp, m.top3) == (2, 2.0, pytest.approx((1 + 3 + 4) / 3), 2)
    assert m.place_id == STORE and m.grid == "g"


def test_a_moved_store_is_found_under_its_old_id_and_reported_under_its_new_one():
    m = place_metrics([["X", "old"], ["new"]], ["new", "old"], depth=20)
    assert m.place_id == "new" and m.found == 2 and m.arp == 1.5


def test_no_place_id_is_not_measured():
    with pytest.raises(ValueError, match="no place ID"):
        place_metrics(RESULTS, "", depth=3)


def test_competitors_every_id_seen_best_first():
    found = competitor_metrics(RESULTS, depth=3, exclude={STORE})
    by_id = {m.place_id: m for m in found}
    assert set(by_id) == {"A", "B", "C"}
    a, b, c = by_id["A"], by_id["B"], by_id["C"]
    assert (a.arp, a.atrp, a.solv) == (pytest.approx(4 / 3), pytest.approx(4 / 3), 1)
    assert (b.arp, b.atrp, b.solv, b.found) == (pytest.approx(8 / 3), pytest.approx(8 / 3), 1, 3)
    assert (c.found, c.arp, c.atrp) == (1, 2, pytest.approx((2 + 4 + 4) / 3))
    assert [m.place_id for m in found] == ["A", "B", "C"]


def test_competitors_beyond_the_depth_are_not_seen():
    assert {m.place_id for m in competitor_metrics(RESULTS, depth=1)} == {STORE, "A"}


def test_competitor_ties_come_out_in_place_id_order():
    results = [["Z", "Y"], ["Y", "Z"]]
    assert [m.place_id for m in competitor_metrics(results, depth=20)] == ["Y", "Z"]


def test_a_duplicate_id_in_one_answer_counts_at_its_first_position():
    (only,) = competitor_metrics([["A", "A"]], depth=20)
    assert only.arp == 1 and only.found == 1


def test_scan_metrics_splits_the_store_from_competitors():
    scan = scan_metrics(RESULTS, STORE, depth=3, grid="g")
    assert scan.store.place_id == STORE
    assert STORE not in {m.place_id for m in scan.competitors}
    assert all(m.grid == "g" and m.points == 3 for m in scan.competitors)


def test_change_versus_previous_scan():
    before = summarise([5, None, 8, 2], depth=20, place_id=STORE, grid="g")
    after = summarise([2, 3, 8, 1], depth=20, place_id=STORE, grid="g")
    delta = change(after, before)
    assert delta.comparable and delta.reason is None
    assert delta.arp == pytest.approx(14 / 4 - 15 / 3)  # negative: moved up
    assert delta.atrp == pytest.approx(14 / 4 - 36 / 4)
    assert delta.solv == pytest.approx(3 / 4 - 1 / 4)
    assert delta.found_share == pytest.approx(1 - 3 / 4)


def test_change_is_none_where_one_side_has_no_value():
    before = summarise([None, None], depth=20, grid="g")
    after = summarise([1, None], depth=20, grid="g")
    delta = change(after, before)
    assert delta.comparable and delta.arp is None and delta.atrp == pytest.approx(11 - 21)


@pytest.mark.parametrize(
    ("previous", "reason"),
    [
        (None, "no previous scan"),
        (summarise([1], depth=20, grid="other"), "grid"),
        (summarise([1], depth=60, grid="g"), "depth"),
        (summarise([1], depth=20, grid="g", place_id="someone-else"), "place id"),
        (summarise([], depth=20, grid="g"), "no answered points"),
    ],
)
def test_change_is_not_comparable(previous, reason):
    delta = change(summarise([1], depth=20, grid="g"), previous)
    assert not delta.comparable and reason in (delta.reason or "")
    assert (delta.arp, delta.atrp, delta.solv, delta.found_share) == (None, None, None, None)


def test_the_formulas_in_the_docstring_name_every_metric():
    doc = metrics.__doc__ or ""
    for line in ("ARP    = ", "ATRP   = ", "SoLV   = ", "Found  = ", "(D + 1)"):
        assert line in doc


DEPTH = st.integers(1, 60)


@st.composite
def positions_and_depth(draw):
    depth = draw(DEPTH)
    positions = draw(st.lists(st.one_of(st.none(), st.integers(1, depth)), max_size=441))
    return positions, depth


@given(positions_and_depth())
def test_arp_never_above_atrp_and_shares_in_range(case):
    positions, depth = case
    m = summarise(positions, depth)
    if m.arp is not None:
        assert m.atrp is not None and m.arp <= m.atrp + 1e-9
        assert 1 <= m.arp <= depth
    if m.points:
        assert m.solv is not None and m.found_share is not None
        assert 0 <= m.solv <= m.found_share <= 1
        assert m.atrp is not None and 1 <= m.atrp <= depth + 1


@given(st.lists(st.lists(st.sampled_from("ABCDEFG"), max_size=7, unique=True), max_size=30), DEPTH)
def test_competitor_metrics_agree_with_place_metrics(results, depth):
    for m in competitor_metrics(results, depth):
        assert m == place_metrics(results, m.place_id, depth)
