"""What every check reads: the base, the graph being linted, the terms each declares, the
namespaces the linted graph owns, and where its statements are written."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from rdflib import Graph, URIRef
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import OWL, RDF, RDFS, VANN, XSD
from rdflib.term import Node

from mixity.graph.lint.findings import Finding, Level
from mixity.graph.lint.positions import Key, Positions
from mixity.graph.lint.vocab import is_mixity, namespace_of, pinned_name, published
from mixity.namespaces import PREFIXES

#: rdf:type values that declare a term, and the kind of term each declares.
DECLARATIONS: dict[Node, str] = {
    OWL.Class: "class",
    RDFS.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    OWL.AnnotationProperty: "annotation property",
    RDF.Property: "property",
    OWL.FunctionalProperty: "property",
    OWL.InverseFunctionalProperty: "object property",
    OWL.TransitiveProperty: "object property",
    OWL.SymmetricProperty: "object property",
    OWL.AsymmetricProperty: "object property",
    OWL.ReflexiveProperty: "object property",
    OWL.IrreflexiveProperty: "object property",
}
PROPERTY_KINDS = ("object property", "datatype property", "annotation property", "property")
#: A statement (the last term None when any object will do).
Statement = tuple[Node, Node, Node | None]

#: Predicates whose objects are classes, and whose subjects are classes.
_CLASS_OBJECTS = (RDF.type, RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith, RDFS.domain)
_CLASS_SUBJECTS = (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith)
#: Predicates whose subjects (and, for the second, objects) are properties.
_PROPERTY_SUBJECTS = (RDFS.domain, RDFS.range)
_PROPERTY_BOTH = (RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentProperty)
_DATATYPES = (str(XSD), str(RDF.langString), str(RDF.PlainLiteral), str(RDFS.Literal))


#: rdflib's in-memory store indexes triples as {predicate: {object: {subject: 1}}}.
PredicateIndex = dict[Node, dict[Node, dict[Node, int]]]


def predicate_index(graph: Graph) -> PredicateIndex | None:
    """The predicate index of rdflib's in-memory stores, or None for another store.

    Walking rdflib's triples costs about 10 µs each (a second for 100 k) through its generators;
    a few checks that must see every triple read the store's own index instead, which may keep
    empty entries for removed triples.
    """
    if isinstance(graph, ReadOnlyGraphAggregate):
        return None  # its own store is empty: the triples are in its graphs'
    store = graph.store
    index = getattr(store, "_Memory__pos", None) or getattr(store, "_SimpleMemory__pos", None)
    return index if isinstance(index, dict) else None


def _predicates(graph: Graph) -> list[Node]:
    """The distinct predicates of a graph."""
    index = predicate_index(graph)
    if index is not None:
        return [p for p, objects in index.items() if any(objects.values())]
    return list(graph.predicates(unique=True))


def declared(graph: Graph) -> dict[URIRef, set[str]]:
    """The named terms a graph declares, with the kinds it declares them as."""
    found: dict[URIRef, set[str]] = {}
    for kind_iri, kind in DECLARATIONS.items():
        for term in graph.subjects(RDF.type, kind_iri):
            if isinstance(term, URIRef):
                found.setdefault(term, set()).add(kind)
    for kinds in found.values():
        if len(kinds) > 1:
            kinds.discard("property")  # a characteristic beside a precise kind
    return found


def is_class(kinds: set[str]) -> bool:
    return "class" in kinds


def is_property(kinds: set[str]) -> bool:
    return any(kind in PROPERTY_KINDS for kind in kinds)


@dataclass
class Context:
    """The graphs a lint run compares and the findings it collects.

    `base` is what the linted graph extends: the bundled ontology when extensions are linted,
    an empty graph when the bundled ontology itself is. Checks look only at what `graph` adds
    (its terms, its statements that `base` does not hold), so that findings are relative.
    """

    base: Graph
    graph: Graph
    positions: Positions = field(default_factory=lambda: Positions([]))
    relative: bool = True
    findings: list[Finding] = field(default_factory=list)

    @cached_property
    def merged(self) -> Graph:
        """Base and linted graph as one, read-only (not copied: an extension may be large).

        A statement in both is seen twice: count values as sets."""
        if len(self.base) == 0:
            return self.graph
        return ReadOnlyGraphAggregate([self.base, self.graph])

    @cached_property
    def base_terms(self) -> dict[URIRef, set[str]]:
        return declared(self.base)

    @cached_property
    def terms(self) -> dict[URIRef, set[str]]:
        """Every term declared in base or graph, with its kinds."""
        found = {term: set(kinds) for term, kinds in self.base_terms.items()}
        for term, kinds in declared(self.graph).items():
            found.setdefault(term, set()).update(kinds)
        return found

    @cached_property
    def new_terms(self) -> dict[URIRef, set[str]]:
        """The terms the linted graph declares and the base does not."""
        return {t: k for t, k in declared(self.graph).items() if t not in self.base_terms}

    @cached_property
    def own(self) -> tuple[str, ...]:
        """The namespaces the linted graph owns: its header's, else those of its terms."""
        found: list[str] = []
        for ontology in self.graph.subjects(RDF.type, OWL.Ontology):
            found += [str(uri) for uri in self.graph.objects(ontology, VANN.preferredNamespaceUri)]
            if isinstance(ontology, URIRef):
                iri = str(ontology)
                found += [iri] if iri.endswith(("#", "/")) else [iri + "#", iri + "/"]
        if not found:
            found = sorted({namespace_of(str(t)) for t in self.new_terms if not self.known(t)})
        if self.relative:
            found = [ns for ns in found if not is_mixity(ns)]
        return tuple(found)

    def owns(self, term: Node) -> bool:
        return isinstance(term, URIRef) and str(term).startswith(self.own)

    def known(self, term: URIRef) -> bool:
        """Whether a term belongs to a vocabulary lint knows (mixity's or a published one)."""
        iri = str(term)
        return (
            (self.relative and is_mixity(iri))
            or published(iri) is not None
            or pinned_name(term) is not None
        )

    @cached_property
    def added(self) -> Graph:
        """The statements of the linted graph that the base does not hold."""
        # The base is small: look for it in the extension, not the other way round.
        overlap = [t for t in self.base if t in self.graph]
        if not overlap:
            return self.graph
        added = Graph(bind_namespaces="none")
        added += self.graph
        for triple in overlap:
            added.remove(triple)
        return added

    @cached_property
    def usage(self) -> tuple[dict[URIRef, Statement], dict[URIRef, Statement]]:
        """The classes and the properties the linted graph's statements use, each with the
        first statement that uses it (rdf:type values that declare terms left out)."""
        classes: dict[URIRef, Statement] = {}
        properties: dict[URIRef, Statement] = {}
        added = self.added
        for prop in _CLASS_OBJECTS:
            for s, o in added.subject_objects(prop):
                if isinstance(o, URIRef) and o not in DECLARATIONS and o != OWL.Ontology:
                    classes.setdefault(o, (s, prop, o))
        for prop in _CLASS_SUBJECTS:
            for s, o in added.subject_objects(prop):
                if isinstance(s, URIRef):
                    classes.setdefault(s, (s, prop, o))
        for s, o in added.subject_objects(RDFS.range):
            if isinstance(o, URIRef) and not str(o).startswith(_DATATYPES):
                classes.setdefault(o, (s, RDFS.range, o))
        for predicate in _predicates(added):
            # the store's index may keep a predicate whose triples were all removed
            first = next(iter(added.triples((None, predicate, None))), None)
            if isinstance(predicate, URIRef) and first is not None:
                properties.setdefault(predicate, (first[0], predicate, first[2]))
        for prop in _PROPERTY_SUBJECTS + _PROPERTY_BOTH:
            for s, o in added.subject_objects(prop):
                for term in (s, o) if prop in _PROPERTY_BOTH else (s,):
                    if isinstance(term, URIRef):
                        properties.setdefault(term, (s, prop, o))
        for s, o in added.subject_objects(OWL.onProperty):
            if isinstance(o, URIRef):
                properties.setdefault(o, (s, OWL.onProperty, o))
        return classes, properties

    @cached_property
    def _names(self) -> list[tuple[str, str]]:
        names = dict(PREFIXES)
        for graph in (self.graph, self.base):
            for prefix, namespace in graph.namespaces():
                if prefix and str(namespace) not in names.values():
                    names.setdefault(prefix, str(namespace))
        return sorted(((ns, p) for p, ns in names.items()), key=lambda x: -len(x[0]))

    def short(self, term: Node | None) -> str:
        """A term as `prefix:name` when a known prefix fits, else `<iri>` (or a literal)."""
        if not isinstance(term, URIRef):
            return repr(str(term)) if term is not None else "?"
        iri = str(term)
        for namespace, prefix in self._names:
            if iri.startswith(namespace) and iri != namespace:
                return f"{prefix}:{iri[len(namespace) :]}"
        return f"<{iri}>"

    def report(
        self,
        check: str,
        level: Level,
        subject: Node | None,
        message: str,
        fix: str,
        statement: Statement | None = None,
        *,
        first_file: bool = False,
    ) -> None:
        """Record a finding, placed at `statement` (else at `subject`'s description, else at
        the top of the first file linted when `first_file`)."""
        key: Key | None = None
        if statement is not None and isinstance(statement[0], URIRef):
            obj = statement[2]
            key = (
                str(statement[0]),
                str(statement[1]),
                str(obj) if isinstance(obj, URIRef) else None,
            )
        name = str(subject) if isinstance(subject, URIRef) else None
        file, line = self.positions.locate(name, key)
        if file is None and first_file and self.positions.sources:
            file, line = self.positions.sources[0].name, 1
        self.findings.append(Finding(check, level, name, file, line, message, fix))
