"""Showing plans and running them: what apply, resume, undo and drift share."""

from __future__ import annotations

import sys
from collections.abc import Callable

import typer
from rich.table import Table

from localcx.commands._common import AppState, err
from localcx.errors import UsageError
from localcx.exitcodes import ExitCode
from localcx.profiles.applier import ApplyOptions, Runner, RunResult
from localcx.profiles.planner import Plan
from localcx.render import OutputFormat, record, rows, stdout_console, text_diff

MAX_PLAN_ROWS = 200  # a person reads the first stores; scripts take --json or --csv


def show_plan(plan: Plan, fmt: OutputFormat, app_state: AppState) -> None:
    if fmt is OutputFormat.json:
        record(plan.as_dict(), fmt)
        return
    if fmt is OutputFormat.csv:
        rows(plan.diff_rows(), fmt, columns=["store_code", "field", "before", "after"])
        return
    if plan.stores:
        table = Table(title=f"Plan {plan.id}", header_style="bold", show_lines=False)
        for name in ("store", "field", "before", "after"):
            table.add_column(name, overflow="fold")
        for store in plan.stores[:MAX_PLAN_ROWS]:
            for i, name in enumerate(store.fields):
                label = f"{store.store_code} · {store.title}" if i == 0 else ""
                before, after = text_diff(store.before.get(name, ""), store.after[name])
                table.add_row(
                    label,
                    name,
                    before if before.plain else "—",
                    after if after.plain else "(cleared)",
                )
        stdout_console().print(table)
        if len(plan.stores) > MAX_PLAN_ROWS:
            app_state.say(
                f"… and {len(plan.stores) - MAX_PLAN_ROWS} more stores: see them all with --json or --csv."
            )
    totals = ", ".join(f"{name} {n}" for name, n in plan.totals().items())
    app_state.say(
        f"{len(plan.stores)} stores to change ({plan.change_count} field changes{': ' + totals if totals else ''}); "
        f"{plan.unchanged} already match."
    )
    if plan.skipped:
        app_state.say(f"Skipped (not synced or invalid): {', '.join(plan.skipped)}")


def confirm(yes: bool, question: str, plan_id: str) -> None:
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError("refusing to write to Google without confirmation", hint="pass --yes")
    if not typer.confirm(question, err=True):
        err.print(
            f"Nothing was sent. Apply it later with: localcx profiles apply --plan {plan_id}",
            markup=False,
        )
        raise typer.Exit(int(ExitCode.OK))


def execute(
    app_state: AppState, total: int, options: ApplyOptions, go: Callable[[Runner], RunResult]
) -> RunResult:
    progress = app_state.progress("Applying", total)
    with app_state.workspace.exclusive("this run"), progress as advance:
        runner = Runner(
            app_state.db,
            app_state.google,
            region=app_state.workspace.settings.region,
            clock=app_state.clock,
            options=options,
            progress=advance,
        )
        try:
            return go(runner)
        except KeyboardInterrupt:
            err.print("localcx: interrupted; finish with: localcx profiles resume", markup=False)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


def report(result: RunResult, app_state: AppState, json_: bool) -> None:
    if json_:
        record(result.as_dict(), OutputFormat.json)
    else:
        problems = [s for s in result.stores if s["status"] in ("failed", "conflict")]
        if problems:
            rows(problems, OutputFormat.table, columns=["store_code", "status", "fields", "error"])
        counts = ", ".join(f"{k} {v}" for k, v in sorted(result.counts.items()))
        if result.status == "dry-run":
            app_state.say(f"Dry run, nothing was sent: {counts}.")
        else:
            app_state.say(f"Run {result.run_id}: {result.status} ({counts}).")
        if result.status == "interrupted":
            app_state.say("Finish it later with: localcx profiles resume")
    if result.stop_error is not None:
        raise result.stop_error
    if result.status == "partial":
        raise typer.Exit(int(ExitCode.PARTIAL))


def show_confirm_run(
    app_state: AppState,
    plan: Plan,
    verb: str,
    yes: bool,
    options: ApplyOptions,
    json_: bool,
    *,
    undo_of: str | None = None,
) -> RunResult:
    """The apply and undo sequence: show the plan, ask, run it, report (raising the exit)."""
    if not json_:
        show_plan(plan, OutputFormat.table, app_state)
    confirm(yes, f"{verb} {plan.change_count} changes on {len(plan.stores)} stores?", plan.id)
    kind = "undo" if undo_of else "apply"
    result = execute(
        app_state, len(plan.stores), options, lambda r: r.start(plan, kind=kind, undo_of=undo_of)
    )
    report(result, app_state, json_)
    return result


def apply_options(
    app_state: AppState, force: bool, preflight: bool, dry_run: bool, workers: int | None
) -> ApplyOptions:
    return ApplyOptions(
        force=force,
        preflight=preflight,
        dry_run=dry_run,
        workers=workers or app_state.workspace.settings.http.workers,
    )
