"""Argdown: the debate as an Argdown document (https://argdown.org), for its map and its tools.

Meetings, their workshops and the questions raised there are sections (headings, their IRIs
and IBIS types as heading data); the levers that respond to a question are statements of its
section (defined in the first, referred to by their title in the others); findings are
statements of a section of their own. Each statement carries `{data}`: its IBIS type, IRI,
actor types and the quotes it rests on (text, source, speaker where the evidence node names
one). `ibis:supports` and `ibis:opposes` are support and attack relations (`+>`, `->`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from mixity.errors import MixityError
from mixity.graph.exchange.debate import (
    EVIDENCE,
    FINDING_TYPES,
    IBIS,
    LEVER_TYPES,
    QUESTION_TYPES,
    RESPONDS_TO,
    SCHEMA,
    Quote,
    instances,
    name,
    quotes,
    text_value,
)
from mixity.namespaces import MIX

SECTIONS = {
    "other": {"fr": "Autres questions", "en": "Other questions"},
    "levers": {"fr": "Leviers sans question", "en": "Levers with no question"},
    "findings": {"fr": "Constats", "en": "Findings"},
}

# Characters that mean something in Argdown text: escaped with a backslash.
_SPECIAL = re.compile(r"([\\#\[\]<>{}*_@`~|])")


def escape(text: str) -> str:
    """`text` as plain Argdown text on one line: its special characters escaped."""
    flat = " ".join(text.split())
    flat = _SPECIAL.sub(r"\\\1", flat)
    # a line may not start with what Argdown reads as a relation or a list item
    return re.sub(r"^([+\-=>])", r"\\\1", flat)


def title(text: str) -> str:
    """A statement title, read verbatim by Argdown up to its closing bracket: brackets become
    parentheses, white space one space."""
    return " ".join(text.split()).replace("[", "(").replace("]", ")")


def data(values: dict[str, Any]) -> str:
    """Argdown data (YAML flow syntax, of which JSON is a part)."""
    return json.dumps(values, ensure_ascii=False)


@dataclass
class Exported:
    """An Argdown document and what is in it."""

    data: bytes
    sections: int
    statements: int
    relations: int


def _quotes(graph: Graph, resource: URIRef, by_node: dict[Node, Quote], lang: str) -> list[Any]:
    found = []
    for node in sorted(graph.objects(resource, EVIDENCE), key=str):
        quote = by_node.get(node)
        if quote is None:
            continue
        entry: dict[str, str] = {"text": quote.exact}
        if quote.source is not None:
            entry["source"] = str(quote.source)
            entry["sourceTitle"] = text_value(graph, quote.source, (DCTERMS.title,), lang) or name(
                graph, quote.source, lang
            )
        speaker = graph.value(quote.node, URIRef(SCHEMA + "author"))
        if isinstance(speaker, URIRef):
            entry["speaker"] = name(graph, speaker, lang)
        found.append(entry)
    return found


class _Document:
    """An Argdown document being written, line by line."""

    def __init__(self, graph: Graph, lang: str) -> None:
        self.graph = graph
        self.lang = lang
        self.findings = set(instances(graph, FINDING_TYPES))
        self.questions = [q for q in instances(graph, QUESTION_TYPES) if q not in self.findings]
        self.levers = [r for r in instances(graph, LEVER_TYPES) if r not in self.findings]
        self.by_node: dict[Node, Quote] = {q.node: q for q in quotes(graph)}
        self.names: dict[Node, str] = {}
        self.titles: dict[URIRef, str] = {}
        taken: set[str] = set()
        for resource in [*self.questions, *self.levers, *sorted(self.findings)]:
            base = title(self.name(resource))
            candidate, n = base, 1
            while candidate in taken:
                n += 1
                candidate = f"{base} ({n})"
            taken.add(candidate)
            self.titles[resource] = candidate
        self.answers: dict[URIRef, list[URIRef]] = {q: [] for q in self.questions}
        for lever in self.levers:
            for question in graph.objects(lever, RESPONDS_TO):
                if isinstance(question, URIRef) and question in self.answers:
                    self.answers[question].append(lever)
        self.lines: list[str] = ["===", "title: mixity", f"lang: {lang}", "===", ""]
        self.defined: set[URIRef] = set()
        self.sections = self.relations = 0

    def name(self, resource: Node) -> str:
        if resource not in self.names:
            self.names[resource] = name(self.graph, resource, self.lang)
        return self.names[resource]

    def heading(self, level: int, text: str, values: dict[str, Any]) -> None:
        self.sections += 1
        extra = f" {data(values)}" if values else ""
        self.lines.extend([f"{'#' * level} {escape(text)}{extra}", ""])

    def statement(self, resource: URIRef) -> None:
        """A lever or finding: defined the first time, referred to by its title after."""
        if resource in self.defined:
            self.lines.extend([f"[{self.titles[resource]}]", ""])
            return
        self.defined.add(resource)
        g = self.graph
        text = text_value(g, resource, (DCTERMS.description,), self.lang) or self.name(resource)
        values: dict[str, Any] = {
            "ibis": "Argument" if resource in self.findings else "Position",
            "iri": str(resource),
            "actorTypes": sorted(
                self.name(a) for a in g.objects(resource, URIRef(MIX + "involves"))
            ),
            "quotes": _quotes(g, resource, self.by_node, self.lang),
        }
        self.lines.append(f"[{self.titles[resource]}]: {escape(text)} {data(values)}")
        for prop, arrow in ((URIRef(IBIS + "supports"), "+>"), (URIRef(IBIS + "opposes"), "->")):
            for target in sorted(g.objects(resource, prop), key=str):
                if isinstance(target, URIRef) and target in self.titles:
                    self.relations += 1
                    self.lines.append(f"  {arrow} [{self.titles[target]}]")
        self.lines.append("")

    def question(self, level: int, question: URIRef) -> None:
        quoted = _quotes(self.graph, question, self.by_node, self.lang)
        values = {"ibis": "Issue", "iri": str(question), "quotes": quoted}
        self.heading(level, self.name(question), values)
        for lever in sorted(self.answers[question], key=lambda r: self.titles[r]):
            self.statement(lever)

    def events(self) -> None:
        """Meetings, their workshops, and the questions raised at each."""
        g, raised = self.graph, URIRef(MIX + "raisedAt")
        workshops = set(g.subjects(RDF.type, URIRef(MIX + "Workshop")))
        parent = URIRef(SCHEMA + "superEvent")
        events = {e for q in self.questions for e in g.objects(q, raised)}
        meetings = {e for e in events if e not in workshops}
        meetings |= {m for w in events & workshops for m in g.objects(w, parent)}
        placed: set[URIRef] = set()
        asked: dict[Node, list[URIRef]] = {}
        for question in sorted(self.questions, key=self.name):
            for event in g.objects(question, raised):
                asked.setdefault(event, []).append(question)

        def questions_at(event: Node, level: int) -> None:
            for question in asked.get(event, []):
                if question not in placed:
                    placed.add(question)
                    self.question(level, question)

        for meeting in sorted((m for m in meetings if isinstance(m, URIRef)), key=self.name):
            self.heading(1, self.name(meeting), {"iri": str(meeting), "type": "Meeting"})
            questions_at(meeting, 2)
            children = (w for w in g.subjects(parent, meeting) if w in workshops)
            for workshop in sorted(children, key=self.name):
                self.heading(2, self.name(workshop), {"iri": str(workshop), "type": "Workshop"})
                questions_at(workshop, 3)
        rest = sorted((q for q in self.questions if q not in placed), key=self.name)
        if rest:
            self.heading(1, SECTIONS["other"][self.lang], {})
            for question in rest:
                self.question(2, question)


def export_argdown(graph: Graph, *, lang: str = "fr") -> Exported:
    """The graph's debate as an Argdown document (see the module's docstring)."""
    document = _Document(graph, lang)
    if not document.questions and not document.levers and not document.findings:
        raise MixityError("the graph has no question, lever or finding: nothing to export")
    document.events()
    alone = [r for r in document.levers if r not in document.defined]
    for key, members in (("levers", alone), ("findings", sorted(document.findings))):
        if members:
            document.heading(1, SECTIONS[key][lang], {})
            for resource in sorted(members, key=lambda r: document.titles[r]):
                document.statement(resource)
    text = "\n".join(document.lines).rstrip("\n") + "\n"
    return Exported(
        text.encode("utf-8"), document.sections, len(document.defined), document.relations
    )
