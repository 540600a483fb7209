"""`mixity analyze` and `mixity path`: measures, debate findings, stability, outputs, errors.

Expected answers are derived from the graph with independent SPARQL or rdflib calls, never
written down by hand, so the tests keep holding while the bundled data grows.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from mixity.cli import main
from mixity.errors import InvalidParameter
from mixity.graph.io.loader import LoadedGraph, load, parse_text
from mixity.graph.model.edges import declared_inverses
from mixity.graph.model.labels import label
from mixity.graph.model.resolve import fold
from mixity.graph.model.vocabulary import SCHEME_PROPERTIES
from mixity.graph.network.analyze import analyze
from mixity.graph.network.paths import find_paths
from mixity.graph.network.projection import project

MIX = "https://w3id.org/mixity/ontology#"
NS = {
    "mix": MIX,
    "ibis": "https://vocab.methodandstructure.com/ibis#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}

# A small debate: two levers, three questions (one answered by a Finding, not a lever), four
# actor types (one no lever mobilises), a notion linked to nothing.
DEBATE = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ibis: <https://vocab.methodandstructure.com/ibis#> .
@prefix ex: <https://example.org/debat/> .

mix:Lever rdfs:subClassOf ibis:Position .
mix:Question rdfs:subClassOf ibis:Issue .
mix:involves rdfs:label "mobilise"@fr , "involves"@en .
ibis:responds-to rdfs:label "répond à"@fr , "responds to"@en .
ex:SubLever rdfs:subClassOf mix:Lever .

ex:l1 a mix:Lever ; rdfs:label "Réunir les acteurs"@fr , "Bring actors together"@en ;
    mix:involves ex:syndics , ex:habitants ; ibis:responds-to ex:q1 .
ex:l2 a ex:SubLever ; rdfs:label "Ouvrir des lieux"@fr , "Open places"@en ;
    mix:involves ex:habitants , ex:bailleurs ; ibis:responds-to ex:q2 .
ex:f1 a mix:Finding ; rdfs:label "Un constat"@fr ; ibis:responds-to ex:q3 .
ex:q1 a mix:Question ; rdfs:label "Comment se parler ?"@fr .
ex:q2 a mix:Question ; rdfs:label "Où se croiser ?"@fr .
ex:q3 a mix:Question ; rdfs:label "Qu'est-ce que la mixité ?"@fr .
ex:syndics a mix:ActorType ; skos:prefLabel "syndics"@fr .
ex:habitants a mix:ActorType ; skos:prefLabel "habitants"@fr .
ex:bailleurs a mix:ActorType ; skos:prefLabel "bailleurs"@fr , "social landlords"@en .
ex:police a mix:ActorType ; skos:prefLabel "police municipale"@fr .
ex:isolee a mix:Notion ; skos:prefLabel "Mixité d'usage"@fr .
ex:police skos:related ex:syndics .
"""


CLI = "from mixity.cli import main; main()"


def debate() -> Graph:
    return parse_text(DEBATE, "turtle")


def write_debate(tmp_path: Path) -> Path:
    path = tmp_path / "debate.ttl"
    path.write_text(DEBATE, encoding="utf-8")
    return path


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def sparql_unanswered(graph: Graph) -> set[str]:
    rows = graph.query(
        """SELECT DISTINCT ?q WHERE {
             ?q a/rdfs:subClassOf* mix:Question .
             FILTER NOT EXISTS { ?l ibis:responds-to ?q . ?l a/rdfs:subClassOf* mix:Lever }
           }""",
        initNs=NS,
    )
    return {str(r[0]) for r in rows}  # type: ignore[index]


def sparql_involves(graph: Graph) -> set[tuple[str, str]]:
    rows = graph.query(
        "SELECT DISTINCT ?l ?a WHERE { ?l a/rdfs:subClassOf* mix:Lever ; mix:involves ?a }",
        initNs=NS,
    )
    return {(str(r[0]), str(r[1])) for r in rows}  # type: ignore[index]


def sparql_actor_counts(graph: Graph) -> dict[str, int]:
    rows = graph.query(
        """SELECT ?a (COUNT(DISTINCT ?l) AS ?n) WHERE {
             { ?a a/rdfs:subClassOf* mix:ActorType } UNION { ?x mix:involves ?a }
             OPTIONAL { ?l a/rdfs:subClassOf* mix:Lever ; mix:involves ?a }
           } GROUP BY ?a""",
        initNs=NS,
    )
    return {str(r[0]): int(r[1]) for r in rows}  # type: ignore[index]


def check_findings(graph: Graph) -> None:
    """The debate findings of `analyze` agree with independent SPARQL queries."""
    result = analyze(graph)
    assert {n.id for n in result.unanswered} == sparql_unanswered(graph)
    cells = {
        (lever.id, actor.id)
        for lever, row in zip(result.levers, result.matrix, strict=True)
        for actor, cell in zip(result.actor_types, row, strict=True)
        if cell
    }
    assert cells == sparql_involves(graph)
    assert all(len(row) == len(result.actor_types) for row in result.matrix)
    assert {a.id: a.levers for a in result.actor_counts} == sparql_actor_counts(graph)
    counts = [a.levers for a in result.actor_counts]
    assert counts == sorted(counts, reverse=True)


def test_findings_on_a_small_debate() -> None:
    graph = debate()
    check_findings(graph)
    result = analyze(graph)
    # q3 is answered only by a finding, which is not a lever
    assert "https://example.org/debat/q3" in {n.id for n in result.unanswered}
    assert any(a.levers == 0 for a in result.actor_counts)


def test_findings_on_the_bundled_graph(bundled: LoadedGraph) -> None:
    check_findings(bundled.graph)


def test_degree_counts_links_to_other_resources(bundled: LoadedGraph) -> None:
    graph = bundled.graph
    result = analyze(graph)
    kept = {URIRef(m.id) for m in result.measures}
    # A link stated both ways is one link; scheme membership is not a link.
    inverse = declared_inverses(graph)
    links = {
        (o, inverse[str(p)], s) if str(p) in inverse else (s, str(p), o)
        for s, p, o in graph
        if s in kept and o in kept and str(p) not in SCHEME_PROPERTIES
    }
    degree: Counter[str] = Counter()
    for s, _, o in links:
        degree[str(s)] += 1
        degree[str(o)] += 1
    assert {m.id: m.degree for m in result.measures} == {str(n): degree[str(n)] for n in kept}
    isolated = {n.id for n in result.isolated}
    assert isolated == {str(n) for n in kept if degree[str(n)] == 0}
    # neither evidence nor schema by default
    classes = {m.cls for m in result.measures}
    assert "ressource spécifique" not in classes and "classe" not in classes
    assert not any(m.id.startswith("_:") for m in result.measures)


def test_central_resources_per_class_are_ranked_and_cut_at_top(bundled: LoadedGraph) -> None:
    result = analyze(bundled.graph, top=3)
    assert result.central
    for cls, ranked in result.central.items():
        assert 1 <= len(ranked) <= 3
        assert all(m.cls == cls for m in ranked)
        scores = [m.pagerank for m in ranked]
        assert scores == sorted(scores, reverse=True)
        everyone = [m for m in result.measures if m.cls == cls]
        assert max(m.pagerank for m in everyone) == ranked[0].pagerank
    assert sum(c.size for c in result.communities) == result.nodes
    assert abs(sum(m.pagerank for m in result.measures) - 1.0) < 1e-6


def test_bridges_link_other_communities(bundled: LoadedGraph) -> None:
    result = analyze(bundled.graph)
    projected = project(bundled.graph, evidence=False)
    community = {m.id: m.community for m in result.measures}
    assert result.bridges
    for bridge in result.bridges:
        node = bridge.resource.id
        neighbours = set(projected.successors(node)) | set(projected.predecessors(node))
        assert set(bridge.communities) == {community[n] for n in neighbours} - {community[node]}


def test_approximate_betweenness_above_the_threshold_is_seeded_and_said(
    bundled: LoadedGraph,
) -> None:
    exact = analyze(bundled.graph)
    assert exact.betweenness_method == "exact"
    assert "exact" in exact.to_text().splitlines()[0]
    first = analyze(bundled.graph, max_work=10, samples=20)
    second = analyze(bundled.graph, max_work=10, samples=20)
    assert first.betweenness_method == "approximate" and first.betweenness_samples == 20
    assert [m.betweenness for m in first.measures] == [m.betweenness for m in second.measures]
    assert "approximate" in first.to_text().splitlines()[0]
    assert json.loads(first.to_json())["betweenness"]["method"] == "approximate"
    assert "approximate" in first.to_turtle().splitlines()[1]


def test_communities_are_the_same_in_separate_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", CLI, "analyze", "--format", "json"],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0]["communities"] == outputs[1]["communities"] == outputs[2]["communities"]
    assert outputs[0] == outputs[1] == outputs[2]


def test_json_output(runner: CliRunner) -> None:
    code, out, err = run(runner, "analyze", "--format", "json", "--top", "2")
    assert code == 0, err
    data = json.loads(out)
    for key in (
        "central",
        "communities",
        "bridges",
        "isolated",
        "unanswered_questions",
        "matrix",
        "actor_types_by_levers",
        "betweenness",
    ):
        assert key in data
    assert all(len(ranked) <= 2 for ranked in data["central"].values())
    assert len(data["matrix"]["cells"]) == len(data["matrix"]["levers"])


def test_table_output_in_english(runner: CliRunner, tmp_path: Path) -> None:
    code, out, _ = run(runner, "analyze", "-g", str(write_debate(tmp_path)), "--lang", "en")
    assert code == 0
    for heading in (
        "Most central",
        "Communities",
        "Bridges",
        "Resources with no link",
        "Questions no lever responds to",
        "Actor types by number of levers",
        "Levers × actor types",
    ):
        assert heading in out
    assert "social landlords" in out and "Open places" in out
    assert "Mixité d'usage" in out  # no English label: falls back to French


def test_csv_output_has_a_row_per_resource(runner: CliRunner, bundled: LoadedGraph) -> None:
    code, out, _ = run(runner, "analyze", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    result = analyze(bundled.graph)
    assert len(rows) == result.nodes
    by_id = {m.id: m for m in result.measures}
    for row in rows:
        measured = by_id[row["id"]]
        assert int(row["degree"]) == measured.degree
        assert float(row["pagerank"]) == measured.pagerank
        assert row["label"] == measured.label


def test_turtle_measures_load_back_and_answer_sparql(
    runner: CliRunner, tmp_path: Path, bundled: LoadedGraph
) -> None:
    target = tmp_path / "measures.ttl"
    code, out, err = run(runner, "analyze", "--format", "turtle", "-o", str(target))
    assert code == 0 and out == "" and "Wrote" in err
    measures = Graph().parse(target, format="turtle")
    result = analyze(bundled.graph)
    named = [m for m in result.measures if not m.id.startswith("_:")]
    assert len(set(measures.subjects())) == len(named)
    for m in named[:50]:
        node = URIRef(m.id)
        assert measures.value(node, URIRef(MIX + "degree")) == Literal(
            m.degree, datatype=XSD.integer
        )
        assert measures.value(node, URIRef(MIX + "community")).toPython() == m.community  # type: ignore[union-attr]
        value = measures.value(node, URIRef(MIX + "pagerank"))
        assert isinstance(value, Literal) and value.datatype == XSD.double
        assert abs(float(value) - m.pagerank) < 1e-12
    # loaded with the graph (-g), the measures answer SPARQL next to the labels
    merged = load([target])
    rows = merged.graph.query(
        "SELECT ?s WHERE { ?s mix:pagerank ?r ; rdfs:label ?l } ORDER BY DESC(?r) LIMIT 1",
        initNs=NS,
    )
    top = max(named, key=lambda m: m.pagerank)
    assert [str(r[0]) for r in rows] == [top.id]  # type: ignore[index]


def test_turtle_measures_through_mixity_query(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "measures.ttl"
    assert run(runner, "analyze", "--format", "turtle", "-o", str(target))[0] == 0
    code, out, err = run(
        runner,
        "query",
        "-g",
        str(target),
        "SELECT (COUNT(?s) AS ?n) WHERE { ?s <https://w3id.org/mixity/ontology#community> ?c }",
        "--format",
        "csv",
    )
    assert code == 0, err
    count = int(out.strip().splitlines()[-1])
    assert count == len(set(Graph().parse(target, format="turtle").subjects()))


def test_bad_options_and_inputs_fail_cleanly(runner: CliRunner, tmp_path: Path) -> None:
    assert run(runner, "analyze", "--top", "0")[0] == 2
    code, _, err = run(
        runner, "analyze", "--format", "turtle", "-o", str(tmp_path / "no" / "m.ttl")
    )
    assert code == 1 and "does not exist" in err
    assert not (tmp_path / "no").exists()
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    target = tmp_path / "m.ttl"
    target.write_text("keep me", encoding="utf-8")
    code, out, err = run(
        runner, "analyze", "-g", str(broken), "--format", "turtle", "-o", str(target)
    )
    assert out == ""
    assert code == 1 and err.startswith("mixity: error: ") and "broken.ttl:1" in err
    assert target.read_text(encoding="utf-8") == "keep me"
    assert broken.read_text(encoding="utf-8") == "<a> <b> .\n"


# --------------------------------------------------------------------------------------------
# mixity path


def test_path_between_a_lever_and_an_actor_it_involves(runner: CliRunner, tmp_path: Path) -> None:
    graph = debate()
    lever, actor = sorted(sparql_involves(graph))[0]
    lever_label = label(graph, URIRef(lever))
    actor_label = label(graph, URIRef(actor))
    involves = label(graph, URIRef(MIX + "involves"))
    code, out, err = run(
        runner, "path", "--no-bundled", "-g", str(write_debate(tmp_path)), lever_label, actor_label
    )
    assert code == 0, err
    assert out.splitlines()[0] == f"1. {lever_label} —{involves}→ {actor_label}"
    code, out, _ = run(
        runner, "path", "--no-bundled", "-g", str(write_debate(tmp_path)), actor_label, lever_label
    )
    assert out.splitlines()[0] == f"1. {actor_label} ←{involves}— {lever_label}"


def test_path_two_links_through_a_lever(bundled: LoadedGraph) -> None:
    graph = bundled.graph
    rows = list(
        graph.query(
            """SELECT ?q ?l ?a WHERE { ?l a/rdfs:subClassOf* mix:Lever ;
                                       ibis:responds-to ?q ; mix:involves ?a }
           ORDER BY ?q ?l ?a LIMIT 1""",
            initNs=NS,
        )
    )
    assert rows, "no lever both responds to a question and involves an actor"
    question, lever, actor = (URIRef(str(t)) for t in rows[0])  # type: ignore[union-attr]
    paths = find_paths(graph, str(question), str(actor), max_paths=50)
    assert 1 <= len(paths[0].hops) <= 2
    assert all(len(p.hops) == len(paths[0].hops) for p in paths)
    for found in paths:
        assert found.nodes[0].id == str(question) and found.nodes[-1].id == str(actor)
    if len(paths[0].hops) == 2:
        assert str(lever) in {p.nodes[1].id for p in paths}


def test_path_labels_match_without_accents_or_case(bundled: LoadedGraph) -> None:
    graph = bundled.graph
    projected = project(graph, evidence=False)
    counts = Counter(fold(str(lbl)) for _, lbl in projected.nodes(data="label"))
    accented = sorted(
        node
        for node, lbl in projected.nodes(data="label")
        if fold(lbl) != lbl.casefold() and counts[fold(lbl)] == 1 and projected.degree(node)
    )
    node = accented[0]
    neighbour = sorted(set(projected.successors(node)) | set(projected.predecessors(node)))[0]
    asked = fold(projected.nodes[node]["label"]).upper()
    assert asked != projected.nodes[node]["label"]
    (found,) = find_paths(graph, asked, neighbour, max_paths=1)
    assert [n.id for n in found.nodes] == [node, neighbour]


def test_path_accepts_prefixed_and_bracketed_iris(runner: CliRunner) -> None:
    code, out, err = run(
        runner,
        "path",
        "notion:mixite",
        "<https://w3id.org/mixity/id/notion/mixite-sociale>",
        "--max",
        "1",
    )
    assert code == 0, err
    assert len(out.splitlines()) == 1


def test_path_unknown_label_suggests_close_ones(runner: CliRunner, tmp_path: Path) -> None:
    code, out, err = run(
        runner,
        "path",
        "--no-bundled",
        "-g",
        str(write_debate(tmp_path)),
        "Reunir les actuers",
        "syndics",
    )
    assert code == 1 and out == ""
    assert "unknown resource 'Reunir les actuers'" in err and "Réunir les acteurs" in err
    # a part of a label is enough when it names one resource
    code, out, err = run(
        runner, "path", "--no-bundled", "-g", str(write_debate(tmp_path)), "Reunir les", "syndics"
    )
    assert code == 0 and out.startswith("1. Réunir les acteurs —"), err


def test_path_ambiguous_label_and_no_path(runner: CliRunner, tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        '<https://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "Même"@fr .\n'
        '<https://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> "meme"@fr .\n'
        '<https://example.org/c> <http://www.w3.org/2000/01/rdf-schema#label> "Seul"@fr .\n',
        encoding="utf-8",
    )
    code, _, err = run(runner, "path", "--no-bundled", "-g", str(extra), "même", "Seul")
    assert code == 1 and "names 2 resources" in err and "the IRI" in err
    assert "« Même » <https://example.org/a>" in err and "« meme » <https://example.org/b>" in err
    code, _, err = run(
        runner, "path", "--no-bundled", "-g", str(extra), "https://example.org/a", "Seul"
    )
    assert code == 1 and "no path between" in err
    code, _, _ = run(runner, "path", "--no-bundled", "-g", str(extra), "Seul", "Seul", "--max", "0")
    assert code == 2


def ring(nodes: int) -> str:
    """A ring of `nodes` notions, each also linked two steps ahead."""
    lines = ["@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    for i in range(nodes):
        lines.append(
            f'<https://example.org/n{i}> skos:prefLabel "nœud {i}"@fr ; '
            f"skos:related <https://example.org/n{(i + 1) % nodes}> , "
            f"<https://example.org/n{(i + 2) % nodes}> ."
        )
    return "\n".join(lines) + "\n"


def test_large_graphs_get_approximate_betweenness_automatically(
    runner: CliRunner, tmp_path: Path
) -> None:
    from mixity.graph.network.analyze import EXACT_BETWEENNESS_MAX_WORK, betweenness_samples

    assert betweenness_samples(100, 200, EXACT_BETWEENNESS_MAX_WORK) is None
    size = 1200
    assert size * 2 * size > EXACT_BETWEENNESS_MAX_WORK
    path = tmp_path / "ring.ttl"
    path.write_text(ring(size), encoding="utf-8")
    code, out, err = run(runner, "analyze", "--no-bundled", "-g", str(path), "--format", "json")
    assert code == 0, err
    assert "note: betweenness: approximate" in err
    data = json.loads(out)
    assert data["betweenness"]["method"] == "approximate"
    samples = data["betweenness"]["samples"]
    assert samples == betweenness_samples(size, 2 * size, EXACT_BETWEENNESS_MAX_WORK) < size


def test_analyze_a_view(runner: CliRunner, bundled: LoadedGraph) -> None:
    from mixity.graph.model.views import view_nodes

    code, out, err = run(runner, "analyze", "--view", "actors", "--format", "csv")
    assert code == 0, err
    ids = {row["id"] for row in csv.DictReader(io.StringIO(out))}
    assert ids == {str(n) for n in view_nodes(bundled.graph, "actors")}
    code, out, _ = run(runner, "analyze", "--view", "actors")
    assert out.startswith("Debate network (view actors)")


def test_path_to_a_resource_left_out_names_the_flag(
    runner: CliRunner, bundled: LoadedGraph
) -> None:
    from mixity.graph.network.projection import classify

    parts = classify(bundled.graph)
    source = sorted(n for n in parts.evidence if n.startswith("https://w3id.org/mixity/id/source/"))
    assert source
    target = next(m.id for m in analyze(bundled.graph).measures if m.degree)
    code, out, err = run(runner, "path", source[0], target)
    assert code == 1 and out == ""
    assert "is evidence: paths leave it out unless --evidence is set" in err
    with pytest.raises(InvalidParameter, match="unless evidence is set") as raised:
        find_paths(bundled.graph, source[0], target)
    assert raised.value.parameter == "source" and raised.value.others == ("evidence",)
    code, out, err = run(runner, "path", target, "mix:Lever")
    assert code == 1 and "unless --schema is set" in err
    code, out, err = run(runner, "path", source[0], target, "--evidence", "--max", "1")
    assert code == 0, err
    assert len(out.splitlines()) == 1


def test_library_errors_name_parameters_not_options() -> None:
    graph = debate()
    with pytest.raises(InvalidParameter) as raised:
        analyze(graph, top=0)
    assert str(raised.value) == "top: must be 1 or more, not 0"
    with pytest.raises(InvalidParameter) as raised:
        find_paths(graph, "syndics", "habitants", max_paths=0)
    assert str(raised.value) == "max_paths: must be 1 or more, not 0"
    with pytest.raises(InvalidParameter) as raised:
        find_paths(graph, "syndics", "ex:syndics")
    assert raised.value.parameter == "target" and "--" not in str(raised.value)


def test_pagerank_is_networkx_public_pagerank_of_the_undirected_network() -> None:
    graph = debate()
    result = analyze(graph)
    projected = project(graph, evidence=False)
    undirected: dict[str, set[str]] = {node: set() for node in projected}
    for u, v in projected.edges():
        if u != v:
            undirected[u].add(v)
            undirected[v].add(u)
    # an independent power iteration (dangling nodes spread their rank evenly)
    n = len(undirected)
    rank = dict.fromkeys(undirected, 1 / n)
    for _ in range(1000):
        dangling = sum(rank[u] for u in undirected if not undirected[u])
        rank = {
            v: 0.15 / n
            + 0.85 * (sum(rank[u] / len(undirected[u]) for u in undirected[v]) + dangling / n)
            for v in undirected
        }
    for m in result.measures:
        assert abs(m.pagerank - rank[m.id]) < 1e-9
    assert [m.pagerank for m in analyze(graph).measures] == [m.pagerank for m in result.measures]


SEMINAR = """\
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix notion: <https://w3id.org/mixity/id/notion/> .
@prefix ex: <https://example.org/recherche/> .

ex:seminaire a mix:Meeting ;
    rdfs:label "Séminaire d'été sur la mixité"@fr , "Summer seminar on mixity"@en ;
    mix:concerns notion:mixite .
"""


def test_path_analyze_and_export_find_the_same_resource_however_it_is_written(
    runner: CliRunner, tmp_path: Path
) -> None:
    extension = tmp_path / "seminaire.ttl"
    extension.write_text(SEMINAR, encoding="utf-8")
    iri = "https://example.org/recherche/seminaire"
    spellings = [
        "Séminaire d'été sur la mixité",  # the label, accents and all
        "SEMINAIRE D'ETE SUR LA MIXITE",  # no accents, another case
        "summer seminar on mixity",  # the English label
        "ex:seminaire",  # the extension's own prefix
        iri,
        f"<{iri}>",
    ]
    outputs: dict[str, set[str]] = {"path": set(), "analyze": set(), "export": set()}
    for name in spellings:
        code, out, err = run(runner, "path", "-g", str(extension), name, "bailleurs", "--max", "1")
        assert code == 0, (name, err)
        assert out.startswith("1. Séminaire d'été sur la mixité —")
        outputs["path"].add(out)
        code, out, err = run(
            runner, "analyze", "-g", str(extension), "--focus", name, "--format", "csv"
        )
        assert code == 0, (name, err)
        assert iri in {row["id"] for row in csv.DictReader(io.StringIO(out))}
        outputs["analyze"].add(out)
        code, out, err = run(runner, "export", "-g", str(extension), "--focus", name, "-f", "nt")
        assert code == 0, (name, err)
        assert f"<{iri}> " in out
        outputs["export"].add(out)
    assert all(len(found) == 1 for found in outputs.values()), outputs.keys()


def test_blank_nodes_are_found_by_label_or_by_their_stable_id(runner: CliRunner) -> None:
    graph = parse_text(
        DEBATE + 'ex:l1 mix:involves [ a mix:ActorType ; skos:prefLabel "gardiens"@fr ] .\n',
        "turtle",
    )
    (by_label,) = find_paths(graph, "gardiens", "Réunir les acteurs", max_paths=1)
    blank = by_label.nodes[0].id
    assert blank.startswith("_:b")
    (by_id,) = find_paths(graph, blank, "Réunir les acteurs", max_paths=1)
    assert by_id == by_label
    # the id is a function of the data: a new parse gives the same one
    again = parse_text(
        DEBATE + 'ex:l1 mix:involves [ a mix:ActorType ; skos:prefLabel "gardiens"@fr ] .\n',
        "turtle",
    )
    assert find_paths(again, blank, "ex:l1", max_paths=1) == [by_id]


# --- Structure is not content ----------------------------------------------------------------

SCHEME = "https://w3id.org/mixity/id/scheme/"
NOTION = "https://w3id.org/mixity/id/notion/"


def test_paths_between_notions_do_not_run_through_their_scheme(bundled: LoadedGraph) -> None:
    pairs = [
        ("mixité résidentielle", "qualité de vie"),
        ("mixité sociale", "immeuble mixte"),
        ("notion:copropriete", "notion:lien-social"),
        ("mixité d'usage", "parcours résidentiel"),
    ]
    for source, target in pairs:
        for found in find_paths(bundled.graph, source, target, max_paths=10):
            assert not [n.id for n in found.nodes if n.id.startswith(SCHEME)], found.to_text()
    # Following scheme membership, as before, the scheme is the shortest way.
    through = find_paths(bundled.graph, "mixité sociale", "immeuble mixte", via=["skos:inScheme"])
    assert [n.id for n in through[0].nodes][1] == SCHEME + "notions"


def test_a_link_stated_both_ways_counts_once(bundled: LoadedGraph) -> None:
    result = analyze(bundled.graph)
    degree = {m.id: m.degree for m in result.measures}
    outside = "https://w3id.org/mixity/id/actor/acteurs-exterieurs"
    levers = [d for node, d in degree.items() if "/lever/" in node]
    # broader and narrower each counted, « acteurs extérieurs » outranked every lever (16 > 11)
    assert degree[outside] <= max(levers) and degree[outside] <= min(levers)
    neighbours = {
        str(o if s == URIRef(outside) else s)
        for s, p, o in bundled.graph
        if URIRef(outside) in (s, o)
        and str(p) not in SCHEME_PROPERTIES
        and str(o if s == URIRef(outside) else s) in degree
    }
    assert degree[outside] == len(neighbours)  # one link per neighbour here


def test_concept_schemes_are_not_central(bundled: LoadedGraph) -> None:
    result = analyze(bundled.graph, top=10)
    ranked = sorted(result.measures, key=lambda m: (-m.pagerank, -m.betweenness, -m.degree))
    assert not [m for m in ranked[:20] if m.id.startswith(SCHEME)]
    assert not [m for m in result.measures if m.id.startswith(SCHEME)]  # no link of their own
    assert not [n for n in result.isolated if n.id.startswith(SCHEME)]
    assert "What is counted:" in result.to_text()


def test_path_exclude_and_via_change_the_path(runner: CliRunner) -> None:
    a, b = "mixité sociale", "immeuble mixte"
    code, default, err = run(runner, "path", a, b, "--max", "10")
    assert code == 0, err
    code, excluded, err = run(runner, "path", a, b, "--max", "10", "--exclude", "skos:broader")
    assert code == 0, err
    assert "plus général" in default and "plus général" not in excluded
    code, via, err = run(runner, "path", a, b, "--via", "skos:related", "--via", "skos:narrower")
    assert code == 0, err
    followed = set(re.findall(r"—([^—→←]+)→|←([^—→←]+)—", via))
    assert {name for pair in followed for name in pair if name} == {"plus général", "associé à"}
    # narrower and broader are one relation: naming either follows it
    _, narrower, _ = run(runner, "path", a, "mixité résidentielle", "--via", "skos:narrower")
    _, broader, _ = run(runner, "path", a, "mixité résidentielle", "--via", "skos:broader")
    assert narrower == broader and "plus général" in broader
    code, through, err = run(
        runner, "path", a, b, "--via", "<http://www.w3.org/2004/02/skos/core#inScheme>"
    )
    assert code == 0, err
    assert "dans le schéma" in through


def test_path_exclude_and_via_name_real_properties(runner: CliRunner) -> None:
    code, out, err = run(runner, "path", "mixité", "bailleurs", "--exclude", "skos:brodaer")
    assert code == 1 and out == ""
    assert "unknown property 'skos:brodaer'" in err and "skos:broader" in err
    code, _, err = run(runner, "path", "mixité", "bailleurs", "--via", "nope:x")
    assert code == 1 and "--via" in err
    code, _, err = run(runner, "path", "Notions du débat", "mixité")
    assert code == 1
    assert "skos:inScheme" in err and "--via" in err
    with pytest.raises(InvalidParameter, match=r"^exclude: "):
        find_paths(load().graph, "mixité", "bailleurs", exclude=["not a property"])
