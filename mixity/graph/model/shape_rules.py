"""Every rule of the bundled SHACL shapes in plain words, as Markdown (docs: shape rules).

Generated from `mixity/ontology/shapes.ttl`, so the documentation cannot drift from what
`mixity validate` enforces: one table per node shape, in the order of the file, with what it
applies to, and for each rule its property, what it asks in words, its severity and its message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib.resources import files

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from mixity.graph.io.loader import shapes_graph
from mixity.graph.io.positions import read_positions
from mixity.graph.model.labels import compact

MIXSH = "https://w3id.org/mixity/shapes#"
_SEVERITY = {SH.Violation: "error", SH.Warning: "warning", SH.Info: "info"}
_KINDS = {
    SH.BlankNode: "a blank node",
    SH.IRI: "an IRI",
    SH.Literal: "a literal",
    SH.BlankNodeOrIRI: "a blank node or an IRI",
    SH.BlankNodeOrLiteral: "a blank node or a literal",
    SH.IRIOrLiteral: "an IRI or a literal",
}
#: How deep a shape may nest other shapes in a description (the bundled ones go 3 deep).
_MAX_DEPTH = 6


def code(node: Node) -> str:
    """A term as Markdown code: `mixsh:Name`, `prefix:name`, `<IRI>`, `"literal"`."""
    if isinstance(node, URIRef):
        text = str(node)
        return f"`mixsh:{text[len(MIXSH) :]}`" if text.startswith(MIXSH) else f"`{compact(text)}`"
    if isinstance(node, Literal):
        return f'`"{node}"`' if node.datatype is None or node.language else f"`{node}`"
    return "a blank node"


def _en(graph: Graph, node: Node, prop: URIRef) -> str | None:
    values = [v for v in graph.objects(node, prop) if isinstance(v, Literal)]
    chosen = next((v for v in values if v.language == "en"), values[0] if values else None)
    return None if chosen is None else " ".join(str(chosen).split())


def _items(graph: Graph, node: Node) -> list[Node]:
    return list(Collection(graph, node)) if isinstance(node, BNode | URIRef) else []


def constraints(graph: Graph, shape: Node, depth: int = 0) -> list[str]:
    """What `shape` asks, in words (its path, targets, message and SPARQL left out): of each
    value for a property shape, of the focus node itself for a node shape."""
    if depth > _MAX_DEPTH:
        return ["…"]
    each = "each value " if graph.value(shape, SH.path) is not None else ""
    words = _counts(graph, shape)
    qualified = graph.value(shape, SH.qualifiedValueShape)
    if qualified is not None:
        count = graph.value(shape, SH.qualifiedMinCount) or Literal(1)
        plural = "s" if str(count) != "1" else ""
        words.append(f"at least {count} value{plural} {nested(graph, qualified, depth)}")
    words += [f"{each}typed {code(c)}" for c in graph.objects(shape, SH["class"])]
    words += [f"{each}of datatype {code(d)}" for d in graph.objects(shape, SH.datatype)]
    for kind in graph.objects(shape, SH.nodeKind):
        words.append(each + (_KINDS.get(kind, code(kind)) if isinstance(kind, URIRef) else "?"))
    for pattern in graph.objects(shape, SH.pattern):
        blank = str(pattern) == "\\S"
        words.append(each + ("not blank" if blank else f"matching the pattern `{pattern}`"))
    for languages in graph.objects(shape, SH.languageIn):
        tags = ", ".join(f"`@{t}`" for t in _items(graph, languages))
        words.append(f"{each}in language {tags}")
    if graph.value(shape, SH.uniqueLang) == Literal(True):
        words.append("at most one value per language")
    words += [f"one value is {code(v)}" for v in graph.objects(shape, SH.hasValue)]
    words += [f"{each}≥ {b}" for b in graph.objects(shape, SH.minInclusive)]
    words += [f"{each}less than its {code(o)}" for o in graph.objects(shape, SH.lessThan)]
    words += [f"{each}{nested(graph, n, depth)}" for n in graph.objects(shape, SH.node)]
    for alternatives in graph.objects(shape, SH["or"]):
        options = [nested(graph, o, depth) for o in _items(graph, alternatives)]
        words.append(f"{each}either " + ", or ".join(options))
    for negated in graph.objects(shape, SH["not"]):
        words.append(each + _negated(graph, negated, depth))
    return words


def _counts(graph: Graph, shape: Node) -> list[str]:
    """sh:minCount and sh:maxCount in words."""
    low, high = graph.value(shape, SH.minCount), graph.value(shape, SH.maxCount)

    def values(count: Node) -> str:
        return f"{count} value{'s' if str(count) != '1' else ''}"

    if low is not None and high is not None and str(low) == str(high):
        return [f"exactly {values(low)}"]
    found = []
    if low is not None:
        found.append(f"at least {values(low)}")
    if high is not None:
        found.append(f"at most {values(high)}")
    return found


def _negated(graph: Graph, shape: Node, depth: int) -> str:
    """`sh:not`: "neither A nor B" for the negation of an `sh:or`."""
    alternatives = graph.value(shape, SH["or"])
    if alternatives is not None and not isinstance(shape, URIRef):
        options = [nested(graph, o, depth) for o in _items(graph, alternatives)]
        return "neither " + " nor ".join(options)
    return f"not {nested(graph, shape, depth)}"


def nested(graph: Graph, shape: Node, depth: int) -> str:
    """A shape used inside another rule: named by its label, or described in words."""
    if isinstance(shape, URIRef):
        name = _en(graph, shape, RDFS.label)
        return f"conforming to {code(shape)}" + (f" («{name}»)" if name else "")
    path = graph.value(shape, SH.path)
    words = constraints(graph, shape, depth + 1)
    if path is not None:
        return f"{code(path)} with " + " and ".join(words or ["any value"])
    return " and ".join(words) or "anything"


def targets(graph: Graph, shape: Node) -> str:
    """What a node shape applies to, in words."""
    found = []
    classes = sorted(graph.objects(shape, SH.targetClass), key=str)
    if classes:
        found.append("every " + ", ".join(code(c) for c in classes) + " (subclasses included)")
    subjects = list(graph.objects(shape, SH.targetSubjectsOf))
    if subjects:
        found.append("whatever has a " + ", ".join(code(p) for p in subjects))
    objects = list(graph.objects(shape, SH.targetObjectsOf))
    if objects:
        found.append("whatever a " + ", ".join(code(p) for p in objects) + " points to")
    nodes = list(graph.objects(shape, SH.targetNode))
    if nodes:
        found.append(", ".join(code(n) for n in nodes))
    return "; ".join(found) or "the values other rules send to it (`sh:node`)"


def _rows(graph: Graph, shape: Node) -> list[tuple[str, str, str, str]]:
    """(property, rule, severity, message) of a node shape's own constraints and properties."""
    severity = _severity(graph, shape, "error")
    rows = []
    own = constraints(graph, shape)
    if own:
        rows.append(("—", "; ".join(own), severity, _message(graph, shape)))
    for query in sorted(graph.objects(shape, SH.sparql), key=_in_file_order()):
        name = _en(graph, query, RDFS.label) or "a SPARQL constraint"
        rows.append(
            ("—", f"{name[:1].lower()}{name[1:]} (SPARQL)", severity, _message(graph, query))
        )
    for prop in sorted(graph.objects(shape, SH.property), key=_in_file_order()):
        path = graph.value(prop, SH.path)
        level = _severity(graph, prop, severity)
        rule = "; ".join(constraints(graph, prop)) or "any value"
        rows.append((code(path) if path is not None else "—", rule, level, _message(graph, prop)))
    return _merge(rows)


def _severity(graph: Graph, shape: Node, default: str) -> str:
    level = graph.value(shape, SH.severity)
    return _SEVERITY.get(level, default) if isinstance(level, URIRef) else default


def _message(graph: Graph, shape: Node) -> str:
    """The shape's English message, its SPARQL variables ({?value}) in italics."""
    message = _en(graph, shape, SH.message) or ""
    return re.sub(r"\{[?$](\w+)\}", r"*\1*", message)


def _merge(rows: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, str]]:
    """One row for the rules that differ only by their property (the 30 "described" links)."""
    merged: dict[tuple[str, str, str], tuple[list[str], str]] = {}
    for path, rule, severity, message in rows:
        bare = path.strip("`")
        generic = message.replace(bare, "the property") if bare != "—" else message
        generic = generic[:1].upper() + generic[1:]
        key = (rule, severity, generic)
        paths, _ = merged.setdefault(key, ([], message))
        paths.append(path)
    return [
        (", ".join(paths), rule, severity, message if len(paths) == 1 else generic)
        for (rule, severity, generic), (paths, message) in merged.items()
    ]


def _in_file_order() -> Callable[[Node], tuple[int, str]]:
    """A sort key: the line of shapes.ttl where a shape is described, then its IRI."""
    lines = _lines()
    return lambda node: (lines.get(str(node), 1_000_000), str(node))


def _lines() -> dict[str, int]:
    """IRI -> the line of shapes.ttl where it is described (the file's order)."""
    text = files("mixity").joinpath("ontology", "shapes.ttl").read_text("utf-8")
    found = read_positions(text).subjects
    return {key: line for key, line in found.items() if isinstance(key, str)}


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def shape_rules_markdown(shapes: Graph | None = None) -> str:
    """Every node shape of `shapes` (the bundled ones by default) as a Markdown table of rules."""
    graph = shapes if shapes is not None else shapes_graph()
    blocks = []
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=_in_file_order()):
        if not isinstance(shape, URIRef):
            continue
        name = _en(graph, shape, RDFS.label) or code(shape)
        lines = [
            f"**{name}** ({code(shape)}): applies to {targets(graph, shape)}.",
            "",
            "| property | rule | severity | message |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {_cell(p)} | {_cell(r)} | {s} | {_cell(m)} |" for p, r, s, m in _rows(graph, shape)
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
