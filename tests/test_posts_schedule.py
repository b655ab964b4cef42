"""A weekly campaign: run-due --now steps through the weeks and publishes each week's posts
once; --via google hands every week to Google at once and they go LIVE on its clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from posts_helpers import (
    STANDARD,
    post_counts,
    sandbox_posts,
    statuses,
    verified_location_ids,
    write,
)

from localcx import config


def _next_monday(days_ahead: int = 7) -> datetime:
    today = datetime.now(UTC).date() + timedelta(days=days_ahead)
    return datetime.combine(today + timedelta(days=(7 - today.weekday()) % 7), datetime.min.time(), UTC)


def test_weekly_for_four_weeks_with_run_due_now_stepping_day_by_day(synced, tmp_path):
    template = write(tmp_path / "t.toml", STANDARD)
    monday = _next_monday()
    until = monday + timedelta(weeks=3, days=1)
    stores = "SEA-001,SEA-002,TKY-001,TKY-003"
    added = synced("posts", "add", str(template), "--stores", stores, "--at", f"{monday:%Y-%m-%d} 09:00",
                   "--every", "week", "--until", f"{until:%Y-%m-%d}", "--json")
    assert added.exit_code == 0, added.stderr
    assert json.loads(added.stdout)["queued"] == 4 * 4
    ws = config.open_workspace("default")
    expected = 0
    for day in range(-1, 30):
        now = monday + timedelta(days=day, hours=18)  # 09:00 has passed in Tokyo (00:00Z) and Seattle (17:00Z)
        result = synced("posts", "run-due", "--now", f"{now:%Y-%m-%dT%H:%MZ}", "--json")
        assert result.exit_code == 0, result.stderr
        if day >= 0 and day % 7 == 0 and day < 28:
            expected += 4
            assert json.loads(result.stdout)["counts"] == {"done": 4}, day
        else:
            assert json.loads(result.stdout)["counts"] == {}, day
        assert sum(post_counts(ws.sandbox_path).values()) == expected
    assert expected == 16
    assert set(post_counts(ws.sandbox_path).values()) == {4}
    assert statuses(ws) == {"published": 16}


def test_week_x_4_via_google_creates_all_at_once_and_they_go_live_on_googles_clock(synced, tmp_path):
    template = write(tmp_path / "t.toml", STANDARD)
    monday = _next_monday()
    added = synced("posts", "add", str(template), "--at", f"{monday:%Y-%m-%d} 09:00", "--every", "week x 4",
                   "--via", "google", "--json")
    ws = config.open_workspace("default")
    verified = verified_location_ids(ws)
    assert added.exit_code == 3, added.stderr  # the unverified stores are refused
    summary = json.loads(added.stdout)
    assert summary["queued"] == 4 * len(verified)
    assert summary["published"] == [{"done": 4 * len(verified)}]
    counts = post_counts(ws.sandbox_path)
    assert set(counts) == verified and set(counts.values()) == {4}
    posts = sandbox_posts(ws.sandbox_path)
    scheduled = sorted({p.body["scheduledTime"] for p in posts})
    assert len(scheduled) == 8  # four Mondays at 09:00 in Seattle and in Tokyo
    for post in posts:
        when = datetime.fromisoformat(post.body["scheduledTime"].replace("Z", "+00:00")).timestamp()
        if post.rejected_at is None:
            assert (post.state_at(when - 1), post.state_at(when)) == ("PROCESSING", "LIVE")
        else:  # a seeded few are moderated out, five minutes after creation
            assert post.state_at(post.rejected_at - 1) == "PROCESSING"
            assert post.state_at(post.rejected_at) == post.state_at(when) == "REJECTED"
    assert sum(p.rejected_at is None for p in posts) > 0.8 * len(posts)
    assert synced("posts", "run-due").exit_code == 0  # nothing left for cron
    assert post_counts(ws.sandbox_path) == counts
    listed = synced.json("posts", "list")
    assert {p["google_state"] for p in listed} == {"PROCESSING"}
