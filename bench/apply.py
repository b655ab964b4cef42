"""How much of Google's quota does `profiles apply` use, and does any edit get lost or doubled?

Runs against the sandbox, which enforces Google's quotas on the same clock as the client:
1. 1,000 stores, in-process, on a virtual clock (sleeping advances time instantly), with
   Google's real limits (300 requests/min per API, 10 edits/min per location).
2. The same under injected faults (429, 503, lost answers, dropped connections).
3. 1,000 stores over real HTTP on loopback, real clock, limits scaled 10x (3,000/min)
   on both sides so it runs in seconds, 4 worker threads.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from localcx import config, db, stores
from localcx.backend import connect, start_server
from localcx.clock import Clock, FakeClock
from localcx.profiles.applier import ApplyOptions, Runner
from localcx.profiles.planner import make_plan
from localcx.sandbox.state import SandboxState

STORES = 1000
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))  # the default [http] workers


def _workspace(name: str, backend: str = "sandbox", qpm: int = 300) -> config.Workspace:
    settings = config.Settings(backend=backend)
    settings.sandbox.stores = STORES
    settings.sandbox.project_qpm = qpm
    settings.limits.project_qpm = qpm
    settings.http.backoff_base = 0.01
    settings.http.backoff_cap = 0.05
    return config.create_workspace(name, settings, replace=True)


def _run(ws: config.Workspace, clock: Clock, faults: str | None, workers: int) -> dict[str, float]:
    database = db.open_db(ws.db_path)
    google = connect(ws, database, clock=clock, faults=faults)
    try:
        stores.sync(database, google.business, clock=clock)
        desired = {
            s["store_code"]: {"website": f"https://example.com/{s['store_code'].lower()}"}
            for s in stores.list_stores(database)
        }
        plan = make_plan(database, desired, source="bench", region="US", clock=clock)
        database.execute("delete from api_calls")
        database.conn.commit()
        started, wall = clock.now(), time.perf_counter()
        result = Runner(database, google, region="US", clock=clock, options=ApplyOptions(workers=workers)).start(plan)
        elapsed, wall = clock.now() - started, time.perf_counter() - wall
        calls = database.execute(
            "select count(*), sum(status = 200), sum(status = 429), sum(status >= 500 or status = 0) "
            "from api_calls where service = 'mybusinessbusinessinformation'"
        ).fetchone()
    finally:
        google.close()
        database.close()
    return {"edits": len(plan.stores), "done": result.counts.get("done", 0), "elapsed": elapsed, "wall": wall,
            "requests": calls[0], "ok": calls[1] or 0, "r429": calls[2] or 0, "r5xx": calls[3] or 0}


def _integrity(path: Path) -> tuple[int, int]:
    """(lost, duplicated): stores without the new website, and stores PATCHed more than once."""
    state = SandboxState.open(path)
    try:
        lost = sum(loc["websiteUri"] != f"https://example.com/{loc['storeCode'].lower()}" for loc in state.locations())
        duplicated = sum(n > 1 for n in state.patch_counts().values())
    finally:
        state.close()
    return lost, duplicated


def _report(title: str, figures: dict[str, float], allowed_qpm: int, integrity: tuple[int, int]) -> None:
    minutes = figures["elapsed"] / 60
    edit_rate = figures["done"] / minutes
    request_rate = figures["ok"] / minutes
    print(f"\n{title}")
    print(f"  edits {figures['done']}/{figures['edits']} in {figures['elapsed']:.1f} s of clock ({figures['wall']:.1f} s wall)")
    print(f"  requests: {figures['requests']} sent, {figures['ok']} ok, {figures['r429']} x 429, {figures['r5xx']} x 5xx/network")
    print(f"  edit rate {edit_rate:.0f}/min = {edit_rate / allowed_qpm:.3f} of the allowed {allowed_qpm}/min")
    print(f"  successful request rate {request_rate:.0f}/min = {request_rate / allowed_qpm:.3f} of the allowed rate")
    print(f"  lost edits {integrity[0]}, duplicated edits {integrity[1]}")


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["LOCALCX_HOME"] = home
        ws = _workspace("virtual")
        _report("1. in-process, virtual clock, Google's limits (300/min)", _run(ws, FakeClock(), "", 1), 300,
                _integrity(ws.sandbox_path))

        ws = _workspace("faults")
        spec = "429:0.1,503:0.05,timeout:0.02,reset:0.02"
        _report(f"2. same, with faults {spec}", _run(ws, FakeClock(), spec, 1), 300, _integrity(ws.sandbox_path))

        ws = _workspace("http", backend="google", qpm=3000)
        served = start_server(Path(home) / "served.db", port=0, seed=7, stores=STORES, faults="",
                              project_qpm=3000)
        server = served.server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        os.environ["LOCALCX_GOOGLE_ENDPOINT"] = served.url
        os.environ["LOCALCX_GOOGLE_TOKEN"] = "bench"
        figures = _run(ws, Clock(), None, WORKERS)
        server.shutdown()
        server.server_close()
        _report(f"3. real HTTP on loopback, real clock, limits scaled to 3000/min, {WORKERS} workers", figures, 3000,
                _integrity(Path(home) / "served.db"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (RSS) {peak:.0f} MiB")


if __name__ == "__main__":
    main()
