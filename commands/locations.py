"""`localcx locations`: the store master kept in the workspace database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table

from localcx import exports, stores
from localcx.commands._common import CsvOpt, JsonlOpt, JsonOpt, StoresOpt, output_format, state
from localcx.render import OutputFormat, record, rows, stdout_console

app = typer.Typer(no_args_is_help=True, help="Sync, list, show and export stores.")


@app.command()
def sync(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Read every account and location from Google into the workspace."""
    app_state = state(ctx)
    with app_state.progress("Syncing locations", None) as advance:
        result = stores.sync(
            app_state.db,
            app_state.google.business,
            clock=app_state.clock,
            progress=lambda _kind, _n: advance(1),
        )
    summary = result.as_dict()
    if json_:
        record(summary, OutputFormat.json)
    else:
        app_state.say(
            f"Synced {result.stores} stores from {result.accounts} accounts: "
            f"{result.new} new, {result.changed} changed, {result.unchanged} unchanged, "
            f"{len(result.removed)} removed."
        )


@app.command("list")
def list_(
    ctx: typer.Context,
    label: Annotated[str | None, typer.Option(help="Only stores with this label.")] = None,
    city: Annotated[str | None, typer.Option(help="Only stores in this city.")] = None,
    search: Annotated[
        str | None, typer.Option(help="Text in the title, store code or address.")
    ] = None,
    stores_: StoresOpt = "all",
    json_: JsonOpt = False,
    jsonl: JsonlOpt = False,
    csv_: CsvOpt = False,
) -> None:
    """List synced stores."""
    fmt = output_format(json_, csv_, jsonl)
    db = state(ctx).db
    columns = (
        stores.PUBLIC_COLUMNS
        if fmt is not OutputFormat.table
        else [
            "store_code",
            "title",
            "city",
            "primary_phone",
            "primary_category",
            "labels",
            "place_id",
        ]
    )
    terms = [term for term in (f"label:{label}" if label is not None else None,
                               f"city:{city}" if city is not None else None) if term]
    keys = None if stores_ == "all" and not terms else _selected(db, stores_, terms)
    rows(
        stores.list_stores(db, keys=keys, search=search),
        fmt,
        columns=columns,
        empty="no stores: run localcx locations sync",
    )


def _selected(db: Any, selection: str, terms: list[str]) -> list[str]:
    """--stores, narrowed by --label and --city (each a selector term of its own)."""
    keys = stores.select(db, selection)
    for term in terms:
        narrowed = set(stores.select(db, term))
        keys = [key for key in keys if key in narrowed]
    return keys


@app.command()
def show(
    ctx: typer.Context,
    store: Annotated[str, typer.Argument(help="Store code or location id.")],
    history: Annotated[
        bool, typer.Option("--history", help="List when the store changed and which fields.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """One store in full, or its change history."""
    if history:
        rows(stores.store_history(state(ctx).db, store), output_format(json_, False))
        return
    detail = stores.show_store(state(ctx).db, store)
    if json_:
        record(detail, OutputFormat.json)
        return
    detail.pop("location")
    profile = detail.pop("profile")
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in detail.items():
        text = ", ".join(value) if isinstance(value, list) else "" if value is None else str(value)
        table.add_row(key, text)
    table.add_section()
    for key, value in profile.items():
        if value and key not in detail:
            table.add_row(key, value.replace("; ", "\n") if key.endswith("hours") else value)
    stdout_console().print(
        Panel(table, title=f"{detail['store_code']} · {detail['title']}", expand=False)
    )


@app.command()
def export(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="Where to write: .csv, .json or .jsonl ('-' for stdout CSV).")
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
    stores: StoresOpt = "all",
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
        selector=stores,
    )
    if str(file) != "-":
        app_state.say(f"Wrote {count} stores to {file}")
