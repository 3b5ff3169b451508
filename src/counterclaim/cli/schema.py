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
