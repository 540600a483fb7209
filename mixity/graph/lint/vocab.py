"""The vocabularies lint knows: namespaces with a complete list of terms, and the pinned copies
of the published vocabularies mixity reuses (shipped in `mixity/ontology/pinned/`)."""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from rdflib import Graph, URIRef
from rdflib.namespace import (
    DC,
    DCAT,
    DCMITYPE,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    TIME,
    VANN,
    VOID,
    XSD,
    DefinedNamespace,
)

from mixity.namespaces import ID, MIX

#: Everything under this IRI is mixity's: its ontology's terms and its data's resources.
MIXITY = "https://w3id.org/mixity/"

#: The published vocabularies whose complete term lists rdflib ships, by namespace.
PUBLISHED: dict[str, type[DefinedNamespace]] = {
    str(ns._NS): ns
    for ns in (
        RDF,
        RDFS,
        OWL,
        XSD,
        SKOS,
        SDO,
        PROV,
        DCTERMS,
        DC,
        DCMITYPE,
        VANN,
        FOAF,
        DCAT,
        ORG,
        TIME,
        VOID,
    )
}
#: How messages name the pinned vocabularies, by namespace.
PINNED_NAMES: dict[str, str] = {
    "https://vocab.methodandstructure.com/ibis#": "IBIS 0.6",
    "http://www.w3.org/ns/prov#": "PROV-O",
    "http://www.w3.org/2004/02/skos/core#": "SKOS",
    "http://www.w3.org/ns/oa#": "Web Annotation",
    "https://schema.org/": "schema.org",
}
#: The namespaces of the RDF, RDFS, OWL and XSD languages themselves.
LANGUAGE = (str(RDF), str(RDFS), str(OWL), str(XSD))

_MEMBERSHIP = re.compile(r"_[1-9][0-9]*")


def namespace_of(iri: str) -> str:
    """The namespace of an IRI: everything up to the last `#`, or else the last `/`."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut >= 0 else iri


def local_name(iri: str) -> str:
    """The part of an IRI after its namespace."""
    return iri[len(namespace_of(iri)) :]


def published(iri: str) -> tuple[str, bool] | None:
    """(namespace, whether the vocabulary defines `iri`) when rdflib lists the namespace's
    terms, else None (nothing is known about it)."""
    for namespace, terms in PUBLISHED.items():
        if iri.startswith(namespace):
            name = iri[len(namespace) :]
            defined = name in terms or (namespace == str(RDF) and bool(_MEMBERSHIP.fullmatch(name)))
            return namespace, defined
    return None


def is_mixity(iri: str) -> bool:
    """Whether an IRI is in mixity's namespaces (its ontology's or its data's)."""
    return iri.startswith(MIXITY) or iri.startswith(MIX) or iri.startswith(ID)


@cache
def pinned() -> Graph:
    """The pinned copies of the published vocabularies, as one graph (read once)."""
    from mixity.graph.io.loader import parse_text

    graph = Graph()
    folder = files("mixity").joinpath("ontology", "pinned")
    for entry in sorted(folder.iterdir(), key=lambda t: t.name):
        if entry.name.endswith(".ttl"):
            name = f"mixity/ontology/pinned/{entry.name}"
            graph += parse_text(entry.read_text(encoding="utf-8"), "turtle", name, "file:///")
    return graph


def pinned_name(term: URIRef) -> str | None:
    """The pinned vocabulary a term belongs to ("IBIS 0.6"…), or None."""
    for namespace, name in PINNED_NAMES.items():
        if str(term).startswith(namespace):
            return name
    return None
