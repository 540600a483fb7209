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
import difflib
import io
import itertools
import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from mixity.errors import MixityError, UnknownName
from mixity.graph.io.write import one_line
from mixity.graph.model.labels import compact, label
from mixity.namespaces import ID, MIX, PREFIXES

if TYPE_CHECKING:
    import networkx as nx

#: Exact betweenness (Brandes) costs O(nodes x links): measured by bench/bench_analyze.py at
#: 1.3-3.6 µs per node-link (0.9 s at 510,000 node-links, 10 s at 1.7 million).
#: Above this many node-links it is estimated from k sampled sources, k chosen so that the
#: estimate costs about what the largest exact computation does (~1 s), and never below
#: `MIN_SAMPLES`.
EXACT_BETWEENNESS_MAX_WORK = 500_000
MIN_SAMPLES = 50
SEED = 42

LEVER = URIRef(MIX + "Lever")
QUESTION = URIRef(MIX + "Question")
ACTOR_TYPE = URIRef(MIX + "ActorType")
INVOLVES = URIRef(MIX + "involves")
RESPONDS_TO = URIRef(PREFIXES["ibis"] + "responds-to")

#: The kinds of data IRIs (…/id/<kind>/<slug>): `notion:mixite` names …/id/notion/mixite.
DATA_KINDS = frozenset(
    {
        "meeting",
        "workshop",
        "talk",
        "person",
        "organization",
        "place",
        "question",
        "lever",
        "finding",
        "notion",
        "actor",
        "policy",
        "source",
        "resource",
        "evidence",
        "scheme",
    }
)


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

        Written by hand: rdflib's serializer rounds doubles to 7 digits.
        """
        out = [
            "# Network measures written by `mixity analyze --format turtle`.",
            f"# {self.nodes} resources, {self.links} links; {self.betweenness_note}.",
            "# Load them with the graph: mixity query -g measures.ttl …",
            "",
            f"@prefix mix: <{MIX}> .",
            f"@prefix xsd: <{PREFIXES['xsd']}> .",
            "",
        ]
        for m in sorted(self.measures, key=lambda m: m.id):
            if m.id.startswith("_:"):
                continue  # a blank node cannot be named again from another file
            out += [
                f"{_iri(m.id)} mix:degree {m.degree} ;",
                f'    mix:betweenness "{m.betweenness!r}"^^xsd:double ;',
                f'    mix:pagerank "{m.pagerank!r}"^^xsd:double ;',
                f"    mix:community {m.community} .",
                "",
            ]
        return "\n".join(out)

    def to_text(self) -> str:
        """The report as aligned text tables."""
        out = [
            f"Debate network ({self.scope}): {self.nodes} resources, {self.links} links; "
            f"{self.betweenness_note}.",
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


def _iri(iri: str) -> str:
    """An IRI in Turtle's <…>, with the characters it forbids as \\u escapes."""
    escaped = "".join(
        f"\\u{ord(ch):04X}" if ord(ch) <= 0x20 or ch in '<>"{}|^`\\' else ch for ch in iri
    )
    return f"<{escaped}>"


def _short(text: str, width: int) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    """Rows aligned under headers (text left, numbers right), indented by two spaces."""
    if not rows:
        return []
    cells = [[str(c) for c in row] for row in rows]
    widths = [max(len(headers[i]), *(len(r[i]) for r in cells)) for i in range(len(headers))]
    numeric = [all(_is_number(r[i]) for r in cells) for i in range(len(headers))]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]) for i, v in enumerate(values)
        ]
        return "  " + "  ".join(parts).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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
        raise MixityError(f"--top must be 1 or more, not {top}")
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

    def rank(m: Measured) -> tuple[float, float, int, str]:
        return (-m.pagerank, -m.betweenness, -m.degree, m.label)

    by_class: defaultdict[str, list[Measured]] = defaultdict(list)
    for m in measures:
        by_class[m.cls].append(m)
    central = {
        cls: sorted(ranked, key=rank)[:top]
        for cls, ranked in sorted(by_class.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    }

    members: defaultdict[int, list[Measured]] = defaultdict(list)
    for m in measures:
        members[m.community].append(m)
    found_communities = [
        Community(number, len(ms), [m.label for m in sorted(ms, key=rank)[:top]])
        for number, ms in sorted(members.items())
    ]

    bridges: list[Bridge] = []
    for i, m in enumerate(measures):
        others = sorted({communities[j] for j in simple[i]} - {m.community})
        if others:
            bridges.append(Bridge(m, others))
    bridges.sort(key=lambda b: (-len(b.communities), -b.resource.betweenness, b.resource.label))

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
        central=central,
        communities=found_communities,
        bridges=bridges[:top],
        isolated=sorted(isolated, key=lambda n: (n.label.casefold(), n.id)),
    )
    _debate_findings(graph, analysis, kept if nodes is not None else None, lang)
    return analysis


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
    try:
        return dict(nx.pagerank(simple, alpha=0.85, tol=1e-10, max_iter=1000))
    except ImportError:  # networkx's fast path needs scipy; the pure-Python one gives the same
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return dict(_pagerank_python(simple, alpha=0.85, tol=1e-10, max_iter=1000))


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


def instances(graph: Graph, cls: URIRef) -> set[Node]:
    """The resources typed `cls` or one of its subclasses (`rdfs:subClassOf`, transitively)."""
    classes = set(graph.transitive_subjects(RDFS.subClassOf, cls))
    classes.add(cls)
    found: set[Node] = set()
    for c in classes:
        found.update(graph.subjects(RDF.type, c))
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
    answered = {q for lever in levers for q in graph.objects(lever, RESPONDS_TO)}
    analysis.unanswered = [named(q) for q in order(questions - answered)]

    involves = {lever: set(graph.objects(lever, INVOLVES)) for lever in levers}
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


# --------------------------------------------------------------------------------------------
# Paths


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


def normalize(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a label, for matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("’", "'").replace("œ", "oe").replace("æ", "ae")
    return " ".join(bare.casefold().split())


_NAME_ATTRIBUTES = ("label", "skos_altLabel", "schema_name", "dcterms_title")


def _names(data: dict[str, Any]) -> Iterable[str]:
    for key, value in data.items():
        if key.startswith(_NAME_ATTRIBUTES):
            yield from ([value] if isinstance(value, str) else value)


def resolve(projected: nx.MultiDiGraph, name: str) -> str:
    """The node a user means by `name`: an IRI, `prefix:local`, `<iri>`, or a label.

    Labels match whatever their case and accents (« mixite sociale » finds « Mixité sociale »).
    Raises `UnknownName` with close suggestions, or `MixityError` when a label is ambiguous.
    """
    text = name.strip()
    iri = _as_iri(text)
    if iri is not None and iri in projected:
        return iri
    wanted = normalize(text)
    index: defaultdict[str, set[str]] = defaultdict(set)
    for node, data in projected.nodes(data=True):
        for value in _names(data):
            index[normalize(value)].add(node)
        index[normalize(node.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1])].add(node)
    matches = index.get(wanted, set())
    if len(matches) == 1:
        return next(iter(matches))
    if len(matches) > 1:
        listed = ", ".join(
            f"« {projected.nodes[n]['label']} » {compact(n)}" for n in sorted(matches)[:6]
        )
        raise MixityError(f"{name!r} names {len(matches)} resources: {listed}; give an IRI")
    raise UnknownName("resource", name, _suggest(projected, index, wanted))


def _as_iri(text: str) -> str | None:
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if "://" in text or text.startswith("_:"):
        return text
    prefix, sep, rest = text.partition(":")
    if sep and " " not in rest and rest:
        if prefix in PREFIXES:
            return PREFIXES[prefix] + rest
        kind = "evidence" if prefix == "ev" else prefix  # the data files write ev: for evidence
        if kind in DATA_KINDS:
            return f"{ID}{kind}/{rest}"
    return None


def _suggest(projected: nx.MultiDiGraph, index: dict[str, set[str]], wanted: str) -> list[str]:
    """Up to five labels close to what was asked: near spellings first, then containing it."""
    keys = sorted(index)
    close = difflib.get_close_matches(wanted, keys, n=5, cutoff=0.6)
    if wanted and len(close) < 5:
        close += [k for k in keys if wanted in k and k not in close][: 5 - len(close)]
    labels: list[str] = []
    for key in close:
        for node in sorted(index[key]):
            shown = str(projected.nodes[node]["label"])
            if shown not in labels:
                labels.append(shown)
    return labels[:5]


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
    """The shortest paths between two resources, links followed in either direction."""
    import networkx as nx

    from mixity.graph.network.projection import project

    if max_paths < 1:
        raise MixityError(f"--max must be 1 or more, not {max_paths}")
    projected = project(graph, schema=schema, evidence=evidence, lang=lang)
    try:
        start, end = resolve(projected, source), resolve(projected, target)
    except UnknownName as error:
        if schema and evidence:
            raise
        # a resource left out (a quote, a source document, a class): say which flag brings it
        everything = project(graph, schema=True, evidence=True, lang=lang)
        try:
            found = resolve(everything, error.name)
        except (UnknownName, MixityError):
            raise error from None
        kind = everything.nodes[found]["kind"]
        raise MixityError(
            f"« {everything.nodes[found]['label']} » is {kind} ({compact(found)}), left out "
            f"of paths: add --{kind}"
        ) from None
    if start == end:
        raise MixityError(f"{source!r} and {target!r} name the same resource")
    undirected = nx.Graph()
    undirected.add_nodes_from(projected.nodes)
    undirected.add_edges_from(projected.edges())
    try:
        chains = list(itertools.islice(nx.all_shortest_paths(undirected, start, end), max_paths))
    except nx.NetworkXNoPath:
        hint = "" if evidence else " (evidence left out: try --evidence)"
        raise MixityError(
            f"no path between « {projected.nodes[start]['label']} » and "
            f"« {projected.nodes[end]['label']} »{hint}"
        ) from None
    return [_path(projected, chain) for chain in chains]


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
