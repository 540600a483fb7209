"""`mixity validate` runs pySHACL on the shapes arranged for speed (`split_targets`), with each
SPARQL constraint prepared once (`prepared_queries`): the report must be the very report of the
shapes as written, run by rdflib's own SPARQL processor."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, Namespace, URIRef, Variable
from rdflib import plugin as rdflib_plugin
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.query import Processor

from mixity.graph.io.loader import load, parse_text, shapes_graph
from mixity.graph.model.prepared import PreparedProcessor, prepared_queries
from mixity.graph.model.targets import split_targets
from tests.test_shapes_extension import CASES, GOOD, HEAD

MIXSH = Namespace("https://w3id.org/mixity/shapes#")
DCTERMS = "@prefix dcterms: <http://purl.org/dc/terms/> .\n"

Result = tuple[object, ...]


def _results(data: Graph, shapes: Graph) -> set[Result]:
    _, report, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    found = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        fields = (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.resultSeverity)
        messages = frozenset(report.objects(result, SH.resultMessage))
        found.add((*(report.value(result, p) for p in fields), messages))
    return found


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """The bundled graph and an extension that breaks every rule of `CASES` it can at once."""
    text = GOOD
    for old, new, *_ in CASES.values():
        text = text.replace(old, new, 1)
    path = tmp_path_factory.mktemp("broken") / "extension.ttl"
    path.write_text(HEAD + DCTERMS + text, encoding="utf-8")
    return load([path]).graph


def test_the_arranged_shapes_give_the_report_of_the_shapes_as_written(broken: Graph) -> None:
    shapes = shapes_graph()
    as_written = _results(broken, shapes)
    with prepared_queries():
        arranged = _results(broken, split_targets(shapes))
    assert arranged == as_written
    # the extension trips the split shapes, the SPARQL constraints and the others
    sources = {str(r[3]).rsplit("#", 1)[-1] for r in as_written}
    assert {"Described_schema_location", "Described_schema_about"} <= sources
    assert sum(s.startswith("Described_") for s in sources) >= 3
    assert {"EditorialLinkShape", "EventNestingShape", "DisjointClassesShape"} <= sources  # SPARQL
    assert len(as_written) >= len(CASES)


def test_the_node_shapes_that_only_gather_property_shapes_are_split() -> None:
    shapes = shapes_graph()
    split = split_targets(shapes)
    gathering = {
        MIXSH.DescribedLinkShape: 30,
        MIXSH.MeasuresShape: 4,
        MIXSH.EvidenceLinkShape: 1,
        MIXSH.ConcernsShape: 1,
    }
    for shape, count in gathering.items():
        properties = list(shapes.objects(shape, SH.property))
        assert len(properties) == count
        for prop in properties:
            assert (prop, SH.targetSubjectsOf, shapes.value(prop, SH.path)) in split
        assert (shape, SH.property, None) not in split
        assert (shape, SH.targetSubjectsOf, None) not in split
    removed, added = set(shapes) - set(split), set(split) - set(shapes)
    assert {s for s, _, _ in removed} == set(gathering)
    assert {p for _, p, _ in removed} == {SH.property, SH.targetSubjectsOf}
    assert {p for _, p, _ in added} == {SH.targetSubjectsOf}
    assert len(added) == sum(gathering.values())


SHAPES_HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/s/> .
ex:Gathering a sh:NodeShape ; sh:targetSubjectsOf ex:p , ex:q ;
    sh:property ex:P , ex:Q .
"""


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("ex:P sh:path ex:p ; sh:minCount 1 .\nex:Q sh:path ex:q .\n", "fails for want of values"),
        ("ex:P sh:path ex:p .\nex:Q sh:path ex:q .\nex:Other sh:property ex:P .\n", "shared"),
        ("ex:P sh:path ex:p .\nex:Q sh:path [ sh:inversePath ex:q ] .\n", "a path that is no IRI"),
        ("ex:P sh:path ex:p .\nex:Q sh:path ex:other .\n", "targets other than the paths"),
        (
            "ex:P sh:path ex:p .\nex:Q sh:path ex:q .\nex:Other sh:targetNode ex:z ; "
            "sh:node ex:Gathering .\n",
            "the node shape used by another",
        ),
    ],
)
def test_shapes_of_another_form_are_left_as_they_are(text: str, why: str) -> None:
    shapes = parse_text(SHAPES_HEAD + text, "turtle")
    assert split_targets(shapes) is shapes, why


def test_the_same_form_elsewhere_is_split_and_validates_the_same() -> None:
    shapes = parse_text(
        SHAPES_HEAD + "ex:P sh:path ex:p ; sh:class ex:C .\nex:Q sh:path ex:q ; sh:maxCount 1 .\n",
        "turtle",
    )
    data = parse_text(
        "@prefix ex: <https://example.org/s/> .\n"
        "ex:a ex:p ex:b ; ex:q 1 , 2 .\nex:b a ex:C .\nex:c ex:p ex:d .\nex:e ex:r ex:f .\n",
        "turtle",
    )
    split = split_targets(shapes)
    assert split is not shapes
    assert _results(data, split) == _results(data, shapes)
    assert len(_results(data, shapes)) == 2  # ex:a has two ex:q, ex:d is no ex:C


def test_prepared_queries_answer_as_rdflib_and_put_its_processor_back() -> None:
    graph = parse_text(
        "@prefix ex: <https://example.org/s/> .\nex:a ex:p 1 .\nex:b ex:p 2 .\n", "turtle"
    )
    text = "SELECT ?v WHERE { ?s <https://example.org/s/p> ?v }"
    plain = {
        s: [row[0] for row in graph.query(text, initBindings={"s": URIRef(s)})]
        for s in ("https://example.org/s/a", "https://example.org/s/b")
    }
    assert plain["https://example.org/s/a"] == [Literal(1)]
    with pytest.raises(RuntimeError), prepared_queries():
        assert rdflib_plugin.get("sparql", Processor) is PreparedProcessor
        for s, expected in plain.items():
            bindings = {Variable("s"): URIRef(s)}
            assert [row[0] for row in graph.query(text, initBindings=bindings)] == expected
        raise RuntimeError("an error within the block")
    assert rdflib_plugin.get("sparql", Processor) is SPARQLProcessor
    # nested: each block puts back what was there before it
    with prepared_queries():
        with prepared_queries():
            pass
        assert rdflib_plugin.get("sparql", Processor) is PreparedProcessor
    assert rdflib_plugin.get("sparql", Processor) is SPARQLProcessor


def test_validate_uses_both(tmp_path: Path) -> None:
    """`validate` on the broken extension reports what pySHACL reports on the shapes as
    written (the findings of the shapes, before mixity's own checks are added)."""
    from mixity.graph.model.validate import validate

    text = GOOD.replace(*CASES["dangling-location"][:2], 1)
    path = tmp_path / "extension.ttl"
    path.write_text(HEAD + DCTERMS + text, encoding="utf-8")
    loaded = load([path])
    report = validate(loaded)
    found = {
        (f.focus.rsplit("/", 1)[-1].rstrip(">"), f.shape.rsplit("#", 1)[-1].rstrip(">"))
        for f in report.findings
    }
    assert ("rencontre-2021", "Described_schema_location") in found
    assert rdflib_plugin.get("sparql", Processor) is SPARQLProcessor
