"""Rank scans through the CLI on the sandbox: a full 9×9 × 2 keywords × 30 stores scan at
Google's real Places limit on a virtual clock, run-due, budgets, and every view of a scan."""

from __future__ import annotations

import json
import re

from conftest import Cli
from rank_helpers import billed, points, search_requests

from localcx import config
from localcx.clock import FakeClock

NO_PLACE_ID = ["TKY-002", "TKY-007"]  # the sandbox's listings that are not on Maps


def _virtual(cli: Cli) -> config.Workspace:
    cli.clock = FakeClock()
    assert cli("init", "--sandbox").exit_code == 0
    cli.settings(http={"backoff_base": 0.001, "backoff_cap": 0.01})
    assert cli("locations", "sync").exit_code == 0
    return config.open_workspace("default")


def test_a_9x9_scan_of_2_keywords_on_30_stores_makes_the_estimated_requests(cli: Cli) -> None:
    ws = _virtual(cli)
    added = cli("rank", "keywords", "add", "ramen", "coffee", "--grid", "9", "--spacing", "500m")
    assert added.exit_code == 0, added.stderr
    assert "60 new keywords" in added.stderr
    estimate = cli("rank", "estimate", "--json")
    figures = json.loads(estimate.stdout)
    assert figures["requests"] == 28 * 2 * 81
    assert sorted(line.split(":")[0] for line in figures["skipped"]) == sorted(NO_PLACE_ID * 2)
    started = cli.clock.now()
    result = cli("rank", "scan", "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["status"] == "done" and len(summary["scans"]) == 60
    assert summary["requests"] == figures["requests"] == search_requests(ws)
    assert search_requests(ws, answered=False) == figures["requests"], "no retries on the sandbox"
    assert points(ws) == (4536, 4536, 4536), "exactly one searchText per point at depth 20"
    bill = billed(ws.sandbox_path)
    assert bill["ids_only"] == figures["requests"]
    assert sum(bill.values()) - bill["ids_only"] == summary["competitor_calls"] > 0
    for store in NO_PLACE_ID:
        assert f"skipped {store}: no place id" in result.stderr
    assert "not ranked" not in result.stderr
    # Google's Places limit (600 a minute, less the headroom) on virtual time: used, not passed.
    minutes = (cli.clock.now() - started) / 60
    assert 0.85 <= (figures["requests"] + summary["competitor_calls"]) / minutes / 600 <= 1.0
    history = cli.json("rank", "history")
    assert {h["status"] for h in history if h["store_code"] in NO_PLACE_ID} == {"no place id"}
    assert all("atrp" in h for h in history if h["store_code"] not in NO_PLACE_ID)
    refused = cli("rank", "show", next(h["id"] for h in history if h["store_code"] == "TKY-002"))
    assert refused.exit_code == 1 and "no place id" in refused.stderr


def test_run_due_twice_scans_once(cli: Cli) -> None:
    ws = _virtual(cli)
    assert cli("rank", "keywords", "add", "ramen", "--stores", "TKY-001", "--grid", "3", "--every", "week", "--at", "2020-01-06 06:00").exit_code == 0
    first = cli("rank", "run-due", "--now", "2020-01-07 00:00", "--json")
    assert first.exit_code == 0, first.stderr
    assert len(json.loads(first.stdout)["scans"]) == 1
    second = cli("rank", "run-due", "--now", "2020-01-07 00:00", "--json")
    assert second.exit_code == 0, second.stderr
    assert json.loads(second.stdout)["scans"] == [] and "Nothing due" in second.stderr
    assert search_requests(ws) == 9 and len(cli.json("rank", "history")) == 1


def test_a_budget_below_the_estimate_stops_before_the_request_that_would_pass_it(cli: Cli) -> None:
    ws = _virtual(cli)
    cli.settings(rank={"ids_only": 1000.0})  # $1 a request
    assert cli("rank", "keywords", "add", "ramen", "--stores", "TKY-001", "--grid", "5").exit_code == 0
    assert json.loads(cli("rank", "estimate", "--json").stdout)["cost"] == "25.00"
    stopped = cli("rank", "scan", "--budget", "10")
    assert stopped.exit_code == 4, stopped.stderr
    assert "budget" in stopped.stderr and "rank scan --resume" in stopped.stderr
    assert search_requests(ws) == 10 and points(ws)[1] == 10
    finished = cli("rank", "scan", "--resume", "--budget", "100", "--json")
    assert finished.exit_code == 0, finished.stderr
    assert json.loads(finished.stdout)["status"] == "done"
    assert search_requests(ws) == 25 and points(ws) == (25, 25, 25)
    assert billed(ws.sandbox_path)["ids_only"] == 25


def test_show_history_competitors_and_change_on_a_second_scan(cli: Cli, tmp_path, monkeypatch) -> None:
    _virtual(cli)
    assert cli("rank", "keywords", "add", "ramen", "--stores", "TKY-001", "--grid", "5", "--spacing", "500m").exit_code == 0
    assert cli("rank", "scan").exit_code == 0
    cli.clock.advance(7 * 86400)  # a week on: the sandbox's ranking moves day by day
    assert cli("rank", "scan").exit_code == 0
    history = cli.json("rank", "history")
    assert [h["status"] for h in history] == ["done", "done"]
    latest = history[-1]["id"]

    shown = cli.json("rank", "show", latest)
    assert sorted(p["index"] for p in shown["points"]) == list(range(25))
    assert all(p["place_ids"] is not None for p in shown["points"])
    assert shown["change"] is not None and shown["change"]["comparable"]
    assert shown["metrics"]["points"] == 25 and shown["competitors"]
    assert all(c["name"] and not c["name"].startswith("ChIJ") for c in shown["competitors"])

    out = tmp_path / "grid.geojson"
    assert cli("rank", "show", latest, "--json", "--geojson", str(out)).exit_code == 0
    geo = json.loads(out.read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 25
    for feature in geo["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lng, lat = feature["geometry"]["coordinates"]
        assert 139 < lng < 141 and 35 < lat < 36  # [longitude, latitude], Tokyo

    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    human = cli("rank", "show", latest)
    assert human.exit_code == 0, human.stderr
    lines = human.stdout.splitlines()
    assert "Places API rank" in human.stdout and "\x1b[" not in human.stdout
    assert max(len(line) for line in lines) <= 80
    assert sum(1 for line in lines if re.search(r"(\s*\[?\s*(\d+|–)\]?){5}", line)) >= 5
    assert "change since previous" in human.stdout and "no comparable scan" not in human.stdout
    assert "Top competitors" in human.stdout

    people = cli("rank", "history")
    assert re.search(r"TKY-001 “ramen”: [▁▂▃▄▅▆▇█ ]{2}", people.stderr)
    table = cli.json("rank", "history")
    assert all(isinstance(h["arp"], float) and 1 <= h["atrp"] <= 21 and 0 <= h["solv"] <= 1 for h in table)

    rivals = cli.json("rank", "competitors")
    assert rivals and all(r["store_code"] == "TKY-001" and r["points_ahead"] >= 1 for r in rivals)
    assert rivals == sorted(rivals, key=lambda r: -r["points_ahead"])
    assert any(r["name"] for r in rivals)


def test_keywords_add_refuses_a_bad_grid_or_spacing_and_remove_stops_tracking(cli: Cli) -> None:
    _virtual(cli)
    bad_grid = cli("rank", "keywords", "add", "ramen", "--grid", "8")
    assert bad_grid.exit_code == 2 and "odd" in bad_grid.stderr
    bad_spacing = cli("rank", "keywords", "add", "ramen", "--spacing", "5parsecs")
    assert bad_spacing.exit_code == 2 and "500m" in bad_spacing.stderr
    assert cli.json("rank", "keywords", "list") == []
    assert cli("rank", "keywords", "add", "ramen", "udon", "--stores", "TKY-001").exit_code == 0
    removed = cli("rank", "keywords", "remove", "udon", "--stores", "TKY-001")
    assert removed.exit_code == 0 and "1 keyword" in removed.stderr
    assert [k["keyword"] for k in cli.json("rank", "keywords", "list")] == ["ramen"]
    gone = cli("rank", "keywords", "remove", "udon")
    assert gone.exit_code == 2 and "rank keywords add" in gone.stderr
