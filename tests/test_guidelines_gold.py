"""The guidelines cannot teach one thing while the gold does another.

Every ```yaml example``` of the guidelines is compiled against the corpus text and compared with the gold
annotation of its document (the one `select_gold` picks); every ```yaml counterexample``` checks that the gold
does not annotate, inside its quote, what it `excludes`. An example marked ``simplified: <reason>`` is a
deliberate teaching simplification and skips the comparison (it is still compiled and validated by
test_guidelines_examples.py).
"""

from __future__ import annotations

import pytest

from counterclaim.io import jsonio
from counterclaim.model.ontology import load_ontology
from counterclaim.model.selection import select_gold
from counterclaim.quality.authoring import compile_document
from counterclaim.quality.examples import check_exclusions, compare_with_gold
from counterclaim.quality.guidelines import Example, examples
from helpers import REPO

GUIDELINES = (REPO / "guidelines" / "guidelines.md").read_text(encoding="utf-8")
DOCUMENTS = {d["doc_id"]: d for _, d in jsonio.iter_jsonl(REPO / "corpus" / "documents.jsonl")}
ONT = load_ontology(REPO / "schema")
FOUND = examples(GUIDELINES)
EXAMPLES = [e for e in FOUND if e.kind == "example"]
COUNTEREXAMPLES = [e for e in FOUND if e.kind == "counterexample"]


def gold_of(doc_id: str) -> dict:
    gold = select_gold(jsonio.read_json(REPO / "corpus" / "annotations" / f"{doc_id}.json"))
    assert gold.annotation is not None, f"{doc_id}: no gold annotation ({gold.reason})"
    return gold.annotation


def disagreements(example: Example) -> list[str]:
    doc = DOCUMENTS[example.data["doc_id"]]
    compiled = compile_document(example.data, doc, schema_version=ONT.version, corpus_version="0.0.1",
                                where=f"guidelines.md:{example.line}")
    return compare_with_gold(compiled["annotations"][0], example.data, gold_of(doc["doc_id"]),
                             f"guidelines.md:{example.line}")


def exclusions(counterexample: Example) -> list[str]:
    doc = DOCUMENTS[counterexample.data["doc_id"]]
    return check_exclusions(counterexample.data, doc["text"], gold_of(doc["doc_id"]),
                            f"guidelines.md:{counterexample.line}")


def simplification(example: Example) -> str | None:
    """Why the example deliberately differs from the gold, or None when it is compared."""
    if "simplified" not in example.data:
        return None
    reason = example.data["simplified"]
    if not isinstance(reason, str) or not reason.strip():
        raise AssertionError(f"guidelines.md:{example.line}: `simplified` needs the reason for the simplification")
    return reason


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"line{e.line}")
def test_every_example_is_the_gold_annotation_of_its_text(example):
    reason = simplification(example)
    if reason is not None:
        pytest.skip(f"a deliberate simplification: {reason}")
    assert disagreements(example) == []


@pytest.mark.parametrize("counterexample", COUNTEREXAMPLES, ids=lambda e: f"line{e.line}")
def test_the_gold_never_annotates_what_a_counterexample_excludes(counterexample):
    assert counterexample.data.get("excludes"), \
        f"guidelines.md:{counterexample.line}: say what the counterexample excludes (`excludes`)"
    assert exclusions(counterexample) == []


def test_most_examples_are_compared_not_simplified():
    compared = [e for e in EXAMPLES if "simplified" not in e.data]
    assert len(compared) >= 40 and len(COUNTEREXAMPLES) >= 15


def test_an_example_that_teaches_something_else_than_the_gold_is_reported():
    example = examples(
        "```yaml example\n"
        "doc_id: 65e93feecc888cc5\n"
        "mentions:\n"
        "  - {id: m1, span: {quote: Russian, after: \"five per cent of \"}, actor: RUS}\n"
        "  - {id: m2, span: The warehouse, actor: null, type: other}\n"
        "events:\n"
        "  - {id: e1, type: ATTACK, mode: aerial, trigger: {quote: hit, after: \"The air strikes \"},"
        " granularity: single}\n"
        "```\n")[0]
    assert disagreements(example) == [
        "guidelines.md:1: mention “Russian” [360, 367) actor: the example says 'RUS', the gold says 'RUS_MIL'",
        "guidelines.md:1: mention “The warehouse” [1467, 1480) is not in the gold",
        "guidelines.md:1: event “hit” [841, 844) granularity: the example says 'single', the gold says 'aggregate'",
    ]


def test_a_simplification_must_say_why():
    body = "```yaml example\ndoc_id: 65e93feecc888cc5\nsimplified: {}\nmentions: []\n```\n"
    with pytest.raises(AssertionError, match="`simplified` needs the reason"):
        simplification(examples(body.format('""'))[0])
    assert simplification(examples(body.format("only the mentions of the sentence"))[0]) == \
        "only the mentions of the sentence"


def test_a_counterexample_whose_text_the_gold_annotates_is_reported():
    (counterexample,) = examples(
        "```yaml counterexample\n"
        "doc_id: 01c6e4c94616b3f2\n"
        "quote: \"Russian air strikes hit 55\"\n"
        "excludes: {events: ATTACK}\n"
        "why: a made-up exclusion that the gold contradicts\n"
        "```\n")
    assert exclusions(counterexample) == [
        "guidelines.md:1: the gold annotates event e1 (ATTACK) “hit” [20, 23) inside "
        "“Russian air strikes hit 55” [0, 26), which the guidelines exclude"]
