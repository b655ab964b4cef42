"""`localcx demo` end to end through the CLI, in a private LOCALCX_HOME.

The demo paces its profile steps to Google's quotas on the real clock, so this takes
about 15 seconds; it asserts what is printed, never how long it took."""

from __future__ import annotations

import re

from conftest import Cli


def test_demo_runs_a_campaign_and_shows_a_rejected_post(cli: Cli) -> None:
    result = cli("demo")
    assert result.exit_code == 0, result.stderr
    shown = result.stdout + result.stderr
    assert "posts preview weekly-special.toml --stores all" in shown
    assert re.search(r"posts run-due → done \d+", shown)
    assert re.search(r"REJECTED \d+ posts?", shown)
    assert re.search(r"SEA-002\s+post-\S+\s+LIVE\s+REJECTED", shown)
    assert re.search(r"rank keywords add ramen --stores TKY-001 --grid 7 .* → 49 points", shown)
    assert "Places API rank" in shown and "TKY-001 · “ramen” · 7×7" in shown
    assert re.search(r"ARP [\d.–]+ · ATRP [\d.–]+ · SoLV \d+%", shown)
    assert "{" not in shown  # no dict reprs (or unrendered templates)
    assert not re.search(r"\b(True|False|None)\b", shown)
    listed = cli.json("-w", "demo", "posts", "list", "--status", "published")
    assert any(p["google_state"] == "REJECTED" for p in listed)
    scans = cli.json("-w", "demo", "rank", "history")
    assert [(s["store_code"], s["grid"], s["status"]) for s in scans] == [("TKY-001", "7x7", "done")]
    again = cli("-w", "demo", "posts", "sync")  # later commands see the same states
    assert again.exit_code == 0, again.stderr
