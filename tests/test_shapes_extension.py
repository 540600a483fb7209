"""The shapes on realistic extensions: a researcher adds a second debate day to the bundled graph.

Each rule has a file that trips it and the same file, corrected, that passes; the report names
the file and line of the resource at fault (`mixity validate --format json`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mixity.cli import main

HEAD = """@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix ibis: <https://vocab.methodandstructure.com/ibis#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix ex: <https://example.org/debat-2021/> .
@prefix actor: <https://w3id.org/mixity/id/actor/> .
@prefix notion: <https://w3id.org/mixity/id/notion/> .
@prefix organization: <https://w3id.org/mixity/id/organization/> .
@prefix source: <https://w3id.org/mixity/id/source/> .
"""

# A second debate day, its workshop, a talk, a question and a lever, all quoted; written the way
# the README asks (statement-level provenance included). Each case below breaks one thing.
GOOD = """
ex:source a mix:SourceDocument ;
    rdfs:label "Compte rendu 2021"@fr , "2021 report"@en ;
    dcterms:title "Compte rendu"@fr .

ex:ev-journee a oa:SpecificResource ;
    oa:hasSource ex:source ;
    oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "une journée à Échirolles" ] .

ex:echirolles a schema:Place ;
    rdfs:label "Échirolles"@fr , "Échirolles"@en .

ex:rencontre-2021 a mix:Meeting ;
    rdfs:label "Rencontre de 2021"@fr , "2021 meeting"@en ;
    schema:name "Rencontre de 2021"@fr ;
    schema:startDate "2021-03-12"^^xsd:date ;
    schema:location ex:echirolles ;
    schema:about notion:mixite-sociale ;
    mix:evidence ex:ev-journee .

ex:atelier-1 a mix:Workshop ;
    rdfs:label "Atelier n°1"@fr , "Workshop 1"@en ;
    schema:name "Atelier n°1"@fr ;
    schema:superEvent ex:rencontre-2021 ;
    schema:startDate "2021-03-12"^^xsd:date ;
    mix:evidence ex:ev-journee .

ex:intervention a mix:Talk ;
    rdfs:label "Intervention"@fr , "Talk"@en ;
    schema:name "Intervention"@fr ;
    schema:superEvent ex:atelier-1 ;
    schema:performer ex:oratrice ;
    mix:evidence ex:ev-journee .

ex:oratrice a schema:Person ;
    rdfs:label "Une oratrice"@fr , "A speaker"@en ;
    mix:evidence ex:ev-journee .

ex:question a mix:Question ;
    rdfs:label "Que change la mixité ?"@fr , "What does mixity change?"@en ;
    mix:raisedAt ex:rencontre-2021 ;
    mix:involves actor:mairie ;
    mix:evidence ex:ev-journee .

ex:levier a mix:Lever ;
    rdfs:label "Réunir les habitants"@fr , "Bring residents together"@en ;
    mix:proposedAt ex:rencontre-2021 ;
    mix:involves actor:habitants ;
    ibis:responds-to ex:question ;
    mix:evidence ex:ev-journee .

[] a owl:Axiom ;
    owl:annotatedSource ex:levier ;
    owl:annotatedProperty ibis:responds-to ;
    owl:annotatedTarget ex:question ;
    skos:editorialNote "Éditorial : lien choisi par la chercheuse."@fr ,
        "Editorial: a link the researcher chose."@en .
""" + "".join(
    f"""
[] a owl:Axiom ; owl:annotatedSource ex:{s} ; owl:annotatedProperty {p} ;
    owl:annotatedTarget {o} ; mix:evidence ex:ev-journee .
"""
    for s, p, o in (
        ("rencontre-2021", "schema:location", "ex:echirolles"),
        ("rencontre-2021", "schema:about", "notion:mixite-sociale"),
        ("atelier-1", "schema:superEvent", "ex:rencontre-2021"),
        ("intervention", "schema:superEvent", "ex:atelier-1"),
        ("intervention", "schema:performer", "ex:oratrice"),
        ("question", "mix:raisedAt", "ex:rencontre-2021"),
        ("question", "mix:involves", "actor:mairie"),
        ("levier", "mix:proposedAt", "ex:rencontre-2021"),
        ("levier", "mix:involves", "actor:habitants"),
    )
)

#: name -> (text to replace in GOOD, replacement, shape or check, severity, focus, phrase)
CASES: dict[str, tuple[str, str, str, str, str, str]] = {
    "dangling-location": (
        "schema:location ex:echirolles ;\n",
        "schema:location ex:echirole ;\n",
        "#Described_",
        "Violation",
        "rencontre-2021",
        "nothing in the loaded graph describes",
    ),
    "dangling-about": (
        "schema:about notion:mixite-sociale ;\n",
        "schema:about notion:mixite-social ;\n",
        "#Described_",
        "Violation",
        "rencontre-2021",
        "schema:about links to a resource",
    ),
    "dangling-publisher": (
        'dcterms:title "Compte rendu"@fr .',
        'dcterms:title "Compte rendu"@fr ; schema:publisher organization:gusp .',
        "#Described_",
        "Violation",
        "source",
        "schema:publisher links to a resource",
    ),
    "question-and-lever": (
        "ex:question a mix:Question ;",
        "ex:question a mix:Question , mix:Lever ;",
        "DisjointClassesShape",
        "Violation",
        "question",
        "both a question or finding",
    ),
    "workshop-inside-a-talk": (
        "schema:superEvent ex:rencontre-2021 ;\n    schema:startDate",
        "schema:superEvent ex:intervention ;\n    schema:startDate",
        "EventNestingShape",
        "Violation",
        "atelier-1",
        "not a larger event",
    ),
    "workshop-outside-its-meeting": (
        'schema:startDate "2021-03-12"^^xsd:date ;\n    mix:evidence',
        'schema:startDate "2021-03-13"^^xsd:date ;\n    mix:evidence',
        "EventNestingShape",
        "Violation",
        "atelier-1",
        "falls outside the dates of its parent event",
    ),
    "unmarked-responds-to": (
        "owl:annotatedTarget ex:question ;",
        "owl:annotatedTarget ex:rencontre-2021 ;",
        "EditorialLinkShape",
        "Violation",
        "levier",
        "ibis:responds-to",
    ),
    "lever-without-actor": (
        "mix:involves actor:habitants ;\n",
        "",
        "LeverInvolvesProperty",
        "Warning",
        "levier",
        "should name at least one mix:involves",
    ),
}


def _report(runner: CliRunner, path: Path) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(main, ["validate", str(path), "--format", "json"])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "debat-2021.ttl"
    path.write_text(HEAD + "@prefix dcterms: <http://purl.org/dc/terms/> .\n" + body, "utf-8")
    return path


def test_the_good_extension_passes_every_rule(runner: CliRunner, tmp_path: Path) -> None:
    code, findings = _report(runner, _write(tmp_path, GOOD))
    assert (code, findings) == (0, [])


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_trips_on_its_broken_extension(
    runner: CliRunner, tmp_path: Path, case: str
) -> None:
    old, new, shape, severity, focus, phrase = CASES[case]
    assert GOOD.count(old) == 1, case
    body = GOOD.replace(old, new)
    path = _write(tmp_path, body)
    code, findings = _report(runner, path)
    assert code == (1 if severity == "Violation" else 0)
    mine = [f for f in findings if shape in str(f["shape"])]
    assert len(mine) == 1, findings
    (finding,) = mine
    assert finding["focus"] == f"<https://example.org/debat-2021/{focus}>"
    assert finding["severity"] == severity
    assert phrase in str(finding["message"])
    # only the broken resource is reported (a changed link also loses its quote), at its line
    assert {f["focus"] for f in findings} == {finding["focus"]}, findings
    assert finding["origin"] == str(path)
    lines = (HEAD + "@prefix dcterms: <http://purl.org/dc/terms/> .\n" + body).splitlines()
    line = lines[int(str(finding["line"])) - 1]
    subject = f"ex:{focus} "
    assert line.startswith(subject) or line.startswith("    "), (line, finding)
    assert any(text.startswith(subject) for text in lines[: int(str(finding["line"]))]), finding


def test_a_link_that_no_quote_supports_is_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    # the meeting's link to its place, without the owl:Axiom that carries its quote
    axiom = GOOD[
        GOOD.index(
            "owl:annotatedSource ex:rencontre-2021 ; owl:annotatedProperty schema:location"
        ) :
    ]
    axiom = axiom[: axiom.index(".\n") + 2]
    body = GOOD.replace("[] a owl:Axiom ; " + axiom, "")
    assert body != GOOD
    path = _write(tmp_path, body)
    code, findings = _report(runner, path)
    assert code == 0  # a warning: the graph conforms
    (finding,) = findings
    assert (finding["severity"], finding["path"]) == ("Warning", "schema:location")
    assert finding["shape"] == "statement provenance"
    assert "no quote supports" in str(finding["message"])
    text = runner.invoke(main, ["validate", str(path)]).stdout
    assert "with 1 warning in 1 resource" in text


def test_the_text_report_names_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    old, new, *_ = CASES["dangling-location"]
    path = _write(tmp_path, GOOD.replace(old, new))
    result = runner.invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    text = (HEAD + "@prefix dcterms: <http://purl.org/dc/terms/> .\n" + GOOD).splitlines()
    line = next(n for n, t in enumerate(text, 1) if "schema:location" in t)
    assert f"({path}:{line})" in result.stdout
    assert "<https://example.org/debat-2021/echirole>" in result.stdout
