"""``counterclaim export``: build the Hugging Face dataset folder."""

from __future__ import annotations

from pathlib import Path

import click

from counterclaim.cli.options import ByteSize, json_option, progress_bar, project_option, quiet_option
from counterclaim.errors import ValidationFailed
from counterclaim.io import jsonio
from counterclaim.model.ontology import default_ontology
from counterclaim.io.layout import Layout


@click.command("export")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Dataset folder (default: export/).")
@click.option("--no-validate", is_flag=True, help="Skip validating the annotated documents (faster; `release` always validates).")
@click.option("--max-shard-size", type=ByteSize(), default="500MB", show_default=True,
              help="Cut a split's parquet into shards of at most this size (e.g. 500MB, 1GiB), as `datasets` does.")
@json_option
@quiet_option
@project_option
def export(out_dir, no_validate, max_shard_size, as_json, quiet, project) -> None:
    """Build export/: parquet files per config and split, and the dataset card (README.md).

    Reads corpus/documents.jsonl and corpus/annotations/. Configs: documents (default), ner, events,
    claims, annotations, incidents (the claims about one event reported by several documents, side by
    side), ner_sentences, quantities, bigbio_kb — all gold; and, when corpus/silver/ holds the engine's
    annotations (`counterclaim silver build`), silver_documents, silver_claims, silver_quantities and
    silver_incidents, machine-generated and never mixed with the gold ones. The card shows
    baselines/results.json (`counterclaim baselines run`) when present. Splits are assigned per document by a
    salted hash, so no document leaks across splits and adding documents moves none. The same inputs give
    byte-identical files. A split larger than --max-shard-size is cut into
    <config>/<split>-00000-of-0000N-<digest>.parquet shards.

    \b
    Examples:
      counterclaim export
      counterclaim export --out /tmp/dataset --json
      counterclaim export --max-shard-size 1GiB
      python -c "import datasets; print(datasets.load_dataset('export', 'claims'))"
    """
    from counterclaim.hf.export import export_dataset

    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    with progress_bar("exporting", "doc", quiet=quiet or as_json) as bar:
        try:
            report = export_dataset(layout, ont, out_dir=Path(out_dir) if out_dir else None,
                                    validate=not no_validate, progress=bar, max_shard_size=max_shard_size)
        except ValidationFailed as exc:
            for p in exc.problems:
                click.echo(str(p), err=True)
            raise click.ClickException(f"{len(exc.problems)} validation error(s); export not written "
                                       "(fix them, see `counterclaim validate corpus/annotations`)")
    if as_json:
        click.echo(jsonio.dumps(report.to_dict(), indent=2))
        return
    click.echo(f"wrote {report.out_dir}: {report.documents} documents; " + ", ".join(
        f"{config} {sum(counts.values())}" for config, counts in report.rows.items()) + " rows")
    bare = [line for line in report.no_gold if line.endswith(": not annotated")]
    for line in report.no_gold:
        if line not in bare:
            click.echo(f"  no gold annotation: {line}")
    if bare:
        click.echo(f"  not annotated yet: {len(bare)} document(s)")
