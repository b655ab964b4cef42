"""`localcx sandbox serve` as users run it: a process printing its URL, stopped by Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx


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
