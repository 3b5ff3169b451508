"""``counterclaim export``: build the Hugging Face dataset folder."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from counterclaim import jsonio
from counterclaim.cli import lean_pyarrow
from counterclaim.errors import ValidationFailed
from counterclaim.ontology import default_ontology
from counterclaim.paths import Layout


@click.command("export")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Dataset folder (default: export/).")
@click.option("--no-validate", is_flag=True, help="Skip validating the annotated documents (faster; `release` always validates).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--project", type=click.Path(file_okay=False), help="Project folder (default: found from the current folder).")
def export(out_dir, no_validate, as_json, quiet, project) -> None:
    """Build export/: parquet files per config and split, and the dataset card (README.md).

    Reads corpus/documents.jsonl and corpus/annotations/. Configs: documents (default), ner, events,
    claims, annotations. Splits are assigned per document by a salted hash, so no document leaks across
    splits and adding documents moves none. The same inputs give byte-identical files. Then:

    \b
      python -c "import datasets; print(datasets.load_dataset('export', 'claims'))"
    """
    lean_pyarrow()
    from counterclaim.hf.export import export_dataset

    layout = Layout.discover(project)
    ont = default_ontology(layout.schema_dir)
    with tqdm(desc="exporting", unit="doc", disable=quiet or as_json or None, file=sys.stderr, leave=False) as bar:
        try:
            report = export_dataset(layout, ont, out_dir=Path(out_dir) if out_dir else None,
                                    validate=not no_validate, progress=bar.update)
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
    for line in report.no_gold:
        click.echo(f"  no gold annotation: {line}")
