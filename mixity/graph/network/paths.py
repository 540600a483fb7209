"""The shortest chains of links between two resources (`mixity path`).

Resources are named as everywhere in mixity (`mixity.graph.model.resolve`): a label, whole or
in part, in either language, whatever its case and accents; `prefix:name` with any prefix of the
loaded files; or an IRI. A blank node is named by a label, or by the id the projection and the
exports give it (`_:b…`, stable across runs); rdflib's own blank node ids change on every parse.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Graph

from mixity.errors import InvalidParameter, MixityError
from mixity.graph.io.write import one_line
from mixity.graph.model.resolve import compact
from mixity.graph.network.analyze import Named
from mixity.graph.network.links import Links, known_properties, property_iris

if TYPE_CHECKING:
    import networkx as nx

    from mixity.graph.model.resolve import NameIndex
    from mixity.graph.network.projection import Classified


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
    exclude: Sequence[str] = (),
    via: Sequence[str] | None = None,
) -> list[Path]:
    """The shortest paths between two resources, links followed in either direction.

    By default scheme membership (`skos:inScheme`…) is not followed, and a link stated both
    ways (`skos:broader` and `skos:narrower`) is one link (`mixity.graph.network.links`).

    Args:
        source, target: the resources, each a label, `prefix:name` or IRI.
        max_paths: how many of the shortest paths to return at most.
        schema, evidence: also go through classes and properties, through quotes and sources.
        exclude: properties (`prefix:name` or IRI) not to follow, besides scheme membership.
        via: follow only these properties (scheme membership too, if named).

    Raises `UnknownName` or `AmbiguousName` for a name or a property, `InvalidParameter` for
    a resource the options leave out, and `MixityError` when no path joins the two.
    """
    import networkx as nx

    from mixity.graph.network.projection import classify, project

    if max_paths < 1:
        raise InvalidParameter("max_paths", f"must be 1 or more, not {max_paths}")
    parts = classify(graph)
    links = _links(graph, parts, exclude, via)
    projected = project(
        graph, schema=schema, evidence=evidence, lang=lang, links=links, parts=parts
    )
    ends = _Ends(graph, projected, schema=schema, evidence=evidence, parts=parts)
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
        if via is not None:
            left_out.append(f"only {', '.join(via)} followed")
        elif exclude:
            left_out.append(f"{', '.join(exclude)} not followed")
        note = f" ({'; '.join(left_out)} left out)" if left_out else ""
        raise MixityError(
            f"no path between {ends.shown(start)} and {ends.shown(end)}{note}"
        ) from None
    return [_path(projected, chain) for chain in chains]


def _links(
    graph: Graph, parts: Classified, exclude: Sequence[str], via: Sequence[str] | None
) -> Links:
    """The links a path follows, with the properties named as the graph's prefixes spell them."""
    from mixity.graph.network.export import prefixes_of

    known = known_properties(parts.scan.relations)
    prefixes = prefixes_of(graph)
    left_out = property_iris(exclude, known, prefixes, "exclude")
    only = property_iris(via, known, prefixes, "via") if via is not None else None
    if only is not None and not only:
        raise InvalidParameter("via", "names no property: give one or more, or leave it out")
    return Links.chosen(left_out, only)


class _Ends:
    """The projection's node a name stands for, through the one resolver."""

    def __init__(
        self,
        graph: Graph,
        projected: nx.MultiDiGraph,
        *,
        schema: bool,
        evidence: bool,
        parts: Classified,
    ) -> None:
        from mixity.graph.model.labels import name_index

        self.graph = graph
        self.parts = parts
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
        parts = self.parts
        name = self.index.shown.get(key)
        short = (
            self.blank.get(key, key) if key.startswith("_:") else compact(key, self.index.prefixes)
        )
        shown = f"« {one_line(name)} » {short}" if name else short
        for kind, members in (("evidence", parts.evidence), ("schema", parts.schema)):
            if key in members and not self.options[kind]:
                reason = f"{shown} is {kind}: paths leave it out unless {{{kind}}} is set"
                return InvalidParameter(parameter, reason, (kind,))
        kept = parts.select(schema=self.options["schema"], evidence=self.options["evidence"])
        around = sorted(
            {
                p
                for s, p, o in parts.scan.relations
                if (s == key and o in kept) or (o == key and s in kept)
            }
        )
        if around:
            names = ", ".join(compact(p, self.index.prefixes) for p in around)
            reason = (
                f"{shown} is linked only by properties the paths do not follow ({names}); "
                "name them with {via}"
            )
            return InvalidParameter(parameter, reason, ("via",))
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
