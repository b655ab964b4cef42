"""`localcx init` and `localcx workspaces`: one workspace per client."""

from __future__ import annotations

from typing import Annotated

import typer

from localcx import config
from localcx.commands._common import Typer, state
from localcx.commands._output import output_options
from localcx.errors import UsageError
from localcx.render import OutputFormat, rows
from localcx.session import Session

app = Typer(no_args_is_help=True, help="List the workspaces (one per client).")


def init(
    ctx: typer.Context,
    sandbox: Annotated[
        bool, typer.Option("--sandbox", help="Use the offline emulator (no credentials).")
    ] = False,
    google: Annotated[bool, typer.Option("--google", help="Use Google's real APIs.")] = False,
    region: Annotated[
        str, typer.Option(help="Default country for phone numbers (ISO 3166 code).")
    ] = "US",
    stores: Annotated[
        int, typer.Option(help="Sandbox: how many stores the synthetic city has.")
    ] = 30,
    seed: Annotated[int, typer.Option(help="Sandbox: seed of the synthetic city.")] = 7,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing workspace of this name.")
    ] = False,
) -> None:
    """Create a workspace: `--sandbox` works offline at once, `--google` needs `auth login`."""
    if sandbox == google:
        raise UsageError("choose exactly one of --sandbox and --google")
    if not 1 <= stores <= 5000:
        raise UsageError("--stores must be between 1 and 5000")
    app_state = state(ctx)
    settings = config.Settings(backend="sandbox" if sandbox else "google", region=region.upper())
    settings.sandbox.stores = stores
    settings.sandbox.seed = seed
    workspace = config.create_workspace(app_state.workspace_name, settings, replace=force)
    with Session(workspace) as session:
        session.migrate()
    app_state.say(
        f"Created workspace [bold]{workspace.name}[/bold] ({settings.backend}) in {workspace.path}"
    )
    if sandbox:
        app_state.say("Next: localcx locations sync")
    else:
        app_state.say("Next: localcx auth login --client-secret client_secret.json")


@app.command("list", epilog="Example: localcx workspaces list --json")
@output_options()
def list_(ctx: typer.Context, fmt: OutputFormat) -> None:
    """Every workspace under LOCALCX_HOME, with its backend."""
    app_state = state(ctx)
    current = app_state.workspace_name
    rows(
        (
            {
                "name": w.name,
                "backend": w.settings.backend,
                "current": w.name == current,
                "path": str(w.path),
            }
            for w in config.list_workspaces()
        ),
        fmt,
        columns=["name", "backend", "current", "path"],
        terminal=app_state.terminal,
        empty="no workspaces yet: run localcx init --sandbox",
    )


@app.command("path", epilog="Example: localcx -w acme workspaces path")
def path(ctx: typer.Context) -> None:
    """Print the folder of the current workspace (settings, database, secrets)."""
    app_state = state(ctx)
    app_state.terminal.stdout.write(f"{app_state.workspace.path}\n")
