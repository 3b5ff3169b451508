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
from counterclaim.quality.authoring import compile_files


@click.group()
def author() -> None:
    """Write annotations by quoting the text (YAML) and compile them to annotated documents."""


@author.command("compile")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Folder for the <doc_id>.json files (default: beside each document's first YAML file).")
@project_option
def author_compile(files, out_dir, project) -> None:
    """Resolve the quotes in FILES against the corpus text and write validated annotated documents.

    A span is a quote that occurs once in the text, or {quote, nth} / {quote, after} to pick one
    occurrence. Each file holds one annotation; files of the same document (e.g. two annotators' passes and
    the adjudicated gold) compile into one annotated document with one annotation each, ordered by
    annotation id — their ids must differ. Nothing is written unless every compiled document validates;
    then all are written together.

    \b
    Examples:
      counterclaim author compile corpus/gold/17a8eb7dc5290d52.yaml --out corpus/annotations
      counterclaim author compile corpus/gold/*.yaml --out corpus/annotations
      counterclaim author compile corpus/gold/X.yaml corpus/gold/second/X.yaml --out corpus/annotations
    """
    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    written = []
    with transaction(layout.state_dir, "author compile", on_wait=waiting) as tx:
        corpus = BuiltCorpus.open(layout.corpus_dir)
        try:
            compiled = compile_files(files, ont, corpus)
        except ValidationFailed as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            bad = sorted({p.file for p in exc.problems})
            raise click.ClickException(f"{len(exc.problems)} validation error(s) in {', '.join(bad)}; nothing written")
        for paths, doc in compiled:
            target = (Path(out_dir) if out_dir else paths[0].parent) / f"{doc['doc_id']}.json"
            tx.write_bytes(target, jsonio.dump_bytes(doc, indent=2))
            written.append(target)
    for target in written:
        click.echo(f"wrote {target}")


@author.command("draft")
@click.argument("doc_ids", nargs=-1, required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the <doc_id>.yaml drafts (default: corpus/gold).")
@click.option("--annotator", default="maintainers", show_default=True, help="The annotator the draft is for.")
@click.option("--force", is_flag=True, help="Overwrite an existing YAML file.")
@project_option
def author_draft(doc_ids, out_dir, annotator, force, project) -> None:
    """Write the pre-annotation engine's proposal for DOC_IDs as quote-based authoring YAML, to correct.

    Gold annotations start from the machine's proposal: correct the draft against the guidelines, then
    compile it with `counterclaim author compile`. The draft's header says it is a machine draft; keep the
    file's history (git) so the corrections can be measured against the proposal.

    \b
    Examples:
      counterclaim author draft fakes-123 fakes-456
      counterclaim author draft fakes-123 --out /tmp/drafts --annotator second-pass
    """
    from counterclaim.preannotate import ENGINE_VERSION, propose
    from counterclaim.quality.decompile import dump_authoring, to_authoring

    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    corpus = BuiltCorpus.open(layout.corpus_dir)
    documents = corpus.by_id()
    unknown = [d for d in doc_ids if d not in documents]
    if unknown:
        raise click.ClickException(f"not in the corpus: {', '.join(unknown)}; check the ids")
    folder = Path(out_dir) if out_dir else layout.gold_dir
    for doc_id in doc_ids:
        target = folder / f"{doc_id}.yaml"
        if target.exists() and not force:
            raise click.ClickException(f"{target} exists; correct it, or pass --force to replace it with a new draft")
        doc = documents[doc_id]
        proposal = propose(doc["text"], ont, corpus_version=corpus.version)
        header = {"id": "gold", "annotator": annotator, "ground_truth": True, "guidelines_version": None,
                  "corpus_version": corpus.version}
        mapping = to_authoring(doc_id, doc["text"], proposal.annotation, header=header)
        comment = (f"Draft of {doc_id} from the pre-annotation engine {ENGINE_VERSION}: correct every layer against "
                   f"guidelines/guidelines.md,\nset guidelines_version, then `counterclaim author compile` it.")
        jsonio.write_text(target, dump_authoring(mapping, comment=comment))
        click.echo(f"wrote {target}")
