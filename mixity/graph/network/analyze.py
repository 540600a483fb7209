"""Measure the debate: centrality, communities, bridges, gaps, and paths between resources.

The measures run on the networkx projection (`network.projection`) without the schema and
the evidence by default: every fact cites a source, so with the evidence in, the source
documents would be the centre of everything. The debate-specific findings (questions no lever
answers, which actors the levers mobilise) are read from the RDF graph itself.

Stability: nodes enter networkx in sorted order and as integers (whose hashes do not depend on
PYTHONHASHSEED), and Louvain and the betweenness sampling are seeded, so two runs over the same
files give the same communities and numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from mixity.errors import InvalidParameter
from mixity.graph.io.table import table
from mixity.graph.io.write import one_line
from mixity.graph.model.labels import compact, label
from mixity.graph.model.vocabulary import (
    ACTOR_TYPE,
    INVOLVES,
    LEVER,
    QUESTION,
    RDF_TYPE,
    RESPONDS_TO,
    SUBCLASS_OF,
    XSD,
)
from mixity.namespaces import MIX

if TYPE_CHECKING:
    import networkx as nx

#: Exact betweenness (Brandes) costs O(nodes x links): measured by bench/bench_analyze.py at
#: 1.3-3.6 µs per node-link (0.9 s at 510,000 node-links, 10 s at 1.7 million).
#: Above this many node-links it is estimated from k sampled sources, k chosen so that the
#: estimate costs about what the largest exact computation does (~1 s), and never below
#: `MIN_SAMPLES`.
EXACT_BETWEENNESS_MAX_WORK = 500_000
#: What the measures count, as the report says it (`mixity.graph.network.links`).
COUNTED = (
    "degree counts a resource's links, one per neighbour and property (a link stated both "
    "ways, such as broader/narrower, once); betweenness, PageRank and communities one per pair "
    "of neighbours; scheme membership (skos:inScheme…) is not a link, concept schemes are left out"
)
MIN_SAMPLES = 50
SEED = 42


@dataclass
class Measured:
    """A resource with its network measures."""

    id: str
    label: str
    cls: str
    degree: int
    betweenness: float
    pagerank: float
    community: int


@dataclass
class Community:
    """A community found by Louvain: its number, size and most central members."""

    number: int
    size: int
    members: list[str]


@dataclass
class Bridge:
    """A resource linked to communities other than its own."""

    resource: Measured
    communities: list[int]


@dataclass
class Named:
    """A resource by IRI and label."""

    id: str
    label: str


@dataclass
class ActorCount:
    """An actor type and the number of levers that mobilise it."""

    id: str
    label: str
    levers: int


@dataclass
class Analysis:
    """The structure of the debate graph (see `analyze`)."""

    lang: str
    nodes: int
    links: int
    betweenness_method: str
    betweenness_samples: int | None
    max_work: int
    seed: int
    top: int
    scope: str = ""
    measures: list[Measured] = field(default_factory=list)
    central: dict[str, list[Measured]] = field(default_factory=dict)
    communities: list[Community] = field(default_factory=list)
    bridges: list[Bridge] = field(default_factory=list)
    isolated: list[Named] = field(default_factory=list)
    unanswered: list[Named] = field(default_factory=list)
    levers: list[Named] = field(default_factory=list)
    actor_types: list[Named] = field(default_factory=list)
    matrix: list[list[int]] = field(default_factory=list)
    actor_counts: list[ActorCount] = field(default_factory=list)

    @property
    def betweenness_note(self) -> str:
        """How betweenness was computed, in one sentence."""
        if self.betweenness_method == "exact":
            return "betweenness: exact"
        return (
            f"betweenness: approximate, from {self.betweenness_samples:,} of {self.nodes:,} "
            f"sources sampled with seed {self.seed} (exact above {self.max_work:,} "
            "nodes × links would take too long)"
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data (the JSON output); per-resource measures are left out."""
        data = asdict(self)
        del data["measures"]
        data["betweenness"] = {
            "method": data.pop("betweenness_method"),
            "samples": data.pop("betweenness_samples"),
            "seed": self.seed,
            "note": self.betweenness_note,
        }
        data["matrix"] = {
            "levers": data.pop("levers"),
            "actor_types": data.pop("actor_types"),
            "cells": data["matrix"],
        }
        data["unanswered_questions"] = data.pop("unanswered")
        data["actor_types_by_levers"] = data.pop("actor_counts")
        return data

    def to_json(self) -> str:
        """The report as JSON."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        """One row per resource: its measures and community."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["id", "label", "class", "degree", "betweenness", "pagerank", "community"])
        for m in self.measures:
            writer.writerow(
                [m.id, m.label, m.cls, m.degree, repr(m.betweenness), repr(m.pagerank), m.community]
            )
        return out.getvalue()

    def to_turtle(self) -> str:
        """The measures as RDF (mix:degree, mix:betweenness, mix:pagerank, mix:community).

        Doubles are written in full (`repr`), so that they load back exactly.
        """
        import pyoxigraph as ox

        from mixity.graph.io.rdf import serialize

        def number(value: object, datatype: str) -> ox.Literal:
            return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + datatype))

        triples = [
            ox.Triple(ox.NamedNode(m.id), ox.NamedNode(MIX + prop), value)
            for m in self.measures
            if not m.id.startswith("_:")  # a blank node cannot be named again from another file
            for prop, value in (
                ("degree", number(m.degree, "integer")),
                ("betweenness", number(m.betweenness, "double")),
                ("pagerank", number(m.pagerank, "double")),
                ("community", number(m.community, "integer")),
            )
        ]
        head = (
            "# Network measures written by `mixity analyze --format turtle`.\n"
            f"# {self.nodes} resources, {self.links} links; {self.betweenness_note}.\n"
            "# Load them with the graph: mixity query -g measures.ttl …\n\n"
        )
        return head + serialize(triples, "turtle", {"mix": MIX, "xsd": XSD}).decode("utf-8")

    def to_text(self) -> str:
        """The report as aligned text tables."""
        out = [
            f"Debate network ({self.scope}): {self.nodes} resources, {self.links} links; "
            f"{self.betweenness_note}.",
            f"What is counted: {COUNTED}.",
        ]
        for cls, ranked in self.central.items():
            out += ["", f"Most central — {cls}:"]
            out += _table(
                ["label", "degree", "betweenness", "pagerank", "community"],
                [
                    [
                        _short(m.label, 60),
                        m.degree,
                        f"{m.betweenness:.4f}",
                        f"{m.pagerank:.4f}",
                        m.community,
                    ]
                    for m in ranked
                ],
            )
        shown = [c for c in self.communities if c.size > 1]
        out += ["", f"Communities (Louvain, seed {self.seed}): {len(shown)} of 2 or more resources"]
        out += [
            f"  {c.number:>3}. ({c.size}) " + "; ".join(_short(m, 40) for m in c.members)
            for c in shown
        ]
        out += ["", "Bridges between communities:"]
        out += _table(
            ["label", "community", "links to communities", "betweenness"],
            [
                [
                    _short(b.resource.label, 60),
                    b.resource.community,
                    ", ".join(map(str, b.communities)),
                    f"{b.resource.betweenness:.4f}",
                ]
                for b in self.bridges
            ],
        ) or ["  (none)"]
        out += ["", f"Resources with no link ({len(self.isolated)}):"]
        out += [f"  {n.label}  {compact(n.id)}" for n in self.isolated] or ["  (none)"]
        out += ["", f"Questions no lever responds to ({len(self.unanswered)}):"]
        out += [f"  {_short(n.label, 90)}  {compact(n.id)}" for n in self.unanswered] or [
            "  (none)"
        ]
        out += ["", "Actor types by number of levers:"]
        out += _table(
            ["actor type", "levers"], [[_short(a.label, 60), a.levers] for a in self.actor_counts]
        ) or ["  (none)"]
        out += ["", "Levers × actor types (x: the lever mobilises the actor type):"]
        if self.levers and self.actor_types:
            numbers = [str(i + 1) for i in range(len(self.actor_types))]
            rows = [
                [_short(lever.label, 50), *("x" if cell else "·" for cell in row)]
                for lever, row in zip(self.levers, self.matrix, strict=True)
            ]
            out += _table(["lever", *numbers], rows)
            out += ["", "  Actor types:"]
            out += [f"  {i + 1:>4}. {a.label}" for i, a in enumerate(self.actor_types)]
        else:
            out += ["  (no levers or no actor types)"]
        return "\n".join(out) + "\n"


def _short(text: str, width: int) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    """Rows aligned under headers (`io.table.table`), indented by two spaces; none for no rows."""
    if not rows:
        return []
    return table(headers, [[str(c) for c in row] for row in rows], indent="  ").splitlines()


def analyze(
    graph: Graph,
    *,
    lang: str = "fr",
    top: int = 10,
    schema: bool = False,
    evidence: bool = False,
    nodes: Collection[Node] | None = None,
    max_work: int = EXACT_BETWEENNESS_MAX_WORK,
    samples: int | None = None,
    seed: int = SEED,
    scope: str | None = None,
) -> Analysis:
    """Measure the debate graph (optionally a view of it, given as `nodes`).

    `scope` says in the report what was measured; by default it is derived from the options.
    """
    import networkx as nx

    from mixity.graph.network.projection import project

    if top < 1:
        raise InvalidParameter("top", f"must be 1 or more, not {top}")
    projected = project(graph, schema=schema, evidence=evidence, nodes=nodes, lang=lang)
    ids: list[str] = list(projected.nodes)
    index = {node: i for i, node in enumerate(ids)}
    simple = nx.Graph()
    simple.add_nodes_from(range(len(ids)))
    simple.add_edges_from((index[u], index[v]) for u, v in projected.edges() if u != v)

    links = simple.number_of_edges()
    k = betweenness_samples(len(ids), links, max_work) if samples is None else samples
    approximate = k is not None and k < len(ids)
    if approximate:
        betweenness = nx.betweenness_centrality(simple, k=k, seed=seed)
    else:
        betweenness = nx.betweenness_centrality(simple)
    pagerank = _pagerank(simple)
    communities = _communities(simple, ids, seed)

    measures = [
        Measured(
            id=node,
            label=data["label"],
            cls=data["class_label"] or "(untyped)",
            degree=int(projected.degree(node)),
            betweenness=float(betweenness[i]),
            pagerank=float(pagerank[i]),
            community=communities[i],
        )
        for i, (node, data) in enumerate(projected.nodes(data=True))
    ]

    kept = set(ids)
    isolated = [Named(m.id, m.label) for m in measures if m.degree == 0]
    analysis = Analysis(
        lang=lang,
        nodes=len(ids),
        links=links,
        betweenness_method="approximate" if approximate else "exact",
        betweenness_samples=k if approximate else None,
        max_work=max_work,
        seed=seed,
        top=top,
        scope=scope or _scope(schema, evidence, nodes is not None),
        measures=measures,
        central=_central(measures, top),
        communities=_members(measures, top),
        bridges=_bridges(measures, simple)[:top],
        isolated=sorted(isolated, key=lambda n: (n.label.casefold(), n.id)),
    )
    _debate_findings(graph, analysis, kept if nodes is not None else None, lang)
    return analysis


def _rank(m: Measured) -> tuple[float, float, int, str]:
    """Most central first: by PageRank, then betweenness, then degree."""
    return (-m.pagerank, -m.betweenness, -m.degree, m.label)


def _central(measures: list[Measured], top: int) -> dict[str, list[Measured]]:
    """The `top` most central resources of each class, the largest classes first."""
    by_class: defaultdict[str, list[Measured]] = defaultdict(list)
    for m in measures:
        by_class[m.cls].append(m)
    return {
        cls: sorted(ranked, key=_rank)[:top]
        for cls, ranked in sorted(by_class.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    }


def _members(measures: list[Measured], top: int) -> list[Community]:
    """Each community, its size and its `top` most central members."""
    members: defaultdict[int, list[Measured]] = defaultdict(list)
    for m in measures:
        members[m.community].append(m)
    return [
        Community(number, len(ms), [m.label for m in sorted(ms, key=_rank)[:top]])
        for number, ms in sorted(members.items())
    ]


def _bridges(measures: list[Measured], simple: nx.Graph) -> list[Bridge]:
    """Resources linked to other communities, those linked to most communities first."""
    bridges: list[Bridge] = []
    for i, m in enumerate(measures):
        others = sorted({measures[j].community for j in simple[i]} - {m.community})
        if others:
            bridges.append(Bridge(m, others))
    bridges.sort(key=lambda b: (-len(b.communities), -b.resource.betweenness, b.resource.label))
    return bridges


def betweenness_samples(nodes: int, links: int, max_work: int) -> int | None:
    """None for exact betweenness, else how many sources to sample (seeded)."""
    if nodes * links <= max_work:
        return None
    return min(nodes, max(MIN_SAMPLES, max_work // max(links, 1)))


def _scope(schema: bool, evidence: bool, restricted: bool) -> str:
    if restricted:
        return "a selection of resources"
    left_out = [name for name, kept in (("schema", schema), ("evidence", evidence)) if not kept]
    return " and ".join(left_out) + " left out" if left_out else "schema and evidence included"


def _pagerank(simple: nx.Graph) -> dict[int, float]:
    """PageRank of the undirected graph (links in RDF point one way by naming convention only)."""
    import networkx as nx

    if simple.number_of_nodes() == 0:
        return {}
    return dict(nx.pagerank(simple, alpha=0.85, tol=1e-10, max_iter=1000))


def _communities(simple: nx.Graph, ids: list[str], seed: int) -> list[int]:
    """Louvain communities numbered 1… by size, then by their first member: stable across runs."""
    import networkx as nx

    found = nx.community.louvain_communities(simple, seed=seed)
    ordered = sorted(found, key=lambda c: (-len(c), min(ids[i] for i in c)))
    numbers = [0] * len(ids)
    for number, community in enumerate(ordered, start=1):
        for i in community:
            numbers[i] = number
    return numbers


def instances(graph: Graph, cls: str) -> set[Node]:
    """The resources typed `cls` or one of its subclasses (`rdfs:subClassOf`, transitively)."""
    classes = set(graph.transitive_subjects(URIRef(SUBCLASS_OF), URIRef(cls)))
    classes.add(URIRef(cls))
    found: set[Node] = set()
    for c in classes:
        found.update(graph.subjects(URIRef(RDF_TYPE), c))
    return found


def _debate_findings(graph: Graph, analysis: Analysis, within: set[str] | None, lang: str) -> None:
    """Questions no lever answers, and the levers × actor types matrix, from the RDF graph."""

    def keep(node: Node) -> bool:
        return within is None or str(node) in within

    def named(node: Node) -> Named:
        return Named(str(node), label(graph, node, lang))

    def order(nodes: Iterable[Node]) -> list[Node]:
        return sorted(nodes, key=lambda n: (label(graph, n, lang).casefold(), str(n)))

    levers = {n for n in instances(graph, LEVER) if keep(n)}
    questions = {n for n in instances(graph, QUESTION) if keep(n)}
    answered = {q for lever in levers for q in graph.objects(lever, URIRef(RESPONDS_TO))}
    analysis.unanswered = [named(q) for q in order(questions - answered)]

    involves = {lever: set(graph.objects(lever, URIRef(INVOLVES))) for lever in levers}
    actor_types = {n for n in instances(graph, ACTOR_TYPE) if keep(n)}
    actor_types.update(a for found in involves.values() for a in found if keep(a))
    counts = Counter(a for found in involves.values() for a in found if a in actor_types)
    columns = sorted(
        actor_types, key=lambda a: (-counts[a], label(graph, a, lang).casefold(), str(a))
    )
    rows = order(levers)
    analysis.levers = [named(lever) for lever in rows]
    analysis.actor_types = [named(a) for a in columns]
    analysis.matrix = [[int(a in involves[lever]) for a in columns] for lever in rows]
    analysis.actor_counts = [ActorCount(str(a), label(graph, a, lang), counts[a]) for a in columns]
