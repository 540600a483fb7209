"""A query's answer at an endpoint as a graph to draw (`mixity render --endpoint URL`).

Kept apart from `mixity.graph.remote.endpoint`, which the query path may import: this module
returns an rdflib graph (what `mixity.graph.page.render` draws) and so imports rdflib.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from mixity.errors import MixityError
from mixity.graph.remote.endpoint import run_remote
from mixity.graph.remote.http import Credentials
from mixity.graph.sparql.catalogue import SavedQuery


def remote_graph(
    url: str,
    query: str | SavedQuery,
    *,
    params: Mapping[str, str] | None = None,
    prefixes: Mapping[str, str] | None = None,
    timeout: float | None = None,
    auth: Credentials | None = None,
    paths: tuple[str | Path, ...] = (),
) -> Graph:
    """The graph a query at `url` answers, as an rdflib `Graph` (`mixity render --endpoint`).

    `query` is SPARQL text, a `.rq` file or a saved query's name, as `mixity render --query`
    takes it; its CONSTRUCT or DESCRIBE answer, or a SELECT of ?s ?p ?o, is the graph.
    """
    from mixity.graph.io.terms import graph_from_triples

    text, origin = _query_argument(query)
    result = run_remote(
        url,
        text,
        params=params,
        prefixes=prefixes,
        timeout=timeout,
        auth=auth,
        paths=paths,
        origin=origin,
    )
    if result.kind == "graph":
        return graph_from_triples(result.triples)
    if result.kind == "select" and {"s", "p", "o"} <= set(result.variables):
        at = [result.variables.index(v) for v in ("s", "p", "o")]
        triples = []
        for row in result.rows:
            s, p, o = (row[i] for i in at)
            if (
                isinstance(s, ox.NamedNode | ox.BlankNode)
                and isinstance(p, ox.NamedNode)
                and o is not None
            ):
                triples.append(ox.Triple(s, p, o))
        return graph_from_triples(triples)
    found = ", ".join(f"?{v}" for v in result.variables) or result.kind.upper()
    raise MixityError(
        f"{origin}: a page draws a CONSTRUCT or DESCRIBE answer, or a SELECT of ?s ?p ?o "
        f"(this query gives {found})"
    )


def _query_argument(query: str | SavedQuery) -> tuple[str | SavedQuery, str]:
    """A saved query's name, a `.rq` file or SPARQL text, as `--query` takes them."""
    if isinstance(query, SavedQuery):
        return query, f"{query.name}.rq"
    if "\n" not in query and Path(query).suffix == ".rq":
        from mixity.graph.io.files import read_query

        return read_query(Path(query)), query
    if re.fullmatch(r"[A-Za-z0-9][\w-]*", query):
        from mixity.graph.sparql.catalogue import saved_query

        return saved_query(query), f"{query}.rq"
    return query, "query"
