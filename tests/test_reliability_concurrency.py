"""Processes that overlap: a cron sync beside an apply, two workspaces on one Cloud project.

Each test runs the real `localcx` command in separate processes, so SQLite locking, the
shared quota ledger and the sandbox state file are exercised as they are in production.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from localcx import config
from localcx.sandbox.state import SandboxState


def _env(cli, **extra: str) -> dict[str, str]:
    return {**os.environ, "LOCALCX_HOME": str(cli.home), **extra}


def _localcx(*args: str) -> list[str]:
    return [sys.executable, "-m", "localcx", *args]


def _patch_counts(path: Path) -> dict[str, int]:
    state = SandboxState.open(path)
    try:
        return state.patch_counts()
    finally:
        state.close()


def _websites_file(cli, tmp_path: Path, workspace: str = "default", tag: str = "new") -> Path:
    codes = [s["store_code"] for s in cli.json("-w", workspace, "locations", "list")]
    path = tmp_path / f"{workspace}-{tag}.csv"
    lines = ["store_code,website", *(f"{c},https://example.com/{tag}/{c.lower()}" for c in codes)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sync_in_a_loop_beside_an_apply(cli, tmp_path):
    """A cron `locations sync` keeps running while an apply edits 300 stores: both finish,
    every edit lands exactly once, and neither ever sees "database is locked"."""
    assert cli("init", "--sandbox", "--stores", "300").exit_code == 0
    cli.settings(
        http={"backoff_base": 0.001, "backoff_cap": 0.01},
        limits={"project_qpm": 6000},
        sandbox={"project_qpm": 100000},
    )
    assert cli("locations", "sync").exit_code == 0
    desired = _websites_file(cli, tmp_path)
    ws = config.open_workspace("default")
    env = _env(cli)

    apply_done = threading.Event()
    syncs: list[subprocess.CompletedProcess[bytes]] = []
    first_sync = threading.Event()

    def sync_loop() -> None:
        while not apply_done.is_set() or len(syncs) < 2:
            syncs.append(subprocess.run(_localcx("-q", "locations", "sync"), env=env, capture_output=True))
            first_sync.set()

    looper = threading.Thread(target=sync_loop)
    looper.start()
    try:
        first_sync.wait(60)
        applied = subprocess.run(
            _localcx("-q", "profiles", "apply", str(desired), "--yes"), env=env, capture_output=True
        )
    finally:
        apply_done.set()
        looper.join(120)

    assert applied.returncode == 0, applied.stderr.decode()
    assert b"locked" not in applied.stderr
    assert len(syncs) >= 2
    for sync in syncs:
        assert sync.returncode == 0, sync.stderr.decode()
        assert b"locked" not in sync.stderr
    counts = _patch_counts(ws.sandbox_path)
    assert len(counts) == 300 and set(counts.values()) == {1}
    with sqlite3.connect(ws.db_path) as conn:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        assert dict(conn.execute("select status, count(*) from edits group by status")) == {"done": 300}
        assert conn.execute("select status from apply_runs").fetchall() == [("done",)]
    # After one more sync our copy matches Google: no store holds a stale website.
    assert cli("locations", "sync").exit_code == 0
    websites = {s["store_code"]: s["website"] for s in cli.json("locations", "list")}
    assert all(w == f"https://example.com/new/{c.lower()}" for c, w in websites.items())


def test_two_applies_on_one_cloud_project_share_its_quota(cli, served, tmp_path):
    """Two client workspaces on one project (one `sandbox serve`) apply at the same time:
    both finish, and booking their requests in the one shared ledger keeps the server's
    per-minute limit from ever answering 429."""
    url = served(project_qpm=1200)
    env = _env(cli, LOCALCX_GOOGLE_ENDPOINT=url, LOCALCX_GOOGLE_TOKEN="test-token")
    files = {}
    for name, field in (("north", "website"), ("south", "description")):
        assert cli("-w", name, "init", "--google").exit_code == 0
        cli.settings(name, http={"backoff_base": 0.01, "backoff_cap": 0.05}, limits={"project_qpm": 1200})
        assert cli("-w", name, "locations", "sync", env=env).exit_code == 0
        codes = [s["store_code"] for s in cli.json("-w", name, "locations", "list")]
        value = "https://example.com/{}" if field == "website" else "Open late at {}."
        lines = [f"store_code,{field}", *(f"{c},{value.format(c.lower())}" for c in codes)]
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text("\n".join(lines) + "\n", encoding="utf-8")

    procs = {
        name: subprocess.Popen(
            _localcx("-w", name, "-q", "profiles", "apply", str(path), "--yes", "--workers", "4"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for name, path in files.items()
    }
    for name, proc in procs.items():
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, (name, stderr.decode())

    for name in procs:
        with sqlite3.connect(config.open_workspace(name).db_path) as conn:
            assert conn.execute("select count(*) from api_calls where status = 429").fetchone() == (0,)
            assert conn.execute("select count(*) from api_calls where status <> 200").fetchone() == (0,)
            assert dict(conn.execute("select status, count(*) from edits group by status")) == {"done": 30}
    # Both workspaces booked their requests under one project key in the ledger.
    with sqlite3.connect(cli.home / "quota-ledger.db") as conn:
        keys = [key for (key,) in conn.execute("select key from slots")]
    # One project for both workspaces; one per-minute budget per API, as Google counts.
    assert len({key.split(":")[0] for key in keys}) == 1 and all(k.endswith(":requests") for k in keys)
    assert {key.split(":")[1] for key in keys} == {"mybusinessaccountmanagement", "mybusinessbusinessinformation"}


LEDGER_HAMMER = """
import sys
from pathlib import Path
from localcx.clock import FakeClock
from localcx.google.ledger import SharedLimiter
from localcx.google.limiter import Rate

books = SharedLimiter(Path(sys.argv[1]), FakeClock())
for _ in range(int(sys.argv[2])):
    books.reserve("project:requests", Rate(60.0))  # one second per request
    books.take_daily("project:location-updates:today", 10**9)
books.close()
"""


def test_processes_booking_one_ledger_at_once_lose_no_booking(tmp_path):
    """Every booking is one write transaction taken up front: processes queue for the
    ledger instead of failing on a lock, and no booking overwrites another."""
    ledger = tmp_path / "quota-ledger.db"
    per_process = 1500
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", LEDGER_HAMMER, str(ledger), str(per_process)], stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    for proc in procs:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr.decode()
    with sqlite3.connect(ledger) as conn:
        (next_at,) = conn.execute("select next_at from slots").fetchone()
        (used,) = conn.execute("select used from daily").fetchone()
    # On a frozen clock each booking moves the shared slot one second on.
    assert next_at == 1_790_000_000.0 + 3 * per_process
    assert used == 3 * per_process
