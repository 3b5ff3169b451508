"""`author compile` of several authoring files of one document: one annotated document, one annotation each."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.model.ontology import load_ontology
from counterclaim.quality.authoring import AnnotationIdClash, compile_files
from helpers import EXAMPLE_ID, REPO

ONT = load_ontology(REPO / "schema")
TEXT_OF = {"mentions": [{"id": "m1", "span": {"quote": "Moscow", "nth": 1}, "actor": "RUS_GOV"}]}


def authoring(path, annotation: str, annotator: str, **extra):
    path.parent.mkdir(parents=True, exist_ok=True)
    header = {"id": annotation, "annotator": annotator, "ground_truth": False, **extra}
    path.write_text(json.dumps({"doc_id": EXAMPLE_ID, "annotation": header, **TEXT_OF}), encoding="utf-8")  # JSON is YAML
    return path


def run(*args):
    return CliRunner().invoke(main, [*map(str, args), "--project", str(REPO)])


def test_files_of_one_document_compile_into_one_document_ordered_by_annotation_id(tmp_path):
    first = authoring(tmp_path / "gold" / f"{EXAMPLE_ID}.yaml", "pass-a", "annotator-a")
    second = authoring(tmp_path / "gold" / "second" / f"{EXAMPLE_ID}.yaml", "pass-b", "annotator-b")
    final = authoring(tmp_path / "gold" / "adjudicated" / f"{EXAMPLE_ID}.yaml", "adjudicated", "adjudicator",
                      ground_truth=True)
    result = run("author", "compile", second, first, final, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {tmp_path / 'out' / EXAMPLE_ID}.json\n"  # one document
    written = (tmp_path / "out" / f"{EXAMPLE_ID}.json").read_bytes()
    doc = json.loads(written)
    assert [(a["id"], a["provenance"]["annotator"], a["ground_truth"]) for a in doc["annotations"]] == [
        ("adjudicated", "adjudicator", True), ("pass-a", "annotator-a", False), ("pass-b", "annotator-b", False)]
    assert all(a["mentions"][0]["span"] == doc["annotations"][0]["mentions"][0]["span"] for a in doc["annotations"])
    # the order the files are given does not matter: the same bytes
    again = run("author", "compile", final, first, second, "--out", tmp_path / "again")
    assert again.exit_code == 0 and (tmp_path / "again" / f"{EXAMPLE_ID}.json").read_bytes() == written
    # without --out the document goes beside the first file given
    beside = run("author", "compile", first, second)
    assert beside.exit_code == 0 and beside.output == f"wrote {tmp_path / 'gold' / EXAMPLE_ID}.json\n"


def test_two_files_of_one_document_need_their_own_annotation_ids(tmp_path):
    first = authoring(tmp_path / "a" / f"{EXAMPLE_ID}.yaml", "gold", "annotator-a")
    second = authoring(tmp_path / "b" / f"{EXAMPLE_ID}.yaml", "gold", "annotator-b")
    result = run("author", "compile", first, second, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {second}: annotation id `gold` of document `{EXAMPLE_ID}` is already used by {first}; give each "
        "authoring file of one document its own id (`annotation: {id: ...}`)\n")
    assert not (tmp_path / "out").exists()  # nothing written
    with pytest.raises(AnnotationIdClash):
        compile_files([first, second], ONT, BuiltCorpus.open(REPO / "corpus"))


def test_every_invalid_file_is_reported_and_nothing_is_written(tmp_path):
    good = authoring(tmp_path / f"{EXAMPLE_ID}.yaml", "pass-a", "annotator-a")
    bad = authoring(tmp_path / "second" / f"{EXAMPLE_ID}.yaml", "pass-b", "annotator-b")
    bad.write_text(bad.read_text(encoding="utf-8").replace("RUS_GOV", "NOBODY"), encoding="utf-8")
    worse = authoring(tmp_path / "third" / f"{EXAMPLE_ID}.yaml", "pass-c", "annotator-c")
    worse.write_text(worse.read_text(encoding="utf-8").replace("RUS_GOV", "NOBODY_ELSE"), encoding="utf-8")
    result = run("author", "compile", good, bad, worse, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert f"Error: 2 validation error(s) in {bad}, {worse}; nothing written" in result.output
    assert f"{bad}: /annotations/0/mentions/0/actor:" in result.output
    assert f"{worse}: /annotations/0/mentions/0/actor:" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("yaml_text, where, unknown", [
    # a place name holding ", " inside {...}: YAML reads "Qamishli" as a key of its own
    ("doc_id: {doc}\nevents:\n  - {{id: e1, type: ATTACK, place: {{span: Moscow, name: al-Gharbiya, Qamishli}}}}\n",
     ".events[0].place", "Qamishli"),
    ("doc_id: {doc}\nmentions:\n  - {{id: m1, span: {{quote: Moscow, nth: 1}}, actr: RUS_GOV}}\n", ".mentions[0]", "actr"),
    ("doc_id: {doc}\nclaims:\n  - {{id: c1, content: Moscow, about: {{event: [e1]}}}}\n", ".claims[0].about", "event"),
    ("doc_id: {doc}\nannotation: {{id: a, annotater: x}}\n", ".annotation", "annotater"),
    ("doc_id: {doc}\nmention: []\n", "", "mention"),
])
def test_a_key_the_compiler_does_not_read_is_a_located_error(tmp_path, yaml_text, where, unknown):
    path = tmp_path / f"{EXAMPLE_ID}.yaml"
    path.write_text(yaml_text.format(doc=EXAMPLE_ID), encoding="utf-8")
    result = run("author", "compile", path, "--out", tmp_path / "out")
    assert result.exit_code == 1, result.output
    assert f"{path}{where}: unknown key(s) {unknown}" in result.output, result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
