"""Property: whatever valid values a plan writes, Google (the sandbox) then holds exactly
them, and planning the same desired state again finds nothing to do.

This ties the client's PATCH building to the emulator's storage and back through the
readable canonical form, for every editable field at once.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localcx import config, db, stores
from localcx.backend import connect
from localcx.clock import FakeClock
from localcx.profiles.applier import ApplyOptions, Runner
from localcx.profiles.fields import location_values, parse_value
from localcx.profiles.planner import make_plan
from localcx.sandbox.state import SandboxState

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
words = st.text(alphabet="abcdefghij klmnop麺屋さくら東京", min_size=1, max_size=40).map(str.strip).filter(bool)


@st.composite
def hours(draw: st.DrawFn) -> str:
    parts = []
    for day in DAYS:
        if draw(st.booleans()):
            start = draw(st.integers(0, 20))
            length = draw(st.integers(1, 10))
            parts.append(f"{day} {start:02d}:{draw(st.sampled_from([0, 30])):02d}-{(start + length) % 24:02d}:00")
    return "; ".join(parts) or "Mon 09:00-17:00"


@st.composite
def special(draw: st.DrawFn) -> str:
    days = draw(st.sets(st.integers(1, 28), min_size=1, max_size=4))
    return "; ".join(
        f"2027-03-{d:02d} " + draw(st.sampled_from(["closed", "10:00-14:00", "09:00-12:00, 13:00-18:00"]))
        for d in sorted(days)
    )


desired_values = st.fixed_dictionaries(
    {},
    optional={
        "title": words,
        "website": words.map(lambda w: "https://example.com/" + "".join(c for c in w if c.isascii() and c.isalnum())),
        "description": words,
        "primary_phone": st.integers(1000, 9999).map(lambda n: f"+1 206-555-{n}"),
        "additional_phones": st.sampled_from(["~clear", "+1 206-555-0100", "+1 206-555-0101; +1 206-555-0102"]),
        "primary_category": st.sampled_from(["gcid:coffee_shop", "gcid:cafe", "gcid:bakery"]),
        "additional_categories": st.sampled_from(["~clear", "gcid:espresso_bar", "gcid:cafe; gcid:bakery"]),
        "regular_hours": hours(),
        "special_hours": special(),
        "labels": st.sampled_from(["~clear", "a", "north; late-night", "東京"]),
        "open_status": st.sampled_from(["OPEN", "CLOSED_TEMPORARILY"]),
    },
)


def test_any_valid_plan_lands_exactly_and_replans_to_nothing(cli):
    assert cli("init", "--sandbox", "--stores", "8").exit_code == 0
    ws = config.open_workspace("default")
    clock = FakeClock()
    database = db.open_db(ws.db_path)
    google = connect(ws, database, clock=clock, faults="")
    stores.sync(database, google.business, clock=clock)
    us = [s["store_code"] for s in stores.list_stores(database) if s["region_code"] == "US"]
    known = stores.known_categories(database)
    applied: list[int] = []

    @settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(us), desired_values)
    def check(code: str, raw: dict[str, str]) -> None:
        wanted = {name: parse_value(name, text, region="US", known_categories=known) for name, text in raw.items()}
        if wanted.get("primary_category") and wanted["primary_category"] in wanted.get("additional_categories", ""):
            return  # Google refuses a primary category repeated as an additional one
        plan = make_plan(database, {code: wanted}, source="property", region="US", clock=clock)
        if plan.stores:
            result = Runner(database, google, region="US", clock=clock, options=ApplyOptions(workers=1)).start(plan)
            assert result.status == "done", result.as_dict()
            applied.append(len(plan.stores[0].after))
        state = SandboxState.open(ws.sandbox_path)
        try:
            held = next(loc for loc in state.locations() if loc["storeCode"] == code)
            held = json.loads(json.dumps(held))
        finally:
            state.close()
        values = location_values(held, "US")
        for name, value in wanted.items():
            assert values[name] == value, (name, value, values[name])
        again = make_plan(database, {code: wanted}, source="property", region="US", clock=clock)
        assert again.stores == []

    try:
        check()
    finally:
        google.close()
        database.close()
    assert len(applied) >= 8 and max(applied) >= 5  # the property was exercised, not skipped
