"""The editable profile fields: canonical text, validation, Google read/write.

Every field's value is a **normalised text**, the same text the export CSV shows, so a plan
is a text diff (``before → after``) and "unchanged" is string equality. ``""`` means unset.
Google's JSON is read into that text (:func:`location_values`) and written back from it
(:func:`build_patch`); user input goes through :func:`parse_value`, which gives the same
text for every way of typing one value (``03-1234-5678`` and ``+81 3 1234 5678`` are both
``+81312345678``).

Clearing needs the explicit token ``~clear`` (a blank cell means "leave unchanged"), and is
refused for the fields Google requires: title, primary_phone, primary_category, open_status.

Limits enforced before any call: description ≤ 750 characters; ≤ 2 additional phones;
≤ 9 additional categories (Google's documented maximum, see GOOGLE-API.md); labels 1-255
characters each and ≤ 50 of them (Google's maximum is unconfirmed; 50 is our guard);
categories look like ``gcid:[a-z0-9_]+`` and, when a catalogue is given, exist in it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from localcx.profiles.hours import (
    HoursError,
    parse_regular_hours,
    parse_special_hours,
    regular_hours_from_google,
    regular_hours_to_google,
    special_hours_from_google,
    special_hours_to_google,
)
from localcx.profiles.validators import (
    CLEAR,
    LIST_SEPARATOR,
    OPEN_STATUSES,
    Context,
    FieldError,
    categories_value,
    category_text,
    category_value,
    check_characters,
    description_value,
    hours_value,
    labels_value,
    one_line_value,
    open_status_value,
    phone_value,
    phones_value,
    split_list,
    website_value,
)

__all__ = [
    "CLEAR",
    "FIELDS",
    "FIELD_NAMES",
    "Field",
    "FieldError",
    "build_patch",
    "cross_check",
    "location_values",
    "mask_for",
    "parse_value",
]

FIELD_NAMES: tuple[str, ...] = (
    "title", "primary_phone", "additional_phones", "website", "description",
    "primary_category", "additional_categories", "regular_hours", "special_hours",
    "labels", "open_status",
)  # fmt: skip


@dataclass(frozen=True)
class Field:
    """One editable field: its Google updateMask path and its text functions.

    ``parse`` turns user text into canonical text (raising FieldError); ``read`` takes the
    canonical text out of a Location JSON. ``required`` fields refuse ``~clear``. Fields
    that share a ``mask`` (phones, categories) are written to Google together, whole.
    """

    name: str
    mask: str
    parse: Callable[[str, Context], str]
    read: Callable[[Mapping[str, Any], str], str]
    required: bool = False


# --- reading Google's Location JSON -------------------------------------------------------


def _get(location: Mapping[str, Any], path: str) -> Any:
    value: Any = location
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _clean(text: Any) -> str:
    return str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _read_text(path: str) -> Callable[[Mapping[str, Any], str], str]:
    return lambda location, region: _clean(_get(location, path))


def _google_phone(value: Any, region: str) -> str:
    """Google's phone (``+1 206-555-0142``) as E.164, or the text as-is if unparseable."""
    try:
        return phone_value(_clean(value), Context(region))
    except FieldError:
        return _clean(value)


def _read_additional_phones(location: Mapping[str, Any], region: str) -> str:
    phones = _get(location, "phoneNumbers.additionalPhones") or []
    return LIST_SEPARATOR.join(dict.fromkeys(_google_phone(p, region) for p in phones if p))


def _read_primary_category(location: Mapping[str, Any], region: str) -> str:
    return category_text(_clean(_get(location, "categories.primaryCategory.name")))


def _read_additional_categories(location: Mapping[str, Any], region: str) -> str:
    items = _get(location, "categories.additionalCategories") or []
    names = (category_text(_clean(i.get("name"))) for i in items if isinstance(i, Mapping))
    return LIST_SEPARATOR.join(dict.fromkeys(n for n in names if n))


def _read_hours(
    path: str, convert: Callable[[Any], str]
) -> Callable[[Mapping[str, Any], str], str]:
    def read(location: Mapping[str, Any], region: str) -> str:
        try:
            return convert(_get(location, path))
        except HoursError:
            return ""  # unreadable hours: planning will offer to replace them

    return read


def _read_labels(location: Mapping[str, Any], region: str) -> str:
    labels = (_clean(label) for label in _get(location, "labels") or [])
    return LIST_SEPARATOR.join(dict.fromkeys(label for label in labels if label))


def _read_status(location: Mapping[str, Any], region: str) -> str:
    status = _clean(_get(location, "openInfo.status"))
    return status if status in OPEN_STATUSES else ""


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("title", "title", one_line_value, _read_text("title"), required=True),
        Field("primary_phone", "phoneNumbers", phone_value,
              lambda loc, region: _google_phone(_get(loc, "phoneNumbers.primaryPhone"), region)
              if _get(loc, "phoneNumbers.primaryPhone") else "", required=True),
        Field("additional_phones", "phoneNumbers", phones_value, _read_additional_phones),
        Field("website", "websiteUri", website_value, _read_text("websiteUri")),
        Field("description", "profile.description", description_value,
              _read_text("profile.description")),
        Field("primary_category", "categories", category_value, _read_primary_category,
              required=True),
        Field("additional_categories", "categories", categories_value, _read_additional_categories),
        Field("regular_hours", "regularHours", hours_value(parse_regular_hours),
              _read_hours("regularHours", regular_hours_from_google)),
        Field("special_hours", "specialHours", hours_value(parse_special_hours),
              _read_hours("specialHours", special_hours_from_google)),
        Field("labels", "labels", labels_value, _read_labels),
        Field("open_status", "openInfo.status", open_status_value, _read_status, required=True),
    )
}  # fmt: skip
assert tuple(FIELDS) == FIELD_NAMES


def _field(name: str) -> Field:
    try:
        return FIELDS[name]
    except KeyError:
        raise FieldError(f"unknown field {name!r}") from None


def mask_for(name: str) -> str:
    """The Google updateMask path that carries ``name`` (shared by phone/category pairs)."""
    return _field(name).mask


def location_region(location: Mapping[str, Any], default_region: str = "US") -> str:
    """The store's country (storefront address), which is the region for its phones."""
    return _clean(_get(location, "storefrontAddress.regionCode")).upper() or default_region


def location_values(location: Mapping[str, Any], default_region: str = "US") -> dict[str, str]:
    """Canonical text of every field of a Google Location JSON; ``""`` where unset."""
    region = location_region(location, default_region)
    return {name: field.read(location, region) for name, field in FIELDS.items()}


def parse_value(
    name: str, text: str, *, region: str, known_categories: Collection[str] | None = None
) -> str:
    """User text for field ``name`` → canonical text; ``~clear`` → ``""`` where allowed.

    A blank is refused rather than read as "clear": blank cells mean "leave unchanged"
    and callers must skip them before calling this.
    """
    field = _field(name)
    value = _clean(text) if name == "description" else text.strip()
    if value.lower() == CLEAR:
        if field.required:
            raise FieldError(f"{name} can't be cleared: Google requires it")
        return ""
    if not value:
        raise FieldError(f"blank means unchanged; write {CLEAR} to clear {name}")
    check_characters(name, value)
    known = None
    if known_categories is not None and name in ("primary_category", "additional_categories"):
        known = catalogue(known_categories)
    return field.parse(value, Context(region, known))


_CATALOGUE_CACHE: dict[int, tuple[Collection[str], frozenset[str]]] = {}


def catalogue(known_categories: Collection[str]) -> frozenset[str]:
    """Known categories as ``gcid:x`` ids; computed once per catalogue object.

    A catalogue has thousands of entries and a file has thousands of category cells, so
    normalising it per cell would dominate loading time.
    """
    cached = _CATALOGUE_CACHE.get(id(known_categories))
    if cached is not None and cached[0] is known_categories:
        return cached[1]
    normalised = frozenset(category_text(c) for c in known_categories)
    _CATALOGUE_CACHE.clear()  # keep one: callers pass the same catalogue for a whole file
    _CATALOGUE_CACHE[id(known_categories)] = (known_categories, normalised)
    return normalised


def _list(text: str) -> list[str]:
    return split_list(text)


def _phones_body(values: Mapping[str, str]) -> dict[str, Any]:
    if not values.get("primary_phone"):
        raise FieldError("phoneNumbers are sent whole and need a primary_phone")
    return {
        "phoneNumbers": {
            "primaryPhone": values["primary_phone"],
            "additionalPhones": _list(values.get("additional_phones", "")),
        }
    }


def _categories_body(values: Mapping[str, str]) -> dict[str, Any]:
    if not values.get("primary_category"):
        raise FieldError("categories are sent whole and need a primary_category")
    return {"categories": {
        "primaryCategory": {"name": f"categories/{values['primary_category']}"},
        "additionalCategories": [
            {"name": f"categories/{c}"} for c in _list(values.get("additional_categories", ""))
        ],
    }}  # fmt: skip


_WRITERS: dict[str, Callable[[str], dict[str, Any]]] = {
    "title": lambda v: {"title": v},
    "website": lambda v: {"websiteUri": v},
    "description": lambda v: {"profile": {"description": v}},
    "regular_hours": lambda v: {"regularHours": regular_hours_to_google(v)},
    "special_hours": lambda v: {"specialHours": special_hours_to_google(v)},
    "labels": lambda v: {"labels": _list(v)},
    "open_status": lambda v: {"openInfo": {"status": v}},
}


def build_patch(
    current: Mapping[str, str], changed: Mapping[str, str], *, region: str
) -> tuple[dict[str, Any], list[str]]:
    """PATCH body and sorted minimal updateMask for ``changed`` over ``current``.

    Fields equal to their current text are dropped. Phones and categories go whole under
    one mask (the unchanged sibling comes from ``current``). Any other cleared field is
    masked and left out of the body, which is how a field mask clears it. Changed phones
    are re-checked against ``region``; a bad one raises FieldError.
    """
    merged = {**current}
    masks: set[str] = set()
    body: dict[str, Any] = {}
    for name, value in changed.items():
        field = _field(name)
        if value == current.get(name, ""):
            continue
        if value and name in ("primary_phone", "additional_phones"):
            value = parse_value(name, value, region=region)
        merged[name] = value
        masks.add(field.mask)
        if field.mask not in ("phoneNumbers", "categories") and value:
            body.update(_WRITERS[name](value))
    if "phoneNumbers" in masks:
        body.update(_phones_body(merged))
    if "categories" in masks:
        body.update(_categories_body(merged))
    return body, sorted(masks)


def cross_check(values: Mapping[str, str]) -> list[tuple[tuple[str, ...], str]]:
    """Rules that span fields, on a store's merged (current + desired) values.

    Returns ``(fields involved, message)`` pairs, so a caller reports the problem only when
    its file changes one of those fields (existing data is not the file's fault, and an
    unedited export must load without problems). Google rejects a primary category repeated among the
    additional ones, and special hours on a store without regular hours.
    """
    problems: list[tuple[tuple[str, ...], str]] = []
    primary = values.get("primary_category", "")
    if primary and primary in _list(values.get("additional_categories", "")):
        problems.append(
            (
                ("additional_categories", "primary_category"),
                f"{primary} is both the primary and an additional category",
            )
        )
    if values.get("special_hours") and not values.get("regular_hours"):
        problems.append(
            (
                ("special_hours", "regular_hours"),
                "special hours need regular hours (Google refuses them)",
            )
        )
    return problems
