"""What long-running library functions report progress to: any object with ``reset(total)`` and ``update(n)``.

A ``tqdm`` bar is one (the CLI passes one, shown on standard error); library callers may pass their own or None.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def reset(self, total: int | None = None) -> object: ...

    def update(self, n: int = 1) -> object: ...
