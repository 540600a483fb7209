"""What the exchange formats read from the graph: the debate's codes, its argument and its quotes.

QDA codebooks, AIF maps and Argdown documents all see the same things: questions (`ibis:Issue`),
levers (`ibis:Position`), findings (`ibis:Argument`), the concepts of the schemes, and the quoted
passages (`oa:SpecificResource`) each resource rests on. They are read here once, in a stable
order, so that every format lists them alike and two runs give the same bytes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import IdentifiedNode, Node

from mixity.graph.model.labels import label
from mixity.namespaces import MIX, PREFIXES

IBIS = PREFIXES["ibis"]
OA = PREFIXES["oa"]
SCHEMA = PREFIXES["schema"]
SPDX = "http://spdx.org/rdf/terms#"
SHA256 = SPDX + "checksumAlgorithm_sha256"

QUESTION_TYPES = (URIRef(MIX + "Question"), URIRef(IBIS + "Issue"))
LEVER_TYPES = (URIRef(MIX + "Lever"), URIRef(IBIS + "Position"))
FINDING_TYPES = (URIRef(MIX + "Finding"), URIRef(IBIS + "Argument"))
CONCEPT_TYPES = (
    SKOS.Concept,
    URIRef(MIX + "Notion"),
    URIRef(MIX + "ActorType"),
    URIRef(MIX + "PolicyArea"),
)
EVIDENCE = URIRef(MIX + "evidence")
RESPONDS_TO = URIRef(IBIS + "responds-to")

#: The namespace of the GUIDs and ids the exports derive from IRIs (stable across runs).
_GUIDS = uuid.UUID("5b0c6f0e-3c1e-5d59-9a4e-6d6978697479")


def guid(key: str) -> str:
    """A lowercase GUID derived from `key` (an IRI): the same key gives the same GUID."""
    return str(uuid.uuid5(_GUIDS, key))


def text_value(graph: Graph, node: Node, properties: Iterable[URIRef], lang: str) -> str | None:
    """The first of `properties` that has a literal value, in `lang`, else the other language,
    else untagged."""
    for prop in properties:
        found: dict[str, str] = {}
        for value in graph.objects(node, prop):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", str(value))
        for wanted in (lang, "fr" if lang == "en" else "en", ""):
            if wanted in found:
                return found[wanted]
        if found:
            return sorted(found.items())[0][1]
    return None


def slug(text: str, limit: int = 6) -> str:
    """A lowercase, hyphenated, accent-free slug of the first `limit` words of `text`."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain)[:limit]) or "x"


@dataclass
class Slugs:
    """Unique slugs: a second « atelier » becomes `atelier-2`."""

    taken: set[str] = field(default_factory=set)
    #: the last number given to each slug (a thousand « atelier » cost no more than one)
    numbers: dict[str, int] = field(default_factory=dict)

    def __call__(self, text: str, limit: int = 6) -> str:
        base = name = slug(text, limit)
        n = self.numbers.get(base, 1)
        while name in self.taken:
            n += 1
            name = f"{base}-{n}"
        self.numbers[base] = n
        self.taken.add(name)
        return name


@dataclass(frozen=True)
class Quote:
    """A quoted passage: the evidence node, its source, selector and what it is evidence for."""

    node: IdentifiedNode
    key: str
    source: URIRef | None
    exact: str
    prefix: str | None
    suffix: str | None
    position: tuple[int, int] | None
    about: tuple[URIRef, ...]


def quotes(graph: Graph) -> list[Quote]:
    """Every evidence node with a quote (`oa:exact`), in a stable order."""
    oa = URIRef(OA + "hasSelector")
    found: list[Quote] = []
    for node in set(graph.subjects(oa, None)):
        if not isinstance(node, IdentifiedNode):
            continue
        exact = prefix = suffix = None
        position: tuple[int, int] | None = None
        for selector in graph.objects(node, oa):
            value = graph.value(selector, URIRef(OA + "exact"))
            if isinstance(value, Literal) and exact is None:
                exact = str(value)
                prefix = _str(graph.value(selector, URIRef(OA + "prefix")))
                suffix = _str(graph.value(selector, URIRef(OA + "suffix")))
            start = graph.value(selector, URIRef(OA + "start"))
            end = graph.value(selector, URIRef(OA + "end"))
            if start is not None and end is not None:
                try:
                    position = (int(str(start)), int(str(end)))
                except ValueError:
                    position = None
        if exact is None:
            continue
        source = graph.value(node, URIRef(OA + "hasSource"))
        about = tuple(sorted(s for s in graph.subjects(EVIDENCE, node) if isinstance(s, URIRef)))
        if isinstance(node, URIRef):
            key = str(node)
        else:  # a blank evidence node is named by what it quotes, the same across runs
            said = "\x00".join((str(source), exact, prefix or "", suffix or ""))
            key = "_:" + hashlib.sha256(said.encode()).hexdigest()[:16]
        found.append(
            Quote(
                node,
                key,
                source if isinstance(source, URIRef) else None,
                exact,
                prefix,
                suffix,
                position,
                about,
            )
        )
    found.sort(key=lambda q: q.key)
    return found


def _str(value: Node | None) -> str | None:
    return str(value) if isinstance(value, Literal) else None


def instances(graph: Graph, types: Iterable[URIRef]) -> list[URIRef]:
    """The IRIs typed with any of `types`, sorted."""
    found: set[URIRef] = set()
    for kind in types:
        found.update(s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef))
    return sorted(found)


def checksums(graph: Graph, document: Node) -> list[str]:
    """The SHA-256 values a source document records (`spdx:checksum`), lowercase."""
    found = []
    for checksum in graph.objects(document, URIRef(SPDX + "checksum")):
        if graph.value(checksum, URIRef(SPDX + "algorithm")) == URIRef(SHA256):
            value = graph.value(checksum, URIRef(SPDX + "checksumValue"))
            if value is not None:
                found.append(str(value).strip().lower())
    return found


def source_documents(graph: Graph) -> list[URIRef]:
    """Every `mix:SourceDocument`, sorted."""
    return instances(graph, [URIRef(MIX + "SourceDocument")])


def name(graph: Graph, node: Node, lang: str) -> str:
    """What a format shows for a resource: its label in `lang` (see `labels.label`)."""
    return label(graph, node, lang)


def description(graph: Graph, node: Node, lang: str) -> str | None:
    """A code's description: its definition, else its scope note, else its description."""
    return text_value(
        graph, node, (SKOS.definition, SKOS.scopeNote, DCTERMS.description, RDFS.comment), lang
    )
