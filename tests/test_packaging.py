"""A built wheel holds every package: pyproject.toml lists them, so a new one must be added."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_every_package_folder_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(("localcx", *path.parent.relative_to(ROOT / "localcx").parts))
        for path in (ROOT / "localcx").rglob("__init__.py")
    } | {"localcx.commands"}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
