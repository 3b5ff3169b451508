"""Validate annotated-document files: JSON files and JSONL files of documents, or folders of them."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from counterclaim.errors import InputError
from counterclaim.io import jsonio
from counterclaim.model.ontology import Ontology
from counterclaim.model.schema import INTEGER_KEYS
from counterclaim.validation.problems import Problem
from counterclaim.validation.rules import document_problems



def iter_annotation_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named on the command line, each once; folders expand to their ``*.json`` and ``*.jsonl``,
    sorted."""
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        found = sorted(p for p in path.rglob("*") if p.suffix in (".json", ".jsonl") and p.is_file()) \
            if path.is_dir() else [path]
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                yield file


def read_documents(paths: Iterable[str | Path], ont: Ontology, corpus_index: dict[str, str] | None = None
                   ) -> tuple[list[tuple[Path, int | None, dict]], int, list[Problem]]:
    """Every annotated document in ``paths`` that validates, as ``(file, line, document)``; the number of
    documents read; and every problem of those that do not (a file that cannot be read is one problem)."""
    valid: list[tuple[Path, int | None, dict]] = []
    problems: list[Problem] = []
    count = 0
    for path in iter_annotation_files(paths):
        try:
            docs = jsonio.iter_jsonl(path, skip_bad_lines=True, integers=INTEGER_KEYS) if path.suffix == ".jsonl" \
                else [(None, jsonio.read_json(path, integers=INTEGER_KEYS))]
            for line, doc in docs:
                if isinstance(doc, jsonio.LineError):  # every unreadable line is reported, the others checked
                    problems.append(Problem(str(path), None, str(doc), line))
                    continue
                count += 1
                found = [Problem(str(path), ptr, msg, line) for ptr, msg in document_problems(doc, ont, corpus_index)]
                problems += found
                if not found:
                    valid.append((path, line, doc))
        except InputError as exc:
            problems.append(Problem(str(path), None, str(exc)))
    return valid, count, problems


def validate_files(
    paths: Iterable[str | Path], ont: Ontology, corpus_index: dict[str, str] | None = None
) -> tuple[int, list[Problem]]:
    """Validate every document in ``paths``; return ``(documents checked, problems)``."""
    _, count, problems = read_documents(paths, ont, corpus_index)
    return count, problems
