"""Exit codes are part of the command surface: scripts and cron jobs branch on them."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    USAGE = 2
    PARTIAL = 3
    QUOTA = 4
    AUTH = 5
    INTERRUPTED = 130
    TERMINATED = 143  # SIGTERM (e.g. a cron job's timeout); resumable like Ctrl-C
