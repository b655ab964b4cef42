"""Two clients, one Cloud project: does the shared quota ledger keep them under Google's limit?

An agency runs one Cloud project for many client workspaces, and cron starts their jobs
at the same minute. This starts one `localcx sandbox serve` enforcing Google's 300
requests a minute per API, two `--google` workspaces pointed at it (so both spend the same
project's quota), and runs `profiles apply` in both at once, real processes on a real
clock: first with the shared ledger (the default), then with `[limits] shared_quota =
false`. It prints, for each, the 429s the server answered and the share of the allowed
rate the two used together while both ran.

    python bench/quota_shared.py            # about three minutes

Google's limit is a rolling minute, so a run shorter than a minute can burst past the
rate unpunished; the two clients together make ~420 requests, more than a minute's 300.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import tomli_w

STORES = 400  # 200 edits each: together more than one minute of quota
CLIENTS = ("north", "south")


def localcx(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "localcx", *args], env=env, capture_output=True, text=True, check=False
    )


def start_server(env: dict[str, str], state: Path, qpm: int) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "localcx", "sandbox", "serve", "--port", "0", "--qpm", str(qpm),
         "--stores", str(STORES), "--state", str(state)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def prepare(env: dict[str, str], home: Path, name: str, qpm: int, shared: bool, half: int) -> Path:
    """A synced --google workspace and a desired-state file changing its half of the stores."""
    assert localcx(env, "-w", name, "init", "--google").returncode == 0
    path = home / "workspaces" / name / "settings.toml"
    settings = tomllib.loads(path.read_text(encoding="utf-8"))
    settings["limits"].update(project_qpm=qpm, shared_quota=shared)
    path.write_text(tomli_w.dumps(settings), encoding="utf-8")
    synced = localcx(env, "-w", name, "-q", "locations", "sync")
    assert synced.returncode == 0, synced.stderr
    exported = home / f"{name}-all.csv"
    assert localcx(env, "-w", name, "locations", "export", str(exported), "--force").returncode == 0
    with exported.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    mine = rows[half::2]
    desired = home / f"{name}.csv"
    with desired.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["store_code", "website"])
        writer.writeheader()
        for row in mine:
            writer.writerow({"store_code": row["store_code"],
                             "website": f"https://{name}.example/{row['store_code'].lower()}/{time.time_ns()}"})
    return desired


def calls(home: Path, name: str, since: str) -> list[tuple[str, str, int]]:
    with sqlite3.connect(home / "workspaces" / name / "localcx.db") as conn:
        return conn.execute(
            "select at, service, status from api_calls where at >= ? order by at", [since]
        ).fetchall()


def trial(label: str, shared: bool, qpm: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        env = {**os.environ, "LOCALCX_HOME": str(home)}
        server, url = start_server(env, home / "served.db", qpm)
        env.update(LOCALCX_GOOGLE_ENDPOINT=url, LOCALCX_GOOGLE_TOKEN="bench")
        try:
            files = {name: prepare(env, home, name, qpm, shared, i) for i, name in enumerate(CLIENTS)}
            since = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
            started = time.monotonic()
            runs = {
                name: subprocess.Popen(
                    [sys.executable, "-m", "localcx", "-w", name, "-q", "profiles", "apply",
                     str(files[name]), "--yes"],
                    env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                )
                for name in CLIENTS
            }
            codes = {name: run.wait() for name, run in runs.items()}
            wall = time.monotonic() - started
        finally:
            server.terminate()
            server.wait()
        per_client = {name: calls(home, name, since) for name in CLIENTS}
    business = [c for rows in per_client.values() for c in rows if c[1] == "mybusinessbusinessinformation"]
    throttled = sum(1 for c in business if c[2] == 429)
    # The window where both ran: from the later first request to the earlier last one.
    firsts = [min(c[0] for c in rows if c[1] == "mybusinessbusinessinformation") for rows in per_client.values()]
    lasts = [max(c[0] for c in rows if c[1] == "mybusinessbusinessinformation") for rows in per_client.values()]
    start, end = max(firsts), min(lasts)
    both = [c for c in business if start <= c[0] <= end and c[2] < 400]
    seconds = _seconds(end) - _seconds(start)
    rate = len(both) / seconds * 60 if seconds > 0 else 0.0
    print(f"{label}")
    print(f"  exit codes {codes}; wall {wall:.1f} s; {len(business)} Business Information requests")
    print(f"  429 answers: {throttled}")
    print(f"  together, while both ran ({seconds:.1f} s): {rate:.0f} accepted requests/min "
          f"= {rate / qpm:.3f} of the {qpm}/min limit")
    return {"throttled": throttled, "share": rate / qpm}


def _seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def main() -> None:
    qpm = 300
    print(f"Two workspaces on one Cloud project, {STORES} stores, sandbox serve enforcing {qpm}/min\n")
    trial("1. shared quota ledger (default)", True, qpm)
    print()
    trial("2. shared_quota = false: each process paces alone", False, qpm)


if __name__ == "__main__":
    main()
