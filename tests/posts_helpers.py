"""Shared pieces of the posts tests: templates, the sandbox's posts, journal counts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from localcx import config
from localcx.sandbox.state import SandboxState
from localcx.sandbox.state_posts import StoredPost

STANDARD = """\
topic = "STANDARD"
summary = "Fresh pastries at {{ store.title }} in {{ store.city }} today."
[call_to_action]
type = "LEARN_MORE"
url = "https://example.com/{{ store.code | lower }}"
[variants.ja]
summary = "{{ store.title }}で焼きたてのパンをどうぞ。"
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def sandbox_posts(sandbox_path: Path) -> list[StoredPost]:
    state = SandboxState.open(sandbox_path)
    try:
        return state.posts()
    finally:
        state.close()


def post_counts(sandbox_path: Path) -> dict[str, int]:
    state = SandboxState.open(sandbox_path)
    try:
        return state.post_counts()
    finally:
        state.close()


def statuses(ws: config.Workspace) -> dict[str, int]:
    """posts.status → count, read straight from the workspace database."""
    with sqlite3.connect(ws.db_path, timeout=10) as conn:
        return dict(conn.execute("select status, count(*) from posts group by status").fetchall())


def verified_location_ids(ws: config.Workspace) -> set[str]:
    """The stores Google lets post (Voice of Merchant), as `locations/{id}`."""
    import json

    with sqlite3.connect(ws.db_path, timeout=10) as conn:
        rows = conn.execute("select location_id, raw from locations").fetchall()
    return {
        f"locations/{lid}" for lid, raw in rows if json.loads(raw).get("metadata", {}).get("hasVoiceOfMerchant")
    }
