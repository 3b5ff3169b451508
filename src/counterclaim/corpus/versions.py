"""Corpus versions: ``MAJOR.MINOR.PATCH``, parsed and stepped."""

from __future__ import annotations

import re

from counterclaim.errors import VersionError

_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


def parse_version(text: str) -> tuple[int, int, int]:
    """``"1.2.3"`` -> ``(1, 2, 3)``; anything else is a ``VersionError``."""
    match = _SEMVER.fullmatch(text)
    if not match:
        raise VersionError(f"{text!r} is not a version of the form MAJOR.MINOR.PATCH (e.g. 0.1.0)")
    return tuple(int(part) for part in match.groups())  # type: ignore[return-value]


def next_minor(version: str) -> str:
    major, minor, _ = parse_version(version)
    return f"{major}.{minor + 1}.0"
