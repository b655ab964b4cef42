"""Running localcx as a separate process and killing it with SIGKILL at a chosen moment: the
resilience tests of every area (apply, posts, replies, reviews) share these."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def spawn(home: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """`python -m localcx ARGS` with its own LOCALCX_HOME, output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "localcx", *args],
        env={**os.environ, "LOCALCX_HOME": str(home), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def kill_9_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], *, within: float = 60.0) -> None:
    """SIGKILL the process once `ready()` holds (polled every 5 ms); fails if the process
    ended first, since then the test would not have tested a kill."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and proc.poll() is None and not ready():
        time.sleep(0.005)
    assert proc.poll() is None, f"the process ended before it could be killed: {proc.communicate()[1].decode()}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def count(db_path: Path, sql: str) -> int:
    """One number from a workspace database another process is writing (0 while locked)."""
    try:
        with sqlite3.connect(db_path, timeout=5) as conn:
            return int(conn.execute(sql).fetchone()[0] or 0)
    except sqlite3.OperationalError:  # the writer holds the lock for a moment
        return 0


def journal(db_path: Path, area: str | None = None) -> dict[str, int]:
    """{item status: count} of the run journal (of one area), as another process sees it."""
    sql = "select i.status, count(*) from run_items i join runs r on r.id = i.run_id"
    sql += " where r.area = ? group by i.status" if area else " group by i.status"
    try:
        with sqlite3.connect(db_path, timeout=5) as conn:
            return dict(conn.execute(sql, [area] if area else []).fetchall())
    except sqlite3.OperationalError:
        return {}
