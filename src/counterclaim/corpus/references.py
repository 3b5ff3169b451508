"""Large inputs referenced from ``raw/`` instead of copied into it, and where a build may find them.

``corpus add`` copies the usable records of an input into ``raw/<stem>.jsonl``. An input larger than
:attr:`~counterclaim.corpus.limits.Limits.raw_copy_bytes` (50 MiB) is recorded instead in
``raw/<stem>.input.json``::

    {"format": "counterclaim.raw-input/1", "name": "news.csv", "kind": "fakenewscorpus-csv",
     "size": 235017934, "sha256": "9f2c…", "rows": 50000, "skipped_rows": [17, 301, …],
     "reliability_map": {"file": "websites.csv", "domains": {"example.org": "fake"}}}

— its file name, size and sha256, the reader that reads it, how many rows it has, the rows that were not
ingested (``corpus add`` reported each with its reason), and the part of ``--reliability-map`` the ingested rows
used. The build reads the input again with the same reader, leaves out the skipped rows and fills in the same
reliabilities, so its documents are those a copy would give (only their ``source.path``, the reference, and
``source.row``, the row in the input, differ from a copy's).

The build reads a referenced input only from a place the user names (:class:`RawSources`): the file being added
(``corpus add``) or a folder given with ``--raw-from``, where it looks for the recorded file name. A file found
there must have the recorded size and sha256; otherwise the build stops with a
:class:`~counterclaim.errors.RawInputMissing` naming the file, its digest and what it found. A path recorded in
``raw/`` would let a corpus make the tool read anywhere, so none is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from counterclaim.errors import CorpusError, RawInputMissing
from counterclaim.io.jsonio import dump_bytes, read_json, sha256_file
from counterclaim.io.layout import RAW_INPUT_SUFFIX

RAW_INPUT_FORMAT = "counterclaim.raw-input/1"


def reference_name(stem: str) -> str:
    """The name in ``raw/`` of the reference to an input whose name has this stem."""
    return f"{stem}{RAW_INPUT_SUFFIX}"


def _plain_name(name: Any) -> bool:
    return (isinstance(name, str) and bool(name) and "/" not in name and "\\" not in name and "\0" not in name
            and not name.startswith("."))


@dataclass(frozen=True)
class RawInput:
    """One referenced input: what ``raw/<stem>.input.json`` holds."""

    name: str  # the input's file name, without any folder
    kind: str  # the reader (``corpus.readers.READERS``)
    size: int
    sha256: str
    rows: int
    skipped_rows: tuple[int, ...] = ()
    reliability_map: dict[str, Any] | None = None  # {"file": NAME, "domains": {domain: reliability}}
    _skipped: frozenset[int] = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_skipped", frozenset(self.skipped_rows))

    def skips(self, row: int | None) -> bool:
        return row in self._skipped

    @property
    def domains(self) -> dict[str, str]:
        return dict((self.reliability_map or {}).get("domains") or {})

    def describe(self) -> str:
        return f"{self.name} (sha256 {self.sha256}, {self.size:,} bytes)"

    def to_bytes(self) -> bytes:
        data: dict[str, Any] = {"format": RAW_INPUT_FORMAT, "name": self.name, "kind": self.kind, "size": self.size,
                                "sha256": self.sha256, "rows": self.rows, "skipped_rows": list(self.skipped_rows)}
        if self.reliability_map:
            data["reliability_map"] = self.reliability_map
        return dump_bytes(data, indent=2)


_FIELDS = (("name", str), ("kind", str), ("size", int), ("sha256", str), ("rows", int), ("skipped_rows", list))


def load_reference(path: Path, display: str) -> RawInput:
    """The reference in ``path`` (shown as ``display``); a ``CorpusError`` saying what is wrong with it."""
    data = read_json(path)

    def broken(what: str) -> CorpusError:
        return CorpusError(f"{display}: not a raw-input reference ({what}); restore the file from version control "
                           "or remove it and add the input again")

    if not isinstance(data, dict) or data.get("format") != RAW_INPUT_FORMAT:
        raise broken(f"'format' must be {RAW_INPUT_FORMAT!r}")
    for key, kind in _FIELDS:
        value = data.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise broken(f"{key!r} must be a {kind.__name__}")
    if not _plain_name(data["name"]):
        raise broken(f"'name' must be a file name without folders, not {data['name']!r}")
    if not all(isinstance(r, int) and not isinstance(r, bool) for r in data["skipped_rows"]):
        raise broken("'skipped_rows' must hold row numbers")
    mapping = data.get("reliability_map")
    if mapping is not None and not (isinstance(mapping, dict) and isinstance(mapping.get("domains"), dict)):
        raise broken("'reliability_map' must hold 'domains'")
    return RawInput(data["name"], data["kind"], data["size"], data["sha256"], data["rows"],
                    tuple(data["skipped_rows"]), mapping)


class RawSources:
    """The places a build may read referenced inputs from: ``files`` (an input being added) and ``folders``
    (``--raw-from``), both named by the user. Digests are computed once per file."""

    def __init__(self, folders: Iterable[str | Path] = (), files: Iterable[str | Path] = ()):
        self.folders = tuple(Path(f) for f in folders)
        self.files = tuple(Path(f) for f in files)
        self._digests: dict[Path, str] = {}

    @classmethod
    def of(cls, value: "RawSources | Iterable[str | Path] | None") -> "RawSources":
        if isinstance(value, RawSources):
            return value
        return cls(folders=value or ())

    def with_file(self, path: Path, digest: str | None = None) -> "RawSources":
        """These places and one more file (whose sha256 may be known already)."""
        more = RawSources(self.folders, (*self.files, path))
        more._digests = dict(self._digests)
        if digest is not None:
            more._digests[Path(path)] = digest
        return more

    def digest(self, path: Path) -> str:
        if path not in self._digests:
            self._digests[path] = sha256_file(path)
        return self._digests[path]

    def locate(self, ref: RawInput, display: str) -> Path:
        """The file ``ref`` records, from the places given; ``RawInputMissing`` naming its digest otherwise."""
        candidates = [f for f in self.files if f.name == ref.name] + [d / ref.name for d in self.folders]
        found: list[str] = []
        for candidate in candidates:
            if not candidate.is_file():
                continue
            size = candidate.stat().st_size
            if size != ref.size:
                found.append(f"{candidate} has {size:,} bytes")
                continue
            digest = self.digest(candidate)
            if digest != ref.sha256:
                found.append(f"{candidate} has sha256 {digest}")
                continue
            return candidate
        where = ", ".join(str(d) for d in self.folders) if self.folders else "no --raw-from folder was given"
        seen = f"; found only other bytes: {'; '.join(found)}" if found else f" (looked in: {where})"
        raise RawInputMissing(
            f"{display} refers to {ref.describe()}, an input kept outside the corpus because it is large, and it "
            f"is not here{seen}. Pass --raw-from DIR with the folder that holds this file, unchanged")
