"""`counterclaim export`: a Hugging Face dataset that loads with the real `datasets.load_dataset`."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import datasets
import pytest
from click.testing import CliRunner

from counterclaim.cli import main
from counterclaim.hf.export import CONFIGS
from counterclaim.hf.features import ConfigFeatures, arrow_schema, to_dict, yaml_list
from counterclaim.hf.rows import RowBuilder, tokenize
from counterclaim.hf.splits import SALT, split_of
from counterclaim.model.ontology import load_ontology
from counterclaim.corpus.store import BuiltCorpus
from ghouta import compiled as ghouta_annotations
from helpers import REPO, load_example
from test_adjudicate import disagreeing_pair

ONT = load_ontology(REPO / "schema")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The real corpus with two annotated seeds — the example (gold: ground truth) and a second seed annotated
    by two annotators and adjudicated — and four annotated FA-KES articles, three of them on the Ghouta attack
    (so the `incidents` config has rows)."""
    root = tmp_path_factory.mktemp("export-project")
    for name in ("schema", "guidelines", "corpus"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("annotations", "adjudication"))
    annotations = root / "corpus" / "annotations"
    annotations.mkdir()
    doc, a, b = disagreeing_pair()
    (annotations / f"{doc['doc_id']}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for doc_id, annotated in ghouta_annotations(BuiltCorpus.open(root / "corpus")).items():
        (annotations / f"{doc_id}.json").write_text(json.dumps(annotated, ensure_ascii=False), encoding="utf-8")
    assert CliRunner().invoke(main, ["adjudicate", "--project", str(root)]).exit_code == 0
    result = CliRunner().invoke(main, ["export", "--project", str(root), "--quiet"])
    assert result.exit_code == 0, result.output
    return root


def digest(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_leaves_the_garbage_collector_as_it_found_it(project):
    import gc

    assert gc.isenabled()  # export pauses the cyclic collector while it builds rows, and only then


def test_two_exports_are_byte_identical(project, tmp_path):
    first = digest(project / "export")
    result = CliRunner().invoke(main, ["export", "--project", str(project), "--quiet", "--out", str(tmp_path / "again")])
    assert result.exit_code == 0
    assert digest(tmp_path / "again") == first


@pytest.mark.parametrize("config", CONFIGS)
def test_every_config_loads_also_streaming_with_the_ontology_features(project, config):
    path = str(project / "export")
    loaded = datasets.load_dataset(path, config)
    expected = datasets.Features.from_dict(ConfigFeatures(ONT).to_dict(config))
    for split in loaded.values():
        assert split.features == expected
    streamed = datasets.load_dataset(path, config, streaming=True)
    assert set(streamed) == set(loaded)
    first_split = next(iter(loaded))
    assert next(iter(streamed[first_split])) == loaded[first_split][0]


def test_class_labels_come_from_the_ontology(project):
    claims = datasets.load_dataset(str(project / "export"), "claims")
    split = next(iter(claims.values()))
    assert split.features["stance"].names == list(ONT.ids("stance"))
    assert split.features["events"].feature["type"].names == list(ONT.ids("event_types"))
    docs = datasets.load_dataset(str(project / "export"), "documents")
    assert docs["train"].features["mentions"].feature["actor_type"].names == list(ONT.ids("actor_types"))


def test_claims_carry_claimant_and_linked_events(project):
    claims = datasets.load_dataset(str(project / "export"), "claims")
    rows = [r for split in claims.values() for r in split]
    moscow = next(r for r in rows if r["content_text"].startswith("it had hit an astonishing 1,623"))
    assert moscow["claimant"]["text"] == "Moscow" and moscow["claimant"]["actor"] == "RUS_GOV"
    names = claims["train"].features["events"].feature["type"].names
    assert [names[e["type"]] for e in moscow["events"]] == ["ATTACK"]
    assert moscow["quantities"][0]["value"] == 1623.0 and moscow["quantities"][0]["text"] == "1,623"


def test_splits_are_disjoint_by_document_across_configs(project):
    seen: dict[str, str] = {}
    for config in CONFIGS:
        for split, ds in datasets.load_dataset(str(project / "export"), config).items():
            for doc_id in ds["document_id" if config == "bigbio_kb" else "doc_id"]:  # BigBio's schema's name
                assert seen.setdefault(doc_id, split) == split, (config, doc_id)
                assert split_of(doc_id) == split


def test_split_assignment_is_stable_and_in_the_card(project):
    card = (project / "export" / "README.md").read_text(encoding="utf-8")
    assert SALT in card
    for doc_id in ("17a8eb7dc5290d52", "01c6e4c94616b3f2"):
        assert f"| `{doc_id}` | {split_of(doc_id)} |" in card
    # the assignment is a function of salt and id alone (adding documents moves none): pinned for the seeds
    assert {d: split_of(d) for d in ("01c6e4c94616b3f2", "17a8eb7dc5290d52", "65e93feecc888cc5",
                                     "b9349cabdf37dc18", "f7adc2e7615265e7")} == {
        "01c6e4c94616b3f2": "train", "17a8eb7dc5290d52": "train", "65e93feecc888cc5": "train",
        "b9349cabdf37dc18": "test", "f7adc2e7615265e7": "validation"}


def test_card_has_the_sections_researchers_need(project):
    card = (project / "export" / "README.md").read_text(encoding="utf-8")
    for heading in ("## Dataset structure", "## Counts per split", "## Splits", "## Worked example",
                    "## Dataset creation", "## Bias, risks and limitations", "## Uses", "## Citation",
                    "## Card authors and contact"):
        assert heading in card
    for part in ("Curated by:", "Repository:", "**Curation rationale.**", "**Personal and sensitive information.**",
                 "Wikidata"):
        assert part in card
    version = json.loads((project / "corpus" / "manifest.json").read_text())["version"]
    assert "propaganda" in card and f"Corpus version: **{version}**" in card


def test_card_metadata_round_trips_through_huggingface_hub(project):
    """The YAML is what DatasetCardData writes and parses (the Hub's own validation needs its network API)."""
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(project / "export" / "README.md")
    data = card.data.to_dict()
    assert data["license"] == "other" and data["license_link"] == "LICENSE"
    assert (project / "export" / data["license_link"]).read_text(encoding="utf-8").startswith("counterclaim dataset")
    assert data["size_categories"] == ["n<1K"] and data["source_datasets"] == ["original", "extended"]
    assert {c["config_name"] for c in data["configs"]} == {i["config_name"] for i in data["dataset_info"]}


def test_the_card_shows_agreement_only_from_the_agreement_record(project):
    """No corpus/adjudication/agreement.json in the project: the card says there is no agreement figure."""
    card = (project / "export" / "README.md").read_text(encoding="utf-8")
    assert ("**Inter-annotator agreement.** None yet: no document is double-annotated, so there is no agreement "
            "figure yet.") in card


def agreement_record(alpha: float, raw: float) -> dict:
    """A minimal agreement record (the shape `counterclaim agreement --save` writes) with one attribute row."""
    counts = {"tp": 9, "fp": 1, "fn": 1, "precision": 0.9, "recall": 0.9, "f1": 0.9}
    block = {"name": "mention", "pairs": 1, "total": {"label": "ACTOR", "regions": 20, "exact": counts,
                                                     "overlap": {**counts, "f1": 0.95}},
             "unlabelled": {"label": "ACTOR", "regions": 20, "exact": counts, "overlap": {**counts, "f1": 1.0}},
             "labels": []}
    return {"documents": {"read": 3, "compared": 2}, "annotators": ["ann1", "ann2"], "pairs": 2,
            "annotations": {"compared": 4, "cancelled": 0, "ground_truth": 2, "superseded": 0},
            "spans": [block], "links": [{**block, "name": "supports_contests"}],
            "attributes": [{"layer": "claim", "attribute": "certainty", "alpha": alpha, "raw_agreement": raw,
                            "expected_agreement": 0.97, "units": 34, "values": 68}]}


def test_the_agreement_table_puts_raw_agreement_beside_alpha_and_marks_the_paradox():
    from counterclaim.hf.card_agreement import agreement_text

    text = agreement_text(agreement_record(0.0, 66 / 68))
    assert text.startswith("**Inter-annotator agreement.** 2 documents are annotated by 2 annotators (`ann1`, "
                           "`ann2`); `counterclaim agreement` compares their annotations (2 annotator pairs; "
                           "annotations flagged ground truth are left out).")
    assert "| `mention` | 20 | 0.900 | 0.950 | 1.000 |" in text
    assert "| `claim.certainty` | 0.000* | 0.971 | 0.970 | 34 |" in text
    assert "\\* Low alpha with high raw agreement" in text
    assert "| `supports_contests` | 20 | 0.900 | 0.950 |" in text
    plain = agreement_text(agreement_record(0.8, 0.97))
    assert "| `claim.certainty` | 0.800 | 0.970 | 0.970 | 34 |" in plain and "kappa paradox" not in plain


def test_the_card_says_how_each_annotators_annotations_were_made():
    from collections import Counter

    from counterclaim.hf.card_agreement import passes_text

    draft = {"engine_version": "0.1.0", "documents": ["a", "b"],
             "layers": [{"name": "mention", "overlap": {"f1": 0.6}}, {"name": "claim", "overlap": {"f1": 0.5}}]}
    text = passes_text(Counter({"pass-a": 3, "pass-b": 2}), Counter({"pass-a": 1}),
                       {"pass-a": "Corrected from\n  the drafts."}, draft)
    assert "| `pass-a` | 3 | 1 | Corrected from the drafts. |" in text
    assert "| `pass-b` | 2 | 0 | — |" in text
    assert ("the pre-annotation engine 0.1.0's drafts scored against the gold corrected from them (2 documents, "
            "overlap F1 per layer): mention 0.600, claim 0.500") in text
    assert passes_text(Counter(), Counter(), {}, None) == ""


@pytest.mark.parametrize("n,category", [(0, "n<1K"), (999, "n<1K"), (1_000, "1K<n<10K"), (99_999, "10K<n<100K"),
                                        (1_000_000, "1M<n<10M"), (9_400_000, "1M<n<10M"), (10**13, "n>1T")])
def test_size_category_is_right_at_any_size(n, category):
    from counterclaim.hf.card import size_category

    assert size_category(n) == category


def test_source_datasets_say_extended_once_documents_come_from_another_dataset():
    from counterclaim.hf.card import Stats, _source_datasets

    stats = Stats()
    stats.add_document("train", {"source": {"kind": "txt"}})
    assert _source_datasets(stats) == ["original"]
    stats.add_document("train", {"source": {"kind": "fakenewscorpus-csv"}})
    assert _source_datasets(stats) == ["original", "extended"]


def test_gold_source_is_explicit(project):
    docs = datasets.load_dataset(str(project / "export"), "documents")
    sources = {r["doc_id"]: r["gold_source"] for split in docs.values() for r in split}
    assert sources["17a8eb7dc5290d52"] == "adjudication"
    assert sources["01c6e4c94616b3f2"] == "none"
    annotations = datasets.load_dataset(str(project / "export"), "annotations")
    rows = [r for split in annotations.values() for r in split if r["doc_id"] == "17a8eb7dc5290d52"]
    assert sorted((r["annotation_id"], r["is_gold"]) for r in rows) == [
        ("adjudicated", True), ("ann-a", False), ("ann-b", False)]


def test_features_mirror_equals_datasets():
    features = ConfigFeatures(ONT)
    for config, declared in features.configs.items():
        real = datasets.Features.from_dict(to_dict(declared))
        assert real.arrow_schema == arrow_schema(declared)
        assert real.arrow_schema.metadata == arrow_schema(declared).metadata
        assert datasets.DatasetInfo(features=real)._to_yaml_dict()["features"] == yaml_list(declared)


def test_ner_keeps_overlaps_visible():
    features = ConfigFeatures(ONT)
    builder = RowBuilder(ONT, features)
    doc = load_example()
    ann = doc["annotations"][0]
    moscow = next(m for m in ann["mentions"] if m["id"] == "m1")
    wider = {"id": "mX", "span": {"start": moscow["span"]["start"], "end": moscow["span"]["end"] + 6,
                                  "text": doc["text"][moscow["span"]["start"]:moscow["span"]["end"] + 6]},
             "actor": None, "type": "government"}
    ann = {**ann, "mentions": ann["mentions"] + [wider]}
    row = builder.ner_row(doc, ann)
    assert row["unrepresented_mentions"] == ["m1"]  # the longer overlapping span won
    names = features.labels["actor_tags"].names
    i = row["token_starts"].index(moscow["span"]["start"])
    assert names[row["actor_tags"][i]] == "B-government" and names[row["actor_tags"][i + 1]] == "I-government"
    assert len(row["tokens"]) == len(row["actor_tags"]) == len(row["event_tags"])


def test_tokens_carry_exact_offsets():
    text = "Moscow said 1,623 targets – “hit”."
    for token, start, end in tokenize(text):
        assert text[start:end] == token
    assert [t for t, _, _ in tokenize(text)][:3] == ["Moscow", "said", "1,623"]


def test_export_refuses_invalid_annotations_and_keeps_the_old_export(project, tmp_path):
    broken = tmp_path / "p"
    shutil.copytree(project, broken)
    path = broken / "corpus" / "annotations" / "17a8eb7dc5290d52.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["annotations"][0]["mentions"][0]["span"]["start"] += 1
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = digest(broken / "export")
    result = CliRunner().invoke(main, ["export", "--project", str(broken), "--quiet"])
    assert result.exit_code == 1
    assert "/annotations/0/mentions/0/span/text" in result.output and "export not written" in result.output
    assert digest(broken / "export") == before


def test_export_refuses_annotations_of_no_corpus_document_and_leaves_no_spool(project, tmp_path):
    stray = tmp_path / "p"
    shutil.copytree(project, stray)
    annotations = stray / "corpus" / "annotations"
    shutil.copy(annotations / "17a8eb7dc5290d52.json", annotations / "no-such-document.json")
    before = digest(stray / "export")
    result = CliRunner().invoke(main, ["export", "--project", str(stray), "--quiet"])
    assert result.exit_code == 1
    assert ("1 annotated document(s) without a corpus document: no-such-document.json; add the documents or "
            "remove the files") in result.output
    assert digest(stray / "export") == before
    assert sorted(p.name for p in stray.iterdir()) == sorted(p.name for p in project.iterdir())


def test_a_6_mb_document_after_a_1_mb_one_exports_and_loads(tmp_path):
    """No row-size limit: pyarrow's JSON reader used to fail on rows over ~2 MiB ("straddling object")."""
    root = tmp_path / "big"
    shutil.copytree(REPO / "schema", root / "schema")
    sentence = "Russian jets struck targets near Palmyra, the ministry said on Friday. "
    records = [{"id": "big1", "title": "A long report", "text": sentence * (950_000 // len(sentence))},
               {"id": "big2", "title": "A very long report", "text": sentence * (6_000_000 // len(sentence))}]
    source = tmp_path / "big.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert CliRunner().invoke(main, ["corpus", "add", str(source), "--project", str(root), "--quiet"]).exit_code == 0
    result = CliRunner().invoke(main, ["export", "--project", str(root), "--quiet"])
    assert result.exit_code == 0, result.output
    loaded = datasets.load_dataset(str(root / "export"), "documents")
    lengths = sorted(len(row["text"]) for split in loaded.values() for row in split)
    assert lengths[-1] > 6_000_000 - len(sentence) and len(lengths) == 2
