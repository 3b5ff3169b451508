"""The annotation guidelines: generated tables kept in sync, and the HTML shown in Label Studio.

``guidelines/guidelines.md`` is written by people, except the blocks between
``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->``, which :func:`refresh` rewrites from
the ontology and the Label Studio config tables. ``counterclaim guidelines build`` refreshes the file and
``guidelines/labelstudio.xml``; tests check both are up to date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml

from counterclaim.errors import CounterclaimError
from counterclaim.io.layout import GUIDELINES_FILE
from counterclaim.labelstudio.config import CONFIG_FILE, PER_REGION, REGION_KINDS, STRUCTURAL_RELATIONS, build_label_config
from counterclaim.model.defaults import DEFAULTS
from counterclaim.model.ontology import Ontology

_BLOCK = re.compile(r"(<!-- BEGIN GENERATED: (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- END GENERATED: (?P=name) -->)", re.S)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _terms(terms) -> str:
    return ", ".join(f"`{t.id}`" for t in terms)


def quick_reference(ont: Ontology) -> str:
    out = [f"Ontology `{ont.name}` version `{ont.version}` (schema/ontology.yaml).\n"]
    out.append("\n**Span labels** — select text, then pick one:\n\n")
    out.append(_table(("label", "what to select"), [(f"`{k.label}`", k.hint) for k in REGION_KINDS]))
    out.append("\n**Event types**, their modes and the roles they take:\n\n")
    out.append(_table(("type", "definition", "modes", "roles"),
                      [(f"`{t.id}`", t.definition, ", ".join(t.modes), ", ".join(t.roles)) for t in ont.event_types]))
    out.append("\n**Roles** (relation labels from an `EVENT` to its argument):\n\n")
    out.append(_table(("role", "definition"), [(f"`{r.id}`", r.definition) for r in ont.roles]))
    out.append("\n**Other relations**:\n\n")
    out.append(_table(("relation", "from", "to", "meaning"),
                      [(f"`{label}`", head, " or ".join(tails), meaning)
                       for label, head, tails, meaning in STRUCTURAL_RELATIONS]))
    out.append("\n**Per-region fields** (shown when a region of that kind is selected; an empty field takes the "
               "default):\n\n")
    rows = []
    for c in PER_REGION:
        values = (", ".join(v for v, _ in c.values) if c.values
                  else _terms(getattr(ont, c.terms)) if c.terms and c.terms != "modes"
                  else "see event types" if c.terms == "modes" else c.tag.lower())
        rows.append((f"`{c.kind}`", c.title, values, f"`{DEFAULTS[c.name]}`" if c.name in DEFAULTS else ""))
    out.append(_table(("region", "field", "values", "default"), rows))
    for title, terms in (("Realis", ont.realis), ("Certainty", ont.certainty), ("Stance", ont.stance),
                         ("Quantity measurands", ont.measurands), ("Quantity qualifiers", ont.qualifiers),
                         ("Actor types", ont.actor_types)):
        out.append(f"\n**{title}**:\n\n")
        out.append(_table(("value", "definition"), [(f"`{t.id}`", t.definition) for t in terms]))
    return "".join(out)


def actor_registry(ont: Ontology) -> str:
    rows = [(f"`{a.id}`", a.name, a.type, a.sector, a.country or "", a.qid or "", ", ".join(a.aliases))
            for a in ont.actors]
    return _table(("id", "name", "type", "sector", "country", "Wikidata", "aliases"), rows)


GENERATORS = {"quick-reference": quick_reference, "actor-registry": actor_registry}


def refresh(markdown: str, ont: Ontology) -> str:
    """The guidelines text with every generated block rewritten."""
    def replace(m: re.Match) -> str:
        name = m.group("name")
        if name not in GENERATORS:
            raise CounterclaimError(f"guidelines: unknown generated block `{name}`; known: {', '.join(GENERATORS)}")
        return m.group(1) + GENERATORS[name](ont) + m.group(4)

    return _BLOCK.sub(replace, markdown)


def to_html(markdown: str, documents: Mapping[str, dict] | None = None, ont: Ontology | None = None) -> str:
    """Guidelines as HTML for Label Studio's instructions (:mod:`counterclaim.quality.instructions`); raw HTML in
    the Markdown is escaped, not rendered. Examples are drawn on the text of ``documents`` (by doc_id)."""
    from counterclaim.quality.instructions import render_instructions

    return render_instructions(markdown, documents or {}, ont)


def instructions_html(guidelines_dir: Path, documents: Mapping[str, dict] | None = None,
                      ont: Ontology | None = None) -> str:
    path = guidelines_dir / GUIDELINES_FILE
    if not path.exists():
        raise CounterclaimError(f"{path} not found; the guidelines are shown to annotators as instructions")
    return to_html(path.read_text(encoding="utf-8"), documents, ont)


def expected_files(guidelines_dir: Path, ont: Ontology) -> dict[Path, str]:
    """Each generated file with the text it should have."""
    path = guidelines_dir / GUIDELINES_FILE
    return {path: refresh(path.read_text(encoding="utf-8"), ont), guidelines_dir / CONFIG_FILE: build_label_config(ont)}


# -- machine-checked examples -------------------------------------------------------------------------------

_EXAMPLE = re.compile(r"^```yaml (?P<kind>example|counterexample)\n(?P<body>.*?)^```", re.S | re.M)


@dataclass(frozen=True)
class Example:
    kind: str  # example | counterexample
    line: int
    data: dict


def examples(markdown: str) -> list[Example]:
    """The ```yaml example``` and ```yaml counterexample``` blocks, with their line numbers."""
    found = []
    for m in _EXAMPLE.finditer(markdown):
        line = markdown.count("\n", 0, m.start()) + 1
        try:
            data = yaml.safe_load(m.group("body"))
        except yaml.YAMLError as exc:
            raise CounterclaimError(f"guidelines line {line}: invalid YAML in an example: {exc}") from None
        found.append(Example(m.group("kind"), line, data))
    return found


def check_examples(markdown: str, documents: dict[str, dict], ont: Ontology, corpus_version: str,
                   where: str = "guidelines.md") -> list[str]:
    """Every problem of every example: compiled against the corpus text and validated like any annotation."""
    from counterclaim.quality.authoring import compile_document
    from counterclaim.validation import document_problems

    problems = []
    for ex in examples(markdown):
        loc = f"{where}:{ex.line}"
        doc = documents.get((ex.data or {}).get("doc_id"))
        if doc is None:
            problems.append(f"{loc}: `doc_id` {ex.data.get('doc_id')!r} is not a corpus document")
            continue
        if ex.kind == "counterexample":
            if not ex.data.get("why"):
                problems.append(f"{loc}: a counterexample needs `why`")
            if not ex.data.get("quote") or ex.data["quote"] not in doc["text"]:
                problems.append(f"{loc}: quote {ex.data.get('quote')!r} does not occur in {doc['doc_id']}")
            continue
        try:
            compiled = compile_document(ex.data, doc, schema_version=ont.version, corpus_version=corpus_version,
                                        where=loc)
        except CounterclaimError as exc:
            problems.append(str(exc))
            continue
        index = {doc["doc_id"]: doc["text_sha256"]}
        problems += [f"{loc}: {ptr}: {msg}" for ptr, msg in document_problems(compiled, ont, index)]
    return problems
