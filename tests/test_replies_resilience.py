"""Posting replies under kill -9, in-process and over real HTTP with faults: `reviews
replies post` again finishes the interrupted run first, and every approved reply is PUT
exactly once (the sandbox counts the PUTs each review's reply received)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

from process_helpers import journal, kill_9_when, spawn

from localcx import config
from localcx.sandbox.state import SandboxState

OPEN_ITEMS = ("pending", "sent")


def _journal(db_path: Path) -> dict[str, int]:
    return journal(db_path, "replies")


def _kill_when(proc: subprocess.Popen[bytes], db_path: Path, status: str, at_least: int) -> None:
    """kill -9 the run once the journal holds `at_least` reply items in `status`."""
    kill_9_when(proc, lambda: _journal(db_path).get(status, 0) >= at_least)


def _put_counts(sandbox_path: Path) -> dict[str, int]:
    state = SandboxState.open(sandbox_path)
    try:
        return state.reply_put_counts()
    finally:
        state.close()


def _approved_names(cli, workspace: str, env: dict[str, str] | None) -> set[str]:
    drafts = json.loads(cli("-w", workspace, "reviews", "replies", "list", "--json", env=env).stdout)
    reviews = json.loads(cli("-w", workspace, "reviews", "list", "--json", env=env).stdout)
    names = {r["review_id"]: r["name"] for r in reviews}
    return {names[d["review_id"]] for d in drafts if d["status"] in ("approved", "posted", "accepted", "rejected")}


def _until_settled(cli, workspace: str, env: dict[str, str] | None = None) -> None:
    """post again and again (faults may leave some open) until nothing is left open."""
    ws = config.open_workspace(workspace)
    for _ in range(20):
        result = cli("-w", workspace, "reviews", "replies", "post", "--yes", "--json", env=env)
        assert result.exit_code in (0, 3), result.stderr  # 3: Google kept failing; try again
        journal = _journal(ws.db_path)
        left = json.loads(cli("-w", workspace, "reviews", "replies", "list", "--status", "approved", "--json", env=env).stdout)
        if not any(journal.get(s) for s in OPEN_ITEMS) and not left:
            return
    raise AssertionError("post never settled")


def _prepare(cli, workspace: str, env: dict[str, str] | None, stores: str) -> set[str]:
    """Reviews synced (again until a fault-free pass), drafted, the 4-5 star ones approved."""
    for _ in range(10):
        result = cli("-w", workspace, "reviews", "sync", "--json", env=env)
        if result.exit_code in (0, 3) and json.loads(result.stdout)["finished"]:
            break
    assert cli("-w", workspace, "reviews", "draft", "--stores", stores, env=env).exit_code == 0
    assert cli("-w", workspace, "reviews", "replies", "approve", "--min-stars", "4", env=env).exit_code == 0
    return _approved_names(cli, workspace, env)


def test_kill_9_during_post_then_post_again_sends_each_approved_reply_once(cli):
    assert cli("init", "--sandbox", "--stores", "5").exit_code == 0
    cli.settings(http={"backoff_base": 0.001, "backoff_cap": 0.01}, limits={"project_qpm": 6000}, sandbox={"project_qpm": 100000})
    assert cli("locations", "sync").exit_code == 0
    ws = config.open_workspace("default")
    approved = _prepare(cli, "default", None, "all")
    assert len(approved) > 150

    for status, at_least in [("sent", 1), ("done", 30), ("done", 90)]:
        _kill_when(spawn(cli.home, "-q", "reviews", "replies", "post", "--yes"), ws.db_path, status, at_least)
        counts = _put_counts(ws.sandbox_path)
        assert set(counts.values()) <= {1}, {k: v for k, v in counts.items() if v > 1}
    assert len(_put_counts(ws.sandbox_path)) < len(approved)  # there was still work to finish

    _until_settled(cli, "default")
    counts = _put_counts(ws.sandbox_path)
    assert set(counts) == approved and set(counts.values()) == {1}
    assert set(_journal(ws.db_path)) == {"done"}


def test_faults_and_kill_9_over_real_http_send_each_approved_reply_once(cli, served, tmp_path):
    url = served(faults="429:0.1,503:0.05,reset:0.02", fault_seed=5, project_qpm=100000)
    env = {"LOCALCX_GOOGLE_ENDPOINT": url, "LOCALCX_GOOGLE_TOKEN": "test-token"}
    assert cli("-w", "live", "init", "--google").exit_code == 0
    cli.settings("live", http={"backoff_base": 0.001, "backoff_cap": 0.01, "timeout": 2.0}, limits={"project_qpm": 3000})
    assert cli("-w", "live", "locations", "sync", env=env).exit_code == 0
    ws = config.open_workspace("live")
    stores = json.loads(cli("-w", "live", "locations", "list", "--json", env=env).stdout)
    chosen = ",".join(s["store_code"] for s in stores[:2])  # each 429 costs a second (Retry-After: 1)
    approved = _prepare(cli, "live", env, chosen)
    assert len(approved) > 60
    sandbox_path = tmp_path / "served-0.db"

    for status, at_least in [("sent", 1), ("done", 15), ("done", 40)]:
        _kill_when(spawn(cli.home, "-w", "live", "-q", "reviews", "replies", "post", "--yes", env=env), ws.db_path, status, at_least)
        counts = _put_counts(sandbox_path)
        assert set(counts.values()) <= {1}, {k: v for k, v in counts.items() if v > 1}

    _until_settled(cli, "live", env=env)
    counts = _put_counts(sandbox_path)
    assert set(counts) == approved and set(counts.values()) == {1}
    with sqlite3.connect(ws.db_path) as conn:
        seen = {row[0] for row in conn.execute("select status from api_calls where method = 'PUT'")}
    assert seen - {200}, "the faults never hit a reply PUT"
