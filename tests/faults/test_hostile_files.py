"""Hostile files given to validate, export, agreement, adjudicate and corpus add: each a plain located error (or a
reported row), never a traceback, never silently accepted; corpus add never reads outside its input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from faultkit import GOLD, cli, run_process
from crash import snapshot
from hostile import nested

DEEP = 100_000  # far beyond orjson's own limit (1024) and Python's recursion limit
MIDDLE = 600  # parsed by orjson, deep enough for Python's recursive readers and writers


def _gold(project: Path) -> Path:
    return project / "corpus" / "annotations" / f"{GOLD}.json"


def _gold_text(project: Path) -> str:
    return _gold(project).read_text(encoding="utf-8")


def _no_traceback(result) -> None:
    assert "Traceback" not in result.output and "RecursionError" not in result.output, result.output


# -- nesting ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [MIDDLE, DEEP])
@pytest.mark.parametrize("command", ["validate", "export", "agreement", "adjudicate"])
def test_deep_nesting_in_an_annotated_file_is_a_located_error_everywhere(project, depth, command):
    doc = json.loads(_gold_text(project))
    doc["annotations"][0]["mentions"][0]["actor"] = "@DEEP@"
    _gold(project).write_text(json.dumps(doc).replace('"@DEEP@"', nested(depth)), encoding="utf-8")
    before = snapshot(project)
    args = {"validate": ["validate", project / "corpus" / "annotations"], "export": ["export", "--quiet"],
            "agreement": ["agreement", project / "corpus" / "annotations"], "adjudicate": ["adjudicate"]}[command]
    result = cli(*args, "--project", project, ok=False)
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    assert f"{_gold(project)}:1:" in result.output and "nested deeper than 254 levels" in result.output
    assert snapshot(project) == before


@pytest.mark.parametrize("depth", [MIDDLE, DEEP])
def test_deep_nesting_in_a_corpus_add_row_is_reported_for_that_row(project, tmp_path, depth):
    source = tmp_path / "rows.jsonl"
    source.write_text(json.dumps({"id": "ok1", "title": "Fine", "text": "A fine body."}) + "\n"
                      + '{"id": "deep", "title": "T", "text": "B", "extra": ' + nested(depth) + "}\n")
    result = cli("corpus", "add", source, "--project", project, "--quiet", ok=False)
    _no_traceback(result)
    assert result.exit_code == 0 and "ingested 1, skipped 1" in result.output
    assert "rows.jsonl: row 2: nested deeper than 254 levels of objects and arrays" in result.output


# -- numbers, keys, integers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("change, pointer, said", [
    (lambda t: t.replace('"certainty": "certain"', '"certainty": NaN', 1), "/annotations/0/claims/",
     "NaN is not a JSON number"),
    (lambda t: t.replace('"lead_time": null', '"lead_time": Infinity', 1), "/annotations/0/provenance/lead_time",
     "Infinity is not a JSON number"),
    (lambda t: t.replace('"start": ', '"start": 0.0, "start": ', 1), "/annotations/0/claims/0/content/0:",
     "key 'start' appears twice"),
    (lambda t: t.replace('"start": ', '"start": 1.0, "x": ', 1).replace('"x"', '"y"'),
     "/annotations/0/claims/0/content/0/start", "`start` must be an integer, not 1.0"),
    (lambda t: t.replace('"geonames_id": null', '"geonames_id": 99999999999999999999999', 1), "/geonames_id",
     "integer 99999999999999999999999 is too large for the dataset's 64-bit integers"),
])
@pytest.mark.parametrize("command", ["validate", "export", "adjudicate"])
def test_values_json_or_the_dataset_cannot_hold_are_refused_where_read(project, change, pointer, said, command):
    text = _gold_text(project)
    changed = change(text)
    assert changed != text
    _gold(project).write_text(changed, encoding="utf-8")
    before = snapshot(project)
    args = {"validate": ["validate", project / "corpus" / "annotations"],
            "export": ["export", "--quiet", "--no-validate"], "adjudicate": ["adjudicate"]}[command]
    result = cli(*args, "--project", project, ok=False)
    _no_traceback(result)
    assert result.exit_code == 1 and said in result.output and pointer in result.output, result.output
    assert str(_gold(project)) in result.output
    assert snapshot(project) == before


def test_validate_a_jsonl_reports_every_bad_line(project, tmp_path):
    good = json.loads(_gold_text(project))
    lines = [json.dumps(good), "{broken", json.dumps(good).replace('"certainty": "certain"', '"certainty": NaN', 1),
             '{"a": 1, "a": 2}', json.dumps(good), nested(DEEP)]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("validate", path, "--project", project, ok=False)
    _no_traceback(result)
    assert result.exit_code == 1
    for line, said in ((2, "invalid JSON"), (3, "NaN is not a JSON number"), (4, "key 'a' appears twice"),
                       (6, "nested deeper than 254 levels")):
        assert f"{path}:{line}: " in result.output and said in result.output, (line, result.output)
    assert "2 document(s)" in result.output  # the two good lines were read and checked


# -- corpus add: what it must not read, and what it must not pretend -------------------------------------------


def test_corpus_add_does_not_follow_a_link_out_of_the_folder(project, tmp_path):
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Secret headline\n\nTHE-SECRET-BODY must never be published.\n", encoding="utf-8")
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "020_aaaaaaaaaaaaaaaa.txt").write_text("A headline\n\nA body.\n", encoding="utf-8")
    (folder / "021_bbbbbbbbbbbbbbbb.txt").symlink_to(secret)
    (folder / "inner.txt").symlink_to(folder / "020_aaaaaaaaaaaaaaaa.txt")  # a link inside the folder is fine
    result = cli("corpus", "add", folder, "--project", project, "--quiet", ok=False)
    assert "021_bbbbbbbbbbbbbbbb.txt: a symbolic link to a file outside the folder" in result.output
    corpus = project / "corpus"
    assert "THE-SECRET-BODY" not in (corpus / "documents.jsonl").read_text()
    assert not (corpus / "raw" / "021_bbbbbbbbbbbbbbbb.txt").exists()


def test_corpus_add_of_a_fifo_is_refused_without_waiting(project, tmp_path):
    fifo = tmp_path / "rows.jsonl"
    os.mkfifo(fifo)
    code, output, _ = run_process("corpus", "add", fifo, "--project", project, "--quiet", timeout=60)
    assert code == 1 and "not a regular file" in output and "Traceback" not in output, output
    inside = tmp_path / "incoming"
    inside.mkdir()
    (inside / "030_cccccccccccccccc.txt").write_text("Head\n\nBody here.\n", encoding="utf-8")
    os.mkfifo(inside / "pipe.txt")
    code, output, _ = run_process("corpus", "add", inside, "--project", project, "--quiet", timeout=60)
    assert code == 0 and "pipe.txt: not a regular file" in output, output
    code, output, _ = run_process("studio", "pull", "--from-file", fifo, "--project", project, timeout=60)
    assert code == 1 and "FIFO" in output and "Traceback" not in output, output


def test_a_dot_file_is_either_ingested_or_reported_never_ingested_then_skipped(project, tmp_path):
    hidden = tmp_path / ".hidden.jsonl"
    hidden.write_text(json.dumps({"id": "h1", "title": "Hidden", "text": "Hidden body."}) + "\n")
    before = snapshot(project)
    result = cli("corpus", "add", hidden, "--project", project, "--quiet", ok=False)
    assert result.exit_code == 1 and "the file name starts with '.'" in result.output
    assert "ingested" not in result.output and snapshot(project) == before
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / ".040_dddddddddddddddd.txt").write_text("Head\n\nHidden body.\n", encoding="utf-8")
    (folder / "041_eeeeeeeeeeeeeeee.txt").write_text("Head two\n\nVisible body.\n", encoding="utf-8")
    result = cli("corpus", "add", folder, "--project", project, "--quiet", ok=False)
    assert "ingested 1, skipped 1" in result.output
    assert ".040_dddddddddddddddd.txt: hidden file" in result.output
    documents = (project / "corpus" / "documents.jsonl").read_text()
    assert "eeeeeeeeeeeeeeee" in documents and "dddddddddddddddd" not in documents


def test_a_file_name_that_is_not_utf8_is_reported(project, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "050_ffffffffffffffff.txt").write_text("Head\n\nA body.\n", encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "w", encoding="utf-8") as fh:
        fh.write("Latin-1 named\n\nBody.\n")
    result = cli("corpus", "add", folder, "--project", project, "--quiet", ok=False)
    _no_traceback(result)
    assert result.exit_code == 0 and "caf\\xe9.txt: the file name is not valid UTF-8" in result.output
    bad = tmp_path / os.fsdecode(b"rows-\xff.jsonl")
    bad.write_text(json.dumps({"id": "z1", "title": "T", "text": "B"}) + "\n")
    result = cli("corpus", "add", bad, "--project", project, "--quiet", ok=False)
    _no_traceback(result)
    assert result.exit_code == 1 and "rows-\\xff.jsonl: the file name is not valid UTF-8" in result.output
