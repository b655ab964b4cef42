"""The checks behind `localcx doctor`, each one cheap and each naming its own fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils

from localcx import calllog
from localcx.backend import TOKEN_ENV
from localcx.config import ENDPOINT_ENV, Workspace, command_hint, endpoint_override, env_secret
from localcx.errors import LocalcxError, SettingsError
from localcx.exitcodes import ExitCode
from localcx.google import auth
from localcx.google.clients import Google
from localcx.google.quotas import QUOTA_DAY_ZONE


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
    try:
        checks.append(update_quota_check(workspace, db, google))
    except LocalcxError as exc:
        checks.append(Check("daily update quota", False, exc.message, exc.exit_code))
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


def request_summary(db: sqlite_utils.Database, now: datetime | None = None) -> str:
    """What the call log says about the last day: volume, retries and throttling."""
    since = (now or datetime.now(UTC)) - timedelta(days=1)
    return calllog.summary(db, since.timestamp()).describe()


def pacific_midnight(now: datetime | None = None) -> datetime:
    """The start of Google's quota day."""
    pacific = (now or datetime.now(UTC)).astimezone(QUOTA_DAY_ZONE)
    return pacific.replace(hour=0, minute=0, second=0, microsecond=0)


def updates_today(db: sqlite_utils.Database, now: datetime | None = None) -> int:
    """This workspace's accepted location PATCHes since the start of Google's day."""
    return calllog.successful_updates(db, pacific_midnight(now).timestamp())


def update_quota_check(workspace: Workspace, db: sqlite_utils.Database, google: Callable[[], Google]) -> Check:
    """Today's location updates on the Cloud project: every workspace and process on it
    (from the shared quota ledger), or this workspace alone when the ledger is off."""
    limit = workspace.settings.limits.daily_updates
    mine = updates_today(db)
    if workspace.settings.limits.shared_quota:
        used = google().transport.quotas.updates_today()
        detail = f"{used:,} of {limit:,} location updates sent today on this Cloud project ({mine:,} accepted for this workspace)"
    else:
        used = mine
        detail = f"{used:,} of {limit:,} location updates accepted today for this workspace"
    return Check("daily update quota", used < limit, detail + " (the day starts at midnight Pacific time)", ExitCode.QUOTA)
