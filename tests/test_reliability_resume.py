"""Runs stopped part-way (kill -9, SIGTERM, a 5xx that outlasts the retries) and resumed:
every edit lands exactly once and the journal never loses track of one."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from localcx import config
from localcx.exitcodes import ExitCode
from localcx.sandbox.state import SandboxState


def _env(cli) -> dict[str, str]:
    return {**os.environ, "LOCALCX_HOME": str(cli.home)}


def _localcx(*args: str) -> list[str]:
    return [sys.executable, "-m", "localcx", *args]


def _patch_counts(ws: config.Workspace) -> dict[str, int]:
    state = SandboxState.open(ws.sandbox_path)
    try:
        return state.patch_counts()
    finally:
        state.close()


def _item_counts(ws: config.Workspace) -> dict[str, int]:
    try:
        with sqlite3.connect(ws.db_path, timeout=5) as conn:
            return dict(conn.execute("select status, count(*) from run_items group by status"))
    except sqlite3.OperationalError:  # created or migrated just now
        return {}


def _websites_file(cli, tmp_path: Path) -> Path:
    codes = [s["store_code"] for s in cli.json("locations", "list")]
    path = tmp_path / "websites.csv"
    lines = ["store_code,website", *(f"{c},https://example.com/{c.lower()}" for c in codes)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _stop_when(proc: subprocess.Popen[bytes], ws: config.Workspace, enough, sig: int) -> None:
    """Send `sig` once the journal shows `enough` of the run has gone out."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if enough(_item_counts(ws)):
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be stopped"
    os.kill(proc.pid, sig)


def test_a_5xx_that_outlasts_the_retries_leaves_the_edit_open(cli, tmp_path):
    assert cli("init", "--sandbox", "--stores", "5").exit_code == 0
    cli.settings(
        http={"max_attempts": 2, "backoff_base": 0.001, "backoff_cap": 0.01},
        sandbox={"faults": "503@locations.patch:x100"},
    )
    assert cli("locations", "sync").exit_code == 0
    ws = config.open_workspace("default")
    code = cli.json("locations", "list")[0]["store_code"]
    path = tmp_path / "one.csv"
    path.write_text(f"store_code,website\n{code},https://example.com/outage\n", encoding="utf-8")

    result = cli("-q", "profiles", "apply", str(path), "--yes")
    assert result.exit_code == ExitCode.PARTIAL, result.stderr
    assert "try again later with: localcx profiles resume" in result.stderr
    assert "project_qpm" not in result.stderr
    with sqlite3.connect(ws.db_path) as conn:
        assert conn.execute("select status from apply_runs").fetchall() == [("interrupted",)]
        assert conn.execute("select status from edits").fetchall() == [("pending",)]
        assert conn.execute(
            "select count(*) from api_calls where method = 'PATCH' and status = 503"
        ).fetchone() == (2,)
    assert _patch_counts(ws) == {}

    # Failing while re-reading the store before sending leaves it open the same way.
    cli.settings(sandbox={"faults": "503@locations.get:x100,503@locations.list:x100"})
    again = cli("-q", "profiles", "resume")
    assert again.exit_code == ExitCode.PARTIAL, again.stderr
    assert "try again later with: localcx profiles resume" in again.stderr
    with sqlite3.connect(ws.db_path) as conn:
        assert conn.execute("select status from apply_runs").fetchall() == [("interrupted",)]
        assert conn.execute("select status from edits").fetchall() == [("pending",)]
    assert _patch_counts(ws) == {}

    cli.settings(sandbox={"faults": ""})
    resumed = cli("profiles", "resume", "--json")
    assert resumed.exit_code == 0, resumed.stderr
    assert json.loads(resumed.stdout)["counts"] == {"done": 1}
    assert list(_patch_counts(ws).values()) == [1]
    with sqlite3.connect(ws.db_path) as conn:
        assert conn.execute("select status from apply_runs").fetchall() == [("done",)]
        assert conn.execute(
            "select count(*) from api_calls where method = 'PATCH' and status = 200"
        ).fetchone() == (1,)


def test_a_refused_login_mid_run_names_the_fix_and_the_resume(cli, tmp_path):
    assert cli("init", "--sandbox", "--stores", "5").exit_code == 0
    cli.settings(http={"backoff_base": 0.001, "backoff_cap": 0.01}, sandbox={"faults": "403@locations.patch:x1"})
    assert cli("locations", "sync").exit_code == 0
    ws = config.open_workspace("default")
    code = cli.json("locations", "list")[0]["store_code"]
    path = tmp_path / "one.csv"
    path.write_text(f"store_code,website\n{code},https://example.com/refused\n", encoding="utf-8")
    result = cli("-q", "profiles", "apply", str(path), "--yes")
    assert result.exit_code == ExitCode.AUTH, result.stderr
    assert "Basic API Access" in result.stderr
    assert "then finish the run with: localcx profiles resume" in result.stderr
    assert _item_counts(ws) == {"pending": 1}
    cli.settings(sandbox={"faults": ""})  # access granted
    assert cli("profiles", "resume").exit_code == 0
    assert list(_patch_counts(ws).values()) == [1]


def test_sigterm_mid_apply_marks_the_run_interrupted_and_resume_finishes_it(cli, tmp_path):
    assert cli("init", "--sandbox", "--stores", "300").exit_code == 0
    cli.settings(
        http={"backoff_base": 0.001, "backoff_cap": 0.01},
        limits={"project_qpm": 3000},
        sandbox={"project_qpm": 100000},
    )
    assert cli("locations", "sync").exit_code == 0
    ws = config.open_workspace("default")
    desired = _websites_file(cli, tmp_path)
    proc = subprocess.Popen(
        _localcx("-q", "profiles", "apply", str(desired), "--yes"),
        env=_env(cli),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _stop_when(proc, ws, lambda c: c.get("done", 0) >= 30, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == ExitCode.TERMINATED, stderr.decode()
    assert b"localcx profiles resume" in stderr
    with sqlite3.connect(ws.db_path) as conn:
        assert conn.execute("select status from apply_runs").fetchall() == [("interrupted",)]
        assert conn.execute("select status from runs").fetchall() == [("interrupted",)]
    before = _item_counts(ws)
    assert 30 <= before.get("done", 0) < 300 and before.get("sent", 0) == 0

    result = cli("profiles", "resume", "--json")
    assert result.exit_code == 0, result.stderr
    assert _item_counts(ws) == {"done": 300}
    counts = _patch_counts(ws)
    assert len(counts) == 300 and set(counts.values()) == {1}


def test_drift_reassert_killed_mid_patch_then_resumed(cli, tmp_path):
    """A reassert run killed with kill -9 while its PATCHes go out: resume sends each store
    exactly one PATCH in all, and Google then shows our values again."""
    assert cli("init", "--sandbox", "--stores", "400").exit_code == 0
    cli.settings(
        http={"backoff_base": 0.001, "backoff_cap": 0.01},
        limits={"project_qpm": 1500},
        sandbox={"project_qpm": 100000},
    )
    assert cli("locations", "sync").exit_code == 0
    ws = config.open_workspace("default")
    drifted = cli("profiles", "drift", "--json")
    assert drifted.exit_code == ExitCode.PARTIAL, drifted.stderr
    stores = {item["location_id"] for item in json.loads(drifted.stdout) if item["kind"] == "google"}
    assert len(stores) >= 20
    policy = tmp_path / "policy.toml"
    policy.write_text('default = "reassert"\n', encoding="utf-8")

    proc = subprocess.Popen(
        _localcx("-q", "profiles", "drift", "--policy", str(policy), "--yes"),
        env=_env(cli),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _stop_when(proc, ws, lambda c: c.get("done", 0) + c.get("sent", 0) >= 8, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    before = _item_counts(ws)
    assert sum(before.values()) == len(stores) and before.get("done", 0) < len(stores)
    with sqlite3.connect(ws.db_path) as conn:
        assert conn.execute("select kind, status from runs").fetchall() == [("drift", "running")]

    result = cli("profiles", "resume", "--json")
    assert result.exit_code == 0, result.stdout
    assert _item_counts(ws) == {"done": len(stores)}
    counts = _patch_counts(ws)
    assert set(counts) == {f"locations/{location_id}" for location_id in stores}
    assert set(counts.values()) == {1}
    again = cli("profiles", "drift", "--json")
    assert again.exit_code == 0, again.stderr
    assert [item for item in json.loads(again.stdout) if item["kind"] == "google"] == []
