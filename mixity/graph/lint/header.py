"""The ontology header (FOOPS! OM1, OM2, VER1, PURL1; ROBOT missing_ontology_*)."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DC, DCTERMS, OWL, RDF, SDO, VANN
from rdflib.term import Node

from mixity.graph.lint.context import Context
from mixity.graph.lint.findings import Level
from mixity.namespaces import ONTOLOGY_IRI

CC = Namespace("http://creativecommons.org/ns#")

#: Hosts of persistent identifiers (the ones FOOPS! PURL1 recognises).
PERSISTENT = (
    "https://w3id.org/",
    "http://w3id.org/",
    "https://purl.org/",
    "http://purl.org/",
    "https://purl.archive.org/",
    "https://doi.org/",
    "http://www.w3.org/",
    "https://www.w3.org/",
    "https://perma.cc/",
    "http://linked.data.gov.au/",
    "https://data.europa.eu/",
)

#: (check, level, what is missing, the properties that say it, how to add it).
REQUIRED: list[tuple[str, Level, str, tuple[URIRef, ...], str]] = [
    (
        "robot:missing_ontology_title",
        "error",
        "no title",
        (DCTERMS.title, DC.title),
        'add dcterms:title "…"@fr , "…"@en to the owl:Ontology',
    ),
    (
        "robot:missing_ontology_description",
        "error",
        "no description",
        (DCTERMS.description, DC.description),
        'add dcterms:description "…"@fr , "…"@en to the owl:Ontology',
    ),
    (
        "robot:missing_ontology_license",
        "error",
        "no licence",
        (DCTERMS.license, CC.license, SDO.license),
        "add dcterms:license <https://creativecommons.org/licenses/by/4.0/> (or your "
        "licence's IRI)",
    ),
    (
        "foops:OM1",
        "error",
        "no creator",
        (DCTERMS.creator, DC.creator, SDO.creator),
        'add dcterms:creator "your name" (or your ORCID IRI) to the owl:Ontology',
    ),
    (
        "foops:OM1",
        "warning",
        "no date",
        (DCTERMS.created, DCTERMS.issued, DCTERMS.modified, DCTERMS.date, DC.date),
        'add dcterms:modified "YYYY-MM-DD"^^xsd:date to the owl:Ontology',
    ),
    (
        "foops:OM1",
        "warning",
        "no namespace URI (vann:preferredNamespaceUri)",
        (VANN.preferredNamespaceUri,),
        'add vann:preferredNamespaceUri "…#" (the namespace of your terms)',
    ),
    (
        "foops:OM2",
        "warning",
        "no preferred prefix (vann:preferredNamespacePrefix)",
        (VANN.preferredNamespacePrefix,),
        'add vann:preferredNamespacePrefix "…" (the prefix your files use)',
    ),
    (
        "foops:OM2",
        "warning",
        "no version number (owl:versionInfo)",
        (OWL.versionInfo,),
        'add owl:versionInfo "0.1.0"',
    ),
]


def check_header(ctx: Context) -> None:
    """One owl:Ontology with the metadata FOOPS! and ROBOT ask for."""
    ontologies = sorted(
        (
            o
            for o in ctx.graph.subjects(RDF.type, OWL.Ontology)
            if (o, RDF.type, OWL.Ontology) not in ctx.base
        ),
        key=str,
    )
    if not ontologies:
        ctx.report(
            "mixity:ontology-header",
            "error",
            None,
            "no owl:Ontology: the file has no header saying what it is, who made it and under "
            "which licence",
            "start the file with `<https://your.namespace/ontology> a owl:Ontology ; …` "
            "(mixity init writes one)",
            first_file=True,
        )
        return
    for extra in ontologies[1:]:
        ctx.report(
            "mixity:ontology-header",
            "error",
            extra,
            f"a second owl:Ontology {ctx.short(extra)} (the first is {ctx.short(ontologies[0])})",
            "keep one owl:Ontology per extension; merge the headers",
        )
    _check_one(ctx, ontologies[0])


def _check_one(ctx: Context, ontology: Node) -> None:
    graph = ctx.graph
    name = ctx.short(ontology)
    for check, level, missing, properties, fix in REQUIRED:
        if not any(graph.value(ontology, p) is not None for p in properties):
            ctx.report(check, level, ontology, f"ontology {name} has {missing}", fix)
    version = graph.value(ontology, OWL.versionIRI)
    if version is None:
        ctx.report(
            "foops:VER1",
            "error",
            ontology,
            f"ontology {name} has no owl:versionIRI",
            "add owl:versionIRI <…/0.1.0>, an IRI of its own for each release",
        )
    elif version == ontology:
        ctx.report(
            "mixity:version-iri",
            "error",
            ontology,
            f"the owl:versionIRI of {name} is the ontology IRI itself",
            "give each release its own IRI, e.g. <…/ontology/0.1.0>",
            (ontology, OWL.versionIRI, version),
        )
    if isinstance(ontology, URIRef) and not str(ontology).startswith(PERSISTENT):
        ctx.report(
            "foops:PURL1",
            "warning",
            ontology,
            f"the ontology IRI {name} is not a persistent identifier (w3id.org, purl.org, DOI…)",
            "register a w3id.org or purl.org IRI and use it as the ontology IRI",
        )
    imports = {str(o) for o in graph.objects(ontology, OWL.imports)}
    if ctx.relative and not any(i.startswith(ONTOLOGY_IRI) for i in imports):
        ctx.report(
            "mixity:imports",
            "warning",
            ontology,
            f"ontology {name} does not import mixity's ontology",
            f"add owl:imports <{ONTOLOGY_IRI}> to the owl:Ontology",
        )
