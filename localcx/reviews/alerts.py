"""Alerts for cron: the new reviews worth a person's attention, handed to the user's own hook.

`--on-new "COMMAND"` runs COMMAND once per alerting review with that review as one JSON line
on its stdin, so any mail, chat or paging tool the user already has can take it (`mail -s`,
a webhook `curl --data-binary @-`, …). A hook that fails is reported, never retried (it may
have half-sent), and does not stop the others.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from localcx.clock import Clock
from localcx.errors import UsageError
from localcx.reviews import replies, store

HOOK_TIMEOUT = 60.0  # seconds; a hung hook must not hang the nightly cron line


@dataclass(frozen=True)
class StarRange:
    low: int
    high: int

    def __contains__(self, stars: object) -> bool:
        return isinstance(stars, int) and self.low <= stars <= self.high

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


def parse_stars(text: str) -> StarRange:
    """`2`, `1-2`, `4-5` (stars are 1 to 5)."""
    parts = text.replace("–", "-").split("-")
    try:
        low, high = (int(parts[0]), int(parts[-1])) if len(parts) <= 2 else (0, 0)
    except ValueError:
        low = high = 0
    if not (1 <= low <= high <= 5):
        raise UsageError(f"not a star range: {text!r}", hint="e.g. --stars 1-2, --stars 5")
    return StarRange(low, high)


def payload(row: dict[str, Any], score: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a hook receives for one review: enough to write a message without a lookup."""
    out = {
        "event": "new_review",
        "review_id": row["review_id"],
        "store_code": row.get("store_code"),
        "location_id": row.get("location_id"),
        "stars": row.get("stars"),
        "reviewer": row.get("reviewer"),
        "text": row.get("original"),
        "translated": row.get("translated"),
        "lang": row.get("lang"),
        "created_at": row.get("created_at"),
        "updated_at": row.get("updated_at"),
        "name": row.get("name"),
    }
    if score:
        out.update({k: score.get(k) for k in ("label", "polarity")})
    return out


def sync_alerts(db: sqlite_utils.Database, clock: Clock, new_rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a sync's `--alert`/`--on-new` report, in order: each new review in the star
    range (with its score), then each owner reply Google rejected since the last alert
    (`"event": "reply_rejected"`, with Google's reason), each rejection once."""
    out = [payload(row, store.get(db, row["review_id"])) for row in new_rows]
    return out + replies.rejected_reply_alerts(db, clock)


def run_hook(command: str, reviews: Iterable[dict[str, Any]]) -> list[str]:
    """Pipe each review to `command`; returns one line per failure ("review …: why")."""
    failures = []
    for review in reviews:
        line = json.dumps(review, ensure_ascii=False) + "\n"
        try:
            done = subprocess.run(
                command, shell=True, input=line.encode("utf-8"), capture_output=True,
                timeout=HOOK_TIMEOUT, check=False,
            )
        except subprocess.TimeoutExpired:
            failures.append(f"review {review['review_id'][:12]}…: --on-new command timed out")
            continue
        except OSError as exc:
            failures.append(f"review {review['review_id'][:12]}…: --on-new command failed ({exc.strerror})")
            continue
        if done.returncode != 0:
            why = done.stderr.decode("utf-8", "replace").strip().splitlines()
            failures.append(
                f"review {review['review_id'][:12]}…: --on-new command exited {done.returncode}"
                + (f" ({why[-1][:200]})" if why else "")
            )
    return failures
