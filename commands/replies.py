"""`localcx reviews draft` and `localcx reviews replies`: reply drafts a person approves,
linted, posted through the journal, and followed through Google's moderation."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from localcx import schedule
from localcx.clock import iso
from localcx.commands._common import AppState, StoresOpt, Typer, YesOpt, confirm_action, state
from localcx.commands._output import output_options
from localcx.errors import LocalcxError, UsageError
from localcx.exitcodes import ExitCode
from localcx.render import OutputFormat, record, rows
from localcx.render.human import counts, plural
from localcx.reviews import drafting, replies
from localcx.reviews import store as review_store
from localcx.reviews.alerts import parse_stars
from localcx.reviews.posting import AREA, delete_replies, post_approved, unfinished_run
from localcx.reviews.replies import DraftStatus
from localcx.runs.executor import combined_counts, first_stop

app = Typer(no_args_is_help=True, help="Reply drafts: list, lint, approve, edit, reject, post, delete.")

IdsArg = Annotated[list[str], typer.Argument(help="Draft ids (see `reviews replies list`).")]
LIST_COLUMNS = ["id", "store_code", "stars", "status", "issues", "reply"]


def _titles(app_state: AppState) -> dict[str, str]:
    return {i.location_id: i.title for i in drafting.store_infos(app_state.db).values()}


DRAFT_EPILOG = "Example: localcx reviews draft --stores label:tokyo --since 30d --unreplied"


@output_options(OutputFormat.json)
def draft(
    ctx: typer.Context,
    fmt: OutputFormat,
    selection: StoresOpt = "all",
    stars: Annotated[str | None, typer.Option("--stars", help="Star range, e.g. 1-2 or 4-5.")] = None,
    since: Annotated[str | None, typer.Option("--since", help=f"Reviews from this day or span back ({schedule.SINCE_EXAMPLES}).")] = None,
    unreplied: Annotated[bool, typer.Option("--unreplied", help="Only reviews without an owner reply on Google.")] = False,
    writer: Annotated[str | None, typer.Option("--writer", help="A command that writes each draft: the review as JSON on its stdin, the reply on its stdout.")] = None,
    writer_timeout: Annotated[float, typer.Option("--writer-timeout", min=1, help="Seconds a --writer may take per review.")] = 60.0,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Draft replies for reviews that already have an owner reply on Google.")] = False,
    redraft: Annotated[bool, typer.Option("--redraft", help="Replace existing drafts that are not on Google.")] = False,
) -> None:
    """Draft a reply to each selected review, in the review's language, linted; nothing is
    sent: approve them with `reviews replies approve`, then `reviews replies post`."""
    app_state = state(ctx)
    wanted = parse_stars(stars) if stars else None
    start = app_state.since(since)
    ids = app_state.selected_ids(selection)
    where = review_store.ReviewFilter(
        location_ids=tuple(ids) if ids is not None else None,
        min_stars=wanted.low if wanted else None,
        max_stars=wanted.high if wanted else None,
        since=iso(start.timestamp()) if start else None,
        unreplied=unreplied,
    )
    options = drafting.DraftOptions(writer=writer, writer_timeout=writer_timeout, overwrite=overwrite, redraft=redraft)
    with app_state.workspace.exclusive(AREA, app_state.say), app_state.progress("Drafting", None) as advance:
        report = drafting.draft_replies(
            app_state.db, app_state.clock, where, app_state.workspace.settings.replies, options, progress=advance,
        )
    if fmt is OutputFormat.json:
        record(report.summary(), OutputFormat.json, terminal=app_state.terminal)
    else:
        app_state.say(
            f"Drafted {plural(report.drafted, 'reply', 'replies')} ({report.with_errors} with lint errors); "
            f"skipped {report.skipped_replied} already answered on Google and {report.skipped_drafted} already drafted."
        )
        if report.drafted:
            app_state.say("Review them with: localcx reviews replies list --status draft")
    for failure in report.writer_failures:
        app_state.warn(failure)
    if report.writer_failures:
        raise typer.Exit(int(ExitCode.PARTIAL))


def _listed(d: replies.Draft) -> dict[str, Any]:
    row = d.public()
    errors, warnings = row["errors"], row["warnings"]
    row["issues"] = ", ".join(p for p in (f"{errors} error" * bool(errors), f"{warnings} warning" * bool(warnings)) if p)
    first = d.text.strip().splitlines()[0] if d.text.strip() else ""
    row["reply"] = (f"{d.google_reason}: " if d.status is DraftStatus.REJECTED and d.google_reason else "") + first
    return row


@app.command("list", epilog="Example: localcx reviews replies list --status rejected --json")
@output_options()
def list_(
    ctx: typer.Context,
    fmt: OutputFormat,
    status: Annotated[list[DraftStatus] | None, typer.Option("--status", help="Only these statuses (repeatable).")] = None,
    selection: StoresOpt = "all",
) -> None:
    """Reply drafts, newest first, with their lint and Google's moderation (a rejected
    reply shows Google's reason)."""
    app_state = state(ctx)
    replies.refresh_moderation(app_state.db, app_state.clock)
    found = replies.list_drafts(app_state.db, statuses=status, location_ids=app_state.selected_ids(selection))
    if fmt is OutputFormat.table:
        rows((_listed(d) for d in found), fmt, columns=LIST_COLUMNS, terminal=app_state.terminal,
             empty="no drafts: write some with localcx reviews draft", quiet=app_state.quiet)
    else:
        rows((d.public() for d in found), fmt, terminal=app_state.terminal)


@app.command(epilog="Example: localcx reviews replies show rp-3f4e9a1c2b")
@output_options(OutputFormat.json)
def show(
    ctx: typer.Context, fmt: OutputFormat, id_: Annotated[str, typer.Argument(metavar="ID", help="The draft to show.")]
) -> None:
    """One draft in full beside the review it answers, with its lint: what a person reads
    before approving it."""
    app_state = state(ctx)
    found = replies.get(app_state.db, id_)
    review = review_store.get(app_state.db, found.review_id) or {}
    out = {
        "id": found.id, "store_code": found.store_code, "stars": found.stars, "status": found.status.value,
        "reviewer": review.get("reviewer") or ("(anonymous)" if review.get("anonymous") else None),
        "review": review.get("original"), "translated": review.get("translated"),
        "owner_reply_on_google": review.get("reply_comment") if review.get("reply_comment") != found.text else None,
        "reply": found.text, "bytes": len(found.text.encode("utf-8")),
        "problems": [str(p) for p in found.problems], "google_state": found.google_state,
        "reason": found.google_reason, "error": found.error,
    }
    if fmt is OutputFormat.table:
        out = {k: v for k, v in out.items() if v not in (None, [], "")}
    record(out, fmt, terminal=app_state.terminal)


@app.command(epilog="Example: localcx reviews replies lint rp-3f4e9a1c2b")
@output_options(OutputFormat.json)
def lint(
    ctx: typer.Context,
    fmt: OutputFormat,
    ids: Annotated[list[str] | None, typer.Argument(help="Draft ids (default: every draft not yet posted).")] = None,
) -> None:
    """Lint drafts again: length, repeated openings, personal data, incentives, links,
    keyword stuffing, wrong language. Exit 3 when any has an error."""
    app_state = state(ctx)
    titles = _titles(app_state)
    now = iso(app_state.clock.now())
    chosen = [replies.get(app_state.db, i) for i in ids] if ids else list(
        replies.list_drafts(app_state.db, statuses=[DraftStatus.DRAFT, DraftStatus.APPROVED, DraftStatus.FAILED])
    )
    linted = [replies.relint(app_state.db, d, titles.get(d.location_id, ""), now) for d in chosen]
    found = [{"id": d.id, "store_code": d.store_code, "level": p.level.value, "code": p.code, "problem": p.message}
             for d in linted for p in d.problems]
    if fmt is OutputFormat.json:
        rows(found, fmt, terminal=app_state.terminal)
    else:
        for problem in found:
            app_state.warn(f"{problem['id']} ({problem['store_code']}): {problem['level']}: {problem['problem']}")
        errors = sum(bool(d.errors) for d in linted)
        app_state.say(f"Linted {plural(len(linted), 'draft')}: {errors} with errors.")
    if any(d.errors for d in linted):
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command(epilog="Example: localcx reviews replies approve --min-stars 4   (1-3 star replies: by id)")
def approve(
    ctx: typer.Context,
    ids: Annotated[list[str] | None, typer.Argument(help="Draft ids to approve (any star rating).")] = None,
    min_stars: Annotated[int | None, typer.Option("--min-stars", min=1, max=5, help="Approve every clean draft of a 4 or 5 star review (4 at least).")] = None,
    selection: StoresOpt = "all",
) -> None:
    """Approve drafts for posting. A draft with a lint error cannot be approved, and
    replies to 1-3 star reviews are approved by id only, one decision each."""
    app_state = state(ctx)
    if not ids and min_stars is None:
        raise UsageError("name the drafts to approve", hint="localcx reviews replies approve ID... or --min-stars 4")
    done: list[str] = []
    refused: list[str] = []
    if min_stars is not None:
        bulk = replies.approve_min_stars(app_state.db, min_stars, app_state.clock, location_ids=app_state.selected_ids(selection))
        done += bulk.done
        refused += bulk.refused
    if ids:
        chosen = replies.approve(app_state.db, ids, app_state.clock)
        done += chosen.done
        refused += chosen.refused
    app_state.say(f"Approved {plural(len(done), 'draft')}. Post them with: localcx reviews replies post")
    for why in refused:
        app_state.warn(f"not approved: {why}")
    if refused:
        raise typer.Exit(int(ExitCode.PARTIAL))


def _in_editor(text: str) -> str:
    """The text after a person edited it in $VISUAL or $EDITOR (run by the shell, so
    `EDITOR="code --wait"` works), in a private temporary file."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.TemporaryDirectory(prefix="localcx-reply-") as folder:
        path = Path(folder) / "reply.txt"
        path.write_text(text, encoding="utf-8")
        try:
            done = subprocess.run(f"{editor} {shlex.quote(str(path))}", shell=True, check=False)
        except OSError as exc:
            raise LocalcxError(f"could not start the editor {editor!r} ({exc.strerror})", hint="set $EDITOR, e.g. EDITOR=nano") from None
        if done.returncode != 0:
            raise LocalcxError(f"the editor exited {done.returncode}; the draft is unchanged", hint="save and quit the editor normally, or set $EDITOR")
        return path.read_text(encoding="utf-8")


@app.command(epilog="Example: localcx reviews replies edit rp-3f4e9a1c2b   (opens $VISUAL or $EDITOR)")
def edit(ctx: typer.Context, id_: Annotated[str, typer.Argument(metavar="ID", help="The draft to edit.")]) -> None:
    """Edit a draft in $VISUAL or $EDITOR; it is linted again and needs a new approval.
    An unchanged or emptied file changes nothing."""
    app_state = state(ctx)
    current = replies.get(app_state.db, id_)
    edited = _in_editor(current.text + "\n")
    if not edited.strip() or edited.strip() == current.text.strip():
        app_state.say(f"{current.id}: nothing changed.")
        return
    title = _titles(app_state).get(current.location_id, "")
    draft_ = replies.edit(app_state.db, current.id, edited.strip(), title, app_state.clock)
    for problem in draft_.problems:
        app_state.warn(f"{draft_.id}: {problem}")
    app_state.say(f"{draft_.id}: saved as a draft; approve it with: localcx reviews replies approve {draft_.id}")


@app.command(epilog="Example: localcx reviews replies reject rp-3f4e9a1c2b")
def reject(ctx: typer.Context, ids: IdsArg) -> None:
    """Reject drafts: they will not be posted (`reviews draft --redraft` writes new ones)."""
    app_state = state(ctx)
    result = replies.decline(app_state.db, ids, app_state.clock)
    app_state.say(f"Rejected {plural(len(result.done), 'draft')}.")
    for why in result.refused:
        app_state.warn(f"not rejected: {why}")
    if result.refused:
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command(epilog="Example: localcx -w acme -q reviews replies post --yes   (from cron)")
@output_options(OutputFormat.json)
def post(
    ctx: typer.Context,
    fmt: OutputFormat,
    yes: YesOpt = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an owner reply posted on Google after the draft was written.")] = False,
) -> None:
    """Post the approved replies to Google, finishing an interrupted run first. Each is
    sent once; exit 3 if Google refused some. Google then moderates them: `reviews sync`
    reads its decision and `reviews replies list --status rejected` shows the reasons."""
    app_state = state(ctx)
    waiting = len(replies.approved(app_state.db))
    if not waiting and unfinished_run(app_state.db, app_state.clock) is None:
        if fmt is OutputFormat.json:
            record({"runs": [], "counts": {}, "failed": []}, fmt, terminal=app_state.terminal)
        app_state.say("No approved replies to post.")
        return
    confirm_action(app_state, yes, f"Post {plural(waiting, 'approved reply', 'approved replies')} to Google?")
    with app_state.workspace.exclusive(AREA, app_state.say), app_state.progress("Posting", waiting) as advance:
        results = post_approved(
            app_state.db, app_state.google, clock=app_state.clock, overwrite=overwrite,
            workers=app_state.workspace.settings.http.workers, progress=advance,
        )
    items = [item for result in results for item in result.items]
    refused = [i for i in items if i.status.value in ("failed", "conflict")]
    total = combined_counts(results)
    if fmt is OutputFormat.json:
        record({"runs": [r.run_id for r in results], "counts": total,
                "failed": [{"store_code": i.label, "draft_id": i.payload["draft_id"], "error": i.error} for i in refused]},
               fmt, terminal=app_state.terminal)
    elif results:
        app_state.say(f"Posted replies: {counts(total)}.")
    else:
        app_state.say("No approved replies to post.")
    for item in refused:
        app_state.warn(f"{item.label} {item.payload['draft_id']}: {item.error}")
    stopped = first_stop(results)
    if stopped is not None:
        raise stopped
    if refused:
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command(epilog="Example: localcx reviews replies delete rp-3f4e9a1c2b --yes")
def delete(ctx: typer.Context, ids: IdsArg, yes: YesOpt = False) -> None:
    """Remove posted replies from Google, after confirmation (or --yes)."""
    app_state = state(ctx)
    chosen = [replies.get(app_state.db, i) for i in ids]
    off = [f"{d.id} is {d.status.value}" for d in chosen if d.status not in replies.ON_GOOGLE]
    if off:
        raise UsageError("only replies on Google can be deleted: " + "; ".join(off),
                         hint="a draft that was never posted can be rejected: localcx reviews replies reject ID")
    confirm_action(app_state, yes, f"Delete {plural(len(chosen), 'reply', 'replies')} from Google?")
    with app_state.workspace.exclusive(AREA, app_state.say):
        result = delete_replies(app_state.db, app_state.google, chosen, clock=app_state.clock)
    app_state.say(f"Deleted: {counts(result.counts)}.")
    if result.stop_error is not None:
        raise result.stop_error
    if result.counts.get("failed"):
        raise typer.Exit(int(ExitCode.PARTIAL))
