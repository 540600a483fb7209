"""examples/extension.ttl shows what an extension needs (a question, a lever with an editorial
link on the statement, quoted evidence from a source document with its checksum, its own class)
and passes `mixity validate`, with its quotes checked against examples/sources/."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from mixity.cli import main
from mixity.graph.io.loader import parse_file
from mixity.graph.sparql.engine import run_query

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "extension.ttl"
SOURCES = ROOT / "examples" / "sources"
MIX = "https://w3id.org/mixity/ontology#"
OA = "http://www.w3.org/ns/oa#"
IBIS = "https://vocab.methodandstructure.com/ibis#"
SPDX = "http://spdx.org/rdf/terms#"


def _findings(runner: CliRunner, *args: str) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(main, ["validate", *args, "--format", "json"])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_the_example_and_its_quotes_pass_validate(runner: CliRunner) -> None:
    quotes = list(parse_file(EXAMPLE).objects(None, URIRef(OA + "exact")))
    assert len(quotes) >= 3
    assert _findings(runner, str(EXAMPLE)) == (0, [])
    code, findings = _findings(runner, str(EXAMPLE), "--sources", str(SOURCES))
    assert code == 0
    # only the bundled sources, whose texts are not in examples/sources, are left unchecked
    assert all(str(f["focus"]).startswith("<https://w3id.org/mixity/id/source/") for f in findings)
    assert all(f["severity"] == "Warning" for f in findings)


def test_a_changed_quote_of_the_example_is_reported_at_its_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    broken = text.replace("salle commune gérée par les habitants.", "salle commune gérée.")
    assert broken != text
    path = tmp_path / "extension.ttl"
    path.write_text(broken, encoding="utf-8")
    code, findings = _findings(runner, str(path), "--sources", str(SOURCES))
    assert code == 1
    (changed,) = [f for f in findings if f["severity"] == "Violation"]
    assert changed["shape"] == "quote check"
    line = next(n for n, t in enumerate(broken.splitlines(), 1) if "salle commune gérée." in t)
    assert (changed["origin"], changed["line"]) == (str(path), line)


def test_the_example_shows_each_part_of_an_extension() -> None:
    graph = parse_file(EXAMPLE)  # every prefix it uses is declared, or this fails
    question = next(graph.subjects(RDF.type, URIRef(MIX + "Question")))
    lever = next(graph.subjects(RDF.type, URIRef(MIX + "Lever")))
    assert (lever, URIRef(IBIS + "responds-to"), question) in graph
    # the editorial link is marked on the statement itself
    axioms = [
        a
        for a in graph.subjects(RDF.type, OWL.Axiom)
        if graph.value(a, OWL.annotatedSource) == lever
        and graph.value(a, OWL.annotatedProperty) == URIRef(IBIS + "responds-to")
        and graph.value(a, OWL.annotatedTarget) == question
    ]
    assert len(axioms) == 1 and graph.value(axioms[0], SKOS.editorialNote) is not None
    # evidence: a quote of a source document whose checksum is the text's
    for resource in (question, lever):
        evidence = graph.value(resource, URIRef(MIX + "evidence"))
        assert (evidence, RDF.type, URIRef(OA + "SpecificResource")) in graph
        selector = graph.value(evidence, URIRef(OA + "hasSelector"))
        assert (selector, RDF.type, URIRef(OA + "TextQuoteSelector")) in graph
        document = graph.value(evidence, URIRef(OA + "hasSource"))
        assert (document, RDF.type, URIRef(MIX + "SourceDocument")) in graph
        checksum = graph.value(
            graph.value(document, URIRef(SPDX + "checksum")), URIRef(SPDX + "checksumValue")
        )
        text = (SOURCES / "notes-seminaire.txt").read_bytes()
        assert checksum == Literal(hashlib.sha256(text).hexdigest())
        assert str(graph.value(selector, URIRef(OA + "exact"))) in text.decode("utf-8")
    # the researcher's own class, queried beside the bundled graph
    assert (URIRef("https://example.org/my-research/PublicActorType"), RDF.type, OWL.Class) in graph
    result = run_query(
        "SELECT ?a WHERE { ?a a <https://example.org/my-research/PublicActorType> } ORDER BY ?a",
        paths=[EXAMPLE],
    )
    found = [row[0].value.rsplit("/", 1)[1] for row in result.rows if row[0] is not None]
    assert found == ["mairie", "metro", "police-municipale", "police-nationale"]


def test_the_example_passes_lint_with_no_error() -> None:
    from mixity.graph.lint import lint

    report = lint([EXAMPLE], profile=False)
    errors = [f for f in report.findings if f.level == "error"]
    assert errors == []
    # the one warning: an example.org ontology IRI is not persistent, as the file says
    assert [f.check for f in report.findings] == ["foops:PURL1"]
