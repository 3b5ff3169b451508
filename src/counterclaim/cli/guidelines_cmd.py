"""``counterclaim guidelines``: refresh or check the generated parts of guidelines/."""

from __future__ import annotations

import click

from counterclaim import jsonio
from counterclaim.guidelines import GUIDELINES_FILE, check_examples, expected_files
from counterclaim.ontology import default_ontology
from counterclaim.paths import Layout

project_option = click.option("--project", type=click.Path(file_okay=False),
                              help="Project folder (default: found from the current folder).")


@click.group()
def guidelines() -> None:
    """The annotation manual: generated tables and the Label Studio config copy."""


@guidelines.command("build")
@project_option
def guidelines_build(project: str | None) -> None:
    """Rewrite the generated blocks of guidelines/guidelines.md and guidelines/labelstudio.xml."""
    layout = Layout.discover(project)
    for path, text in expected_files(layout.guidelines_dir, default_ontology(layout.schema_dir)).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            jsonio.write_text(path, text)
            click.echo(f"wrote {path}")
        else:
            click.echo(f"{path} is up to date")


@guidelines.command("check")
@project_option
def guidelines_check(project: str | None) -> None:
    """Exit 1 if a generated part of guidelines/ is out of date with the ontology."""
    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    stale = [str(p) for p, text in expected_files(layout.guidelines_dir, ont).items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    if stale:
        raise click.ClickException(f"out of date with the ontology: {', '.join(stale)}; run `counterclaim guidelines build`")
    documents = layout.corpus_dir / "documents.jsonl"
    if documents.exists():
        docs = {d["doc_id"]: d for _, d in jsonio.iter_jsonl(documents)}
        version = jsonio.read_json(layout.corpus_dir / "manifest.json")["version"]
        path = layout.guidelines_dir / GUIDELINES_FILE
        problems = check_examples(path.read_text(encoding="utf-8"), docs, ont, version, where=str(path))
        for line in problems:
            click.echo(line, err=True)
        if problems:
            raise click.ClickException(f"{len(problems)} example(s) do not validate against the corpus")
    click.echo("guidelines are up to date and every example validates")
