"""``counterclaim studio pull``: a Label Studio export snapshot → annotated documents in corpus/annotations."""

from __future__ import annotations

from pathlib import Path

import click

from counterclaim.cli.options import json_option, progress_bar, quiet_option, server_options, shown, waiting
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import ValidationFailed
from counterclaim.io.layout import Layout
from counterclaim.io.transaction import transaction
from counterclaim.labelstudio.config import KIND_BY_LABEL
from counterclaim.labelstudio.convert import ConvertOptions
from counterclaim.model.ontology import default_ontology
from counterclaim.studio.client import connect_project
from counterclaim.studio.pull import download_snapshot, pull_export

MAX_LISTED = 25


def _label_map(values: tuple[str, ...]) -> dict[str, tuple[str, str | None]]:
    mapping = {}
    for value in values:
        source, sep, target = value.partition("=")
        kind, _, actor_type = target.partition(":")
        if not sep or not source or kind not in KIND_BY_LABEL:
            raise click.BadParameter(f"{value!r}: use LABEL=KIND or LABEL=ACTOR:actor_type, KIND one of "
                                     f"{', '.join(KIND_BY_LABEL)}", param_hint="--label-map")
        mapping[source] = (kind, actor_type or None)
    return mapping


@click.command("pull")
@server_options
@click.option("--from-file", "from_file", type=click.Path(exists=True, dir_okay=False),
              help="Convert a JSON export downloaded from the UI, without a server.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Where to write <doc_id>.json (default: corpus/annotations).")
@click.option("--prune", is_flag=True, help="Remove local annotations that were deleted in Label Studio.")
@click.option("--label-map", "label_map", multiple=True, metavar="LABEL=KIND[:TYPE]",
              help="Read another config's span label as a counterclaim kind, e.g. PER=ACTOR:person.")
@click.option("--text-field", default="text", show_default=True, help="Task data field holding the text.")
@click.option("--repair-offsets", is_flag=True,
              help="Move a region whose offsets miss the text it selected when one rule explains it (off by one, "
                   "UTF-16 code units after emoji, stale offsets) and its text occurs once nearby; reported.")
@json_option
@quiet_option
def pull(url, api_key, title, project_id, project, from_file, out_dir, prune, label_map, text_field, repair_offsets,
         as_json, quiet):
    """Export the project's annotations and write one annotated document per corpus document.

    Takes a JSON export snapshot (never JSON_MIN, which drops relations), keeps the raw snapshot under
    .counterclaim/snapshots/, converts every annotation of every task (annotator as a pseudonymous id,
    task/annotation ids, timestamps, cancelled and ground-truth flags, lead time), rebuilds span text
    from the task text, validates, and only then writes. Every result that is not converted as it stands
    is listed with its task, annotation and region id and the reason; the full report is written to
    .counterclaim/pull-report.json. Local annotations are never lost: one deleted in Label Studio is
    reported and kept unless --prune.

    \b
    Examples:
      counterclaim studio pull
      counterclaim studio pull --from-file project-1-at-2015.json --out /tmp/annotations
      counterclaim studio pull --from-file ner.json --label-map PER=ACTOR:person --label-map ORG=ACTOR:organization
      counterclaim studio pull --repair-offsets
    """
    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    target = Path(out_dir) if out_dir else layout.annotations_dir
    mapping = _label_map(label_map)
    with transaction(layout.state_dir, "studio pull", on_wait=waiting) as tx:
        corpus = BuiltCorpus.open_if_built(layout.corpus_dir)
        corpus_version, index = "0.0.0", None
        if corpus is not None:  # the index on disk: memory does not grow with the corpus
            corpus_version = corpus.version
            index = corpus.index_on_disk(tx.staging_dir(layout.state_dir / "index"))
        options = ConvertOptions(schema_version=ont.version, corpus_version=corpus_version, text_field=text_field,
                                 label_map=mapping, repair_offsets=repair_offsets)
        if from_file:
            snapshot = Path(from_file)
        else:
            from counterclaim.studio.push import find_project

            ls, _ = connect_project(layout, url, api_key)
            found = find_project(ls, title=title, project_id=project_id)
            if found is None:
                raise click.ClickException(f"no project titled {title!r}; push first or pass --project-id")
            snapshot = download_snapshot(ls, found.id, layout.snapshots_dir)
        own_folder = target.resolve() == layout.annotations_dir.resolve()
        with progress_bar("converting", "task", quiet=quiet or as_json) as bar:
            try:
                report = pull_export(snapshot, ont=ont, options=options, out_dir=target, corpus_index=index,
                                     prune=prune, progress=bar, require_corpus=own_folder and corpus is not None,
                                     tx=tx)
            except ValidationFailed as exc:
                for p in exc.problems:
                    click.echo(str(p), err=True)
                raise click.ClickException(f"{len(exc.problems)} converted document error(s); nothing was written")
        report.snapshot = str(snapshot)
        with tx.open_staged(layout.pull_report_path) as fh:
            report.write(fh)
    if as_json:  # the report just written, streamed
        with open(layout.pull_report_path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 16), b""):
                click.echo(chunk, nl=False)
        return
    counts = ", ".join(f"{n} {a}" for a, n in sorted(report.counts().items())) or "nothing dropped"
    click.echo(f"{report.tasks} task(s), {report.annotations} annotation(s), {report.results} result(s): {counts}")
    click.echo(f"{report.written_count} file(s) written to {out_dir or layout.annotations_dir}")
    if report.not_read:
        click.echo(f"  left alone, not annotated documents: {', '.join(report.not_read[:10])}"
                   + (f" and {len(report.not_read) - 10} more" if len(report.not_read) > 10 else ""))
    for entry in report.items.first[:MAX_LISTED]:
        click.echo(f"  {entry}")
    if len(report.items) > MAX_LISTED:
        click.echo(f"  ... {len(report.items) - MAX_LISTED} more in {shown(layout.pull_report_path)}")
    for line in report.deleted_in_studio:
        click.echo(f"deleted in Label Studio, kept locally (use --prune to remove): {line}", err=True)
    for line in report.pruned:
        click.echo(f"pruned: {line}")
