"""Stream the objects of a top-level JSON array, one at a time, parsed by orjson.

A Label Studio export is one JSON array of task objects, often hundreds of megabytes. Parsing it whole
takes memory proportional to the file; an event parser (ijson) is slow. This reader keeps a window of text
(:data:`CHUNK_CHARS` plus the task being read) and hands each array item to orjson: orjson parses the first
value of the window and reports where it ended ("unexpected content after document" at that position), so the
item is then parsed from exactly its own slice. An item that does not fit in the window ("unexpected end of
data") makes the window grow until it does, so memory is bounded by the largest item, not the file.

Errors are :class:`JSONStreamError` with the character offset, line and column in the file, the item number,
and what was expected. Items are read as strictly as :func:`counterclaim.io.jsonio.loads` reads (no NaN, no
repeated keys, no integer beyond int64, no nesting deeper than :data:`~counterclaim.io.jsonio.MAX_DEPTH`).
"""

from __future__ import annotations

import codecs
from typing import IO, Any, Iterator

import orjson

from counterclaim.io.jsonio import MAX_DEPTH, JSONProblem, check_parsed, decode_reason

CHUNK_CHARS = 1 << 17
_WHITESPACE = " \t\r\n"
_END_OF_DATA = "unexpected end of data"
_TRAILING = "unexpected content after document"
_TOO_DEEP = ("depth limit", "recursion limit")


class JSONStreamError(ValueError):
    """Invalid or truncated JSON; ``offset`` is the character offset in the file (0-based)."""

    def __init__(self, message: str, offset: int, line: int, column: int):
        super().__init__(f"{message} (line {line}, column {column}, character {offset})")
        self.offset, self.line, self.column = offset, line, column


class _Window:
    """Decoded text of a binary stream, read in chunks; positions are absolute character offsets."""

    def __init__(self, fh: IO[bytes], chunk: int):
        self._fh = fh
        self._chunk = chunk
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.base = 0  # absolute offset of text[0]
        self.eof = False
        self._lines_before = 0  # newlines in the text already dropped from the window
        self._last_newline = -1  # absolute offset of the last dropped newline

    def more(self, keep_from: int) -> bool:
        """Drop the text before ``keep_from`` (relative), read the next chunk; False at end of file."""
        dropped = self.text[:keep_from]
        newlines = dropped.count("\n")
        if newlines:
            self._lines_before += newlines
            self._last_newline = self.base + dropped.rindex("\n")
        if self.eof:
            self.text, self.base = self.text[keep_from:], self.base + keep_from
            return False
        raw = self._fh.read(max(self._chunk, len(self.text) - keep_from))  # doubles the window for a large item
        try:
            new = self._decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise JSONStreamError(f"not UTF-8 (byte {exc.start} of a chunk); save the file as UTF-8",
                                  *self.where(len(self.text))) from None
        self.eof = not raw
        self.text, self.base = self.text[keep_from:] + new, self.base + keep_from
        if self.base == 0 and self.text.startswith("\ufeff"):
            self.text, self.base = self.text[1:], 1  # a byte order mark is not JSON; skip it
        return bool(new) or not self.eof

    def where(self, pos: int) -> tuple[int, int, int]:
        """(offset, line, column) of relative position ``pos``, all 1-based except the offset."""
        head = self.text[:pos]
        newlines = head.count("\n")
        line = self._lines_before + newlines + 1
        if newlines:
            column = pos - head.rindex("\n")
        else:
            column = self.base + pos - self._last_newline
        return self.base + pos, line, column


def iter_array(fh: IO[bytes], *, chunk: int = CHUNK_CHARS, objects_only: bool = True, raw: bool = False
               ) -> Iterator[Any]:
    """Yield the items of the JSON array ``fh`` holds (a binary file positioned at its start).

    With ``objects_only`` every item must be a JSON object (what an export of tasks is); anything else is an
    error naming the item. With ``raw`` each item is yielded as its JSON text (checked, not converted), for
    a caller that parses it elsewhere.
    """
    win = _Window(fh, chunk)
    i = 0

    def skip_space() -> bool:
        """Move ``i`` to the next non-space character, reading on; False at end of file."""
        nonlocal i
        while True:
            text = win.text
            n = len(text)
            while i < n and text[i] in _WHITESPACE:
                i += 1
            if i < n:
                return True
            if not win.more(i):
                i = 0
                return False
            i = 0

    def fail(message: str, pos: int) -> JSONStreamError:
        return JSONStreamError(message, *win.where(pos))

    if not skip_space() or win.text[i] != "[":
        raise fail("expected a JSON array (`[`) at the start", i if win.text else 0)
    i += 1
    item = 0
    while True:
        if not skip_space():
            raise fail("truncated: the array is not closed with `]`", len(win.text))
        ch = win.text[i]
        if ch == "]":
            i += 1
            if skip_space():
                raise fail("unexpected content after the array", i)
            return
        if item:
            if ch != ",":
                raise fail(f"expected `,` or `]` after item {item}", i)
            i += 1
            if not skip_space():
                raise fail("truncated: the array is not closed with `]`", len(win.text))
            ch = win.text[i]
        item += 1
        if objects_only and ch != "{":
            raise fail(f"item {item} is not a JSON object", i)
        while True:
            try:
                value = orjson.loads(win.text[i:])
                end = len(win.text)
                if raw:
                    value = win.text[i:end]
                break
            except orjson.JSONDecodeError as exc:
                if exc.msg.startswith(_TRAILING):
                    end = i + exc.pos
                    value = win.text[i:end] if raw else orjson.loads(win.text[i:end])
                    break
                if exc.msg.startswith(_END_OF_DATA) and win.more(i):
                    i = 0
                    continue
                if exc.msg.startswith(_END_OF_DATA):
                    raise fail(f"truncated in item {item}: the file ends inside it", len(win.text)) from None
                if exc.msg.startswith(_TOO_DEEP):
                    raise fail(f"item {item} is nested deeper than {MAX_DEPTH} levels of objects and arrays",
                               i + exc.pos) from None
                reason = decode_reason(exc.msg, win.text, i + exc.pos)
                if reason is not None:
                    raise fail(f"item {item}: {reason}", i + exc.pos) from None
                raise fail(f"invalid JSON in item {item}: {exc.msg}", i + exc.pos) from None
        if not raw:
            try:
                check_parsed(win.text[i:end], value)
            except JSONProblem as exc:
                where = f" at {exc.pointer or '/'}" if exc.pointer is not None else ""
                raise fail(f"item {item}{where}: {exc.reason}", i) from None
        i = end
        yield value
