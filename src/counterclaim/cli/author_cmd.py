"""``counterclaim author``: turn quote-based authoring files into annotated documents."""

from __future__ import annotations

from pathlib import Path

import click

from counterclaim import jsonio
from counterclaim.authoring import compile_document, load_authoring
from counterclaim.errors import CorpusError, ValidationFailed
from counterclaim.ontology import default_ontology
from counterclaim.paths import Layout
from counterclaim.validate import Problem, document_problems


def load_documents(corpus_dir: Path) -> tuple[dict[str, dict], str]:
    """Corpus documents by id, and the corpus version."""
    documents = corpus_dir / "documents.jsonl"
    manifest = corpus_dir / "manifest.json"
    if not documents.exists() or not manifest.exists():
        raise CorpusError(f"{corpus_dir}: no built corpus (documents.jsonl, manifest.json); run `counterclaim corpus build`")
    docs = {doc["doc_id"]: doc for _, doc in jsonio.iter_jsonl(documents)}
    return docs, jsonio.read_json(manifest)["version"]


def compile_file(path: Path, layout: Layout, corpus_dir: Path) -> dict:
    """Compile one authoring file and validate the result; raise with every problem if invalid."""
    ont = default_ontology(layout.schema_dir)
    docs, corpus_version = load_documents(corpus_dir)
    raw = load_authoring(path)
    if raw["doc_id"] not in docs:
        raise CorpusError(f"{path}: document `{raw['doc_id']}` is not in {corpus_dir}; check the id or add the document")
    compiled = compile_document(raw, docs[raw["doc_id"]], schema_version=ont.version,
                                corpus_version=corpus_version, where=str(path))
    index = {d: doc["text_sha256"] for d, doc in docs.items()}
    problems = [Problem(str(path), ptr, msg) for ptr, msg in document_problems(compiled, ont, index)]
    if problems:
        raise ValidationFailed(problems)
    return compiled


@click.group()
def author() -> None:
    """Write annotations by quoting the text (YAML) and compile them to annotated documents."""


@author.command("compile")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Folder for the <doc_id>.json files (default: beside each YAML file).")
@click.option("--project", type=click.Path(file_okay=False), help="Project folder (default: found from the current folder).")
def author_compile(files, out_dir, project) -> None:
    """Resolve the quotes in FILES against the corpus text and write validated annotated documents.

    A span is a quote that occurs once in the text, or {quote, nth} / {quote, after} to pick one
    occurrence. Nothing is written unless the compiled document validates.
    """
    layout = Layout.discover(project)
    for name in files:
        path = Path(name)
        try:
            compiled = compile_file(path, layout, layout.corpus_dir)
        except ValidationFailed as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            raise click.ClickException(f"{path}: {len(exc.problems)} validation error(s); nothing written")
        target = (Path(out_dir) if out_dir else path.parent) / f"{compiled['doc_id']}.json"
        jsonio.write_json(target, compiled)
        click.echo(f"wrote {target}")
