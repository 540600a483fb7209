"""Short, stable names for the blank nodes of a diff, the same in every output format.

A parser names blank nodes at random; these names come from what the nodes say
(`mixity.graph.io.rdf.blank_ids`), numbered in that order: `_:o1…` for OLD's blank nodes in
removed triples, `_:n1…` for NEW's in added ones, so that a TriG file that holds both never
merges two nodes by accident.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode
from rdflib.term import Node

from mixity.graph.diff.compare import GraphDiff
from mixity.graph.diff.components import Component
from mixity.graph.io.rdf import blank_ids
from mixity.graph.io.terms import from_rdflib


@dataclass(frozen=True)
class BlankNames:
    """Blank node -> name, for each side (a node of OLD and one of NEW may share an id)."""

    removed: dict[BNode, str]
    added: dict[BNode, str]


def blank_names(diff: GraphDiff) -> BlankNames:
    """The names of the blank nodes of `diff`'s removed and added components."""
    return BlankNames(
        _names(diff.removed_components, "o"),
        _names([*diff.added_components, *diff.kept_copies], "n"),
    )


def _names(components: Iterable[Component], letter: str) -> dict[BNode, str]:
    nodes: dict[BNode, ox.BlankNode] = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple:
        if isinstance(node, BNode):
            return nodes.setdefault(node, ox.BlankNode(f"x{len(nodes)}"))
        return from_rdflib(node)

    triples = [
        ox.Triple(term(s), term(p), term(o))  # type: ignore[arg-type]
        for component in components
        for s, p, o in component.triples
    ]
    stable = blank_ids(triples)
    ordered = sorted(nodes, key=lambda node: stable[f"_:{nodes[node].value}"])
    return {node: f"{letter}{n}" for n, node in enumerate(ordered, start=1)}
