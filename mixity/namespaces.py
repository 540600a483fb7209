"""The namespaces of the mixity vocabulary, as plain strings (no rdflib import here)."""

from __future__ import annotations

import re
from collections.abc import Iterable

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


def closest_namespaces(namespace: str, known: Iterable[str]) -> list[str]:
    """The namespaces of `known` one slip away from `namespace` (a typo of one or two characters,
    `http` for `https`, another or no trailing `#` or `/`), the closest first; [] if none is.

    The one rule for a mistyped namespace, in queries (`mixity query`'s warnings) and in data
    (`mixity validate`)."""
    loose = _loose(namespace)
    ranked: list[tuple[int, str]] = []
    for candidate in known:
        if _loose(candidate) == loose:
            ranked.append((0, candidate))
        elif (edits := _edits(namespace, candidate)) <= 2:
            ranked.append((edits, candidate))
    best = min((rank for rank, _ in ranked), default=None)
    return sorted(iri for rank, iri in ranked if rank == best)[:3]


def _loose(namespace: str) -> str:
    """A namespace without http(s) and trailing `#` or `/`."""
    return re.sub(r"^https?:", "", namespace).rstrip("#/")


def _edits(a: str, b: str, most: int = 2) -> int:
    """The edit distance (Levenshtein) of `a` and `b`, or `most + 1` if more than `most`."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    # Namespaces share long heads (http://www.w3.org/…) and tails: compare what differs.
    while a and b and a[0] == b[0]:
        a, b = a[1:], b[1:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            )
        if min(current) > most:
            return most + 1
        previous = current
    return min(previous[-1], most + 1)
