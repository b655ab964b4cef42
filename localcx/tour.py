"""`localcx demo`: the offline tour, in a fresh sandbox workspace named `demo`.

It runs the same library calls the commands run, so what the tour shows is what a user
gets. Messages go through `say`; tables through render.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from localcx import calllog, config, exports, stores
from localcx.profiles import drift
from localcx.profiles.applier import ApplyOptions, Runner
from localcx.profiles.from_file import plan_from_file
from localcx.profiles.holiday_hours import holiday_plan
from localcx.profiles.hours import parse_regular_hours
from localcx.profiles.planner import save_plan
from localcx.profiles.undo import undo_plan
from localcx.render import OutputFormat, Terminal, rows
from localcx.render.human import counts, plural
from localcx.session import Session

DEMO_WORKSPACE = "demo"


def run_demo(
    say: Callable[[str], None], name: str = DEMO_WORKSPACE, terminal: Terminal | None = None
) -> dict[str, object]:
    started = time.perf_counter()
    settings = config.Settings(backend="sandbox", region="US")
    workspace = config.create_workspace(name, settings, replace=True)
    say(f"[bold]1.[/bold] Created sandbox workspace '{name}' at {workspace.path}")
    session = Session(workspace)
    database, google = session.db, session.google
    try:
        result = stores.sync(database, google.business)
        say(
            f"[bold]2.[/bold] localcx -w {name} locations sync → {result.stores} stores "
            f"from {result.accounts} accounts (Google's paths, paging and quotas, emulated)"
        )
        say(f"[bold]3.[/bold] localcx -w {name} locations list --stores label:flagship")
        rows(
            stores.select_rows(database, "label:flagship"),
            OutputFormat.table,
            columns=["store_code", "title", "city", "primary_phone", "primary_category"],
            terminal=terminal,
        )
        with tempfile.TemporaryDirectory() as tmp:
            export_path = Path(tmp) / "stores.csv"
            exports.export_stores(database, export_path, region=settings.region)
            plan = plan_from_file(database, export_path, region=settings.region)
            say(
                f"[bold]4.[/bold] locations export stores.csv, then profiles plan stores.csv → "
                f"{plural(len(plan.stores), 'change')} (an unedited export round-trips)"
            )
            edited = _edit_saturday(export_path)
            plan = plan_from_file(database, edited, region=settings.region)
            save_plan(database, plan)
            say(
                f"[bold]5.[/bold] Changed Saturday hours in the CSV → plan {plan.id}: "
                f"{plural(len(plan.stores), 'store')}, {plural(plan.change_count, 'field change')}"
            )
            runner = Runner(
                database, google, region=settings.region, options=ApplyOptions(workers=2)
            )
            run = runner.start(plan)
            say(
                f"[bold]6.[/bold] profiles apply --plan {plan.id} --yes → run {run.run_id}: {counts(run.counts)}"
            )
            again = plan_from_file(database, edited, region=settings.region)
            say(f"[bold]7.[/bold] profiles plan again → {plural(len(again.stores), 'change')}")
            reverse, _ = undo_plan(database, run.run_id, region=settings.region)
            undone = runner.start(reverse, kind="undo", undo_of=run.run_id)
            say(f"[bold]8.[/bold] profiles undo {run.run_id} --yes → {counts(undone.counts)}")
        holiday, days = holiday_plan(
            database,
            country="JP",
            year=2027,
            selector="country:JP",
            hours=None,
            region=settings.region,
        )
        save_plan(database, holiday)
        say(
            f"[bold]9.[/bold] profiles holidays --country JP --year 2027 --closed --stores country:JP → {plural(len(days), 'holiday')} "
            f"merged into {plural(len(holiday.stores), 'store')}' special hours (plan {holiday.id}, not applied)"
        )
        items = drift.detect(database, google, region=settings.region, policy=drift.Policy())
        say("[bold]10.[/bold] profiles drift → fields Google shows differently from ours:")
        rows(
            [i.as_dict() for i in items if i.kind == "google"],
            OutputFormat.table,
            columns=["store_code", "field", "ours", "google"],
            terminal=terminal,
            empty="no drift: Google shows what you set",
        )
        calls = calllog.total(database)
        seconds = time.perf_counter() - started
        say(
            f"Done in {seconds:.1f}s with {plural(calls, 'API call')}, all offline, paced to Google's quotas.\n"
            f"Go on with: localcx -w {name} locations show TKY-004 · localcx -w {name} profiles history · "
            f"localcx -w {name} profiles drift --policy examples/profiles/drift-policy.toml"
        )
        return {"stores": result.stores, "seconds": seconds}
    finally:
        session.close()


def set_day(hours: str, day: str, ranges: str) -> str:
    """Canonical hours with one day's ranges replaced (a later `closed` clears the day)."""
    without = parse_regular_hours(f"{hours}; {day} closed" if hours else "")
    return parse_regular_hours(f"{without}; {day} {ranges}" if without else f"{day} {ranges}")


def _edit_saturday(path: Path) -> Path:
    """The CSV with every store's Saturday hours set to 10:00-16:00."""
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    fieldnames = list(table[0].keys())
    for row in table:
        row["regular_hours"] = set_day(row["regular_hours"], "Sat", "10:00-16:00")
    out = path.with_name("stores-edited.csv")
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(table)
    return out
