"""Stores: the accounts and locations a user manages, kept in SQLite.

`repo` owns the tables, `sync` fills them from Google, and `selector` is the one grammar
every `--stores` option and TOML rule uses. Callers import the names below.
"""

from __future__ import annotations

import sqlite_utils

from localcx.stores import selector
from localcx.stores.repo import (
    PUBLIC_COLUMNS,
    StoredLocation,
    find_store,
    forget_location,
    has_voice_of_merchant,
    known_categories,
    list_stores,
    location_id,
    raw_locations,
    save_location,
    show_store,
    store_count,
    store_facts,
    store_history,
    store_key,
    stored_location,
    stored_locations,
)
from localcx.stores.sync import SyncResult, sync


def select(db: sqlite_utils.Database, text: str) -> list[str]:
    """The keys of the stores a `--stores` value selects, in listing order."""
    return selector.select(text, store_facts(db))


def select_rows(db: sqlite_utils.Database, text: str) -> list[dict[str, object]]:
    """The public rows of the stores a `--stores` value selects."""
    return list(list_stores(db, keys=select(db, text)))


__all__ = [
    "PUBLIC_COLUMNS",
    "StoredLocation",
    "SyncResult",
    "find_store",
    "forget_location",
    "has_voice_of_merchant",
    "known_categories",
    "list_stores",
    "location_id",
    "raw_locations",
    "save_location",
    "select",
    "select_rows",
    "selector",
    "show_store",
    "store_count",
    "store_facts",
    "store_history",
    "store_key",
    "stored_location",
    "stored_locations",
    "sync",
]
