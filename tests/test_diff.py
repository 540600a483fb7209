"""`mixity diff`: a blank-node-aware diff, its four formats read back by real parsers, its SPARQL
patch applied on both engines, and `--extension` on extensions that change the base.

Isomorphism is checked twice, independently of the code under test: by W3C RDF Dataset
Canonicalization (RDFC-1.0, Oxigraph's implementation) and by `rdflib.compare.isomorphic`,
except on graphs with interchangeable components, where rdflib answers wrongly at random (two
isomorphic copies of a path of blank nodes: `isomorphic` is True, then False on a re-parse).
"""

from __future__ import annotations

import json
import random
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from mixity.cli import main
from mixity.graph.diff.compare import diff_graphs
from mixity.graph.diff.patch import sparql_patch
from mixity.graph.diff.run import compare
from mixity.graph.diff.show import ADDED_GRAPH, REMOVED_GRAPH
from mixity.graph.io.files import bundled_files
from mixity.graph.io.loader import load, parse_text
from mixity.graph.io.terms import graph_from_triples, triples_from_rdflib
from mixity.namespaces import PREFIXES

HEAD = """@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
"""
PREFIXED = {**PREFIXES, "ex": "https://example.org/"}


def ttl(text: str) -> Graph:
    return parse_text(HEAD + text, "turtle")


def canonical(graph: Graph) -> frozenset[str]:
    """The graph's triples after RDFC-1.0 canonicalisation (Oxigraph), as N-Triples."""
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        for t in triples_from_rdflib(graph)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return frozenset(str(quad) for quad in dataset)


def apply_rdflib(old: Graph, patch: str) -> Graph:
    graph = Graph()
    graph += old
    graph.update(patch)
    return graph


def apply_oxigraph(old: Graph, patch: str) -> Graph:
    store = ox.Store()
    store.extend(
        ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
        for t in triples_from_rdflib(old)
    )
    store.update(patch)
    return graph_from_triples(ox.Triple(q.subject, q.predicate, q.object) for q in store)


# (name, OLD, NEW, rdflib.compare.isomorphic is reliable on them)
PAIRS = [
    (
        "a literal changed",
        'ex:a rdfs:label "Avant"@fr ; ex:n 1 .',
        'ex:a rdfs:label "Après"@fr ; ex:n 1 .',
        True,
    ),
    (
        "language and datatype",
        'ex:a ex:v "x"@fr , "1.5"^^xsd:double , "2019-11-06"^^xsd:date , "plain" .',
        'ex:a ex:v "x"@en , "1.5"^^xsd:decimal , "2019-11-06" , "plain"@fr .',
        True,
    ),
    (
        "a value inside nested blank nodes",
        "ex:a ex:evidence [ a oa:SpecificResource ; oa:hasSource ex:doc ;\n"
        '  oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "une phrase" ] ] .',
        "ex:a ex:evidence [ a oa:SpecificResource ; oa:hasSource ex:doc ;\n"
        '  oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "une autre phrase" ] ] .',
        True,
    ),
    (
        "nested lists with blank nodes",
        'ex:a ex:list ( ( 1 2 ) ( "x"@fr [ ex:p 3 ] ) ) .',
        'ex:a ex:list ( ( 1 2 ) ( "x"@fr [ ex:p 4 ] ) ) .',
        True,
    ),
    (
        "a list grows",
        "ex:a ex:list ( ex:b ex:c ) .",
        "ex:a ex:list ( ex:b ex:c ex:d ) .",
        True,
    ),
    (
        "two copies of a blank node become one",
        "ex:a ex:p [ ex:q 1 ] , [ ex:q 1 ] ; ex:r ex:s .",
        "ex:a ex:p [ ex:q 1 ] ; ex:r ex:s .",
        False,
    ),
    (
        "a blank node shared by two resources (not a tree)",
        "ex:a ex:p _:x . ex:b ex:p _:x . _:x ex:v 1 .",
        "ex:a ex:p _:x . ex:b ex:p _:x . _:x ex:v 2 .",
        True,
    ),
    (
        "a cycle of blank nodes",
        "_:x ex:next _:y . _:y ex:next _:z . _:z ex:next _:x . _:x ex:v 1 .",
        "_:x ex:next _:y . _:y ex:next _:x . _:x ex:v 1 .",
        True,
    ),
    (
        "a statement annotation (owl:Axiom)",
        "ex:a ex:p ex:b .\n[] a owl:Axiom ; owl:annotatedSource ex:a ;\n"
        '  owl:annotatedProperty ex:p ; owl:annotatedTarget ex:b ; ex:note "dit"@fr .',
        "ex:a ex:p ex:b .\n[] a owl:Axiom ; owl:annotatedSource ex:a ;\n"
        '  owl:annotatedProperty ex:p ; owl:annotatedTarget ex:b ; ex:note "écrit"@fr .',
        True,
    ),
    (
        "a resource removed, another added",
        'ex:a rdfs:label "A"@fr ; ex:p [ ex:q "x" ] .',
        'ex:b rdfs:label "B"@fr ; ex:p [ ex:q "x" ] .',
        True,
    ),
    (
        "a blank node gains a value (pattern must not match the larger node)",
        'ex:a ex:p [ ex:q "x" ] .',
        'ex:a ex:p [ ex:q "x" ; ex:r "y" ] .',
        True,
    ),
]
IDS = [pair[0] for pair in PAIRS]


def test_identical_modulo_blank_node_ids_order_and_prefixes() -> None:
    old = ttl('ex:a ex:e [ a oa:TextQuoteSelector ; oa:exact "q" ] ; ex:l ( 1 [ ex:v 2 ] ) .')
    new = parse_text(
        "@prefix other: <https://example.org/> .\n"
        "@prefix o: <http://www.w3.org/ns/oa#> .\n"
        "_:list2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> _:inner .\n"
        "other:a other:l _:list1 .\n"
        '_:sel o:exact "q" ; a o:TextQuoteSelector .\n'
        "_:inner other:v 2 .\n"
        "_:list1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> 1 ;\n"
        "  <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:list2 .\n"
        "_:list2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .\n"
        "other:a other:e _:sel .\n",
        "turtle",
    )
    assert isomorphic(old, new)
    diff = diff_graphs(old, new)
    assert not diff
    assert diff.changes == []


@pytest.mark.parametrize(("name", "old_text", "new_text", "rdflib_ok"), PAIRS, ids=IDS)
def test_the_verdict_is_isomorphism(
    name: str, old_text: str, new_text: str, rdflib_ok: bool
) -> None:
    old, new = ttl(old_text), ttl(new_text)
    assert canonical(old) != canonical(new)
    diff = diff_graphs(old, new)
    assert diff
    # What the diff removes is in OLD, what it adds is in NEW, and nothing else changes.
    assert set(diff.removed_triples) <= set(old)
    assert set(diff.added_triples) <= set(new)
    assert not diff_graphs(old, old) and not diff_graphs(new, new)


@pytest.mark.parametrize(("name", "old_text", "new_text", "rdflib_ok"), PAIRS, ids=IDS)
def test_the_sparql_patch_turns_old_into_new_on_both_engines(
    name: str, old_text: str, new_text: str, rdflib_ok: bool
) -> None:
    old, new = ttl(old_text), ttl(new_text)
    patch = sparql_patch(diff_graphs(old, new), PREFIXED)
    for patched in (apply_oxigraph(old, patch), apply_rdflib(old, patch)):
        assert canonical(patched) == canonical(new), patch
        if rdflib_ok:
            assert isomorphic(patched, new), patch
    # Applied to NEW, the patch of NEW against itself changes nothing.
    unchanged = sparql_patch(diff_graphs(new, new), PREFIXED)
    assert canonical(apply_oxigraph(new, unchanged)) == canonical(new)
    assert canonical(apply_rdflib(new, unchanged)) == canonical(new)


def test_a_removed_component_deletes_no_look_alike() -> None:
    """The pattern that deletes `[ ex:q "x" ]` leaves a larger node and a smaller one alone."""
    old = ttl('ex:a ex:p [ ex:q "x" ] , [ ex:q "x" ; ex:r "y" ] ; ex:s [ ex:t _:z ] .')
    new = ttl('ex:a ex:p [ ex:q "x" ; ex:r "y" ] ; ex:s [ ex:t _:z ] .')
    patch = sparql_patch(diff_graphs(old, new), PREFIXED)
    assert "DELETE {" in patch and "FILTER NOT EXISTS" in patch
    for patched in (apply_oxigraph(old, patch), apply_rdflib(old, patch)):
        assert canonical(patched) == canonical(new)


def _random_graph(rng: random.Random) -> Graph:
    blanks = [BNode() for _ in range(rng.randint(1, 5))]
    iris = [URIRef(f"https://example.org/{n}") for n in range(3)]
    values = [Literal("a"), Literal("a", lang="fr"), Literal("1", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#integer"))]  # fmt: skip
    properties = [URIRef("https://example.org/p"), URIRef("https://example.org/q")]
    graph = Graph()
    for _ in range(rng.randint(1, 8)):
        subject = rng.choice(blanks + iris)
        graph.add((subject, rng.choice(properties), rng.choice(blanks + iris + values)))
    return graph


def _renamed(graph: Graph, rng: random.Random) -> Graph:
    """The same graph with new blank node ids, in another order."""
    names: dict[BNode, BNode] = {}
    triples = list(graph)
    rng.shuffle(triples)
    copy = Graph()
    for triple in triples:
        s, p, o = (names.setdefault(n, BNode()) if isinstance(n, BNode) else n for n in triple)
        copy.add((s, p, o))
    return copy


def test_random_pairs_against_rdfc_and_both_engines() -> None:
    """Small random graphs with blank nodes (cycles, shared nodes, copies): the diff is empty
    exactly when RDFC-1.0 says the graphs are isomorphic, and the patch works on both engines."""
    rng = random.Random(20191106)
    isomorphic_pairs = 0
    for _ in range(80):
        old = _random_graph(rng)
        new = _renamed(old, rng) if rng.random() < 0.3 else _random_graph(rng)
        if rng.random() < 0.2:
            new += _renamed(new, rng)  # copies of a component
        diff = diff_graphs(old, new)
        same = canonical(old) == canonical(new)
        isomorphic_pairs += same
        assert bool(diff) == (not same)
        patch = sparql_patch(diff, PREFIXED)
        assert canonical(apply_oxigraph(old, patch)) == canonical(new), patch
        assert canonical(apply_rdflib(old, patch)) == canonical(new), patch
    assert isomorphic_pairs > 12


def test_text_groups_changes_by_resource_with_labels(tmp_path: Path, runner: CliRunner) -> None:
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(HEAD + PAIRS[0][1] + "\n" + PAIRS[2][1], encoding="utf-8")
    new.write_text(HEAD + PAIRS[0][2] + "\n" + PAIRS[2][2], encoding="utf-8")
    result = runner.invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 1, result.stderr
    assert result.stdout.splitlines() == [
        f"--- {old} (8 triples)",
        f"+++ {new} (8 triples)",
        "",
        "ex:a  « Après »",
        '  - rdfs:label "Avant"@fr',
        '  + rdfs:label "Après"@fr',
        "  - ex:evidence [",
        "  -     a oa:SpecificResource ;",
        '  -     oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "une phrase" ] ;',
        "  -     oa:hasSource ex:doc ]",
        "  + ex:evidence [",
        "  +     a oa:SpecificResource ;",
        '  +     oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "une autre phrase" ] ;',
        "  +     oa:hasSource ex:doc ]",
        "",
        "1 resource changed: 7 triples added, 7 removed.",
    ]
    assert result.stderr == ""


def test_text_shows_lists_annotations_and_shared_nodes() -> None:
    assert _text(PAIRS[3]).splitlines()[3:6] == [
        "ex:a",
        '  - ex:list ( ( 1 2 ) ( "x"@fr [ ex:p 3 ] ) )',
        '  + ex:list ( ( 1 2 ) ( "x"@fr [ ex:p 4 ] ) )',
    ]
    # an owl:Axiom is shown under the statement's subject
    annotation = _text(PAIRS[8]).splitlines()
    assert annotation[3:5] == ["ex:a", "  - ["]
    assert '  +     ex:note "écrit"@fr ]' in annotation
    # a node that two resources share is not one [ … ]: its triples, its blank node named
    assert _text(PAIRS[6]).splitlines()[3:10] == [
        "ex:a",
        "  - _:o1 ex:v 1 .",
        "  - ex:a ex:p _:o1 .",
        "  - ex:b ex:p _:o1 .",
        "  + _:n1 ex:v 2 .",
        "  + ex:a ex:p _:n1 .",
        "  + ex:b ex:p _:n1 .",
    ]
    assert _text(PAIRS[7]).splitlines()[3] == "(blank nodes that no IRI points to)"


def _text(pair: tuple[str, str, str, bool]) -> str:
    from mixity.graph.diff.show import Side, to_text

    diff = diff_graphs(ttl(pair[1]), ttl(pair[2]))
    return to_text(diff, Side("old", 0), Side("new", 0), PREFIXED)


def test_json_reads_back(tmp_path: Path, runner: CliRunner) -> None:
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(HEAD + PAIRS[1][1] + "\n" + PAIRS[2][1], encoding="utf-8")
    new.write_text(HEAD + PAIRS[1][2] + "\n" + PAIRS[2][2], encoding="utf-8")
    result = runner.invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["identical"] is False
    assert (data["removed"], data["added"]) == (10, 10)
    assert [r["name"] for r in data["resources"]] == ["ex:a"]
    objects = [t["object"] for t in data["resources"][0]["added"]]
    assert {"type": "literal", "value": "x", "xml:lang": "en"} in objects
    assert {
        "type": "literal",
        "value": "1.5",
        "datatype": "http://www.w3.org/2001/XMLSchema#decimal",
    } in objects
    assert {"type": "literal", "value": "2019-11-06"} in objects
    # blank nodes are named alike in subject and object position, and only on their side
    added_blanks = {
        term["value"]
        for triple in data["resources"][0]["added"]
        for term in triple.values()
        if term["type"] == "bnode"
    }
    assert added_blanks == {"n1", "n2"}
    assert "failed" not in result.stderr


@pytest.mark.parametrize(("name", "old_text", "new_text", "rdflib_ok"), PAIRS, ids=IDS)
def test_turtle_is_trig_that_two_parsers_read(
    tmp_path: Path, runner: CliRunner, name: str, old_text: str, new_text: str, rdflib_ok: bool
) -> None:
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(HEAD + old_text, encoding="utf-8")
    new.write_text(HEAD + new_text, encoding="utf-8")
    out = tmp_path / "changes.trig"
    result = runner.invoke(main, ["diff", str(old), str(new), "--format", "turtle", "-o", str(out)])
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    diff = compare(old, new).diff
    text = out.read_text(encoding="utf-8")
    # Oxigraph
    quads = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TRIG))
    for graph_name, expected in ((REMOVED_GRAPH, diff.removed_graph()),
                                 (ADDED_GRAPH, diff.added_graph())):  # fmt: skip
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads
                   if q.graph_name == ox.NamedNode(graph_name)]  # fmt: skip
        assert canonical(graph_from_triples(triples)) == canonical(expected)
    # rdflib
    dataset = Dataset()
    with warnings.catch_warnings():  # rdflib's TriG parser uses its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=text, format="trig")
    for graph_name, expected in ((REMOVED_GRAPH, diff.removed_graph()),
                                 (ADDED_GRAPH, diff.added_graph())):  # fmt: skip
        parsed = Graph()
        parsed += dataset.graph(URIRef(graph_name))
        assert canonical(parsed) == canonical(expected)
        if rdflib_ok:
            assert isomorphic(parsed, expected)


def _bundled_copy(folder: Path) -> Path:
    folder.mkdir()
    for name, entry in bundled_files():
        (folder / name.rsplit("/", 1)[1]).write_bytes(entry.read_bytes())
    return folder


def test_bundled_against_itself_and_an_identical_copy(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(main, ["diff", "bundled", "bundled", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["identical"] is True
    copy = _bundled_copy(tmp_path / "copy")
    result = runner.invoke(main, ["diff", "bundled", str(copy)])
    assert result.exit_code == 0, result.stderr
    assert "No difference: the two graphs are isomorphic." in result.stdout


def test_bundled_against_a_modified_copy(tmp_path: Path, runner: CliRunner) -> None:
    copy = _bundled_copy(tmp_path / "copy")
    meeting = copy / "meeting.ttl"
    text = meeting.read_text(encoding="utf-8")
    label = '"Rencontre « Vivre et gérer la mixité sociale » du 6 novembre 2019"@fr'
    assert label in text
    meeting.write_text(text.replace(label, '"Rencontre du 6 novembre 2019"@fr'), "utf-8")
    questions = copy / "questions.ttl"
    text = questions.read_text(encoding="utf-8")
    quote = 'oa:exact "Quel est le sens d\'une politique de mixité ?"'
    assert quote in text
    questions.write_text(text.replace(quote, 'oa:exact "Quel sens ?"'), "utf-8")

    result = runner.invoke(main, ["diff", "bundled", str(copy), "--lang", "en"])
    assert result.exit_code == 1
    assert "meeting:rencontre-gusp-2019-11-06  « Meeting " in result.stdout
    assert f"  - rdfs:label {label}" in result.stdout
    assert '  + oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "Quel sens ?" ]' in result.stdout
    assert result.stdout.endswith("2 resources changed: 4 triples added, 4 removed.\n")

    patch_file = tmp_path / "patch.ru"
    result = runner.invoke(
        main, ["diff", "bundled", str(copy), "--format", "sparql", "-o", str(patch_file)]
    )
    assert result.exit_code == 1
    assert "2 resources changed" in result.stderr
    patch = patch_file.read_text(encoding="utf-8")
    old, new = load().graph, load([copy], bundled=False).graph
    expected = canonical(new)
    assert canonical(apply_oxigraph(old, patch)) == expected
    assert canonical(apply_rdflib(old, patch)) == expected


def test_a_folder_equals_the_file_it_was_split_from(tmp_path: Path, runner: CliRunner) -> None:
    whole = tmp_path / "whole.ttl"
    whole.write_text(HEAD + PAIRS[2][1] + "\n" + PAIRS[3][1], encoding="utf-8")
    folder = tmp_path / "parts"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.ttl").write_text(HEAD + PAIRS[2][1], encoding="utf-8")
    (folder / "sub" / "b.ttl").write_text(HEAD + PAIRS[3][1], encoding="utf-8")
    result = runner.invoke(main, ["diff", str(whole), str(folder)])
    assert result.exit_code == 0, result.stdout + result.stderr
    (folder / "sub" / "b.ttl").write_text(HEAD + PAIRS[3][2], encoding="utf-8")
    result = runner.invoke(main, ["diff", str(whole), str(folder), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["added"] == 14  # the list is one blank-node component


EXTENSION_HEAD = """@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix schema: <https://schema.org/> .
@prefix meeting: <https://w3id.org/mixity/id/meeting/> .
@prefix ex: <https://example.org/ext#> .
"""


def test_literals_are_compared_as_written(tmp_path: Path, runner: CliRunner) -> None:
    """ "01"^^xsd:integer and 1 are one value but two RDF terms: a change, shown as written
    (rdflib would print both as 1), and the patch turns OLD into NEW exactly."""
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(HEAD + 'ex:a ex:p "01"^^xsd:integer ; ex:q [ ex:r "1"^^xsd:boolean ] .\n',
                   encoding="utf-8")  # fmt: skip
    new.write_text(HEAD + "ex:a ex:p 1 ; ex:q [ ex:r true ] .\n", encoding="utf-8")
    assert runner.invoke(main, ["diff", str(old), str(old)]).exit_code == 0
    result = runner.invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 1
    assert "  - ex:p 01\n  + ex:p 1\n" in result.stdout
    assert '"1"^^xsd:boolean' in result.stdout and '"true"^^xsd:boolean' in result.stdout
    patch = runner.invoke(main, ["diff", str(old), str(new), "--format", "sparql"]).stdout
    store = ox.Store()
    store.load(path=str(old), format=ox.RdfFormat.TURTLE)
    store.update(patch)
    expected = ox.Store()
    expected.load(path=str(new), format=ox.RdfFormat.TURTLE)
    found = []
    for each in (store, expected):
        dataset = ox.Dataset(list(each))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        found.append(frozenset(str(quad) for quad in dataset))
    assert found[0] == found[1]
    assert '"01"^^<http://www.w3.org/2001/XMLSchema#integer>' not in " ".join(found[0])


def test_n3_formulas_are_left_out_not_refused(tmp_path: Path, runner: CliRunner) -> None:
    """N3 rules hold formulas, which no RDF graph can: their triples are left out, as the
    loader leaves them out of the other commands' graphs."""
    old = tmp_path / "rules.n3"
    old.write_text(
        "@prefix ex: <https://example.org/x/> .\nex:a ex:p 1 .\n{ ?x ex:p 1 } => { ?x ex:q 2 } .\n",
        encoding="utf-8",
    )
    new = tmp_path / "plain.ttl"
    new.write_text(HEAD + "ex:a ex:p 1 .\n", encoding="utf-8")
    result = runner.invoke(main, ["diff", str(old), str(new)])
    assert "Traceback" not in result.output and "cannot convert" not in result.output
    assert result.exit_code in (0, 1), result.output


#: An extension that gives the bundled meeting a second start date (its line 8).
SECOND_DATE = (
    EXTENSION_HEAD + 'meeting:rencontre-gusp-2019-11-06 schema:startDate "2020-01-01"^^xsd:date .\n'
)


def test_extension_that_changes_nothing(tmp_path: Path, runner: CliRunner) -> None:
    ext = tmp_path / "ext.ttl"
    ext.write_text(
        EXTENSION_HEAD + "ex:Consultation a owl:Class ; rdfs:subClassOf mix:Question ;\n"
        '  rdfs:label "Consultation"@fr , "Consultation"@en .\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["diff", "--extension", str(ext)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "Nothing breaks" in result.stdout


def test_extension_that_adds_a_domain_to_a_base_property(tmp_path: Path, runner: CliRunner) -> None:
    ext = tmp_path / "ext.ttl"
    ext.write_text(
        EXTENSION_HEAD + 'ex:Raised a owl:Class ; rdfs:label "Soulevé"@fr , "Raised"@en .\n'
        "\nmix:raisedAt rdfs:domain ex:Raised .\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["diff", "--extension", str(ext), "--format", "json"])
    assert result.exit_code == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["breaks"] is True
    [finding] = data["base_findings"]
    assert finding["check"] == "mixity:base-domain"
    assert (finding["file"], finding["line"]) == (str(ext), 10)
    changed = {c["name"]: c for c in data["class_changes"]}
    question = changed["question:definir-mixite"]
    assert question["added"] == ["ex:Raised"] and question["removed"] == []
    assert question["label"].startswith("Comment la « mixité » est-elle définie")
    assert data["new_findings"] == []
    text = runner.invoke(main, ["diff", "--extension", str(ext)]).stdout
    assert f"  {ext}:10: error [mixity:base-domain] mix:raisedAt rdfs:domain ex:Raised" in text
    assert "  question:definir-mixite  « Comment la" in text and "    + ex:Raised" in text


def test_extension_that_breaks_conformance(tmp_path: Path, runner: CliRunner) -> None:
    ext = tmp_path / "second-date.ttl"
    ext.write_text(SECOND_DATE, encoding="utf-8")
    result = runner.invoke(main, ["diff", "--extension", str(ext)])
    assert result.exit_code == 1, result.stderr
    assert "Bundled resources with new findings under the extension" in result.stdout
    assert "Violation [schema:startDate]" in result.stdout
    assert "1 bundled resource violation" in result.stdout
    assert "What the extension asserts" not in result.stdout  # data only: no base finding
    # placed at the extension's statement (the second date), not at the bundled first one
    assert f"    {ext}:8: Violation [schema:startDate]" in result.stdout


def test_the_bundled_graphs_findings_need_no_writable_cache(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mixity.graph.diff import extension

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("MIXITY_CACHE_DIR", str(blocked))
    extension._baseline.cache_clear()
    ext = tmp_path / "second-date.ttl"
    ext.write_text(SECOND_DATE, encoding="utf-8")
    result = runner.invoke(main, ["diff", "--extension", str(ext), "--format", "json"])
    extension._baseline.cache_clear()
    assert result.exit_code == 1, result.stderr
    assert len(json.loads(result.stdout)["new_findings"]) == 1
    assert blocked.read_text(encoding="utf-8").startswith("a file")


def test_no_rdf_output_inside_an_input_folder(tmp_path: Path, runner: CliRunner) -> None:
    """The next run would read it as RDF: refused, even before it exists."""
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "a.ttl").write_text(HEAD + "ex:a ex:p 1 .\n", encoding="utf-8")
    new = tmp_path / "new.ttl"
    new.write_text(HEAD + "ex:a ex:p 2 .\n", encoding="utf-8")
    result = runner.invoke(main, ["diff", str(folder), str(new), "-o", str(folder / "out.ttl")])
    assert result.exit_code == 1
    assert "is an input of this command" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["a.ttl"]
    done = runner.invoke(main, ["diff", str(folder), str(new), "-o", str(folder / "out.txt")])
    assert done.exit_code == 1 and (folder / "out.txt").is_file()  # not RDF: never read back


def test_extension_of_data_alone_is_not_validated_again(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Data that names no bundled resource and no schema term cannot change the bundled graph:
    the report says so without validating it again."""
    from mixity.graph.model import validate as validation

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(validation, "validate", refuse)
    ext = tmp_path / "own-data.ttl"
    ext.write_text(
        EXTENSION_HEAD
        + 'ex:seminar a ex:Seminar ; ex:about ex:topic ; ex:note [ ex:says "x" ] .\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["diff", "--extension", str(ext), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["base_findings"], data["new_findings"], data["class_changes"]) == ([], [], [])


def test_the_bundled_graphs_findings_are_kept_in_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`diff --extension` compares with the findings of the bundled graph alone: computed once
    and kept in the cache folder, read back, and computed again if the file is broken."""
    from mixity.graph.diff import extension

    monkeypatch.setenv("MIXITY_CACHE_DIR", str(tmp_path))
    extension._baseline.cache_clear()
    computed = extension._baseline("fr")
    [kept] = tmp_path.glob("validation-*.json")
    assert {tuple(k) for k in json.loads(kept.read_text(encoding="utf-8"))} == computed
    # what the file says is what is used (a finding only the file has)
    planted = ["ex:x", "Violation", "shape", None, None, "planted"]
    kept.write_text(json.dumps([planted]), encoding="utf-8")
    extension._baseline.cache_clear()
    assert extension._baseline("fr") == {tuple(planted)}
    # a broken file is computed again and replaced
    kept.write_text("{not json", encoding="utf-8")
    extension._baseline.cache_clear()
    assert extension._baseline("fr") == computed
    assert {tuple(k) for k in json.loads(kept.read_text(encoding="utf-8"))} == computed
    extension._baseline.cache_clear()


def test_malformed_input_is_one_line_and_writes_nothing(tmp_path: Path, runner: CliRunner) -> None:
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good.write_text(HEAD + "ex:a ex:p 1 .\n", encoding="utf-8")
    bad.write_text(HEAD + "ex:a ex:p 1 \nex:b ex:p 2 .\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    out.write_text("keep me", encoding="utf-8")
    result = runner.invoke(main, ["diff", str(good), str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"mixity: error: {bad}:7:")
    assert out.read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_missing_file_and_usage_errors(tmp_path: Path, runner: CliRunner) -> None:
    good = tmp_path / "good.ttl"
    good.write_text(HEAD + "ex:a ex:p 1 .\n", encoding="utf-8")
    result = runner.invoke(main, ["diff", str(good), str(tmp_path / "nope.ttl")])
    assert result.exit_code == 1
    assert result.stderr == f"mixity: error: {tmp_path / 'nope.ttl'}: no such file or directory\n"
    for args in (
        [str(good)],
        [str(good), str(good), str(good)],
        ["--extension"],
        ["--extension", str(good), "--format", "sparql"],
    ):
        result = runner.invoke(main, ["diff", *args])
        assert result.exit_code == 2, args
        assert "Usage:" in result.stderr


def test_output_never_overwrites_an_input(tmp_path: Path, runner: CliRunner) -> None:
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(HEAD + "ex:a ex:p 1 .\n", encoding="utf-8")
    new.write_text(HEAD + "ex:a ex:p 2 .\n", encoding="utf-8")
    result = runner.invoke(main, ["diff", str(old), str(new), "-o", str(new)])
    assert result.exit_code == 1
    assert "is an input of this command" in result.stderr
    assert new.read_text(encoding="utf-8") == HEAD + "ex:a ex:p 2 .\n"
    out = tmp_path / "diff.txt"
    result = runner.invoke(main, ["diff", str(old), str(new), "-o", str(out)])
    assert result.exit_code == 1
    assert (
        out.read_text(encoding="utf-8") == runner.invoke(main, ["diff", str(old), str(new)]).stdout
    )


def test_every_format_is_the_same_whatever_the_parser_named_blank_nodes(tmp_path: Path) -> None:
    """Two loads name blank nodes differently; the outputs (names, order) do not change."""
    old, new = tmp_path / "old.ttl", tmp_path / "new.ttl"
    old.write_text(HEAD + "\n".join(pair[1] for pair in PAIRS[2:5]), encoding="utf-8")
    new.write_text(HEAD + "\n".join(pair[2] for pair in PAIRS[2:5]), encoding="utf-8")
    first, second = compare(old, new), compare(old, new)
    assert set(first.old.triples) != set(second.old.triples)  # other blank node ids
    for fmt in ("text", "json", "turtle", "sparql"):
        assert first.render(fmt) == second.render(fmt), fmt


def test_only_what_reaches_the_bundled_graph_is_validated() -> None:
    """`reaching` keeps statements about bundled nodes, schema statements and what they point
    to (two links, blank nodes whole), and drops the extension's unrelated data."""
    from mixity.graph.diff.reach import reaching
    from mixity.graph.io.terms import graph_from_triples, triples_from_rdflib

    base = load()
    extension = parse_text(
        EXTENSION_HEAD
        + """@prefix question: <https://w3id.org/mixity/id/question/> .
ex:Raised a owl:Class .
mix:raisedAt rdfs:domain ex:Raised .
question:definir-mixite mix:concerns ex:notion .
ex:notion a mix:Notion ; ex:broader ex:parent ; ex:note [ ex:says [ ex:what "deep" ] ] .
ex:parent ex:broader ex:grandparent .
ex:grandparent ex:broader ex:far .
ex:unrelated a mix:Question ; rdfs:label "Sans lien"@fr ; ex:p ex:other .
""",
        "turtle",
    )
    kept = {
        " ".join(t.n3() if not isinstance(t, BNode) else "_" for t in triple).replace(
            "https://example.org/ext#", "ex:"
        )
        for triple in graph_from_triples(reaching(base.graph, triples_from_rdflib(extension)))
    }
    assert any("ex:Raised" in k and "#domain" in k for k in kept)
    assert any(k.startswith("<https://w3id.org/mixity/id/question/definir-mixite>") for k in kept)
    assert any('"deep"' in k for k in kept)  # blank nodes whole
    assert any(k.startswith("<ex:parent>") for k in kept)  # second link
    assert not any(k.startswith("<ex:grandparent>") for k in kept)  # third link
    assert not any("unrelated" in k for k in kept)
