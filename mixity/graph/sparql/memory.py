"""The rdflib side of `mixity query`: the reference engine (`--store memory`) and OWL 2 RL.

Imported only when asked for: rdflib (and owlrl) cost more to import than the default
Oxigraph path takes to answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from mixity.errors import MixityError, QueryError
from mixity.graph.sparql.engine import (
    Backend,
    Oxigraph,
    check_static_error,
    diagnose_error,
    file_prefixes,
    one_line,
    take,
)
from mixity.graph.sparql.formats import Term
from mixity.graph.sparql.results import QueryResult

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_backend(paths: list[str | Path], bundled: bool, infer: str, store: str) -> Backend:
    """The graph loaded with rdflib, closed under RDFS or OWL 2 RL, on the engine asked for."""
    from mixity.graph.io.loader import load

    loaded = load(paths, bundled=bundled)
    prefixes = file_prefixes(paths, bundled)
    if infer == "rdfs":
        from mixity.graph.store.entailment import materialize_rdfs

        materialize_rdfs(loaded.graph)
    elif infer == "owlrl":
        import owlrl

        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(loaded.graph)
    if store == "memory":
        return Rdflib(loaded.graph, prefixes)
    oxstore = ox.Store()
    # OWL 2 RL closes over "generalised" triples (literal subjects): RDF cannot hold them.
    oxstore.extend(
        ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o))  # type: ignore[arg-type]
        for s, p, o in loaded.graph
        if not isinstance(s, Literal) and isinstance(p, URIRef)
    )
    return Oxigraph(oxstore, prefixes)


def from_rdflib(term: Any) -> Term | None:

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"the engine returned a term mixity cannot show: {term!r}")


def to_rdflib(term: Term) -> Any:

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise QueryError("RDF-star terms cannot be bound on the rdflib engine")


class Rdflib(Backend):
    def __init__(self, graph: Graph, prefixes: dict[str, str]) -> None:
        from rdflib.plugins import sparql

        # rdflib would otherwise fetch the IRIs of FROM clauses over the network.
        sparql.SPARQL_LOAD_GRAPHS = False
        self.graph = graph
        self.prefixes = prefixes

    def run(
        self, text: str, bindings: Mapping[str, Term], limit: int | None, origin: str
    ) -> QueryResult:
        from rdflib.plugins.sparql import prepareQuery

        try:
            prepared = prepareQuery(text, initNs=self.prefixes)
        except Exception as exc:  # pyparsing errors, "Unknown namespace prefix", …
            raise diagnose_error(text, self.prefixes, "", origin) from exc
        initial = {k: to_rdflib(v) for k, v in bindings.items()}
        try:
            answer = self.graph.query(prepared, initBindings=initial)
            if answer.type == "ASK":
                return QueryResult("ask", boolean=bool(answer.askAnswer), prefixes=self.prefixes)
            if answer.type == "SELECT":
                variables = tuple(str(v) for v in answer.vars or ())
                solutions: Iterable[Any] = answer
                rows, truncated = take(
                    (tuple(from_rdflib(term) for term in row) for row in solutions), limit
                )
                return QueryResult(
                    "select", variables, tuple(rows), prefixes=self.prefixes, truncated=truncated
                )
            graph = answer.graph
            assert graph is not None
            converted = (
                ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))  # type: ignore[arg-type]
                for s, p, o in graph
            )
            triples, truncated = take(converted, limit)
            return QueryResult(
                "graph", triples=tuple(triples), prefixes=self.prefixes, truncated=truncated
            )
        except MixityError:
            raise
        except RecursionError:
            raise QueryError(
                "query failed: rdflib's engine recursed too deep on this query (an ill-typed "
                'literal such as "abc"^^xsd:integer in arithmetic does this); '
                "the default engine (--store oxigraph) answers it",
                origin=origin,
            ) from None
        except Exception as exc:  # rdflib's evaluator raises many unrelated types
            raise QueryError(f"query failed: {one_line(exc)}", origin=origin) from None

    def update(self, text: str, origin: str) -> int:
        before = len(self.graph)
        try:
            self.graph.update(text, initNs=self.prefixes)
        except Exception as exc:
            diagnosed = check_static_error(text, self.prefixes, origin)
            raise (
                diagnosed or QueryError(f"update failed: {one_line(exc)}", origin=origin)
            ) from None
        return len(self.graph) - before
