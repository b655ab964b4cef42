"""Publishing under kill -9, faults over real HTTP, and two cron runs at once: every store
instance ends up with exactly one post on Google, never two."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from pathlib import Path

from posts_helpers import STANDARD, post_counts, statuses, verified_location_ids, write
from process_helpers import journal, kill_9_when, spawn

from localcx import config

PAST = "2020-01-01 09:00"
OPEN_ITEMS = ("pending", "sent")


def _journal(db_path: Path) -> dict[str, int]:
    return journal(db_path)


def _kill_when(proc: subprocess.Popen[bytes], db_path: Path, status: str, at_least: int) -> dict[str, int]:
    """kill -9 the run once the journal holds `at_least` items in `status`."""
    seen: dict[str, int] = {}

    def ready() -> bool:
        seen.update(_journal(db_path))
        return seen.get(status, 0) >= at_least

    kill_9_when(proc, ready, within=30)
    return seen


def _never_twice(sandbox_path: Path) -> None:
    counts = post_counts(sandbox_path)
    assert set(counts.values()) <= {1}, {k: v for k, v in counts.items() if v > 1}


def _until_settled(cli, workspace: str = "default", env: dict[str, str] | None = None) -> None:
    """run-due again and again (faults may leave some open) until nothing is left open."""
    ws = config.open_workspace(workspace)
    for _ in range(20):
        result = cli("-w", workspace, "posts", "run-due", "--json", env=env)
        assert result.exit_code in (0, 3), result.stderr  # 3: Google kept failing; try again
        journal = _journal(ws.db_path)
        if not any(journal.get(s) for s in OPEN_ITEMS) and not statuses(ws).get("queued"):
            return
    raise AssertionError("run-due never settled")


def test_kill_9_at_five_moments_then_run_due_posts_each_store_once(cli, tmp_path):
    assert cli("init", "--sandbox", "--stores", "300").exit_code == 0
    cli.settings(http={"backoff_base": 0.001, "backoff_cap": 0.01}, limits={"project_qpm": 2400}, sandbox={"project_qpm": 100000})
    assert cli("locations", "sync").exit_code == 0
    ws = config.open_workspace("default")
    template = write(tmp_path / "t.toml", STANDARD)
    added = cli("posts", "add", str(template), "--at", PAST, "--json")
    verified = verified_location_ids(ws)
    assert json.loads(added.stdout)["queued"] == len(verified) > 250

    moments = [("sent", 1), ("done", 25), ("done", 70), ("done", 130), ("done", 200)]
    for status, at_least in moments:
        seen = _kill_when(spawn(cli.home, "-q", "posts", "run-due"), ws.db_path, status, at_least)
        assert seen.get(status, 0) >= at_least
        _never_twice(ws.sandbox_path)
    assert _journal(ws.db_path).get("done", 0) < len(verified)  # there was still work to finish

    _until_settled(cli)
    counts = post_counts(ws.sandbox_path)
    assert set(counts) == verified and set(counts.values()) == {1}
    assert statuses(ws) == {"published": len(verified)}
    assert set(_journal(ws.db_path)) == {"done"}


def test_faults_and_kill_9_over_real_http_post_each_store_once(cli, served, tmp_path):
    url = served(faults="429:0.1,503:0.05,timeout:0.02,reset:0.02", fault_seed=5, project_qpm=100000)
    env = {"LOCALCX_GOOGLE_ENDPOINT": url, "LOCALCX_GOOGLE_TOKEN": "test-token"}
    assert cli("-w", "live", "init", "--google").exit_code == 0
    cli.settings("live", http={"backoff_base": 0.001, "backoff_cap": 0.01, "timeout": 2.0}, limits={"project_qpm": 600})
    assert cli("-w", "live", "locations", "sync", env=env).exit_code == 0
    ws = config.open_workspace("live")
    template = write(tmp_path / "t.toml", STANDARD)
    added = cli("-w", "live", "posts", "add", str(template), "--at", PAST, "--json", env=env)
    verified = verified_location_ids(ws)
    assert json.loads(added.stdout)["queued"] == len(verified)
    sandbox_path = tmp_path / "served-0.db"

    for status, at_least in [("sent", 1), ("done", 8), ("done", 16)]:
        _kill_when(spawn(cli.home, "-w", "live", "-q", "posts", "run-due", env=env), ws.db_path, status, at_least)
        _never_twice(sandbox_path)

    _until_settled(cli, "live", env=env)
    counts = post_counts(sandbox_path)
    assert set(counts) == verified and set(counts.values()) == {1}
    assert statuses(ws) == {"published": len(verified)}
    with sqlite3.connect(ws.db_path) as conn:
        seen = {row[0] for row in conn.execute("select status from api_calls where method = 'POST'")}
    assert seen - {200}, "the faults never hit a create"


def test_two_run_due_at_once_one_publishes_the_other_leaves_it(cli, tmp_path):
    assert cli("init", "--sandbox").exit_code == 0
    cli.settings(http={"backoff_base": 0.001, "backoff_cap": 0.01}, limits={"project_qpm": 300}, sandbox={"project_qpm": 100000})
    assert cli("locations", "sync").exit_code == 0
    ws = config.open_workspace("default")
    template = write(tmp_path / "t.toml", STANDARD)
    cli("posts", "add", str(template), "--at", PAST)
    verified = verified_location_ids(ws)

    first, second = (spawn(cli.home, "posts", "run-due", "--json") for _ in range(2))
    (done_first, err_first), (done_second, err_second) = (p.communicate(timeout=60) for p in (first, second))
    assert first.returncode == 0 and second.returncode == 0, (err_first, err_second)
    reports = [(json.loads(out), err) for out, err in ((done_first, err_first), (done_second, err_second))]
    published = [r for r, _ in reports if not r["in_progress_elsewhere"]]
    left = [(r, err) for r, err in reports if r["in_progress_elsewhere"]]
    assert len(published) == 1 and len(left) == 1, reports
    assert published[0]["counts"] == {"done": len(verified)}
    assert left[0][0] == {"runs": [], "counts": {}, "failed": [], "in_progress_elsewhere": True}
    assert b"in progress" in left[0][1] and b"Nothing due" not in left[0][1]
    counts = post_counts(ws.sandbox_path)
    assert set(counts) == verified and set(counts.values()) == {1}


def test_a_cron_run_while_another_is_publishing_exits_at_once(cli, tmp_path):
    """The overlapping run is told while the first is still at work, and takes nothing."""
    assert cli("init", "--sandbox").exit_code == 0
    cli.settings(limits={"project_qpm": 300}, sandbox={"project_qpm": 100000})
    assert cli("locations", "sync").exit_code == 0
    ws = config.open_workspace("default")
    cli("posts", "add", str(write(tmp_path / "t.toml", STANDARD)), "--at", PAST)
    first = spawn(cli.home, "-q", "posts", "run-due")
    deadline = time.monotonic() + 30
    while _journal(ws.db_path).get("done", 0) < 1 and time.monotonic() < deadline:
        time.sleep(0.01)
    overlapping = cli("posts", "run-due")
    still_running = first.poll() is None
    first.communicate(timeout=60)
    assert still_running, "the first run ended before the overlap could be tested"
    assert overlapping.exit_code == 0
    assert "in progress" in overlapping.stderr
    assert first.returncode == 0
    counts = post_counts(ws.sandbox_path)
    assert set(counts.values()) == {1}
