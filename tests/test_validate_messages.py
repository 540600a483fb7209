"""`mixity validate` names the offending value and the file:line of the statement at fault, in
the text and JSON reports: through the positions of statements (`mixity.graph.io.positions`), a
second pass over the text of the files a finding is about."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from mixity.cli import main
from mixity.graph.io.positions import RDF_TYPE, Key, read_positions

HEAD = """@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix ex: <https://example.org/x/> .
@prefix actor: <https://w3id.org/mixity/id/actor/> .
@prefix question: <https://w3id.org/mixity/id/question/> .
"""


def _line(text: str, needle: str) -> int:
    """The 1-based line of the only line of `text` that holds `needle`."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) == 1, (needle, found)
    return found[0]


def _validate(runner: CliRunner, path: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(main, ["validate", str(path), "--format", "json", *args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


# -- the positions of statements -------------------------------------------------------------


def test_positions_follow_lists_nested_nodes_and_long_strings() -> None:
    text = HEAD + (
        "ex:a a mix:Question ;\n"  # +1
        '    rdfs:label """deux\n'  # +2
        'lignes"""@fr ,\n'  # +3
        '        "en"@en ;\n'  # +4
        "    mix:evidence [ a oa:SpecificResource ;\n"  # +5
        "        oa:hasSelector [ oa:exact 'cité' ] ] ;\n"  # +6
        "    ex:list ( ex:b [ ex:p 1 ] ) .\n"  # +7
        "[] ex:q ex:c .\n"  # +8
    )
    first = HEAD.count("\n")
    found = read_positions(text)
    a = "https://example.org/x/a"
    assert found.subjects[a] == first + 1
    assert found.statements[(a, RDF_TYPE)] == [
        ("https://w3id.org/mixity/ontology#Question", first + 1)
    ]
    labels = found.statements[(a, "http://www.w3.org/2000/01/rdf-schema#label")]
    assert labels == [(("literal", "deux\nlignes"), first + 2), (("literal", "en"), first + 4)]
    (evidence,) = found.children(a, "https://w3id.org/mixity/ontology#evidence")
    (selector,) = found.children(evidence, "http://www.w3.org/ns/oa#hasSelector")
    assert found.statements[(selector, "http://www.w3.org/ns/oa#exact")] == [
        (("literal", "cité"), first + 6)
    ]
    assert found.parents[selector] == (evidence, "http://www.w3.org/ns/oa#hasSelector")
    (root,) = found.roots()
    assert found.statements[(root, "https://example.org/x/q")] == [
        ("https://example.org/x/c", first + 8)
    ]
    assert found.iris["https://example.org/x/b"] == first + 7
    assert ("mix", "https://w3id.org/mixity/ontology#", 1) in found.prefixes


def test_positions_read_trig_and_relative_iris() -> None:
    text = (
        "@base <https://example.org/base/> .\n"
        "GRAPH <g> {\n  <s> <p> <o> .\n}\n"
        "<g2> { <s> <q> 'x' }\n"
    )
    found = read_positions(text)
    s = "https://example.org/base/s"
    assert found.statements[(s, "https://example.org/base/p")] == [
        ("https://example.org/base/o", 3)
    ]
    assert found.statements[(s, "https://example.org/base/q")] == [(("literal", "x"), 5)]


def _key(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Key | None:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return ("literal", term.value)
    return None


@pytest.mark.parametrize("folder", ["ontology", "data"])
def test_positions_hold_every_statement_of_the_bundled_files(folder: str) -> None:
    """Each triple Oxigraph reads between two IRIs or literals is where the positions say."""
    for entry in files("mixity").joinpath(folder).iterdir():
        if not entry.name.endswith(".ttl"):
            continue
        text = entry.read_text("utf-8")
        found = read_positions(text)
        lines = text.splitlines()
        for quad in ox.parse(text.encode("utf-8"), ox.RdfFormat.TURTLE):
            s, o = _key(quad.subject), _key(quad.object)
            if s is None or o is None:
                continue
            where = [n for key, n in found.statements[(s, quad.predicate.value)] if key == o]
            assert where, (entry.name, quad)
            if isinstance(o, str):  # the object is written on that line (prefixed or not)
                local = o.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                assert local in lines[where[0] - 1], (entry.name, quad, where)


# -- the reports --------------------------------------------------------------------------------


def test_each_problem_has_the_line_of_its_statement_and_names_its_value(
    runner: CliRunner, tmp_path: Path
) -> None:
    body = (
        "ex:q a mix:Question ;\n"
        '    rdfs:label "Q"@fr , "Q"@en ;\n'
        "    mix:involves actor:mairie ;\n"
        "    mix:involves actor:mairi ;\n"
        "    mix:raisedAt ex:nowhere .\n"
    )
    path = tmp_path / "ext.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    text = HEAD + body
    code, findings = _validate(runner, path)
    assert code == 1
    dangling = [f for f in findings if "Described_mix_involves" in str(f["shape"])]
    assert [(f["value"], f["line"]) for f in dangling] == [
        ("<https://w3id.org/mixity/id/actor/mairi>", _line(text, "actor:mairi "))
    ]
    raised = [f for f in findings if f["path"] == "mix:raisedAt" and f["severity"] == "Violation"]
    assert {f["line"] for f in raised} == {_line(text, "ex:nowhere")}

    report = runner.invoke(main, ["validate", str(path)]).stdout
    mairi = _line(text, "actor:mairi ")
    item = next(line for line in report.splitlines() if "Described_mix_involves" in line)
    assert item.startswith(f"  {path}:{mairi}: Violation [mix:involves] ")
    assert "<https://w3id.org/mixity/id/actor/mairi>" in item
    # the resource's own line heads its group; missing properties point at it
    assert f"<https://example.org/x/q>  ({path}:" in report
    missing = next(line for line in report.splitlines() if "[mix:evidence]" in line)
    assert missing.startswith(f"  {path}:{_line(text, 'ex:q a mix:Question')}: Violation")


def test_a_literal_value_is_named_with_the_line_that_gives_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    body = (
        "ex:source a mix:SourceDocument ;\n"
        '    rdfs:label "S"@fr , "S"@en ;\n'
        '    dcterms:title "S"@fr .\n\n'
        "ex:ev a oa:SpecificResource ; oa:hasSource ex:source ;\n"
        '    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "un jour" ] .\n\n'
        "ex:m a mix:Meeting ;\n"
        '    rdfs:label "M"@fr , "M"@en ;\n'
        '    schema:name "M"@fr ;\n'
        "    mix:evidence ex:ev ;\n"
        '    schema:startDate "le 12 mars" .\n'
    )
    path = tmp_path / "ext.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    code, findings = _validate(runner, path)
    assert code == 1
    (date,) = [f for f in findings if f["path"] == "schema:startDate"]
    assert (date["value"], date["line"]) == ("'le 12 mars'", _line(HEAD + body, "le 12 mars"))
    report = runner.invoke(main, ["validate", str(path)]).stdout
    assert f"{path}:{date['line']}: Violation [schema:startDate] 'le 12 mars': " in report


def test_a_statement_inside_one_of_two_blank_nodes_is_found_at_its_own_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    body = (
        "ex:source a mix:SourceDocument ;\n"
        '    rdfs:label "S"@fr , "S"@en ;\n'
        '    dcterms:title "S"@fr .\n\n'
        "ex:ev a oa:SpecificResource ;\n"
        "    oa:hasSource ex:source ;\n"
        '    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "une citation" ] ,\n'
        "        [\n"
        "        a oa:TextQuoteSelector ;\n"
        '        oa:exact "   " ] .\n'
    )
    path = tmp_path / "ext.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    code, findings = _validate(runner, path)
    assert code == 1
    (blank,) = [f for f in findings if f["path"] == "oa:exact"]
    assert blank["line"] == _line(HEAD + body, 'oa:exact "   "')


def test_the_right_axiom_of_several_is_found(runner: CliRunner, tmp_path: Path) -> None:
    """Blank nodes with the same parent (here none) are told apart by what they say."""
    body = "".join(
        f"[] a owl:Axiom ;\n    owl:annotatedSource question:{q} ;\n"
        "    owl:annotatedProperty mix:concerns ;\n"
        f"    owl:annotatedTarget ex:t ;\n    mix:evidence {ev} .\n\n"
        for q, ev in (
            ("a", "[ a oa:SpecificResource ]"),
            ("b", '"no quote"'),
            ("c", "[ a oa:Annotation ; a oa:SpecificResource ]"),
        )
    )
    path = tmp_path / "axioms.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    code, findings = _validate(runner, path)
    assert code == 1
    (wrong,) = [f for f in findings if "EvidenceValueProperty" in str(f["shape"])]
    assert (wrong["value"], wrong["line"]) == ("'no quote'", _line(HEAD + body, "no quote"))


def test_a_link_added_to_a_bundled_resource_is_found_in_the_extension(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The statement is in the user's file, not where the resource was first described."""
    body = "\n\nquestion:mixite-sociale-au-quotidien mix:involves actor:nobody .\n"
    path = tmp_path / "more.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    code, findings = _validate(runner, path)
    assert code == 1
    dangling = [f for f in findings if "Described_mix_involves" in str(f["shape"])]
    assert [(f["origin"], f["line"]) for f in dangling] == [
        (str(path), _line(HEAD + body, "actor:nobody"))
    ]


def test_rdf_xml_findings_still_name_the_file_and_a_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "ext.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
        '    xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        '  <rdf:Description rdf:about="https://example.org/x/q">\n'
        '    <rdf:type rdf:resource="https://w3id.org/mixity/ontology#Question"/>\n'
        '    <rdfs:label xml:lang="fr">Q</rdfs:label>\n'
        "  </rdf:Description>\n"
        "</rdf:RDF>\n",
        encoding="utf-8",
    )
    code, findings = _validate(runner, path)
    assert code == 1
    english = [f for f in findings if "LabelEnProperty" in str(f["shape"])]
    assert [(f["origin"], f["line"]) for f in english] == [(str(path), 4)]
