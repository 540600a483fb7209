"""AIF-JSON (the Argument Interchange Format as AIFdb and OVA write it), both ways.

Export (`export_aif`): questions, levers and findings are I-nodes; a lever's `ibis:responds-to`
is an inference (an RA node, lever → RA → question), `ibis:supports` an RA and `ibis:opposes` a
conflict (CA); each quote a resource rests on is a locution (an L-node, its text the quote)
anchored by an assertion (a YA node, L → YA → I), its speaker a participant when the evidence
node names one (`schema:author`). IRIs, IBIS types, workshops and actor types sit in each node's
`mixity` key; node ids are derived from IRIs (stable across runs); the top-level `mixity` key
lists what AIF cannot hold.

Import (`import_aif`): the map's I-nodes become statements (`ibis:Position`, concepts of the
map's scheme) quoted from a text of the map written beside the Turtle; an RA or CA node becomes
an `ibis:Argument` that supports or opposes its conclusion and is related to its premises.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from mixity import __version__
from mixity.errors import MixityError, ParseError, SourceNotFound
from mixity.graph.exchange.build import Imported, TurtleBuilder
from mixity.graph.exchange.debate import (
    EVIDENCE,
    FINDING_TYPES,
    IBIS,
    LEVER_TYPES,
    QUESTION_TYPES,
    RESPONDS_TO,
    SCHEMA,
    Quote,
    Slugs,
    guid,
    instances,
    name,
    quotes,
    slug,
)
from mixity.namespaces import ID, MIX

#: The texts AIFdb gives scheme nodes that name no particular scheme.
INFERENCE = "Default Inference"
CONFLICT = "Default Conflict"
ASSERTING = "Asserting"

_EVENT_LINKS = (URIRef(MIX + "raisedAt"), URIRef(MIX + "proposedAt"), URIRef(MIX + "statedAt"))


@dataclass
class Exported:
    """An AIF-JSON map and its size."""

    data: bytes
    nodes: int
    edges: int
    warnings: list[str] = field(default_factory=list)


def _ibis_type(graph: Graph, resource: URIRef) -> str:
    for label, types in (("Argument", FINDING_TYPES), ("Issue", QUESTION_TYPES)):
        if any((resource, RDF.type, t) in graph for t in types):
            return label
    return "Position"


def _linked(
    graph: Graph, resource: URIRef, props: Iterable[URIRef], lang: str
) -> list[dict[str, str]]:
    found = sorted({o for p in props for o in graph.objects(resource, p) if isinstance(o, URIRef)})
    return [{"iri": str(o), "label": name(graph, o, lang)} for o in found]


class _Map:
    """An AIF-JSON map being written: nodes, edges, locutions, participants."""

    def __init__(self, graph: Graph, resources: list[URIRef], lang: str) -> None:
        self.graph = graph
        self.lang = lang
        self.ids = {r: guid(str(r)) for r in resources}
        self.nodes: list[dict[str, Any]] = []
        self.edges: list[dict[str, str]] = []
        self.locutions: list[dict[str, str]] = []
        self.participants: dict[str, dict[str, str]] = {}

    def edge(self, source: str, target: str) -> None:
        key = guid(f"edge {source} {target}")
        self.edges.append({"edgeID": key, "fromID": source, "toID": target})

    def atom(self, resource: URIRef) -> None:
        """An I-node, with the resource's IRI, IBIS type, events and actor types."""
        g, lang = self.graph, self.lang
        events = _linked(g, resource, _EVENT_LINKS, lang)
        workshop = URIRef(MIX + "Workshop")
        extras = {
            "iri": str(resource),
            "ibis": _ibis_type(g, resource),
            "workshops": [e for e in events if (URIRef(e["iri"]), RDF.type, workshop) in g],
            "events": events,
            "actorTypes": _linked(g, resource, [URIRef(MIX + "involves")], lang),
        }
        text = name(g, resource, lang)
        self.nodes.append(
            {"nodeID": self.ids[resource], "text": text, "type": "I", "mixity": extras}
        )

    def scheme(self, resource: URIRef, prop: URIRef, kind: str, text: str) -> None:
        """An RA or CA node for each statement (resource, prop, another I-node)."""
        targets = {o for o in self.graph.objects(resource, prop) if isinstance(o, URIRef)}
        for target in sorted(t for t in targets if t in self.ids):
            node = guid(f"{resource} {prop} {target}")
            extras = {"property": str(prop)}
            self.nodes.append({"nodeID": node, "text": text, "type": kind, "mixity": extras})
            self.edge(self.ids[resource], node)
            self.edge(node, self.ids[target])

    def locution(self, quote: Quote) -> None:
        """An L-node for a quote of I-nodes' resources, anchored to each by a YA node."""
        anchored = [r for r in quote.about if r in self.ids]
        if not anchored:
            return
        locution = guid(f"locution {quote.key}")
        source = str(quote.source) if quote.source else None
        extras = {"evidence": quote.key, "source": source}
        self.nodes.append({"nodeID": locution, "text": quote.exact, "type": "L", "mixity": extras})
        for resource in anchored:
            assertion = guid(f"asserting {quote.key} {resource}")
            self.nodes.append({"nodeID": assertion, "text": ASSERTING, "type": "YA"})
            self.edge(locution, assertion)
            self.edge(assertion, self.ids[resource])
        speaker = self.graph.value(quote.node, URIRef(SCHEMA + "author"))
        person_type = URIRef(SCHEMA + "Person")
        if isinstance(speaker, URIRef) and (speaker, RDF.type, person_type) in self.graph:
            person = guid(str(speaker))
            first, _, last = name(self.graph, speaker, self.lang).partition(" ")
            entry = {"participantID": person, "firstname": first, "surname": last}
            self.participants[person] = entry
            self.locutions.append({"nodeID": locution, "personID": person})


def export_aif(graph: Graph, *, lang: str = "fr") -> Exported:
    """The graph's argument as an AIF-JSON map (see the module's docstring)."""
    findings = set(instances(graph, FINDING_TYPES))
    resources = sorted(
        set(instances(graph, QUESTION_TYPES)) | set(instances(graph, LEVER_TYPES)) | findings
    )
    if not resources:
        raise MixityError("the graph has no question, lever or finding: no argument to export")
    aif = _Map(graph, resources, lang)
    for resource in resources:
        aif.atom(resource)
    relations = (
        (RESPONDS_TO, "RA", INFERENCE),
        (URIRef(IBIS + "supports"), "RA", INFERENCE),
        (URIRef(IBIS + "opposes"), "CA", CONFLICT),
    )
    for prop, kind, text in relations:
        for resource in resources:
            aif.scheme(resource, prop, kind, text)
    for quote in quotes(graph):
        aif.locution(quote)
    document = {
        "nodes": aif.nodes,
        "edges": aif.edges,
        "locutions": aif.locutions,
        "participants": sorted(aif.participants.values(), key=lambda p: p["participantID"]),
        "mixity": {
            "generator": f"mixity {__version__}",
            "lang": lang,
            "notHeld": _not_held(graph, set(resources)),
        },
    }
    data = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return Exported(data.encode("utf-8"), len(aif.nodes), len(aif.edges))


def _not_held(graph: Graph, held: set[URIRef]) -> list[str]:
    """What of the graph an AIF map does not hold, in words."""
    concepts = len(
        set(graph.subjects(RDF.type, SKOS.Concept)) | set(graph.subjects(SKOS.inScheme, None))
    )
    concerns = sum(1 for r in held for _ in graph.objects(r, URIRef(MIX + "concerns")))
    notes = sum(1 for r in held for _ in graph.objects(r, SKOS.editorialNote))
    generalizes = sum(1 for r in held for _ in graph.objects(r, URIRef(IBIS + "generalizes")))
    return [
        f"concepts and their hierarchies (skos:broader): {concepts} concepts",
        f"what questions, levers and findings concern (mix:concerns): {concerns} links",
        f"editorial notes (skos:editorialNote): {notes}, including those that flag "
        "ibis:responds-to as an editorial link",
        f"levers that sum up others (ibis:generalizes): {generalizes} links",
        "events, people, organisations and places, other than in the nodes' mixity keys",
        "the positions of quotes in their sources (oa:TextPositionSelector) and their "
        "prefix/suffix",
        "labels in the other language",
    ]


# --------------------------------------------------------------------------------------------
# Import


ORIGIN = ("d'une carte AIF", "an AIF map")


def _load(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceNotFound(path) from None
    except IsADirectoryError:
        raise SourceNotFound(path, "is a directory, not an AIF file") from None
    except OSError as exc:
        raise SourceNotFound(path, exc.strerror or "cannot be read") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(path, f"not UTF-8 text (byte {exc.start})") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(path, f"not JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise ParseError(path, "not an AIF map: JSON nested too deeply") from None
    if not isinstance(document, dict) or not isinstance(document.get("nodes"), list):
        raise ParseError(path, 'not an AIF map: no list of "nodes"')
    if not isinstance(document.get("edges", []), list):
        raise ParseError(path, 'not an AIF map: "edges" is not a list')
    return document


@dataclass
class _Read:
    """The nodes of a map (id -> (type, text)) and its edges, both ways."""

    nodes: dict[str, tuple[str, str]]
    incoming: dict[str, list[str]]
    outgoing: dict[str, list[str]]


def _read(path: Path) -> _Read:
    """The map's nodes and edges; a `ParseError` for a node without id or type, an id used
    twice, or an edge that points to no node."""
    document = _load(path)
    nodes: dict[str, tuple[str, str]] = {}
    for index, node in enumerate(document["nodes"]):
        if not isinstance(node, dict) or "nodeID" not in node or "type" not in node:
            raise ParseError(path, f'node {index + 1}: needs a "nodeID" and a "type"')
        node_id, kind = str(node["nodeID"]), str(node["type"])
        text = node.get("text", "")
        if not isinstance(text, str):
            raise ParseError(path, f'node {node_id}: its "text" is not a string')
        if node_id in nodes:
            raise ParseError(path, f"node {node_id}: the id is used twice")
        nodes[node_id] = (kind, text)
    read = _Read(nodes, {n: [] for n in nodes}, {n: [] for n in nodes})
    for index, edge in enumerate(document.get("edges", [])):
        if not isinstance(edge, dict):
            raise ParseError(path, f"edge {index + 1}: not an object")
        label = str(edge.get("edgeID", index + 1))
        source, target = str(edge.get("fromID")), str(edge.get("toID"))
        for end, value in (("fromID", source), ("toID", target)):
            if value not in nodes:
                reason = f"edge {label}: its {end} {value} is not a node of the map (dangling edge)"
                raise ParseError(path, reason)
        read.outgoing[source].append(target)
        read.incoming[target].append(source)
    return read


class _Import(TurtleBuilder):
    """The Turtle of an imported map: statements in the map's scheme, arguments."""

    def __init__(self, path: Path, lang: str, base: str) -> None:
        super().__init__(lang, "aif", base)
        self.slug = slug(path.stem)
        self.prefixes["statement"] = f"{base}statement/{self.slug}/"
        self.prefixes["argument"] = f"{base}argument/{self.slug}/"
        self.scheme = URIRef(f"{base}scheme/aif/{self.slug}")
        self.graph.add((self.scheme, RDF.type, SKOS.ConceptScheme))
        self.concept(self.scheme, path.stem)
        self.iris: dict[str, URIRef] = {}
        self.evidence: dict[str, URIRef] = {}
        self.slugs = Slugs()

    def concept(self, node: URIRef, label: str) -> None:
        self.labels(node, label)
        self.labels(node, label, SKOS.prefLabel)
        self.untranslated(node, ORIGIN)
        if node != self.scheme:
            self.graph.add((node, RDF.type, SKOS.Concept))
            self.graph.add((node, SKOS.inScheme, self.scheme))

    def statement(self, atom: str, text: str, evidence: URIRef | None) -> None:
        """An I-node: a statement (ibis:Position) resting on its quote."""
        node = URIRef(self.prefixes["statement"] + self.slugs(text))
        self.iris[atom] = node
        self.graph.add((node, RDF.type, URIRef(IBIS + "Position")))
        self.concept(node, " ".join(text.split()))
        if evidence is not None:
            self.evidence[atom] = evidence
            self.graph.add((node, EVIDENCE, evidence))

    def argument(self, node_id: str, kind: str, read: _Read) -> str | None:
        """An RA or CA node: an ibis:Argument supporting or opposing its conclusion; the
        reason it cannot be one, if so."""
        premises = [p for p in read.incoming[node_id] if p in self.iris]
        conclusions = [c for c in read.outgoing[node_id] if c in self.iris]
        if len(conclusions) != 1 or not premises:
            return (
                f"{kind} node {node_id}: {len(premises)} premises and {len(conclusions)} "
                "conclusions (an inference needs one or more and exactly one): skipped"
            )
        g = self.graph
        argument = URIRef(f"{self.prefixes['argument']}{slug(node_id, 12)}")
        g.add((argument, RDF.type, URIRef(IBIS + "Argument")))
        self.concept(argument, " ; ".join(" ".join(read.nodes[p][1].split()) for p in premises))
        said = ("la carte AIF relie ces nœuds.", "the AIF map links these nodes.")
        relation = "supports" if kind == "RA" else "opposes"
        link = (argument, URIRef(IBIS + relation), self.iris[conclusions[0]])
        g.add(link)
        self.editorial(link, said)
        for premise in premises:
            g.add((argument, SKOS.related, self.iris[premise]))
            self.editorial((argument, SKOS.related, self.iris[premise]), said)
            if premise in self.evidence:
                g.add((argument, EVIDENCE, self.evidence[premise]))
        return None


def import_aif(path: Path, *, lang: str = "fr", base: str = ID) -> Imported:
    """An AIF-JSON map as MODEL.md Turtle (see the module's docstring)."""
    from mixity.graph.exchange.build import trim
    from mixity.graph.model.quotes import SourceText, sha256

    read = _read(path)
    builder = _Import(path, lang, base)
    # The map's text: each distinct I-node text once, a paragraph of its own, in the order of
    # the map; I-nodes that say the same thing quote the same passage.
    atoms = [n for n, (kind, text) in read.nodes.items() if kind == "I" and text.strip()]
    spans: dict[str, tuple[int, int]] = {}
    at = 0
    for atom in atoms:
        text = read.nodes[atom][1]
        if text not in spans:
            spans[text] = (at, at + len(text))
            at += len(text) + 2
    body = "\n\n".join(spans) + "\n"
    data = body.encode("utf-8")
    document = URIRef(f"{base}source/aif/{builder.slug}")
    builder.document(document, path.stem, builder.slug, sha256(data), ORIGIN)
    located = SourceText(Path(builder.slug + ".txt"), body, sha256(data))
    quoted: dict[str, URIRef | None] = {}
    for atom in atoms:
        text = read.nodes[atom][1]
        if text not in quoted:
            span = trim(body, *spans[text])
            quoted[text] = builder.quote(document, located, *span) if span else None
        builder.statement(atom, text, quoted[text])
    warnings: list[str] = []
    skipped: Counter[str] = Counter()
    arguments = 0
    for node_id, (kind, _) in read.nodes.items():
        if kind in ("RA", "CA"):
            problem = builder.argument(node_id, kind, read)
            arguments += problem is None
            warnings += [problem] if problem else []
        elif kind != "I":
            skipped[kind] += 1
    for kind, count in sorted(skipped.items()):
        warnings.append(f"{count} {kind or 'untyped'} node{'s' if count > 1 else ''} not imported")
    texts = {builder.slug + ".txt": data}
    count = len(atoms) + arguments
    quotes_made = len({q for q in quoted.values() if q is not None})
    return Imported(builder.turtle(), texts, count, quotes_made, warnings)
