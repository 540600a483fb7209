"""RDFS materialisation: the same closure from rdflib and Oxigraph, and the answers it enables."""

from __future__ import annotations

from importlib.resources import files

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.compare import isomorphic

from mixity.graph.io.loader import LoadedGraph
from mixity.graph.store.entailment import RDFS_UPDATES, materialize_rdfs, materialize_rdfs_store
from mixity.namespaces import ID, MIX, PREFIXES

IBIS = PREFIXES["ibis"]
SCHEMA = PREFIXES["schema"]
EX = "urn:x:"

SMALL = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <{EX}> .
ex:C rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:A .
ex:p rdfs:subPropertyOf ex:q . ex:q rdfs:subPropertyOf ex:r .
ex:r rdfs:domain ex:D ; rdfs:range ex:R .
ex:label rdfs:range ex:Text .
ex:c a ex:C .
ex:s ex:p ex:o .
ex:s ex:label "a literal is never typed" .
"""


def _bundled_rdflib(bundled: LoadedGraph) -> Graph:
    graph = Graph()
    for triple in bundled.graph:
        graph.add(triple)
    return graph


def _bundled_store() -> ox.Store:
    store = ox.Store()
    for folder in ("ontology", "data"):
        for entry in files("mixity").joinpath(folder).iterdir():
            if entry.name.endswith(".ttl") and entry.name != "shapes.ttl":
                store.load(entry.read_bytes(), ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    return store


def _as_rdflib(store: ox.Store) -> Graph:
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert data is not None
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def _small_graph() -> Graph:
    return Graph().parse(data=SMALL, format="turtle")


def _small_store() -> ox.Store:
    store = ox.Store()
    store.load(SMALL.encode(), ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    return store


@pytest.fixture(scope="module")
def closed_rdflib(bundled: LoadedGraph) -> Graph:
    graph = _bundled_rdflib(bundled)
    materialize_rdfs(graph)
    return graph


@pytest.fixture(scope="module")
def closed_store() -> ox.Store:
    store = _bundled_store()
    materialize_rdfs_store(store)
    return store


def test_questions_are_issues_and_meetings_workshops_talks_are_events(
    closed_rdflib: Graph, bundled: LoadedGraph
) -> None:
    for cls, superclass in (
        (MIX + "Question", IBIS + "Issue"),
        (MIX + "Meeting", SCHEMA + "Event"),
        (MIX + "Workshop", SCHEMA + "Event"),
        (MIX + "Talk", SCHEMA + "Event"),
        (MIX + "Lever", IBIS + "Position"),
    ):
        instances = set(bundled.graph.subjects(RDF.type, URIRef(cls)))
        assert instances, cls
        for instance in instances:
            assert (instance, RDF.type, URIRef(superclass)) in closed_rdflib
            assert (instance, RDF.type, URIRef(superclass)) not in bundled.graph
    question = URIRef(ID + "question/definir-mixite")
    assert (question, RDF.type, URIRef(IBIS + "Issue")) in closed_rdflib


def test_same_closure_from_rdflib_and_oxigraph(
    closed_rdflib: Graph, closed_store: ox.Store
) -> None:
    from_store = _as_rdflib(closed_store)
    assert len(from_store) == len(closed_rdflib)
    assert isomorphic(from_store, closed_rdflib)


def test_sparql_on_the_store_finds_the_entailed_classes(closed_store: ox.Store) -> None:
    def count(cls: str) -> int:
        answer = closed_store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{cls}> }}")
        assert isinstance(answer, ox.QuerySolutions)
        value = next(answer)["n"]
        assert isinstance(value, ox.Literal)
        return int(value.value)

    assert count(SCHEMA + "Event") >= 3
    assert count(IBIS + "Issue") >= 1
    assert count(SCHEMA + "Event") > count(MIX + "Meeting")


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_each_rule_on_a_small_vocabulary(engine: str) -> None:
    if engine == "rdflib":
        graph = _small_graph()
        materialize_rdfs(graph)
    else:
        store = _small_store()
        materialize_rdfs_store(store)
        graph = _as_rdflib(store)
    ex = {name: URIRef(EX + name) for name in "ABCDRcsopqr"}
    expected = {
        (ex["C"], RDFS.subClassOf, ex["A"]),  # rdfs11
        (ex["p"], RDFS.subPropertyOf, ex["r"]),  # rdfs5
        (ex["s"], ex["q"], ex["o"]),  # rdfs7
        (ex["s"], ex["r"], ex["o"]),  # rdfs7 through the closure
        (ex["s"], RDF.type, ex["D"]),  # rdfs2 on a super-property's domain
        (ex["o"], RDF.type, ex["R"]),  # rdfs3
        (ex["c"], RDF.type, ex["B"]),  # rdfs9
        (ex["c"], RDF.type, ex["A"]),  # rdfs9 through the closure
    }
    assert expected <= set(graph)
    # What is deliberately not materialised: noise, and literal "instances" of a range.
    assert not any(graph.triples((None, RDF.type, RDFS.Resource)))
    assert (ex["A"], RDFS.subClassOf, ex["A"]) not in graph
    assert not any(graph.triples((None, RDF.type, URIRef(EX + "Text"))))
    assert len(graph) == len(_small_graph()) + len(expected)


def test_meta_vocabulary_reaches_the_fixpoint() -> None:
    # ex:narrowerClassOf is declared a sub-property of rdfs:subClassOf: its triples become
    # subClassOf triples only after rdfs7, which then feed rdfs11 and rdfs9 on a second pass.
    text = f"""
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix ex: <{EX}> .
    ex:narrowerClassOf rdfs:subPropertyOf rdfs:subClassOf .
    ex:C ex:narrowerClassOf ex:B . ex:B rdfs:subClassOf ex:A .
    ex:c a ex:C .
    """
    graph = Graph().parse(data=text, format="turtle")
    store = ox.Store()
    store.load(text.encode(), ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    materialize_rdfs(graph)
    materialize_rdfs_store(store)
    for closed in (graph, _as_rdflib(store)):
        assert (URIRef(EX + "c"), RDF.type, URIRef(EX + "A")) in closed
        assert (URIRef(EX + "C"), RDFS.subClassOf, URIRef(EX + "A")) in closed
    assert isomorphic(graph, _as_rdflib(store))


def test_materialising_twice_changes_nothing(closed_store: ox.Store) -> None:
    before = len(closed_store)
    materialize_rdfs_store(closed_store)
    assert len(closed_store) == before


def test_updates_are_plain_sparql_for_both_engines() -> None:
    graph, store = _small_graph(), _small_store()
    for update in RDFS_UPDATES:
        assert update.lstrip().startswith("PREFIX")
        graph.update(update)
        store.update(update)
    assert isomorphic(graph, _as_rdflib(store))
