"""The networkx projection of the debate graph: resources become nodes, literals attributes.

rdflib's `rdflib_to_networkx_*` turns every literal into a node and drops language tags, and
networkx's writers then fail on what it builds (bench/bench_analyze.py shows how). mixity
builds its `MultiDiGraph` itself:

- a node per resource, keyed by its IRI (blank nodes get a stable `_:b…` id derived from what
  they say, so two runs over the same files give the same ids);
- literals as node attributes, one per property and language (`label_fr`, `label_en`,
  `definition_fr`, `schema_name_fr`, `oa_exact`, …), a list when a property has several values;
- an edge per triple between two kept resources, keyed by a unique, content-derived id, with
  the property's IRI, compact name and labels.

One pass over the triples turns rdflib terms into plain strings, the keys `labels.key_of`
gives (IRIs, `_:` + rdflib's blank node id), as the resolver's index does: rdflib's `__eq__` is
Python code, and every set and dict lookup on terms pays for it. Only the networkx nodes of
blank nodes are named otherwise (`_:b…`, from what they say); `stable_blank_ids` maps the one
to the other.

networkx is imported inside `project`: `mixity query` must never pay for it.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from mixity.graph.io.rdf import content_ids
from mixity.graph.io.terms import from_rdflib
from mixity.graph.model.labels import compact, key_of, local_name
from mixity.graph.model.vocabulary import (
    DEFINITION_PROPERTIES,
    EVIDENCE_PROPERTIES,
    EVIDENCE_TYPES,
    LABEL_PROPERTIES,
    LINK_PROPERTIES,
    OA,
    RDF_TYPE,
    SCHEMA_NAMESPACES,
    SCHEMA_PROPERTIES,
    SCHEMA_TYPES,
    SUBCLASS_OF,
)
from mixity.graph.network.links import Links, follow
from mixity.graph.network.quotes import QUOTE_ATTRIBUTES, quote_attributes
from mixity.namespaces import MIX

if TYPE_CHECKING:
    import networkx as nx

_DEFINITION = DEFINITION_PROPERTIES[0]  # skos:definition; other descriptions keep their names
#: Attribute names the projection and the network writers use themselves: a literal property
#: whose name would be one of these (`<…/id>`, `<…/start>`) gets a trailing `_` instead.
_RESERVED = frozenset(
    (
        "id", "iri", "kind", "class", "class_iri", "class_label", "classes", "label",
        "definition", "source", "target", "key", "pid", "start", "end", "parents", "spells",
        "slices", "viz", "weight", "type", "edge_id", *QUOTE_ATTRIBUTES,
    )
)  # fmt: skip


@dataclass
class _Scan:
    """What one pass over the triples collects, keyed by plain strings."""

    types: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    literals: defaultdict[str, list[tuple[str, Literal]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    links: defaultdict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    relations: list[tuple[str, str, str]] = field(default_factory=list)
    subjects: set[str] = field(default_factory=set)
    superclasses: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: blank node -> (property, n3 of the value or the blank node key) out and in
    bnode_out: defaultdict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    bnode_in: defaultdict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )


def _scan(graph: Graph) -> _Scan:
    """One pass over every triple, sorting them into types, literals, links and relations."""
    scan = _Scan()
    subjects, relations, literals = scan.subjects, scan.relations, scan.literals
    # exact type checks first: isinstance on rdflib terms is the slow path of this loop
    for s, p, o in graph:
        blank = type(s) is not URIRef and isinstance(s, BNode)
        sk = "_:" + str(s) if blank else str(s)
        pk = str(p)
        subjects.add(sk)
        kind = type(o)
        if kind is Literal or (kind is not URIRef and isinstance(o, Literal)):
            literals[sk].append((pk, o))  # type: ignore[arg-type]
            if blank:
                scan.bnode_out[sk].append((pk, str(from_rdflib(o))))  # as io.rdf hashes it
            continue
        if kind is not URIRef and isinstance(o, BNode):
            ok = "_:" + o
            scan.bnode_in[ok].append((pk, sk))
        else:
            ok = str(o)
        if blank:
            scan.bnode_out[sk].append((pk, ok))
        if pk == RDF_TYPE:
            scan.types[sk].append(ok)
        elif pk in LINK_PROPERTIES:
            scan.links[sk].append((pk, ok))
            continue
        elif pk == SUBCLASS_OF:
            scan.superclasses[sk].add(ok)
        relations.append((sk, pk, ok))
    return scan


class _Ancestors:
    """The transitive `rdfs:subClassOf` closure, computed on demand and cached."""

    def __init__(self, superclasses: dict[str, set[str]]) -> None:
        self._direct = superclasses
        self._cache: dict[str, frozenset[str]] = {}

    def __call__(self, cls: str) -> frozenset[str]:
        cached = self._cache.get(cls)
        if cached is not None:
            return cached
        seen: set[str] = set()
        todo = list(self._direct.get(cls, ()))
        while todo:
            parent = todo.pop()
            if parent not in seen and parent != cls:
                seen.add(parent)
                todo.extend(self._direct.get(parent, ()))
        result = frozenset(seen)
        self._cache[cls] = result
        return result


@dataclass
class Classified:
    """The triples of a graph sorted once, and which resources are schema or evidence."""

    scan: _Scan
    ancestors: _Ancestors
    schema: set[str]
    evidence: set[str]

    def select(
        self, *, schema: bool, evidence: bool, nodes: Collection[Node] | None = None
    ) -> set[str]:
        """The keys (see `key_of`) of the resources a projection with these options keeps."""
        kept = set(self.scan.subjects)
        kept.update(o for _, _, o in self.scan.relations)
        if not schema:
            kept -= self.schema
        if not evidence:
            kept -= self.evidence
        if nodes is not None:
            kept &= {key_of(n) for n in nodes}
        return kept


def classify(graph: Graph) -> Classified:
    """Scan `graph` once and tell its schema and evidence resources apart from the debate."""
    scan = _scan(graph)
    ancestors = _Ancestors(scan.superclasses)
    return Classified(scan, ancestors, _schema_nodes(scan), _evidence_nodes(scan, ancestors))


def _schema_nodes(scan: _Scan) -> set[str]:
    """Classes, properties, the ontology, shapes, and what only they point to."""
    found: set[str] = set()
    for node, types in scan.types.items():
        if not SCHEMA_TYPES.isdisjoint(types):
            found.add(node)
        found.update(types)  # anything used as a class is a class
    for s, p, o in scan.relations:
        if p in SCHEMA_PROPERTIES:
            found.add(s)
            found.add(o)
        elif o.startswith(SCHEMA_NAMESPACES):
            found.add(o)
    found.update(s for s in scan.subjects if s.startswith(SCHEMA_NAMESPACES))
    return _spread(found, scan)


def _evidence_nodes(scan: _Scan, ancestors: _Ancestors) -> set[str]:
    """Quoted passages, their selectors and the source documents, and what only they point to."""
    found: set[str] = set()
    evidence_class: dict[str, bool] = {}
    for node, types in scan.types.items():
        for t in types:
            known = evidence_class.get(t)
            if known is None:
                selector = t.startswith(OA) and t.endswith("Selector")
                known = (
                    selector or t in EVIDENCE_TYPES or not EVIDENCE_TYPES.isdisjoint(ancestors(t))
                )
                evidence_class[t] = known
            if known:
                found.add(node)
                break
    found.update(o for _, p, o in scan.relations if p in EVIDENCE_PROPERTIES)
    return _spread(found, scan)


def _spread(seeds: set[str], scan: _Scan) -> set[str]:
    """Add blank nodes and never-described IRIs whose every incoming link comes from `seeds`."""
    incoming: defaultdict[str, set[str]] = defaultdict(set)
    subjects = scan.subjects
    for s, _, o in scan.relations:
        if o.startswith("_:") or o not in subjects:
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


def _bnode_ids(scan: _Scan) -> dict[str, str]:
    """Stable node ids (`_:b…`) for blank nodes, derived from what they say (see
    `mixity.graph.io.rdf.content_ids`: the RDF exports name them the same way)."""
    return {key: "_:" + name for key, name in content_ids(scan.bnode_out, scan.bnode_in).items()}


def stable_blank_ids(graph: Graph) -> dict[BNode, str]:
    """A stable id (`b…`) for each blank node of `graph`, derived from what it says.

    rdflib names blank nodes at random on every parse; the projection's node ids (`_:` + this
    id) stay the same across parses.
    """
    return {BNode(key[2:]): value[2:] for key, value in _bnode_ids(_scan(graph)).items()}


def project(
    graph: Graph,
    *,
    schema: bool = False,
    evidence: bool = True,
    nodes: Collection[Node] | None = None,
    lang: str = "fr",
    links: Links | None = None,
    parts: Classified | None = None,
) -> nx.MultiDiGraph:
    """Build the networkx `MultiDiGraph` of `graph`.

    Args:
        schema: keep the TBox (classes, properties, the ontology, shapes) as nodes; `rdf:type`
            triples then also become edges to the class nodes. Without it, classes are only
            node attributes (`class`, `classes`), and links to other schema terms
            (`dcterms:type dcmitype:Text`) become attributes too.
        evidence: keep the evidence nodes (`oa:SpecificResource`, selectors, source documents).
            Without it, each fact keeps its quotes as attributes (`network.quotes`).
        nodes: restrict the projection to these resources (a view); edges between them only.
        lang: the language of the `label` attributes (the other language is the fallback).
        links: which links become edges (`network.links`; default `Links()`: no scheme
            membership, a link stated both ways once, resources with no other link left out).
        parts: `classify(graph)`, when the caller has it already.
    """
    import networkx as nx

    parts = parts or classify(graph)
    scan = parts.scan
    bnode_ids = _bnode_ids(scan)
    kept = parts.select(schema=schema, evidence=evidence, nodes=nodes)
    between = [(s, p, o) for s, p, o in scan.relations if s in kept and o in kept]
    followed = follow(between, links or Links(), scan.relations)
    # a resource whose every link is left out (a concept scheme) is left out too
    kept -= {n for s, _, o in between for n in (s, o)} - {n for s, _, o in followed for n in (s, o)}
    quotes = {} if evidence else quote_attributes(scan.relations, scan.literals, kept, lang)
    # links to schema terms left out (dcterms:type dcmitype:Text) become attributes
    schema_values: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    if not schema:
        for s, p, o in scan.relations:
            if p != RDF_TYPE and o in parts.schema and s in kept and o not in kept:
                schema_values[s].append((p, o))

    def node_id(key: str) -> str:
        return bnode_ids[key] if key.startswith("_:") else key

    result = nx.MultiDiGraph(lang=lang, schema=schema, evidence=evidence)
    class_info: dict[frozenset[str], dict[str, Any]] = {}
    rows = []
    for key in kept:
        attrs = _node_attributes(graph, key, parts, class_info, lang, schema_values.get(key, ()))
        attrs.update(quotes.get(key, {}))
        attrs["kind"] = (
            "schema" if key in parts.schema else "evidence" if key in parts.evidence else "resource"
        )
        rows.append((node_id(key), attrs))
    rows.sort(key=lambda row: row[0])
    result.add_nodes_from(rows)

    property_attrs: dict[str, dict[str, str]] = {}
    edges = sorted((node_id(s), p, node_id(o)) for s, p, o in followed)
    for prop in {p for _, p, _ in edges}:
        property_attrs[prop] = _property_attributes(graph, prop, lang)
    add_edge = result.add_edge  # add_edges_from is 3x slower here: it builds a view per edge
    for source, prop, target in edges:
        add_edge(source, target, edge_key(source, prop, target), **property_attrs[prop])
    return result


def edge_key(source: str, prop: str, target: str) -> str:
    """The unique id of an edge: a short hash of its triple (same edge, same id in every export)."""
    digest = hashlib.blake2b(f"{source} {prop} {target}".encode(), digest_size=8).hexdigest()
    return "e" + digest


@functools.lru_cache(maxsize=8192)
def _short_name(iri: str) -> str:
    """`prefix:local` (compact), without the <> of an unknown namespace; cached."""
    return compact(iri).strip("<>")


@functools.lru_cache(maxsize=8192)
def attribute_name(prop: str, language: str | None = None) -> str:
    """The node attribute holding a literal property: `label_fr`, `schema_name_fr`, `oa_exact`."""
    if prop in LABEL_PROPERTIES:
        base = "label"
    elif prop == _DEFINITION:
        base = "definition"
    else:
        name = compact(prop)
        base = name.replace(":", "_") if not name.startswith("<") else local_name(prop)
        if base in _RESERVED:
            base += "_"
    return f"{base}_{language}" if language else base


def _node_attributes(
    graph: Graph,
    key: str,
    parts: Classified,
    class_info: dict[frozenset[str], dict[str, Any]],
    lang: str,
    schema_values: Iterable[tuple[str, str]],
) -> dict[str, Any]:
    scan = parts.scan
    attrs: dict[str, Any] = {"iri": "" if key.startswith("_:") else key}
    values: dict[str, list[str]] = {}
    # skos:prefLabel first so that it wins over rdfs:label, as everywhere else in mixity
    pairs = sorted(
        scan.literals.get(key, ()),
        key=lambda po: (po[0] != LABEL_PROPERTIES[0], po[0], po[1].language or "", str(po[1])),
    )
    for p, o in pairs:
        name = attribute_name(p, o.language)
        if p in LABEL_PROPERTIES and name in values:
            continue  # one label per language
        values.setdefault(name, []).append(str(o))
    for p, target in sorted(scan.links.get(key, ())):
        values.setdefault(attribute_name(p), []).append(target)
    for p, term in sorted(schema_values):
        values.setdefault(attribute_name(p), []).append(_short_name(term))
    for name, found in values.items():
        attrs[name] = found[0] if len(found) == 1 else found

    attrs["label"] = _pick(attrs, "label", lang) or _fallback_label(key, attrs)
    definition = _pick(attrs, "definition", lang)
    if definition:
        attrs["definition"] = definition

    types = scan.types.get(key)
    if types:
        type_set = frozenset(types)
        info = class_info.get(type_set)
        if info is None:
            info = class_info[type_set] = _class_attributes(
                graph, sorted(type_set), parts.ancestors, lang
            )
        attrs.update(info)
        attrs["classes"] = list(info["classes"])
    else:
        attrs.update({"class": "", "class_iri": "", "class_label": "", "classes": []})
    return attrs


def _class_attributes(
    graph: Graph, types: list[str], ancestors: _Ancestors, lang: str
) -> dict[str, Any]:
    """class, class_iri, class_label and classes (main first, then asserted, then inferred)."""
    from mixity.graph.model.labels import labels as all_labels

    main = _main_class(types, ancestors)
    inferred = sorted({a for t in types for a in ancestors(t)} - set(types))
    ordered = [
        main,
        *(t for t in types if t != main),
        *(a for a in inferred if not a.startswith("_:")),
    ]
    found = {f"label_{k}": v for k, v in all_labels(graph, URIRef(main)).items()}
    return {
        "class": _short_name(main),
        "class_iri": main,
        "class_label": _pick(found, "label", lang) or local_name(main),
        "classes": tuple(_short_name(t) for t in ordered),
    }


def _main_class(types: list[str], ancestors: _Ancestors) -> str:
    """The most specific of a node's types; mixity's own classes win a tie."""
    specific = [t for t in types if not any(t in ancestors(u) for u in types if u != t)]
    return sorted(specific or types, key=lambda t: (not t.startswith(MIX), t))[0]


def _pick(attrs: dict[str, Any], base: str, lang: str) -> str:
    """`base_lang`, else the other language, else untagged, else any language, else ''."""
    for wanted in (f"{base}_{lang}", f"{base}_fr", f"{base}_en", base):
        value = attrs.get(wanted)
        if value:
            return value if isinstance(value, str) else str(value[0])
    for name in sorted(attrs):
        if name.startswith(base + "_") and attrs[name]:
            value = attrs[name]
            return value if isinstance(value, str) else str(value[0])
    return ""


def _fallback_label(key: str, attrs: dict[str, Any]) -> str:
    """A name for an unlabelled node: its quote (selectors), its title, else its local name."""
    for name in ("oa_exact", "dcterms_title_fr", "dcterms_title", "schema_name_fr", "schema_name"):
        value = attrs.get(name)
        if value:
            text = " ".join((value if isinstance(value, str) else value[0]).split())
            return text if len(text) <= 60 else text[:59] + "…"
    return "(blank node)" if key.startswith("_:") else local_name(key)


def _property_attributes(graph: Graph, prop: str, lang: str) -> dict[str, str]:
    from mixity.graph.model.labels import labels as all_labels

    found = all_labels(graph, URIRef(prop))
    attrs = {"property": _short_name(prop), "property_iri": prop}
    for language in sorted(found):
        if language:
            attrs[f"label_{language}"] = found[language]
    attrs["label"] = (
        found.get(lang) or found.get("fr") or found.get("en") or found.get("")
    ) or local_name(prop)
    return attrs


def view_selection(
    graph: Graph,
    view: str | None,
    *,
    focus: str | None = None,
    depth: int = 1,
    lang: str = "fr",
) -> set[Node] | None:
    """The resources of a named view (`mixity.graph.model.views`, as in `mixity render`), or None.

    A focus without a view narrows the overview.
    """
    if view is None and focus is None:
        return None
    from mixity.graph.model.views import view_nodes

    return set(view_nodes(graph, view or "overview", focus=focus, depth=depth, lang=lang))
