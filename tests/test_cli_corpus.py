"""``counterclaim corpus build`` and ``counterclaim corpus add`` through click's CliRunner."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from counterclaim.cli import main

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "corpus" / "raw"
FNC_SAMPLE = REPO.parent / "shared" / "realdata" / "news" / "fakenewscorpus_news_sample.csv"


def run(*args: str):
    return CliRunner().invoke(main, ["corpus", *args], catch_exceptions=False)


@pytest.fixture
def corpus(tmp_path) -> Path:
    raw = tmp_path / "corpus" / "raw"
    raw.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        (raw / seed.name).write_bytes(seed.read_bytes())
    return tmp_path / "corpus"


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# --- build ----------------------------------------------------------------------------------------


def test_build_prints_a_summary_and_is_repeatable(corpus):
    result = run("build", "--corpus", str(corpus), "--version", "0.0.1")
    assert result.exit_code == 0, result.output
    assert result.output == ("counterclaim 0.0.1: 5 documents (added 5, text changed 0, removed 0); outputs written\n")
    before = (corpus / "documents.jsonl").read_bytes()
    result = run("build", "--corpus", str(corpus))
    assert result.exit_code == 0
    assert result.output == "counterclaim 0.0.1: 5 documents (added 0, text changed 0, removed 0); outputs unchanged\n"
    assert (corpus / "documents.jsonl").read_bytes() == before


def test_build_finds_the_corpus_of_the_project(corpus):
    result = run("build", "--project", str(corpus.parent), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["corpus"] == str(corpus) and report["document_count"] == 5 and report["version"] == "0.0.0"
    assert report["written"] == ["documents.jsonl", "CHANGELOG.md", "manifest.json"]


def test_build_refuses_a_text_change_without_a_version(corpus):
    run("build", "--corpus", str(corpus), "--version", "0.0.1")
    seed = corpus / "raw" / "003_65e93feecc888cc5.txt"
    seed.write_bytes(seed.read_bytes().replace(b"Command Center", b"Command Centre"))
    result = run("build", "--corpus", str(corpus))
    assert result.exit_code == 1
    assert result.output == (
        "Error: 1 existing document(s) would change (text changed: 65e93feecc888cc5). Annotations index the old "
        "text, so this needs a new corpus version: re-run with --version 0.1.0 (the next minor version), or "
        "restore the previous sources.\n"
    )
    result = run("build", "--corpus", str(corpus), "--version", "0.1.0")
    assert result.exit_code == 0
    assert result.output == (
        "counterclaim 0.0.1 -> 0.1.0: 5 documents (added 0, text changed 1, removed 0); outputs written\n"
    )


def test_build_rejects_a_malformed_version(corpus):
    result = run("build", "--corpus", str(corpus), "--version", "1.0")
    assert result.exit_code == 1
    assert result.output == "Error: '1.0' is not a version of the form MAJOR.MINOR.PATCH (e.g. 0.1.0)\n"
    assert not (corpus / "documents.jsonl").exists()


# --- add ------------------------------------------------------------------------------------------


def test_add_prints_summary_and_every_problem(tmp_path):
    source = write_jsonl(
        tmp_path / "export.jsonl",
        [
            {"id": "j1", "title": "T1", "text": "Body one."},
            {"id": "j1", "title": "T2", "text": "Body two."},
            {"id": "j3", "title": "T3", "text": "Share"},
        ],
    )
    result = run("add", str(source), "--corpus", str(tmp_path / "scratch"), "--name", "scratch")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "export.jsonl: ingested 1, skipped 2\n"
        "export.jsonl: row 2 (id j1): duplicate id: also used by row 1\n"
        "export.jsonl: row 3 (id j3): empty content: no article text after normalisation\n"
        "scratch 0.0.0: 1 documents (added 1, text changed 0, removed 0); outputs written\n"
    )
    again = run("add", str(source), "--corpus", str(tmp_path / "scratch"))
    assert again.exit_code == 0
    assert again.output == (
        "export.jsonl: ingested 0, skipped 2, already present 1\n"
        "export.jsonl: row 2 (id j1): duplicate id: also used by row 1\n"
        "export.jsonl: row 3 (id j3): empty content: no article text after normalisation\n"
        "Nothing new: the usable rows of export.jsonl are already in the corpus.\n"
    )


def test_add_exits_1_when_no_row_is_usable(tmp_path):
    source = write_jsonl(tmp_path / "bad.jsonl", [{"id": "x", "title": "", "text": "Body."}])
    result = run("add", str(source), "--corpus", str(tmp_path / "scratch"))
    assert result.exit_code == 1
    assert result.output == (
        "bad.jsonl: ingested 0, skipped 1\n"
        "bad.jsonl: row 1 (id x): missing title: the title is empty after normalisation\n"
        "Nothing ingested: no usable row in bad.jsonl.\n"
    )
    assert not (tmp_path / "scratch").exists()


def test_add_json_report(tmp_path):
    source = write_jsonl(tmp_path / "export.jsonl", [{"id": "j1", "title": "T1", "text": "Body one."}, ["x"]])
    result = run("add", str(source), "--corpus", str(tmp_path / "scratch"), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["ok"], report["rows"], report["ingested"], report["skipped"]) == (True, 2, 1, 1)
    assert report["problems"] == [
        {"file": "export.jsonl", "row": 2, "id": None, "reason": "not a JSON object but list"}
    ]
    assert report["raw_written"] == ["raw/export.jsonl"] and report["build"]["document_count"] == 1


def test_add_refuses_an_unknown_input_kind(tmp_path):
    source = tmp_path / "notes.md"
    source.write_text("# notes\n", encoding="utf-8")
    result = run("add", str(source), "--corpus", str(tmp_path / "scratch"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {source}: cannot read this kind of file; corpus add accepts a folder of .txt files, a .jsonl "
        "file, or a FakeNewsCorpus or FA-KES .csv file\n"
    )


def test_add_a_txt_folder_into_the_project_corpus(corpus, tmp_path):
    run("build", "--corpus", str(corpus), "--version", "0.0.1")
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "005_00000000000000aa.txt").write_text("Headline\n\nBody.\n", encoding="utf-8")
    result = run("add", str(folder), "--project", str(corpus.parent), "--quiet")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "incoming: ingested 1, skipped 0\n"
        "counterclaim 0.0.1: 6 documents (added 1, text changed 0, removed 0); outputs written\n"
    )


@pytest.mark.skipif(not FNC_SAMPLE.exists(), reason="the real FakeNewsCorpus sample is not in ../shared/realdata/news")
def test_add_the_real_sample_lists_the_skipped_rows(tmp_path):
    result = run("add", str(FNC_SAMPLE), "--corpus", str(tmp_path / "scratch"))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "fakenewscorpus_news_sample.csv: ingested 239, skipped 11"
    assert len([line for line in lines if ": duplicate content: same text as id " in line]) == 11
    assert lines[-1] == "counterclaim 0.0.0: 239 documents (added 239, text changed 0, removed 0); outputs written"


# --- help -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("build", "counterclaim corpus build --version 0.2.0"),
        ("add", "counterclaim corpus add news.csv --corpus /tmp/scratch --name scratch"),
    ],
)
def test_help_shows_examples(command, expected):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output and expected in result.output


def test_progress_bar_only_on_a_terminal_above_the_threshold(monkeypatch):
    from counterclaim.cli import corpus as corpus_cmd

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def bar_output(total: int, *, quiet: bool = False, terminal: bool = True) -> str:
        err = Terminal() if terminal else io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        assert list(corpus_cmd._progress_factory(quiet)(range(total), total)) == list(range(total))
        return err.getvalue()

    assert "0/60 [" in bar_output(60)
    assert bar_output(corpus_cmd.PROGRESS_THRESHOLD) == ""
    assert bar_output(60, quiet=True) == ""
    assert bar_output(60, terminal=False) == ""
