"""The one conversion between rdflib's terms and pyoxigraph's.

rdflib serves the loader, SHACL and OWL RL; Oxigraph runs queries and writes RDF. Terms cross
between them here only. Imports rdflib: the query path never imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from mixity.errors import MixityError

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def from_rdflib(term: Any, blank_ids: Mapping[BNode, str] | None = None) -> Term:
    """The pyoxigraph term for an rdflib term (blank nodes renamed by `blank_ids` if given).

    Raises `ValueError` for a term Oxigraph refuses (rdflib accepts some invalid IRIs).
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode((blank_ids or {}).get(term, str(term)))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise MixityError(f"an RDF term mixity cannot convert: {term!r}")


def to_rdflib(term: Term, *, normalize: bool = True) -> Any:
    """The rdflib term for a pyoxigraph term. rdflib writes a typed literal's value in its
    canonical form ("01"^^xsd:integer becomes 1) unless `normalize` is False."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=normalize)
    raise MixityError("RDF-star terms cannot be given to rdflib")


def rdflib_triples(
    triples: Iterable[ox.Triple], *, normalize: bool = True
) -> list[tuple[Any, Any, Any]]:
    """pyoxigraph triples as rdflib's, each distinct term converted once (see `to_rdflib`)."""
    memo: dict[Term, Any] = {}

    def term(node: Term) -> Any:
        found = memo.get(node)
        if found is None:
            found = memo[node] = to_rdflib(node, normalize=normalize)
        return found

    return [(term(t.subject), term(t.predicate), term(t.object)) for t in triples]


def triples_from_rdflib(
    graph: Graph, blank_ids: Mapping[BNode, str] | None = None
) -> list[ox.Triple]:
    """The graph's triples as pyoxigraph triples. Left out, as RDF cannot hold them: generalised
    ones (literal subjects, which OWL 2 RL closes over) and N3's formulas and variables."""
    cache: dict[Any, Term] = {}

    def term(node: Any) -> Term:
        found = cache.get(node)
        if found is None:
            found = cache[node] = from_rdflib(node, blank_ids)
        return found

    return [
        ox.Triple(term(s), term(p), term(o))  # type: ignore[arg-type]
        for s, p, o in graph
        if isinstance(s, URIRef | BNode)
        and isinstance(p, URIRef)
        and isinstance(o, URIRef | BNode | Literal)
    ]


def graph_from_triples(triples: Iterable[ox.Triple], graph: Graph | None = None) -> Graph:
    """An rdflib graph (the one given, or a new one) holding `triples`."""
    graph = Graph() if graph is None else graph
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph
