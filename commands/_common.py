"""What every command shares: the context object, option aliases, stderr and the error path."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from typer.core import TyperGroup

from localcx import config, db
from localcx.backend import Google, connect
from localcx.clock import Clock
from localcx.errors import LocalcxError, UsageError, ValidationError
from localcx.exitcodes import ExitCode
from localcx.render import OutputFormat

if TYPE_CHECKING:  # commands never touch SQLite themselves
    import sqlite_utils

err = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class AppState:
    """Held on ctx.obj: global options plus lazily opened workspace resources."""

    workspace_name: str
    quiet: bool = False
    debug: bool = False
    clock: Clock = field(default_factory=Clock)
    _workspace: config.Workspace | None = None
    _db: sqlite_utils.Database | None = None
    _google: Google | None = None

    @property
    def workspace(self) -> config.Workspace:
        if self._workspace is None:
            self._workspace = config.open_workspace(self.workspace_name)
        return self._workspace

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            self._db = db.open_db(self.workspace.db_path)
        return self._db

    @property
    def google(self) -> Google:
        if self._google is None:
            self._google = connect(self.workspace, self.db, clock=self.clock)
        return self._google

    def close(self) -> None:
        if self._google is not None:
            self._google.close()
            self._google = None
        if self._db is not None:
            self._db.close()
            self._db = None

    def say(self, message: str) -> None:
        """A human message on stderr; silenced by -q."""
        if not self.quiet:
            err.print(message)

    @contextmanager
    def progress(self, description: str, total: int | None) -> Iterator[Any]:
        """A bar on stderr when it is a terminal; otherwise a no-op advance function."""
        if self.quiet or not sys.stderr.isatty():
            yield lambda n=1: None
            return
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        )
        with bar:
            task = bar.add_task(description, total=total)
            yield lambda n=1: bar.advance(task, n)


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj


def report_error(exc: LocalcxError) -> None:
    """One line: `localcx: error: <cause> — <what to do>`; file problems follow on their own lines."""
    if isinstance(exc, ValidationError):
        err.print(f"localcx: error: {exc.message}", markup=False)
        for problem in exc.problems:
            err.print(f"  {problem}", markup=False)
        if exc.hint:
            err.print(f"hint: {exc.hint}", markup=False)
        return
    err.print(
        f"localcx: error: {exc.message}" + (f" — {exc.hint}" if exc.hint else ""), markup=False
    )


class LocalcxGroup(TyperGroup):
    """Root group: turns library errors and Ctrl-C into one message and an exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except LocalcxError as exc:
            if isinstance(ctx.obj, AppState) and ctx.obj.debug:
                err.print_exception()
            report_error(exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            err.print("localcx: interrupted", markup=False)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            if isinstance(ctx.obj, AppState) and ctx.obj.debug:
                raise
            if type(exc).__module__.startswith(("click", "typer")):
                raise  # usage errors: Typer prints them and exits 2
            report_error(
                LocalcxError(
                    f"unexpected {type(exc).__name__}: {exc}",
                    hint="this is a bug in localcx; run again with --debug for the traceback",
                )
            )
            raise typer.Exit(int(ExitCode.ERROR)) from None
        finally:
            if isinstance(ctx.obj, AppState):
                ctx.obj.close()


def output_format(json_: bool, csv_: bool, jsonl: bool = False) -> OutputFormat:
    chosen = [
        f
        for f, on in (
            (OutputFormat.json, json_),
            (OutputFormat.csv, csv_),
            (OutputFormat.jsonl, jsonl),
        )
        if on
    ]
    if len(chosen) > 1:
        raise UsageError("choose one of --json, --jsonl and --csv")
    return chosen[0] if chosen else OutputFormat.table


JsonOpt = Annotated[bool, typer.Option("--json", help="Write JSON to stdout.")]
JsonlOpt = Annotated[bool, typer.Option("--jsonl", help="Write one JSON object per line.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Write CSV to stdout.")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Do everything except send to Google.")]
StoresOpt = Annotated[
    str,
    typer.Option(
        "--stores", help="Stores: all, a comma list of codes, label:NAME, country:CC or file:PATH."
    ),
]
