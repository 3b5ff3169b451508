"""``counterclaim baselines run``: train the baselines on the gold train split and score them on the test split."""

from __future__ import annotations

from pathlib import Path

import click

from counterclaim.cli.options import json_option, project_option, shown
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.model.ontology import default_ontology


@click.group()
def baselines() -> None:
    """Reference systems, scored with the official metric (shown in the dataset card)."""


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


@baselines.command()
@project_option
@click.option("--out", type=click.Path(file_okay=False),
              help="Folder for results.json and the predictions (default: the project's baselines/).")
@json_option
def run(project: str | None, out: str | None, as_json: bool) -> None:
    """Train every baseline on the train split's gold documents, annotate the test split, score it with
    `counterclaim evaluate`'s metric, and write baselines/results.json and baselines/predictions/.

    Deterministic (fixed seeds): the same gold gives the same files. Run `counterclaim export` afterwards to
    put the scores into the dataset card. A baseline whose package is not installed is skipped with the reason.

    \b
    Examples:
      counterclaim baselines run
      counterclaim evaluate corpus/annotations baselines/predictions/crf-linear --split test
    """
    from counterclaim.baselines.run import run_baselines

    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    report = run_baselines(layout, ont, out_dir=Path(out) if out else None)
    if as_json:
        click.echo(jsonio.dumps(report.to_dict(), indent=2))
        return
    results = report.results
    click.echo(f"trained on {len(results['splits']['train'])} document(s), scored on "
               f"{len(results['splits']['test'])} test document(s); wrote {shown(report.out_dir)}")
    for system in results["systems"]:
        if system["status"] != "ok":
            click.echo(f"{system['name']}: skipped ({system['reason']})")
            continue
        s = system["scores"]
        click.echo(f"{system['name']}: mention F1 {_score(s['mention_exact_f1'])} (overlap "
                   f"{_score(s['mention_overlap_f1'])}), trigger F1 {_score(s['trigger_exact_f1'])}, claim overlap "
                   f"F1 {_score(s['claim_overlap_f1'])}, claimant accuracy {_score(s['claimant_accuracy'])}")
