"""Views of the debate graph: which resources and relations a picture (or a projection) shows.

A view is a set of *nodes* (resources: IRIs or blank nodes, never literals) and the *edges*
between them (resource-to-resource triples other than `rdf:type`). Literals and types are
attributes of the nodes. The schema (classes, properties, the ontology, shapes) is never a node.

- `overview`: every resource of the data except the evidence machinery (quotes are shown as
  attributes of the facts they support);
- `debate`: events (meeting, workshops, talks), questions, levers, findings and the people who
  spoke;
- `concepts`: SKOS concepts (notions, actor types, policy areas) and their schemes;
- `actors`: levers and actor types (`mix:involves`, `skos:broader`);
- `evidence`: the facts that cite evidence, their quotes (`oa:SpecificResource`) and the
  source documents quoted.

Membership follows `rdfs:subClassOf` in the loaded graph, so a class added by an extension
(`ex:Hearing rdfs:subClassOf schema:Event`) lands in the right view without code changes.

    from mixity.graph.model.views import view_graph, view_nodes
    nodes = view_nodes(graph, "debate", focus="Lever", depth=2)
    sub = view_graph(graph, "actors")
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import IdentifiedNode, Node

from mixity.errors import MixityError, UnknownName
from mixity.graph.model.labels import compact, label
from mixity.namespaces import MIX, PREFIXES

SCHEMA = PREFIXES["schema"]
OA = PREFIXES["oa"]
IBIS = PREFIXES["ibis"]
SH = PREFIXES["sh"]

#: Types whose instances are the schema (classes, properties, the ontology, shapes).
SCHEMA_TYPES = frozenset(
    URIRef(str(iri))
    for iri in (
        OWL.Ontology,
        OWL.Class,
        RDFS.Class,
        RDF.Property,
        RDFS.Datatype,
        OWL.Restriction,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.OntologyProperty,
        OWL.AllDisjointClasses,
        SH + "NodeShape",
        SH + "PropertyShape",
        SH + "Shape",
    )
)
#: Types that say nothing about what a resource is in the debate.
NEUTRAL_TYPES = frozenset({OWL.NamedIndividual, OWL.Thing, RDFS.Resource})

#: Properties whose IRI values are web addresses, not resources: attributes, never edges.
LINK_PROPERTIES = frozenset(
    URIRef(iri)
    for iri in (SCHEMA + "url", SCHEMA + "sameAs", str(RDFS.seeAlso), str(RDFS.isDefinedBy))
)

EVIDENCE = URIRef(MIX + "evidence")
HAS_SOURCE = URIRef(OA + "hasSource")
HAS_SELECTOR = URIRef(OA + "hasSelector")
EXACT = URIRef(OA + "exact")
SPECIFIC_RESOURCE = URIRef(OA + "SpecificResource")
TEXT_QUOTE_SELECTOR = URIRef(OA + "TextQuoteSelector")

_LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, SKOS.altLabel, URIRef(SCHEMA + "name"))


@dataclass(frozen=True)
class ViewSpec:
    """What a named view keeps: instances of `classes` (and their subclasses), minus `exclude`."""

    name: str
    description: str
    #: None: every resource of the data
    classes: tuple[str, ...] | None = None
    exclude: tuple[str, ...] = ()
    #: None: every relation between kept nodes; else these properties and their subproperties
    properties: tuple[str, ...] | None = None


VIEWS: dict[str, ViewSpec] = {
    spec.name: spec
    for spec in (
        ViewSpec(
            "overview",
            "every resource; evidence quotes as attributes of the facts",
            exclude=(OA + "SpecificResource", OA + "TextQuoteSelector"),
        ),
        ViewSpec(
            "debate",
            "meeting, workshops, talks, speakers, questions, levers, findings",
            classes=(
                SCHEMA + "Event",
                IBIS + "Entity",
                IBIS + "Issue",
                IBIS + "Position",
                IBIS + "Argument",
                SCHEMA + "Person",
            ),
        ),
        ViewSpec(
            "concepts",
            "notions, actor types and policy areas, with their schemes",
            classes=(str(SKOS.Concept), str(SKOS.ConceptScheme)),
        ),
        ViewSpec(
            "actors",
            "levers and the actor types they involve",
            classes=(MIX + "Lever", MIX + "ActorType"),
        ),
        ViewSpec(
            "evidence",
            "facts, the quotes they rest on and the source documents",
            properties=(MIX + "evidence", OA + "hasSource"),
        ),
    )
}


@dataclass
class Ontology:
    """Class and property hierarchies of a graph, and the typed resources of its data."""

    #: class -> itself and all its superclasses (rdfs:subClassOf*)
    ancestors: dict[Node, frozenset[Node]] = field(default_factory=dict)
    #: property -> itself and all its superproperties (rdfs:subPropertyOf*)
    property_ancestors: dict[Node, frozenset[Node]] = field(default_factory=dict)
    #: resource of the data -> its types (schema resources left out)
    types: dict[IdentifiedNode, set[URIRef]] = field(default_factory=dict)

    def classes_of(self, node: Node) -> frozenset[Node]:
        """Every class a resource belongs to, following rdfs:subClassOf."""
        found: set[Node] = set()
        for cls in self.types.get(node, ()):  # type: ignore[call-overload]
            found |= self.ancestors.get(cls, frozenset((cls,)))
        return frozenset(found)

    def is_a(self, node: Node, classes: Iterable[Node]) -> bool:
        """True when the resource is an instance of one of `classes` (or a subclass)."""
        return not self.classes_of(node).isdisjoint(classes)

    def is_subproperty(self, prop: Node, properties: frozenset[Node]) -> bool:
        """True when `prop` is one of `properties` or a subproperty of one."""
        return not self.property_ancestors.get(prop, frozenset((prop,))).isdisjoint(properties)

    def most_specific(self, node: Node) -> URIRef | None:
        """The type of a resource that no other of its types specialises (ties: smallest IRI)."""
        types = {t for t in self.types.get(node, ()) if t not in NEUTRAL_TYPES}  # type: ignore[call-overload]
        if not types:
            return None
        leaves = [
            t
            for t in types
            if not any(other != t and t in self.ancestors.get(other, ()) for other in types)
        ]
        best: URIRef = sorted(leaves or types)[0]
        return best


def _closure(edges: dict[Node, set[Node]]) -> dict[Node, frozenset[Node]]:
    """Reflexive-transitive closure of a parent relation (cycles allowed)."""
    out: dict[Node, frozenset[Node]] = {}
    for start in edges:
        seen = {start}
        todo = [start]
        while todo:
            for parent in edges.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        out[start] = frozenset(seen)
    return out


def ontology(graph: Graph) -> Ontology:
    """Read the class and property hierarchies and the typed data resources of `graph`."""
    parents: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        parents[sub].add(sup)
    prop_parents: dict[Node, set[Node]] = defaultdict(set)
    for sub, sup in graph.subject_objects(RDFS.subPropertyOf):
        prop_parents[sub].add(sup)
    types: dict[IdentifiedNode, set[URIRef]] = defaultdict(set)
    schema: set[Node] = set()
    for node, cls in graph.subject_objects(RDF.type):
        if cls in SCHEMA_TYPES:
            schema.add(node)
        elif isinstance(node, IdentifiedNode) and isinstance(cls, URIRef):
            types[node].add(cls)
            parents.setdefault(cls, set())
    for node in schema:
        types.pop(node, None)  # type: ignore[call-overload]
    return Ontology(
        ancestors=_closure(parents), property_ancestors=_closure(prop_parents), types=dict(types)
    )


@dataclass
class View:
    """The nodes and edges of a view, in a stable order."""

    name: str
    nodes: list[IdentifiedNode]
    edges: list[tuple[IdentifiedNode, URIRef, IdentifiedNode]]
    focus: IdentifiedNode | None = None
    depth: int | None = None


def select(
    graph: Graph,
    view: str = "overview",
    *,
    focus: str | None = None,
    depth: int = 1,
    lang: str = "fr",
    onto: Ontology | None = None,
) -> View:
    """The nodes and edges of a named view, optionally narrowed to `depth` steps around `focus`.

    Raises `UnknownName` for an unknown view or focus (with suggestions), `MixityError` for an
    ambiguous focus, one outside the view, or a negative depth.
    """
    spec = VIEWS.get(view)
    if spec is None:
        close = difflib.get_close_matches(view, VIEWS, n=3, cutoff=0.4)
        raise UnknownName("view", view, close or list(VIEWS))
    if depth < 0:
        raise MixityError(f"--depth must be 0 or more, not {depth}")
    onto = onto or ontology(graph)
    if spec.name == "evidence":
        nodes, edges = _evidence(graph, onto)
    else:
        nodes = _members(onto, spec)
        allowed = frozenset(URIRef(p) for p in spec.properties) if spec.properties else None
        edges = _edges(graph, onto, nodes, allowed)
    centre: IdentifiedNode | None = None
    if focus is not None:
        centre = resolve(graph, focus, lang=lang, prefer=nodes)
        if centre not in nodes:
            raise MixityError(
                f"{label(graph, centre, lang)!r} ({compact(str(centre))}) is not in the "
                f"{spec.name} view; try --view overview"
            )
        nodes = neighbourhood(centre, edges, depth)
        edges = [e for e in edges if e[0] in nodes and e[2] in nodes]
    return View(
        name=spec.name,
        nodes=sorted(nodes, key=str),
        edges=sorted(set(edges), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))),
        focus=centre,
        depth=depth if centre is not None else None,
    )


def view_nodes(
    graph: Graph,
    view: str = "overview",
    *,
    focus: str | None = None,
    depth: int = 1,
    lang: str = "fr",
) -> set[IdentifiedNode]:
    """The resources a view shows (for a networkx projection restricted to a view)."""
    return set(select(graph, view, focus=focus, depth=depth, lang=lang).nodes)


def view_graph(
    graph: Graph,
    view: str = "overview",
    *,
    focus: str | None = None,
    depth: int = 1,
    lang: str = "fr",
) -> Graph:
    """The view as an RDF graph: its edges, plus the types and literals of its nodes.

    Its nodes are its subjects and the non-literal objects of its non-`rdf:type` triples.
    """
    from mixity.graph.io.loader import new_graph

    chosen = select(graph, view, focus=focus, depth=depth, lang=lang)
    out = new_graph()
    for edge in chosen.edges:
        out.add(edge)
    for node in chosen.nodes:
        for prop, value in graph.predicate_objects(node):
            if isinstance(value, Literal) or prop == RDF.type or prop in LINK_PROPERTIES:
                out.add((node, prop, value))
    return out


def nodes_and_edges(
    graph: Graph,
) -> tuple[list[IdentifiedNode], list[tuple[IdentifiedNode, URIRef, IdentifiedNode]]]:
    """Nodes and edges of any graph taken as a picture (a view graph or a CONSTRUCT result).

    Types and literals are attributes; web addresses (`schema:url`…) too; schema resources
    and the class objects of `rdf:type` are not nodes.
    """
    nodes: set[IdentifiedNode] = set()
    edges: set[tuple[IdentifiedNode, URIRef, IdentifiedNode]] = set()
    for s, p, o in graph:
        if not isinstance(s, IdentifiedNode):
            continue
        if p == RDF.type:
            if o not in SCHEMA_TYPES:
                nodes.add(s)
            continue
        nodes.add(s)
        if isinstance(o, IdentifiedNode) and isinstance(p, URIRef) and p not in LINK_PROPERTIES:
            nodes.add(o)
            edges.add((s, p, o))
    return sorted(nodes, key=str), sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[2])))


def _members(onto: Ontology, spec: ViewSpec) -> set[IdentifiedNode]:
    wanted = frozenset(URIRef(c) for c in spec.classes) if spec.classes is not None else None
    unwanted = frozenset(URIRef(c) for c in spec.exclude)
    found: set[IdentifiedNode] = set()
    for node in onto.types:
        classes = onto.classes_of(node)
        if wanted is not None and classes.isdisjoint(wanted):
            continue
        if unwanted and not classes.isdisjoint(unwanted):
            continue
        found.add(node)
    return found


def _edges(
    graph: Graph, onto: Ontology, nodes: set[IdentifiedNode], allowed: frozenset[Node] | None
) -> list[tuple[IdentifiedNode, URIRef, IdentifiedNode]]:
    # rdflib terms hash in Python: test plain strings (hashed in C) on this hot loop.
    keys = {str(n) for n in nodes}
    skip = {str(RDF.type), *(str(p) for p in LINK_PROPERTIES)}
    edges: list[tuple[IdentifiedNode, URIRef, IdentifiedNode]] = []
    for s, p, o in graph:
        if (
            not isinstance(o, Literal)
            and str(o) in keys
            and str(s) in keys
            and str(p) not in skip
            and isinstance(p, URIRef)
            and (allowed is None or onto.is_subproperty(p, allowed))
        ):
            edges.append((s, p, o))  # type: ignore[arg-type]
    return edges


def _evidence(
    graph: Graph, onto: Ontology
) -> tuple[set[IdentifiedNode], list[tuple[IdentifiedNode, URIRef, IdentifiedNode]]]:
    """Facts that cite evidence, their quotes and the sources quoted."""
    cites = frozenset({EVIDENCE})
    nodes: set[IdentifiedNode] = set()
    edges: list[tuple[IdentifiedNode, URIRef, IdentifiedNode]] = []
    for s, p, o in graph.triples((None, None, None)):
        if (
            isinstance(s, IdentifiedNode)
            and isinstance(o, IdentifiedNode)
            and isinstance(p, URIRef)
            and (p == HAS_SOURCE or onto.is_subproperty(p, cites))
        ):
            nodes.update((s, o))
            edges.append((s, p, o))
    return nodes, edges


def neighbourhood(
    centre: IdentifiedNode, edges: list[tuple[IdentifiedNode, URIRef, IdentifiedNode]], depth: int
) -> set[IdentifiedNode]:
    """The nodes at most `depth` edges (either direction) from `centre`."""
    around: dict[IdentifiedNode, set[IdentifiedNode]] = defaultdict(set)
    for s, _, o in edges:
        around[s].add(o)
        around[o].add(s)
    seen = {centre}
    queue = deque([(centre, 0)])
    while queue:
        node, dist = queue.popleft()
        if dist == depth:
            continue
        for nxt in around.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, dist + 1))
    return seen


def fold(text: str) -> str:
    """Case-, accent- and space-insensitive form of a text, for matching labels."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.replace("’", "'").split())


def resolve(
    graph: Graph,
    text: str,
    *,
    lang: str = "fr",
    prefer: Iterable[IdentifiedNode] = (),
) -> IdentifiedNode:
    """The resource a user means by an IRI, a `prefix:name` or a label (any language).

    Labels match ignoring case and accents. Raises `UnknownName` with the closest labels, or
    `MixityError` when a label names several resources (listing their IRIs).
    """
    wanted = text.strip()
    iri = _as_iri(graph, wanted)
    if iri is not None and ((iri, None, None) in graph or (None, None, iri) in graph):
        return iri
    key = fold(wanted)
    by_label: dict[str, set[IdentifiedNode]] = defaultdict(set)
    shown: dict[str, str] = {}
    for prop in _LABEL_PROPERTIES:
        for node, value in graph.subject_objects(prop):
            if isinstance(value, Literal) and isinstance(node, IdentifiedNode):
                folded = fold(str(value))
                by_label[folded].add(node)
                shown.setdefault(folded, str(value))
    found = by_label.get(key, set())
    preferred = found & set(prefer)
    found = preferred or found
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        names = ", ".join(sorted(compact(str(n)) for n in found))
        raise MixityError(f"{wanted!r} names several resources: {names}; give one IRI")
    close = [k for k in by_label if key and key in k]
    close.sort(key=lambda k: (len(k), k))
    close = close[:5] or difflib.get_close_matches(key, list(by_label), n=5, cutoff=0.6)
    raise UnknownName("resource", wanted, [shown[k] for k in close])


def _as_iri(graph: Graph, text: str) -> URIRef | None:
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    if "://" in text or text.startswith("urn:"):
        return URIRef(text)
    if ":" in text and " " not in text:
        prefix, _, local = text.partition(":")
        namespaces = dict(PREFIXES)
        namespaces.update({p: str(ns) for p, ns in graph.namespaces()})
        if prefix in namespaces:
            return URIRef(namespaces[prefix] + local)
    return None
