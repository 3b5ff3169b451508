"""``counterclaim preannotate``: rule-based proposals for corpus documents, or their evaluation against gold."""

from __future__ import annotations

import click

from counterclaim.cli.options import project_option
from counterclaim.corpus.store import BuiltCorpus
from counterclaim.errors import CounterclaimError
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.model.ontology import Ontology, default_ontology
from counterclaim.preannotate import SPLITS, evaluate, format_evaluation, propose, split_ids
from counterclaim.validation import read_documents


def _gold(layout: Layout, doc_ids: tuple[str, ...], ont: Ontology) -> list[dict]:
    """The gold annotated documents of ``doc_ids``, validated."""
    paths = [layout.annotation_path(doc_id) for doc_id in doc_ids]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise click.ClickException(
            f"no gold annotation for {', '.join(missing)} in {layout.annotations_dir}; evaluate documents that "
            "have one (the seeds: --split dev, heldout or all)"
        )
    valid, _, problems = read_documents(paths, ont)
    if problems:
        raise click.ClickException(f"{len(problems)} validation error(s) in the gold annotations; fix them "
                                   "(`counterclaim validate` checks a file):\n" + "\n".join(map(str, problems)))
    return [doc for _, _, doc in valid]


@click.command()
@click.argument("doc_ids", nargs=-1)
@click.option("--evaluate", "do_evaluate", is_flag=True,
              help="Score the proposals against the gold annotations in corpus/annotations/ instead of printing them.")
@click.option("--json", "as_json", is_flag=True, help="With --evaluate: print the scores as JSON instead of tables.")
@click.option("--split", type=click.Choice(list(SPLITS)), default=None,
              help="The seed documents to use when no DOC_ID is given: dev (rules were tuned on these), heldout "
                   "(never looked at) or all (default; --evaluate scores dev and heldout separately).")
@project_option
def preannotate(doc_ids: tuple[str, ...], do_evaluate: bool, as_json: bool, split: str | None,
                project: str | None) -> None:
    """Propose mentions, events, quantities, claims and links for corpus documents (DOC_IDs; default: the
    seed documents of --split), printed as JSON with the rule and confidence behind every part.

    With --evaluate, score the proposals against the gold annotations instead: precision, recall and F1 per
    layer and per link, attribute accuracy and each rule's precision. Scores on the held-out seeds are the
    honest estimate; the rules were written on the dev seeds.

    \b
    Examples:
      counterclaim preannotate 17a8eb7dc5290d52 | jq '.[0].annotation.claims | length'
      counterclaim preannotate --evaluate
      counterclaim preannotate --evaluate --split heldout --json | jq '.heldout.layers'
    """
    if doc_ids and split is not None:
        raise click.UsageError("give DOC_IDs or --split, not both")
    if as_json and not do_evaluate:
        raise click.UsageError("--json goes with --evaluate (proposals are always printed as JSON)")
    if doc_ids:
        groups = {"documents": doc_ids}
    elif do_evaluate and split in (None, "all"):
        groups = {"dev": split_ids("dev"), "heldout": split_ids("heldout")}
    else:
        groups = {split or "all": split_ids(split or "all")}
    try:
        _run(Layout.discover(project), groups, do_evaluate, as_json)
    except CounterclaimError as exc:
        raise click.ClickException(str(exc)) from None


def _run(layout: Layout, groups: dict[str, tuple[str, ...]], do_evaluate: bool, as_json: bool) -> None:
    ont = default_ontology(layout.schema_dir)
    corpus = BuiltCorpus.open(layout.corpus_dir)
    documents, corpus_version = corpus.by_id(), corpus.version
    unknown = [d for ids in groups.values() for d in ids if d not in documents]
    if unknown:
        raise click.ClickException(f"not in the corpus: {', '.join(unknown)}; check the ids in "
                                   f"{corpus.documents_path}")
    proposals = {d: propose(documents[d]["text"], ont, corpus_version=corpus_version)
                 for ids in groups.values() for d in ids}
    if not do_evaluate:
        click.echo(jsonio.dumps([{"doc_id": d, **proposals[d].to_dict()} for d in proposals], indent=2))
        return
    results = {name: evaluate(_gold(layout, ids, ont), proposals, ontology=ont) for name, ids in groups.items()}
    if as_json:
        click.echo(jsonio.dumps({name: r.to_dict() for name, r in results.items()}, indent=2))
    else:
        click.echo("\n\n".join(format_evaluation(r, name) for name, r in results.items()))
