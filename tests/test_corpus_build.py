"""``build_corpus``: deterministic outputs, stable ids, version rules, nothing half-written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from counterclaim.corpus.build import build_corpus, load_documents
from counterclaim.corpus.normalize import POLICY_VERSION
from counterclaim.errors import CorpusError, DuplicateIdError, VersionError
from counterclaim.io.jsonio import sha256_bytes, sha256_text

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "corpus" / "raw"
SEED_IDS = ["01c6e4c94616b3f2", "17a8eb7dc5290d52", "65e93feecc888cc5", "b9349cabdf37dc18", "f7adc2e7615265e7"]
OUTPUTS = ("documents.jsonl", "manifest.json", "CHANGELOG.md")


def make_corpus(root: Path) -> Path:
    """A corpus folder whose raw/ holds writable copies of the seed files."""
    raw = root / "raw"
    raw.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        (raw / seed.name).write_bytes(seed.read_bytes())
    return root


def outputs(corpus: Path) -> dict[str, bytes]:
    return {name: (corpus / name).read_bytes() for name in OUTPUTS if (corpus / name).exists()}


def documents(corpus: Path) -> dict[str, dict]:
    lines = (corpus / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    return {doc["doc_id"]: doc for doc in map(json.loads, lines)}


@pytest.fixture
def corpus(tmp_path) -> Path:
    return make_corpus(tmp_path / "corpus")


# --- determinism ----------------------------------------------------------------------------------


def test_two_builds_give_identical_bytes(tmp_path):
    first, second = make_corpus(tmp_path / "a"), make_corpus(tmp_path / "b")
    build_corpus(first, version="0.0.1")
    build_corpus(second, version="0.0.1")
    assert outputs(first) == outputs(second) and len(outputs(first)) == 3
    before = outputs(first)
    report = build_corpus(first)
    assert outputs(first) == before
    assert report.written == [] and (report.added, report.changed, report.removed) == ([], [], [])


def test_committed_outputs_equal_a_rebuild(tmp_path):
    """The done-criterion `counterclaim corpus build` leaves `git status` clean."""
    committed = REPO / "corpus"
    copy = tmp_path / "corpus"
    shutil.copytree(committed / "raw", copy / "raw")  # the seeds and the records added with `corpus add`
    for name in OUTPUTS:
        (copy / name).write_bytes((committed / name).read_bytes())
    report = build_corpus(copy)
    assert report.written == []
    assert outputs(copy) == {name: (committed / name).read_bytes() for name in OUTPUTS}
    manifest = json.loads((committed / "manifest.json").read_text())
    assert report.version == manifest["version"]
    assert report.document_count == manifest["document_count"] == 5 + 788  # the seeds and FA-KES


# --- contents -------------------------------------------------------------------------------------


def test_documents_are_sorted_and_complete(corpus):
    build_corpus(corpus, version="0.0.1")
    lines = (corpus / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines]
    assert [d["doc_id"] for d in docs] == SEED_IDS
    doc = documents(corpus)["17a8eb7dc5290d52"]
    assert set(doc) == {"doc_id", "title", "text", "source", "raw_sha256", "text_sha256", "normalisation"}
    assert doc["source"] == {
        "kind": "txt", "path": "raw/000_17a8eb7dc5290d52.txt", "row": None, "url": None, "domain": None,
        "published": None, "retrieved_at": None, "reliability": None, "authors": None,
    }  # fmt: skip
    assert doc["text"].startswith(doc["title"] + "\n\n")
    assert doc["raw_sha256"] == sha256_bytes((SEEDS / "000_17a8eb7dc5290d52.txt").read_bytes())
    assert doc["text_sha256"] == sha256_text(doc["text"])
    assert doc["normalisation"] == POLICY_VERSION


def test_manifest_records_version_counts_and_checksums(corpus):
    build_corpus(corpus, version="0.0.1")
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    docs = documents(corpus)
    assert manifest["name"] == "counterclaim" and manifest["version"] == "0.0.1"
    assert manifest["document_count"] == 5
    assert manifest["documents_sha256"] == sha256_bytes((corpus / "documents.jsonl").read_bytes())
    assert manifest["documents"] == {
        i: {"raw_sha256": d["raw_sha256"], "text_sha256": d["text_sha256"]} for i, d in docs.items()
    }
    assert manifest["unreleased_added"] == []
    changelog = (corpus / "CHANGELOG.md").read_text(encoding="utf-8")
    assert (
        "## 0.0.1\n\nAdded (5):\n- `01c6e4c94616b3f2` Russian air strikes hit 55 Islamic State targets in Syria\n"
        in changelog
    )


def test_txt_without_seed_name_gets_a_content_id(corpus):
    (corpus / "raw" / "extra.txt").write_text("A headline\n\nA body.\n", encoding="utf-8")
    build_corpus(corpus)
    expected = sha256_text("A headline\n\nA body.")[:16]
    assert documents(corpus)[expected]["source"]["path"] == "raw/extra.txt"


# --- ids stay stable ------------------------------------------------------------------------------


def test_adding_documents_keeps_old_ids_texts_and_version(corpus):
    build_corpus(corpus, version="0.0.1")
    old = documents(corpus)
    (corpus / "raw" / "005_aaaa000000000001.txt").write_text("New headline\nNew body.\n", encoding="utf-8")
    (corpus / "raw" / "zz-extra.txt").write_text("Another headline\nAnother body.\n", encoding="utf-8")
    report = build_corpus(corpus)
    new = documents(corpus)
    assert {i: new[i] for i in old} == old
    assert sorted(set(new) - set(old)) == sorted(report.added) and len(report.added) == 2
    assert "aaaa000000000001" in report.added
    assert report.version == "0.0.1" and report.changed == [] and report.removed == []
    changelog = (corpus / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## Unreleased") < changelog.index("## 0.0.1")
    assert "- `aaaa000000000001` New headline\n" in changelog
    # the next release gathers the unreleased additions and drops the Unreleased section
    build_corpus(corpus, version="0.0.2")
    changelog = (corpus / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## Unreleased" not in changelog
    assert changelog.index("## 0.0.2\n\nAdded (2):\n- `aaaa000000000001` New headline\n") < changelog.index("## 0.0.1")


# --- changes need a version -----------------------------------------------------------------------


def test_changed_text_needs_a_new_version_and_leaves_outputs_intact(corpus):
    build_corpus(corpus, version="0.0.1")
    before = outputs(corpus)
    seed = corpus / "raw" / "002_b9349cabdf37dc18.txt"
    seed.write_bytes(seed.read_bytes().replace(b"Russia Guts", b"Russia Guts the"))
    with pytest.raises(CorpusError) as exc:
        build_corpus(corpus)
    assert str(exc.value) == (
        "1 existing document(s) would change (text changed: b9349cabdf37dc18). Annotations index the old text, "
        "so this needs a new corpus version: re-run with --version 0.1.0 (the next minor version), or restore "
        "the previous sources."
    )
    assert outputs(corpus) == before
    report = build_corpus(corpus, version="0.1.0")
    assert report.changed == ["b9349cabdf37dc18"] and report.version == "0.1.0"
    assert report.previous_version == "0.0.1"
    changelog = (corpus / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## 0.1.0\n\nText changed (1):\n- `b9349cabdf37dc18` Russia Guts the Islamic State!!\n" in changelog


def test_residue_only_change_keeps_the_text_and_needs_no_version(corpus):
    build_corpus(corpus, version="0.0.1")
    seed = corpus / "raw" / "001_01c6e4c94616b3f2.txt"
    seed.write_bytes(b"Advertisement\n" + seed.read_bytes())
    report = build_corpus(corpus)
    assert report.changed == [] and report.version == "0.0.1"
    assert report.written == ["documents.jsonl", "manifest.json"]  # raw checksums only: no changelog entry


def test_removed_document_needs_a_new_version(corpus):
    build_corpus(corpus, version="0.0.1")
    (corpus / "raw" / "004_f7adc2e7615265e7.txt").unlink()
    with pytest.raises(CorpusError, match=r"\(removed: f7adc2e7615265e7\)"):
        build_corpus(corpus)
    report = build_corpus(corpus, version="1.0.0")
    assert report.removed == ["f7adc2e7615265e7"] and report.document_count == 4
    assert "## 1.0.0\n\nRemoved (1):\n- `f7adc2e7615265e7`\n" in (corpus / "CHANGELOG.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("0.0.1", "version 0.0.1 is not greater than the corpus's current version 0.0.1; use e.g. 0.1.0"),
        ("0.0.0", "version 0.0.0 is not greater than the corpus's current version 0.0.1; use e.g. 0.1.0"),
        ("1.0", "'1.0' is not a version of the form MAJOR.MINOR.PATCH (e.g. 0.1.0)"),
        ("v1.0.0", "'v1.0.0' is not a version of the form MAJOR.MINOR.PATCH (e.g. 0.1.0)"),
    ],
)
def test_versions_must_be_semver_and_greater(corpus, version, message):
    build_corpus(corpus, version="0.0.1")
    before = outputs(corpus)
    with pytest.raises(VersionError) as exc:
        build_corpus(corpus, version=version)
    assert str(exc.value) == message
    assert outputs(corpus) == before


def test_release_without_changes_is_recorded(corpus):
    build_corpus(corpus, version="0.0.1")
    build_corpus(corpus, version="0.0.2")
    assert "## 0.0.2\n\nNo document changes.\n" in (corpus / "CHANGELOG.md").read_text(encoding="utf-8")


# --- problems in raw/ -----------------------------------------------------------------------------


def test_two_sources_with_one_id_is_an_error(corpus):
    build_corpus(corpus, version="0.0.1")
    before = outputs(corpus)
    (corpus / "raw" / "999_17a8eb7dc5290d52.txt").write_text("Other headline\nOther body.\n", encoding="utf-8")
    with pytest.raises(DuplicateIdError) as exc:
        build_corpus(corpus)
    message = str(exc.value)
    assert (
        "  raw/999_17a8eb7dc5290d52.txt (id 17a8eb7dc5290d52): duplicate id: also used by "
        "raw/000_17a8eb7dc5290d52.txt\n" in message
    )
    assert message.endswith(
        "Remove one of each pair, or give it another id (a .txt file's id is the hex in its name NNN_<hex>.txt, "
        "a record's is its id field)."
    )
    assert outputs(corpus) == before


def test_empty_raw_file_is_an_error(corpus):
    (corpus / "raw" / "empty.txt").write_text("Share\n\nAdvertisement\n", encoding="utf-8")
    with pytest.raises(CorpusError) as exc:
        build_corpus(corpus)
    assert "  raw/empty.txt: empty content: no article text after normalisation\n" in str(exc.value)
    assert not (corpus / "documents.jsonl").exists()


def test_unexpected_raw_entry_is_an_error(corpus):
    (corpus / "raw" / "notes.md").write_text("x", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"raw/notes.md: unexpected entry in the raw store"):
        build_corpus(corpus)


def test_missing_raw_folder_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match=r"no raw/ folder; add sources with `counterclaim corpus add PATH`"):
        load_documents(tmp_path)


def test_malformed_manifest_is_an_error(corpus):
    (corpus / "manifest.json").write_text('{"name": "x", "version": "0.0.1"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"manifest.json: no 'documents' \(dict\); restore the file"):
        build_corpus(corpus)


def test_the_corpus_version_is_read_without_parsing_the_whole_manifest(tmp_path):
    """``BuiltCorpus.version`` streams the manifest (which lists every document); a manifest without one version
    string still gets the error that says how to fix it."""
    from counterclaim.corpus.store import BuiltCorpus

    (tmp_path / "documents.jsonl").write_text("")
    manifest = tmp_path / "manifest.json"
    documents = {f"d{i}": {"text_sha256": "0" * 64} for i in range(1000)}
    manifest.write_text(json.dumps({"documents": documents, "version": "1.2.3"}, indent=2))
    assert BuiltCorpus.open(tmp_path).version == "1.2.3"
    for broken in ({"documents": documents}, {"version": 3}, ["version"]):
        manifest.write_text(json.dumps(broken))
        with pytest.raises(CorpusError, match="no 'version'; restore the file from version control"):
            BuiltCorpus.open(tmp_path).version
    manifest.write_text('{"version": "1.2.3", "documents": ')  # cut short: the strict reader names the place
    with pytest.raises(Exception, match="manifest.json"):
        BuiltCorpus.open(tmp_path).version


def test_the_index_on_disk_is_the_index(corpus, tmp_path):
    """What `studio pull` checks documents against, from a SQLite file instead of a dict."""
    from counterclaim.corpus.store import BuiltCorpus

    build_corpus(corpus)
    built = BuiltCorpus.open(corpus)
    index = built.index()
    on_disk = built.index_on_disk(tmp_path)
    assert len(index) > 1 and dict(on_disk) == index and list(on_disk) == sorted(index)
    doc_id = next(iter(index))
    assert doc_id in on_disk and on_disk.get(doc_id) == index[doc_id]
    assert "no-such-document" not in on_disk and on_disk.get("no-such-document") is None and 3 not in on_disk
    with pytest.raises(KeyError):
        on_disk["no-such-document"]
