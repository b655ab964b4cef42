"""Apply under faults, quota pacing and kill -9: every edit lands once, none twice."""

from __future__ import annotations

import csv
import io
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from localcx import config, db, stores
from localcx.backend import connect
from localcx.clock import FakeClock
from localcx.profiles.applier import ApplyOptions, Runner
from localcx.profiles.journal import Journal
from localcx.profiles.planner import make_plan
from localcx.sandbox.state import SandboxState


def _workspace(cli, stores: int, **sections) -> config.Workspace:
    assert cli("init", "--sandbox", "--stores", str(stores)).exit_code == 0
    cli.settings(http={"backoff_base": 0.001, "backoff_cap": 0.01}, **sections)
    return config.open_workspace("default")


@contextmanager
def _synced(ws: config.Workspace, clock: FakeClock, faults: str = "") -> Iterator[tuple[Any, Any]]:
    """The workspace's database and Google connection, stores synced, on a virtual clock."""
    database = db.open_db(ws.db_path)
    google = connect(ws, database, clock=clock, faults=faults)
    try:
        stores.sync(database, google.business, clock=clock)
        yield database, google
    finally:
        google.close()
        database.close()


def _patch_counts(ws: config.Workspace) -> dict[str, int]:
    state = SandboxState.open(ws.sandbox_path)
    try:
        return state.patch_counts()
    finally:
        state.close()


@pytest.mark.parametrize("faults", ["429:0.1,503:0.05", "429:0.1,503:0.05,timeout:0.05,reset:0.05"])
def test_every_edit_lands_once_under_faults(cli, faults):
    ws = _workspace(cli, 200)
    clock = FakeClock()
    with _synced(ws, clock, faults) as (database, google):
        codes = [s["store_code"] for s in stores.list_stores(database)]
        desired = {code: {"website": f"https://example.com/{code.lower()}"} for code in codes}
        plan = make_plan(database, desired, source="test", region="US", clock=clock)
        assert len(plan.stores) == 200
        result = Runner(database, google, region="US", clock=clock, options=ApplyOptions(workers=1)).start(plan)
        assert result.status == "done", result.as_dict()
        assert result.counts == {"done": 200}
        statuses = {row["status"] for row in database.query("select distinct status from api_calls")}
        assert {429, 503} <= statuses
    counts = _patch_counts(ws)
    assert len(counts) == 200 and set(counts.values()) == {1}


def test_pacing_spends_quota_without_a_single_429(cli):
    ws = _workspace(cli, 120)
    clock = FakeClock()
    with _synced(ws, clock, "") as (database, google):
        desired = {s["store_code"]: {"description": "Fresh each morning."} for s in stores.list_stores(database)}
        plan = make_plan(database, desired, source="test", region="US", clock=clock)
        database.execute("delete from api_calls")
        database.conn.commit()
        started = clock.now()
        Runner(database, google, region="US", clock=clock, options=ApplyOptions(workers=1)).start(plan)
        elapsed = clock.now() - started
        calls = list(database.query("select service, status from api_calls where service = 'mybusinessbusinessinformation'"))
    assert all(c["status"] == 200 for c in calls)
    # Paced at 300 QPM less 3% headroom: the first request goes at once, then one per slot.
    rate = (len(calls) - 1) / elapsed * 60
    assert 0.95 * 300 <= rate <= 300


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_interrupted_apply_then_resume(cli, tmp_path, sig):
    ws = _workspace(cli, 500, limits={"project_qpm": 3000}, sandbox={"project_qpm": 100000})
    assert cli("locations", "sync").exit_code == 0
    export = tmp_path / "export.csv"
    assert cli("locations", "export", str(export)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(export.read_text(encoding="utf-8"))))
    for row in rows:
        row["website"] = f"https://example.com/{row['store_code'].lower()}"
    edited = tmp_path / "stores.csv"
    with edited.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    env = {**os.environ, "LOCALCX_HOME": str(cli.home)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "localcx", "-q", "profiles", "apply", str(edited), "--yes"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    done = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(ws.db_path, timeout=5) as conn:
                done = conn.execute("select count(*) from edits where status = 'done'").fetchone()[0]
        except sqlite3.OperationalError:
            done = 0
        if done >= 60:
            break
        time.sleep(0.02)
    assert proc.poll() is None, f"apply finished before it could be stopped: {proc.stderr.read() if proc.stderr else ''}"
    os.kill(proc.pid, sig)
    _, stderr = proc.communicate(timeout=30)
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:
        assert proc.returncode == 130
        assert b"localcx profiles resume" in stderr
        with sqlite3.connect(ws.db_path) as conn:
            assert conn.execute("select status from apply_runs").fetchone() == ("interrupted",)

    with sqlite3.connect(ws.db_path) as conn:
        before = dict(conn.execute("select status, count(*) from edits group by status").fetchall())
    assert 60 <= before.get("done", 0) < 500

    result = cli("profiles", "resume", "--json")
    assert result.exit_code == 0, result.stderr
    with sqlite3.connect(ws.db_path) as conn:
        after = dict(conn.execute("select status, count(*) from edits group by status").fetchall())
        runs = conn.execute("select status from apply_runs").fetchall()
    assert after == {"done": 500}
    assert runs == [("done",)]
    counts = _patch_counts(ws)
    assert len(counts) == 500 and set(counts.values()) == {1}
    state = SandboxState.open(ws.sandbox_path)
    try:
        assert all(loc["websiteUri"] == f"https://example.com/{loc['storeCode'].lower()}" for loc in state.locations())
    finally:
        state.close()
    assert Path(ws.db_path).exists()


def test_a_second_run_in_the_same_workspace_waits_its_turn(cli, tmp_path):
    """Two runs of one area never share the journal: the second waits, it does not fail.
    (It used to be refused; "two processes on one workspace never fail on a lock" won.)"""
    ws = _workspace(cli, 5)
    assert cli("locations", "sync").exit_code == 0
    code = cli.json("locations", "list")[0]["store_code"]
    path = tmp_path / "w.csv"
    path.write_text(f"store_code,website\n{code},https://example.com/locked\n", encoding="utf-8")
    database = db.open_db(ws.db_path)
    plan = make_plan(database, {code: {"website": "https://example.com/open"}}, source="t", region="US")
    Journal(database, FakeClock()).start_run(plan)  # a run left open, as by a crash
    database.close()
    held, released = threading.Event(), threading.Event()

    def hold() -> None:
        with ws.exclusive("profiles"):
            held.set()
            time.sleep(0.3)
            released.set()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait()
    resumed = cli("profiles", "resume")
    holder.join()
    assert released.is_set()
    assert resumed.exit_code == 0, resumed.stderr
    assert "waiting for it to finish" in resumed.stderr
    with ws.exclusive("posts"):  # another area's lock does not hold profiles up
        result = cli("profiles", "apply", str(path), "--yes")
    assert result.exit_code == 0, result.stderr
    assert "waiting" not in result.stderr
    assert cli("profiles", "resume").exit_code == 0


def test_resume_recognises_an_edit_that_landed_before_the_crash(cli):
    """The crash window that matters: Google applied the PATCH, the journal still says sent."""
    ws = _workspace(cli, 6)
    clock = FakeClock()
    with _synced(ws, clock, "") as (database, google):
        codes = [s["store_code"] for s in stores.list_stores(database)][:2]
        desired = {code: {"website": f"https://example.com/{code.lower()}"} for code in codes}
        plan = make_plan(database, desired, source="t", region="US", clock=clock)
        journal = Journal(database, clock)
        run_id = journal.start_run(plan)
        landed = journal.edits(run_id)[0]
        journal.mark(landed, "sent", sending=True)
        google.business.patch_location(landed.location_id, landed.body, landed.update_mask)
        result = Runner(database, google, region="US", clock=clock, options=ApplyOptions(workers=1)).execute(run_id)
        edits = {e.store_code: e for e in journal.edits(run_id)}
    assert result.status == "done" and result.already == 1
    assert edits[landed.store_code].error == "already applied"
    assert set(_patch_counts(ws).values()) == {1} and len(_patch_counts(ws)) == 2
