"""``counterclaim guidelines``: refresh or check the generated parts of guidelines/."""

from __future__ import annotations

import click

from counterclaim import jsonio
from counterclaim.guidelines import expected_files
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
    stale = [str(p) for p, text in expected_files(layout.guidelines_dir, default_ontology(layout.schema_dir)).items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    if stale:
        raise click.ClickException(f"out of date with the ontology: {', '.join(stale)}; run `counterclaim guidelines build`")
    click.echo("guidelines are up to date")
