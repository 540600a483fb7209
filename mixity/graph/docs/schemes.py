"""The concept schemes of a graph as trees: top concepts first, narrower concepts under their
broader one, each level in the order of its labels.

A concept with several broader concepts in its scheme is placed under the first one met and
lists the others; a concept that no top concept reaches (or a cycle of `skos:broader`) becomes a
root of its own, so that every member of a scheme is on its page exactly once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.term import Node

from mixity.graph.docs.catalogue import Usage
from mixity.graph.docs.text import Anchors, Bilingual, name_of, slug, text_of
from mixity.graph.io.loader import LoadedGraph
from mixity.graph.model import vocabulary as vocab
from mixity.graph.model.labels import label, local_name
from mixity.graph.model.resolve import fold

SKOS = vocab.SKOS
_IN_SCHEME = URIRef(SKOS + "inScheme")
_TOP_OF = URIRef(SKOS + "topConceptOf")
_HAS_TOP = URIRef(SKOS + "hasTopConcept")
_BROADER = URIRef(SKOS + "broader")
_NARROWER = URIRef(SKOS + "narrower")


@dataclass
class Concept:
    """One concept of a scheme's tree."""

    iri: str
    label: Bilingual
    definition: Bilingual | None
    #: resources that link to it (other than by the scheme's own structure)
    uses: int
    #: the quote the concept rests on, and its source document
    quote: tuple[str, Node | None] | None = None
    children: list[Concept] = field(default_factory=list)
    #: broader concepts besides the one it is placed under
    also_under: list[str] = field(default_factory=list)
    top: bool = False


@dataclass
class Scheme:
    """A `skos:ConceptScheme` and its tree."""

    iri: str
    page: str
    label: Bilingual
    definition: Bilingual | None
    roots: list[Concept]
    size: int
    extension: bool

    def walk(self) -> list[Concept]:
        """Every concept in tree order (depth first)."""
        out: list[Concept] = []
        todo = list(reversed(self.roots))
        while todo:
            node = todo.pop()
            out.append(node)
            todo += reversed(node.children)
        return out


def collect_schemes(
    loaded: LoadedGraph, anchors: Anchors, usage: Usage, lang: str = "fr"
) -> list[Scheme]:
    """Every concept scheme (IRI) of the graph as a tree; labels of `lang` order each level."""
    graph = loaded.graph
    bundled = {f.path for f in loaded.files if f.bundled}
    schemes: list[Scheme] = []
    pages: set[str] = {"index.html"}
    found = graph.subjects(URIRef(vocab.RDF_TYPE), URIRef(SKOS + "ConceptScheme"))
    for node in sorted({n for n in found if isinstance(n, URIRef)}, key=str):
        page = f"scheme-{slug(local_name(str(node)).lower())}.html"
        n = 1
        while page in pages:
            n += 1
            page = f"scheme-{slug(local_name(str(node)).lower())}-{n}.html"
        pages.add(page)
        roots, size = _tree(usage, node, lang)
        origin = loaded.origin(node)
        schemes.append(
            Scheme(
                iri=str(node),
                page=page,
                label=name_of(graph, node),
                definition=text_of(graph, node, vocab.DEFINITION_PROPERTIES),
                roots=roots,
                size=size,
                extension=bool(bundled) and origin is not None and origin not in bundled,
            )
        )
        anchors.id(str(node))
    schemes.sort(key=lambda s: (s.extension, fold(label(graph, URIRef(s.iri), lang)), s.iri))
    return schemes


def members_of(graph: Graph, scheme: Node) -> tuple[set[URIRef], set[URIRef]]:
    """The concepts of a scheme (`skos:inScheme`, top concepts) and its top concepts."""
    tops = {
        c
        for c in (*graph.objects(scheme, _HAS_TOP), *graph.subjects(_TOP_OF, scheme))
        if isinstance(c, URIRef)
    }
    members = {c for c in graph.subjects(_IN_SCHEME, scheme) if isinstance(c, URIRef)} | tops
    return members, tops


def _tree(usage: Usage, scheme: Node, lang: str) -> tuple[list[Concept], int]:
    """The roots of a scheme's tree, and how many concepts it holds."""
    graph = usage.graph
    members, tops = members_of(graph, scheme)
    broader: defaultdict[URIRef, set[URIRef]] = defaultdict(set)
    for concept in members:
        for up in graph.objects(concept, _BROADER):
            if up in members and up != concept:
                broader[concept].add(up)  # type: ignore[arg-type]
        for down in graph.objects(concept, _NARROWER):
            if down in members and down != concept:
                broader[down].add(concept)  # type: ignore[index]
    narrower: defaultdict[URIRef, set[URIRef]] = defaultdict(set)
    for concept, ups in broader.items():
        for up in ups:
            narrower[up].add(concept)

    def key(c: URIRef) -> tuple[str, str]:
        return fold(label(graph, c, lang)), str(c)

    placed: dict[URIRef, Concept] = {}

    def place(concept: URIRef, parent: URIRef | None) -> Concept:
        node = Concept(
            iri=str(concept),
            label=name_of(graph, concept),
            definition=text_of(graph, concept, vocab.DEFINITION_PROPERTIES),
            uses=len(usage.referrers.get(concept, ())),
            quote=usage.quote(concept),
            also_under=sorted(str(b) for b in broader.get(concept, ()) if b != parent),
            top=concept in tops,
        )
        placed[concept] = node
        return node

    roots: list[Concept] = []
    starts = sorted(tops, key=key) + sorted(
        (c for c in members if c not in tops and not broader.get(c)), key=key
    )
    # Depth first, iteratively (a scheme may be deep); leftovers are cycles: roots of their own.
    while True:
        for start in starts:
            if start in placed:
                continue
            roots.append(place(start, None))
            todo = [start]
            while todo:
                current = todo.pop()
                fresh = [c for c in sorted(narrower.get(current, ()), key=key) if c not in placed]
                for child in fresh:
                    placed[current].children.append(place(child, current))
                todo += reversed(fresh)
        left = sorted((c for c in members if c not in placed), key=key)
        if not left:
            break
        starts = left[:1]
    return roots, len(members)
