"""`localcx doctor`: is this workspace ready to talk to Google?"""

from __future__ import annotations

import typer

from localcx import health
from localcx.commands._common import state
from localcx.commands._output import output_options
from localcx.errors import SettingsError
from localcx.exitcodes import ExitCode
from localcx.render import OutputFormat, rows, views


@output_options()
def doctor(ctx: typer.Context, fmt: OutputFormat) -> None:
    """Check the settings, credentials, quota and API access, one line per check."""
    app_state = state(ctx)
    try:
        workspace = app_state.workspace
    except SettingsError as exc:  # the one thing doctor must show, not stop at
        checks = health.settings_failed(exc)
    else:
        checks = health.run_checks(workspace, app_state.db, lambda: app_state.google)
    if fmt is OutputFormat.table:
        views.checks(app_state.terminal, (c.as_dict() for c in checks))
    else:
        rows((c.as_dict() for c in checks), fmt, columns=["check", "ok", "detail"], terminal=app_state.terminal)
    if not all(c.ok for c in checks):
        raise typer.Exit(int(next(c.exit_code for c in checks if not c.ok)))
    raise typer.Exit(int(ExitCode.OK))
