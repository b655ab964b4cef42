"""What loading a desired-state file returns: values, problems and where they came from.

Kept apart from the loaders so the CSV, Google-sheet and TOML readers share one model
without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a desired-state file, located as ``path:line:column``.

    ``line`` is the 1-based physical line (0 for the file as a whole); ``column`` is the
    header or key exactly as written in the file, so the user can find it.

    ``store`` says whether leaving stores out (--skip-invalid) gets past the problem: the
    store code of the row or table it is in (``""`` for a row with no store code), or
    None for a problem of the file itself (encoding, syntax, header, a TOML rule), which
    no amount of skipping fixes.
    """

    path: str
    line: int
    column: str
    message: str
    store: str | None = None

    @property
    def skippable(self) -> bool:
        return self.store is not None

    def __str__(self) -> str:
        if self.line == 0:  # the file as a whole
            return f"{self.path}: {self.message}"
        if not self.column:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass
class StoreInfo:
    """What a loader needs to know about a store: what selectors match (labels, country,
    city) and the region its phone numbers are read in."""

    store_code: str
    labels: tuple[str, ...]
    region: str
    country: str = ""
    city: str = ""


@dataclass
class DesiredState:
    """The result of loading a file.

    ``values[store_code][field]`` holds canonical text only for fields the file sets
    (``""`` means clear). A store with any problem is left out of ``values`` entirely and
    listed in ``skipped`` (together with unknown and duplicate store codes), so applying
    with --skip-invalid never half-edits a store. ``sources[store_code]`` is the
    ``(path, line)`` of the row or table that set the store's values.
    """

    values: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, tuple[str, int]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    @property
    def file_problems(self) -> list[Problem]:
        """Problems that stop planning even with --skip-invalid."""
        return [p for p in self.problems if not p.skippable]
