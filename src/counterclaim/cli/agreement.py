"""``counterclaim agreement``: inter-annotator agreement as a terminal table or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import click

from counterclaim.cli.options import project_option, shown, waiting

from counterclaim.io import jsonio
from counterclaim.io.transaction import transaction
from counterclaim.quality.agreement import Agreement, AgreementResult, compute_agreement, kappa_paradox
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
    """The result as fixed-width tables: spans, attributes (alpha with the raw agreement beside it), then links
    matched by the overlap of their endpoints (exact P/R/F1 and overlap F1; overlap is the figure to read)."""
    lines = [
        f"{result.compared} document(s) compared of {result.documents} read; {len(result.annotators)} annotator(s) "
        f"({', '.join(result.annotators)}), {result.pairs} annotator pair(s)"
    ]
    if result.cancelled:
        lines.append(f"{result.cancelled} cancelled annotation(s) left out")
    if result.ground_truth:
        lines.append(f"{result.ground_truth} annotation(s) flagged ground truth left out (gold, not an independent pass; "
                     "--with-ground-truth compares them too)")
    for s in result.superseded:
        lines.append(f"{s.doc_id}: {s.annotator} has {len(s.dropped) + 1} annotations; kept the latest, {s.kept} "
                     f"(left out {', '.join(s.dropped)})")
    for key, count in sorted(result.skipped.items()):
        lines.append(f"left out: {count} {key.replace('_', ' ')}")

    lines += ["", "Spans (summed over annotator pairs; P and R take the pair's first annotator by id as reference)"]
    lines += _table(("layer", *_SPAN_HEADER), [row for block in result.spans for row in _span_rows(block)])

    lines += ["", "Attributes (Krippendorff's alpha, nominal, with the raw agreement beside it and the agreement "
                  "expected by chance; units = regions aligned by overlap, label ignored)"]
    paradox = False
    rows = []
    for a in result.attributes:
        marked = kappa_paradox(a.alpha.alpha, a.alpha.observed_agreement)
        paradox |= marked
        rows.append((a.layer, a.attribute, _num(a.alpha.alpha) + ("*" if marked else ""),
                     _num(a.alpha.observed_agreement), _num(a.alpha.expected_agreement), str(a.alpha.units)))
    lines += _table(("layer", "attribute", "alpha", "raw agreement", "chance", "units"), rows)
    if paradox:
        lines.append("* low alpha with high raw agreement: nearly every value is one category, so chance agreement "
                     "is high too (the kappa paradox); read the raw agreement")

    lines += ["", "Links (matched by the overlap of both endpoints, source and target, across the document; "
                  "exact: equal endpoints; n = links of the compared annotations)"]
    link_rows = [row for block in result.links for row in _span_rows(block)]
    lines += _table(("link", *_SPAN_HEADER), link_rows)
    return "\n".join(lines)


def report_markdown(result: AgreementResult) -> str:
    """``corpus/adjudication/AGREEMENT.md``: the table of :func:`format_table`, saved by ``agreement --save``."""
    return (f"# Inter-annotator agreement\n\nGenerated by `counterclaim agreement --save` from `corpus/annotations/` "
            "(do not edit it: a test checks that it is current). The same figures as JSON are in `agreement.json`, "
            f"from which the dataset card's table is generated.\n\n```text\n{format_table(result)}\n```\n")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON instead of tables.")
@click.option("--with-ground-truth", "include_ground_truth", is_flag=True,
              help="Compare annotations flagged ground truth too (left out by default: the adjudicated gold).")
@click.option("--save", is_flag=True,
              help="Also write corpus/adjudication/agreement.json (read by the dataset card) and AGREEMENT.md.")
def agreement(paths: tuple[str, ...], project: str | None, as_json: bool, include_ground_truth: bool,
              save: bool) -> None:
    """Inter-annotator agreement of annotated documents (PATHS: .json, .jsonl or folders; default: the
    project's corpus/annotations/).

    Compares every pair of annotators of each document with two or more annotators: span precision, recall
    and F1 per layer and label (exact and overlapping); Krippendorff's alpha for per-region attributes
    (event type, mode, realis, granularity, mention actor, quantity measurand and qualifier, claim stance,
    certainty and claimant kind) with the raw agreement beside it; and links (arguments, claimant,
    co-claimants, reported_via, cue, about, supports/contests) matched by the overlap of both endpoints —
    exact P/R/F1 and overlap F1, overlap being the figure to read. Cancelled annotations and annotations
    flagged ground truth (the adjudicated gold) are left out; of several annotations by one annotator the
    latest counts. The documents are validated first.

    \b
    Examples:
      counterclaim agreement
      counterclaim agreement --save       # the record the dataset card shows
      counterclaim agreement corpus/annotations/ --json | jq '.attributes[] | {attribute, alpha, raw_agreement}'
    """
    layout = Layout.discover(project)
    if save and paths:
        raise click.ClickException("--save records the agreement of the project's corpus/annotations/; "
                                   "run it without PATHS")
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
        result = compute_agreement(docs, ontology=ont, include_ground_truth=include_ground_truth)
    except CounterclaimError as exc:
        raise click.ClickException(str(exc)) from None
    if save:
        with transaction(layout.state_dir, "agreement --save", on_wait=waiting) as tx:
            tx.write_bytes(layout.agreement_path, jsonio.dump_bytes(result.to_dict(), indent=2))
            tx.write_bytes(layout.agreement_report_path, report_markdown(result).encode("utf-8"))
    if as_json:
        click.echo(jsonio.dumps(result.to_dict(), indent=2))
    elif result.compared == 0:
        cancelled = f", {result.cancelled} cancelled annotation(s) left out" if result.cancelled else ""
        flagged = (f", {result.ground_truth} annotation(s) flagged ground truth left out (--with-ground-truth "
                   "compares them)" if result.ground_truth else "")
        click.echo(f"no document has annotations by two or more annotators ({result.documents} document(s) read"
                   f"{cancelled}{flagged}); nothing to compare")
    else:
        click.echo(format_table(result))
    if save:
        click.echo(f"wrote {shown(layout.agreement_path)} and {shown(layout.agreement_report_path)}", err=as_json)
