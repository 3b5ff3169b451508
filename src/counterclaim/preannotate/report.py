"""The evaluation as plain-text tables (the CLI prints this; ``EvaluationResult.to_dict()`` is the JSON)."""

from __future__ import annotations

from counterclaim.quality.agreement import Counts
from counterclaim.preannotate.evaluate import EvaluationResult


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _prf(c: Counts) -> tuple[str, str, str]:
    return _num(c.precision), _num(c.recall), _num(c.f1)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    return ["  ".join(f"{cell:<{w}}" if k == 0 else f"{cell:>{w}}" for k, (cell, w) in enumerate(zip(cells, widths))).rstrip()
            for cells in (header, *rows)]


def format_evaluation(result: EvaluationResult, title: str = "") -> str:
    """Layers, links, attributes and rules as fixed-width tables."""
    lines = [f"{title}{': ' if title else ''}{len(result.documents)} document(s): {', '.join(result.documents)}", ""]
    lines.append("Layers (exact: equal spans; overlap: a shared character; labelled: overlap and the same label)")
    lines += _table(
        ("layer", "gold", "pred", "exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1", "labelled F1"),
        [(s.name, str(s.gold), str(s.predicted), *_prf(s.exact), *_prf(s.overlap), _num(s.labelled.f1))
         for s in result.layers],
    )
    lines += ["", "Links (end to end: both ends must match; exact or overlapping targets)"]
    lines += _table(
        ("link", "gold", "pred", "exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1"),
        [(s.name, str(s.gold), str(s.predicted), *_prf(s.exact), *_prf(s.overlap)) for s in result.links],
    )
    lines += ["", "Attributes (accuracy over regions matched by overlap)"]
    lines += _table(("layer", "attribute", "compared", "accuracy"),
                    [(a.layer, a.attribute, str(a.compared), _num(a.accuracy)) for a in result.attributes])
    lines += ["", "Rules (precision: objects that overlap a gold region, links that match a gold link)"]
    lines += _table(("rule", "layer", "proposed", "matched", "precision"),
                    [(r.rule, r.layer, str(r.proposed), str(r.matched), _num(r.precision)) for r in result.rules])
    return "\n".join(lines)
