"""The rules of the house, read from the source so a wrong import fails the build.

- commands/ never imports httpx, sqlite3 or (outside type hints) sqlite_utils;
- localcx/ never imports typer or click, and only localcx/render/ writes to stdout;
- only localcx/google/transport.py sends HTTP: nothing else imports an HTTP client
  (backend.py builds the httpx client it hands the transport; the auth and discovery
  adapters only pass requests on to the transport);
- the sandbox imports nothing of the client side;
- one module owns each table: SQL naming a table appears only in its owner (and db.py).

Each rule is a function over a source tree, and the last tests run them on a copy with a
deliberate violation added, so a rule that cannot fail is caught too.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
HTTP_CLIENTS = ("httpx", "requests", "httplib2", "urllib.request", "http.client", "aiohttp")
# Modules that may import an HTTP client library, and why.
HTTP_ALLOWED = {
    "localcx/google/transport.py": "the one road",
    "localcx/backend.py": "builds the httpx client (or the in-process WSGI one) for the transport",
    "localcx/google/discovery_http.py": "httplib2's Response type for google-api-python-client",
    "localcx/google/auth_http.py": "a requests adapter that sends through the transport",
}
def _owns(module: str, owner: str) -> bool:
    """An owner is a module, or an area's package (a path ending in "/")."""
    return module.startswith(owner) if owner.endswith("/") else module == owner


# A table's SQL lives in its owner: one module, or an area's package (every module of it).
TABLE_OWNERS = {
    "accounts": "localcx/stores/repo.py",
    "locations": "localcx/stores/repo.py",
    "location_snapshots": "localcx/stores/repo.py",
    "categories": "localcx/stores/repo.py",
    "runs": "localcx/runs/journal.py",
    "run_items": "localcx/runs/journal.py",
    "api_calls": "localcx/calllog.py",
    "plans": "localcx/profiles/planner.py",
    "drift_events": "localcx/profiles/drift.py",
    "reviews": "localcx/reviews/",
    "reviews_fts": "localcx/reviews/",
    "review_stats": "localcx/reviews/",
    "review_sync": "localcx/reviews/",
    "review_scores": "localcx/reviews/",
    "review_aspects": "localcx/reviews/",
    "insights_daily": "localcx/insights/",
    "search_keywords_monthly": "localcx/insights/",
    "insights_marks": "localcx/insights/",
    "post_templates": "localcx/posts/",
    "posts": "localcx/posts/",
    "rank_keywords": "localcx/rank/",
    "rank_scans": "localcx/rank/",
    "rank_points": "localcx/rank/",
    "competitors": "localcx/rank/",
    "reply_drafts": "localcx/reviews/",
}
# Read-only queries parked outside their owner until the owner module exists (the report
# reads reviews before the reviews area lands); the owner takes them over and this empties.
_SQL_TABLE = re.compile(
    r"\b(?:from|into|update|join|table)\s+[\"'`]?(\w+)", re.IGNORECASE
)
_SQL_WORDS = re.compile(r"\b(select|insert|update|delete)\b", re.IGNORECASE)


def _modules(root: Path, package: str) -> Iterator[tuple[str, ast.Module]]:
    for path in sorted((root / package).rglob("*.py")):
        yield path.relative_to(root).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def _is(name: str, *targets: str) -> bool:
    return any(name == t or name.startswith(t + ".") for t in targets)


def command_imports(root: Path) -> list[str]:
    problems = []
    for module, tree in _modules(root, "commands"):
        hinted = _type_checking_lines(tree)
        for line, name in _imports(tree):
            if _is(name, "httpx", "sqlite3") or (_is(name, "sqlite_utils") and line not in hinted):
                problems.append(f"{module}:{line} imports {name}")
    return problems


def library_imports_and_output(root: Path) -> list[str]:
    problems = []
    for module, tree in _modules(root, "localcx"):
        for line, name in _imports(tree):
            if _is(name, "typer", "click"):
                problems.append(f"{module}:{line} imports {name}")
        if module.startswith("localcx/render/"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                problems.append(f"{module}:{node.lineno} calls print()")
            if (
                isinstance(node, ast.Attribute)
                and node.attr in ("stdout", "__stdout__")
                and isinstance(node.value, ast.Name)
                and node.value.id == "sys"
            ):
                problems.append(f"{module}:{node.lineno} uses sys.{node.attr}")
    return problems


def http_outside_transport(root: Path) -> list[str]:
    problems = []
    for package in ("localcx", "commands"):
        for module, tree in _modules(root, package):
            if module in HTTP_ALLOWED or module.startswith("localcx/sandbox/"):
                continue
            for line, name in _imports(tree):
                if _is(name, *HTTP_CLIENTS) or _is(name, "google.auth.transport.requests"):
                    problems.append(f"{module}:{line} imports {name}")
    return problems


def sandbox_imports_client(root: Path) -> list[str]:
    problems = []
    for module, tree in _modules(root, "localcx/sandbox"):
        for line, name in _imports(tree):
            if _is(name, "localcx") and not _is(name, "localcx.sandbox"):
                problems.append(f"{module}:{line} imports {name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 1:
                problems.append(f"{module}:{node.lineno} imports from outside the sandbox")
    return problems


def tables_outside_owner(root: Path) -> list[str]:
    problems = []
    for package in ("localcx", "commands"):
        for module, tree in _modules(root, package):
            if module in ("localcx/db.py",) or module.startswith("localcx/sandbox/"):
                continue
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                    continue
                text = node.value
                named = set()
                if _SQL_WORDS.search(text):
                    named |= {m.lower() for m in _SQL_TABLE.findall(text)}
                for table, owner in TABLE_OWNERS.items():
                    if table in named and not _owns(module, owner):
                        problems.append(f"{module}:{node.lineno} queries {table} (owned by {owner})")
            for node in ast.walk(tree):  # db.table("name") calls
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "table"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    table = str(node.args[0].value)
                    owner = TABLE_OWNERS.get(table)
                    if owner and not _owns(module, owner):
                        problems.append(f"{module}:{node.lineno} writes {table} (owned by {owner})")
    return problems


RULES = [
    command_imports,
    library_imports_and_output,
    http_outside_transport,
    sandbox_imports_client,
    tables_outside_owner,
]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_the_house_keeps_its_rules(rule):
    assert rule(ROOT) == []


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    for package in ("localcx", "commands"):
        shutil.copytree(ROOT / package, tmp_path / package, symlinks=True)
    return tmp_path


VIOLATIONS = {
    command_imports: ("commands/locations.py", "import httpx\n"),
    library_imports_and_output: ("localcx/stores/sync.py", "import typer\nprint('hello')\n"),
    http_outside_transport: ("localcx/profiles/drift.py", "import requests\n"),
    sandbox_imports_client: ("localcx/sandbox/world.py", "from localcx.config import home\n"),
    tables_outside_owner: (
        "localcx/profiles/drift.py",
        "SQL = 'select location_id from locations where 1'\n",
    ),
}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.__name__)
def test_each_rule_fails_on_a_deliberate_violation(rule, tree_copy):
    assert rule(tree_copy) == []
    module, line = VIOLATIONS[rule]
    path = tree_copy / module
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line, encoding="utf-8")
    found = rule(tree_copy)
    assert found and all(f.startswith(module) for f in found), found
