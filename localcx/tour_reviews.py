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
from localcx.reviews import drafting, replies, scores
from localcx.reviews import store as review_store
from localcx.reviews.posting import post_approved
from localcx.reviews.sync import sync
from localcx.session import Session
from localcx.text.aspects import LABELS

TOPIC_STORES = ("TKY-001", "SEA-001", "SEA-004")
TOPIC_DAYS = 365
DRAFT_DAYS = 30  # the tour drafts replies to the last month's unanswered reviews
WAITING_SHOWN = 5


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


def replies_part(say: Callable[[str], None], workspace: config.Workspace, name: str, terminal: Terminal | None) -> None:
    """Replies: draft every unanswered review of the last month, approve the 4-5 star ones
    in bulk, post them, and leave the 1-3 star ones for a person to read and approve."""
    clock = FakeClock(time.time())
    with Session(workspace, clock=clock) as session:
        since = iso((clock.utcnow() - timedelta(days=DRAFT_DAYS)).timestamp())
        where = review_store.ReviewFilter(since=since, unreplied=True)
        report = drafting.draft_replies(session.db, clock, where, workspace.settings.replies, drafting.DraftOptions())
        say(
            f"[bold]20.[/bold] localcx -w {name} reviews draft --unreplied --since 30d → "
            f"{plural(report.drafted, 'draft')} in each review's language, linted "
            f"({report.with_errors} with lint errors); nothing sent yet"
        )
        approved = replies.approve_min_stars(session.db, 4, clock)
        results = post_approved(session.db, session.google, clock=clock, overwrite=False, workers=2)
        posted = sum(r.counts.get("done", 0) for r in results)
        say(
            f"[bold]21.[/bold] reviews replies approve --min-stars 4, then reviews replies post --yes → "
            f"{plural(len(approved.done), 'reply', 'replies')} approved, {posted} posted through the journal "
            "(Google moderates each; reviews sync reads its decision)"
        )
        waiting = list(replies.list_drafts(session.db, statuses=[replies.DraftStatus.DRAFT]))
    say(f"  {plural(len(waiting), 'draft')} to 1-3 star reviews wait for a person (approve by id), e.g.:")
    rows(
        [{"id": d.id, "store": d.store_code, "stars": d.stars, "draft": d.text.split("\n")[0]} for d in waiting[:WAITING_SHOWN]],
        OutputFormat.table, columns=["id", "store", "stars", "draft"], terminal=terminal, empty="none",
    )
