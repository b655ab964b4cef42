"""`reviews sync` through the CLI against the sandbox: the local copy equals Google's reviews
(none missing, none doubled), a sync with nothing new costs one request per 50 stores, new
and edited reviews arrive as simulated time passes, removals are marked by `--full`, alerts
exit 3 and feed the hook, and `kill -9` or faults over real HTTP lose nothing."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import Cli
from process_helpers import count, kill_9_when, spawn

from localcx import config
from localcx.clock import FakeClock
from localcx.sandbox import world_reviews
from localcx.sandbox.state import SandboxState

UNVERIFIED = {"TKY-002", "TKY-007"}  # the sandbox's stores without Voice of Merchant
DAY = 86400.0


def sandbox_reviews(sandbox_path: Path, now: float) -> dict[str, str]:
    """{review id: updateTime} of every review Google shows at `now` (verified stores)."""
    state = SandboxState.open(sandbox_path)
    try:
        out = {}
        for location in state.locations():
            if not (location.get("metadata") or {}).get("hasVoiceOfMerchant"):
                continue
            profile = world_reviews.profile_of(state.seed, location, state.reviews_per_store)
            for shown in world_reviews.view(profile, now).items:
                out[shown.review.review_id] = shown.update_time
        return out
    finally:
        state.close()


def local_reviews(db_path: Path) -> dict[str, str]:
    with sqlite3.connect(db_path, timeout=10) as conn:
        rows = conn.execute("select review_id, updated_at from reviews where removed_at is null").fetchall()
        total = conn.execute("select count(*), count(distinct review_id) from reviews").fetchone()
    assert total[0] == total[1]
    return dict(rows)


def review_requests(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute(
            "select count(*) from api_calls where path like '%/reviews%' or path like '%batchGetReviews%'"
        ).fetchone()[0])


def _verified_accounts(db_path: Path) -> set[str]:
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("select account, raw from locations").fetchall()
    return {account for account, raw in rows if json.loads(raw).get("metadata", {}).get("hasVoiceOfMerchant")}


def _virtual(cli: Cli) -> config.Workspace:
    cli.clock = FakeClock()
    assert cli("init", "--sandbox").exit_code == 0
    cli.settings(http={"backoff_base": 0.001, "backoff_cap": 0.01})
    assert cli("locations", "sync").exit_code == 0
    return config.open_workspace("default")


def _sync(cli: Cli, *args: str, code: int = 0) -> dict[str, object]:
    result = cli("reviews", "sync", "--json", *args)
    assert result.exit_code == code, result.stderr
    return dict(json.loads(result.stdout))


def test_the_local_copy_is_exactly_google_and_a_quiet_sync_costs_one_request(cli: Cli) -> None:
    ws = _virtual(cli)
    first = _sync(cli)
    truth = sandbox_reviews(ws.sandbox_path, cli.clock.now())
    assert local_reviews(ws.db_path) == truth
    assert first["new"] == len(truth) > 3000
    assert first["requests"] == review_requests(ws.db_path)
    assert sorted(s.split(":")[0] for s in first["skipped"]) == sorted(UNVERIFIED)  # type: ignore[union-attr]
    assert first["failures"] == [] and first["scored"] == len(truth)
    listed = [json.loads(line)["review_id"] for line in cli("reviews", "list", "--jsonl").stdout.splitlines()]
    assert len(listed) == len(set(listed)) == len(truth), "every review once, across pages of 1,000"

    before = review_requests(ws.db_path)
    second = _sync(cli)
    assert (second["new"], second["updated"]) == (0, 0)
    accounts = _verified_accounts(ws.db_path)
    assert second["requests"] == review_requests(ws.db_path) - before == len(accounts) == 2, (
        "28 quiet stores in 2 accounts: one batch call per account")
    assert local_reviews(ws.db_path) == truth


def test_new_and_edited_reviews_arrive_as_time_passes(cli: Cli) -> None:
    ws = _virtual(cli)
    _sync(cli)
    first_seen = set(local_reviews(ws.db_path))
    cli.clock.advance(45 * DAY)
    later = _sync(cli)
    truth = sandbox_reviews(ws.sandbox_path, cli.clock.now())
    assert later["new"] > 0 and later["updated"] > 0
    ours = local_reviews(ws.db_path)
    assert {k: ours.get(k) for k in truth} == truth, "new reviews stored, edited ones at their new updateTime"
    assert set(ours) - set(truth) <= first_seen, "the only extras are reviews Google removed (--full marks them)"
    assert later["requests"] < 28, "fewer requests than stores: batched"  # type: ignore[operator]


def test_full_marks_the_reviews_google_removed(cli: Cli) -> None:
    ws = _virtual(cli)
    _sync(cli)
    before = set(local_reviews(ws.db_path))
    cli.clock.advance(400 * DAY)
    _sync(cli)
    full = _sync(cli, "--full")
    truth = sandbox_reviews(ws.sandbox_path, cli.clock.now())
    gone = before - set(truth)
    assert gone, "the sandbox removes a few reviews over a year"
    assert full["removed"] == len(gone)
    assert local_reviews(ws.db_path) == truth
    listed = cli("reviews", "list", "--jsonl")
    assert not {json.loads(line)["review_id"] for line in listed.stdout.splitlines()} & gone


def test_alert_exits_3_on_new_low_star_reviews_and_pipes_each_to_the_hook(cli: Cli, tmp_path: Path) -> None:
    _virtual(cli)
    _sync(cli)
    quiet = cli("reviews", "sync", "--alert")
    assert quiet.exit_code == 0, "nothing new: nothing to page anyone about"
    cli.clock.advance(120 * DAY)
    got = tmp_path / "hook.jsonl"
    hook = f"{sys.executable} -c \"import sys; open(r'{got}', 'a', encoding='utf-8').write(sys.stdin.read())\""
    result = cli("reviews", "sync", "--alert", "--stars", "1-2", "--on-new", hook, "--json")
    summary = json.loads(result.stdout)
    assert summary["alerts"] > 0 and result.exit_code == 3
    lines = [json.loads(line) for line in got.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == summary["alerts"]
    assert {line["stars"] for line in lines} <= {1, 2}
    assert all(line["store_code"] and line["review_id"] and "label" in line for line in lines)


def test_a_first_sync_alerts_on_nothing_and_a_failing_hook_is_reported(cli: Cli) -> None:
    _virtual(cli)
    failing = f"{sys.executable} -c \"raise SystemExit(4)\""
    first = cli("reviews", "sync", "--alert", "--stars", "1-5", "--on-new", failing, "--json")
    assert first.exit_code == 0 and json.loads(first.stdout)["alerts"] == 0, "history is not news"
    cli.clock.advance(10 * DAY)
    result = cli("reviews", "sync", "--stars", "1-5", "--on-new", failing, "--json")
    assert json.loads(result.stdout)["alerts"] > 0
    assert result.exit_code == 3
    assert "--on-new command exited 4" in result.stderr


# -- kill -9 and faults ---------------------------------------------------------------------

def _kill_at(proc: subprocess.Popen[bytes], db_path: Path, at_least: int) -> None:
    kill_9_when(proc, lambda: count(db_path, "select count(*) from reviews") >= at_least)


def _until_finished(cli: Cli, *args: str, env: dict[str, str] | None = None) -> None:
    for _ in range(20):
        result = cli(*args, "reviews", "sync", "--json", env=env)
        assert result.exit_code in (0, 3, 4), result.stderr  # 3/4: Google kept failing; again
        if result.exit_code == 0:
            return
    raise AssertionError("reviews sync never finished")


def test_kill_9_mid_sync_then_sync_again_stores_each_review_once(cli: Cli) -> None:
    assert cli("init", "--sandbox").exit_code == 0
    cli.settings(http={"backoff_base": 0.001, "backoff_cap": 0.01}, limits={"project_qpm": 6000}, sandbox={"project_qpm": 100000})
    assert cli("locations", "sync").exit_code == 0
    ws = config.open_workspace("default")
    for at_least in (200, 1500, 3000):
        _kill_at(spawn(cli.home, "-q", "reviews", "sync"), ws.db_path, at_least)
    started = time.time()
    _until_finished(cli)
    ours = local_reviews(ws.db_path)
    assert set(sandbox_reviews(ws.sandbox_path, started)) <= set(ours) <= set(sandbox_reviews(ws.sandbox_path, time.time()))


def test_faults_and_kill_9_over_real_http_lose_and_double_nothing(cli: Cli, served: object, tmp_path: Path) -> None:
    url = served(faults="429:0.1,503:0.05,reset:0.02", fault_seed=3, project_qpm=100000)  # type: ignore[operator]
    env = {"LOCALCX_GOOGLE_ENDPOINT": url, "LOCALCX_GOOGLE_TOKEN": "test-token"}
    assert cli("-w", "live", "init", "--google").exit_code == 0
    cli.settings("live", http={"backoff_base": 0.001, "backoff_cap": 0.01, "timeout": 2.0}, limits={"project_qpm": 3000})
    assert cli("-w", "live", "locations", "sync", env=env).exit_code == 0
    ws = config.open_workspace("live")
    for at_least in (300, 2000):
        _kill_at(spawn(cli.home, "-w", "live", "-q", "reviews", "sync", env=env), ws.db_path, at_least)
    started = time.time()
    _until_finished(cli, "-w", "live", env=env)
    sandbox_path = tmp_path / "served-0.db"
    ours = local_reviews(ws.db_path)
    assert set(sandbox_reviews(sandbox_path, started)) <= set(ours) <= set(sandbox_reviews(sandbox_path, time.time()))
    with sqlite3.connect(ws.db_path) as conn:
        statuses = {row[0] for row in conn.execute("select status from api_calls where path like '%review%'")}
    assert statuses - {200}, "the faults hit the review reads"


def test_alert_pages_once_for_each_reply_google_rejected(cli: Cli, tmp_path: Path) -> None:
    _virtual(cli)
    _sync(cli)
    assert cli("reviews", "draft", "--stars", "4-5", "--unreplied").exit_code == 0
    assert cli("reviews", "replies", "approve", "--min-stars", "4").exit_code == 0
    posted = cli("reviews", "replies", "post", "--yes", "--json")
    assert posted.exit_code == 0, posted.stderr
    assert json.loads(posted.stdout)["counts"]["done"] > 40
    cli.clock.advance(600)  # Google's moderation has decided
    got = tmp_path / "hook.jsonl"
    hook = f"{sys.executable} -c \"import sys; open(r'{got}', 'a', encoding='utf-8').write(sys.stdin.read())\""
    result = cli("reviews", "sync", "--alert", "--stars", "1", "--on-new", hook, "--json")
    summary = json.loads(result.stdout)
    assert summary["rejected_replies"] > 0 and result.exit_code == 3
    lines = [json.loads(line) for line in got.read_text(encoding="utf-8").splitlines()]
    rejected = [line for line in lines if line["event"] == "reply_rejected"]
    assert len(rejected) == summary["rejected_replies"] and all(line["reason"] for line in rejected)
    listed = cli("reviews", "replies", "list", "--status", "rejected", "--json")
    assert {d["id"] for d in json.loads(listed.stdout)} == {line["draft_id"] for line in rejected}
    again = cli("reviews", "sync", "--alert", "--stars", "1", "--json")
    assert json.loads(again.stdout)["rejected_replies"] == 0, "each rejection pages once"


def test_a_quota_stop_exits_4_and_names_the_command_that_finishes(cli: Cli) -> None:
    ws = _virtual(cli)
    cli.settings(sandbox={"faults": "429:1.0"})
    stopped = cli("reviews", "sync")
    assert stopped.exit_code == 4, stopped.stderr
    assert "localcx reviews sync" in stopped.stderr and "bug" not in stopped.stderr
    cli.settings(sandbox={"faults": ""})
    assert cli("reviews", "sync").exit_code == 0
    assert local_reviews(ws.db_path) == sandbox_reviews(ws.sandbox_path, cli.clock.now())
