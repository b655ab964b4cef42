"""Counting what a rank scan asked Google, from the client's call log and the sandbox's bill."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from localcx import config
from localcx.sandbox.state import SandboxState

SEARCH = "/v1/places:searchText"


def search_requests(ws: config.Workspace, *, answered: bool = True) -> int:
    """searchText requests in the workspace's api_calls (answered ones only by default)."""
    sql = "select count(*) from api_calls where service = 'places' and path = ?"
    with sqlite3.connect(ws.db_path) as conn:
        return int(conn.execute(sql + (" and status = 200" if answered else ""), [SEARCH]).fetchone()[0])


def billed(sandbox_path: Path) -> dict[str, int]:
    state = SandboxState.open(sandbox_path)
    try:
        return state.places_billing()
    finally:
        state.close()


def points(ws: config.Workspace) -> tuple[int, int, int]:
    """(points, answered points, sum of their requests) over every scan with a place id."""
    with sqlite3.connect(ws.db_path) as conn:
        row = conn.execute(
            "select count(*), count(p.done_at), coalesce(sum(p.requests), 0) from rank_points p "
            "join rank_scans s on s.id = p.scan_id where s.place_id is not null"
        ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def done_points(db_path: Path) -> int:
    try:
        with sqlite3.connect(db_path, timeout=5) as conn:
            return int(conn.execute("select count(done_at) from rank_points").fetchone()[0])
    except sqlite3.OperationalError:  # the scanner holds the lock for a moment
        return 0
