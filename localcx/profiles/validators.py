"""Validators: user text → canonical text for each profile field, or FieldError.

Split out of :mod:`localcx.profiles.fields` (which re-exports FieldError) so the rules
for what a value may be sit apart from how values travel to and from Google.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import phonenumbers

from localcx.profiles.hours import HoursError
from localcx.suggest import in_parentheses

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


# Characters a field may hold besides printable text: multi-line fields keep line breaks
# and tabs; hours treat them as separators; everything else is one line.
MULTILINE_FIELDS = frozenset({"description", "regular_hours", "special_hours"})
_CONTROL_NAMES = {"\n": "a line break", "\r": "a line break", "\t": "a tab"}


def _is_control(char: str) -> bool:
    """C0 controls, DEL and the Unicode line/paragraph separators.

    C1 controls (U+0080-U+009F) are left alone: they appear when a file is read with the
    wrong encoding, which is the user's explicit choice (``--encoding latin-1``).
    """
    return char < " " or char == "\x7f" or char in "\u2028\u2029"


def visible(text: str, limit: int = 80) -> str:
    """``text`` for a message: control characters escaped, long text cut short."""
    shown = "".join(
        repr(c)[1:-1] if _is_control(c) else c for c in (text[:limit] if limit else text)
    )
    return shown + ("…" if limit and len(text) > limit else "")


def check_characters(name: str, text: str) -> None:
    """Refuse control characters: a newline in a website or store code is never meant.

    They come from copying out of other programs; Google either rejects them or shows
    them, and a line break in a one-line field breaks every CSV written from it later.
    """
    allowed = "\n\r\t" if name in MULTILINE_FIELDS else ""
    for char in text:
        if _is_control(char) and char not in allowed:
            what = _CONTROL_NAMES.get(char, f"the control character U+{ord(char):04X}")
            rule = "must be one line" if char in "\n\r\u2028\u2029" else "can't contain it"
            raise FieldError(f'"{visible(text)}" contains {what}: {name} {rule}')


def one_line_value(text: str, ctx: Context) -> str:
    check_characters("the value", text)
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


_AUTHORITY = re.compile(r"^[^/?#]*(?://[^/?#]*)?")


def _full_width(text: str) -> str | None:
    """The first full-width character in the scheme, host or port, or a full-width space.

    A Japanese IME left in full-width mode types ``：`` or ``．`` in ``example.jp：8080``;
    the address then looks right but no browser can open it.
    """
    authority = _AUTHORITY.match(text)
    for char in authority[0] if authority else "":
        folded = unicodedata.normalize("NFKC", char)
        if folded != char and folded.isascii():
            return char
    return "\u3000" if "\u3000" in text else None


def website_value(text: str, ctx: Context) -> str:
    wide = _full_width(text)
    if wide is not None:
        half = unicodedata.normalize("NFKC", wide)
        if half.isspace():
            raise FieldError(f'"{text}" has a full-width space (U+3000): remove it')
        raise FieldError(
            f'"{text}" has a full-width "{wide}" (U+{ord(wide):04X}): type it as "{half}"'
            " with the input method in half-width mode"
        )
    try:
        parts = urlsplit(text)
        host, _port = parts.hostname, parts.port
    except ValueError as exc:
        raise FieldError(f'"{visible(text)}" is not a valid URL: {exc}') from None
    if parts.scheme.lower() not in ("http", "https") or not host or " " in text:
        raise FieldError(f'"{visible(text)}" is not an http(s) URL with a host')
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
        hint = in_parentheses(value, (category_text(c) for c in ctx.known_categories))
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
