"""The store summary: one row per store with the status board's figures (rating, unreplied
1–2★ reviews, last ARP, rejected posts, open drift), the stores needing a person first."""

from __future__ import annotations

from localcx.report.html import absent, esc, table
from localcx.report.labels import Labels
from localcx.report.status import Board

KEY = "stores"
FILL_COMMAND = "localcx locations sync"


def render(board: Board, labels: Labels) -> str:
    if not board.stores:
        return absent(labels, FILL_COMMAND)
    rows = [
        (s.store, s.title, labels.decimal(s.rating), labels.count(s.unreplied_negative) if s.rating is not None or s.unreplied else "–",
         labels.decimal(s.last_arp, 2), labels.count(s.posts_rejected), labels.count(s.open_drift), f'⚠ {labels["attention"]}' if s.needs else "")
        for s in board.stores
    ]
    return table(
        [labels["store"], labels["title_col"], labels["rating"], labels["unreplied_negative"], labels["arp"],
         labels["posts_rejected"], labels["open_drift"], labels["attention"]],
        rows, numeric=(2, 3, 4, 5, 6), css="store-summary",
    ) + f'<p class="meta">{esc(labels["stores"])}: {labels.count(len(board.stores))}</p>'
