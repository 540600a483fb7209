"""The namespaces of the mixity vocabulary, as plain strings (no rdflib import here)."""

from __future__ import annotations

MIX = "https://w3id.org/mixity/ontology#"
ID = "https://w3id.org/mixity/id/"
ONTOLOGY_IRI = "https://w3id.org/mixity/ontology"

#: Every prefix of the public vocabulary (docs/reference/vocabulary.md) plus the usual RDF ones;
#: predeclared in queries and output.
PREFIXES: dict[str, str] = {
    "mix": MIX,
    "id": ID,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "ibis": "https://vocab.methodandstructure.com/ibis#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "vann": "http://purl.org/vocab/vann/",
}
