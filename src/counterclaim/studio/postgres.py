"""Label Studio on PostgreSQL: a private local cluster in the project's data folder, or a server given by URL.

``studio serve --database postgresql`` runs Debian's PostgreSQL (``initdb`` and ``pg_ctl``, found on the PATH
or under ``/usr/lib/postgresql/<version>/bin``) on a cluster kept in ``.counterclaim/postgres/``::

    .counterclaim/postgres/data/          the cluster (PGDATA), created on first use
    .counterclaim/postgres/postgres.log   what the server prints
    .counterclaim/postgres/.s.PGSQL.<port>  its Unix socket (when the path is short enough for one)

It listens on 127.0.0.1 only, on a port free at each start, and every connection needs the password of its
superuser ``counterclaim`` (SCRAM), generated on first use and kept in the 0600 credentials file next to the
Label Studio login. Label Studio gets its own database, ``labelstudio``.

PostgreSQL refuses to run as root. Run by root (as in CI containers), the cluster belongs to an unprivileged
user — ``postgres``, which Debian's package creates, or the one named by ``COUNTERCLAIM_POSTGRES_USER`` —
and its commands run through ``runuser``; that user must be able to reach the project folder (the project's
``.counterclaim`` is opened for searching, not for reading, to let it through).

``--database postgresql://USER@HOST:PORT/NAME`` uses an existing server instead; the password comes from
``PGPASSWORD`` (and is then kept in the credentials file) or from the credentials file, never from the URL.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import re
import secrets
import shutil
import stat
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from counterclaim.io.layout import Layout
from counterclaim.studio.credentials import load_or_create, write_credentials
from counterclaim.studio.errors import StudioError

FOLDER = "postgres"
DATA = "data"
LOG = "postgres.log"
PORT_CONF = "counterclaim.conf"
SUPERUSER = "counterclaim"
DATABASE = "labelstudio"
HOST = "127.0.0.1"
DEFAULT_PORT = 5432
RUN_AS_ENV = "COUNTERCLAIM_POSTGRES_USER"
RUN_AS_DEFAULT = "postgres"
PASSWORD_ENV = "PGPASSWORD"
START_TIMEOUT = 120
MAX_SOCKET_PATH = 100  # a Unix socket path must stay below 108 bytes; the socket's own name takes up to 16
LOCAL = "postgresql"
SQLITE = "sqlite"


@dataclass(frozen=True)
class Database:
    """A PostgreSQL database for Label Studio. ``repr`` and ``url`` leave the password out."""

    host: str
    port: int
    name: str
    user: str
    password: str = field(repr=False)

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.name}"

    def env(self) -> dict[str, str]:
        """Label Studio's settings for this database (it reads ``LABEL_STUDIO_<NAME>`` first)."""
        return {
            "LABEL_STUDIO_DJANGO_DB": "default",
            "LABEL_STUDIO_POSTGRE_NAME": self.name,
            "LABEL_STUDIO_POSTGRE_USER": self.user,
            "LABEL_STUDIO_POSTGRE_PASSWORD": self.password,
            "LABEL_STUDIO_POSTGRE_HOST": self.host,
            "LABEL_STUDIO_POSTGRE_PORT": str(self.port),
        }


def folder(layout: Layout) -> Path:
    """``.counterclaim/postgres`` of the project."""
    return layout.state_dir / FOLDER


# ---------------------------------------------------------------------------------------- the binaries


def _versions_dirs() -> list[Path]:
    root = Path("/usr/lib/postgresql")
    if not root.is_dir():
        return []
    numbered = [p for p in root.iterdir() if re.fullmatch(r"\d+(\.\d+)?", p.name)]
    return [p / "bin" for p in sorted(numbered, key=lambda p: float(p.name), reverse=True)]


def binaries() -> Path:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``: on the PATH, else Debian's newest version."""
    on_path = shutil.which("pg_ctl")
    candidates = ([Path(on_path).resolve().parent] if on_path else []) + _versions_dirs()
    for candidate in candidates:
        if all((candidate / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return candidate
    raise StudioError(
        "PostgreSQL is not installed (no initdb and pg_ctl on the PATH or in /usr/lib/postgresql/*/bin); "
        "install Debian's package with `apt-get install postgresql` (scripts/install-postgresql does it), "
        "or give an existing server with --database postgresql://USER@HOST:PORT/NAME"
    )


# ------------------------------------------------------------------------------------ who runs the cluster


def _run_as() -> pwd.struct_passwd | None:
    """The unprivileged user that runs the cluster when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get(RUN_AS_ENV) or RUN_AS_DEFAULT
    try:
        user = pwd.getpwnam(name)
    except KeyError:
        raise StudioError(
            f"PostgreSQL refuses to run as root, and there is no user {name!r} to run it as; create one "
            f"(Debian's postgresql package creates 'postgres'), or name another with {RUN_AS_ENV}"
        ) from None
    if user.pw_uid == 0:
        raise StudioError(f"{RUN_AS_ENV} names {name!r}, which is root; PostgreSQL needs an unprivileged user")
    return user


def _can_search(path: Path, user: pwd.struct_passwd) -> bool:
    info = path.stat()
    mode = info.st_mode
    if info.st_uid == user.pw_uid:
        return bool(mode & stat.S_IXUSR)
    groups = {user.pw_gid} | {g.gr_gid for g in grp.getgrall() if user.pw_name in g.gr_mem}
    if info.st_gid in groups:
        return bool(mode & stat.S_IXGRP)
    return bool(mode & stat.S_IXOTH)


def _check_reachable(path: Path, user: pwd.struct_passwd) -> None:
    """Make sure ``user`` can reach ``path``: the project's own ``.counterclaim`` gets search permission for
    others (not reading: its files stay 0600); any other closed folder on the way is an error."""
    state_dir = path.absolute().parent
    if not _can_search(state_dir, user):
        os.chmod(state_dir, stat.S_IMODE(state_dir.stat().st_mode) | stat.S_IXOTH)
    for parent in reversed(path.absolute().parents):
        if not _can_search(parent, user):
            raise StudioError(
                f"PostgreSQL runs as user {user.pw_name!r} (it refuses root), who cannot reach {path}: "
                f"{parent} is closed to that user. Allow it (e.g. `chmod o+x {parent}`), move the project, "
                "or run counterclaim as a normal user"
            )


def _command(args: list[str], user: pwd.struct_passwd | None) -> list[str]:
    if user is None:
        return args
    runuser = shutil.which("runuser") or next(
        (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if Path(p).exists()), None)
    if runuser is None:
        raise StudioError("running PostgreSQL as root needs util-linux's runuser, which is missing")
    return [runuser, "-u", user.pw_name, "--", *args]


def _give(path: Path, user: pwd.struct_passwd | None) -> None:
    if user is not None:
        os.chown(path, user.pw_uid, user.pw_gid)


# ---------------------------------------------------------------------------------------- the cluster


@dataclass
class LocalCluster:
    """The project's private PostgreSQL cluster."""

    root: Path  # .counterclaim/postgres

    @property
    def data_dir(self) -> Path:
        return self.root / DATA

    @property
    def log_path(self) -> Path:
        return self.root / LOG

    @property
    def initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").is_file()

    def _run(self, args: list[str], user, *, what: str, timeout: float = START_TIMEOUT) -> subprocess.CompletedProcess:
        env = {**os.environ, "LC_ALL": "C"}
        for name in ("PGDATA", "PGPORT", "PGHOST", "PGUSER", PASSWORD_ENV):
            env.pop(name, None)
        try:
            result = subprocess.run(_command(args, user), capture_output=True, text=True, env=env, timeout=timeout,
                                    stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise StudioError(f"PostgreSQL: {what} did not finish within {timeout:.0f} s; see {self.log_path}") from None
        return result

    def running_port(self) -> int | None:
        """The port of the cluster's running server, or None."""
        pid_file = self.data_dir / "postmaster.pid"
        if not self.initialised or not pid_file.exists():
            return None
        result = self._run([str(binaries() / "pg_ctl"), "-D", str(self.data_dir), "status"], _run_as(),
                           what="status")
        if result.returncode != 0:
            return None
        with contextlib.suppress(OSError, IndexError, ValueError):
            return int(pid_file.read_text().splitlines()[3])
        return None

    def init(self, password: str) -> None:
        """Create the cluster: superuser ``counterclaim`` with ``password``, SCRAM for every connection."""
        user = _run_as()
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(self.root, 0o700)
        if user is not None:
            _check_reachable(self.root, user)
            _give(self.root, user)
        pwfile = self.root / ".initdb-password"
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(password + "\n")
            _give(pwfile, user)
            result = self._run([str(binaries() / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
                                f"--pwfile={pwfile}", "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale"],
                               user, what="initdb")
        finally:
            pwfile.unlink(missing_ok=True)
        if result.returncode != 0:
            raise StudioError(f"PostgreSQL's initdb failed in {self.data_dir}:\n{_indent(result.stderr)}")
        socket_dir = str(self.root) if len(str(self.root)) <= MAX_SOCKET_PATH else ""
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(
                "\n# counterclaim: loopback only, the socket in the project's data folder, the port chosen at start\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{_conf_string(socket_dir)}'\n"
                f"include_if_exists = '{PORT_CONF}'\n"
            )

    def start(self, port: int) -> None:
        user = _run_as()
        if user is not None:
            _check_reachable(self.root, user)
        conf = self.data_dir / PORT_CONF
        conf.write_text(f"port = {int(port)}\n", encoding="utf-8")
        _give(conf, user)
        result = self._run([str(binaries() / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_path), "-w",
                            "-t", str(START_TIMEOUT), "start"], user, what="start", timeout=START_TIMEOUT + 30)
        if result.returncode != 0:
            raise StudioError(f"PostgreSQL did not start (pg_ctl: {result.stdout.strip() or result.stderr.strip()}); "
                              f"see {self.log_path}:\n{_indent(_tail(self.log_path))}")

    def stop(self) -> bool:
        """Stop the server if it runs; True if it did."""
        if self.running_port() is None:
            return False
        result = self._run([str(binaries() / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"],
                           _run_as(), what="stop")
        if result.returncode != 0:
            raise StudioError(f"PostgreSQL did not stop: {result.stderr.strip()}; see {self.log_path}")
        return True


def _conf_string(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "''")


def _indent(text: str) -> str:
    return "\n".join("  | " + line for line in text.strip().splitlines()) or "  | (nothing)"


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# ------------------------------------------------------------------------------------------ connecting


def check_connection(database: Database, *, create: bool = False, timeout: float = 10) -> None:
    """Connect once (creating the database first when ``create``); a ``StudioError`` without the password."""
    import psycopg

    def connect(name: str):
        return psycopg.connect(host=database.host, port=database.port, user=database.user,
                               password=database.password, dbname=name, connect_timeout=int(timeout),
                               autocommit=True)

    try:
        if create:
            with connect("postgres") as con:
                found = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database.name,)).fetchone()
                if not found:
                    con.execute(f'CREATE DATABASE "{database.name}"')
        with connect(database.name):
            pass
    except psycopg.Error as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StudioError(f"cannot use PostgreSQL at {database.url}: {message}") from None


def parse_url(url: str) -> tuple[str, str, int, str]:
    """``(user, host, port, database)`` of ``postgresql://USER@HOST[:PORT]/NAME``; a password in it is refused."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise StudioError(f"--database takes sqlite, postgresql, or a postgresql://USER@HOST:PORT/NAME URL, "
                          f"not {url.split(':', 1)[0]!r}")
    if parts.password is not None:
        raise StudioError("do not put the password in the --database URL (it would show in the process list and "
                          f"the shell history); set {PASSWORD_ENV}, or keep it in the credentials file")
    name = unquote(parts.path.lstrip("/"))
    if not parts.username or not parts.hostname or not name:
        raise StudioError(f"--database URL must name a user, a host and a database: "
                          f"postgresql://USER@HOST:PORT/NAME, not {url}")
    return unquote(parts.username), parts.hostname, parts.port or DEFAULT_PORT, name


def _stored_password(credentials_path: Path) -> tuple[str | None, object, bool]:
    credentials, created = load_or_create(credentials_path)
    return credentials.database_password, credentials, created


def _store_password(credentials_path: Path, credentials, password: str) -> None:
    write_credentials(credentials_path, credentials.with_database_password(password))


@dataclass
class Prepared:
    database: Database
    started: LocalCluster | None  # the local cluster this call started (the caller stops it with the server)
    credentials_created: bool  # the credentials file (Label Studio's admin too) was generated now


def prepare(layout: Layout, credentials_path: Path, spec: str, free_port) -> Prepared:
    """The database Label Studio should use for ``spec`` (``postgresql`` or a URL), ready to connect to.

    For the local cluster: create it on first use, start it unless it runs, and create Label Studio's
    database. ``free_port()`` picks the port.
    """
    stored, credentials, created = _stored_password(credentials_path)
    if spec != LOCAL:
        user, host, port, name = parse_url(spec)
        password = os.environ.get(PASSWORD_ENV) or stored
        if not password:
            raise StudioError(f"no password for {user}@{host}:{port}: set {PASSWORD_ENV} once (it is then kept in "
                              f"{credentials_path}, mode 600)")
        database = Database(host=host, port=port, name=name, user=user, password=password)
        check_connection(database)
        if password != stored:
            _store_password(credentials_path, credentials, password)
        return Prepared(database, None, created)
    cluster = LocalCluster(folder(layout))
    if cluster.initialised and not stored:
        raise StudioError(
            f"{credentials_path} holds no database password, but {cluster.data_dir} already holds a PostgreSQL "
            "cluster set up with one; restore the credentials file, or remove the folder to start afresh "
            "(this deletes its Label Studio data)"
        )
    password = stored or secrets.token_urlsafe(24)
    if not stored:
        _store_password(credentials_path, credentials, password)
    if not cluster.initialised:
        if cluster.data_dir.exists():
            shutil.rmtree(cluster.data_dir)  # left by an initdb that failed
        cluster.init(password)
    port = cluster.running_port()
    started = None
    if port is None:
        port = free_port()
        cluster.start(port)
        started = cluster
    database = Database(host=HOST, port=port, name=DATABASE, user=SUPERUSER, password=password)
    deadline = time.monotonic() + 30
    while True:
        try:
            check_connection(database, create=True)
            break
        except StudioError:
            if time.monotonic() > deadline:
                if started is not None:
                    started.stop()
                raise
            time.sleep(0.5)
    return Prepared(database, started, created)


def stop_local(layout: Layout) -> int | None:
    """Stop the project's local cluster if it runs; return the port it listened on, or None."""
    cluster = LocalCluster(folder(layout))
    if not cluster.initialised:
        return None
    port = cluster.running_port()
    if port is None:
        return None
    cluster.stop()
    return port
