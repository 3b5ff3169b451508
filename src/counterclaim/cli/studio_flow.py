"""``counterclaim studio config|push|pull``: the Label Studio round trip.

Options shared by the commands that talk to a server are declared once (``server_options``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from counterclaim import jsonio
from counterclaim.errors import CounterclaimError, ValidationFailed
from counterclaim.ontology import default_ontology
from counterclaim.paths import Layout
from counterclaim.studio.config import CONFIG_FILE, KIND_BY_LABEL, build_label_config
from counterclaim.studio.convert import ConvertOptions
from counterclaim.studio.pull import download_snapshot, pull_export
from counterclaim.studio.push import DEFAULT_TITLE, PushReport, ensure_project, push_annotations, push_documents
from counterclaim.validate import load_corpus_index, read_documents
from counterclaim.validated import ValidatedFiles

MAX_LISTED = 25


def server_options(fn):
    """--url, --api-key, --title, --project-id and --project, shared by push and pull."""
    for option in reversed([
        click.option("--url", envvar="LABEL_STUDIO_URL", show_envvar=True,
                     help="Label Studio URL (default: the embedded server from .counterclaim/credentials.json)."),
        click.option("--api-key", envvar="LABEL_STUDIO_API_KEY", show_envvar=True,
                     help="Personal access token or legacy token. Never printed."),
        click.option("--title", default=DEFAULT_TITLE, show_default=True, help="Project title to create or find."),
        click.option("--project-id", type=int, help="Use this project id instead of finding it by title."),
        click.option("--project", type=click.Path(file_okay=False),
                     help="counterclaim project folder (default: found from the current folder)."),
    ]):
        fn = option(fn)
    return fn


def _connect(layout: Layout, url: str | None, api_key: str | None):
    """A checked sdk client and the server URL it talks to."""
    from counterclaim.studio.client import connect, resolve

    credentials = layout.state_dir / "credentials.json"
    target = resolve(url, api_key, credentials_path=credentials)
    return connect(url, api_key, credentials_path=credentials), target.url


def _progress(total: int | None, desc: str, quiet: bool):
    return tqdm(total=total, desc=desc, unit="task", disable=quiet or None, file=sys.stderr, leave=False)


def _corpus(layout: Layout) -> tuple[list[dict], str]:
    documents = layout.corpus_dir / "documents.jsonl"
    manifest = layout.corpus_dir / "manifest.json"
    if not documents.exists() or not manifest.exists():
        raise CounterclaimError(f"{layout.corpus_dir}: no built corpus; run `counterclaim corpus build` first")
    return [doc for _, doc in jsonio.iter_jsonl(documents)], jsonio.read_json(manifest)["version"]


# -- config -------------------------------------------------------------------------------------------------


@click.command("config")
@click.option("--check", is_flag=True, help=f"Exit 1 if guidelines/{CONFIG_FILE} differs from the generated config.")
@click.option("--project", type=click.Path(file_okay=False), help="Project folder (default: found from the current folder).")
def config(check: bool, project: str | None) -> None:
    """Print the Label Studio labeling config generated from the ontology.

    The checked-in copy is guidelines/labelstudio.xml (refresh it with `counterclaim guidelines build`).
    """
    layout = Layout.discover(project)
    xml = build_label_config(default_ontology(layout.schema_dir))
    if check:
        path = layout.guidelines_dir / CONFIG_FILE
        if not path.exists() or path.read_text(encoding="utf-8") != xml:
            raise click.ClickException(f"{path} differs from the generated config; run `counterclaim guidelines build`")
        click.echo(f"{path} is up to date")
        return
    click.echo(xml, nl=False)


# -- push ---------------------------------------------------------------------------------------------------


def load_annotated(paths, ont, corpus_index) -> list[tuple[str, dict]]:
    """Annotated documents from files/folders, each validated first (all problems reported at once)."""
    valid, _, problems = read_documents(paths, ont, corpus_index)
    if problems:
        raise ValidationFailed(problems)
    return [(str(path), doc) for path, _, doc in valid]


def run_push(layout: Layout, ls, *, title: str, project_id: int | None, annotations: tuple[str, ...] = (),
             predictions: bool = True, batch_size: int = 500, quiet: bool = False) -> PushReport:
    """Create/update the project, import missing documents, push annotations. Used by push and up."""
    ont = default_ontology(layout.schema_dir)
    documents, corpus_version = _corpus(layout)
    project, created = ensure_project(ls, title=title, project_id=project_id,
                                      label_config=build_label_config(ont),
                                      instructions_html=_instructions(layout))
    report = PushReport(project_id=project.id, project_created=created)
    with _progress(len(documents), "importing", quiet) as bar:
        tasks = push_documents(ls, project.id, documents, ont, corpus_version=corpus_version, report=report,
                               batch_size=batch_size, predictions=predictions, progress=bar.update)
    if annotations:
        index = {d["doc_id"]: d["text_sha256"] for d in documents}
        docs = load_annotated(annotations, ont, None)
        push_annotations(ls, project.id, docs, ont, tasks=tasks, corpus_index=index, report=report)
    return report


def _instructions(layout: Layout) -> str:
    from counterclaim.guidelines import instructions_html  # markdown rendering: only when pushing

    return instructions_html(layout.guidelines_dir)


def _echo_push(report: PushReport, url: str) -> None:
    state = " (created)" if report.project_created else ""
    click.echo(f"project {report.project_id}{state}: {url}/projects/{report.project_id}/data")
    click.echo(f"tasks: {report.imported} imported, {report.already_present} already present")
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
@click.option("--no-predictions", is_flag=True, help="Import tasks without alias pre-annotations.")
@click.option("--batch-size", type=click.IntRange(1, 10000), default=500, show_default=True,
              help="Tasks per import request.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def push(url, api_key, title, project_id, project, annotations, no_predictions, batch_size, as_json, quiet) -> None:
    """Create or update the Label Studio project and import the corpus documents it lacks.

    The project gets the labeling config generated from the ontology and the guidelines as instructions.
    Each new task carries doc_id and text_sha256 and arrives with actor mentions pre-annotated from the
    registry's aliases. Running push again imports nothing new. With --annotations, annotated documents
    are created as annotations (the inverse of pull); a document whose text changed since it was annotated
    is refused, and an annotation already present is not created twice.

    \b
    Examples:
      counterclaim studio push
      counterclaim studio push --annotations corpus/annotations
      LABEL_STUDIO_URL=https://ls.example.org LABEL_STUDIO_API_KEY=... counterclaim studio push
    """
    layout = Layout.discover(project)
    ls, base_url = _connect(layout, url, api_key)
    report = run_push(layout, ls, title=title, project_id=project_id, annotations=annotations,
                      predictions=not no_predictions, batch_size=batch_size, quiet=quiet or as_json)
    if as_json:
        click.echo(jsonio.dumps(report.to_dict(), indent=2))
    else:
        _echo_push(report, base_url)
    sys.exit(1 if report.refused else 0)


# -- pull ---------------------------------------------------------------------------------------------------


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
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Extra processes converting tasks (default: one per spare CPU, at most 3, for exports of 16 MB "
                   "or more; 0: convert in this process). The result is the same.")
@click.option("--json", "as_json", is_flag=True, help="Print the full JSON report.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def pull(url, api_key, title, project_id, project, from_file, out_dir, prune, label_map, text_field, workers,
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
    """
    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    corpus_version = "0.0.0"
    manifest = layout.corpus_dir / "manifest.json"
    index = None
    if manifest.exists():
        corpus_version = jsonio.read_json(manifest)["version"]
        index = load_corpus_index(layout.corpus_dir / "documents.jsonl")
    options = ConvertOptions(schema_version=ont.version, corpus_version=corpus_version, text_field=text_field,
                             label_map=_label_map(label_map))
    if from_file:
        snapshot = Path(from_file)
    else:
        from counterclaim.studio.push import find_project

        ls, _ = _connect(layout, url, api_key)
        found = find_project(ls, title=title, project_id=project_id)
        if found is None:
            raise click.ClickException(f"no project titled {title!r}; push first or pass --project-id")
        snapshot = download_snapshot(ls, found.id, layout.state_dir / "snapshots")
    with _progress(None, "converting", quiet or as_json) as bar:
        try:
            validated = ValidatedFiles(layout)
            report = pull_export(snapshot, ont=ont, options=options, out_dir=out_dir or layout.annotations_dir,
                                 corpus_index=index, prune=prune, progress=bar.update, validated=validated,
                                 workers=workers)
            validated.save()
        except ValidationFailed as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            raise click.ClickException(f"{len(exc.problems)} converted document error(s); nothing was written")
    report.snapshot = str(snapshot)
    jsonio.write_json(layout.state_dir / "pull-report.json", report.to_dict())
    if as_json:
        click.echo(jsonio.dumps(report.to_dict(), indent=2))
        return
    counts = ", ".join(f"{n} {a}" for a, n in sorted(report.counts().items())) or "nothing dropped"
    click.echo(f"{report.tasks} task(s), {report.annotations} annotation(s), {report.results} result(s): {counts}")
    click.echo(f"{len(report.written)} file(s) written to {out_dir or layout.annotations_dir}")
    for item in report.items[:MAX_LISTED]:
        click.echo(f"  {item}")
    if len(report.items) > MAX_LISTED:
        click.echo(f"  ... {len(report.items) - MAX_LISTED} more in {layout.state_dir / 'pull-report.json'}")
    for line in report.deleted_in_studio:
        click.echo(f"deleted in Label Studio, kept locally (use --prune to remove): {line}", err=True)
    for line in report.pruned:
        click.echo(f"pruned: {line}")
