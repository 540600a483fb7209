"""The networkx projection of the debate graph: resources become nodes, literals attributes.

rdflib's `rdflib_to_networkx_*` turns every literal into a node, drops language tags and is
~1.7x slower than a hand loop over resource-to-resource triples (PERF-NOTES), so mixity builds
its `MultiDiGraph` itself:

- a node per resource, keyed by its IRI (blank nodes get a stable `_:b…` id derived from what
  they say, so two runs over the same files give the same ids);
- literals as node attributes, one per property and language (`label_fr`, `label_en`,
  `definition_fr`, `schema_name_fr`, `oa_exact`, …), a list when a property has several values;
- an edge per triple between two kept resources, keyed by a unique, content-derived id, with
  the property's IRI, compact name and labels.

networkx is imported inside `project`: `mixity query` must never pay for it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from mixity.graph.labels import compact, local_name
from mixity.namespaces import MIX, PREFIXES

if TYPE_CHECKING:
    import networkx as nx

OA = PREFIXES["oa"]
SH = PREFIXES["sh"]
SCHEMA = PREFIXES["schema"]

#: Types whose instances are the schema (TBox): classes, properties, the ontology, shapes.
SCHEMA_TYPES = frozenset(
    URIRef(iri)
    for iri in (
        OWL.Ontology,
        OWL.Class,
        RDFS.Class,
        RDF.Property,
        RDFS.Datatype,
        OWL.Restriction,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.FunctionalProperty,
        OWL.InverseFunctionalProperty,
        OWL.OntologyProperty,
        SH + "NodeShape",
        SH + "PropertyShape",
        SH + "Shape",
    )
)
#: Properties whose subject (and object) belong to the schema.
SCHEMA_PROPERTIES = frozenset(
    URIRef(iri)
    for iri in (
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.inverseOf,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.disjointWith,
    )
)
#: Any IRI in these namespaces is vocabulary, not debate.
SCHEMA_NAMESPACES = (
    str(RDF),
    str(RDFS),
    str(OWL),
    PREFIXES["xsd"],
    SH,
    "http://purl.org/dc/dcmitype/",
)

#: Properties whose IRI values are web addresses, not resources: kept as attributes.
LINK_PROPERTIES = frozenset(
    URIRef(iri)
    for iri in (
        SCHEMA + "url",
        SCHEMA + "sameAs",
        RDFS.seeAlso,
        "http://xmlns.com/foaf/0.1/homepage",
    )
)

EVIDENCE_PROPERTIES = frozenset(
    URIRef(iri) for iri in (MIX + "evidence", OA + "hasSelector", OA + "hasSource")
)
EVIDENCE_TYPES = frozenset(
    URIRef(iri)
    for iri in (OA + "SpecificResource", OA + "TextQuoteSelector", MIX + "SourceDocument")
)

_LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label)  # skos:prefLabel wins, as in labels.labels()
_DEFINITION = SKOS.definition


@dataclass
class _Scan:
    """What one pass over the triples collects."""

    types: defaultdict[Node, list[URIRef]] = field(default_factory=lambda: defaultdict(list))
    literals: defaultdict[Node, list[tuple[URIRef, Literal]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    links: defaultdict[Node, list[tuple[URIRef, URIRef]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    relations: list[tuple[Node, URIRef, Node]] = field(default_factory=list)
    subjects: set[Node] = field(default_factory=set)
    superclasses: defaultdict[Node, set[Node]] = field(default_factory=lambda: defaultdict(set))
    bnode_out: defaultdict[Node, list[tuple[URIRef, Node]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    bnode_in: defaultdict[Node, list[tuple[URIRef, Node]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def project(
    graph: Graph,
    *,
    schema: bool = False,
    evidence: bool = True,
    nodes: Collection[Node] | None = None,
    lang: str = "fr",
) -> nx.MultiDiGraph:
    """Build the networkx `MultiDiGraph` of `graph`.

    Args:
        schema: keep the TBox (classes, properties, the ontology, shapes) as nodes; `rdf:type`
            triples then also become edges to the class nodes. Without it, classes are only
            node attributes (`class`, `classes`).
        evidence: keep the evidence nodes (`oa:SpecificResource`, selectors, source documents).
        nodes: restrict the projection to these resources (a view); edges between them only.
        lang: the language of the `label` attributes (the other language is the fallback).
    """
    import networkx as nx

    parts = classify(graph)
    scan, schema_nodes, evidence_nodes = parts.scan, parts.schema, parts.evidence
    bnode_ids = _bnode_ids(scan)

    def node_id(node: Node) -> str:
        return bnode_ids[node] if isinstance(node, BNode) else str(node)

    candidates = parts.select(schema=schema, evidence=evidence, nodes=nodes)
    # Links to schema terms left out (dcterms:type dcmitype:Text) stay as attributes.
    schema_values: defaultdict[Node, list[tuple[URIRef, Node]]] = defaultdict(list)
    if not schema:
        for s, p, o in scan.relations:
            if p != RDF.type and o in schema_nodes and s in candidates and o not in candidates:
                schema_values[s].append((p, o))

    result = nx.MultiDiGraph(lang=lang, schema=schema, evidence=evidence)
    class_labels: dict[URIRef, dict[str, str]] = {}
    ordered = sorted(candidates, key=node_id)
    for node in ordered:
        extra = schema_values.get(node, ())
        attrs = _node_attributes(graph, node, parts, class_labels, lang, extra)
        if node in schema_nodes:
            attrs["kind"] = "schema"
        elif node in evidence_nodes:
            attrs["kind"] = "evidence"
        else:
            attrs["kind"] = "resource"
        result.add_node(node_id(node), **attrs)

    property_attrs: dict[URIRef, dict[str, str]] = {}
    edges: list[tuple[str, str, str, URIRef]] = []
    for s, p, o in scan.relations:
        if s in candidates and o in candidates:
            edges.append((node_id(s), str(p), node_id(o), p))
    edges.sort(key=lambda e: (e[0], e[1], e[2]))
    for source, piri, target, p in edges:
        if p not in property_attrs:
            property_attrs[p] = _property_attributes(graph, p, lang)
        result.add_edge(source, target, key=edge_key(source, piri, target), **property_attrs[p])
    return result


def edge_key(source: str, prop: str, target: str) -> str:
    """The unique id of an edge: a short hash of its triple (same edge, same id in every export)."""
    digest = hashlib.blake2b(f"{source} {prop} {target}".encode(), digest_size=8).hexdigest()
    return "e" + digest


@dataclass
class Classified:
    """The triples of a graph sorted once, and which resources are schema or evidence."""

    scan: _Scan
    ancestors: _Ancestors
    schema: set[Node]
    evidence: set[Node]

    def select(
        self, *, schema: bool, evidence: bool, nodes: Collection[Node] | None = None
    ) -> set[Node]:
        """The resources a projection with these options keeps."""
        kept = set(self.scan.subjects)
        kept.update(o for _, _, o in self.scan.relations)
        if not schema:
            kept -= self.schema
        if not evidence:
            kept -= self.evidence
        if nodes is not None:
            kept &= set(nodes)
        return kept


def classify(graph: Graph) -> Classified:
    """Scan `graph` once and tell its schema and evidence resources apart from the debate."""
    scan = _scan(graph)
    ancestors = _Ancestors(scan.superclasses)
    return Classified(scan, ancestors, _schema_nodes(scan), _evidence_nodes(scan, ancestors))


def _scan(graph: Graph) -> _Scan:
    """One pass over every triple, sorting them into types, literals, links and relations."""
    scan = _Scan()
    rdf_type = RDF.type
    subclass = RDFS.subClassOf
    for s, p, o in graph:
        scan.subjects.add(s)
        if isinstance(s, BNode):
            scan.bnode_out[s].append((p, o))  # type: ignore[arg-type]
        if isinstance(o, Literal):
            scan.literals[s].append((p, o))  # type: ignore[arg-type]
            continue
        if isinstance(o, BNode):
            scan.bnode_in[o].append((p, s))  # type: ignore[arg-type]
        if p == rdf_type and isinstance(o, URIRef):
            scan.types[s].append(o)
        elif p in LINK_PROPERTIES and isinstance(o, URIRef):
            scan.links[s].append((p, o))  # type: ignore[arg-type]
            continue
        elif p == subclass:
            scan.superclasses[s].add(o)
        scan.relations.append((s, p, o))  # type: ignore[arg-type]
    return scan


class _Ancestors:
    """The transitive `rdfs:subClassOf` closure, computed on demand and cached."""

    def __init__(self, superclasses: dict[Node, set[Node]]) -> None:
        self._direct = superclasses
        self._cache: dict[Node, frozenset[Node]] = {}

    def __call__(self, cls: Node) -> frozenset[Node]:
        cached = self._cache.get(cls)
        if cached is not None:
            return cached
        seen: set[Node] = set()
        todo = list(self._direct.get(cls, ()))
        while todo:
            parent = todo.pop()
            if parent not in seen and parent != cls:
                seen.add(parent)
                todo.extend(self._direct.get(parent, ()))
        result = frozenset(seen)
        self._cache[cls] = result
        return result


def _schema_nodes(scan: _Scan) -> set[Node]:
    """Classes, properties, the ontology, shapes, and what only they point to."""
    found: set[Node] = set()
    for node, types in scan.types.items():
        if any(t in SCHEMA_TYPES for t in types):
            found.add(node)
        found.update(types)  # anything used as a class is a class
    for s, p, o in scan.relations:
        if p in SCHEMA_PROPERTIES:
            found.add(s)
            found.add(o)
    for node in scan.subjects:
        if isinstance(node, URIRef) and str(node).startswith(SCHEMA_NAMESPACES):
            found.add(node)
    for _, _, o in scan.relations:
        if isinstance(o, URIRef) and str(o).startswith(SCHEMA_NAMESPACES):
            found.add(o)
    # An instance of a data class is data, even in the rdf/owl namespaces' neighbourhood.
    return _spread(found, scan)


def _evidence_nodes(scan: _Scan, ancestors: _Ancestors) -> set[Node]:
    """Quoted passages, their selectors and the source documents, and what only they point to."""
    found: set[Node] = set()
    for node, types in scan.types.items():
        for t in types:
            selector = str(t).startswith(OA) and str(t).endswith("Selector")
            if selector or t in EVIDENCE_TYPES or not EVIDENCE_TYPES.isdisjoint(ancestors(t)):
                found.add(node)
    for _, p, o in scan.relations:
        if p in EVIDENCE_PROPERTIES:
            found.add(o)
    return _spread(found, scan)


def _spread(seeds: set[Node], scan: _Scan) -> set[Node]:
    """Add blank nodes and never-described IRIs whose every incoming link comes from `seeds`."""
    incoming: defaultdict[Node, set[Node]] = defaultdict(set)
    for s, _, o in scan.relations:
        if isinstance(o, BNode) or o not in scan.subjects:
            incoming[o].add(s)
    found = set(seeds)
    changed = True
    while changed:
        changed = False
        for node, sources in incoming.items():
            if node not in found and sources <= found:
                found.add(node)
                changed = True
    return found


def _bnode_ids(scan: _Scan) -> dict[Node, str]:
    """Stable ids for blank nodes: a hash of what they say and who points to them.

    Three rounds of refinement (as in Weisfeiler-Lehman hashing) tell apart blank nodes
    nested in other blank nodes; truly indistinguishable ones get a numbered suffix.
    """
    bnodes = set(scan.bnode_out) | set(scan.bnode_in)
    if not bnodes:
        return {}

    def term(node: Node, labels: dict[Node, str]) -> str:
        return labels[node] if isinstance(node, BNode) else node.n3()

    labels: dict[Node, str] = dict.fromkeys(bnodes, "")
    for _ in range(3):
        labels = {
            b: hashlib.blake2b(
                "\n".join(
                    [
                        labels[b],
                        *sorted(f">{p} {term(o, labels)}" for p, o in scan.bnode_out.get(b, ())),
                        *sorted(f"<{p} {term(s, labels)}" for p, s in scan.bnode_in.get(b, ())),
                    ]
                ).encode(),
                digest_size=8,
            ).hexdigest()
            for b in bnodes
        }
    ids: dict[Node, str] = {}
    used: defaultdict[str, int] = defaultdict(int)
    for b in sorted(bnodes, key=lambda b: (labels[b], str(b))):
        n = used[labels[b]]
        used[labels[b]] += 1
        ids[b] = f"_:b{labels[b]}" + (f"-{n}" if n else "")
    return ids


def attribute_name(prop: URIRef, language: str | None = None) -> str:
    """The node attribute holding a literal property: `label_fr`, `schema_name_fr`, `oa_exact`."""
    if prop in _LABEL_PROPERTIES:
        base = "label"
    elif prop == _DEFINITION:
        base = "definition"
    else:
        name = compact(str(prop))
        base = name.replace(":", "_") if not name.startswith("<") else local_name(str(prop))
    return f"{base}_{language}" if language else base


def _node_attributes(
    graph: Graph,
    node: Node,
    parts: Classified,
    class_labels: dict[URIRef, dict[str, str]],
    lang: str,
    schema_values: Iterable[tuple[URIRef, Node]],
) -> dict[str, Any]:
    scan, ancestors = parts.scan, parts.ancestors
    attrs: dict[str, Any] = {"iri": str(node) if isinstance(node, URIRef) else ""}
    values: dict[str, list[str]] = {}
    # skos:prefLabel first so that it wins over rdfs:label, as everywhere else in mixity
    pairs = sorted(
        scan.literals.get(node, ()),
        key=lambda po: (po[0] != SKOS.prefLabel, str(po[0]), po[1].language or "", str(po[1])),
    )
    label_seen: set[str] = set()
    for p, o in pairs:
        name = attribute_name(p, o.language)
        if p in _LABEL_PROPERTIES:
            if name in label_seen:
                continue
            label_seen.add(name)
        values.setdefault(name, []).append(str(o))
    for p, target in sorted(scan.links.get(node, ()), key=lambda po: (str(po[0]), str(po[1]))):
        values.setdefault(attribute_name(p), []).append(str(target))
    for p, term in sorted(schema_values, key=lambda po: (str(po[0]), str(po[1]))):
        values.setdefault(attribute_name(p), []).append(compact(str(term)).strip("<>"))
    for name, found in values.items():
        attrs[name] = found[0] if len(found) == 1 else found

    attrs["label"] = _pick(attrs, "label", lang) or _fallback_label(node, attrs)
    definition = _pick(attrs, "definition", lang)
    if definition:
        attrs["definition"] = definition

    types = sorted(set(scan.types.get(node, ())), key=str)
    if types:
        main = _main_class(types, ancestors)
        inferred = sorted({a for t in types for a in ancestors(t)} - set(types), key=str)
        ordered = [main, *(t for t in types if t != main)]
        ordered += [a for a in inferred if isinstance(a, URIRef)]
        attrs["class"] = compact(str(main)).strip("<>")
        attrs["class_iri"] = str(main)
        if main not in class_labels:
            from mixity.graph.labels import labels as all_labels

            class_labels[main] = all_labels(graph, main)
        attrs["class_label"] = _pick(
            {f"label_{k}": v for k, v in class_labels[main].items()}, "label", lang
        ) or local_name(str(main))
        attrs["classes"] = [compact(str(t)).strip("<>") for t in ordered]
    else:
        attrs["class"] = ""
        attrs["class_iri"] = ""
        attrs["class_label"] = ""
        attrs["classes"] = []
    return attrs


def _pick(attrs: dict[str, Any], base: str, lang: str) -> str:
    """`base_lang`, else the other language, else untagged, else ''."""
    for wanted in (lang, "fr", "en"):
        value = attrs.get(f"{base}_{wanted}")
        if value:
            return value if isinstance(value, str) else str(value[0])
    value = attrs.get(base)
    if value:
        return value if isinstance(value, str) else str(value[0])
    for key in sorted(attrs):
        if key.startswith(base + "_") and attrs[key]:
            value = attrs[key]
            return value if isinstance(value, str) else str(value[0])
    return ""


def _fallback_label(node: Node, attrs: dict[str, Any]) -> str:
    """A name for an unlabelled node: its quote (selectors), its title, else its local name."""
    for key in ("oa_exact", "dcterms_title_fr", "dcterms_title", "schema_name_fr", "schema_name"):
        value = attrs.get(key)
        if value:
            text = value if isinstance(value, str) else value[0]
            text = " ".join(text.split())
            return text if len(text) <= 60 else text[:59] + "…"
    if isinstance(node, URIRef):
        return local_name(str(node))
    return "(blank node)"


def _main_class(types: list[URIRef], ancestors: _Ancestors) -> URIRef:
    """The most specific of a node's types; mixity's own classes win a tie."""
    specific = [t for t in types if not any(t in ancestors(u) for u in types if u != t)]
    specific = specific or types
    return sorted(specific, key=lambda t: (not str(t).startswith(MIX), str(t)))[0]


def _property_attributes(graph: Graph, prop: URIRef, lang: str) -> dict[str, str]:
    from mixity.graph.labels import labels as all_labels

    found = all_labels(graph, prop)
    attrs = {"property": compact(str(prop)).strip("<>"), "property_iri": str(prop)}
    for language in sorted(found):
        if language:
            attrs[f"label_{language}"] = found[language]
    attrs["label"] = (
        found.get(lang) or found.get("fr") or found.get("en") or found.get("")
    ) or local_name(str(prop))
    return attrs


def view_selection(
    graph: Graph,
    view: str | None,
    *,
    focus: str | None = None,
    depth: int = 1,
    lang: str = "fr",
) -> set[Node] | None:
    """The resources of a named view (`mixity.graph.views`, as in `mixity render`), or None.

    A focus without a view narrows the overview.
    """
    if view is None and focus is None:
        return None
    from mixity.graph.views import view_nodes

    return set(view_nodes(graph, view or "overview", focus=focus, depth=depth, lang=lang))


def resource_nodes(graph: nx.MultiDiGraph) -> Iterable[str]:
    """The ids of the nodes that are debate resources (neither schema nor evidence)."""
    return (n for n, kind in graph.nodes(data="kind") if kind == "resource")
