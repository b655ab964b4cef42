"""The CLI as people and scripts meet it: pipes, file errors, hints, quiet, exit codes,
human output at 80 columns, help, selection and did-you-mean."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from rich.cells import cell_len
from rich.text import Text
from typer.testing import CliRunner

from localcx import config
from localcx.commands import _profile_runs as _runs
from localcx.commands._common import AppState
from localcx.commands.main import app
from localcx.exitcodes import ExitCode
from localcx.render import Terminal

BUG = "this is a bug in localcx"


def person(width: int = 80, stdin_tty: bool = True) -> Terminal:
    """A terminal a person sits at: stdout, stderr and stdin are TTYs, `width` columns."""
    return Terminal(
        io.StringIO(), io.StringIO(), io.StringIO(),
        stdout_tty=True, stderr_tty=False, stdin_tty=stdin_tty, no_color=True, width=width,
    )  # fmt: skip


def at_terminal(cli, *args: str, width: int = 80, input: str | None = None) -> tuple[int, str, str]:
    terminal = person(width)
    result = cli.runner.invoke(app, list(args), obj=terminal, input=input, catch_exceptions=False)
    assert isinstance(terminal.stdout, io.StringIO) and isinstance(terminal.stderr, io.StringIO)
    plain = "\n".join(Text.from_ansi(line).plain for line in terminal.stdout.getvalue().splitlines())
    return result.exit_code, plain, terminal.stderr.getvalue() + result.stderr


def fits(text: str, width: int = 80) -> bool:
    return all(cell_len(line) <= width for line in text.splitlines())


def _websites(path: Path, codes: list[str], tag: str) -> Path:
    lines = ["store_code,website", *(f"{c},https://example.com/{tag}/{c.lower()}" for c in codes)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _codes(cli) -> list[str]:
    return [s["store_code"] for s in cli.json("locations", "list")]


# 1. a closed pipe ----------------------------------------------------------------------------


def test_csv_into_head_is_quiet_and_exits_0(home: Path, tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("localcx")
    env = {**os.environ, "LOCALCX_HOME": str(home)}
    subprocess.run([exe, "init", "--sandbox", "--stores", "300"], env=env, check=True, capture_output=True)
    subprocess.run([exe, "-q", "locations", "sync"], env=env, check=True, capture_output=True)
    for fmt in ("--csv", "--json", "--jsonl"):
        done = subprocess.run(
            ["bash", "-c", f'set -o pipefail; "{exe}" locations list {fmt} | head -1'],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert len(done.stdout.splitlines()) == 1
        assert done.stderr == "", done.stderr
        assert "BrokenPipe" not in done.stderr and "bug" not in done.stderr
    # A table drawn by rich (the board) into a closed pipe ends the same way, not with exit 1.
    done = subprocess.run(["bash", "-c", f'set -o pipefail; "{exe}" status | head -1'],
                          env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert len(done.stdout.splitlines()) == 1


# 2. file and OS errors name the path ------------------------------------------------------------


def test_export_file_errors_name_the_path(synced, tmp_path: Path) -> None:
    for target, words in [
        ("/no/such/dir/x.csv", "/no/such/dir: no such folder"),
        (str(tmp_path), f"{tmp_path}: is a folder"),
        (str(tmp_path / "x.xlsx"), "x.xlsx: cannot write .xlsx"),
    ]:
        result = synced("locations", "export", target)
        assert result.exit_code == ExitCode.ERROR, (target, result.stderr)
        assert words in result.stderr and BUG not in result.stderr
        assert result.stdout == ""


def test_export_refuses_to_overwrite_without_force(synced, tmp_path: Path) -> None:
    path = tmp_path / "stores.csv"
    path.write_text("mine\n", encoding="utf-8")
    refused = synced("locations", "export", str(path))
    assert refused.exit_code == ExitCode.ERROR
    assert f"{path} already exists" in refused.stderr and "--force" in refused.stderr
    assert path.read_text(encoding="utf-8") == "mine\n"
    forced = synced("locations", "export", str(path), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert path.read_text(encoding="utf-8").startswith("store_code,")


def test_store_files_that_cannot_be_read_are_errors_naming_them(synced, tmp_path: Path) -> None:
    binary = tmp_path / "codes.bin"
    binary.write_bytes(b"\x7fELF\x00\x01\x02\xff\xfe")
    for selection, words, code in [
        (f"file:{tmp_path}", f"file:{tmp_path}: is a directory", ExitCode.ERROR),
        (f"file:{tmp_path / 'none.txt'}", "none.txt: no such file", ExitCode.ERROR),
        (f"file:{binary}", f"file:{binary}: not a text list", ExitCode.ERROR),
        ("file:", "has an empty file", ExitCode.USAGE),
    ]:
        result = synced("locations", "list", "--stores", selection)
        assert result.exit_code == code, (selection, result.stderr)
        assert words in result.stderr and BUG not in result.stderr


def test_a_binary_drift_policy_is_an_error_not_a_bug(synced, tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" * 8)
    result = synced("profiles", "drift", "--policy", str(policy))
    assert result.exit_code == ExitCode.ERROR, result.stderr
    assert f"{policy}: not a UTF-8 text file" in result.stderr and BUG not in result.stderr
    folder = synced("profiles", "drift", "--policy", str(tmp_path))
    assert folder.exit_code == ExitCode.ERROR and "is a directory" in folder.stderr


# 3. what plan reads ----------------------------------------------------------------------------


def test_plan_reads_the_json_export_writes(synced, tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    assert synced("locations", "export", str(path)).exit_code == 0
    result = synced("profiles", "plan", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stores"] == []
    assert "already match" in result.stderr


@pytest.mark.parametrize("kind", ["csv", "toml", "json"])
def test_plan_reads_stdin(synced, tmp_path: Path, kind: str) -> None:
    code = _codes(synced)[0]
    text = {
        "csv": f"store_code,website\n{code},https://example.com/stdin\n",
        "toml": f'[stores."{code}"]\nwebsite = "https://example.com/stdin"\n',
        "json": json.dumps([{"store_code": code, "website": "https://example.com/stdin"}]),
    }[kind]
    result = synced("profiles", "plan", "-", "--json", input=text)
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert [s["store_code"] for s in plan["stores"]] == [code]
    assert plan["stores"][0]["after"]["website"] == "https://example.com/stdin"


# 4. what --skip-invalid left out reaches stderr ----------------------------------------------


@pytest.mark.parametrize("fmt", ["--json", "--csv"])
def test_skip_invalid_with_data_output_still_says_what_was_skipped(synced, fmt: str) -> None:
    good, bad = _codes(synced)[:2]
    text = f"store_code,primary_phone\n{good},+1 206-555-0100\n{bad},12\n"
    result = synced("profiles", "plan", "-", "--skip-invalid", fmt, input=text)
    assert result.exit_code == 0, result.stderr
    assert bad in result.stderr and "not a valid phone number" in result.stderr
    assert "Skipped" in result.stderr
    if fmt == "--json":
        assert json.loads(result.stdout)["skipped"] == [bad]


# 5. hints name the workspace -----------------------------------------------------------------


def test_hints_for_another_workspace_name_it(cli, tmp_path: Path) -> None:
    init = cli("-w", "live", "init", "--google")
    assert init.exit_code == 0
    assert "localcx -w live auth login" in init.stderr
    missing = cli("-w", "nosuch", "locations", "list")
    assert missing.exit_code == ExitCode.ERROR
    assert "localcx -w nosuch init --sandbox" in missing.stderr
    assert cli("-w", "acme", "init", "--sandbox").exit_code == 0
    assert cli("-w", "acme", "locations", "sync").exit_code == 0
    code = next(s["store_code"] for s in cli.json("-w", "acme", "locations", "list"))
    planned = cli("-w", "acme", "profiles", "plan", str(_websites(tmp_path / "w.csv", [code], "h")))
    assert planned.exit_code == 0
    assert "Apply with: localcx -w acme profiles apply --plan plan-" in planned.stderr


def test_interrupted_run_hint_names_the_workspace(cli, tmp_path: Path, monkeypatch) -> None:
    assert cli("-w", "acme", "init", "--sandbox").exit_code == 0
    assert cli("-w", "acme", "locations", "sync").exit_code == 0
    code = next(s["store_code"] for s in cli.json("-w", "acme", "locations", "list"))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_runs.Runner, "start", interrupted)
    path = _websites(tmp_path / "w.csv", [code], "i")
    result = cli("-w", "acme", "profiles", "apply", str(path), "--yes")
    assert result.exit_code == ExitCode.INTERRUPTED
    assert "localcx -w acme profiles resume" in result.stderr


# 6. -w "" and global options after the subcommand ----------------------------------------------


def test_empty_workspace_name_is_a_usage_error(synced) -> None:
    result = synced("-w", "", "locations", "list")
    assert result.exit_code == ExitCode.USAGE
    assert "workspace name is empty" in result.stderr and result.stdout == ""


def test_global_options_after_the_subcommand(synced) -> None:
    quiet = synced("locations", "sync", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == ""
    other = synced("locations", "list", "-w", "other", "--json")
    assert other.exit_code == ExitCode.ERROR and "workspace 'other' does not exist" in other.stderr
    assert "localcx -w other init" in other.stderr


# 7. selection and did-you-mean ---------------------------------------------------------------


def test_unknown_label_says_so_and_suggests(synced) -> None:
    result = synced("locations", "list", "--label", "nope")
    assert result.exit_code == ExitCode.ERROR
    assert "no store has the label 'nope'" in result.stderr
    assert "flagship" in result.stderr and "locations sync" not in result.stderr
    typo = synced("locations", "list", "--label", "flagshp")
    assert 'did you mean "flagship"' in typo.stderr


def test_label_and_code_match_any_case(synced) -> None:
    lower = synced.json("locations", "list", "--label", "flagship")
    assert lower and synced.json("locations", "list", "--label", "Flagship") == lower
    shown = synced.json("locations", "show", "tky-004")
    assert shown["store_code"] == "TKY-004"


def test_a_plan_file_naming_a_short_code_suggests_the_same_number(synced, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("store_code,website\nSEA-01,https://example.com/x\n", encoding="utf-8")
    result = synced("profiles", "plan", str(path))
    assert result.exit_code == ExitCode.ERROR
    assert 'unknown store code "SEA-01" (did you mean SEA-001?)' in result.stderr


def test_toml_rules_use_the_store_selector_grammar(synced, tmp_path: Path) -> None:
    stores = synced.json("locations", "list")
    city = stores[0]["city"]
    in_city = sorted(s["store_code"] for s in stores if s["city"] == city)
    (tmp_path / "few.txt").write_text(f"# two\n{stores[1]['store_code']}\n", encoding="utf-8")
    path = tmp_path / "d.toml"
    path.write_text(
        f'[[rule]]\nstores = "city:{city.upper()}, file:few.txt"\nwebsite = "https://example.com/r"\n',
        encoding="utf-8",
    )
    result = synced("profiles", "plan", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    planned = sorted(s["store_code"] for s in json.loads(result.stdout)["stores"])
    assert planned == sorted({*in_city, stores[1]["store_code"]})
    path.write_text('[[rule]]\nstores = "country:JP,label:flagshp"\ntitle = "x"\n', encoding="utf-8")
    bad = synced("profiles", "plan", str(path))
    assert bad.exit_code == ExitCode.ERROR
    assert '"label:flagshp" matches no store (did you mean flagship?)' in bad.stderr


# 8. -q is quiet ------------------------------------------------------------------------------


def test_quiet_means_only_data_and_errors(synced, tmp_path: Path) -> None:
    code = _codes(synced)[5]
    path = _websites(tmp_path / "w.csv", [code], "q")
    plan = synced("profiles", "plan", str(path), "-q")
    assert plan.exit_code == 0 and plan.stdout == "" and plan.stderr == ""
    plan_json = synced("profiles", "plan", str(path), "-q", "--json")
    assert plan_json.stderr == "" and json.loads(plan_json.stdout)["stores"]
    applied = synced("profiles", "apply", str(path), "--yes", "-q")
    assert applied.exit_code == 0 and applied.stdout == "" and applied.stderr == ""
    run_id = synced.json("profiles", "history")[0]["id"]
    undone = synced("profiles", "undo", run_id, "--yes", "-q")
    assert undone.exit_code == 0 and undone.stdout == "" and undone.stderr == ""
    sync = synced("locations", "sync", "-q")
    assert sync.stdout == "" and sync.stderr == ""


def test_quiet_drift_with_no_drift_prints_nothing(synced) -> None:
    first = synced("profiles", "drift", "--policy", "examples/profiles/drift-policy.toml", "--yes", "-q")
    assert first.exit_code in (0, ExitCode.PARTIAL)
    drift_ws = config.open_workspace("default")
    assert drift_ws  # the sandbox city drifts on purpose; accept what Google shows:
    accept = Path(synced.home) / "accept.toml"
    accept.write_text('default = "accept"\n', encoding="utf-8")
    assert synced("profiles", "drift", "--policy", str(accept), "--yes", "-q").exit_code == 0
    quiet = synced("profiles", "drift", "-q")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")


# 9. exit codes -------------------------------------------------------------------------------


def test_ctrl_c_at_the_prompt_exits_130(synced, tmp_path: Path, monkeypatch) -> None:
    def ctrl_c(*args, **kwargs):
        raise typer.Abort()

    monkeypatch.setattr(_runs.typer, "confirm", ctrl_c)
    app_state = AppState("default", terminal=person())
    with pytest.raises(typer.Exit) as stopped:
        _runs.confirm(app_state, False, "Apply?", "plan-x")
    assert stopped.value.exit_code == ExitCode.INTERRUPTED
    code = _codes(synced)[0]
    path = _websites(tmp_path / "w.csv", [code], "c")
    status, _out, err = at_terminal(synced, "profiles", "apply", str(path))
    assert status == ExitCode.INTERRUPTED and "nothing was sent" in err


def test_a_dry_run_with_conflicts_exits_3(synced, tmp_path: Path) -> None:
    code = _codes(synced)[0]
    first = synced("profiles", "plan", str(_websites(tmp_path / "a.csv", [code], "a")), "--json")
    plan_id = json.loads(first.stdout)["id"]
    assert synced("profiles", "apply", str(_websites(tmp_path / "b.csv", [code], "b")), "--yes").exit_code == 0
    dry = synced("profiles", "apply", "--plan", plan_id, "--dry-run", "--json")
    assert dry.exit_code == ExitCode.PARTIAL, dry.stderr
    assert json.loads(dry.stdout)["problems"][0]["status"] == "conflict"


def test_plan_of_a_missing_file_exits_1(synced) -> None:
    result = synced("profiles", "plan", "nosuch.csv")
    assert result.exit_code == ExitCode.ERROR and "nosuch.csv: no such file" in result.stderr


def test_undoing_a_run_that_changed_nothing_is_a_clear_no_op(synced, tmp_path: Path) -> None:
    code = _codes(synced)[0]
    path = _websites(tmp_path / "w.csv", [code], "d")
    synced.settings(sandbox={"faults": "400@locations.patch:x1"})  # Google refuses the one edit
    assert synced("profiles", "apply", str(path), "--yes").exit_code == ExitCode.PARTIAL
    run_id = synced.json("profiles", "history")[0]["id"]
    result = synced("profiles", "undo", run_id, "--yes")
    assert result.exit_code == 0, result.stderr
    assert f"Nothing to undo: {run_id} changed no store" in result.stderr
    as_json = synced("profiles", "undo", run_id, "--yes", "--json")
    assert json.loads(as_json.stdout)["status"] == "nothing to undo"


def test_resume_json_with_nothing_open_prints_an_object(synced) -> None:
    result = synced("profiles", "resume", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"run_id": None, "status": "nothing to resume", "counts": {}}


# 10. human output at 80 columns ----------------------------------------------------------------


def test_history_at_80_columns_keeps_run_ids_whole(synced, tmp_path: Path) -> None:
    codes = _codes(synced)[:2]
    long_source = tmp_path / ("a-rather-long-folder-name-for-the-desired-state-" * 2)
    long_source.mkdir()
    assert synced("profiles", "apply", str(_websites(long_source / "w.csv", codes, "h")), "--yes").exit_code == 0
    run_id = synced.json("profiles", "history")[0]["id"]
    status, out, _ = at_terminal(synced, "profiles", "history")
    assert status == 0
    assert fits(out)
    assert any(line.startswith(run_id) for line in out.splitlines())
    status, out, _ = at_terminal(synced, "profiles", "history", run_id)
    assert status == 0 and "{" not in out and "True" not in out
    assert fits(out)


def test_locations_list_at_80_columns_shows_times_and_phones_for_people(synced) -> None:
    stores = synced.json("locations", "list")
    assert stores[0]["updated_at"].endswith("Z")  # UTC ISO for scripts
    status, out, _ = at_terminal(synced, "locations", "list")
    assert status == 0
    lines = out.splitlines()
    assert fits(out)
    for store in stores:
        assert any(line.startswith(store["store_code"] + " ") for line in lines)
    assert "True" not in out and "[" not in out
    status, shown, _ = at_terminal(synced, "locations", "show", stores[0]["store_code"])
    assert "Z " not in shown and "T0" not in shown.split("location_id")[1].split("\n")[0]
    phone = next(line for line in lines[2:] if line.startswith(stores[0]["store_code"]))
    from localcx.render.human import phone as phone_for_people

    assert phone_for_people(stores[0]["primary_phone"]) in phone  # whole, not cut
    assert phone_for_people(stores[0]["primary_phone"]) in shown


def test_doctor_table_shows_no_python_values(synced) -> None:
    status, out, _ = at_terminal(synced, "doctor")
    assert status == 0 and "True" not in out and "False" not in out and " ok " in f" {out}"


# 11. help --------------------------------------------------------------------------------------


def _all_commands():
    from typer.main import get_command

    def walk(group, prefix):
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                yield from walk(command, [*prefix, name])
            else:
                yield [*prefix, name]

    return list(walk(get_command(app), []))


@pytest.mark.parametrize("path", _all_commands(), ids=" ".join)
def test_every_command_help_has_an_example_and_no_bool_metavar(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    assert "Example: localcx" in result.stdout, path
    assert "<bool>" not in result.stdout, path


def test_top_level_help_names_every_group() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for group in ("locations", "profiles", "posts", "rank", "reviews", "insights"):
        assert group in result.stdout
    assert "<bool>" not in result.stdout and "--show-completion" in result.stdout


def test_undo_force_help_is_about_stores_changed_since_the_run() -> None:
    result = CliRunner().invoke(app, ["profiles", "undo", "--help"], env={"COLUMNS": "120"})
    assert "Also revert stores changed since the run." in result.stdout


def test_show_completion_for_bash() -> None:
    result = CliRunner().invoke(app, ["--show-completion", "bash"])
    assert result.exit_code == 0
    assert "complete" in result.stdout and "COMP_WORDS" in result.stdout
