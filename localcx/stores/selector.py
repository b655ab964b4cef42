"""The one store selector grammar, for every `--stores` option and TOML `[[rule]]`.

    all | CODE | label:NAME | country:CC | city:NAME | file:PATH      joined by commas (a union)

Codes, labels and cities match case-insensitively. `file:PATH` holds one code per line
(`#` comments allowed) or a CSV with a `store_code` column. A term that names nothing is
an error, never "every store": `--stores "label:$LABEL"` with an empty variable must not
select a whole chain. A term that matches no store is reported with the closest names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from localcx.errors import LocalcxError, NotFoundError, UsageError
from localcx.suggest import closest, did_you_mean

KINDS = ("label", "country", "city", "file")
GRAMMAR = "all, store codes, label:NAME, country:CC, city:NAME or file:PATH, joined by commas"
MAX_FILE_BYTES = 10_000_000
_PLURALS = {"label": "labels", "country": "countries", "city": "cities"}
_EXAMPLES = {"label": "flagship", "country": "JP", "city": "tokyo", "file": "stores.txt"}


@dataclass(frozen=True)
class StoreFacts:
    """What selectors look at: the store's key (code, or `locations/ID`), labels, place."""

    key: str
    location_id: str
    labels: tuple[str, ...] = ()
    country: str = ""
    city: str = ""


@dataclass(frozen=True)
class Term:
    kind: str  # "all", "code", or one of KINDS ("file" terms are read into codes)
    value: str
    text: str  # as the user wrote it, for messages


def _read_codes(path: Path) -> list[str]:
    """Codes from a list file or a CSV with a store_code column (as `locations export` writes)."""
    try:
        data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    except IsADirectoryError:
        raise LocalcxError(f"file:{path}: is a directory, not a list of store codes") from None
    except FileNotFoundError:
        raise NotFoundError(f"file:{path}: no such file") from None
    except OSError as exc:
        raise LocalcxError(f"file:{path}: cannot read it ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES or b"\x00" in data:
        raise LocalcxError(
            f"file:{path}: not a text list of store codes",
            hint="one store code per line, or a CSV with a store_code column",
        )
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise LocalcxError(f"file:{path}: neither UTF-8 nor CP932 text")
    lines = text.splitlines()
    header = [cell.strip().lower() for cell in next(csv.reader(lines[:1]), [])]
    if "store_code" in header:
        column = header.index("store_code")
        rows = csv.reader(io.StringIO(text))
        next(rows)
        return [row[column].strip() for row in rows if len(row) > column and row[column].strip()]
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def parse(selector: str | Iterable[str], *, base: Path | None = None) -> list[Term]:
    """Terms of a selector (a string, or a TOML list of strings); UsageError if malformed."""
    parts = [selector] if isinstance(selector, str) else list(selector)
    terms: list[Term] = []
    for part in parts:
        if not isinstance(part, str):
            raise UsageError("a store selector must be text", hint=f"use {GRAMMAR}")
        for raw in part.split(","):
            text = raw.strip()
            if not text:
                continue
            terms.extend(_term(text, base))
    if not terms:
        shown = selector if isinstance(selector, str) else ", ".join(map(str, parts))
        raise UsageError(f"the store selection {shown!r} names no stores", hint=f"use {GRAMMAR}")
    return terms


def _term(text: str, base: Path | None) -> list[Term]:
    if text.lower() == "all":
        return [Term("all", "", text)]
    kind, colon, value = text.partition(":")
    kind = kind.strip().lower()
    if not colon:
        return [Term("code", text, text)]
    if kind not in KINDS:
        raise UsageError(
            f"unknown store selector {text!r}{did_you_mean(kind, KINDS)}", hint=f"use {GRAMMAR}"
        )
    value = value.strip()
    if not value:
        raise UsageError(
            f"the selector {text!r} has an empty {kind}",
            hint=f"give one, e.g. {kind}:{_EXAMPLES[kind]}",
        )
    if kind == "file":
        path = Path(value).expanduser()
        if base is not None and not path.is_absolute():
            path = base / path
        return [Term("code", code, f"{code} (from {text})") for code in _read_codes(path)]
    return [Term(kind, value, text)]


def _matches(term: Term, store: StoreFacts) -> bool:
    value = term.value.casefold()
    if term.kind == "all":
        return True
    if term.kind == "code":
        ident = value.removeprefix("locations/")
        return store.key.casefold() == value or store.location_id == ident
    if term.kind == "label":
        return any(label.casefold() == value for label in store.labels)
    if term.kind == "country":
        return store.country.casefold() == value
    return store.city.casefold() == value


def _no_match(term: Term, stores: Sequence[StoreFacts]) -> str:
    if term.kind == "code":
        return f"no store {term.value!r}{did_you_mean(term.value, [s.key for s in stores])}"
    known = {
        "label": [label for s in stores for label in s.labels],
        "country": [s.country for s in stores if s.country],
        "city": [s.city for s in stores if s.city],
    }[term.kind]
    what = {"label": "has the label", "country": "is in the country", "city": "is in the city"}
    message = f"no store {what[term.kind]} {term.value!r}"
    close = closest(term.value, known)
    if close:
        return message + "; did you mean " + " or ".join(f'"{c}"' for c in close) + "?"
    names = sorted(set(known), key=str.casefold)
    if names:
        shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
        return f"{message}; {_PLURALS[term.kind]} in use: {shown}"
    return f"{message}; no store has any {term.kind} yet"


def resolve(terms: Sequence[Term], stores: Sequence[StoreFacts]) -> tuple[list[str], list[str]]:
    """Store keys in the stores' order (each once), and one problem per term matching none."""
    chosen: set[str] = set()
    problems = []
    for term in terms:
        matched = [store.key for store in stores if _matches(term, store)]
        if not matched:
            problems.append(_no_match(term, stores))
        chosen.update(matched)
    return [store.key for store in stores if store.key in chosen], problems


def select(selector: str, stores: Sequence[StoreFacts]) -> list[str]:
    """Resolve a `--stores` value; NotFoundError naming every term that matched nothing."""
    if not stores:
        raise NotFoundError("no stores synced yet", hint="run: localcx locations sync")
    keys, problems = resolve(parse(selector), stores)
    if problems:
        raise NotFoundError("; ".join(problems), hint="list stores with: localcx locations list")
    return keys
