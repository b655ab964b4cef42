"""Summary KPIs, drawn from what the other sections collected (nothing is queried twice,
so a figure here always equals the one in its section). A KPI whose section has no data
is left out rather than shown as zero."""

from __future__ import annotations

from typing import Any

from localcx.report.html import kpis
from localcx.report.labels import Labels
from localcx.report.sections.insights import InsightsData, key_figures
from localcx.report.sections.posts import PostsData
from localcx.report.sections.profiles import ProfilesData
from localcx.report.sections.rank import RankData
from localcx.report.sections.reviews import ReviewsData
from localcx.report.sections.unreplied import UnrepliedData

KEY = "summary"


def figures(collected: dict[str, Any], labels: Labels, store_count: int) -> list[tuple[str, str, str, str]]:
    """(key, label, value, note) for each KPI with data."""
    out = [("stores", labels["stores"], labels.count(store_count), "")]
    reviews, unreplied = collected.get("reviews"), collected.get("unreplied")
    if isinstance(reviews, ReviewsData):
        if reviews.rating is not None:
            out.append(("rating", labels["rating"], labels.decimal(reviews.rating), f"{labels.count(reviews.total)} ★"))
        out.append(("reviews_in_period", labels["reviews_in_period"], labels.count(reviews.in_period), ""))
    if isinstance(unreplied, UnrepliedData):
        out.append(("unreplied_negative", labels["unreplied_negative"], labels.count(unreplied.total), ""))
    rank = collected.get("rank")
    if isinstance(rank, RankData):
        note = f'{labels["lower_better"]} · {labels.get("keywords_count", n=labels.count(len(rank.latest)))}'
        out.append(("last_arp", labels["last_arp"], labels.decimal(rank.mean_arp, 2), note))
        out.append(("last_solv", labels["last_solv"], labels.percent(rank.mean_solv), ""))
    insights = collected.get("insights")
    if isinstance(insights, InsightsData):
        out.extend(key_figures(insights, labels))
    posts = collected.get("posts")
    if isinstance(posts, PostsData):
        out.append(("posts_published", labels["posts_published"], labels.count(posts.total("published") + posts.total("rejected")), ""))
        out.append(("posts_rejected", labels["posts_rejected"], labels.count(len(posts.rejected)), ""))
    profiles = collected.get("profiles")
    if isinstance(profiles, ProfilesData):
        out.append(("open_drift", labels["open_drift"], labels.count(len(profiles.drift)), ""))
    return out


def render(collected: dict[str, Any], labels: Labels, store_count: int) -> str:
    return kpis(figures(collected, labels, store_count))
