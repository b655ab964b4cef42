"""Fuzzing what people type and edit: `--stores` values and settings.toml contents.

Whatever they hold, the answer is stores, or a LocalcxError (a message and an exit code)
- never an unexpected exception, which the CLI would report as a bug in localcx.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localcx import config
from localcx.errors import LocalcxError
from localcx.stores import selector
from localcx.stores.selector import StoreFacts

FUZZ = settings(
    max_examples=int(os.environ.get("LOCALCX_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FACTS = [
    StoreFacts("TKY-001", "111", ("tokyo-west", "flagship"), "JP", "新宿区"),
    StoreFacts("SEA-001", "222", ("Region-West",), "US", "Seattle"),
    StoreFacts("locations/333", "333", (), "", ""),
]
_TEXTS = tempfile.mkdtemp(prefix="localcx-fuzz-")
(Path(_TEXTS) / "codes.txt").write_text("# list\nTKY-001\n\nnope\n", encoding="utf-8")
(Path(_TEXTS) / "codes.csv").write_text("store_code,title\nSEA-001,x\n", encoding="utf-8")
(Path(_TEXTS) / "bin").write_bytes(b"\x00\xff\xfe")
_PIECES = [
    "all", "ALL", "TKY-001", "tky-1", "sea-001", "locations/333", "locations/", "label:",
    "label:flagship", "LABEL:Region-West", "country:jp", "country:", "city:新宿区",
    "city:seattle", "file:", f"file:{_TEXTS}", f"file:{_TEXTS}/codes.txt",
    f"file:{_TEXTS}/codes.csv", f"file:{_TEXTS}/bin", f"file:{_TEXTS}/none", "file:~",
    "nope:x", ":", "::", ",", " , ", "\x00", "label:\x00", "ラベル:東京", "🙂",
]  # fmt: skip
selectors = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), min_size=0, max_size=5
).map(",".join)


@FUZZ
@given(selectors)
def test_any_store_selection_is_stores_or_a_localcx_error(text: str) -> None:
    try:
        keys = selector.select(text, FACTS)
    except LocalcxError as exc:
        assert exc.message
        return
    assert set(keys) <= {f.key for f in FACTS}


@FUZZ
@given(st.lists(selectors, max_size=3))
def test_a_toml_list_of_selections_parses_or_is_a_localcx_error(parts: list[str]) -> None:
    try:
        terms = selector.parse(parts, base=Path(_TEXTS))
    except LocalcxError:
        return
    keys, problems = selector.resolve(terms, FACTS)
    assert all(isinstance(p, str) and p for p in problems)
    assert set(keys) <= {f.key for f in FACTS}


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True),
    st.text(max_size=10), st.sampled_from(["sandbox", "google", "US", "JP", "429:0.1", "x:y"]),
)  # fmt: skip
_KEYS = st.sampled_from(
    ["backend", "region", "limits", "http", "sandbox", "project_qpm", "edits_per_minute",
     "headroom", "daily_updates", "shared_quota", "timeout", "max_attempts", "workers",
     "seed", "stores", "faults", "regoin", "worker"]
)  # fmt: skip
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=8,
)
_DOCUMENTS = st.dictionaries(_KEYS, _VALUES, max_size=6)


def _toml(document: dict) -> bytes | None:
    clean = {k: v for k, v in document.items() if v is not None}
    try:
        return tomli_w.dumps(clean).encode()
    except (TypeError, ValueError):  # None inside a list, NaN keys…: not writable as TOML
        return None


@pytest.fixture
def workspace(home: Path) -> Path:
    config.create_workspace("fuzz", config.Settings(backend="sandbox", region="US"))
    return home / "workspaces" / "fuzz" / "settings.toml"


@FUZZ
@given(
    st.one_of(
        _DOCUMENTS.map(_toml),
        st.binary(max_size=60),
        st.text(max_size=60).map(str.encode),
    )
)
def test_any_settings_file_opens_or_is_a_localcx_error(workspace: Path, data: bytes | None) -> None:
    if data is None:
        return
    workspace.write_bytes(data)
    try:
        opened = config.open_workspace("fuzz")
    except LocalcxError as exc:
        assert exc.message
        return
    assert opened.settings.backend in ("sandbox", "google")
