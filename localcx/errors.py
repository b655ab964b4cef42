"""One exception family, so the CLI has one place that turns failures into messages.

Library code raises these with a hint that names the fix; `commands/_common.py` prints
`localcx: error: <message>` plus the hint on stderr and exits with `exit_code`.
"""

from __future__ import annotations

from localcx.exitcodes import ExitCode


class LocalcxError(Exception):
    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None, exit_code: ExitCode | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(LocalcxError):
    exit_code = ExitCode.USAGE


class NotFoundError(LocalcxError):
    """A store, run or other thing the user named does not exist."""


class WorkspaceError(LocalcxError):
    """The workspace is missing or its settings are broken."""


class AuthError(LocalcxError):
    exit_code = ExitCode.AUTH


class QuotaError(LocalcxError):
    exit_code = ExitCode.QUOTA


class ValidationError(LocalcxError):
    """Input files had problems; `problems` holds one line per problem."""

    def __init__(self, message: str, problems: list[str], hint: str | None = None):
        super().__init__(message, hint)
        self.problems = problems


class SettingsError(ValidationError, WorkspaceError):
    """settings.toml has problems: a WorkspaceError (exit 1) rendered one problem a line."""
