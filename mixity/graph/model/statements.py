"""Statement-level provenance: the links of the debate that no quote supports and no
editorial note marks, on the statement itself (an owl:Axiom annotation; see
docs/explanation/provenance.md)."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from mixity.graph.io.loader import LoadedGraph
from mixity.graph.model.findings import Finding, show
from mixity.graph.model.labels import compact, label
from mixity.graph.model.locate import Locator

#: The properties whose statements need a quote or an editorial note on the statement itself
#: (an owl:Axiom): the links of the debate (docs/explanation/provenance.md).
DEBATE_PROPERTIES: tuple[str, ...] = tuple(
    f"{ns}{name}"
    for ns, names in (
        (
            "https://schema.org/",
            "location about publisher organizer performer author superEvent subEvent hasPart "
            "areaServed knowsAbout contributor",
        ),
        (
            "https://w3id.org/mixity/ontology#",
            "raisedAt proposedAt statedAt producedAt involves concerns partner restsOn serves "
            "underlies",
        ),
        ("https://vocab.methodandstructure.com/ibis#", "responds-to generalizes"),
        ("http://www.w3.org/2004/02/skos/core#", "broader narrower related"),
    )
    for name in names.split()
)
#: Statements that are editorial by nature: unmarked, they are an error, which the shapes report
#: (mixsh:EditorialLinkShape); the others are a warning.
EDITORIAL_PROPERTIES = frozenset(("https://vocab.methodandstructure.com/ibis#responds-to",))
#: A statement annotated in one direction covers its inverse.
INVERSES = {
    "https://schema.org/subEvent": "https://schema.org/superEvent",
    "https://schema.org/superEvent": "https://schema.org/subEvent",
    "http://www.w3.org/2004/02/skos/core#narrower": "http://www.w3.org/2004/02/skos/core#broader",
    "http://www.w3.org/2004/02/skos/core#broader": "http://www.w3.org/2004/02/skos/core#narrower",
}


def supported_statements(graph: Graph) -> dict[tuple[Node, Node, Node], list[Node]]:
    """Each annotated statement (s, p, o) with its owl:Axiom nodes that carry a quote
    (mix:evidence) or an editorial note; a symmetric or inverse form counts too."""
    evidence = URIRef("https://w3id.org/mixity/ontology#evidence")
    note = URIRef("http://www.w3.org/2004/02/skos/core#editorialNote")
    found: dict[tuple[Node, Node, Node], list[Node]] = {}
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        if graph.value(axiom, evidence) is None and graph.value(axiom, note) is None:
            continue
        s = graph.value(axiom, OWL.annotatedSource)
        p = graph.value(axiom, OWL.annotatedProperty)
        o = graph.value(axiom, OWL.annotatedTarget)
        if s is None or p is None or o is None:
            continue
        found.setdefault((s, p, o), []).append(axiom)
        if (inverse := INVERSES.get(str(p))) is not None:
            found.setdefault((o, URIRef(inverse), s), []).append(axiom)
        if str(p) == "http://www.w3.org/2004/02/skos/core#related":
            found.setdefault((o, p, s), []).append(axiom)
    return found


def check_statements(
    loaded: LoadedGraph, *, lang: str = "fr", locator: Locator | None = None
) -> list[Finding]:
    """Warnings for the statements between two resources (IRIs) with a debate property that
    no owl:Axiom supports with a quote or marks editorial (ibis:responds-to: see the shapes)."""
    graph = loaded.graph
    where = locator or Locator(loaded)
    supported = supported_statements(graph)
    findings = []
    for prop in DEBATE_PROPERTIES:
        for s, o in sorted(graph.subject_objects(URIRef(prop)), key=str):
            if not isinstance(s, URIRef) or not isinstance(o, URIRef):
                continue
            if (s, URIRef(prop), o) in supported or prop in EDITORIAL_PROPERTIES:
                continue
            origin, line = where.where(s, URIRef(prop), o)
            findings.append(
                Finding(
                    focus=show(s),
                    label=label(graph, s, lang),
                    message=(
                        f"{compact(prop)} {show(o)} is a statement that no quote supports on the "
                        "statement itself: annotate it with an owl:Axiom "
                        "(owl:annotatedSource, owl:annotatedProperty, owl:annotatedTarget) that "
                        "carries mix:evidence (the quote that states it) or a skos:editorialNote"
                    ),
                    severity="Warning",
                    shape="statement provenance",
                    path=compact(prop),
                    value=show(o),
                    origin=origin,
                    line=line,
                )
            )
    return findings
