"""RDFS entailment as plain SPARQL Update, for rdflib graphs and Oxigraph stores alike.

Materialising the useful RDFS rules once lets `?x a ibis:Issue` find the `mix:Question`s and
`?x a schema:Event` find meetings, workshops and talks, on any engine that runs SPARQL Update,
with no reasoner import (owlrl is slow to import and slower to run on large graphs).

The rules kept (RDF 1.1 Semantics, section 9.2): rdfs5 and rdfs11 (transitive
`rdfs:subPropertyOf` and `rdfs:subClassOf`), rdfs7 (property values through sub-properties),
rdfs2 and rdfs3 (typing through `rdfs:domain` and `rdfs:range`), rdfs9 (types through
sub-classes). Left out because they only add noise to query answers: every resource being an
`rdfs:Resource` (rdfs4, rdfs8), every class and property being its own sub-class or
sub-property (rdfs6, rdfs10), container membership (rdfs12) and datatype classes (rdfs13).
A range is not applied to literal values: a literal cannot be a subject in RDF 1.1.

The updates run in the order given. Each rule sees the complete output of the rules before it,
and the closures are computed with property paths, so one pass reaches the fixpoint for every
vocabulary that does not redefine the RDFS terms themselves (e.g. a property declared
`rdfs:subPropertyOf rdfs:subClassOf`); `materialize_*` detect those and iterate to the fixpoint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

_PREFIXES = """\
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

#: SPARQL Update strings that materialise RDFS entailment, to be run in this order.
RDFS_UPDATES: list[str] = [
    # rdfs11: the transitive closure of rdfs:subClassOf.
    _PREFIXES
    + """INSERT { ?a rdfs:subClassOf ?c }
WHERE { ?a rdfs:subClassOf/rdfs:subClassOf+ ?c }""",
    # rdfs5: the transitive closure of rdfs:subPropertyOf.
    _PREFIXES
    + """INSERT { ?a rdfs:subPropertyOf ?c }
WHERE { ?a rdfs:subPropertyOf/rdfs:subPropertyOf+ ?c }""",
    # rdfs7: a value of a property is a value of each of its super-properties.
    _PREFIXES
    + """INSERT { ?s ?q ?o }
WHERE { ?p rdfs:subPropertyOf ?q . FILTER(?p != ?q) ?s ?p ?o }""",
    # rdfs2: the subject of a property with a domain is an instance of the domain.
    _PREFIXES
    + """INSERT { ?s rdf:type ?c }
WHERE { ?p rdfs:domain ?c . ?s ?p ?o }""",
    # rdfs3: the (non-literal) value of a property with a range is an instance of the range.
    _PREFIXES
    + """INSERT { ?o rdf:type ?c }
WHERE { ?p rdfs:range ?c . ?s ?p ?o . FILTER(!isLiteral(?o)) }""",
    # rdfs9: an instance of a class is an instance of each of its super-classes.
    _PREFIXES
    + """INSERT { ?s rdf:type ?c }
WHERE { ?b rdfs:subClassOf ?c . FILTER(?b != ?c) ?s rdf:type ?b }""",
]

#: True when one pass of `RDFS_UPDATES` may not reach the fixpoint: a property is declared a
#: sub-property of an RDFS term, or rdf:type itself has a super-property, domain or range, so a
#: later rule's output can feed an earlier rule. Cheap: it reads schema triples only.
_META_VOCABULARY = (
    _PREFIXES
    + """ASK {
  { ?p rdfs:subPropertyOf ?q
    VALUES ?q { rdfs:subClassOf rdfs:subPropertyOf rdfs:domain rdfs:range } }
  UNION { rdf:type rdfs:subPropertyOf|rdfs:domain|rdfs:range ?x }
}"""
)

#: Passes after which a vocabulary that keeps redefining RDFS terms is left as it is.
_MAX_PASSES = 10


def materialize_rdfs(graph: rdflib.Graph) -> None:
    """Add the RDFS entailments of `graph` to it, in place (see the module docstring)."""
    for update in RDFS_UPDATES:
        graph.update(update)
    if not graph.query(_META_VOCABULARY).askAnswer:
        return
    for _ in range(_MAX_PASSES):
        before = len(graph)
        for update in RDFS_UPDATES:
            graph.update(update)
        if len(graph) == before:
            return


def materialize_rdfs_store(store: pyoxigraph.Store) -> None:
    """Add the RDFS entailments of the default graph of `store` to it, in place."""
    for update in RDFS_UPDATES:
        store.update(update)
    if not bool(store.query(_META_VOCABULARY)):
        return
    # Rare (meta-modelling): iterate to the fixpoint; len() counts the store, hence not
    # on the common path.
    for _ in range(_MAX_PASSES):
        before = len(store)
        for update in RDFS_UPDATES:
            store.update(update)
        if len(store) == before:
            return
