"""Lossless exports of the debate graph: GraphML, GEXF, CSV, JSON-LD, Turtle, N-Triples, TriG.

The network formats (GraphML, GEXF, CSV) are written from mixity's own projection
(`mixity.graph.projection.project`): a node per resource with its labels in both languages,
classes and IRI, an edge per link with its property's IRI and labels and a unique id. Lists
become `a|b` strings and absent values are left out (networkx's writers fail on None and lists).
The RDF formats are written by rdflib from the graph itself; JSON-LD gets an inline context
made of mixity's prefixes, so reading it back never fetches anything.

Everything is built in memory first and written by `save` through `atomic_write`: a failed
export leaves the target as it was.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal
from rdflib.term import Node

from mixity.errors import OutputError, UnsupportedFormat
from mixity.namespaces import PREFIXES
from mixity.output import atomic_write

if TYPE_CHECKING:
    import networkx as nx

NETWORK_FORMATS = ("graphml", "gexf", "csv")
RDF_FORMATS = ("jsonld", "turtle", "nt", "trig")
FORMATS = NETWORK_FORMATS + RDF_FORMATS

#: File extension -> export format, to infer --format from -o.
EXTENSIONS = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".zip": "csv",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".ttl": "turtle",
    ".nt": "nt",
    ".trig": "trig",
}

#: The first columns of nodes.csv and edges.csv; other attributes follow, sorted.
NODE_COLUMNS = ["id", "label", "label_fr", "label_en", "class", "classes", "iri", "kind"]
EDGE_COLUMNS = [
    "id",
    "source",
    "target",
    "property",
    "property_iri",
    "label",
    "label_fr",
    "label_en",
]
LIST_SEPARATOR = "|"


@dataclass
class Exported:
    """An export held in memory: one file (`name` ""), or several (CSV: nodes.csv, edges.csv)."""

    format: str
    files: dict[str, bytes]
    nodes: int | None = None
    edges: int | None = None
    triples: int | None = None

    @property
    def single(self) -> bytes | None:
        """The content of a one-file export, else None."""
        return self.files.get("")


def export(
    graph: Graph,
    fmt: str,
    *,
    schema: bool = True,
    evidence: bool = True,
    nodes: Collection[Node] | None = None,
    lang: str = "fr",
) -> Exported:
    """Serialise `graph` (or the part of it the options keep) in `fmt`."""
    if fmt not in FORMATS:
        raise UnsupportedFormat(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt in RDF_FORMATS:
        part = graph
        if nodes is not None or not schema or not evidence:
            part = restrict(graph, schema=schema, evidence=evidence, nodes=nodes)
        return Exported(fmt, {"": serialize_rdf(part, fmt)}, triples=len(part))

    from mixity.graph.projection import project

    projected = flatten(project(graph, schema=schema, evidence=evidence, nodes=nodes, lang=lang))
    counts = {"nodes": projected.number_of_nodes(), "edges": projected.number_of_edges()}
    if fmt == "csv":
        return Exported(fmt, to_csv(projected), **counts)
    data = to_graphml(projected) if fmt == "graphml" else to_gexf(projected)
    return Exported(fmt, {"": data}, **counts)


def restrict(
    graph: Graph, *, schema: bool, evidence: bool, nodes: Collection[Node] | None
) -> Graph:
    """The triples about the kept resources, minus links to resources left out.

    Links to schema terms (`rdf:type`, `dcterms:type`) stay: they say what a resource is.
    """
    from mixity.graph.loader import new_graph
    from mixity.graph.projection import LINK_PROPERTIES, classify, key_of

    parts = classify(graph)
    kept = parts.select(schema=schema, evidence=evidence, nodes=nodes)
    out = new_graph()
    for s, p, o in graph:
        if key_of(s) not in kept:
            continue
        if isinstance(o, Literal) or p in LINK_PROPERTIES:
            out.add((s, p, o))
        else:
            target = key_of(o)
            if target in kept or target in parts.schema:
                out.add((s, p, o))
    return out


def serialize_rdf(graph: Graph, fmt: str) -> bytes:
    """Turtle, N-Triples (sorted lines), TriG (the default graph) or JSON-LD (inline context)."""
    if fmt == "turtle":
        return graph.serialize(format="turtle", encoding="utf-8")
    if fmt == "nt":
        text = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        lines = sorted(line for line in text.splitlines() if line.strip())
        return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    if fmt == "trig":
        from rdflib import Dataset

        dataset = Dataset()
        for prefix, iri in graph.namespaces():
            dataset.bind(prefix, iri, replace=True)
        with warnings.catch_warnings():
            # rdflib's own TriG writer still calls its deprecated ConjunctiveGraph API.
            warnings.simplefilter("ignore", DeprecationWarning)
            default = dataset.default_graph
            for triple in graph:
                default.add(triple)
            return dataset.serialize(format="trig", encoding="utf-8")
    if fmt == "jsonld":
        context = dict(PREFIXES)
        return graph.serialize(format="json-ld", context=context, indent=2, encoding="utf-8")
    raise UnsupportedFormat(f"{fmt!r} is not an RDF format")


def flatten(projected: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attribute values are strings, numbers or booleans only: `a|b` for lists."""
    import networkx as nx

    flat = nx.MultiDiGraph()
    flat.graph.update({k: _flat(v) for k, v in projected.graph.items() if v is not None})
    for node, data in projected.nodes(data=True):
        flat.add_node(node, **{k: _flat(v) for k, v in data.items() if v is not None and v != []})
    for u, v, key, data in projected.edges(keys=True, data=True):
        attrs = {k: _flat(val) for k, val in data.items() if val is not None}
        flat.add_edge(u, v, key=key, **attrs)
    return flat


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, frozenset)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def to_graphml(flat: nx.MultiDiGraph) -> bytes:
    """GraphML with typed keys; edge ids are the projection's unique edge keys.

    Each edge also carries its id as the attribute `edge_id`: igraph 1.0's GraphML reader
    fills the edges' `id` with the source vertex instead of the edge's own id.
    """
    import networkx as nx

    copy = nx.MultiDiGraph()
    copy.graph.update(flat.graph)
    copy.add_nodes_from(flat.nodes(data=True))
    copy.add_edges_from(
        (u, v, key, {**data, "edge_id": key})
        for u, v, key, data in flat.edges(keys=True, data=True)
    )
    buffer = io.BytesIO()
    nx.write_graphml(copy, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def to_gexf(flat: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 for Gephi: node and edge labels, every other value as an attribute."""
    import networkx as nx

    copy = nx.MultiDiGraph()
    copy.graph.update(flat.graph)
    copy.add_nodes_from(flat.nodes(data=True))
    for u, v, key, data in flat.edges(keys=True, data=True):
        # networkx's GEXF writer numbers edges itself unless an "id" is given
        copy.add_edge(u, v, key=key, id=key, **data)
    buffer = io.BytesIO()
    nx.write_gexf(copy, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def to_csv(flat: nx.MultiDiGraph) -> dict[str, bytes]:
    """nodes.csv and edges.csv (UTF-8, comma-separated, a header row), Gephi- and pandas-ready."""
    node_rows = [{"id": node, **data} for node, data in flat.nodes(data=True)]
    edge_rows = [
        {"id": key, "source": u, "target": v, **data}
        for u, v, key, data in flat.edges(keys=True, data=True)
    ]
    return {
        "nodes.csv": _csv(node_rows, NODE_COLUMNS),
        "edges.csv": _csv(edge_rows, EDGE_COLUMNS),
    }


def _csv(rows: list[dict[str, Any]], first: list[str]) -> bytes:
    extra = sorted({key for row in rows for key in row} - set(first))
    columns = first + extra
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def save(exported: Exported, target: Path) -> list[Path]:
    """Write an export to `target` atomically; returns the files written.

    One-file formats go to `target`. CSV goes to a folder `target` (created if missing, its
    parent must exist) as nodes.csv and edges.csv, or to a zip archive if `target` ends in .zip.
    """
    single = exported.single
    if single is not None:
        atomic_write(target, single)
        return [target]
    if target.suffix.lower() == ".zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in exported.files.items():
                archive.writestr(name, data)
        atomic_write(target, buffer.getvalue())
        return [target]
    if target.exists() and not target.is_dir():
        raise OutputError(
            f"{target}: exists and is not a folder (CSV writes nodes.csv and edges.csv)"
        )
    if not target.exists():
        parent = target.parent if str(target.parent) else Path(".")
        if not parent.is_dir():
            raise OutputError(f"{target}: folder {parent} does not exist")
        try:
            target.mkdir()
        except OSError as exc:
            raise OutputError(f"{target}: cannot create folder ({exc.strerror})") from None
    written = []
    for name, data in exported.files.items():
        atomic_write(target / name, data)
        written.append(target / name)
    return written
