"""`kill -9` in the middle of a scan, then `rank scan --resume`: finished points are never
asked (or paid for) again; in-process and over real HTTP with Google's faults."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli
from process_helpers import kill_9_when, spawn
from rank_helpers import billed, done_points, points, search_requests

from localcx import config

WORKERS = 4  # at most this many searches in flight when the process dies


def _kill_after(home: Path, db_path: Path, done: int, *args: str, env: dict[str, str] | None = None) -> None:
    proc = spawn(home, *args, "-q", "rank", "scan", env=env)
    kill_9_when(proc, lambda: done_points(db_path) >= done, within=30)


def _check_each_point_answered_once(ws: config.Workspace, sandbox_path: Path, total: int) -> None:
    assert points(ws) == (total, total, total), "every point answered once, by one request"
    asked = billed(sandbox_path)["ids_only"]
    assert total <= asked <= total + WORKERS, asked
    assert search_requests(ws) == asked


def test_kill_9_mid_scan_then_resume_asks_only_the_open_points(cli: Cli) -> None:
    assert cli("init", "--sandbox").exit_code == 0
    cli.settings(limits={"places_qpm": 120})  # 2 a second: the scan takes seconds, not ms
    assert cli("locations", "sync").exit_code == 0
    assert cli("rank", "keywords", "add", "ramen", "--stores", "TKY-001", "--grid", "5").exit_code == 0
    ws = config.open_workspace("default")
    _kill_after(cli.home, ws.db_path, 4)
    answered = points(ws)[1]
    assert 4 <= answered < 25
    cli.settings(limits={"places_qpm": 30000}, sandbox={"project_qpm": 30000})
    resumed = cli("rank", "scan", "--resume", "--json")
    assert resumed.exit_code == 0, resumed.stderr
    assert json.loads(resumed.stdout)["status"] == "done"
    _check_each_point_answered_once(ws, ws.sandbox_path, 25)
    assert [h["status"] for h in cli.json("rank", "history")] == ["done"]


def test_kill_9_and_faults_over_real_http_then_resume(cli: Cli, served, tmp_path: Path) -> None:
    url = served(faults="429:0.1,503:0.05", fault_seed=3, project_qpm=100000)
    env = {"LOCALCX_GOOGLE_ENDPOINT": url, "LOCALCX_GOOGLE_TOKEN": "test-token"}
    assert cli("-w", "live", "init", "--google").exit_code == 0
    cli.settings("live", http={"backoff_base": 0.001, "backoff_cap": 0.01, "timeout": 2.0},
                 limits={"project_qpm": 600, "places_qpm": 120})
    login = cli("-w", "live", "auth", "login", "--api-key", input="AIza-test-places-key\n")
    assert login.exit_code == 0, login.stderr
    assert cli("-w", "live", "locations", "sync", env=env).exit_code == 0
    added = cli("-w", "live", "rank", "keywords", "add", "ramen", "--stores", "TKY-001", "--grid", "5", env=env)
    assert added.exit_code == 0, added.stderr
    ws = config.open_workspace("live")
    _kill_after(cli.home, ws.db_path, 4, "-w", "live", env=env)
    cli.settings("live", limits={"places_qpm": 600})
    for _ in range(5):  # a fault that outlasts the retries leaves the run open: go on
        resumed = cli("-w", "live", "rank", "scan", "--resume", "--json", env=env)
        assert resumed.exit_code in (0, 1, 4), resumed.stderr
        if json.loads(resumed.stdout).get("status") == "done":
            break
    else:
        raise AssertionError("the scan never finished")
    _check_each_point_answered_once(ws, tmp_path / "served-0.db", 25)
    import sqlite3

    with sqlite3.connect(ws.db_path) as conn:
        seen = {row[0] for row in conn.execute("select status from api_calls where service = 'places'")}
    assert seen - {200}, "the faults never hit a search"
