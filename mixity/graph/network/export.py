"""Lossless exports of the debate graph: GraphML, GEXF, CSV, JSON-LD, Turtle, N-Triples, TriG.

The network formats (GraphML, GEXF, CSV) are written from mixity's own projection
(`mixity.graph.network.projection.project`): a node per resource with its labels in both
languages, classes and IRI, an edge per link (every link, both ways of an inverse pair too)
with its property's IRI and labels and a unique id. Lists become `a|b` strings and absent
values are left out. Without the evidence nodes, each fact keeps its quotes as attributes
(`quote`, `quote_source`, `quote_source_iri`: `mixity.graph.network.quotes`). networkx's
writers write GraphML and GEXF from a graph of these strings, nodes and edges in sorted order,
so the same files give the same bytes; the tests read them back with networkx and igraph.
They are slower than the strings mixity once concatenated itself (about 8 times,
bench/bench_analyze.py: 3 s instead of 0.4 s for 10,000 triples), but they escape XML
themselves.

The RDF formats are the triples themselves, written by `mixity.graph.io.rdf.serialize`, as
`mixity query` writes a CONSTRUCT: the same triples give the same bytes.

Everything is built in memory first and written by `save` through `atomic_write`: a failed
export leaves the target as it was.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal
from rdflib.term import Node

from mixity.errors import OutputError, UnsupportedFormat
from mixity.graph.io.write import atomic_write, atomic_write_many
from mixity.namespaces import PREFIXES

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

#: The first columns of nodes.csv and edges.csv (and attributes of GraphML/GEXF); others follow.
NODE_COLUMNS = ["id", "label", "label_fr", "label_en", "class", "classes", "iri", "kind"]
EDGE_COLUMNS = ["id", "source", "target", "property", "property_iri", "label"]
EDGE_COLUMNS += ["label_fr", "label_en"]
LIST_SEPARATOR = "|"

# Characters XML 1.0 cannot carry at all, not even escaped: the XML writers would write them
# raw (an unreadable file) or refuse them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
        data = serialize_rdf(part, fmt, prefixes_of(graph))
        return Exported(fmt, {"": data}, triples=len(part))

    from mixity.graph.network.links import Links
    from mixity.graph.network.projection import project

    # Every link, both ways: an export is lossless (paths and measures count otherwise).
    projected = project(
        graph, schema=schema, evidence=evidence, nodes=nodes, lang=lang, links=Links.everything()
    )
    table = Table.of(projected)
    counts = {"nodes": len(table.nodes), "edges": len(table.edges)}
    if fmt == "csv":
        return Exported(fmt, to_csv(table), **counts)
    data = to_graphml(table) if fmt == "graphml" else to_gexf(table)
    return Exported(fmt, {"": data}, **counts)


def restrict(
    graph: Graph, *, schema: bool, evidence: bool, nodes: Collection[Node] | None
) -> Graph:
    """The triples about the kept resources, minus links to resources left out.

    Links to schema terms (`rdf:type`, `dcterms:type`) stay: they say what a resource is.
    """
    from mixity.graph.io.loader import new_graph
    from mixity.graph.model.labels import key_of
    from mixity.graph.model.vocabulary import LINK_PROPERTIES
    from mixity.graph.network.projection import classify

    parts = classify(graph)
    kept = parts.select(schema=schema, evidence=evidence, nodes=nodes)
    out = new_graph()
    for s, p, o in graph:
        if key_of(s) not in kept:
            continue
        if isinstance(o, Literal) or str(p) in LINK_PROPERTIES:
            out.add((s, p, o))
        else:
            target = key_of(o)
            if target in kept or target in parts.schema:
                out.add((s, p, o))
    return out


# --------------------------------------------------------------------------------------------
# RDF formats


def serialize_rdf(graph: Graph, fmt: str, prefixes: Mapping[str, str] | None = None) -> bytes:
    """Turtle, N-Triples, TriG (the default graph) or JSON-LD, through `io.rdf.serialize`."""
    from mixity.graph.io.rdf import serialize
    from mixity.graph.io.terms import triples_from_rdflib

    if fmt not in RDF_FORMATS:
        raise UnsupportedFormat(f"{fmt!r} is not an RDF format")
    try:
        # No blank node renaming here: `serialize` names blank nodes by what they say.
        triples = triples_from_rdflib(graph)
    except (ValueError, SyntaxError) as exc:  # a term Oxigraph refuses (rdflib accepts more)
        raise OutputError(f"cannot write {fmt}: {exc}") from None
    return serialize(triples, fmt, prefixes)


def prefixes_of(graph: Graph) -> dict[str, str]:
    """mixity's prefixes, then those the graph's files declare (`notion:`, an extension's `ex:`),
    as `mixity query` shortens IRIs with them."""
    found = dict(PREFIXES)
    for prefix, namespace in graph.namespaces():
        if prefix:
            found.setdefault(prefix, str(namespace))
    return found


# --------------------------------------------------------------------------------------------
# Network formats


@dataclass
class Table:
    """The projection as rows of plain strings: lists joined with `|`, absent values left out."""

    graph: dict[str, str]
    nodes: list[tuple[str, dict[str, str]]]
    edges: list[tuple[str, str, str, dict[str, str]]]
    node_columns: list[str]
    edge_columns: list[str]

    @classmethod
    def of(cls, projected: nx.MultiDiGraph) -> Table:
        """Flatten a projection (see `mixity.graph.network.projection.project`)."""
        nodes = [(node, _flat_attrs(data)) for node, data in projected.nodes(data=True)]
        edges = [
            (u, v, key, _flat_attrs(data))
            for u, v, key, data in projected.edges(keys=True, data=True)
        ]
        node_keys = {k for _, attrs in nodes for k in attrs}
        edge_keys = {k for *_, attrs in edges for k in attrs}
        return cls(
            graph=_flat_attrs(projected.graph),
            nodes=nodes,
            edges=edges,
            node_columns=_columns(NODE_COLUMNS[1:], node_keys),
            edge_columns=_columns(EDGE_COLUMNS[3:], edge_keys),
        )


def _columns(first: list[str], found: set[str]) -> list[str]:
    """The known columns present first, in their order, then the others sorted."""
    return [c for c in first if c in found] + sorted(found - set(first))


def _flat_attrs(data: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        if value is None or value == [] or value == ():
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            out[key] = LIST_SEPARATOR.join(str(v) for v in value)
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = str(value)
    return out


def _network(table: Table, id_attribute: str) -> nx.MultiDiGraph:
    """The table as a networkx graph, in the table's (sorted) order, values made XML-safe
    (ids are IRIs and hashes: safe already); each edge's id is also its `id_attribute`."""
    import networkx as nx

    def safe(attrs: Mapping[str, str], columns: Iterable[str]) -> dict[str, str]:
        return {c: _XML_INVALID.sub("\ufffd", attrs[c]) for c in columns if c in attrs}

    network = nx.MultiDiGraph()
    network.graph.update(safe(table.graph, sorted(table.graph)))
    for node, attrs in table.nodes:
        network.add_node(node, **safe(attrs, table.node_columns))
    for u, v, edge, attrs in table.edges:
        network.add_edge(u, v, key=edge, **safe(attrs, table.edge_columns), **{id_attribute: edge})
    return network


def to_graphml(table: Table) -> bytes:
    """GraphML: string keys for every attribute; edge ids are the projection's edge keys.

    Each edge also carries its id as the attribute `edge_id`: igraph 1.0's GraphML reader
    fills the edges' `id` with the source vertex instead of the edge's own id.
    """
    import networkx as nx

    buffer = io.BytesIO()
    # The standard library's writer, not lxml's: lxml is no dependency of mixity, and the two
    # lay the same document out differently.
    nx.write_graphml_xml(_network(table, "edge_id"), buffer)
    return buffer.getvalue()


def to_gexf(table: Table) -> bytes:
    """GEXF 1.2 for Gephi: node and edge labels, every other value as a string attribute."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(_network(table, "id"))
    root = writer.xml
    # networkx stamps today's date and its version: the same files must give the same bytes.
    meta = root.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
        for creator in meta.iter("creator"):
            creator.text = "mixity"
    # networkx also writes each edge's multigraph key as `networkx_key`: the edge id again.
    dropped = set()
    for attributes in root.iter("attributes"):
        for attribute in list(attributes):
            if attribute.get("title") == "networkx_key":
                dropped.add(attribute.get("id"))
                attributes.remove(attribute)
    for values in root.iter("attvalues"):
        for value in list(values):
            if value.get("for") in dropped:
                values.remove(value)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def to_csv(table: Table) -> dict[str, bytes]:
    """nodes.csv and edges.csv (UTF-8, comma-separated, a header row), Gephi- and pandas-ready."""
    node_rows = ({"id": node, **attrs} for node, attrs in table.nodes)
    edge_rows = ({"id": key, "source": u, "target": v, **attrs} for u, v, key, attrs in table.edges)
    return {
        "nodes.csv": _csv(node_rows, ["id", *table.node_columns]),
        "edges.csv": _csv(edge_rows, ["id", "source", "target", *table.edge_columns]),
    }


def _csv(rows: Iterable[dict[str, str]], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# --------------------------------------------------------------------------------------------
# Writing


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
    written = {target / name: data for name, data in exported.files.items()}
    atomic_write_many(written)
    return list(written)
