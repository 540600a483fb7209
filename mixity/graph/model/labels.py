"""Labels in the requested language (then the other one, then the IRI), and the resolver's index."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from mixity.graph.model.resolve import NameIndex, compact, local_name
from mixity.graph.model.vocabulary import LABEL_PROPERTIES, NAME_PROPERTIES

__all__ = ["LANGS", "compact", "iri_of", "label", "labels", "local_name", "name_index"]

LANGS = ("fr", "en")
_LABELS = tuple(URIRef(p) for p in LABEL_PROPERTIES)
_NAMES = tuple(URIRef(p) for p in NAME_PROPERTIES)


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
    for prop in _LABELS:
        for value in graph.objects(node, prop):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", str(value))
    return found


def iri_of(node: Node) -> str | None:
    """The IRI of a URIRef, else None."""
    return str(node) if isinstance(node, URIRef) else None


def key_of(term: Node) -> str:
    """The plain-string key of a resource: its IRI, or `_:` + the blank node's id."""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def name_index(graph: Graph) -> NameIndex:
    """The resolver's index of every named resource of `graph` (keys as `key_of` gives them).

    The graph's own prefixes (`notion:`, an extension's `ex:`) are known besides mixity's.
    """
    pairs = [
        (key_of(node), str(value), rank, value.language != "fr")
        for rank, prop in enumerate(_NAMES)
        for node, value in graph.subject_objects(prop)
        if isinstance(value, Literal) and isinstance(node, URIRef | BNode)
    ]
    # Messages show a resource by its French label first, as `label` does.
    pairs.sort(key=lambda pair: (pair[2], pair[3], pair[1]))
    prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}

    def known(key: str) -> bool:
        node: Node = BNode(key[2:]) if key.startswith("_:") else URIRef(key)
        return (node, None, None) in graph or (None, None, node) in graph

    return NameIndex(((key, name) for key, name, _, _ in pairs), prefixes, known)
