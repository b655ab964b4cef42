"""`localcx locations`: the store master kept in the workspace database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from localcx import exports, stores
from localcx.commands._common import AppState, StoresOpt, Typer, state
from localcx.commands._output import output_options
from localcx.render import OutputFormat, record, rows, views

app = Typer(no_args_is_help=True, help="Sync, list, show and export stores.")

LIST_COLUMNS = ["store_code", "title", "city", "primary_phone", "primary_category", "labels"]


@app.command(epilog="Example: localcx locations sync -q   (nightly from cron)")
@output_options(OutputFormat.json)
def sync(ctx: typer.Context, fmt: OutputFormat) -> None:
    """Read every account and location from Google into the workspace."""
    app_state = state(ctx)
    with app_state.progress("Syncing locations", None) as advance:
        result = stores.sync(
            app_state.db,
            app_state.google.business,
            clock=app_state.clock,
            progress=lambda _kind, _n: advance(1),
        )
    if fmt is OutputFormat.json:
        record(result.as_dict(), fmt, terminal=app_state.terminal)
        return
    app_state.say(
        f"Synced {result.stores} stores from {result.accounts} accounts: "
        f"{result.new} new, {result.changed} changed, {result.unchanged} unchanged, "
        f"{len(result.removed)} removed."
    )


def _selected(app_state: AppState, selection: str, label: str | None, city: str | None) -> list[str] | None:
    """--stores, narrowed by --label and --city (each one more selector term)."""
    terms = [t for t in (f"label:{label}" if label is not None else "", f"city:{city}" if city is not None else "") if t]
    if selection == "all" and not terms:
        return None
    keys = stores.select(app_state.db, selection)
    for term in terms:
        narrowed = set(stores.select(app_state.db, term))
        keys = [key for key in keys if key in narrowed]
    return keys


@app.command("list", epilog="Example: localcx locations list --stores label:flagship,city:Tokyo --csv")
@output_options()
def list_(
    ctx: typer.Context,
    fmt: OutputFormat,
    selection: StoresOpt = "all",
    label: Annotated[str | None, typer.Option(help="Only stores with this label (any case).")] = None,
    city: Annotated[str | None, typer.Option(help="Only stores in this city (any case).")] = None,
    search: Annotated[
        str | None, typer.Option(help="Text in the title, store code or address.")
    ] = None,
) -> None:
    """List synced stores."""
    app_state = state(ctx)
    keys = _selected(app_state, selection, label, city)
    columns = stores.PUBLIC_COLUMNS if fmt is not OutputFormat.table else LIST_COLUMNS
    empty = "no stores match" if stores.store_count(app_state.db) else "no stores: run localcx locations sync"
    rows(
        stores.list_stores(app_state.db, keys=keys, search=search),
        fmt,
        columns=columns,
        terminal=app_state.terminal,
        empty=app_state.command(empty),
        quiet=app_state.quiet,
    )


@app.command(epilog="Example: localcx locations show TKY-004 --history")
@output_options()
def show(
    ctx: typer.Context,
    fmt: OutputFormat,
    store: Annotated[str, typer.Argument(help="Store code (any case) or location id.")],
    history: Annotated[
        bool, typer.Option("--history", help="List when the store changed and which fields.")
    ] = False,
) -> None:
    """One store in full, or its change history."""
    app_state = state(ctx)
    if history:
        rows(stores.store_history(app_state.db, store), fmt, terminal=app_state.terminal)
        return
    detail = stores.show_store(app_state.db, store)
    if fmt is not OutputFormat.table:
        record(detail, OutputFormat.json if fmt is OutputFormat.jsonl else fmt, terminal=app_state.terminal)
        return
    detail.pop("location")
    profile = detail.pop("profile")
    views.store_panel(app_state.terminal, detail, profile)


@app.command(epilog="Example: localcx locations export stores.csv --encoding cp932 --stores country:JP")
def export(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="Where to write: .csv, .json or .jsonl ('-' for CSV on stdout).")
    ],
    encoding: Annotated[
        str, typer.Option(help="CSV encoding: utf-8, utf-8-sig (Excel) or cp932 (Japanese Excel).")
    ] = "utf-8",
    format_: Annotated[
        str,
        typer.Option(
            "--format", help="CSV layout: localcx (desired-state columns) or google-bulk."
        ),
    ] = "localcx",
    language: Annotated[str, typer.Option(help="google-bulk headers: en or ja.")] = "en",
    selection: StoresOpt = "all",
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Write the stores as a desired-state file you can edit and feed to `profiles plan`."""
    app_state = state(ctx)
    count = exports.export_stores(
        app_state.db,
        file,
        encoding=encoding,
        layout=format_,
        language=language,
        region=app_state.workspace.settings.region,
        selector=selection,
        force=force,
        stdout=app_state.terminal.stdout,
    )
    if str(file) != "-":
        app_state.say(f"Wrote {count} stores to {file}")
