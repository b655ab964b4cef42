"""Plan from a desired-state file: read, validate everything, then diff.

Validation runs before any call to Google and reports every problem at once; with any
problem nothing is planned unless the user asked to skip the bad stores.
"""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from localcx import stores
from localcx.clock import Clock
from localcx.errors import UsageError, ValidationError
from localcx.profiles.desired import DesiredState, StoreInfo, load_desired
from localcx.profiles.planner import Plan, current_values, make_plan


def store_catalogue(db: sqlite_utils.Database, region: str) -> dict[str, StoreInfo]:
    return {
        facts.key: StoreInfo(facts.key, facts.labels, facts.country or region)
        for facts in stores.store_facts(db)
    }


def read_desired(
    db: sqlite_utils.Database, path: Path, *, region: str, encoding: str | None = None
) -> DesiredState:
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if stores.store_count(db) == 0:
        raise UsageError("no stores synced yet", hint="run: localcx locations sync")
    current = {code: c.values for code, c in current_values(db, region).items()}
    return load_desired(
        path,
        stores=store_catalogue(db, region),
        default_region=region,
        known_categories=stores.known_categories(db),
        current=current,
        encoding=encoding,
    )


def plan_from_file(
    db: sqlite_utils.Database,
    path: Path,
    *,
    region: str,
    skip_invalid: bool = False,
    encoding: str | None = None,
    clock: Clock | None = None,
) -> Plan:
    desired = read_desired(db, path, region=region, encoding=encoding)
    whole_file = [p for p in desired.problems if p.line == 0]
    if whole_file or (desired.problems and not skip_invalid):
        count = len(desired.problems)
        raise ValidationError(
            f"{count} problem{'s' if count != 1 else ''} in {path}; nothing was planned",
            [str(p) for p in desired.problems],
            hint=None
            if whole_file
            else "fix the file, or pass --skip-invalid to leave out the stores with problems",
        )
    values = {code: v for code, v in desired.values.items() if code not in set(desired.skipped)}
    plan = make_plan(db, values, source=str(path), region=region, clock=clock)
    plan.skipped = sorted(set(plan.skipped) | set(desired.skipped))
    return plan
