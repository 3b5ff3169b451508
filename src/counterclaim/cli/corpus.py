"""``counterclaim corpus build`` and ``counterclaim corpus add``: thin wrappers over ``counterclaim.corpus``."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable

import click
from tqdm import tqdm

from counterclaim.cli.options import ByteSize, project_option, raw_from_option

from counterclaim.io import jsonio
from counterclaim.corpus.add import AddReport, add_to_corpus
from counterclaim.corpus.build import BuildReport, build_corpus
from counterclaim.corpus.check import check_corpus
from counterclaim.corpus.limits import DEFAULT_LIMITS
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

    corpus/raw/ holds the sources (inputs over 50 MiB are referenced there by sha256, not copied: builds
    read them from --raw-from folders); corpus/documents.jsonl, manifest.json and CHANGELOG.md are built
    from it. See docs/normalisation.md for how raw text becomes a document's text.
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
@raw_from_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of text.")
def build(corpus_dir: Path | None, project: str | None, version: str | None, raw_from: tuple[Path, ...],
          as_json: bool) -> None:
    """Build documents.jsonl, manifest.json and CHANGELOG.md from the corpus's raw/ folder.

    The output depends only on raw/ (with the inputs it refers to) and the previous build: building twice
    gives the same bytes. Added documents keep the version; a changed text or a removed document stops the
    build unless --version names a new one (annotations index the old text). Beyond 5,000 documents the
    manifest keeps a digest per shard of ids, and beyond 1,000 ids a changelog section is summarised, its ids
    listed in corpus/changes/.

    \b
    Examples:
      counterclaim corpus build
      counterclaim corpus build --version 0.2.0
      counterclaim corpus build --corpus /tmp/scratch --json
      counterclaim corpus build --raw-from ~/data/news
    """
    report = build_corpus(_resolve(corpus_dir, project), version=version, raw_from=raw_from)
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
@raw_from_option
@click.option("--copy-limit", type=ByteSize(), default=DEFAULT_LIMITS.raw_copy_bytes,
              help="A .jsonl or .csv input larger than this is referenced in raw/ by sha256 instead of copied "
              "(e.g. 50MiB, the default; 0 references every such input).")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of text.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def add(
    path: Path,
    corpus_dir: Path | None,
    project: str | None,
    reliability_map: Path | None,
    name: str | None,
    raw_from: tuple[Path, ...],
    copy_limit: int,
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

    A .jsonl or .csv file over --copy-limit (50 MiB) is not copied into raw/: raw/<name>.input.json records
    its name, size, sha256 and skipped rows, and later builds read it from a --raw-from folder.

    \b
    Examples:
      counterclaim corpus add new-articles/
      counterclaim corpus add export.jsonl --json
      counterclaim corpus add ../shared/realdata/news/fa-kes.csv
      counterclaim corpus add news.csv --corpus /tmp/scratch --name scratch \\
          --reliability-map websites.csv
      counterclaim corpus add more.jsonl --raw-from ~/data/news
    """
    report = add_to_corpus(
        path,
        _resolve(corpus_dir, project),
        reliability_map=reliability_map,
        name=name,
        progress=_progress_factory(quiet),
        raw_from=raw_from,
        limits=replace(DEFAULT_LIMITS, raw_copy_bytes=copy_limit),
    )
    if as_json:
        click.echo(jsonio.dumps(report.to_dict(), indent=2))
    else:
        for line in _add_summary(report):
            click.echo(line)
    sys.exit(0 if report.ok else 1)


@corpus.command(short_help="Check documents.jsonl against manifest.json and raw/.")
@_corpus_options
@raw_from_option
@click.option("--no-rebuild", is_flag=True, help="Only check documents.jsonl against manifest.json, not raw/.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON report instead of text.")
def check(corpus_dir: Path | None, project: str | None, raw_from: tuple[Path, ...], no_rebuild: bool,
          as_json: bool) -> None:
    """Check that documents.jsonl is what manifest.json records and what raw/ builds.

    Names every document whose text no longer has its hash, every document or shard of ids whose hashes
    differ from the manifest's, and every document that differs from, or is missing in, what raw/ builds.
    Writes nothing. Exits 1 when a problem is found.

    \b
    Examples:
      counterclaim corpus check
      counterclaim corpus check --no-rebuild --json
      counterclaim corpus check --raw-from ~/data/news
    """
    report = check_corpus(_resolve(corpus_dir, project), raw_from=raw_from, rebuild=not no_rebuild)
    if as_json:
        click.echo(jsonio.dumps(report.to_dict(), indent=2))
    else:
        for problem in report.problems:
            click.echo(problem)
        against = "manifest.json" + (" and raw/" if report.rebuilt else "")
        verdict = "as recorded" if report.ok else f"{len(report.problems)} problem(s)"
        click.echo(f"{report.documents} documents checked against {against}: {verdict}")
    sys.exit(0 if report.ok else 1)
