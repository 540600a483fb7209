"""The shortest chains of links between two resources (`mixity path`).

Resources are named as everywhere in mixity (`mixity.graph.model.resolve`): a label, whole or
in part, in either language, whatever its case and accents; `prefix:name` with any prefix of the
loaded files; or an IRI. A blank node is named by a label, or by the id the projection and the
exports give it (`_:b…`, stable across runs); rdflib's own blank node ids change on every parse.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Graph

from mixity.errors import InvalidParameter, MixityError
from mixity.graph.io.write import one_line
from mixity.graph.model.resolve import compact
from mixity.graph.network.analyze import Named

if TYPE_CHECKING:
    import networkx as nx

    from mixity.graph.model.resolve import NameIndex


@dataclass
class Hop:
    """One link of a path: the properties from one resource to the next, and their direction."""

    properties: list[str]
    forward: bool


@dataclass
class Path:
    """A chain of resources and the links between them."""

    nodes: list[Named]
    hops: list[Hop]

    def to_text(self) -> str:
        """`label —property→ label ←property— label`."""
        parts = [one_line(self.nodes[0].label)]
        for hop, node in zip(self.hops, self.nodes[1:], strict=True):
            names = one_line(" / ".join(hop.properties))
            parts.append(f"—{names}→" if hop.forward else f"←{names}—")
            parts.append(one_line(node.label))
        return " ".join(parts)


def find_paths(
    graph: Graph,
    source: str,
    target: str,
    *,
    max_paths: int = 5,
    lang: str = "fr",
    schema: bool = False,
    evidence: bool = False,
) -> list[Path]:
    """The shortest paths between two resources, links followed in either direction.

    Args:
        source, target: the resources, each a label, `prefix:name` or IRI.
        max_paths: how many of the shortest paths to return at most.
        schema, evidence: also go through classes and properties, through quotes and sources.

    Raises `UnknownName` or `AmbiguousName` for a name, `InvalidParameter` for a resource the
    options leave out, and `MixityError` when no path joins the two.
    """
    import networkx as nx

    from mixity.graph.network.projection import project

    if max_paths < 1:
        raise InvalidParameter("max_paths", f"must be 1 or more, not {max_paths}")
    projected = project(graph, schema=schema, evidence=evidence, lang=lang)
    ends = _Ends(graph, projected, schema=schema, evidence=evidence)
    start, end = ends.find(source, "source"), ends.find(target, "target")
    if start == end:
        raise InvalidParameter(
            "target", f"names the same resource as {{source}}: {ends.shown(end)}", ("source",)
        )
    undirected = nx.Graph()
    undirected.add_nodes_from(projected.nodes)
    undirected.add_edges_from(projected.edges())
    try:
        chains = list(itertools.islice(nx.all_shortest_paths(undirected, start, end), max_paths))
    except nx.NetworkXNoPath:
        left_out = [n for n, kept in (("evidence", evidence), ("schema", schema)) if not kept]
        note = f" ({' and '.join(left_out)} left out)" if left_out else ""
        raise MixityError(
            f"no path between {ends.shown(start)} and {ends.shown(end)}{note}"
        ) from None
    return [_path(projected, chain) for chain in chains]


class _Ends:
    """The projection's node a name stands for, through the one resolver."""

    def __init__(
        self, graph: Graph, projected: nx.MultiDiGraph, *, schema: bool, evidence: bool
    ) -> None:
        from mixity.graph.model.labels import name_index

        self.graph = graph
        self.projected = projected
        self.options = {"schema": schema, "evidence": evidence}
        self.index: NameIndex = name_index(graph)
        self._blank: dict[str, str] | None = None

    @property
    def blank(self) -> dict[str, str]:
        """Blank node key (`labels.key_of`) -> the projection's node id (`_:b…`)."""
        if self._blank is None:
            from mixity.graph.network.projection import stable_blank_ids

            found = stable_blank_ids(self.graph)
            self._blank = {f"_:{node}": f"_:{name}" for node, name in found.items()}
        return self._blank

    def find(self, text: str, parameter: str) -> str:
        """The node id of the resource `text` names, which the projection must hold."""
        wanted = text.strip()
        if wanted.startswith("_:b") and wanted in self.projected:
            return wanted  # the id an export or the page shows
        named = [n for n in self.projected if not n.startswith("_:")]
        key = self.index.resolve(wanted, parameter=parameter, prefer=named)
        node = self.blank.get(key, key) if key.startswith("_:") else key
        if node not in self.projected:
            raise self._left_out(key, parameter)
        return node

    def shown(self, node: str) -> str:
        """« label » prefix:name of a node of the projection, for messages."""
        label = one_line(str(self.projected.nodes[node]["label"]))
        short = node if node.startswith("_:") else compact(node, self.index.prefixes)
        return f"« {label} » {short}"

    def _left_out(self, key: str, parameter: str) -> InvalidParameter:
        """Why a resource of the graph is not in the projection, and which option brings it."""
        from mixity.graph.network.projection import classify

        parts = classify(self.graph)
        name = self.index.shown.get(key)
        short = (
            self.blank.get(key, key) if key.startswith("_:") else compact(key, self.index.prefixes)
        )
        shown = f"« {one_line(name)} » {short}" if name else short
        for kind, members in (("evidence", parts.evidence), ("schema", parts.schema)):
            if key in members and not self.options[kind]:
                reason = f"{shown} is {kind}: paths leave it out unless {{{kind}}} is set"
                return InvalidParameter(parameter, reason, (kind,))
        return InvalidParameter(
            parameter, f"{shown} is a web address (a value of schema:url or the like), not a node"
        )


def _path(projected: nx.MultiDiGraph, chain: list[str]) -> Path:
    nodes = [Named(n, str(projected.nodes[n]["label"])) for n in chain]
    hops: list[Hop] = []
    for u, v in itertools.pairwise(chain):
        forward = projected.get_edge_data(u, v) or {}
        backward = projected.get_edge_data(v, u) or {}
        edges = forward or backward
        names = sorted({str(data["label"]) for data in edges.values()})
        hops.append(Hop(names, forward=bool(forward)))
    return Path(nodes, hops)
