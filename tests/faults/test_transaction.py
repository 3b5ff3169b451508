"""The transaction mechanism itself (io/transaction.py): all or nothing, rolled forward or back by the next one."""

from __future__ import annotations

import itertools
import json

import pytest

from counterclaim.io import transaction as txmod
from counterclaim.io.transaction import Transaction, recover, transaction


@pytest.fixture()
def place(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "old.txt").write_text("old")
    (tmp_path / "data" / "keep.txt").write_text("keep")
    return tmp_path


def _files(root):
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*"))
            if p.is_file() and ".counterclaim" not in p.parts}


def test_a_commit_changes_every_file_or_none(place):
    with transaction(place / ".counterclaim", "test") as tx:
        tx.write_bytes(place / "data" / "old.txt", b"new")
        tx.write_bytes(place / "data" / "sub" / "added.txt", b"added")
        tx.delete(place / "data" / "keep.txt")
        assert tx.view(place / "data" / "old.txt").read_text() == "new"  # readers in the transaction see it
        assert tx.listdir(place / "data") == ["old.txt", "sub"]
        assert _files(place)["data/old.txt"] == "old"  # nobody else does yet
    assert _files(place) == {"data/old.txt": "new", "data/sub/added.txt": "added"}
    assert not list(place.rglob(".cc-tx-*")) and not list((place / ".counterclaim" / "tx").iterdir())

    before = _files(place)
    with pytest.raises(RuntimeError):
        with transaction(place / ".counterclaim", "test") as tx:
            tx.write_bytes(place / "data" / "old.txt", b"newer")
            raise RuntimeError("a check failed")
    assert _files(place) == before and not list(place.rglob(".cc-tx-*"))


def test_a_crash_after_the_commit_point_is_rolled_forward(place, monkeypatch):
    real_apply = txmod._apply

    def crash_midway(ops, staging):
        real_apply(itertools.islice(ops, 1), [])  # one rename done, then the process dies
        raise KeyboardInterrupt

    monkeypatch.setattr(txmod, "_apply", crash_midway)
    with pytest.raises(KeyboardInterrupt):
        with transaction(place / ".counterclaim", "test") as tx:
            tx.write_bytes(place / "data" / "old.txt", b"new")
            tx.write_bytes(place / "data" / "second.txt", b"second")
    assert _files(place)["data/old.txt"] == "new" and "data/second.txt" not in _files(place)
    monkeypatch.setattr(txmod, "_apply", real_apply)
    assert recover(place / ".counterclaim") == ["completed the interrupted `counterclaim test`"]
    assert _files(place) == {"data/keep.txt": "keep", "data/old.txt": "new", "data/second.txt": "second"}
    assert not list(place.rglob(".cc-tx-*"))


def test_a_crash_before_the_commit_point_is_rolled_back(place):
    tx = Transaction(place / ".counterclaim", "test")
    tx.write_bytes(place / "data" / "old.txt", b"new")  # staged, never committed: the process died here
    assert list(place.rglob(".cc-tx-*"))
    assert recover(place / ".counterclaim") == [f"removed what an interrupted command had staged ({tx.id})"]
    assert _files(place) == {"data/keep.txt": "keep", "data/old.txt": "old"}
    assert not list(place.rglob(".cc-tx-*"))


def test_memory_of_a_transaction_does_not_grow_with_its_files(place):
    """The plan lives on disk and at most MAX_PENDING_SYNCS fsyncs are in flight, whatever the number of files
    (the transaction once held a Path pair and an fsync future per file until the commit)."""
    n = txmod.MAX_PENDING_SYNCS * 4
    with transaction(place / ".counterclaim", "test") as tx:
        for i in range(n):
            tx.write_bytes(place / "data" / "many" / f"{i:04d}.txt", str(i).encode())
            assert len(tx._syncs) <= txmod.MAX_PENDING_SYNCS
        assert not any(isinstance(value, (dict, list)) and len(value) > 2 for value in vars(tx).values())
        assert tx.view(place / "data" / "many" / "0007.txt").read_text() == "7"
        assert tx.listdir(place / "data") == ["keep.txt", "many", "old.txt"] and tx.is_dir(place / "data" / "many")
        tx.discard(place / "data" / "many" / "0000.txt")
        assert len(tx.changes()) == n - 1 and tx.changes()[0].name == "0001.txt"
    assert sorted(p.name for p in (place / "data" / "many").iterdir()) == [f"{i:04d}.txt" for i in range(1, n)]
    assert not list(place.rglob(".cc-tx-*")) and not list((place / ".counterclaim" / "tx").iterdir())


def test_a_commit_record_of_the_older_one_object_form_is_rolled_forward(place):
    """A crash of the version that wrote the whole commit record as one JSON object is completed too."""
    staging = place / "data" / ".cc-tx-old"
    staging.mkdir()
    (staging / "00000001").write_text("new")
    records = place / ".counterclaim" / "tx"
    records.mkdir(parents=True)
    ops = [["replace", str(place / "data" / "old.txt"), str(staging / "00000001")],
           ["delete", str(place / "data" / "keep.txt")]]
    (records / "old.commit").write_text(json.dumps({"command": "test", "ops": ops, "staging": [str(staging)]}))
    assert recover(place / ".counterclaim") == ["completed the interrupted `counterclaim test`"]
    assert _files(place) == {"data/old.txt": "new"} and not staging.exists()


def test_a_large_file_is_staged_streamed(place):
    with transaction(place / ".counterclaim", "test") as tx:
        with tx.open_staged(place / "data" / "big.txt") as fh:
            for i in range(3):
                fh.write(b"part %d\n" % i)
        assert tx.view(place / "data" / "big.txt").read_text() == "part 0\npart 1\npart 2\n"
    assert _files(place)["data/big.txt"] == "part 0\npart 1\npart 2\n"
