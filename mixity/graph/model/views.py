"""Views of the debate graph: which resources and relations a picture (or a projection) shows.

A view is a set of *nodes* (resources: IRIs or blank nodes, never literals) and the *edges*
between them (resource-to-resource triples other than `rdf:type`). Literals and types are
attributes of the nodes, and so are web addresses (`vocabulary.LINK_PROPERTIES`). The schema
(`vocabulary.SCHEMA_TYPES`: classes, properties, the ontology, shapes) is never a node.

- `overview`: every resource of the data except the evidence machinery (quotes are shown as
  attributes of the facts they support);
- `debate`: events (meeting, workshops, talks), questions, levers, findings and the people who
  spoke;
- `concepts`: SKOS concepts (notions, actor types, policy areas) and their schemes;
- `actors`: levers and actor types (`mix:involves`, `skos:broader`);
- `evidence`: the facts that cite evidence, their quotes (`oa:SpecificResource`) and the
  source documents quoted;
- `ibis`: the debate as an IBIS map: series, meeting and workshops, the questions raised there,
  the levers (positions) and findings (arguments) answering them, the actor types involved.
  Drawn in rows (`DEBATE_LEVELS`) by default; quotes stay in the side panel.

Membership follows `rdfs:subClassOf` in the loaded graph, so a class added by an extension
(`ex:Hearing rdfs:subClassOf schema:Event`) lands in the right view without code changes.
A focus is found by the one resolver (`mixity.graph.model.resolve`).

    from mixity.graph.model.views import view_graph, view_nodes
    nodes = view_nodes(graph, "debate", focus="Atelier n°1", depth=2)
    sub = view_graph(graph, "actors")
"""

from __future__ import annotations

import difflib
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import IdentifiedNode, Node

from mixity.errors import InvalidParameter, UnknownName
from mixity.graph.model import vocabulary as vocab
from mixity.graph.model.labels import key_of, name_index
from mixity.graph.model.resolve import NameIndex
from mixity.namespaces import MIX, PREFIXES

# rdflib terms never equal plain strings: the vocabulary's IRIs as terms, once.
_SCHEMA_TYPES = frozenset(URIRef(iri) for iri in vocab.SCHEMA_TYPES)
_NEUTRAL_TYPES = frozenset(URIRef(iri) for iri in vocab.NEUTRAL_TYPES)
_LINKS = frozenset(URIRef(iri) for iri in vocab.LINK_PROPERTIES)
_EVIDENCE = URIRef(vocab.EVIDENCE)
_HAS_SOURCE = URIRef(vocab.HAS_SOURCE)
_AXIOM = URIRef(vocab.OWL + "Axiom")
_ANNOTATED_SOURCE = URIRef(vocab.OWL + "annotatedSource")
_REUSED = tuple(ns for prefix, ns in PREFIXES.items() if prefix not in ("mix", "id"))

Edge = tuple[IdentifiedNode, URIRef, IdentifiedNode]
_CHECKSUM = "http://spdx.org/rdf/terms#Checksum"


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
    #: the layout `auto` means for this view (see `mixity.graph.page.layout`)
    layout: str = "auto"
    #: drawn in the IBIS notation (questions, positions, arguments for and against)
    ibis: bool = False


_IBIS_LINKS = (
    vocab.SCHEMA + "superEvent",
    vocab.SCHEMA + "subEvent",
    MIX + "raisedAt",
    MIX + "proposedAt",
    MIX + "statedAt",
    vocab.RESPONDS_TO,
    vocab.IBIS + "supports",
    vocab.IBIS + "supported-by",
    vocab.IBIS + "opposes",
    vocab.IBIS + "opposed-by",
    vocab.INVOLVES,
)

#: The rows of the debate, top first, for the hierarchical layout: (class, row) pairs, the first
#: class a resource belongs to (following rdfs:subClassOf) gives its row. Arguments come before
#: issues: IBIS 0.6 makes every argument an issue.
DEBATE_LEVELS: tuple[tuple[str, int], ...] = (
    (vocab.SCHEMA + "EventSeries", 0),
    (MIX + "Workshop", 2),
    (MIX + "Talk", 2),
    (vocab.SCHEMA + "Event", 1),  # the meeting, and any other event an extension adds
    (vocab.IBIS + "Argument", 4),
    (vocab.IBIS + "Position", 4),
    (vocab.IBIS + "Issue", 3),
    (vocab.ACTOR_TYPE, 5),
)


VIEWS: dict[str, ViewSpec] = {
    spec.name: spec
    for spec in (
        ViewSpec(
            "overview",
            "every resource; evidence quotes as attributes of the facts",
            # the quotes, their selectors and the sources' checksums (by which the quotes
            # are checked) are the evidence machinery
            exclude=(vocab.SPECIFIC_RESOURCE, vocab.TEXT_QUOTE_SELECTOR, _CHECKSUM),
        ),
        ViewSpec(
            "debate",
            "meeting, workshops, talks, speakers, questions, levers, findings",
            classes=(
                vocab.SCHEMA + "Event",
                vocab.IBIS + "Entity",
                vocab.IBIS + "Issue",
                vocab.IBIS + "Position",
                vocab.IBIS + "Argument",
                vocab.SCHEMA + "Person",
            ),
        ),
        ViewSpec(
            "concepts",
            "notions, actor types and policy areas, with their schemes",
            classes=(vocab.SKOS + "Concept", vocab.SKOS + "ConceptScheme"),
        ),
        ViewSpec(
            "actors",
            "levers and the actor types they involve",
            classes=(vocab.LEVER, vocab.ACTOR_TYPE),
        ),
        ViewSpec(
            "evidence",
            "facts, the quotes they rest on and the source documents",
            properties=(vocab.EVIDENCE, vocab.HAS_SOURCE),
        ),
        ViewSpec(
            "ibis",
            "an IBIS map in rows: meeting → workshops → questions → levers → actor types",
            classes=(
                vocab.SCHEMA + "Event",
                vocab.IBIS + "Issue",
                vocab.IBIS + "Position",
                vocab.IBIS + "Argument",
                vocab.ACTOR_TYPE,
            ),
            # talks are who spoke, not what was asked or answered
            exclude=(MIX + "Talk", vocab.SCHEMA + "Person"),
            properties=_IBIS_LINKS,
            layout="hierarchical",
            ibis=True,
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
        """The type of a resource that no other of its types specialises (ties: an extension's
        class, then mixity's, then a reused vocabulary's, then the smallest IRI)."""
        types = {t for t in self.types.get(node, ()) if t not in _NEUTRAL_TYPES}  # type: ignore[call-overload]
        if not types:
            return None
        leaves = [
            t
            for t in types
            if not any(other != t and t in self.ancestors.get(other, ()) for other in types)
        ]
        best: URIRef = sorted(leaves or types, key=lambda t: (_reading(t), str(t)))[0]
        return best

    def with_types(
        self,
        typed: Iterable[tuple[IdentifiedNode, URIRef]],
        schema: Iterable[tuple[IdentifiedNode, URIRef]] = (),
    ) -> Ontology:
        """A copy that also knows these (resource, class) pairs; this one is left as it is.

        `schema`: (class or property, its schema type) pairs of schema resources drawn as nodes
        (a query's answer may draw the class hierarchy); other schema types are left out.
        """
        types = dict(self.types)
        for node, cls in typed:
            if cls not in _SCHEMA_TYPES:
                types[node] = types.get(node, set()) | {cls}
        for node, cls in schema:
            types[node] = types.get(node, set()) | {cls}
        return Ontology(self.ancestors, self.property_ancestors, types)


def _reading(cls: str) -> int:
    """How specific a class's vocabulary reads: an extension's 0, mixity's 1, a reused
    vocabulary's 2 (a source document that is also a web page is a source document)."""
    iri = str(cls)  # rdflib's URIRef.startswith does not take a tuple
    return 1 if iri.startswith(MIX) else 2 if iri.startswith(_REUSED) else 0


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
        if cls in _SCHEMA_TYPES:
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
    edges: list[Edge]
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

    `focus` is a label (either language, accents and case ignored), a `prefix:name` or an IRI.
    Raises `UnknownName` for an unknown view or focus (with suggestions), `AmbiguousName` for a
    focus that names several resources, `InvalidParameter` for one outside the view or a
    negative depth. `lang` is kept for callers; names are matched in every language.
    """
    spec = VIEWS.get(view)
    if spec is None:
        close = difflib.get_close_matches(view, VIEWS, n=3, cutoff=0.4)
        raise UnknownName("view", view, close or list(VIEWS))
    if depth < 0:
        raise InvalidParameter("depth", f"must be 0 or more, not {depth}")
    onto = onto or ontology(graph)
    if spec.name == "evidence":
        nodes, edges = _evidence(graph, onto)
    else:
        nodes = _members(onto, spec)
        allowed = frozenset(URIRef(p) for p in spec.properties) if spec.properties else None
        edges = _edges(graph, onto, nodes, allowed)
    centre: IdentifiedNode | None = None
    if focus is not None:
        index = name_index(graph)
        centre = resolve(graph, focus, prefer=nodes, parameter="focus", index=index)
        if centre not in nodes:
            raise InvalidParameter(
                "focus",
                f"{index.display(key_of(centre))} is not in the {spec.name} view; "
                "try {view}=overview",
                others=("view",),
            )
        nodes = neighbourhood(centre, edges, depth)
        edges = [e for e in edges if e[0] in nodes and e[2] in nodes]
    ordered, links = in_order(graph, nodes, edges)
    return View(
        name=spec.name,
        nodes=ordered,
        edges=links,
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
            if isinstance(value, Literal) or prop == RDF.type or prop in _LINKS:
                out.add((node, prop, value))
    return out


def in_order(
    graph: Graph, nodes: Iterable[IdentifiedNode], edges: Iterable[Edge]
) -> tuple[list[IdentifiedNode], list[Edge]]:
    """Nodes and edges in an order that does not depend on the parse: IRIs by IRI, blank nodes
    (named at random by the parser) by what they say and who points to them, so that the same
    files give the same page (and the same layout) every time."""

    def said(node: IdentifiedNode) -> tuple[int, str]:
        if not isinstance(node, BNode):
            return (0, str(node))
        out = sorted(
            f"{p} {'_' if isinstance(o, BNode) else o.n3()}"
            for p, o in graph.predicate_objects(node)
        )
        into = sorted(
            f"{p} {'_' if isinstance(s, BNode) else s}" for s, p in graph.subject_predicates(node)
        )
        return (1, "\n".join((*out, "<", *into)))

    rank = {node: i for i, node in enumerate(sorted(set(nodes), key=lambda n: (*said(n), str(n))))}
    links = sorted(set(edges), key=lambda e: (rank.get(e[0], -1), str(e[1]), rank.get(e[2], -1)))
    return list(rank), links


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
) -> list[Edge]:
    # rdflib terms hash in Python: test plain strings (hashed in C) on this hot loop.
    keys = {str(n) for n in nodes}
    skip = {vocab.RDF_TYPE, *vocab.LINK_PROPERTIES}
    edges: list[Edge] = []
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


def _evidence(graph: Graph, onto: Ontology) -> tuple[set[IdentifiedNode], list[Edge]]:
    """Facts that cite evidence, their quotes and the sources quoted.

    A quote that supports one statement (an `owl:Axiom` annotation) is drawn as evidence of
    the statement's subject: the annotation itself is schema, never a node.
    """
    cites = frozenset({_EVIDENCE})
    nodes: set[IdentifiedNode] = set()
    edges: list[Edge] = []
    for s, p, o in graph.triples((None, None, None)):
        if (
            isinstance(s, IdentifiedNode)
            and isinstance(o, IdentifiedNode)
            and isinstance(p, URIRef)
            and (p == _HAS_SOURCE or onto.is_subproperty(p, cites))
        ):
            if (s, RDF.type, _AXIOM) in graph:
                s = graph.value(s, _ANNOTATED_SOURCE)  # type: ignore[assignment]
                if not isinstance(s, IdentifiedNode):
                    continue
            nodes.update((s, o))
            edges.append((s, p, o))
    return nodes, edges


def neighbourhood(centre: IdentifiedNode, edges: list[Edge], depth: int) -> set[IdentifiedNode]:
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


def resolve(
    graph: Graph,
    text: str,
    *,
    prefer: Iterable[IdentifiedNode] = (),
    parameter: str = "resource",
    index: NameIndex | None = None,
) -> IdentifiedNode:
    """The resource of `graph` a user means by a label, a `prefix:name` or an IRI.

    The one resolver (`NameIndex.resolve`) over `graph`'s names and prefixes, giving back an
    rdflib term. `prefer`: when a name fits several resources, these win. Raises
    `UnknownName` (with the closest names) or `AmbiguousName` (listing the candidates).
    """
    index = index if index is not None else name_index(graph)
    key = index.resolve(text, parameter=parameter, prefer={key_of(node) for node in prefer})
    return BNode(key[2:]) if key.startswith("_:") else URIRef(key)
