"""`localcx profiles`: bulk profile edits as plan → apply, with resume, undo and drift."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated

import typer

from localcx import stores
from localcx.clock import iso
from localcx.commands import _profile_runs as runs
from localcx.commands._common import AppState, DryRunOpt, StoresOpt, Typer, YesOpt, state
from localcx.commands._output import output_options
from localcx.errors import UsageError
from localcx.exitcodes import ExitCode
from localcx.profiles import drift as drift_lib
from localcx.profiles.applier import resume as resume_run
from localcx.profiles.from_file import plan_from_file
from localcx.profiles.holiday_hours import holiday_plan
from localcx.profiles.journal import OPEN_STATUSES, Journal, plans_in_use, plans_with_runs
from localcx.profiles.planner import Plan, load_plan, prune_plans, save_plan
from localcx.profiles.undo import undo_plan
from localcx.render import OutputFormat, record, rows

app = Typer(
    no_args_is_help=True, help="Bulk-edit store profiles: plan, apply, resume, undo, drift."
)

FileArg = Annotated[
    Path,
    typer.Argument(
        help="Desired state: .csv (localcx or Google bulk sheet), .toml or .json; - reads stdin."
    ),
]
SkipOpt = Annotated[
    bool, typer.Option("--skip-invalid", help="Leave out stores with problems instead of stopping.")
]
EncodingOpt = Annotated[
    str | None, typer.Option(help="CSV encoding if detection guesses wrong (utf-8, cp932…).")
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help="Also overwrite stores changed on Google since the plan.")
]
PreflightOpt = Annotated[
    bool, typer.Option("--preflight", help="Validate every edit with Google first (validateOnly).")
]
WorkersOpt = Annotated[int | None, typer.Option(help="Parallel requests (default from settings).")]


def _from_file(
    app_state: AppState, file: Path, skip_invalid: bool, encoding: str | None
) -> Plan:
    data = app_state.terminal.stdin.buffer.read() if str(file) == "-" else None
    plan = plan_from_file(
        app_state.db,
        file,
        region=app_state.workspace.settings.region,
        skip_invalid=skip_invalid,
        encoding=encoding,
        clock=app_state.clock,
        data=data,
    )
    runs.show_skipped(plan, app_state)
    return plan


@app.command(epilog="Example: localcx profiles plan stores.csv   (then: profiles apply --plan ID)")
@output_options(OutputFormat.json, OutputFormat.csv)
def plan(
    ctx: typer.Context,
    fmt: OutputFormat,
    file: FileArg,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Sync stores from Google first.")
    ] = False,
    skip_invalid: SkipOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Show what FILE would change, field by field, and save the plan for `apply --plan`."""
    app_state = state(ctx)
    if refresh:
        stores.sync(app_state.db, app_state.google.business, clock=app_state.clock)
    result = _from_file(app_state, file, skip_invalid, encoding)
    if not result.stores:
        if result.unchanged:
            app_state.say(f"No changes: all {result.unchanged} stores in {file} already match.")
        else:
            app_state.say(f"No changes: {file} sets no values for any store.")
        if fmt is OutputFormat.json:
            record(result.as_dict(), fmt, terminal=app_state.terminal)
        return
    save_plan(app_state.db, result)
    runs.show_plan(result, fmt, app_state)
    app_state.say(f"Saved as {result.id}. Apply with: localcx profiles apply --plan {result.id}")


@app.command(epilog="Example: localcx profiles apply --plan plan-20261201-090000-ab12 --yes")
@output_options(OutputFormat.json)
def apply(
    ctx: typer.Context,
    fmt: OutputFormat,
    file: Annotated[Path | None, typer.Argument(help="Desired-state file (or use --plan).")] = None,
    plan_id: Annotated[
        str | None, typer.Option("--plan", help="Apply a saved plan instead of a file.")
    ] = None,
    yes: YesOpt = False,
    force: ForceOpt = False,
    preflight: PreflightOpt = False,
    dry_run: DryRunOpt = False,
    skip_invalid: SkipOpt = False,
    encoding: EncodingOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Send the changes to Google: one PATCH per store, paced, journaled, resumable."""
    app_state = state(ctx)
    if (file is None) == (plan_id is None):
        raise UsageError("give either a FILE or --plan ID")
    if file is not None:
        the_plan = _from_file(app_state, file, skip_invalid, encoding)
        if the_plan.stores:
            save_plan(app_state.db, the_plan)
    else:
        the_plan = load_plan(app_state.db, plan_id or "")
    if not the_plan.stores:
        app_state.say("No changes to apply.")
        if fmt is OutputFormat.json:
            record({"run_id": None, "status": "nothing to do", "counts": {}}, fmt, terminal=app_state.terminal)
        return
    options = runs.apply_options(app_state, force, preflight, dry_run, workers)
    runs.show_confirm_run(
        app_state, the_plan, "Apply", yes or dry_run, options, fmt is OutputFormat.json
    )


@app.command(epilog="Example: localcx profiles resume -q   (nightly from cron: a no-op when nothing is open)")
@output_options(OutputFormat.json)
def resume(
    ctx: typer.Context,
    fmt: OutputFormat,
    run: Annotated[
        str | None, typer.Argument(help="Run id (default: the latest unfinished run).")
    ] = None,
    force: ForceOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """Finish an interrupted run without sending any edit twice."""
    app_state = state(ctx)
    journal = Journal(app_state.db, app_state.clock)
    target = run or (journal.latest_unfinished() or {}).get("id")
    if target is None:
        app_state.say("Nothing to resume: every run has finished.")
        if fmt is OutputFormat.json:
            record({"run_id": None, "status": "nothing to resume", "counts": {}}, fmt, terminal=app_state.terminal)
        return
    total = len(journal.edits(target, OPEN_STATUSES))
    app_state.say(f"Resuming {target}: {total} edits still open.")
    options = runs.apply_options(app_state, force, False, False, workers)
    result = runs.execute(app_state, total, options, lambda r: resume_run(r, target))
    runs.report(result, app_state, fmt is OutputFormat.json)


@app.command(epilog="Example: localcx profiles undo run-20261201-090500-cd34 --yes")
@output_options(OutputFormat.json)
def undo(
    ctx: typer.Context,
    fmt: OutputFormat,
    run: Annotated[str, typer.Argument(help="The run to reverse (see `profiles history`).")],
    yes: YesOpt = False,
    force: Annotated[
        bool, typer.Option("--force", help="Also revert stores changed since the run.")
    ] = False,
    dry_run: DryRunOpt = False,
    workers: WorkersOpt = None,
) -> None:
    """Put back what RUN changed, for stores that still hold what it wrote."""
    app_state = state(ctx)
    reverse, conflicts = undo_plan(
        app_state.db,
        run,
        region=app_state.workspace.settings.region,
        force=force,
        clock=app_state.clock,
    )
    for line in conflicts:
        app_state.warn(f"left alone {line} (use --force to revert anyway)")
    if not reverse.stores:
        if conflicts or reverse.unchanged or reverse.skipped:
            app_state.say("Nothing to undo: every store already holds its earlier values.")
        else:
            app_state.say(f"Nothing to undo: {run} changed no store.")
        if fmt is OutputFormat.json:
            record({"run_id": None, "status": "nothing to undo", "counts": {}}, fmt, terminal=app_state.terminal)
        if conflicts:
            raise typer.Exit(int(ExitCode.PARTIAL))
        return
    save_plan(app_state.db, reverse)
    options = runs.apply_options(app_state, force, False, dry_run, workers)
    result = runs.show_confirm_run(
        app_state, reverse, "Undo", yes or dry_run, options, fmt is OutputFormat.json, undo_of=run
    )
    if conflicts and result.status == "done":
        raise typer.Exit(int(ExitCode.PARTIAL))


# For people, in the order a narrow terminal gives them up from the right.
RUN_COLUMNS = ["id", "kind", "status", "started_at", "done", "failed", "open", "items", "source"]
PLAN_COLUMNS = ["id", "created_at", "stores", "changes", "applied", "run", "source"]


@app.command(epilog="Example: localcx profiles history RUN_ID --csv")
@output_options()
def history(
    ctx: typer.Context,
    fmt: OutputFormat,
    run: Annotated[str | None, typer.Argument(help="Show the edits of this run.")] = None,
    plans: Annotated[
        bool, typer.Option("--plans", help="List saved plans and whether each was applied.")
    ] = False,
) -> None:
    """List apply runs, the edits of one run, or the saved plans."""
    app_state = state(ctx)
    terminal = app_state.terminal
    if plans:
        columns = PLAN_COLUMNS if fmt is OutputFormat.table else None
        rows(plans_with_runs(app_state.db), fmt, columns=columns, terminal=terminal, empty="no plans yet")
        return
    journal = Journal(app_state.db, app_state.clock)
    if run is None:
        columns = RUN_COLUMNS if fmt is OutputFormat.table else None
        rows(journal.runs(), fmt, columns=columns, terminal=terminal, empty="no runs yet")
        return
    journal.run(run)
    edits = journal.edits(run)
    if fmt is OutputFormat.table:
        # One line per changed field, so long values read as text, not JSON.
        per_field = (
            {"store_code": e.store_code, "status": e.status.value, "field": name,
             "before": e.before.get(name, ""), "after": e.after.get(name, ""), "error": e.error}
            for e in edits
            for name in e.fields
        )
        rows(per_field, fmt, terminal=terminal, empty="this run has no edits")
        return
    rows(
        (
            {"store_code": e.store_code, "status": e.status.value, "attempts": e.attempts,
             "fields": e.fields, "before": e.before, "after": e.after, "error": e.error}
            for e in edits
        ),
        fmt,
        terminal=terminal,
    )


@app.command(epilog="Example: localcx profiles prune --older-than 90")
def prune(
    ctx: typer.Context,
    older_than: Annotated[
        int, typer.Option("--older-than", min=0, help="Delete plans saved more than this many days ago.")
    ] = 90,
) -> None:
    """Delete old saved plans. Runs keep their own copy of every edit, so history and undo
    are unaffected; plans an unfinished run came from are kept."""
    app_state = state(ctx)
    cutoff = iso((app_state.clock.utcnow() - timedelta(days=older_than)).timestamp())
    removed = prune_plans(app_state.db, older_than=cutoff, keep=plans_in_use(app_state.db))
    app_state.say(f"Deleted {removed} saved plan{'s' if removed != 1 else ''}.")


@app.command(epilog="Example: localcx profiles holidays --country JP --year 2027 --closed --stores country:JP")
@output_options(OutputFormat.json)
def holidays(
    ctx: typer.Context,
    fmt: OutputFormat,
    country: Annotated[str, typer.Option(help="Country code of the holiday calendar (JP, US, …).")],
    year: Annotated[int, typer.Option(help="Which year's holidays.")],
    selection: StoresOpt = "all",
    closed: Annotated[bool, typer.Option("--closed", help="Closed on every holiday.")] = False,
    hours: Annotated[
        str | None, typer.Option(help="Hours on every holiday, e.g. '10:00-15:00'.")
    ] = None,
    subdivision: Annotated[
        str | None, typer.Option(help="State or prefecture code, where the calendar has them.")
    ] = None,
    observed: Annotated[
        bool,
        typer.Option(
            "--observed/--no-observed",
            help="Also the weekday a weekend holiday is observed on (US: Monday after a Sunday).",
        ),
    ] = True,
) -> None:
    """Plan special hours for a year's public holidays, merged with existing special hours."""
    app_state = state(ctx)
    if closed == (hours is not None):
        raise UsageError("choose one of --closed and --hours RANGE")
    the_plan, days = holiday_plan(
        app_state.db,
        country=country,
        year=year,
        selector=selection,
        hours=hours,
        region=app_state.workspace.settings.region,
        subdivision=subdivision,
        observed=observed,
        clock=app_state.clock,
    )
    app_state.say(
        f"{len(days)} holidays in {country.upper()} {year}: "
        + ", ".join(f"{d['date']} {d['name']}" for d in days)
    )
    runs.show_skipped(the_plan, app_state)
    if not the_plan.stores:
        app_state.say("No changes: every selected store already has these special hours.")
        return
    save_plan(app_state.db, the_plan)
    runs.show_plan(the_plan, fmt, app_state)
    app_state.say(
        f"Saved as {the_plan.id}. Apply with: localcx profiles apply --plan {the_plan.id}"
    )


@app.command(epilog="Example: localcx profiles drift --policy examples/profiles/drift-policy.toml --yes -q")
@output_options(OutputFormat.json, OutputFormat.csv)
def drift(
    ctx: typer.Context,
    fmt: OutputFormat,
    policy: Annotated[
        Path | None, typer.Option(help="TOML: per field reassert, accept or alert.")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Ask about every store, not only flagged ones.")
    ] = False,
    yes: YesOpt = False,
) -> None:
    """Find fields Google shows differently from ours; act on them by policy. Exit 3 if any remain."""
    app_state = state(ctx)
    rules = drift_lib.load_policy(policy)
    region = app_state.workspace.settings.region
    stores.sync(app_state.db, app_state.google.business, clock=app_state.clock)
    items = drift_lib.detect(
        app_state.db,
        app_state.google,
        region=region,
        policy=rules,
        check_all=all_,
        clock=app_state.clock,
    )
    if fmt is not OutputFormat.table or not app_state.quiet:
        rows(
            (i.as_dict() for i in items),
            fmt,
            columns=["store_code", "field", "kind", "ours", "google", "action"],
            terminal=app_state.terminal,
            empty="no drift: Google shows what you set",
            quiet=app_state.quiet,
        )
    actionable = [i for i in items if i.kind == "google" and i.action != "alert"]
    if actionable:
        resolution = drift_lib.resolution_plan(
            app_state.db, actionable, region=region, clock=app_state.clock
        )
        save_plan(app_state.db, resolution)
        runs.confirm(
            app_state,
            yes,
            f"Write {len(actionable)} field(s) to {len(resolution.stores)} stores as the policy says?",
            resolution.id,
        )
        options = runs.apply_options(app_state, True, False, False, None)
        result = runs.execute(
            app_state, len(resolution.stores), options, lambda r: r.start(resolution, kind="drift")
        )
        done = {s["store_code"] for s in result.stores if s["status"] == "done"}
        drift_lib.resolve(
            app_state.db, [i for i in actionable if i.store_code in done], app_state.clock
        )
        app_state.say(f"Policy applied to {len(done)} stores (run {result.run_id}).")
        if result.stop_error is not None:
            raise result.stop_error
    remaining = [e for e in drift_lib.open_events(app_state.db) if e["kind"] == "google"]
    if remaining:
        app_state.warn(f"{len(remaining)} drifted field(s) left unresolved.")
        raise typer.Exit(int(ExitCode.PARTIAL))
