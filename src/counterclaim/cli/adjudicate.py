"""``counterclaim adjudicate``: merge annotators by majority, write the disagreements for review."""

from __future__ import annotations

from pathlib import Path

import click

from counterclaim.cli.options import json_option, project_option, shown, waiting
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import ValidationFailed
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.io.transaction import transaction
from counterclaim.model.ontology import default_ontology
from counterclaim.quality.adjudicate import adjudicate_files
from counterclaim.studio.client import connect_project
from counterclaim.studio.push import ADJUDICATION_MODEL_VERSION, push_merges
from counterclaim.validation import iter_annotation_files


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--review", "review_path", type=click.Path(dir_okay=False),
              help="Where to write the disagreements (default: corpus/adjudication/review.jsonl).")
@click.option("--push", "push_review", is_flag=True,
              help="Also send each merge to Label Studio as a prediction on its task, for an adjudicator.")
@click.option("--url", envvar="LABEL_STUDIO_URL", help="Label Studio URL for --push.")
@click.option("--api-key", envvar="LABEL_STUDIO_API_KEY", help="API key for --push. Never printed.")
@click.option("--title", default="counterclaim", show_default=True, help="Project title for --push.")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@json_option
@project_option
def adjudicate(paths, review_path, push_review, url, api_key, title, dry_run, as_json, project) -> None:
    """Merge the annotators of each document with several annotations into one adjudicated annotation.

    Policy: a span is kept when more than half of the annotators marked exactly it; each attribute takes the
    majority value (a tie takes the first annotator's and is sent to review); arguments, claimants, sources,
    `about` and claim links are kept when more than half of the annotators who have both ends give them.
    Every disagreement is written to the review file, which keeps the lines of documents left alone.
    Documents with one annotator, or with an annotation already flagged ground truth (an adjudicator's
    decision), are left alone. The merged annotation becomes gold unless a ground-truth flag says otherwise
    (see `counterclaim export`).

    \b
    Examples:
      counterclaim adjudicate
      counterclaim adjudicate --push        # then review the merges in Label Studio and mark ground truth
    """
    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    review = Path(review_path) if review_path else layout.review_path
    with transaction(layout.state_dir, "adjudicate", on_wait=waiting) as tx:
        corpus = BuiltCorpus.open(layout.corpus_dir)
        files = list(iter_annotation_files(paths or [layout.annotations_dir])) \
            if (paths or layout.annotations_dir.exists()) else []
        try:
            run = adjudicate_files(files, ont, corpus, review, dry_run=dry_run, tx=tx)
        except ValidationFailed as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            raise click.ClickException(f"{len(exc.problems)} validation error(s); nothing was written "
                                       "(fix them, see `counterclaim validate`)") from None
    pushed, missing = 0, []
    if push_review and not dry_run:
        ls, _ = connect_project(layout, url, api_key)
        pushed, missing = push_merges(ls, [(str(p), d, m.annotation) for p, d, m in run.merged], ont, title=title)
    report = {**run.to_dict(), "pushed": pushed, "not_sent": missing}
    if as_json:
        click.echo(jsonio.dumps(report, indent=2))
        return
    for _, doc, merge in run.merged:
        click.echo(f"{doc['doc_id']}: merged {len(merge.annotators)} annotators "
                   f"({', '.join(merge.annotators)}), {len(merge.disagreements)} disagreement(s)")
    for line in run.skipped:
        click.echo(f"skipped {line}")
    verb = "would write" if dry_run else "wrote"
    kept = f" (kept {run.kept} of documents left alone)" if run.kept else ""
    click.echo(f"{verb} {len(run.disagreements)} disagreement(s) to {shown(review)}{kept}")
    for doc_id in missing:
        click.echo(f"not sent: {doc_id} has no task in the project", err=True)
    if pushed:
        click.echo(f"sent {pushed} merge(s) to Label Studio as predictions (model_version {ADJUDICATION_MODEL_VERSION})")
