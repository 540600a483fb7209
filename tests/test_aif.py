"""AIF-JSON: `mixity export --format aif` and `mixity import MAP.json`.

Every export is read back by arguebuf (an independent AIF reader: the same texts, node counts
and supports as supports) and checked against the AIF rules arguebuf does not check: no edge
from an I-node to an I-node, every S-node with at least one incoming and exactly one outgoing
edge, every L-node anchored by a YA node. Imports pass `mixity validate --sources`.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import arguebuf
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from mixity.cli import main
from mixity.graph.exchange.aif import export_aif, import_aif
from mixity.graph.io.loader import LoadedGraph, load, parse_file
from mixity.graph.model.validate import validate

HERE = Path(__file__).parent / "exchange"
MINI = HERE / "mini.ttl"
AIFDB = HERE / "aifdb-map.json"
IBIS = "https://vocab.methodandstructure.com/ibis#"
SCHEMA = "https://schema.org/"
S_NODES = {"RA", "CA", "MA", "PA", "YA", "TA"}


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


def mini() -> Graph:
    return load([MINI], bundled=False).graph


def check_aif_rules(document: dict[str, Any]) -> None:
    """The AIF rules that arguebuf does not check."""
    kinds = {n["nodeID"]: n["type"] for n in document["nodes"]}
    assert len(kinds) == len(document["nodes"]), "node ids are unique"
    incoming: Counter[str] = Counter()
    outgoing: Counter[str] = Counter()
    for edge in document["edges"]:
        assert edge["fromID"] in kinds and edge["toID"] in kinds, "no dangling edge"
        assert (kinds[edge["fromID"]], kinds[edge["toID"]]) != ("I", "I"), "no I→I edge"
        outgoing[edge["fromID"]] += 1
        incoming[edge["toID"]] += 1
    for node, kind in kinds.items():
        if kind in S_NODES:
            assert incoming[node] >= 1 and outgoing[node] == 1, (node, kind)
    targets = {(e["fromID"], kinds[e["toID"]]) for e in document["edges"]}
    for node, kind in kinds.items():
        if kind == "L":
            assert (node, "YA") in targets, f"L-node {node} is anchored by a YA node"


def read_back(data: bytes, tmp_path: Path) -> Any:
    path = tmp_path / "map.json"
    path.write_bytes(data)
    return arguebuf.load.file(path)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_arguebuf_reads_the_mini_map(tmp_path: Path, lang: str) -> None:
    graph = mini()
    exported = export_aif(graph, lang=lang)
    document = json.loads(exported.data)
    check_aif_rules(document)
    back = read_back(exported.data, tmp_path)
    atoms = [n for n in document["nodes"] if n["type"] == "I"]
    # 2 questions, 2 levers, 2 findings
    assert len(back.atom_nodes) == len(atoms) == 6
    assert sorted(a.plain_text for a in back.atom_nodes.values()) == sorted(
        a["text"] for a in atoms
    )
    english = {"Mixed buildings: what realities of life?", "Bring the actors together"}
    assert english <= {a["text"] for a in atoms} if lang == "en" else True
    # the lever responds to both questions: two inferences, read as supports
    assert len(back.scheme_nodes) == 2
    assert all(isinstance(s.scheme, arguebuf.Support) for s in back.scheme_nodes.values())
    supports = {
        (back.atom_nodes[next(iter(back.incoming_nodes(s))).id].plain_text,
         back.atom_nodes[next(iter(back.outgoing_nodes(s))).id].plain_text)
        for s in back.scheme_nodes.values()
    }  # fmt: skip
    lever = "Réunir les acteurs" if lang == "fr" else "Bring the actors together"
    assert {conclusion for premise, conclusion in supports if premise == lever} == (
        {"Immeubles mixtes : quelles réalités de vie ?", "Qui réunir ?"}
        if lang == "fr"
        else {"Mixed buildings: what realities of life?", "Whom to bring together?"}
    )
    # each quote of a question, lever or finding is a locution anchored to it
    locutions = {n["text"] for n in document["nodes"] if n["type"] == "L"}
    assert "la mixité ne se décrète pas" in locutions
    assert "réunir les acteurs" in locutions and "Les habitants" not in locutions
    assert document["mixity"]["notHeld"]


def test_node_extras_hold_iri_workshops_and_actor_types() -> None:
    document = json.loads(export_aif(mini()).data)
    lever = next(n for n in document["nodes"] if n["text"] == "Réunir les acteurs")
    assert lever["mixity"]["iri"] == "https://example.org/mini/l-reunir"
    assert lever["mixity"]["ibis"] == "Position"
    assert lever["mixity"]["actorTypes"] == [
        {"iri": "https://example.org/mini/habitants", "label": "habitants"}
    ]


def test_ids_are_stable_across_runs() -> None:
    assert export_aif(mini()).data == export_aif(mini()).data


def test_speaker_is_a_participant(tmp_path: Path) -> None:
    graph = mini()
    person = URIRef("https://example.org/mini/claire-martin")
    graph.add((person, RDF.type, URIRef(SCHEMA + "Person")))
    graph.add(
        (
            person,
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("Claire Martin", lang="fr"),
        )
    )
    graph.add((URIRef("https://example.org/mini/ev-decret"), URIRef(SCHEMA + "author"), person))
    document = json.loads(export_aif(graph).data)
    check_aif_rules(document)
    (participant,) = document["participants"]
    assert (participant["firstname"], participant["surname"]) == ("Claire", "Martin")
    (locution,) = document["locutions"]
    said = next(n for n in document["nodes"] if n["nodeID"] == locution["nodeID"])
    assert said["text"] == "la mixité ne se décrète pas"
    assert locution["personID"] == participant["participantID"]


def test_bundled_map_is_read_back(bundled: LoadedGraph, tmp_path: Path) -> None:
    exported = export_aif(bundled.graph)
    document = json.loads(exported.data)
    check_aif_rules(document)
    back = read_back(exported.data, tmp_path)
    kinds = Counter(n["type"] for n in document["nodes"])
    assert len(back.atom_nodes) == kinds["I"]
    assert len(back.scheme_nodes) == kinds["RA"] + kinds["CA"]
    responds = sum(1 for _ in bundled.graph.subject_objects(URIRef(IBIS + "responds-to")))
    assert kinds["RA"] == responds
    questions = {
        str(o) for o in bundled.graph.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
        if isinstance(o, Literal) and o.language == "fr"
    }  # fmt: skip
    assert {a.plain_text for a in back.atom_nodes.values()} <= questions


# --------------------------------------------------------------------------------------------
# Import


def write_import(tmp_path: Path, source: Path) -> tuple[Path, Path]:
    result = import_aif(source)
    out = tmp_path / "map.ttl"
    out.write_bytes(result.turtle)
    folder = tmp_path / "map-sources"
    folder.mkdir()
    for name, data in result.texts.items():
        (folder / name).write_bytes(data)
    return out, folder


def test_import_an_aifdb_map_passes_validate(tmp_path: Path) -> None:
    turtle, folder = write_import(tmp_path, AIFDB)
    report = validate(load([turtle]), sources=folder)
    own = [f for f in report.findings if f.origin == str(turtle)]
    assert report.conforms and not own, report.to_text()
    graph = parse_file(turtle)
    positions = set(graph.subjects(RDF.type, URIRef(IBIS + "Position")))
    assert len(positions) == 4  # two I-nodes share a text: two statements, told apart
    by_label = {str(graph.value(p, SKOS.prefLabel)): p for p in positions}
    (support,) = graph.subjects(URIRef(IBIS + "supports"), None)
    assert graph.value(support, URIRef(IBIS + "supports")) in positions
    assert graph.value(support, SKOS.related) == by_label["Les habitants ont quelque chose à dire"]
    (attack,) = graph.subjects(URIRef(IBIS + "opposes"), None)
    assert graph.value(attack, SKOS.related) == by_label["Les réunions prennent du temps"]
    # every statement rests on its text, quoted from the map's text written beside the Turtle
    for position in positions:
        evidence = graph.value(position, URIRef("https://w3id.org/mixity/ontology#evidence"))
        assert evidence is not None


def test_import_cli_reports_what_is_left_out(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "map.ttl"
    code, stdout, err = run(runner, "import", str(AIFDB), "-o", str(out))
    assert code == 0 and stdout == ""
    assert "warning: 3 L nodes not imported" in err and "warning: 4 YA nodes" in err
    assert "(6 statements and arguments, 3 quotes)" in err  # two I-nodes share a text
    assert (tmp_path / "map-sources" / "aifdb-map.txt").is_file()


def test_round_trip_of_an_export(tmp_path: Path) -> None:
    exported = tmp_path / "debate.json"
    exported.write_bytes(export_aif(mini()).data)
    turtle, _ = write_import(tmp_path, exported)
    graph = parse_file(turtle)
    labels = {
        str(graph.value(p, SKOS.prefLabel))
        for p in graph.subjects(RDF.type, URIRef(IBIS + "Position"))
    }
    assert labels == {
        n["text"] for n in json.loads(exported.read_bytes())["nodes"] if n["type"] == "I"
    }
    assert len(set(graph.subjects(URIRef(IBIS + "supports"), None))) == 2


# --------------------------------------------------------------------------------------------
# Hostile input


def aifdb_with(edit: Any) -> str:
    document = json.loads(AIFDB.read_text(encoding="utf-8"))
    edit(document)
    return json.dumps(document)


HOSTILE = {
    "not-json": ('{"nodes": [\n  {"nodeID": 1,}\n]}', ":2:16: not JSON: "),
    "not-a-map": ("[1, 2, 3]", 'not an AIF map: no list of "nodes"'),
    "dangling": (
        aifdb_with(lambda d: d["edges"].append({"edgeID": "99", "fromID": "101", "toID": "999"})),
        "edge 99: its toID 999 is not a node of the map (dangling edge)",
    ),
    "no-id": (aifdb_with(lambda d: d["nodes"][0].pop("nodeID")), 'node 1: needs a "nodeID"'),
    "twice": (
        aifdb_with(lambda d: d["nodes"].append(dict(d["nodes"][0]))),
        "node 101: the id is used twice",
    ),
    "deep": ("[" * 100000 + "]" * 100000, "not an AIF map"),
    "binary": ("\udcff", "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_maps_are_one_line_errors(runner: CliRunner, tmp_path: Path, case: str) -> None:
    text, message = HOSTILE[case]
    source = tmp_path / "in.json"
    source.write_bytes(text.encode("utf-8", "surrogateescape"))
    out = tmp_path / "out.ttl"
    code, stdout, err = run(runner, "import", str(source), "-o", str(out))
    assert code == 1 and stdout == ""
    assert err.startswith(f"mixity: error: {source}") and message in err, err
    assert len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]


def test_export_cli(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "map.json"
    code, stdout, err = run(
        runner, "export", "--no-bundled", "-g", str(MINI), "--format", "aif", "-o", str(out)
    )
    assert code == 0 and stdout == ""
    assert out.read_bytes() == export_aif(mini()).data
    exported = export_aif(mini())
    assert err.strip() == f"Wrote {out} ({exported.nodes} nodes, {exported.edges} edges)"
    # 6 I-nodes, 2 RA, 5 quotes (L) anchored by 7 YA; each S-node has two edges
    assert (exported.nodes, exported.edges) == (6 + 2 + 5 + 7, 2 * 2 + 2 * 7)
