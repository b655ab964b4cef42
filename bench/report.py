"""How long does `report build` take for 500 stores with 18 months of data?

The workspace is filled directly (executemany, one transaction per table) so the figure
is the report's own cost, not the setup's: 500 stores; insights_daily with every one of
Google's 12 daily metrics for 548 days (3.3 million rows); 18 months of reviews (about
10 a store a month, with scores' aspects and monthly rating records); a 7×7 rank scan of
one keyword a month per store (441,000 points); a post a month per store, some rejected;
some open drift. Then `localcx report build` runs through the CLI, in-process, and
`localcx status` after it. Target: the report under 10 s. Prints figures; asserts nothing.

INTERIM: insights_daily and search_keywords_monthly are created here when the insights
migration (m007) is not on this branch yet; the reviews tables come from m006.
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from typer.testing import CliRunner

from localcx import config
from localcx.commands.main import app
from localcx.session import Session

STORES = 500
DAYS = 548  # 18 months
MONTHS = 18
METRICS = (
    "BUSINESS_IMPRESSIONS_DESKTOP_MAPS", "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH", "BUSINESS_IMPRESSIONS_MOBILE_MAPS",
    "BUSINESS_IMPRESSIONS_MOBILE_SEARCH", "BUSINESS_CONVERSATIONS", "BUSINESS_DIRECTION_REQUESTS", "CALL_CLICKS",
    "WEBSITE_CLICKS", "MESSAGING_CLICKS", "BUSINESS_BOOKINGS", "BUSINESS_FOOD_ORDERS", "BUSINESS_FOOD_MENU_CLICKS",
)
ASPECTS = ("service", "taste", "price", "cleanliness", "wait", "atmosphere", "staff", "parking")
GRID = 7
TODAY = date(2026, 12, 1)
INSIGHTS_SCHEMA = (  # INTERIM: the insights area's m007 owns these tables
    "create table if not exists insights_daily (location_id text, metric text, day text, value integer, "
    "primary key (location_id, metric, day))",
    "create table if not exists search_keywords_monthly (location_id text, month text, keyword text, "
    "value integer, threshold integer, primary key (location_id, month, keyword))",
)


def _ids() -> list[tuple[str, str]]:
    return [(f"{1000 + i}", f"ST-{i:03d}") for i in range(STORES)]


def fill_locations(conn, stores: list[tuple[str, str]]) -> None:
    conn.executemany(
        "insert into locations (location_id, name, account, store_code, title, city, region_code, primary_category, "
        "labels, place_id, lat, lng, raw, digest, fetched_at, updated_at, has_google_updated, has_pending_edits) "
        "values (?, ?, 'accounts/1', ?, ?, 'Tokyo', 'JP', 'Ramen restaurant', '[]', ?, 35.7, 139.7, '{}', '', ?, ?, 0, 0)",
        [(lid, f"locations/{lid}", code, f"麺屋 {code}", f"place-{lid}", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")
         for lid, code in stores],
    )


def fill_insights(conn, stores: list[tuple[str, str]], rng: random.Random) -> int:
    days = [(TODAY - timedelta(days=d)).isoformat() for d in range(DAYS)]
    rows = 0
    for lid, _ in stores:
        base = rng.randint(20, 200)
        batch = [(lid, metric, day, int(base * (1 + i % 5) * rng.random()))
                 for i, metric in enumerate(METRICS) for day in days]
        conn.executemany("insert into insights_daily values (?, ?, ?, ?)", batch)
        rows += len(batch)
    months = sorted({d[:7] for d in days})
    conn.executemany(
        "insert into search_keywords_monthly values (?, ?, ?, ?, ?)",
        [(lid, m, kw, v, None if v else 15) for lid, _ in stores for m in months
         for kw, v in (("ramen", rng.randint(50, 500)), ("塩ラーメン", rng.randint(0, 40) or None))],
    )
    return rows


def fill_reviews(conn, stores: list[tuple[str, str]], rng: random.Random) -> int:
    reviews, aspects, stats = [], [], []
    for lid, code in stores:
        for m in range(MONTHS):
            month = TODAY.replace(day=1) - timedelta(days=30 * m)
            for k in range(rng.randint(6, 14)):
                rid = f"r-{lid}-{m}-{k}"
                stars = rng.choice((1, 2, 3, 4, 4, 5, 5, 5))
                at = f"{month.isoformat()[:8]}{1 + k:02d}T10:00:00Z"
                replied = None if stars <= 2 and rng.random() < 0.3 else "Thank you"
                reviews.append((rid, f"{lid}/reviews/{rid}", lid, code, stars, "guest", 0, "text", "とても良い店" if stars > 3 else "待ち時間が長い",
                                None, "ja", at, at, replied, None, None, None, None, at, "{}"))
                for idx, aspect in enumerate(rng.sample(ASPECTS, 2)):
                    aspects.append((rid, idx, aspect, (stars - 3) / 2, ""))
            stats.append((lid, f"{month.isoformat()}T00:00:00Z", 3.5 + rng.random(), 100 + 10 * (MONTHS - m), "sync"))
    conn.executemany(f"insert into reviews values ({', '.join('?' * 20)})", reviews)
    conn.executemany("insert into review_aspects values (?, ?, ?, ?, ?)", aspects)
    conn.executemany("insert into review_stats values (?, ?, ?, ?, ?)", stats)
    return len(reviews)


def fill_rank(conn, stores: list[tuple[str, str]], rng: random.Random) -> int:
    scans, points = [], []
    for lid, code in stores:
        kid = f"kw-{lid}"
        conn.execute("insert into rank_keywords (id, location_id, store_code, keyword, grid, spacing_m, created_at) "
                     "values (?, ?, ?, 'ramen', ?, 500, '2025-06-01T00:00:00Z')", [kid, lid, code, GRID])
        for m in range(MONTHS):
            sid = f"scan-{lid}-{m}"
            at = f"{(TODAY - timedelta(days=30 * m)).isoformat()}T06:00:00Z"
            scans.append((sid, kid, lid, code, "ramen", f"place-{lid}", GRID, 500.0, 300.0, "ja", "JP", 20, None, at, at, "done"))
            for idx in range(GRID * GRID):
                position = rng.choice((1, 2, 3, 4, 7, 12, None))
                points.append((sid, idx, idx // GRID, idx % GRID, 35.7, 139.7, position, "[]", 1, at))
    conn.executemany(f"insert into rank_scans values ({', '.join('?' * 16)})", scans)
    conn.executemany(f"insert into rank_points values ({', '.join('?' * 10)})", points)
    return len(points)


def fill_posts(conn, stores: list[tuple[str, str]], rng: random.Random) -> int:
    conn.execute("insert into post_templates values ('tpl-bench', 'bench', 'bench.toml', '', '2025-06-01T00:00:00Z')")
    rows = []
    for lid, code in stores:
        for m in range(MONTHS):
            at = f"{(TODAY - timedelta(days=30 * m)).isoformat()}T09:00:00Z"
            state = "REJECTED" if rng.random() < 0.03 else "LIVE"
            body = json.dumps({"summary": f"{code} campaign {m}", "topicType": "STANDARD"})
            rows.append((f"post-{lid}-{m}", "tpl-bench", lid, code, "accounts/1", at, "cron", "published", body, f"key-{lid}-{m}",
                         1, None, f"accounts/1/locations/{lid}/localPosts/{m}", state, None, at, at, at, at))
    conn.executemany(f"insert into posts values ({', '.join('?' * 19)})", rows)
    conn.executemany(
        "insert into drift_events (location_id, store_code, field, kind, ours, google, detected_at) values (?, ?, 'title', 'google', ?, ?, ?)",
        [(lid, code, f"麺屋 {code}", f"麺屋{code}", "2026-11-20T00:00:00Z") for lid, code in stores[:12]],
    )
    return len(rows)


def fill(db_conn) -> dict[str, int]:
    rng = random.Random(7)
    stores = _ids()
    counts = {}
    db_conn.execute("begin")
    for sql in INSIGHTS_SCHEMA:
        db_conn.execute(sql)
    fill_locations(db_conn, stores)
    counts["insights rows"] = fill_insights(db_conn, stores, rng)
    counts["reviews"] = fill_reviews(db_conn, stores, rng)
    counts["rank points"] = fill_rank(db_conn, stores, rng)
    counts["posts"] = fill_posts(db_conn, stores, rng)
    db_conn.execute("commit")
    return counts


def main() -> None:
    os.environ["LOCALCX_HOME"] = tempfile.mkdtemp(prefix="localcx-bench-report-")
    ws = config.create_workspace("bench-report", config.Settings(backend="sandbox"), replace=True)
    started = time.perf_counter()
    with Session(ws) as session:
        counts = fill(session.db.conn)
    setup = time.perf_counter() - started
    out = Path(os.environ["LOCALCX_HOME"]) / "report.html"
    runner = CliRunner()
    started = time.perf_counter()
    result = runner.invoke(app, ["-w", "bench-report", "report", "build", "--out", str(out), "--until", TODAY.isoformat(),
                                 "--since", (TODAY - timedelta(days=DAYS - 1)).isoformat()])
    elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"report build failed ({result.exit_code}): {result.stderr}")
    started = time.perf_counter()
    board = runner.invoke(app, ["-w", "bench-report", "status", "--json"])
    board_time = time.perf_counter() - started
    print(f"report build: {STORES} stores, {MONTHS} months of data (setup {setup:.1f} s, not timed)")
    for name, n in counts.items():
        print(f"  {name:<22}{n:>12,}")
    print(f"  report build          {elapsed:>10.2f} s (target < 10 s), {out.stat().st_size / 1024:,.0f} KB")
    print(f"  status --json         {board_time:>10.2f} s (exit {board.exit_code})")


if __name__ == "__main__":
    main()
