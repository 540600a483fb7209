"""Terms that no vocabulary declares, and namespaces one slip away from a known one.

A misspelt class (`mix:WorkShop`) or property (`mix:concern`) is legal RDF: no parser and no
shape notices it, and the resource it describes silently drops out of every query. So
`mixity validate` checks every IRI of a known namespace against the terms that namespace
declares: the mixity ontology (an error: the project owns the namespace), and, as warnings, the
vocabularies it reuses: the pinned copies under tests/vocab/ (`known_terms`, generated) and the
complete term lists rdflib ships for RDF, RDFS, OWL, XSD, SKOS, schema.org, PROV-O, Dublin Core
terms, DCMI types and VANN. An IRI whose namespace is one edit away from a known one
(`https://w3id.org/mixity/ontology/`, `http://schema.org/`) is a warning too.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import (
    DCMITYPE,
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    VANN,
    XSD,
    DefinedNamespaceMeta,
)

from mixity.graph.io.loader import LoadedGraph
from mixity.graph.model.findings import Finding
from mixity.graph.model.known_terms import TERMS, VOCABULARIES
from mixity.graph.model.labels import compact
from mixity.graph.model.locate import Locator
from mixity.namespaces import MIX, PREFIXES, closest_namespaces

SPDX = "http://spdx.org/rdf/terms#"
#: The vocabularies rdflib defines term by term, with the names messages give them.
_RDFLIB: tuple[tuple[DefinedNamespaceMeta, str], ...] = (
    (RDF, "RDF"),
    (RDFS, "RDF Schema"),
    (OWL, "OWL 2"),
    (XSD, "XML Schema datatypes"),
    (SKOS, "SKOS"),
    (SDO, "schema.org"),
    (PROV, "PROV-O"),
    (DCTERMS, "DCMI Metadata Terms"),
    (DCMITYPE, "DCMI Type Vocabulary"),
    (VANN, "VANN"),
)
#: How an IRI is used, most telling first.
_KINDS = ("property", "class", "datatype", "resource")
#: The objects of these properties are terms (classes or properties), like rdf:type's.
_TERM_OBJECTS = frozenset(
    (
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.annotatedProperty,
        DCTERMS.type,  # its range is rdfs:Class (DCMI): dcmitype:Text…
    )
)


@cache
def _vocabularies() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """namespace -> declared local names, and namespace -> the vocabulary's name."""
    terms: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    for namespace, names_in in TERMS.items():
        terms[namespace] |= names_in
        names[namespace] = VOCABULARIES[namespace][0]
    for defined, title in _RDFLIB:
        namespace = str(defined)
        terms[namespace] |= {str(t)[len(namespace) :] for t in dir(defined)}
        terms[namespace] |= set(getattr(defined, "_extras", ()))
        if namespace not in names or "extract" in names[namespace]:
            names[namespace] = title
    return {ns: frozenset(found) for ns, found in terms.items()}, names


def known_terms(graph: Graph) -> dict[str, set[str]]:
    """namespace -> the names it declares: the shipped lists plus what `graph` declares (an
    extension may declare a term of its own in one of these namespaces)."""
    shipped, _ = _vocabularies()
    known = {ns: set(found) for ns, found in shipped.items()}
    for subject in set(graph.subjects(RDF.type, None)):
        if isinstance(subject, URIRef) and (namespace := _namespace_of(str(subject), known)):
            known[namespace].add(str(subject)[len(namespace) :])
    return known


def _namespace_of(iri: str, known: dict[str, set[str]]) -> str | None:
    """The known namespace `iri` is a term of, or None."""
    for namespace in known:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            return namespace if local and not re.search(r"[/#]", local) else None
    return None


def terms_used(graph: Graph) -> dict[str, str]:
    """Every IRI of `graph` with how it is used: property, class, datatype or resource."""
    used: dict[str, str] = {}

    def note(iri: str, kind: str) -> None:
        if iri not in used or _KINDS.index(kind) < _KINDS.index(used[iri]):
            used[iri] = kind

    for s, p, o in graph:
        note(str(p), "property")
        if isinstance(s, URIRef):
            note(str(s), "resource")
        if isinstance(o, URIRef):
            note(str(o), "class" if p == RDF.type or p in _TERM_OBJECTS else "resource")
        elif isinstance(o, Literal) and o.datatype is not None:
            note(str(o.datatype), "datatype")
    return used


def check_terms(loaded: LoadedGraph, *, locator: Locator | None = None) -> list[Finding]:
    """A finding for each term of a known namespace that it does not declare (an error in the
    mixity namespace, a warning elsewhere), and for each namespace one edit from a known one."""
    graph = loaded.graph
    where = locator or Locator(loaded)
    known = known_terms(graph)
    used = terms_used(graph)
    findings: list[Finding] = []
    for iri, kind in sorted(used.items()):
        namespace = _namespace_of(iri, known)
        if namespace is None:
            continue
        local = iri[len(namespace) :]
        if local in known[namespace] or (namespace == str(RDF) and re.fullmatch(r"_\d+", local)):
            continue
        message = _undeclared_message(iri, namespace, local, kind, known)
        severity = "Violation" if namespace == MIX else "Warning"
        places: list[tuple[str | None, int | None]] = [*where.uses(iri)] or [(None, None)]
        for origin, line in places:
            findings.append(
                Finding(
                    focus=compact(iri),
                    label=local,
                    message=message,
                    severity=severity,
                    shape="undeclared term",
                    value=compact(iri),
                    origin=origin,
                    line=line,
                )
            )
    findings += near_miss_namespaces(loaded, used, known, where)
    return findings


def _undeclared_message(
    iri: str, namespace: str, local: str, kind: str, known: dict[str, set[str]]
) -> str:
    _, titles = _vocabularies()
    term = compact(iri)
    vocabulary = titles.get(namespace, namespace)
    closest = [compact(c) for c in closest_terms(namespace, local, known)]
    hint = (
        f"did you mean {' or '.join(closest)}?" if closest else "no declared term is close to it."
    )
    if namespace == MIX:
        return (
            f"{term} (used as a {kind}) is not a term of {vocabulary}: {hint} Terms of your "
            "own belong in your own namespace, declared with a type (owl:Class, "
            "owl:ObjectProperty…); mixity/ontology/mixity.ttl lists the mixity terms."
        )
    message = f"{term} (used as a {kind}) is not a term of {vocabulary}: {hint}"
    if "extract" in vocabulary:
        source = VOCABULARIES[namespace][1]
        message += (
            f" ({source} holds only the terms mixity uses: a published term missing from it "
            "is no error, and may be added there.)"
        )
    return message


def closest_terms(namespace: str, local: str, known: dict[str, set[str]]) -> list[str]:
    """The declared IRIs closest to `namespace + local`: the same name in another case, close
    spellings in its namespace, the same name in another known namespace (`mix:Event` →
    `schema:Event`)."""
    names = known.get(namespace, set())
    folded = local.casefold()
    found = [n for n in sorted(names) if n.casefold() == folded]
    found += difflib.get_close_matches(local, sorted(names), n=3, cutoff=0.75)
    found = [namespace + n for n in dict.fromkeys(found)][:3]
    found += sorted(
        other + n
        for other, others in known.items()
        if other != namespace
        for n in others
        if n.casefold() == folded
    )[:2]
    return found


def near_miss_namespaces(
    loaded: LoadedGraph, used: dict[str, str], known: dict[str, set[str]], where: Locator
) -> list[Finding]:
    """A warning for each namespace of terms (properties, classes, datatypes) that is one
    edit away from a known namespace: `…/ontology/` for `…/ontology#`, `http://schema.org/`."""
    reference = {*PREFIXES.values(), *known, SPDX}
    by_namespace: dict[str, list[str]] = defaultdict(list)
    for iri, kind in sorted(used.items()):
        if kind != "resource" and (cut := max(iri.rfind("#"), iri.rfind("/"))) > 0:
            by_namespace[iri[: cut + 1]].append(iri)
    prefixes = {ns: p for p, ns in PREFIXES.items()}
    findings = []
    for namespace, iris in sorted(by_namespace.items()):
        if namespace in reference or not (found := closest_namespaces(namespace, reference)):
            continue
        near = found[0]
        prefix = prefixes.get(near)
        named = f"{prefix}: <{near}>" if prefix else f"<{near}>"
        count = "1 term uses it" if len(iris) == 1 else f"{len(iris)} terms use it"
        message = (
            f"the namespace <{namespace}> is one slip away from {named}, which mixity "
            f"knows ({count}, e.g. <{iris[0]}>): a typo? Its terms match nothing in the "
            "queries and shapes."
        )
        places: list[tuple[str | None, int | None]] = [*where.uses(iris[0])] or [(None, None)]
        for origin, line in places:
            declared = where.prefix_line(origin, namespace) if origin else None
            findings.append(
                Finding(
                    focus=f"<{namespace}>",
                    label="namespace",
                    message=message,
                    severity="Warning",
                    shape="namespace",
                    value=f"<{namespace}>",
                    origin=origin,
                    line=declared or line,
                )
            )
    return findings
