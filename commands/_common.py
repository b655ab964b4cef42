"""What every command shares: the context object, option aliases, and the one error path."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from typer.core import TyperCommand, TyperGroup, TyperOption

from localcx import config, schedule, stores
from localcx.clock import Clock
from localcx.errors import LocalcxError, UsageError, ValidationError
from localcx.exitcodes import ExitCode
from localcx.google.clients import Google
from localcx.render import Terminal
from localcx.session import Session

if TYPE_CHECKING:  # commands never touch SQLite themselves
    import sqlite_utils

GLOBAL_FLAGS = frozenset({"-q", "--quiet", "--debug"})
GLOBAL_VALUED = frozenset({"-w", "--workspace"})
_COMMAND_IN_TEXT = re.compile(r"\blocalcx (?!-w )(?=[a-z])")


@dataclass
class Environment:
    """What a caller may inject for one invocation instead of the real thing: tests give
    a terminal that acts as a person, and a virtual clock so Google's real quotas are
    paced in virtual time rather than scaled up."""

    terminal: Terminal | None = None
    clock: Clock | None = None


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: runs are marked interrupted and can be resumed."""


@dataclass
class AppState:
    """Held on ctx.obj: global options, the terminal, and the workspace session."""

    workspace_name: str
    quiet: bool = False
    debug: bool = False
    clock: Clock = field(default_factory=Clock)
    terminal: Terminal = field(default_factory=Terminal.from_system)
    _session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            self._session = Session(config.open_workspace(self.workspace_name), clock=self.clock)
        return self._session

    @property
    def workspace(self) -> config.Workspace:
        return self.session.workspace

    @property
    def db(self) -> sqlite_utils.Database:
        return self.session.db

    @property
    def google(self) -> Google:
        return self.session.google

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    def command(self, text: str) -> str:
        """Name commands in messages with this workspace, so following a hint acts on it."""
        if self.workspace_name == config.DEFAULT_WORKSPACE:
            return text
        return _COMMAND_IN_TEXT.sub(f"localcx -w {self.workspace_name} ", text)

    def say(self, message: str) -> None:
        """A human message on stderr; silenced by -q."""
        if not self.quiet:
            self.terminal.err.print(self.command(message))

    def warn(self, message: str) -> None:
        """A message that must reach stderr even under -q (what was skipped, left undone)."""
        self.terminal.err.print(self.command(message), markup=False)

    def selected(self, selection: str) -> list[str] | None:
        """The store keys a `--stores` value names, or None for `all` (no filter)."""
        return None if selection == "all" else stores.select(self.db, selection)

    def selected_ids(self, selection: str) -> list[str] | None:
        """The location ids a `--stores` value names (what area tables are keyed by), or
        None for `all`."""
        keys = self.selected(selection)
        if keys is None:
            return None
        wanted = set(keys)
        return [s.location_id for s in stores.stored_locations(self.db) if s.key in wanted]

    def since(self, text: str | None) -> datetime | None:
        """A `--since`/`--until` value as a moment, read in the workspace's time zone."""
        if text is None:
            return None
        zone = schedule.zone_named(self.workspace.settings.timezone)
        return schedule.parse_since(text, zone=zone, now=self.clock.utcnow())

    @contextmanager
    def progress(self, description: str, total: int | None) -> Iterator[Any]:
        """A bar on stderr when it is a terminal; otherwise a no-op advance function."""
        if self.quiet or not self.terminal.stderr_tty:
            yield lambda n=1: None
            return
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self.terminal.err,
            transient=True,
        )
        with bar:
            task = bar.add_task(description, total=total)
            yield lambda n=1: bar.advance(task, n)


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj


def report_error(exc: LocalcxError, app_state: AppState | None) -> None:
    """`localcx: error: <cause> — <what to do>`; file problems follow one per line."""
    err = app_state.terminal.err if app_state else Terminal.from_system().err
    hint = app_state.command(exc.hint) if (app_state and exc.hint) else exc.hint
    if isinstance(exc, ValidationError):
        err.print(f"localcx: error: {exc.message}", markup=False)
        for problem in exc.problems:
            err.print(f"  {problem}", markup=False)
        if hint:
            err.print(f"hint: {hint}", markup=False)
        return
    err.print(f"localcx: error: {exc.message}" + (f" — {hint}" if hint else ""), markup=False)


def _os_error(exc: OSError) -> LocalcxError:
    where = f"{exc.filename}: " if exc.filename else ""
    return LocalcxError(f"{where}{exc.strerror or exc}", hint="check the path and its permissions")


def _quiet_broken_pipe() -> None:
    """The reader went away (`| head`): stop writing, say nothing, as git does."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):  # stdout is not a real file (tests)
        os.dup2(devnull, sys.stdout.fileno())


def reorder_globals(args: list[str]) -> list[str]:
    """Let `-q`, `--debug` and `-w NAME` come after the subcommand too
    (`localcx locations sync -q`), by moving them in front of it."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        if arg in GLOBAL_FLAGS:
            front.append(arg)
        elif arg in GLOBAL_VALUED and i + 1 < len(args):
            front.extend(args[i : i + 2])
            i += 1
        elif arg.startswith("--workspace="):
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


class _PlainFlags:
    """Help without a `<bool>` type after every flag (typer 0.2x on its vendored click 8.2+
    prints one): a flag takes no value, so its type column stays empty."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
                param.metavar = ""
        return params


class LocalcxCommand(_PlainFlags, TyperCommand):
    """Every localcx command (see `Typer`)."""


class LocalcxSubGroup(_PlainFlags, TyperGroup):
    """Every command group below the root."""


class Typer(typer.Typer):
    """typer.Typer whose commands and groups use the localcx classes (help without
    `<bool>`); every `commands/` module makes its sub-app with this."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("cls", LocalcxSubGroup)
        kwargs.setdefault("no_args_is_help", True)
        super().__init__(**kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", LocalcxCommand)
        return super().command(*args, **kwargs)


class LocalcxGroup(_PlainFlags, TyperGroup):
    """Root group: global options anywhere, and one place that turns library errors,
    Ctrl-C, SIGTERM, a closed pipe and OS errors into one message and an exit code."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, reorder_globals(list(args)))

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        previous = _install_sigterm()
        try:
            return super().invoke(ctx)
        except Terminated:
            _obj(ctx).terminal.err.print("localcx: terminated", markup=False)
            raise typer.Exit(int(ExitCode.TERMINATED)) from None
        except KeyboardInterrupt:
            _obj(ctx).terminal.err.print("localcx: interrupted", markup=False)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:
            _quiet_broken_pipe()
            raise typer.Exit(int(ExitCode.OK)) from None
        except LocalcxError as exc:
            self._report(ctx, exc)
            raise typer.Exit(int(exc.exit_code)) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except OSError as exc:
            self._report(ctx, _os_error(exc))
            raise typer.Exit(int(ExitCode.ERROR)) from None
        except Exception as exc:
            if type(exc).__module__.startswith(("click", "typer")):
                raise  # usage errors: Typer prints them and exits 2
            app_state = ctx.obj if isinstance(ctx.obj, AppState) else None
            if app_state and app_state.debug:
                raise
            report_error(
                LocalcxError(
                    f"unexpected {type(exc).__name__}: {exc}",
                    hint="this is a bug in localcx; run again with --debug for the traceback",
                ),
                app_state,
            )
            raise typer.Exit(int(ExitCode.ERROR)) from None
        finally:
            if isinstance(ctx.obj, AppState):
                ctx.obj.close()
            _restore_sigterm(previous)

    @staticmethod
    def _report(ctx: Any, exc: LocalcxError) -> None:
        app_state = ctx.obj if isinstance(ctx.obj, AppState) else None
        if app_state and app_state.debug:
            app_state.terminal.err.print_exception()
        report_error(exc, app_state)


def _obj(ctx: Any) -> AppState:
    if isinstance(ctx.obj, AppState):
        return ctx.obj
    return AppState(config.DEFAULT_WORKSPACE)


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


def _install_sigterm() -> Any:
    try:
        return signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread
        return None


def _restore_sigterm(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Do everything except send to Google.")]
StoresOpt = Annotated[
    str,
    typer.Option(
        "--stores",
        help="Stores: all, codes A,B, label:NAME, country:CC, city:NAME or file:PATH (a union).",
    ),
]


def check_workspace_name(name: str | None) -> str:
    """-w "" (an empty $CLIENT in a script) must not quietly mean the default workspace."""
    if name is not None and not name.strip():
        raise UsageError(
            "the workspace name is empty",
            hint="give -w NAME, or leave out -w for $LOCALCX_WORKSPACE or 'default'",
        )
    chosen = name or os.environ.get("LOCALCX_WORKSPACE") or config.DEFAULT_WORKSPACE
    return config.check_name(chosen)


def confirm_action(
    app_state: AppState, yes: bool, question: str, *, declined: str = "Nothing was sent."
) -> None:
    """Ask on a terminal before writing to Google; refuse without one unless --yes (a
    script never hangs on a prompt). Ctrl-C at the prompt is an interrupt (130)."""
    if yes:
        return
    if not app_state.terminal.stdin_tty:
        raise UsageError("refusing to write to Google without confirmation", hint="pass --yes")
    try:
        agreed = typer.confirm(question, err=True)
    except typer.Abort:
        app_state.warn("localcx: interrupted; nothing was sent")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    if not agreed:
        app_state.say(declined)
        raise typer.Exit(int(ExitCode.OK))
