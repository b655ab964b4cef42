"""`localcx posts`: campaign posts from templates, queued per store and time, published by
cron (`run-due`) or handed to Google with a scheduled time, never posted twice."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from localcx import schedule
from localcx.clock import iso
from localcx.commands._common import AppState, StoresOpt, Typer, YesOpt, confirm_action, state
from localcx.commands._output import output_options
from localcx.errors import UsageError
from localcx.exitcodes import ExitCode
from localcx.posts import campaign, queue
from localcx.posts.google_state import sync_states
from localcx.posts.runner import AREA, delete_posts, run_due
from localcx.render import OutputFormat, record, rows
from localcx.render.human import counts, plural
from localcx.runs.executor import RunResult, combined_counts, first_stop

app = Typer(no_args_is_help=True, help="Campaign posts: preview, queue, publish, follow up.")

TemplateArg = Annotated[Path, typer.Argument(help="Post template (.toml); see examples/posts/.")]
VarsOpt = Annotated[
    Path | None, typer.Option("--vars", help="CSV of per-store variables keyed by store_code.")
]
TzOpt = Annotated[
    str | None,
    typer.Option("--tz", help="Read WHEN in this zone (default: each store's own, then settings)."),
]
LIST_COLUMNS = ["id", "store_code", "due_at", "state", "summary"]


def _now(app_state: AppState) -> datetime:
    return app_state.clock.utcnow()


def _occurrences(
    app_state: AppState, at: str, every: str | None, until: str | None, tz: str | None
) -> campaign.Occurrences:
    """Each store's moments: WHEN and --until read in the store's zone (or --tz)."""
    forced = schedule.zone_named(tz) if tz else None
    recurrence = schedule.parse_schedule(every) if every else None
    now = _now(app_state)
    if until and not every:
        raise UsageError("--until needs --every", hint='e.g. --every week --until 2027-01-31')

    def moments(zone: ZoneInfo) -> list[datetime]:
        where = forced or zone
        start = schedule.parse_when(at, zone=where, now=now)
        end = schedule.parse_when(until, zone=where, now=now) if until else None
        return schedule.expand(start, recurrence, where, until=end)

    return moments


def _build(
    app_state: AppState,
    template: Path,
    selection: str,
    occurrences: campaign.Occurrences,
    variables: Path | None,
) -> campaign.Campaign:
    settings = app_state.workspace.settings
    return campaign.build(
        app_state.db,
        template,
        selection,
        occurrences,
        variables=variables,
        region=settings.region,
        timezone=settings.timezone,
    )


def _report_campaign(app_state: AppState, built: campaign.Campaign) -> None:
    for line in built.problems():
        app_state.warn(f"  {line}")
    for line in built.warnings():
        app_state.say(f"  warning: {line}")


@app.command(epilog='Example: localcx posts preview examples/posts/winter-menu.toml --stores label:tokyo --vars examples/posts/winter-vars.csv')
@output_options(OutputFormat.json, OutputFormat.jsonl)
def preview(
    ctx: typer.Context,
    fmt: OutputFormat,
    template: TemplateArg,
    selection: StoresOpt = "all",
    variables: VarsOpt = None,
    at: Annotated[str, typer.Option("--at", help="When it would go out (for dates and hours).")] = "now",
    tz: TzOpt = None,
) -> None:
    """Render each store's post and check it as Google would; nothing is queued. Exit 3 if
    any store's post would be refused."""
    app_state = state(ctx)
    built = _build(app_state, template, selection, _occurrences(app_state, at, None, None, tz), variables)
    if fmt is OutputFormat.table:
        if not app_state.quiet:
            rows(
                ({**r, "ok": "yes" if r["ok"] else "REFUSED"} for r in built.rows()),
                fmt,
                columns=["store_code", "at", "language", "ok", "summary"],
                terminal=app_state.terminal,
            )
    else:
        rows(built.rows(), fmt, terminal=app_state.terminal)
    _report_campaign(app_state, built)
    if built.refused_stores:
        app_state.warn(f"Google would refuse the post for {plural(len(built.refused_stores), 'store')}: {', '.join(built.refused_stores)}")
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command(epilog="Example: localcx posts add examples/posts/holiday-notice.toml --stores country:JP --at 2026-12-28 --every day --until 2027-01-03\n\n" + schedule.HELP)
@output_options(OutputFormat.json)
def add(
    ctx: typer.Context,
    fmt: OutputFormat,
    template: TemplateArg,
    selection: StoresOpt = "all",
    at: Annotated[str, typer.Option("--at", help="WHEN the first post goes out (see below).")] = "now",
    every: Annotated[str | None, typer.Option("--every", help="SCHEDULE to repeat on (see below).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="WHEN the repeats end.")] = None,
    tz: TzOpt = None,
    variables: VarsOpt = None,
    via: Annotated[
        queue.Via,
        typer.Option("--via", help="cron: `posts run-due` publishes each when due; google: hand all to Google now with their scheduled times."),
    ] = queue.Via.CRON,
) -> None:
    """Queue one post per store and time. Stores whose post Google would refuse get none
    (exit 3); adding the same campaign again queues nothing twice."""
    app_state = state(ctx)
    built = _build(app_state, template, selection, _occurrences(app_state, at, every, until, tz), variables)
    _report_campaign(app_state, built)
    added, already = campaign.queue_campaign(app_state.db, built, via, app_state.clock)
    summary = {"queued": len(added), "already_queued": already, "refused_stores": built.refused_stores, "ids": added}
    app_state.say(
        f"Queued {plural(len(added), 'post')} ({already} already queued)"
        + (f"; refused for {', '.join(built.refused_stores)}" if built.refused_stores else "")
        + "."
    )
    if via is queue.Via.GOOGLE and added:
        results = _publish(app_state, iso(app_state.clock.now()), None) or []
        summary["published"] = [r.counts for r in results]
    elif added:
        app_state.say("They go out when due with: localcx posts run-due   (e.g. from cron every 5 minutes)")
    if fmt is OutputFormat.json:
        record(summary, fmt, terminal=app_state.terminal)
    if built.refused_stores:
        raise typer.Exit(int(ExitCode.PARTIAL))


def _publish(app_state: AppState, now: str, workers: int | None) -> list[RunResult] | None:
    """Run the due queue under the posts lock; a run already in progress is not waited
    for (None: it was left to that run)."""
    with app_state.workspace.exclusive(AREA, wait=False) as held:
        if not held:
            app_state.say("A posts run is in progress in this workspace; leaving the queue to it.")
            return None
        with app_state.progress("Publishing", None) as advance:
            return run_due(
                app_state.db,
                app_state.google,
                now=now,
                clock=app_state.clock,
                workers=workers or app_state.workspace.settings.http.workers,
                progress=advance,
            )


@app.command("run-due", epilog="Example: localcx -w acme -q posts run-due   (from cron, every 5 minutes)")
@output_options(OutputFormat.json)
def run_due_command(
    ctx: typer.Context,
    fmt: OutputFormat,
    now: Annotated[str | None, typer.Option("--now", help="Publish what is due by this WHEN instead of now (catch-up, tests).")] = None,
    workers: Annotated[int | None, typer.Option(help="Parallel requests (default from settings).")] = None,
) -> None:
    """Publish every post that is due, finishing an interrupted run first. Safe from cron:
    an overlapping run exits at once (0); exit 3 if Google refused some."""
    app_state = state(ctx)
    moment = schedule.parse_when(now, zone=ZoneInfo("UTC"), now=_now(app_state)) if now else _now(app_state)
    published = _publish(app_state, iso(moment.astimezone(UTC).timestamp()), workers)
    results = published or []
    items = [item for result in results for item in result.items]
    failed = [i for i in items if i.status.value == "failed"]
    total = combined_counts(results)
    if fmt is OutputFormat.json:
        record(
            {"runs": [r.run_id for r in results], "counts": total,
             "failed": [{"store_code": i.label, "error": i.error} for i in failed],
             "in_progress_elsewhere": published is None},
            fmt,
            terminal=app_state.terminal,
        )
    elif results:
        app_state.say(f"Published due posts: {counts(total)}.")
    elif published is not None:
        app_state.say("Nothing due.")
    for item in failed:
        app_state.warn(f"{item.label}: {item.error}")
    stopped = first_stop(results)
    if stopped is not None:
        raise stopped
    if failed:
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command("list", epilog="Example: localcx posts list --status published --stores label:tokyo --csv")
@output_options()
def list_(
    ctx: typer.Context,
    fmt: OutputFormat,
    status: Annotated[list[queue.PostStatus] | None, typer.Option("--status", help="Only these statuses (repeatable).")] = None,
    selection: StoresOpt = "all",
    since: Annotated[str | None, typer.Option("--since", help="Only posts due at or after this WHEN.")] = None,
) -> None:
    """Queued and published posts with Google's state (LIVE, PROCESSING, REJECTED)."""
    app_state = state(ctx)
    keys = app_state.selected(selection)
    start = schedule.parse_when(since, zone=ZoneInfo(app_state.workspace.settings.timezone), now=_now(app_state)) if since else None
    posts = queue.list_posts(
        app_state.db,
        statuses=[s.value for s in status] if status else None,
        keys=keys,
        since=iso(start.timestamp()) if start else None,
    )
    rows(
        (_listed(p.public(), fmt) for p in posts),
        fmt,
        columns=LIST_COLUMNS if fmt is OutputFormat.table else None,
        terminal=app_state.terminal,
        empty="no posts: queue some with localcx posts add",
        quiet=app_state.quiet,
    )


def _listed(row: dict[str, Any], fmt: OutputFormat) -> dict[str, Any]:
    """For people, a summary's first line (the table keeps one line per post)."""
    if fmt is OutputFormat.table:
        lines = str(row["summary"]).strip().splitlines()
        row["summary"] = lines[0] if lines else ""
        # One column for where a post is: ours until published, then Google's word.
        row["state"] = (row["google_state"] or "published") if row["status"] == "published" else row["status"]
    return row


@app.command(epilog="Example: localcx -w acme -q posts sync   (from cron hourly: exit 3 when Google rejected a post)")
@output_options(OutputFormat.json, OutputFormat.csv)
def sync(ctx: typer.Context, fmt: OutputFormat) -> None:
    """Read Google's state of every published post; exit 3 if any newly turned REJECTED."""
    app_state = state(ctx)
    changes = sync_states(app_state.db, app_state.google, app_state.clock)
    rejected = [c for c in changes if c.after == "REJECTED"]
    if fmt is not OutputFormat.table:
        rows((c.as_dict() for c in changes), fmt, terminal=app_state.terminal)
    elif changes and not app_state.quiet:
        rows((c.as_dict() for c in changes), fmt, columns=["store_code", "post_id", "before", "after"], terminal=app_state.terminal)
    app_state.say(f"{plural(len(changes), 'post')} changed state on Google.")
    for change in rejected:
        app_state.warn(f"{change.store_code}: post {change.post_id} was REJECTED by Google")
    if rejected:
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command(epilog="Example: localcx posts cancel post-3f4e9a1c2b7d")
def cancel(
    ctx: typer.Context,
    ids: Annotated[list[str], typer.Argument(help="Queued post ids (see `posts list`).")],
) -> None:
    """Take queued posts off the queue (nothing was sent for them)."""
    app_state = state(ctx)
    done = queue.cancel(app_state.db, ids, app_state.clock)
    app_state.say(f"Cancelled {plural(len(done), 'post')}.")


@app.command(epilog="Example: localcx posts delete post-3f4e9a1c2b7d --yes")
@output_options(OutputFormat.json)
def delete(
    ctx: typer.Context,
    fmt: OutputFormat,
    ids: Annotated[list[str], typer.Argument(help="Published post ids (see `posts list`).")],
    yes: YesOpt = False,
) -> None:
    """Delete published posts on Google, after confirmation (or --yes)."""
    app_state = state(ctx)
    posts = [queue.get(app_state.db, post_id) for post_id in ids]
    not_live = [f"{p.id} is {p.status}" for p in posts if p.status is not queue.PostStatus.PUBLISHED]
    if not_live:
        raise UsageError(
            "only published posts can be deleted: " + "; ".join(not_live),
            hint="take a queued post off the queue with: localcx posts cancel ID",
        )
    confirm_action(app_state, yes, f"Delete {plural(len(posts), 'post')} on Google?")
    with app_state.workspace.exclusive(AREA, app_state.say):
        result = delete_posts(app_state.db, app_state.google, posts, clock=app_state.clock)
    if fmt is OutputFormat.json:
        record({"run_id": result.run_id, "status": result.status, "counts": result.counts}, fmt, terminal=app_state.terminal)
    else:
        app_state.say(f"Deleted: {counts(result.counts)}.")
    if result.stop_error is not None:
        raise result.stop_error
