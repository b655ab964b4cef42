"""Retries, pacing and typed errors of the one HTTP path, on a virtual clock."""

from __future__ import annotations

import sqlite3

import pytest

from localcx import config, db
from localcx.backend import connect
from localcx.clock import FakeClock
from localcx.errors import LocalcxError
from localcx.exitcodes import ExitCode
from localcx.google.errors import GoogleApiError, GoogleQuotaError
from localcx.google.limiter import Limiter, Rate


@pytest.fixture
def workspace(cli) -> config.Workspace:
    assert cli("init", "--sandbox").exit_code == 0
    return config.open_workspace("default")


def _calls(ws: config.Workspace) -> list[tuple[str, int, int]]:
    with sqlite3.connect(ws.db_path) as conn:
        return conn.execute("select path, status, attempt from api_calls order by id").fetchall()


def _accounts(ws: config.Workspace, faults: str, clock: FakeClock) -> list[dict]:
    database = db.open_db(ws.db_path)
    google = connect(ws, database, clock=clock, faults=faults)
    try:
        return list(google.business.accounts())
    finally:
        google.close()
        database.close()


def test_5xx_is_retried_with_backoff_until_it_passes(workspace):
    clock = FakeClock()
    accounts = _accounts(workspace, "503@accounts.list:x3", clock)
    assert len(accounts) >= 2
    assert [(s, a) for _, s, a in _calls(workspace)] == [(503, 1), (503, 2), (503, 3), (200, 4)]
    assert clock.slept > 0


def test_429_honours_retry_after(workspace):
    clock = FakeClock()
    _accounts(workspace, "429@accounts.list:x2", clock)
    assert [s for _, s, _ in _calls(workspace)] == [429, 429, 200]
    assert clock.slept >= 2.0  # the sandbox says Retry-After: 1 each time


def test_gives_up_after_max_attempts_with_a_hint(workspace):
    with pytest.raises(GoogleApiError) as caught:
        _accounts(workspace, "503@accounts.list:x100", FakeClock())
    assert caught.value.exit_code == ExitCode.ERROR
    assert "after 6 attempts" in (caught.value.hint or "")
    assert len(_calls(workspace)) == 6


def test_persistent_429_is_a_quota_exit(workspace):
    with pytest.raises(GoogleQuotaError) as caught:
        _accounts(workspace, "429@accounts.list:x100", FakeClock())
    assert caught.value.exit_code == ExitCode.QUOTA


def test_400_is_not_retried_and_carries_field_violations(workspace):
    database = db.open_db(workspace.db_path)
    google = connect(workspace, database, clock=FakeClock(), faults="")
    try:
        location = next(google.business.locations("accounts/-", read_mask="name"))
        location_id = location["name"].split("/")[-1]
        with pytest.raises(GoogleApiError) as caught:
            google.business.patch_location(location_id, {"websiteUri": "ftp://nope"}, ["websiteUri"])
    finally:
        google.close()
        database.close()
    assert caught.value.error.status == "INVALID_ARGUMENT"
    assert any("website" in field for field, _ in caught.value.error.field_violations)
    assert [s for _, s, _ in _calls(workspace)][-1] == 400
    assert sum(1 for p, _, _ in _calls(workspace) if p.endswith(location_id)) == 1


def test_api_call_log_never_holds_a_token(workspace):
    _accounts(workspace, "", FakeClock())
    with sqlite3.connect(workspace.db_path) as conn:
        dump = "\n".join(conn.iterdump())
    assert "sandbox-token" not in dump and "Bearer" not in dump


def test_limiter_paces_to_the_rate_with_a_burst_of_one():
    clock = FakeClock(0.0)
    limiter = Limiter(clock)
    for _ in range(301):
        limiter.acquire("svc", Rate(300))
    assert clock.now() == pytest.approx(60.0)


def test_edit_window_allows_retries_but_never_more_than_n_a_minute():
    clock = FakeClock(0.0)
    limiter = Limiter(clock)
    times = []
    for _ in range(25):
        limiter.acquire_window("edit:1", 10)
        times.append(clock.now())
    assert times[:10] == [0.0] * 10
    for i in range(len(times)):
        assert sum(1 for t in times if times[i] <= t < times[i] + 60) <= 10


def test_not_logged_in_is_an_auth_error(cli):
    assert cli("init", "--google").exit_code == 0
    ws = config.open_workspace("default")
    database = db.open_db(ws.db_path)
    google = connect(ws, database)
    with pytest.raises(LocalcxError) as caught:
        list(google.business.accounts())
    database.close()
    assert caught.value.exit_code == ExitCode.AUTH


def test_permission_denied_is_exit_5_with_the_access_hint(workspace):
    with pytest.raises(LocalcxError) as caught:
        _accounts(workspace, "403@accounts.list:x1", FakeClock())
    assert caught.value.exit_code == ExitCode.AUTH
    assert "Basic API Access" in (caught.value.hint or "")
    assert len(_calls(workspace)) == 1  # a refusal is final: no retries


def test_a_mix_of_429_and_503_is_not_called_a_quota_problem(workspace):
    """Only a run of 429s is a quota problem; 503s in the mix mean Google kept failing."""
    with pytest.raises(GoogleApiError) as caught:
        _accounts(workspace, "429@accounts.list:x2,503@accounts.list:x100", FakeClock())
    assert not isinstance(caught.value, GoogleQuotaError)
    assert "project_qpm" not in (caught.value.hint or "") and "kept failing" in (caught.value.hint or "")
    assert {s for _, s, _ in _calls(workspace)} == {429, 503}


def test_nothing_listening_fails_at_once_naming_the_host_and_the_setting(cli, monkeypatch):
    """Connection refused is not worth six backed-off retries: say where, and which setting."""
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("LOCALCX_GOOGLE_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("LOCALCX_GOOGLE_TOKEN", "any")
    assert cli("init", "--google").exit_code == 0
    clock = FakeClock()
    ws = config.open_workspace("default")
    with pytest.raises(LocalcxError) as caught:
        _accounts(ws, "", clock)
    assert f"127.0.0.1:{port}" in caught.value.message
    assert "LOCALCX_GOOGLE_ENDPOINT" in (caught.value.hint or "")
    assert clock.slept == 0 and len(_calls(ws)) == 1
    result = cli("locations", "sync")
    assert result.exit_code == ExitCode.ERROR
    assert f"127.0.0.1:{port}" in result.stderr and "bug" not in result.stderr


def test_a_sandbox_state_that_is_not_a_database_is_a_clear_error(cli):
    assert cli("init", "--sandbox").exit_code == 0
    ws = config.open_workspace("default")
    ws.sandbox_path.write_bytes(b"not a database at all")
    result = cli("locations", "sync")
    assert result.exit_code == ExitCode.ERROR
    assert str(ws.sandbox_path) in result.stderr and "bug" not in result.stderr
