"""``counterclaim guidelines``: refresh or check the generated parts of guidelines/."""

from __future__ import annotations

import click

from counterclaim.cli.options import project_option, waiting

from counterclaim.corpus.store import BuiltCorpus
from counterclaim.quality.guidelines import GUIDELINES_FILE, check_examples, expected_files
from counterclaim.model.ontology import default_ontology
from counterclaim.io.layout import Layout
from counterclaim.io.transaction import transaction



@click.group()
def guidelines() -> None:
    """The annotation manual: generated tables and the Label Studio config copy."""


@guidelines.command("build")
@project_option
def guidelines_build(project: str | None) -> None:
    """Rewrite the generated blocks of guidelines/guidelines.md and guidelines/labelstudio.xml.

    \b
    Example:
      counterclaim guidelines build      # after editing schema/ontology.yaml
    """
    layout = Layout.discover(project)
    lines = []
    with transaction(layout.state_dir, "guidelines build", on_wait=waiting) as tx:  # both files, or neither
        for path, text in expected_files(layout.guidelines_dir, default_ontology(layout.schema_dir)).items():
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                tx.write_bytes(path, text.encode("utf-8"))
                lines.append(f"wrote {path}")
            else:
                lines.append(f"{path} is up to date")
    for line in lines:
        click.echo(line)


@guidelines.command("check")
@project_option
def guidelines_check(project: str | None) -> None:
    """Exit 1 if a generated part of guidelines/ is out of date with the ontology, or an example does not
    validate against the corpus.

    \b
    Example:
      counterclaim guidelines check
    """
    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    stale = [str(p) for p, text in expected_files(layout.guidelines_dir, ont).items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    if stale:
        raise click.ClickException(f"out of date with the ontology: {', '.join(stale)}; run `counterclaim guidelines build`")
    corpus = BuiltCorpus.open_if_built(layout.corpus_dir)
    if corpus is not None:
        docs, version = corpus.by_id(), corpus.version
        path = layout.guidelines_dir / GUIDELINES_FILE
        problems = check_examples(path.read_text(encoding="utf-8"), docs, ont, version, where=str(path))
        for line in problems:
            click.echo(line, err=True)
        if problems:
            raise click.ClickException(f"{len(problems)} example(s) do not validate against the corpus")
    click.echo("guidelines are up to date and every example validates")
