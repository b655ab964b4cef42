"""How fast does `insights sync` store 18 months of daily metrics for 500 stores?

500 sandbox stores (in-process), on a virtual clock (sleeping advances time instantly) at
Google's Performance limit as localcx assumes it (300 requests a minute; the sandbox
enforces the same). Figures:
- rows stored per second of wall time (every metric of every day, and keyword rows): the
  client's, the emulator's and SQLite's own cost, no waiting;
- requests per store, the first time and on a second sync a day later (the overlap only);
- the virtual minutes the quota makes the first sync take.
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
from localcx.insights import store, sync
from localcx.session import Session
from localcx.settings import SandboxSettings

STORES = 500


def main() -> None:
    os.environ["LOCALCX_HOME"] = tempfile.mkdtemp(prefix="localcx-bench-insights-")
    settings = config.Settings(backend="sandbox", sandbox=SandboxSettings(stores=STORES))
    ws = config.create_workspace("bench-insights", settings, replace=True)
    clock = FakeClock()
    with Session(ws, clock=clock) as session:
        stores.sync(session.db, session.google.business, clock=clock)
        wall, virtual = time.perf_counter(), clock.now()
        first = sync.sync(session.db, session.google, None, clock=clock, timezone="UTC")
        wall, virtual = time.perf_counter() - wall, clock.now() - virtual
        clock.advance(86_400)
        again = time.perf_counter()
        second = sync.sync(session.db, session.google, None, clock=clock, timezone="UTC")
        again = time.perf_counter() - again
        held = store.counts(session.db)
    one, two = first.tally, second.tally
    rows = one.values + one.keywords
    print(f"insights sync: {STORES} stores x 18 months, every DailyMetric, run {first.summary()['status']}")
    print(f"  rows stored             {one.values:,} daily values, {one.keywords:,} keyword rows")
    print(f"  rows per second         {rows / wall:,.0f} (wall {wall:.1f} s, in-process, no waiting)")
    print(f"  requests per store      {one.requests / STORES:.1f} first sync (1 daily + 12 keyword months)")
    print(f"  virtual time            {virtual / 60:.1f} min at the Performance API's 300/min")
    print(f"  second sync, a day on   {two.requests / STORES:.1f} requests per store, {two.days // STORES} days each, "
          f"wall {again:.1f} s")
    print(f"  database holds          {held['daily']:,} daily rows, {held['keywords']:,} keyword rows")


if __name__ == "__main__":
    main()
