"""Push, annotate through the API, pull — against a real Label Studio server."""

from __future__ import annotations

import json
import socket
import shutil
import uuid

import pytest
from click.testing import CliRunner

from counterclaim.io import jsonio
from counterclaim.quality.authoring import compile_annotation
from counterclaim.cli import main
from counterclaim.model.ontology import load_ontology
from counterclaim.labelstudio.results import annotation_to_results
from counterclaim.studio.predictors import DEFAULT_PREDICTOR, PREDICTORS
from helpers import EMOJI_DOC_ID, REPO

pytestmark = pytest.mark.server


# One annotation that uses every per-region control and every kind of relation, with overlapping spans
# (the claim content covers mentions, the trigger and the quantity) after an astral character.
FULL = {
    "annotation": {"id": "full", "annotator": "x", "ground_truth": True},
    "mentions": [
        {"id": "m1", "span": "Moscow", "actor": "RUS_GOV"},
        {"id": "m2", "span": "Russian jets", "actor": "RUS_MIL"},
        {"id": "m3", "span": "SOHR", "actor": "SOHR"},
        {"id": "m4", "span": "AFP", "actor": "AFP"},
        {"id": "m5", "span": "12 civilians", "actor": None, "type": "civilians"},
        {"id": "m6", "span": "The ministry", "actor": "RUS_MOD"},
    ],
    "events": [
        {"id": "e2", "type": "ATTACK", "mode": "aerial", "trigger": {"quote": "strikes", "after": "20 "},
         "granularity": "aggregate", "realis": "actual",
         "time": {"span": "since September 30", "start": "2015-09-30", "precision": "range"},
         "quantities": [{"id": "q3", "measurand": "strikes", "low": 10, "high": 20, "qualifier": "range",
                         "span": "between 10 and 20", "note": "as the outlet puts it"}]},
        {"id": "e1", "type": "ATTACK", "mode": "aerial", "trigger": "hit", "part_of": "e2",
         "arguments": [{"role": "attacker", "mention": "m2"}, {"role": "target", "span": "55 targets"}],
         "time": {"span": "on 30 September", "start": "2015-09-30", "end": "2015-09-30", "precision": "day"},
         "place": {"span": "Palmyra", "name": "Palmyra", "geonames_id": 170017, "precision": "town"},
         "quantities": [{"id": "q1", "measurand": "targets_struck", "value": 55, "qualifier": "exact", "span": "55"}]},
        {"id": "e3", "type": "DIE", "mode": "unspecified", "trigger": "died", "realis": "actual",
         "arguments": [{"role": "cause", "event": "e1"}, {"role": "victim", "mention": "m5"}],
         "quantities": [{"id": "q2", "measurand": "killed_civilians", "value": 12, "qualifier": "about",
                         "span": {"quote": "12", "after": "said "}}]},
    ],
    "claims": [
        {"id": "c1", "content": ["Russian jets hit 55 targets near Palmyra", "part of a campaign"],
         "cue": {"quote": "said", "nth": 1}, "claimant": {"kind": "actor", "mention": "m1"},
         "about": {"events": ["e1", "e2"], "quantities": ["q1"]}, "stance": "affirm", "certainty": "certain",
         "check_worthy": True},
        {"id": "c2", "content": "12 civilians died", "cue": {"quote": "said", "after": "AFP, "},
         "claimant": {"kind": "actor", "mention": "m3"}, "reported_via": [{"mention": "m4"}],
         "about": {"events": ["e3"], "quantities": ["q2"]}, "stance": "affirm", "certainty": "probable",
         "links": [{"type": "contests", "claim": "c1"}]},
        {"id": "c3", "content": {"quote": "it", "after": "denied "}, "cue": "denied",
         "claimant": {"kind": "actor", "mention": "m6"}, "about": {"events": ["e3"]}, "stance": "deny",
         "certainty": "certain", "links": [{"type": "contests", "claim": "c2"}]},
        {"id": "c4", "content": "This war is a disaster", "cue": None, "claimant": {"kind": "outlet"},
         "stance": "affirm", "certainty": "unknown", "links": [{"type": "supports", "claim": "c2"}],
         "check_worthy": False},
    ],
}
SECOND = {
    "annotation": {"id": "second", "annotator": "y", "ground_truth": False},
    "mentions": [
        {"id": "a1", "span": "Moscow", "actor": "RUS"},
        {"id": "a2", "span": "Moscow said", "actor": None, "type": "government"},  # overlaps a1
    ],
}
BODY = ("mentions", "events", "claims", "cancelled", "ground_truth")


def body(annotation: dict) -> dict:
    return {k: annotation[k] for k in BODY}


def run(*args):
    result = CliRunner().invoke(main, [*map(str, args)], catch_exceptions=False)
    return result


def documents(root) -> dict[str, dict]:
    return {d["doc_id"]: d for _, d in jsonio.iter_jsonl(root / "corpus" / "documents.jsonl")}


def push(label_studio, root, title, *extra):
    return run("studio", "push", "--project", root, "--url", label_studio.url, "--api-key", label_studio.api_key,
               "--title", title, "--quiet", *extra)


def pull(label_studio, root, title, out, *extra):
    return run("studio", "pull", "--project", root, "--url", label_studio.url, "--api-key", label_studio.api_key,
               "--title", title, "--out", out, "--quiet", *extra)


def project_tasks(ls, title):
    (project,) = [p for p in ls.projects.list(title=title) if p.title == title]
    return project, {t.data["doc_id"]: t for t in ls.tasks.list(project=project.id, include="id,data")}


@pytest.fixture(scope="module")
def second_user(label_studio):
    ls = label_studio.client()
    name = f"annotator2-{uuid.uuid4().hex[:6]}"
    user = ls.users.create(username=name, email=f"{name}@example.org", first_name="Second", last_name="Annotator")
    return user.id


def test_push_twice_imports_nothing_the_second_time(label_studio, project_dir):
    title = f"twice {uuid.uuid4().hex[:6]}"
    first = push(label_studio, project_dir, title)
    assert first.exit_code == 0, first.output
    assert "tasks: 6 imported, 0 already present" in first.output
    second = push(label_studio, project_dir, title)
    assert second.exit_code == 0, second.output
    assert "tasks: 0 imported, 6 already present" in second.output
    ls = label_studio.client()
    project, tasks = project_tasks(ls, title)
    assert len(list(ls.tasks.list(project=project.id, include="id"))) == 6
    task = tasks[EMOJI_DOC_ID]
    assert task.data["text_sha256"] == documents(project_dir)[EMOJI_DOC_ID]["text_sha256"]
    full = ls.projects.get(id=project.id)
    assert "counterclaim annotation guidelines" in full.expert_instruction
    assert full.label_config.strip() == (REPO / "guidelines" / "labelstudio.xml").read_text(encoding="utf-8").strip()
    # pre-annotations arrive as predictions with the default predictor's model_version
    predictions = list(ls.predictions.list(task=task.id))
    expected = PREDICTORS[DEFAULT_PREDICTOR].version(load_ontology(REPO / "schema"))
    assert predictions and predictions[0].model_version == expected
    labelled = {(r["value"]["start"], r["value"]["end"]) for r in predictions[0].result if r["type"] == "labels"}
    text = task.data["text"]
    start = text.index("Moscow")
    assert (start, start + len("Moscow")) in labelled


def test_server_validates_the_generated_config(label_studio):
    ls = label_studio.client()
    project = ls.projects.create(title=f"validate {uuid.uuid4().hex[:6]}")
    xml = (REPO / "guidelines" / "labelstudio.xml").read_text(encoding="utf-8")
    ls.projects.validate_label_config(id=project.id, label_config=xml)  # raises on a rejected config


def test_round_trip_through_the_api(label_studio, project_dir, second_user, tmp_path):
    ont = load_ontology(REPO / "schema")
    title = f"roundtrip {uuid.uuid4().hex[:6]}"
    assert push(label_studio, project_dir, title).exit_code == 0
    ls = label_studio.client()
    project, tasks = project_tasks(ls, title)
    doc = documents(project_dir)[EMOJI_DOC_ID]
    text = doc["text"]
    assert text.startswith("Emoji test\n\n😀 Moscow")
    made = {}
    full = compile_annotation(text, FULL, schema_version=ont.version, corpus_version="0.0.1", where="full")
    second = compile_annotation(text, SECOND, schema_version=ont.version, corpus_version="0.0.1", where="second")
    task_id = tasks[EMOJI_DOC_ID].id
    created = ls.annotations.create(id=task_id, result=annotation_to_results(text, full, ont), ground_truth=True,
                                    lead_time=42.5)
    made[created.id] = ({**body(full)}, "ls-user-{}".format(created.completed_by))
    created = ls.annotations.create(id=task_id, result=annotation_to_results(text, second, ont),
                                    completed_by=second_user)
    made[created.id] = (body(second), f"ls-user-{second_user}")
    cancelled = {**second, "cancelled": True, "ground_truth": False}
    created = ls.annotations.create(id=task_id, result=annotation_to_results(text, cancelled, ont),
                                    completed_by=second_user, was_cancelled=True)
    made[created.id] = (body(cancelled), f"ls-user-{second_user}")

    out = tmp_path / "annotations"
    result = pull(label_studio, project_dir, title, out)
    assert result.exit_code == 0, result.output
    pulled = json.loads((out / f"{EMOJI_DOC_ID}.json").read_text(encoding="utf-8"))
    assert pulled["text"] == text and pulled["text_sha256"] == doc["text_sha256"]
    by_ls_id = {a["provenance"]["tool"]["annotation_id"]: a for a in pulled["annotations"]}
    assert set(by_ls_id) == set(made)
    for ls_id, (expected, annotator) in made.items():
        got = by_ls_id[ls_id]
        assert body(got) == expected, ls_id
        assert got["provenance"]["annotator"] == annotator
        assert got["provenance"]["tool"]["project_id"] == project.id
        assert got["provenance"]["tool"]["task_id"] == task_id
        assert got["provenance"]["created_at"]
    assert by_ls_id[min(made)]["provenance"]["lead_time"] == 42.5
    # offsets are code points: the emoji counts once
    moscow = next(m for m in body(by_ls_id[min(made)])["mentions"] if m["id"] == "m1")["span"]
    assert text[moscow["start"]:moscow["end"]] == "Moscow" and moscow["start"] == len("Emoji test\n\n😀 ")
    # the raw snapshot is kept, the report written
    snapshots = list((project_dir / ".counterclaim" / "snapshots").glob(f"project-{project.id}-*.json"))
    assert snapshots
    assert json.loads((project_dir / ".counterclaim" / "pull-report.json").read_text())["annotations"] == 3
    assert run("validate", out, "--project", project_dir).exit_code == 0


def test_push_pull_push_pull_is_identical(label_studio, project_dir, tmp_path):
    """Pulled documents pushed as annotations into a fresh project come back the same."""
    ont = load_ontology(REPO / "schema")
    example = json.loads((REPO / "schema" / "examples" / "17a8eb7dc5290d52.json").read_text(encoding="utf-8"))
    first_title, second_title = (f"pp {uuid.uuid4().hex[:6]}" for _ in range(2))
    source = tmp_path / "source"
    source.mkdir()
    (source / "17a8eb7dc5290d52.json").write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    result = push(label_studio, project_dir, first_title, "--annotations", source)
    assert result.exit_code == 0 and "annotations: 1 created" in result.output, result.output
    first = tmp_path / "first"
    assert pull(label_studio, project_dir, first_title, first).exit_code == 0
    result = push(label_studio, project_dir, second_title, "--annotations", first)
    assert result.exit_code == 0 and "annotations: 1 created" in result.output, result.output
    second = tmp_path / "second"
    assert pull(label_studio, project_dir, second_title, second).exit_code == 0
    a = json.loads((first / "17a8eb7dc5290d52.json").read_text())
    b = json.loads((second / "17a8eb7dc5290d52.json").read_text())
    assert [body(x) for x in a["annotations"]] == [body(x) for x in b["annotations"]]
    assert body(a["annotations"][0]) == body(example["annotations"][0])
    # pushing the same annotations again creates nothing
    again = push(label_studio, project_dir, second_title, "--annotations", first)
    assert "annotations: 0 created, 1 already present" in again.output
    assert ont.version == a["schema_version"]


def test_push_refuses_annotations_of_a_changed_text(label_studio, project_dir, tmp_path):
    example = json.loads((REPO / "schema" / "examples" / "17a8eb7dc5290d52.json").read_text(encoding="utf-8"))
    stale = dict(example, text=example["text"].replace("astonishing", "remarkable"))
    stale["text_sha256"] = jsonio.sha256_text(stale["text"])
    for ann in stale["annotations"]:
        ann["mentions"], ann["events"], ann["claims"] = [], [], []
    folder = tmp_path / "stale"
    folder.mkdir()
    (folder / "doc.json").write_text(json.dumps(stale, ensure_ascii=False), encoding="utf-8")
    result = push(label_studio, project_dir, f"stale {uuid.uuid4().hex[:6]}", "--annotations", folder)
    assert result.exit_code == 1
    assert (f"refused: {folder / 'doc.json'} (17a8eb7dc5290d52): annotated on a text that differs from the corpus "
            "text (it changed after annotation)") in result.output
    assert "annotations: 0 created, 0 already present, 1 refused" in result.output


def test_deleted_annotation_is_reported_and_kept_unless_pruned(label_studio, project_dir, tmp_path):
    ont = load_ontology(REPO / "schema")
    title = f"deleted {uuid.uuid4().hex[:6]}"
    assert push(label_studio, project_dir, title).exit_code == 0
    ls = label_studio.client()
    project, tasks = project_tasks(ls, title)
    text = documents(project_dir)[EMOJI_DOC_ID]["text"]
    second = compile_annotation(text, SECOND, schema_version=ont.version, corpus_version="0.0.1", where="s")
    created = ls.annotations.create(id=tasks[EMOJI_DOC_ID].id, result=annotation_to_results(text, second, ont))
    out = tmp_path / "annotations"
    assert pull(label_studio, project_dir, title, out).exit_code == 0
    ls.annotations.delete(id=created.id)
    result = pull(label_studio, project_dir, title, out)
    assert result.exit_code == 0
    assert f"deleted in Label Studio, kept locally (use --prune to remove): {EMOJI_DOC_ID}: annotation ls-{project.id}-{created.id}" in result.output
    assert len(json.loads((out / f"{EMOJI_DOC_ID}.json").read_text())["annotations"]) == 1
    result = pull(label_studio, project_dir, title, out, "--prune")
    assert f"pruned: {EMOJI_DOC_ID}: annotation ls-{project.id}-{created.id}" in result.output
    assert json.loads((out / f"{EMOJI_DOC_ID}.json").read_text())["annotations"] == []


def test_wrong_url_is_a_clear_error(project_dir, tmp_path):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound, never listening: a connection is refused while we hold it
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
        result = run("studio", "pull", "--project", project_dir, "--url", url, "--api-key", "k" * 40,
                     "--out", tmp_path / "o")
    assert result.exit_code == 1
    assert f"cannot reach Label Studio at {url}: connection refused" in result.output
    assert not (tmp_path / "o").exists()


def test_wrong_token_is_a_clear_error_that_hides_the_token(label_studio, project_dir, tmp_path):
    token = "0123456789abcdef" * 2 + "feedface"
    result = run("studio", "push", "--project", project_dir, "--url", label_studio.url, "--api-key", token)
    assert result.exit_code == 1
    assert f"Label Studio at {label_studio.url} rejected the API key" in result.output
    assert token not in result.output and "Traceback" not in result.output


def test_gold_annotations_survive_a_trip_through_label_studio(label_studio, project_dir, tmp_path):
    """The five seed gold documents pushed as annotations and pulled back are identical."""
    title = f"gold {uuid.uuid4().hex[:6]}"
    gold = tmp_path / "gold"  # the seeds' gold: the test project holds the seed documents only
    gold.mkdir()
    for path in (REPO / "corpus" / "annotations").glob("*.json"):
        if not path.name.startswith("fakes-"):
            shutil.copy(path, gold / path.name)
    result = push(label_studio, project_dir, title, "--annotations", gold)
    assert result.exit_code == 0 and "annotations: 5 created" in result.output, result.output
    out = tmp_path / "pulled"
    assert pull(label_studio, project_dir, title, out).exit_code == 0
    for path in sorted(gold.glob("*.json")):
        original = json.loads(path.read_text(encoding="utf-8"))
        pulled = json.loads((out / path.name).read_text(encoding="utf-8"))
        assert pulled["text"] == original["text"]
        assert [body(a) for a in pulled["annotations"]] == [body(a) for a in original["annotations"]], path.stem


def test_adjudication_merges_are_sent_to_label_studio_for_review(label_studio, project_dir, tmp_path):
    from test_adjudicate import disagreeing_pair

    project = tmp_path / "project"
    shutil.copytree(project_dir, project, ignore=shutil.ignore_patterns(".counterclaim"))
    title = f"adjudicate {uuid.uuid4().hex[:6]}"
    assert push(label_studio, project, title).exit_code == 0
    doc, _, _ = disagreeing_pair()
    (project / "corpus" / "annotations").mkdir(exist_ok=True)
    (project / "corpus" / "annotations" / f"{doc['doc_id']}.json").write_text(json.dumps(doc, ensure_ascii=False),
                                                                             encoding="utf-8")
    result = run("adjudicate", "--project", project, "--push", "--url", label_studio.url,
                 "--api-key", label_studio.api_key, "--title", title)
    assert result.exit_code == 0, result.output
    assert "sent 1 merge(s) to Label Studio as predictions" in result.output
    ls = label_studio.client()
    _, tasks = project_tasks(ls, title)
    versions = [p.model_version for p in ls.predictions.list(task=tasks[doc["doc_id"]].id)]
    assert "counterclaim-adjudication" in versions
