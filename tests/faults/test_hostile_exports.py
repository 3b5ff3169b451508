"""`studio pull` on hostile exports and local files: every one a plain located error or a reported, never silent,
change; nothing half-written; memory bounded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from faultkit import GOLD, cli, run_process
from counterclaim.model.ontology import load_ontology
from counterclaim.validation import validate_files
from hostile import EXPORT_SHAPES, mention_task, nested, region, task, write_json
from crash import snapshot
from helpers import REALDATA

EMOJI_TEXT = "Breaking 😀😀 news 😀: Moscow said the Islamic State lost Palmyra, and 😀 Damascus agreed."


def pull(project: Path, export: Path, *extra):
    return cli("studio", "pull", "--from-file", export, "--project", project, "--quiet", *extra, ok=False)


def _documents(project: Path) -> list[dict]:
    return [json.loads(line) for line in (project / "corpus" / "documents.jsonl").read_text().splitlines()]


def _corpus_task(project: Path, quote: str = "Russia", **kwargs) -> dict:
    doc = next(d for d in _documents(project) if d["doc_id"] != GOLD)
    return mention_task(doc["text"], quote, doc_id=doc["doc_id"], **kwargs)


# -- shapes -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXPORT_SHAPES)
def test_every_odd_export_shape_is_a_plain_located_error(project, tmp_path, name):
    text, said = EXPORT_SHAPES[name]
    export = tmp_path / "export.json"
    export.write_text(text, encoding="utf-8")
    before = snapshot(project)
    result = pull(project, export)
    assert result.exit_code == 1, result.output
    assert said in result.output and "Traceback" not in result.output
    assert f"Error: {export}: " in result.output
    assert snapshot(project) == before


# -- nesting and memory --------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["in a task", "top-level object", "arrays"])
def test_a_200_kb_deeply_nested_export_is_refused_quickly_with_little_memory(project, tmp_path, shape):
    depth = 200_000 // 6
    text = {"in a task": "[" + nested(depth) + "]", "top-level object": nested(depth),
            "arrays": '[{"data": ' + nested(depth * 3, key=None) + "}]"}[shape]
    export = tmp_path / "deep.json"
    export.write_text(text, encoding="utf-8")
    assert 190_000 < export.stat().st_size < 700_000
    code, output, peak = run_process("studio", "pull", "--from-file", export, "--project", project, "--quiet",
                                     timeout=120)
    assert code == 1, output
    assert "nested deeper than 254 levels" in output and str(export) in output and "Traceback" not in output
    assert "line 1, column" in output or ":1:" in output
    assert peak < 200 * 2**20, f"peak memory {peak / 2**20:.0f} MB"


@pytest.mark.parametrize("value, said", [
    ("NaN", "NaN is not a JSON number"),
    ("-Infinity", "-Infinity is not a JSON number"),
    ("1e999", "number too large for a 64-bit float"),
    ("123456789012345678901234567890", "integer 123456789012345678901234567890 is too large"),
])
def test_numbers_json_has_not_are_refused_where_they_are_read(project, tmp_path, value, said):
    base = json.dumps([_corpus_task(project)])
    export = tmp_path / "export.json"
    export.write_text(base.replace('"lead_time"', '"x"').replace('"was_cancelled": false',
                                                                  f'"was_cancelled": false, "lead_time": {value}'))
    result = pull(project, export)
    assert result.exit_code == 1 and said in result.output and "Traceback" not in result.output, result.output
    assert "item 1" in result.output


def test_a_repeated_key_is_refused_with_its_pointer(project, tmp_path):
    text = json.dumps([_corpus_task(project)]).replace('"start": ', '"start": 0, "start": ', 1)
    export = tmp_path / "export.json"
    export.write_text(text)
    result = pull(project, export)
    assert result.exit_code == 1
    assert "item 1 at /annotations/0/result/0/value: key 'start' appears twice" in result.output


# -- offsets ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case, shift, rule", [
    ("off by one", 1, "off by one"),
    ("stale offsets", -9, "stale offsets: the text moved by +9 code points"),
])
def test_shifted_offsets_are_dropped_and_reported_or_repaired_by_rule(project, tmp_path, case, shift, rule):
    export = write_json(tmp_path / "export.json", [_corpus_task(project, "Obama", shift=shift)])
    dropped = pull(project, export)
    assert dropped.exit_code == 1  # the one region is all there was: nothing converts, nothing is written
    assert "but the region's text is 'Obama'" in dropped.output and "[LS212]" in dropped.output
    assert "pass --repair-offsets to move the region there" in dropped.output

    repaired = pull(project, export, "--repair-offsets")
    assert repaired.exit_code == 0, repaired.output
    assert f"({rule}) [LS213]" in repaired.output
    doc = next(d for d in _documents(project) if d["doc_id"] != GOLD)
    written = json.loads((project / "corpus" / "annotations" / f"{doc['doc_id']}.json").read_text())
    assert written["annotations"][0]["mentions"][0]["span"]["text"] == "Obama"
    count, problems = validate_files([project / "corpus" / "annotations"], load_ontology(project / "schema"))
    assert problems == []


def test_utf16_offsets_after_emoji_are_found_and_repaired(tmp_path, project):
    units = len(EMOJI_TEXT[:EMOJI_TEXT.index("Islamic State")].encode("utf-16-le")) // 2
    results = [region("r1", "ACTOR", units, units + len("Islamic State"), "Islamic State"),
               {"id": "r1", "from_name": "actor_type", "type": "choices",
                "value": {"start": units, "end": units + 13, "choices": ["other"]}},
               region("r2", "ACTOR", EMOJI_TEXT.index("Moscow"), EMOJI_TEXT.index("Moscow") + 6, "Moscow"),
               {"id": "r2", "from_name": "actor_type", "type": "choices", "value": {"choices": ["government"]}}]
    export = write_json(tmp_path / "export.json", [task(EMOJI_TEXT, results)])
    out = tmp_path / "out"
    dropped = pull(project, export, "--out", out)
    assert dropped.exit_code == 0, dropped.output
    assert (f"region r1: dropped: offsets [{units}, {units + 13}) cover 'amic State lo' but the region's text is "
            f"'Islamic State'; it is at [{units - 3}, {units + 10}) read as UTF-16 code units") in dropped.output
    (doc,) = [json.loads(p.read_text()) for p in out.glob("*.json")]
    assert [m["span"]["text"] for m in doc["annotations"][0]["mentions"]] == ["Moscow"]

    repaired = pull(project, export, "--out", out, "--repair-offsets")
    assert "UTF-16 code units: the 3 astral character(s), e.g. emoji, before it were counted twice" in repaired.output
    (doc,) = [json.loads(p.read_text()) for p in out.glob("*.json")]
    assert sorted(m["span"]["text"] for m in doc["annotations"][0]["mentions"]) == ["Islamic State", "Moscow"]


def test_label_studio_text_artefacts_are_no_mismatch(project, tmp_path):
    export = write_json(tmp_path / "export.json", [_corpus_task(project, "Russia", selected=" Rus sia\\n")])
    result = pull(project, export)
    assert result.exit_code == 0 and "LS212" not in result.output, result.output


# -- nothing converts: refuse, say what to export instead ---------------------------------------------------


def test_hypertext_regions_are_refused_with_what_to_export_instead(project, tmp_path):
    results = [{"id": "h1", "from_name": "label", "to_name": "html", "type": "hypertextlabels",
                "value": {"start": "/div[1]/p[1]/text()[1]", "end": "/div[1]/p[1]/text()[1]", "startOffset": 0,
                          "endOffset": 6, "text": "Moscow", "hypertextlabels": ["ACTOR"]}},
               {"id": "h2", "from_name": "label", "to_name": "html", "type": "labels",
                "value": {"start": "/div[1]", "end": "/div[1]", "text": "said", "labels": ["ACTOR"]}}]
    export = write_json(tmp_path / "export.json", [task("Moscow said so.", results)])
    result = pull(project, export, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "nothing was written" in result.output
    assert "HyperText/XPath regions" in result.output and "`counterclaim studio config`" in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.json"))


def test_only_task_level_labels_are_refused_with_what_to_export_instead(project, tmp_path):
    results = [{"id": "c1", "from_name": "sentiment", "to_name": "text", "type": "choices",
                "value": {"choices": ["negative"]}},
               {"id": "t1", "from_name": "summary", "to_name": "text", "type": "textarea", "value": {"text": ["war"]}},
               {"id": "x1", "from_name": "topic", "to_name": "text", "type": "taxonomy",
                "value": {"taxonomy": [["conflict"]]}}]
    export = write_json(tmp_path / "export.json", [task("Moscow said so.", results)])
    result = pull(project, export, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "nothing was written" in result.output
    assert "only task-level choices, text areas or taxonomies" in result.output


def test_a_json_min_export_of_several_annotators_is_refused(project, tmp_path):
    """JSON_MIN made by label_studio_sdk's own converter from a real multi-annotator export."""
    from label_studio_sdk.converter import Converter

    source = REALDATA / "labelstudio" / "labic_multi_annotator_ner_pt"
    if not source.exists():
        pytest.skip("../shared/realdata is not beside the repository")
    dump = json.loads((source / "all_annotations_export.json").read_text(encoding="utf-8"))
    tasks = [t for p in dump["projects"] for t in p["tasks"]]
    same_text = {}
    for t in tasks:
        same_text.setdefault(t["data"]["text"], []).append(t)
    multi = [t for group in same_text.values() if len(group) > 1 for t in group]
    assert multi  # several annotators of one text
    write_json(tmp_path / "tasks.json", multi)
    Converter(config=(source / "label_config_ner.xml").read_text(encoding="utf-8"), project_dir=None,
              download_resources=False).convert(str(tmp_path / "tasks.json"), str(tmp_path / "min"), "JSON_MIN",
                                                is_dir=False)
    result = pull(project, tmp_path / "min" / "result.json", "--out", tmp_path / "out")
    assert result.exit_code == 1 and "nothing was written" in result.output
    assert "a JSON_MIN record" in result.output and "export the project as JSON (not JSON_MIN)" in result.output
    assert not (tmp_path / "out").exists()


# -- documents not in the corpus -------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_id", [None, "", "not-in-corpus"])
def test_documents_not_in_the_corpus_are_refused_unless_pulled_elsewhere(project, tmp_path, doc_id):
    export = write_json(tmp_path / "export.json", [mention_task("A foreign text about Moscow.", "Moscow",
                                                                doc_id=doc_id)])
    before = snapshot(project)
    refused = pull(project, export)
    assert refused.exit_code == 1, refused.output
    assert "hold documents that are not in the corpus" in refused.output and "--out DIR" in refused.output
    assert snapshot(project) == before
    elsewhere = pull(project, export, "--out", tmp_path / "out")
    assert elsewhere.exit_code == 0, elsewhere.output
    assert len(list((tmp_path / "out").glob("*.json"))) == 1


# -- local files --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("content, said", [
    ("[]", "/: not an annotated document (an array, not an object)"),
    ("{broken", "invalid JSON"),
    ("no provenance", "/annotations/0/provenance: missing"),
    ('{"doc_id": "x", "text": "t", "text_sha256": "s", "annotations": [], "annotations": []}', "appears twice"),
])
def test_an_odd_local_file_is_a_located_error_and_nothing_is_written(project, tmp_path, content, said):
    docs = [d for d in _documents(project)]
    tasks = [mention_task(d["text"], "Russia" if "Russia" in d["text"] else d["text"][:6], doc_id=d["doc_id"],
                          task_id=i) for i, d in enumerate(docs, start=1)]
    export = write_json(tmp_path / "export.json", tasks)
    odd = project / "corpus" / "annotations" / f"{GOLD}.json"
    if content == "no provenance":
        doc = json.loads(odd.read_text())
        del doc["annotations"][0]["provenance"]
        content = json.dumps(doc)
    odd.write_text(content)
    before = snapshot(project)
    result = pull(project, export)
    assert result.exit_code == 1, result.output
    assert f"{odd}" in result.output and said in result.output and "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert snapshot(project) == before  # not one of the other documents was written either


def test_pull_out_touches_only_the_files_of_documents_it_pulled(project, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    unrelated = {"package.json": '{"name": "x", "annotations": 5}', "notes.json": "[1, 2]",
                 "broken.json": "{", "other.json": json.dumps({"doc_id": "zz", "text": "t", "text_sha256": "s",
                                                               "annotations": [{"id": "b", "provenance": {
                                                                   "origin": "manual", "tool": {}}}]})}
    for name, text in unrelated.items():
        (out / name).write_text(text)
    export = write_json(tmp_path / "export.json", [_corpus_task(project)])
    result = pull(project, export, "--out", out, "--prune")
    assert result.exit_code == 0, result.output
    for name, text in unrelated.items():
        assert (out / name).read_text() == text
    assert len(list(out.glob("*.json"))) == len(unrelated) + 1
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []  # no staging left behind


def test_pull_leaves_no_staging_behind_after_a_failure(project, tmp_path):
    tasks = [_corpus_task(project), mention_task("x", "x", doc_id=GOLD, task_id=2)]  # the second: wrong text
    export = write_json(tmp_path / "export.json", tasks)
    before = snapshot(project)
    result = pull(project, export)
    assert result.exit_code == 1
    assert snapshot(project) == before
    assert not [p for p in project.rglob(".cc-tx-*")] and not [p for p in project.rglob(".pull-*")]
