"""The ontology under the published vocabularies it reuses (pinned in tests/vocab/): an OWL 2 RL
reasoner (owlrl) over ontology + data + IBIS 0.6, PROV-O, SKOS, Web Annotation and schema.org
finds it consistent, infers nothing absurd, and the shapes still pass (MODEL.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import owlrl
import pyshacl
import pytest
from owlrl.Namespaces import ERRNS
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, SKOS, XSD

from mixity.graph.io.loader import load, shapes_graph

VOCAB = Path(__file__).parent / "vocab"
MIX = Namespace("https://w3id.org/mixity/ontology#")
SCHEMA = Namespace("https://schema.org/")
PROV = Namespace("http://www.w3.org/ns/prov#")
IBIS = Namespace("https://vocab.methodandstructure.com/ibis#")
MEETING = URIRef("https://w3id.org/mixity/id/meeting/rencontre-gusp-2019-11-06")


def _vocabularies() -> Graph:
    graph = Graph()
    for path in sorted(VOCAB.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _closure(*extra: Graph) -> Graph:
    graph = Graph()
    graph += load().graph
    graph += _vocabularies()
    for part in extra:
        graph += part
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph


def _problems(graph: Graph) -> list[str]:
    """owlrl's inconsistencies: members of owl:Nothing and its error triples."""
    found = [f"{s} is owl:Nothing" for s in graph.subjects(RDF.type, OWL.Nothing)]
    found += [str(o) for o in graph.objects(None, ERRNS.error)]
    return found


@pytest.fixture(scope="module")
def closure() -> Graph:
    return _closure()


def test_the_pinned_vocabularies_are_there() -> None:
    vocab = _vocabularies()
    assert (IBIS.Argument, URIRef(str(OWL) + "disjointWith"), IBIS.Position) in vocab
    assert (PROV.Entity, OWL.disjointWith, PROV.Activity) in vocab
    assert (IBIS.concerns, URIRef("http://www.w3.org/2000/01/rdf-schema#domain"), IBIS.Entity) in (
        vocab
    )


def test_consistent_under_owl_rl(closure: Graph) -> None:
    assert _problems(closure) == []


@pytest.mark.parametrize(
    "cls", [SCHEMA.Event, SCHEMA.Person, SCHEMA.Organization, SCHEMA.Place, MIX.SourceDocument]
)
def test_nothing_absurd_is_a_concept(closure: Graph, cls: URIRef) -> None:
    members = set(closure.subjects(RDF.type, cls))
    assert members
    concepts = {m for m in members if (m, RDF.type, SKOS.Concept) in closure}
    assert concepts == set()


def test_described_resources_are_not_made_prov_entities(closure: Graph) -> None:
    for cls in (SCHEMA.Event, SCHEMA.Person, SCHEMA.Place, MIX.Question, MIX.Lever):
        for member in closure.subjects(RDF.type, cls):
            assert (member, RDF.type, PROV.Entity) not in closure, member


def test_questions_levers_and_findings_are_ibis_entities(closure: Graph) -> None:
    # IBIS 0.6 makes them skos:Concepts: that is the vocabulary's design, and it is consistent
    for cls, ibis in ((MIX.Question, IBIS.Issue), (MIX.Lever, IBIS.Position)):
        for member in closure.subjects(RDF.type, cls):
            assert (member, RDF.type, ibis) in closure
            assert (member, RDF.type, SKOS.Concept) in closure


def test_the_meeting_typed_prov_activity_stays_consistent() -> None:
    extension = Graph()
    extension.add((MEETING, RDF.type, PROV.Activity))
    graph = _closure(extension)
    assert _problems(graph) == []
    assert (MEETING, RDF.type, PROV.Entity) not in graph


def test_a_resource_both_question_and_lever_is_inconsistent() -> None:
    # the reasoner does see the clash: the test above would fail if it could not
    extension = Graph()
    extension.add((MEETING, RDF.type, MIX.Question))
    extension.add((MEETING, RDF.type, MIX.Lever))
    assert _problems(_closure(extension))


def test_shapes_pass_with_the_pinned_vocabularies_loaded() -> None:
    graph = load().graph + _vocabularies()
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes_graph(), inference="none")
    assert conforms, text


# --- a DL reasoner: HermiT (owlready2, Java) ---------------------------------------------------


def _hermit_consistent(tmp_path: Path, *extra: Graph) -> bool:
    """Whether HermiT finds ontology + data + pinned vocabularies (+ extra) consistent."""
    owlready2 = pytest.importorskip("owlready2")
    graph = load().graph + _vocabularies()
    for part in extra:
        graph += part
    # HermiT accepts only the OWL 2 datatype map: xsd:date values become plain strings (no
    # axiom of the ontology or the vocabularies reads a date)
    for s, p, o in list(graph):
        if isinstance(o, Literal) and o.datatype == XSD.date:
            graph.remove((s, p, o))
            graph.add((s, p, Literal(str(o))))
    path = tmp_path / "all.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return not list(world.inconsistent_classes())


@pytest.mark.slow
def test_hermit_finds_it_consistent_with_the_meeting_a_prov_activity(tmp_path: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("no Java for HermiT")
    extension = Graph()
    extension.add((MEETING, RDF.type, PROV.Activity))
    assert _hermit_consistent(tmp_path, extension)


@pytest.mark.slow
def test_hermit_sees_a_question_that_is_a_lever(tmp_path: Path) -> None:
    if shutil.which("java") is None:
        pytest.skip("no Java for HermiT")
    extension = Graph()
    question = URIRef("https://w3id.org/mixity/id/question/definir-mixite")
    extension.add((question, RDF.type, MIX.Lever))
    assert not _hermit_consistent(tmp_path, extension)
