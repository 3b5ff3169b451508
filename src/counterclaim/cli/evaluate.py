"""``counterclaim evaluate``: score system output against the gold annotations (the dataset's official metric)."""

from __future__ import annotations

import click

from counterclaim.cli.agreement import _num, _span_rows, _table, load_documents
from counterclaim.cli.options import project_option
from counterclaim.hf.splits import SPLITS, split_of
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.model.ontology import default_ontology
from counterclaim.quality.evaluate import EvaluationResult, evaluate as evaluate_documents

_SPAN_HEADER = ("label", "n", "exact P", "exact R", "exact F1", "overlap F1")


def format_result(result: EvaluationResult) -> str:
    """Spans, attribute accuracy and relations as fixed-width tables (gold is the reference)."""
    lines = [f"{result.documents} gold document(s) scored"]
    if result.missing:
        lines.append(f"no prediction for {len(result.missing)} (scored as empty): {', '.join(result.missing)}")
    if result.unscored:
        lines.append(f"left out {len(result.unscored)} predicted document(s) without gold: {', '.join(result.unscored)}")
    for who, counts in result.skipped.items():
        for key, count in sorted(counts.items()):
            lines.append(f"left out ({who}): {count} {key.replace('_', ' ')}")
    lines += ["", "Spans (P: of the system's regions, the share gold has; n: gold regions)"]
    lines += _table(("layer", *_SPAN_HEADER), [row for block in result.spans for row in _span_rows(block)])
    lines += ["", "Attributes (accuracy over gold/system regions matched by overlap, label ignored)"]
    lines += _table(("layer", "attribute", "accuracy", "correct", "pairs"),
                    [(a.layer, a.attribute, _num(a.accuracy), str(a.correct), str(a.pairs)) for a in result.attributes])
    lines += ["", "Arguments and claim links (within matched events / claims; pairs = matched pairs)"]
    rows = []
    for block in result.relations:
        for row in _span_rows(block):
            rows.append((row[0], row[1], str(block.pairs) if row[1] == block.total.label else "", *row[2:]))
    lines += _table(("relation", "label", "pairs", *_SPAN_HEADER[1:]), rows)
    return "\n".join(lines)


@click.command()
@click.argument("gold", type=click.Path(exists=True))
@click.argument("predicted", type=click.Path(exists=True))
@click.option("--split", type=click.Choice(SPLITS), help="Score only the documents of this split.")
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON instead of tables.")
def evaluate(gold: str, predicted: str, split: str | None, project: str | None, as_json: bool) -> None:
    """Score system output (PREDICTED) against the gold annotations (GOLD): the dataset's official metric.

    GOLD and PREDICTED are annotated documents (.json, .jsonl or folders of them), validated first. The gold
    annotation of each document is chosen as for the dataset; each predicted document holds exactly one
    annotation. Spans per layer and label (exact and overlap precision, recall, F1), attribute accuracy over
    matched regions (event type and realis, claimant, stance...), and F1 of event arguments and claim links,
    computed as `counterclaim agreement` compares two annotators, with gold as the reference. A gold document
    without a prediction counts as an empty one.

    \b
    Examples:
      counterclaim evaluate corpus/annotations/ predictions/ --split test
      counterclaim evaluate corpus/annotations/ predictions/ --json | jq '.spans[] | {name, f1: .total.exact.f1}'
    """
    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    documents = {}
    for role, path in (("gold", gold), ("predicted", predicted)):
        docs, problems = load_documents([path], ont)
        if problems:
            listing = "\n".join(str(p) for p in problems)
            raise click.ClickException(
                f"{len(problems)} validation error(s) in the {role} documents; fix them (`counterclaim validate` "
                f"checks a file) and run again:\n{listing}")
        documents[role] = docs
    chosen = None if split is None else (lambda doc_id: split_of(doc_id) == split)
    result = evaluate_documents(documents["gold"], documents["predicted"], ontology=ont, doc_ids=chosen)
    if as_json:
        click.echo(jsonio.dumps(result.to_dict(), indent=2))
    elif result.documents == 0:
        click.echo(f"no gold document to score{f' in the {split} split' if split else ''}")
    else:
        click.echo(format_result(result))
