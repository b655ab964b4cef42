"""The sandbox's persistent state: one SQLite file holding what Google would hold for the caller.

Tables: `meta` (seed, stores), `accounts`, `locations` (the merchant's Location JSON),
`google_live` (values Maps shows instead of the merchant's, per top-level field), `pending`
(edits in Google review: the old live value until a time), `patches` (every accepted PATCH,
so tests can count them and the per-location edit quota survives restarts) and `posts` (v4
local posts, see state_posts.py), `review_replies` (owner replies to the generated reviews,
see state_reviews.py) and `places_billing` (searchText calls per SKU tier, see
state_places.py). `meta` may also hold `reviews_per_store` (the review stream's density, see
world_reviews). Tables are created with IF NOT EXISTS on every open, so a
state file written before a table existed gains it.

One connection guarded by a lock; WAL; each mutation is a single transaction, so a kill -9 of
the host never leaves half a write. Reads come from an in-memory copy that is reloaded when
another connection (another process) has committed (`PRAGMA data_version`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from localcx.sandbox import state_places, state_posts, state_reviews
from localcx.sandbox.state_places import BillingTable
from localcx.sandbox.state_posts import PostTable, StoredPost
from localcx.sandbox.state_reviews import ReplyTable
from localcx.sandbox.world import build_world
from localcx.sandbox.world_reviews import DEFAULT_PER_STORE

SCHEMA_VERSION = "1"
PENDING_SECONDS = 600.0  # name/address/category edits stay "in review" this long

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (ord INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,
    json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS locations (ord INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL,
    account TEXT NOT NULL, json TEXT NOT NULL, updated_at REAL);
CREATE TABLE IF NOT EXISTS google_live (location TEXT NOT NULL, field TEXT NOT NULL,
    json TEXT NOT NULL, PRIMARY KEY (location, field));
CREATE TABLE IF NOT EXISTS pending (location TEXT NOT NULL, field TEXT NOT NULL,
    old_json TEXT NOT NULL, until REAL NOT NULL, PRIMARY KEY (location, field));
CREATE TABLE IF NOT EXISTS patches (seq INTEGER PRIMARY KEY AUTOINCREMENT,
    location TEXT NOT NULL, update_mask TEXT NOT NULL, body TEXT NOT NULL, t REAL NOT NULL);
CREATE INDEX IF NOT EXISTS patches_by_location ON patches (location, t);
CREATE INDEX IF NOT EXISTS patches_by_time ON patches (t);
""" + state_posts.SCHEMA + state_places.SCHEMA + state_reviews.SCHEMA


class StateFileError(ValueError):
    """The state path is not usable: a directory, an unreadable file, or a file that is not a
    sandbox database. The message names the path; the CLI turns it into a one-line error."""


_TABLES = frozenset({"meta", "accounts", "locations", "google_live", "pending", "patches",
                     "posts", "places_billing", "review_replies"})


def check_state_file(path: str | Path) -> None:
    """Raise StateFileError unless `path` is absent, empty, or a sandbox database; never
    changes the file, so a typo'd `--state` cannot clobber (or `reset` delete) other data."""
    p = Path(path)
    if p.is_dir():
        raise StateFileError(f"{p} is a directory, not a sandbox state file")
    if not p.exists():
        if p.parent.exists() and not p.parent.is_dir():
            raise StateFileError(f"{p}: {p.parent} is not a directory")
        return
    try:
        with p.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise StateFileError(f"cannot read {p}: {exc.strerror or exc}") from exc
    if not head:
        return
    if head != b"SQLite format 3\x00":
        raise StateFileError(f"{p} is not a sandbox state file (not an SQLite database)")
    try:
        conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
        try:
            tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE "
                                                  "type='table' AND name NOT LIKE 'sqlite_%'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StateFileError(f"{p} is not a usable sandbox state file ({exc})") from exc
    if not tables <= _TABLES:  # no tables: a new file; ours only: a (maybe empty) state
        raise StateFileError(f"{p} is an SQLite database but not a sandbox state file")


def _location_name(location_id: str) -> str:
    return location_id if location_id.startswith("locations/") else f"locations/{location_id}"


class SandboxState:
    """Accounts and locations as Google holds them, persisted in one SQLite file."""

    def __init__(self, conn: sqlite3.Connection, path: str):
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        # Held by the app across a PATCH's read-check-write so concurrent edits cannot race.
        self.lock = self._lock
        self._version = -1
        self._accounts: list[dict[str, Any]] = []
        self._locations: dict[str, dict[str, Any]] = {}
        self._owner: dict[str, str] = {}
        self._live: dict[str, dict[str, Any]] = {}
        self._pending: dict[str, dict[str, tuple[Any, float]]] = {}
        self.seed = 0
        self.stores = 0
        self.reviews_per_store = DEFAULT_PER_STORE
        self.post_table = PostTable(conn, self._lock)
        self.billing = BillingTable(conn, self._lock)
        self.reply_table = ReplyTable(conn, self._lock)
        self._refresh()

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, seed: int = 7, stores: int = 30,
             reviews_per_store: int | None = None) -> SandboxState:
        """Open `path`, creating it from the seeded world when new; an existing file keeps its
        edits and ignores `seed`/`stores`/`reviews_per_store` (the mean number of reviews a
        store has over the 3 years before the world's anchor; a bench asks for a bigger
        review world with it). `":memory:"` gives a throwaway state.
        Raises StateFileError when `path` is not a sandbox state file (see check_state_file)."""
        if str(path) != ":memory:":
            check_state_file(path)
        try:
            conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None,
                                   timeout=30.0)
        except sqlite3.Error as exc:
            raise StateFileError(f"cannot open sandbox state {path}: {exc}") from exc
        try:
            if str(path) != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)  # idempotent; executescript commits on its own
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StateFileError(f"cannot open sandbox state {path}: {exc}") from exc
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM meta WHERE key='schema'").fetchone() is None:
                _populate(conn, seed, stores, reviews_per_store)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            conn.close()
            raise
        return cls(conn, str(path))

    def reset(self, *, seed: int | None = None, stores: int | None = None) -> None:
        """Throw away every edit and rebuild the world (same seed/stores unless given)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for table in ("meta", "accounts", "locations", "google_live", "pending",
                              "patches", "posts", "places_billing", "review_replies"):
                    self._conn.execute(f"DELETE FROM {table}")
                # post ids derive from the creation number: a reset world repeats them
                self._conn.execute("DELETE FROM sqlite_sequence WHERE name='posts'")
                _populate(self._conn, self.seed if seed is None else seed,
                          self.stores if stores is None else stores, self.reviews_per_store)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._version = -1
            self._refresh()

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- cache ---------------------------------------------------------------------------
    def _refresh(self) -> None:
        """Reload the in-memory copy if any connection committed since the last load."""
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if version == self._version:
            return
        c = self._conn
        meta = dict(c.execute("SELECT key, value FROM meta").fetchall())
        self.seed, self.stores = int(meta["seed"]), int(meta["stores"])
        self.reviews_per_store = int(meta.get("reviews_per_store", DEFAULT_PER_STORE))
        self._accounts = [json.loads(j) for (j,) in c.execute("SELECT json FROM accounts ORDER BY ord")]
        self._locations, self._owner = {}, {}
        for name, account, text in c.execute("SELECT name, account, json FROM locations ORDER BY ord"):
            self._locations[name] = json.loads(text)
            self._owner[name] = account
        self._live = {}
        for loc, field, text in c.execute("SELECT location, field, json FROM google_live"):
            self._live.setdefault(loc, {})[field] = json.loads(text)
        self._pending = {}
        for loc, field, text, until in c.execute("SELECT location, field, old_json, until FROM pending"):
            self._pending.setdefault(loc, {})[field] = (json.loads(text), until)
        self._version = version

    # -- reads (returned objects are shared: do not mutate them) --------------------------
    def accounts(self) -> list[dict[str, Any]]:
        with self._lock:
            self._refresh()
            return list(self._accounts)

    def account(self, name: str) -> dict[str, Any] | None:
        return next((a for a in self.accounts() if a["name"] == name), None)

    def locations(self, account: str | None = None) -> list[dict[str, Any]]:
        """Merchant locations in creation order; all of them when `account` is None."""
        with self._lock:
            self._refresh()
            return [loc for name, loc in self._locations.items()
                    if account is None or self._owner[name] == account]

    def location(self, name: str) -> dict[str, Any] | None:
        with self._lock:
            self._refresh()
            return self._locations.get(_location_name(name))

    def account_of(self, name: str) -> str | None:
        with self._lock:
            self._refresh()
            return self._owner.get(_location_name(name))

    def google_live(self, name: str) -> dict[str, Any]:
        """{top-level field: value Google shows instead of the merchant's}."""
        with self._lock:
            self._refresh()
            return dict(self._live.get(_location_name(name), {}))

    def pending(self, name: str, now: float) -> dict[str, Any]:
        """{top-level field: value still live while the merchant's edit is in review}."""
        with self._lock:
            self._refresh()
            rows = self._pending.get(_location_name(name), {})
            return {f: old for f, (old, until) in rows.items() if until > now}

    # -- writes --------------------------------------------------------------------------
    def commit_patch(self, name: str, updated: dict[str, Any], *, update_mask: str,
                     body: dict[str, Any], now: float, touched: Iterable[str],
                     reviewed: Iterable[str]) -> None:
        """Save one accepted PATCH atomically: the new merchant Location, Google overrides of
        the `touched` top-level fields dropped, `reviewed` fields put in review, and a log row."""
        name = _location_name(name)
        touched = list(touched)
        with self._lock:
            self._refresh()
            old = self._locations[name]
            live = self._live.get(name, {})
            pend = {f: v for f, v in self._pending.get(name, {}).items() if v[1] > now}
            new_pending: dict[str, tuple[Any, float]] = dict(pend)
            for field in reviewed:
                # Still in review: Maps keeps showing the value from before the first edit.
                old_live = pend[field][0] if field in pend else live.get(field, old.get(field))
                new_pending[field] = (old_live, now + PENDING_SECONDS)
            c = self._conn
            c.execute("BEGIN IMMEDIATE")
            try:
                c.execute("UPDATE locations SET json=?, updated_at=? WHERE name=?",
                          (json.dumps(updated, ensure_ascii=False), now, name))
                c.execute("DELETE FROM pending WHERE location=? AND until<=?", (name, now))
                for field, (old_live, until) in new_pending.items():
                    c.execute("INSERT OR REPLACE INTO pending VALUES (?,?,?,?)",
                              (name, field, json.dumps(old_live, ensure_ascii=False), until))
                for field in touched:
                    c.execute("DELETE FROM google_live WHERE location=? AND field=?", (name, field))
                c.execute("INSERT INTO patches (location, update_mask, body, t) VALUES (?,?,?,?)",
                          (name, update_mask, json.dumps(body, ensure_ascii=False), now))
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
            # Our own commits do not move data_version: update the in-memory copy by hand.
            self._locations[name] = updated
            self._pending[name] = new_pending
            self._live[name] = {f: v for f, v in live.items() if f not in touched}

    # -- the PATCH log -------------------------------------------------------------------
    def edit_times(self, name: str, since: float) -> list[float]:
        """Times of this location's accepted PATCHes after `since` (oldest first)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT t FROM patches WHERE location=? AND t>? ORDER BY t",
                (_location_name(name), since)).fetchall()
        return [t for (t,) in rows]

    def patches_since(self, since: float) -> int:
        """Accepted PATCHes of all locations at or after `since` (the daily update quota)."""
        with self._lock:
            return int(self._conn.execute(
                "SELECT COUNT(*) FROM patches WHERE t>=?", (since,)).fetchone()[0])

    def patch_counts(self) -> dict[str, int]:
        """{"locations/{id}": number of accepted (saved) PATCHes}."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT location, COUNT(*) FROM patches GROUP BY location").fetchall()
        return {loc: n for loc, n in rows}

    def patch_log(self, location_id: str | None = None) -> list[dict[str, Any]]:
        """Accepted PATCHes in order: {location, updateMask, body, time}; `location_id` may be
        the bare id or `locations/{id}`."""
        sql = "SELECT location, update_mask, body, t FROM patches"
        args: tuple[Any, ...] = ()
        if location_id is not None:
            sql += " WHERE location=?"
            args = (_location_name(location_id),)
        with self._lock:
            rows = self._conn.execute(sql + " ORDER BY seq", args).fetchall()
        return [{"location": loc, "updateMask": mask, "body": json.loads(body), "time": t}
                for loc, mask, body, t in rows]

    # -- local posts (for tests; the handlers use `post_table`) ---------------------------
    def posts(self, location: str | None = None) -> list[StoredPost]:
        """Stored posts, newest first; only `location`'s (bare id or `locations/{id}`) when
        given. Deleted posts are gone; rejected and scheduled ones are included."""
        return self.post_table.list(None if location is None else _location_name(location))

    def post_counts(self) -> dict[str, int]:
        """{"locations/{id}": number of stored posts}, for locations holding any."""
        return self.post_table.counts()

    def reply_put_counts(self) -> dict[str, int]:
        """{review name: accepted PUTs of its reply} (reviews.updateReply), for reviews
        replied to at least once; survives restarts and is shared by processes."""
        return self.reply_table.put_counts()

    def places_billing(self) -> dict[str, int]:
        """{SKU tier: billed searchText calls} (tiers in places_mask.SKUS), e.g.
        {"ids_only": 40, "enterprise": 2}; survives restarts and is shared by processes."""
        return self.billing.counts()


def _populate(conn: sqlite3.Connection, seed: int, stores: int,
              reviews_per_store: int | None = None) -> None:
    """Write a fresh world inside the caller's transaction."""
    world = build_world(seed, stores)
    meta = [("schema", SCHEMA_VERSION), ("seed", str(seed)), ("stores", str(stores))]
    if reviews_per_store is not None and reviews_per_store != DEFAULT_PER_STORE:
        if not 1 <= reviews_per_store <= 100_000:
            raise ValueError(f"reviews_per_store must be 1..100000, got {reviews_per_store}")
        meta.append(("reviews_per_store", str(reviews_per_store)))
    conn.executemany("INSERT INTO meta VALUES (?,?)", meta)
    conn.executemany("INSERT INTO accounts (name, json) VALUES (?,?)",
                     [(a["name"], json.dumps(a, ensure_ascii=False)) for a in world.accounts])
    conn.executemany(
        "INSERT INTO locations (name, account, json) VALUES (?,?,?)",
        [(loc["name"], world.location_accounts[loc["name"]], json.dumps(loc, ensure_ascii=False))
         for loc in world.locations])
    conn.executemany(
        "INSERT INTO google_live VALUES (?,?,?)",
        [(name, field, json.dumps(value, ensure_ascii=False))
         for name, fields in world.google_live.items() for field, value in fields.items()])

