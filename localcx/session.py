"""An open workspace: its settings, database, Google clients and clock.

The one way the CLI, the demo, `bench/` and tests open a workspace, so they all run the
same wiring (quota ledger, call log, backend) and any of them can inject a virtual clock.
The database and the Google clients open on first use and close once.
"""

from __future__ import annotations

from types import TracebackType

import sqlite_utils

from localcx import config, db
from localcx.backend import connect
from localcx.clock import Clock
from localcx.google.clients import Google


class Session:
    def __init__(
        self, workspace: config.Workspace, *, clock: Clock | None = None, faults: str | None = None
    ):
        self.workspace = workspace
        self.clock = clock or Clock()
        self.faults = faults
        self._db: sqlite_utils.Database | None = None
        self._google: Google | None = None

    @property
    def settings(self) -> config.Settings:
        return self.workspace.settings

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            self._db = db.open_db(self.workspace.db_path)
        return self._db

    @property
    def google(self) -> Google:
        if self._google is None:
            self._google = connect(self.workspace, self.db, clock=self.clock, faults=self.faults)
        return self._google

    def migrate(self) -> None:
        """Create the database (or bring an old one forward) now rather than on first use."""
        self.db  # noqa: B018 - opening migrates

    def close(self) -> None:
        if self._google is not None:
            self._google.close()
            self._google = None
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_session(name: str, *, clock: Clock | None = None, faults: str | None = None) -> Session:
    """Open workspace `name` (it must exist: `localcx init` creates it)."""
    return Session(config.open_workspace(name), clock=clock, faults=faults)
