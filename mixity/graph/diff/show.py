"""A diff as text (for people), JSON (for tools) or TriG (the removed and added graphs).

Every format groups the changes by resource (`GraphDiff.changes`) and names blank nodes the
same way (`mixity.graph.diff.naming`). Text shows a blank-node structure the way Turtle writes
it, `[ … ]` and `( … )`, under the resource that points to it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from mixity.graph.diff.compare import GraphDiff, item_key
from mixity.graph.diff.components import Component, Triple
from mixity.graph.diff.naming import blank_names
from mixity.graph.diff.syntax import TermWriter
from mixity.graph.io.terms import from_rdflib
from mixity.graph.io.write import one_line
from mixity.graph.model.labels import label, local_name

#: The names of the two graphs of the TriG output.
REMOVED_GRAPH = "urn:mixity:diff:removed"
ADDED_GRAPH = "urn:mixity:diff:added"

#: Nesting deeper than this is written as plain triples (`_:o1 p _:o2 .`).
_MAX_DEPTH = 32
#: A `[ … ]` shorter than this stays on one line.
_INLINE = 72


@dataclass(frozen=True)
class Side:
    """How a graph of the diff is named in the output, and its size."""

    name: str
    triples: int


def to_text(
    diff: GraphDiff, old: Side, new: Side, prefixes: Mapping[str, str], lang: str = "fr"
) -> str:
    """`-`/`+` lines per resource, headed by the resource's name and label."""
    writer = TermWriter(prefixes)
    names = blank_names(diff)
    lines = [f"--- {one_line(old.name)} ({old.triples} triples)"]
    lines.append(f"+++ {one_line(new.name)} ({new.triples} triples)")
    for change in diff.changes:
        lines += ["", _heading(diff, change.resource, writer, lang)]
        rows = [(item_key(item), 0, "-", item, names.removed) for item in change.removed]
        rows += [(item_key(item), 1, "+", item, names.added) for item in change.added]
        # by property; within one, what goes before what comes
        for _, _, sign, item, blanks in sorted(rows, key=lambda r: (r[0][0], r[1], r[0])):
            for text in _item(item, change.resource, writer, blanks):
                lines.append(f"  {sign} {one_line(text)}")
    lines += ["", summary(diff)]
    return "\n".join(lines) + "\n"


def summary(diff: GraphDiff) -> str:
    """One line: how many triples were added and removed, in how many resources."""
    if not diff:
        return "No difference: the two graphs are isomorphic."
    count, added, removed = len(diff.changes), len(diff.added_triples), len(diff.removed_triples)
    return (
        f"{count} resource{'s' if count != 1 else ''} changed: "
        f"{added} triple{'s' if added != 1 else ''} added, {removed} removed."
    )


def to_json(
    diff: GraphDiff, old: Side, new: Side, prefixes: Mapping[str, str], lang: str = "fr"
) -> str:
    """{old, new, identical, added, removed, resources: [{resource, name, label, removed,
    added}]}, terms as in SPARQL JSON results (`type`, `value`, `xml:lang`, `datatype`)."""
    writer = TermWriter(prefixes)
    names = blank_names(diff)
    resources = []
    for change in diff.changes:
        node = change.resource
        resources.append(
            {
                "resource": None if node is None else str(node),
                "name": None if node is None else writer.iri(str(node)),
                "label": None if node is None else _label(diff, node, lang),
                "removed": _json_triples(change.removed, names.removed),
                "added": _json_triples(change.added, names.added),
            }
        )
    document = {
        "old": {"source": old.name, "triples": old.triples},
        "new": {"source": new.name, "triples": new.triples},
        "identical": not diff,
        "removed": len(diff.removed_triples),
        "added": len(diff.added_triples),
        "resources": resources,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_trig(diff: GraphDiff, prefixes: Mapping[str, str]) -> str:
    """TriG with two named graphs: `REMOVED_GRAPH` (OLD's triples that NEW does not have)
    and `ADDED_GRAPH` (NEW's triples that OLD does not have)."""
    writer = TermWriter(prefixes)
    names = blank_names(diff)
    quads: list[ox.Quad] = []
    for graph, triples, blanks in (
        (REMOVED_GRAPH, diff.removed_triples, names.removed),
        (ADDED_GRAPH, diff.added_triples, names.added),
    ):
        name = ox.NamedNode(graph)
        for s, p, o in sorted(triples, key=lambda t: _sort_key(t, blanks)):
            for node in (s, p, o, getattr(o, "datatype", None)):
                if isinstance(node, URIRef):
                    writer.iri(str(node))  # records the prefixes the output needs
            quads.append(ox.Quad(_ox(s, blanks), _ox(p, blanks), _ox(o, blanks), name))  # type: ignore[arg-type]
    used = {prefix: writer.prefixes[prefix] for prefix in sorted(writer.used)}
    data = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=used) or b""
    return data.decode("utf-8")


def _ox(node: Node, blanks: Mapping[BNode, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, BNode):
        return ox.BlankNode(blanks[node])
    return from_rdflib(node)  # type: ignore[return-value]


def _sort_key(triple: Triple, blanks: Mapping[BNode, str]) -> tuple[int, str, bool, str, str]:
    s, p, o = triple
    subject = (1, blanks[s]) if isinstance(s, BNode) else (0, str(s))
    shown = blanks[o] if isinstance(o, BNode) else str(o)
    return (*subject, p != RDF.type, str(p), shown)


def _json_triples(
    items: tuple[Triple | Component, ...], blanks: Mapping[BNode, str]
) -> list[dict[str, Any]]:
    """The triples of a resource's items, sorted as TriG writes them."""
    triples = [
        t for item in items for t in (item.triples if isinstance(item, Component) else [item])
    ]
    return [_json_triple(t, blanks) for t in sorted(triples, key=lambda t: _sort_key(t, blanks))]


def _json_triple(triple: Triple, blanks: Mapping[BNode, str]) -> dict[str, Any]:
    s, p, o = triple
    return {
        "subject": _json_term(s, blanks),
        "predicate": _json_term(p, blanks),
        "object": _json_term(o, blanks),
    }


def _json_term(node: Node, blanks: Mapping[BNode, str]) -> dict[str, str]:
    if isinstance(node, BNode):
        return {"type": "bnode", "value": blanks[node]}
    if isinstance(node, Literal):
        found = {"type": "literal", "value": str(node)}
        if node.language:
            found["xml:lang"] = node.language
        elif node.datatype is not None:
            found["datatype"] = str(node.datatype)
        return found
    return {"type": "uri", "value": str(node)}


def _label(diff: GraphDiff, node: Node, lang: str) -> str:
    """The resource's label in NEW, else in OLD (a removed resource is only there)."""
    for graph in (diff.new_labels, diff.old_labels):
        found = label(graph, node, lang)
        if found != local_name(str(node)):
            return found
    return local_name(str(node))


def _heading(diff: GraphDiff, node: Node | None, writer: TermWriter, lang: str) -> str:
    if node is None:
        return "(blank nodes that no IRI points to)"
    name = writer.iri(str(node))
    shown = _label(diff, node, lang)
    return one_line(name if shown in (name, local_name(str(node))) else f"{name}  « {shown} »")


def _item(
    item: Triple | Component, resource: Node | None, writer: TermWriter, blanks: Mapping[BNode, str]
) -> list[str]:
    """The lines of one removed or added item, as seen from `resource`."""
    if not isinstance(item, Component):
        return [f"{writer.predicate(item[1])} {writer.term(item[2], {})}"]
    names = {b: f"_:{blanks[b]}" for b in item.bnodes}
    try:
        return _nested(item, resource, writer)
    except _NotNested:
        return sorted(writer.triple(t, names) for t in item.triples)


class _NotNested(Exception):
    """The component cannot be written as one `[ … ]` under its resource."""


def _nested(component: Component, resource: Node | None, writer: TermWriter) -> list[str]:
    """A tree component as `p [ … ]` under the resource that points to its root (or `[ … ]`
    when nothing points to it)."""
    if not component.tree:
        raise _NotNested
    outgoing: defaultdict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    pointing: list[tuple[Node, Node, Node]] = []
    for s, p, o in component.triples:
        if isinstance(s, BNode):
            outgoing[s].append((p, o))
        else:
            pointing.append((s, p, o))
    roots = component.bnodes - {o for s, _, o in component.triples if isinstance(s, BNode)}
    root = next(iter(roots))
    # One way in: the root, from `resource` or from nothing; no other node pointed at from outside.
    if [o for _, _, o in pointing if o != root] or len(pointing) > 1:
        raise _NotNested
    if pointing and pointing[0][0] != resource:
        raise _NotNested
    body = _block(root, outgoing, writer, 0)
    if not pointing:
        return body
    first = f"{writer.predicate(pointing[0][1])} {body[0]}"
    return [first, *body[1:]]


def _block(
    node: Node, outgoing: Mapping[Node, list[tuple[Node, Node]]], writer: TermWriter, depth: int
) -> list[str]:
    """The lines of `[ … ]` (or `( … )` for a list) for a blank node."""
    if depth > _MAX_DEPTH:
        raise _NotNested
    if (items := _list_items(node, outgoing)) is not None:
        values = [_value(item, outgoing, writer, depth + 1) for item in items]
        if all(len(v) == 1 for v in values):
            return ["( " + " ".join(v[0] for v in values) + " )"] if values else ["()"]
        raise _NotNested
    parts = [
        [f"{writer.predicate(p)} {v[0]}", *v[1:]]
        for p, o in sorted(outgoing.get(node, []), key=lambda po: (po[0] != RDF.type, str(po)))
        for v in [_value(o, outgoing, writer, depth + 1)]
    ]
    if not parts:
        return ["[]"]
    inline = "[ " + " ; ".join(part[0] for part in parts) + " ]"
    if all(len(part) == 1 for part in parts) and len(inline) <= _INLINE:
        return [inline]
    lines = ["["]
    for n, part in enumerate(parts):
        end = " ;" if n < len(parts) - 1 else " ]"
        lines += ["    " + line for line in part[:-1]] + ["    " + part[-1] + end]
    return lines


def _value(
    node: Node, outgoing: Mapping[Node, list[tuple[Node, Node]]], writer: TermWriter, depth: int
) -> list[str]:
    return (
        _block(node, outgoing, writer, depth)
        if isinstance(node, BNode)
        else [writer.term(node, {})]
    )


def _list_items(node: Node, outgoing: Mapping[Node, list[tuple[Node, Node]]]) -> list[Node] | None:
    """The items of a well-formed RDF collection starting at `node`, else None."""
    items: list[Node] = []
    seen: set[Node] = set()
    while node != RDF.nil:
        pairs = dict(outgoing.get(node, []))
        if node in seen or set(pairs) != {RDF.first, RDF.rest} or len(outgoing[node]) != 2:
            return None
        seen.add(node)
        items.append(pairs[RDF.first])
        node = pairs[RDF.rest]
        if not isinstance(node, BNode) and node != RDF.nil:
            return None
    return items
