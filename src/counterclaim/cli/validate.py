"""``counterclaim validate``: check annotated documents and report every error at once."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from counterclaim.cli.options import project_option

from counterclaim.io import jsonio
from counterclaim.model.ontology import default_ontology
from counterclaim.io.layout import Layout
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.validation import validate_files


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False),
              help="Corpus folder whose documents.jsonl the texts must match (default: the project's corpus/).")
@click.option("--no-corpus", is_flag=True, help="Skip the check against the corpus texts.")
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of text.")
def validate(files, corpus_dir, no_corpus, project, as_json) -> None:
    """Validate annotated documents (FILES: .json, .jsonl or folders of them).

    Checks the JSON Schema generated from the ontology and the rules it cannot express (span text equals
    text[start:end], ids unique and resolvable, roles allowed for their event type, the text matches the
    corpus). Every error is listed as FILE: JSON-POINTER: message. Exits 1 on any error, 0 when all are valid.

    \b
    Examples:
      counterclaim validate corpus/annotations/
      counterclaim validate --json doc.json | jq '.errors[].pointer'
    """
    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    index = None
    if not no_corpus:
        if corpus_dir is not None:
            index = BuiltCorpus.open(corpus_dir).index()
        elif (built := BuiltCorpus.open_if_built(layout.corpus_dir)) is not None:
            index = built.index()
    count, problems = validate_files(files, ont, index)
    if as_json:
        click.echo(jsonio.dumps({"documents": count, "valid": not problems,
                                 "errors": [p.to_dict() for p in problems]}, indent=2))
    else:
        for p in problems:
            click.echo(str(p))
        if problems:
            click.echo(f"{len(problems)} error(s) in {count} document(s)", err=True)
        else:
            click.echo(f"{count} document(s) valid")
    sys.exit(1 if problems else 0)
