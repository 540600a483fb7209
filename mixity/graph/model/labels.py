"""Labels in the requested language, with MODEL.md's fallbacks."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from mixity.namespaces import PREFIXES

LANGS = ("fr", "en")
_LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label)


def label(graph: Graph, node: Node, lang: str = "fr") -> str:
    """The node's label in `lang`, else in the other language, else its local name."""
    found = labels(graph, node)
    for wanted in (lang, *(other for other in LANGS if other != lang)):
        if wanted in found:
            return found[wanted]
    if "" in found:
        return found[""]
    if isinstance(node, Literal):
        return str(node)
    return local_name(str(node))


def labels(graph: Graph, node: Node) -> dict[str, str]:
    """Every label of a node by language tag ('' for none); skos:prefLabel wins over rdfs:label."""
    found: dict[str, str] = {}
    for prop in _LABEL_PROPERTIES:
        for value in graph.objects(node, prop):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", str(value))
    return found


def local_name(iri: str) -> str:
    """The part of an IRI after its last '#' or '/'."""
    tail = iri.rstrip("/#")
    for sep in ("#", "/"):
        if sep in tail:
            tail = tail.rsplit(sep, 1)[1]
    return tail or iri


def compact(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """`prefix:local` for an IRI in a known namespace, else `<iri>`."""
    best = ""
    best_prefix = ""
    for prefix, base in (prefixes or PREFIXES).items():
        if iri.startswith(base) and len(base) > len(best):
            best, best_prefix = base, prefix
    if best:
        rest = iri[len(best) :]
        if rest and all(ch.isalnum() or ch in "-_." for ch in rest) and not rest.endswith("."):
            return f"{best_prefix}:{rest}"
    return f"<{iri}>"


def iri_of(node: Node) -> str | None:
    """The IRI of a URIRef, else None."""
    return str(node) if isinstance(node, URIRef) else None
