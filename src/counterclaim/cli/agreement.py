"""``counterclaim agreement``: inter-annotator agreement as a terminal table or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import click

from counterclaim.cli.options import project_option

from counterclaim.io import jsonio
from counterclaim.quality.agreement import Agreement, AgreementResult, compute_agreement
from counterclaim.errors import CounterclaimError
from counterclaim.model.ontology import Ontology, default_ontology
from counterclaim.io.layout import Layout
from counterclaim.validation import Problem, read_documents


def load_documents(paths: Iterable[str | Path], ont: Ontology) -> tuple[list[dict], list[Problem]]:
    """Read every annotated document under ``paths`` (each file once) and validate it (no corpus check)."""
    valid, _, problems = read_documents(paths, ont)
    return [doc for _, _, doc in valid], problems


# -- the table ---------------------------------------------------------------------------------------------


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


_SPAN_HEADER = ("label", "n", "exact P", "exact R", "exact F1", "overlap F1")


def _span_rows(block: Agreement) -> list[tuple[str, ...]]:
    rows = []

    def row(label, r):
        return (label, str(r.regions), _num(r.exact.precision), _num(r.exact.recall), _num(r.exact.f1),
                _num(r.overlap.f1))

    rows.append((block.name, *row(block.total.label, block.total)))
    if block.labels:
        rows.append((block.name, *row("(span only)", block.unlabelled)))
        rows.extend((block.name, *row(r.label, r)) for r in block.labels)
    return rows


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = []
    for cells in (header, *rows):
        text = [f"{cell:<{widths[0]}}" if k == 0 else (f"{cell:<{w}}" if k == 1 else f"{cell:>{w}}")
                for k, (cell, w) in enumerate(zip(cells, widths))]
        lines.append("  ".join(text).rstrip())
    return lines


def format_table(result: AgreementResult) -> str:
    """The result as fixed-width tables: spans, attributes, then arguments and claim links."""
    lines = [
        f"{result.compared} document(s) compared of {result.documents} read; {len(result.annotators)} annotator(s) "
        f"({', '.join(result.annotators)}), {result.pairs} annotator pair(s)"
    ]
    if result.cancelled:
        lines.append(f"{result.cancelled} cancelled annotation(s) left out")
    for s in result.superseded:
        lines.append(f"{s.doc_id}: {s.annotator} has {len(s.dropped) + 1} annotations; kept the latest, {s.kept} "
                     f"(left out {', '.join(s.dropped)})")
    for key, count in sorted(result.skipped.items()):
        lines.append(f"left out: {count} {key.replace('_', ' ')}")

    lines += ["", "Spans (summed over annotator pairs; P and R take the pair's first annotator by id as reference)"]
    lines += _table(("layer", *_SPAN_HEADER), [row for block in result.spans for row in _span_rows(block)])

    lines += ["", "Attributes (Krippendorff's alpha, nominal; units = regions aligned by overlap, label ignored)"]
    lines += _table(
        ("layer", "attribute", "alpha", "agreement", "units"),
        [(a.layer, a.attribute, _num(a.alpha.alpha), _num(a.alpha.observed_agreement), str(a.alpha.units))
         for a in result.attributes],
    )

    lines += ["", "Arguments and claim links (within matched events / claims; pairs = matched pairs)"]
    rel_rows = []
    for block in result.relations:
        for row in _span_rows(block):
            rel_rows.append((row[0], row[1], str(block.pairs) if row[1] == block.total.label else "", *row[2:]))
    lines += _table(("relation", "label", "pairs", *_SPAN_HEADER[1:]), rel_rows)
    return "\n".join(lines)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON instead of tables.")
def agreement(paths: tuple[str, ...], project: str | None, as_json: bool) -> None:
    """Inter-annotator agreement of annotated documents (PATHS: .json, .jsonl or folders; default: the
    project's corpus/annotations/).

    Compares every pair of annotators of each document with two or more annotators: span precision, recall
    and F1 per layer and label (exact and overlapping), Krippendorff's alpha for per-region attributes
    (event type, mode, realis, granularity, mention actor, quantity measurand and qualifier, claim stance,
    certainty and claimant kind), and F1 for event arguments and claim links. Cancelled annotations are left
    out; of several annotations by one annotator the latest counts. The documents are validated first.

    \b
    Examples:
      counterclaim agreement
      counterclaim agreement corpus/annotations/ --json | jq '.attributes[] | {attribute, alpha}'
    """
    layout = Layout.discover(project)
    if not paths:
        if not layout.annotations_dir.is_dir():
            raise click.ClickException(
                f"{layout.annotations_dir} not found; pull annotations with `counterclaim studio pull` or pass PATHS"
            )
        paths = (str(layout.annotations_dir),)
    try:
        ont = default_ontology(layout.schema_dir)
        docs, problems = load_documents(paths, ont)
        if problems:
            listing = "\n".join(str(p) for p in problems)
            raise click.ClickException(
                f"{len(problems)} validation error(s); fix them (`counterclaim validate` checks a file) and run again:\n"
                f"{listing}"
            )
        result = compute_agreement(docs, ontology=ont)
    except CounterclaimError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(jsonio.dumps(result.to_dict(), indent=2))
    elif result.compared == 0:
        cancelled = f", {result.cancelled} cancelled annotation(s) left out" if result.cancelled else ""
        click.echo(f"no document has annotations by two or more annotators ({result.documents} document(s) read"
                   f"{cancelled}); nothing to compare")
    else:
        click.echo(format_table(result))
