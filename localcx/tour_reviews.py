"""The tour's reviews part: a first sync of every store's reviews, scored offline, and the
topics customers talk about most at a few stores.

On a virtual clock that starts now, so the sync is paced to Google's quota without taking
its real minutes (a first sync of 30 stores is about a hundred requests).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from localcx import config, stores
from localcx.clock import FakeClock, iso
from localcx.render import OutputFormat, Terminal, rows
from localcx.render.human import plural
from localcx.reviews import scores
from localcx.reviews.sync import sync
from localcx.session import Session
from localcx.text.aspects import LABELS

TOPIC_STORES = ("TKY-001", "SEA-001", "SEA-004")
TOPIC_DAYS = 365


def reviews_part(say: Callable[[str], None], workspace: config.Workspace, name: str, terminal: Terminal | None) -> None:
    clock = FakeClock(time.time())
    with Session(workspace, clock=clock) as session:
        locations = stores.stored_locations(session.db)
        result = sync(session.db, session.google, locations, clock=clock)
        scored = scores.score_all(session.db, clock)
        say(
            f"[bold]17.[/bold] localcx -w {name} reviews sync → {result.new:,} reviews from "
            f"{plural(result.stores - len(result.skipped), 'store')} in {plural(result.requests, 'request')}, "
            f"{scored:,} scored offline (English and Japanese; {len(result.skipped)} unverified stores skipped)"
        )
        again = sync(session.db, session.google, locations, clock=clock)
        say(
            f"[bold]18.[/bold] reviews sync again → {again.new} new, "
            f"{plural(again.requests, 'request')} for {plural(again.stores - len(again.skipped), 'store')} "
            "(batchGetReviews reads 50 quiet stores in one call)"
        )
        now = clock.utcnow()
        start, previous = now - timedelta(days=TOPIC_DAYS), now - timedelta(days=2 * TOPIC_DAYS)
        table = []
        for location in locations:
            if location.key not in TOPIC_STORES:
                continue
            lang = "ja" if str(location.raw.get("languageCode", "")).startswith("ja") else "en"
            summaries = scores.topic_summaries(
                session.db, [location.location_id], iso(start.timestamp()), iso(now.timestamp()), iso(previous.timestamp())
            )
            for summary in summaries[:3]:
                table.append({
                    "store": location.key,
                    "topic": LABELS[summary.aspect][lang],
                    "mentions": summary.mentions,
                    "sentiment": f"{summary.polarity:+.2f}",
                    "quote": summary.quotes[0] if summary.quotes else "",
                })
        say(f"[bold]19.[/bold] reviews topics --stores {','.join(TOPIC_STORES)} --since 1y → the top three per store:")
        rows(table, OutputFormat.table, columns=["store", "topic", "mentions", "sentiment", "quote"], terminal=terminal, empty="no topics")
