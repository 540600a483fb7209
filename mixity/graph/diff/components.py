"""Split a graph into ground triples and blank-node components, each with a canonical key.

Two graphs are isomorphic exactly when their ground triples are equal and their components,
compared by key, are equal as multisets: a blank node only means something through the triples
around it, and the triples that share blank nodes (transitively) are one component.

Canonicalising a whole graph with `rdflib.compare` is slow (the bundled graph's 1,165 triples
with blank nodes take 1 to 2 s, and the time grows faster than the size), so it is done per
component, and only for the few components that are not trees. The components Turtle writes
(`[ … ]`, collections, `owl:Axiom` annotations) are trees: one root blank node, every other
with exactly one blank-node parent. A tree's key is computed bottom-up from what each blank
node says (a Merkle hash), which is exact for trees and linear in their size.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.term import Node

#: A triple of rdflib terms.
Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class Component:
    """Triples connected through blank nodes; `key` is equal for isomorphic components."""

    triples: tuple[Triple, ...]
    key: str

    @cached_property
    def bnodes(self) -> frozenset[BNode]:
        """The blank nodes of the component."""
        return frozenset(n for t in self.triples for n in (t[0], t[2]) if isinstance(n, BNode))

    @cached_property
    def tree(self) -> bool:
        """True for a tree: one root blank node, every other one with one blank-node parent."""
        return self.key.startswith("t")


@dataclass(frozen=True)
class RawComponent:
    """A component as parsed (Oxigraph's triples, sorted by their N-Triples form), and its key."""

    triples: tuple[ox.Triple, ...]
    key: str

    def component(self) -> Component:
        """The component in rdflib's terms (for output: only changed components are converted)."""
        from mixity.graph.io.terms import rdflib_triples

        return Component(tuple(rdflib_triples(self.triples, normalize=False)), self.key)


def split(triples: Iterable[ox.Triple]) -> tuple[set[ox.Triple], list[RawComponent]]:
    """The ground triples of `triples`, and its blank-node components with their keys.

    Oxigraph's triples are hashed and compared in Rust. Duplicates count once, as in a graph.
    """
    ground: set[ox.Triple] = set()
    with_bnodes: set[ox.Triple] = set()
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while (up := parent.setdefault(root, root)) != root:
            root = up
        while node != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    blank = ox.BlankNode
    for triple in triples:
        s_blank, o_blank = type(triple.subject) is blank, type(triple.object) is blank
        if not s_blank and not o_blank:
            ground.add(triple)
        elif triple not in with_bnodes:
            with_bnodes.add(triple)
            if s_blank and o_blank:
                a, b = find(str(triple.subject)), find(str(triple.object))
                if a != b:
                    parent[a] = b
            else:
                find(str(triple.subject if s_blank else triple.object))
    groups: defaultdict[str, list[tuple[tuple[str, str, str], ox.Triple]]] = defaultdict(list)
    for triple in with_bnodes:
        keys = (str(triple.subject), str(triple.predicate), str(triple.object))
        groups[find(keys[0] if type(triple.subject) is blank else keys[2])].append((keys, triple))
    components = []
    for group in groups.values():
        group.sort(key=lambda pair: pair[0])
        found = tuple(t for _, t in group)
        components.append(
            RawComponent(found, _tree_key([k for k, _ in group]) or _canonical_key(found))
        )
    return ground, components


def term_key(term: Node) -> tuple[str, ...]:
    """A ground term as a tuple that tells every two distinct RDF terms apart."""
    if isinstance(term, Literal):
        return ("L", str(term), term.language or "", str(term.datatype or ""))
    return ("I", str(term))


def _digest(parts: list[str]) -> str:
    return hashlib.blake2b(repr(sorted(parts)).encode("utf-8"), digest_size=16).hexdigest()


def _tree_key(triples: list[tuple[str, str, str]]) -> str | None:
    """The Merkle key of a tree component (its triples as N-Triples strings), or None if not
    a tree."""
    parts: dict[str, list[str]] = {}
    children: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    parents: defaultdict[str, int] = defaultdict(int)
    for s, p, o in triples:
        s_blank, o_blank = s.startswith("_:"), o.startswith("_:")
        if s_blank and o_blank:
            children[s].append((p, o))
            parents[o] += 1
            parts.setdefault(s, [])  # every blank node has an entry, even one with no values
            parts.setdefault(o, [])
        elif s_blank:
            parts.setdefault(s, []).append(f">{p} {o}")
        else:
            parts.setdefault(o, []).append(f"<{p} {s}")
    roots = [b for b in parts if parents[b] == 0]
    if len(roots) != 1 or any(count > 1 for count in parents.values()):
        return None
    # Post-order without recursion: an RDF collection may be thousands of cells long.
    digests: dict[str, str] = {}
    stack: list[tuple[str, bool]] = [(roots[0], False)]
    while stack:
        node, ready = stack.pop()
        if ready:
            own = parts[node] + [f">{p} #{digests[child]}" for p, child in children[node]]
            digests[node] = _digest(own)
            continue
        stack.append((node, True))
        stack.extend((child, False) for _, child in children[node])
    if len(digests) != len(parts):
        return None  # unreachable: a tree is connected
    return "t" + digests[roots[0]]


def _canonical_key(triples: tuple[ox.Triple, ...]) -> str:
    """The key of any component, through rdflib's canonical blank-node labelling."""
    from rdflib.compare import to_canonical_graph

    from mixity.graph.io.terms import from_rdflib, rdflib_triples

    graph = Graph(bind_namespaces="none")
    # as written: two literals of one value but other forms ("01", "1") are other terms
    graph.addN((s, p, o, graph) for s, p, o in rdflib_triples(triples, normalize=False))
    return "r" + _digest(
        [
            " ".join(str(from_rdflib(term)) for term in triple)
            for triple in to_canonical_graph(graph)
        ]
    )
