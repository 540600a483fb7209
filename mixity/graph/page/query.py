"""A SPARQL answer as the page's picture.

The query runs on the graph `render` was given, never on files read again: its triples are
copied into an in-memory Oxigraph store with RDFS entailment and the same predeclared prefixes
as `mixity query` (mixity's, then the graph's own), and the caller's graph is left untouched.
A CONSTRUCT or DESCRIBE answer, or a SELECT of ?s ?p ?o, is the graph drawn.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.term import IdentifiedNode, Node

from mixity.errors import MixityError
from mixity.graph.model.edges import nodes_and_edges, schema_of
from mixity.graph.model.views import View

if TYPE_CHECKING:
    from mixity.graph.sparql.catalogue import SavedQuery
    from mixity.graph.sparql.engine import QueryEngine
    from mixity.graph.sparql.hints import QueryWarning
    from mixity.graph.sparql.results import QueryResult


@dataclass(frozen=True)
class Answer:
    """What a query gives the page: its picture, its name, the types it states, the schema
    type of each class or property it draws as a node, and the query's warnings."""

    view: View
    name: str
    types: list[tuple[IdentifiedNode, URIRef]]
    schema: list[tuple[IdentifiedNode, URIRef]]
    warnings: tuple[QueryWarning, ...] = ()


def query_answer(
    graph: Graph, query: str, params: Mapping[str, str] | None = None, *, strict: bool = False
) -> Answer:
    """Run `query` (SPARQL text, a `.rq` file or a saved query's name) on `graph`.

    A query's own text is checked as `QueryEngine.query` checks it (`Answer.warnings`);
    `strict` makes a warning a `QueryError`, raised before the query runs.
    """
    text, name, origin = _read(query)
    engine, blanks = query_engine(graph)
    result = engine.query(text, params=params, origin=origin, strict=strict)
    picture = _answer_graph(result, name, blanks)
    # Classes are schema: drawn only when linked (a hierarchy), and then as classes.
    schema = {**schema_of(graph), **schema_of(picture)}
    nodes, edges = nodes_and_edges(picture, schema)
    types = [
        (node, cls)
        for node, cls in picture.subject_objects(RDF.type)
        if isinstance(node, IdentifiedNode) and isinstance(cls, URIRef)
    ]
    view = View(name="query", nodes=nodes, edges=edges)
    drawn = [(n, schema[n]) for n in nodes if n in schema]
    return Answer(view, name, types, drawn, result.warnings)


def query_engine(graph: Graph) -> tuple[QueryEngine, dict[str, BNode]]:
    """A query engine over a copy of `graph`, as `mixity query` sees it (RDFS entailment,
    predeclared prefixes), and the graph's blank nodes by their id in the copy."""
    import pyoxigraph as ox

    from mixity.graph.io.terms import triples_from_rdflib
    from mixity.graph.sparql.engine import QueryEngine
    from mixity.graph.store.entailment import materialize_rdfs_store

    # Oxigraph refuses some blank node ids rdflib takes: number them, and map answers back.
    blanks = {n for s, _, o in graph for n in (s, o) if isinstance(n, BNode)}
    blank_ids = {node: f"b{i}" for i, node in enumerate(blanks)}
    try:
        triples = triples_from_rdflib(graph, blank_ids)
    except ValueError as exc:
        raise MixityError(f"the graph cannot be queried: {exc}") from None
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    materialize_rdfs_store(store)
    # The graph's own prefixes (the loader keeps each file's) come after mixity's.
    prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}
    engine = QueryEngine.from_store(store, prefixes)
    return engine, {ident: node for node, ident in blank_ids.items()}


def _read(query: str) -> tuple[str | SavedQuery, str, str]:
    """The query's text (or saved query), its name for the page, its origin for messages."""
    if "\n" not in query and Path(query).suffix == ".rq":
        from mixity.graph.io.files import read_query

        return read_query(Path(query)), query, query
    if re.fullmatch(r"[A-Za-z0-9][\w-]*", query):
        from mixity.graph.sparql.catalogue import saved_query

        return saved_query(query), query, query
    return query, " ".join(query.split())[:120], "query"


def _answer_graph(result: QueryResult, name: str, blanks: Mapping[str, BNode]) -> Graph:
    from mixity.graph.io.terms import to_rdflib

    def term(value: object) -> Node:
        node: Node = to_rdflib(value)  # type: ignore[arg-type]
        return blanks.get(str(node), node) if isinstance(node, BNode) else node

    graph = Graph()
    if result.kind == "graph":
        for triple in result.triples:
            graph.add((term(triple.subject), term(triple.predicate), term(triple.object)))
        return graph
    if result.kind == "select" and {"s", "p", "o"} <= set(result.variables):
        at = [result.variables.index(v) for v in ("s", "p", "o")]
        for row in result.rows:
            s, p, o = (row[i] for i in at)
            if s is not None and p is not None and o is not None:
                graph.add((term(s), term(p), term(o)))
        return graph
    found = ", ".join(f"?{v}" for v in result.variables) or result.kind.upper()
    raise MixityError(
        f"{name}: the page draws a CONSTRUCT or DESCRIBE answer, or a SELECT of ?s ?p ?o "
        f"(this query gives {found})"
    )
