"""Parquet shards: a split larger than ``--max-shard-size`` is cut into several files that `datasets` loads as
the same rows, in the same order, as one file."""

from __future__ import annotations

import re
import shutil

import datasets
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.hf.shards import ShardWriter, shard_name
from helpers import REPO

SCHEMA = pa.schema([("n", pa.int64()), ("text", pa.string())])


def _table(start: int, rows: int) -> pa.Table:
    return pa.Table.from_pylist([{"n": i, "text": f"row {i} " + "lorem ipsum " * (i % 50)}
                                 for i in range(start, start + rows)], schema=SCHEMA)


def test_shard_names_follow_datasets_pattern_and_keep_the_single_file_name():
    digest = "0123456789abcdef" * 4
    assert shard_name("claims", "train", digest) == "claims/train-0123456789ab.parquet"
    assert shard_name("claims", "train", digest, 1, 3) == "claims/train-00001-of-00003-0123456789ab.parquet"


def test_shards_stay_under_the_size_and_keep_the_rows_in_order(tmp_path):
    writer = ShardWriter(tmp_path, "documents", "train", SCHEMA, compression="snappy", max_shard_size=20_000)
    for start in range(0, 2_000, 100):
        writer.write(_table(start, 100))
    names = writer.close()
    assert len(names) > 2
    assert all(re.fullmatch(rf"documents/train-\d{{5}}-of-{len(names):05d}-[0-9a-f]{{12}}\.parquet", n) for n in names)
    assert [int(n.split("-")[1]) for n in names] == list(range(len(names)))
    assert all((tmp_path / n).stat().st_size <= 20_000 for n in names)
    rows = pa.concat_tables(pq.read_table(tmp_path / n) for n in names)
    assert rows.column("n").to_pylist() == list(range(2_000))
    assert sorted(p.name for p in (tmp_path / "documents").iterdir()) == sorted(n.split("/")[1] for n in names)


def test_a_split_under_the_size_is_one_file_with_its_old_name(tmp_path):
    writer = ShardWriter(tmp_path, "events", "test", SCHEMA, compression="snappy")
    writer.write(_table(0, 10))
    (name,) = writer.close()
    assert re.fullmatch(r"events/test-[0-9a-f]{12}\.parquet", name)


def test_a_row_group_larger_than_the_size_gets_a_shard_of_its_own(tmp_path):
    writer = ShardWriter(tmp_path, "documents", "train", SCHEMA, compression="snappy", max_shard_size=10)
    for start in range(0, 30, 10):
        writer.write(_table(start, 10))
    assert [pq.read_metadata(tmp_path / n).num_rows for n in writer.close()] == [10, 10, 10]


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """The real corpus, its gold and its silver exported twice: with the default shard size (one file per split)
    and with 300 kB."""
    root = tmp_path_factory.mktemp("shards")
    for name in ("schema", "guidelines", "corpus"):
        shutil.copytree(REPO / name, root / name)
    out = {}
    for label, extra in (("one", []), ("sharded", ["--max-shard-size", "300kB"])):
        result = CliRunner().invoke(main, ["export", "--project", str(root), "--quiet", "--no-validate",
                                           "--out", str(root / label), *extra])
        assert result.exit_code == 0, result.output
        out[label] = root / label
    return out


def _card_files(folder) -> dict[str, dict[str, object]]:
    front = (folder / "README.md").read_text(encoding="utf-8").split("---")[1]
    return {c["config_name"]: {f["split"]: f["path"] for f in c["data_files"]} for c in yaml.safe_load(front)["configs"]}


def test_the_card_lists_every_shard_and_load_dataset_reads_the_same_rows(exports):
    one, sharded = _card_files(exports["one"]), _card_files(exports["sharded"])
    assert all(isinstance(path, str) for files in one.values() for path in files.values())
    train = sharded["documents"]["train"]
    assert isinstance(train, list) and len(train) > 2
    assert [p.split("-")[1:4] for p in train] == [[f"{i:05d}", "of", f"{len(train):05d}"] for i in range(len(train))]
    listed = {p for files in sharded.values() for paths in files.values() for p in ([paths] if isinstance(paths, str)
                                                                                     else paths)}
    assert listed == {str(p.relative_to(exports["sharded"])) for p in exports["sharded"].rglob("*.parquet")}
    # a shard passes the size only when it is one row group larger than it; the quantities' incident ids are
    # filled into each shard after it closed, which may add a few bytes
    for path in exports["sharded"].rglob("*.parquet"):
        bound = 330_000 if path.parent.name in {"quantities", "silver_quantities"} else 300_000
        assert path.stat().st_size <= bound or pq.ParquetFile(path).num_row_groups == 1, path.name
    assert set(one) == set(sharded) >= {"documents", "quantities", "silver_quantities", "silver_incidents"}
    assert isinstance(sharded["silver_quantities"]["train"], list)  # incidents filled into several shards
    for config in one:
        whole = datasets.load_dataset(str(exports["one"]), config)
        parts = datasets.load_dataset(str(exports["sharded"]), config)
        for split in whole:
            assert parts[split].to_list() == whole[split].to_list(), (config, split)
    streamed = datasets.load_dataset(str(exports["sharded"]), "documents", split="train", streaming=True)
    assert [r["doc_id"] for r in streamed] == datasets.load_dataset(str(exports["one"]), "documents",
                                                                    split="train")["doc_id"]


def test_a_shard_closes_before_its_footer_grows_past_the_bound(tmp_path):
    """The writer holds a shard's metadata in memory until it closes: bounded by the footer's size (estimated from
    the first row group, exact here where every row group's statistics have the same size)."""
    writer = ShardWriter(tmp_path, "documents", "train", SCHEMA, compression="snappy", max_footer_bytes=4_000)
    for start in range(0, 600, 10):
        writer.write(pa.Table.from_pylist([{"n": i, "text": f"row {i:06d} " + "x" * 100}
                                           for i in range(start, start + 10)], schema=SCHEMA))
    names = writer.close()
    assert len(names) > 1
    assert all(pq.read_metadata(tmp_path / n).serialized_size <= 4_000 for n in names)
    assert pa.concat_tables(pq.read_table(tmp_path / n) for n in names).column("n").to_pylist() == list(range(600))


def test_a_row_group_read_back_from_the_spool_is_written_to_the_same_bytes(tmp_path):
    """The export spools row groups to disk and writes the parquet afterwards: the same file, byte for byte, as
    writing the tables straight away, shard cuts included (a table read back is smaller in Arrow than as built:
    the writer is given the size as built)."""
    from counterclaim.hf.export import _Spool

    with_nulls = pa.schema([("n", pa.int64()), ("text", pa.string()), ("note", pa.string())])
    tables = [pa.Table.from_pylist([{"n": i, "text": f"row {i} " + "lorem " * (i % 40), "note": None}
                                    for i in range(start, start + 50)], schema=with_nulls)
              for start in range(0, 1_000, 50)]
    spool = _Spool(tmp_path / "documents.train.arrows", with_nulls)
    for table in tables:
        spool.write(table)
    (tmp_path / "straight").mkdir()
    (tmp_path / "spooled").mkdir()
    straight = ShardWriter(tmp_path / "straight", "documents", "train", with_nulls, compression="snappy",
                           max_shard_size=20_000)
    for table in tables:
        straight.write(table)
    spooled = ShardWriter(tmp_path / "spooled", "documents", "train", with_nulls, compression="snappy",
                          max_shard_size=20_000)
    read_back = list(spool.groups())
    assert [size for _, size in read_back] == [t.nbytes for t in tables]
    assert [t.to_pylist() for t, _ in read_back] == [t.to_pylist() for t in tables]
    for table, size in read_back:
        spooled.write(table, nbytes=size)
    names = straight.close()
    assert len(names) > 1 and spooled.close() == names
    assert all((tmp_path / "straight" / n).read_bytes() == (tmp_path / "spooled" / n).read_bytes() for n in names)


def test_the_export_holds_no_parquet_writer_open_while_reading_documents(tmp_path):
    """Rows go to the spool folder while documents are read; the parquet files are written at the close, one
    (config, split) at a time, and the spools are then gone."""
    from counterclaim.hf import export as export_module
    from counterclaim.hf.features import ConfigFeatures
    from counterclaim.model.ontology import load_ontology

    features = ConfigFeatures(load_ontology(REPO / "schema" / "ontology.yaml"))
    root, spool_dir = tmp_path / "export", tmp_path / "spool"
    root.mkdir()
    spool_dir.mkdir()
    writers = export_module._Writers(root, spool_dir, features)
    row = {"doc_id": "d1", "annotation_id": "a1", "source": "gold"}
    for n in range(3 * export_module.CHUNK_ROWS["annotations"]):
        for split in ("train", "test"):
            writers.add("annotations", split, {**row, "doc_id": f"d{n}"})
    assert not writers.writers and not list(root.rglob("*"))
    assert sorted(p.name for p in spool_dir.iterdir()) == ["annotations.test.arrows", "annotations.train.arrows"]
    open_at_once = []
    write = export_module.ShardWriter.write

    def counting(self, table, nbytes=None):
        open_at_once.append(len(writers.writers))
        write(self, table, nbytes)

    export_module.ShardWriter.write = counting
    try:
        files = writers.close()
    finally:
        export_module.ShardWriter.write = write
    assert set(files["annotations"]) == {"train", "test"} and max(open_at_once) == 1
    assert not list(spool_dir.iterdir())
    assert pq.read_table(root / files["annotations"]["test"]).column("doc_id").to_pylist() == [
        f"d{n}" for n in range(3 * export_module.CHUNK_ROWS["annotations"])]
