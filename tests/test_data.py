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

# Classes whose every instance must carry labels in French and English (the public vocabulary).
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
    # The shapes name http://schema.org/ terms only as targets of the shape that reports them.
    guard = URIRef("https://w3id.org/mixity/shapes#HttpsSchemaOrgShape")
    targets = (SH.targetClass, SH.targetSubjectsOf)
    for graph in (bundled, shapes):
        for triple in graph:
            if graph is shapes and triple[0] == guard and triple[1] in targets:
                continue
            for term in triple:
                assert not str(term).startswith("http://schema.org"), triple


# --- the ontology -----------------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY, OWL.versionIRI) == URIRef(
        "https://w3id.org/mixity/ontology/0.2.0"
    )
    assert str(ontology.value(ONTOLOGY, OWL.versionInfo)) == "0.2.0"
    from mixity import __version__

    assert __version__ == "0.2.0"
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
        "partner",
        "restsOn",
        "serves",
        "underlies",
    ],
    OWL.DatatypeProperty: ["degree", "betweenness", "pagerank", "community"],
    # provenance, read by OWL tools on resources and on owl:Axiom statements alike
    OWL.AnnotationProperty: ["evidence"],
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


def test_every_declared_term_is_documented(ontology: Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {t for kind in kinds for t in ontology.subjects(RDF.type, kind)}
    assert len(terms) > 60
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            assert {"fr", "en"} <= set(_langs(ontology, term, prop)), (term, prop)


def test_data_uses_only_declared_terms(ontology: Graph, data: Graph) -> None:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    declared = {t for kind in kinds for t in ontology.subjects(RDF.type, kind)}
    used = set(data.predicates()) | set(data.objects(None, RDF.type))
    builtin = {t for t in used if str(t).startswith(str(OWL))}  # owl:Axiom and its properties
    assert used - declared - builtin - {RDF.type, RDFS.label} == set()


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
        (MIX.SourceDocument, SCHEMA.CreativeWork),
        (MIX.Resource, SCHEMA.CreativeWork),
        (MIX.Notion, SKOS.Concept),
        (MIX.ActorType, SKOS.Concept),
        (MIX.PolicyArea, SKOS.Concept),
    ],
)
def test_subclass_axioms(ontology: Graph, sub: URIRef, sup: URIRef) -> None:
    assert (sub, RDFS.subClassOf, sup) in ontology
    assert set(_langs(ontology, sup, RDFS.label)) == {"fr", "en"}


def test_domains_are_wide_enough_for_reuse(ontology: Graph) -> None:
    # a domain is an inference rule: none that turns a question that involves an actor type
    # into a lever, a report into a web page, or an event into a concept
    for name in EXPECTED_TERMS[OWL.ObjectProperty]:
        assert ontology.value(MIX[name], RDFS.domain) is None, name
    assert (MIX.SourceDocument, RDFS.subClassOf, SCHEMA.WebPage) not in ontology


def test_events_say_what_they_are_about_with_schema_about(data: Graph) -> None:
    for event in set(data.subjects(RDF.type, None)):
        types = set(data.objects(event, RDF.type))
        if types & {MIX.Meeting, MIX.Workshop, MIX.Talk, SCHEMA.EventSeries}:
            assert data.value(event, MIX.concerns) is None, event


def test_subproperty_axioms(ontology: Graph) -> None:
    prov = Namespace("http://www.w3.org/ns/prov#")
    assert (MIX.concerns, RDFS.subPropertyOf, IBIS.concerns) in ontology
    # PROV-O's domain of prov:wasDerivedFrom would make every described resource a prov:Entity
    assert (MIX.evidence, RDFS.subPropertyOf, prov.wasDerivedFrom) not in ontology
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
@base <https://w3id.org/mixity/id/source/> .
@prefix ev-habiles: <les-habiles-vivre-et-gerer-la-mixite-sociale/evidence/> .
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/research#> .

ex:lever-without-actor a mix:Lever ;
    rdfs:label "Un levier sans acteur"@fr , "A lever without actors"@en ;
    mix:proposedAt <https://w3id.org/mixity/id/meeting/rencontre-gusp-2019-11-06> ;
    mix:evidence ev-habiles:en-un-mot .

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


EXTENSION_HEAD = """
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix ibis: <https://vocab.methodandstructure.com/ibis#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix ex: <https://example.org/research#> .
@prefix meeting: <https://w3id.org/mixity/id/meeting/> .
@base <https://w3id.org/mixity/id/source/> .
@prefix ev-habiles: <les-habiles-vivre-et-gerer-la-mixite-sociale/evidence/> .
@prefix ev-notice: <retour-sur-le-6-novembre-2019/evidence/> .
@prefix source: <https://w3id.org/mixity/id/source/> .
@prefix notion: <https://w3id.org/mixity/id/notion/> .
@prefix actor: <https://w3id.org/mixity/id/actor/> .
@prefix question: <https://w3id.org/mixity/id/question/> .
@prefix person: <https://w3id.org/mixity/id/person/> .
"""
# Each case: a broken extension, its focus node, the shape that must report it, and a phrase
# of the English message the researcher reads.
BROKEN_CASES = {
    "missing-english-label": (
        """ex:x a mix:Question ; rdfs:label "Une question ?"@fr ;
            mix:raisedAt meeting:rencontre-gusp-2019-11-06 ; mix:evidence ev-habiles:en-un-mot .""",
        "LabelEnProperty",
        "Missing English label",
    ),
    "blank-label": (
        """ex:x a schema:Place ; rdfs:label "Un lieu"@fr , "  "@en .""",
        "LabelNotBlankProperty",
        "Blank label",
    ),
    "blank-pref-label": (
        """ex:x a mix:Notion ; rdfs:label "n"@fr , "n"@en ; skos:prefLabel "n"@fr , ""@en ;
            skos:inScheme <https://w3id.org/mixity/id/scheme/notions> .""",
        "PrefLabelNotBlankProperty",
        "Blank preferred label",
    ),
    "evidence-source-not-a-source-document": (
        """ex:p a schema:Person ; rdfs:label "X"@fr , "X"@en ; mix:evidence ex:x .
        ex:x a oa:SpecificResource ; oa:hasSource person:philippe-bamy ;
            oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "Philippe Bamy" ] .""",
        "EvidenceSourceProperty",
        "mix:SourceDocument",
    ),
    "evidence-straight-to-the-document": (
        """ex:x a schema:Person ; rdfs:label "X"@fr , "X"@en ;
            mix:evidence source:retour-sur-le-6-novembre-2019 .""",
        "EvidenceValueProperty",
        "not directly to a source document",
    ),
    "evidence-as-a-string": (
        """ex:x a schema:Person ; rdfs:label "X"@fr , "X"@en ; mix:evidence "Philippe Bamy" .""",
        "EvidenceValueProperty",
        "mix:evidence must point to an oa:SpecificResource",
    ),
    "empty-exact": (
        """ex:x a oa:TextQuoteSelector ; oa:exact "" .""",
        "ExactProperty",
        "non-empty string",
    ),
    "event-without-date-or-parent": (
        """ex:x a mix:Talk ; rdfs:label "I"@fr , "T"@en ; schema:name "I" ;
            schema:performer person:philippe-bamy ; mix:evidence ev-habiles:interventions .""",
        "EventShape",
        "a schema:startDate (xsd:date), a schema:superEvent",
    ),
    "workshop-without-meeting": (
        """ex:x a mix:Workshop ; rdfs:label "A"@fr , "W"@en ; schema:name "A" ;
            schema:startDate "2019-11-06"^^<http://www.w3.org/2001/XMLSchema#date> ;
            mix:evidence ev-habiles:atelier-1 .""",
        "WorkshopSuperEventProperty",
        "meeting it is part of",
    ),
    "partner-not-an-organization": (
        """ex:x a mix:Meeting ; rdfs:label "R"@fr , "M"@en ; schema:name "R" ;
            schema:startDate "2019-11-06"^^<http://www.w3.org/2001/XMLSchema#date> ;
            mix:partner person:philippe-bamy ; mix:evidence ev-notice:titre .""",
        "EventPartnerProperty",
        "schema:Organization",
    ),
    "organizer-neither-organization-nor-person": (
        """ex:x a mix:Meeting ; rdfs:label "R"@fr , "M"@en ; schema:name "R" ;
            schema:startDate "2019-11-06"^^<http://www.w3.org/2001/XMLSchema#date> ;
            schema:organizer notion:mixite ; mix:evidence ev-notice:titre .""",
        "EventOrganizerProperty",
        "schema:Organization or a schema:Person",
    ),
    "lever-involves-a-notion": (
        """ex:x a mix:Lever ; rdfs:label "L"@fr , "L"@en ;
            mix:proposedAt meeting:rencontre-gusp-2019-11-06 ; mix:involves notion:mixite ;
            mix:evidence ev-habiles:en-un-mot .""",
        "LeverInvolvesActorTypeProperty",
        "mix:involves must point to a mix:ActorType",
    ),
    "question-not-raised-anywhere": (
        """ex:x a mix:Question ; rdfs:label "Q ?"@fr , "Q?"@en ;
            mix:evidence ev-habiles:en-un-mot .""",
        "QuestionRaisedAtProperty",
        "mix:raisedAt",
    ),
    "unflagged-responds-to": (
        """ex:x a mix:Lever ; rdfs:label "L"@fr , "L"@en ;
            mix:proposedAt meeting:rencontre-gusp-2019-11-06 ; mix:involves actor:habitants ;
            ibis:responds-to question:definir-mixite ; mix:evidence ev-habiles:en-un-mot ;
            skos:editorialNote "Une note sur la ressource ne marque pas le lien."@fr .""",
        "EditorialLinkShape",
        "annotate the statement with an owl:Axiom",
    ),
    "concerns-not-a-concept": (
        """ex:x a mix:Question ; rdfs:label "Q ?"@fr , "Q?"@en ;
            mix:raisedAt meeting:rencontre-gusp-2019-11-06 ; mix:concerns person:philippe-bamy ;
            mix:evidence ev-habiles:en-un-mot .""",
        "ConcernsProperty",
        "skos:Concept",
    ),
    "http-schema-org": (
        """ex:x a schema:Person ; rdfs:label "X"@fr , "X"@en ;
            <http://schema.org/name> "X" ; mix:evidence ev-habiles:interventions .""",
        "HttpsSchemaOrgShape",
        "http://schema.org/name",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_CASES))
def test_broken_extension_cases(bundled: Graph, shapes: Graph, case: str) -> None:
    turtle, shape_name, phrase = BROKEN_CASES[case]
    graph = bundled + Graph().parse(data=EXTENSION_HEAD + turtle, format="turtle")
    conforms, report = _validate(graph, shapes)
    assert not conforms
    ex_x = URIRef("https://example.org/research#x")
    shape = URIRef("https://w3id.org/mixity/shapes#" + shape_name)
    results = _results(report)
    messages = [message for focus, source, message in results if (focus, source) == (ex_x, shape)]
    assert messages, results
    assert all(phrase in m for m in messages), messages
    # only the extension is at fault, never the bundled graph
    assert {focus for focus, _, _ in results} <= {ex_x} | set(graph.objects(ex_x, None)), results


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
    slug = r"[a-z0-9]+(-[a-z0-9]+)*"
    readable = re.compile(rf"^https://w3id\.org/mixity/id/[a-z]+/{slug}(/[a-z]+/{slug})?$")
    for node in set(data.subjects()) | set(data.objects()):
        if isinstance(node, URIRef) and str(node).startswith(ID):
            assert readable.match(str(node)), node


def test_per_event_and_per_source_resources_are_scoped(data: Graph) -> None:
    """Workshops, talks and produced material under their meeting or series, evidence under
    its source: two debates may both have an « atelier n°1 » (MODEL.md, IRIs)."""
    for cls in (MIX.Workshop, MIX.Talk):
        for node in _instances(data, cls):
            parent = data.value(node, SCHEMA.superEvent)
            assert str(node).startswith(f"{parent}/{str(cls).split('#')[1].lower()}/"), node
    for node in _instances(data, MIX.Resource):
        made = data.value(node, MIX.producedAt) or data.value(
            next(data.subjects(SCHEMA.hasPart, node)), MIX.producedAt
        )
        while not str(node).startswith(f"{made}/resource/"):
            made = data.value(made, SCHEMA.superEvent)
            assert made is not None, node
    for node in _instances(data, OA.SpecificResource):
        assert str(node).startswith(f"{data.value(node, OA.hasSource)}/evidence/"), node
    # notions, actor types, policy areas, people and organisations stay shared
    for cls in (MIX.Notion, MIX.ActorType, MIX.PolicyArea, SCHEMA.Person, SCHEMA.Organization):
        for node in _instances(data, cls):
            assert str(node).count("/") == 5 + 1, node  # https://w3id.org/mixity/id/kind/slug


def test_renamed_iris_are_listed(data: Graph) -> None:
    root = Path(__file__).parent.parent
    mapping = [
        line.split("\t")
        for line in (root / "scripts" / "iri-renames.tsv").read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    used = {str(t) for triple in data for t in triple if isinstance(t, URIRef)}
    changelog = (root / "CHANGELOG.md").read_text("utf-8")
    assert len(mapping) == 49
    for old, new in mapping:
        assert old not in used and new in used, (old, new)
        assert old in changelog and new in changelog, old


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
    # the partnership is the 2019 series' (source 002), the series is the day's parent
    series = data.value(MEETING, SCHEMA.superEvent)
    assert (series, RDF.type, SCHEMA.EventSeries) in data
    assert (series, SCHEMA.subEvent, MEETING) in data
    assert data.value(MEETING, MIX.partner) is None
    assert set(data.objects(series, MIX.partner)) == {
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
    assert set(_langs(data, MEETING, DCTERMS.description)) == {"fr", "en"}
    # the five questions the day set out to discuss rest on the sentence that introduces them
    intro = URIRef(ID + "source/retour-sur-le-6-novembre-2019/evidence/journee-reflechir")
    day_questions = set(data.subjects(MIX.evidence, intro)) & set(
        data.subjects(RDF.type, MIX.Question)
    )
    assert len(day_questions) == 5
    assert all((q, MIX.raisedAt, MEETING) in data for q in day_questions)


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


def test_editorial_links_are_flagged_on_the_statement(data: Graph) -> None:
    from mixity.graph.model.validate import supported_statements

    supported = supported_statements(data)
    links = list(data.subject_objects(IBIS["responds-to"]))
    assert len(links) == 7
    for s, o in links:
        (axiom,) = supported[(s, IBIS["responds-to"], o)]
        assert set(_langs(data, axiom, SKOS.editorialNote)) == {"fr", "en"}, (s, o)


def test_every_statement_has_its_quote_or_its_editorial_note(data: Graph) -> None:
    """Every resource-to-resource statement of the debate data (MODEL.md)."""
    from mixity.graph.model.validate import supported_statements

    supported = supported_statements(data)
    provenance = {RDF.type, MIX.evidence, OA.hasSource}
    inverse = {SKOS.hasTopConcept: SKOS.topConceptOf}
    statements = [
        (s, p, o)
        for s, p, o in data
        if isinstance(s, URIRef)
        and isinstance(o, URIRef)
        and str(s).startswith(ID)
        and str(o).startswith(ID)
        and p not in provenance
    ]
    assert len(statements) > 200
    missing = [
        (s, p, o)
        for s, p, o in statements
        if (s, p, o) not in supported and (o, inverse.get(p), s) not in supported
    ]
    assert missing == []
    for axiom in data.subjects(RDF.type, OWL.Axiom):
        notes = set(_langs(data, axiom, SKOS.editorialNote))
        quotes = list(data.objects(axiom, MIX.evidence))
        assert quotes or notes == {"fr", "en"}, axiom
        assert not notes or notes == {"fr", "en"}, axiom
        for quote in quotes:
            assert (quote, RDF.type, OA.SpecificResource) in data, (axiom, quote)
        s = data.value(axiom, OWL.annotatedSource)
        p = data.value(axiom, OWL.annotatedProperty)
        o = data.value(axiom, OWL.annotatedTarget)
        assert (s, p, o) in data, (s, p, o)  # an axiom annotates a statement the data makes


def test_unknown_host_is_not_invented(data: Graph) -> None:
    notice = URIRef(ID + "source/retour-sur-le-6-novembre-2019")
    assert data.value(notice, SCHEMA.url) is None
    assert str(data.value(notice, SCHEMA.identifier)).startswith("/rencontre/")
    habiles = URIRef(ID + "source/les-habiles-vivre-et-gerer-la-mixite-sociale")
    assert data.value(habiles, SCHEMA.datePublished) == Literal("2020-03-22", datatype=XSD.date)
    assert data.value(habiles, SKOS.editorialNote) is not None
    # the corpus gives the article's address only: no home page for its publisher
    publisher = data.value(habiles, SCHEMA.publisher)
    assert publisher == URIRef(ID + "organization/les-habiles")
    assert data.value(publisher, SCHEMA.url) is None


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


def test_every_source_document_records_its_checksum(data: Graph) -> None:
    spdx = Namespace("http://spdx.org/rdf/terms#")
    for doc in _instances(data, MIX.SourceDocument):
        (checksum,) = data.objects(doc, spdx.checksum)
        assert data.value(checksum, spdx.algorithm) == spdx.checksumAlgorithm_sha256
        assert re.fullmatch(r"[0-9a-f]{64}", str(data.value(checksum, spdx.checksumValue)))


def test_every_quote_is_verbatim_and_unique_in_its_source(data: Graph) -> None:
    """What CI runs: `mixity validate --sources $MIXITY_SOURCES`, with no warning at all."""
    from click.testing import CliRunner

    from mixity.cli import main
    from mixity.graph.model.quotes import read_sources

    folder = _sources_dir()
    spdx = Namespace("http://spdx.org/rdf/terms#")
    texts = read_sources(folder)
    recorded = {str(v) for v in data.objects(None, spdx.checksumValue)}
    assert recorded <= set(texts), "a bundled source's text is not in MIXITY_SOURCES"
    result = CliRunner().invoke(main, ["validate", "--sources", str(folder)])
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "The graph conforms to the mixity shapes.\n", result.stdout
    quotes = len(set(data.subject_objects(OA.exact)))
    assert quotes >= 30


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
