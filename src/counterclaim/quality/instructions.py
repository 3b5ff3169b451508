"""The guidelines as the HTML Label Studio shows under Instructions: self-contained, readable in its modal.

Label Studio cleans the project's ``expert_instruction`` with bleach when it is saved (no ``id``, ``style``,
``for`` or ``open`` attributes survive; ``<style>``, ``<details>`` and ``class`` do), then shows it in a modal
under its own styles, which remove list markers and table borders. A link to ``#anchor`` would change the
page's URL, and Label Studio's router then leaves the labeling screen. So :func:`render_instructions` turns
``guidelines/guidelines.md`` into one fragment that carries its own stylesheet, scoped to its root class, with:

- no HTML comments (the ``BEGIN/END GENERATED`` markers are for maintainers); raw HTML in the Markdown is
  shown as text, never injected;
- a table of contents that opens in place: every section (``##``) is a folded ``<details>`` in a numbered
  list, its summary naming the section and its subsections, and every subsection (``###``) folds likewise,
  so the modal first shows one screen: title, contents, the colour legend;
- list markers, and bordered tables that scroll sideways rather than overflow;
- each ```` ```yaml example ```` shown as what an annotator produces: the lines of the article it quotes, with
  each span marked in the colour of its Label Studio region kind (:data:`~counterclaim.labelstudio.config.REGION_KINDS`)
  and tagged with its id, then the links and values of every object. Examples are compiled against the corpus
  text with :mod:`counterclaim.quality.authoring`; one whose document is not in the corpus is shown as its
  YAML. A ```` ```yaml counterexample ```` is boxed in red, its quote marked, with the reason.

Every piece of text is escaped with :func:`html.escape`; only the markup written here is HTML.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from counterclaim.errors import CounterclaimError
from counterclaim.labelstudio.config import REGION_KINDS
from counterclaim.model.ontology import Ontology

ROOT_CLASS = "cc-guidelines"
CONTEXT = 100  # characters of an article line shown around an example's spans when the line is longer
QUOTE_CHARS = 70  # longest quotation in an example's list of objects

_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)



def _css() -> str:
    kinds = "\n".join(
        f".{ROOT_CLASS} .cc-k-{k.label} {{ background: {k.color}26; border-bottom: 2px solid {k.color}; }}\n"
        f".{ROOT_CLASS} .cc-t-{k.label} {{ color: {k.color}; }}"
        for k in REGION_KINDS)
    r = f".{ROOT_CLASS}"
    return f"""
{r} {{ font-size: 14px; line-height: 1.5; max-width: 100%; overflow-wrap: anywhere; }}
{r} h1 {{ font-size: 22px; margin: 0 0 8px; }}
{r} h2 {{ font-size: 18px; margin: 24px 0 8px; border-bottom: 1px solid #ddd; }}
{r} h3 {{ font-size: 15px; margin: 18px 0 6px; }}
{r} p {{ margin: 6px 0; }}
{r} ul {{ list-style: disc outside; padding-left: 1.6em; margin: 6px 0; }}
{r} ol {{ list-style: decimal outside; padding-left: 1.8em; margin: 6px 0; }}
{r} li {{ display: list-item; margin: 2px 0; }}
{r} code {{ font-family: monospace; font-size: 0.92em; background: #f2f2f2; padding: 0 3px; border-radius: 3px; }}
{r} pre {{ white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: 8px; border-radius: 4px; }}
{r} .cc-table {{ overflow-x: auto; margin: 8px 0; }}
{r} table {{ border-collapse: collapse; font-size: 13px; }}
{r} th, {r} td {{ border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; text-align: left; }}
{r} th {{ background: #f2f2f2; }}
{r} .cc-toc {{ padding-left: 1.8em; }}
{r} .cc-toc li {{ margin: 4px 0; }}
{r} summary {{ cursor: pointer; }}
{r} summary h2, {r} summary h3 {{ display: inline; border: 0; margin: 0; }}
{r} .cc-subs {{ display: block; font-size: 12px; color: #666; margin-left: 1.2em; }}
{r} .cc-sub {{ margin: 6px 0 6px 0.4em; }}
{r} .cc-example {{ border: 1px solid #bbb; border-left: 6px solid #2ca02c; border-radius: 4px; padding: 6px 10px;
  margin: 10px 0; }}
{r} .cc-counter {{ border-left-color: #d62728; background: #fff5f5; }}
{r} .cc-head {{ font-weight: 600; font-size: 13px; margin-bottom: 4px; }}
{r} .cc-counter .cc-head {{ color: #b00; }}
{r} .cc-text {{ background: #fff; border: 1px solid #eee; padding: 6px 8px; line-height: 2; }}
{r} .cc-text mark {{ color: inherit; padding: 1px 0; }}
{r} .cc-tag {{ font-size: 10px; font-weight: 700; vertical-align: super; margin: 0 1px; }}
{r} .cc-bad {{ background: #d6272826; border: 2px dashed #d62728; }}
{r} .cc-links {{ font-size: 13px; margin: 6px 0 0; }}
{r} .cc-gap {{ color: #888; }}
{kinds}
"""


# -- examples -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # a region kind, or "" for a counterexample's quote
    tag: str


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return "“" + _e(text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS - 1] + "…") + "”"


def _marks(ann: dict) -> list[Mark]:
    """Every span of an annotation as a mark of its region kind, tagged with its object's id."""
    marks = [Mark(m["span"]["start"], m["span"]["end"], "ACTOR", m["id"]) for m in ann["mentions"]]
    for ev in ann["events"]:
        if ev.get("trigger"):
            marks.append(Mark(ev["trigger"]["start"], ev["trigger"]["end"], "EVENT", ev["id"]))
        for arg in ev["arguments"]:
            if arg.get("span"):
                marks.append(Mark(arg["span"]["start"], arg["span"]["end"], "ARGUMENT", arg["role"]))
        for q in ev["quantities"]:
            if q.get("span"):
                marks.append(Mark(q["span"]["start"], q["span"]["end"], "QUANTITY", q["id"]))
        for key, kind in (("time", "TIME"), ("place", "PLACE")):
            if (ev.get(key) or {}).get("span"):
                span = ev[key]["span"]
                marks.append(Mark(span["start"], span["end"], kind, key))
    for c in ann["claims"]:
        for span in c["content"]:
            marks.append(Mark(span["start"], span["end"], "CLAIM", c["id"]))
        if c.get("cue"):
            marks.append(Mark(c["cue"]["start"], c["cue"]["end"], "CUE", "cue"))
    return marks


def _line_windows(text: str, marks: Iterable[Mark]) -> list[tuple[int, int]]:
    """The parts of the article lines that hold marks: whole lines, or a window around the marks of a long one."""
    reach: dict[int, tuple[int, int]] = {}  # line start -> (first mark start, last mark end) on that line
    for mark in marks:
        line_start = text.rfind("\n", 0, mark.start) + 1
        lo, hi = reach.get(line_start, (mark.start, mark.end))
        reach[line_start] = (min(lo, mark.start), max(hi, mark.end))
    windows = []
    for line_start, (lo, hi) in sorted(reach.items()):
        line_end = text.find("\n", hi)
        line_end = len(text) if line_end < 0 else line_end
        start, end = line_start, line_end
        if lo - line_start > CONTEXT:  # cut at a space about CONTEXT characters before the first mark
            start = text.rfind(" ", line_start, lo - CONTEXT) + 1 or line_start
        if line_end - hi > CONTEXT:
            cut = text.find(" ", hi + CONTEXT, line_end)
            end = line_end if cut < 0 else cut
        windows.append((start, end))
    return windows


def _marked(text: str, start: int, end: int, marks: list[Mark]) -> str:
    """``text[start:end]`` with the marks that overlap it, nested (longer outside) where they overlap."""
    inside = [m for m in marks if m.start < end and m.end > start]
    cuts = sorted({start, end} | {p for m in inside for p in (m.start, m.end) if start < p < end})
    order = {m: i for i, m in enumerate(sorted(inside, key=lambda m: (m.start, -m.end, m.tag)))}
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        active = sorted((m for m in inside if m.start <= a and m.end >= b), key=order.get)
        for m in active:
            if m.start == a or (a == start and m.start < start):
                cls = f"cc-tag cc-t-{m.kind}" if m.kind else "cc-tag"
                parts.append(f'<span class="{cls}">{_e(m.tag if m.kind else "✗")}</span>')
        opened = "".join(f'<mark class="cc-k-{m.kind}" title="{m.kind}">' if m.kind else '<mark class="cc-bad">'
                         for m in active)
        parts.append(opened + _e(text[a:b]) + "</mark>" * len(active))
    return "".join(parts)


def _excerpt(text: str, marks: list[Mark]) -> str:
    pieces = []
    for start, end in _line_windows(text, marks):
        before = "… " if start > 0 and text[start - 1] != "\n" else ""
        after = " …" if end < len(text) and text[end] != "\n" else ""
        pieces.append(f'{before}{_marked(text, start, end, marks)}{after}')
    return '<div class="cc-text">' + '<br><span class="cc-gap">⋯</span><br>'.join(pieces) + "</div>"


def _objects(ann: dict, ont: Ontology) -> str:
    """One line per object: its values and its links, by id and quotation."""
    mentions = {m["id"]: m for m in ann["mentions"]}
    quantities = {q["id"]: q for ev in ann["events"] for q in ev["quantities"]}

    def who(mid: str) -> str:
        m = mentions.get(mid)
        return f"<b>{_e(mid)}</b>" + (f" {_quote(m['span']['text'])}" if m else "")

    def span(s: dict | None) -> str:
        return _quote(s["text"]) if s else "(no span)"

    items = []
    for m in ann["mentions"]:
        actor = ont.actor_by_id.get(m["actor"]) if m.get("actor") else None
        target = f"{_e(actor.id)} ({_e(actor.name)})" if actor else f"no registry actor, type {_e(str(m.get('type')))}"
        items.append(f'<b class="cc-t-ACTOR">{_e(m["id"])}</b> ACTOR {span(m["span"])} → {target}')
    for ev in ann["events"]:
        parts = [f"{_e(ev['type'])}", f"mode {_e(str(ev.get('mode')))}", f"realis {_e(ev['realis'])}",
                 _e(ev["granularity"])]
        links = []
        for arg in ev["arguments"]:
            tail = who(arg["mention"]) if arg.get("mention") else (
                f"<b>{_e(arg['event'])}</b>" if arg.get("event") else f"ARGUMENT {span(arg.get('span'))}")
            links.append(f"{_e(arg['role'])} → {tail}")
        for q in ev["quantities"]:
            links.append(f"quantity → <b>{_e(q['id'])}</b>")
        for key in ("time", "place"):
            if ev.get(key):
                links.append(f"{key} → {span(ev[key].get('span'))} ({_e(ev[key]['precision'])})")
        if ev.get("part_of"):
            links.append(f"part_of → <b>{_e(ev['part_of'])}</b>")
        items.append(f'<b class="cc-t-EVENT">{_e(ev["id"])}</b> EVENT {span(ev.get("trigger"))}: '
                     + ", ".join(parts) + ("; " + "; ".join(links) if links else ""))
        for q in ev["quantities"]:
            number = (f"= {q['value']:g}" if q.get("value") is not None
                      else f"from {q.get('low')} to {q.get('high')}")
            items.append(f'<b class="cc-t-QUANTITY">{_e(q["id"])}</b> QUANTITY {span(q.get("span"))}: '
                         f"{_e(q['measurand'])} {_e(number)} ({_e(q['qualifier'])})")
    for c in ann["claims"]:
        claimant = c["claimant"]
        links = [f"claimant → {who(claimant['mention'])}" if claimant.get("mention")
                 else "claimant → the outlet (<i>unsourced</i>)" if claimant["kind"] == "outlet"
                 else f"claimant → {_e(str(claimant.get('actor')))}"]
        if c.get("cue"):
            links.append(f"cue → CUE {span(c['cue'])}")
        for extra in c["content"][1:]:
            links.append(f"continues → {span(extra)}")
        links += [f"reported_via → {who(src['mention'])}" for src in c["reported_via"] if src.get("mention")]
        about = [f"<b>{_e(x)}</b>" for x in c["about"]["events"] + c["about"]["quantities"] if x in quantities
                 or any(ev["id"] == x for ev in ann["events"])]
        if about:
            links.append("about → " + ", ".join(about))
        links += [f"{_e(link['type'])} → <b>{_e(link['claim'])}</b>" for link in c["links"]]
        values = [f"stance {_e(c['stance'])}", f"certainty {_e(c['certainty'])}"]
        if c.get("check_worthy") is not None:
            values.append("check-worthy " + ("yes" if c["check_worthy"] else "no"))
        items.append(f'<b class="cc-t-CLAIM">{_e(c["id"])}</b> CLAIM {span(c["content"][0])}: '
                     + "; ".join(links + values))
    return '<ul class="cc-links">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def example_html(raw: dict, document: dict, ont: Ontology, where: str) -> str:
    """An example as the article's lines with its spans marked, then its objects and links."""
    from counterclaim.quality.authoring import compile_annotation

    ann = compile_annotation(document["text"], raw, schema_version=ont.version, corpus_version="", where=where)
    title = document.get("title") or document["doc_id"]
    return (f'<div class="cc-example"><div class="cc-head">Example · {_e(title)}</div>'
            f'{_excerpt(document["text"], _marks(ann))}{_objects(ann, ont)}</div>')


def counterexample_html(raw: dict, document: dict) -> str:
    """A counterexample: boxed in red, its quote marked in the article's line, and why it is wrong."""
    text = document["text"]
    start = text.find(raw.get("quote") or "\0")
    if start < 0:
        raise CounterclaimError(f"quote {raw.get('quote')!r} does not occur in {document['doc_id']}")
    mark = Mark(start, start + len(raw["quote"]), "", "")
    return (f'<div class="cc-example cc-counter"><div class="cc-head">Counterexample — do not annotate it this way'
            f'</div>{_excerpt(text, [mark])}<p><b>Why:</b> {_e(str(raw.get("why", "")))}</p></div>')


def _fence(token: Token, documents: Mapping[str, dict], ont: Ontology | None) -> str:
    info = token.info.strip()
    kind = info.split()[1] if info.startswith("yaml ") and len(info.split()) == 2 else None
    if kind in ("example", "counterexample"):
        try:
            raw = yaml.safe_load(token.content)
            document = documents.get(raw.get("doc_id")) if isinstance(raw, dict) else None
            if document is not None and ont is not None:
                where = f"guidelines line {(token.map or [0])[0] + 1}"
                return (example_html(raw, document, ont, where) if kind == "example"
                        else counterexample_html(raw, document))
        except (yaml.YAMLError, CounterclaimError):
            pass  # shown as written below
        label = "Counterexample" if kind == "counterexample" else "Example"
        cls = "cc-example cc-counter" if kind == "counterexample" else "cc-example"
        return f'<div class="{cls}"><div class="cc-head">{label}</div><pre>{_e(token.content)}</pre></div>'
    return f"<pre><code>{_e(token.content)}</code></pre>"


# -- the document ---------------------------------------------------------------------------------------------


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("table_open", lambda self, tokens, idx, options, env: '<div class="cc-table"><table>\n')
    md.add_render_rule("table_close", lambda self, tokens, idx, options, env: "</table></div>\n")
    md.add_render_rule("fence", lambda self, tokens, idx, options, env: _fence(tokens[idx], env["documents"],
                                                                               env["ontology"]))
    return md


def _split(tokens: list[Token], tag: str) -> list[list[Token]]:
    """The tokens before the first heading ``tag``, then one list per heading ``tag`` (the heading first)."""
    parts: list[list[Token]] = [[]]
    for token in tokens:
        if token.type == "heading_open" and token.tag == tag:
            parts.append([])
        parts[-1].append(token)
    return parts


def _folded(md: MarkdownIt, section: list[Token], env: dict, tag: str, cls: str, sub: str | None) -> str:
    """A heading and what follows it as a folded ``<details>``: the heading is the summary (with the titles of
    its subsections), the rest opens below; subsections (``sub``) fold in turn."""
    heading, rest = section[:3], section[3:]
    title = md.renderer.render(heading, md.options, env).strip()
    parts = _split(rest, sub) if sub else [rest]
    subs = [p[1].content for p in parts[1:]]
    hint = f'<span class="cc-subs">{" · ".join(_e(t) for t in subs)}</span>' if subs else ""
    body = md.renderer.render(parts[0], md.options, env)
    body += "".join(_folded(md, p, env, sub, "cc-sub", None) for p in parts[1:])
    return f'<details class="{cls}"><summary>{title}{hint}</summary>{body}</details>'


def render_instructions(markdown: str, documents: Mapping[str, dict], ont: Ontology | None) -> str:
    """The guidelines as one self-contained HTML fragment for Label Studio's instructions (examples whose document
    is not in ``documents``, or all of them without ``ont``, are shown as their YAML)."""
    md = _markdown()
    env = {"documents": documents, "ontology": ont}
    head, *sections = _split(md.parse(_COMMENT.sub("", markdown), env), "h2")
    title_end = next((i + 1 for i, t in enumerate(head) if t.type == "heading_close" and t.tag == "h1"), 0)
    out = [f'<div class="{ROOT_CLASS}"><style>{_css()}</style>',
           md.renderer.render(head[:title_end], md.options, env),
           md.renderer.render(head[title_end:], md.options, env),
           _legend(),
           '<p><b>Contents</b> — click a section to open it:</p><ol class="cc-toc">',
           *(f"<li>{_folded(md, section, env, 'h2', 'cc-section', 'h3')}</li>" for section in sections),
           "</ol></div>"]
    return "".join(out)


def _legend() -> str:
    """The colour of each region kind, as the examples and Label Studio show them."""
    chips = " ".join(f'<mark class="cc-k-{k.label}">{_e(k.label)}</mark>' for k in REGION_KINDS)
    return (f'<p class="cc-legend"><b>In the examples</b>, each span is marked in the colour of its span label '
            f"and tagged with its id or role: {chips}. Below the text, each object's values and links.</p>")
