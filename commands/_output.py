"""The output options, added to a command by one decorator.

`@output_options()` gives a command `--json`, `--jsonl` and `--csv` (or the formats it
names) and passes the chosen one as its `fmt` argument; two at once is a usage error.
Every command that prints data uses it, so the flags read the same everywhere.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from localcx.errors import UsageError
from localcx.render import OutputFormat

F = TypeVar("F", bound=Callable[..., Any])
HELP = {
    OutputFormat.json: "Write JSON to stdout.",
    OutputFormat.jsonl: "Write one JSON object per line.",
    OutputFormat.csv: "Write CSV to stdout.",
}
ALL = (OutputFormat.json, OutputFormat.jsonl, OutputFormat.csv)


def output_options(*formats: OutputFormat) -> Callable[[F], F]:
    chosen_formats = formats or ALL

    def decorate(fn: F) -> F:
        signature = inspect.signature(fn, eval_str=True)  # typer reads it as given
        kept = [p for p in signature.parameters.values() if p.name != "fmt"]
        added = [
            inspect.Parameter(
                f"{f.value}_output",
                inspect.Parameter.KEYWORD_ONLY,
                default=False,
                annotation=Annotated[bool, typer.Option(f"--{f.value}", help=HELP[f])],
            )
            for f in chosen_formats
        ]

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            picked = [f for f in chosen_formats if kwargs.pop(f"{f.value}_output", False)]
            if len(picked) > 1:
                names = " and ".join(f"--{f.value}" for f in picked)
                raise UsageError(f"choose one of {names}")
            return fn(*args, fmt=picked[0] if picked else OutputFormat.table, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
