"""`localcx auth`: log in to Business Profile, store the Places API key, log out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from localcx.commands._common import JsonOpt, output_format, state
from localcx.errors import UsageError
from localcx.google import auth
from localcx.render import record

app = typer.Typer(no_args_is_help=True, help="Credentials for Google (never printed).")


@app.command()
def login(
    ctx: typer.Context,
    client_secret: Annotated[
        Path | None,
        typer.Option(
            "--client-secret",
            help="OAuth client JSON of type 'Desktop app' from the Cloud console.",
        ),
    ] = None,
    api_key: Annotated[
        bool,
        typer.Option(
            "--api-key", help="Store a Places API key instead, read from a prompt or stdin."
        ),
    ] = False,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Print the URL instead of opening it.")
    ] = False,
) -> None:
    """Log in with Google's installed-app OAuth flow (scope business.manage)."""
    app_state = state(ctx)
    workspace = app_state.workspace
    if api_key:
        if sys.stdin.isatty():
            key = typer.prompt("Places API key", hide_input=True, err=True)
        else:
            key = sys.stdin.readline()
        auth.save_api_key(workspace, key)
        app_state.say(f"Saved the Places API key for workspace {workspace.name} (mode 0600).")
        return
    if workspace.settings.backend == "sandbox":
        app_state.say("This workspace uses the sandbox: no login is needed.")
        return
    if client_secret is None:
        raise UsageError("pass --client-secret FILE (or --api-key for Places)")
    info = auth.login(workspace, client_secret, open_browser=not no_browser)
    app_state.say(f"Logged in; token saved with mode {info.get('token_file_mode')}.")


@app.command()
def status(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Who is logged in, which scopes, when the access token expires. Never the token."""
    record(auth.status(state(ctx).workspace), output_format(json_, False))


@app.command()
def logout(ctx: typer.Context) -> None:
    """Delete the saved token and API key of this workspace."""
    app_state = state(ctx)
    removed = auth.logout(app_state.workspace)
    app_state.say(f"Removed: {', '.join(removed)}" if removed else "Nothing to remove.")
