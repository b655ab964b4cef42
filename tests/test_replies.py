"""Review replies through the CLI against the in-process sandbox on a virtual clock:
drafts in the review's language with varied openings, lint on every draft and edit,
approval rules (1-3 stars by id only), posting each approved reply once, Google's
moderation read back by `reviews sync`."""

from __future__ import annotations

import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from localcx import config
from localcx.clock import FakeClock
from localcx.commands._common import Environment
from localcx.commands.main import app
from localcx.db import open_db
from localcx.exitcodes import ExitCode
from localcx.render import Terminal
from localcx.reviews import drafting, posting, replies
from localcx.reviews import store as review_store
from localcx.sandbox.state import SandboxState
from localcx.session import Session
from localcx.text.reply_lint import MAX_BYTES, first_sentence, language_of

SEEDED_VIOLATIONS = {"OFF_TOPIC", "REPETITIVE", "GIBBERISH_AND_REPETITIVE", "UNCLEAR", "GENERIC_QUALITY"}


def with_reviews(cli, stores: int = 6) -> config.Workspace:
    """A sandbox workspace on a virtual clock, its stores and reviews synced."""
    cli.clock = FakeClock()
    assert cli("init", "--sandbox", "--stores", str(stores)).exit_code == 0
    cli.settings(http={"backoff_base": 0.001, "backoff_cap": 0.01})
    assert cli("locations", "sync").exit_code == 0
    result = cli("reviews", "sync")
    assert result.exit_code in (0, 3), result.stderr  # 3: an unverified store has no reviews to read
    return config.open_workspace("default")


def ok(cli, *args: str, code: int = 0, env: dict[str, str] | None = None) -> Any:
    result = cli(*args, env=env)
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def drafts(cli, *args: str) -> list[dict[str, Any]]:
    return json.loads(ok(cli, "reviews", "replies", "list", *args, "--json").stdout)


def reviews_by_id(cli) -> dict[str, dict[str, Any]]:
    return {r["review_id"]: r for r in json.loads(ok(cli, "reviews", "list", "--json").stdout)}


def put_counts(ws: config.Workspace) -> dict[str, int]:
    state = SandboxState.open(ws.sandbox_path)
    try:
        return state.reply_put_counts()
    finally:
        state.close()


def review_name(cli, review_id: str) -> str:
    return str(reviews_by_id(cli)[review_id]["name"])


def editor(tmp_path: Path, text: str) -> dict[str, str]:
    """An $EDITOR that replaces the file with `text` (a person typing it)."""
    source = tmp_path / "typed.txt"
    source.write_text(text, encoding="utf-8")
    script = tmp_path / "editor.py"
    script.write_text(
        "import shutil, sys\n"
        f"shutil.copyfile({str(source)!r}, sys.argv[1])\n",
        encoding="utf-8",
    )
    return {"EDITOR": f"{sys.executable} {script}", "VISUAL": ""}


# -- drafts ------------------------------------------------------------------------------


def test_drafts_for_every_review_of_a_demo_workspace_fit_read_right_and_never_open_alike(cli):
    with_reviews(cli, stores=30)
    reviews = reviews_by_id(cli)
    summary = json.loads(ok(cli, "reviews", "draft", "--overwrite", "--json").stdout)
    assert summary["drafted"] == len(reviews) > 1000
    assert summary["with_errors"] == 0 and summary["writer_failures"] == []
    found = drafts(cli)
    assert {d["review_id"] for d in found} == set(reviews)

    over = [d["id"] for d in found if len(d["text"].encode("utf-8")) > MAX_BYTES]
    wrong = [
        d["id"] for d in found
        if reviews[d["review_id"]]["lang"] in ("en", "ja")
        and language_of(d["text"], replies.names_of(reviews[d["review_id"]])) != reviews[d["review_id"]]["lang"]
    ]
    assert over == [] and wrong == []
    assert all(d["lang"] == reviews[d["review_id"]]["lang"] for d in found if reviews[d["review_id"]]["lang"] in ("en", "ja"))

    newest: dict[str, list[str]] = defaultdict(list)  # the list is newest first
    for d in found:
        if len(newest[d["store_code"]]) < 20:
            newest[d["store_code"]].append(first_sentence(d["text"]))
    assert len(newest) >= 20
    for store, openings in newest.items():
        assert len(set(openings)) == len(openings), (store, openings)

    by_lang = defaultdict(list)
    for d in found:
        by_lang[d["lang"]].append(d)
    assert set(by_lang) == {"en", "ja"}
    named_ja = [d for d in by_lang["ja"] if reviews[d["review_id"]]["reviewer"]]
    assert named_ja and all(first_sentence(d["text"]).split("、")[0].endswith("様") for d in named_ja)
    keigo = ("ござい", "いたします", "申し上げます", "存じます", "おります")
    assert all(any(k in d["text"] for k in keigo) for d in by_lang["ja"])
    assert not any("だよ" in d["text"] or "してね" in d["text"] for d in by_lang["ja"])
    low_ja = [d for d in by_lang["ja"] if d["stars"] <= 2]
    assert low_ja and all(("申し訳" in d["text"] or "お詫び" in d["text"]) and ("お声がけ" in d["text"] or "お申し付け" in d["text"]) for d in low_ja)
    low_en = [d for d in by_lang["en"] if d["stars"] <= 2]
    assert low_en and all("sorry" in d["text"].lower() and "manager" in d["text"] for d in low_en)
    anonymous = [d for d in found if reviews[d["review_id"]]["anonymous"]]
    assert anonymous and not any(d["text"].startswith(("Hi ", "Dear ")) for d in anonymous if d["lang"] == "en")


def test_draft_answers_each_aspect_the_review_mentions_in_its_language(cli):
    ws = with_reviews(cli)
    ok(cli, "reviews", "draft")
    phrases = drafting.Templates().phrases
    db = open_db(ws.db_path)
    try:
        checked = defaultdict(int)
        for d in drafts(cli):
            for aspect in {a["aspect"] for a in review_store.aspects_of(db, d["review_id"])}:
                answers = phrases[d["lang"]]["aspects"][aspect]
                assert any(answer in d["text"] for answer in answers), (aspect, d["text"])
                checked[d["lang"]] += 1
        assert checked["en"] > 10 and checked["ja"] > 10
    finally:
        db.close()


def test_replied_reviews_are_skipped_unless_overwrite_and_drafts_unless_redraft(cli):
    with_reviews(cli)
    reviews = reviews_by_id(cli)
    replied = {r for r, row in reviews.items() if row["reply_comment"] is not None}
    assert replied
    first = json.loads(ok(cli, "reviews", "draft", "--json").stdout)
    assert first["skipped_replied"] == len(replied)
    assert first["drafted"] == len(reviews) - len(replied)
    again = json.loads(ok(cli, "reviews", "draft", "--json").stdout)
    assert again["drafted"] == 0 and again["skipped_drafted"] == first["drafted"]
    wider = json.loads(ok(cli, "reviews", "draft", "--overwrite", "--json").stdout)
    assert wider["drafted"] == len(replied)
    assert {d["review_id"] for d in drafts(cli)} == set(reviews)
    redone = json.loads(ok(cli, "reviews", "draft", "--redraft", "--stars", "5", "--json").stdout)
    fives = {k for k, r in reviews.items() if r["stars"] == 5}
    assert redone["drafted"] == len(fives - replied) and redone["skipped_replied"] == len(fives & replied)


def test_signatures_per_store_and_a_users_templates_replace_the_built_in_ones(cli, tmp_path):
    with_reviews(cli)
    stores = json.loads(ok(cli, "locations", "list", "--json").stdout)
    code = stores[0]["store_code"]
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "en-positive.j2").write_text("{{ opening }} (custom for {{ store }})\n\n{{ signature }}\n", encoding="utf-8")
    cli.settings(replies={"signature": "Team {store}", "signatures": {code: "店長 山田"}, "templates": str(folder)})
    ok(cli, "reviews", "draft", "--overwrite")
    found = drafts(cli)
    mine = [d for d in found if d["store_code"] == code]
    assert mine and all(d["text"].endswith("店長 山田") for d in mine)
    others = [d for d in found if d["store_code"] != code]
    assert all(d["text"].splitlines()[-1].startswith("Team ") for d in others)
    positive_en = [d for d in found if d["lang"] == "en" and d["stars"] >= 4]
    assert positive_en and all("(custom for " in d["text"] for d in positive_en)
    assert all("(custom for " not in d["text"] for d in found if d["stars"] <= 2)


def test_a_template_with_an_unknown_variable_is_an_error_not_a_blank(cli, tmp_path):
    with_reviews(cli)
    folder = tmp_path / "broken"
    folder.mkdir()
    for band in ("positive", "mixed", "negative"):
        for lang in ("en", "ja"):
            (folder / f"{lang}-{band}.j2").write_text("{{ opening }} {{ no_such_thing }}\n", encoding="utf-8")
    cli.settings(replies={"templates": str(folder)})
    result = ok(cli, "reviews", "draft", code=1)
    assert "no_such_thing" in result.stderr and "template" in result.stderr
    assert drafts(cli) == []


def test_a_template_cannot_reach_python_internals(cli, tmp_path):
    with_reviews(cli)
    folder = tmp_path / "evil"
    folder.mkdir()
    for band in ("positive", "mixed", "negative"):
        for lang in ("en", "ja"):
            (folder / f"{lang}-{band}.j2").write_text("{{ opening.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    cli.settings(replies={"templates": str(folder)})
    result = ok(cli, "reviews", "draft", code=1)
    assert "unsafe" in result.stderr or "__class__" in result.stderr


# -- writer ------------------------------------------------------------------------------

WRITER = """\
import json, sys, time
review = json.loads(sys.stdin.read())
stars = review["stars"]
if stars == 1:
    sys.exit("model overloaded")
if stars == 2:
    sys.exit(0)  # says nothing
if stars == 3 and review["review_id"] == {hang!r}:
    time.sleep(30)
reply = ("ご来店ありがとうございました。" if review["language"] == "ja" else "Thanks for visiting, from the writer.")
if review["topics"]:
    reply += " " + ",".join(t["aspect"] for t in review["topics"])
if stars == 4 and review["store"]["code"] == {url_store!r}:
    reply += " See https://example.com"
print(reply)
"""


def test_a_writer_drafts_each_review_and_a_failing_silent_or_hung_one_costs_only_that_review(cli, tmp_path):
    with_reviews(cli)
    reviews = reviews_by_id(cli)
    store = next(r["store_code"] for r in reviews.values() if r["stars"] == 3)
    mine = {k: r for k, r in reviews.items() if r["store_code"] == store and r["reply_comment"] is None}
    hang = next(k for k, r in mine.items() if r["stars"] == 3)
    script = tmp_path / "writer.py"
    script.write_text(WRITER.format(hang=hang, url_store=store), encoding="utf-8")
    result = cli("reviews", "draft", "--stores", store, "--writer", f"{sys.executable} {script}", "--writer-timeout", "1", "--json")
    assert result.exit_code == ExitCode.PARTIAL, result.stderr
    summary = json.loads(result.stdout)
    failing = [r for r in mine.values() if r["stars"] in (1, 2)]
    assert len(summary["writer_failures"]) == len(failing) + 1
    assert "model overloaded" in result.stderr and "printed nothing" in result.stderr
    assert "did not answer within 1 s" in result.stderr and hang[:12] in result.stderr
    written = drafts(cli)
    assert {d["review_id"] for d in written} == set(mine) - {r["review_id"] for r in failing} - {hang}
    assert all(d["source"] == "writer" for d in written)
    linked = [d for d in written if d["stars"] == 4]
    assert linked and all(d["errors"] and any("link" in p for p in d["problems"]) for d in linked)
    assert any(d["text"].startswith("Thanks for visiting") or d["text"].startswith("ご来店") for d in written)


# -- lint, edit, approval ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Thanks! Call the manager on 03-1234-5678.", "phone"),
        ("Thanks! Write to owner@example.com.", "email"),
        ("Thanks! Here's a 20% discount for next time.", "incentive"),
        ("Thanks! Our menu is at https://example.com/menu.", "url"),
        ("Thanks! " + "x" * 5000, "too long"),
    ],
)
def test_lint_on_edit_catches_what_google_would_refuse_and_blocks_approval(cli, tmp_path, typed, code):
    with_reviews(cli)
    ok(cli, "reviews", "draft")
    target = next(d for d in drafts(cli) if d["lang"] == "en" and d["stars"] >= 4)
    edited = cli("reviews", "replies", "edit", target["id"], env=editor(tmp_path, typed))
    assert edited.exit_code == 0, edited.stderr
    assert "error" in edited.stderr
    after = next(d for d in drafts(cli) if d["id"] == target["id"])
    assert after["text"] == typed and after["status"] == "draft" and after["errors"] >= 1
    word = {"phone": "phone number", "email": "email", "incentive": "incentive", "url": "link", "too long": "bytes"}[code]
    assert any(word in p for p in after["problems"]), after["problems"]
    refused = cli("reviews", "replies", "approve", target["id"])
    assert refused.exit_code == ExitCode.PARTIAL and "not approved" in refused.stderr
    linted = cli("reviews", "replies", "lint", target["id"])
    assert linted.exit_code == ExitCode.PARTIAL and word in linted.stderr
    assert drafts(cli, "--status", "approved") == []


def test_lint_without_ids_checks_every_open_draft_and_passes_clean_ones(cli):
    with_reviews(cli)
    ok(cli, "reviews", "draft")
    result = ok(cli, "reviews", "replies", "lint", "--json")
    assert json.loads(result.stdout) == []


def test_edit_unchanged_or_emptied_changes_nothing_and_an_edit_needs_a_new_approval(cli, tmp_path):
    with_reviews(cli)
    ok(cli, "reviews", "draft")
    target = next(d for d in drafts(cli) if d["stars"] == 5)
    ok(cli, "reviews", "replies", "approve", target["id"])
    same = ok(cli, "reviews", "replies", "edit", target["id"], env=editor(tmp_path, target["text"] + "\n"))
    assert "nothing changed" in same.stderr
    empty = ok(cli, "reviews", "replies", "edit", target["id"], env=editor(tmp_path, "   \n"))
    assert "nothing changed" in empty.stderr
    assert next(d for d in drafts(cli) if d["id"] == target["id"])["status"] == "approved"
    new_text = target["text"].replace("\n\n", "\n\nWe look forward to it.\n\n", 1)
    ok(cli, "reviews", "replies", "edit", target["id"], env=editor(tmp_path, new_text))
    after = next(d for d in drafts(cli) if d["id"] == target["id"])
    assert after["status"] == "draft" and after["text"] == new_text.strip() and after["source"] == "template+edited"


def test_one_to_three_star_replies_are_never_approved_in_bulk_nor_posted_without_their_id(cli):
    ws = with_reviews(cli)
    ok(cli, "reviews", "draft")
    for stars in ("1", "2", "3"):
        refused = cli("reviews", "replies", "approve", "--min-stars", stars)
        assert refused.exit_code == ExitCode.USAGE and "approved one by one" in refused.stderr
    assert drafts(cli, "--status", "approved") == []
    ok(cli, "reviews", "replies", "approve", "--min-stars", "4")
    approved = drafts(cli, "--status", "approved")
    assert approved and all(d["stars"] >= 4 for d in approved)
    low = [d for d in drafts(cli, "--status", "draft") if d["stars"] <= 3]
    assert low and len({d["stars"] for d in low}) == 3
    ok(cli, "reviews", "replies", "post", "--yes")
    reviews = reviews_by_id(cli)
    sent = put_counts(ws)
    low_names = {reviews[d["review_id"]]["name"] for d in low}
    assert set(sent) == {reviews[d["review_id"]]["name"] for d in approved}
    assert not low_names & set(sent)

    chosen = low[0]
    ok(cli, "reviews", "replies", "approve", chosen["id"])
    ok(cli, "reviews", "replies", "post", "--yes")
    assert put_counts(ws)[reviews[chosen["review_id"]]["name"]] == 1
    assert sum(put_counts(ws).values()) == len(approved) + 1
    assert {d["id"] for d in drafts(cli, "--status", "posted")} == {d["id"] for d in approved} | {chosen["id"]}


def test_reject_keeps_a_draft_off_google(cli):
    ws = with_reviews(cli)
    ok(cli, "reviews", "draft")
    target = next(d for d in drafts(cli) if d["stars"] == 5)
    ok(cli, "reviews", "replies", "approve", target["id"])
    ok(cli, "reviews", "replies", "reject", target["id"])
    assert [d["id"] for d in drafts(cli, "--status", "declined")] == [target["id"]]
    result = ok(cli, "reviews", "replies", "post")  # nothing to send: no question asked
    assert "No approved replies" in result.stderr
    assert put_counts(ws) == {}
    again = cli("reviews", "replies", "approve", target["id"])
    assert again.exit_code == ExitCode.PARTIAL and "is declined" in again.stderr


def test_post_needs_yes_without_a_terminal(cli):
    with_reviews(cli)
    ok(cli, "reviews", "draft")
    ok(cli, "reviews", "replies", "approve", "--min-stars", "5")
    refused = cli("reviews", "replies", "post")
    assert refused.exit_code == ExitCode.USAGE and "--yes" in refused.stderr


# -- posting -----------------------------------------------------------------------------


def test_an_owner_reply_posted_on_google_since_the_draft_is_not_overwritten_unless_asked(cli):
    ws = with_reviews(cli)
    ok(cli, "reviews", "draft")
    target = next(d for d in drafts(cli) if d["stars"] == 5)
    name = review_name(cli, target["review_id"])
    session = Session(ws, clock=cli.clock)
    try:
        session.google.reviews.put_reply(name, "Thanks! (written by the owner on Google)")
    finally:
        session.close()
    ok(cli, "reviews", "replies", "approve", target["id"])
    result = cli("reviews", "replies", "post", "--yes")
    assert result.exit_code == ExitCode.PARTIAL and "--overwrite" in result.stderr
    failed = next(d for d in drafts(cli) if d["id"] == target["id"])
    assert failed["status"] == "failed" and "after this draft was written" in failed["error"]
    assert put_counts(ws)[name] == 1  # the owner's own reply only

    ok(cli, "reviews", "replies", "approve", target["id"])
    ok(cli, "reviews", "replies", "post", "--yes", "--overwrite")
    assert put_counts(ws)[name] == 2
    assert next(d for d in drafts(cli) if d["id"] == target["id"])["status"] == "posted"


def test_a_crash_inside_send_then_post_again_sends_each_approved_reply_once(cli, monkeypatch):
    ws = with_reviews(cli)
    ok(cli, "reviews", "draft")
    ok(cli, "reviews", "replies", "approve", "--min-stars", "4")
    approved = drafts(cli, "--status", "approved")
    assert len(approved) > 30
    real_send = posting.ReplyPosting.send
    sent = {"n": 0}

    def send_then_die(self, item):
        real_send(self, item)  # Google has it; our process dies before writing it down
        sent["n"] += 1
        if sent["n"] == 12:
            raise KeyboardInterrupt

    monkeypatch.setattr(posting.ReplyPosting, "send", send_then_die)
    cli.settings(http={"workers": 1})
    crashed = cli("reviews", "replies", "post", "--yes")
    assert crashed.exit_code == ExitCode.INTERRUPTED
    assert sum(put_counts(ws).values()) == 12
    monkeypatch.setattr(posting.ReplyPosting, "send", real_send)
    finished = json.loads(ok(cli, "reviews", "replies", "post", "--yes", "--json").stdout)
    assert finished["counts"] == {"done": len(approved)}
    reviews = reviews_by_id(cli)
    counts = put_counts(ws)
    assert set(counts) == {reviews[d["review_id"]]["name"] for d in approved}
    assert set(counts.values()) == {1}
    assert len(drafts(cli, "--status", "posted")) == len(approved)


def test_a_rejected_reply_shows_its_reason_after_reviews_sync_and_alerts_once(cli):
    ws = with_reviews(cli, stores=12)
    ok(cli, "reviews", "draft")
    ok(cli, "reviews", "replies", "approve", "--min-stars", "4")
    posted = drafts(cli, "--status", "approved")
    assert len(posted) > 150
    ok(cli, "reviews", "replies", "post", "--yes")
    assert {d["status"] for d in drafts(cli)} >= {"posted"}
    cli.clock.advance(600)  # the sandbox's moderation decides after 5 minutes
    synced = cli("reviews", "sync", "--json")
    assert synced.exit_code in (0, 3), synced.stderr
    assert json.loads(synced.stdout)["replies_checked"] > 0  # the PENDING ones are read again

    rejected = drafts(cli, "--status", "rejected")  # a person looks first: the alerts still come
    db = open_db(ws.db_path)
    try:
        alerts = replies.rejected_reply_alerts(db, cli.clock)
        assert alerts and all(a["event"] == "reply_rejected" and a["reason"] in SEEDED_VIOLATIONS for a in alerts)
        assert replies.rejected_reply_alerts(db, cli.clock) == []  # each rejection alerts once
    finally:
        db.close()
    assert {d["id"] for d in rejected} == {a["draft_id"] for a in alerts}
    assert all(d["reason"] in SEEDED_VIOLATIONS and d["google_state"] == "REJECTED" for d in rejected)
    accepted = drafts(cli, "--status", "accepted")
    assert len(accepted) + len(rejected) == len(posted)
    table = ok(cli, "reviews", "replies", "list", "--status", "rejected").stdout
    assert rejected[0]["reason"] in table


def test_delete_asks_first_and_removes_the_reply_from_google(cli):
    ws = with_reviews(cli)
    ok(cli, "reviews", "draft")
    target = next(d for d in drafts(cli) if d["stars"] == 5)
    ok(cli, "reviews", "replies", "approve", target["id"])
    ok(cli, "reviews", "replies", "post", "--yes")
    name = review_name(cli, target["review_id"])

    refused = cli("reviews", "replies", "delete", target["id"])
    assert refused.exit_code == ExitCode.USAGE and "--yes" in refused.stderr
    person = Terminal(*(__import__("io").StringIO() for _ in range(3)), stdout_tty=False, stderr_tty=False, stdin_tty=True, no_color=True, width=80)
    declined = cli.runner.invoke(app, ["reviews", "replies", "delete", target["id"]], input="n\n",
                                 obj=Environment(terminal=person, clock=cli.clock), catch_exceptions=False)
    assert declined.exit_code == 0
    assert next(d for d in drafts(cli) if d["id"] == target["id"])["status"] == "posted"

    ok(cli, "reviews", "replies", "delete", target["id"], "--yes")
    assert next(d for d in drafts(cli) if d["id"] == target["id"])["status"] == "deleted"
    session = Session(ws, clock=cli.clock)
    try:
        assert "reviewReply" not in session.google.reviews.get(name)
    finally:
        session.close()
    assert reviews_by_id(cli)[target["review_id"]]["reply_comment"] is None
    never = next(d for d in drafts(cli) if d["status"] == "draft")
    wrong = cli("reviews", "replies", "delete", never["id"], "--yes")
    assert wrong.exit_code == ExitCode.USAGE and "only replies on Google" in wrong.stderr


def test_list_streams_csv_and_json_lines_and_filters_by_store(cli):
    with_reviews(cli)
    ok(cli, "reviews", "draft")
    every = drafts(cli)
    code = every[0]["store_code"]
    lines = ok(cli, "reviews", "replies", "list", "--jsonl", "--stores", code).stdout.splitlines()
    assert lines and all(json.loads(line)["store_code"] == code for line in lines)
    csv_text = ok(cli, "reviews", "replies", "list", "--csv").stdout
    assert csv_text.splitlines()[0].startswith("id,review_id,store_code,stars")
    assert len(csv_text.strip().splitlines()) > len(every)  # a text may span lines
    both = cli("reviews", "replies", "list", "--json", "--csv")
    assert both.exit_code == ExitCode.USAGE


def test_unknown_draft_id_names_the_fix(cli):
    with_reviews(cli)
    result = cli("reviews", "replies", "approve", "rp-0000000000")
    assert result.exit_code == ExitCode.ERROR
    assert "no reply draft 'rp-0000000000'" in result.stderr and "replies list" in result.stderr


def test_reply_drafts_table_is_migrated(home, tmp_path):
    db = open_db(tmp_path / "w.db")
    try:
        assert "reply_drafts" in db.table_names()
        assert {"status", "text", "opening", "google_reason"} <= set(db.table("reply_drafts").columns_dict)
    finally:
        db.close()
    with sqlite3.connect(tmp_path / "w.db") as conn:
        assert ("m008_replies",) in conn.execute("select name from _migrations").fetchall()



def test_the_examples_are_the_built_in_templates_and_work_as_a_users_folder(cli):
    examples = Path(__file__).parents[1] / "examples" / "replies"
    built_in = drafting.DEFAULT_TEMPLATES
    for path in sorted(p for p in built_in.iterdir() if not p.name.startswith(".")):
        assert (examples / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), path.name
    assert (examples / "README.md").is_file()
    with_reviews(cli)
    ok(cli, "reviews", "draft")
    built = {d["review_id"]: d["text"] for d in drafts(cli)}
    cli.settings(replies={"templates": str(examples)})
    ok(cli, "reviews", "draft", "--redraft")
    assert {d["review_id"]: d["text"] for d in drafts(cli)}.keys() == built.keys()


def test_bulk_approval_goes_by_the_rating_as_last_synced(cli):
    ws = with_reviews(cli)
    ok(cli, "reviews", "draft")
    target = next(d for d in drafts(cli) if d["stars"] == 5)
    name = review_name(cli, target["review_id"])
    session = Session(ws, clock=cli.clock)
    try:
        review = session.google.reviews.get(name)
    finally:
        session.close()
    review["starRating"] = "ONE"  # the reviewer changed their mind after the draft was written
    db = open_db(ws.db_path)
    try:
        location = reviews_by_id(cli)[target["review_id"]]
        review_store.save_page(db, [(review, location["location_id"], location["store_code"])], "2026-11-02T00:00:00Z")
    finally:
        db.close()
    ok(cli, "reviews", "replies", "approve", "--min-stars", "4")
    assert target["id"] not in {d["id"] for d in drafts(cli, "--status", "approved")}
    ok(cli, "reviews", "replies", "approve", target["id"])  # a person may, by id
    assert target["id"] in {d["id"] for d in drafts(cli, "--status", "approved")}


def test_the_writer_is_told_the_review_and_nothing_private(cli, tmp_path):
    with_reviews(cli)
    seen = tmp_path / "seen.jsonl"
    script = tmp_path / "echo.py"
    script.write_text(
        "import sys\n"
        f"open({str(seen)!r}, 'a', encoding='utf-8').write(sys.stdin.read())\n"
        "print('Thank you for your review.')\n",
        encoding="utf-8",
    )
    reviews = reviews_by_id(cli)
    store = next(r["store_code"] for r in reviews.values() if r["lang"] == "en")
    ok(cli, "reviews", "draft", "--stores", store, "--stars", "4-5", "--writer", f"{sys.executable} {script}")
    told = [json.loads(line) for line in seen.read_text(encoding="utf-8").splitlines()]
    assert told and {"review_id", "text", "stars", "language", "topics", "store", "reviewer"} <= set(told[0])
    assert all(t["stars"] >= 4 and t["store"]["code"] == store for t in told)
    assert all("profilePhotoUrl" not in json.dumps(t) for t in told)
    anonymous = [t for t in told if reviews[t["review_id"]]["anonymous"]]
    assert all(t["reviewer"] is None for t in anonymous)


def test_show_puts_a_draft_beside_its_review(cli):
    with_reviews(cli)
    ok(cli, "reviews", "draft")
    target = next(d for d in drafts(cli) if d["stars"] <= 2 and reviews_by_id(cli)[d["review_id"]]["original"])
    shown = json.loads(ok(cli, "reviews", "replies", "show", target["id"], "--json").stdout)
    assert shown["reply"] == target["text"] and shown["stars"] == target["stars"]
    assert shown["review"] == reviews_by_id(cli)[target["review_id"]]["original"]
    assert shown["bytes"] == len(target["text"].encode("utf-8")) and shown["problems"] == []
    table = ok(cli, "reviews", "replies", "show", target["id"]).stdout
    assert "reply" in table and "review" in table
