"""The Turtle of an import: source documents with checksums, quotes that validate, labels.

What every import writes the same way: a `mix:SourceDocument` for each text written beside the
Turtle (with the SHA-256 of its bytes), evidence nodes that quote it (`oa:exact`, the prefix
and suffix that make the quote unique, and its position), labels in both languages (the one
the file does not give repeats the name, with an editorial note saying so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from mixity.graph.exchange.debate import OA, SHA256, SPDX, Slugs
from mixity.namespaces import ID, MIX, PREFIXES

if TYPE_CHECKING:
    from mixity.graph.model.quotes import SourceText


def texts_folder(output: Path) -> Path:
    """Where the texts of an import written to `output` go: `NAME-sources/` beside it."""
    return output.with_name(output.stem + "-sources")


class Triples:
    """The triples an import makes, kept as Oxigraph's terms for the one Turtle writer (an
    rdflib graph would cost most of an import's time, for no query)."""

    def __init__(self) -> None:
        self._triples: dict[ox.Triple, None] = {}
        self._terms: dict[Node, Any] = {}

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        """Add a triple of rdflib terms (once)."""
        from mixity.graph.io.terms import from_rdflib

        terms = self._terms
        converted: list[Any] = []
        for term in triple:
            found = terms.get(term)
            if found is None:
                found = terms[term] = from_rdflib(term)
            converted.append(found)
        self._triples[ox.Triple(converted[0], converted[1], converted[2])] = None

    @property
    def triples(self) -> list[ox.Triple]:
        """The triples, in the order they were first added."""
        return list(self._triples)


@dataclass
class Imported:
    """The Turtle of an import, the texts to write beside it, and what was left out."""

    turtle: bytes
    #: file name -> bytes, to write in the folder beside the Turtle
    texts: dict[str, bytes]
    resources: int = 0
    quotes: int = 0
    warnings: list[str] = field(default_factory=list)


class TurtleBuilder:
    """An rdflib graph that an import fills, then writes as Turtle."""

    def __init__(self, lang: str, origin: str, base: str = ID) -> None:
        """
        Args:
            lang: the language of the file's names and texts.
            origin: what the data was imported from, for the editorial notes
                ("un projet REFI-QDA" / "a REFI-QDA project").
        """
        self.graph = Triples()
        self.lang = lang
        self.other = "en" if lang == "fr" else "fr"
        self.base = base
        self.origin = origin
        self.evidence_slugs: dict[URIRef, Slugs] = {}
        self.prefixes = {**{p: ns for p, ns in PREFIXES.items() if p != "id"}, "spdx": SPDX}

    def labels(self, node: URIRef, text: str, prop: URIRef = RDFS.label) -> None:
        """`text` as the label of `node` in both languages (see `untranslated`)."""
        self.graph.add((node, prop, Literal(text, lang=self.lang)))
        self.graph.add((node, prop, Literal(text, lang=self.other)))

    def untranslated(self, node: URIRef, origin: tuple[str, str]) -> None:
        """The editorial note of a resource whose name is given in one language only."""
        fr, en = origin
        self.graph.add(
            (
                node,
                SKOS.editorialNote,
                Literal(
                    f"Éditorial : importé {fr} ; le libellé de l'autre langue reprend le nom "
                    "qui y est donné, non traduit.",
                    lang="fr",
                ),
            )
        )
        self.graph.add(
            (
                node,
                SKOS.editorialNote,
                Literal(
                    f"Editorial: imported from {en}; the label in the other language repeats "
                    "the name given there, untranslated.",
                    lang="en",
                ),
            )
        )

    def editorial(self, statement: tuple[URIRef, URIRef, URIRef], why: tuple[str, str]) -> None:
        """Mark a statement editorial on the statement itself (an owl:Axiom with a
        skos:editorialNote in French and English), as MODEL.md asks of a link no quote states."""
        g = self.graph
        axiom = BNode()
        s, p, o = statement
        g.add((axiom, RDF.type, OWL.Axiom))
        g.add((axiom, OWL.annotatedSource, s))
        g.add((axiom, OWL.annotatedProperty, p))
        g.add((axiom, OWL.annotatedTarget, o))
        g.add((axiom, SKOS.editorialNote, Literal(f"Éditorial : {why[0]}", lang="fr")))
        g.add((axiom, SKOS.editorialNote, Literal(f"Editorial: {why[1]}", lang="en")))

    def document(
        self, node: URIRef, title: str, stem: str, checksum: str, origin: tuple[str, str]
    ) -> URIRef:
        """A source document whose text is the file `stem`.txt, of SHA-256 `checksum`."""
        g = self.graph
        g.add((node, RDF.type, URIRef(MIX + "SourceDocument")))
        self.labels(node, title)
        self.untranslated(node, origin)
        g.add((node, DCTERMS.title, Literal(title)))
        g.add((node, DCTERMS.identifier, Literal(stem)))
        checksum_node = BNode()
        g.add((node, URIRef(SPDX + "checksum"), checksum_node))
        g.add((checksum_node, RDF.type, URIRef(SPDX + "Checksum")))
        g.add((checksum_node, URIRef(SPDX + "algorithm"), URIRef(SHA256)))
        g.add((checksum_node, URIRef(SPDX + "checksumValue"), Literal(checksum)))
        return node

    def quote(self, document: URIRef, text: SourceText, start: int, end: int) -> URIRef:
        """An evidence node quoting text[start:end], with what makes the quote unique."""
        g = self.graph
        exact = text.text[start:end]
        slugs = self.evidence_slugs.setdefault(document, Slugs())
        node = URIRef(f"{document}/evidence/{slugs(exact)}")
        prefix, suffix = context(text, start, end)
        g.add((node, RDF.type, URIRef(OA + "SpecificResource")))
        g.add((node, URIRef(OA + "hasSource"), document))
        selector = BNode()
        g.add((node, URIRef(OA + "hasSelector"), selector))
        g.add((selector, RDF.type, URIRef(OA + "TextQuoteSelector")))
        g.add((selector, URIRef(OA + "exact"), Literal(exact)))
        if prefix:
            g.add((selector, URIRef(OA + "prefix"), Literal(prefix)))
        if suffix:
            g.add((selector, URIRef(OA + "suffix"), Literal(suffix)))
        position = BNode()
        g.add((node, URIRef(OA + "hasSelector"), position))
        g.add((position, RDF.type, URIRef(OA + "TextPositionSelector")))
        g.add((position, URIRef(OA + "start"), Literal(start, datatype=XSD.integer)))
        g.add((position, URIRef(OA + "end"), Literal(end, datatype=XSD.integer)))
        return node

    def turtle(self) -> bytes:
        """The graph as Turtle, through mixity's one Turtle writer."""
        from mixity.graph.io.rdf import serialize

        return serialize(self.graph.triples, "turtle", self.prefixes)


def context(text: SourceText, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix `mixity quote` gives text[start:end]: whole words, the shortest
    (8 to 64 characters) that make the quote unique in its text."""
    from mixity.graph.model.quotes import cite, find

    matches, _ = find(text, text.text[start:end])
    places = [(m.start, m.end) for m in matches]
    if (start, end) in places:
        citation = cite(text, text.text[start:end], places.index((start, end)) + 1)
        if (citation.start, citation.end) == (start, end):
            return citation.prefix, citation.suffix
    # white space at the span's edge that the comparison folds: the position tells it apart
    return text.text[max(0, start - 32) : start], text.text[end : end + 32]


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without the white space at its edges (a quote starts on a word), or None."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
