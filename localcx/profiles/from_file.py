"""Plan from a desired-state file: read, validate everything, then diff.

Validation runs before any call to Google and reports every problem at once; with any
problem nothing is planned unless the user asked to skip the bad stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import sqlite_utils

from localcx import stores
from localcx.clock import Clock
from localcx.errors import NotFoundError, UsageError, ValidationError
from localcx.profiles.desired import DesiredState, StoreInfo, load_desired
from localcx.profiles.planner import Plan, current_values, make_plan


def store_catalogue(db: sqlite_utils.Database, region: str) -> dict[str, StoreInfo]:
    return {
        facts.key: StoreInfo(
            facts.key, facts.labels, facts.country or region, country=facts.country, city=facts.city
        )
        for facts in stores.store_facts(db)
    }


STDIN = "<stdin>"


@dataclass
class FilePlan(Plan):
    """A plan made from a file, with what --skip-invalid left out and why.

    ``skipped`` (from :class:`Plan`) lists every store code left out; ``problems`` holds
    the ``file:line:column: reason`` lines of the stores left out for problems, so a
    command can show them on stderr even when stdout is --json or --csv.
    """

    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "problems": self.problems}


def _name(path: Path, data: bytes | None) -> str:
    return STDIN if data is not None and str(path) == "-" else str(path)


def read_desired(
    db: sqlite_utils.Database,
    path: Path,
    *,
    region: str,
    encoding: str | None = None,
    data: bytes | None = None,
) -> DesiredState:
    """Load ``path``, or ``data`` (stdin's bytes when ``path`` is ``-``), against the stores."""
    if data is None and not path.exists():
        raise NotFoundError(f"{path}: no such file", hint="check the path; - reads the file from stdin")
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
        data=data,
        name=_name(path, data),
    )


def plan_from_file(
    db: sqlite_utils.Database,
    path: Path,
    *,
    region: str,
    skip_invalid: bool = False,
    encoding: str | None = None,
    clock: Clock | None = None,
    data: bytes | None = None,
) -> Plan:
    """Validate the file, then plan; any problem stops it unless ``skip_invalid``.

    Returns a :class:`FilePlan` (annotated as its base so callers that also assign a
    saved plan to the same variable type-check); its ``problems`` say why the stores in
    ``skipped`` were left out.

    Problems of the file itself (encoding, syntax, header, TOML rules) stop it even then,
    and only when skipping stores would help does the hint suggest --skip-invalid.
    ``data`` is the file's content when it does not come from ``path`` (stdin: pass
    ``Path("-")`` and ``sys.stdin.buffer.read()``).
    """
    desired = read_desired(db, path, region=region, encoding=encoding, data=data)
    name = _name(path, data)
    file_level = desired.file_problems
    if file_level or (desired.problems and not skip_invalid):
        count = len(desired.problems)
        raise ValidationError(
            f"{count} problem{'s' if count != 1 else ''} in {name}; nothing was planned",
            [str(p) for p in desired.problems],
            hint=None
            if file_level
            else "fix the file, or pass --skip-invalid to leave out the stores with problems",
        )
    values = {code: v for code, v in desired.values.items() if code not in set(desired.skipped)}
    plan = make_plan(db, values, source=name, region=region, clock=clock)
    plan.skipped = sorted(set(plan.skipped) | set(desired.skipped))
    state = {f.name: getattr(plan, f.name) for f in fields(Plan)}
    return FilePlan(**state, problems=[str(p) for p in desired.problems])
