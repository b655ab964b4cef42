"""`localcx sandbox` and `localcx demo`: the offline emulator of Google, for trying and testing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from localcx import backend, tour
from localcx.commands._common import Typer, state
from localcx.errors import LocalcxError, UsageError

app = Typer(no_args_is_help=True, help="Run the emulator of Google's APIs.")

StateOpt = Annotated[
    Path | None,
    typer.Option(
        "--state",
        help="Sandbox state file. Default: the workspace's own (sandbox workspaces), else LOCALCX_HOME/sandbox.db.",
    ),
]


def _state_path(ctx: typer.Context, given: Path | None) -> Path:
    """The state file to use, refused (one-line error naming it) unless it is new, empty or a
    sandbox database: a typo must not turn someone's file into a sandbox or delete it."""
    from localcx.sandbox.state import StateFileError, check_state_file  # lazy: CLI start-up

    path = given if given is not None else backend.default_state_path(state(ctx).workspace_name)
    try:
        check_state_file(path)
    except StateFileError as exc:
        raise LocalcxError(str(exc), hint="pass --state with a new file name, or a file that "
                                          "`localcx sandbox serve` created") from exc
    return path


@app.command(epilog="Example: localcx sandbox serve --port 8765 --faults 429:0.1")
def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0 picks a free one).")] = 8765,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic city (new state only).")] = 7,
    stores: Annotated[int, typer.Option(help="How many stores (new state only), up to 5000.")] = 30,
    faults: Annotated[
        str, typer.Option(help="Injected faults, e.g. 429:0.1,503:0.05,timeout:0.02,reset:0.02.")
    ] = "",
    fault_seed: Annotated[int, typer.Option(help="Seed for the fault dice.")] = 0,
    qpm: Annotated[
        int, typer.Option(help="Requests per minute per API it allows (Google's is 300).")
    ] = 300,
    unapproved: Annotated[
        bool,
        typer.Option("--unapproved", help="Act as a project Google has not approved (quota 0)."),
    ] = False,
    state_file: StateOpt = None,
) -> None:
    """Serve Google's API paths on 127.0.0.1 until Ctrl-C. The URL goes to stdout."""
    if not 1 <= stores <= 5000:
        raise UsageError("--stores must be between 1 and 5000")
    if not 0 <= port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535 (0 picks a free one), not {port}")
    path = _state_path(ctx, state_file)
    from localcx.sandbox.state import StateFileError

    try:
        served = backend.start_server(
            path,
            port=port,
            seed=seed,
            stores=stores,
            faults=faults,
            fault_seed=fault_seed,
            unapproved=unapproved,
            project_qpm=qpm,
        )
    except StateFileError as exc:  # e.g. the file changed since the check
        raise LocalcxError(str(exc)) from exc
    url, server = served.url, served.server
    terminal = state(ctx).terminal
    terminal.stdout.write(url + "\n")
    terminal.stdout.flush()
    state(ctx).say(
        f"Sandbox serving {served.stores} stores from {path} at {url}\n"
        f"Point a --google workspace at it: LOCALCX_GOOGLE_ENDPOINT={url} LOCALCX_GOOGLE_TOKEN=any\n"
        "Ctrl-C stops it."
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        state(ctx).say("Stopped.")  # Ctrl-C is how a server is meant to stop: exit 0
    finally:
        server.server_close()


@app.command(epilog="Example: localcx sandbox reset   (the next command re-creates the seeded city)")
def reset(ctx: typer.Context, state_file: StateOpt = None) -> None:
    """Throw away the sandbox's state; the next request re-creates the seeded city."""
    path = _state_path(ctx, state_file)
    removed = backend.reset_state(path)
    state(ctx).say(f"Reset {path}" if removed else f"Nothing to reset at {path}")


def demo(ctx: typer.Context) -> None:
    """A full offline tour in a fresh 'demo' workspace: no network, no credentials."""
    app_state = state(ctx)
    tour.run_demo(say=app_state.say, terminal=app_state.terminal)
