"""Reference sections of the documentation, generated from the graph and the shapes so that they
cannot drift: the vocabulary (every namespace the bundled graph uses, every class and property
of its data, with a one-line meaning) and the rules of the shapes (`shape_rules`).

Each returns Markdown; the documentation's build puts them on its reference pages
(docs/_ext/mixity_reference.py).
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import IdentifiedNode

from mixity.graph.io.loader import LoadedGraph, load
from mixity.graph.model.shape_rules import shape_rules_markdown
from mixity.graph.model.undeclared import terms_used
from mixity.namespaces import ID, MIX, PREFIXES

__all__ = ["UNDOCUMENTED", "sections", "shape_rules_markdown", "vocabulary_markdown"]

#: What a row says when this module has no meaning for a term (the tests refuse it).
UNDOCUMENTED = "(undocumented: add it to mixity/graph/model/reference.py)"

_SPDX = "http://spdx.org/rdf/terms#"
_DCMITYPE = "http://purl.org/dc/dcmitype/"

#: namespace -> what mixity uses it for
NAMESPACES: dict[str, str] = {
    MIX: "the project's own classes and properties (the ontology, `mixity/ontology/mixity.ttl`)",
    ID: "the resources of the debate: questions, levers, events, people, notions, quotes…",
    PREFIXES["rdf"]: "`rdf:type` (`a` in Turtle)",
    PREFIXES["rdfs"]: "labels, comments, and the class and property hierarchy of the ontology",
    PREFIXES["owl"]: "the ontology's declarations; `owl:Axiom` for statement-level provenance",
    PREFIXES["xsd"]: "datatypes of literals (dates, integers)",
    PREFIXES["skos"]: "concept schemes (notions, actor types, policy areas) and editorial notes",
    PREFIXES["schema"]: "events, people, organisations, places, web pages (always https)",
    PREFIXES["ibis"]: "argumentation: questions are issues, levers positions, findings arguments",
    PREFIXES["prov"]: "provenance: a source document is a `prov:Entity`",
    PREFIXES["oa"]: "quoted evidence: `oa:SpecificResource` + `oa:TextQuoteSelector`",
    PREFIXES["dcterms"]: "titles, descriptions, dates and identifiers; the ontology's metadata",
    PREFIXES["vann"]: "the ontology's preferred prefix and namespace",
    _DCMITYPE: "the kinds of material a meeting produced (text, sound, image…)",
    _SPDX: "the SHA-256 checksum of each source text, against which quotes are checked",
}
_PREFIXES = {**PREFIXES, "dcmitype": _DCMITYPE, "spdx": _SPDX}

#: A reused term -> its meaning in mixity's data (mixity's own terms use the ontology's comment).
MEANINGS: dict[str, str] = {
    "rdf:type": "the class of a resource (`a` in Turtle)",
    "rdfs:label": "the name shown for a resource, in French (`@fr`) and English (`@en`)",
    "owl:Axiom": "a statement of the data, annotated with its quote or editorial note",
    "owl:annotatedSource": "the subject of the statement an `owl:Axiom` annotates",
    "owl:annotatedProperty": "the property of the statement an `owl:Axiom` annotates",
    "owl:annotatedTarget": "the object of the statement an `owl:Axiom` annotates",
    "skos:Concept": "a notion, an actor type or a policy area",
    "skos:ConceptScheme": "a scheme of concepts: notions, actor types, policy areas",
    "skos:prefLabel": "a concept's preferred name, one per language",
    "skos:altLabel": "another name of a concept or resource (a variant, an abbreviation)",
    "skos:definition": "a concept's definition, in a source's words",
    "skos:editorialNote": "a choice no source states (a translation, a grouping, a link), and why",
    "skos:note": "a note about a resource (what a source document is)",
    "skos:inScheme": "the scheme a concept belongs to",
    "skos:hasTopConcept": "a top concept of a scheme",
    "skos:topConceptOf": "the scheme a concept is a top concept of",
    "skos:broader": "a broader concept: the group a source puts an actor type or notion in",
    "skos:narrower": "a narrower concept (the inverse of `skos:broader`)",
    "skos:related": "an associated concept",
    "schema:EventSeries": "a series of meetings (the Rencontres de la GUSP 2019)",
    "schema:Organization": "an organisation",
    "schema:Person": "a person (a speaker, an author)",
    "schema:Place": "a place (a town, a territory)",
    "schema:WebPage": "a source document published as a web page",
    "schema:name": "the name of an event, person, organisation, place or work",
    "schema:alternateName": "another name of an organisation (its acronym, its full name)",
    "schema:alternativeHeadline": "the subtitle of an event or a document",
    "schema:startDate": "the day an event starts (`xsd:date`)",
    "schema:location": "the place where an event is held",
    "schema:organizer": "the organisation or person that organises an event",
    "schema:performer": "the speaker of a talk",
    "schema:superEvent": "the larger event an event is part of (workshop → meeting → series)",
    "schema:subEvent": "an event that is part of this one (the inverse of `schema:superEvent`)",
    "schema:position": "the number of a workshop within its meeting (1, 2…)",
    "schema:about": "what an event, a document or a resource is about",
    "schema:inLanguage": "the language of an event or a document (`fr`)",
    "schema:url": "the web address of a page, an organisation or a resource",
    "schema:identifier": "an identifier of a document (the path of a page whose host is unknown)",
    "schema:publisher": "who publishes a document or a resource",
    "schema:author": "who made a resource",
    "schema:datePublished": "the day a resource was published",
    "schema:hasPart": "a part of a collection of material",
    "schema:areaServed": "the territory an organisation serves",
    "schema:knowsAbout": "a topic an organisation works on",
    "dcterms:title": "the title of a source document",
    "dcterms:description": "a longer text: a lever's whole sentence, a meeting's theme",
    "dcterms:identifier": "the name of a source's text file in the corpus (without `.txt`)",
    "dcterms:date": "a date of a source document (here read from its web address)",
    "dcterms:type": "the kind of a resource the meeting produced (a DCMI type)",
    "ibis:responds-to": "a question a lever answers (an editorial link, marked on the statement)",
    "ibis:generalizes": "a more specific position a lever generalizes",
    "oa:SpecificResource": "a quote: the passage of a source a fact rests on",
    "oa:TextQuoteSelector": "the quoted text (`oa:exact`), with `oa:prefix`/`oa:suffix` if needed",
    "oa:hasSource": "the source document a quote is taken from",
    "oa:hasSelector": "what picks the quote out of its source",
    "oa:exact": "the quote, verbatim",
    "oa:prefix": "the text just before the quote, where the quote alone is not unique",
    "oa:suffix": "the text just after the quote, where the quote alone is not unique",
    "spdx:Checksum": "a checksum of a source's text",
    "spdx:checksum": "the checksum of a source's text, against which its quotes are checked",
    "spdx:algorithm": "the checksum's algorithm (`spdx:checksumAlgorithm_sha256`)",
    "spdx:checksumValue": "the checksum, in lowercase hexadecimal",
}


def short(iri: str) -> str:
    """`prefix:name` with mixity's prefixes (and `spdx:`, `dcmitype:`), else `<IRI>`."""
    for prefix, namespace in _PREFIXES.items():
        if iri.startswith(namespace) and re.fullmatch(r"[\w.-]+", iri[len(namespace) :]):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def meaning(graph: Graph, iri: str) -> str:
    """A term's one-line meaning: the first sentence of the ontology's English comment for a
    mixity term, this module's line for a reused one, else `UNDOCUMENTED`."""
    if iri.startswith(MIX):
        comments = [
            str(c)
            for c in graph.objects(URIRef(iri), RDFS.comment)
            if isinstance(c, Literal) and c.language == "en"
        ]
        if comments:
            return _first_sentence(comments[0])
    return MEANINGS.get(short(iri), UNDOCUMENTED)


def _first_sentence(text: str) -> str:
    """The first sentence, lowercased like the other meanings ("A lever…" → "a lever…")."""
    flat = " ".join(text.split())
    # a full stop ends the sentence, not the one of "e.g." or "i.e."
    match = re.search(r"(?<!\be\.g)(?<!\bi\.e)\.(\s|$)", flat)
    sentence = flat[: match.start()] if match else flat.rstrip(".")
    first = sentence.split(" ", 1)[0]
    if first == "A" or first[1:].islower():  # not an acronym or a name like PageRank
        sentence = sentence[:1].lower() + sentence[1:]
    return sentence


def _data_triples(loaded: LoadedGraph) -> Graph:
    """The triples of the data: those whose subject the ontology files do not describe."""
    data = Graph()
    for s, p, o in loaded.graph:
        origin = loaded.origin(s) if isinstance(s, IdentifiedNode) else None
        if origin is not None and not origin.startswith("mixity/ontology/"):
            data.add((s, p, o))
    return data


def vocabulary_markdown(loaded: LoadedGraph | None = None) -> str:
    """Three Markdown tables: every namespace of the terms the graph (bundled by default) uses,
    and every class and property its data uses, each with what it means in mixity."""
    loaded = loaded if loaded is not None else load()
    graph = loaded.graph
    used = terms_used(graph)
    namespaces = {
        iri[: cut + 1]
        for iri, kind in used.items()
        if kind != "resource" and (cut := max(iri.rfind("#"), iri.rfind("/"))) > 0
    }
    namespaces |= {ID} if any(str(s).startswith(ID) for s in graph.subjects()) else set()
    prefix_of = {ns: p for p, ns in _PREFIXES.items()}
    lines = ["| prefix | namespace | used for |", "| --- | --- | --- |"]
    for namespace in sorted(namespaces, key=lambda ns: (prefix_of.get(ns, "~"), ns)):
        prefix = f"`{prefix_of[namespace]}:`" if namespace in prefix_of else "—"
        lines.append(f"| {prefix} | `{namespace}` | {NAMESPACES.get(namespace, UNDOCUMENTED)} |")
    data = _data_triples(loaded)
    classes = {str(o) for o in data.objects(None, RDF.type) if isinstance(o, URIRef)}
    properties = {str(p) for p in data.predicates()}
    for title, terms in (("class", classes), ("property", properties)):
        lines += ["", f"| {title} | meaning |", "| --- | --- |"]
        lines += [f"| `{short(t)}` | {meaning(graph, t)} |" for t in sorted(terms, key=short)]
    return "\n".join(lines) + "\n"


def sections() -> dict[str, str]:
    """Every generated reference section by name (the marker names of docs/_ext)."""
    return {"vocabulary": vocabulary_markdown(), "shape-rules": shape_rules_markdown()}
