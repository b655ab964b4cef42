"""Campaign posts through the CLI against the in-process sandbox: queue, publish once,
lint per store, cancel, delete, sync Google's verdicts, list shapes, variants, encodings."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from posts_helpers import (
    STANDARD,
    post_counts,
    sandbox_posts,
    statuses,
    verified_location_ids,
    write,
)

from localcx import config
from localcx.clock import Clock

PAST = "2020-01-01 09:00"


def _ws() -> config.Workspace:
    return config.open_workspace("default")


def _list(cli, *args: str) -> list[dict]:
    return cli.json("posts", "list", *args)


def test_a_past_campaign_is_due_now_and_publishes_once_per_store(synced, tmp_path):
    template = write(tmp_path / "t.toml", STANDARD)
    added = synced("posts", "add", str(template), "--at", PAST, "--json")
    ws = _ws()
    verified = verified_location_ids(ws)
    unverified = 30 - len(verified)
    # Stores without Voice of Merchant cannot post: refused at add, by name, nothing queued.
    assert added.exit_code == (3 if unverified else 0), added.stderr
    summary = json.loads(added.stdout)
    assert summary["queued"] == len(verified)
    assert len(summary["refused_stores"]) == unverified
    for code in summary["refused_stores"]:
        assert f"store {code}" in added.stderr and "Voice of Merchant" in added.stderr

    first = synced("posts", "run-due", "--json")
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["counts"] == {"done": len(verified)}
    counts = post_counts(ws.sandbox_path)
    assert set(counts) == verified and set(counts.values()) == {1}

    second = synced("posts", "run-due")
    assert second.exit_code == 0, second.stderr
    assert "Nothing due" in second.stderr
    assert post_counts(ws.sandbox_path) == counts
    assert statuses(ws) == {"published": len(verified)}
    again = synced("posts", "add", str(template), "--at", PAST, "--json")
    assert json.loads(again.stdout)["queued"] == 0  # the same campaign twice queues nothing twice


def _long_vars(tmp_path, code: str, encoding: str = "utf-8"):
    lines = ["store_code,dish"]
    for n in range(1, 16):
        for city in ("SEA", "TKY"):
            store = f"{city}-{n:03d}"
            lines.append(f"{store},{'x' * 1600 if store == code else 'ramen'}")
    return write(tmp_path / "vars.csv", "\n".join(lines) + "\n", encoding)


TOO_LONG = """\
topic = "STANDARD"
name = "winter"
summary = "Try {{ vars.dish }} at {{ store.title }}."
"""


def test_a_summary_too_long_for_one_store_is_reported_by_line_and_store(synced, tmp_path):
    template = write(tmp_path / "long.toml", TOO_LONG)
    variables = _long_vars(tmp_path, "SEA-003")
    preview = synced("posts", "preview", str(template), "--vars", str(variables), "--at", PAST, "--stores", "SEA-001,SEA-002,SEA-003")
    assert preview.exit_code == 3, preview.stderr
    assert f"{template}:3:summary: store SEA-003: summary is 1,6" in preview.stderr
    assert "SEA-001" not in preview.stderr.split("refuse")[0].replace("store SEA-003", "")

    added = synced("posts", "add", str(template), "--vars", str(variables), "--at", PAST, "--stores", "SEA-001,SEA-002,SEA-003", "--json")
    assert added.exit_code == 3, added.stderr
    assert f"{template}:3:summary: store SEA-003" in added.stderr
    summary = json.loads(added.stdout)
    assert summary["queued"] == 2 and summary["refused_stores"] == ["SEA-003"]
    assert sorted(p["store_code"] for p in _list(synced)) == ["SEA-001", "SEA-002"]


UNDEFINED = """\
topic = "STANDARD"
summary = \"\"\"
Hello from {{ store.title }}.
Today: {{ vars.special }}.
\"\"\"
"""


def test_an_undefined_variable_names_the_template_line_and_the_store(synced, tmp_path):
    template = write(tmp_path / "u.toml", UNDEFINED)
    variables = write(tmp_path / "v.csv", "store_code,special\nSEA-001,scones\n")
    result = synced("posts", "preview", str(template), "--vars", str(variables), "--stores", "SEA-001,SEA-002")
    assert result.exit_code == 3
    assert f"{template}:4:summary: store SEA-002:" in result.stderr
    assert "special" in result.stderr
    assert "store SEA-001" not in result.stderr


def test_cancel_a_queued_post_but_not_a_published_one(synced, tmp_path):
    template = write(tmp_path / "t.toml", STANDARD)
    assert synced("posts", "add", str(template), "--stores", "SEA-001,SEA-002", "--at", PAST).exit_code == 0
    posts = {p["store_code"]: p["id"] for p in _list(synced)}
    cancelled = synced("posts", "cancel", posts["SEA-001"])
    assert cancelled.exit_code == 0 and "Cancelled 1 post" in cancelled.stderr
    assert synced("posts", "run-due").exit_code == 0
    by_store = {p["store_code"]: p for p in _list(synced)}
    assert by_store["SEA-001"]["status"] == "cancelled" and by_store["SEA-002"]["status"] == "published"
    assert sum(post_counts(_ws().sandbox_path).values()) == 1
    refused = synced("posts", "cancel", posts["SEA-002"])
    assert refused.exit_code == 2
    assert "is published" in refused.stderr and "posts delete" in refused.stderr
    assert synced("posts", "cancel", "post-nope").exit_code == 1


def test_delete_removes_the_post_on_google(synced, tmp_path):
    template = write(tmp_path / "t.toml", STANDARD)
    assert synced("posts", "add", str(template), "--stores", "SEA-001,SEA-002", "--at", PAST).exit_code == 0
    assert synced("posts", "run-due").exit_code == 0
    posts = {p["store_code"]: p for p in _list(synced)}
    refused = synced("posts", "delete", posts["SEA-001"]["id"])  # no TTY, no --yes
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    deleted = synced("posts", "delete", posts["SEA-001"]["id"], "--yes", "--json")
    assert deleted.exit_code == 0, deleted.stderr
    assert json.loads(deleted.stdout)["counts"] == {"done": 1}
    names = {p.name for p in sandbox_posts(_ws().sandbox_path)}
    assert posts["SEA-001"]["google_name"] not in names and posts["SEA-002"]["google_name"] in names
    by_store = {p["store_code"]: p for p in _list(synced)}
    assert by_store["SEA-001"]["status"] == "deleted"
    again = synced("posts", "delete", posts["SEA-001"]["id"], "--yes")
    assert again.exit_code == 2 and "is deleted" in again.stderr


PHONE = """\
topic = "STANDARD"
summary = "Call us on {{ store.phone }} to book at {{ store.title }}."
"""


def test_sync_reports_posts_google_rejected(synced, tmp_path, monkeypatch):
    ahead = {"seconds": 0.0}
    real = Clock.now
    monkeypatch.setattr(Clock, "now", lambda self: real(self) + ahead["seconds"])
    phone = write(tmp_path / "phone.toml", PHONE)
    plain = write(tmp_path / "t.toml", STANDARD)
    added = synced("posts", "add", str(phone), "--stores", "SEA-001", "--at", PAST)
    assert added.exit_code == 0 and "phone number in the text" in added.stderr  # warned, not refused
    assert synced("posts", "add", str(plain), "--stores", "SEA-001,SEA-002,SEA-004,SEA-005", "--at", PAST).exit_code == 0
    assert synced("posts", "run-due").exit_code == 0
    before = synced("posts", "sync", "--json")
    assert before.exit_code == 0 and json.loads(before.stdout) == []

    ahead["seconds"] = 6 * 60  # Google's moderation has had its five minutes
    result = synced("posts", "sync", "--json")
    assert result.exit_code == 3, result.stderr
    changes = json.loads(result.stdout)
    rejected = {c["post_id"] for c in changes if c["after"] == "REJECTED"}
    phone_post = next(p for p in _list(synced) if "Call us" in p["summary"])
    assert phone_post["id"] in rejected and phone_post["google_state"] == "REJECTED"
    assert f"{phone_post['store_code']}: post {phone_post['id']} was REJECTED" in result.stderr
    assert {c["before"] for c in changes} == {"LIVE"}
    quiet = synced("-q", "posts", "sync")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""  # nothing new


def test_list_json_and_csv_shapes(synced, tmp_path):
    template = write(tmp_path / "t.toml", STANDARD)
    assert synced("posts", "add", str(template), "--stores", "SEA-001,TKY-001", "--at", PAST).exit_code == 0
    queued = _list(synced)
    keys = {"id", "store_code", "due_at", "via", "status", "google_state", "topic", "summary",
            "attempts", "error", "google_name", "search_url", "published_at"}
    assert [set(p) for p in queued] == [keys, keys]
    assert {p["status"] for p in queued} == {"queued"}
    assert synced("posts", "run-due").exit_code == 0
    published = _list(synced, "--status", "published")
    assert len(published) == 2 and all(p["google_state"] == "LIVE" and p["search_url"] for p in published)
    result = synced("posts", "list", "--csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 2 and set(rows[0]) == keys
    assert _list(synced, "--stores", "TKY-001")[0]["store_code"] == "TKY-001"
    assert _list(synced, "--status", "queued") == []
    assert synced("posts", "list", "--json", "--csv").exit_code == 2


def test_japanese_stores_get_the_japanese_variant(synced, tmp_path):
    template = write(tmp_path / "t.toml", STANDARD)
    rows = {r["store_code"]: r for r in synced.json("posts", "preview", str(template), "--stores", "SEA-001,TKY-001")}
    assert rows["TKY-001"]["language"] == "ja" and "焼きたて" in rows["TKY-001"]["summary"]
    assert rows["TKY-001"]["post"]["languageCode"] == "ja"
    assert rows["SEA-001"]["language"] == "en" and rows["SEA-001"]["summary"].startswith("Fresh pastries")
    # The variant keeps the default's call to action.
    assert rows["TKY-001"]["post"]["callToAction"]["url"] == "https://example.com/tky-001"


def test_a_cp932_variables_file(synced, tmp_path):
    template = write(tmp_path / "t.toml", 'topic = "STANDARD"\nsummary = "{{ vars.dish }}はいかが？"\n')
    variables = write(tmp_path / "v.csv", "store_code,dish\nTKY-001,味噌ラーメン\nTKY-003,塩ラーメン\n", "cp932")
    rows = synced.json("posts", "preview", str(template), "--stores", "TKY-001,TKY-003", "--vars", str(variables))
    assert [r["summary"] for r in rows] == ["味噌ラーメンはいかが？", "塩ラーメンはいかが？"]


def test_a_long_japanese_summary_names_the_variant_line(synced, tmp_path):
    template = write(tmp_path / "t.toml", STANDARD.replace("で焼きたてのパンをどうぞ。", "。" + "あ" * 1500))
    result = synced("posts", "preview", str(template), "--stores", "TKY-001,SEA-001")
    assert result.exit_code == 3
    assert f"{template}:7:summary: store TKY-001: summary is" in result.stderr
    assert "store SEA-001" not in result.stderr


def test_quiet_run_due_prints_nothing(synced, tmp_path):
    template = write(tmp_path / "t.toml", STANDARD)
    assert synced("-q", "posts", "add", str(template), "--stores", "SEA-001", "--at", PAST).stderr == ""
    result = synced("-q", "posts", "run-due")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    nothing = synced("-q", "posts", "run-due")
    assert nothing.exit_code == 0 and nothing.stdout == "" and nothing.stderr == ""


@pytest.mark.parametrize("at", ["2020-01-01 09:00", "2020-01-01", "now"])
def test_past_and_now_are_due_at_once(synced, tmp_path, at):
    template = write(tmp_path / "t.toml", STANDARD)
    assert synced("posts", "add", str(template), "--stores", "SEA-001", "--at", at).exit_code == 0
    time.sleep(0.01)
    result = synced("posts", "run-due", "--json")
    assert json.loads(result.stdout)["counts"] == {"done": 1}


def test_a_create_whose_answer_was_lost_is_found_not_sent_again(synced, tmp_path):
    synced.settings(sandbox={"faults": "timeout@localPosts.create:x1"})  # it lands; the answer is lost
    template = write(tmp_path / "t.toml", STANDARD)
    assert synced("posts", "add", str(template), "--stores", "SEA-001,SEA-002", "--at", PAST).exit_code == 0
    result = synced("posts", "run-due", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["counts"] == {"done": 2}
    assert set(post_counts(_ws().sandbox_path).values()) == {1}
    assert all(p["google_name"] and p["google_state"] == "LIVE" for p in _list(synced))


def test_an_overdue_via_google_post_goes_out_at_once(synced, tmp_path):
    template = write(tmp_path / "t.toml", STANDARD)
    added = synced("posts", "add", str(template), "--stores", "SEA-001", "--at", PAST, "--via", "google", "--json")
    assert added.exit_code == 0, added.stderr
    assert json.loads(added.stdout)["published"] == [{"done": 1}]
    (post,) = sandbox_posts(_ws().sandbox_path)
    assert "scheduledTime" not in post.body
    assert _list(synced)[0]["google_state"] == "LIVE"
