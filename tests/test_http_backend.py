"""The real-Google code path over real HTTP, against `sandbox serve` on loopback."""

from __future__ import annotations

import json
import sqlite3

import httpx

from localcx import config
from localcx.exitcodes import ExitCode


def _google_workspace(cli, url: str) -> dict[str, str]:
    assert cli("-w", "live", "init", "--google").exit_code == 0
    cli.settings("live", http={"backoff_base": 0.01, "backoff_cap": 0.05, "timeout": 5.0})
    return {"LOCALCX_GOOGLE_ENDPOINT": url, "LOCALCX_GOOGLE_TOKEN": "test-token"}


def test_sync_over_http_with_faults_matches_in_process(cli, served):
    url = served(faults="429:0.2,503:0.1", fault_seed=3)
    env = _google_workspace(cli, url)
    result = cli("-w", "live", "locations", "sync", env=env)
    assert result.exit_code == 0, result.stderr
    over_http = cli.json("-w", "live", "locations", "list")

    assert cli("init", "--sandbox").exit_code == 0
    assert cli("locations", "sync").exit_code == 0
    in_process = cli.json("locations", "list")
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("updated_at", "account")} for r in rows]  # noqa: E731
    assert strip(over_http) == strip(in_process)
    assert len(over_http) == 30

    with sqlite3.connect(config.open_workspace("live").db_path) as conn:
        calls = conn.execute("select status, attempt from api_calls").fetchall()
    statuses = {status for status, _ in calls}
    assert {429, 503} & statuses, calls
    assert max(attempt for _, attempt in calls) >= 2
    assert all(status in (200, 429, 503) for status in statuses)
    doctor = cli("-w", "live", "doctor", "--json", env=env)
    summary = next(c["detail"] for c in json.loads(doctor.stdout) if c["check"] == "requests, last 24 h")
    assert not summary.split(", ")[1].startswith("0 ")  # retries are counted for the user


def test_missing_read_mask_is_400_over_http(served):
    url = served()
    response = httpx.get(f"{url}/v1/accounts/-/locations", headers={"Authorization": "Bearer x"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    violations = error["details"][0]["fieldViolations"]
    assert violations == [{"field": "read_mask", "description": "Field is required"}]


def test_unapproved_project_exits_5_with_the_approval_hint(cli, served):
    url = served(unapproved=True)
    env = _google_workspace(cli, url)
    result = cli("-w", "live", "locations", "sync", env=env)
    assert result.exit_code == ExitCode.AUTH
    assert "Basic API Access" in result.stderr
    with sqlite3.connect(config.open_workspace("live").db_path) as conn:
        # Quota 0 is final: no retries.
        assert conn.execute("select count(*) from api_calls").fetchone()[0] == 1


def test_profile_edit_over_http(cli, served, tmp_path):
    url = served()
    env = _google_workspace(cli, url)
    assert cli("-w", "live", "locations", "sync", env=env).exit_code == 0
    store = cli.json("-w", "live", "locations", "list")[0]
    path = tmp_path / "w.csv"
    path.write_text(f"store_code,website\n{store['store_code']},https://example.com/http\n", encoding="utf-8")
    result = cli("-w", "live", "profiles", "apply", str(path), "--yes", env=env)
    assert result.exit_code == 0, result.stderr
    response = httpx.get(
        f"{url}/v1/locations/{store['location_id']}",
        params={"readMask": "websiteUri"},
        headers={"Authorization": "Bearer x"},
    )
    assert response.json() == {"websiteUri": "https://example.com/http"}


def test_oauth_refresh_runs_against_the_sandbox_token_endpoint(cli, served, save_expired_login):
    url = served()
    assert cli("-w", "live", "init", "--google").exit_code == 0
    ws = save_expired_login("live", "1//sandbox-refresh")
    env = {"LOCALCX_GOOGLE_ENDPOINT": url}  # no static token: the saved login is used
    result = cli("-w", "live", "locations", "sync", env=env)
    assert result.exit_code == 0, result.stderr
    saved = json.loads(ws.read_secret("token.json") or "{}")
    assert saved["token"].startswith("ya29.sandbox-") and saved["refresh_token"] == "1//sandbox-refresh"

    save_expired_login("live", "revoked-long-ago")
    result = cli("-w", "live", "locations", "sync", env=env)
    assert result.exit_code == ExitCode.AUTH
    assert "Token has been expired or revoked" in result.stderr and "auth login" in result.stderr


def test_apply_over_http_with_faults_lands_every_edit_once(cli, served, tmp_path):
    from localcx.sandbox.state import SandboxState

    url = served(faults="429:0.1,503:0.05", fault_seed=11, project_qpm=3000)
    env = _google_workspace(cli, url)
    cli.settings("live", limits={"project_qpm": 3000})  # both sides scaled 10x: seconds, not minutes
    assert cli("-w", "live", "locations", "sync", env=env).exit_code == 0
    stores = cli.json("-w", "live", "locations", "list")
    path = tmp_path / "w.csv"
    path.write_text(
        "store_code,website\n" + "".join(f"{s['store_code']},https://example.com/f/{s['store_code']}\n" for s in stores),
        encoding="utf-8",
    )
    result = cli("-w", "live", "profiles", "apply", str(path), "--yes", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["counts"] == {"done": len(stores)}
    state = SandboxState.open(tmp_path / "served-0.db")
    try:
        counts = state.patch_counts()
        held = {loc["storeCode"]: loc["websiteUri"] for loc in state.locations()}
    finally:
        state.close()
    assert len(counts) == len(stores) and set(counts.values()) == {1}
    assert all(held[s["store_code"]] == f"https://example.com/f/{s['store_code']}" for s in stores)
    with sqlite3.connect(config.open_workspace("live").db_path) as conn:
        statuses = {row[0] for row in conn.execute("select status from api_calls where method = 'PATCH'")}
    assert {429, 503} & statuses
