"""`mixity export`: every format read back by a real reader, losslessly.

GraphML by networkx and igraph, GEXF by networkx, JSON-LD by pyld (offline: its document
loader refuses every URL) and rdflib, CSV by the csv module, Turtle/N-Triples/TriG by rdflib
and pyoxigraph. The RDF formats are byte for byte what `mixity query` writes for a CONSTRUCT.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from pyld import jsonld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

from mixity.cli import main
from mixity.graph.io.loader import LoadedGraph, parse_file, parse_text
from mixity.graph.io.terms import graph_from_triples
from mixity.graph.model.labels import labels
from mixity.graph.model.vocabulary import LINK_PROPERTIES
from mixity.graph.network.export import LIST_SEPARATOR, export
from mixity.graph.network.links import Links
from mixity.graph.network.projection import project

OA = "http://www.w3.org/ns/oa#"
MIX = "https://w3id.org/mixity/ontology#"
#: Exports keep every link, both ways: the projection they are compared with too.
EVERY_LINK = Links.everything()

ACCENTS = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix ex: <https://example.org/ext/> .

ex:mixite-sociale a mix:Notion ;
    skos:prefLabel "« Mixité sociale »"@fr , "“Social mixity”"@en ;
    skos:altLabel "mixité"@fr , "mélange, \\"social\\""@fr ;
    skos:definition "Coexistence de groupes sociaux ; œuvre, çà et là."@fr ;
    skos:related ex:lien-social .
ex:lien-social a mix:Notion ; skos:prefLabel "lien social"@fr .
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str) -> tuple[int, bytes, str]:
    result = runner.invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stdout_bytes, result.stderr


def refuse_remote(url: str, options: Any = None) -> Any:
    raise AssertionError(f"pyld tried to fetch {url}")


def resource_triples(graph: Graph) -> list[tuple[Any, Any, Any]]:
    """The triples the network formats turn into edges (an independent count)."""
    return [
        (s, p, o)
        for s, p, o in graph
        if not isinstance(o, Literal) and str(p) not in LINK_PROPERTIES
    ]


# --------------------------------------------------------------------------------------------
# GraphML and GEXF


def test_graphml_read_back_by_networkx(bundled: LoadedGraph) -> None:
    graph = bundled.graph
    exported = export(graph, "graphml")
    data = exported.single
    assert data is not None
    back = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert back.number_of_edges() == len(resource_triples(graph)) == exported.edges
    assert back.number_of_nodes() == exported.nodes
    projected = project(graph, schema=True, evidence=True, links=EVERY_LINK)
    assert set(back.nodes) == set(projected.nodes)
    for node, attrs in back.nodes(data=True):
        assert None not in attrs.values()
        if node.startswith("http"):
            assert attrs["iri"] == node
            found = labels(graph, URIRef(node))
            for lang in ("fr", "en"):
                if lang in found:
                    assert attrs[f"label_{lang}"] == found[lang]
        expected = projected.nodes[node]
        assert attrs.get("classes", "") == LIST_SEPARATOR.join(expected["classes"])
        assert attrs.get("class", "") == expected["class"]
    keys = [k for _, _, k in back.edges(keys=True)]
    assert len(keys) == len(set(keys))  # unique edge ids
    named = {
        (u, d["property_iri"], v)
        for u, v, d in back.edges(data=True)
        if not u.startswith("_:") and not v.startswith("_:")
    }
    assert named == {
        (str(s), str(p), str(o))
        for s, p, o in resource_triples(graph)
        if not isinstance(s, BNode) and not isinstance(o, BNode)
    }
    for _, _, d in back.edges(data=True):
        assert d["property"] and d["label"]


def test_graphml_read_back_by_igraph(bundled: LoadedGraph, tmp_path: Path) -> None:
    exported = export(bundled.graph, "graphml", schema=False, evidence=False, lang="en")
    target = tmp_path / "g.graphml"
    target.write_bytes(exported.single or b"")
    read = igraph.Graph.Read_GraphML(str(target))
    assert read.vcount() == exported.nodes
    assert read.ecount() == exported.edges
    assert read.is_directed()
    projected = project(bundled.graph, lang="en", evidence=False, links=EVERY_LINK)
    assert sorted(read.vs["id"]) == sorted(projected.nodes)
    for vertex in read.vs:
        expected = projected.nodes[vertex["id"]]
        assert vertex["label"] == expected["label"]
        assert vertex["label_fr"] == expected.get("label_fr", "")
        assert vertex["class"] == expected["class"]
    for edge in read.es:
        source, target_id = read.vs[edge.source]["id"], read.vs[edge.target]["id"]
        data = projected.get_edge_data(source, target_id)[edge["edge_id"]]
        assert edge["property_iri"] == data["property_iri"]
        assert edge["label"] == data["label"]


def test_gexf_read_back_by_networkx(bundled: LoadedGraph) -> None:
    graph = bundled.graph
    exported = export(graph, "gexf")
    back = nx.read_gexf(io.BytesIO(exported.single or b""))
    assert back.number_of_nodes() == exported.nodes
    assert back.number_of_edges() == exported.edges == len(resource_triples(graph))
    projected = project(graph, schema=True, evidence=True, links=EVERY_LINK)
    for node, attrs in back.nodes(data=True):
        expected = projected.nodes[node]
        assert attrs["label"] == expected["label"]
        for key in ("label_fr", "label_en", "iri", "class", "kind"):
            if expected.get(key):
                assert attrs[key] == expected[key]
    ids = [d["id"] for _, _, d in back.edges(data=True)]
    assert len(ids) == len(set(ids))
    for u, v, d in back.edges(data=True):
        original = projected.get_edge_data(u, v)[d["id"]]
        assert d["property_iri"] == original["property_iri"]
        assert d["label"] == original["label"]


def test_network_formats_keep_accents_quotes_and_lists(tmp_path: Path, runner: CliRunner) -> None:
    source = write(tmp_path, "accents.ttl", ACCENTS)
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"a.{fmt}"
        code, _, err = run(runner, "export", "--no-bundled", "-g", str(source), "-o", str(out))
        assert code == 0, err
        reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        node = reader(out).nodes["https://example.org/ext/mixite-sociale"]
        assert node["label_fr"] == "« Mixité sociale »"
        assert node["label_en"] == "“Social mixity”"
        assert node["definition_fr"] == "Coexistence de groupes sociaux ; œuvre, çà et là."
        assert set(node["skos_altLabel_fr"].split(LIST_SEPARATOR)) == {
            "mixité",
            'mélange, "social"',
        }


def test_network_formats_replace_what_xml_cannot_carry(tmp_path: Path) -> None:
    graph = parse_text(
        "<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"bell\\u0007 escape\\u001b[31m <tag> & \\"quote\\"\\nnext"@fr ;'
        ' <https://example.org/id> "not the node id" ;'
        ' <https://example.org/start> "not a GEXF spell" .',
        "turtle",
    )
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        data = export(graph, fmt).single or b""
        node = reader(io.BytesIO(data)).nodes["https://example.org/a"]
        assert node["label_fr"] == 'bell\ufffd escape\ufffd[31m <tag> & "quote"\nnext', fmt
        assert node["id_"] == "not the node id" and node["start_"] == "not a GEXF spell", fmt
    target = tmp_path / "a.graphml"
    target.write_bytes(export(graph, "graphml").single or b"")
    assert igraph.Graph.Read_GraphML(str(target)).vs[0]["id_"] == "not the node id"


def test_gexf_says_nothing_of_the_day_or_of_networkx(bundled: LoadedGraph) -> None:
    data = export(bundled.graph, "gexf").single or b""
    assert b"<creator>mixity</creator>" in data
    assert b"lastmodifieddate" not in data and b"networkx" not in data.lower()


# --------------------------------------------------------------------------------------------
# CSV


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_csv_folder_round_trips_with_accents(tmp_path: Path, runner: CliRunner) -> None:
    source = write(tmp_path, "accents.ttl", ACCENTS)
    folder = tmp_path / "tables"
    code, out, err = run(runner, "export", "-f", "csv", "-g", str(source), "-o", str(folder))
    assert code == 0 and out == b"", err
    with (folder / "nodes.csv").open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with (folder / "edges.csv").open(encoding="utf-8", newline="") as handle:
        edges = list(csv.DictReader(handle))
    row = next(r for r in nodes if r["id"] == "https://example.org/ext/mixite-sociale")
    assert row["label"] == "« Mixité sociale »" and row["label_en"] == "“Social mixity”"
    assert row["definition_fr"] == "Coexistence de groupes sociaux ; œuvre, çà et là."
    assert 'mélange, "social"' in row["skos_altLabel_fr"].split(LIST_SEPARATOR)
    alone = export(parse_file(source), "csv", schema=False)
    assert len(read_csv(alone.files["nodes.csv"])) == alone.nodes == 2
    assert {r["id"] for r in nodes} >= {r["id"] for r in read_csv(alone.files["nodes.csv"])}
    related = [e for e in edges if e["property"] == "skos:related"]
    assert {(e["source"], e["target"]) for e in related} >= {
        ("https://example.org/ext/mixite-sociale", "https://example.org/ext/lien-social")
    }
    assert len({e["id"] for e in edges}) == len(edges)
    assert list(nodes[0])[:4] == ["id", "label", "label_fr", "label_en"]
    assert list(edges[0])[:5] == ["id", "source", "target", "property", "property_iri"]


def test_csv_zip_matches_the_whole_graph(
    tmp_path: Path, runner: CliRunner, bundled: LoadedGraph
) -> None:
    target = tmp_path / "tables.zip"
    code, _, err = run(runner, "export", "-o", str(target))  # format from the extension
    assert code == 0, err
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        nodes = read_csv(archive.read("nodes.csv"))
        edges = read_csv(archive.read("edges.csv"))
    assert len(edges) == len(resource_triples(bundled.graph))
    projected = project(bundled.graph, schema=True, evidence=True, links=EVERY_LINK)
    assert {r["id"] for r in nodes} == set(projected.nodes)
    assert all(r["label"] for r in nodes)


# --------------------------------------------------------------------------------------------
# RDF formats


def test_jsonld_expands_offline_with_pyld_and_reads_back_isomorphic(bundled: LoadedGraph) -> None:
    graph = bundled.graph
    data = export(graph, "jsonld").single or b""
    document = json.loads(data)
    # expanded form: full IRIs, no context at all (so none to fetch), one object per subject
    assert isinstance(document, list) and b"@context" not in data
    assert len({node["@id"] for node in document}) == len(document)
    options = {"documentLoader": refuse_remote}
    expanded = jsonld.expand(document, options)
    assert expanded and all("@id" in node for node in expanded)
    # rdflib (through mixity's loader, which refuses remote contexts) reads back the same graph
    assert isomorphic(parse_text(json.dumps(expanded), "json-ld"), graph)
    assert isomorphic(parse_text(data.decode("utf-8"), "json-ld"), graph)
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads", **options})
    assert isomorphic(parse_text(nquads, "nquads"), graph)


def test_jsonld_loads_with_mixity_safe_loader(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "g.jsonld"
    assert run(runner, "export", "-o", str(target))[0] == 0
    code, out, err = run(runner, "info", "--no-bundled", "-g", str(target), "--json")
    assert code == 0, err
    assert json.loads(out)["triples"] == len(parse_file(target))


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"), [("turtle", "turtle"), ("nt", "nt"), ("trig", "trig")]
)
def test_rdf_formats_read_back_isomorphic(
    fmt: str, rdflib_format: str, bundled: LoadedGraph
) -> None:
    data = export(bundled.graph, fmt).single or b""
    if fmt == "trig":
        # the default graph only: no named graph block
        assert not [line for line in data.decode("utf-8").splitlines() if line.endswith("{")]
    back = parse_text(data.decode("utf-8"), rdflib_format)
    assert isomorphic(back, bundled.graph)
    for graph in read_back(data, fmt)[1:]:
        assert isomorphic(graph, bundled.graph)
    if fmt == "nt":
        lines = data.decode("utf-8").splitlines()
        assert lines == sorted(lines)


# Blank nodes (nested), every kind of literal, an extension's prefix, an IRI no prefix shortens.
# Numbers in canonical form: Oxigraph's store keeps values (0.50 is read back as 0.5), rdflib
# keeps the text, and "0.50" and "0.5" are different RDF terms.
TRICKY = """\
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/ext/> .

ex:seminaire a ex:Seminaire ;
    rdfs:label "Séminaire « mixité »"@fr , "Seminar"@en ;
    ex:date "2020-01-02"^^xsd:date ; ex:count 3 ; ex:ratio 0.5 ; ex:ok true ;
    ex:score "1.5"^^xsd:double ;
    ex:note "line 1\\nline \\"2\\"\\ttab; ex:not-a-name" ;
    ex:quote [ a ex:Quote ; ex:exact "« un »" ; ex:in [ ex:page 4 ] ] ;
    ex:quote [ a ex:Quote ; ex:exact "« deux »" ] ;
    ex:odd <https://example.org/other/a%20b> ;
    skos:related ex:autre .
ex:autre rdfs:label "autre"@fr .
"""


def read_back(data: bytes, fmt: str) -> list[Graph]:
    """`data` as read by every real parser of `fmt`: rdflib (mixity's loader), pyoxigraph, pyld."""
    syntax = {"turtle": "turtle", "nt": "nt", "trig": "trig", "jsonld": "json-ld"}[fmt]
    graphs = [parse_text(data.decode("utf-8"), syntax)]
    oxigraph = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}
    oxigraph |= {"trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
    parsed = ox.parse(data, format=oxigraph[fmt])
    graphs.append(graph_from_triples(ox.Triple(q.subject, q.predicate, q.object) for q in parsed))
    if fmt == "jsonld":
        options = {"format": "application/n-quads", "documentLoader": refuse_remote}
        graphs.append(parse_text(jsonld.to_rdf(json.loads(data), options), "nquads"))
    return graphs


@pytest.mark.parametrize("fmt", ["turtle", "nt", "trig", "jsonld"])
def test_query_construct_and_export_write_the_same_bytes(
    fmt: str, runner: CliRunner, tmp_path: Path
) -> None:
    source = write(tmp_path, "tricky.ttl", TRICKY)
    construct = ["--infer", "none", "CONSTRUCT WHERE { ?s ?p ?o }"]
    code, queried, err = run(
        runner, "query", "--no-bundled", "-g", str(source), *construct, "--format", fmt
    )
    assert code == 0, err
    code, exported, err = run(runner, "export", "--no-bundled", "-g", str(source), "-f", fmt)
    assert code == 0, err
    assert queried == exported
    original = parse_file(source)
    for graph in read_back(exported, fmt):
        assert isomorphic(graph, original)
    if fmt in ("turtle", "trig"):
        text = exported.decode("utf-8")
        assert "@prefix ex: <https://example.org/ext/> ." in text  # the file's own prefix
        assert "@prefix owl:" not in text  # only the prefixes used
        head = [line for line in text.splitlines() if line.startswith("@prefix")]
        assert head == sorted(head) and text.startswith("@prefix ex:")


def test_rdf_export_is_the_same_whatever_the_blank_node_ids() -> None:
    reordered = TRICKY.replace(
        'a ex:Quote ; ex:exact "« deux »"', 'ex:exact "« deux »" ; a ex:Quote'
    )
    first, second = parse_text(TRICKY, "turtle"), parse_text(reordered, "turtle")
    assert reordered != TRICKY and isomorphic(first, second)
    for fmt in ("turtle", "nt", "trig", "jsonld"):
        assert export(first, fmt).files == export(second, fmt).files, fmt


def test_rdf_export_without_evidence_or_schema(bundled: LoadedGraph) -> None:
    graph = bundled.graph
    data = export(graph, "turtle", evidence=False, schema=False).single or b""
    back = Graph().parse(data=data, format="turtle")
    assert not set(back.subjects(RDF.type, URIRef(OA + "SpecificResource")))
    assert not set(back.objects(None, URIRef(OA + "exact")))
    assert not set(back.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")))
    projected = project(graph, schema=False, evidence=False, links=EVERY_LINK)
    assert {str(s) for s in back.subjects()} == {
        n for n in projected if not n.startswith("_:") and (URIRef(n), None, None) in graph
    }
    # what is kept is kept whole: every triple of a kept resource to a kept node or a literal
    for s, p, o in back:
        assert (s, p, o) in graph


# --------------------------------------------------------------------------------------------
# CLI behaviour


def test_stdout_and_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    code, out, err = run(runner, "export", "-f", "nt")
    assert code == 0 and "triples as nt" in err
    assert len(Graph().parse(data=out, format="nt")) > 0
    code, _, err = run(runner, "export")
    assert code == 2 and "--format" in err
    code, _, err = run(runner, "export", "-o", str(tmp_path / "g.unknown"))
    assert code == 2
    code, _, err = run(runner, "export", "-f", "csv")
    assert code == 2 and "-o FOLDER" in err
    assert list(tmp_path.iterdir()) == []


def test_failures_write_nothing(runner: CliRunner, tmp_path: Path) -> None:
    broken = write(tmp_path, "broken.ttl", "@prefix ex: <https://example.org/> .\nex:a ex:b .\n")
    before = broken.read_bytes()
    for fmt, name in (("graphml", "g.graphml"), ("csv", "tables"), ("csv", "t.zip")):
        target = tmp_path / name
        code, out, err = run(runner, "export", "-f", fmt, "-g", str(broken), "-o", str(target))
        assert code == 1 and out == b"" and "broken.ttl:2" in err
        assert not target.exists()
    existing = write(tmp_path, "keep.ttl", "keep me")
    code, _, _ = run(runner, "export", "-g", str(broken), "-o", str(existing))
    assert code == 1 and existing.read_text(encoding="utf-8") == "keep me"
    assert broken.read_bytes() == before
    code, _, err = run(runner, "export", "-o", str(tmp_path / "missing" / "g.gexf"))
    assert code == 1 and "does not exist" in err
    code, _, err = run(runner, "export", "-f", "csv", "-o", str(existing))
    assert code == 1 and "not a folder" in err
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_exports_are_byte_stable_across_parses() -> None:
    from mixity.graph.io.loader import load

    first, second = load().graph, load().graph  # rdflib names blank nodes at random each time
    for fmt in ("turtle", "nt", "trig", "jsonld", "graphml", "gexf", "csv"):
        assert export(first, fmt).files == export(second, fmt).files, fmt


def test_export_a_view(runner: CliRunner, tmp_path: Path, bundled: LoadedGraph) -> None:
    from mixity.graph.model.views import view_nodes

    target = tmp_path / "actors.graphml"
    code, _, err = run(runner, "export", "--view", "actors", "-o", str(target))
    assert code == 0, err
    back = nx.read_graphml(target, force_multigraph=True)
    expected = {str(n) for n in view_nodes(bundled.graph, "actors")}
    assert set(back.nodes) == expected
    rdf = tmp_path / "actors.ttl"
    assert run(runner, "export", "--view", "actors", "-o", str(rdf))[0] == 0
    subjects = {str(s) for s in parse_file(rdf).subjects()}
    assert subjects <= expected
    code, _, err = run(runner, "export", "--view", "actorz", "-o", str(tmp_path / "x.gexf"))
    assert code == 1 and "actors" in err
    assert not (tmp_path / "x.gexf").exists()


# --------------------------------------------------------------------------------------------
# Without the evidence nodes, the quotes stay


def expected_quotes(graph: Graph) -> dict[str, list[tuple[str, str]]]:
    """Fact -> sorted (exact text, source IRI) of the quotes it cites (an independent query)."""
    rows = graph.query(
        """SELECT ?fact ?text ?doc WHERE {
             ?fact mix:evidence ?e . ?e oa:hasSource ?doc ; oa:hasSelector/oa:exact ?text .
             FILTER(isIRI(?fact))
           }""",
        initNs={"mix": MIX, "oa": OA},
    )
    found: dict[str, list[tuple[str, str]]] = {}
    for fact, text, doc in rows:  # type: ignore[misc]
        found.setdefault(str(fact), []).append((str(text), str(doc)))
    return {fact: sorted(pairs) for fact, pairs in found.items()}


def quotes_of(attrs: dict[str, str]) -> list[tuple[str, str]]:
    texts = attrs["quote"].split(LIST_SEPARATOR)
    iris = attrs["quote_source_iri"].split(LIST_SEPARATOR)
    assert len(attrs["quote_source"].split(LIST_SEPARATOR)) == len(texts) == len(iris)
    return sorted(zip(texts, iris, strict=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_no_evidence_keeps_the_quotes_as_attributes(
    bundled: LoadedGraph, runner: CliRunner, tmp_path: Path, fmt: str
) -> None:
    graph = bundled.graph
    expected = expected_quotes(graph)
    assert len(expected) > 50
    target = tmp_path / ("tables" if fmt == "csv" else f"debate.{fmt}")
    code, _, err = run(runner, "export", "-f", fmt, "--no-evidence", "-o", str(target))
    assert code == 0, err
    if fmt == "csv":
        nodes = {
            r["id"]: {k: v for k, v in r.items() if v}
            for r in read_csv((target / "nodes.csv").read_bytes())
        }
    else:
        read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        nodes = dict(read(str(target)).nodes(data=True))
    assert not [n for n, a in nodes.items() if a.get("kind") == "evidence"]
    # (blank nodes, such as a statement's annotation, have ids of the export's own)
    found = {n: quotes_of(a) for n, a in nodes.items() if "quote" in a and not n.startswith("_:")}
    assert found == {n: q for n, q in expected.items() if n in nodes}
    lever = nodes["https://w3id.org/mixity/id/lever/point-regulier-acteurs-exterieurs"]
    assert "Vivre et gérer la mixité sociale" in lever["quote_source"].split(LIST_SEPARATOR)
