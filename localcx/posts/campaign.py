"""A campaign: one template, a selection of stores, and when each store's post goes out.

`preview` renders and checks each store's post; `add` does the same for every occurrence
and queues only what Google would accept, reporting the rest by store and field. Times
are each store's local time (its zone from the address, else the workspace's).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from localcx import stores
from localcx.clock import Clock, iso
from localcx.posts import queue
from localcx.posts.lint import check, check_variety
from localcx.posts.render import Rendered, render_post
from localcx.posts.template import Template, load_template
from localcx.posts.variables import load_variables, store_variables
from localcx.stores.repo import has_voice_of_merchant
from localcx.stores.zones import store_zone

# When a store's posts go out: its zone → aware moments.
Occurrences = Callable[[ZoneInfo], Sequence[datetime]]


def can_post(raw: dict[str, Any]) -> bool:
    """Google takes posts only for a store it lets the owner manage (Voice of Merchant)."""
    return has_voice_of_merchant(raw)


@dataclass
class Campaign:
    template: Template
    posts: list[tuple[datetime, Rendered]] = field(default_factory=list)  # (moment, post)

    @property
    def refused_stores(self) -> list[str]:
        return sorted({r.store_code for _, r in self.posts if not r.ok})

    def problems(self) -> list[str]:
        seen: dict[str, None] = {}
        for _, rendered in self.posts:
            seen.update(dict.fromkeys(rendered.errors))
        return list(seen)

    def warnings(self) -> list[str]:
        seen: dict[str, None] = {}
        for _, rendered in self.posts:
            seen.update(dict.fromkeys(rendered.warnings))
        return list(seen)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "store_code": r.store_code,
                "at": iso(moment.timestamp()),
                "language": r.language,
                "ok": r.ok,
                "summary": r.post.get("summary", ""),
                "post": r.post,
                "errors": r.errors,
                "warnings": r.warnings,
            }
            for moment, r in self.posts
        ]


def build(
    db: sqlite_utils.Database,
    template_path: Path,
    selection: str,
    occurrences: Occurrences,
    *,
    variables: Path | None = None,
    region: str,
    timezone: str,
) -> Campaign:
    """Render and check every selected store's post at each of its moments."""
    template = load_template(template_path)
    keys = stores.select(db, selection)
    chosen = [s for s in stores.stored_locations(db) if s.key in set(keys)]
    per_store = load_variables(variables, [s.key for s in stores.stored_locations(db)]) if variables else {}
    campaign = Campaign(template)
    for stored in chosen:
        zone = store_zone(stored.raw, timezone)
        for moment in occurrences(zone):
            local = moment.astimezone(zone)
            context: dict[str, Any] = {
                "store": store_variables(stored, local.date(), region),
                "vars": per_store.get(stored.key, {}),
                "date": local.date().isoformat(),
            }
            rendered = render_post(
                template, stored.key, stored.location_id, context["store"]["language"], context
            )
            if rendered.ok:
                check(template, rendered, local.replace(tzinfo=None))
            if not can_post(stored.raw):
                rendered.errors.append(
                    f"store {stored.key}: not verified on Google (no Voice of Merchant), so Google "
                    "refuses its posts; verify it, then run: localcx locations sync"
                )
            campaign.posts.append((moment, rendered))
    firsts: dict[str, Rendered] = {}
    for _, rendered in campaign.posts:
        firsts.setdefault(rendered.store_code, rendered)
    check_variety(template, list(firsts.values()))
    return campaign


def queue_campaign(
    db: sqlite_utils.Database, campaign: Campaign, via: queue.Via, clock: Clock
) -> tuple[list[str], int]:
    """Queue every instance of the stores without errors; a store with any error gets none."""
    refused = set(campaign.refused_stores)
    accounts = {s.key: (s.location_id, s.account) for s in stores.stored_locations(db)}
    source = Path(campaign.template.path).read_text(encoding="utf-8-sig")
    template_id = queue.save_template(
        db, campaign.template.name, campaign.template.path, source, iso(clock.now())
    )
    new = [
        queue.NewPost(
            location_id=accounts[r.store_code][0],
            store_code=r.store_code,
            account=accounts[r.store_code][1],
            due_at=iso(moment.astimezone(UTC).timestamp()),
            body=r.post,
        )
        for moment, r in campaign.posts
        if r.store_code not in refused
    ]
    return queue.add(db, template_id, new, via, clock)
