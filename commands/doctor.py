"""`localcx doctor`: is this workspace ready to talk to Google?"""

from __future__ import annotations

import typer

from localcx import health
from localcx.commands._common import JsonOpt, output_format, state
from localcx.errors import SettingsError
from localcx.exitcodes import ExitCode
from localcx.render import rows


def doctor(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Check the settings, credentials, quota and API access, one line per check."""
    app_state = state(ctx)
    try:
        workspace = app_state.workspace
    except SettingsError as exc:  # the one thing doctor must show, not stop at
        checks = health.settings_failed(exc)
    else:
        checks = health.run_checks(workspace, app_state.db, lambda: app_state.google)
    rows(
        (c.as_dict() for c in checks),
        output_format(json_, False),
        columns=["check", "ok", "detail"],
    )
    if not all(c.ok for c in checks):
        raise typer.Exit(int(next(c.exit_code for c in checks if not c.ok)))
    raise typer.Exit(int(ExitCode.OK))
