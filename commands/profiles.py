"""`localcx profiles`: bulk profile edits as plan → apply, with resume, undo and drift."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from localcx import stores
from localcx.commands import _runs as runs
from localcx.commands._common import (
    CsvOpt,
    DryRunOpt,
    JsonOpt,
    StoresOpt,
    YesOpt,
    output_format,
    state,
)
from localcx.errors import UsageError
from localcx.exitcodes import ExitCode
from localcx.profiles import drift as drift_lib
from localcx.profiles.applier import resume as resume_run
from localcx.profiles.from_file import plan_from_file
from localcx.profiles.holiday_hours import holiday_plan
from localcx.profiles.journal import OPEN_STATUSES, Journal
from localcx.profiles.planner import list_plans, load_plan, save_plan
from localcx.profiles.undo import undo_plan
from localcx.render import OutputFormat, record, rows

app = typer.Typer(
    no_args_is_help=True, help="Bulk-edit store profiles: plan, apply, resume, undo, drift."
)

FileArg = Annotated[
    Path, typer.Argument(help="Desired state: .csv (localcx or Google bulk sheet) or .toml.")
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


@app.command()
def plan(
    ctx: typer.Context,
    file: FileArg,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Sync stores from Google first.")
    ] = False,
    skip_invalid: SkipOpt = False,
    encoding: EncodingOpt = None,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """Show what FILE would change, field by field, and save the plan for `apply --plan`."""
    app_state = state(ctx)
    fmt = output_format(json_, csv_)
    if refresh:
        stores.sync(app_state.db, app_state.google.business, clock=app_state.clock)
    result = plan_from_file(
        app_state.db,
        file,
        region=app_state.workspace.settings.region,
        skip_invalid=skip_invalid,
        encoding=encoding,
        clock=app_state.clock,
    )
    if not result.stores:
        if result.unchanged:
            app_state.say(f"No changes: all {result.unchanged} stores in {file} already match.")
        else:
            app_state.say(f"No changes: {file} sets no values for any store.")
        if fmt is OutputFormat.json:
            record(result.as_dict(), fmt)
        return
    save_plan(app_state.db, result)
    runs.show_plan(result, fmt, app_state)
    app_state.say(f"Saved as {result.id}. Apply with: localcx profiles apply --plan {result.id}")


@app.command()
def apply(
    ctx: typer.Context,
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
    json_: JsonOpt = False,
) -> None:
    """Send the changes to Google: one PATCH per store, paced, journaled, resumable."""
    app_state = state(ctx)
    if (file is None) == (plan_id is None):
        raise UsageError("give either a FILE or --plan ID")
    region = app_state.workspace.settings.region
    if file is not None:
        the_plan = plan_from_file(
            app_state.db,
            file,
            region=region,
            skip_invalid=skip_invalid,
            encoding=encoding,
            clock=app_state.clock,
        )
        if the_plan.stores:
            save_plan(app_state.db, the_plan)
    else:
        the_plan = load_plan(app_state.db, plan_id or "")
    if not the_plan.stores:
        app_state.say("No changes to apply.")
        return
    options = runs.apply_options(app_state, force, preflight, dry_run, workers)
    runs.show_confirm_run(app_state, the_plan, "Apply", yes or dry_run, options, json_)


@app.command()
def resume(
    ctx: typer.Context,
    run: Annotated[
        str | None, typer.Argument(help="Run id (default: the latest unfinished run).")
    ] = None,
    force: ForceOpt = False,
    workers: WorkersOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Finish an interrupted run without sending any edit twice."""
    app_state = state(ctx)
    journal = Journal(app_state.db, app_state.clock)
    target = run or (journal.latest_unfinished() or {}).get("id")
    if target is None:
        app_state.say("Nothing to resume: every run has finished.")
        return
    total = len(journal.edits(target, OPEN_STATUSES))
    app_state.say(f"Resuming {target}: {total} edits still open.")
    options = runs.apply_options(app_state, force, False, False, workers)
    result = runs.execute(app_state, total, options, lambda r: resume_run(r, run))
    runs.report(result, app_state, json_)


@app.command()
def undo(
    ctx: typer.Context,
    run: Annotated[str, typer.Argument(help="The run to reverse (see `profiles history`).")],
    yes: YesOpt = False,
    force: ForceOpt = False,
    dry_run: DryRunOpt = False,
    workers: WorkersOpt = None,
    json_: JsonOpt = False,
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
        app_state.say(f"[yellow]left alone[/yellow] {line} (use --force to revert anyway)")
    if not reverse.stores:
        app_state.say("Nothing to undo: every store already holds its earlier values.")
        return
    save_plan(app_state.db, reverse)
    options = runs.apply_options(app_state, force, False, dry_run, workers)
    result = runs.show_confirm_run(
        app_state, reverse, "Undo", yes or dry_run, options, json_, undo_of=run
    )
    if conflicts and result.status == "done":
        raise typer.Exit(int(ExitCode.PARTIAL))


@app.command()
def history(
    ctx: typer.Context,
    run: Annotated[str | None, typer.Argument(help="Show the edits of this run.")] = None,
    plans: Annotated[
        bool, typer.Option("--plans", help="List saved plans instead of runs.")
    ] = False,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """List apply runs, the edits of one run, or the saved plans."""
    app_state = state(ctx)
    fmt = output_format(json_, csv_)
    if plans:
        rows(list_plans(app_state.db), fmt, empty="no plans yet")
        return
    journal = Journal(app_state.db, app_state.clock)
    if run is None:
        columns = [
            "id",
            "kind",
            "status",
            "started_at",
            "finished_at",
            "edits",
            "done",
            "failed",
            "conflicts",
            "open",
            "source",
        ]
        rows(journal.runs(), fmt, columns=columns, empty="no runs yet")
        return
    journal.run(run)
    rows(
        (
            {
                "store_code": e.store_code,
                "status": e.status,
                "attempts": e.attempts,
                "fields": e.fields,
                "before": e.before,
                "after": e.after,
                "error": e.error,
            }
            for e in journal.edits(run)
        ),
        fmt,
    )


@app.command()
def holidays(
    ctx: typer.Context,
    country: Annotated[str, typer.Option(help="Country code of the holiday calendar (JP, US, …).")],
    year: Annotated[int, typer.Option(help="Which year's holidays.")],
    stores: StoresOpt = "all",
    closed: Annotated[bool, typer.Option("--closed", help="Closed on every holiday.")] = False,
    hours: Annotated[
        str | None, typer.Option(help="Hours on every holiday, e.g. '10:00-15:00'.")
    ] = None,
    subdivision: Annotated[
        str | None, typer.Option(help="State or prefecture code, where the calendar has them.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Plan special hours for a year's public holidays, merged with existing special hours."""
    app_state = state(ctx)
    if closed == (hours is not None):
        raise UsageError("choose one of --closed and --hours RANGE")
    the_plan, days = holiday_plan(
        app_state.db,
        country=country,
        year=year,
        selector=stores,
        hours=hours,
        region=app_state.workspace.settings.region,
        subdivision=subdivision,
        clock=app_state.clock,
    )
    app_state.say(
        f"{len(days)} holidays in {country.upper()} {year}: "
        + ", ".join(f"{d['date']} {d['name']}" for d in days)
    )
    if not the_plan.stores:
        app_state.say("No changes: every selected store already has these special hours.")
        return
    save_plan(app_state.db, the_plan)
    runs.show_plan(the_plan, OutputFormat.json if json_ else OutputFormat.table, app_state)
    app_state.say(
        f"Saved as {the_plan.id}. Apply with: localcx profiles apply --plan {the_plan.id}"
    )


@app.command()
def drift(
    ctx: typer.Context,
    policy: Annotated[
        Path | None, typer.Option(help="TOML: per field reassert, accept or alert.")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Ask about every store, not only flagged ones.")
    ] = False,
    yes: YesOpt = False,
    json_: JsonOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """Find fields Google shows differently from ours; act on them by policy. Exit 3 if any remain."""
    app_state = state(ctx)
    fmt = output_format(json_, csv_)
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
    rows(
        (i.as_dict() for i in items),
        fmt,
        columns=["store_code", "field", "kind", "ours", "google", "action"],
        empty="no drift: Google shows what you set",
    )
    actionable = [i for i in items if i.kind == "google" and i.action != "alert"]
    if actionable:
        resolution = drift_lib.resolution_plan(
            app_state.db, actionable, region=region, clock=app_state.clock
        )
        save_plan(app_state.db, resolution)
        runs.confirm(
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
    remaining = [e for e in drift_lib.open_events(app_state.db) if e["kind"] == "google"]
    if remaining:
        app_state.say(f"{len(remaining)} drifted field(s) left unresolved.")
        raise typer.Exit(int(ExitCode.PARTIAL))
