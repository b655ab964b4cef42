"""Validators: user text → canonical text for each profile field, or FieldError.

Split out of :mod:`localcx.profiles.fields` (which re-exports FieldError) so the rules
for what a value may be sit apart from how values travel to and from Google.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers

from localcx.profiles.hours import HoursError

CLEAR = "~clear"

LIST_SEPARATOR = "; "
OPEN_STATUSES = ("OPEN", "CLOSED_TEMPORARILY", "CLOSED_PERMANENTLY")
MAX_DESCRIPTION = 750
MAX_ADDITIONAL_PHONES = 2
MAX_ADDITIONAL_CATEGORIES = 9
MAX_LABELS = 50
MAX_LABEL_LENGTH = 255


class FieldError(ValueError):
    """A value that can't be used for a field; the message says why, naming the value."""


@dataclass(frozen=True)
class Context:
    """What validation needs besides the text: the store's phone region and catalogue."""

    region: str
    known_categories: frozenset[str] | None = None


def split_list(text: str, separators: str = ";") -> list[str]:
    return [p.strip() for p in re.split(f"[{separators}\n]", text) if p.strip()]


def one_line_value(text: str, ctx: Context) -> str:
    if "\n" in text or "\r" in text:
        raise FieldError(f'"{text}" must be one line')
    return text


def phone_value(text: str, ctx: Context) -> str:
    region = (ctx.region or "US").upper()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise FieldError(f'"{text}" is not a valid phone number for {region}')
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phones_value(text: str, ctx: Context) -> str:
    phones = list(dict.fromkeys(phone_value(p, ctx) for p in split_list(text, ";,")))
    if len(phones) > MAX_ADDITIONAL_PHONES:
        raise FieldError(f"{len(phones)} additional phones; Google allows {MAX_ADDITIONAL_PHONES}")
    return LIST_SEPARATOR.join(phones)


def website_value(text: str, ctx: Context) -> str:
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in text:
        raise FieldError(f'"{text}" is not an http(s) URL with a host')
    return text


def description_value(text: str, ctx: Context) -> str:
    if len(text) > MAX_DESCRIPTION:
        raise FieldError(f"description is {len(text)} characters; Google allows {MAX_DESCRIPTION}")
    return text


def category_text(text: str) -> str:
    value = text.strip().lower()
    return value.removeprefix("categories/")


def category_value(text: str, ctx: Context) -> str:
    value = category_text(text)
    if not re.fullmatch(r"gcid:[a-z0-9_]+", value):
        slug = re.sub(r"[^a-z0-9]+", "_", value.removeprefix("gcid:")).strip("_")
        hint = f" (did you mean gcid:{slug}?)" if slug else ""
        raise FieldError(f'"{text}" is not a category id like gcid:coffee_shop{hint}')
    if ctx.known_categories is not None and value not in ctx.known_categories:
        close = difflib.get_close_matches(value, ctx.known_categories, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise FieldError(f'"{text}" is not a known category{hint}')
    return value


def categories_value(text: str, ctx: Context) -> str:
    values = list(dict.fromkeys(category_value(p, ctx) for p in split_list(text, ";,")))
    if len(values) > MAX_ADDITIONAL_CATEGORIES:
        raise FieldError(
            f"{len(values)} additional categories; Google allows {MAX_ADDITIONAL_CATEGORIES}"
        )
    return LIST_SEPARATOR.join(values)


def hours_value(parse: Callable[[str], str]) -> Callable[[str, Context], str]:
    def parse_field(text: str, ctx: Context) -> str:
        try:
            value = parse(text)
        except HoursError as exc:
            raise FieldError(str(exc)) from None
        if not value:
            raise FieldError(f'"{text}" has no open hours; write {CLEAR} to remove them')
        return value

    return parse_field


def labels_value(text: str, ctx: Context) -> str:
    labels = list(dict.fromkeys(split_list(text)))
    for label in labels:
        if len(label) > MAX_LABEL_LENGTH:
            raise FieldError(f'label "{label[:40]}…" is over {MAX_LABEL_LENGTH} characters')
    if len(labels) > MAX_LABELS:
        raise FieldError(f"{len(labels)} labels; localcx allows at most {MAX_LABELS}")
    return LIST_SEPARATOR.join(labels)


_STATUS_ALIASES = {
    "OPEN": "OPEN", "営業中": "OPEN",
    "CLOSED_TEMPORARILY": "CLOSED_TEMPORARILY", "TEMPORARILY_CLOSED": "CLOSED_TEMPORARILY",
    "臨時休業": "CLOSED_TEMPORARILY", "休業中": "CLOSED_TEMPORARILY",
    "CLOSED_PERMANENTLY": "CLOSED_PERMANENTLY", "PERMANENTLY_CLOSED": "CLOSED_PERMANENTLY",
    "閉業": "CLOSED_PERMANENTLY", "閉店": "CLOSED_PERMANENTLY",
}  # fmt: skip


def open_status_value(text: str, ctx: Context) -> str:
    key = re.sub(r"[\s-]+", "_", text.strip().upper())
    if key not in _STATUS_ALIASES:
        raise FieldError(f'"{text}" is not an open status ({" | ".join(OPEN_STATUSES)})')
    return _STATUS_ALIASES[key]
