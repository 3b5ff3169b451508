"""``counterclaim corpus build`` and ``counterclaim corpus add``: thin wrappers over ``counterclaim.corpus``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterable

import click
from tqdm import tqdm

from counterclaim.cli.options import project_option

from counterclaim.io import jsonio
from counterclaim.corpus.add import AddReport, add_to_corpus
from counterclaim.corpus.build import BuildReport, build_corpus
from counterclaim.io.layout import Layout

# Inputs with more rows than this get a progress bar (on a terminal, without --quiet).
PROGRESS_THRESHOLD = 50


def _corpus_options(command):
    command = project_option(command)
    command = click.option(
        "--corpus",
        "corpus_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Corpus folder holding raw/ (default: the project's corpus/).",
    )(command)
    return command


def _resolve(corpus_dir: Path | None, project: str | None) -> Path:
    return corpus_dir if corpus_dir is not None else Layout.discover(project).corpus_dir


@click.group()
def corpus() -> None:
    """Build the document corpus and add sources to it.

    corpus/raw/ holds the sources; corpus/documents.jsonl, manifest.json and CHANGELOG.md are built from
    it. See docs/normalisation.md for how raw text becomes a document's text.
    """


def _build_summary(report: BuildReport) -> str:
    version = report.version
    if report.previous_version not in (None, report.version):
        version = f"{report.previous_version} -> {report.version}"
    changes = f"added {len(report.added)}, text changed {len(report.changed)}, removed {len(report.removed)}"
    state = "written" if report.written else "unchanged"
    return f"{report.name} {version}: {report.document_count} documents ({changes}); outputs {state}"


@corpus.command(short_help="Build documents.jsonl, manifest.json and CHANGELOG.md from raw/.")
@_corpus_options
@click.option(
    "--version",
    help="Release this corpus version (MAJOR.MINOR.PATCH, greater than the current one). Required when the "
    "text of an existing document changes or a document is removed.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of text.")
def build(corpus_dir: Path | None, project: str | None, version: str | None, as_json: bool) -> None:
    """Build documents.jsonl, manifest.json and CHANGELOG.md from the corpus's raw/ folder.

    The output depends only on raw/ and the previous manifest: building twice gives the same bytes.
    Added documents keep the version; a changed text or a removed document stops the build unless
    --version names a new one (annotations index the old text).

    \b
    Examples:
      counterclaim corpus build
      counterclaim corpus build --version 0.2.0
      counterclaim corpus build --corpus /tmp/scratch --json
    """
    report = build_corpus(_resolve(corpus_dir, project), version=version)
    if as_json:
        click.echo(jsonio.dumps(report.to_dict(), indent=2))
    else:
        click.echo(_build_summary(report))


def _progress_factory(quiet: bool):
    def progress(items: Iterable[Any], total: int | None) -> Iterable[Any]:
        disable = quiet or (total is not None and total <= PROGRESS_THRESHOLD) or not sys.stderr.isatty()
        return tqdm(items, total=total, unit="row", file=sys.stderr, disable=disable, leave=False)

    return progress


def _add_summary(report: AddReport) -> list[str]:
    name = Path(report.input).name
    summary = f"{name}: ingested {len(report.ingested)}"
    if report.merged:
        summary += f", merged into other rows' documents {len(report.merged)}"
    summary += f", skipped {len(report.problems)}"
    if report.already_present:
        summary += f", already present {report.already_present}"
    lines = [summary]
    rows = sorted(report.problems + report.merged, key=lambda p: (p.row is None, p.row or 0))
    lines.extend(str(problem) for problem in rows)
    if report.already_present and not report.ingested:
        lines.append(f"Nothing new: the usable rows of {name} are already in the corpus.")
    elif not report.ok:
        lines.append(f"Nothing ingested: no usable row in {name}.")
    if report.build is not None:
        lines.append(_build_summary(report.build))
    return lines


@corpus.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@_corpus_options
@click.option(
    "--reliability-map",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="FakeNewsCorpus websites.csv (columns url, type): fills a row's reliability from its domain when the "
    "row has none.",
)
@click.option("--name", help="Name of the corpus when --corpus creates a new one (default: counterclaim).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of text.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def add(
    path: Path,
    corpus_dir: Path | None,
    project: str | None,
    reliability_map: Path | None,
    name: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Add the articles in PATH to the corpus, then rebuild it.

    PATH is a folder of .txt files (one article each, title on the first line), a .jsonl file (fields id,
    title, text, optional url, domain, published, reliability) or a .csv file, whose header tells its
    layout: FakeNewsCorpus or FA-KES (unit_id, article_title, article_content, source, date, location,
    labels; documents get the id fakes-<unit_id>). Every row is ingested or listed as
    "FILE: row N (id X): reason" (empty content, missing title, duplicate id, duplicate content, undecodable
    bytes, invalid id, unreadable date or label; FA-KES rows that repeat an article are merged into its
    document and listed too). Nothing is written unless every row was checked. Exits 0 when a row was
    ingested or all usable rows were already present, 1 when none is usable.

    \b
    Examples:
      counterclaim corpus add new-articles/
      counterclaim corpus add export.jsonl --json
      counterclaim corpus add ../shared/realdata/news/fa-kes.csv
      counterclaim corpus add news.csv --corpus /tmp/scratch --name scratch \\
          --reliability-map websites.csv
    """
    report = add_to_corpus(
        path,
        _resolve(corpus_dir, project),
        reliability_map=reliability_map,
        name=name,
        progress=_progress_factory(quiet),
    )
    if as_json:
        click.echo(jsonio.dumps(report.to_dict(), indent=2))
    else:
        for line in _add_summary(report):
            click.echo(line)
    sys.exit(0 if report.ok else 1)
