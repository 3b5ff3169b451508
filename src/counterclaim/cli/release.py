"""``counterclaim release VERSION``: cut a versioned release of corpus and dataset."""

from __future__ import annotations

import click

from counterclaim.cli.options import json_option, project_option, raw_from_option

from counterclaim.io import jsonio
from counterclaim.errors import ValidationFailed
from counterclaim.model.ontology import default_ontology
from counterclaim.io.layout import Layout
from counterclaim.release import release as do_release


@click.command()
@click.argument("version")
@raw_from_option
@json_option
@project_option
def release(version, raw_from, as_json, project) -> None:
    """Release VERSION (semver): bump the corpus manifest and the card, rebuild export/, log the changes.

    Refuses when VERSION is not above the current version, when an annotated document does not validate,
    when export/ is stale (run `counterclaim export` and look at it first), when corpus/silver/ was built by
    another engine version or for other texts or another ontology (run `counterclaim silver build`), or when
    the changes since the previous release need a bigger step: a changed closed label set is a major release; documents or
    schema changes a minor one; annotation changes a patch. The changes go to corpus/CHANGELOG.md and a
    snapshot to corpus/releases/VERSION.json.

    \b
    Examples:
      counterclaim export && counterclaim release 0.2.0
      counterclaim release 1.0.0 --json
      counterclaim release 0.3.0 --raw-from ~/data/news
    """
    layout = Layout.discover(project)
    try:
        report = do_release(layout, default_ontology(layout.schema_dir), version, raw_from=raw_from)
    except ValidationFailed as exc:
        for p in exc.problems:
            click.echo(str(p), err=True)
        raise click.ClickException(f"{len(exc.problems)} validation error(s); nothing released")
    if as_json:
        click.echo(jsonio.dumps({"version": report.version, "previous": report.previous,
                                 "documents": report.changes.documents, "annotations": report.changes.annotations,
                                 "breaking_sets": report.changes.breaking_sets,
                                 "extended_sets": report.changes.extended_sets, "notes": report.notes}, indent=2))
        return
    click.echo(f"released {report.version} (previous release: {report.previous or 'none'})")
    for line in report.notes:
        click.echo(f"  {line}" if line else "")
