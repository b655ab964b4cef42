"""Screenshots of the client report in headless Chromium, for the README.

Runs `localcx demo` in a private LOCALCX_HOME, builds the demo's report (English for the
desktop shot, Japanese for the phone one, so the CJK font stack shows), and has Chromium
draw each at a desktop (1280×2000) and a phone (390×2400) width into docs/. Without
Chromium it says so and exits 0 (install it with `apt-get install chromium`; Debian's
package works, and `fonts-noto-cjk` gives it Japanese glyphs).

INTERIM: the demo does not sync reviews or insights yet (their areas are being built),
so when those tables are empty this fills them with seeded sample rows for the demo's
stores, so every section of the report is drawn. Remove `sample_reviews_and_insights`
once `localcx demo` runs `reviews sync` and `insights sync`.

Usage: python tools/screenshot_report.py [--out docs]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = (("report-desktop.png", "en", "1280,2000"), ("report-phone.png", "ja", "390,2400"))
METRICS = {
    "CALL_CLICKS": 6, "WEBSITE_CLICKS": 9, "BUSINESS_DIRECTION_REQUESTS": 11,
    "BUSINESS_IMPRESSIONS_MOBILE_MAPS": 160, "BUSINESS_IMPRESSIONS_DESKTOP_MAPS": 35,
    "BUSINESS_IMPRESSIONS_MOBILE_SEARCH": 120, "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH": 50,
}
ASPECTS = (("service", "接客"), ("taste", "味"), ("price", "価格"), ("wait", "待ち時間"), ("cleanliness", "清潔さ"))
TEXTS = {5: "スープが絶品で、また来たいです。", 4: "Friendly staff and quick service.", 3: "普通でした。",
         2: "待ち時間が長すぎました。", 1: "Cold noodles and a rude reply at the counter."}


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def localcx(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOCALCX_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "localcx", *args], env=env, text=True, capture_output=True, check=True)


def months_ago(today: date, n: int) -> date:
    """The first day of the month n months before today's."""
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def _empty(conn: sqlite3.Connection, table: str) -> bool:
    exists = conn.execute("select 1 from sqlite_master where name = ?", [table]).fetchone()
    return not exists or not conn.execute(f"select count(*) from {table}").fetchone()[0]


def sample_reviews_and_insights(db_path: Path, today: date) -> None:
    """INTERIM sample rows (seeded) where the demo has none yet; see the module docstring."""
    rng = random.Random(13)
    with sqlite3.connect(db_path) as conn:
        stores = conn.execute("select location_id, store_code from locations order by store_code").fetchall()
        if _empty(conn, "reviews"):
            for lid, code in stores:
                for m in range(12):
                    month = months_ago(today, m)
                    for k in range(rng.randint(1, 6)):
                        stars = rng.choice((1, 2, 3, 4, 4, 5, 5, 5, 5))
                        last = today.day if m == 0 else 28
                        at = f"{month.isoformat()[:8]}{rng.randint(1, last):02d}T03:00:00Z"
                        rid = f"sample-{lid}-{m}-{k}"
                        reply = None if stars <= 2 and rng.random() < 0.5 else "ありがとうございます"
                        conn.execute(
                            "insert into reviews (review_id, name, location_id, store_code, stars, reviewer, original, lang, "
                            "created_at, updated_at, reply_comment) values (?, ?, ?, ?, ?, ?, ?, 'ja', ?, ?, ?)",
                            [rid, f"locations/{lid}/reviews/{rid}", lid, code, stars, f"ゲスト{k + 1}", TEXTS[stars], at, at, reply],
                        )
                        for idx, (aspect, _) in enumerate(rng.sample(ASPECTS, 2)):
                            conn.execute("insert into review_aspects values (?, ?, ?, ?, '')",
                                         [rid, idx, aspect, (stars - 3) / 2 + rng.uniform(-0.3, 0.3)])
                conn.execute("insert into review_stats values (?, ?, ?, ?, 'sample')",
                             [lid, f"{today.isoformat()}T00:00:00Z", round(rng.uniform(3.6, 4.7), 1), rng.randint(80, 600)])
        conn.execute("create table if not exists insights_daily (location_id text, metric text, day text, value integer, "
                     "primary key (location_id, metric, day))")
        conn.execute("create table if not exists search_keywords_monthly (location_id text, month text, keyword text, "
                     "value integer, threshold integer, primary key (location_id, month, keyword))")
        if _empty(conn, "insights_daily"):
            rows = []
            for lid, _ in stores:
                scale = rng.uniform(0.5, 1.6)
                for d in range(548):
                    day = today - timedelta(days=d)
                    season = 1.25 if day.month in (7, 8, 12) else 1.0
                    weekend = 1.3 if day.weekday() >= 5 else 1.0
                    rows += [(lid, metric, day.isoformat(), int(base * scale * season * weekend * rng.uniform(0.6, 1.4)))
                             for metric, base in METRICS.items()]
            conn.executemany("insert into insights_daily values (?, ?, ?, ?)", rows)
            for lid, _ in stores:
                for m in range(12):
                    month = months_ago(today, m).isoformat()[:7]
                    for keyword, value in (("ramen", rng.randint(80, 400)), ("塩ラーメン", rng.randint(20, 90)),
                                           ("ramen near me", rng.randint(30, 150)), ("つけ麺 深夜", None)):
                        conn.execute("insert into search_keywords_monthly values (?, ?, ?, ?, ?)",
                                     [lid, month, keyword, value, None if value else 15])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    browser = chromium()
    if browser is None:
        print("chromium is not installed: no screenshots taken (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
        return 0
    home = Path(tempfile.mkdtemp(prefix="localcx-screenshots-"))
    localcx(home, "demo")
    sample_reviews_and_insights(home / "workspaces" / "demo" / "localcx.db", date.today())
    args.out.mkdir(parents=True, exist_ok=True)
    for name, lang, size in SHOTS:
        page = home / f"report-{lang}.html"
        localcx(home, "-w", "demo", "report", "build", "--lang", lang, "--out", str(page), "--force")
        target = (args.out / name).resolve()
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
             f"--window-size={size}", f"--screenshot={target}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
        print(f"{target} ({size.replace(',', '×')}, {lang})")
    shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
