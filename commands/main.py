"""The root of the command tree: global options and one sub-app per noun."""

from __future__ import annotations

from importlib import metadata
from typing import Annotated

import typer

from localcx import config
from localcx.clock import Clock
from localcx.commands import (
    auth,
    doctor,
    insights,
    locations,
    posts,
    profiles,
    rank,
    reviews,
    sandbox,
    workspaces,
)
from localcx.commands._common import (
    AppState,
    Environment,
    LocalcxGroup,
    Typer,
    check_workspace_name,
)
from localcx.render import Terminal

app = Typer(
    cls=LocalcxGroup,
    no_args_is_help=True,
    add_completion=True,
    help="Manage many local-business listings on Google: sync stores, bulk-edit their profiles (plan, apply, resume, undo, drift), publish campaign posts and track map rank on a grid.",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"localcx {metadata.version('localcx')}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    workspace: Annotated[
        str | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace (one per client). Default: $LOCALCX_WORKSPACE or 'default'.",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No messages or progress on stderr.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    # Tests hand in (through CliRunner's `obj=`) a Terminal that acts as a person at a
    # terminal, or an Environment with that and a virtual clock.
    injected = ctx.obj if isinstance(ctx.obj, Environment) else Environment(
        terminal=ctx.obj if isinstance(ctx.obj, Terminal) else None
    )
    ctx.obj = AppState(
        workspace_name=config.DEFAULT_WORKSPACE,
        terminal=injected.terminal or Terminal.from_system(),
        clock=injected.clock or Clock(),
    )
    ctx.obj.quiet, ctx.obj.debug = quiet, debug
    ctx.obj.workspace_name = check_workspace_name(workspace)


app.command("init", epilog="Example: localcx -w acme init --sandbox   (or --google, then auth login)")(
    workspaces.init
)
app.add_typer(workspaces.app, name="workspaces")
app.add_typer(auth.app, name="auth")
app.command("doctor", epilog="Example: localcx -w acme doctor --json")(doctor.doctor)
app.command("demo", epilog="Example: localcx demo   (uses its own 'demo' workspace)")(sandbox.demo)
app.add_typer(sandbox.app, name="sandbox")
app.add_typer(locations.app, name="locations")
app.add_typer(profiles.app, name="profiles")
app.add_typer(posts.app, name="posts")
app.add_typer(rank.app, name="rank")
app.add_typer(reviews.app, name="reviews")
app.add_typer(insights.app, name="insights")


def run() -> None:
    app()
