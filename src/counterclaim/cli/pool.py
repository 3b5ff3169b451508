"""``counterclaim pool ingest|select|clusters|info``: thin wrappers over ``counterclaim.pool``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from counterclaim.cli.options import json_option, project_option, quiet_option, progress_bar, shown
from counterclaim.corpus.readers import READERS
from counterclaim.io import jsonio
from counterclaim.io.layout import Layout
from counterclaim.pool import engines
from counterclaim.pool.query import DATE_COLUMNS, STRATA, Query


def _pool_dir(pool_dir: Path | None, project: str | None) -> Path:
    return pool_dir if pool_dir is not None else Layout.discover(project).pool_dir


def _engine_options(engine: str, memory_limit: str | None, workers: int | None, master: str | None):
    if engine == "spark":
        return engines.options(engine, master=master)
    return engines.options(engine, memory_limit=memory_limit, workers=workers)


def pool_options(command):
    """--pool, --project, --engine and the engines' settings, shared by every pool command."""
    for option in reversed([
        click.option("--pool", "pool_dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Pool folder (default: pool/ in the project)."),
        project_option,
        click.option("--engine", type=click.Choice(sorted(engines.ENGINES)), default=engines.DEFAULT,
                     show_default=True, help="duckdb: this machine, bounded memory; spark: a Spark cluster "
                                             "(needs the [spark] extra and Java 17+)."),
        click.option("--memory-limit", help="DuckDB's memory limit, e.g. 512MB (default 512MB); the normalising "
                                            "workers and buffers add about 300 MB."),
        click.option("--workers", type=click.IntRange(min=0),
                     help="DuckDB engine: normalising processes (default: one per core; 0: none)."),
        click.option("--master", help="Spark master URL (default local[*], e.g. spark://host:7077)."),
    ]):
        command = option(command)
    return command


def filter_options(command):
    """The filters of a selection."""
    for option in reversed([
        click.option("--domain", "domains", multiple=True, help="Keep this domain (repeatable; case and a "
                                                                "leading www. are ignored)."),
        click.option("--reliability", "reliabilities", multiple=True,
                     help="Keep this reliability label (repeatable), e.g. reliable, fake, bias."),
        click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Dated on or after this day (YYYY-MM-DD)."),
        click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Dated on or before this day."),
        click.option("--dates", type=click.Choice(sorted(DATE_COLUMNS)), default="published", show_default=True,
                     help="Which date --since/--until test: the publication date, or when the page was fetched."),
        click.option("--keyword", "keywords", multiple=True,
                     help="Text contains this word or phrase, ignoring case (repeatable: any of them)."),
        click.option("--all-keywords", is_flag=True, help="Every --keyword must occur, not just one."),
    ]):
        command = option(command)
    return command


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


@click.group()
def pool() -> None:
    """A pool of raw articles, millions of them, to choose from before annotating.

    Articles are normalised and identified as in the corpus, deduplicated, and stored as parquet in
    pool/ (git-ignored). Select by domain, reliability, date, keywords and near-duplicate cluster, sample,
    and add the chosen documents to the corpus with `counterclaim corpus add`.
    """


@pool.command("ingest")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "kind", type=click.Choice(sorted(READERS)),
              help="Input format (default: from the path, as `corpus add` chooses it).")
@click.option("--buckets", type=click.IntRange(1, 4096), help="Partitions of a new pool (default 16).")
@pool_options
@json_option
@quiet_option
def ingest_command(path, kind, buckets, pool_dir, project, engine, memory_limit, workers, master, as_json, quiet):
    """Add the articles in PATH to the pool.

    PATH is anything `corpus add` reads: a folder of .txt files, a .jsonl file, a FakeNewsCorpus .csv. Every
    row becomes a document or a line of the ingest's report (pool/reports/NNNN.jsonl) with the reason
    `corpus add` would give: empty content, missing title, invalid id, duplicate id or content (also against
    the documents already in the pool), undecodable bytes.

    \b
    Examples:
      counterclaim pool ingest news.csv
      counterclaim pool ingest news.csv --memory-limit 1GB --json
      counterclaim pool ingest news.csv --engine spark --master spark://head:7077 --pool /shared/pool
    """
    from counterclaim.pool.ingest import ingest

    folder = _pool_dir(pool_dir, project)
    with progress_bar("ingest", "row", quiet=quiet or as_json) as bar:
        report = ingest(folder, path, kind=kind, engine=engine, buckets=buckets,
                        options=_engine_options(engine, memory_limit, workers, master), progress=bar)
    if as_json:
        click.echo(jsonio.dumps(report.to_dict(), indent=2))
        return
    click.echo(f"{path.name}: {report.rows} rows, ingested {report.ingested}, refused {report.refused}"
               + (f" (reasons in {shown(folder / report.report)})" if report.refused else ""))
    click.echo(f"pool {shown(folder)}: {report.document_count} documents after ingest {report.ingest}")


@pool.command("select")
@filter_options
@click.option("--one-per-cluster", is_flag=True,
              help="Keep one document of each near-duplicate cluster (the one with the smallest id).")
@click.option("--sample", type=click.IntRange(min=1), help="Draw this many documents (by --seed).")
@click.option("--per-stratum", type=click.IntRange(min=1), help="Draw this many from each stratum of --stratify.")
@click.option("--stratify", type=click.Choice(sorted(STRATA)), help="Sample each stratum of this column "
                                                                    "(--sample: in proportion to its size).")
@click.option("--seed", default="0", show_default=True, help="The draw's seed: the same seed, the same sample.")
@click.option("--limit", type=click.IntRange(min=1), help="Without a sample: the first N documents by id.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="JSONL file to write (the corpus input layout).")
@pool_options
@json_option
def select_command(domains, reliabilities, since, until, dates, keywords, all_keywords, one_per_cluster, sample,
                   per_stratum, stratify, seed, limit, out, pool_dir, project, engine, memory_limit, workers,
                   master, as_json):
    """Write the documents chosen from the pool to --out, for `counterclaim corpus add`.

    Filters combine with AND; then --one-per-cluster drops near-duplicates; then --sample draws (the
    same seed gives the same documents), or --limit cuts. The output holds each document's id, title,
    body and metadata; `counterclaim corpus add OUT` adds them with the same ids and texts.

    \b
    Examples:
      counterclaim pool select --reliability reliable --keyword syria --sample 500 --out batch1.jsonl
      counterclaim pool select --since 2016-01-01 --one-per-cluster --sample 5000 --stratify domain \\
          --seed 2 --out batch2.jsonl
      counterclaim corpus add batch1.jsonl
    """
    from counterclaim.pool.select import write_selection

    query = Query(domains=domains, reliabilities=reliabilities, since=_date(since), until=_date(until), dates=dates,
                  keywords=keywords, all_keywords=all_keywords, one_per_cluster=one_per_cluster, sample=sample,
                  per_stratum=per_stratum, stratify=stratify, seed=seed, limit=limit)
    report = write_selection(_pool_dir(pool_dir, project), query, out, engine=engine,
                             options=_engine_options(engine, memory_limit, workers, master))
    if as_json:
        click.echo(jsonio.dumps(report.to_dict(), indent=2))
        return
    click.echo(f"{shown(out)}: {report.written} documents")
    for skipped in report.skipped:
        click.echo(f"  skipped {skipped['id']}: {skipped['reason']}")
    if report.written:
        click.echo(f"add them to the corpus with: counterclaim corpus add {shown(out)}")


@pool.command("clusters")
@filter_options
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="JSONL file to write (default: standard output).")
@pool_options
def clusters_command(domains, reliabilities, since, until, dates, keywords, all_keywords, out, pool_dir, project,
                     engine, memory_limit, workers, master):
    """List the near-duplicate clusters among the filtered documents, one document per JSON line.

    Lines are {"cluster", "size", "doc_id", "title", "domain"}, by cluster then id; only clusters of two
    documents or more. Two documents are near-duplicates when their bodies' word 5-grams overlap by about
    80% or more (MinHash; see counterclaim.pool.neardup for the exact rule).

    \b
    Examples:
      counterclaim pool clusters --out clusters.jsonl
      counterclaim pool clusters --domain example.com | head
    """
    from counterclaim.pool.select import cluster_rows

    query = Query(domains=domains, reliabilities=reliabilities, since=_date(since), until=_date(until), dates=dates,
                  keywords=keywords, all_keywords=all_keywords)
    rows = cluster_rows(_pool_dir(pool_dir, project), query, engine=engine,
                        options=_engine_options(engine, memory_limit, workers, master))
    if out is None:
        for row in rows:
            click.echo(jsonio.dumps(row))
        return
    count = jsonio.write_jsonl(out, rows)
    click.echo(f"{shown(out)}: {count} documents in near-duplicate clusters", err=True)


@pool.command("info")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many values to list per column.")
@click.option("--column", "columns", multiple=True, type=click.Choice(sorted(STRATA)),
              help="Count documents by this column (repeatable; default: reliability and domain).")
@pool_options
@json_option
def info_command(top, columns, pool_dir, project, engine, memory_limit, workers, master, as_json):
    """Show the pool's ingests and its documents counted by reliability and domain.

    \b
    Examples:
      counterclaim pool info
      counterclaim pool info --column year --column source --json
    """
    from counterclaim.pool.summary import summarise

    summary = summarise(_pool_dir(pool_dir, project), columns=columns or ("reliability", "domain"), top=top,
                        engine=engine, options=_engine_options(engine, memory_limit, workers, master))
    if as_json:
        click.echo(jsonio.dumps(summary.to_dict(), indent=2))
        return
    click.echo(f"pool {shown(summary.root)}: {summary.documents} documents, {len(summary.ingests)} ingest(s), "
               f"{summary.buckets} buckets, normalisation policy {summary.normalisation}")
    for item in summary.ingests:
        click.echo(f"  {item['id']} {item['input']} ({item['kind']}): {item['rows']} rows, ingested "
                   f"{item['ingested']}, refused {item['refused']}")
    for column, values in summary.counts.items():
        click.echo(f"by {column}:")
        for value, n in values:
            click.echo(f"  {n:>10}  {value or '(none)'}")
