"""`insights sync` through the CLI on the in-process sandbox and a virtual clock: 18 months
first, only the overlap window the second time, resume after an interruption, a refused
store failing alone, and thresholds kept as thresholds."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

from localcx import config
from localcx.clock import FakeClock
from localcx.google.performance import PerformanceApi

STORES = "TKY-001,TKY-003,SEA-001,SEA-004"
DAY = 86_400.0
FIRST_YESTERDAY = date(2026, 9, 20)  # FakeClock() starts 2026-09-21 13:33 UTC: the 21st in Tokyo and Seattle
REQUESTS_PER_NEW_STORE = 1 + 12  # one daily request with every metric, one per keyword month


def _virtual(cli: Cli, **http: Any) -> config.Workspace:
    cli.clock = FakeClock()
    assert cli("init", "--sandbox").exit_code == 0
    cli.settings(http={"backoff_base": 0.001, "backoff_cap": 0.01, **http})
    assert cli("locations", "sync").exit_code == 0
    return config.open_workspace("default")


def _record_daily(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, date, date]]:
    """Every daily request's (location, start, end), passed on to the real client."""
    seen: list[tuple[str, date, date]] = []
    real = PerformanceApi.daily

    def daily(self: PerformanceApi, location_id: str, metrics: Any, start: date, end: date) -> dict:
        seen.append((location_id, start, end))
        return real(self, location_id, metrics, start, end)

    monkeypatch.setattr(PerformanceApi, "daily", daily)
    return seen


def _performance_calls(ws: config.Workspace) -> int:
    with sqlite3.connect(ws.db_path) as conn:
        return int(conn.execute(
            "select count(*) from api_calls where service = 'businessprofileperformance' and status = 200"
        ).fetchone()[0])


def _query(ws: config.Workspace, sql: str, *params: Any) -> list[tuple]:
    with sqlite3.connect(ws.db_path) as conn:
        return conn.execute(sql, params).fetchall()


def test_a_second_sync_fetches_only_the_overlap_window(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _virtual(cli)
    daily = _record_daily(monkeypatch)
    first = cli.json("insights", "sync", "--stores", STORES)
    assert first["status"] == "done" and first["stores"] == 4 and first["failures"] == []
    assert first["requests"] == 4 * REQUESTS_PER_NEW_STORE == _performance_calls(ws)
    assert {(s, e) for _, s, e in daily} == {(date(2025, 3, 21), FIRST_YESTERDAY)}, "18 months in one request"
    assert first["days"] == 4 * 549 and first["daily_values"] == 4 * 549 * 12
    cli.clock.advance(DAY)
    second = cli.json("insights", "sync", "--stores", STORES)
    assert second["requests"] == 4 * 2 == _performance_calls(ws) - first["requests"]
    again = daily[4:]
    assert len(again) == 4 and {loc for loc, _, _ in again} == {loc for loc, _, _ in daily[:4]}
    assert {(s, e) for _, s, e in again} == {(date(2026, 9, 17), date(2026, 9, 21))}, "3 days' overlap, then the new day"
    assert second["days"] == 4 * 5
    rows = _query(ws, "select count(*), min(day), max(day) from insights_daily where metric = 'CALL_CLICKS'")
    assert rows == [(4 * 550, "2025-03-21", "2026-09-21")], "the overlap replaced rows, it did not add any"


def test_every_daily_metric_is_stored_and_a_missing_value_is_zero(cli: Cli) -> None:
    ws = _virtual(cli)
    assert cli("insights", "sync", "--stores", "TKY-001").exit_code == 0
    metrics = {m for (m,) in _query(ws, "select distinct metric from insights_daily")}
    assert len(metrics) == 12 and "MESSAGING_CLICKS" in metrics
    zeros, nulls = _query(ws, "select sum(value = 0), sum(value is null) from insights_daily")[0]
    assert zeros > 0 and nulls == 0


def test_thresholds_are_kept_as_thresholds(cli: Cli) -> None:
    ws = _virtual(cli)
    assert cli("insights", "sync", "--stores", "TKY-001,SEA-001").exit_code == 0
    bounded, both, neither = _query(ws, "select sum(value is null and threshold is not null), "
                                        "sum(value is not null and threshold is not null), "
                                        "sum(value is null and threshold is null) from search_keywords_monthly")[0]
    assert bounded > 0 and both == 0 and neither == 0
    months = {m for (m,) in _query(ws, "select distinct month from search_keywords_monthly")}
    assert months == {f"2025-{m:02d}" for m in range(9, 13)} | {f"2026-{m:02d}" for m in range(1, 9)}
    listed = cli.json("insights", "keywords", "--stores", "TKY-001", "--limit", "50")
    small = [k for k in listed if k["threshold"] is not None]
    assert small and all(k["value"] is None and k["change"] is None for k in small)
    assert any("ラーメン" in k["keyword"] for k in listed)


def test_an_interrupted_sync_resumes_with_only_the_open_stores(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = _virtual(cli, workers=1)
    real = PerformanceApi.keywords_page
    calls = {"n": 0}

    def interrupted(self: PerformanceApi, *args: Any, **kwargs: Any) -> dict:
        calls["n"] += 1
        if calls["n"] == 12 * 2 + 5:  # inside the third store
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(PerformanceApi, "keywords_page", interrupted)
    stopped = cli("insights", "sync", "--stores", STORES, "--json")
    assert stopped.exit_code == 130, stopped.stderr
    done = {loc for (loc,) in _query(ws, "select location_id from insights_marks")}
    assert len(done) == 2
    monkeypatch.setattr(PerformanceApi, "keywords_page", real)
    daily = _record_daily(monkeypatch)
    resumed = cli.json("insights", "sync", "--stores", STORES)
    assert resumed["status"] == "done" and resumed["stores"] == 2 and len(resumed["runs"]) == 1
    assert resumed["requests"] == 2 * REQUESTS_PER_NEW_STORE
    assert not done & {loc for loc, _, _ in daily}, "finished stores are not fetched again"
    assert len(_query(ws, "select location_id from insights_marks")) == 4


def test_a_store_google_refuses_fails_alone_with_exit_3(cli: Cli) -> None:
    ws = _virtual(cli, workers=1)
    cli.settings(sandbox={"faults": "404@locations.fetchMultiDailyMetricsTimeSeries:x1"})
    result = cli("insights", "sync", "--stores", STORES, "--json")
    assert result.exit_code == 3, result.stderr
    summary = json.loads(result.stdout)
    assert [f["store"] for f in summary["failures"]] == ["SEA-001"] and "404" in summary["failures"][0]["error"]
    assert "failed SEA-001" in result.stderr
    assert len(_query(ws, "select location_id from insights_marks")) == 3
    cli.settings(sandbox={"faults": ""})
    retried = cli.json("insights", "sync", "--stores", "SEA-001")
    assert retried["failures"] == [] and retried["requests"] == REQUESTS_PER_NEW_STORE


def test_since_refetches_from_that_day_and_is_checked(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    _virtual(cli)
    daily = _record_daily(monkeypatch)
    summary = cli.json("insights", "sync", "--stores", "TKY-001", "--since", "2026-08-10")
    assert daily == [(daily[0][0], date(2026, 8, 10), FIRST_YESTERDAY)]
    assert summary["requests"] == 1 + 1, "and the one keyword month since then"
    for bad, why in (("2020-12-31", "2021-01-01"), ("yesterday", "not a date")):
        refused = cli("insights", "sync", "--since", bad)
        assert refused.exit_code == 2 and why in refused.stderr


def test_sync_json_shape(cli: Cli) -> None:
    _virtual(cli)
    summary = cli.json("insights", "sync", "--stores", "SEA-001")
    assert set(summary) == {"runs", "status", "stores", "requests", "days", "daily_values", "keywords", "failures"}
    assert summary["runs"][0].startswith("run-") and summary["keywords"] > 0


def _marks(db_path: Path) -> int:
    try:
        with sqlite3.connect(db_path, timeout=5) as conn:
            return int(conn.execute("select count(*) from insights_marks").fetchone()[0])
    except sqlite3.OperationalError:  # no table yet, or the syncing process holds the lock
        return 0


def test_kill_9_mid_sync_then_a_rerun_finishes_only_the_rest(cli: Cli) -> None:
    assert cli("init", "--sandbox").exit_code == 0
    cli.settings(limits={"project_qpm": 600}, sandbox={"project_qpm": 600}, http={"workers": 1})
    assert cli("locations", "sync").exit_code == 0
    ws = config.open_workspace("default")
    proc = subprocess.Popen(
        [sys.executable, "-m", "localcx", "-q", "insights", "sync", "--stores", STORES],
        env={**os.environ, "LOCALCX_HOME": str(cli.home)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None and _marks(ws.db_path) < 1:
        time.sleep(0.02)
    assert proc.poll() is None, f"the sync ended before it could be killed: {proc.communicate()[1].decode()}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    done = _marks(ws.db_path)
    assert 1 <= done < 4
    cli.settings(limits={"project_qpm": 30000}, sandbox={"project_qpm": 30000})
    resumed = cli.json("insights", "sync", "--stores", STORES)
    assert resumed["status"] == "done" and resumed["stores"] == 4 - done
    assert _marks(ws.db_path) == 4
    per_store = _query(ws, "select count(distinct day) from insights_daily group by location_id")
    assert len(per_store) == 4 and len({n for (n,) in per_store}) == 1


def test_over_real_http_429_and_503_are_retried_by_the_transport(cli: Cli, served) -> None:
    url = served(faults="503@locations.fetchMultiDailyMetricsTimeSeries:x2,"
                        "429@searchkeywords.impressions.monthly.list:x2", project_qpm=100000)
    env = {"LOCALCX_GOOGLE_ENDPOINT": url, "LOCALCX_GOOGLE_TOKEN": "test-token"}
    assert cli("-w", "live", "init", "--google").exit_code == 0
    cli.settings("live", http={"backoff_base": 0.001, "backoff_cap": 0.01, "timeout": 5.0},
                 limits={"project_qpm": 6000})
    assert cli("-w", "live", "locations", "sync", env=env).exit_code == 0
    result = cli("-w", "live", "insights", "sync", "--stores", "TKY-001", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["failures"] == [] and summary["requests"] == REQUESTS_PER_NEW_STORE
    ws = config.open_workspace("live")
    statuses = [s for (s,) in _query(ws, "select status from api_calls where service = 'businessprofileperformance' order by id")]
    assert statuses.count(503) == 2 and statuses.count(429) == 2 and statuses.count(200) == REQUESTS_PER_NEW_STORE
    assert _query(ws, "select count(distinct metric) from insights_daily") == [(12,)]
