"""The part of an extension that can change what holds of the bundled resources.

`mixity diff --extension` validates the bundled data under the extended ontology and computes
its RDFS closure. A 100 k-triple extension is mostly the extension's own data, which changes
nothing about the bundled resources, and validating it all takes minutes; so both run on the
bundled graph plus what `reaching` keeps of the extension:

- every statement about a bundled node (as subject, or as object but for `rdf:type`: a new
  value, a new type, a link to it, a domain on a mixity property);
- every schema statement (`SCHEMA_PROPERTIES`: subclass, subproperty, domain, range,
  equivalence, inverse, disjointness; or a declaration of a class or property): subclass and
  subproperty chains reach the bundled resources through the extension's terms;
- the descriptions of the extension's resources that those statements point to, two links
  deep (the shapes check the values of a bundled resource: their classes, that they are
  described), and every blank node they hold, whole.

The RDFS closure of the bundled nodes is the same on this part as on the whole extension (each
rule's premises about a bundled node are statements about it or schema statements); a shape
that follows a path more than two links into the extension's own data is the one thing that
could see more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from mixity.graph.model.vocabulary import SCHEMA_PROPERTIES, SCHEMA_TYPES

#: How many links from a bundled node into the extension's own resources are kept.
DEPTH = 2
_TYPE = ox.NamedNode(str(RDF.type))
_SCHEMA = frozenset(str(p) for p in SCHEMA_PROPERTIES)
# owl:Axiom annotates statements: one about a bundled statement names a bundled node
_DECLARATIONS = frozenset(str(t) for t in SCHEMA_TYPES) - {str(OWL.Axiom)}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def reaching(base: Graph, extension: Sequence[ox.Triple]) -> list[ox.Triple]:
    """The triples of `extension` (as Oxigraph parsed them: a pass over 100 k rdflib triples
    takes a second) that can change what holds of `base`'s nodes."""
    # blank nodes belong to one file: the extension can only name the base's IRIs
    nodes = {str(n) for triple in base for n in (triple[0], triple[2]) if isinstance(n, URIRef)}
    named = ox.NamedNode

    def bundled(term: Term) -> bool:
        return type(term) is named and term.value in nodes

    kept: dict[ox.Triple, None] = {}
    frontier: set[Term] = set()
    for triple in extension:
        s, p, o = triple.subject, triple.predicate, triple.object
        # `ex:x a mix:Question` says nothing of mix:Question: a type is about its subject
        if bundled(s) or (bundled(o) and p != _TYPE) or _schema(p, o):
            kept[triple] = None
            frontier.update(n for n in (s, o) if type(n) is not ox.Literal and not bundled(n))
    if not frontier:
        return list(kept)
    described: defaultdict[Term, list[ox.Triple]] = defaultdict(list)
    for triple in extension:
        described[triple.subject].append(triple)
    seen = set(frontier)
    depth = 1
    while frontier:
        found: set[Term] = set()
        for node in frontier:
            for triple in described.get(node, ()):
                kept[triple] = None
                # blank nodes are followed whole; named resources to DEPTH links
                o = triple.object
                if type(o) is ox.BlankNode or (type(o) is named and depth < DEPTH):
                    found.add(o)
        frontier = {n for n in found - seen if not bundled(n)}
        seen |= frontier
        depth += 1
    return list(kept)


def _schema(predicate: ox.NamedNode, value: Term) -> bool:
    """A schema statement: a schema property, or a declaration."""
    if predicate == _TYPE:
        return type(value) is ox.NamedNode and value.value in _DECLARATIONS
    return predicate.value in _SCHEMA
