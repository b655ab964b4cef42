"""`report build` on a workspace the real CLI filled (`localcx demo`: profiles applied and
undone, drift, a campaign with a rejected post, a rank scan): one self-contained HTML
file, every section present, and the numbers it prints are the database's own.

The demo runs once for the module (about 15 s, paced on the real clock); tests that
change data work on a copy of its workspace."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Cli
from typer.testing import CliRunner

from localcx.report.build import SECTIONS
from localcx.report.labels import EN, JA

SECTION_KEYS = ["summary", *(s.KEY for s in SECTIONS), "stores"]
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class ReportParser(HTMLParser):
    """Reads what a test needs from the report: every URL-bearing attribute, the style
    sheets, the text of each section, and the values marked with data-* attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.styles: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.absent: set[str] = set()
        self.section_tags: dict[str, list[str]] = {}
        self.values: dict[str, list[str]] = {}
        self._section: str | None = None
        self._capture: str | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if self._section:
            self.section_tags.setdefault(self._section, []).append(tag)
        found = dict(attrs)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data", "xlink:href") and value is not None:
                self.urls.append(value)
            if name == "style" and value:
                self.styles.append(value)
        if tag == "section" and found.get("data-section"):
            self._section = found["data-section"]
            self.text.setdefault(self._section or "", [])
        if found.get("data-absent") and self._section:
            self.absent.add(self._section)
        for marker in ("data-kpi-value", "data-metric", "data-count"):
            if found.get(marker):
                self._capture = f"{self._section}:{found[marker]}"
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = None
        if tag == "span":
            self._capture = None
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        if self._section:
            self.text[self._section].append(data)
        if self._capture:
            self.values.setdefault(self._capture, []).append(data.strip())

    def section_text(self, key: str) -> str:
        return " ".join(self.text.get(key, []))

    def value(self, where: str) -> str:
        return self.values[where][0]


def parse(text: str) -> ReportParser:
    parser = ReportParser()
    parser.feed(text)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("report-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOCALCX_HOME", str(home))
        for name in ("LOCALCX_WORKSPACE", "LOCALCX_GOOGLE_ENDPOINT", "LOCALCX_GOOGLE_TOKEN", "NO_COLOR"):
            patch.delenv(name, raising=False)
        result = Cli(home, CliRunner())("demo")
        assert result.exit_code == 0, result.stderr
        (home / "demo-output.txt").write_text(result.stdout + result.stderr, encoding="utf-8")
        yield home


@pytest.fixture
def demo(demo_home: Path) -> Cli:
    return Cli(demo_home, CliRunner())


def _db(home: Path, workspace: str = "demo") -> sqlite3.Connection:
    return sqlite3.connect(home / "workspaces" / workspace / "localcx.db")


def _count(home: Path, sql: str, workspace: str = "demo") -> int:
    with _db(home, workspace) as conn:
        return int(conn.execute(sql).fetchone()[0])


def _has_rows(home: Path, table: str) -> bool:
    with _db(home) as conn:
        if not conn.execute("select 1 from sqlite_master where name = ?", [table]).fetchone():
            return False
        return bool(conn.execute(f"select count(*) from {table}").fetchone()[0])


def _build(cli: Cli, out: Path, *args: str, workspace: str = "demo") -> ReportParser:
    result = cli("-w", workspace, "report", "build", "--out", str(out), *args)
    assert result.exit_code == 0, result.stderr
    assert f"Wrote {out}" in result.stderr
    return parse(out.read_text(encoding="utf-8"))


def test_the_demo_report_is_one_self_contained_file(demo: Cli, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    report = _build(demo, out, "--lang", "en")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"], "one file, nothing beside it"
    assert report.urls and all(url.startswith("#") for url in report.urls), report.urls
    assert not {"script", "link", "iframe", "img", "object", "embed"} & set(report.tags)
    css = " ".join(report.styles)
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    assert "@page" in css and "@media print" in css and "Noto Sans JP" in css
    text = out.read_text(encoding="utf-8")
    assert '<meta name="viewport"' in text
    # URLs may appear as text (a drifted website field) but never where a browser fetches.
    assert not re.search(r"""\b(?:src|href|srcset|action)\s*=\s*(?!["']?#)""", text)
    assert list(report.text) == SECTION_KEYS


def test_the_demo_ends_by_writing_its_report_and_printing_the_path(demo_home: Path) -> None:
    path = demo_home / "workspaces" / "demo" / "demo-report.html"
    shown = (demo_home / "demo-output.txt").read_text(encoding="utf-8")
    assert "report build --out demo-report.html" in shown
    assert str(path) in shown.replace("\n", "")
    assert list(parse(path.read_text(encoding="utf-8")).text) == SECTION_KEYS


def test_every_section_prints_the_databases_numbers(demo: Cli, demo_home: Path, tmp_path: Path) -> None:
    report = _build(demo, tmp_path / "report.html")
    stores = _count(demo_home, "select count(*) from locations")
    assert report.value("summary:stores") == str(stores)
    # Rank: the ARP and SoLV printed are those `rank show` computes for the scan.
    scans = demo.json("-w", "demo", "rank", "history")
    assert len(scans) == 1
    shown = demo.json("-w", "demo", "rank", "show", scans[0]["id"])["metrics"]
    assert report.value("summary:last_arp") == f"{shown['arp']:.2f}"
    assert report.value("rank:arp") == f"{shown['arp']:.2f}"
    assert report.value("summary:last_solv") == report.value("rank:solv") == f"{shown['solv'] * 100:.0f}%"
    assert f"{shown['atrp']:.2f}" in report.section_text("rank")
    # Posts: rejected and published as the posts table has them.
    rejected = _count(demo_home, "select count(*) from posts where status = 'published' and google_state = 'REJECTED'")
    published = _count(demo_home, "select count(*) from posts where status = 'published'")
    assert rejected >= 1
    assert report.value("summary:posts_rejected") == report.value("posts:rejected") == str(rejected)
    assert report.value("summary:posts_published") == str(published)
    with _db(demo_home) as conn:
        rejected_codes = {r[0] for r in conn.execute("select store_code from posts where google_state = 'REJECTED'")}
    assert all(code in report.section_text("posts") for code in rejected_codes)
    # Profiles: the runs of the journal and the open drift.
    runs = _count(demo_home, "select count(*) from runs where area = 'profiles'")
    drift = _count(demo_home, "select count(*) from drift_events where resolved_at is null")
    assert runs >= 2 and drift >= 1
    assert report.value("profiles:runs") == str(runs)
    assert report.value("profiles:drift") == report.value("summary:open_drift") == str(drift)
    with _db(demo_home) as conn:
        fields = {r[0] for r in conn.execute("select field from drift_events where resolved_at is null")}
    assert all(field in report.section_text("profiles") for field in fields)
    # Reviews: written in the period, the unreplied 1–2★ backlog, and Google's rating.
    today = date.today()
    period = ((today - timedelta(days=300)).isoformat(), (today - timedelta(days=1)).isoformat())
    dated = _build(demo, tmp_path / "dated.html", "--since", period[0], "--until", period[1])
    written = _count(demo_home, "select count(*) from reviews where removed_at is null and created_at >= "
                     f"'{period[0]}T00:00:00' and created_at < '{today.isoformat()}T00:00:00'")
    assert written > 100
    assert dated.value("summary:reviews_in_period") == f"{written:,}"
    unreplied = _count(demo_home, "select count(*) from reviews where removed_at is null and stars <= 2 "
                       "and reply_comment is null")
    assert dated.value("summary:unreplied_negative") == dated.value("unreplied:unreplied") == f"{unreplied:,}"
    with _db(demo_home) as conn:
        shown_aspects = {r[0] for r in conn.execute(
            "select a.aspect from review_aspects a join reviews r on r.review_id = a.review_id "
            f"where r.created_at >= '{period[0]}T00:00:00' and r.created_at < '{today.isoformat()}T00:00:00'")}
        calls = conn.execute("select sum(value) from insights_daily where metric = 'CALL_CLICKS' "
                             f"and day >= '{period[0]}' and day <= '{period[1]}'").fetchone()[0]
    assert shown_aspects and "aspects" not in dated.absent
    # Insights: the calls in the period, summed over every store and day.
    assert calls and dated.value("summary:calls") == f"{calls:,}"
    # The store summary lists every store.
    with _db(demo_home) as conn:
        codes = [r[0] for r in conn.execute("select store_code from locations")]
    assert all(code in report.section_text("stores") for code in codes)


def test_sections_without_data_say_so_instead_of_drawing_empty_charts(demo: Cli, demo_home: Path, tmp_path: Path) -> None:
    report = _build(demo, tmp_path / "report.html")
    tables = {"reviews": "reviews", "aspects": "review_aspects", "unreplied": "reviews", "insights": "insights_daily"}
    for section, table in tables.items():
        if not _has_rows(demo_home, table):  # the demo fills these once their areas land
            assert section in report.absent, section
            assert EN["absent"] in report.section_text(section)
            assert "svg" not in report.section_tags.get(section, []), section  # no empty chart
    assert not {"rank", "posts", "profiles", "stores"} & report.absent


def test_a_period_before_any_data_leaves_only_the_store_summary(demo: Cli, tmp_path: Path) -> None:
    out = tmp_path / "old.html"
    report = _build(demo, out, "--since", "2020-01-01", "--until", "2020-12-31")
    # Open drift is open now, whatever the period, so the profiles section still has it.
    assert report.absent == {"reviews", "aspects", "unreplied", "rank", "insights", "posts"}
    assert report.value("profiles:runs") == "0"
    assert "2020-01-01 – 2020-12-31" in out.read_text(encoding="utf-8")


def test_japanese_labels_switch_every_heading(demo: Cli, tmp_path: Path) -> None:
    out = tmp_path / "ja.html"
    report = _build(demo, out, "--lang", "ja")
    text = out.read_text(encoding="utf-8")
    assert '<html lang="ja">' in text
    for key in ("summary", "rank", "posts", "profiles", "store_summary", "reviews", "insights"):
        assert f">{JA[key]}</h2>" in text, key
        assert f">{EN[key]}</h2>" not in text, key
    assert JA["absent"] in text or not report.absent
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", report.section_text("rank"))


def test_hostile_names_are_escaped(demo: Cli, demo_home: Path, tmp_path: Path) -> None:
    source, target = demo_home / "workspaces" / "demo", demo_home / "workspaces" / "hostile"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    with _db(demo_home, "hostile") as conn:
        conn.execute("update locations set title = ? where store_code = 'TKY-001'", [HOSTILE])
        conn.execute("update rank_scans set keyword = ?", [HOSTILE])
        conn.execute("update drift_events set google = ?", [HOSTILE])
        body = json.dumps({"summary": HOSTILE, "topicType": "STANDARD"})
        conn.execute("update posts set body = ? where google_state = 'REJECTED'", [body])
    out = tmp_path / "hostile.html"
    report = _build(demo, out, workspace="hostile")
    text = out.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "onerror=alert" not in text.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;" in text
    assert "script" not in report.tags and "img" not in report.tags
    for section in ("rank", "profiles", "posts", "stores"):
        assert HOSTILE in report.section_text(section), section  # shown as text, not run


def test_refuses_to_overwrite_without_force_and_writes_stdout_for_dash(demo: Cli, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("keep me", encoding="utf-8")
    refused = demo("-w", "demo", "report", "build", "--out", str(out))
    assert refused.exit_code == 1
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    forced = demo("-w", "demo", "report", "build", "--out", str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    piped = demo("-w", "demo", "report", "build", "--out", "-")
    assert piped.exit_code == 0, piped.stderr
    assert piped.stdout.startswith("<!DOCTYPE html>") and piped.stdout.rstrip().endswith("</html>")
    assert list(parse(piped.stdout).text) == SECTION_KEYS


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-13-01"], "--since '2026-13-01' is not a date"),
        (["--since", "2026-06-01", "--until", "2026-01-01"], "is after --until"),
        (["--lang", "fr"], "no report language 'fr'"),
        (["--stores", "NOPE-1"], "NOPE-1"),
    ],
)
def test_bad_options_are_refused_by_name(demo: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    result = demo("-w", "demo", "report", "build", "--out", str(tmp_path / "r.html"), *args)
    assert result.exit_code in (1, 2), result.stderr
    assert message in result.stderr
    assert not (tmp_path / "r.html").exists()
