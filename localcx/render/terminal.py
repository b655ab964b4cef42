"""The terminal a command talks to: stdout, stderr, stdin and what each of them is.

One object owns the streams and their TTY flags (as httpie's Environment and gh's
IOStreams do), so nothing else calls `isatty()` and tests can hand a command a terminal
that says "yes, a person is here" to exercise prompts, declines and progress bars.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TextIO

from rich.console import Console

PIPE_WIDTH = 200  # tables written to a pipe or file are not cut to a screen


def _screen_width(stream: TextIO) -> int | None:
    """The width of the screen a person watches: `localcx … | head` at a terminal still
    fits the table to it (stderr is that terminal)."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        return None


def _is_tty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real file
        return False


@dataclass
class Terminal:
    stdout: TextIO
    stderr: TextIO
    stdin: TextIO
    stdout_tty: bool = False
    stderr_tty: bool = False
    stdin_tty: bool = False
    no_color: bool = False
    width: int | None = None  # None: ask the terminal
    _out: Console | None = field(default=None, repr=False)
    _err: Console | None = field(default=None, repr=False)

    @classmethod
    def from_system(cls) -> Terminal:
        stderr_tty = _is_tty(sys.stderr)
        return cls(
            sys.stdout,
            sys.stderr,
            sys.stdin,
            stdout_tty=_is_tty(sys.stdout),
            stderr_tty=stderr_tty,
            stdin_tty=_is_tty(sys.stdin),
            no_color="NO_COLOR" in os.environ,
            width=_screen_width(sys.stderr) if stderr_tty and not _is_tty(sys.stdout) else None,
        )

    @classmethod
    def for_stream(cls, stream: TextIO) -> Terminal:
        """Write to one stream as a pipe would see it (benchmarks, tests)."""
        return cls(stream, sys.stderr, sys.stdin)

    def _console(self, stream: TextIO, tty: bool) -> Console:
        width = self.width if self.width else (None if tty else PIPE_WIDTH)
        return _Console(
            file=stream,
            width=width,
            force_terminal=tty,
            no_color=self.no_color or not tty,
            highlight=False,
            soft_wrap=not tty,
        )

    @property
    def out(self) -> Console:
        """Tables for people on stdout: pretty on a terminal, plain and wide in a pipe."""
        if self._out is None:
            self._out = self._console(self.stdout, self.stdout_tty)
        return self._out

    @property
    def err(self) -> Console:
        """Messages and progress on stderr."""
        if self._err is None:
            self._err = self._console(self.stderr, self.stderr_tty)
            self._err.soft_wrap = True
        return self._err


class _Console(Console):
    """A rich Console that lets a closed pipe (`| head`) reach the one handler every command
    has (exit 0, nothing printed) instead of rich's own exit 1."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError
