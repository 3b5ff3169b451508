"""``counterclaim adjudicate``: merge annotators by majority, write the disagreements for review."""

from __future__ import annotations

from pathlib import Path

import click

from counterclaim import jsonio
from counterclaim.adjudicate import merge_document, with_adjudication
from counterclaim.errors import ValidationFailed
from counterclaim.ontology import default_ontology
from counterclaim.paths import Layout
from counterclaim.validate import Problem, document_problems, iter_annotation_files, load_corpus_index


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
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
@click.option("--project", type=click.Path(file_okay=False), help="Project folder (default: found from the current folder).")
def adjudicate(paths, review_path, push_review, url, api_key, title, dry_run, as_json, project) -> None:
    """Merge the annotators of each document with several annotations into one adjudicated annotation.

    Policy: a span is kept when more than half of the annotators marked exactly it; each attribute takes the
    majority value (a tie takes the first annotator's and is sent to review); arguments, claimants, sources,
    `about` and claim links are kept when more than half of the annotators who have both ends give them.
    Every disagreement is written to the review file. Documents with one annotator, or with an annotation
    already flagged ground truth (an adjudicator's decision), are left alone. The merged annotation becomes
    gold unless a ground-truth flag says otherwise (see `counterclaim export`).

    \b
    Examples:
      counterclaim adjudicate
      counterclaim adjudicate --push        # then review the merges in Label Studio and mark ground truth
    """
    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    corpus_version = jsonio.read_json(layout.corpus_dir / "manifest.json")["version"]
    index = load_corpus_index(layout.corpus_dir / "documents.jsonl")
    files = list(iter_annotation_files(paths or [layout.annotations_dir])) if (paths or layout.annotations_dir.exists()) else []
    merged_docs, disagreements, skipped, problems = [], [], [], []
    for path in files:
        doc = jsonio.read_json(path)
        merge = merge_document(doc, schema_version=ont.version, corpus_version=corpus_version)
        if merge.annotation is None:
            skipped.append(f"{doc.get('doc_id')}: {merge.skipped}")
            continue
        new_doc = with_adjudication(doc, merge.annotation)
        found = document_problems(new_doc, ont, index)
        if found:
            problems += [Problem(str(path), p, m) for p, m in found]
            continue
        merged_docs.append((path, new_doc, merge))
        disagreements += merge.disagreements
    if problems:
        raise ValidationFailed(problems)
    review = Path(review_path) if review_path else layout.corpus_dir / "adjudication" / "review.jsonl"
    if not dry_run:
        for path, new_doc, _ in merged_docs:
            jsonio.write_json(path, new_doc)
        jsonio.write_jsonl(review, (d.to_dict() for d in disagreements))
    pushed = _push(layout, ont, merged_docs, url, api_key, title) if push_review and not dry_run else 0
    report = {"adjudicated": [d["doc_id"] for _, d, _ in merged_docs], "skipped": skipped,
              "disagreements": len(disagreements), "review_file": str(review), "pushed": pushed, "dry_run": dry_run}
    if as_json:
        click.echo(jsonio.dumps(report, indent=2))
        return
    for _, doc, merge in merged_docs:
        click.echo(f"{doc['doc_id']}: merged {len(merge.annotators)} annotators "
                   f"({', '.join(merge.annotators)}), {len(merge.disagreements)} disagreement(s)")
    for line in skipped:
        click.echo(f"skipped {line}")
    verb = "would write" if dry_run else "wrote"
    click.echo(f"{verb} {len(disagreements)} disagreement(s) to {review}")
    if pushed:
        click.echo(f"sent {pushed} merge(s) to Label Studio as predictions (model_version counterclaim-adjudication)")


def _push(layout, ont, merged_docs, url, api_key, title) -> int:
    from counterclaim.cli.studio_flow import _connect
    from counterclaim.studio.push import _api_call, existing_tasks, find_project
    from counterclaim.studio.results import annotation_to_results

    ls, _ = _connect(layout, url, api_key)
    project = find_project(ls, title=title)
    if project is None:
        raise click.ClickException(f"no Label Studio project titled {title!r}; push the corpus first")
    tasks = existing_tasks(ls, project.id)
    count = 0
    for path, doc, merge in merged_docs:
        task = tasks.get(doc["doc_id"])
        if task is None:
            click.echo(f"not sent: {doc['doc_id']} has no task in project {project.id}", err=True)
            continue
        result = annotation_to_results(doc["text"], merge.annotation, ont, where=str(path))
        _api_call("create a prediction", ls.predictions.create, task=task["id"], result=result,
                  model_version="counterclaim-adjudication", score=1.0)
        count += 1
    return count
