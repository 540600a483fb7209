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

from rdflib import BNode, Graph, Literal, URIRef
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


def split(
    triples: Iterable[Triple], keys: TermKeys | None = None
) -> tuple[dict[tuple[str, str, str], Triple], list[Component]]:
    """The ground triples of `triples` by key, and its blank-node components (with keys)."""
    key = keys or TermKeys()
    ground: dict[tuple[str, str, str], Triple] = {}
    with_bnodes: list[tuple[tuple[str, str, str], Triple]] = []
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while (up := parent.setdefault(root, root)) != root:
            root = up
        while node != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    for triple in triples:
        k = key.triple(triple)
        s_blank, o_blank = k[0].startswith("_:"), k[2].startswith("_:")
        if not s_blank and not o_blank:
            ground[k] = triple
            continue
        with_bnodes.append((k, triple))
        if s_blank and o_blank:
            a, b = find(k[0]), find(k[2])
            if a != b:
                parent[a] = b
        else:
            find(k[0] if s_blank else k[2])
    groups: defaultdict[str, dict[tuple[str, str, str], Triple]] = defaultdict(dict)
    for k, triple in with_bnodes:
        groups[find(k[0] if k[0].startswith("_:") else k[2])][k] = triple
    components = [
        Component(tuple(group[k] for k in sorted(group)), _tree_key(list(group)) or
                  _rdflib_key(list(group.values())))
        for group in groups.values()
    ]  # fmt: skip
    return ground, components


def component_key(triples: Iterable[Triple]) -> str:
    """A canonical key: equal for two components exactly when they are isomorphic."""
    keys = TermKeys()
    unique = {keys.triple(t): t for t in triples}
    return _tree_key(list(unique)) or _rdflib_key(list(unique.values()))


def term_key(term: Node) -> tuple[str, ...]:
    """A ground term as a tuple that tells every two distinct RDF terms apart."""
    if isinstance(term, Literal):
        return ("L", str(term), term.language or "", str(term.datatype or ""))
    return ("I", str(term))


def _digest(parts: list[str]) -> str:
    return hashlib.blake2b(repr(sorted(parts)).encode("utf-8"), digest_size=16).hexdigest()


def _tree_key(triples: list[tuple[str, str, str]]) -> str | None:
    """The Merkle key of a tree component (triples of `TermKeys`), or None if not a tree."""
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


def _rdflib_key(triples: list[Triple]) -> str:
    """The key of any component, through rdflib's canonical blank-node labelling."""
    from rdflib.compare import to_canonical_graph

    graph = Graph(bind_namespaces="none")
    graph.addN((s, p, o, graph) for s, p, o in triples)
    key = TermKeys()
    return "r" + _digest([f"{key(s)} {key(p)} {key(o)}" for s, p, o in to_canonical_graph(graph)])
