"""`localcx status`: the board across stores, its rules and exit codes (0 when nothing
needs a person, 3 when something does), --json for monitoring, and 80 columns without
colour. Built through the CLI on the sandbox; reviews are INTERIM direct inserts (the
reviews owner module is not on this branch yet)."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime, timedelta

from conftest import Cli, workspace
from posts_helpers import STANDARD, write

from localcx.clock import Clock
from localcx.posts import queue
from localcx.runs.journal import Journal, NewItem, RunStatus
from localcx.session import Session


def _conn(cli: Cli) -> sqlite3.Connection:
    return sqlite3.connect(cli.home / "workspaces" / "default" / "localcx.db")


def _board(cli: Cli, *args: str, code: int) -> dict:
    result = cli("status", "--json", *args)
    assert result.exit_code == code, result.stderr
    return json.loads(result.stdout)


def _store(data: dict, code: str) -> dict:
    return next(s for s in data["stores"] if s["store"] == code)


def _review(
    cli: Cli, code: str, stars: int, reply: str | None, state: str | None = None, n: int = 0, days_ago: int = 10
) -> None:
    """INTERIM: a review written straight into the table `reviews sync` will own."""
    with _conn(cli) as conn:
        lid = conn.execute("select location_id from locations where store_code = ?", [code]).fetchone()[0]
        when = (datetime.now(UTC) - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
        conn.execute(
            "insert into reviews (review_id, location_id, store_code, stars, created_at, updated_at, reply_comment, reply_state) "
            "values (?, ?, ?, ?, ?, ?, ?, ?)",
            [f"r-{code}-{stars}-{n}", lid, code, stars, when, when, reply, state],
        )


def test_a_fresh_workspace_needs_nobody_and_exits_0(synced: Cli) -> None:
    data = _board(synced, code=0)
    assert data["needs_attention"] is False and data["stores_needing_attention"] == 0
    assert len(data["stores"]) == 30 and data["runs"] == []
    assert "unreplied 1–2★ review" in data["rules"]
    shown = synced("status")
    assert shown.exit_code == 0
    assert "30 stores · 0 need a person" in shown.stdout


def test_an_unreplied_low_review_needs_a_person_and_sorts_first(synced: Cli) -> None:
    _review(synced, "SEA-010", 1, None)
    _review(synced, "SEA-010", 5, None, n=1)
    _review(synced, "SEA-011", 2, "Sorry about that")  # replied: fine
    data = _board(synced, code=3)
    assert data["needs_attention"] is True and data["stores_needing_attention"] == 1
    first = data["stores"][0]
    assert first["store"] == "SEA-010"
    assert (first["unreplied"], first["unreplied_negative"], first["negative_share"]) == (2, 1, 0.5)
    assert first["needs"] == ["1 unreplied 1–2★ review"]
    assert _store(data, "SEA-011")["needs"] == []
    # An unreplied 1–2★ review from long ago is counted but does not keep the board red.
    _review(synced, "SEA-012", 1, None, days_ago=400)
    old = _store(_board(synced, "--stores", "SEA-012", code=0), "SEA-012")
    assert (old["unreplied_negative"], old["needs"]) == (1, [])
    # The selection narrows the board, and with it the exit code.
    assert _board(synced, "--stores", "SEA-011", code=0)["stores_needing_attention"] == 0


def test_rejected_posts_replies_drift_and_a_partial_run_each_need_a_person(synced: Cli, tmp_path) -> None:
    template = write(tmp_path / "t.toml", STANDARD)
    synced("posts", "add", str(template), "--at", "2020-01-01 09:00")
    assert synced("posts", "run-due").exit_code == 0
    ws = workspace()
    with Session(ws) as session:
        post = queue.published(session.db)[0]
        queue.update_state(session.db, post.id, "REJECTED", None, Clock())  # as `posts sync` records it
        journal = Journal(session.db, Clock(), "profiles")
        run = journal.open_run("apply", [NewItem("x", "SEA-001", {})])
        journal.finish(run, RunStatus.PARTIAL)
    _review(synced, "SEA-012", 4, "Thanks", state="REJECTED")
    drift = synced("profiles", "drift")
    assert drift.exit_code == 3, drift.stderr  # drift left unresolved
    data = _board(synced, code=3)
    assert _store(data, post.store_code)["posts_rejected"] == 1
    assert "1 rejected post" in _store(data, post.store_code)["needs"]
    assert _store(data, "SEA-012")["needs"] == ["1 rejected reply"]
    drifted = [s for s in data["stores"] if s["open_drift"]]
    assert drifted and all(any("open drift" in n for n in s["needs"]) for s in drifted)
    assert data["runs"] == [{"area": "profiles", "id": run, "status": "partial", "failed": 0, "open": 1}]
    shown = synced("status")
    assert shown.exit_code == 3
    assert f"! profiles run {run} is partial" in shown.stdout
    assert f"! {post.store_code}: " in shown.stdout and "1 rejected post" in shown.stdout


def test_the_board_fits_80_columns_without_colour(synced: Cli) -> None:
    _review(synced, "TKY-003", 1, None)
    result = synced("status", env={"NO_COLOR": "1", "COLUMNS": "80"})
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert "\x1b[" not in result.stdout
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    header = next(line for line in lines if line.startswith("store"))
    assert re.split(r"\s+", header.strip()) == ["store", "rating", "trend", "unreplied", "negative", "arp", "drift", "posts"]
    assert any(line.startswith("TKY-003") and "1 (1 low)" in line for line in lines)
    assert "… 10 more stores (all of them with --json)" in result.stdout
    assert "! TKY-003: 1 unreplied 1–2★ review" in result.stdout
