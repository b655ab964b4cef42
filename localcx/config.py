"""Workspaces: one folder per client holding settings, the SQLite store and secrets.

`LOCALCX_HOME` overrides the user data dir so scripts, tests and cron jobs can point
at a folder of their own. Secrets live in `secrets/` with mode 0600 and are never
printed; settings.toml holds nothing secret, so it can be shared or committed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

import filelock
import platformdirs
import tomli_w

from localcx.errors import SettingsError, UsageError, WorkspaceError
from localcx.settings import (
    BACKENDS,
    HttpSettings,
    LimitSettings,
    SandboxSettings,
    Settings,
)

__all__ = [
    "BACKENDS",
    "DEFAULT_WORKSPACE",
    "ENDPOINT_ENV",
    "HttpSettings",
    "LimitSettings",
    "SandboxSettings",
    "Settings",
    "SettingsError",
    "Workspace",
    "check_name",
    "clean_secret",
    "command_hint",
    "create_workspace",
    "endpoint_override",
    "env_secret",
    "home",
    "list_workspaces",
    "open_workspace",
    "workspace_dir",
]

DEFAULT_WORKSPACE = "default"
# One base URL for every Google host (emulators, proxies); same paths as Google's.
ENDPOINT_ENV = "LOCALCX_GOOGLE_ENDPOINT"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SECRET = re.compile(r"^[\x21-\x7e]+$")  # printable ASCII, no spaces: all a header can carry


def home() -> Path:
    env = os.environ.get("LOCALCX_HOME")
    return Path(env).expanduser() if env else Path(platformdirs.user_data_dir("localcx"))


def command_hint(workspace_name: str, args: str) -> str:
    """The localcx command line to suggest, with `-w NAME` unless it is the default.

    Without the flag, a user following the hint would act on the default workspace.
    """
    if workspace_name == DEFAULT_WORKSPACE:
        return f"localcx {args}"
    return f"localcx -w {workspace_name} {args}"


def clean_secret(value: str, what: str) -> str:
    """A token or key as pasted: surrounding whitespace and newlines dropped, the rest checked.

    `what` names where it came from (an env var, a file); the value itself never appears
    in the error, since it may be a real secret with one stray character in it.
    """
    cleaned = value.strip()
    if not cleaned:
        raise UsageError(f"{what} is empty", hint="paste the whole value, on one line")
    if not _SECRET.match(cleaned):
        position = next(i for i, ch in enumerate(cleaned, 1) if not _SECRET.match(ch))
        raise UsageError(
            f"{what} contains a space, control or non-ASCII character "
            f"(character {position} of {len(cleaned)}; the value is not shown)",
            hint="copy the value again without line breaks, tabs or spaces inside it",
        )
    return cleaned


def env_secret(name: str) -> str | None:
    """A secret from an environment variable (LOCALCX_GOOGLE_TOKEN), cleaned; None if unset.

    `export TOKEN=$(cat file)` and CI secret stores often leave a trailing newline.
    """
    value = os.environ.get(name)
    return clean_secret(value, name) if value else None


def endpoint_override() -> str | None:
    """LOCALCX_GOOGLE_ENDPOINT, checked, without a trailing slash; None when unset.

    Checked here so `127.0.0.1:8765` gets a fix instead of httpx's UnsupportedProtocol.
    """
    raw = os.environ.get(ENDPOINT_ENV, "").strip()
    if not raw:
        return None
    if _is_endpoint(raw):
        return raw.rstrip("/")
    if "@" in raw:  # user:password@host: never echo a password
        shown, example = "a URL with a user or password", "http://127.0.0.1:8765"
    else:
        guess = "http://" + raw.split("://", 1)[-1]
        shown, example = repr(raw), guess if _is_endpoint(guess) else "http://127.0.0.1:8765"
    raise UsageError(
        f"{ENDPOINT_ENV} must be http(s)://host[:port][/path], not {shown}",
        hint=f"set it like this: {ENDPOINT_ENV}={example}",
    )


def _is_endpoint(url: str) -> bool:
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # a port that is not a number, or above 65535
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and port_ok
        and "@" not in parts.netloc
        and not parts.query
        and not parts.fragment
        and " " not in url
    )


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
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:
            raise WorkspaceError(
                f"{path} is not UTF-8 text", hint="delete it and save the secret again"
            ) from None
        except OSError as exc:
            raise WorkspaceError(
                f"cannot read {path}: {exc.strerror}",
                hint="check the file's owner and permissions (it should be 0600 and yours)",
            ) from None

    def write_secret(self, name: str, value: str) -> Path:
        """Write with 0600 from the first byte: the file is never readable by others.

        A unique temporary file, synced then renamed over the old one, so two processes
        refreshing one login at once each leave a whole file and never a mix or a crash.
        """
        self.secrets_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.secret_path(name)
        fd, tmp = tempfile.mkstemp(dir=self.secrets_dir, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp makes it 0600
                fh.write(value)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return path

    def delete_secret(self, name: str) -> bool:
        path = self.secret_path(name)
        if path.exists():
            path.unlink()
            return True
        return False

    @contextmanager
    def exclusive(
        self, area: str, waiting: Callable[[str], None] | None = None, *, wait: bool = True
    ) -> Iterator[bool]:
        """Hold the area's run lock, so two runs of one area (two applies, an apply and a
        cron resume) never work on one journal at once; a second one waits its turn, it
        never fails. Each area has its own lock: a posts run does not wait for a profiles
        run. With `wait=False` (a cron job every few minutes) it yields False at once
        instead, leaving the work to the run in progress. The OS drops the lock if the
        process dies, even by kill -9."""
        lock = filelock.FileLock(self.path / f"run-{area}.lock")
        try:
            lock.acquire(timeout=0)
        except filelock.Timeout:
            if not wait:
                yield False
                return
            if waiting is not None:
                waiting(
                    f"Another {area} run is writing to workspace {self.name!r}; "
                    "waiting for it to finish…"
                )
            lock.acquire()
        try:
            yield True
        finally:
            lock.release()

    def save_settings(self) -> None:
        self.settings_path.write_text(tomli_w.dumps(self.settings.to_dict()), encoding="utf-8")


def check_name(name: str) -> str:
    if not name.strip():
        raise UsageError(
            "the workspace name is empty",
            hint="pass -w NAME (letters, digits, '.', '_' or '-'), or leave -w out for 'default'",
        )
    if not _NAME.match(name):
        raise UsageError(
            f"bad workspace name {name!r}",
            hint="use letters, digits, '.', '_' or '-' (at most 64)",
        )
    return name


def workspace_dir(name: str) -> Path:
    return home() / "workspaces" / check_name(name)


def open_workspace(name: str) -> Workspace:
    """Open and check a workspace; settings problems raise SettingsError (all of them)."""
    path = workspace_dir(name)
    settings_path = path / "settings.toml"
    if not settings_path.exists():
        raise WorkspaceError(
            f"workspace {name!r} does not exist",
            hint=f"create it with: {command_hint(name, 'init --sandbox')}   (or --google)",
        )
    fix = f"edit {settings_path}, then check it with: {command_hint(name, 'doctor')}"
    try:
        data = tomllib.loads(settings_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            f"{settings_path}: not valid TOML", [f"{settings_path}: {exc}"], hint=fix
        ) from None
    except UnicodeDecodeError:
        raise SettingsError(
            f"{settings_path}: not valid TOML",
            [f"{settings_path}: not UTF-8 text; save it as UTF-8"],
            hint=fix,
        ) from None
    except OSError as exc:
        raise WorkspaceError(f"cannot read {settings_path}: {exc.strerror}") from None
    return Workspace(name, path, Settings.from_dict(data, settings_path, hint=fix))


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
