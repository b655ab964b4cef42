"""`localcx auth`: log in to Business Profile, store the Places API key, log out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from localcx.commands._common import Typer, state
from localcx.commands._output import output_options
from localcx.errors import UsageError
from localcx.google import auth
from localcx.render import OutputFormat, record

app = Typer(no_args_is_help=True, help="Credentials for Google (never printed).")


@app.command(epilog="Example: localcx -w acme auth login --client-secret client_secret.json")
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
        if app_state.terminal.stdin_tty:
            key = typer.prompt("Places API key", hide_input=True, err=True)
        else:
            key = app_state.terminal.stdin.readline()
        auth.save_api_key(workspace, key)
        app_state.say(f"Saved the Places API key for workspace {workspace.name} (mode 0600).")
        return
    if workspace.settings.backend == "sandbox":
        app_state.say("This workspace uses the sandbox: no login is needed.")
        return
    if client_secret is None:
        raise UsageError("pass --client-secret FILE (or --api-key for Places)")
    info = auth.login(
        workspace,
        client_secret,
        app_state.google.transport,
        open_browser=not no_browser,
        show_url=lambda url: app_state.warn(
            f"Log in to Google in the browser{' that opens' if not no_browser else ''}: {url}"
        ),
    )
    app_state.say(f"Logged in; token saved with mode {info.get('token_file_mode')}.")


@app.command(epilog="Example: localcx auth status --json")
@output_options(OutputFormat.json)
def status(ctx: typer.Context, fmt: OutputFormat) -> None:
    """Who is logged in, which scopes, when the access token expires. Never the token."""
    app_state = state(ctx)
    record(auth.status(app_state.workspace), fmt, terminal=app_state.terminal)


@app.command(epilog="Example: localcx -w acme auth logout")
def logout(ctx: typer.Context) -> None:
    """Delete the saved token and API key of this workspace."""
    app_state = state(ctx)
    removed = auth.logout(app_state.workspace)
    app_state.say(f"Removed: {', '.join(removed)}" if removed else "Nothing to remove.")
