"""How much of Google's quota does publishing campaign posts use, and is any post lost or
posted twice?

Runs against the sandbox, which enforces Google's quotas on the same clock as the client:
1. 1,000 stores, in-process, on a virtual clock (sleeping advances time instantly), with
   Google's real limits (300 requests/min on the v4 service): one post per store queued
   with `posts add --at now`, then one `posts run-due`.
2. The same under injected faults (429, 503, lost answers, dropped connections), with
   `run-due` rounds until nothing is left open, as cron would run it every 5 minutes.
Lost and duplicated posts are counted by comparing the sandbox's own posts with the queue.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from localcx import config, schedule, stores
from localcx.clock import FakeClock, iso
from localcx.posts import campaign, queue
from localcx.posts.runner import AREA, run_due
from localcx.runs.journal import Journal
from localcx.sandbox.state import SandboxState
from localcx.session import Session

STORES = 1000
QPM = 300
MAX_ROUNDS = 20
TEMPLATE = '''topic = "STANDARD"
summary = "This week at {{ store.title }} in {{ store.city }}: our new seasonal menu."
[call_to_action]
type = "LEARN_MORE"
url = "{{ store.website }}"
'''


def _workspace(name: str) -> config.Workspace:
    settings = config.Settings(backend="sandbox")
    settings.sandbox.stores = STORES
    settings.sandbox.project_qpm = QPM
    settings.limits.project_qpm = QPM
    settings.http.backoff_base = 0.01
    settings.http.backoff_cap = 0.05
    return config.create_workspace(name, settings, replace=True)


def _calls(session: Session) -> dict[str, int]:
    rows = session.db.execute(
        "select method, count(*), sum(status = 200), sum(status = 429), sum(status >= 500 or status = 0) "
        "from api_calls where service = 'mybusiness' group by method"
    ).fetchall()
    out: Counter[str] = Counter()
    for method, sent, ok, r429, r5xx in rows:
        out[f"{method} sent"] += sent
        out[f"{method} ok"] += ok or 0
        out["429"] += r429 or 0
        out["5xx/network"] += r5xx or 0
    return dict(out)


def _run(ws: config.Workspace, faults: str, template: Path) -> dict[str, float]:
    clock = FakeClock()
    with Session(ws, clock=clock, faults=faults) as session:
        stores.sync(session.db, session.google.business, clock=clock)
        now = clock.utcnow()
        built = campaign.build(
            session.db,
            template,
            "all",
            lambda zone: [schedule.parse_when("now", zone=zone, now=now)],
            region=ws.settings.region,
            timezone=ws.settings.timezone,
        )
        queued, _ = campaign.queue_campaign(session.db, built, queue.Via.CRON, clock)
        session.db.execute("delete from api_calls")
        started, wall = clock.now(), time.perf_counter()
        rounds, busy, first = 0, 0.0, {}
        journal = Journal(session.db, clock, AREA)
        while rounds < MAX_ROUNDS:
            rounds += 1
            began = clock.now()
            # one worker: on a virtual clock the limiter, not threads, sets the pace
            run_due(session.db, session.google, now=iso(clock.now()), clock=clock, workers=1)
            busy += clock.now() - began
            if rounds == 1:
                first = {"first_round": busy, "first_posts": _calls(session).get("POST sent", 0)}
            left = queue.list_posts(session.db, statuses=[queue.PostStatus.QUEUED.value, queue.PostStatus.PUBLISHING.value])
            if not left and journal.latest_unfinished() is None:
                break
            clock.advance(300)  # the next cron tick
        elapsed, wall = clock.now() - started, time.perf_counter() - wall
        posts = queue.list_posts(session.db)
        calls = _calls(session)
    by_status = Counter(p.status.value for p in posts)
    return {"queued": len(queued), "rounds": rounds, "busy": busy, "elapsed": elapsed,
            "wall": wall, **first, **by_status, **calls,
            "unverified": sum(1 for p in posts if p.status is queue.PostStatus.FAILED
                              and "FAILED_PRECONDITION" in (p.error or ""))}


def _integrity(ws: config.Workspace) -> tuple[int, int]:
    """(lost, duplicated): published posts Google lacks, or posts it has that we would
    not count as ours (a create sent twice)."""
    with Session(ws) as session:
        ours = Counter(f"locations/{p.location_id}" for p in queue.published(session.db))
    state = SandboxState.open(ws.sandbox_path)
    try:
        google = state.post_counts()
    finally:
        state.close()
    lost = sum(max(0, n - google.get(loc, 0)) for loc, n in ours.items())
    duplicated = sum(max(0, n - ours.get(loc, 0)) for loc, n in google.items())
    return lost, duplicated


def _report(title: str, f: dict[str, float], integrity: tuple[int, int]) -> None:
    published = f.get("published", 0)
    print(f"\n{title}")
    print(f"  posts queued {f['queued']:.0f}: published {published:.0f}, failed {f.get('failed', 0):.0f} "
          f"({f['unverified']:.0f} at unverified stores: FAILED_PRECONDITION, tried 3 times)")
    print(f"  run-due rounds {f['rounds']:.0f} (5 minutes apart), {f['busy']:.1f} s of clock publishing, "
          f"{f['elapsed']:.1f} s in all ({f['wall']:.1f} s wall)")
    print(f"  creates sent {f.get('POST sent', 0):.0f} ({f.get('POST ok', 0):.0f} answered 200), "
          f"list calls {f.get('GET sent', 0):.0f}, {f.get('429', 0):.0f} x 429, {f.get('5xx/network', 0):.0f} x 5xx/network")
    first = f["first_posts"] / (f["first_round"] / 60)
    overall = (f.get("POST sent", 0) + f.get("GET sent", 0)) / (f["busy"] / 60)
    print(f"  first round: {first:.0f} creates/min = {first / QPM:.3f} of the allowed {QPM}/min")
    print(f"  all rounds: {overall:.0f} v4 requests/min while publishing = {overall / QPM:.3f} of the allowed rate; "
          f"{published / (f['busy'] / 60):.0f} posts published/min")
    print(f"  lost posts {integrity[0]}, duplicated posts {integrity[1]}")


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["LOCALCX_HOME"] = home
        template = Path(home) / "bench-post.toml"
        template.write_text(TEMPLATE, encoding="utf-8")
        ws = _workspace("virtual")
        _report(f"1. {STORES} stores in-process, virtual clock, Google's limits ({QPM}/min)",
                _run(ws, "", template), _integrity(ws))
        spec = "429:0.1,503:0.05,timeout:0.02,reset:0.02"
        ws = _workspace("faults")
        _report(f"2. same, with faults {spec}", _run(ws, spec, template), _integrity(ws))


if __name__ == "__main__":
    main()
