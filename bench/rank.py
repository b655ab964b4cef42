"""How fast does a rank scan go, and how much of the Places quota does it use?

A 9×9 grid, 2 keywords, on each of 30 sandbox stores (in-process), on a virtual clock
(sleeping advances time instantly) at Google's Places limit as localcx assumes it
(`[limits] places_qpm`, 600 a minute; the sandbox enforces the same). Figures:
- points per second of wall time: the client's and the emulator's own cost, no waiting;
- requests per point (1 at depth 20: one page of 20 results);
- the share of the Places quota used over the scan's virtual minutes (target ≥ 0.95);
- competitor names fetched afterwards (once each, Place Details).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from localcx import config, stores
from localcx.clock import FakeClock
from localcx.rank import keywords, runner
from localcx.session import Session

GRID = 9
WORDS = ["ramen", "coffee"]
STORES = 30


def main() -> None:
    os.environ["LOCALCX_HOME"] = tempfile.mkdtemp(prefix="localcx-bench-rank-")
    ws = config.create_workspace("bench-rank", config.Settings(backend="sandbox"), replace=True)
    qpm = ws.settings.limits.places_qpm
    clock = FakeClock()
    with Session(ws, clock=clock) as session:
        stores.sync(session.db, session.google.business, clock=clock)
        chosen = [(s.location_id, s.key) for s in stores.stored_locations(session.db)][:STORES]
        keywords.add(session.db, chosen, WORDS, grid=GRID, spacing_m=500.0, schedule=None, starts_at=None, clock=clock)
        tracked = keywords.list_keywords(session.db)
        estimate = runner.estimate(session.db, tracked)
        wall, virtual = time.perf_counter(), clock.now()
        result = runner.start(session.db, session.google, tracked, clock=clock, region="US", budget=None)
        wall, virtual = time.perf_counter() - wall, clock.now() - virtual
        searches = session.db.execute(
            "select count(*) from api_calls where service = 'places' and path = '/v1/places:searchText'"
        ).fetchone()[0]
        answered = session.db.execute("select count(done_at) from rank_points").fetchone()[0]
    assert result.result is not None
    calls = searches + result.competitor_calls
    print(f"rank scan: {GRID}x{GRID} grid x {len(WORDS)} keywords x {STORES} stores "
          f"({len(result.skipped)} scans skipped: no place id), run {result.result.status}")
    print(f"  points answered         {answered} (estimate: {estimate['requests']} requests)")
    print(f"  points per second       {answered / wall:,.0f} (wall, in-process, no waiting)")
    print(f"  requests per point      {searches / answered:.2f}")
    print(f"  competitor names        {result.competitor_calls} Place Details calls, once each")
    print(f"  virtual time            {virtual / 60:.1f} min at {qpm}/min")
    print(f"  Places quota used       {calls / (virtual / 60) / qpm:.3f} (target >= 0.95)")


if __name__ == "__main__":
    main()
