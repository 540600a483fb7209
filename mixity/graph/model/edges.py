"""What becomes an edge of a picture or of a measure, beyond the views' choice of nodes.

- A link stated both ways, (A `skos:broader` B) and (B `skos:narrower` A), is one link: drawn
  and counted once, the way the first property of its pair reads (`inverse_properties`;
  the pairs of `vocabulary.INVERSE_PAIRS` and those the loaded files declare with
  `owl:inverseOf`). The page draws views through `one_way`; the networkx projection follows
  the same pairs (`mixity.graph.network.links`).
- A query's answer becomes nodes and edges (`nodes_and_edges`): classes and other schema
  resources only when a link joins them to another node, and then drawn as classes.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import IdentifiedNode, Node

from mixity.graph.model import vocabulary as vocab
from mixity.graph.model.views import Edge, View, in_order

_SCHEMA_TYPES = frozenset(URIRef(iri) for iri in vocab.SCHEMA_TYPES)
_LINKS = frozenset(URIRef(iri) for iri in vocab.LINK_PROPERTIES)


def nodes_and_edges(
    graph: Graph, schema: Collection[Node] = ()
) -> tuple[list[IdentifiedNode], list[Edge]]:
    """Nodes and edges of any graph taken as a picture (a view graph or a CONSTRUCT result).

    Types and literals are attributes; web addresses (`schema:url`…) too. Classes and other
    schema resources (those of `schema_of(graph)`, and `schema`: the loaded graph's) are nodes
    only when a link joins them to another node (`rdfs:subClassOf`…): a class's label alone
    does not make it a node.
    """
    nodes: set[IdentifiedNode] = set()
    edges: set[Edge] = set()
    for s, p, o in graph:
        if not isinstance(s, IdentifiedNode):
            continue
        if p == RDF.type:
            if o not in _SCHEMA_TYPES:
                nodes.add(s)
            continue
        nodes.add(s)
        if isinstance(o, IdentifiedNode) and isinstance(p, URIRef) and p not in _LINKS:
            nodes.add(o)
            edges.add((s, p, o))
    known = set(schema_of(graph)) | set(schema)
    linked = {n for s, _, o in edges for n in (s, o)}
    return in_order(graph, (n for n in nodes if n not in known or n in linked), edges)


def schema_of(graph: Graph) -> dict[Node, URIRef]:
    """The schema resources of a graph and their schema type: their own (`owl:ObjectProperty`…),
    else `owl:Class` for a class (an object of `rdf:type`, a subject or object of
    `rdfs:subClassOf`)."""
    found: dict[Node, URIRef] = {}
    for node, cls in graph.subject_objects(RDF.type):
        if cls in _SCHEMA_TYPES and isinstance(cls, URIRef):
            found[node] = min(cls, found.get(node, cls), key=str)
    owl_class = URIRef(vocab.OWL + "Class")
    classes = set(graph.objects(None, RDF.type))
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        classes.update((sub, sup))
    for cls in classes:
        found.setdefault(cls, owl_class)
    return found


def inverse_properties(declared: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Property -> its inverse, for the second member of each inverse pair (plain IRIs).

    A link stated both ways, (A broader B) and (B narrower A), is one link: drawn and counted
    once, as the first member of its pair says it. The pairs are `vocabulary.INVERSE_PAIRS`,
    then `declared` ((P, Q) for each `P owl:inverseOf Q` of the loaded files, P first).
    """
    inverse: dict[str, str] = {}
    kept: set[str] = set()
    for first, second in (*vocab.INVERSE_PAIRS, *sorted(declared)):
        if first == second or first in inverse or second in inverse:
            continue
        if first in kept and second in kept:
            continue
        if second in kept:  # the pair is known the other way round: keep that way
            first, second = second, first
        inverse[second] = first
        kept.add(first)
    return inverse


def declared_inverses(graph: Graph) -> dict[str, str]:
    """`inverse_properties` with the pairs `graph` declares with owl:inverseOf."""
    pairs = graph.subject_objects(URIRef(vocab.INVERSE_OF))
    return inverse_properties((str(p), str(q)) for p, q in pairs if isinstance(q, URIRef))


def one_way(shown: View, inverses: dict[str, str]) -> View:
    """The view with each inverse link turned the way its pair is read: a link stated both
    ways becomes one edge (`inverse_properties`)."""
    edges: set[Edge] = set()
    for s, p, o in shown.edges:
        kept = inverses.get(str(p))
        edges.add((o, URIRef(kept), s) if kept is not None else (s, p, o))
    ordered = sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[2])))
    return View(shown.name, shown.nodes, ordered, shown.focus, shown.depth)
