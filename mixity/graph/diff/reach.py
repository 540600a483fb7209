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

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

from mixity.graph.diff.components import Triple
from mixity.graph.model.vocabulary import SCHEMA_PROPERTIES, SCHEMA_TYPES

#: How many links from a bundled node into the extension's own resources are kept.
DEPTH = 2
_TYPE = f"<{RDF.type}"
_SCHEMA = frozenset(f"<{p}" for p in SCHEMA_PROPERTIES)
# owl:Axiom annotates statements: one about a bundled statement names a bundled node
_DECLARATIONS = frozenset(f"<{t}" for t in SCHEMA_TYPES) - {f"<{OWL.Axiom}"}


def reaching(base: Graph, extension: Graph) -> list[Triple]:
    """The triples of `extension` that can change what holds of `base`'s nodes."""
    keys = TermKeys()  # plain strings: 100 k rdflib hashes would take a second
    nodes = {
        k
        for s, _, o in base
        for k in (keys(s), keys(o))
        if not k.startswith('"')  # no literal
    }
    kept: dict[Triple, None] = {}
    frontier: set[Node] = set()
    for triple in extension:
        s, p, o = triple
        ks, kp, ko = keys.triple(triple)
        # `ex:x a mix:Question` says nothing of mix:Question: a type is about its subject
        if ks in nodes or (ko in nodes and kp != _TYPE) or _schema(kp, ko):
            kept[triple] = None
            frontier.update(n for n, k in ((s, ks), (o, ko))
                            if k not in nodes and not isinstance(n, Literal))  # fmt: skip
    seen = set(frontier)
    depth = 1
    while frontier:
        found: set[Node] = set()
        for node in frontier:
            for _, p, o in extension.triples((node, None, None)):
                kept[(node, p, o)] = None
                # blank nodes are followed whole; named resources to DEPTH links
                if isinstance(o, BNode) or (isinstance(o, URIRef) and depth < DEPTH):
                    found.add(o)
        frontier = {n for n in found - seen if keys(n) not in nodes}
        seen |= frontier
        depth += 1
    return list(kept)


class TermKeys:
    """Plain-string keys of rdflib terms: `<iri`, `_:id`, or `"lang\x01datatype\x01value`.

    rdflib hashes and compares its terms in Python; plain strings are hashed and compared in C,
    which makes the set operations on 100 k triples several times faster. Keys are memoised by
    object (the loader gives each distinct term one object), holding the term so that its id
    is not reused.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Node, str]] = {}

    def __call__(self, term: Node) -> str:
        found = self._memo.get(id(term))
        if found is None:
            found = self._memo[id(term)] = (term, _key(term))
        return found[1]

    def triple(self, triple: Triple) -> tuple[str, str, str]:
        """The keys of a triple's three terms (one call: this runs once per triple)."""
        memo = self._memo
        s, p, o = triple
        a, b, c = memo.get(id(s)), memo.get(id(p)), memo.get(id(o))
        if a is None:
            a = memo[id(s)] = (s, _key(s))
        if b is None:
            b = memo[id(p)] = (p, _key(p))
        if c is None:
            c = memo[id(o)] = (o, _key(o))
        return a[1], b[1], c[1]


def _key(term: Node) -> str:
    """A plain `str` (an f-string: `"<" + URIRef` would be a URIRef, hashed in Python)."""
    kind = type(term)
    if kind is URIRef:
        return f"<{term}"
    if kind is BNode:
        return f"_:{term}"
    if isinstance(term, Literal):
        return f'"{term.language or ""}\x01{term.datatype or ""}\x01{term}'
    return f"_:{term}" if isinstance(term, BNode) else f"<{term}"


def _schema(predicate: str, value: str) -> bool:
    """A schema statement (`TermKeys` keys): a schema property, or a declaration."""
    return predicate in _SCHEMA or (predicate == _TYPE and value in _DECLARATIONS)
