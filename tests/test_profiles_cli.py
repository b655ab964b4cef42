"""Bulk profile edits end to end: export → edit → plan → apply → plan again → undo."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from localcx import config
from localcx.exitcodes import ExitCode
from localcx.profiles.fields import location_values
from localcx.sandbox.state import SandboxState
from localcx.tour import set_day


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fieldnames: list[str], rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _websites(path: Path, stores: list[dict], prefix: str) -> Path:
    """A desired-state CSV giving each store the website `https://example.com/{prefix}/{i}`."""
    lines = [f"{s['store_code']},https://example.com/{prefix}/{i}" for i, s in enumerate(stores)]
    path.write_text("store_code,website\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def _sandbox_values() -> dict[str, dict[str, str]]:
    """Store code → canonical values, read from the sandbox's own state (Google's side)."""
    ws = config.open_workspace("default")
    state = SandboxState.open(ws.sandbox_path)
    try:
        out = {}
        for loc in state.locations():
            region = loc.get("storefrontAddress", {}).get("regionCode", "US")
            out[loc["storeCode"]] = location_values(loc, region)
        return out
    finally:
        state.close()


@pytest.mark.parametrize("layout", ["localcx", "google-bulk"])
def test_unedited_export_plans_zero_changes(synced, tmp_path, layout):
    out = tmp_path / "stores.csv"
    assert synced("locations", "export", str(out), "--format", layout).exit_code == 0
    result = synced("profiles", "plan", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    assert "No changes" in result.stderr
    assert json.loads(result.stdout)["stores_changed"] == 0


def test_saturday_hours_and_three_phones_plan_apply_undo(synced, tmp_path):
    exported = tmp_path / "export.csv"
    assert synced("locations", "export", str(exported)).exit_code == 0
    fieldnames, rows = _read(exported)
    originals = _sandbox_values()
    new_phones = {}
    for i, row in enumerate(rows):
        row["regular_hours"] = set_day(row["regular_hours"], "Sat", "10:00-16:00")
        if i < 3:
            japanese = row["primary_phone"].startswith("+81")
            new_phones[row["store_code"]] = f"+81 3-5555-01{i:02d}" if japanese else f"+1 206-555-01{i:02d}"
            row["primary_phone"] = new_phones[row["store_code"]]
    edited = _write(tmp_path / "stores.csv", fieldnames, rows)

    plan = synced("profiles", "plan", str(edited), "--json")
    assert plan.exit_code == 0, plan.stderr
    body = json.loads(plan.stdout)
    changed = {s["store_code"]: set(s["after"]) for s in body["stores"]}
    saturday_changes = {c for c, fields in changed.items() if "regular_hours" in fields}
    expected_saturday = {c for c, v in originals.items() if v["regular_hours"] != set_day(v["regular_hours"], "Sat", "10:00-16:00")}
    assert saturday_changes == expected_saturday and len(saturday_changes) >= 25
    assert {c for c, fields in changed.items() if "primary_phone" in fields} == set(new_phones)
    assert all(fields <= {"regular_hours", "primary_phone"} for fields in changed.values())
    for store in body["stores"]:
        assert set(store["update_mask"]) <= {"regularHours", "phoneNumbers"}

    applied = synced("profiles", "apply", "--plan", body["id"], "--yes", "--json")
    assert applied.exit_code == 0, applied.stderr
    run = json.loads(applied.stdout)
    assert run["status"] == "done" and run["counts"] == {"done": len(body["stores"])}

    again = synced("profiles", "plan", str(edited), "--json")
    assert json.loads(again.stdout)["stores_changed"] == 0
    live = _sandbox_values()
    for code, value in live.items():
        assert value["regular_hours"] == set_day(originals[code]["regular_hours"], "Sat", "10:00-16:00")
        if code in new_phones:
            assert value["primary_phone"] != originals[code]["primary_phone"]

    undone = synced("profiles", "undo", run["run_id"], "--yes", "--json")
    assert undone.exit_code == 0, undone.stderr
    assert _sandbox_values() == originals
    original_csv = synced("profiles", "plan", str(exported), "--json")
    assert json.loads(original_csv.stdout)["stores_changed"] == 0

    history = synced.json("profiles", "history")
    assert [r["kind"] for r in history] == ["undo", "apply"]
    saved = synced.json("profiles", "history", "--plans")
    assert body["id"] in {p["id"] for p in saved} and saved[-1]["changes"] == body["changes"]
    edits = synced.json("profiles", "history", run["run_id"])
    assert len(edits) == len(body["stores"]) and all(e["status"] == "done" for e in edits)


def test_apply_without_tty_or_yes_refuses_and_sends_nothing(synced, tmp_path):
    exported = tmp_path / "export.csv"
    synced("locations", "export", str(exported))
    fieldnames, rows = _read(exported)
    rows[0]["website"] = "https://example.com/new"
    edited = _write(tmp_path / "stores.csv", fieldnames, rows)
    result = synced("profiles", "apply", str(edited))
    assert result.exit_code == ExitCode.USAGE
    assert "pass --yes" in result.stderr
    assert synced.json("profiles", "history") == []


def test_bad_phone_names_file_line_column_and_sends_nothing(synced, tmp_path):
    stores = synced.json("locations", "list")
    jp = [s for s in stores if s["region_code"] == "JP"][:8]
    lines = ["store_code,phone"] + [f"{s['store_code']},03-5555-{1000 + i}" for i, s in enumerate(jp)]
    lines[6] = f"{jp[5]['store_code']},03-1234"
    path = tmp_path / "stores.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = synced("profiles", "apply", str(path), "--yes")
    assert result.exit_code == ExitCode.ERROR
    assert f"{path}:7:phone: " in result.stderr
    assert "nothing was planned" in result.stderr
    assert synced.json("profiles", "history") == []
    skipped = synced("profiles", "plan", str(path), "--skip-invalid", "--json")
    assert skipped.exit_code == 0, skipped.stderr
    plan = json.loads(skipped.stdout)
    assert jp[5]["store_code"] in plan["skipped"]
    assert {s["store_code"] for s in plan["stores"]} == {s["store_code"] for s in jp} - {jp[5]["store_code"]}


def test_cp932_csv_with_japanese_day_names(synced, tmp_path):
    stores = synced.json("locations", "list")
    jp = [s["store_code"] for s in stores if s["region_code"] == "JP"][:3]
    text = "store_code,regular_hours\n"
    for code in jp:
        text += f"{code},月-金 11:00〜15:00、17:00〜22:00; 土日 11:00-21:00; 水 定休日\n"
    path = tmp_path / "stores-cp932.csv"
    path.write_bytes(text.encode("cp932"))
    result = synced("profiles", "plan", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    after = {s["store_code"]: s["after"]["regular_hours"] for s in plan["stores"]}
    assert set(after) == set(jp)
    assert set(after.values()) == {"Mon-Tue 11:00-15:00, 17:00-22:00; Thu-Fri 11:00-15:00, 17:00-22:00; Sat-Sun 11:00-21:00"}


def test_conflict_when_google_changed_since_plan(synced, tmp_path):
    stores = synced.json("locations", "list")
    code = stores[0]["store_code"]
    path = tmp_path / "w.csv"
    path.write_text(f"store_code,website\n{code},https://example.com/planned\n", encoding="utf-8")
    plan_id = json.loads(synced("profiles", "plan", str(path), "--json").stdout)["id"]
    # Someone else edits the same field on Google after the plan was made.
    ws = config.open_workspace("default")
    from localcx import db as dbmod
    from localcx.backend import connect

    database = dbmod.open_db(ws.db_path)
    google = connect(ws, database)
    google.business.patch_location(stores[0]["location_id"], {"websiteUri": "https://example.com/other"}, ["websiteUri"])
    google.close()
    database.close()
    result = synced("profiles", "apply", "--plan", plan_id, "--yes", "--json")
    assert result.exit_code == ExitCode.PARTIAL
    run = json.loads(result.stdout)
    assert run["problems"][0]["status"] == "conflict"
    assert "website" in run["problems"][0]["error"]
    assert _sandbox_values()[code]["website"] == "https://example.com/other"
    forced = synced("profiles", "apply", "--plan", plan_id, "--yes", "--force", "--json")
    assert forced.exit_code == 0, forced.stderr
    assert _sandbox_values()[code]["website"] == "https://example.com/planned"


def test_google_rejection_is_a_partial_failure_with_reason(synced, tmp_path):
    synced.settings(sandbox={"faults": "400@locations.patch:x1"})
    stores = synced.json("locations", "list")[:2]
    path = _websites(tmp_path / "d.csv", stores, "r")
    result = synced("profiles", "apply", str(path), "--yes", "--json", "--workers", "1")
    assert result.exit_code == ExitCode.PARTIAL, result.stderr
    run = json.loads(result.stdout)
    assert run["counts"] == {"done": 1, "failed": 1}
    assert run["problems"][0]["error"].startswith("400 INVALID_ARGUMENT")


def test_unknown_category_is_caught_before_sending(synced, tmp_path):
    code = synced.json("locations", "list")[0]["store_code"]
    path = tmp_path / "c.csv"
    path.write_text(f"store_code,primary_category\n{code},gcid:coffe_shop\n", encoding="utf-8")
    result = synced("profiles", "plan", str(path))
    assert result.exit_code == ExitCode.ERROR
    assert f"{path}:2:primary_category:" in result.stderr and "gcid:coffee_shop" in result.stderr


def test_holidays_plan_merges_existing_special_hours(synced):
    result = synced(
        "profiles", "holidays", "--country", "JP", "--year", "2027", "--closed", "--stores", "country:JP", "--json"
    )
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    before = _sandbox_values()
    jp = {s["store_code"] for s in synced.json("locations", "list") if s["region_code"] == "JP"}
    assert {s["store_code"] for s in plan["stores"]} == jp
    for store in plan["stores"]:
        after = store["after"]["special_hours"]
        assert "2027-01-01 closed" in after
        for part in filter(None, before[store["store_code"]]["special_hours"].split("; ")):
            if not part.startswith("2027-"):
                assert part in after
    applied = synced("profiles", "apply", "--plan", plan["id"], "--yes", "--json")
    assert applied.exit_code == 0, applied.stderr
    assert all("2027-05-03 closed" in _sandbox_values()[code]["special_hours"] for code in jp)


def test_us_holiday_hours_for_a_label(synced):
    stores = synced.json("locations", "list")
    label = next(name for s in stores if s["region_code"] == "US" for name in s["labels"])
    result = synced(
        "profiles", "holidays", "--country", "US", "--year", "2027", "--hours", "10:00-15:00",
        "--stores", f"label:{label}", "--json",
    )
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["stores"] and all("2027-07-05 10:00-15:00" in s["after"]["special_hours"] for s in plan["stores"])
    assert {s["store_code"] for s in plan["stores"]} <= {s["store_code"] for s in stores if label in s["labels"]}


def test_drift_reports_google_edits_and_policy_resolves(synced, tmp_path):
    report = synced("profiles", "drift", "--json")
    assert report.exit_code == ExitCode.PARTIAL
    items = json.loads(report.stdout)
    google_items = [i for i in items if i["kind"] == "google"]
    assert google_items and all(i["ours"] != i["google"] for i in google_items)
    policy = tmp_path / "policy.toml"
    policy.write_text('default = "reassert"\n[fields]\nwebsite = "accept"\n', encoding="utf-8")
    resolved = synced("profiles", "drift", "--policy", str(policy), "--yes", "--json")
    assert resolved.exit_code == 0, resolved.stderr
    after = synced("profiles", "drift", "--json")
    assert after.exit_code == 0, after.stdout
    assert [i for i in json.loads(after.stdout) if i["kind"] == "google"] == []


def test_daily_update_cap_stops_with_exit_4_and_resume_finishes(synced, tmp_path):
    synced.settings(sandbox={"daily_updates": 5})
    stores = synced.json("locations", "list")[:10]
    path = _websites(tmp_path / "w.csv", stores, "d")
    result = synced("profiles", "apply", str(path), "--yes", "--workers", "1")
    assert result.exit_code == ExitCode.QUOTA, result.stderr
    assert "daily quota used up" in result.stderr
    run = synced.json("profiles", "history")[0]
    assert (run["status"], run["done"], run["open"]) == ("interrupted", 5, 5)
    synced.settings(sandbox={"daily_updates": 10000})
    resumed = synced("profiles", "resume", "--json")
    assert resumed.exit_code == 0, resumed.stderr
    assert json.loads(resumed.stdout)["counts"] == {"done": 10}
    assert all(_sandbox_values()[s["store_code"]]["website"] == f"https://example.com/d/{i}" for i, s in enumerate(stores))


@pytest.mark.parametrize("name", ["stores.csv", "stores-cp932.csv", "defaults.toml", "google-bulk.csv"])
def test_shipped_examples_plan_cleanly(synced, name):
    example = Path(__file__).parents[1] / "examples" / "profiles" / name
    result = synced("profiles", "plan", str(example), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["stores_changed"] > 0


def test_preflight_stops_a_rejected_edit_before_it_is_sent(synced, tmp_path):
    synced.settings(sandbox={"faults": "400@locations.patch:x1"})
    stores = synced.json("locations", "list")[:2]
    path = _websites(tmp_path / "p.csv", stores, "p")
    result = synced("profiles", "apply", str(path), "--yes", "--preflight", "--workers", "1", "--json")
    assert result.exit_code == ExitCode.PARTIAL, result.stderr
    run = json.loads(result.stdout)
    assert run["counts"] == {"done": 1, "failed": 1}
    assert run["problems"][0]["error"].startswith("preflight: 400")
    ws = config.open_workspace("default")
    state = SandboxState.open(ws.sandbox_path)
    try:
        assert sum(state.patch_counts().values()) == 1
    finally:
        state.close()


def test_dry_run_sends_nothing_and_records_no_run(synced, tmp_path):
    code = synced.json("locations", "list")[0]["store_code"]
    path = tmp_path / "d.csv"
    path.write_text(f"store_code,website\n{code},https://example.com/dry\n", encoding="utf-8")
    result = synced("profiles", "apply", str(path), "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["counts"] == {"would send": 1}
    assert synced.json("profiles", "history") == []
    assert _sandbox_values()[code]["website"] != "https://example.com/dry"


def test_resume_with_nothing_unfinished_is_fine_for_cron(synced):
    result = synced("profiles", "resume")
    assert result.exit_code == 0
    assert "Nothing to resume" in result.stderr


def test_a_spreadsheet_file_is_refused_with_how_to_save_it(synced, tmp_path):
    path = tmp_path / "stores.xlsx"
    path.write_bytes(b"PK\x03\x04not really")
    result = synced("profiles", "plan", str(path))
    assert result.exit_code == ExitCode.ERROR
    assert f"{path}: unsupported file type" in result.stderr and "CSV UTF-8" in result.stderr
    assert "--skip-invalid" not in result.stderr


def test_store_without_a_store_code_is_keyed_by_location_id(synced, tmp_path):
    store = synced.json("locations", "list")[0]
    ws = config.open_workspace("default")
    from localcx import db as dbmod
    from localcx.backend import connect

    database = dbmod.open_db(ws.db_path)
    google = connect(ws, database)
    google.business.patch_location(store["location_id"], {}, ["storeCode"])  # Google allows no code
    google.close()
    database.close()
    assert synced("locations", "sync").exit_code == 0
    export = tmp_path / "stores.csv"
    assert synced("locations", "export", str(export)).exit_code == 0
    key = f"locations/{store['location_id']}"
    assert f"\n{key}," in export.read_text(encoding="utf-8")
    assert json.loads(synced("profiles", "plan", str(export), "--json").stdout)["stores_changed"] == 0
    path = tmp_path / "k.csv"
    path.write_text(f"store_code,website\n{key},https://example.com/no-code\n", encoding="utf-8")
    result = synced("profiles", "apply", str(path), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert synced.json("locations", "show", key)["website"] == "https://example.com/no-code"


def test_holiday_hours_that_do_not_parse_are_a_usage_error(synced):
    result = synced("profiles", "holidays", "--country", "JP", "--year", "2027", "--hours", "25:00-26:00")
    assert result.exit_code == ExitCode.USAGE
    assert "--hours '25:00-26:00'" in result.stderr
