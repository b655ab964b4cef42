"""`insights show` and `insights keywords` read what a sync stored: totals that match the
database, the change against the previous period, metric names people use, 80 columns."""

from __future__ import annotations

import csv
import io
import sqlite3
from typing import Any

import pytest
from conftest import Cli
from rich.cells import cell_len
from rich.text import Text

from localcx import config
from localcx.clock import FakeClock
from localcx.commands._common import Environment
from localcx.commands.main import app
from localcx.render import Terminal

STORES = "TKY-001,SEA-001"
END = "2026-09-20"


@pytest.fixture(scope="module")
def synced_home(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One synced workspace for every read-only test here (syncing is what takes time)."""
    home = tmp_path_factory.mktemp("insights")
    mp = pytest.MonkeyPatch()
    mp.setenv("LOCALCX_HOME", str(home / "home"))
    for name in ("LOCALCX_WORKSPACE", "LOCALCX_GOOGLE_ENDPOINT", "LOCALCX_GOOGLE_TOKEN", "NO_COLOR"):
        mp.delenv(name, raising=False)
    from typer.testing import CliRunner

    cli = Cli(home / "home", CliRunner(), FakeClock())
    assert cli("init", "--sandbox").exit_code == 0
    cli.settings(http={"backoff_base": 0.001, "backoff_cap": 0.01})
    assert cli("locations", "sync").exit_code == 0
    synced = cli("insights", "sync", "--stores", STORES)
    assert synced.exit_code == 0, synced.stderr
    yield cli
    mp.undo()


def _db_sum(cli: Cli, code: str, metric: str, start: str, end: str) -> int:
    db_path = config.open_workspace("default").db_path
    with sqlite3.connect(db_path) as conn:
        return int(conn.execute(
            "select coalesce(sum(d.value), 0) from insights_daily d join locations l on l.location_id = d.location_id "
            "where l.store_code = ? and d.metric = ? and d.day between ? and ?", [code, metric, start, end]
        ).fetchone()[0])


def test_show_totals_and_change_match_the_database(synced_home: Cli) -> None:
    cli = synced_home
    shown = cli.json("insights", "show", "--stores", STORES, "--metric", "calls", "--by", "day")
    assert [(r["store_code"], r["metric"], r["name"]) for r in shown] == [
        ("SEA-001", "CALL_CLICKS", "Calls"), ("TKY-001", "CALL_CLICKS", "Calls")]
    row = shown[1]
    assert (row["start"], row["end"]) == ("2026-08-24", END), "28 days ending on the last day stored"
    assert (row["previous_start"], row["previous_end"]) == ("2026-07-27", "2026-08-23")
    assert row["total"] == _db_sum(cli, "TKY-001", "CALL_CLICKS", row["start"], END)
    assert row["previous"] == _db_sum(cli, "TKY-001", "CALL_CLICKS", "2026-07-27", "2026-08-23")
    assert row["change_pct"] == round((row["total"] - row["previous"]) * 100 / row["previous"], 1)
    assert len(row["series"]) == 28 and sum(b["value"] for b in row["series"]) == row["total"]


def test_weeks_months_and_combined_stores_add_up(synced_home: Cli) -> None:
    cli = synced_home
    weekly = cli.json("insights", "show", "--stores", STORES, "--metric", "WEBSITE_CLICKS")
    assert all(len(r["series"]) == 12 and sum(b["value"] for b in r["series"]) == r["total"] for r in weekly)
    combined = cli.json("insights", "show", "--stores", STORES, "--metric", "website", "--combined")
    assert len(combined) == 1 and combined[0]["store_code"] == "all"
    assert combined[0]["total"] == sum(r["total"] for r in weekly)
    monthly = cli.json("insights", "show", "--stores", "TKY-001", "--metric", "directions", "--by", "month",
                       "--since", "2026-01-01")
    assert [b["period"] for b in monthly[0]["series"]][:2] == ["2026-01-01", "2026-02-01"]
    assert len(monthly[0]["series"]) == 9


def test_metric_names_groups_and_did_you_mean(synced_home: Cli) -> None:
    cli = synced_home
    views = cli.json("insights", "show", "--stores", "TKY-001", "--metric", "views")
    assert [r["metric"] for r in views] == ["BUSINESS_IMPRESSIONS_MOBILE_MAPS", "BUSINESS_IMPRESSIONS_DESKTOP_MAPS",
                                            "BUSINESS_IMPRESSIONS_MOBILE_SEARCH", "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH"]
    same = cli.json("insights", "show", "--stores", "TKY-001", "--metric", "Maps views (mobile)", "--metric", "maps_mobile")
    assert [r["metric"] for r in same] == ["BUSINESS_IMPRESSIONS_MOBILE_MAPS"]
    assert len(cli.json("insights", "show", "--stores", "TKY-001", "--metric", "all")) == 12
    wrong = cli("insights", "show", "--metric", "clals")
    assert wrong.exit_code == 2 and 'did you mean "calls"' in wrong.stderr


def test_show_csv_has_one_row_per_bucket(synced_home: Cli) -> None:
    result = synced_home("insights", "show", "--stores", STORES, "--metric", "calls", "--csv")
    assert result.exit_code == 0, result.stderr
    parsed = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(parsed) == 2 * 12 and set(parsed[0]) == {"store_code", "location_id", "metric", "name", "period", "value"}


def _at_terminal(cli: Cli, *args: str) -> tuple[int, str, str]:
    terminal = Terminal(io.StringIO(), io.StringIO(), io.StringIO(), stdout_tty=True, stderr_tty=False,
                        stdin_tty=True, no_color=True, width=80)
    result = cli.runner.invoke(app, list(args), obj=Environment(terminal=terminal, clock=cli.clock),
                               catch_exceptions=False)
    assert isinstance(terminal.stdout, io.StringIO) and isinstance(terminal.stderr, io.StringIO)
    plain = "\n".join(Text.from_ansi(line).plain for line in terminal.stdout.getvalue().splitlines())
    return result.exit_code, plain, terminal.stderr.getvalue()


def test_tables_fit_80_columns_with_friendly_names_and_sparklines(synced_home: Cli) -> None:
    code, out, err = _at_terminal(synced_home, "insights", "show", "--stores", STORES, "--by", "day")
    assert code == 0, err
    assert all(cell_len(line) <= 80 for line in out.splitlines())
    assert "Search views (desktop)" in out and "Directions" in out and "%" in out
    assert any(ch in out for ch in "▁▂▃▄▅▆▇█")
    assert "2026-08-24 to 2026-09-20" in err
    code, out, err = _at_terminal(synced_home, "insights", "keywords", "--stores", STORES, "--limit", "30")
    assert code == 0, err
    assert all(cell_len(line) <= 80 for line in out.splitlines())
    assert "<15" in out and "ラーメン" in out and "coffee near me" in out


def test_keywords_json_rank_change_and_thresholds(synced_home: Cli) -> None:
    cli = synced_home
    listed = cli.json("insights", "keywords", "--stores", STORES, "--month", "2026-08", "--limit", "5")
    assert {r["store_code"] for r in listed} == {"SEA-001", "TKY-001"}
    assert set(listed[0]) == {"store_code", "location_id", "month", "rank", "keyword", "value", "threshold",
                              "previous_value", "previous_threshold", "change"}
    for code in ("SEA-001", "TKY-001"):
        mine = [r for r in listed if r["store_code"] == code]
        assert [r["rank"] for r in mine] == [1, 2, 3, 4, 5]
        values = [r["value"] for r in mine if r["value"] is not None]
        assert values == sorted(values, reverse=True)
        for r in mine:
            if r["value"] is not None and r["previous_value"] is not None:
                assert r["change"] == r["value"] - r["previous_value"]
    latest = cli.json("insights", "keywords", "--stores", "TKY-001", "--limit", "1")
    assert latest[0]["month"] == "2026-08"
    bad = cli("insights", "keywords", "--month", "2026-13")
    assert bad.exit_code == 2 and "YYYY-MM" in bad.stderr


def test_views_before_any_sync_say_what_to_run(cli: Cli) -> None:
    assert cli("init", "--sandbox").exit_code == 0
    assert cli("locations", "sync").exit_code == 0
    for args in (("insights", "show"), ("insights", "keywords")):
        result = cli(*args)
        assert result.exit_code == 1 and "insights sync" in result.stderr
