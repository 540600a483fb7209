"""`mixity validate` reports terms that their vocabulary does not declare (mix:WorkShop,
mix:concern, schema:perfomer) with the closest declared names, and namespaces one character
away from a known one; the shipped term lists stay equal to the ontology and the pinned copies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from mixity.cli import main
from mixity.graph.io.loader import LoadedGraph
from mixity.graph.model.known_terms import TERMS, VOCABULARIES
from mixity.graph.model.undeclared import check_terms, closest_terms, known_terms
from mixity.namespaces import closest_namespaces

ROOT = Path(__file__).resolve().parent.parent

HEAD = """@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <https://schema.org/> .
@prefix ex: <https://example.org/x/> .
@prefix actor: <https://w3id.org/mixity/id/actor/> .
@prefix notion: <https://w3id.org/mixity/id/notion/> .
@prefix question: <https://w3id.org/mixity/id/question/> .
"""


def _line(text: str, needle: str) -> int:
    found = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def _run(
    runner: CliRunner, tmp_path: Path, body: str, *args: str
) -> tuple[int, list[dict[str, object]], str]:
    path = tmp_path / "ext.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(path), "--format", "json", *args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, json.loads(result.stdout)["findings"], str(path)


def _mine(findings: list[dict[str, object]], shape: str) -> list[dict[str, object]]:
    return [f for f in findings if f["shape"] == shape]


def test_the_shipped_term_lists_are_the_ontology_and_the_pinned_copies() -> None:
    for namespace, (_, name) in VOCABULARIES.items():
        graph = Graph().parse(ROOT / name, format="turtle")
        declared = {
            str(s)[len(namespace) :]
            for s in graph.subjects(RDF.type, None)
            if isinstance(s, URIRef) and str(s).startswith(namespace) and str(s) != namespace
        }
        assert TERMS[namespace] == declared, f"run scripts/gen_terms.py ({name} changed)"
    pinned = {f"tests/vocab/{p.name}" for p in (ROOT / "tests" / "vocab").glob("*.ttl")}
    assert pinned <= {name for _, name in VOCABULARIES.values()}, "a pinned copy is not listed"


def test_the_bundled_graph_uses_only_declared_terms(bundled: LoadedGraph) -> None:
    assert check_terms(bundled) == []


def test_a_misspelt_mixity_class_is_an_error_with_the_closest_name(
    runner: CliRunner, tmp_path: Path
) -> None:
    body = 'ex:w a mix:WorkShop ;\n    rdfs:label "Atelier"@fr , "Workshop"@en .\n'
    code, findings, path = _run(runner, tmp_path, body)
    assert code == 1
    (finding,) = _mine(findings, "undeclared term")
    assert finding["severity"] == "Violation"
    assert finding["value"] == "mix:WorkShop"
    assert "used as a class" in str(finding["message"])
    assert "did you mean mix:Workshop?" in str(finding["message"])
    assert (finding["origin"], finding["line"]) == (path, _line(HEAD + body, "mix:WorkShop"))


def test_a_misspelt_mixity_property_is_an_error_at_its_statement(
    runner: CliRunner, tmp_path: Path
) -> None:
    body = "\n\nquestion:mixite-sociale-au-quotidien\n    mix:concern notion:mixite .\n"
    code, findings, path = _run(runner, tmp_path, body)
    assert code == 1
    (finding,) = _mine(findings, "undeclared term")
    assert "mix:concern (used as a property)" in str(finding["message"])
    assert "mix:concerns" in str(finding["message"])
    assert (finding["origin"], finding["line"]) == (path, _line(HEAD + body, "mix:concern "))
    text = runner.invoke(main, ["validate", path]).stdout
    assert f"{path}:{finding['line']}: Violation: mix:concern (used as a property)" in text


def test_a_namespace_one_character_away_is_a_warning_at_its_prefix(
    runner: CliRunner, tmp_path: Path
) -> None:
    body = (
        "@prefix mixx: <https://w3id.org/mixity/ontology/> .\n"
        'ex:t a mixx:Talk ;\n    rdfs:label "T"@fr , "T"@en .\n'
    )
    code, findings, path = _run(runner, tmp_path, body)
    assert code == 0  # a warning: nothing else is wrong, the resource is no talk
    (finding,) = _mine(findings, "namespace")
    assert finding["severity"] == "Warning"
    assert finding["value"] == "<https://w3id.org/mixity/ontology/>"
    assert "one slip away from mix: <https://w3id.org/mixity/ontology#>" in str(finding["message"])
    assert (finding["origin"], finding["line"]) == (path, _line(HEAD + body, "@prefix mixx:"))


def test_http_schema_org_is_one_character_from_https(runner: CliRunner, tmp_path: Path) -> None:
    body = (
        "@prefix s: <http://schema.org/> .\n"
        'ex:p a schema:Place ;\n    rdfs:label "P"@fr , "P"@en ;\n    s:address "x" .\n'
    )
    _, findings, _ = _run(runner, tmp_path, body)
    (finding,) = _mine(findings, "namespace")
    assert "schema: <https://schema.org/>" in str(finding["message"])


@pytest.mark.parametrize(
    ("term", "suggestion"),
    [
        ("schema:perfomer", "schema:performer"),
        ("rdfs:lable", "rdfs:label"),
        ("<http://www.w3.org/2004/02/skos/core#prefLable>", "skos:prefLabel"),
    ],
)
def test_a_misspelt_reused_term_is_a_warning(
    runner: CliRunner, tmp_path: Path, term: str, suggestion: str
) -> None:
    body = f'ex:p a schema:Place ;\n    rdfs:label "P"@fr , "P"@en ;\n    {term} "x" .\n'
    _, findings, path = _run(runner, tmp_path, body)
    (finding,) = _mine(findings, "undeclared term")
    assert finding["severity"] == "Warning"
    assert f"did you mean {suggestion}" in str(finding["message"])
    assert (finding["origin"], finding["line"]) == (path, _line(HEAD + body, term))


def test_declared_and_published_terms_are_not_reported(runner: CliRunner, tmp_path: Path) -> None:
    body = (
        # a term of the mixity namespace that the extension declares itself, and a typo of it
        'mix:Seminar a owl:Class ;\n    rdfs:label "Séminaire"@fr , "Seminar"@en .\n'
        'ex:s a mix:Semminar ;\n    rdfs:label "S"@fr , "S"@en .\n'
        # schema:address is in schema.org, not in the pinned extract of tests/vocab
        'ex:p a schema:Place ;\n    rdfs:label "P"@fr , "P"@en ;\n    schema:address "x" ;\n'
        '    <http://www.w3.org/1999/02/22-rdf-syntax-ns#_1> "y" .\n'
    )
    code, findings, _ = _run(runner, tmp_path, body)
    assert code == 1
    assert [f["value"] for f in findings] == ["mix:Semminar"]
    assert "did you mean mix:Seminar?" in str(findings[0]["message"])


def test_the_mixity_terms_are_known_without_the_bundled_graph() -> None:
    known = known_terms(Graph())
    assert "Question" in known["https://w3id.org/mixity/ontology#"]
    assert "performer" in known["https://schema.org/"]


def test_closest_terms_look_in_other_namespaces_too() -> None:
    known = known_terms(Graph())
    found = closest_terms("https://w3id.org/mixity/ontology#", "Event", known)
    assert "https://schema.org/Event" in found
    assert closest_terms("https://w3id.org/mixity/ontology#", "involve", known)[0] == (
        "https://w3id.org/mixity/ontology#involves"
    )


def test_closest_namespaces_is_the_one_rule_for_a_slip() -> None:
    known = [
        "https://w3id.org/mixity/ontology#",
        "https://schema.org/",
        "http://www.w3.org/ns/prov#",
    ]
    assert closest_namespaces("https://w3id.org/mixity/ontology/", known) == [known[0]]
    assert closest_namespaces("http://schema.org/", known) == [known[1]]
    assert closest_namespaces("https://schema.org", known) == [known[1]]
    assert closest_namespaces("https://shcema.org/", known) == [known[1]]  # two edits
    assert closest_namespaces("https://sxxxema.org/", known) == []  # three
    assert closest_namespaces("http://www.w3.org/ns/oa#", known) == []
    assert closest_namespaces("http://example.org/", known) == []
