"""Workspaces, the store master and output formats, through the CLI against the sandbox."""

from __future__ import annotations

import csv
import io
import json
import stat

from localcx import config
from localcx.exitcodes import ExitCode

REQUIRED = {
    "location_id", "store_code", "title", "primary_phone", "website", "address", "city",
    "postal_code", "primary_category", "labels", "place_id", "lat", "lng", "updated_at",
}


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("localcx ")


def test_command_before_init_names_the_fix(cli):
    result = cli("locations", "list")
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    assert "workspace 'default' does not exist" in result.stderr
    assert "localcx init --sandbox" in result.stderr


def test_init_twice_needs_force_and_workspaces_lists_them(cli):
    assert cli("init", "--sandbox").exit_code == 0
    again = cli("init", "--sandbox")
    assert again.exit_code == ExitCode.ERROR and "already exists" in again.stderr
    assert cli("-w", "acme", "init", "--google").exit_code == 0
    listed = cli.json("workspaces", "list")
    assert [(w["name"], w["backend"], w["current"]) for w in listed] == [
        ("acme", "google", False),
        ("default", "sandbox", True),
    ]
    assert cli("init", "--sandbox", "--google").exit_code == ExitCode.USAGE


def test_workspace_from_environment(cli):
    assert cli("-w", "client-a", "init", "--sandbox").exit_code == 0
    result = cli("locations", "sync", env={"LOCALCX_WORKSPACE": "client-a"})
    assert result.exit_code == 0, result.stderr
    assert "Synced 30 stores" in result.stderr


def test_sync_then_list_json_has_every_store_and_field(synced):
    stores = synced.json("locations", "list")
    assert len(stores) >= 20
    for store in stores:
        assert set(store) >= REQUIRED
        assert isinstance(store["labels"], list)
    codes = [s["store_code"] for s in stores]
    assert len(set(codes)) == len(codes)
    assert any(s["region_code"] == "JP" for s in stores) and any(s["region_code"] == "US" for s in stores)


def test_sync_twice_changes_nothing_and_records_snapshots_once(synced):
    first = synced.json("locations", "sync")
    assert first == {
        "accounts": first["accounts"], "stores": 30, "new": 0, "changed": 0, "unchanged": 30, "removed": 0,
        "categories_fetched": 0,  # fetched by the first sync, fresh for a month
    }
    db_path = config.open_workspace("default").db_path
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("select count(*) from location_snapshots").fetchone()[0] == 30


def test_list_filters(synced):
    stores = synced.json("locations", "list")
    label = next(label for s in stores for label in s["labels"])
    with_label = synced.json("locations", "list", "--label", label)
    assert with_label and all(label in s["labels"] for s in with_label)
    city = stores[0]["city"]
    assert all(s["city"] == city for s in synced.json("locations", "list", "--city", city))
    code = stores[3]["store_code"]
    assert [s["store_code"] for s in synced.json("locations", "list", "--search", code)] == [code]


def test_csv_parses_and_piped_output_has_no_ansi(synced):
    result = synced("locations", "list", "--csv")
    assert result.exit_code == 0
    parsed = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(parsed) == 30 and set(parsed[0]) >= REQUIRED
    for args in (("locations", "list"), ("locations", "show", parsed[0]["store_code"])):
        plain = synced(*args, env={"NO_COLOR": "1"})
        assert plain.exit_code == 0
        assert "\x1b[" not in plain.stdout and "\x1b[" not in plain.stderr


def test_json_and_csv_together_is_a_usage_error(synced):
    result = synced("locations", "list", "--json", "--csv")
    assert result.exit_code == ExitCode.USAGE
    assert "choose one of" in result.stderr


def test_show_unknown_store_is_one_line_on_stderr(synced):
    result = synced("locations", "show", "NOPE")
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("localcx: error: no store 'NOPE' — ")


def test_show_history_lists_the_changed_fields(synced, tmp_path):
    store = synced.json("locations", "list")[0]
    path = tmp_path / "w.csv"
    path.write_text(f"store_code,website\n{store['store_code']},https://example.com/h\n", encoding="utf-8")
    assert synced("profiles", "apply", str(path), "--yes").exit_code == 0
    history = synced.json("locations", "show", store["store_code"], "--history")
    assert len(history) == 2
    assert "websiteUri" in history[1]["changed_fields"]


def test_show_by_code_and_by_location_id(synced):
    store = synced.json("locations", "list")[0]
    by_code = synced.json("locations", "show", store["store_code"])
    by_id = synced.json("locations", "show", f"locations/{store['location_id']}")
    assert by_code == by_id
    assert by_code["location"]["name"] == f"locations/{store['location_id']}"


def test_export_encodings_and_json(synced, tmp_path):
    out = tmp_path / "stores.csv"
    result = synced("locations", "export", str(out), "--encoding", "cp932")
    # The US stores carry ® in their titles, which CP932 has no code for.
    assert result.exit_code == ExitCode.ERROR
    assert "cp932 cannot hold" in result.stderr and "title ('®')" in result.stderr
    assert "nothing was written" in result.stderr
    assert not out.exists()
    assert synced("locations", "export", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 30 and any("店" in r["title"] for r in rows)
    # Japanese stores whose text fits CP932 (no ®) export for Excel in Japan.
    plain = [r["store_code"] for r in rows if r["store_code"].startswith("TKY-") and "®" not in r["title"]]
    jp = tmp_path / "jp.csv"
    result = synced("locations", "export", str(jp), "--encoding", "cp932", "--stores", ",".join(plain))
    assert result.exit_code == 0, result.stderr
    jp_rows = list(csv.DictReader(io.StringIO(jp.read_bytes().decode("cp932"))))
    assert [r["store_code"] for r in jp_rows] == plain
    assert synced("profiles", "plan", str(jp), "--json").exit_code == 0
    as_json = tmp_path / "stores.json"
    assert synced("locations", "export", str(as_json)).exit_code == 0
    items = json.loads(as_json.read_text(encoding="utf-8"))
    assert len(items) == 30 and "location" in items[0]
    bom = tmp_path / "bom.csv"
    assert synced("locations", "export", str(bom), "--encoding", "utf-8-sig").exit_code == 0
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")


def test_secrets_are_0600_and_never_printed(synced):
    ws = config.open_workspace("default")
    path = ws.write_secret("token.json", json.dumps({"token": "ya29.SECRET", "refresh_token": "1//SECRET"}))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    result = synced("auth", "status", "--json")
    assert result.exit_code == 0
    assert "SECRET" not in result.stdout + result.stderr
    info = json.loads(result.stdout)
    assert info["logged_in"] is True and info["token_file_mode"] == "0o600"
    assert synced("auth", "logout").exit_code == 0
    assert not path.exists()


def test_api_key_is_read_from_stdin_not_a_flag(synced):
    result = synced("auth", "login", "--api-key", input="AIza-TEST-KEY\n")
    assert result.exit_code == 0, result.stderr
    ws = config.open_workspace("default")
    assert ws.read_secret("places_api_key") == "AIza-TEST-KEY"
    assert "AIza" not in result.stdout + result.stderr


def test_doctor_passes_on_sandbox(synced):
    result = synced("doctor", "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert all(check["ok"] for check in json.loads(result.stdout))


def test_google_workspace_without_login_exits_5(cli):
    assert cli("init", "--google").exit_code == 0
    result = cli("locations", "sync")
    assert result.exit_code == ExitCode.AUTH
    assert "not logged in" in result.stderr and "auth login" in result.stderr
