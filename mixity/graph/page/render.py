"""Draw a view of the graph as one self-contained, offline, explorable HTML page.

pyvis is the renderer: its `Network` holds the node and edge lists and the vis-network
options, and its package ships the vis-network files that the page inlines. mixity fills
`Network.nodes`/`Network.edges` itself (pyvis's `add_node`/`add_edge` check duplicates
linearly: minutes for a few thousand nodes) and renders them through its own template, which
loads nothing from the network (pyvis's own template links Bootstrap and vis-network from CDNs).

Every text that comes from the graph travels as JSON in a `<script type="application/json">`
and reaches the page through `textContent` or vis-network's plain-text tooltips, never as HTML.

    from mixity.graph.page.render import render, render_html
    html = render_html(mixity.load(), view="debate", lang="en")
    render(mixity.load(), focus="mixité sociale", depth=2)   # displays in a notebook
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import json
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import IdentifiedNode, Node

from mixity import __version__
from mixity.errors import MixityError
from mixity.graph.io.loader import LoadedGraph
from mixity.graph.model.labels import compact, local_name
from mixity.graph.model.labels import label as label_of
from mixity.graph.model.views import (
    EVIDENCE,
    EXACT,
    HAS_SELECTOR,
    HAS_SOURCE,
    LINK_PROPERTIES,
    SPECIFIC_RESOURCE,
    VIEWS,
    Ontology,
    View,
    neighbourhood,
    nodes_and_edges,
    ontology,
    resolve,
    select,
)
from mixity.graph.page.layout import LAYOUTS, choose_layout, positions
from mixity.namespaces import PREFIXES

if TYPE_CHECKING:
    from mixity.graph.sparql.results import QueryResult

#: Above this many nodes the page draws edge labels only around the selected node.
BIG = 1000
VIS_DIR = "templates/lib/vis-9.1.2"

SCHEMA = PREFIXES["schema"]
#: Qualitative palette (Tableau 10, then distinct hues and lightnesses): one colour per class.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#59a14f",
    "#b07aa1",
    "#edc948",
    "#76b7b2",
    "#9c755f",
    "#ff9da7",
    "#17becf",
    "#393b79",
    "#bcbd22",
    "#e7298a",
    "#1a6b4e",
    "#a6cee3",
    "#fdbf6f",
    "#6a3d9a",
    "#b15928",
    "#8c8c8c",
    "#cab2d6",
)
#: vis-network shapes drawn with the label below: one per family of classes (root superclass).
SHAPES = ("dot", "diamond", "square", "triangle", "star", "hexagon", "triangleDown")
UNTYPED = "#a0a4ab"

_DEFINITIONS = (SKOS.definition, RDFS.comment, DCTERMS.description)
_HIDDEN_ATTRIBUTES = frozenset(
    str(p) for p in (SKOS.prefLabel, RDFS.label, SKOS.definition, RDFS.comment, DCTERMS.description)
)
_LINKS = frozenset(str(p) for p in LINK_PROPERTIES)
_RDF_TYPE = str(RDF.type)
_TITLE_PROPERTIES = (DCTERMS.title, URIRef(SCHEMA + "name"))
_ADDRESS_PROPERTIES = (URIRef(SCHEMA + "url"), URIRef(SCHEMA + "identifier"))
_MAX_LABEL = 60

# The page's own words, in the two languages of the model.
UI: dict[str, dict[str, str]] = {
    "fr": {
        "search": "Rechercher un libellé…",
        "legend": "Légende",
        "all": "tout",
        "none": "rien",
        "fit": "Tout voir",
        "hint": "Cliquez sur un nœud pour voir ses libellés, ses types, "
        "sa définition et les citations sur lesquelles il repose.",
        "types": "Types",
        "definition": "Définition",
        "quotes": "Citations",
        "relations": "Relations",
        "attributes": "Attributs",
        "iri": "IRI",
        "file": "Fichier",
        "nodes": "nœuds",
        "edges": "liens",
        "view": "vue",
        "files": "fichiers",
        "query": "requête",
        "generated": "généré le",
        "no_match": "Aucun résultat",
        "close": "Fermer",
        "source": "Source",
        "focus": "centre",
        "depth": "profondeur",
        "layout": "disposition",
        "blank": "nœud anonyme",
        "overview": "toutes les ressources ; les citations sont des attributs des faits",
        "debate": "rencontre, ateliers, interventions, intervenants, questions, leviers, constats",
        "concepts": "notions, types d'acteurs et domaines de politique, avec leurs schémas",
        "actors": "les leviers et les types d'acteurs qu'ils mobilisent",
        "evidence": "les faits, les citations sur lesquelles ils reposent et leurs sources",
    },
    "en": {
        "search": "Search a label…",
        "legend": "Legend",
        "all": "all",
        "none": "none",
        "fit": "Fit",
        "hint": "Click a node to see its labels, types, definition and the quotes it rests on.",
        "types": "Types",
        "definition": "Definition",
        "quotes": "Quotes",
        "relations": "Relations",
        "attributes": "Attributes",
        "iri": "IRI",
        "file": "File",
        "nodes": "nodes",
        "edges": "edges",
        "view": "view",
        "files": "files",
        "query": "query",
        "generated": "generated",
        "no_match": "No match",
        "close": "Close",
        "source": "Source",
        "focus": "focus",
        "depth": "depth",
        "layout": "layout",
        "blank": "blank node",
        **{name: spec.description for name, spec in VIEWS.items()},
    },
}


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


@dataclass
class Rendered:
    """A rendered page: `.html`, its sizes, `.save(path)`, and a notebook display."""

    html: str
    nodes: int
    edges: int
    height: int = 720

    def save(self, path: str | Path) -> None:
        """Write the page atomically (nothing is written if the folder is missing)."""
        from mixity.graph.io.write import atomic_write

        atomic_write(path, self.html)

    def _repr_html_(self) -> str:
        # An iframe with srcdoc works where pyvis's notebook output stays blank (VS Code,
        # Colab); sandboxed without same-origin, the page cannot touch the notebook.
        doc = html_lib.escape(self.html, quote=True)
        return (
            f'<iframe srcdoc="{doc}" sandbox="allow-scripts" title="mixity graph" '
            f'style="width:100%;height:{self.height}px;border:1px solid #d0d4da;border-radius:6px">'
            "</iframe>"
        )

    def __str__(self) -> str:
        return self.html


def render(
    source: LoadedGraph | Graph | None = None,
    **options: Any,
) -> Rendered:
    """Like `render_html`, but returns an object that displays itself in a notebook."""
    page = _build(source, **options)
    return Rendered(page.html(), nodes=len(page.network.nodes), edges=len(page.network.edges))


def render_html(
    source: LoadedGraph | Graph | None = None,
    *,
    view: str = "overview",
    focus: str | None = None,
    depth: int = 1,
    lang: str = "fr",
    layout: str = "auto",
    query: str | None = None,
    params: Mapping[str, str] | None = None,
    title: str | None = None,
    seed: int = 0,
    size_by: str | None = None,
) -> str:
    """One self-contained HTML page drawing a view of the graph (no network access needed).

    Args:
        source: a `LoadedGraph` (from `mixity.load`), an rdflib `Graph`, or None for the
            bundled graph.
        view: overview, debate, concepts, actors or evidence (see `mixity.graph.model.views`).
        focus: a label (any language, accents and case ignored), `prefix:name` or IRI: draw
            only the nodes at most `depth` steps from it.
        lang: "fr" or "en": labels in that language, falling back to the other.
        layout: auto, physics, force, spring, kamada-kawai or circular.
        query: SPARQL text, a `.rq` file or a saved query name: its CONSTRUCT result (or a
            SELECT of ?s ?p ?o) is the graph drawn, instead of `view`.
        params: values for a saved query's parameters.
        seed: the seed of the layout (same graph and seed, same picture).
        size_by: a measure of `mixity analyze --format turtle` (degree, betweenness, pagerank)
            or any numeric property `prefix:name`: node size grows with its value. Default:
            the node's degree in the view.
    """
    return _build(
        source,
        view=view,
        focus=focus,
        depth=depth,
        lang=lang,
        layout=layout,
        query=query,
        params=params,
        title=title,
        seed=seed,
        size_by=size_by,
    ).html()


# ---------------------------------------------------------------------------------------------
# Building the page


@dataclass
class Page:
    """A pyvis Network plus what mixity's template needs beside it."""

    network: Any
    payload: dict[str, Any]
    title: str
    lang: str

    def html(self) -> str:
        """The page, with vis-network and the data inlined."""
        nodes, edges, _heading, _height, _width, options = self.network.get_network_data()
        data = dict(self.payload, nodes=nodes, edges=edges, options=json.loads(options))
        return _template(self.title, self.lang, data)


def _build(
    source: LoadedGraph | Graph | None,
    *,
    view: str = "overview",
    focus: str | None = None,
    depth: int = 1,
    lang: str = "fr",
    layout: str = "auto",
    query: str | None = None,
    params: Mapping[str, str] | None = None,
    title: str | None = None,
    seed: int = 0,
    size_by: str | None = None,
) -> Page:
    if lang not in UI:
        raise MixityError(f"unknown language {lang!r}; use fr or en")
    if layout not in LAYOUTS:
        raise MixityError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    if source is None:
        from mixity.graph.io.loader import load

        source = load()
    loaded = source if isinstance(source, LoadedGraph) else LoadedGraph(graph=source)
    graph = loaded.graph
    onto = ontology(graph)
    provenance = Provenance(files=[f.path for f in loaded.files])
    if query is not None:
        shown, query_name = _query_view(loaded, query, params, onto)
        provenance.query = query_name
        if focus is not None:
            shown = _narrow(graph, shown, focus, depth, lang)
        heading = title or query_name
        subtitle = ""
    else:
        shown = select(graph, view, focus=focus, depth=depth, lang=lang, onto=onto)
        spec = VIEWS[shown.name]
        heading = title or _default_title(graph, shown, lang)
        subtitle = UI[lang][spec.name]
    sizes = _measure(graph, size_by, shown.nodes) if size_by else None
    return _page(loaded, onto, shown, heading, subtitle, lang, layout, seed, provenance, sizes)


def _default_title(graph: Graph, shown: View, lang: str) -> str:
    name = {"fr": "mixity — vue", "en": "mixity —"}[lang]
    head = f"{name} {shown.name}" if lang == "fr" else f"{name} {shown.name} view"
    if shown.focus is not None:
        head += f" — {label_of(graph, shown.focus, lang)}"
    return head


def _narrow(graph: Graph, shown: View, focus: str, depth: int, lang: str) -> View:
    """The part of a query's picture around one node."""
    centre = resolve(graph, focus, lang=lang, prefer=shown.nodes)
    if centre not in set(shown.nodes):
        raise MixityError(f"{focus!r} is not in the query's result")
    keep = neighbourhood(centre, shown.edges, depth)
    return View(
        name=shown.name,
        nodes=[n for n in shown.nodes if n in keep],
        edges=[e for e in shown.edges if e[0] in keep and e[2] in keep],
        focus=centre,
        depth=depth,
    )


class _Facts:
    """Every triple of the graph indexed by subject, read once: labels, quotes and sources
    for thousands of nodes cost one pass instead of hundreds of thousands of store look-ups."""

    def __init__(self, graph: Graph, lang: str) -> None:
        self.lang = lang
        # Keyed by plain strings: rdflib terms hash and compare in Python, strings in C.
        self.out: dict[str, dict[str, list[Node]]] = {}
        for s, p, o in graph:
            self.out.setdefault(str(s), {}).setdefault(str(p), []).append(o)
        self._names: dict[str, str] = {}
        self._compact: dict[Node, str] = {}
        #: mix:evidence and its subproperties
        self.cites: frozenset[str] = frozenset()

    def values(self, node: Node | str, prop: Node) -> list[Node]:
        found = self.out.get(str(node), {}).get(str(prop), [])
        return sorted(found, key=str) if len(found) > 1 else found

    def pairs(self, node: Node) -> list[tuple[str, Node]]:
        """(property IRI, value) of every triple about a node."""
        return [(p, o) for p, values in self.out.get(str(node), {}).items() for o in values]

    def compact(self, node: Node) -> str:
        if node not in self._compact:
            self._compact[node] = compact(str(node))
        return self._compact[node]

    def labels(self, node: Node | str) -> dict[str, str]:
        """As `mixity.graph.model.labels.labels`: skos:prefLabel wins over rdfs:label."""
        found: dict[str, str] = {}
        for prop in (SKOS.prefLabel, RDFS.label):
            for value in self.values(node, prop):
                if isinstance(value, Literal):
                    found.setdefault(value.language or "", str(value))
        return found

    def name(self, node: Node | str) -> str:
        """As `mixity.graph.model.labels.label`, cached."""
        key = str(node)
        if key not in self._names:
            found = self.labels(key)
            order = (self.lang, "en" if self.lang == "fr" else "fr", "")
            text = next((found[k] for k in order if k in found), None)
            self._names[key] = text if text is not None else local_name(key)
        return self._names[key]

    def pick(self, node: Node, props: Iterable[Node]) -> str | None:
        """A literal of the first property that has one: in `lang`, the other, or none."""
        for prop in props:
            values = [v for v in self.values(node, prop) if isinstance(v, Literal)]
            if values:
                for wanted in (self.lang, "en" if self.lang == "fr" else "fr", None):
                    for value in values:
                        if (value.language or None) == wanted:
                            return str(value)
                return str(values[0])
        return None

    def quotes(self, evidence: Node) -> list[str]:
        """The verbatim quotes of one `oa:SpecificResource`."""
        found: list[str] = []
        for selector in self.values(evidence, HAS_SELECTOR):
            found += [str(q) for q in self.values(selector, EXACT)]
        return sorted(found)

    def address(self, doc: Node) -> str:
        """A source's web address, else its path or identifier as the source gives it."""
        for prop in _ADDRESS_PROPERTIES:
            for value in self.values(doc, prop):
                return str(value)
        return ""


def _page(
    loaded: LoadedGraph,
    onto: Ontology,
    shown: View,
    heading: str,
    subtitle: str,
    lang: str,
    layout: str,
    seed: int,
    provenance: Provenance,
    sizes: dict[IdentifiedNode, float] | None = None,
) -> Page:
    from pyvis.network import Network

    graph = loaded.graph
    facts = _Facts(graph, lang)
    facts.cites = frozenset(
        str(p) for p, above in onto.property_ancestors.items() if EVIDENCE in above
    ) | {str(EVIDENCE)}
    index = {node: i for i, node in enumerate(shown.nodes)}
    primary = {node: onto.most_specific(node) for node in shown.nodes}
    styles = class_styles(graph, onto)
    counts = Counter(primary.values())
    degree: Counter[IdentifiedNode] = Counter()
    for s, _, o in shown.edges:
        degree[s] += 1
        degree[o] += 1
    keys = {cls: f"c{i}" for i, cls in enumerate(sorted(counts, key=lambda c: str(c)))}
    top = max(degree.values(), default=0)

    chosen = choose_layout(layout, len(shown.nodes))
    pairs = [(index[s], index[o]) for s, _, o in shown.edges]
    placed = positions(len(shown.nodes), pairs, chosen, seed) if chosen != "physics" else []

    names: dict[Node, str] = {}
    vis_nodes: list[dict[str, Any]] = []
    details: list[dict[str, Any]] = []
    for node in shown.nodes:
        cls = primary[node]
        name = _node_label(facts, node, cls)
        names[node] = name
        class_name = facts.name(cls) if cls is not None else ""
        item: dict[str, Any] = {
            "id": index[node],
            "label": _shorten(name, 40 if len(shown.nodes) > BIG else _MAX_LABEL),
            "group": keys[cls],
            "title": f"{name}\n{class_name}" if class_name else name,
            "size": _size(degree[node], top) if sizes is None else sizes[node],
        }
        if placed:
            item["x"], item["y"] = placed[index[node]]
        vis_nodes.append(item)
        details.append(_details(loaded, facts, onto, node))

    big = len(shown.nodes) > BIG
    vis_edges: list[dict[str, Any]] = []
    edge_labels: list[str] = []
    for (s, p, o), (source, target) in zip(shown.edges, pairs, strict=True):
        edge: dict[str, Any] = {"id": len(vis_edges), "from": source, "to": target}
        edge_labels.append(facts.name(p))
        if (
            not big
        ):  # vis-network builds each edge's label and options slowly: thousands cost seconds
            edge["label"] = facts.name(p)
            edge["title"] = f"{names[s]} — {facts.name(p)} → {names[o]}\n{facts.compact(p)}"
        vis_edges.append(edge)

    legend: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for cls, key in keys.items():
        colour, shape = styles.get(cls, (UNTYPED, "dot")) if cls is not None else (UNTYPED, "dot")
        groups[key] = {"shape": shape, "color": _vis_colour(colour)}
        legend.append(
            {
                "key": key,
                "label": facts.name(cls) if cls is not None else _untyped(lang),
                "iri": str(cls) if cls is not None else "",
                "compact": compact(str(cls)) if cls is not None else "",
                "count": counts[cls],
                "color": colour,
                "shape": shape,
            }
        )
    legend.sort(key=lambda c: (-c["count"], str(c["label"]).casefold()))

    physics = chosen == "physics"
    net = Network(directed=True, cdn_resources="in_line", heading=heading)
    net.nodes = vis_nodes
    net.edges = vis_edges
    net.options = _vis_options(len(vis_nodes), physics, groups, seed)
    payload = {
        "title": heading,
        "subtitle": subtitle,
        "lang": lang,
        "ui": UI[lang],
        "details": details,
        "edge_labels": edge_labels,
        "big": big,
        "classes": legend,
        "physics": physics,
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
    }
    return Page(network=net, payload=payload, title=heading, lang=lang)


def _measure(
    graph: Graph, size_by: str, nodes: Iterable[IdentifiedNode]
) -> dict[IdentifiedNode, float]:
    """Node sizes from a numeric property (`mix:pagerank` by default namespace); 10 to 28."""
    from mixity.namespaces import MIX, PREFIXES

    if ":" in size_by and not size_by.startswith(("http://", "https://", "urn:")):
        prefix, _, name = size_by.partition(":")
        if prefix not in PREFIXES:
            raise MixityError(f"--size-by {size_by!r}: unknown prefix {prefix!r}")
        prop = URIRef(PREFIXES[prefix] + name)
    elif ":" in size_by:
        prop = URIRef(size_by)
    else:
        prop = URIRef(MIX + size_by)
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
            f"--size-by {size_by}: no node of the view has a numeric {compact(str(prop))}; "
            "write the measures with `mixity analyze --format turtle -o measures.ttl` "
            "and load them with `-g measures.ttl`"
        )
    low, high = min(values.values()), max(values.values())
    span = high - low
    return {
        node: round(10 + 18 * math.sqrt((values[node] - low) / span), 1)
        if node in values and span > 0
        else (19.0 if node in values else 8.0)
        for node in nodes
    }


def _size(degree: int, top: int) -> float:
    """Node size from its degree (sizes computed here spare vis-network a scaling pass)."""
    return round(10 + 18 * math.sqrt(degree / top), 1) if top else 12.0


def _untyped(lang: str) -> str:
    return "sans type" if lang == "fr" else "untyped"


def _shorten(text: str, limit: int = _MAX_LABEL) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _node_label(facts: _Facts, node: IdentifiedNode, cls: URIRef | None) -> str:
    if facts.labels(node):
        return facts.name(node)
    quotes = facts.quotes(node)
    if quotes:  # an oa:SpecificResource is best named by its quote
        return f"« {_shorten(quotes[0], 48)} »"
    if isinstance(node, URIRef):
        return local_name(str(node))
    what = facts.name(cls) if cls is not None else UI[facts.lang]["blank"]
    return f"[{what}]"


def _details(
    loaded: LoadedGraph, facts: _Facts, onto: Ontology, node: IdentifiedNode
) -> dict[str, Any]:
    """What the side panel shows for one node (plain strings only)."""
    found = facts.labels(node)
    types = sorted({facts.name(t) for t in onto.types.get(node, ())}, key=str.casefold)
    pairs = facts.pairs(node)
    evidences = {o for p, o in pairs if p in facts.cites}
    if SPECIFIC_RESOURCE in onto.types.get(node, ()):
        evidences.add(node)
    quotes = []
    for evidence in sorted(evidences, key=str):
        sources = facts.values(evidence, HAS_SOURCE)
        for text in facts.quotes(evidence):
            quote = {"text": text}
            if sources:
                doc = sources[0]
                quote["source"] = facts.pick(doc, _TITLE_PROPERTIES) or facts.name(doc)
                quote["address"] = facts.address(doc)
            quotes.append(quote)
    attributes = []
    for prop, value in sorted(pairs, key=lambda po: (str(po[0]), str(po[1]))):
        if prop in _HIDDEN_ATTRIBUTES or prop == _RDF_TYPE:
            continue
        if isinstance(value, Literal) and value.language and value.language != facts.lang:
            continue
        if isinstance(value, Literal) or prop in _LINKS:
            attributes.append([facts.name(prop), str(value)])
    out: dict[str, Any] = {
        "iri": str(node) if isinstance(node, URIRef) else "",
        "compact": compact(str(node)) if isinstance(node, URIRef) else "",
        "labels": {k: v for k, v in found.items() if k in ("fr", "en")},
        "types": types,
        "definition": facts.pick(node, _DEFINITIONS) or "",
        "quotes": quotes,
        "attributes": attributes,
    }
    origin = loaded.origin(node)
    if origin:
        out["file"] = origin
    return out


def _vis_colour(colour: str) -> dict[str, Any]:
    border = _shade(colour, 0.72)
    return {
        "background": colour,
        "border": border,
        "highlight": {"background": colour, "border": "#1f2430"},
        "hover": {"background": colour, "border": "#1f2430"},
    }


def _shade(colour: str, factor: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(max(0, min(255, round(c * factor))) for c in (r, g, b)))


def _slot(text: str, size: int) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") % size


def class_styles(graph: Graph, onto: Ontology | None = None) -> dict[Node, tuple[str, str]]:
    """Colour and shape of every class used as a type in `graph`.

    The colour is picked from PALETTE by a hash of the class IRI (the next free colour on a
    collision, in IRI order), the shape by the family's root class, so that a class an
    extension adds gets its own colour and legend entry with no code change.
    """
    onto = onto or ontology(graph)
    used = sorted({cls for types in onto.types.values() for cls in types}, key=str)
    colours: dict[Node, str] = {}
    taken: set[int] = set()
    for cls in sorted(used, key=lambda c: (_slot(str(c), len(PALETTE)), str(c))):
        slot = _slot(str(cls), len(PALETTE))
        for step in range(len(PALETTE)):
            if (slot + step) % len(PALETTE) not in taken:
                slot = (slot + step) % len(PALETTE)
                taken.add(slot)
                colours[cls] = PALETTE[slot]
                break
        else:  # more classes than colours: a stable colour from the hash
            hue = _slot(str(cls), 360)
            colours[cls] = _hsl(hue, 0.55, 0.55)
    roots = {cls: _root(onto, cls) for cls in used}
    shapes: dict[Node, str] = {}
    free = list(SHAPES)
    for root in sorted(set(roots.values()), key=lambda r: (_slot(r, len(SHAPES)), r)):
        slot = _slot(root, len(SHAPES))
        shape = next((s for s in SHAPES[slot:] + SHAPES[:slot] if s in free), SHAPES[slot])
        if shape in free:
            free.remove(shape)
        shapes[root] = shape  # type: ignore[index]
    return {cls: (colours[cls], shapes[roots[cls]]) for cls in used}  # type: ignore[index]


def _root(onto: Ontology, cls: Node) -> str:
    """The most general superclass of a class (the smallest IRI among several)."""
    ancestors = onto.ancestors.get(cls, frozenset((cls,)))
    tops = [a for a in ancestors if onto.ancestors.get(a, frozenset((a,))) == {a}]
    return min(str(t) for t in tops) if tops else str(cls)


def _hsl(hue: int, sat: float, light: float) -> str:
    import colorsys

    r, g, b = colorsys.hls_to_rgb(hue / 360, light, sat)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _vis_options(count: int, physics: bool, groups: dict[str, Any], seed: int) -> dict[str, Any]:
    big = count > BIG
    options: dict[str, Any] = {
        "autoResize": True,
        "groups": groups,
        "nodes": {
            "borderWidth": 1.5,
            "borderWidthSelected": 3,
            "font": {
                "size": 14,
                "face": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
                "color": "#1f2430",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {
            # Thousands of arrowheads cost a redraw dearly: big pages draw them around the
            # selected node only.
            "arrows": {"to": {"enabled": not big, "scaleFactor": 0.5}},
            "color": {
                "color": "#b4bac4",
                "highlight": "#39424e",
                "hover": "#39424e",
                "inherit": False,
            },
            "font": {
                "size": 10,
                "color": "#5b6470",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "middle",
            },
            "smooth": {"enabled": True, "type": "continuous", "roundness": 0.3}
            if physics
            else False,
            "width": 1,
            "selectionWidth": 1.5,
            "scaling": {"label": {"enabled": False, "drawThreshold": 9}},
        },
        "layout": {"randomSeed": seed, "improvedLayout": physics and count <= 100},
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": False,
        },
    }
    if not big:  # wrapping measures every word: worth it for hundreds of labels, not thousands
        options["nodes"]["widthConstraint"] = {"maximum": 180}
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "centralGravity": 0.008,
                "springLength": 110,
                "springConstant": 0.06,
                "avoidOverlap": 0.4,
            },
            "stabilization": {
                "enabled": True,
                "iterations": 300,
                "updateInterval": 50,
                "fit": True,
            },
            "minVelocity": 1.5,
        }
    else:
        options["physics"] = {"enabled": False}
    return options


# ---------------------------------------------------------------------------------------------
# Queries


def _query_view(
    loaded: LoadedGraph, query: str, params: Mapping[str, str] | None, onto: Ontology
) -> tuple[View, str]:
    """Run a query (text, .rq file or saved name) and take its answer as the picture."""
    from mixity.graph.sparql.engine import QueryEngine, saved_query

    text: Any
    path = Path(query)
    if "\n" not in query and path.suffix == ".rq":
        from mixity.graph.io.files import read_query

        text = read_query(path)
        name = origin = str(path)
    elif re.fullmatch(r"[A-Za-z0-9][\w-]*", query):
        text = saved_query(query)
        name = origin = query
    else:
        text = query
        name = " ".join(query.split())[:120]
        origin = "query"
    paths = [f.path for f in loaded.files if not f.bundled]
    bundled = any(f.bundled for f in loaded.files)
    engine = QueryEngine(paths, bundled=bundled)
    result = engine.query(text, params=params, origin=origin)
    picture = _result_graph(result, name)
    nodes, edges = nodes_and_edges(picture)
    # Types stated in the result count as well as those of the loaded graph.
    for node, cls in picture.subject_objects(RDF.type):
        if isinstance(node, IdentifiedNode) and isinstance(cls, URIRef):
            onto.types.setdefault(node, set()).add(cls)
    return View(name="query", nodes=nodes, edges=edges), name


def _result_graph(result: QueryResult, name: str) -> Graph:
    from mixity.graph.sparql.memory import to_rdflib

    graph = Graph()
    if result.kind == "graph":
        for triple in result.triples:
            graph.add(
                (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
            )
        return graph
    if result.kind == "select" and {"s", "p", "o"} <= set(result.variables):
        at = [result.variables.index(v) for v in ("s", "p", "o")]
        for row in result.rows:
            s, p, o = (row[i] for i in at)
            if s is not None and p is not None and o is not None:
                graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
        return graph
    found = ", ".join(f"?{v}" for v in result.variables) or result.kind.upper()
    raise MixityError(
        f"{name}: render draws a CONSTRUCT or DESCRIBE result, or a SELECT of ?s ?p ?o "
        f"(this query gives {found})"
    )



# ---------------------------------------------------------------------------------------------
# The template


@lru_cache(maxsize=1)
def _vis_files() -> tuple[str, str]:
    """vis-network's JS and CSS as pyvis ships them."""
    folder = files("pyvis").joinpath(*VIS_DIR.split("/"))
    js = folder.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = folder.joinpath("vis-network.css").read_text(encoding="utf-8")
    return js, css


@lru_cache(maxsize=1)
def _own_files() -> tuple[str, str, str]:
    folder = files("mixity.graph.page").joinpath("templates")
    return (
        folder.joinpath("render.html").read_text(encoding="utf-8"),
        folder.joinpath("render.css").read_text(encoding="utf-8"),
        folder.joinpath("render.js").read_text(encoding="utf-8"),
    )


def script_json(data: object) -> str:
    """JSON safe inside a `<script>` element: no `</script>`, `<!--` can appear in it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _inline_script(code: str) -> str:
    # A script's text ends at the first "</script" whatever its JS means: break that sequence.
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.I)


def _sha256(code: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"
    )


def _template(title: str, lang: str, data: dict[str, Any]) -> str:
    page, css, app = _own_files()
    vis_js, vis_css = _vis_files()
    vis_js = _inline_script(vis_js)
    app = _inline_script(app)
    # Only these two scripts may run (hashes): an inline handler such as onerror="…" that
    # slipped into the page would be refused by the browser, and nothing may be fetched.
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(vis_js)} {_sha256(app)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    values = {
        "LANG": html_lib.escape(lang, quote=True),
        "TITLE": html_lib.escape(title, quote=False),
        "CSP": html_lib.escape(csp, quote=False).replace('"', "&quot;"),
        "VIS_CSS": vis_css.replace("</", "<\\/"),
        "CSS": css,
        "VIS_JS": vis_js,
        "APP_JS": app,
        "DATA": script_json(data),
    }
    # One pass: inserted text is never scanned for markers again.
    return re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], page)
