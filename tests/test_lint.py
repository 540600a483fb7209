"""`mixity.graph.lint`: each check with a small extension that trips it and one that does not,
the bundled ontology clean, findings relative to the base and placed at their file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from mixity.graph.lint import Finding, base_findings, lint
from mixity.graph.lint.run import ONTOLOGY_FILE, bundled_ontology

PREFIXES = """\
@prefix ext: <https://w3id.org/mixity-test/ext#> .
@prefix mix: <https://w3id.org/mixity/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix ibis: <https://vocab.methodandstructure.com/ibis#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix vann: <http://purl.org/vocab/vann/> .
@prefix actor: <https://w3id.org/mixity/id/actor/> .
"""
ONTOLOGY = "https://w3id.org/mixity-test/ext"
#: The header's statements, one per line, so that a case can leave one out or change it.
HEADER_LINES = {
    "versionIRI": "owl:versionIRI <https://w3id.org/mixity-test/ext/0.1.0>",
    "versionInfo": 'owl:versionInfo "0.1.0"',
    "imports": "owl:imports <https://w3id.org/mixity/ontology>",
    "title": 'dcterms:title "Extension d\'essai"@fr , "Test extension"@en',
    "description": 'dcterms:description "Une extension d\'essai."@fr , "A test extension."@en',
    "license": "dcterms:license <https://creativecommons.org/licenses/by/4.0/>",
    "creator": 'dcterms:creator "Une chercheuse"',
    "date": 'dcterms:modified "2025-01-01"^^xsd:date',
    "prefix": 'vann:preferredNamespacePrefix "ext"',
    "namespace": 'vann:preferredNamespaceUri "https://w3id.org/mixity-test/ext#"',
}


def header(iri: str = ONTOLOGY, without: tuple[str, ...] = (), **changed: str) -> str:
    lines = [v for k, v in {**HEADER_LINES, **changed}.items() if k not in without]
    return f"<{iri}> a owl:Ontology ;\n    " + " ;\n    ".join(lines) + " .\n\n"


def term(name: str, kind: str = "owl:Class", extra: str = "", **labels: str) -> str:
    """A well-formed term: declared, labelled and defined in fr and en, attributed."""
    fr = labels.get("fr", f"{name} fr")
    en = labels.get("en", f"{name} en")
    return (
        f"ext:{name} a {kind} ;\n"
        f'    rdfs:label "{fr}"@fr , "{en}"@en ;\n'
        f'    rdfs:comment "Un terme d\'essai."@fr , "A test term."@en ;\n'
        f"    {extra + ' ;' if extra else ''}\n"
        f"    rdfs:isDefinedBy <{ONTOLOGY}> .\n\n"
    )


SEMINAR = term("Seminar", extra="rdfs:subClassOf schema:Event")
HELD_BY = term(
    "heldBy",
    "owl:ObjectProperty",
    "rdfs:domain ext:Seminar ; rdfs:range schema:Organization",
)
GOOD = header() + SEMINAR + HELD_BY
OLD = GOOD + term("Colloquium", extra="rdfs:subClassOf schema:Event ; owl:deprecated true")

#: (check, level, an extension that trips it, one that does not). Each is the whole file.
CASES: list[tuple[str, str, str, str]] = [
    ("mixity:ontology-header", "error", SEMINAR, GOOD),
    ("mixity:ontology-header", "error", GOOD + header(ONTOLOGY + "/other"), GOOD),
    ("robot:missing_ontology_title", "error", header(without=("title",)) + SEMINAR, GOOD),
    ("robot:missing_ontology_description", "error", header(without=("description",)), GOOD),
    ("robot:missing_ontology_license", "error", header(without=("license",)), GOOD),
    ("foops:OM1", "error", header(without=("creator",)), GOOD),
    ("foops:OM1", "warning", header(without=("date",)), GOOD),
    ("foops:OM1", "warning", header(without=("namespace",)), GOOD),
    ("foops:OM2", "warning", header(without=("versionInfo",)), GOOD),
    ("foops:OM2", "warning", header(without=("prefix",)), GOOD),
    ("foops:VER1", "error", header(without=("versionIRI",)), GOOD),
    ("mixity:version-iri", "error", header(versionIRI=f"owl:versionIRI <{ONTOLOGY}>"), GOOD),
    ("foops:PURL1", "warning", header("https://example.org/ext"), GOOD),
    ("mixity:imports", "warning", header(without=("imports",)), GOOD),
    (
        "oops:P08",
        "error",
        header() + "ext:Bare a owl:Class ; rdfs:subClassOf schema:Event .\n",
        GOOD,
    ),
    (
        "robot:missing_label",
        "error",
        header()
        + SEMINAR.replace('"Seminar en"@en', '"Seminar en"@de').replace(' , "Seminar en"@de', ""),
        GOOD,
    ),
    (
        "robot:missing_definition",
        "warning",
        header() + SEMINAR.replace('"Un terme d\'essai."@fr , ', ""),
        GOOD,
    ),
    (
        "mixity:is-defined-by",
        "warning",
        header() + SEMINAR.replace(f"rdfs:isDefinedBy <{ONTOLOGY}>", 'skos:note "x"'),
        GOOD,
    ),
    (
        "robot:multiple_labels",
        "error",
        GOOD + 'ext:Seminar rdfs:label "seminar, again"@en .\n',
        GOOD + 'ext:Seminar skos:altLabel "seminar, again"@en .\n',
    ),
    (
        "robot:multiple_labels",
        "error",
        GOOD + 'mix:Lever rdfs:label "lever, again"@en .\n',
        GOOD + 'mix:Lever skos:altLabel "lever, again"@en .\n',
    ),
    (
        "skos:S14",
        "error",
        GOOD + '<https://w3id.org/mixity-test/id/c> skos:prefLabel "un"@fr , "deux"@fr .\n',
        GOOD + '<https://w3id.org/mixity-test/id/c> skos:prefLabel "un"@fr , "one"@en .\n',
    ),
    (
        "robot:label_whitespace",
        "warning",
        header() + term("Seminar", extra="rdfs:subClassOf schema:Event", en="a  seminar "),
        GOOD,
    ),
    (
        "robot:duplicate_label",
        "error",
        header() + term("Seminar", extra="rdfs:subClassOf schema:Event", en="meeting"),
        header() + term("Seminar", extra="rdfs:subClassOf schema:Event", en="seminar"),
    ),
    (
        "oops:P32",
        "warning",
        header() + term("Seminar", extra="rdfs:subClassOf schema:Event", en="Meeting"),
        header() + term("Seminar", extra="rdfs:subClassOf schema:Event", en="seminar"),
    ),
    (
        "oops:P34",
        "warning",
        GOOD + "ext:s1 a ext:Colloquium .\n",
        GOOD + "ext:s1 a ext:Seminar .\n",
    ),
    (
        "oops:P35",
        "warning",
        GOOD + "ext:s1 ext:hostedBy actor:mairie .\n",
        GOOD + "ext:s1 ext:heldBy actor:mairie .\n",
    ),
    (
        "oops:P06",
        "error",
        header()
        + term("Seminar", extra="rdfs:subClassOf schema:Event , ext:Colloquium")
        + term("Colloquium", extra="rdfs:subClassOf ext:Seminar"),
        header() + SEMINAR + term("Colloquium", extra="rdfs:subClassOf ext:Seminar"),
    ),
    (
        "robot:missing_superclass",
        "warning",
        header() + term("Seminar") + HELD_BY,
        GOOD,
    ),
    ("oops:P04", "warning", header() + term("Seminar"), GOOD),
    (
        "mixity:detached-class",
        "warning",
        header()
        + term("Seminar")
        + term("Colloquium", extra="rdfs:subClassOf ext:Seminar")
        + HELD_BY,
        header() + SEMINAR + term("Colloquium", extra="rdfs:subClassOf ext:Seminar"),
    ),
    (
        "oops:P11",
        "warning",
        GOOD + term("hosts", "owl:ObjectProperty", "rdfs:domain ext:Seminar"),
        GOOD
        + term("hosts", "owl:ObjectProperty", "rdfs:domain ext:Seminar").replace(
            "A test term.", "A test term. No range: anything can be hosted."
        ),
    ),
    (
        "oops:P19",
        "error",
        GOOD
        + term(
            "hosts",
            "owl:ObjectProperty",
            "rdfs:domain ext:Seminar , mix:Meeting ; rdfs:range schema:Organization",
        ),
        GOOD
        + term(
            "hosts",
            "owl:ObjectProperty",
            "rdfs:domain ext:Seminar ; rdfs:range schema:Organization",
        ),
    ),
    (
        "oops:P22",
        "warning",
        header() + term("seminar_type", extra="rdfs:subClassOf schema:Event"),
        header() + term("SeminarType", extra="rdfs:subClassOf schema:Event"),
    ),
    ("oops:P40", "error", GOOD + "ext:s1 a mix:Seminar .\n", GOOD + "ext:s1 a mix:Meeting .\n"),
    (
        "oops:P40",
        "warning",
        GOOD + 'ext:s1 schema:nmae "x" .\n',
        GOOD + 'ext:s1 schema:name "x" .\n',
    ),
    (
        "mixity:object-and-datatype-property",
        "error",
        GOOD.replace(
            "ext:heldBy a owl:ObjectProperty",
            "ext:heldBy a owl:ObjectProperty , owl:DatatypeProperty",
        ),
        GOOD,
    ),
    (
        "robot:deprecated_class_reference",
        "warning",
        OLD + "ext:s1 a ext:Colloquium .\n",
        OLD + "ext:s1 a ext:Seminar .\n",
    ),
    (
        "robot:deprecated_property_reference",
        "warning",
        GOOD + "ext:heldBy owl:deprecated true .\next:s1 ext:heldBy actor:mairie .\n",
        GOOD + "ext:s1 ext:heldBy actor:mairie .\n",
    ),
    ("mixity:base-domain", "error", GOOD + "mix:involves rdfs:domain ext:Seminar .\n", GOOD),
    ("mixity:base-range", "error", GOOD + "mix:raisedAt rdfs:range ext:Seminar .\n", GOOD),
    (
        "mixity:base-superclass",
        "error",
        GOOD + "mix:Lever rdfs:subClassOf ext:Seminar .\n",
        GOOD + "ext:Seminar rdfs:subClassOf mix:Meeting .\n",
    ),
    (
        "mixity:base-equivalence",
        "error",
        GOOD + "ext:Seminar owl:equivalentClass mix:Meeting .\n",
        GOOD + "ext:Seminar rdfs:subClassOf mix:Meeting .\n",
    ),
    ("mixity:base-disjointness", "error", GOOD + "mix:Meeting owl:disjointWith mix:Talk .\n", GOOD),
    (
        "mixity:base-disjointness",
        "warning",
        GOOD + "ext:Seminar owl:disjointWith mix:Talk .\n",
        GOOD,
    ),
    (
        "mixity:base-property-axiom",
        "error",
        GOOD + "mix:involves a owl:FunctionalProperty .\n",
        GOOD + "mix:involves a owl:ObjectProperty .\n",
    ),
    ("mixity:base-kind", "error", GOOD + "mix:raisedAt a owl:DatatypeProperty .\n", GOOD),
    (
        "mixity:redefinition",
        "error",
        GOOD + "ibis:concerns rdfs:domain ext:Seminar .\n",
        # IBIS 0.6 gives ibis:Entity, which is a skos:Concept: the wider domain is entailed
        GOOD + "ibis:concerns rdfs:domain skos:Concept .\n",
    ),
    (
        "mixity:redefinition",
        "error",
        GOOD + "skos:broader a owl:TransitiveProperty .\n",
        GOOD + "skos:broader owl:inverseOf skos:narrower .\n",
    ),
    (
        "mixity:ill-typed-literal",
        "error",
        GOOD + 'ext:s1 a ext:Seminar ; schema:startDate "6 novembre"^^xsd:date .\n',
        GOOD + 'ext:s1 a ext:Seminar ; schema:startDate "2019-11-06"^^xsd:date .\n',
    ),
]


def _lint(tmp_path: Path, text: str, name: str = "ext.ttl") -> list[Finding]:
    path = tmp_path / name
    path.write_text(PREFIXES + text, encoding="utf-8")
    return lint([path], profile=False).findings


@pytest.mark.parametrize(
    ("check", "level", "bad", "good"),
    CASES,
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)],
)
def test_each_check_trips_on_a_bad_extension_and_not_on_a_good_one(
    tmp_path: Path, check: str, level: str, bad: str, good: str
) -> None:
    tripped = [f for f in _lint(tmp_path, bad) if f.check == check and f.level == level]
    assert tripped, f"{check} ({level}) not reported"
    assert all(f.file == str(tmp_path / "ext.ttl") for f in tripped)
    clean = [f for f in _lint(tmp_path, good) if f.check == check]
    assert clean == []


def test_the_good_extension_has_no_finding(tmp_path: Path) -> None:
    assert _lint(tmp_path, GOOD) == []


def test_the_bundled_ontology_has_no_error_and_no_warning() -> None:
    report = lint(profile=False)
    assert [f for f in report.findings if f.level in ("error", "warning")] == []
    assert report.files == [ONTOLOGY_FILE] and not report.relative


def test_the_bundled_ontology_would_be_reported_against_itself() -> None:
    # the checks do see the bundled file: with a term broken, lint reports it there
    ontology, _ = bundled_ontology()
    text = ontology.serialize(format="turtle")
    broken = text.replace('"question"@en', '"question"@de')
    assert broken != text
    graph = Graph().parse(data=broken, format="turtle")
    from mixity.graph.lint.context import Context
    from mixity.graph.lint.terms import check_terms

    ctx = Context(Graph(), graph, relative=False)
    check_terms(ctx)
    assert [f.check for f in ctx.findings] == ["robot:missing_label"]


def test_findings_are_placed_at_the_statement(tmp_path: Path) -> None:
    text = GOOD + "\n\nmix:involves\n    rdfs:domain ext:Seminar .\n"
    found = [f for f in _lint(tmp_path, text) if f.check == "mixity:base-domain"]
    lines = (PREFIXES + text).splitlines()
    assert len(found) == 1
    assert found[0].line is not None
    assert lines[found[0].line - 1].strip() == "rdfs:domain ext:Seminar ."
    assert found[0].subject == "https://w3id.org/mixity/ontology#involves"


def test_positions_in_n_triples(tmp_path: Path) -> None:
    graph = Graph().parse(
        data=PREFIXES + GOOD + "mix:Lever rdfs:subClassOf ext:Seminar .\n", format="turtle"
    )
    path = tmp_path / "ext.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    found = [f for f in lint([path], profile=False).findings if f.check == "mixity:base-superclass"]
    assert len(found) == 1 and found[0].line is not None
    line = path.read_text(encoding="utf-8").splitlines()[found[0].line - 1]
    assert "ontology#Lever>" in line and "subClassOf" in line


def test_an_extension_is_linted_relative_to_the_base(tmp_path: Path) -> None:
    report = lint(
        [_write(tmp_path, GOOD + "mix:involves rdfs:domain ext:Seminar .\n")], profile=False
    )
    assert report.relative
    # the base's own terms are neither re-checked nor shown: only the extension's statement
    assert [f.check for f in report.findings] == ["mixity:base-domain"]
    assert all(f.file != ONTOLOGY_FILE for f in report.findings)


def test_several_files_are_one_extension(tmp_path: Path) -> None:
    first = _write(tmp_path, GOOD, "a.ttl")
    second = _write(
        tmp_path,
        "ext:s1 a ext:Seminar ; ext:heldBy actor:mairie .\n"
        "mix:Lever rdfs:subClassOf ext:Seminar .\n",
        "b.ttl",
    )
    report = lint([first, second], profile=False)
    assert [(f.check, Path(f.file or "").name) for f in report.findings] == [
        ("mixity:base-superclass", "b.ttl")
    ]


def _write(folder: Path, text: str, name: str = "ext.ttl") -> Path:
    path = folder / name
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


# --- base_findings (used by `mixity diff --extension`) -----------------------------------------

EX = "https://example.org/"


def _graph(text: str) -> Graph:
    return Graph().parse(data=f"@prefix ex: <{EX}> .\n{PREFIXES}{text}", format="turtle")


def test_base_findings_reports_only_what_the_extension_does_to_the_base() -> None:
    base = _graph(
        "ex:B a owl:Class . ex:p a owl:ObjectProperty ; rdfs:domain ex:B .\n"
        "ex:Q a owl:Class ; rdfs:subClassOf ex:B .\n"
    )
    extension = _graph(
        "ex:N a owl:Class . ex:p rdfs:range ex:N . ex:Q rdfs:subClassOf ex:N .\n"
        "ex:N rdfs:subClassOf ex:B .\n"
    )
    found = base_findings(base, extension)
    assert sorted((f.check, f.subject) for f in found) == [
        ("mixity:base-range", EX + "p"),
        ("mixity:base-superclass", EX + "Q"),
    ]
    assert all(f.file is None and f.line is None for f in found)


def test_base_findings_of_the_bundled_ontology_against_itself_are_empty() -> None:
    ontology, _ = bundled_ontology()
    assert base_findings(ontology, ontology) == []


def test_base_findings_checks_reused_terms_against_the_pinned_vocabularies() -> None:
    prov = "http://www.w3.org/ns/prov#"
    found = base_findings(Graph(), _graph(f"<{prov}wasDerivedFrom> rdfs:range ex:N .\n"))
    assert [(f.check, f.subject) for f in found] == [
        ("mixity:redefinition", prov + "wasDerivedFrom")
    ]
    assert "PROV-O" in found[0].message
    agreeing = _graph(f"<{prov}wasDerivedFrom> rdfs:range <{prov}Entity> .\n")
    assert base_findings(Graph(), agreeing) == []


def test_the_pinned_vocabularies_shipped_are_the_tested_ones() -> None:
    tests = Path(__file__).parent / "vocab"
    shipped = Path(__file__).parent.parent / "mixity" / "ontology" / "pinned"
    names = sorted(p.name for p in tests.glob("*.ttl"))
    assert names == sorted(p.name for p in shipped.glob("*.ttl"))
    for name in names:
        assert (shipped / name).read_bytes() == (tests / name).read_bytes(), name


def test_finding_subjects_are_iris(tmp_path: Path) -> None:
    found = _lint(tmp_path, header() + "ext:Bare a owl:Class .\n")
    assert {f.subject for f in found if f.check == "oops:P08"} == {
        str(URIRef("https://w3id.org/mixity-test/ext#Bare"))
    }


def test_statements_the_base_already_makes_are_not_the_extensions(tmp_path: Path) -> None:
    restated = (
        "mix:Lever rdfs:subClassOf ibis:Position .\n"
        "<https://w3id.org/mixity/ontology> owl:priorVersion "
        "<https://w3id.org/mixity/ontology/0.1.0> .\n"
    )
    assert _lint(tmp_path, GOOD + restated) == []


def test_positions_in_rdf_xml(tmp_path: Path) -> None:
    graph = Graph().parse(
        data=PREFIXES + GOOD + "mix:involves rdfs:domain ext:Seminar .\n", format="turtle"
    )
    path = tmp_path / "ext.rdf"
    graph.serialize(path, format="xml", encoding="utf-8")
    found = [f for f in lint([path], profile=False).findings if f.check == "mixity:base-domain"]
    assert len(found) == 1 and found[0].file == str(path) and found[0].line is not None
    line = path.read_text(encoding="utf-8").splitlines()[found[0].line - 1]
    assert "https://w3id.org/mixity/ontology#involves" in line
