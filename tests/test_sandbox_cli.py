"""`localcx sandbox serve` as users run it: a process printing its URL, stopped by Ctrl-C."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import httpx
import pytest


def test_serve_prints_url_answers_google_paths_and_stops_on_ctrl_c(home, tmp_path):
    state = tmp_path / "city.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "localcx", "sandbox", "serve", "--port", "0", "--stores", "12", "--state", str(state)],
        env={**os.environ, "LOCALCX_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().strip() if proc.stdout else ""
        assert url.startswith("http://127.0.0.1:")
        headers = {"Authorization": "Bearer anything"}
        accounts = httpx.get(f"{url}/v1/accounts", headers=headers).json()["accounts"]
        assert accounts[0]["type"] == "PERSONAL"
        listed = httpx.get(
            f"{url}/v1/accounts/-/locations", params={"readMask": "name,storeCode", "pageSize": 100}, headers=headers
        ).json()
        assert len(listed["locations"]) == 12 and "nextPageToken" not in listed
        assert httpx.get(f"{url}/v1/accounts").status_code == 401
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "LOCALCX_GOOGLE_ENDPOINT" in err
    reset = subprocess.run(
        [sys.executable, "-m", "localcx", "sandbox", "reset", "--state", str(state)],
        env={**os.environ, "LOCALCX_HOME": str(home)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert reset.returncode == 0 and not state.exists()


def test_bad_fault_spec_is_a_usage_error(cli, tmp_path):
    result = cli("sandbox", "serve", "--port", "0", "--faults", "503:lots", "--state", str(tmp_path / "s.db"))
    assert result.exit_code == 2
    assert "bad --faults" in result.stderr


def test_busy_port_is_a_clear_error(cli, served, tmp_path):
    url = served()
    port = url.rsplit(":", 1)[1]
    result = cli("sandbox", "serve", "--port", port, "--state", str(tmp_path / "s.db"))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr and "--port 0" in result.stderr


@pytest.mark.parametrize("port", ["-1", "70000", "65536"])
def test_port_out_of_range_is_a_usage_error(cli, tmp_path, port):
    result = cli("sandbox", "serve", "--port", port, "--state", str(tmp_path / "s.db"))
    assert result.exit_code == 2
    assert "--port must be between 0 and 65535" in result.stderr and port in result.stderr
    assert not (tmp_path / "s.db").exists()


def _not_a_state(tmp_path, kind):
    if kind == "directory":
        return tmp_path
    path = tmp_path / f"{kind}.db"
    if kind == "text":
        path.write_text("store_code,title\nSEA-001,Northwind\n")
    elif kind == "bytes":
        path.write_bytes(bytes(range(256)) * 64)
    elif kind == "other-sqlite":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    return path


@pytest.mark.parametrize("command", ["serve", "reset"])
@pytest.mark.parametrize("kind", ["directory", "text", "bytes", "other-sqlite"])
def test_state_that_is_not_a_sandbox_is_a_one_line_error(cli, tmp_path, command, kind):
    path = _not_a_state(tmp_path, kind)
    before = None if path.is_dir() else path.read_bytes()
    args = ["sandbox", command, "--state", str(path)] + (["--port", "0"] if command == "serve" else [])
    result = cli(*args)
    assert result.exit_code == 1, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("localcx: error: ") and str(path) in first
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    if before is not None:
        assert path.read_bytes() == before  # neither served over nor deleted


def test_state_under_a_file_is_a_one_line_error(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("sandbox", "serve", "--port", "0", "--state", str(blocker / "s.db"))
    assert result.exit_code == 1
    assert result.stderr.startswith("localcx: error: ") and str(blocker) in result.stderr


def test_reset_of_an_empty_file_and_of_a_real_state(cli, tmp_path):
    from localcx.sandbox import SandboxState

    empty = tmp_path / "empty.db"
    empty.touch()
    assert cli("sandbox", "reset", "--state", str(empty)).exit_code == 0
    real = tmp_path / "real.db"
    SandboxState.open(real, stores=3).close()
    assert cli("sandbox", "reset", "--state", str(real)).exit_code == 0 and not real.exists()
