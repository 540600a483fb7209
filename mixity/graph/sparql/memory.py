"""The rdflib side of the query path: the reference engine (`store="memory"`) and OWL 2 RL.

Imported only when asked for: rdflib (and owlrl) cost more to import than the default
Oxigraph path takes to answer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import XSD, Graph, Literal, URIRef

from mixity.errors import MixityError, QueryError
from mixity.graph.io.terms import from_rdflib, to_rdflib, triples_from_rdflib
from mixity.graph.sparql.backends import (
    Backend,
    Oxigraph,
    check_static_error,
    diagnose_error,
    one_line,
    take,
)
from mixity.graph.sparql.formats import Term
from mixity.graph.sparql.functions import FOLD, fold_text
from mixity.graph.sparql.results import QueryResult

__all__ = ["Rdflib", "rdflib_backend", "register_functions"]


def rdflib_backend(
    paths: list[str | Path], bundled: bool, infer: str, store: str, prefixes: dict[str, str]
) -> Backend:
    """The graph loaded with rdflib, closed under RDFS or OWL 2 RL, on the engine asked for."""
    from mixity.graph.io.loader import load

    loaded = load(paths, bundled=bundled)
    if infer == "rdfs":
        from mixity.graph.store.entailment import materialize_rdfs

        materialize_rdfs(loaded.graph)
    elif infer == "owlrl":
        import owlrl

        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(loaded.graph)
    if store == "memory":
        return Rdflib(loaded.graph, prefixes)
    oxstore = ox.Store()
    # OWL 2 RL closes over "generalised" triples (literal subjects): RDF cannot hold them,
    # and `triples_from_rdflib` leaves them out.
    triples = triples_from_rdflib(loaded.graph)
    oxstore.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return Oxigraph(oxstore, prefixes)


def _term(term: Any) -> Term | None:
    """An answer's term for the rdflib engine's value (None where a variable is unbound)."""
    return None if term is None else from_rdflib(term)


def _fold(*args: Any) -> Literal:
    """mix:fold on rdflib: an error (unbound) unless given one string literal, as on Oxigraph."""
    from rdflib.plugins.sparql.sparql import SPARQLError

    if len(args) != 1 or not isinstance(args[0], Literal):
        raise SPARQLError("mix:fold takes one string")
    literal = args[0]
    if literal.language is None and literal.datatype not in (None, XSD.string):
        raise SPARQLError("mix:fold takes a string")
    return Literal(fold_text(str(literal)))


def register_functions() -> None:
    """Make mixity's SPARQL functions (`sparql.functions`) known to rdflib's engine.

    rdflib keeps them in one table for the process; registering again replaces each by itself.
    """
    from rdflib.plugins.sparql.operators import register_custom_function

    register_custom_function(URIRef(FOLD), _fold, override=True)


class Rdflib(Backend):
    """rdflib's engine on a graph in memory: the reference implementation."""

    lookups = True

    def __init__(self, graph: Graph, prefixes: dict[str, str]) -> None:
        from rdflib.plugins import sparql

        # rdflib would otherwise fetch the IRIs of FROM clauses over the network.
        sparql.SPARQL_LOAD_GRAPHS = False
        register_functions()
        self.graph = graph
        self.prefixes = prefixes

    def holds(self, iri: str) -> bool:
        node = URIRef(iri)
        patterns = ((node, None, None), (None, node, None), (None, None, node))
        return any(next(self.graph.triples(p), None) is not None for p in patterns)

    def terms_in(self, namespace: str) -> set[str]:
        nodes = itertools.chain(self.graph.all_nodes(), self.graph.predicates(unique=True))
        return {str(n) for n in nodes if isinstance(n, URIRef) and n.startswith(namespace)}

    def run(
        self,
        text: str,
        bindings: Mapping[str, Term],
        limit: int | None,
        origin: str,
        base: str | None = None,
    ) -> QueryResult:
        from rdflib.plugins.sparql import prepareQuery

        try:
            prepared = prepareQuery(text, initNs=self.prefixes, base=base)
        except Exception as exc:  # pyparsing errors, "Unknown namespace prefix", …
            raise diagnose_error(text, self.prefixes, "", origin, base) from exc
        initial = {k: to_rdflib(v) for k, v in bindings.items()}
        try:
            answer = self.graph.query(prepared, initBindings=initial)
            if answer.type == "ASK":
                return QueryResult("ask", boolean=bool(answer.askAnswer), prefixes=self.prefixes)
            if answer.type == "SELECT":
                variables = tuple(str(v) for v in answer.vars or ())
                solutions: Iterable[Any] = answer
                rows, truncated = take(
                    (tuple(_term(term) for term in row) for row in solutions), limit
                )
                return QueryResult(
                    "select", variables, tuple(rows), prefixes=self.prefixes, truncated=truncated
                )
            graph = answer.graph
            assert graph is not None
            triples, truncated = take(iter(triples_from_rdflib(graph)), limit)
            return QueryResult(
                "graph", triples=tuple(triples), prefixes=self.prefixes, truncated=truncated
            )
        except MixityError:
            raise
        except RecursionError:
            raise QueryError(
                "query failed: rdflib's engine recursed too deep on this query (an ill-typed "
                'literal such as "abc"^^xsd:integer in arithmetic does this); '
                "the default engine, Oxigraph, answers it",
                origin=origin,
            ) from None
        except Exception as exc:  # rdflib's evaluator raises many unrelated types
            raise QueryError(f"query failed: {one_line(exc)}", origin=origin) from None

    def update(self, text: str, origin: str, base: str | None = None) -> int:
        from rdflib.plugins.sparql import prepareUpdate

        before = len(self.graph)
        try:
            self.graph.update(prepareUpdate(text, initNs=self.prefixes, base=base))
        except Exception as exc:
            diagnosed = check_static_error(text, self.prefixes, origin, base)
            raise (
                diagnosed or QueryError(f"update failed: {one_line(exc)}", origin=origin)
            ) from None
        return len(self.graph) - before
