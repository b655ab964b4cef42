"""`reviews score-text`: the scorer on stdin, as it is evaluated: one JSON line per input
line, in order, with no workspace."""

from __future__ import annotations

import json

from conftest import Cli


def _score(cli: Cli, text: str, *args: str) -> list[dict[str, object]]:
    result = cli("reviews", "score-text", *args, input=text)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_the_must_show_sentences(cli: Cli) -> None:
    out = _score(cli, "スタッフの対応がとても悪かった\n美味しくないわけではない\nThe staff were not unfriendly\n")
    assert out[0]["label"] == "negative"
    assert out[1]["label"] != "negative" and out[1]["lang"] == "ja"
    assert out[2]["label"] != "negative" and out[2]["lang"] == "en"
    assert all(set(o) == {"text", "lang", "polarity", "label"} for o in out)


def test_json_lines_and_blank_lines_keep_their_order(cli: Cli) -> None:
    lines = ['{"text": "Rude staff, cold food.", "id": 7}', "", "最高のラーメンでした！", "Loved it"]
    out = _score(cli, "\n".join(lines) + "\n", "--jsonl")
    assert [o["text"] for o in out] == ["Rude staff, cold food.", "", "最高のラーメンでした！", "Loved it"]
    assert [o["label"] for o in out] == ["negative", "neutral", "positive", "positive"]
    assert -1.0 <= min(float(o["polarity"]) for o in out) <= max(float(o["polarity"]) for o in out) <= 1.0  # type: ignore[arg-type]


def test_needs_no_workspace(cli: Cli) -> None:
    assert not (cli.home / "workspaces").exists()
    assert _score(cli, "ok\n")[0]["lang"] == "en"
    assert not (cli.home / "workspaces").exists(), "scoring created no workspace"


def test_a_bad_json_line_names_its_line(cli: Cli) -> None:
    result = cli("reviews", "score-text", input='fine\n{"text": 3}\n')
    assert result.exit_code == 2
    assert "stdin line 2" in result.stderr and "text" in result.stderr
