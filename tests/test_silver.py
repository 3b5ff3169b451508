"""Silver annotations: the engine's annotation of every document, built deterministically and validated, stored
apart from the gold with a manifest that says whether it is current, and exported in configs of their own that
never mix with the gold ones.

The build runs on a small project (the five seeds and five FA-KES articles of 21 August 2013, four with gold);
the committed silver of the whole corpus is checked by hash, not rebuilt."""

from __future__ import annotations

import json
import shutil

import datasets
import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.hf.features import ConfigFeatures
from counterclaim.hf.silver_features import SILVER_OF
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.model.ontology import load_ontology
from counterclaim.preannotate import ANNOTATOR, ENGINE_VERSION, HELDOUT_DOCS
from counterclaim.silver import SilverError, SilverStore, status
from counterclaim.silver.build import build_silver
from counterclaim.validation import document_problems
from helpers import REPO

ONT = load_ontology(REPO / "schema")
# FA-KES articles of 21 August 2013 in Damascus: four with gold (the Ghouta attack), one without
GOLD_FAKES = ("fakes-1926479310", "fakes-1926479334", "fakes-1926479352", "fakes-1965495325")
NO_GOLD = "fakes-1926479389"


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def small_project(root):
    """Schema, guidelines, the seeds and five FA-KES records, built; the gold of the seeds and four articles."""
    for name in ("schema", "guidelines"):
        shutil.copytree(REPO / name, root / name)
    raw = root / "corpus" / "raw"
    shutil.copytree(REPO / "corpus" / "raw", raw, ignore=shutil.ignore_patterns("*.jsonl"))
    wanted = {d.removeprefix("fakes-") for d in (*GOLD_FAKES, NO_GOLD)}
    with open(REPO / "corpus" / "raw" / "fa-kes.jsonl", encoding="utf-8") as fh:
        lines = [line for line in fh if json.loads(line)["unit_id"] in wanted]
    (raw / "fa-kes.jsonl").write_text("".join(lines), encoding="utf-8")
    assert run("corpus", "build", "--project", root).exit_code == 0
    (root / "corpus" / "annotations").mkdir()
    docs = BuiltCorpus.open(root / "corpus").by_id()
    for doc_id in docs:
        if doc_id != NO_GOLD:
            shutil.copy(REPO / "corpus" / "annotations" / f"{doc_id}.json", root / "corpus" / "annotations")
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = small_project(tmp_path_factory.mktemp("silver"))
    result = run("silver", "build", "--project", root, "--quiet")
    assert result.exit_code == 0, result.output
    assert run("export", "--project", root, "--quiet").exit_code == 0
    return root


def silver_lines(root) -> list[dict]:
    return [doc for _, doc in jsonio.iter_jsonl(root / "corpus" / "silver" / "documents.jsonl")]


# --- the build ---------------------------------------------------------------------------------------------


def test_every_document_has_one_validated_machine_annotation_sorted_by_id(project):
    corpus = BuiltCorpus.open(project / "corpus")
    docs, index = corpus.by_id(), corpus.index()
    silver = silver_lines(project)
    assert [d["doc_id"] for d in silver] == sorted(docs) and len(silver) == 10
    for doc in silver:
        assert document_problems(doc, ONT, index) == []
        (ann,) = doc["annotations"]
        prov = ann["provenance"]
        assert (prov["origin"], prov["annotator"], prov["tool"]) == (
            "prediction", ANNOTATOR, {"name": ANNOTATOR, "version": ENGINE_VERSION})
        assert not ann["ground_truth"] and doc["corpus_version"] == corpus.version
    raw = (project / "corpus" / "silver" / "documents.jsonl").read_bytes()
    assert raw.count(b"\n") == 10 and raw.endswith(b"\n")
    assert raw.splitlines()[0] == jsonio.dump_bytes(silver[0])  # canonical JSON, one line per document


def test_building_twice_gives_the_same_bytes(project, tmp_path):
    copy = tmp_path / "p"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("silver", "export"))
    first = build_silver(Layout(copy), ONT)
    assert first.written == ["documents.jsonl", "manifest.json"]
    again = build_silver(Layout(copy), ONT)
    assert again.written == []
    for name in ("documents.jsonl", "manifest.json"):
        assert (copy / "corpus" / "silver" / name).read_bytes() == (project / "corpus" / "silver" / name).read_bytes()


def test_the_manifest_says_what_made_the_silver_and_how_it_scores(project):
    manifest = jsonio.read_json(project / "corpus" / "silver" / "manifest.json")
    path = project / "corpus" / "silver" / "documents.jsonl"
    assert manifest["documents_sha256"] == jsonio.sha256_file(path) and manifest["document_count"] == 10
    assert manifest["engine"]["name"] == ANNOTATOR and manifest["engine"]["version"] == ENGINE_VERSION
    assert "no statistical model" in manifest["engine"]["method"]
    assert manifest["inputs"]["engine_version"] == ENGINE_VERSION
    groups = manifest["scores"]["groups"]
    assert groups["heldout_seeds"]["documents"] == sorted(HELDOUT_DOCS)
    assert groups["fakes"]["documents"] == list(GOLD_FAKES)
    assert groups["heldout"]["documents"] == sorted([*HELDOUT_DOCS, *GOLD_FAKES])
    assert "01c6e4c94616b3f2" in groups["development"]["documents"]
    layers = {layer["name"]: layer for layer in groups["heldout"]["layers"]}
    assert set(layers) == {"mention", "event", "quantity", "claim", "cue"}
    claim = layers["claim"]
    assert claim["gold"] == claim["overlap"]["tp"] + claim["overlap"]["fn"] > 0
    assert 0 < claim["overlap"]["f1"] < 1


def test_a_proposal_that_does_not_validate_stops_the_build_and_keeps_the_old_silver(project, tmp_path, monkeypatch):
    import counterclaim.silver.build as build

    copy = tmp_path / "p"
    shutil.copytree(project, copy)
    before = (copy / "corpus" / "silver" / "documents.jsonl").read_bytes()
    real = build.propose

    def broken(text, ont, *, corpus_version):
        proposal = real(text, ont, corpus_version=corpus_version)
        proposal.annotation["mentions"].append({"id": "m999", "span": {"start": 0, "end": 3, "text": "xyz"},
                                                "actor": "NOBODY", "type": None})
        return proposal

    monkeypatch.setattr(build, "propose", broken)
    result = run("silver", "build", "--project", copy, "--quiet")
    assert result.exit_code == 1 and "validation error(s); silver not written" in result.output
    assert "documents.jsonl:1: /annotations/0/mentions/" in result.output
    assert (copy / "corpus" / "silver" / "documents.jsonl").read_bytes() == before


# --- currency ------------------------------------------------------------------------------------------------


def test_check_says_current_and_names_what_changed(project, tmp_path, monkeypatch):
    result = run("silver", "check", "--project", project)
    assert result.exit_code == 0 and result.output.endswith(
        f"silver is current: 10 documents by engine {ENGINE_VERSION} (corpus 0.0.0)\n")
    monkeypatch.setattr("counterclaim.preannotate.ENGINE_VERSION", "9.9.9")
    stale = run("silver", "check", "--project", project)
    assert stale.exit_code == 1 and stale.output.endswith(
        f"silver is not current: built by engine {ENGINE_VERSION}, the engine is now 9.9.9; "
        "run `counterclaim silver build`\n")
    data = json.loads(run("silver", "check", "--json", "--project", project).output)
    assert (data["current"], data["annotations_current"], data["scores_current"]) == (False, False, True)


def _status(root):
    return status(Layout(root), ENGINE_VERSION, BuiltCorpus.open(root / "corpus").documents())


def test_silver_is_stale_when_the_corpus_the_file_or_the_gold_changes(project, tmp_path):
    copy = tmp_path / "p"
    shutil.copytree(project, copy)
    assert _status(copy).current
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "extra0001", "title": "Extra", "text": "Rebels said 12 people died."}) + "\n")
    assert run("corpus", "add", extra, "--project", copy, "--quiet").exit_code == 0
    assert _status(copy).stale == ("the corpus documents or their texts changed since it was built",)

    copy2 = tmp_path / "q"
    shutil.copytree(project, copy2)
    path = copy2 / "corpus" / "silver" / "documents.jsonl"
    path.write_bytes(path.read_bytes().replace(b'"stance":"affirm"', b'"stance":"deny"', 1))
    (problem,) = _status(copy2).stale
    assert problem.endswith("documents.jsonl is not the file its manifest describes (sha256 differs: changed by hand?)")
    result = run("export", "--project", copy2, "--quiet")
    assert result.exit_code == 1 and "is not the file its manifest describes" in result.output

    (copy2 / "corpus" / "annotations" / "b9349cabdf37dc18.json").unlink()
    found = _status(copy2)
    assert found.scores_stale and "the gold annotations changed since the scores were measured" in found.reasons


def test_the_committed_silver_is_current_for_the_whole_corpus():
    found = _status(REPO)
    assert found.current, f"{'; '.join(found.reasons)}: run `counterclaim silver build`"
    assert found.manifest["document_count"] == len(BuiltCorpus.open(REPO / "corpus").index()) == 793


def test_export_refuses_silver_made_for_other_texts(project, tmp_path):
    copy = tmp_path / "p"
    shutil.copytree(project, copy)
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "aaa0001", "title": "Extra", "text": "Rebels said 12 people died."}) + "\n")
    assert run("corpus", "add", extra, "--project", copy, "--quiet").exit_code == 0
    result = run("export", "--project", copy, "--quiet")
    assert result.exit_code == 1
    assert result.output.endswith(f"documents.jsonl:4: holds 'b9349cabdf37dc18', not corpus document 'aaa0001' with "
                                  "its text (the corpus changed since the silver was built); run `counterclaim silver "
                                  "build`\n")
    with pytest.raises(SilverError, match="no silver annotations"):
        SilverStore.open(Layout(tmp_path / "nowhere"))


def test_release_refuses_silver_of_another_engine_version(project, tmp_path, monkeypatch):
    copy = tmp_path / "p"
    shutil.copytree(project, copy)
    monkeypatch.setattr("counterclaim.release.cut.ENGINE_VERSION", "9.9.9")
    result = run("release", "0.2.0", "--project", copy)
    assert result.exit_code == 1 and result.output.endswith(
        f"silver is stale (built by engine {ENGINE_VERSION}, the engine is now 9.9.9); run `counterclaim silver "
        "build`, then `counterclaim export`, then release\n")


# --- the dataset -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(project):
    path = str(project / "export")
    return {config: datasets.load_dataset(path, config, split="all")
            for config in ("claims", "quantities", "incidents", *SILVER_OF)}


def test_silver_configs_load_also_streaming_with_their_gold_configs_features(project, loaded):
    features = ConfigFeatures(ONT)
    for silver, gold in SILVER_OF.items():
        expected = datasets.Features.from_dict(features.to_dict(silver))
        assert loaded[silver].features == expected
        if silver != "silver_documents":
            assert features.configs[silver] == features.configs[gold]
        streamed = datasets.load_dataset(str(project / "export"), silver, streaming=True)
        split = next(iter(streamed))
        first = datasets.load_dataset(str(project / "export"), silver, split=split)[0]
        assert next(iter(streamed[split])) == first
    docs = loaded["silver_documents"]
    assert sorted(docs["doc_id"]) == sorted(BuiltCorpus.open(project / "corpus").index())
    assert {(r["origin"], r["annotator"], r["tool_version"]) for r in docs} == {("prediction", ANNOTATOR, ENGINE_VERSION)}


def test_no_gold_row_in_silver_configs_and_no_silver_row_in_gold_configs(project, loaded):
    silver = {d["doc_id"]: d["annotations"][0] for d in silver_lines(project)}
    gold = {p.stem: jsonio.read_json(p)["annotations"][0] for p in (project / "corpus" / "annotations").glob("*.json")}

    def contents(claims) -> set:
        return {" … ".join(s["text"] for s in c["content"]) for c in claims}

    by_doc: dict[str, dict[str, set]] = {}
    for config in ("claims", "silver_claims"):
        for row in loaded[config]:
            by_doc.setdefault(config, {}).setdefault(row["doc_id"], set()).add(row["content_text"])
    assert set(by_doc["silver_claims"]) == {d for d, ann in silver.items() if ann["claims"]}
    assert set(by_doc["claims"]) == set(gold)  # NO_GOLD has silver claims, and no row in `claims`
    for doc_id, texts in by_doc["silver_claims"].items():
        assert texts == contents(silver[doc_id]["claims"])
    for doc_id, texts in by_doc["claims"].items():
        assert texts == contents(gold[doc_id]["claims"]) != contents(silver[doc_id]["claims"])
    documents = {r["doc_id"]: r for r in loaded["silver_documents"]}
    assert len(documents["17a8eb7dc5290d52"]["mentions"]) == len(silver["17a8eb7dc5290d52"]["mentions"])
    gold_quantity_ids = {r["id"] for r in loaded["quantities"]}
    assert {r["doc_id"] for r in loaded["quantities"]} <= set(gold)
    assert len(loaded["silver_quantities"]) == sum(len(e["quantities"]) for a in silver.values() for e in a["events"])
    assert gold_quantity_ids and len(loaded["quantities"]) == sum(
        len(e["quantities"]) for a in gold.values() for e in a["events"])


def test_incidents_are_gold_only_and_silver_incidents_silver_only(project, loaded):
    gold, silver = loaded["incidents"], loaded["silver_incidents"]
    assert set(gold["annotation"]) == {"gold"} and set(silver["annotation"]) == {"silver"}
    assert NO_GOLD not in gold["doc_id"] and NO_GOLD in silver["doc_id"]
    assert not set(gold["incident_id"]) & set(silver["incident_id"])
    gold_ids = {r["incident_id"] for r in loaded["quantities"] if r["incident_id"]}
    silver_ids = {r["incident_id"] for r in loaded["silver_quantities"] if r["incident_id"]}
    assert gold_ids and gold_ids <= set(gold["incident_id"])
    assert silver_ids and silver_ids <= set(silver["incident_id"])
    listed = run("incidents", "list", "--silver", "--json", "--project", project)
    assert {i["incident_id"] for i in json.loads(listed.output)} == set(silver["incident_id"])
    shown = run("incidents", "show", sorted(silver_ids)[0], "--silver", "--project", project)
    assert shown.exit_code == 0 and " silver " in shown.output.splitlines()[2]
    missing = run("incidents", "show", sorted(silver_ids)[0], "--project", project)
    assert missing.exit_code == 1 and "`counterclaim incidents list` shows their ids" in missing.output


def test_the_card_says_which_configs_are_silver_and_how_far_to_trust_them(project):
    card = (project / "export" / "README.md").read_text(encoding="utf-8")
    meta = card.split("---")[1]
    assert "annotations_creators:\n- expert-generated\n- machine-generated\n" in meta
    assert "config_name: silver_claims" in meta
    assert "## Gold and silver annotations" in card and "never join a silver config to a gold one on ids" in card
    manifest = jsonio.read_json(project / "corpus" / "silver" / "manifest.json")
    claim = next(s for s in manifest["scores"]["groups"]["heldout"]["layers"] if s["name"] == "claim")
    assert (f"| claims (content) | {claim['gold']} | {claim['predicted']} | {claim['exact']['f1']:.2f} | "
            f"{claim['overlap']['precision']:.2f} | {claim['overlap']['recall']:.2f} | "
            f"**{claim['overlap']['f1']:.2f}** |") in card
    assert f"`counterclaim-preannotate`\n{ENGINE_VERSION} over all 10 documents" in card
    assert "These scores are stale" not in card


def test_an_export_without_silver_says_so_and_stays_expert_generated(tmp_path):
    root = small_project(tmp_path / "p")
    assert run("export", "--project", root, "--quiet").exit_code == 0
    card = (root / "export" / "README.md").read_text(encoding="utf-8")
    meta = card.split("---")[1]
    assert "annotations_creators:\n- expert-generated\n" in meta and "machine-generated" not in meta
    assert "This export has no silver annotations" in card and not (root / "export" / "silver_claims").exists()
