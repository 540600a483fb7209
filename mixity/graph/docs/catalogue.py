"""What the documentation says about each class and property of a loaded graph: labels and
definition in both languages, super- and subterms, domain and range, how many resources use it,
and one example from the data with the quote it rests on.

The graph is read once into plain indexes (`_Usage`), so that counting and finding examples
stays one pass whatever the size of an extension's data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, URIRef
from rdflib.term import IdentifiedNode, Node

from mixity.graph.docs.text import Anchors, Bilingual, name_of, text_of
from mixity.graph.io.loader import LoadedGraph
from mixity.graph.model import vocabulary as vocab
from mixity.graph.model.resolve import fold
from mixity.namespaces import MIX, PREFIXES

CLASS_TYPES = (vocab.OWL + "Class", vocab.RDFS + "Class")
#: Property types, and the section of the documentation each one goes to (first match wins).
PROPERTY_KINDS = (
    (vocab.OWL + "ObjectProperty", "object"),
    (vocab.OWL + "DatatypeProperty", "datatype"),
    (vocab.OWL + "AnnotationProperty", "annotation"),
    (vocab.OWL + "TransitiveProperty", "object"),
    (vocab.OWL + "SymmetricProperty", "object"),
    (vocab.OWL + "InverseFunctionalProperty", "object"),
    (vocab.OWL + "FunctionalProperty", "other"),
    (vocab.RDF + "Property", "other"),
)
#: Links that place a concept in its scheme, or a statement in an axiom, rather than say
#: something about a resource: not counted as references to it.
STRUCTURE = frozenset(
    URIRef(p)
    for p in (
        vocab.SKOS + "inScheme", vocab.SKOS + "topConceptOf", vocab.SKOS + "hasTopConcept",
        vocab.SKOS + "broader", vocab.SKOS + "narrower", vocab.OWL + "annotatedSource",
        vocab.OWL + "annotatedTarget",
    )
)  # fmt: skip
_ANNOTATED_PROPERTY = URIRef(vocab.OWL + "annotatedProperty")
_ANNOTATED_SOURCE = URIRef(vocab.OWL + "annotatedSource")
_ANNOTATED_TARGET = URIRef(vocab.OWL + "annotatedTarget")
_TITLES = (vocab.DCTERMS + "title", vocab.SCHEMA + "name", *vocab.LABEL_PROPERTIES)
_QUOTE_LIMIT = 400
_VALUE_LIMIT = 120


@dataclass(frozen=True)
class Example:
    """One use of a term in the data: a resource (and, for a property, its value), and the
    quote that the statement or the resource rests on, if there is one."""

    subject: Node
    value: Node | None = None
    quote: str | None = None
    source: Node | None = None


@dataclass
class Term:
    """A class or a property of the graph, with everything its section shows."""

    iri: str
    kind: str  # "class", or the property's section: "object", "datatype", "annotation", "other"
    label: Bilingual
    definition: Bilingual | None
    origin: str | None
    extension: bool
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    inverses: list[str] = field(default_factory=list)
    #: for a class: the properties whose domain / range it is
    domain_of: list[str] = field(default_factory=list)
    range_of: list[str] = field(default_factory=list)
    #: class: resources typed with it; property: resources that state it
    uses: int = 0
    #: class: resources typed with it or one of its subclasses; property: statements
    uses_more: int = 0
    example: Example | None = None

    @property
    def is_class(self) -> bool:
        """Whether the term is a class."""
        return self.kind == "class"


@dataclass(frozen=True)
class Header:
    """An `owl:Ontology` of the graph: mixity's or an extension's."""

    iri: str
    title: Bilingual
    description: Bilingual | None
    facts: list[tuple[str, str]]
    imports: list[str]
    origin: str | None
    extension: bool


class Usage:
    """The graph read once: who uses each property, the instances of each class, evidence."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.subjects: defaultdict[Node, set[Node]] = defaultdict(set)
        self.statements: defaultdict[Node, int] = defaultdict(int)
        self.instances: defaultdict[Node, set[Node]] = defaultdict(set)
        #: resource -> the resources that link to it (not by a scheme's structure)
        self.referrers: defaultdict[Node, set[Node]] = defaultdict(set)
        rdf_type = URIRef(vocab.RDF_TYPE)
        # One pass: iterating an rdflib graph is the costly part (~40 µs a triple).
        for s, p, o in graph:
            self.subjects[p].add(s)
            self.statements[p] += 1
            if p == rdf_type:
                self.instances[o].add(s)
            elif isinstance(o, URIRef) and p not in STRUCTURE:
                self.referrers[o].add(s)
        schema_types = [URIRef(t) for t in vocab.SCHEMA_TYPES]
        #: resources of the TBox (classes, properties, shapes, axioms): never shown as examples
        self.schema: set[Node] = set().union(*(self.instances.get(t, set()) for t in schema_types))
        cites = {URIRef(vocab.EVIDENCE)}
        todo = [URIRef(vocab.EVIDENCE)]
        while todo:  # mix:evidence and its subproperties
            for sub in graph.subjects(URIRef(vocab.SUBPROPERTY_OF), todo.pop()):
                if isinstance(sub, URIRef) and sub not in cites:
                    cites.add(sub)
                    todo.append(sub)
        self.cites = cites

    def quote(self, node: Node) -> tuple[str, Node | None] | None:
        """The first quote (and its source document) a node rests on: its own `oa:exact`, its
        selectors' (an `oa:SpecificResource`), or those of the evidence it cites."""
        graph = self.graph
        exact = URIRef(vocab.EXACT)
        for value in sorted(graph.objects(node, exact), key=str):
            return str(value), None
        selector = URIRef(vocab.HAS_SELECTOR)
        for evidence in [
            node,
            *sorted((o for p in self.cites for o in graph.objects(node, p)), key=str),
        ]:
            for sel in sorted(graph.objects(evidence, selector), key=str):
                for value in sorted(graph.objects(sel, exact), key=str):
                    return str(value), graph.value(evidence, URIRef(vocab.HAS_SOURCE))
        return None


def _closure(edges: dict[Node, set[Node]], start: Node) -> set[Node]:
    """`start` and everything reachable from it (cycles allowed)."""
    seen = {start}
    todo = [start]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _iris(nodes: Iterable[Node]) -> list[str]:
    return sorted({str(n) for n in nodes if isinstance(n, URIRef)})


def _kind(types: set[Node]) -> str | None:
    if any(URIRef(t) in types for t in CLASS_TYPES):
        return "class"
    for iri, kind in PROPERTY_KINDS:
        if URIRef(iri) in types:
            return kind
    return None


def collect_terms(
    loaded: LoadedGraph, anchors: Anchors, usage: Usage, lang: str = "fr"
) -> list[Term]:
    """Every class and property (IRIs) declared in the loaded graph, ordered: mixity's own,
    then the extensions', then the reused vocabularies' terms, each by its label in `lang`."""
    graph = loaded.graph
    bundled = {f.path for f in loaded.files if f.bundled}
    typed: defaultdict[URIRef, set[Node]] = defaultdict(set)
    wanted = {URIRef(t) for t in CLASS_TYPES} | {URIRef(t) for t, _ in PROPERTY_KINDS}
    for cls in wanted:
        for node in usage.instances.get(cls, ()):
            if isinstance(node, URIRef):
                typed[node].add(cls)
    sub_class = URIRef(vocab.SUBCLASS_OF)
    sub_prop = URIRef(vocab.SUBPROPERTY_OF)
    children: defaultdict[Node, set[Node]] = defaultdict(set)
    for sub, sup in graph.subject_objects(sub_class):
        children[sup].add(sub)
    terms = []
    for node, types in typed.items():
        kind = _kind(types)
        if kind is None:
            continue
        origin = loaded.origin(node)
        term = Term(
            iri=str(node),
            kind=kind,
            label=name_of(graph, node),
            definition=text_of(graph, node, vocab.DEFINITION_PROPERTIES),
            origin=origin,
            extension=bool(bundled) and origin is not None and origin not in bundled,
        )
        if kind == "class":
            term.parents = _iris(graph.objects(node, sub_class))
            term.children = _iris(graph.subjects(sub_class, node))
            term.domain_of = _iris(graph.subjects(URIRef(vocab.RDFS + "domain"), node))
            term.range_of = _iris(graph.subjects(URIRef(vocab.RDFS + "range"), node))
            term.uses = len(usage.instances.get(node, ()))
            below = _closure(children, node)
            term.uses_more = len(set().union(*(usage.instances.get(c, set()) for c in below)))
            term.example = _class_example(usage, node, below)
        else:
            term.parents = _iris(graph.objects(node, sub_prop))
            term.children = _iris(graph.subjects(sub_prop, node))
            term.domains = _iris(graph.objects(node, URIRef(vocab.RDFS + "domain")))
            term.ranges = _iris(graph.objects(node, URIRef(vocab.RDFS + "range")))
            inverse = URIRef(vocab.INVERSE_OF)
            term.inverses = _iris([*graph.objects(node, inverse), *graph.subjects(inverse, node)])
            term.uses = len(usage.subjects.get(node, ()))
            term.uses_more = usage.statements.get(node, 0)
            term.example = _property_example(usage, node)
        anchors.id(term.iri)
        terms.append(term)
    terms.sort(key=lambda t: (_group(t), fold(t.label.slot(lang).text), t.iri))
    return terms


def _group(term: Term) -> int:
    """mixity's own terms first, then the extensions', then the reused vocabularies'."""
    if term.extension:
        return 1
    return 0 if term.iri.startswith(MIX) else 2


def _class_example(usage: Usage, cls: Node, below: set[Node]) -> Example | None:
    """An instance of the class (else of a subclass) of the data, one with a quote if any."""
    first: Node | None = None
    for group in ([cls], sorted(below - {cls}, key=str)):
        members: set[Node] = set().union(*(usage.instances.get(c, set()) for c in group))
        for node in sorted(members - usage.schema, key=_order):
            found = usage.quote(node)
            if found is not None:
                return Example(node, quote=found[0], source=found[1])
            first = first if first is not None else node
    return Example(first) if first is not None else None


def _property_example(usage: Usage, prop: Node) -> Example | None:
    """A statement of the data with the property: one an `owl:Axiom` quotes, else one whose
    subject has a quote, else the first one."""
    graph = usage.graph
    for axiom in sorted(graph.subjects(_ANNOTATED_PROPERTY, prop), key=_order):
        found = usage.quote(axiom) if any(graph.objects(axiom, p) for p in usage.cites) else None
        subject = graph.value(axiom, _ANNOTATED_SOURCE)
        value = graph.value(axiom, _ANNOTATED_TARGET)
        if found is not None and subject is not None and (subject, prop, value) in graph:
            return Example(subject, value, found[0], found[1])
    first: Example | None = None
    pairs = sorted(graph.subject_objects(prop), key=lambda so: (_order(so[0]), str(so[1])))
    for schema in (False, True):  # data resources first, the TBox's only if nothing else
        for subject, value in pairs:
            if (subject in usage.schema) != schema:
                continue
            found = usage.quote(subject)
            if found is not None:
                return Example(subject, value, found[0], found[1])
            first = first if first is not None else Example(subject, value)
    return first


def _order(node: Node) -> tuple[int, str]:
    """IRIs before blank nodes, each by its text: the same example on every run."""
    return (1 if isinstance(node, BNode) else 0, str(node))


def shorten(text: str, limit: int = _QUOTE_LIMIT) -> str:
    """One line of at most `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def value_text(node: Node) -> str:
    """A literal value as the example shows it."""
    return shorten(str(node), _VALUE_LIMIT)


def source_title(graph: Graph, doc: Node) -> Bilingual:
    """A source document's title (else its name or label)."""
    return text_of(graph, doc, _TITLES) or name_of(graph, doc)


def collect_headers(loaded: LoadedGraph, anchors: Anchors) -> list[Header]:
    """The `owl:Ontology` resources of the graph: mixity's first, then the extensions'."""
    graph = loaded.graph
    bundled = {f.path for f in loaded.files if f.bundled}
    dc = vocab.DCTERMS
    headers = []
    for node in graph.subjects(URIRef(vocab.RDF_TYPE), URIRef(vocab.OWL + "Ontology")):
        if not isinstance(node, IdentifiedNode):
            continue
        facts: list[tuple[str, str]] = []
        for prop in (
            vocab.OWL + "versionIRI",
            vocab.OWL + "versionInfo",
            dc + "creator",
            dc + "license",
            dc + "created",
            dc + "modified",
            PREFIXES["vann"] + "preferredNamespacePrefix",
            PREFIXES["vann"] + "preferredNamespaceUri",
        ):
            for value in sorted(graph.objects(node, URIRef(prop)), key=str):
                facts.append((prop, str(value)))
        origin = loaded.origin(node)
        headers.append(
            Header(
                iri=str(node),
                title=text_of(graph, node, (dc + "title", *vocab.LABEL_PROPERTIES))
                or name_of(graph, node),
                description=text_of(graph, node, (dc + "description", vocab.RDFS + "comment")),
                facts=facts,
                imports=_iris(graph.objects(node, URIRef(vocab.OWL + "imports"))),
                origin=origin,
                extension=bool(bundled) and origin is not None and origin not in bundled,
            )
        )
    headers.sort(key=lambda h: (h.extension, h.origin or "", h.iri))
    return headers
