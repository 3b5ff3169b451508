"""All-or-nothing changes to several files, and one command at a time per project.

A command that changes more than one file (``release``, ``corpus add``/``build``, ``studio pull``, ``export``,
``adjudicate``, ``author compile``) does it in a :class:`Transaction`:

1. **stage**: every new file is written beside its target, in a hidden staging folder ``.cc-tx-<id>`` of the
   target's nearest existing folder (same file system, so a rename moves it), or in a staging folder the command
   fills itself (the export's parquet files). Each staging folder is recorded in ``.counterclaim/tx/<id>.staging``
   before anything is written into it. Nothing a reader sees has changed yet; a failure or a crash leaves only
   staging folders, which the next command removes.
2. **validate**: the command checks everything it staged; on any error it aborts and nothing was written.
3. **commit**: staged files are fsynced, then their folders; the list of operations (rename this staged file over
   that target, remove that file) is written to ``.counterclaim/tx/<id>.commit`` (a header line, then one
   operation a line) — written, fsynced, renamed into place: this rename is the commit point. Then the operations
   run in order, the target folders are fsynced, the staging folders and the records are removed.

Recovery (:func:`recover`, run by every command when it takes the project lock, and by read-only commands when
the lock is free): a commit record means the commit point was passed, so its remaining operations are done
(roll forward; every operation can be done twice); a staging record without a commit record means it was not,
so its staging folders are removed (roll back). Either way the files are the old state or the new one, and
running the interrupted command again gives what an uninterrupted run gives.

The project lock (``.counterclaim/lock``, ``fcntl.flock``) serializes commands on one project. Its holder writes
its pid, command and start time into the file; a second command says whom it waits for, then waits. The
kernel releases the lock when the process ends, however it ends. The lock is re-entrant within a process, so a
command may call library functions that take it too.

Memory does not grow with the number of files: the plan (which target gets which staged file, in order) lives
in a SQLite file in a staging folder of its own (:class:`_Plan`), at most :data:`MAX_PENDING_SYNCS` fsyncs are
in flight, and the commit record is written and read one operation at a time. Held as Python objects, a plan
and its fsync futures cost about 2 KB a file (100 MB for a pull of 50,000 documents).

Why our own: the pieces are standard (staged files, a journal, rename as the commit point, flock), but no
maintained Python library commits several files with a journal that another process rolls forward.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
import sys
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator

from counterclaim.io import faults
from counterclaim.io.layout import LOCK_FILE, TRANSACTIONS_DIR as TX_DIR
from counterclaim.io.scratch import rows, scratch_db

STAGING_PREFIX = ".cc-tx-"
_REPLACE, _DELETE, _RMDIR = "replace", "delete", "rmdir"
# fsyncs of staged files in flight at most: enough to keep the disk busy, few enough that memory stays flat
MAX_PENDING_SYNCS = 64

# lock file (real path) -> [open descriptor, depth], for the locks this process holds
_HELD: dict[str, list[int]] = {}


# -- durable file system operations ------------------------------------------------------------------------


def fsync_dir(path: str | os.PathLike) -> None:
    """Make the entries of a folder (created, renamed, removed files) durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: str | os.PathLike) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dirs(folder: str | os.PathLike) -> None:
    """fsync ``folder`` and every folder below it (symbolic links not followed). Read with ``scandir``: ``rglob``
    keeps every path it yielded in a set, and a staging folder may hold 50,000 files."""
    fsync_dir(folder)
    with os.scandir(folder) as entries:
        subs = [entry.path for entry in entries if entry.is_dir(follow_symlinks=False)]
    for sub in subs:
        _fsync_dirs(sub)


def _makedirs(path: Path) -> None:
    """Create ``path`` and its missing parents, each made durable in its parent."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        faults.point("mkdir", folder)
        with contextlib.suppress(FileExistsError):
            folder.mkdir()
        fsync_dir(folder.parent)


def _remove_tree(path: Path) -> None:
    faults.point("rmtree", path)
    shutil.rmtree(path, ignore_errors=True)


def _encode(paths) -> list[str]:
    return [os.fsdecode(p) for p in paths]


# -- the lock --------------------------------------------------------------------------------------------------


def _say_waiting(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def holder_of(state_dir: str | os.PathLike) -> str | None:
    """Who holds the project lock, as "`counterclaim COMMAND` (pid N, started T)", or None if unknown."""
    try:
        data = json.loads((Path(state_dir) / LOCK_FILE).read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return f"`counterclaim {data.get('command')}` (pid {data.get('pid')}, started {data.get('started')})"


@contextlib.contextmanager
def project_lock(state_dir: str | os.PathLike, command: str, *,
                 on_wait: Callable[[str], None] | None = None) -> Iterator[bool]:
    """Hold the project's lock for the block; yields True for the outermost hold in this process.

    If another process holds it, ``on_wait`` (default: a line on standard error) is told who, and the call waits.
    """
    import fcntl

    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    path = os.path.realpath(state_dir / LOCK_FILE)
    held = _HELD.get(path)
    if held is not None:
        held[1] += 1
        try:
            yield False
        finally:
            held[1] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            who = holder_of(state_dir) or "another counterclaim command"
            (on_wait or _say_waiting)(f"waiting for {who} to finish: it holds the lock on this project ({path}) ...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "command": command, "started": started}).encode(), 0)
        _HELD[path] = [fd, 1]
        try:
            yield True
        finally:
            del _HELD[path]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # releases the lock


# -- recovery ----------------------------------------------------------------------------------------------------


def _apply(ops: Iterable[list], staging: list[str]) -> None:
    """Run a commit's operations (each can run twice; streamed, in order), make them durable, remove the staging
    folders."""
    touched: set[str] = set()
    present: set[Path] = set()  # folders known to exist
    for op in ops:
        kind, target = op[0], Path(op[1])
        if kind == _REPLACE:
            staged = Path(op[2])
            if not os.path.lexists(staged):
                continue  # done before a crash
            if target.parent not in present:
                _makedirs(target.parent)
                present.add(target.parent)
            faults.point("rename", target)
            os.replace(staged, target)
        elif kind == _DELETE:
            if not os.path.lexists(target):
                continue
            faults.point("unlink", target)
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink()
        elif kind == _RMDIR:
            if not target.is_dir():
                continue
            faults.point("rmdir", target)
            with contextlib.suppress(OSError):  # not empty: something else lives there
                target.rmdir()
        touched.add(os.fspath(target.parent))
    for folder in sorted(touched):
        if os.path.isdir(folder):
            fsync_dir(folder)
    for folder in staging:
        _remove_tree(Path(folder))


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    out = []
    for line in text.splitlines():
        with contextlib.suppress(ValueError):  # a line cut short by a crash: its folder was not created yet
            out.append(json.loads(line))
    return out


def _commit_header(record: Path) -> dict:
    with open(record, encoding="utf-8") as fh:
        return json.loads(fh.readline())


def _commit_ops(record: Path) -> Iterator[list]:
    """The operations of a commit record, one at a time: the lines after its header (a record of an older version
    is one JSON object holding ``ops``)."""
    with open(record, encoding="utf-8") as fh:
        header = json.loads(fh.readline())
        if "ops" in header:
            yield from header["ops"]
            return
        for line in fh:
            yield json.loads(line)


def recover(state_dir: str | os.PathLike) -> list[str]:
    """Finish or undo the transactions a crashed command left (the caller holds the lock); say what was done."""
    folder = Path(state_dir) / TX_DIR
    if not folder.is_dir():
        return []
    done = []
    for record in sorted(folder.glob("*.commit")):
        data = _commit_header(record)
        _apply(_commit_ops(record), data["staging"])
        staging_record = record.with_suffix(".staging")
        faults.point("unlink", staging_record)
        staging_record.unlink(missing_ok=True)
        faults.point("unlink", record)
        record.unlink()
        done.append(f"completed the interrupted `counterclaim {data.get('command')}`")
    for record in sorted(folder.glob("*.staging")):
        for staged in _read_lines(record):
            _remove_tree(Path(staged))
        faults.point("unlink", record)
        record.unlink()
        done.append(f"removed what an interrupted command had staged ({record.stem})")
    for leftover in folder.glob("*.tmp"):
        leftover.unlink(missing_ok=True)
    if done:
        fsync_dir(folder)
    return done


def recover_if_idle(state_dir: str | os.PathLike) -> list[str]:
    """:func:`recover` if an interrupted transaction is on record and no command holds the lock now.

    For commands that only read: they never wait, and a command that holds the lock has recovered already."""
    import fcntl

    folder = Path(state_dir) / TX_DIR
    if not folder.is_dir() or not any(folder.iterdir()):
        return []
    path = os.path.realpath(Path(state_dir) / LOCK_FILE)
    if path in _HELD:
        return []
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return []
        return recover(state_dir)
    finally:
        os.close(fd)


# -- what readers see ---------------------------------------------------------------------------------------------


class DiskView:
    """Files as they are on disk: what a reader outside a transaction sees (see :meth:`Transaction.view`)."""

    def view(self, path: str | os.PathLike) -> Path | None:
        return Path(path)

    def listdir(self, folder: str | os.PathLike) -> list[str]:
        """The names in ``folder``, sorted (empty if it does not exist)."""
        try:
            return sorted(os.listdir(folder))
        except (FileNotFoundError, NotADirectoryError):
            return []

    def is_dir(self, folder: str | os.PathLike) -> bool:
        return Path(folder).is_dir()


DISK = DiskView()


# -- transactions ----------------------------------------------------------------------------------------------


class _Plan:
    """What a transaction will do, target by target, in the order it was last planned: ``target -> (kind,
    staged path or None)``, kept in a SQLite file so that memory stays flat however many files are staged.

    SQLite (the standard library's) is the simplest ordered, indexed map on disk: a Python dict of paths costs
    about 1 KB a file. The file is scratch (no journal, no fsync): what makes a commit durable is the commit
    record. Paths are stored as their bytes (``os.fsencode``), so every file name fits and the order of a range
    of them is the order of their bytes."""

    def __init__(self, folder: Path):
        self._db = scratch_db(folder / "plan.sqlite3", check_same_thread=False)
        self._db.execute("CREATE TABLE ops (target BLOB PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL,"
                         " staged BLOB)")
        self._db.execute("BEGIN")
        self._seq = 0

    def set(self, target: Path, kind: str, staged: Path | None) -> None:
        """Plan ``kind`` for ``target``, after everything planned so far (whatever was planned for it is replaced)."""
        self._seq += 1
        self._db.execute("INSERT OR REPLACE INTO ops VALUES (?, ?, ?, ?)",
                         (os.fsencode(target), self._seq, kind, None if staged is None else os.fsencode(staged)))

    def get(self, target: Path) -> tuple[str, Path | None] | None:
        row = self._db.execute("SELECT kind, staged FROM ops WHERE target = ?", (os.fsencode(target),)).fetchone()
        return None if row is None else (row[0], None if row[1] is None else Path(os.fsdecode(row[1])))

    def remove(self, target: Path) -> None:
        self._db.execute("DELETE FROM ops WHERE target = ?", (os.fsencode(target),))

    def __bool__(self) -> bool:
        return self._db.execute("SELECT 1 FROM ops LIMIT 1").fetchone() is not None

    def under(self, folder: Path) -> Iterator[tuple[Path, str]]:
        """``(target, kind)`` of the targets inside ``folder`` (at any depth)."""
        low = os.fsencode(folder).rstrip(b"/") + b"/"
        high = low[:-1] + b"0"  # the byte after "/": every path below ``folder`` sorts between
        for target, kind in rows(self._db, "SELECT target, kind FROM ops WHERE target >= ? AND target < ?", (low, high)):
            yield Path(os.fsdecode(target)), kind

    def in_order(self) -> Iterator[tuple[str, Path, Path | None]]:
        """``(kind, target, staged)`` in the order planned."""
        for kind, target, staged in rows(self._db, "SELECT kind, target, staged FROM ops ORDER BY seq"):
            yield kind, Path(os.fsdecode(target)), None if staged is None else Path(os.fsdecode(staged))

    def close(self) -> None:
        self._db.close()


class Transaction:
    """The files one command changes, staged until :meth:`commit`. See the module docstring."""

    def __init__(self, state_dir: str | os.PathLike, command: str):
        self.state_dir = Path(state_dir)
        self.command = command
        self.id = f"{os.getpid():x}-{secrets.token_hex(4)}"
        self._plan_db: _Plan | None = None  # made at the first planned change
        self._staging: list[Path] = []  # staging folders, recorded
        self._staging_for: dict[Path, Path] = {}  # existing folder -> its staging folder for stage_file
        self._names = 0
        self._pool: ThreadPoolExecutor | None = None
        self._syncs: deque[Future] = deque()  # at most MAX_PENDING_SYNCS
        self._closed = False

    @property
    def _plan(self) -> _Plan:
        if self._plan_db is None:
            self._record_dir.mkdir(parents=True, exist_ok=True)
            self._plan_db = _Plan(self.staging_dir(self._record_dir / "plan"))
        return self._plan_db

    # -- records
    @property
    def _record_dir(self) -> Path:
        return self.state_dir / TX_DIR

    def _record_staging(self, folder: Path) -> None:
        self._record_dir.mkdir(parents=True, exist_ok=True)
        record = self._record_dir / f"{self.id}.staging"
        faults.point("stage", folder)
        with open(record, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(os.fsdecode(folder)) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        self._staging.append(folder)

    # -- staging
    def staging_dir(self, near: str | os.PathLike) -> Path:
        """A new, empty folder beside ``near`` (on its file system) for the caller to fill; removed at the end."""
        near = Path(near)
        anchor = near.parent
        while not anchor.exists():
            anchor = anchor.parent
        folder = anchor / f"{STAGING_PREFIX}{self.id}-{len(self._staging)}-{near.name}"
        self._record_staging(folder)
        folder.mkdir()
        return folder

    def stage_file(self, target: str | os.PathLike) -> Path:
        """A path to write the new content of ``target`` to; it replaces ``target`` at the commit."""
        target = Path(target)
        anchor = target.parent
        while not anchor.exists():
            anchor = anchor.parent
        folder = self._staging_for.get(anchor)
        if folder is None:
            folder = self._staging_for[anchor] = anchor / f"{STAGING_PREFIX}{self.id}"
            self._record_staging(folder)
            folder.mkdir()
        self._names += 1
        staged = folder / f"{self._names:08d}"
        self._plan.set(target, _REPLACE, staged)
        faults.point("write", staged)
        return staged

    def write_bytes(self, target: str | os.PathLike, data: bytes) -> None:
        """Stage ``data`` as the new content of ``target``."""
        with self.open_staged(target) as fh:
            fh.write(data)

    @contextlib.contextmanager
    def open_staged(self, target: str | os.PathLike) -> Iterator[IO[bytes]]:
        """A file to write the new content of ``target`` into, piece by piece (a large file written streamed)."""
        staged = self.stage_file(target)
        with open(staged, "wb") as fh:
            yield fh
        os.chmod(staged, 0o666 & ~_umask())
        self._sync_later(staged)

    def adopt(self, target: str | os.PathLike, staged: str | os.PathLike) -> None:
        """Make ``staged`` (a file the caller wrote: one :meth:`stage_file` named, or one inside a
        :meth:`staging_dir`) replace ``target``."""
        self._plan.set(Path(target), _REPLACE, Path(staged))
        self._sync_later(Path(staged))

    def delete(self, target: str | os.PathLike) -> None:
        """Remove ``target`` (a file, or a folder with what it holds) at the commit."""
        self._plan.set(Path(target), _DELETE, None)

    def remove_if_empty(self, folder: str | os.PathLike) -> None:
        """Remove ``folder`` at the commit if it is empty by then."""
        self._plan.set(Path(folder), _RMDIR, None)

    def discard(self, target: str | os.PathLike) -> None:
        """Forget what was staged or planned for ``target``: it stays as it is."""
        if self._plan_db is not None:
            self._plan_db.remove(Path(target))

    # -- reading the staged state
    def _op(self, path: str | os.PathLike) -> tuple[str, Path | None] | None:
        return None if self._plan_db is None else self._plan_db.get(Path(path))

    def planned(self, target: str | os.PathLike) -> bool:
        return self._op(target) is not None

    def view(self, path: str | os.PathLike) -> Path | None:
        """Where the content ``path`` will have after the commit is now: its staged file, ``path`` itself if
        nothing is planned for it, or None if it will be removed."""
        op = self._op(path)
        if op is None:
            return Path(path)
        return op[1] if op[0] == _REPLACE else None

    def listdir(self, folder: str | os.PathLike) -> list[str]:
        """The names ``folder`` will hold after the commit, sorted (staging folders left out)."""
        folder = Path(folder)
        names = {n for n in DISK.listdir(folder) if not n.startswith(STAGING_PREFIX)}
        for target, kind in self._plan_db.under(folder) if self._plan_db is not None else ():
            if target.parent == folder and kind != _REPLACE:
                names.discard(target.name)
            elif kind == _REPLACE:
                names.add(target.relative_to(folder).parts[0])
        return sorted(names)

    def is_dir(self, folder: str | os.PathLike) -> bool:
        folder = Path(folder)
        return folder.is_dir() or (self._plan_db is not None and any(
            kind == _REPLACE for _, kind in self._plan_db.under(folder)))

    def iter_changes(self) -> Iterator[Path]:
        """The files that the commit replaces or removes, in order, streamed (plan nothing while iterating)."""
        if self._plan_db is not None:
            for kind, target, _ in self._plan_db.in_order():
                if kind != _RMDIR:
                    yield target

    def changes(self) -> list[Path]:
        """The files that the commit replaces or removes, in order."""
        return list(self.iter_changes())

    # -- durability
    def _sync_later(self, path: Path) -> None:
        """fsync ``path`` in a background thread (fsync waits for the disk, not the CPU); at most
        :data:`MAX_PENDING_SYNCS` are in flight (beyond, the oldest is awaited), the rest are awaited at commit."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="counterclaim-fsync")
        while len(self._syncs) >= MAX_PENDING_SYNCS:
            self._syncs.popleft().result()
        self._syncs.append(self._pool.submit(fsync_file, path))

    def _wait_syncs(self) -> None:
        while self._syncs:
            self._syncs.popleft().result()

    def _shutdown_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def _close_plan(self) -> None:
        if self._plan_db is not None:
            self._plan_db.close()

    def _write_commit_record(self, record: Path) -> None:
        """The commit record, streamed: a header line (command, staging folders), then one operation a line —
        replacements and removals in the order planned, then folders to remove if empty, deepest first."""
        tmp = record.with_name(record.name + ".tmp")
        faults.point("write", tmp)
        rmdirs = []
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"command": self.command, "staging": _encode(self._staging)}) + "\n")
            for kind, target, staged in self._plan.in_order():
                if kind == _RMDIR:
                    rmdirs.append(target)  # few: the folders a command empties
                    continue
                op = [kind, os.fsdecode(target)] + ([os.fsdecode(staged)] if staged is not None else [])
                fh.write(json.dumps(op) + "\n")
            for target in sorted(rmdirs, key=lambda folder: -len(folder.parts)):
                fh.write(json.dumps([_RMDIR, os.fsdecode(target)]) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        faults.point("rename", record)
        os.replace(tmp, record)
        fsync_dir(record.parent)

    # -- end
    def commit(self) -> None:
        """Make every staged change, all or nothing (see the module docstring)."""
        if self._closed:
            return
        self._closed = True
        record = self._record_dir / f"{self.id}.commit"
        try:  # before the commit point a failure (a full disk) leaves nothing behind
            try:
                self._wait_syncs()
            finally:
                self._shutdown_pool()
            if self._plan_db is None or not self._plan_db:
                self._close_plan()
                self._cleanup()
                return
            for folder in self._staging:
                _fsync_dirs(folder)
            self._write_commit_record(record)
        except Exception:
            self._close_plan()
            if not record.exists():
                with contextlib.suppress(Exception):
                    self._cleanup()
            raise
        self._close_plan()
        _apply(_commit_ops(record), _encode(self._staging))
        staging_record = record.with_suffix(".staging")
        faults.point("unlink", staging_record)
        staging_record.unlink(missing_ok=True)
        faults.point("unlink", record)
        record.unlink()
        fsync_dir(self._record_dir)

    def abort(self) -> None:
        """Forget everything staged; nothing was changed."""
        if self._closed:
            return
        self._closed = True
        with contextlib.suppress(Exception):
            self._wait_syncs()
        self._shutdown_pool()
        self._close_plan()
        self._cleanup()

    def _cleanup(self) -> None:
        for folder in self._staging:
            _remove_tree(folder)
        record = self._record_dir / f"{self.id}.staging"
        if record.exists():
            faults.point("unlink", record)
            record.unlink()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextlib.contextmanager
def transaction(state_dir: str | os.PathLike, command: str, *,
                on_wait: Callable[[str], None] | None = None) -> Iterator[Transaction]:
    """Hold the project lock, recover what a crashed command left (saying so, like ``on_wait``), and yield a
    :class:`Transaction` that is committed when the block ends normally and aborted when it raises."""
    with project_lock(state_dir, command, on_wait=on_wait) as outermost:
        if outermost:
            for line in recover(state_dir):
                (on_wait or _say_waiting)(f"recovered: {line}")
        tx = Transaction(state_dir, command)
        try:
            yield tx
        except BaseException:
            tx.abort()
            raise
        tx.commit()


@contextlib.contextmanager
def joined(tx: Transaction | None, state_dir: str | os.PathLike, command: str) -> Iterator[Transaction]:
    """``tx`` itself if given (a caller's transaction that it commits), else a new :func:`transaction`."""
    if tx is not None:
        yield tx
        return
    with transaction(state_dir, command) as own:
        yield own
