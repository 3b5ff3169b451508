"""Hand-written annotations of three FA-KES articles on the 21 August 2013 Ghouta attack, from three outlets
(Al Arabiya, Reuters, Sputnik), and of one article on another day and governorate: the fixtures of the
incident tests. Written with the quote-based authoring of ``counterclaim.quality.authoring``."""

from __future__ import annotations

import shutil
from pathlib import Path

from counterclaim.corpus.store import BuiltCorpus
from counterclaim.io import jsonio
from counterclaim.model.ontology import load_ontology
from counterclaim.quality.authoring import compile_document
from counterclaim.validation import document_problems
from helpers import REPO

ARABIYA, REUTERS, SPUTNIK, OTHER = "fakes-1926479334", "fakes-1926479352", "fakes-1965495325", "fakes-1914947530"

ANNOTATIONS = [
    {  # Al Arabiya: the opposition says at least 1300 killed; the coalition leader blames the army
        "doc_id": ARABIYA,
        "annotation": {"id": "gold", "annotator": "maintainers"},
        "mentions": [
            {"id": "m1", "span": "George Sabra", "actor": None, "type": "person"},
            {"id": "m2", "span": "Syrian armys", "actor": "SYR_MIL"},
            {"id": "m3", "span": {"quote": "people", "after": "At least 1300 "}, "actor": None, "type": "civilians"},
            {"id": "m4", "span": "Ahmed al-Jarba", "actor": None, "type": "person"},
        ],
        "events": [
            {"id": "e1", "type": "ATTACK", "mode": "unspecified", "trigger": {"quote": "attack", "after": "nerve gas "},
             "realis": "actual", "granularity": "single",
             "time": {"span": {"quote": "on Wednesday", "nth": 1}, "start": "2013-08-21", "precision": "day"},
             "place": {"span": {"quote": "Ghouta region", "after": "attack on Syrias "}, "name": "Ghouta",
                       "precision": "district"}},
            {"id": "e2", "type": "DIE", "trigger": {"quote": "killed", "after": "have been "},
             "realis": "actual", "granularity": "single",
             "arguments": [{"role": "victim", "mention": "m3"}, {"role": "cause", "event": "e1"}],
             "quantities": [{"id": "q1", "measurand": "killed", "value": 1300, "qualifier": "at_least",
                             "span": {"quote": "1300", "after": "At least "}}]},
            {"id": "e3", "type": "ATTACK", "mode": "artillery", "trigger": {"quote": "bombardment", "after": "Syrian armys "}, "realis": "actual",
             "granularity": "single", "arguments": [{"role": "attacker", "mention": "m2"}],
             "place": {"span": "Ghouta suburbs of Damascus", "name": "Ghouta", "precision": "district"}},
        ],
        "claims": [
            {"id": "c1", "content": "At least 1300 people have been killed in a nerve gas attack on Syrias Ghouta region",
             "cue": {"quote": "said", "after": "George Sabra "}, "claimant": {"kind": "actor", "mention": "m1"},
             "about": {"events": ["e1", "e2"], "quantities": ["q1"]}},
            {"id": "c2", "content": "the Syrian armys bombardment of the Ghouta suburbs of Damascus as a massacre",
             "cue": "condemning", "claimant": {"kind": "actor", "mention": "m4"}, "about": {"events": ["e3"]}},
        ],
    },
    {  # Reuters: activists say at least 213 killed by Assad's forces; state television denies; a nurse counts 213
        "doc_id": REUTERS,
        "annotation": {"id": "gold", "annotator": "maintainers"},
        "mentions": [
            {"id": "m1", "span": "Syrian activists", "actor": None, "type": "ngo"},
            {"id": "m2", "span": "President Bashar al-Assads forces", "actor": "SYR_MIL"},
            {"id": "m3", "span": {"quote": "people", "after": "at least 213 "}, "actor": None, "type": "civilians"},
            {"id": "m4", "span": {"quote": "Syrian state television", "nth": 1}, "actor": "SYR_STATE_TV"},
            {"id": "m5", "span": "Bayan Baker", "actor": None, "type": "person"},
        ],
        "events": [
            {"id": "e1", "type": "ATTACK", "mode": "unspecified", "trigger": {"quote": "attack", "after": "nerve gas "},
             "realis": "actual", "granularity": "single", "arguments": [{"role": "attacker", "mention": "m2"}],
             "time": {"span": {"quote": "on Wednesday", "nth": 1}, "start": "2013-08-21", "precision": "day"}},
            {"id": "e2", "type": "DIE", "trigger": {"quote": "killed", "after": "attack that "},
             "realis": "actual", "granularity": "single",
             "arguments": [{"role": "victim", "mention": "m3"}, {"role": "cause", "event": "e1"}],
             "quantities": [{"id": "q1", "measurand": "killed", "value": 213, "qualifier": "at_least",
                             "span": {"quote": "213", "after": "killed at least "}}]},
            {"id": "e3", "type": "DIE", "trigger": "death toll", "realis": "actual", "granularity": "single",
             "arguments": [{"role": "cause", "event": "e1"}],
             "quantities": [{"id": "q2", "measurand": "killed", "value": 213, "qualifier": "exact",
                             "span": {"quote": "213", "after": "Damascus was "}}]},
        ],
        "claims": [
            {"id": "c1", "content": "President Bashar al-Assads forces of launching a nerve gas attack that killed at "
                                    "least 213 people on Wednesday",
             "cue": "accused", "claimant": {"kind": "actor", "mention": "m1"},
             "about": {"events": ["e1", "e2"], "quantities": ["q1"]}},
            {"id": "c2", "content": "they were disseminated deliberately to distract a team of United Nations chemical "
                                    "weapons experts",
             "cue": {"quote": "denied", "after": "they were "}, "claimant": {"kind": "actor", "mention": "m4"},
             "about": {"events": ["e1"]}, "stance": "deny", "links": [{"type": "contests", "claim": "c1"}]},
            {"id": "c3", "content": "the death toll as collated from medical centers in the suburbs east of Damascus "
                                    "was 213",
             "cue": {"quote": "said", "after": "Bayan Baker "}, "claimant": {"kind": "actor", "mention": "m5"},
             "about": {"events": ["e3"], "quantities": ["q2"]}},
        ],
    },
    {  # Sputnik (AP copy): opposition groups claim dozens killed; the government denies; the LCC says hundreds
        "doc_id": SPUTNIK,
        "annotation": {"id": "gold", "annotator": "maintainers"},
        "mentions": [
            {"id": "m1", "span": {"quote": "Syrian regime forces", "nth": 1}, "actor": "SYR_MIL"},
            {"id": "m2", "span": {"quote": "two pro-opposition groups", "nth": 1}, "actor": None, "type": "ngo"},
            {"id": "m3", "span": {"quote": "people", "after": "killed dozens of "}, "actor": None, "type": "civilians"},
            {"id": "m4", "span": {"quote": "The Syrian government", "nth": 1}, "actor": "SYR_GOV"},
            {"id": "m5", "span": "Local Coordination Committees", "actor": "LCC"},
        ],
        "events": [
            {"id": "e1", "type": "ATTACK", "mode": "artillery", "trigger": {"quote": "attack", "after": "poisonous gas\" "},
             "realis": "actual", "granularity": "single", "arguments": [{"role": "attacker", "mention": "m1"}],
             "place": {"span": {"quote": "eastern suburbs of the capital Damascus", "nth": 1},
                       "name": "Eastern Ghouta", "precision": "district"}},
            {"id": "e2", "type": "DIE", "trigger": {"quote": "killed", "after": "attack that "},
             "realis": "actual", "granularity": "single",
             "arguments": [{"role": "victim", "mention": "m3"}, {"role": "cause", "event": "e1"}],
             "quantities": [{"id": "q1", "measurand": "killed", "low": 24, "qualifier": "vague",
                             "span": {"quote": "dozens", "after": "attack that killed "}}]},
            {"id": "e3", "type": "DIE", "trigger": {"quote": "killed", "after": "hundreds of people were "},
             "realis": "actual", "granularity": "single", "arguments": [{"role": "cause", "event": "e1"}],
             "quantities": [{"id": "q2", "measurand": "killed", "low": 200, "qualifier": "vague",
                             "span": {"quote": "hundreds", "after": "Committees said "}}]},
        ],
        "claims": [
            {"id": "c1", "content": {"quote": "was a \"poisonous gas\" attack that killed dozens of people", "nth": 1},
             "cue": {"quote": "claimed", "nth": 1}, "claimant": {"kind": "actor", "mention": "m2"},
             "about": {"events": ["e1", "e2"], "quantities": ["q1"]}},
            {"id": "c2", "content": "the reports of Wednesdays chemical weapons attack as baseless",
             "cue": {"quote": "denied", "after": "promptly "}, "claimant": {"kind": "actor", "mention": "m4"},
             "about": {"events": ["e1"]}, "stance": "deny", "links": [{"type": "contests", "claim": "c1"}]},
            {"id": "c3", "content": "hundreds of people were killed or injured in the shelling",
             "cue": {"quote": "said", "after": "Local Coordination Committees "},
             "claimant": {"kind": "actor", "mention": "m5"}, "about": {"events": ["e3"], "quantities": ["q2"]}},
        ],
    },
    {  # NNA, 2017 in Idlib: an attack reported by no other annotated document, so in no incident
        "doc_id": OTHER,
        "annotation": {"id": "gold", "annotator": "maintainers"},
        "mentions": [{"id": "m1", "span": "Syrian aircraft", "actor": "SYR_MIL"}],
        "events": [
            {"id": "e1", "type": "ATTACK", "mode": "aerial", "trigger": {"quote": "attack", "nth": 1},
             "realis": "actual", "granularity": "single", "arguments": [{"role": "attacker", "mention": "m1"}]},
        ],
        "claims": [],
    },
]


def compiled(corpus: BuiltCorpus, ont=None) -> dict[str, dict]:
    """Every fixture as a validated annotated document, by document id."""
    ont = ont or load_ontology(REPO / "schema")
    docs = corpus.by_id()
    index = {d: doc["text_sha256"] for d, doc in docs.items()}
    out = {}
    for raw in ANNOTATIONS:
        doc = compile_document(raw, docs[raw["doc_id"]], schema_version=ont.version, corpus_version=corpus.version,
                               where=raw["doc_id"])
        problems = document_problems(doc, ont, index)
        assert problems == [], problems
        out[raw["doc_id"]] = doc
    return out


def ghouta_project(root: Path) -> Path:
    """A copy of the project (schema, guidelines, the corpus with its FA-KES documents and the seed annotations,
    not the FA-KES gold) with the fixtures written into corpus/annotations/."""
    for name in ("schema", "guidelines", "corpus"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("releases", "fakes-*", "second"))
    for doc_id, doc in compiled(BuiltCorpus.open(root / "corpus")).items():
        jsonio.write_json(root / "corpus" / "annotations" / f"{doc_id}.json", doc)
    return root
