"""Lossless exports of the debate graph: GraphML, GEXF, CSV, JSON-LD, Turtle, N-Triples, TriG.

The network formats (GraphML, GEXF, CSV) are written from mixity's own projection
(`mixity.graph.network.projection.project`): a node per resource with its labels in both languages,
classes and IRI, an edge per link with its property's IRI and labels and a unique id. Lists
become `a|b` strings and absent values are left out. GraphML and GEXF are written directly
(networkx's writers fail on None and lists, and take ~10x longer on this graph); the tests read
them back with networkx and igraph.

The RDF formats are the triples themselves: Turtle, N-Triples and TriG through pyoxigraph's
serializers (rdflib's Turtle writer is ~10x slower and rounds doubles), JSON-LD through
rdflib with an inline context made of mixity's prefixes, so reading it back never fetches
anything.

Everything is built in memory first and written by `save` through `atomic_write`: a failed
export leaves the target as it was.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
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

# Characters XML 1.0 cannot carry at all, not even escaped.
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
        return Exported(fmt, {"": serialize_rdf(part, fmt)}, triples=len(part))

    from mixity.graph.network.projection import project

    projected = project(graph, schema=schema, evidence=evidence, nodes=nodes, lang=lang)
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
    from mixity.graph.network.projection import LINK_PROPERTIES, classify, key_of

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


# --------------------------------------------------------------------------------------------
# RDF formats


def serialize_rdf(graph: Graph, fmt: str) -> bytes:
    """Turtle, N-Triples (sorted lines), TriG (the default graph) or JSON-LD (inline context)."""
    from mixity.graph.network.projection import stable_blank_ids, stable_blank_nodes

    if fmt not in RDF_FORMATS:
        raise UnsupportedFormat(f"{fmt!r} is not an RDF format")
    if fmt == "jsonld":
        graph = stable_blank_nodes(graph)
        text = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
        # rdflib writes nodes and values in no fixed order: sort them, for byte-stable output
        document = _sorted_jsonld(json.loads(text))
        return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    try:
        return _oxigraph(graph, fmt, stable_blank_ids(graph))
    except (ValueError, SyntaxError):
        # a term pyoxigraph refuses (rdflib accepts some invalid IRIs): rdflib's slower writer
        rdflib_format = {"turtle": "turtle", "nt": "nt", "trig": "trig"}[fmt]
        import warnings

        graph = stable_blank_nodes(graph)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's TriG writer
            return graph.serialize(format=rdflib_format, encoding="utf-8")


def _sorted_jsonld(node: Any, key: str = "") -> Any:
    """JSON-LD with arrays in a fixed order (not `@list`s, whose order is meaningful)."""
    if isinstance(node, dict):
        return {k: _sorted_jsonld(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_sorted_jsonld(item) for item in node]
        if key == "@list":
            return items
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return node


def _oxigraph(graph: Graph, fmt: str, blank_ids: dict[BNode, str]) -> bytes:
    import pyoxigraph as ox

    cache: dict[Node, Any] = {}

    def term(node: Node) -> Any:
        found = cache.get(node)
        if found is None:
            if isinstance(node, URIRef):
                found = ox.NamedNode(str(node))
            elif isinstance(node, BNode):
                found = ox.BlankNode(blank_ids.get(node, str(node)))
            elif isinstance(node, Literal):
                if node.language:
                    found = ox.Literal(str(node), language=node.language)
                elif node.datatype is not None:
                    found = ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
                else:
                    found = ox.Literal(str(node))
            else:
                raise ValueError(f"unsupported term {node!r}")
            cache[node] = found
        return found

    triples = sorted(
        (ox.Triple(term(s), term(p), term(o)) for s, p, o in graph),
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    if fmt == "nt":
        text = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
        return "".join(line + "\n" for line in sorted(text.splitlines())).encode("utf-8")
    prefixes = dict(PREFIXES)
    if fmt == "turtle":
        data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    else:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        data = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    # pyoxigraph writes the prefixes in no fixed order: sort them, for byte-stable output
    lines = (data or b"").decode("utf-8").split("\n")
    head = 0
    while head < len(lines) and lines[head].startswith("@prefix "):
        head += 1
    return "\n".join(sorted(lines[:head]) + lines[head:]).encode("utf-8")


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


def _xml(text: str) -> str:
    """Text for XML content or a double-quoted attribute (invalid characters become U+FFFD)."""
    text = _XML_INVALID.sub("\ufffd", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")


def to_graphml(table: Table) -> bytes:
    """GraphML: string keys for every attribute; edge ids are the projection's edge keys.

    Each edge also carries its id as the attribute `edge_id`: igraph 1.0's GraphML reader
    fills the edges' `id` with the source vertex instead of the edge's own id.
    """
    edge_columns = [*table.edge_columns, "edge_id"]
    keys: dict[tuple[str, str], str] = {}
    out = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
    ]
    for domain, names in (("graph", sorted(table.graph)), ("node", table.node_columns),
                          ("edge", edge_columns)):  # fmt: skip
        for name in names:
            key = keys[domain, name] = f"d{len(keys)}"
            out.append(
                f'  <key id="{key}" for="{domain}" attr.name="{_xml(name)}" attr.type="string"/>\n'
            )
    out.append('  <graph edgedefault="directed">\n')
    for name, value in sorted(table.graph.items()):
        out.append(f'    <data key="{keys["graph", name]}">{_xml(value)}</data>\n')
    for node, attrs in table.nodes:
        out.append(f'    <node id="{_xml(node)}">\n')
        out.extend(_graphml_data(keys, "node", table.node_columns, attrs))
        out.append("    </node>\n")
    for u, v, edge, attrs in table.edges:
        out.append(f'    <edge id="{_xml(edge)}" source="{_xml(u)}" target="{_xml(v)}">\n')
        out.extend(_graphml_data(keys, "edge", edge_columns, {**attrs, "edge_id": edge}))
        out.append("    </edge>\n")
    out.append("  </graph>\n</graphml>\n")
    return "".join(out).encode("utf-8")


def _graphml_data(
    keys: dict[tuple[str, str], str], domain: str, columns: list[str], attrs: dict[str, str]
) -> Iterator[str]:
    for name in columns:
        value = attrs.get(name)
        if value is not None:
            yield f'      <data key="{keys[domain, name]}">{_xml(value)}</data>\n'


def to_gexf(table: Table) -> bytes:
    """GEXF 1.2 for Gephi: node and edge labels, every other value as a string attribute."""
    node_columns = [c for c in table.node_columns if c != "label"]
    edge_columns = [c for c in table.edge_columns if c != "label"]
    out = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft '
        'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n',
        "  <meta><creator>mixity</creator></meta>\n",
        '  <graph defaultedgetype="directed" mode="static">\n',
    ]
    for domain, columns in (("node", node_columns), ("edge", edge_columns)):
        out.append(f'    <attributes class="{domain}" mode="static">\n')
        out.extend(
            f'      <attribute id="{i}" title="{_xml(name)}" type="string"/>\n'
            for i, name in enumerate(columns)
        )
        out.append("    </attributes>\n")
    out.append("    <nodes>\n")
    for node, attrs in table.nodes:
        out.append(f'      <node id="{_xml(node)}" label="{_xml(attrs.get("label", node))}">\n')
        out.extend(_gexf_values(node_columns, attrs))
        out.append("      </node>\n")
    out.append("    </nodes>\n    <edges>\n")
    for u, v, edge, attrs in table.edges:
        ends = f'source="{_xml(u)}" target="{_xml(v)}"'
        label = _xml(attrs.get("label", ""))
        out.append(f'      <edge id="{_xml(edge)}" {ends} label="{label}">\n')
        out.extend(_gexf_values(edge_columns, attrs))
        out.append("      </edge>\n")
    out.append("    </edges>\n  </graph>\n</gexf>\n")
    return "".join(out).encode("utf-8")


def _gexf_values(columns: list[str], attrs: dict[str, str]) -> Iterator[str]:
    values = [
        f'          <attvalue for="{i}" value="{_xml(attrs[name])}"/>\n'
        for i, name in enumerate(columns)
        if name in attrs
    ]
    if values:
        yield "        <attvalues>\n"
        yield from values
        yield "        </attvalues>\n"


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
