"""What the page shows: its nodes, edges, legend, side-panel details, search keys, provenance.

Everything here is plain data (strings, numbers, lists, dicts) that travels to the page as
JSON; `template.page_html` puts it in the page. The text of the graph reaches the page through
`textContent` or vis-network's plain-text tooltips, never as HTML.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import IdentifiedNode, Node

from mixity import __version__
from mixity.errors import InvalidParameter, MixityError
from mixity.graph.io.loader import LoadedGraph
from mixity.graph.model import vocabulary as vocab
from mixity.graph.model.resolve import as_iri, compact, fold, local_name
from mixity.graph.model.views import DEBATE_LEVELS, VIEWS, Ontology, View
from mixity.graph.page.layout import choose_layout, levels, positions
from mixity.graph.page.style import (
    BIG,
    CROWDED,
    SPREAD_LIMIT,
    STANCES,
    UNTYPED,
    class_styles,
    drawn_width,
    ibis_role,
    vis_group,
    vis_options,
)
from mixity.graph.page.words import CLASS_WORDS, UI
from mixity.namespaces import MIX, PREFIXES

_MAX_LABEL = 60
#: Labels drawn in crowded pictures (see `style.CROWDED`), and quotes' labels there.
_CROWDED_LABEL = 32
_CROWDED_QUOTE = 18
_QUOTE_LABEL = 48
_HIDDEN_ATTRIBUTES = frozenset((*vocab.LABEL_PROPERTIES, *vocab.DEFINITION_PROPERTIES))
_TITLE_PROPERTIES = (vocab.DCTERMS + "title", vocab.SCHEMA + "name")
_ADDRESS_PROPERTIES = (vocab.SCHEMA + "url", vocab.SCHEMA + "identifier")
_ARGUMENT = vocab.IBIS + "Argument"

#: What a node is drawn as: its class, and in the IBIS notation an argument's side ("pro",
#: "con"; else ""). Each kind is a legend entry and a vis-network group.
Kind = tuple[URIRef | None, str]


@dataclass
class Provenance:
    """Where a picture comes from, shown in the page's footer."""

    files: list[str] = field(default_factory=list)
    query: str | None = None
    version: str = __version__
    generated: str = ""

    def __post_init__(self) -> None:
        if not self.generated:
            # SOURCE_DATE_EPOCH makes the file reproducible byte for byte (reproducible builds).
            epoch = os.environ.get("SOURCE_DATE_EPOCH")
            when = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
            self.generated = when.strftime("%Y-%m-%d %H:%M UTC")


class _Facts:
    """Every triple of the graph indexed by subject, read once: labels, quotes and sources
    for thousands of nodes cost one pass instead of hundreds of thousands of store look-ups."""

    def __init__(self, graph: Graph, onto: Ontology, lang: str) -> None:
        self.lang = lang
        self.other = "en" if lang == "fr" else "fr"
        # Keyed by plain strings: rdflib terms hash and compare in Python, strings in C.
        self.out: dict[str, dict[str, list[Node]]] = {}
        for s, p, o in graph:
            self.out.setdefault(str(s), {}).setdefault(str(p), []).append(o)
        self._names: dict[str, str] = {}
        #: mixity's prefixes first, then the graph's own (`notion:`, an extension's `ex:`)
        self.prefixes = dict(PREFIXES)
        for prefix, namespace in graph.namespaces():
            if prefix:
                self.prefixes.setdefault(prefix, str(namespace))
        #: mix:evidence and its subproperties
        self.cites = frozenset(
            str(p)
            for p, above in onto.property_ancestors.items()
            if URIRef(vocab.EVIDENCE) in above
        ) | {vocab.EVIDENCE}

    def values(self, node: Node | str, prop: str) -> list[Node]:
        found = self.out.get(str(node), {}).get(prop, [])
        return sorted(found, key=str) if len(found) > 1 else found

    def pairs(self, node: Node) -> list[tuple[str, Node]]:
        """(property IRI, value) of every triple about a node."""
        return [(p, o) for p, values in self.out.get(str(node), {}).items() for o in values]

    def compact(self, node: Node) -> str:
        return compact(str(node), self.prefixes)

    def labels(self, node: Node | str) -> dict[str, str]:
        """As `mixity.graph.model.labels.labels`: skos:prefLabel wins over rdfs:label."""
        found: dict[str, str] = {}
        for prop in vocab.LABEL_PROPERTIES:
            for value in self.values(node, prop):
                if isinstance(value, Literal):
                    found.setdefault(value.language or "", str(value))
        return found

    def name(self, node: Node | str) -> str:
        """As `mixity.graph.model.labels.label`, cached."""
        key = str(node)
        if key not in self._names:
            found = self.labels(key)
            text = next((found[k] for k in (self.lang, self.other, "") if k in found), None)
            self._names[key] = text if text is not None else local_name(key)
        return self._names[key]

    def class_name(self, cls: Node) -> str:
        """A class's name as the page says it: its label, or a plainer word for jargon."""
        words = CLASS_WORDS.get(str(cls))
        return words[self.lang] if words is not None else self.name(cls)

    def pick(self, node: Node, props: Iterable[str]) -> str | None:
        """A literal of the first property that has one: in `lang`, the other, or none."""
        for prop in props:
            values = [v for v in self.values(node, prop) if isinstance(v, Literal)]
            for wanted in (self.lang, self.other, None):
                for value in values:
                    if (value.language or None) == wanted:
                        return str(value)
            if values:
                return str(values[0])
        return None

    def quotes(self, evidence: Node) -> list[str]:
        """The verbatim quotes of one `oa:SpecificResource`."""
        found: list[str] = []
        for selector in self.values(evidence, vocab.HAS_SELECTOR):
            found += [str(q) for q in self.values(selector, vocab.EXACT)]
        return sorted(found)

    def address(self, doc: Node) -> str:
        """A source's web address, else its path or identifier as the source gives it."""
        for prop in _ADDRESS_PROPERTIES:
            for value in self.values(doc, prop):
                return str(value)
        return ""


def page_data(
    loaded: LoadedGraph,
    onto: Ontology,
    shown: View,
    *,
    heading: str,
    subtitle: str,
    lang: str,
    layout: str,
    seed: int,
    provenance: Provenance,
    sizes: dict[IdentifiedNode, float] | None = None,
) -> dict[str, Any]:
    """Everything the page's script reads, as JSON-ready data.

    A named view may have a layout of its own (what `auto` means) and the IBIS notation.
    """
    facts = _Facts(loaded.graph, onto, lang)
    index = {node: i for i, node in enumerate(shown.nodes)}
    spec = VIEWS.get(shown.name)  # None for a query's answer
    ibis = spec is not None and spec.ibis
    kinds = _kinds(onto, shown, ibis)
    order = sorted(set(kinds.values()), key=lambda k: (str(k[0]), k[1]))
    keys = {kind: f"c{i}" for i, kind in enumerate(order)}
    own = spec.layout if spec is not None and layout == "auto" else layout
    chosen = choose_layout(own, len(shown.nodes))
    pairs = [(index[s], index[o]) for s, _, o in shown.edges]
    names = {node: _node_label(facts, node, kinds[node][0]) for node in shown.nodes}
    drawn = [_shown_label(facts, node, names[node], len(shown.nodes)) for node in shown.nodes]
    legend, groups = _legend(loaded.graph, facts, onto, Counter(kinds.values()), keys, ibis)
    shapes = [groups[keys[kinds[node]]]["shape"] for node in shown.nodes]
    widths = [drawn_width(t, shape, len(drawn)) for t, shape in zip(drawn, shapes, strict=True)]
    placed = _placed(onto, shown, pairs, chosen, seed, widths)
    if sizes is None:
        sizes = _degree_sizes(shown)
    nodes = []
    for node in shown.nodes:
        kind = kinds[node]
        what = _kind_name(facts, kind) if kind[0] is not None else None
        item: dict[str, Any] = {
            "id": index[node],
            "label": drawn[index[node]],
            "group": keys[kind],
            "title": f"{names[node]}\n{what}" if what is not None else names[node],
            "size": sizes[node],
        }
        if placed:
            item["x"], item["y"] = placed[index[node]]
        nodes.append(item)
    edges, edge_labels = _edges(facts, shown, names, pairs)
    physics = chosen == "physics"
    rows = chosen == "hierarchical"
    return {
        "title": heading,
        "subtitle": subtitle,
        "lang": lang,
        "ui": UI[lang],
        "details": [_details(loaded, facts, onto, node) for node in shown.nodes],
        "search": [_search_keys(facts, node, names[node]) for node in shown.nodes],
        "edge_labels": edge_labels,
        "big": len(shown.nodes) > BIG,
        "spread": len(shown.nodes) <= SPREAD_LIMIT,
        "classes": legend,
        "physics": physics,
        "rows": rows,
        "provenance": {
            "version": provenance.version,
            "files": provenance.files,
            "query": provenance.query,
            "generated": provenance.generated,
            "view": shown.name,
            "focus": names.get(shown.focus) if shown.focus is not None else None,
            "depth": shown.depth,
            "layout": chosen,
        },
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(len(nodes), physics, groups, seed, rows),
    }


def _kinds(onto: Ontology, shown: View, ibis: bool) -> dict[IdentifiedNode, Kind]:
    """What each node is drawn as: its most specific class, and in the IBIS notation the side
    an argument takes (`style.STANCES`, said by a link of the view either way)."""
    sides: dict[IdentifiedNode, set[str]] = {}
    if ibis:
        for stance, (forward, backward, _) in STANCES.items():
            there, back = frozenset({URIRef(forward)}), frozenset({URIRef(backward)})
            for s, p, o in shown.edges:
                if onto.is_subproperty(p, there):
                    sides.setdefault(s, set()).add(stance)
                elif onto.is_subproperty(p, back):
                    sides.setdefault(o, set()).add(stance)
    kinds: dict[IdentifiedNode, Kind] = {}
    for node in shown.nodes:
        cls = onto.most_specific(node)
        side = sides.get(node, set())
        # An argument for one position and against another takes no one side.
        argues = cls is not None and len(side) == 1 and ibis_role(onto, cls) == _ARGUMENT
        kinds[node] = (cls, next(iter(side)) if argues else "")
    return kinds


def _kind_name(facts: _Facts, kind: Kind) -> str:
    """What the legend and the tooltips call a kind: its class, and an argument's side."""
    cls, side = kind
    name = facts.class_name(cls) if cls is not None else UI[facts.lang]["untyped"]
    return f"{name} — {UI[facts.lang][side]}" if side else name


def _placed(
    onto: Ontology,
    shown: View,
    pairs: list[tuple[int, int]],
    chosen: str,
    seed: int,
    widths: list[float],
) -> list[tuple[float, float]]:
    """Positions computed here (none with physics: the page's vis-network places the nodes);
    the hierarchical layout's rows come from the debate's classes (`DEBATE_LEVELS`)."""
    if chosen == "physics":
        return []
    rows = None
    if chosen == "hierarchical":
        classes = [frozenset(str(c) for c in onto.classes_of(node)) for node in shown.nodes]
        focus = shown.nodes.index(shown.focus) if shown.focus in shown.nodes else None
        rows = levels(classes, pairs, DEBATE_LEVELS, focus)
    return positions(len(shown.nodes), pairs, chosen, seed, rows, widths)


def _edges(
    facts: _Facts, shown: View, names: dict[IdentifiedNode, str], pairs: list[tuple[int, int]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """vis-network's edges, and every edge's label (the page shows them on demand)."""
    big = len(shown.nodes) > BIG
    edges: list[dict[str, Any]] = []
    labels: list[str] = []
    for (s, p, o), (source, target) in zip(shown.edges, pairs, strict=True):
        edge: dict[str, Any] = {"id": len(edges), "from": source, "to": target}
        labels.append(facts.name(p))
        # vis-network builds each edge's label and options slowly: thousands cost seconds.
        if not big:
            edge["label"] = facts.name(p)
            edge["title"] = f"{names[s]} — {facts.name(p)} → {names[o]}\n{facts.compact(p)}"
        edges.append(edge)
    return edges, labels


def _legend(
    graph: Graph,
    facts: _Facts,
    onto: Ontology,
    counts: Counter[Kind],
    keys: dict[Kind, str],
    ibis: bool,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The legend's entries (most frequent class first) and vis-network's groups."""
    styles = class_styles(graph, onto, ibis=ibis)
    legend: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for (cls, side), key in keys.items():
        colour, shape = styles.get(cls, (UNTYPED, "dot")) if cls is not None else (UNTYPED, "dot")
        if side:
            colour = STANCES[side][2]
        groups[key] = vis_group(colour, shape)
        legend.append(
            {
                "key": key,
                "label": _kind_name(facts, (cls, side)),
                "iri": str(cls) if cls is not None else "",
                "compact": facts.compact(cls) if cls is not None else "",
                "count": counts[(cls, side)],
                "color": colour,
                "shape": shape,
            }
        )
    legend.sort(key=lambda c: (-c["count"], str(c["label"]).casefold()))
    return legend, groups


def _details(
    loaded: LoadedGraph, facts: _Facts, onto: Ontology, node: IdentifiedNode
) -> dict[str, Any]:
    """What the side panel shows for one node (plain strings only)."""
    pairs = facts.pairs(node)
    evidences = {o for p, o in pairs if p in facts.cites}
    if URIRef(vocab.SPECIFIC_RESOURCE) in onto.types.get(node, ()):
        evidences.add(node)
    quotes = []
    for evidence in sorted(evidences, key=str):
        sources = facts.values(evidence, vocab.HAS_SOURCE)
        for text in facts.quotes(evidence):
            quote = {"text": text}
            if sources:
                doc = sources[0]
                quote["source"] = facts.pick(doc, _TITLE_PROPERTIES) or facts.name(doc)
                quote["address"] = facts.address(doc)
            quotes.append(quote)
    attributes = []
    for prop, value in sorted(pairs, key=lambda po: (str(po[0]), str(po[1]))):
        if prop in _HIDDEN_ATTRIBUTES or prop == vocab.RDF_TYPE:
            continue
        if isinstance(value, Literal) and value.language and value.language != facts.lang:
            continue
        if isinstance(value, Literal) or prop in vocab.LINK_PROPERTIES:
            attributes.append([facts.name(prop), str(value)])
    out: dict[str, Any] = {
        "iri": str(node) if isinstance(node, URIRef) else "",
        "compact": facts.compact(node) if isinstance(node, URIRef) else "",
        "labels": {k: v for k, v in facts.labels(node).items() if k in ("fr", "en")},
        "types": sorted({facts.class_name(t) for t in onto.types.get(node, ())}, key=str.casefold),
        "definition": facts.pick(node, vocab.DEFINITION_PROPERTIES) or "",
        "quotes": quotes,
        "attributes": attributes,
    }
    origin = loaded.origin(node)
    if origin:
        out["file"] = origin
    return out


def _search_keys(facts: _Facts, node: IdentifiedNode, shown: str) -> list[str]:
    """The folded texts the page's search matches (`resolve.fold`, mirrored in render.js): the
    label shown, the names the resolver knows, and `prefix:name` with the graph's prefixes."""
    texts = [shown]
    for prop in vocab.NAME_PROPERTIES:
        texts += [str(v) for v in facts.values(node, prop) if isinstance(v, Literal)]
    if isinstance(node, URIRef):
        # Every prefix that names it, as the resolver takes it: `notion:mixite`, `id:notion/mixite`.
        iri = str(node)
        texts += [f"{p}:{iri[len(ns) :]}" for p, ns in facts.prefixes.items() if iri.startswith(ns)]
    # Folding is the slow part: fold each text once (a label is often also the prefLabel).
    return list(dict.fromkeys(key for key in map(fold, dict.fromkeys(texts)) if key))


def _node_label(facts: _Facts, node: IdentifiedNode, cls: URIRef | None) -> str:
    if facts.labels(node):
        return facts.name(node)
    quotes = facts.quotes(node)
    if quotes:  # an oa:SpecificResource is best named by its quote
        return f"« {_shorten(quotes[0], _QUOTE_LABEL)} »"
    if isinstance(node, URIRef):
        return local_name(str(node))
    what = facts.class_name(cls) if cls is not None else UI[facts.lang]["blank"]
    return f"[{what}]"


def _shown_label(facts: _Facts, node: IdentifiedNode, name: str, count: int) -> str:
    """The label drawn: the name, shorter in a crowded picture (the tooltip has it whole)."""
    if count <= CROWDED:
        return _shorten(name, _MAX_LABEL)
    quotes = [] if facts.labels(node) else facts.quotes(node)
    if quotes:
        return f"« {_shorten(quotes[0], _CROWDED_QUOTE)} »"
    return _shorten(name, _CROWDED_LABEL)


def _shorten(text: str, limit: int = _MAX_LABEL) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _degree_sizes(shown: View) -> dict[IdentifiedNode, float]:
    """Node sizes from their degree in the view (computed here: vis-network skips a pass)."""
    degree: Counter[IdentifiedNode] = Counter()
    for s, _, o in shown.edges:
        degree[s] += 1
        degree[o] += 1
    top = max(degree.values(), default=0)
    # Crowded pictures are drawn smaller: smaller nodes leave room for the labels.
    low, span = (10, 18) if len(shown.nodes) <= CROWDED else (6, 8)
    return {
        node: round(low + span * math.sqrt(degree[node] / top), 1) if top else 12.0
        for node in shown.nodes
    }


def measure(
    graph: Graph, size_by: str, nodes: Collection[IdentifiedNode]
) -> dict[IdentifiedNode, float]:
    """Node sizes, 10 to 28, from a numeric property: a bare name is in mixity's namespace
    (`pagerank` is `mix:pagerank`, as `mixity analyze --format turtle` writes it)."""
    prefixes = dict(PREFIXES)
    prefixes.update({p: str(ns) for p, ns in graph.namespaces() if p and p not in prefixes})
    iri = as_iri(size_by, prefixes)
    if iri is None:
        if ":" in size_by:
            prefix = size_by.partition(":")[0]
            raise InvalidParameter("size_by", f"{size_by!r}: unknown prefix {prefix!r}")
        iri = MIX + size_by
    prop = URIRef(iri)
    values: dict[IdentifiedNode, float] = {}
    for node in nodes:
        value = graph.value(node, prop)
        if isinstance(value, Literal):
            try:
                values[node] = float(value.toPython())
            except (TypeError, ValueError):
                continue
    if not values:
        raise MixityError(
            f"no node of the view has a numeric {compact(iri, prefixes)}: write the measures "
            "with `mixity analyze --format turtle -o measures.ttl` and load that file with the "
            "graph"
        )
    low, high = min(values.values()), max(values.values())
    span = high - low
    return {
        node: round(10 + 18 * math.sqrt((values[node] - low) / span), 1)
        if node in values and span > 0
        else (19.0 if node in values else 8.0)
        for node in nodes
    }
