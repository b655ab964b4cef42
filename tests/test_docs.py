"""Every command has help text and a row in the README's command reference."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.main import get_command

from localcx.commands.main import app

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix: str = "localcx"):
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        if hasattr(command, "commands"):
            yield from _commands(command, path)
        else:
            yield path, command


def test_every_command_has_help_and_is_documented():
    root = get_command(app)
    commands = list(_commands(root))
    assert len(commands) >= 20
    for path, command in commands:
        assert (command.help or "").strip(), f"{path} has no help"
        assert f"`{path}" in README, f"{path} is missing from README.md's command reference"


def test_readme_opens_with_the_two_commands():
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make demo" in quick_start and "make test" in quick_start
    assert isinstance(app, typer.Typer)
