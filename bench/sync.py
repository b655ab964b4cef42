"""Speed and memory of the store master at agency scale: 5,000 stores.

On a virtual clock (quota waits take no wall time), so the figures are localcx's own cost:
building the sandbox city, syncing every page into SQLite, listing, exporting the
desired-state CSV and planning it back (which must find 0 changes). Prints figures.
"""

from __future__ import annotations

import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from localcx import config, db, exports, stores
from localcx.backend import connect, open_sandbox_state
from localcx.clock import FakeClock
from localcx.profiles.from_file import plan_from_file
from localcx.render import OutputFormat, rows

STORES = 5000


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = fn()
    print(f"  {label:<44} {time.perf_counter() - started:6.2f} s")
    return value


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["LOCALCX_HOME"] = home
        settings = config.Settings(backend="sandbox")
        settings.sandbox.stores = STORES
        ws = config.create_workspace("bench", settings)
        print(f"{STORES} stores")
        timed("build the sandbox city", lambda: open_sandbox_state(ws.sandbox_path, seed=7, stores=STORES).close())
        clock = FakeClock()
        database = db.open_db(ws.db_path)
        google = connect(ws, database, clock=clock)
        started = clock.now()
        result = timed("locations sync (all pages)", lambda: stores.sync(database, google.business, clock=clock))
        print(f"  {'  quota time on Google, at 300 requests/min':<44} {clock.now() - started:6.1f} s")
        timed("locations sync again (nothing changed)", lambda: stores.sync(database, google.business, clock=clock))
        timed("locations list --json", lambda: rows(stores.list_stores(database), OutputFormat.json, stream=io.StringIO()))
        csv_path = Path(home) / "stores.csv"
        timed("locations export stores.csv", lambda: exports.export_stores(database, csv_path))
        plan = timed("profiles plan stores.csv", lambda: plan_from_file(database, csv_path, region="US"))
        print(f"  stores synced {result.stores}, plan changes {plan.change_count} (must be 0)")
        print(f"  database size {ws.db_path.stat().st_size / 1e6:.1f} MB, sandbox state {ws.sandbox_path.stat().st_size / 1e6:.1f} MB")
        google.close()
        database.close()
    print(f"peak memory (RSS) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
