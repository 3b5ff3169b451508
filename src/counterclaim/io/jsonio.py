"""All JSON and JSONL input/output goes through here.

- reads stream line by line and name the file and line of any invalid JSON;
- writes are atomic: a temporary file in the target's folder, fsynced, then renamed over the target,
  so a crash or an error never leaves a half-written output;
- ``dumps`` is canonical (sorted keys, UTF-8, no ASCII escaping) so the same data gives the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import orjson

from counterclaim.errors import InputError


def _orjson(obj: Any, indent: int | None) -> bytes | None:
    """Canonical JSON by orjson, or None for what it cannot encode (NaN, lone surrogates, huge integers)
    or an indent other than 2."""
    if indent not in (None, 2):
        return None
    try:
        return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS | (orjson.OPT_INDENT_2 if indent == 2 else 0))
    except (TypeError, orjson.JSONEncodeError):
        return None


def dumps(obj: Any, *, indent: int | None = None) -> str:
    """Canonical JSON text: sorted keys, real UTF-8 characters, no trailing spaces.

    orjson does the work (the same bytes as the standard library, many times faster); what it cannot
    encode falls back to the standard library.
    """
    fast = _orjson(obj, indent)
    if fast is not None:
        return fast.decode("utf-8")
    if indent is None:
        return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=indent)


def dump_bytes(obj: Any, *, indent: int | None = None) -> bytes:
    """:func:`dumps` as UTF-8 bytes, with a final newline when indented (the form of files on disk)."""
    end = b"\n" if indent else b""
    fast = _orjson(obj, indent)
    return fast + end if fast is not None else dumps(obj, indent=indent).encode("utf-8") + end


def loads(text: str) -> Any:
    """Parse JSON text: orjson for speed; on any error the standard library decides, so messages and
    edge cases (lone surrogate escapes) are the standard ones. Raises ``json.JSONDecodeError``."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike) -> str:
    """The sha256 of a file, read in blocks (memory does not grow with the file)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


def read_json(path: str | os.PathLike) -> Any:
    """Load one JSON document; a syntax error names file, line and column."""
    path = Path(path)
    try:
        return loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}; fix the syntax at that place"
        ) from None


class LineError(InputError):
    """One line of a JSONL file cannot be decoded or parsed."""

    def __init__(self, path: Path, lineno: int, reason: str):
        self.path, self.lineno, self.reason = path, lineno, reason
        super().__init__(f"{path}:{lineno}: {reason}")


def open_input(path: str | os.PathLike) -> IO[bytes]:
    """Open an input file for binary reading; a missing file is an :class:`InputError` naming it."""
    try:
        return Path(path).open("rb")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None


def iter_jsonl(path: str | os.PathLike, *, skip_bad_lines: bool = False,
               only: set[int] | None = None) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_number, object)`` for each non-blank line, streaming (only the line numbers in
    ``only`` if given; the others are not parsed).

    A line that is not UTF-8 or not JSON raises :class:`LineError`; with ``skip_bad_lines`` the error is
    yielded in place of the object instead, so a caller can report that row and go on.
    """
    path = Path(path)
    with open_input(path) as fh:
        for lineno, raw in enumerate(fh, start=1):
            if (only is not None and lineno not in only) or not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                error = LineError(path, lineno, f"undecodable bytes: not valid UTF-8 (byte {exc.start} of the line); save the file as UTF-8")
            else:
                try:
                    yield lineno, loads(line)
                    continue
                except json.JSONDecodeError as exc:
                    error = LineError(path, lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")
            if not skip_bad_lines:
                raise error
            yield lineno, error


def umask() -> int:
    """The process umask (read without changing it)."""
    current = os.umask(0)
    os.umask(current)
    return current


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", *, file_mode: int | None = None,
                 durable: bool = True) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success rename it over ``path``, on error remove it.

    The file gets ``file_mode`` if given, else the usual permissions (0666 less the umask). ``durable=False``
    skips the fsync, for scratch files that are synced in bulk before they are moved into place.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, file_mode if file_mode is not None else 0o666 & ~umask())
        kwargs = {"encoding": "utf-8", "newline": "\n"} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_write(path) as fh:
        fh.write(text)


def write_json(path: str | os.PathLike, obj: Any, *, durable: bool = True) -> None:
    """Write pretty, canonical JSON (two-space indent, final newline) atomically."""
    with atomic_write(path, "wb", durable=durable) as fh:
        fh.write(dump_bytes(obj, indent=2))


def write_jsonl(path: str | os.PathLike, records: Iterable[Any]) -> int:
    """Write one canonical JSON object per line atomically; return the number of lines."""
    n = 0
    with atomic_write(path) as fh:
        for rec in records:
            fh.write(dumps(rec))
            fh.write("\n")
            n += 1
    return n
