"""Bring your own writer: `reviews draft --writer "COMMAND"`.

COMMAND (run by the shell, like `--on-new`) gets one JSON object on stdin describing the
review (its text, stars, language, the topics it raised, the store, the reviewer's name)
and prints the reply on stdout. Any tool fits, for example an LLM command-line tool the
user already has: `--writer 'llm -s "Reply to this Google review as the owner"'`. What it
writes is linted and waits for approval like any draft.

A writer that fails (non-zero exit), says nothing, or hangs past the timeout costs that
one review its draft; the caller reports it and goes on with the others.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

from localcx.errors import LocalcxError


class WriterError(LocalcxError):
    """The writer gave no draft for one review."""


def describe(
    review: dict[str, Any], mentioned: list[dict[str, Any]], store_code: str, store_title: str, lang: str
) -> dict[str, Any]:
    """What the writer is told about one review."""
    return {
        "review_id": review["review_id"],
        "text": review.get("original"),
        "translated": review.get("translated"),
        "stars": review.get("stars"),
        "language": lang,
        "review_language": review.get("lang"),
        "sentiment": review.get("label"),
        "topics": [
            {"aspect": m["aspect"], "polarity": m["polarity"],
             "tone": "negative" if float(m["polarity"] or 0) < 0 else "positive"}
            for m in mentioned
        ],
        "store": {"code": store_code, "name": store_title},
        "reviewer": None if review.get("anonymous") else review.get("reviewer"),
        "max_bytes": 4096,
    }


def run_writer(command: str, description: dict[str, Any], timeout: float) -> str:
    """The writer's draft for one review, or WriterError saying why there is none."""
    line = json.dumps(description, ensure_ascii=False) + "\n"
    try:
        done = subprocess.run(
            command, shell=True, input=line.encode("utf-8"), capture_output=True,
            timeout=timeout, check=False,
        )
    except subprocess.TimeoutExpired:
        raise WriterError(f"the writer did not answer within {timeout:g} s") from None
    except OSError as exc:
        raise WriterError(f"the writer could not be started ({exc.strerror})") from None
    if done.returncode != 0:
        why = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WriterError(f"the writer exited {done.returncode}" + (f" ({why[-1][:200]})" if why else ""))
    text = done.stdout.decode("utf-8", "replace").strip()
    if not text:
        raise WriterError("the writer printed nothing")
    return text
