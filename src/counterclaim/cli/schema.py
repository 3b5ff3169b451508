"""``counterclaim schema``: generate and check the files derived from schema/ontology.yaml."""

from __future__ import annotations

import click

from counterclaim.cli.options import project_option

from counterclaim.io import jsonio
from counterclaim.model.ontology import default_ontology
from counterclaim.io.layout import Layout
from counterclaim.model.schema import SCHEMA_FILE, build_schema


@click.group()
def schema() -> None:
    """Generate or check the JSON Schema derived from schema/ontology.yaml."""


def _generated_text(layout: Layout) -> str:
    return jsonio.dumps(build_schema(default_ontology(layout.schema_dir)), indent=2) + "\n"


@schema.command("build")
@project_option
def schema_build(project: str | None) -> None:
    """Write schema/annotated-document.schema.json from the ontology.

    \b
    Example:
      counterclaim schema build      # after editing schema/ontology.yaml
    """
    layout = Layout.discover(project)
    target = layout.schema_dir / SCHEMA_FILE
    jsonio.write_text(target, _generated_text(layout))
    click.echo(f"wrote {target}")


@schema.command("check")
@project_option
def schema_check(project: str | None) -> None:
    """Exit 1 if the committed JSON Schema differs from what the ontology generates.

    \b
    Example:
      counterclaim schema check
    """
    layout = Layout.discover(project)
    target = layout.schema_dir / SCHEMA_FILE
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if current != _generated_text(layout):
        raise click.ClickException(f"{target} is out of date with ontology.yaml; run `counterclaim schema build`")
    click.echo(f"{target} is up to date")


@schema.command("migrate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@project_option
def schema_migrate(paths, project: str | None) -> None:
    """Bring annotated documents (files or folders) to the ontology's current schema version.

    Each document is migrated step by step (see counterclaim.model.migrations), validated, and written
    only if it validates; documents already at the current version are left as they are.

    \b
    Example:
      counterclaim schema migrate corpus/annotations
    """
    from counterclaim.model.migrations import migrate
    from counterclaim.validation import document_problems, iter_annotation_files

    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    changed = problems = 0
    for path in iter_annotation_files(paths):
        if path.suffix != ".json":
            click.echo(f"{path}: skipped (migrate .json annotated documents; rewrite JSONL files with their tool)")
            continue
        doc = jsonio.read_json(path)
        new = migrate(doc, ont.version)
        if new is doc:
            continue
        found = document_problems(new, ont)
        if found:
            problems += len(found)
            for ptr, msg in found:
                click.echo(f"{path}: {ptr}: {msg}", err=True)
            continue
        jsonio.write_json(path, new)
        changed += 1
        click.echo(f"migrated {path} to schema {ont.version}")
    if problems:
        raise click.ClickException(f"{problems} problem(s) after migration; those files were not written")
    click.echo(f"{changed} document(s) migrated")
