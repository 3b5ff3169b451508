"""All JSON and JSONL input/output goes through here.

- reads stream line by line and name the file and line of any invalid JSON;
- reads are strict (:func:`loads`): NaN and Infinity, numbers that overflow the dataset's types, repeated keys,
  nesting deeper than :data:`MAX_DEPTH` and floats where an integer belongs are refused where they are read, with
  the line and column or the JSON pointer — never accepted, never a crash later;
- inputs must be regular files (a FIFO would hang the read);
- writes are atomic: a temporary file in the target's folder, fsynced, then renamed over the target,
  so a crash or an error never leaves a half-written output;
- ``dumps`` is canonical (sorted keys, UTF-8, no ASCII escaping) so the same data gives the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import IO, Any, Collection, Iterable, Iterator

import orjson

from counterclaim.errors import InputError
from counterclaim.io import faults


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


# -- strict reading ----------------------------------------------------------------------------------------------

# Objects and arrays nested deeper than this are refused: orjson writes at most this many levels, and every reader
# (and jsonschema, and our own code) stays far from Python's recursion limit below it.
MAX_DEPTH = 254
INT64 = (-(2**63), 2**63 - 1)  # integers must fit the dataset's int64 (orjson would turn larger ones into floats)
_BIG_INT = re.compile(rb"-?\d{19,}")
_DIGITS_AS_NINE = bytes.maketrans(b"012345678", b"999999999")
_NINETEEN_DIGITS = b"9" * 19
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_CONSTANTS = ("-Infinity", "Infinity", "NaN")


class JSONProblem(ValueError):
    """Why a JSON text is refused and where: ``line``/``column`` (1-based) or a JSON ``pointer``, when known."""

    def __init__(self, reason: str, *, line: int | None = None, column: int | None = None,
                 pointer: str | None = None):
        self.reason, self.line, self.column, self.pointer = reason, line, column, pointer
        super().__init__(self.located())

    def located(self, prefix: str = "") -> str:
        """``PREFIX:LINE:COLUMN: reason`` or ``PREFIX: POINTER: reason`` (what is known of the place)."""
        where = prefix
        if self.line is not None:
            where += f":{self.line}:{self.column}" if prefix else f"line {self.line}, column {self.column}"
        if self.pointer is not None:
            where += f"{': ' if where else ''}{self.pointer or '/'}"
        return f"{where}: {self.reason}" if where else self.reason


def _escape_pointer(part: Any) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def _too_deep(text: str) -> JSONProblem:
    """Where ``text`` first nests deeper than :data:`MAX_DEPTH` (strings skipped)."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                pos = match.start()
                line = text.count("\n", 0, pos) + 1
                return JSONProblem(f"nested deeper than {MAX_DEPTH} levels of objects and arrays; "
                                   "no counterclaim file is that deep — is this the right file?",
                                   line=line, column=pos - text.rfind("\n", 0, pos))
        elif token in "]}":
            depth -= 1
    return JSONProblem(f"nested deeper than {MAX_DEPTH} levels of objects and arrays")


class _Bad:
    """A value the strict reader refuses, left in place by :func:`_locate` to find its pointer."""

    def __init__(self, reason: str):
        self.reason = reason


class _Pairs(dict):
    """An object that remembers its first repeated key."""

    repeated: str | None = None


def _pairs(pairs: list[tuple[str, Any]]) -> _Pairs:
    obj = _Pairs()
    for key, value in pairs:
        if key in obj and obj.repeated is None:
            obj.repeated = key
        obj[key] = value
    return obj


def _int(text: str) -> Any:
    value = int(text)
    if not INT64[0] <= value <= INT64[1]:
        return _Bad(f"integer {text} is too large for the dataset's 64-bit integers; fix the value")
    return value


def _constant(name: str) -> _Bad:
    return _Bad(f"{name} is not a JSON number (JSON has no NaN or Infinity); write a finite number or null")


def _locate(text: str, integers: Collection[str]) -> JSONProblem | None:
    """The first value the strict reader refuses and its JSON pointer (the slow path, taken only when a cheap
    check saw a sign of trouble): NaN/Infinity, an integer beyond int64, a repeated key, a float where
    ``integers`` names the key."""
    try:
        root = json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_constant=_constant)
    except (ValueError, RecursionError):
        return None
    stack: list[tuple[tuple, Any]] = [((), root)]
    while stack:
        path, value = stack.pop()
        where = "".join("/" + _escape_pointer(p) for p in path)
        if isinstance(value, _Bad):
            return JSONProblem(value.reason, pointer=where)
        if isinstance(value, dict):
            if getattr(value, "repeated", None) is not None:
                key = value.repeated
                return JSONProblem(f"key {key!r} appears twice in this object; JSON readers disagree on which "
                                   "value wins — keep one", pointer=where)
            children = list(value.items())
        elif isinstance(value, list):
            children = list(enumerate(value))
        else:
            if path and isinstance(path[-1], str) and path[-1] in integers and isinstance(value, float):
                return JSONProblem(f"`{path[-1]}` must be an integer, not {value!r}; write it without a decimal "
                                   "point or exponent", pointer=where)
            continue
        stack.extend((path + (key,), child) for key, child in reversed(children))
    return None


def _suspicious(data: str | bytes, dumped: bytes, integers: Collection[str]) -> bool:
    """Cheap signs that the strict checks need the slow path: fewer keys after parsing than in the text (a
    repeated key: every key is followed by exactly one `:` outside strings, and orjson keeps strings' `:`), a
    long run of digits (an integer beyond int64), a float after a key of ``integers``."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    if raw.count(b":") != dumped.count(b":") or b"\\u003" in raw:
        return True  # a `:` written as an escape could hide a missing key: look closely
    if _NINETEEN_DIGITS in raw.translate(_DIGITS_AS_NINE) and any(
            _number_at(raw, m.start()) for m in _BIG_INT.finditer(raw)):  # the regex only where a long run is
        return True
    if integers:
        keys = b"|".join(re.escape(k.encode()) for k in integers)
        if re.search(rb'"(?:' + keys + rb')"\s*:\s*-?\d+(?:\.|[eE])', raw):
            return True
    return False


def _number_at(raw: bytes, pos: int) -> bool:
    """Whether the digits at ``pos`` may be a JSON number token (after `:`, `[` or `,`), not part of a string."""
    before = raw[max(0, pos - 64):pos].rstrip()
    return not before or before[-1:] in (b":", b"[", b",")


def check_parsed(data: str | bytes, obj: Any, *, integers: Collection[str] = ()) -> None:
    """The checks :func:`loads` makes after orjson parsed ``data`` into ``obj``: depth, repeated keys,
    integers that fit int64, no float where ``integers`` names the key. Raises :class:`JSONProblem`."""
    try:
        dumped = orjson.dumps(obj)
    except orjson.JSONEncodeError:
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        raise _too_deep(text) from None
    if _suspicious(data, dumped, integers):
        text = data if isinstance(data, str) else data.decode("utf-8", "replace")
        problem = _locate(text, integers)
        if problem is not None:
            raise problem


def constant_at(text: str, pos: int) -> str | None:
    """``NaN``, ``Infinity`` or ``-Infinity`` if one stands at (or just before) where a parser stopped."""
    return next((c for c in _CONSTANTS for at in (pos, pos - 1) if at >= 0 and text.startswith(c, at)), None)


def not_a_number(name: str) -> str:
    return _constant(name).reason


_TOO_LARGE = "number too large for a 64-bit float (the dataset's float64); fix the value"
_SURROGATE = ("undecodable text: a lone surrogate escape (\\ud800-\\udfff without its pair) is not a character; "
              "fix the text")


def decode_reason(msg: str, text: str, pos: int) -> str | None:
    """Our words for an orjson decoding error that is not a plain syntax error (NaN, Infinity, a number beyond
    float64, a lone surrogate), or None."""
    constant = constant_at(text, pos)
    if constant is not None:
        return not_a_number(constant)
    if msg.startswith("number is infinity"):
        return _TOO_LARGE
    if "surrogate" in msg:
        return _SURROGATE
    return None


def _decode_problem(data: str | bytes, exc: orjson.JSONDecodeError) -> JSONProblem:
    text = exc.doc if isinstance(exc.doc, str) else ""
    msg = exc.msg
    if msg.startswith(("recursion limit", "depth limit")):
        return _too_deep(text) if text else JSONProblem(f"nested deeper than {MAX_DEPTH} levels")
    constant = constant_at(text, exc.pos)
    if constant is not None:
        reason = _constant(constant).reason
        located = _locate(text, ())
        pointer = located.pointer if located is not None and located.reason == reason else None
        return JSONProblem(reason, line=exc.lineno, column=exc.colno, pointer=pointer)
    reason = decode_reason(msg, text, exc.pos)
    if reason is not None:
        return JSONProblem(reason, line=exc.lineno, column=exc.colno)
    try:  # the standard library's words for a syntax error ("Expecting value"), which users know
        json.loads(text)
    except json.JSONDecodeError as std:
        return JSONProblem(f"invalid JSON: {std.msg}", line=std.lineno, column=std.colno)
    except (ValueError, RecursionError):
        pass
    return JSONProblem(f"invalid JSON: {msg}", line=exc.lineno, column=exc.colno)


def loads(data: str | bytes, *, integers: Collection[str] = ()) -> Any:
    """Parse JSON strictly, fast (orjson) in the common case. Refused, as :class:`JSONProblem` with line and
    column or JSON pointer: invalid JSON, NaN and Infinity, numbers beyond float64 or integers beyond int64,
    a key repeated in one object, nesting deeper than :data:`MAX_DEPTH`, and a float where ``integers`` names
    the key (e.g. ``"start": 0.0``)."""
    try:
        obj = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _decode_problem(data, exc) from None
    check_parsed(data, obj, integers=integers)
    return obj


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike) -> str:
    """The sha256 of a file, read in blocks (memory does not grow with the file)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


def read_json(path: str | os.PathLike, *, integers: Collection[str] = ()) -> Any:
    """Load one JSON document strictly (see :func:`loads`); any problem names the file and the place."""
    path = Path(path)
    with open_input(path) as fh:
        data = fh.read()
    try:
        return loads(data.decode("utf-8"), integers=integers)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8") from None
    except JSONProblem as exc:
        raise InputError(exc.located(str(path)) + _FIX) from None


_FIX = "; fix the file at that place"


class LineError(InputError):
    """One line of a JSONL file cannot be decoded or parsed."""

    def __init__(self, path: Path, lineno: int, reason: str):
        self.path, self.lineno, self.reason = path, lineno, reason
        super().__init__(f"{path}:{lineno}: {reason}")


def open_input(path: str | os.PathLike) -> IO[bytes]:
    """Open an input file for binary reading. A missing file, a folder, and anything that is not a regular file
    (a FIFO would make the read wait forever, a device never end) are an :class:`InputError` naming it."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; check the file's permissions") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else \
            "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else \
            "not a regular file"
        raise InputError(f"{path}: {kind}, not a regular file; save the data to a file and give that")
    if hasattr(os, "O_NONBLOCK"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def iter_jsonl(path: str | os.PathLike, *, skip_bad_lines: bool = False, only: set[int] | None = None,
               integers: Collection[str] = ()) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_number, object)`` for each non-blank line, streaming (only the line numbers in
    ``only`` if given; the others are not parsed). Each line is read strictly (see :func:`loads`).

    A line that is not UTF-8 or not acceptable JSON raises :class:`LineError`; with ``skip_bad_lines`` the error
    is yielded in place of the object instead, so a caller can report that line and go on.
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
                    yield lineno, loads(line, integers=integers)
                    continue
                except JSONProblem as exc:
                    error = LineError(path, lineno, _line_reason(exc))
            if not skip_bad_lines:
                raise error
            yield lineno, error


def _line_reason(exc: JSONProblem) -> str:
    if exc.pointer is not None:
        return f"{exc.pointer or '/'}: {exc.reason}"
    if exc.column is not None:
        return f"{exc.reason} (column {exc.column})"
    return exc.reason


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
    faults.point("write", path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, file_mode if file_mode is not None else 0o666 & ~umask())
        kwargs = {"encoding": "utf-8", "newline": "\n"} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        faults.point("rename", path)
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
