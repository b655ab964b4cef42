"""settings.toml: what each key means, which values it takes, and one check of them all.

Settings are checked when a workspace opens, not when a value is first used: a cron job
with `workers = "four"` should stop at once naming the line to fix, not crash halfway
through an apply. Every problem is reported in one go, so one edit fixes them all.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localcx.errors import SettingsError
from localcx.suggest import closest

BACKENDS = ("sandbox", "google")
MAX_WORKERS = 32  # Google's 300 requests a minute keep more threads than this waiting
MAX_ATTEMPTS = 20

# A range check returns what the value must be, or None when it is fine.
RangeCheck = Callable[[Any], str | None]


def _above(low: float) -> RangeCheck:
    return lambda v: None if v > low else f"must be more than {low:g}"


def _at_least(low: float) -> RangeCheck:
    return lambda v: None if v >= low else f"must be at least {low:g}"


def _between(low: float, high: float) -> RangeCheck:
    return lambda v: None if low <= v <= high else f"must be between {low:g} and {high:g}"


def _fraction(v: float) -> str | None:
    return None if 0 < v <= 1 else "must be more than 0 and at most 1"


def _faults(spec: str) -> str | None:
    from localcx.sandbox.faults import parse_faults  # the sandbox owns its fault grammar

    try:
        parse_faults(spec)
    except ValueError as exc:
        return f"is not a fault list: {exc}"
    return None


def _setting(default: Any, check: RangeCheck | None = None, example: str = "") -> Any:
    """A field with its range check and the line that fixes a bad value."""
    return field(default=default, metadata={"check": check, "example": example})


@dataclass
class SandboxSettings:
    """The emulator's city and the quotas it enforces (Google's by default)."""

    seed: int = 7
    stores: int = _setting(30, _between(1, 5000))
    faults: str = _setting("", _faults, 'faults = "429:0.1,503:0.05"')
    project_qpm: int = _setting(300, _above(0))
    edits_per_minute: int = _setting(10, _above(0))
    daily_updates: int = _setting(10000, _above(0))
    places_qpm: int = _setting(600, _above(0))


@dataclass
class LimitSettings:
    """Google's quotas. Lower them to share a project; raising them only earns 429s.

    `shared_quota` makes every localcx process on one Cloud project draw on one quota
    ledger; turn it off only when this workspace has the project to itself.
    """

    project_qpm: int = _setting(300, _above(0))
    edits_per_minute: int = _setting(10, _above(0))
    places_qpm: int = _setting(600, _above(0))
    headroom: float = _setting(0.97, _fraction)
    daily_updates: int = _setting(10000, _above(0))
    shared_quota: bool = True


@dataclass
class HttpSettings:
    timeout: float = _setting(30.0, _above(0), "timeout = 30")
    max_attempts: int = _setting(6, _between(1, MAX_ATTEMPTS))
    backoff_base: float = _setting(1.0, _at_least(0), "backoff_base = 1")
    backoff_cap: float = _setting(64.0, _at_least(0), "backoff_cap = 64")
    workers: int = _setting(4, _between(1, MAX_WORKERS))


@dataclass
class RankSettings:
    """Places prices in US dollars per 1,000 requests per SKU (defaults are placeholders:
    check Google's current price list), and a monthly cap on rank spending (0: none)."""

    ids_only: float = _setting(0.0, _at_least(0), "ids_only = 0")
    pro: float = _setting(32.0, _at_least(0), "pro = 32")
    enterprise: float = _setting(35.0, _at_least(0), "enterprise = 35")
    monthly_budget: float = _setting(0.0, _at_least(0), "monthly_budget = 50")

    def prices(self) -> dict[str, float]:
        return {"ids_only": self.ids_only, "pro": self.pro, "enterprise": self.enterprise}


@dataclass
class ReplySettings:
    """Review replies: the signature under each reply (`{store}` is the store's name; empty:
    a signature in the reply's language), per-store signatures by store code, and a folder
    of Jinja2 templates that replace the built-in ones file by file (see examples/replies/)."""

    signature: str = _setting("", None, 'signature = "The {store} team"')
    signatures: dict[str, str] = field(
        default_factory=dict, metadata={"check": None, "example": '[replies.signatures] TKY001 = "Shibuya store manager"'}
    )
    templates: str = _setting("", None, 'templates = "~/localcx-replies"')


SECTIONS: dict[str, type] = {
    "sandbox": SandboxSettings,
    "limits": LimitSettings,
    "http": HttpSettings,
    "rank": RankSettings,
    "replies": ReplySettings,
}
TOP_LEVEL_KEYS = ("backend", "region", "timezone", *SECTIONS)


@dataclass
class Settings:
    backend: str = "sandbox"
    region: str = "US"
    timezone: str = "UTC"  # for stores whose address does not decide their zone
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    http: HttpSettings = field(default_factory=HttpSettings)
    rank: RankSettings = field(default_factory=RankSettings)
    replies: ReplySettings = field(default_factory=ReplySettings)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: Path, hint: str | None = None) -> Settings:
        """Settings from parsed TOML, or a SettingsError listing every problem."""
        problems: list[str] = []
        settings = cls()
        for key, value in data.items():
            if key in SECTIONS:
                section = _read_section(key, value, SECTIONS[key], problems)
                if section is not None:
                    setattr(settings, key, section)
            elif key == "backend":
                if value in BACKENDS:
                    settings.backend = value
                else:
                    problems.append(
                        f"backend must be one of {', '.join(BACKENDS)}, not {_shown(value)}"
                        ' (e.g. backend = "google")'
                    )
            elif key == "region":
                region = _region(value)
                if region is None:
                    problems.append(
                        f"region must be a 2-letter country code, not {_shown(value)}"
                        ' (e.g. region = "US")'
                    )
                else:
                    settings.region = region
            elif key == "timezone":
                if _zone_ok(value):
                    settings.timezone = value
                else:
                    problems.append(
                        f"timezone must be an IANA zone name, not {_shown(value)}"
                        ' (e.g. timezone = "Asia/Tokyo")'
                    )
            else:
                problems.append(_unknown(key, TOP_LEVEL_KEYS, "top-level key"))
        if problems:
            count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
            raise SettingsError(
                f"{source}: {count} in the settings",
                [f"{source}: {problem}" for problem in problems],
                hint=hint or f"edit {source}",
            )
        return settings

    def to_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "region": self.region,
            "timezone": self.timezone,
            "sandbox": vars(self.sandbox),
            "limits": vars(self.limits),
            "http": vars(self.http),
            "rank": vars(self.rank),
            "replies": vars(self.replies),
        }


def _shown(value: Any) -> str:
    """A value as the user wrote it in TOML, never as a Python repr (True, None)."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _unknown(key: str, known: Iterable[str], what: str) -> str:
    names = list(known)
    close = closest(key, names, limit=1)
    suggestion = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(names)}"
    return f"unknown {what} {key!r}: {suggestion}"


def _zone_ok(value: Any) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(value, str) or not value or "\x00" in value:
        return False
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _region(value: Any) -> str | None:
    import phonenumbers  # its region list is the one phone validation uses

    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value):
        return None
    return value.upper() if value.upper() in phonenumbers.SUPPORTED_REGIONS else None


def _read_section(name: str, data: Any, kind: type, problems: list[str]) -> Any:
    """One [section]: its known keys converted and range-checked, the rest reported."""
    if not isinstance(data, dict):
        problems.append(f"{name} must be a table ([{name}] with keys under it), not {_shown(data)}")
        return None
    fields = {f.name: f for f in dataclasses.fields(kind)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        spec = fields.get(key)
        if spec is None:
            problems.append(_unknown(key, fields, f"key in [{name}]"))
            continue
        problem, converted = _check_value(value, spec)
        if problem:
            problems.append(f"{name}.{key} {problem}")
        else:
            values[key] = converted
    return kind(**values)


_KINDS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "int": ("a whole number", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    "float": ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
    "str": ("a string", lambda v: isinstance(v, str)),
    "bool": ("true or false", lambda v: isinstance(v, bool)),
    "dict[str, str]": (
        "a table of text values",
        lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
    ),
}


def _check_value(value: Any, spec: dataclasses.Field[Any]) -> tuple[str | None, Any]:
    """(problem, value): the type first (an int is fine for a float), then the range."""
    what, fits = _KINDS[str(spec.type)]
    example = spec.metadata.get("example") or f"{spec.name} = {_shown(spec.default)}"
    if not fits(value):
        return f"must be {what}, not {_shown(value)} (e.g. {example})", None
    if str(spec.type) == "float":
        value = float(value)
    check = spec.metadata.get("check")
    problem = check(value) if check else None
    if problem:
        return f"{problem}, not {_shown(value)} (e.g. {example})", None
    return None, value
