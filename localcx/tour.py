"""`localcx demo`: the offline tour, in a fresh sandbox workspace named `demo`.

It runs the same library calls the commands run, so what the tour shows is what a user
gets. Messages go through `say`; tables through render.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from localcx import calllog, config, exports, schedule, stores
from localcx.clock import Clock, FakeClock, iso
from localcx.posts import campaign, queue
from localcx.posts.google_state import sync_states
from localcx.posts.render import Rendered
from localcx.posts.runner import run_due
from localcx.profiles import drift
from localcx.profiles.applier import ApplyOptions, Runner
from localcx.profiles.from_file import plan_from_file
from localcx.profiles.holiday_hours import holiday_plan
from localcx.profiles.hours import parse_regular_hours
from localcx.profiles.planner import save_plan
from localcx.profiles.undo import undo_plan
from localcx.rank import keywords, runner
from localcx.rank.metrics import scan_metrics
from localcx.rank.scans import points
from localcx.render import OutputFormat, Terminal, rows
from localcx.render.heatmap import print_heatmap
from localcx.render.human import counts, plural
from localcx.report.build import build_report, default_period
from localcx.report.files import write_report
from localcx.report.status import selection_of
from localcx.runs.executor import RunResult
from localcx.runs.journal import ItemStatus
from localcx.session import Session
from localcx.tour_insights import insights_part
from localcx.tour_reviews import replies_part, reviews_part

DEMO_WORKSPACE = "demo"
RANK_STORE, RANK_KEYWORD = "TKY-001", "ramen"
REVIEW_WAIT = 6 * 60  # Google (and the sandbox) review a post within 5 minutes of creation
POSTS_CLOCK_START = 7 * 60  # the posts part's clock starts this long ago (see _campaign)

CAMPAIGN_TEMPLATE = r"""
topic = "STANDARD"
summary = '''
This week at {{ store.title }}: our new seasonal menu is here.
{% if store.hours_today and store.hours_today != "closed" %}Open today {{ store.hours_today }}.{% endif %}
See you in {{ store.city }}!'''

[call_to_action]
type = "LEARN_MORE"
url = "{{ store.website }}"

[variants.ja]
summary = '''
{{ store.title }}に冬の新メニューが登場しました。
{% if store.hours_today and store.hours_today != "定休日" %}本日は{{ store.hours_today }}の営業です。{% endif %}
皆さまのご来店をお待ちしております。'''
"""

# A phone number in a post's text: the warning preview gives, and what Google's review rejects.
CALL_US_TEMPLATE = """\
topic = "STANDARD"
summary = "Questions about {{ store.title }}? Call us on {{ store.phone }}."
"""


def run_demo(
    say: Callable[[str], None], name: str = DEMO_WORKSPACE, terminal: Terminal | None = None
) -> dict[str, object]:
    started = time.perf_counter()
    settings = config.Settings(backend="sandbox", region="US")
    workspace = config.create_workspace(name, settings, replace=True)
    say(f"[bold]1.[/bold] Created sandbox workspace '{name}' at {workspace.path}")
    session = Session(workspace)
    database, google = session.db, session.google
    try:
        result = stores.sync(database, google.business)
        say(
            f"[bold]2.[/bold] localcx -w {name} locations sync → {result.stores} stores "
            f"from {result.accounts} accounts (Google's paths, paging and quotas, emulated)"
        )
        say(f"[bold]3.[/bold] localcx -w {name} locations list --stores label:flagship")
        rows(
            stores.select_rows(database, "label:flagship"),
            OutputFormat.table,
            columns=["store_code", "title", "city", "primary_phone", "primary_category"],
            terminal=terminal,
        )
        with tempfile.TemporaryDirectory() as tmp:
            export_path = Path(tmp) / "stores.csv"
            exports.export_stores(database, export_path, region=settings.region)
            plan = plan_from_file(database, export_path, region=settings.region)
            say(
                f"[bold]4.[/bold] locations export stores.csv, then profiles plan stores.csv → "
                f"{plural(len(plan.stores), 'change')} (an unedited export round-trips)"
            )
            edited = _edit_saturday(export_path)
            plan = plan_from_file(database, edited, region=settings.region)
            save_plan(database, plan)
            say(
                f"[bold]5.[/bold] Changed Saturday hours in the CSV → plan {plan.id}: "
                f"{plural(len(plan.stores), 'store')}, {plural(plan.change_count, 'field change')}"
            )
            runner = Runner(
                database, google, region=settings.region, options=ApplyOptions(workers=2)
            )
            run = runner.start(plan)
            say(
                f"[bold]6.[/bold] profiles apply --plan {plan.id} --yes → run {run.run_id}: {counts(run.counts)}"
            )
            again = plan_from_file(database, edited, region=settings.region)
            say(f"[bold]7.[/bold] profiles plan again → {plural(len(again.stores), 'change')}")
            reverse, _ = undo_plan(database, run.run_id, region=settings.region)
            undone = runner.start(reverse, kind="undo", undo_of=run.run_id)
            say(f"[bold]8.[/bold] profiles undo {run.run_id} --yes → {counts(undone.counts)}")
        holiday, days = holiday_plan(
            database,
            country="JP",
            year=2027,
            selector="country:JP",
            hours=None,
            region=settings.region,
        )
        save_plan(database, holiday)
        say(
            f"[bold]9.[/bold] profiles holidays --country JP --year 2027 --closed --stores country:JP → {plural(len(days), 'holiday')} "
            f"merged into {plural(len(holiday.stores), 'store')}' special hours (plan {holiday.id}, not applied)"
        )
        items = drift.detect(database, google, region=settings.region, policy=drift.Policy())
        say("[bold]10.[/bold] profiles drift → fields Google shows differently from ours:")
        rows(
            [i.as_dict() for i in items if i.kind == "google"],
            OutputFormat.table,
            columns=["store_code", "field", "ours", "google"],
            terminal=terminal,
            empty="no drift: Google shows what you set",
        )
        session.close()
        _campaign(say, workspace, name, terminal)
        _rank(say, workspace, name, terminal)
        reviews_part(say, workspace, name, terminal)
        replies_part(say, workspace, name, terminal)
        insights_part(say, workspace, name, terminal, step=22)
        report_path = _report(say, workspace, name, step=23)
        calls = calllog.total(session.db)
        seconds = time.perf_counter() - started
        say(
            f"Done in {seconds:.1f}s with {plural(calls, 'API call')}, all offline, paced to Google's quotas.\n"
            f"Go on with: localcx -w {name} locations show TKY-004 · localcx -w {name} profiles history · "
            f"localcx -w {name} profiles drift --policy examples/profiles/drift-policy.toml · "
            f"localcx -w {name} posts list --status published · localcx -w {name} rank history · "
            f"localcx -w {name} reviews replies list --status draft · localcx -w {name} status"
        )
        return {"stores": result.stores, "seconds": seconds, "report": str(report_path)}
    finally:
        session.close()


def _campaign(
    say: Callable[[str], None], workspace: config.Workspace, name: str, terminal: Terminal | None
) -> None:
    """A campaign post to every store, then Google's review of it.

    Google reviews a post within minutes of creating it (the sandbox: 5 minutes), so this
    part runs on a virtual clock that starts 7 minutes ago and is moved on 6 minutes before
    the posts are read back: the review has happened, and every time the sandbox stores
    is in the past, so later commands on the demo workspace see the same states.
    """
    settings = workspace.settings
    clock = FakeClock(time.time() - POSTS_CLOCK_START)
    with Session(workspace, clock=clock) as session, tempfile.TemporaryDirectory() as tmp:
        database, google = session.db, session.google
        template = Path(tmp) / "weekly-special.toml"
        template.write_text(CAMPAIGN_TEMPLATE, encoding="utf-8")
        built = _build(database, template, "all", clock, settings)
        say(
            f"[bold]11.[/bold] posts preview weekly-special.toml --stores all → "
            f"{plural(len(built.posts), 'post')}, {plural(len(built.refused_stores), 'refused store')}, "
            f"{plural(len(built.warnings()), 'warning')}; one per language:"
        )
        samples: dict[str, Rendered] = {}
        for _, rendered in built.posts:
            samples.setdefault(rendered.language, rendered)
        rows(
            [{"store_code": r.store_code, "language": r.language,
              "summary": r.post.get("summary", "").splitlines()[0]} for r in samples.values()],
            OutputFormat.table,
            columns=["store_code", "language", "summary"],
            terminal=terminal,
        )
        call_us = Path(tmp) / "call-us.toml"
        call_us.write_text(CALL_US_TEMPLATE, encoding="utf-8")
        single = _build(database, call_us, "SEA-002", clock, settings)
        say("[bold]12.[/bold] posts preview call-us.toml --stores SEA-002 → a warning, not an error:")
        for warning in single.warnings():
            say(f"  warning: {warning.replace(tmp + '/', '')}")
        added, _ = campaign.queue_campaign(database, built, queue.Via.CRON, clock)
        added_one, _ = campaign.queue_campaign(database, single, queue.Via.CRON, clock)
        say(
            f"[bold]13.[/bold] posts add weekly-special.toml --stores all --at now, and call-us.toml "
            f"for SEA-002 → queued {plural(len(added) + len(added_one), 'post')}"
        )
        results = run_due(database, google, now=iso(clock.now()), clock=clock, workers=1)
        _say_published(say, "14.", results)
        clock.advance(REVIEW_WAIT)
        changes = sync_states(database, google, clock)
        rejected = [c.as_dict() for c in changes if c.after == "REJECTED"]
        say(
            f"[bold]15.[/bold] 6 minutes later (on the demo's virtual clock), posts sync → {plural(len(changes), 'post')} changed state; "
            f"Google's review REJECTED {plural(len(rejected), 'post')} (exit 3 tells cron):"
        )
        rows(
            rejected,
            OutputFormat.table,
            columns=["store_code", "post_id", "before", "after"],
            terminal=terminal,
            empty="none rejected",
        )


def _rank(say: Callable[[str], None], workspace: config.Workspace, name: str, terminal: Terminal | None) -> None:
    """A 7×7 rank scan for one keyword around one store, and its heatmap. Paced to the
    Places quota on a virtual clock that starts now, so it takes no real seconds."""
    clock = FakeClock(time.time())
    with Session(workspace, clock=clock) as session:
        database = session.db
        store = next(s for s in stores.stored_locations(database) if s.key == RANK_STORE)
        keywords.add(database, [(store.location_id, store.key)], [RANK_KEYWORD], grid=7, spacing_m=500.0,
                     schedule=None, starts_at=None, clock=clock)
        tracked = keywords.list_keywords(database, keys=[RANK_STORE], words=[RANK_KEYWORD])
        scanned = runner.start(database, session.google, tracked, clock=clock, region=workspace.settings.region, budget=None)
        scan = scanned.scans[0]
        answered = [p for p in points(database, scan.id) if p.place_ids is not None]
        store_metrics = scan_metrics([p.place_ids or [] for p in answered], scan.place_id or "", scan.depth).store
        say(
            f"[bold]16.[/bold] rank keywords add {RANK_KEYWORD} --stores {RANK_STORE} --grid 7 --spacing 500m, "
            f"then rank scan → {plural(len(answered), 'point')}, one IDs-only search each "
            f"(free SKU), names for {plural(scanned.competitor_calls, 'competitor')} fetched once:"
        )
        if terminal is not None:
            caption = f"{RANK_STORE} · “{RANK_KEYWORD}” · 7×7 · 500 m apart"
            print_heatmap(terminal, {p.index: p.position for p in answered}, 7, caption=caption)
        say(
            f"  ARP {_figure(store_metrics.arp)} · ATRP {_figure(store_metrics.atrp)} · "
            f"SoLV {store_metrics.solv or 0:.0%} of points in the top three (see: localcx -w {name} rank show {scan.id})"
        )


def _report(say: Callable[[str], None], workspace: config.Workspace, name: str, step: int) -> Path:
    """The client report of everything the tour did, beside the demo's database."""
    path = workspace.path / "demo-report.html"
    with Session(workspace) as session:
        now = Clock().utcnow()
        selection = selection_of(session.db, "all")
        period = default_period(now.date())
        size = write_report(path, build_report(session.db, selection, period, lang="en", now=now))
    say(f"[bold]{step}.[/bold] localcx -w {name} report build --out demo-report.html → {size / 1024:,.0f} KB, one self-contained file:")
    say(f"  {path}")
    return path


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _build(
    database: sqlite_utils.Database, template: Path, selection: str, clock: FakeClock, settings: config.Settings
) -> campaign.Campaign:
    """`posts preview TEMPLATE --stores SELECTION --at now`, as the command builds it."""
    now = clock.utcnow()
    return campaign.build(
        database,
        template,
        selection,
        lambda zone: [schedule.parse_when("now", zone=zone, now=now)],
        region=settings.region,
        timezone=settings.timezone,
    )


def _say_published(say: Callable[[str], None], step: str, results: list[RunResult]) -> None:
    total: dict[str, int] = {}
    for result in results:
        for key, value in result.counts.items():
            total[key] = total.get(key, 0) + value
    say(f"[bold]{step}[/bold] posts run-due → {counts(total)}")
    failed: dict[str, list[str]] = {}
    for item in (i for r in results for i in r.items if i.status is ItemStatus.FAILED):
        failed.setdefault(item.error or "no reason given", []).append(item.label)
    for error, labels in failed.items():
        why = " (Google takes posts only from verified stores)" if "FAILED_PRECONDITION" in error else ""
        say(f"  {', '.join(sorted(labels))}: {error}{why}")


def set_day(hours: str, day: str, ranges: str) -> str:
    """Canonical hours with one day's ranges replaced (a later `closed` clears the day)."""
    without = parse_regular_hours(f"{hours}; {day} closed" if hours else "")
    return parse_regular_hours(f"{without}; {day} {ranges}" if without else f"{day} {ranges}")


def _edit_saturday(path: Path) -> Path:
    """The CSV with every store's Saturday hours set to 10:00-16:00."""
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        table = list(csv.DictReader(fh))
    fieldnames = list(table[0].keys())
    for row in table:
        row["regular_hours"] = set_day(row["regular_hours"], "Sat", "10:00-16:00")
    out = path.with_name("stores-edited.csv")
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(table)
    return out
