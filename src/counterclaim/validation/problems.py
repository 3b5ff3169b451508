"""A validation problem and the JSON pointer that locates it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One validation error: where it is and what to do about it."""

    file: str
    pointer: str | None  # None: the file itself could not be read (the message then names file and line)
    message: str
    line: int | None = None

    def __str__(self) -> str:
        if self.pointer is None:
            return self.message
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.pointer or '/'}: {self.message}"

    def to_dict(self) -> dict:
        pointer = None if self.pointer is None else self.pointer or "/"
        return {"file": self.file, "line": self.line, "pointer": pointer, "message": self.message}


def pointer(*parts: Any) -> str:
    """A JSON pointer (RFC 6901) from path parts."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


