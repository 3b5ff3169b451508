"""``counterclaim schema``: generate and check the files derived from schema/ontology.yaml."""

from __future__ import annotations

import click

from counterclaim import jsonio
from counterclaim.ontology import default_ontology
from counterclaim.paths import Layout
from counterclaim.schema_gen import SCHEMA_FILE, build_schema


@click.group()
def schema() -> None:
    """Generate or check the JSON Schema derived from schema/ontology.yaml."""


def _generated_text(layout: Layout) -> str:
    return jsonio.dumps(build_schema(default_ontology(layout.schema_dir)), indent=2) + "\n"


@schema.command("build")
@click.option("--project", type=click.Path(file_okay=False), help="Project folder (default: found from the current folder).")
def schema_build(project: str | None) -> None:
    """Write schema/annotated-document.schema.json from the ontology."""
    layout = Layout.discover(project)
    target = layout.schema_dir / SCHEMA_FILE
    jsonio.write_text(target, _generated_text(layout))
    click.echo(f"wrote {target}")


@schema.command("check")
@click.option("--project", type=click.Path(file_okay=False), help="Project folder (default: found from the current folder).")
def schema_check(project: str | None) -> None:
    """Exit 1 if the committed JSON Schema differs from what the ontology generates."""
    layout = Layout.discover(project)
    target = layout.schema_dir / SCHEMA_FILE
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    if current != _generated_text(layout):
        raise click.ClickException(f"{target} is out of date with ontology.yaml; run `counterclaim schema build`")
    click.echo(f"{target} is up to date")
