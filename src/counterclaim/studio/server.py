"""Run a local Label Studio (SQLite, or PostgreSQL via studio/postgres.py) for one project, reachable from this
machine only.

Layout (all git-ignored under ``.counterclaim/``)::

    .counterclaim/credentials.json        admin login and API key, mode 0600 (see credentials.py)
    .counterclaim/labelstudio/            LABEL_STUDIO_BASE_DATA_DIR: SQLite database, media, exports
    .counterclaim/labelstudio/server.log  everything the server prints
    .counterclaim/labelstudio/server.pid  {"pid": ..., "url": ...} while a server runs

The server is ``python -m label_studio.server start`` in its own process group, bound to 127.0.0.1. Its
first user comes from the environment (``LABEL_STUDIO_USERNAME`` / ``_PASSWORD`` / ``_USER_TOKEN``, never the
command line, which other users can see) and its organisation accepts legacy tokens, so the generated key
works as ``Authorization: Token <key>``. Switches in ``OFFLINE_ENV`` keep it from calling home. Sign-up is
closed: other annotators join with the organisation's invite link (``counterclaim studio invite``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from counterclaim.io.jsonio import read_json, write_json
from counterclaim.io.layout import Layout
from counterclaim.studio.credentials import Credentials, load_or_create, write_credentials
from counterclaim.studio.credentials import default_credentials_path
from counterclaim.studio.errors import ApiKeyRejected, StudioError

if TYPE_CHECKING:
    from counterclaim.studio.postgres import Database

HOST = "127.0.0.1"
DEFAULT_PORT = 8080
# The first start migrates a new database: about 30 s on a quiet machine, more than 180 s on a busy two-core one.
START_TIMEOUT = 600.0
STOP_TIMEOUT = 15.0
DATA_DIR_NAME = "labelstudio"
LOG_NAME = "server.log"
PID_NAME = "server.pid"
DATABASE_NAME = "label_studio.sqlite3"

# Label Studio reads each setting from LABEL_STUDIO_<NAME>, then HEARTEX_<NAME>, then a bare <NAME>; setting the
# prefixed name also shields the server from unrelated variables such as HOST or DEBUG in the user's shell.
OFFLINE_ENV = {
    "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",  # no request to pypi.org at start
    "LABEL_STUDIO_COLLECT_ANALYTICS": "false",  # no usage events to tele.labelstud.io (server and UI)
    "LABEL_STUDIO_SENTRY_DSN": "",  # the open-source settings ship a default Sentry DSN: no error reports
    "LABEL_STUDIO_FRONTEND_SENTRY_DSN": "",  # nor from the browser (and no script from browser.sentry-cdn.com)
    "LABEL_STUDIO_FEATURE_FLAGS_OFFLINE": "true",  # feature flags from the package, not LaunchDarkly (default)
    "LABEL_STUDIO_CONVERTER_DOWNLOAD_RESOURCES": "false",  # exports do not fetch media referenced by tasks
}
_FIXED_ENV = {
    "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",  # the organisation created at first start accepts Token <key>
    # No account without an invitation link: whoever reaches the server cannot sign up and then read and change
    # every annotation (which the next pull would bring into the corpus). The admin invites annotators from
    # Organization → Add People (the link carries the organisation's token).
    "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    # Label Studio's own settings, plus /version and /api/version closed and no repository details in the versions
    # it puts in its pages (counterclaim/studio/ls_settings.py).
    "DJANGO_SETTINGS_MODULE": "counterclaim.studio.ls_settings",
    # Label Studio runs `git describe` in its package folder to describe itself; inside a project's virtualenv
    # that would find the project's own repository (and write its commit into site-packages). No repository.
    "GIT_DIR": os.devnull,
    "LABEL_STUDIO_DJANGO_DB": "sqlite",
    "LABEL_STUDIO_HOST": "",  # relative URLs; a bare HOST in the shell would otherwise leak in
    "LABEL_STUDIO_DEBUG": "false",
    "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",  # annotators sign up with the invite link only
    "PYTHONUNBUFFERED": "1",  # the log shows progress as it happens
}


@dataclass(frozen=True)
class ServerConfig:
    """Where the server keeps its data and credentials, and the port it listens on (always on 127.0.0.1)."""

    data_dir: Path
    credentials_path: Path
    port: int = DEFAULT_PORT
    start_timeout: float = START_TIMEOUT
    database: "Database | None" = None  # PostgreSQL (studio/postgres.py); None: SQLite in data_dir

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir).absolute())
        object.__setattr__(self, "credentials_path", Path(self.credentials_path).absolute())
        if not isinstance(self.port, int) or not 1 <= self.port <= 65535:
            raise StudioError(f"port must be a number from 1 to 65535, not {self.port!r}")
        if self.start_timeout <= 0:
            raise StudioError(f"start timeout must be positive, not {self.start_timeout!r}")

    @classmethod
    def for_layout(
        cls,
        layout: Layout | None = None,
        *,
        port: int = DEFAULT_PORT,
        data_dir: str | os.PathLike | None = None,
        start_timeout: float = START_TIMEOUT,
    ) -> "ServerConfig":
        layout = layout or Layout.discover()
        return cls(
            data_dir=Path(data_dir) if data_dir is not None else default_data_dir(layout),
            credentials_path=default_credentials_path(layout),
            port=port,
            start_timeout=start_timeout,
        )

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / LOG_NAME

    @property
    def pid_path(self) -> Path:
        return self.data_dir / PID_NAME


def default_data_dir(layout: Layout | None = None) -> Path:
    return (layout or Layout.discover()).state_dir / DATA_DIR_NAME


@dataclass
class ServerHandle:
    """A Label Studio server that is up. ``credentials_created``: the admin's password was generated and has not been
    shown yet (by this start, or by an earlier one that did not succeed)."""

    url: str
    pid: int
    log_path: Path
    pid_path: Path
    credentials_path: Path
    credentials: Credentials
    credentials_created: bool = False
    process: subprocess.Popen | None = field(default=None, repr=False)

    def wait(self) -> int:
        """Block until the server process ends; return its exit code."""
        if self.process is not None:
            return self.process.wait()
        while _alive(self.pid):
            time.sleep(0.5)
        return 0

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Terminate the server's process group, wait, kill it after ``timeout`` seconds; remove the pid file."""
        _terminate(self.pid, self.process, timeout)
        _remove_pid_file(self.pid_path, self.pid)


# ----------------------------------------------------------------------------------------------- ports


def port_in_use(port: int, host: str = HOST) -> bool:
    """True if a server could not bind ``host:port`` now (something listens there or on all addresses)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Django's server does
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def free_port(host: str = HOST) -> int:
    """A port nobody listens on right now (chosen by the OS)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _suggest_port(port: int) -> int:
    for candidate in range(port + 1, min(port + 50, 65536)):
        if not port_in_use(candidate):
            return candidate
    return free_port()


# ------------------------------------------------------------------------------------------ processes


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError, OSError):
        done, _ = os.waitpid(pid, os.WNOHANG)  # reap it if it is our own child that has exited
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie that is not our child: dead only once every thread has exited (the main thread turns into a
    # zombie first, while the others may still hold the listening socket for a moment).
    tasks = Path(f"/proc/{pid}/task")
    if not tasks.is_dir():
        return not Path("/proc/self/task").is_dir()  # gone meanwhile, or a system without /proc
    states = []
    for task in tasks.iterdir():
        with contextlib.suppress(OSError):
            states.append((task / "stat").read_text().rsplit(")", 1)[1].split()[0])
    return any(state not in ("Z", "X") for state in states)


def _is_label_studio(pid: int) -> bool:
    """Whether ``pid`` runs Label Studio (guards against a recycled pid); True where /proc is missing."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if not Path("/proc/self/cmdline").exists():
        return True
    try:
        args = cmdline.read_bytes()
    except OSError:
        return False
    return b"label_studio" in args or b"label-studio" in args


def _signal_group(pid: int, sig: int) -> None:
    try:
        if os.name == "posix" and os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _terminate(pid: int, process: subprocess.Popen | None, timeout: float) -> None:
    def wait(limit: float) -> bool:
        if process is not None:
            try:
                process.wait(timeout=limit)
                return True
            except subprocess.TimeoutExpired:
                return False
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if not _alive(pid):
                return True
            time.sleep(0.1)
        return not _alive(pid)

    if not _alive(pid):
        return
    _signal_group(pid, signal.SIGTERM)
    if wait(timeout):
        return
    _signal_group(pid, signal.SIGKILL)
    if not wait(5.0):
        raise StudioError(f"Label Studio (pid {pid}) did not stop even after SIGKILL")


def _log_tail(path: Path, lines: int = 20) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 16384))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return "(no server log)"
    tail = text.splitlines()[-lines:]
    return "\n".join("  | " + line for line in tail) or "  | (empty)"


# -------------------------------------------------------------------------------------------- pid file


def _read_pid_file(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        data = read_json(path)
    except Exception:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("pid"), int):
        return None
    return data


def _remove_pid_file(path: Path, pid: int) -> None:
    data = _read_pid_file(path)
    if data is None or data.get("pid") == pid:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def running(data_dir: str | os.PathLike) -> dict | None:
    """``{"pid", "url"}`` of the live server recorded in ``data_dir``, or None (removing a stale pid file)."""
    path = Path(data_dir) / PID_NAME
    data = _read_pid_file(path)
    if data is None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return None
    if _alive(data["pid"]) and _is_label_studio(data["pid"]):
        return data
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    return None


# ------------------------------------------------------------------------------------------ start, stop


def _server_command(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "label_studio.server",
        "start",
        "--no-browser",
        "--internal-host",  # the address the server binds (--host is only the public URL prefix)
        HOST,
        "--port",
        str(port),
        # Without --debug, Label Studio silently moves to the next port when the one asked for is busy;
        # --debug affects nothing else in label_studio/server.py of 1.23.
        "--debug",
    ]


def _server_env(config: ServerConfig, credentials: Credentials) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "HEARTEX_", "GIT_"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(OFFLINE_ENV)
    env.update(_FIXED_ENV)
    env.update(
        {
            "LABEL_STUDIO_BASE_DATA_DIR": str(config.data_dir),
            "LABEL_STUDIO_DATABASE_NAME": str(config.data_dir / DATABASE_NAME),
            "LABEL_STUDIO_USERNAME": credentials.username,
            "LABEL_STUDIO_PASSWORD": credentials.password,
            "LABEL_STUDIO_USER_TOKEN": credentials.api_key,
        }
    )
    if config.database is not None:
        env.update(config.database.env())
    return env


def _health(url: str, timeout: float = 2.0) -> int | None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never through a proxy
    try:
        with opener.open(f"{url}/health", timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, ValueError):
        return None


def _load_credentials(config: ServerConfig) -> tuple[Credentials, bool]:
    database = config.data_dir / DATABASE_NAME
    if config.database is None and not config.credentials_path.exists() and database.exists():
        raise StudioError(
            f"{config.credentials_path} is missing, but {config.data_dir} already holds a Label Studio database "
            "whose admin it described; restore the file, or remove the folder to start afresh "
            "(this deletes its projects and annotations)"
        )
    return load_or_create(config.credentials_path)


def preflight(config: ServerConfig) -> None:
    """Raise StudioError if a server already runs from ``config.data_dir`` or the port is taken."""
    existing = running(config.data_dir)
    if existing is not None:
        raise StudioError(
            f"Label Studio already runs from {config.data_dir} at {existing.get('url')} (pid {existing['pid']}); "
            "use it, or stop it first with `counterclaim studio stop`"
        )
    if port_in_use(config.port):
        raise StudioError(
            f"port {config.port} on {HOST} is already in use; choose another one with --port "
            f"(for example --port {_suggest_port(config.port)})"
        )


def start(config: ServerConfig) -> ServerHandle:
    """Start Label Studio and return once ``/health`` answers 200 and the API key is accepted.

    Raises StudioError (naming the server log) if the port is busy, the server exits or does not become
    healthy within ``config.start_timeout`` seconds, or it rejects the stored API key.
    """
    preflight(config)
    config.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    credentials, created = _load_credentials(config)

    with config.log_path.open("ab") as log:
        log.write(f"\n--- counterclaim: starting Label Studio at {config.url} ({time.ctime()}) ---\n".encode())
        log.flush()
        process = subprocess.Popen(
            _server_command(config.port),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_server_env(config, credentials),
            cwd=config.data_dir,
            start_new_session=True,  # own process group: stop() signals the whole group, Ctrl-C reaches only us
        )
    handle = ServerHandle(
        url=config.url,
        pid=process.pid,
        log_path=config.log_path,
        pid_path=config.pid_path,
        credentials_path=config.credentials_path,
        credentials=credentials,
        credentials_created=created or not credentials.password_shown,
        process=process,
    )
    write_json(config.pid_path, {"pid": process.pid, "url": config.url})
    try:
        _wait_healthy(handle, config.start_timeout)
        _check_login(handle, config)
    except BaseException:
        handle.stop()
        raise
    if credentials.url != config.url:
        handle.credentials = credentials.with_url(config.url)
        write_credentials(config.credentials_path, handle.credentials)
    return handle


def _wait_healthy(handle: ServerHandle, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        code = handle.process.poll() if handle.process is not None else None
        if code is not None:
            raise StudioError(
                f"Label Studio exited with code {code} before it answered at {handle.url}; "
                f"see the server log {handle.log_path}:\n{_log_tail(handle.log_path)}"
            )
        if _health(handle.url) == 200:
            return
        if time.monotonic() > deadline:
            raise StudioError(
                f"Label Studio did not answer {handle.url}/health within {timeout:.0f} s; see the server log "
                f"{handle.log_path}. The first start sets up its database and can take longer on a busy machine: "
                f"try again with a longer --timeout (the set-up goes on where it stopped):\n"
                f"{_log_tail(handle.log_path)}"
            )
        time.sleep(0.5)


def _check_login(handle: ServerHandle, config: ServerConfig) -> None:
    from counterclaim.studio.client import connect

    try:
        connect(handle.url, handle.credentials.api_key)
    except ApiKeyRejected:
        raise StudioError(
            f"Label Studio started but rejects the API key in {config.credentials_path}: the database in "
            f"{config.data_dir} was set up with other credentials. Restore the matching credentials file, or "
            f"remove {config.data_dir} to start afresh (this deletes its projects and annotations)"
        ) from None
    except StudioError as exc:
        if handle.process is not None and handle.process.poll() is not None:
            raise StudioError(
                f"Label Studio exited right after start; see the server log {handle.log_path}:\n"
                f"{_log_tail(handle.log_path)}"
            ) from None
        raise StudioError(f"{exc}; see the server log {handle.log_path}") from None


@contextlib.contextmanager
def sigterm_as_interrupt():
    """Within the block, SIGTERM raises KeyboardInterrupt, so the same cleanup runs as for Ctrl-C."""

    def on_sigterm(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, on_sigterm)
    except ValueError:  # not the main thread: leave SIGTERM alone
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def run_foreground(handle: ServerHandle, timeout: float = STOP_TIMEOUT) -> int:
    """Wait for the server to end; on Ctrl-C or SIGTERM stop it cleanly. Return its exit code (0 if we stopped it)."""
    with sigterm_as_interrupt():
        try:
            code = handle.wait()
        except KeyboardInterrupt:
            handle.stop(timeout)
            return 0
    _remove_pid_file(handle.pid_path, handle.pid)
    return code


def stop(data_dir: str | os.PathLike, timeout: float = STOP_TIMEOUT) -> dict | None:
    """Stop the server recorded in ``data_dir``; return its ``{"pid", "url"}``, or None if none was running."""
    data_dir = Path(data_dir)
    info = running(data_dir)
    if info is None:
        return None
    _terminate(info["pid"], None, timeout)
    _remove_pid_file(data_dir / PID_NAME, info["pid"])
    return info
