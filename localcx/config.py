"""Workspaces: one folder per client holding settings, the SQLite store and secrets.

`LOCALCX_HOME` overrides the user data dir so scripts, tests and cron jobs can point
at a folder of their own. Secrets live in `secrets/` with mode 0600 and are never
printed; settings.toml holds nothing secret, so it can be shared or committed.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import filelock
import platformdirs
import tomli_w

from localcx.errors import UsageError, WorkspaceError

DEFAULT_WORKSPACE = "default"
# One base URL for every Google host (emulators, proxies); same paths as Google's.
ENDPOINT_ENV = "LOCALCX_GOOGLE_ENDPOINT"
BACKENDS = ("sandbox", "google")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def home() -> Path:
    env = os.environ.get("LOCALCX_HOME")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir("localcx"))


@dataclass
class SandboxSettings:
    """The emulator's city and the quotas it enforces (Google's by default)."""

    seed: int = 7
    stores: int = 30
    faults: str = ""
    project_qpm: int = 300
    edits_per_minute: int = 10
    daily_updates: int = 10000


@dataclass
class LimitSettings:
    """Google's quotas. Lower them to share a project; raising them only earns 429s."""

    project_qpm: int = 300
    edits_per_minute: int = 10
    places_qpm: int = 600
    headroom: float = 0.97
    daily_updates: int = 10000
    shared_quota: bool = True  # one ledger for every process on the Cloud project


@dataclass
class HttpSettings:
    timeout: float = 30.0
    max_attempts: int = 6
    backoff_base: float = 1.0
    backoff_cap: float = 64.0
    workers: int = 4


@dataclass
class Settings:
    backend: str = "sandbox"
    region: str = "US"
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    http: HttpSettings = field(default_factory=HttpSettings)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: Path) -> Settings:
        try:
            settings = cls(
                backend=data.get("backend", "sandbox"),
                region=data.get("region", "US"),
                sandbox=SandboxSettings(**data.get("sandbox", {})),
                limits=LimitSettings(**data.get("limits", {})),
                http=HttpSettings(**data.get("http", {})),
            )
        except TypeError as exc:
            raise WorkspaceError(f"{source}: {exc}", hint="fix or remove the unknown key") from exc
        if settings.backend not in BACKENDS:
            raise WorkspaceError(
                f"{source}: backend must be one of {', '.join(BACKENDS)}, not {settings.backend!r}"
            )
        return settings

    def to_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "region": self.region,
            "sandbox": vars(self.sandbox),
            "limits": vars(self.limits),
            "http": vars(self.http),
        }


class Workspace:
    """A client's folder. Opening one never creates it: `localcx init` does that."""

    def __init__(self, name: str, path: Path, settings: Settings):
        self.name = name
        self.path = path
        self.settings = settings

    @property
    def db_path(self) -> Path:
        return self.path / "localcx.db"

    @property
    def sandbox_path(self) -> Path:
        return self.path / "sandbox.db"

    @property
    def settings_path(self) -> Path:
        return self.path / "settings.toml"

    @property
    def secrets_dir(self) -> Path:
        return self.path / "secrets"

    def secret_path(self, name: str) -> Path:
        return self.secrets_dir / name

    def read_secret(self, name: str) -> str | None:
        path = self.secret_path(name)
        return path.read_text(encoding="utf-8") if path.exists() else None

    def write_secret(self, name: str, value: str) -> Path:
        """Write with 0600 from the first byte: the file is never readable by others."""
        self.secrets_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.secret_path(name)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(value)
        os.chmod(tmp, 0o600)
        tmp.replace(path)
        return path

    def delete_secret(self, name: str) -> bool:
        path = self.secret_path(name)
        if path.exists():
            path.unlink()
            return True
        return False

    @contextmanager
    def exclusive(self, what: str) -> Iterator[None]:
        """Hold the workspace's run lock, so two applies (or an apply and a resume) never
        work on one journal at once. The OS drops it if the process dies, even by kill -9."""
        lock = filelock.FileLock(self.path / "run.lock")
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            raise WorkspaceError(
                f"another localcx run is writing to workspace {self.name!r}; not starting {what}",
                hint="wait for it to finish (see: localcx profiles history), then try again",
            ) from None
        try:
            yield
        finally:
            lock.release()

    def save_settings(self) -> None:
        self.settings_path.write_text(tomli_w.dumps(self.settings.to_dict()), encoding="utf-8")


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise UsageError(
            f"bad workspace name {name!r}",
            hint="use letters, digits, '.', '_' or '-' (at most 64)",
        )
    return name


def workspace_dir(name: str) -> Path:
    return home() / "workspaces" / check_name(name)


def open_workspace(name: str) -> Workspace:
    path = workspace_dir(name)
    settings_path = path / "settings.toml"
    if not settings_path.exists():
        flag = "" if name == DEFAULT_WORKSPACE else f"-w {name} "
        raise WorkspaceError(
            f"workspace {name!r} does not exist",
            hint=f"create it with: localcx {flag}init --sandbox   (or --google)",
        )
    try:
        data = tomllib.loads(settings_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise WorkspaceError(f"{settings_path}: {exc}") from exc
    return Workspace(name, path, Settings.from_dict(data, settings_path))


def create_workspace(name: str, settings: Settings, *, replace: bool = False) -> Workspace:
    path = workspace_dir(name)
    if (path / "settings.toml").exists():
        if not replace:
            raise WorkspaceError(
                f"workspace {name!r} already exists",
                hint="pick another name with -w NAME, or pass --force to start it afresh",
            )
        shutil.rmtree(path)
    path.mkdir(parents=True, exist_ok=True)
    workspace = Workspace(name, path, settings)
    workspace.save_settings()
    return workspace


def list_workspaces() -> Iterator[Workspace]:
    root = home() / "workspaces"
    if not root.exists():
        return
    for child in sorted(root.iterdir()):
        if (child / "settings.toml").exists():
            try:
                yield open_workspace(child.name)
            except WorkspaceError:
                continue
