"""The checks behind `localcx doctor`, each one cheap and each naming its own fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils

from localcx.backend import TOKEN_ENV, Google
from localcx.clock import iso
from localcx.config import ENDPOINT_ENV, Workspace, command_hint, endpoint_override, env_secret
from localcx.errors import LocalcxError, SettingsError
from localcx.exitcodes import ExitCode
from localcx.google import auth


@dataclass
class Check:
    check: str
    ok: bool
    detail: str
    exit_code: ExitCode = ExitCode.ERROR

    def as_dict(self) -> dict[str, object]:
        return {"check": self.check, "ok": self.ok, "detail": self.detail}


def settings_failed(error: SettingsError) -> list[Check]:
    """Doctor's answer when settings.toml does not pass: one failed check per problem."""
    return [Check("settings", False, problem) for problem in error.problems]


def run_checks(
    workspace: Workspace, db: sqlite_utils.Database, google: Callable[[], Google]
) -> list[Check]:
    checks = [
        Check(
            "workspace",
            True,
            f"{workspace.name} ({workspace.settings.backend}) at {workspace.path}",
        ),
        Check("settings", True, f"{workspace.settings_path} is valid"),
    ]
    if workspace.settings.backend == "google":
        failed = _credential_checks(workspace, checks)
        if failed:
            return checks
    try:
        accounts = list(google().business.accounts())
        checks.append(Check("Account Management API", True, f"{len(accounts)} accounts visible"))
        first = next(
            (a for a in accounts if a.get("type") != "PERSONAL"), accounts[0] if accounts else None
        )
        if first is not None:
            sample = next(
                iter(google().business.locations(first["name"], read_mask="name", page_size=1)),
                None,
            )
            detail = "locations readable" if sample else "no locations in the first account"
            checks.append(Check("Business Information API", True, detail))
    except LocalcxError as exc:
        checks.append(
            Check(
                "API access", False, f"{exc.message} — {exc.hint or ''}".strip(" —"), exc.exit_code
            )
        )
    checks.append(Check("requests, last 24 h", True, request_summary(db)))
    used = updates_today(db)
    checks.append(
        Check(
            "daily update quota",
            used < DAILY_UPDATES,
            f"{used:,} of {DAILY_UPDATES:,} location updates used since midnight Pacific time",
            ExitCode.QUOTA,
        )
    )
    return checks


def _credential_checks(workspace: Workspace, checks: list[Check]) -> bool:
    """Append the endpoint and credential checks; True when the API cannot be tried."""
    try:
        override = endpoint_override()
    except LocalcxError as exc:
        checks.append(Check("endpoint", False, f"{exc.message} — {exc.hint}", exc.exit_code))
        return True
    if override:
        checks.append(Check("endpoint", True, f"{ENDPOINT_ENV}={override}"))
    try:
        static = env_secret(TOKEN_ENV)
    except LocalcxError as exc:
        checks.append(Check("credentials", False, exc.message, ExitCode.AUTH))
        return True
    if static:
        checks.append(Check("credentials", True, f"static token from {TOKEN_ENV}"))
        return False
    info = auth.status(workspace)
    login = command_hint(workspace.name, auth.LOGIN_ARGS)
    if not info["logged_in"]:
        checks.append(Check("login", False, f"not logged in: run {login}", ExitCode.AUTH))
        return True
    if "token_problem" in info:
        checks.append(Check("token file", False, info["token_problem"], ExitCode.AUTH))
        return True
    mode = info.get("token_file_mode")
    checks.append(Check("token file", mode == "0o600", f"mode {mode}"))
    return False


DAILY_UPDATES = 10_000  # Google's per-project cap on location updates, reset at Pacific midnight


def request_summary(db: sqlite_utils.Database, now: datetime | None = None) -> str:
    """What the call log says about the last day: volume, retries and throttling."""
    since = iso(((now or datetime.now(UTC)) - timedelta(days=1)).timestamp())
    total, retried, throttled, failed = db.execute(
        "select count(*), coalesce(sum(attempt > 1), 0), coalesce(sum(status = 429), 0), "
        "coalesce(sum(status >= 500 or status = 0), 0) from api_calls where at >= ?",
        [since],
    ).fetchone()
    return f"{total:,} sent, {retried:,} of them retries, {throttled:,} answered 429, {failed:,} 5xx or network errors"


def updates_today(db: sqlite_utils.Database, now: datetime | None = None) -> int:
    """Successful location PATCHes since the start of Google's (Pacific) day."""
    pacific = (now or datetime.now(UTC)).astimezone(ZoneInfo("America/Los_Angeles"))
    start = pacific.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    row = db.execute(
        "select count(*) from api_calls where method = 'PATCH' and status = 200 and at >= ?",
        [iso(start.timestamp())],
    ).fetchone()
    return int(row[0])
