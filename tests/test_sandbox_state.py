"""SandboxState: one SQLite file, shared between connections, atomic under kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from localcx.sandbox import SandboxState, make_app

CHILD = """
import sys
from localcx.sandbox import SandboxState
state = SandboxState.open(sys.argv[1])
name = state.locations()[0]["name"]
loc = dict(state.location(name))
i = 0
while True:
    i += 1
    loc["labels"] = [f"edit-{i}"]
    state.commit_patch(name, dict(loc), update_mask="labels", body={"labels": loc["labels"]},
                       now=float(i), touched=["labels"], reviewed=[])
    if i == 50:
        print("ready", flush=True)
"""


def test_edits_visible_to_another_connection(tmp_path: Path) -> None:
    a = SandboxState.open(tmp_path / "s.db")
    b = SandboxState.open(tmp_path / "s.db")
    name = a.locations()[0]["name"]
    client = httpx.Client(transport=httpx.WSGITransport(app=make_app(a)), base_url="http://s",
                          headers={"Authorization": "Bearer t"})
    assert client.patch(f"/v1/{name}", params={"updateMask": "websiteUri"},
                        json={"websiteUri": "https://x.example/"}).status_code == 200
    loc = b.location(name)
    assert loc is not None and loc["websiteUri"] == "https://x.example/"
    assert b.patch_counts() == {name: 1}


def test_reset_rebuilds_the_world(tmp_path: Path) -> None:
    state = SandboxState.open(tmp_path / "s.db", seed=3, stores=6)
    name = state.locations()[0]["name"]
    original = state.location(name)
    state.commit_patch(name, {"name": name, "title": "x"}, update_mask="title", body={},
                       now=1.0, touched=["title"], reviewed=["title"])
    state.reset()
    assert state.location(name) == original and state.patch_counts() == {}
    state.reset(seed=4, stores=8)
    assert len(state.locations()) == 8 and state.seed == 4


def test_concurrent_patches_respect_the_edit_quota(tmp_path: Path) -> None:
    state = SandboxState.open(tmp_path / "s.db")
    app = make_app(state, clock=lambda: 1_800_000_000.0)
    name = state.locations()[0]["name"]
    statuses: list[int] = []

    def worker(i: int) -> None:
        client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s",
                              headers={"Authorization": "Bearer t"})
        resp = client.patch(f"/v1/{name}", params={"updateMask": "labels"},
                            json={"labels": [f"w{i}"]})
        statuses.append(resp.status_code)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(200) == 10 and statuses.count(429) == 10
    assert state.patch_counts() == {name: 10}


def test_kill_9_never_leaves_half_a_write(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    SandboxState.open(path).close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE,
                             env=env, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    state = SandboxState.open(path)
    name = state.locations()[0]["name"]
    log = state.patch_log(name)
    assert len(log) >= 50
    loc = state.location(name)
    assert loc is not None and loc["labels"] == log[-1]["body"]["labels"]
    assert loc["labels"] == [f"edit-{len(log)}"]
