"""The parquet files of one config and split, cut into shards of at most ``max_shard_size`` bytes.

Rows arrive as Arrow tables, one row group each, and go straight to the open shard through
``pq.ParquetWriter``: memory holds one row group, not the split. Before a row group is written, the shard's size
with it is estimated from what is known: the bytes written so far (the file's size), the row group's Arrow size
times the compression the shard has shown (1 before the first), and the footer the file will get at closing — a
fixed part and a part per row group (column statistics), measured once by writing the first row group to memory
once and twice, and corrected by the footer of each shard closed. When the shard is not empty and would pass
``max_shard_size``, it is closed and the next one started. A shard therefore stays under the size, except one
holding a single row group larger than it, or one whose later row groups carry much longer statistics than the
first. ``datasets.Dataset.push_to_hub`` cuts at 500 MB by default; so does the export.

The footer is also what would keep memory from being flat: the writer holds every row group's metadata (column
statistics: the smallest and largest text of each row group, among others) until the file closes, several times
its size on disk — about 1.5 KB a document in a ``documents`` shard, measured on generated news. So a shard is
also closed when its footer would pass :data:`MAX_FOOTER_BYTES` (4 MiB: about 19,000 such documents, a 32 MB
file), which bounds that memory whatever the size of the corpus, at the price of more, smaller files.

Names (relative to the dataset folder), each with the first 12 hex digits of the file's own sha256 — `datasets`
caches a local dataset by its card, so new data must change a name the card lists:

- a split in one file keeps the name it always had: ``<config>/<split>-<digest>.parquet``;
- a split in several follows `datasets`' shard pattern (``<split>-00000-of-00003*``):
  ``<config>/<split>-00000-of-00003-<digest>.parquet``, …

Rows keep their order across the shards, so a split reads back as the same rows whatever the size.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.parquet as pq

from counterclaim.io.jsonio import sha256_file

DEFAULT_MAX_SHARD_SIZE = 500 * 10**6  # bytes, as `datasets` pushes shards
MAX_FOOTER_BYTES = 4 * 2**20  # a shard's footer (metadata), held in memory until the shard closes
DIGEST_CHARS = 12


def shard_name(config: str, split: str, digest: str, index: int = 0, count: int = 1) -> str:
    """The name of shard ``index`` of ``count`` of a split, whose sha256 is ``digest``."""
    if count == 1:
        return f"{config}/{split}-{digest[:DIGEST_CHARS]}.parquet"
    return f"{config}/{split}-{index:05d}-of-{count:05d}-{digest[:DIGEST_CHARS]}.parquet"


class ShardWriter:
    """The shards of one (config, split) in ``root``, written a row group at a time (see the module docstring)."""

    def __init__(self, root: Path, config: str, split: str, schema: pa.Schema, *, compression: str,
                 max_shard_size: int = DEFAULT_MAX_SHARD_SIZE, max_footer_bytes: int = MAX_FOOTER_BYTES):
        if max_shard_size <= 0:
            raise ValueError(f"max_shard_size must be positive, not {max_shard_size}")
        self.root, self.config, self.split, self.schema = Path(root), config, split, schema
        self.compression = compression
        self.max_shard_size = max_shard_size
        self.max_footer_bytes = max_footer_bytes
        self.paths: list[Path] = []  # the shards written so far, the last one open
        self._writer: pq.ParquetWriter | None = None
        self._arrow_bytes = 0  # Arrow size of the row groups in the open shard
        self._groups = 0  # row groups in the open shard
        self._footer: tuple[int, int] | None = None  # footer bytes: (fixed, per row group)

    def _measure_footer(self, table: pa.Table) -> tuple[int, int]:
        """The footer of a file of this schema: (fixed bytes, bytes per row group), from ``table`` written to
        memory as one row group and as two."""
        sizes = []
        for groups in (1, 2):
            sink = pa.BufferOutputStream()
            with pq.ParquetWriter(sink, self.schema, compression=self.compression) as writer:
                for _ in range(groups):
                    writer.write_table(table)
            sizes.append(pq.read_metadata(pa.BufferReader(sink.getvalue())).serialized_size + 8)
        per_group = max(0, sizes[1] - sizes[0])
        return max(0, sizes[0] - per_group), per_group

    def _open(self) -> None:
        path = self.root / self.config / f"{self.split}-{len(self.paths):05d}.partial.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(path, self.schema, compression=self.compression)
        self.paths.append(path)
        self._arrow_bytes = self._groups = 0

    def _close_open(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
            footer = pq.read_metadata(self.paths[-1]).serialized_size + 8
            fixed, per_group = self._footer or (0, 0)
            self._footer = (fixed, max(per_group, -(-(footer - fixed) // max(1, self._groups))))

    def write(self, table: pa.Table, nbytes: int | None = None) -> None:
        """Append ``table`` as one row group, in a new shard if the open one would pass the size with it.

        ``nbytes`` is the table's Arrow size as first built, when ``table`` was read back from a spool (a
        table read back may lack buffers the built one had, such as an all-valid null bitmap): the estimate,
        hence where a shard is cut, then stays the same whether rows came straight or through the spool."""
        nbytes = table.nbytes if nbytes is None else nbytes
        if self._footer is None:
            self._footer = self._measure_footer(table)
        if self._writer is not None and self._arrow_bytes:
            written = os.path.getsize(self.paths[-1])
            fixed, per_group = self._footer
            footer = fixed + per_group * (self._groups + 1)
            estimate = nbytes * (written / self._arrow_bytes) + footer
            if written + estimate > self.max_shard_size or footer > self.max_footer_bytes:
                self._close_open()
        if self._writer is None:
            self._open()
        self._writer.write_table(table)
        self._arrow_bytes += nbytes
        self._groups += 1

    def close(self, rewrite: Callable[[Path], None] | None = None) -> list[str]:
        """Close the last shard and give every shard its final name; the names, in row order. ``rewrite(path)``,
        if given, rewrites each closed shard in place first (the export fills in columns known only at the end,
        such as incident ids; a shard may then pass the size by those bytes)."""
        self._close_open()
        names = []
        for index, path in enumerate(self.paths):
            if rewrite is not None:
                rewrite(path)
            name = shard_name(self.config, self.split, sha256_file(path), index, len(self.paths))
            os.replace(path, self.root / name)
            names.append(name)
        return names

    def abort(self) -> None:
        try:
            self._close_open()
        except Exception:  # noqa: BLE001 - the staging folder is removed anyway
            pass
