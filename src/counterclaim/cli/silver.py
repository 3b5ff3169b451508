"""``counterclaim silver build`` and ``counterclaim silver check``: the engine's annotation of every document,
stored apart from the gold, and whether it is current."""

from __future__ import annotations

import sys
import time

import click

from counterclaim.cli.options import json_option, progress_bar, project_option, quiet_option, shown
from counterclaim.errors import ValidationFailed
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.model.ontology import default_ontology

# The layers the summary line shows, with their names in the evaluation.
SHOWN_LAYERS = ("mention", "event", "quantity", "claim")


@click.group()
def silver() -> None:
    """Silver annotations: the rule-based engine's annotation of every corpus document, in corpus/silver/.

    They are machine-generated (origin `prediction`, annotator and tool `counterclaim-preannotate` with its
    version), kept apart from the gold in corpus/annotations/, and exported as their own configs
    (silver_documents, silver_claims, silver_quantities, silver_incidents), never mixed with gold rows.
    """


def _summary(scores: dict) -> str:
    group = scores.get("heldout")
    if not group:
        return "no held-out gold to score against"
    layers = {layer["name"]: layer for layer in group["layers"]}
    parts = [f"{name} {layers[name]['overlap']['f1']:.2f}" for name in SHOWN_LAYERS
             if name in layers and layers[name]["overlap"]["f1"] is not None]
    return f"held-out overlap F1 on {len(group['documents'])} gold documents: " + ", ".join(parts)


@silver.command("build")
@json_option
@quiet_option
@project_option
def build(as_json: bool, quiet: bool, project: str | None) -> None:
    """Run the pre-annotation engine over every corpus document; write corpus/silver/documents.jsonl and
    manifest.json.

    Each proposal is validated and written as an annotated document, one line per document, sorted by doc_id;
    the same corpus, ontology and engine give the same bytes. The manifest records the engine and its version,
    the inputs (corpus texts, ontology), the file's sha256 and the engine's scores against the gold documents it
    was not written on (the held-out seeds and the FA-KES gold). Both files change together or not at all.

    \b
    Examples:
      counterclaim silver build
      counterclaim silver build --json | jq '.scores.heldout.layers.claim.overlap'
      counterclaim silver build && counterclaim export
    """
    from counterclaim.silver.build import build_silver

    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    started = time.perf_counter()
    with progress_bar("annotating", "doc", quiet=quiet or as_json) as bar:
        try:
            report = build_silver(layout, ont, progress=bar)
        except ValidationFailed as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            raise click.ClickException(f"{len(exc.problems)} validation error(s); silver not written") from None
    seconds = time.perf_counter() - started
    if as_json:
        click.echo(jsonio.dumps({**report.to_dict(), "seconds": round(seconds, 1)}, indent=2))
        return
    state = f"wrote {', '.join(report.written)}" if report.written else "unchanged"
    objects = ", ".join(f"{n} {kind}" for kind, n in sorted(report.objects.items()))
    engine = report.manifest["engine"]
    click.echo(f"{shown(report.silver_dir)}: {state} — {report.document_count} documents ({objects}; "
               f"{report.documents_bytes / 1e6:.1f} MB) by {engine['name']} {engine['version']} in {seconds:.1f} s")
    click.echo(f"  {_summary(report.manifest['scores']['groups'])}")


@silver.command("check")
@json_option
@project_option
def check(as_json: bool, project: str | None) -> None:
    """Say whether corpus/silver/ is current: made by this engine version from these corpus texts and this
    ontology, its file the one its manifest describes, and its scores measured on the present gold.

    Exits with 1 when it is not, naming why; `counterclaim silver build` makes it current.

    \b
    Examples:
      counterclaim silver check
      counterclaim silver check --json | jq .reasons
    """
    from counterclaim.corpus.store import BuiltCorpus
    from counterclaim.preannotate import ENGINE_VERSION
    from counterclaim.silver import status

    layout = Layout.discover(project)
    found = status(layout, ENGINE_VERSION, BuiltCorpus.open(layout.corpus_dir).documents())
    if as_json:
        click.echo(jsonio.dumps(found.to_dict(), indent=2))
    elif found.current:
        manifest = found.manifest
        click.echo(f"{shown(layout.silver_dir)} is current: {manifest['document_count']} documents by engine "
                   f"{manifest['inputs']['engine_version']} (corpus {manifest['inputs']['corpus_version']})")
    else:
        click.echo(f"{shown(layout.silver_dir)} is not current: {'; '.join(found.reasons)}; "
                   "run `counterclaim silver build`", err=True)
    if not found.current:
        sys.exit(1)
