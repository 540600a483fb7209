"""The networkx projection: resources as nodes, literals as attributes, stable ids and keys."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from mixity.graph.io.loader import LoadedGraph, parse_text
from mixity.graph.model.labels import labels
from mixity.graph.model.vocabulary import LINK_PROPERTIES
from mixity.graph.network.links import Links
from mixity.graph.network.projection import attribute_name, classify, edge_key, project

MIX = "https://w3id.org/mixity/ontology#"
ID = "https://w3id.org/mixity/id/"

SMALL = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ibis: <https://vocab.methodandstructure.com/ibis#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcmitype: <http://purl.org/dc/dcmitype/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix lever: <https://w3id.org/mixity/id/lever/> .
@prefix actor: <https://w3id.org/mixity/id/actor/> .
@prefix notion: <https://w3id.org/mixity/id/notion/> .
@prefix evidence: <https://w3id.org/mixity/id/evidence/> .
@prefix source: <https://w3id.org/mixity/id/source/> .

<https://w3id.org/mixity/ontology> a owl:Ontology ; rdfs:label "Ontologie"@fr .
ibis:Entity a owl:Class .
ibis:Position a owl:Class ; rdfs:subClassOf ibis:Entity .
mix:Lever a owl:Class ; rdfs:subClassOf ibis:Position ; rdfs:label "levier"@fr , "lever"@en .
mix:involves a owl:ObjectProperty ; rdfs:label "mobilise"@fr , "involves"@en .
mix:evidence a owl:ObjectProperty ; rdfs:label "preuve"@fr , "evidence"@en .

lever:reunir a mix:Lever , ibis:Position ;
    rdfs:label "Réunir les acteurs de la copropriété"@fr ,
        "Bring the co-ownership's actors together"@en ;
    skos:altLabel "réunion"@fr , "rencontre"@fr ;
    schema:url <https://example.org/page> ;
    dcterms:type dcmitype:Text ;
    mix:involves actor:syndics , actor:habitants ;
    mix:evidence evidence:e1 .

actor:syndics a skos:Concept ; skos:prefLabel "syndics"@fr , "property managers"@en ;
    rdfs:label "syndic (rdfs)"@fr ;
    skos:definition "Gestionnaires de copropriété."@fr .
actor:habitants a skos:Concept ; skos:prefLabel "habitants"@fr .
notion:seule a skos:Concept ; skos:prefLabel "Mixité sociale"@fr .

evidence:e1 a oa:SpecificResource ;
    oa:hasSource source:doc ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "réunir les acteurs" ] .
evidence:e2 a oa:SpecificResource ;
    oa:hasSource source:doc ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "les habitants" ] .
actor:habitants mix:evidence evidence:e2 .
source:doc a mix:SourceDocument ; rdfs:label "Source"@fr .
"""


def small() -> Graph:
    return parse_text(SMALL, "turtle")


def test_literals_are_attributes_never_nodes() -> None:
    graph = small()
    projected = project(graph, schema=True)
    literal_values = {str(o) for o in graph.objects() if isinstance(o, Literal)}
    assert not literal_values & set(projected.nodes)
    lever = projected.nodes[ID + "lever/reunir"]
    assert lever["label_fr"] == "Réunir les acteurs de la copropriété"
    assert lever["label_en"] == "Bring the co-ownership's actors together"
    assert lever["label"] == lever["label_fr"]
    assert sorted(lever["skos_altLabel_fr"]) == ["rencontre", "réunion"]
    # web addresses are attributes, not nodes
    assert lever["schema_url"] == "https://example.org/page"
    assert "https://example.org/page" not in projected


def test_english_labels_and_prefLabel_wins() -> None:
    projected = project(small(), lang="en")
    syndics = projected.nodes[ID + "actor/syndics"]
    assert syndics["label"] == "property managers"
    assert syndics["label_fr"] == "syndics"  # skos:prefLabel over rdfs:label, as labels.label()
    assert syndics["definition"] == "Gestionnaires de copropriété."  # falls back to French
    assert project(small(), lang="en").nodes[ID + "actor/habitants"]["label"] == "habitants"


def test_main_class_is_the_most_specific_and_classes_include_inferred() -> None:
    lever = project(small()).nodes[ID + "lever/reunir"]
    assert lever["class"] == "mix:Lever"
    assert lever["class_iri"] == MIX + "Lever"
    assert lever["class_label"] == "levier"
    assert lever["classes"][0] == "mix:Lever"
    assert set(lever["classes"]) == {"mix:Lever", "ibis:Position", "ibis:Entity"}


def test_one_edge_per_resource_triple_with_property_and_unique_keys() -> None:
    graph = small()
    projected = project(graph, schema=True, evidence=True)
    expected = {
        (str(s), str(p), str(o))
        for s, p, o in graph
        if isinstance(s, URIRef) and isinstance(o, URIRef) and str(p) not in LINK_PROPERTIES
    }
    found = {
        (u, data["property_iri"], v)
        for u, v, data in projected.edges(data=True)
        if not u.startswith("_:") and not v.startswith("_:")
    }
    assert found == expected
    keys = [k for _, _, k in projected.edges(keys=True)]
    assert len(keys) == len(set(keys)) == projected.number_of_edges()
    involves = projected.get_edge_data(ID + "lever/reunir", ID + "actor/syndics")
    (data,) = involves.values()
    assert data["property"] == "mix:involves"
    assert data["label_fr"] == "mobilise" and data["label_en"] == "involves"
    assert data["label"] == "mobilise"
    assert project(graph, lang="en").get_edge_data(ID + "lever/reunir", ID + "actor/syndics")
    assert set(involves) == {edge_key(ID + "lever/reunir", MIX + "involves", ID + "actor/syndics")}


def test_schema_kept_or_dropped() -> None:
    graph = small()
    with_schema = project(graph, schema=True)
    without = project(graph, schema=False)
    assert MIX + "Lever" in with_schema and with_schema.nodes[MIX + "Lever"]["kind"] == "schema"
    assert with_schema.has_edge(ID + "lever/reunir", MIX + "Lever")  # rdf:type as an edge
    for term in (MIX + "Lever", MIX + "involves", "https://w3id.org/mixity/ontology"):
        assert term not in without
    assert all(kind != "schema" for _, kind in without.nodes(data="kind"))
    # a link to a schema term left out stays as an attribute
    assert without.nodes[ID + "lever/reunir"]["dcterms_type"] == "http://purl.org/dc/dcmitype/Text"
    assert "http://purl.org/dc/dcmitype/Text" not in without


def test_evidence_kept_or_dropped() -> None:
    graph = small()
    kept = project(graph, evidence=True)
    dropped = project(graph, evidence=False)
    selectors = [n for n, d in kept.nodes(data=True) if d["class"] == "oa:TextQuoteSelector"]
    assert len(selectors) == 2
    assert {kept.nodes[s]["oa_exact"] for s in selectors} == {"réunir les acteurs", "les habitants"}
    assert ID + "source/doc" in kept and kept.nodes[ID + "source/doc"]["kind"] == "evidence"
    for node in (ID + "evidence/e1", ID + "source/doc", *selectors):
        assert node not in dropped
    assert ID + "lever/reunir" in dropped and ID + "actor/habitants" in dropped


def test_blank_nodes_get_stable_ids_across_parses() -> None:
    first, second = project(small()), project(small())
    assert [n for n in first if n.startswith("_:")]
    assert list(first.nodes) == list(second.nodes)
    assert list(first.edges(keys=True)) == list(second.edges(keys=True))
    # rdflib gave the blank nodes different ids each time
    b1 = {str(b) for b in small().all_nodes() if isinstance(b, BNode)}
    b2 = {str(b) for b in small().all_nodes() if isinstance(b, BNode)}
    assert not b1 & b2


def test_restricting_to_a_set_of_nodes() -> None:
    graph = small()
    keep = {URIRef(ID + "lever/reunir"), URIRef(ID + "actor/syndics")}
    projected = project(graph, nodes=keep)
    assert set(projected.nodes) == {str(n) for n in keep}
    assert projected.number_of_edges() == 1


def test_isolated_resource_is_still_a_node() -> None:
    projected = project(small())
    assert projected.degree(ID + "notion/seule") == 0
    assert projected.nodes[ID + "notion/seule"]["label"] == "Mixité sociale"


def test_bundled_graph_every_resource_is_a_node_with_its_labels(bundled: LoadedGraph) -> None:
    graph = bundled.graph
    projected = project(graph, schema=True, evidence=True, links=Links.everything())
    parts = classify(graph)
    link_objects = {o for s, p, o in graph if str(p) in LINK_PROPERTIES}
    resources = {
        str(n)
        for n in set(graph.subjects()) | set(graph.objects())
        if isinstance(n, URIRef) and (n not in link_objects or n in set(graph.subjects()))
    }
    assert resources == {n for n in projected if not n.startswith("_:")}
    assert len(parts.schema) > 0
    for node in resources:
        found = labels(graph, URIRef(node))
        for lang in ("fr", "en"):
            if lang in found:
                assert projected.nodes[node][f"label_{lang}"] == found[lang]
    iri_triples = [
        (s, p, o)
        for s, p, o in graph
        if not isinstance(o, Literal) and str(p) not in LINK_PROPERTIES
    ]
    assert projected.number_of_edges() == len(iri_triples)


def test_bundled_graph_levers_are_levers(bundled: LoadedGraph) -> None:
    graph = bundled.graph
    rows = graph.query(
        "SELECT DISTINCT ?l WHERE { ?l a/rdfs:subClassOf* mix:Lever }",
        initNs={"mix": MIX, "rdfs": RDFS},
    )
    levers = {str(row[0]) for row in rows}  # type: ignore[index]
    assert levers
    projected = project(graph)
    for lever in levers:
        assert "mix:Lever" in projected.nodes[lever]["classes"]
    typed = {str(s) for s in graph.subjects(RDF.type, URIRef(MIX + "Lever"))}
    assert {n for n, c in projected.nodes(data="class") if c == "mix:Lever"} == typed


def test_networkx_is_not_imported_by_the_package_or_the_command_modules(tmp_path: Path) -> None:
    code = (
        "import sys, mixity.graph, mixity.graph.network.projection, mixity.graph.network.analyze, "
        "mixity.graph.network.export, mixity.graph.network.paths, mixity.graph.io.rdf, "
        "mixity.cli.commands.analyze, mixity.cli.commands.path_, mixity.cli.commands.export; "
        "print('networkx' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert out.stdout.strip() == "False"


def test_links_to_web_pages_are_attributes_as_on_the_page() -> None:
    graph = parse_text(
        """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix foaf: <http://xmlns.com/foaf/0.1/> .
        <https://example.org/a> rdfs:isDefinedBy <https://example.org/onto> ;
            foaf:homepage <https://example.org/home> ;
            rdfs:seeAlso <https://example.org/b> .
        <https://example.org/b> rdfs:label "b"@fr .
        """,
        "turtle",
    )
    projected = project(graph)
    node = projected.nodes["https://example.org/a"]
    assert node["rdfs_isDefinedBy"] == "https://example.org/onto"
    assert node["homepage"] == "https://example.org/home"  # foaf: is no prefix of mixity
    assert "https://example.org/onto" not in projected
    assert "https://example.org/home" not in projected
    assert projected.number_of_edges() == 0  # rdfs:seeAlso too, though b is a resource


def test_attribute_names_never_take_a_reserved_name() -> None:
    assert attribute_name("https://example.org/id") == "id_"
    assert attribute_name("https://example.org/start") == "start_"
    assert attribute_name("https://example.org/start", "fr") == "start__fr"
    assert attribute_name("https://example.org/title", "fr") == "title_fr"
    graph = parse_text(
        '<https://example.org/a> <https://example.org/id> "42" ; '
        '<https://example.org/kind> "odd" .',
        "turtle",
    )
    node = project(graph).nodes["https://example.org/a"]
    assert (node["id_"], node["kind_"], node["kind"]) == ("42", "odd", "resource")


def test_blank_node_ids_are_those_of_the_rdf_exports() -> None:
    import pyoxigraph as ox

    from mixity.graph.io.rdf import serialize
    from mixity.graph.io.terms import triples_from_rdflib

    graph = small()
    blank_nodes = {n for n in project(graph, schema=True, evidence=True) if n.startswith("_:")}
    written = serialize(triples_from_rdflib(graph), "nt")
    read = ox.parse(written, format=ox.RdfFormat.N_TRIPLES)
    in_rdf = {f"_:{t.subject.value}" for t in read if isinstance(t.subject, ox.BlankNode)}
    assert blank_nodes and blank_nodes == in_rdf


LINKS = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <https://example.org/links/> .

ex:scheme a skos:ConceptScheme ; skos:prefLabel "Schéma"@fr ;
    skos:hasTopConcept ex:b .
ex:a a skos:Concept ; skos:prefLabel "A"@fr ; skos:inScheme ex:scheme ; skos:broader ex:b .
ex:b a skos:Concept ; skos:prefLabel "B"@fr ; skos:topConceptOf ex:scheme ;
    skos:narrower ex:a , ex:c .
ex:c a skos:Concept ; skos:prefLabel "C"@fr ; skos:inScheme ex:scheme .
ex:leads owl:inverseOf ex:ledBy .
ex:sub rdfs:subPropertyOf ex:leads .
skos:topConceptOf rdfs:subPropertyOf skos:inScheme .
ex:p a schema:Person ; ex:leads ex:a .
ex:a ex:ledBy ex:p .
ex:q a schema:Person ; ex:sub ex:c .
"""


def test_a_link_stated_both_ways_is_one_edge_and_scheme_membership_none() -> None:
    graph = parse_text(LINKS, "turtle")
    projected = project(graph)
    ex = "https://example.org/links/"
    edges = sorted(
        (u.removeprefix(ex), d["property_iri"].rpartition("/")[2], v.removeprefix(ex))
        for u, v, d in projected.edges(data=True)
    )
    assert edges == [
        ("a", "core#broader", "b"),
        ("c", "core#broader", "b"),
        ("p", "leads", "a"),  # the subject of owl:inverseOf reads first
        ("q", "sub", "c"),
    ]
    assert ex + "scheme" not in projected  # linked by scheme membership only
    assert projected.degree(ex + "b") == 2
    every = project(graph, links=Links.everything())
    assert every.number_of_edges() == 10 and ex + "scheme" in every


def test_links_exclude_and_via_cover_subproperties_and_inverses() -> None:
    graph = parse_text(LINKS, "turtle")
    ex = "https://example.org/links/"

    def properties(links: Links) -> set[str]:
        return {d["property_iri"] for *_, d in project(graph, links=links).edges(data=True)}

    skos = "http://www.w3.org/2004/02/skos/core#"
    # ledBy is leads the other way; sub is a kind of leads
    assert properties(Links.chosen(exclude=[ex + "ledBy"])) == {skos + "broader"}
    assert properties(Links.chosen(exclude=[ex + "sub"])) == {skos + "broader", ex + "leads"}
    assert properties(Links.chosen(via=[skos + "narrower"])) == {skos + "broader"}
    assert properties(Links.chosen(via=[skos + "inScheme"])) == {
        skos + "inScheme",
        skos + "hasTopConcept",  # topConceptOf is a subproperty of inScheme, read this way
    }
