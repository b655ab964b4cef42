"""Writing reply drafts: one per review, in the review's language, from Jinja2 templates.

A draft answers the review it replies to: it greets the reviewer by name (Japanese: 〜様)
unless they are anonymous, says one sentence per aspect the review mentions (thanks for
what they liked, an apology for what went wrong), and for a 1–2 star or negative review
apologises and offers a concrete next step. It never quotes the review (so never echoes
a phone number or an email the reviewer wrote) and it is signed per store.

Openings are what makes replies read as templated, so they are chosen, not hoped for:
each language and rating band has a bank of openings (every lead × every body), a review
starts at a place in that bank fixed by its id, and an opening already used by one of the
store's 20 newest drafts is passed over. The rendered first sentence is what is compared,
so a user's own template is held to the same rule.

Templates (`{lang}-{band}.j2`) and phrases (`phrases.toml`) come from the package, file
by file replaced by those in the folder `[replies] templates` names. They render in
Jinja2's sandbox with StrictUndefined: a misspelt variable is an error, not a blank.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import jinja2
import sqlite_utils
from jinja2.sandbox import SandboxedEnvironment

from localcx import stores
from localcx.clock import Clock, iso
from localcx.errors import LocalcxError
from localcx.reviews import replies
from localcx.reviews import store as review_store
from localcx.reviews.writer import WriterError, describe, run_writer
from localcx.settings import ReplySettings
from localcx.text.reply_lint import has_errors, opening_key

LANGUAGES = ("en", "ja")
DEFAULT_TEMPLATES = Path(__file__).with_name("templates")
NEGATIVE_POLARITY = -0.05  # an aspect mentioned below this gets an apology, not thanks

Progress = Callable[[int], None]


class Band(StrEnum):
    POSITIVE = "positive"  # 4-5 stars
    MIXED = "mixed"  # 3 stars
    NEGATIVE = "negative"  # 1-2 stars, or 3 stars that read negative


def band_of(stars: int | None, label: str | None) -> Band:
    if stars is not None and stars <= 2:
        return Band.NEGATIVE
    if stars == 3:
        return Band.NEGATIVE if label == "negative" else Band.MIXED
    if stars is None and label == "negative":
        return Band.NEGATIVE
    return Band.POSITIVE


def reply_language(review_lang: str | None, store_lang: str | None) -> str:
    """The review's language when there are templates for it, else the store's, else English."""
    for candidate in (review_lang, (store_lang or "")[:2].lower()):
        if candidate in LANGUAGES:
            return str(candidate)
    return "en"


def greeting_name(review: dict[str, Any], lang: str) -> str | None:
    """How the reply names the reviewer: Japanese adds 様 (after any さん they wrote)."""
    name = review.get("reviewer")
    if review.get("anonymous") or not name or not str(name).strip():
        return None
    plain = replies.honourless(str(name))
    return f"{plain}様" if lang == "ja" else plain


@dataclass(frozen=True)
class StoreInfo:
    location_id: str
    code: str
    title: str
    lang: str | None


def store_infos(db: sqlite_utils.Database) -> dict[str, StoreInfo]:
    return {
        s.location_id: StoreInfo(s.location_id, s.key, s.title, s.raw.get("languageCode"))
        for s in stores.stored_locations(db)
    }


def signature_for(settings: ReplySettings, phrases: dict[str, Any], store: StoreInfo, lang: str) -> str:
    text = settings.signatures.get(store.code) or settings.signature or phrases[lang]["signature"]
    return str(text).replace("{store}", store.title or store.code)


class Templates:
    """The templates and phrases in force: the user's folder first, then the package's."""

    def __init__(self, folder: str = ""):
        searchpath = [str(Path(folder).expanduser())] if folder else []
        self.folder = Path(folder).expanduser() if folder else None
        if self.folder is not None and not self.folder.is_dir():
            raise LocalcxError(
                f"reply templates folder {self.folder} does not exist",
                hint="fix [replies] templates in settings.toml (see examples/replies/)",
            )
        self.env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader([*searchpath, str(DEFAULT_TEMPLATES)]),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            lstrip_blocks=True,
        )
        self.env.filters["lower_first"] = lambda s: s[:1].lower() + s[1:] if s else s
        self.phrases = self._phrases()

    def _phrases(self) -> dict[str, Any]:
        path = DEFAULT_TEMPLATES / "phrases.toml"
        if self.folder is not None and (self.folder / "phrases.toml").is_file():
            path = self.folder / "phrases.toml"
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise LocalcxError(f"{path}: cannot read the reply phrases ({exc})", hint="compare it with examples/replies/phrases.toml") from exc

    def render(self, lang: str, band: Band, context: dict[str, Any]) -> str:
        name = f"{lang}-{band.value}.j2"
        try:
            text = self.env.get_template(name).render(**context)
        except jinja2.TemplateError as exc:
            raise LocalcxError(f"reply template {name}: {exc}", hint="check the template against examples/replies/") from exc
        return tidy(text)

    def openings(self, lang: str, band: Band) -> list[str]:
        table = self.phrases[lang]
        pattern = str(table.get("opening", "{lead} {body}"))
        bank = table[band.value]
        return [pattern.format(lead=lead, body=body) for lead in bank["lead"] for body in bank["body"]]


def tidy(text: str) -> str:
    """Trailing spaces gone, at most one blank line in a row, no blank line at either end."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _pick(seed: str, options: list[str]) -> str:
    return options[int(hashlib.sha1(seed.encode("utf-8")).hexdigest(), 16) % len(options)]


def _rotation(seed: str, count: int) -> Iterator[int]:
    start = int(hashlib.sha1(seed.encode("utf-8")).hexdigest(), 16) % count
    return ((start + i) % count for i in range(count))


def aspect_sentences(phrases: dict[str, Any], lang: str, mentioned: list[dict[str, Any]]) -> list[str]:
    """One sentence per aspect, in the order the review raised them; an aspect mentioned
    twice is answered by its worst mention."""
    worst: dict[str, float] = {}
    for mention in mentioned:
        aspect = str(mention["aspect"])
        worst[aspect] = min(worst.get(aspect, 1.0), float(mention["polarity"] or 0.0))
    table = phrases[lang].get("aspects", {})
    return [
        table[aspect][1 if polarity < NEGATIVE_POLARITY else 0]
        for aspect, polarity in worst.items()
        if aspect in table
    ]


@dataclass
class Composed:
    text: str
    lang: str
    opening: str  # the opening key the draft was checked by


class Composer:
    def __init__(self, templates: Templates, settings: ReplySettings):
        self.templates = templates
        self.settings = settings

    def compose(
        self, review: dict[str, Any], mentioned: list[dict[str, Any]], store: StoreInfo, recent: set[str]
    ) -> Composed:
        """The reply to one review, with the first opening of its bank (from the review's
        own starting place) whose rendered first sentence no recent draft used."""
        lang = reply_language(review.get("lang"), store.lang)
        band = band_of(review.get("stars"), review.get("label"))
        phrases = self.templates.phrases
        table = phrases[lang][band.value]
        seed = str(review["review_id"])
        context: dict[str, Any] = {
            "name": greeting_name(review, lang),
            "aspects": aspect_sentences(phrases, lang, mentioned),
            "closing": _pick(seed + ":closing", list(table["closing"])),
            "next_step": _pick(seed + ":next", list(table["next_step"])) if "next_step" in table
            else str(phrases[lang].get("next_step_mixed", "")),
            "signature": signature_for(self.settings, phrases, store, lang),
            "store": store.title or store.code,
            "stars": review.get("stars"),
            "band": band.value,
            "lang": lang,
        }
        names = replies.names_of(review)
        openings = self.templates.openings(lang, band)
        first: Composed | None = None
        for index in _rotation(seed, len(openings)):
            text = self.templates.render(lang, band, {**context, "opening": openings[index]})
            key = opening_key(text, names)
            composed = Composed(text, lang, key)
            if key not in recent:
                return composed
            first = first or composed
        assert first is not None  # every opening is taken: lint will say so
        return first


@dataclass
class DraftReport:
    drafted: int = 0
    with_errors: int = 0
    skipped_replied: int = 0  # an owner reply is on Google (use --overwrite)
    skipped_drafted: int = 0  # a draft exists (use --redraft)
    writer_failures: list[str] = field(default_factory=list)  # "STORE review ID…: why"
    ids: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "drafted": self.drafted, "with_errors": self.with_errors,
            "skipped_replied": self.skipped_replied, "skipped_drafted": self.skipped_drafted,
            "writer_failures": self.writer_failures,
        }


REDRAFTABLE = (replies.DraftStatus.DRAFT, replies.DraftStatus.APPROVED, replies.DraftStatus.DECLINED,
               replies.DraftStatus.FAILED, replies.DraftStatus.DELETED)


@dataclass
class DraftOptions:
    writer: str | None = None  # a command that writes the draft (JSON on stdin, text on stdout)
    writer_timeout: float = 60.0
    overwrite: bool = False  # draft even when an owner reply is on Google
    redraft: bool = False  # replace drafts not on Google


def draft_replies(
    db: sqlite_utils.Database,
    clock: Clock,
    where: review_store.ReviewFilter,
    settings: ReplySettings,
    options: DraftOptions,
    *,
    progress: Progress | None = None,
) -> DraftReport:
    """A draft for every selected review that needs one; lint on each."""
    advance = progress or (lambda n: None)
    composer = Composer(Templates(settings.templates), settings)
    infos = store_infos(db)
    existing = replies.drafted_reviews(db)
    recent: dict[str, list[str]] = {}
    report = DraftReport()
    for review in list(review_store.select(db, where)):
        advance(1)
        status = existing.get(review["review_id"])
        if status is not None and not (options.redraft and status in REDRAFTABLE):
            report.skipped_drafted += 1
            continue
        if review.get("reply_comment") is not None and not options.overwrite:
            report.skipped_replied += 1
            continue
        store = infos.get(review["location_id"]) or StoreInfo(review["location_id"], review.get("store_code") or "", "", None)
        if store.location_id not in recent:  # a redrafted review becomes its store's newest
            recent[store.location_id] = replies.recent_openings(db, store.location_id)
        window = set(recent[store.location_id][: replies.RECENT])
        mentioned = review_store.aspects_of(db, review["review_id"])
        if options.writer:
            lang = reply_language(review.get("lang"), store.lang)
            try:
                text = run_writer(options.writer, describe(review, mentioned, store.code, store.title, lang), options.writer_timeout)
            except WriterError as exc:
                report.writer_failures.append(f"{store.code} review {review['review_id'][:12]}…: {exc.message}")
                continue
            source = "writer"
        else:
            composed = composer.compose(review, mentioned, store, window)
            text, lang, source = composed.text, composed.lang, "template"
        opening, problems = replies.lint_text(db, review, text, lang, store_title=store.title)
        draft = replies.save(db, review, text=text, lang=lang, opening=opening, source=source, problems=problems, now=iso(clock.now()))
        recent[store.location_id].insert(0, opening)
        report.drafted += 1
        report.with_errors += int(has_errors(problems))
        report.ids.append(draft.id)
    return report
