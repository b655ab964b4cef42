"""Secrets in and out: cleaned on input, written whole under concurrency, never echoed."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from localcx import config
from localcx.errors import AuthError, UsageError
from localcx.exitcodes import ExitCode
from localcx.google import auth

# -- writing: many refreshes of one login at once -----------------------------------------


def _login(n: int) -> str:
    return json.dumps({"token": f"ya29.{n}", "refresh_token": "1//r", "pad": "x" * 4000 * (n % 5)})


def _assert_whole(ws: config.Workspace, written: set[str]) -> None:
    path = ws.secret_path("token.json")
    assert ws.read_secret("token.json") in written  # one complete value, never a mix
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.listdir(ws.secrets_dir) == ["token.json"]  # no temporary files left behind


def test_parallel_writes_from_threads_leave_one_whole_file(cli):
    assert cli("init", "--google").exit_code == 0
    ws = config.open_workspace("default")
    values = {_login(n) for n in range(64)}
    start = threading.Barrier(16)
    errors: list[BaseException] = []

    def write(batch: list[str]) -> None:
        start.wait()
        try:
            for value in batch:
                ws.write_secret("token.json", value)
                assert ws.read_secret("token.json") in values
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    ordered = sorted(values)
    threads = [threading.Thread(target=write, args=(ordered[i::16],)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    _assert_whole(ws, values)


WRITER = """
import json, sys
from localcx import config
ws = config.open_workspace("default")
n = int(sys.argv[1])
for i in range(40):
    ws.write_secret("token.json", json.dumps({"token": f"ya29.{n}.{i}", "pad": "x" * 3000 * (i % 4)}))
"""


def test_parallel_writes_from_processes_leave_one_whole_file(cli, home: Path):
    assert cli("init", "--google").exit_code == 0
    ws = config.open_workspace("default")
    env = {**os.environ, "LOCALCX_HOME": str(home)}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(n)], env=env, stderr=subprocess.PIPE)
        for n in range(8)
    ]
    for proc in procs:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr.decode()
    written = {
        json.dumps({"token": f"ya29.{n}.{i}", "pad": "x" * 3000 * (i % 4)})
        for n in range(8)
        for i in range(40)
    }
    _assert_whole(ws, written)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(cli, monkeypatch):
    assert cli("init", "--google").exit_code == 0
    ws = config.open_workspace("default")
    ws.write_secret("token.json", "old")

    def broken(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError):
        ws.write_secret("token.json", "new")
    assert ws.read_secret("token.json") == "old"
    assert os.listdir(ws.secrets_dir) == ["token.json"]


# -- reading: cleaned, or refused without showing the value -------------------------------


@pytest.mark.parametrize("raw", ["AIza-KEY\n", "  AIza-KEY\r\n", "\tAIza-KEY  "])
def test_clean_secret_strips_surrounding_whitespace(raw):
    assert config.clean_secret(raw, "the key") == "AIza-KEY"


@pytest.mark.parametrize("raw", ["AIza KEY", "AIza\x00KEY", "AIza\nKEY", "AIza\u200bKEY", "AIza\u00a0KEY"])
def test_clean_secret_refuses_inner_spaces_and_control_characters(raw):
    with pytest.raises(UsageError) as caught:
        config.clean_secret(raw, "LOCALCX_GOOGLE_TOKEN")
    message = caught.value.message + (caught.value.hint or "")
    assert message.startswith("LOCALCX_GOOGLE_TOKEN contains a space, control or non-ASCII")
    assert "AIza" not in message and "KEY" not in message


@pytest.mark.parametrize("raw", ["", " \r\n"])
def test_clean_secret_refuses_an_empty_value(raw):
    with pytest.raises(UsageError, match="the key is empty"):
        config.clean_secret(raw, "the key")


def test_api_key_from_stdin_loses_its_crlf(cli):
    assert cli("init", "--google").exit_code == 0
    result = cli("auth", "login", "--api-key", input="  AIza-TEST-KEY\r\n")
    assert result.exit_code == 0, result.stderr
    assert config.open_workspace("default").read_secret("places_api_key") == "AIza-TEST-KEY"


def test_api_key_with_a_space_inside_is_refused_unseen(cli):
    assert cli("init", "--google").exit_code == 0
    result = cli("auth", "login", "--api-key", input="AIza-TEST KEY\n")
    assert result.exit_code == ExitCode.USAGE
    assert "the Places API key contains a space" in result.stderr
    assert "AIza" not in result.stdout + result.stderr
    assert config.open_workspace("default").read_secret("places_api_key") is None


def test_hand_written_api_key_file_is_cleaned_on_read(cli):
    assert cli("-w", "live", "init", "--google").exit_code == 0
    ws = config.open_workspace("live")
    ws.write_secret("places_api_key", "AIza-KEY\n")
    assert auth.read_api_key(ws) == "AIza-KEY"
    ws.write_secret("places_api_key", "AIza KEY\n")
    with pytest.raises(AuthError) as caught:
        auth.read_api_key(ws)
    assert str(ws.secret_path("places_api_key")) in caught.value.message
    assert "AIza" not in caught.value.message
    assert "localcx -w live auth login --api-key" in (caught.value.hint or "")


def test_doctor_refuses_a_static_token_with_a_line_break_inside(cli):
    assert cli("init", "--google").exit_code == 0
    result = cli("doctor", "--json", env={"LOCALCX_GOOGLE_TOKEN": "ya29.ab\ncd"})
    assert result.exit_code == ExitCode.AUTH
    check = next(c for c in json.loads(result.stdout) if c["check"] == "credentials")
    assert not check["ok"] and "LOCALCX_GOOGLE_TOKEN contains" in check["detail"]
    assert "ya29" not in result.stdout + result.stderr


# -- the endpoint override ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765"),
        ("https://proxy.example.com/google/", "https://proxy.example.com/google"),
        (" http://[::1]:9000 ", "http://[::1]:9000"),
    ],
)
def test_endpoint_override_accepts_http_urls(home, monkeypatch, value, expected):
    monkeypatch.setenv("LOCALCX_GOOGLE_ENDPOINT", value)
    assert config.endpoint_override() == expected


def test_endpoint_override_unset_or_empty_is_none(home, monkeypatch):
    assert config.endpoint_override() is None
    monkeypatch.setenv("LOCALCX_GOOGLE_ENDPOINT", "")
    assert config.endpoint_override() is None


@pytest.mark.parametrize(
    ("value", "example"),
    [
        ("127.0.0.1:8765", "LOCALCX_GOOGLE_ENDPOINT=http://127.0.0.1:8765"),
        ("localhost", "LOCALCX_GOOGLE_ENDPOINT=http://localhost"),
        ("ftp://host:21", "LOCALCX_GOOGLE_ENDPOINT=http://host:21"),
        ("http://host:99999", "LOCALCX_GOOGLE_ENDPOINT=http://127.0.0.1:8765"),
        ("http://host?x=1", "LOCALCX_GOOGLE_ENDPOINT=http://127.0.0.1:8765"),
    ],
)
def test_endpoint_override_without_a_scheme_shows_a_corrected_example(home, monkeypatch, value, example):
    monkeypatch.setenv("LOCALCX_GOOGLE_ENDPOINT", value)
    with pytest.raises(UsageError) as caught:
        config.endpoint_override()
    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.message.startswith("LOCALCX_GOOGLE_ENDPOINT must be http(s)://host[:port][/path]")
    assert example in (caught.value.hint or "")


def test_endpoint_override_never_echoes_a_password(home, monkeypatch):
    monkeypatch.setenv("LOCALCX_GOOGLE_ENDPOINT", "http://user:hunter2@proxy:8080")
    with pytest.raises(UsageError) as caught:
        config.endpoint_override()
    assert "hunter2" not in caught.value.message + (caught.value.hint or "")


def test_doctor_reports_an_endpoint_without_a_scheme(cli, save_expired_login):
    assert cli("init", "--google").exit_code == 0
    save_expired_login("default", "1//good")
    result = cli("doctor", "--json", env={"LOCALCX_GOOGLE_ENDPOINT": "127.0.0.1:8765"})
    assert result.exit_code == ExitCode.USAGE
    check = next(c for c in json.loads(result.stdout) if c["check"] == "endpoint")
    assert "http://127.0.0.1:8765" in check["detail"]


def test_saved_login_with_an_endpoint_without_a_scheme_is_a_usage_error(cli, save_expired_login):
    assert cli("init", "--google").exit_code == 0
    save_expired_login("default", "1//good")
    result = cli("locations", "sync", env={"LOCALCX_GOOGLE_ENDPOINT": "127.0.0.1:8765"})
    assert result.exit_code == ExitCode.USAGE
    assert "LOCALCX_GOOGLE_ENDPOINT=http://127.0.0.1:8765" in result.stderr
    assert "UnsupportedProtocol" not in result.stderr


def test_env_secret_drops_a_trailing_newline_and_refuses_inner_ones(home, monkeypatch):
    assert config.env_secret("LOCALCX_GOOGLE_TOKEN") is None
    monkeypatch.setenv("LOCALCX_GOOGLE_TOKEN", "ya29.abc\r\n")
    assert config.env_secret("LOCALCX_GOOGLE_TOKEN") == "ya29.abc"
    monkeypatch.setenv("LOCALCX_GOOGLE_TOKEN", "ya29.a bc")
    with pytest.raises(UsageError, match=r"^LOCALCX_GOOGLE_TOKEN contains a space"):
        config.env_secret("LOCALCX_GOOGLE_TOKEN")
