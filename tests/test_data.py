"""Tests of the bundled ontology, shapes and debate data (rdflib, pyshacl and pytest only)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS, XSD
from rdflib.term import Node

MIX = Namespace("https://w3id.org/mixity/ontology#")
SCHEMA = Namespace("https://schema.org/")
IBIS = Namespace("https://vocab.methodandstructure.com/ibis#")
OA = Namespace("http://www.w3.org/ns/oa#")
SH = Namespace("http://www.w3.org/ns/shacl#")
ID = "https://w3id.org/mixity/id/"
ONTOLOGY = URIRef("https://w3id.org/mixity/ontology")
MEETING = URIRef(ID + "meeting/rencontre-gusp-2019-11-06")

# Classes whose every instance must carry labels in French and English (MODEL.md).
LABELLED_CLASSES = (
    MIX.Meeting,
    MIX.Workshop,
    MIX.Talk,
    MIX.Question,
    MIX.Lever,
    MIX.Finding,
    MIX.SourceDocument,
    MIX.Resource,
    MIX.Notion,
    MIX.ActorType,
    MIX.PolicyArea,
    SCHEMA.Person,
    SCHEMA.Organization,
    SCHEMA.Place,
    SKOS.Concept,
    SKOS.ConceptScheme,
)
# Classes whose every instance must rest on quoted evidence in the bundled data.
EVIDENCED_CLASSES = (
    MIX.Meeting,
    MIX.Workshop,
    MIX.Talk,
    MIX.Question,
    MIX.Lever,
    MIX.Finding,
    MIX.SourceDocument,
    MIX.Resource,
    SCHEMA.Person,
    SCHEMA.Organization,
    SCHEMA.Place,
    SKOS.Concept,
)


def _ttl_files(folder: str) -> list[Traversable]:
    root = files("mixity") / folder
    return sorted((f for f in root.iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)


def _parse(resource: Traversable, graph: Graph | None = None) -> Graph:
    graph = Graph() if graph is None else graph
    graph.parse(data=resource.read_text(encoding="utf-8"), format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse(files("mixity") / "ontology" / "mixity.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse(files("mixity") / "ontology" / "shapes.ttl")


@pytest.fixture(scope="module")
def data() -> Graph:
    graph = Graph()
    for resource in _ttl_files("data"):
        _parse(resource, graph)
    return graph


@pytest.fixture(scope="module")
def bundled(ontology: Graph, data: Graph) -> Graph:
    """The graph the tool validates: ontology and data merged."""
    return ontology + data


def _validate(graph: Graph, shapes: Graph) -> tuple[bool, Graph]:
    conforms, report, _text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    return bool(conforms), report


def _results(report: Graph) -> list[tuple[Node | None, Node | None, str]]:
    """(focus node, source shape, message) of every validation result."""
    rows = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        shape = report.value(result, SH.sourceShape)
        message = str(report.value(result, SH.resultMessage) or "")
        rows.append((focus, shape, message))
    return rows


def _langs(graph: Graph, subject: Node, prop: URIRef) -> list[str | None]:
    """Language tags of the literal values of `prop` on `subject` (None for untagged)."""
    return [o.language for o in graph.objects(subject, prop) if isinstance(o, Literal)]


def _instances(graph: Graph, cls: URIRef) -> Iterator[URIRef]:
    for node in set(graph.subjects(RDF.type, cls)):
        assert isinstance(node, URIRef), f"{cls} instance is a blank node"
        yield node


# --- parsing ----------------------------------------------------------------------------------


def test_turtle_files_are_packaged_and_parse() -> None:
    names = {f.name for f in _ttl_files("data")}
    assert {
        "sources.ttl",
        "meeting.ttl",
        "questions.ttl",
        "levers.ttl",
        "findings.ttl",
        "notions.ttl",
        "actors.ttl",
        "policies.ttl",
        "resources.ttl",
        "people.ttl",
        "organizations.ttl",
        "places.ttl",
    } <= names
    for resource in [*_ttl_files("ontology"), *_ttl_files("data")]:
        assert len(_parse(resource)) > 0, resource.name


def test_no_http_schema_org(bundled: Graph, shapes: Graph) -> None:
    for graph in (bundled, shapes):
        for triple in graph:
            for term in triple:
                assert not str(term).startswith("http://schema.org"), triple


# --- the ontology -----------------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, OWL.versionIRI) == URIRef(
        "https://w3id.org/mixity/ontology/0.1.0"
    )
    assert str(ontology.value(ONTOLOGY, OWL.versionInfo)) == "0.1.0"
    assert ontology.value(ONTOLOGY, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    vann = Namespace("http://purl.org/vocab/vann/")
    assert str(ontology.value(ONTOLOGY, vann.preferredNamespacePrefix)) == "mix"
    assert str(ontology.value(ONTOLOGY, vann.preferredNamespaceUri)) == str(MIX)
    for prop in (DCTERMS.title, DCTERMS.description):
        langs = set(_langs(ontology, ONTOLOGY, prop))
        assert {"fr", "en"} <= langs, prop
    description = " ".join(str(d) for d in ontology.objects(ONTOLOGY, DCTERMS.description))
    assert "editorial translations" in description


EXPECTED_TERMS = {
    OWL.Class: [
        "Meeting",
        "Workshop",
        "Talk",
        "Question",
        "Lever",
        "Finding",
        "SourceDocument",
        "Resource",
        "Notion",
        "ActorType",
        "PolicyArea",
    ],
    OWL.ObjectProperty: [
        "raisedAt",
        "proposedAt",
        "statedAt",
        "producedAt",
        "involves",
        "concerns",
        "evidence",
        "partner",
        "restsOn",
        "serves",
        "underlies",
    ],
    OWL.DatatypeProperty: ["degree", "betweenness", "pagerank", "community"],
}


@pytest.mark.parametrize(
    ("kind", "name"), [(k, n) for k, names in EXPECTED_TERMS.items() for n in names]
)
def test_term_is_declared_and_documented(ontology: Graph, kind: URIRef, name: str) -> None:
    term = MIX[name]
    assert (term, RDF.type, kind) in ontology
    assert (term, RDFS.isDefinedBy, ONTOLOGY) in ontology
    for prop in (RDFS.label, RDFS.comment):
        langs = _langs(ontology, term, prop)
        assert sorted(str(x) for x in langs) == ["en", "fr"], (term, prop, langs)


def test_every_mix_term_is_documented(ontology: Graph) -> None:
    terms = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(str(MIX))}
    assert len(terms) == sum(len(v) for v in EXPECTED_TERMS.values())
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            assert set(_langs(ontology, term, prop)) == {"fr", "en"}, term


@pytest.mark.parametrize(
    ("sub", "sup"),
    [
        (MIX.Meeting, SCHEMA.Event),
        (MIX.Workshop, SCHEMA.Event),
        (MIX.Talk, SCHEMA.Event),
        (MIX.Question, IBIS.Issue),
        (MIX.Lever, IBIS.Position),
        (MIX.Finding, IBIS.Argument),
        (MIX.SourceDocument, SCHEMA.WebPage),
        (MIX.Resource, SCHEMA.CreativeWork),
        (MIX.Notion, SKOS.Concept),
        (MIX.ActorType, SKOS.Concept),
        (MIX.PolicyArea, SKOS.Concept),
    ],
)
def test_subclass_axioms(ontology: Graph, sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subClassOf, sup) in ontology
    assert set(_langs(ontology, sup, RDFS.label)) == {"fr", "en"}


def test_subproperty_axioms(ontology: Graph) -> None:
    prov = Namespace("http://www.w3.org/ns/prov#")
    assert (MIX.concerns, RDFS.subPropertyOf, IBIS.concerns) in ontology
    assert (MIX.evidence, RDFS.subPropertyOf, prov.wasDerivedFrom) in ontology
    assert (MIX.partner, RDFS.subPropertyOf, SCHEMA.contributor) in ontology
    for prop in (MIX.restsOn, MIX.serves, MIX.underlies):
        assert (prop, RDFS.subPropertyOf, SKOS.related) in ontology


# --- validation -------------------------------------------------------------------------------


def test_bundled_graph_conforms(bundled: Graph, shapes: Graph) -> None:
    conforms, report = _validate(bundled, shapes)
    assert conforms, _results(report)


def test_every_shape_has_a_label_and_an_english_message(shapes: Graph) -> None:
    # Value shapes nested in sh:or / sh:qualifiedValueShape report through their parent.
    nested = set(shapes.objects(None, SH.qualifiedValueShape))
    for lst in shapes.objects(None, SH["or"]):
        nested.update(shapes.items(lst))
    property_shapes = set(shapes.subjects(SH.path, None)) - nested
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert len(property_shapes) > 20 and len(node_shapes) > 10
    for shape in property_shapes | node_shapes:
        assert set(_langs(shapes, shape, RDFS.label)) >= {"en", "fr"}, shape
    for shape in property_shapes | set(shapes.subjects(SH["or"], None)):
        assert "en" in set(_langs(shapes, shape, SH.message)), shape


BROKEN_EXTENSION = """
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/research#> .

ex:lever-without-actor a mix:Lever ;
    rdfs:label "Un levier sans acteur"@fr , "A lever without actors"@en ;
    mix:proposedAt <https://w3id.org/mixity/id/meeting/rencontre-gusp-2019-11-06> ;
    mix:evidence <https://w3id.org/mixity/id/evidence/habiles-en-un-mot> .

ex:question-without-evidence a mix:Question ;
    rdfs:label "Une question sans preuve ?"@fr , "A question without evidence?"@en ;
    mix:raisedAt <https://w3id.org/mixity/id/meeting/rencontre-gusp-2019-11-06> .
"""


def test_broken_extension_is_caught(bundled: Graph, shapes: Graph) -> None:
    graph = bundled + Graph().parse(data=BROKEN_EXTENSION, format="turtle")
    conforms, report = _validate(graph, shapes)
    assert not conforms
    ex = Namespace("https://example.org/research#")
    results = _results(report)
    assert {focus for focus, _, _ in results} == {
        ex["lever-without-actor"],
        ex["question-without-evidence"],
    }
    lever = [(shape, msg) for focus, shape, msg in results if focus == ex["lever-without-actor"]]
    assert len(lever) == 1
    shape, message = lever[0]
    assert shape == URIRef("https://w3id.org/mixity/shapes#LeverInvolvesProperty")
    assert "mix:involves" in message and "mix:ActorType" in message
    question = [m for f, _, m in results if f == ex["question-without-evidence"]]
    assert len(question) == 1 and question[0].startswith("Missing evidence")


EXTENSION_WITH_SUBCLASS = """
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix ex: <https://example.org/research#> .

ex:Seminar rdfs:subClassOf mix:Meeting ;
    rdfs:label "séminaire"@fr , "seminar"@en .

ex:seminar a ex:Seminar ;
    rdfs:label "Un séminaire"@fr .

ex:speaker a schema:Person ;
    rdfs:label "Une oratrice"@fr , "A speaker"@en ;
    mix:evidence ex:bad-evidence .

ex:bad-evidence a oa:SpecificResource ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "   " ] .
"""


def test_extension_subclasses_and_evidence_nodes_are_checked(bundled: Graph, shapes: Graph) -> None:
    graph = bundled + Graph().parse(data=EXTENSION_WITH_SUBCLASS, format="turtle")
    conforms, report = _validate(graph, shapes)
    assert not conforms
    ex = Namespace("https://example.org/research#")
    mixsh = Namespace("https://w3id.org/mixity/shapes#")
    found = {(focus, shape) for focus, shape, _ in _results(report)}
    # an instance of a researcher's subclass of mix:Meeting is an event: name, date, evidence
    assert (ex.seminar, mixsh.EventNameProperty) in found
    assert (ex.seminar, mixsh.EventShape) in found
    assert (ex.seminar, mixsh.EvidenceProperty) in found
    assert (ex.seminar, mixsh.LabelEnProperty) in found
    # an evidence node with no source and a blank quote
    assert (ex["bad-evidence"], mixsh.EvidenceSourceProperty) in found
    assert (ex["bad-evidence"], mixsh.EvidenceSelectorProperty) in found


# --- the data ---------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", LABELLED_CLASSES, ids=lambda c: str(c).rsplit("/", 1)[-1])
def test_instances_have_fr_and_en_labels(data: Graph, cls: URIRef) -> None:
    instances = list(_instances(data, cls))
    assert instances, cls
    for node in instances:
        langs = sorted(str(x) for x in _langs(data, node, RDFS.label))
        assert langs == ["en", "fr"], (node, langs)


@pytest.mark.parametrize("cls", EVIDENCED_CLASSES, ids=lambda c: str(c).rsplit("/", 1)[-1])
def test_instances_rest_on_evidence(data: Graph, cls: URIRef) -> None:
    for node in _instances(data, cls):
        evidence = list(data.objects(node, MIX.evidence))
        assert evidence, node
        for ev in evidence:
            assert (ev, RDF.type, OA.SpecificResource) in data, ev
            assert (data.value(ev, OA.hasSource), RDF.type, MIX.SourceDocument) in data, ev


def test_concepts_have_pref_labels_and_scheme(data: Graph) -> None:
    for concept in _instances(data, SKOS.Concept):
        assert set(_langs(data, concept, SKOS.prefLabel)) == {"fr", "en"}
        assert data.value(concept, SKOS.inScheme) is not None, concept
    for cls in (MIX.Notion, MIX.ActorType, MIX.PolicyArea):
        for node in _instances(data, cls):
            assert (node, RDF.type, SKOS.Concept) in data, node


def test_iris_are_readable_slugs(data: Graph) -> None:
    slug = re.compile(r"^https://w3id\.org/mixity/id/[a-z]+/[a-z0-9]+(-[a-z0-9]+)*$")
    for node in set(data.subjects()) | set(data.objects()):
        if isinstance(node, URIRef) and str(node).startswith(ID):
            assert slug.match(str(node)), node


def test_main_resources(data: Graph) -> None:
    def n(cls: URIRef) -> int:
        return len(set(data.subjects(RDF.type, cls)))

    assert n(MIX.Meeting) == 1
    assert n(MIX.Workshop) == 2
    assert n(MIX.Talk) == 2
    assert n(MIX.Question) == 8
    assert n(MIX.Lever) == 4
    assert n(MIX.Finding) == 1
    assert n(MIX.SourceDocument) == 2
    assert data.value(MEETING, SCHEMA.startDate) == Literal("2019-11-06", datatype=XSD.date)
    assert data.value(MEETING, SCHEMA.location) == URIRef(ID + "place/pont-de-claix")
    assert data.value(MEETING, SCHEMA.organizer) == URIRef(
        ID + "organization/centre-ressources-gusp"
    )
    assert set(data.objects(MEETING, MIX.partner)) == {
        URIRef(ID + "organization/labo-cites"),
        URIRef(ID + "organization/cnfpt"),
    }
    assert str(data.value(MEETING, SCHEMA.inLanguage)) == "fr"
    for sub in data.objects(MEETING, SCHEMA.subEvent):
        assert (sub, SCHEMA.superEvent, MEETING) in data
    mixite = URIRef(ID + "notion/mixite")
    assert set(data.objects(mixite, SKOS.narrower)) == {
        URIRef(ID + f"notion/{s}")
        for s in ("mixite-sociale", "mixite-d-usage", "mixite-residentielle")
    }
    assert data.value(mixite, SKOS.definition) is not None


def test_lever_actor_types(data: Graph) -> None:
    actor = Namespace(ID + "actor/")
    lever = Namespace(ID + "lever/")
    expected = {
        "reunir-acteurs-copropriete": {"habitants", "syndics", "bailleurs"},
        "inciter-presence-assemblees-generales": {"bailleurs", "associations-de-locataires"},
        "point-regulier-acteurs-exterieurs": {
            "police-municipale",
            "police-nationale",
            "mairie",
            "metro",
            "unions-de-quartier",
            "associations",
        },
        "developper-lieux-de-croisement": {
            "habitants",
            "acteurs-institutionnels",
            "acteurs-professionnels",
            "acteurs-associatifs",
        },
    }
    for name, actors in expected.items():
        involved = set(data.objects(lever[name], MIX.involves))
        assert {actor[a] for a in actors} <= involved, name
        for node in involved:
            assert (node, RDF.type, MIX.ActorType) in data, node


def test_editorial_links_are_flagged(data: Graph) -> None:
    for node in set(data.subjects(IBIS["responds-to"], None)):
        notes = set(_langs(data, node, SKOS.editorialNote))
        assert notes == {"fr", "en"}, node


def test_unknown_host_is_not_invented(data: Graph) -> None:
    notice = URIRef(ID + "source/retour-sur-le-6-novembre-2019")
    assert data.value(notice, SCHEMA.url) is None
    assert str(data.value(notice, SCHEMA.identifier)).startswith("/rencontre/")
    habiles = URIRef(ID + "source/les-habiles-vivre-et-gerer-la-mixite-sociale")
    assert data.value(habiles, SCHEMA.datePublished) == Literal("2020-03-22", datatype=XSD.date)
    assert data.value(habiles, SKOS.editorialNote) is not None


# --- quotes against the source texts ----------------------------------------------------------


def _sources_dir() -> Path:
    folder = os.environ.get("MIXITY_SOURCES")
    if not folder:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI is set but MIXITY_SOURCES is not: the quotes cannot be checked")
        pytest.skip("MIXITY_SOURCES is not set: quotes not checked against the source texts")
    path = Path(folder)
    if not path.is_dir():
        pytest.fail(f"MIXITY_SOURCES={folder} is not a folder")
    return path


def test_every_quote_is_verbatim_in_its_source(data: Graph) -> None:
    folder = _sources_dir()
    texts: dict[URIRef, str] = {}
    for doc in _instances(data, MIX.SourceDocument):
        identifier = data.value(doc, DCTERMS.identifier)
        assert identifier is not None, f"{doc} has no dcterms:identifier naming its file"
        texts[doc] = (folder / f"{identifier}.txt").read_text(encoding="utf-8")
    checked = 0
    mismatches = []
    for ev in _instances(data, OA.SpecificResource):
        source = data.value(ev, OA.hasSource)
        assert isinstance(source, URIRef) and source in texts, (ev, source)
        for selector in data.objects(ev, OA.hasSelector):
            for exact in data.objects(selector, OA.exact):
                checked += 1
                if str(exact) not in texts[source]:
                    mismatches.append((str(ev), str(exact)))
    assert not mismatches, mismatches
    assert checked >= 30


def test_skos_hierarchy_is_symmetric(data: Graph) -> None:
    broader = set(data.subject_objects(SKOS.broader))
    narrower = {(o, s) for s, o in data.subject_objects(SKOS.narrower)}
    assert broader == narrower
    top = set(data.subject_objects(SKOS.topConceptOf))
    has_top = {(o, s) for s, o in data.subject_objects(SKOS.hasTopConcept)}
    assert top == has_top
    for concept, scheme in top:
        assert (concept, SKOS.inScheme, scheme) in data
        assert data.value(concept, SKOS.broader) is None, concept


def test_every_evidence_node_is_used(data: Graph) -> None:
    used = set(data.objects(None, MIX.evidence))
    assert set(data.subjects(RDF.type, OA.SpecificResource)) == used
