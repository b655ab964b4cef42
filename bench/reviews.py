"""How fast do reviews come in, what do they cost, and how fast are they scored?

Runs the in-process sandbox on a virtual clock (quota waits take no wall time, so the ingest
rate excludes them, as the figure is defined). Figures:
- ingest rows/s: ~100k reviews from the sandbox into SQLite by a first `reviews sync`
  (Google's JSON over the WSGI transport, the split of translations, language detection,
  upserts and the trigram index; scoring is measured apart);
- requests per new review, and requests per store of a second sync with nothing new;
- scoring rows/s for English and Japanese review texts on one core (sentiment, and sentiment
  with aspects as a sync does it);
- peak RSS of a sync of ~10k and of ~100k reviews, each in a fresh process (flat: ≤ 1.2);
- macro-F1 of the scorer on the team's dev sets (tests/data/sentiment_*.tsv).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from localcx import config, stores  # noqa: E402
from localcx.clock import FakeClock  # noqa: E402
from localcx.reviews import scores, store  # noqa: E402
from localcx.reviews.sync import sync  # noqa: E402
from localcx.sandbox.state import SandboxState  # noqa: E402
from localcx.session import Session  # noqa: E402
from localcx.text import sentiment  # noqa: E402

WORLD_STORES = 500  # the sandbox city: 467 verified stores,
PER_STORE = 230  # about 230 reviews each: 101,761 reviews at the virtual clock's start


def _ingest(target: int) -> dict[str, float]:
    """One first sync of about `target` reviews in a fresh workspace; its figures."""
    os.environ["LOCALCX_HOME"] = tempfile.mkdtemp(prefix="localcx-bench-reviews-")
    ws = config.create_workspace("bench-reviews", config.Settings(backend="sandbox"), replace=True)
    SandboxState.open(ws.sandbox_path, seed=7, stores=WORLD_STORES, reviews_per_store=PER_STORE).close()
    clock = FakeClock()
    with Session(ws, clock=clock) as session:
        stores.sync(session.db, session.google.business, clock=clock)
        everything = stores.stored_locations(session.db)
        verified = [s for s in everything if stores.has_voice_of_merchant(s.raw)]
        share = min(1.0, target / (len(verified) * PER_STORE * 0.95))
        chosen = verified[: max(1, round(len(verified) * share))]
        wall = time.perf_counter()
        first = sync(session.db, session.google, chosen, clock=clock)
        wall = time.perf_counter() - wall
        clock.advance(3600)
        second = sync(session.db, session.google, chosen, clock=clock)
        score_wall = time.perf_counter()
        scored = scores.score_all(session.db, clock)
        score_wall = time.perf_counter() - score_wall
        stored = store.count(session.db)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "stores": len(chosen), "reviews": stored, "new": first.new, "wall": wall,
        "requests": first.requests, "second_requests": second.requests, "second_new": second.new,
        "failures": len(first.failures), "scored": scored, "score_wall": score_wall, "rss_mib": peak,
    }


def _child(target: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--ingest", str(target)], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _texts(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((label.strip(), text.strip()))
    return rows


def _rate(texts: list[str], lang: str, fn: object) -> float:
    call = fn  # type: ignore[assignment]
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < 2.0:
        for text in texts:
            call(text, lang)  # type: ignore[operator]
        done += len(texts)
    return done / (time.perf_counter() - start)


def _macro_f1(pairs: list[tuple[str, str]]) -> float:
    labels = ("positive", "neutral", "negative")
    f1s = []
    for label in labels:
        tp = sum(1 for gold, got in pairs if gold == label and got == label)
        fp = sum(1 for gold, got in pairs if gold != label and got == label)
        fn = sum(1 for gold, got in pairs if gold == label and got != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(f1s) / len(f1s)


def _generation() -> tuple[int, float]:
    """How fast the sandbox makes up reviews (its share of the ingest figure)."""
    from localcx.sandbox import world_reviews
    from localcx.sandbox.world import build_world

    world = build_world(7, WORLD_STORES)
    started = time.perf_counter()
    total = sum(world_reviews.view(world_reviews.profile_of(7, loc, PER_STORE), FakeClock().now()).total
                for loc in world.locations)
    return total, time.perf_counter() - started


def main() -> None:
    generated, generation_s = _generation()
    big = _child(100_000)
    small = _child(10_000)
    print(f"reviews sync: {big['reviews']:,} reviews from {big['stores']} sandbox stores (in-process, virtual clock)")
    print(f"  ingest rows/s              {big['new'] / big['wall']:,.0f} (target >= 20,000; quota waits excluded)")
    print(f"  sandbox generation         {generated / generation_s:,.0f} reviews/s ({generated:,} in {generation_s:.2f} s; part of the ingest)")
    print(f"  requests per new review    {big['requests'] / max(big['new'], 1):.3f} ({big['requests']:,} requests, 50 a page)")
    print(f"  second sync, nothing new   {big['second_requests']} requests for {big['stores']} stores "
          f"= {big['second_requests'] / big['stores']:.3f} per store ({big['second_new']} new)")
    print(f"  scoring after sync         {big['scored'] / big['score_wall']:,.0f} reviews/s (sentiment + aspects + writes)")
    print(f"  peak RSS                   {small['rss_mib']:.0f} MiB at {small['reviews']:,} reviews, "
          f"{big['rss_mib']:.0f} MiB at {big['reviews']:,} (ratio {big['rss_mib'] / small['rss_mib']:.2f}, target <= 1.2)")
    data = ROOT / "tests" / "data"
    for lang in ("en", "ja"):
        rows = _texts(data / f"sentiment_{lang}.tsv")
        texts = [t for _, t in rows]
        f1 = _macro_f1([(gold, sentiment.score(text, lang).label.value) for gold, text in rows])
        plain = _rate(texts, lang, lambda t, lg: sentiment.score(t, lg))
        full = _rate(texts, lang, lambda t, lg: scores.analyse("x", t, None, lg, None))
        target = 5000 if lang == "en" else 500
        print(f"  {lang} scoring               {plain:,.0f} texts/s (target >= {target:,}); with aspects {full:,.0f}/s")
        print(f"  {lang} dev-set macro-F1      {f1:.3f} on {len(rows)} texts (bench/sentiment.py compares TextBlob and VADER)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--ingest":
        print(json.dumps(_ingest(int(sys.argv[2]))))
    else:
        main()
