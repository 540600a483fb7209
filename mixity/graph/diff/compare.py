"""The semantic difference of two RDF graphs: what NEW adds to OLD and what it takes away.

Ground triples (no blank node) are compared as sets. Triples with blank nodes are compared as
components (`mixity.graph.diff.components`): a component of OLD that NEW also has, whatever its
blank nodes are called, is no change; one that changed is removed whole and added whole, since
a blank node has no name that could say "the same node, with one value changed".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from mixity.errors import SourceNotFound
from mixity.graph.diff.components import Component, RawComponent, Triple, split
from mixity.graph.io.loader import read_triples
from mixity.graph.io.parse import ParsedFile
from mixity.graph.io.terms import rdflib_triples, triples_from_rdflib
from mixity.graph.model.vocabulary import LABEL_PROPERTIES

#: The name that stands for the bundled ontology and data in place of a path (`./bundled`
#: names a file or folder of that name).
BUNDLED = "bundled"

_OWL_ANNOTATED_SOURCE = URIRef("http://www.w3.org/2002/07/owl#annotatedSource")
_RDF_SUBJECT = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")


def load_side(spec: str | Path) -> ParsedFile:
    """The triples a diff argument names: `BUNDLED`, an RDF file or a folder of them."""
    if str(spec) == BUNDLED:
        return read_triples()
    if str(spec) == "":
        raise SourceNotFound("''", "an empty path names no file")
    return read_triples([spec], bundled=False)


@dataclass(frozen=True)
class Change:
    """What changed about one resource: the triples removed and added, as items.

    An item is a ground triple, or a blank-node component shown from the resource that points
    to it (`Component`). `resource` is None for components that hang from no IRI.
    """

    resource: Node | None
    removed: tuple[Triple | Component, ...] = ()
    added: tuple[Triple | Component, ...] = ()


@dataclass
class GraphDiff:
    """The difference between two graphs (see the module docstring), in rdflib's terms."""

    removed_ground: set[Triple] = field(default_factory=set)
    added_ground: set[Triple] = field(default_factory=set)
    #: components of OLD with no isomorphic counterpart left in NEW
    removed_components: list[Component] = field(default_factory=list)
    #: components of NEW with no isomorphic counterpart left in OLD
    added_components: list[Component] = field(default_factory=list)
    #: NEW's copies of a component OLD holds more of: a patch that deletes by pattern deletes
    #: every copy, then puts these back
    kept_copies: list[Component] = field(default_factory=list)
    #: how many distinct triples OLD and NEW have
    old_size: int = 0
    new_size: int = 0
    #: the labels OLD and NEW give the changed resources (`mixity.graph.model.labels`)
    old_labels: Graph = field(default_factory=lambda: Graph(bind_namespaces="none"))
    new_labels: Graph = field(default_factory=lambda: Graph(bind_namespaces="none"))

    def __bool__(self) -> bool:
        return bool(
            self.removed_ground
            or self.added_ground
            or self.removed_components
            or self.added_components
        )

    @property
    def removed_triples(self) -> list[Triple]:
        """Every triple of OLD that NEW does not have (blank nodes: OLD's)."""
        return sorted(self.removed_ground) + [t for c in self.removed_components for t in c.triples]

    @property
    def added_triples(self) -> list[Triple]:
        """Every triple of NEW that OLD does not have (blank nodes: NEW's)."""
        return sorted(self.added_ground) + [t for c in self.added_components for t in c.triples]

    def removed_graph(self) -> Graph:
        """The removed triples as a graph."""
        return _graph(self.removed_triples)

    def added_graph(self) -> Graph:
        """The added triples as a graph."""
        return _graph(self.added_triples)

    @cached_property
    def changes(self) -> list[Change]:
        """The changes grouped by resource, sorted by IRI (the anonymous group last)."""
        removed: defaultdict[Node | None, list[Triple | Component]] = defaultdict(list)
        added: defaultdict[Node | None, list[Triple | Component]] = defaultdict(list)
        for triple in self.removed_ground:
            removed[triple[0]].append(triple)
        for triple in self.added_ground:
            added[triple[0]].append(triple)
        for component in self.removed_components:
            removed[anchor(component)].append(component)
        for component in self.added_components:
            added[anchor(component)].append(component)
        keys = set(removed) | set(added)
        ordered = sorted(keys, key=lambda n: (n is None, str(n)))
        return [
            Change(key, tuple(_ordered(removed[key])), tuple(_ordered(added[key])))
            for key in ordered
        ]


def diff_graphs(old: Graph, new: Graph) -> GraphDiff:
    """What `new` adds to `old` and takes away from it, blank nodes compared by structure."""
    return diff_triples(triples_from_rdflib(old), triples_from_rdflib(new))


def diff_triples(old: list[ox.Triple], new: list[ox.Triple]) -> GraphDiff:
    """`diff_graphs` on triples as Oxigraph parses them (see `mixity.graph.io.loader.read_triples`).

    The sets are compared on Oxigraph's terms, hashed in Rust; only what changed is converted
    to rdflib's terms, for output.
    """
    old_ground, old_components = split(old)
    new_ground, new_components = split(new)
    result = GraphDiff(
        set(rdflib_triples(old_ground - new_ground, normalize=False)),
        set(rdflib_triples(new_ground - old_ground, normalize=False)),
        old_size=len(old_ground) + sum(len(c.triples) for c in old_components),
        new_size=len(new_ground) + sum(len(c.triples) for c in new_components),
    )
    old_by_key = _by_key(old_components)
    new_by_key = _by_key(new_components)
    for key in sorted(set(old_by_key) | set(new_by_key)):
        before, after = old_by_key.get(key, []), new_by_key.get(key, [])
        if len(before) > len(after):
            result.removed_components += [c.component() for c in before[len(after) :]]
            result.kept_copies += [c.component() for c in after]
        elif len(after) > len(before):
            result.added_components += [c.component() for c in after[len(before) :]]
    changed = {str(change.resource) for change in result.changes if change.resource is not None}
    result.old_labels, result.new_labels = _labels(old, changed), _labels(new, changed)
    return result


def anchor(component: Component) -> Node | None:
    """The resource a component is about: the IRI that points to it, else the statement an
    `owl:Axiom` (or `rdf:Statement`) annotates, else None."""
    pointing = sorted(str(s) for s, _, o in component.triples if not isinstance(s, BNode))
    if pointing:
        return URIRef(pointing[0])
    about = sorted(
        str(o)
        for _, p, o in component.triples
        if p in (_OWL_ANNOTATED_SOURCE, _RDF_SUBJECT) and isinstance(o, URIRef)
    )
    return URIRef(about[0]) if about else None


def _by_key(components: Iterable[RawComponent]) -> dict[str, list[RawComponent]]:
    found: defaultdict[str, list[RawComponent]] = defaultdict(list)
    for component in components:
        found[component.key].append(component)
    return found


def _ordered(items: list[Triple | Component]) -> list[Triple | Component]:
    """By property (for a component: the property that points to it), then by value."""
    return sorted(items, key=item_key)


def item_key(item: Triple | Component) -> tuple[str, int, str]:
    """Sorts a resource's items by property, then ground values before components."""
    if isinstance(item, Component):
        into = sorted(str(p) for s, p, _ in item.triples if not isinstance(s, BNode))
        return (into[0] if into else "", 1, item.key)
    return (str(item[1]), 0, str(item[2]))


def _graph(triples: Iterable[Triple]) -> Graph:
    graph = Graph(bind_namespaces="none")
    graph.addN((s, p, o, graph) for s, p, o in triples)
    return graph


def _labels(triples: list[ox.Triple], resources: set[str]) -> Graph:
    """The label statements of `triples` about `resources` (IRIs)."""
    graph = Graph(bind_namespaces="none")
    named, properties = ox.NamedNode, frozenset(LABEL_PROPERTIES)
    kept = [
        t
        for t in triples
        if t.predicate.value in properties
        and type(t.subject) is named
        and t.subject.value in resources
    ]
    graph.addN((s, p, o, graph) for s, p, o in rdflib_triples(kept, normalize=False))
    return graph
