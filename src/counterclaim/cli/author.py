"""``counterclaim author``: turn quote-based authoring files into annotated documents."""

from __future__ import annotations

from pathlib import Path

import click

from counterclaim.cli.options import project_option, waiting
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import ValidationFailed
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.io.transaction import transaction
from counterclaim.model.ontology import default_ontology
from counterclaim.quality.authoring import compile_file


@click.group()
def author() -> None:
    """Write annotations by quoting the text (YAML) and compile them to annotated documents."""


@author.command("compile")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Folder for the <doc_id>.json files (default: beside each YAML file).")
@project_option
def author_compile(files, out_dir, project) -> None:
    """Resolve the quotes in FILES against the corpus text and write validated annotated documents.

    A span is a quote that occurs once in the text, or {quote, nth} / {quote, after} to pick one
    occurrence. Nothing is written unless every compiled document validates; then all are written together.

    \b
    Examples:
      counterclaim author compile corpus/gold/17a8eb7dc5290d52.yaml --out corpus/annotations
      counterclaim author compile corpus/gold/*.yaml --out corpus/annotations
    """
    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    written = []
    with transaction(layout.state_dir, "author compile", on_wait=waiting) as tx:
        corpus = BuiltCorpus.open(layout.corpus_dir)
        for name in files:
            path = Path(name)
            try:
                compiled = compile_file(path, ont, corpus)
            except ValidationFailed as exc:
                for p in exc.problems:
                    click.echo(str(p), err=True)
                raise click.ClickException(f"{path}: {len(exc.problems)} validation error(s); nothing written")
            target = (Path(out_dir) if out_dir else path.parent) / f"{compiled['doc_id']}.json"
            tx.write_bytes(target, jsonio.dump_bytes(compiled, indent=2))
            written.append(target)
    for target in written:
        click.echo(f"wrote {target}")
