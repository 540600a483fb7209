"""View selection (`mixity.graph.model.views`): which nodes and edges each view and focus keeps."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from mixity.errors import AmbiguousName, InvalidParameter, UnknownName
from mixity.graph.io.loader import LoadedGraph, load
from mixity.graph.model.edges import nodes_and_edges
from mixity.graph.model.views import VIEWS, ontology, resolve, select, view_graph, view_nodes
from mixity.namespaces import ID, MIX, PREFIXES

SCHEMA = PREFIXES["schema"]
OA = PREFIXES["oa"]
IBIS = PREFIXES["ibis"]

EXTENSION = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
@prefix ext: <https://example.org/ext/> .

ext:Hearing a owl:Class ; rdfs:subClassOf schema:Event ;
    rdfs:label "audition"@fr , "hearing"@en .

ext:hearing-1 a ext:Hearing ;
    rdfs:label "Audition publique de Grenoble"@fr ;
    schema:superEvent <https://w3id.org/mixity/id/meeting/rencontre-gusp-2019-11-06> .
"""


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> LoadedGraph:
    path = tmp_path_factory.mktemp("ext") / "hearing.ttl"
    path.write_text(EXTENSION, encoding="utf-8")
    return load([path])


def _classes(bundled: LoadedGraph, nodes: list[URIRef]) -> set[str]:
    onto = ontology(bundled.graph)
    return {str(onto.most_specific(n)) for n in nodes}


def test_every_view_has_nodes_and_edges_between_its_nodes(bundled: LoadedGraph) -> None:
    for name in VIEWS:
        shown = select(bundled.graph, name)
        assert shown.nodes, name
        assert shown.edges, name
        kept = set(shown.nodes)
        assert all(s in kept and o in kept for s, _, o in shown.edges), name
        assert not any(isinstance(n, Literal) for n in shown.nodes)
        assert not any(p == RDF.type for _, p, _ in shown.edges)


def test_overview_leaves_out_schema_and_evidence_machinery(bundled: LoadedGraph) -> None:
    shown = select(bundled.graph, "overview")
    classes = _classes(bundled, shown.nodes)  # type: ignore[arg-type]
    assert MIX + "Lever" in classes and MIX + "Question" in classes
    assert OA + "SpecificResource" not in classes
    assert OA + "TextQuoteSelector" not in classes
    assert URIRef(MIX + "Lever") not in shown.nodes  # a class is never a node
    assert URIRef(MIX + "evidence") not in shown.nodes


def test_debate_concepts_actors_evidence_keep_their_classes(bundled: LoadedGraph) -> None:
    onto = ontology(bundled.graph)
    debate = select(bundled.graph, "debate", onto=onto)
    for node in debate.nodes:
        assert onto.is_a(
            node, {URIRef(SCHEMA + "Event"), URIRef(IBIS + "Entity"), URIRef(SCHEMA + "Person")}
        )
    assert {MIX + "Meeting", MIX + "Question", MIX + "Lever"} <= _classes(bundled, debate.nodes)  # type: ignore[arg-type]

    concepts = select(bundled.graph, "concepts", onto=onto)
    assert all(onto.is_a(n, {SKOS.Concept, SKOS.ConceptScheme}) for n in concepts.nodes)

    actors = select(bundled.graph, "actors", onto=onto)
    assert _classes(bundled, actors.nodes) == {MIX + "Lever", MIX + "ActorType"}  # type: ignore[arg-type]
    assert URIRef(MIX + "involves") in {p for _, p, _ in actors.edges}

    evidence = select(bundled.graph, "evidence", onto=onto)
    assert {p for _, p, _ in evidence.edges} <= {URIRef(MIX + "evidence"), URIRef(OA + "hasSource")}
    assert OA + "SpecificResource" in _classes(bundled, evidence.nodes)  # type: ignore[arg-type]
    assert MIX + "SourceDocument" in _classes(bundled, evidence.nodes)  # type: ignore[arg-type]


def test_a_class_an_extension_adds_lands_in_the_right_view(extended: LoadedGraph) -> None:
    hearing = URIRef("https://example.org/ext/hearing-1")
    assert hearing in select(extended.graph, "debate").nodes
    assert hearing in select(extended.graph, "overview").nodes
    assert hearing not in select(extended.graph, "concepts").nodes
    assert ontology(extended.graph).most_specific(hearing) == URIRef(
        "https://example.org/ext/Hearing"
    )


def test_most_specific_class_follows_subclass_of(bundled: LoadedGraph) -> None:
    onto = ontology(bundled.graph)
    lever = next(n for n, types in onto.types.items() if URIRef(MIX + "Lever") in types)
    onto.types[lever] = onto.types[lever] | {URIRef(IBIS + "Position"), URIRef(IBIS + "Entity")}
    assert onto.most_specific(lever) == URIRef(MIX + "Lever")


def test_focus_by_label_ignores_accents_and_case(bundled: LoadedGraph) -> None:
    person = URIRef(ID + "person/christine-lelevrier")
    for text in ("Christine Lelévrier", "christine lelevrier", "  CHRISTINE   LELEVRIER "):
        assert resolve(bundled.graph, text) == person
    assert resolve(bundled.graph, str(person)) == person
    assert resolve(bundled.graph, f"<{person}>") == person
    assert resolve(bundled.graph, "id:person/christine-lelevrier") == person
    # The files' own prefixes, as the loader keeps them.
    assert resolve(bundled.graph, "person:christine-lelevrier") == person
    assert resolve(bundled.graph, "notion:mixite") == URIRef(ID + "notion/mixite")


def test_focus_by_the_start_of_a_label(bundled: LoadedGraph) -> None:
    # "Atelier n°1" starts the workshop's label; it is only a word group inside the title of
    # its summary ("Synthèse de l'atelier n°1"): the start of a label wins.
    shown = select(bundled.graph, "debate", focus="atelier n°1", depth=0)
    assert shown.nodes == [URIRef(ID + "meeting/rencontre-gusp-2019-11-06/workshop/atelier-1")]


def test_focus_depth_is_a_ball_in_the_view(bundled: LoadedGraph) -> None:
    person = URIRef(ID + "person/christine-lelevrier")
    full = select(bundled.graph, "overview")
    around = {o for s, _, o in full.edges if s == person} | {
        s for s, _, o in full.edges if o == person
    }
    zero = select(bundled.graph, "overview", focus="Christine Lelévrier", depth=0)
    assert zero.nodes == [person] and zero.edges == []
    one = select(bundled.graph, "overview", focus="Christine Lelévrier", depth=1)
    assert set(one.nodes) == around | {person}
    assert one.focus == person and one.depth == 1
    two = select(bundled.graph, "overview", focus="Christine Lelévrier", depth=2)
    assert set(one.nodes) < set(two.nodes)
    assert all(s in set(two.nodes) and o in set(two.nodes) for s, _, o in two.edges)


def test_unknown_focus_suggests_close_labels(bundled: LoadedGraph) -> None:
    with pytest.raises(UnknownName) as caught:
        select(bundled.graph, "overview", focus="Christine Lelevriere")
    assert any("Christine Lelévrier" in shown for shown in caught.value.suggestions)
    assert "did you mean" in str(caught.value)


def test_focus_outside_the_view_and_bad_arguments(bundled: LoadedGraph) -> None:
    with pytest.raises(InvalidParameter, match="not in the concepts view") as caught:
        select(bundled.graph, "concepts", focus="Christine Lelévrier")
    assert caught.value.parameter == "focus"
    with pytest.raises(UnknownName, match=r"unknown view 'overveiw'.*overview"):
        select(bundled.graph, "overveiw")
    with pytest.raises(InvalidParameter, match="depth"):
        select(bundled.graph, "overview", focus="Christine Lelévrier", depth=-1)


def test_ambiguous_label_lists_the_iris(tmp_path: Path) -> None:
    path = tmp_path / "twins.ttl"
    path.write_text(
        "@prefix mix: <https://w3id.org/mixity/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/a> a mix:Question ; rdfs:label "Même nom"@fr .\n'
        '<https://example.org/b> a mix:Question ; rdfs:label "même nom"@fr .\n',
        encoding="utf-8",
    )
    graph = load([path]).graph
    with pytest.raises(AmbiguousName) as caught:
        resolve(graph, "meme nom")
    assert [c.split()[-1] for c in caught.value.candidates] == [
        "<https://example.org/a>",
        "<https://example.org/b>",
    ]
    # One of them in the view: that one.
    assert resolve(graph, "meme nom", prefer=[URIRef("https://example.org/b")]) == URIRef(
        "https://example.org/b"
    )


def test_view_graph_round_trips_and_keeps_literals_as_attributes(bundled: LoadedGraph) -> None:
    for name in VIEWS:
        shown = select(bundled.graph, name)
        sub = view_graph(bundled.graph, name)
        nodes, edges = nodes_and_edges(sub)
        assert set(nodes) == set(shown.nodes), name
        assert set(edges) == set(shown.edges), name
        assert any(isinstance(o, Literal) for o in sub.objects())
    assert view_nodes(bundled.graph, "actors") == set(select(bundled.graph, "actors").nodes)


def test_selection_is_deterministic(bundled: LoadedGraph) -> None:
    other = load().graph

    def named(graph: Graph, node: Node) -> str:
        # rdflib names blank nodes at random: a blank node by its literal values
        if isinstance(node, BNode):
            return " ".join(sorted(o.n3() for o in graph.objects(node) if isinstance(o, Literal)))
        return str(node)

    first, again = select(bundled.graph, "overview"), select(other, "overview")
    assert [named(bundled.graph, n) for n in first.nodes] == [named(other, n) for n in again.nodes]
    assert [tuple(named(bundled.graph, t) for t in e) for e in first.edges] == [
        tuple(named(other, t) for t in e) for e in again.edges
    ]


def test_blank_nodes_come_in_the_same_order_from_every_parse(tmp_path: Path) -> None:
    # A blank node's place depends on what it says, not on the id the parser gives it: the
    # same files give the same page and layout.
    path = tmp_path / "blanks.ttl"
    path.write_text(
        "@prefix mix: <https://w3id.org/mixity/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://example.org/q> a mix:Question ; rdfs:label "q"@fr ;\n'
        + "".join(f'    mix:concerns [ a mix:Notion ; rdfs:label "n{i}"@fr ] ;\n' for i in range(8))
        + '    rdfs:comment "end"@fr .\n',
        encoding="utf-8",
    )
    orders = []
    for _ in range(3):
        graph = load([path], bundled=False).graph
        shown = select(graph, "overview")
        orders.append([str(graph.value(n, RDFS.label)) for n in shown.nodes])
        edges = [
            (str(graph.value(s, RDFS.label)), str(graph.value(o, RDFS.label)))
            for s, _, o in shown.edges
        ]
        orders.append(edges)
    assert orders[0] == orders[2] and orders[1] == orders[3] == orders[5]
    assert orders[0][0] == "q" and len(orders[0]) == 9
