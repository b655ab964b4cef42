"""settings.toml is checked when a workspace opens: every problem, its key and its fix at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from localcx import config
from localcx.errors import SettingsError, UsageError, WorkspaceError
from localcx.exitcodes import ExitCode
from localcx.settings import Settings


def _settings_path(cli, workspace: str = "default") -> Path:
    return cli.home / "workspaces" / workspace / "settings.toml"


@pytest.fixture
def ws(cli):
    assert cli("init", "--sandbox").exit_code == 0
    return cli


@pytest.mark.parametrize(
    ("section", "values", "expected"),
    [
        ("http", {"workers": "four"}, 'http.workers must be a whole number, not "four" (e.g. workers = 4)'),
        ("http", {"workers": 0}, "http.workers must be between 1 and 32, not 0"),
        ("http", {"workers": 5000}, "http.workers must be between 1 and 32, not 5000"),
        ("http", {"workers": 2.5}, "http.workers must be a whole number, not 2.5"),
        ("http", {"max_attempts": 0}, "http.max_attempts must be between 1 and 20, not 0"),
        ("http", {"timeout": 0}, "http.timeout must be more than 0, not 0 (e.g. timeout = 30)"),
        ("http", {"timeout": "30s"}, 'http.timeout must be a number, not "30s"'),
        ("http", {"backoff_base": -1}, "http.backoff_base must be at least 0, not -1"),
        ("http", {"backoff_cap": -0.5}, "http.backoff_cap must be at least 0, not -0.5"),
        ("limits", {"edits_per_minute": 0}, "limits.edits_per_minute must be more than 0, not 0"),
        ("limits", {"project_qpm": -5}, "limits.project_qpm must be more than 0, not -5"),
        ("limits", {"headroom": 0}, "limits.headroom must be more than 0 and at most 1, not 0"),
        ("limits", {"headroom": 1.5}, "limits.headroom must be more than 0 and at most 1, not 1.5"),
        ("limits", {"shared_quota": "no"}, 'limits.shared_quota must be true or false, not "no"'),
        ("limits", {"project_qpm": True}, "limits.project_qpm must be a whole number, not true"),
        ("sandbox", {"project_qpm": 0}, "sandbox.project_qpm must be more than 0, not 0"),
        ("sandbox", {"faults": "bogus"}, "sandbox.faults is not a fault list: bad fault rule"),
        ("http", {"worker": 4}, "unknown key in [http] 'worker': did you mean 'workers'?"),
        ("limits", {"headrom": 0.9}, "unknown key in [limits] 'headrom': did you mean 'headroom'?"),
    ],
)
def test_bad_setting_names_the_file_the_key_and_the_fix(ws, section, values, expected):
    ws.settings(**{section: values})
    result = ws("locations", "list")
    assert result.exit_code == ExitCode.ERROR
    path = str(_settings_path(ws))
    assert f"{path}: {expected}" in result.stderr
    assert "unexpected" not in result.stderr and "bug in localcx" not in result.stderr
    assert "Traceback" not in result.stderr


def test_every_problem_is_reported_at_once_one_per_line(ws):
    path = _settings_path(ws)
    path.write_text(
        'regoin = "US"\nregion = "USA"\nbackend = "gogle"\nlimits = 5\n'
        '[http]\nworkers = "four"\nmax_attempts = 0\n',
        encoding="utf-8",
    )
    result = ws("locations", "list")
    assert result.exit_code == ExitCode.ERROR
    lines = result.stderr.splitlines()
    assert lines[0] == f"localcx: error: {path}: 6 problems in the settings"
    problems = [line.strip() for line in lines[1:7]]
    assert all(line.startswith(f"{path}: ") for line in problems)
    text = "\n".join(problems)
    assert "unknown top-level key 'regoin': did you mean 'region'?" in text
    assert 'region must be a 2-letter country code, not "USA"' in text
    assert 'backend must be one of sandbox, google, not "gogle"' in text
    assert "limits must be a table ([limits] with keys under it), not 5" in text
    assert "http.workers must be a whole number" in text and "http.max_attempts" in text
    assert lines[7] == f"hint: edit {path}, then check it with: localcx doctor"


def test_problems_hint_names_the_workspace(cli):
    assert cli("-w", "acme", "init", "--sandbox").exit_code == 0
    cli.settings("acme", http={"workers": 0})
    result = cli("-w", "acme", "locations", "list")
    assert result.exit_code == ExitCode.ERROR
    assert "then check it with: localcx -w acme doctor" in result.stderr


def test_ints_pass_for_floats_and_region_is_upper_cased(ws):
    ws.settings(http={"timeout": 5, "backoff_base": 0}, limits={"headroom": 1})
    path = _settings_path(ws)
    path.write_text(path.read_text(encoding="utf-8").replace('region = "US"', 'region = "jp"'))
    settings = config.open_workspace("default").settings
    assert settings.http.timeout == 5.0 and isinstance(settings.http.timeout, float)
    assert settings.limits.headroom == 1.0 and settings.region == "JP"


def test_shared_quota_defaults_to_true_and_can_be_turned_off(ws):
    assert config.open_workspace("default").settings.limits.shared_quota is True
    ws.settings(limits={"shared_quota": False})
    assert config.open_workspace("default").settings.limits.shared_quota is False


def test_every_default_key_round_trips(tmp_path):
    """Every key settings.toml held before keeps loading, with its value."""
    data = Settings().to_dict()
    assert set(data["http"]) == {"timeout", "max_attempts", "backoff_base", "backoff_cap", "workers"}
    assert set(data["limits"]) == {"project_qpm", "edits_per_minute", "places_qpm", "headroom", "daily_updates", "shared_quota"}
    assert set(data["sandbox"]) == {"seed", "stores", "faults", "project_qpm", "edits_per_minute", "daily_updates", "places_qpm"}
    assert set(data["replies"]) == {"signature", "signatures", "templates"}
    assert Settings.from_dict(data, tmp_path / "settings.toml") == Settings()
    # An old file without the new key, or without whole sections, still opens.
    del data["limits"]["shared_quota"]
    del data["sandbox"]
    assert Settings.from_dict(data, tmp_path / "settings.toml") == Settings()


def test_region_must_be_a_country_code(tmp_path):
    for bad in ("USA", "U", "", "ZZ", 1):
        with pytest.raises(SettingsError) as caught:
            Settings.from_dict({"region": bad}, tmp_path / "settings.toml")
        assert "region must be a 2-letter country code" in caught.value.problems[0]
        assert caught.value.exit_code == ExitCode.ERROR
        assert isinstance(caught.value, WorkspaceError)


def test_broken_toml_names_the_file(ws):
    path = _settings_path(ws)
    path.write_text("[http\nworkers = 4\n", encoding="utf-8")
    result = ws("locations", "list")
    assert result.exit_code == ExitCode.ERROR
    assert f"localcx: error: {path}: not valid TOML" in result.stderr
    assert "line 1" in result.stderr
    path.write_bytes(b'region = "\xff\xfe"\n')
    result = ws("locations", "list")
    assert result.exit_code == ExitCode.ERROR and "not UTF-8 text" in result.stderr


def test_doctor_shows_settings_problems_as_failed_checks(ws):
    ws.settings(http={"workers": "four", "timeout": -1}, limits={"regoin": 1})
    result = ws("doctor", "--json")
    assert result.exit_code == ExitCode.ERROR
    checks = json.loads(result.stdout)
    assert {c["check"] for c in checks} == {"settings"} and not any(c["ok"] for c in checks)
    details = "\n".join(c["detail"] for c in checks)
    assert "http.workers" in details and "http.timeout" in details
    assert "did you mean 'region'?" not in details  # [limits] has no region…
    assert "unknown key in [limits] 'regoin'" in details
    table = ws("doctor")
    assert table.exit_code == ExitCode.ERROR and "http.workers" in table.stdout


def test_doctor_lists_valid_settings_as_a_passing_check(ws):
    checks = ws.json("doctor")
    assert any(c["check"] == "settings" and c["ok"] for c in checks)


def test_workspaces_list_skips_a_workspace_with_broken_settings(ws):
    assert ws("-w", "other", "init", "--sandbox").exit_code == 0
    ws.settings("other", http={"workers": 0})
    assert [w["name"] for w in ws.json("workspaces", "list")] == ["default"]


@pytest.mark.parametrize("name", ["", " ", "\t\n"])
def test_empty_workspace_name_is_a_usage_error(home, name):
    with pytest.raises(UsageError) as caught:
        config.check_name(name)
    assert caught.value.message == "the workspace name is empty"
    assert "-w NAME" in (caught.value.hint or "")
    with pytest.raises(UsageError):
        config.open_workspace(name)


def test_command_hint_names_a_workspace_other_than_the_default():
    assert config.command_hint("default", "doctor") == "localcx doctor"
    assert config.command_hint("live", "auth login") == "localcx -w live auth login"


def test_missing_workspace_hint_names_it(cli):
    result = cli("-w", "live", "locations", "list")
    assert result.exit_code == ExitCode.ERROR
    assert "localcx -w live init --sandbox" in result.stderr
