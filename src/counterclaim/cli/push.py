"""``counterclaim studio push``: create or update the Label Studio project and import what it lacks."""

from __future__ import annotations

import sys

import click

from counterclaim.cli.options import json_option, progress_bar, quiet_option, server_options
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.studio.predictors import DEFAULT_PREDICTOR, PREDICTORS
from counterclaim.studio.client import connect_project
from counterclaim.studio.push import DEFAULT_OVERLAP, PushReport, push_project
from counterclaim.studio.pushed import LISTING, NO_RECORD


def _echo_push(report: PushReport, url: str) -> None:
    state = " (created)" if report.project_created else ""
    click.echo(f"project {report.project_id}{state}: {url}/projects/{report.project_id}/data")
    click.echo(f"tasks: {report.imported} imported, {report.already_present} already present")
    if report.verified == LISTING and report.listing_reason not in (None, NO_RECORD):
        click.echo(f"listed every task of the project: {report.listing_reason}")
    if report.model_version is not None:
        added = f" ({report.predictions_added} task(s) already present got them)" if report.predictions_added else ""
        click.echo(f"annotators start from the predictions of {report.model_version}{added}")
    click.echo(f"overlap: each task goes to {report.overlap} annotator(s)")
    if report.annotations_created or report.annotations_present or report.refused:
        click.echo(f"annotations: {report.annotations_created} created, {report.annotations_present} already present, "
                   f"{len(report.refused)} refused")
    for doc_id in report.changed_in_corpus:
        click.echo(f"warning: {doc_id}: the corpus text changed since its task was created; its annotations "
                   "no longer match the corpus", err=True)
    for line in report.refused:
        click.echo(f"refused: {line}", err=True)


@click.command("push")
@server_options
@click.option("--annotations", "annotations", multiple=True, type=click.Path(exists=True),
              help="Annotated documents (files or folders, e.g. corpus/annotations) to create as annotations.")
@click.option("--no-predictions", is_flag=True, help="Import tasks without pre-annotations.")
@click.option("--predictor", type=click.Choice(sorted(PREDICTORS)), default=DEFAULT_PREDICTOR, show_default=True,
              help="What proposes the pre-annotations annotators start from.")
@click.option("--overlap", type=click.IntRange(1, 100), default=None,
              help=f"Annotators per task (default: {DEFAULT_OVERLAP} for a new project; an existing project keeps "
                   "its own).")
@click.option("--batch-size", type=click.IntRange(1, 10000), default=500, show_default=True,
              help="Tasks per import request.")
@click.option("--relist", is_flag=True,
              help="List every task of the project instead of checking the record of the last push against the "
                   "server (slower: Label Studio lists about 1,000 tasks a second).")
@json_option
@quiet_option
def push(url, api_key, title, project_id, project, annotations, no_predictions, predictor, overlap, batch_size,
         relist, as_json, quiet) -> None:
    """Create or update the Label Studio project and import the corpus documents it lacks.

    The project gets the labeling config generated from the ontology and the guidelines as instructions.
    Each new task carries doc_id and text_sha256 and a prediction (regions, values, links, each with its
    score) that annotators start from: the project prelabels tasks with it. Tasks already in the project
    get the predictions of a new predictor version once. Each task goes to --overlap annotators (double
    annotation for `agreement` and `adjudicate`). Running push again imports nothing new. With
    --annotations, annotated documents are created as annotations (the inverse of pull); a document whose
    text changed since it was annotated is refused, and an annotation already present is not created twice.

    What the project holds is known from .counterclaim/pushed/ (what the last push put there), checked against
    the server with two small requests: the task count, the newest tasks and a sample. With no record, or on
    any difference (tasks deleted or added in the UI), every task is listed, and the output says why; --json
    reports "verified": "record" or "listing". One push at a time per project folder.

    \b
    Examples:
      counterclaim studio push
      counterclaim studio push --overlap 3
      counterclaim studio push --annotations corpus/annotations
      counterclaim studio push --relist
      LABEL_STUDIO_URL=https://ls.example.org LABEL_STUDIO_API_KEY=... counterclaim studio push
    """
    layout = Layout.discover(project)
    ls, base_url = connect_project(layout, url, api_key)
    with progress_bar("importing", "task", quiet=quiet or as_json) as bar:
        report = push_project(ls, layout, title=title, project_id=project_id, annotations=annotations,
                              predictions=not no_predictions, predictor=predictor, overlap=overlap,
                              batch_size=batch_size, progress=bar, server=base_url, relist=relist)
    if as_json:
        click.echo(jsonio.dumps(report.to_dict(), indent=2))
    else:
        _echo_push(report, base_url)
    sys.exit(1 if report.refused else 0)
