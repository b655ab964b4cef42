"""Showing a profiles plan, asking, running it and reporting: what apply, resume, undo and
drift share (posts and other areas have their own; the prompt is `_common.confirm_action`)."""

from __future__ import annotations

from collections.abc import Callable

import typer

from localcx.commands._common import AppState, Terminated, confirm_action
from localcx.exitcodes import ExitCode
from localcx.profiles.applier import ApplyOptions, Runner, RunResult
from localcx.profiles.fields import FIELD_NAMES
from localcx.profiles.planner import Plan
from localcx.render import OutputFormat, record, rows, views
from localcx.render.human import counts, plural

PROBLEMS = ("failed", "conflict")


def show_plan(plan: Plan, fmt: OutputFormat, app_state: AppState) -> None:
    terminal = app_state.terminal
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        record(plan.as_dict(), OutputFormat.json, terminal=terminal)
        return
    if fmt is OutputFormat.csv:
        rows(plan.diff_rows(), fmt, columns=["store_code", "field", "before", "after"], terminal=terminal)
        return
    if app_state.quiet:
        return
    if plan.stores:
        changes = [
            {"store_code": s.store_code, "title": s.title, "before": s.before, "after": s.after}
            for s in plan.stores
        ]
        shown = views.plan_diff(terminal, plan.id, changes, FIELD_NAMES)
        if len(plan.stores) > shown:
            app_state.say(
                f"… and {plural(len(plan.stores) - shown, 'more store')}: "
                "see them all with --json or --csv."
            )
    totals = ", ".join(f"{name} {n}" for name, n in plan.totals().items())
    app_state.say(
        f"{plural(len(plan.stores), 'store')} to change "
        f"({plural(plan.change_count, 'field change')}{': ' + totals if totals else ''}); "
        f"{plan.unchanged} already match."
    )


def show_skipped(plan: Plan, app_state: AppState) -> None:
    """Stores left out (not synced, or invalid with --skip-invalid): always on stderr."""
    if plan.skipped:
        app_state.warn(f"Skipped (not synced or invalid): {', '.join(plan.skipped)}")
    for problem in getattr(plan, "problems", []):
        app_state.warn(f"  {problem}")


def confirm(app_state: AppState, yes: bool, question: str, plan_id: str) -> None:
    """Ask before applying a plan; declining says how to apply it later."""
    confirm_action(
        app_state,
        yes,
        question,
        declined=f"Nothing was sent. Apply it later with: localcx profiles apply --plan {plan_id}",
    )


def execute(
    app_state: AppState, total: int, options: ApplyOptions, go: Callable[[Runner], RunResult]
) -> RunResult:
    hint = app_state.command("finish with: localcx profiles resume")
    progress = app_state.progress("Applying", total)
    with app_state.workspace.exclusive("profiles", app_state.say), progress as advance:
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
        except Terminated:
            app_state.warn(f"localcx: terminated; {hint}")
            raise typer.Exit(int(ExitCode.TERMINATED)) from None
        except KeyboardInterrupt:
            app_state.warn(f"localcx: interrupted; {hint}")
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None


def report(result: RunResult, app_state: AppState, json_: bool) -> None:
    """What happened, then the exit code: 3 if any store failed or conflicted (a dry run
    included), the stop error's if the run stopped early."""
    problems = [s for s in result.stores if s["status"] in PROBLEMS]
    if json_:
        record(result.as_dict(), OutputFormat.json, terminal=app_state.terminal)
    elif app_state.quiet:
        for store in problems:
            app_state.warn(f"{store['store_code']}: {store['status']}: {store['error']}")
    else:
        if problems:
            rows(
                problems,
                OutputFormat.table,
                columns=["store_code", "status", "fields", "error"],
                terminal=app_state.terminal,
            )
        if result.status == "dry-run":
            app_state.say(f"Dry run, nothing was sent: {counts(result.counts)}.")
        else:
            app_state.say(f"Run {result.run_id}: {result.status} ({counts(result.counts)}).")
        if result.status == "interrupted":
            app_state.say("Finish it later with: localcx profiles resume")
    if result.stop_error is not None:
        raise result.stop_error
    if problems:
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
    confirm(
        app_state,
        yes,
        f"{verb} {plural(plan.change_count, 'change')} on {plural(len(plan.stores), 'store')}?",
        plan.id,
    )
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
