"""`localcx reviews`: reviews synced into SQLite, scored offline, searched, summarised by
topic, with alerts for cron."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any

import typer

from localcx import schedule, stores
from localcx.clock import iso
from localcx.commands import replies
from localcx.commands._common import AppState, StoresOpt, Typer, state
from localcx.commands._output import output_options
from localcx.errors import LocalcxError, UsageError
from localcx.exitcodes import ExitCode
from localcx.render import OutputFormat, record, rows
from localcx.render.human import plural
from localcx.reviews import alerts, scores
from localcx.reviews import store as review_store
from localcx.reviews.sync import AREA, sync
from localcx.text import sentiment
from localcx.text.aspects import LABELS

app = Typer(no_args_is_help=True, help="Reviews: sync, score, search, topics, alerts.")

StarsOpt = Annotated[str | None, typer.Option("--stars", help="Star range, e.g. 1-2 or 5.")]
SinceOpt = Annotated[
    str | None, typer.Option("--since", help=f"From this day or span back ({schedule.SINCE_EXAMPLES}).")
]
app.add_typer(replies.app, name="replies")
app.command("draft", epilog=replies.DRAFT_EPILOG)(replies.draft)
LIST_COLUMNS = ["date", "store", "stars", "label", "replied", "text"]  # --json has every field
DEFAULT_TOPIC_DAYS = 90


def _locations(app_state: AppState, selection: str) -> list[stores.StoredLocation]:
    keys = app_state.selected(selection)
    everything = stores.stored_locations(app_state.db)
    if not everything:
        raise LocalcxError("no stores synced in this workspace yet", hint="run: localcx locations sync")
    if keys is None:
        return everything
    wanted = set(keys)
    return [s for s in everything if s.key in wanted]


def _location_ids(app_state: AppState, selection: str) -> tuple[str, ...] | None:
    ids = app_state.selected_ids(selection)
    return tuple(ids) if ids is not None else None


@app.command("sync", epilog="Example: localcx -w acme -q reviews sync --alert --stars 1-2 --on-new 'mail -s review ops@example.com'")
@output_options(OutputFormat.json)
def sync_(
    ctx: typer.Context,
    fmt: OutputFormat,
    selection: StoresOpt = "all",
    full: Annotated[bool, typer.Option("--full", help="Read every review again (and mark the ones Google removed).")] = False,
    alert: Annotated[bool, typer.Option("--alert", help="Exit 3 when new reviews in --stars arrived or Google rejected a reply (for cron).")] = False,
    stars: StarsOpt = None,
    on_new: Annotated[
        str | None,
        typer.Option("--on-new", help="Run this command for each new review in --stars and each rejected reply, as a JSON line on its stdin."),
    ] = None,
) -> None:
    """Read new and changed reviews from Google (only what changed since the last sync),
    score them, and record each store's rating. Resumable: run it again after a stop."""
    app_state = state(ctx)
    wanted = alerts.parse_stars(stars or "1-2")
    locations = _locations(app_state, selection)
    with app_state.workspace.exclusive(AREA, app_state.say):
        with app_state.progress("Syncing reviews", len(locations)) as advance:
            result = sync(
                app_state.db, app_state.google, locations, clock=app_state.clock, full=full,
                progress=advance, keep=(lambda row: row["stars"] in wanted) if (alert or on_new) else None,
            )
        scored = scores.score_all(app_state.db, app_state.clock)
    summary = result.summary() | {"scored": scored}
    alerting = alerts.sync_alerts(app_state.db, app_state.clock, result.new_reviews) if (alert or on_new) else []
    hook_failures = alerts.run_hook(on_new, alerting) if on_new else []
    rejected = sum(a["event"] == "reply_rejected" for a in alerting)
    summary["alerts"] = len(alerting)
    summary["rejected_replies"] = rejected
    if fmt is OutputFormat.table:
        app_state.say(
            f"{'Synced' if result.stopped is None else 'Stopped early; so far'} {plural(result.stores, 'store')}: "
            f"{result.new} new, {result.updated} updated, "
            f"{result.removed} removed ({plural(result.requests, 'request')})."
        )
        if alert or on_new:
            app_state.say(
                f"{plural(len(alerting) - rejected, 'new review')} with {wanted} stars, "
                f"{plural(rejected, 'reply', 'replies')} newly rejected by Google."
            )
    else:
        record(summary, fmt, terminal=app_state.terminal)
    for skipped in result.skipped:
        app_state.say(f"skipped {skipped}")
    for failure in result.failures + hook_failures:
        app_state.warn(failure)
    if result.stopped is not None:
        error = result.stopped
        then = "then run `localcx reviews sync` again: it reads only what this one did not finish"
        error.hint = app_state.command(f"{error.hint}; {then}" if error.hint else then)
        raise error
    if result.failures or hook_failures or (alert and alerting):
        raise typer.Exit(ExitCode.PARTIAL)


@app.command("score", epilog="Example: localcx reviews score --rescore")
@output_options(OutputFormat.json)
def score(
    ctx: typer.Context,
    fmt: OutputFormat,
    rescore: Annotated[bool, typer.Option("--rescore", help="Score every review again, not only unscored ones.")] = False,
) -> None:
    """Score the stored reviews the current model has not scored (sync does this itself)."""
    app_state = state(ctx)
    total = None if rescore else scores.pending(app_state.db)
    with app_state.workspace.exclusive(AREA, app_state.say), app_state.progress("Scoring", total) as advance:
        done = scores.score_all(app_state.db, app_state.clock, rescore=rescore, progress=advance)
    if fmt is OutputFormat.table:
        app_state.say(f"Scored {plural(done, 'review')} (model {sentiment.MODEL_VERSION}).")
    else:
        record({"scored": done, "model": sentiment.MODEL_VERSION}, fmt, terminal=app_state.terminal)


@app.command("score-text", epilog="Example: localcx reviews score-text < texts.txt > scores.jsonl")
def score_text(
    ctx: typer.Context,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="JSON lines out (the default, and the only format).")] = False,
) -> None:
    """Score texts from stdin, one per line (or JSON lines with a `text` field): one JSON
    line out per line in, in order. Needs no workspace."""
    app_state = state(ctx)
    out = app_state.terminal.stdout
    for number, line in enumerate(app_state.terminal.stdin, start=1):
        text = line.rstrip("\r\n")
        if text.lstrip().startswith("{"):
            try:
                loaded = json.loads(text)
            except json.JSONDecodeError as exc:
                raise UsageError(f"stdin line {number}: not JSON ({exc.msg})", hint='give plain text lines, or JSON lines like {"text": "..."}') from None
            if not isinstance(loaded, dict) or not isinstance(loaded.get("text"), str):
                raise UsageError(f"stdin line {number}: a JSON line needs a string field \"text\"")
            text = loaded["text"]
        result = sentiment.score(text)
        out.write(json.dumps({"text": text, "lang": result.lang, "polarity": round(result.polarity, 4), "label": result.label.value}, ensure_ascii=False) + "\n")
        out.flush()


@app.command("list", epilog="Example: localcx reviews list --stars 1-2 --unreplied --since 30d --search 駐車場")
@output_options()
def list_(
    ctx: typer.Context,
    fmt: OutputFormat,
    selection: StoresOpt = "all",
    stars: StarsOpt = None,
    since: SinceOpt = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the original text, e.g. ja, en.")] = None,
    label: Annotated[sentiment.Label | None, typer.Option("--label", help="Sentiment label.")] = None,
    unreplied: Annotated[bool, typer.Option("--unreplied", help="Only reviews without an owner reply.")] = False,
    search: Annotated[str | None, typer.Option("--search", help="Text in the review (either language, any part of a word).")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most this many, newest first.")] = None,
) -> None:
    """Stored reviews, newest first, filtered."""
    app_state = state(ctx)
    wanted = alerts.parse_stars(stars) if stars else None
    start = app_state.since(since)
    where = review_store.ReviewFilter(
        location_ids=_location_ids(app_state, selection),
        min_stars=wanted.low if wanted else None,
        max_stars=wanted.high if wanted else None,
        since=iso(start.timestamp()) if start else None,
        lang=lang,
        label=label.value if label else None,
        unreplied=unreplied,
        search=search,
        limit=limit,
    )
    found = review_store.select(app_state.db, where)
    if fmt is OutputFormat.table:
        shown = (
            {"date": (r["created_at"] or "")[:10], "store": r["store_code"], "stars": r["stars"],
             "label": r["label"], "replied": r["reply_comment"] is not None,
             "text": _one_line(r["original"] or r["translated"] or "")}
            for r in found
        )
        rows(shown, fmt, columns=LIST_COLUMNS, terminal=app_state.terminal, empty="no reviews match")
    else:
        rows(({k: v for k, v in r.items()} for r in found), fmt, terminal=app_state.terminal)


def _one_line(text: str, width: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@app.command("topics", epilog="Example: localcx reviews topics --stores label:tokyo --since 90d")
@output_options(OutputFormat.json, OutputFormat.csv)
def topics(
    ctx: typer.Context,
    fmt: OutputFormat,
    selection: StoresOpt = "all",
    since: SinceOpt = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the aspect names: en or ja.")] = "en",
) -> None:
    """What reviews talk about: aspects ranked by volume, their sentiment, quotes, and the
    change against the previous period of the same length (default: the last 90 days)."""
    app_state = state(ctx)
    now = app_state.clock.utcnow()
    start = app_state.since(since) or now - timedelta(days=DEFAULT_TOPIC_DAYS)
    previous = start - (now - start)
    ids = _location_ids(app_state, selection)
    summaries = scores.topic_summaries(
        app_state.db, list(ids) if ids is not None else None,
        iso(start.timestamp()), iso(now.timestamp()), iso(previous.timestamp()),
    )
    language = "ja" if lang.lower().startswith("ja") else "en"
    out: list[dict[str, Any]] = [
        {
            "aspect": s.aspect.value,
            "name": LABELS[s.aspect][language],
            "mentions": s.mentions,
            "share": round(s.share, 3),
            "sentiment": round(s.polarity, 2),
            "positive": s.positive,
            "negative": s.negative,
            "previous_mentions": s.previous_mentions,
            "sentiment_change": round(s.polarity - s.previous_polarity, 2) if s.previous_polarity is not None else None,
            "quotes": list(s.quotes),
        }
        for s in summaries
    ]
    if fmt is OutputFormat.table:
        table = [
            {"topic": o["name"], "mentions": o["mentions"], "share": f"{o['share']:.0%}",
             "sentiment": f"{o['sentiment']:+.2f}",
             "change": "–" if o["sentiment_change"] is None else f"{o['sentiment_change']:+.2f}",
             "quote": o["quotes"][0] if o["quotes"] else ""}
            for o in out
        ]
        rows(table, fmt, columns=["topic", "mentions", "share", "sentiment", "change", "quote"], terminal=app_state.terminal, empty="no aspects in this period (run: localcx reviews sync)")
    else:
        rows(out, fmt, terminal=app_state.terminal)
