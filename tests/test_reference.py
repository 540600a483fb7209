"""The documentation's reference sections are generated (`mixity.graph.model.reference`): the
vocabulary from the bundled graph, the rules of the shapes from shapes.ttl. The pages hold a
marker that the site's build replaces with what the generators return (docs/_ext), and
tests/test_docs_site.py checks the built pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import IdentifiedNode

from mixity.graph.io.loader import LoadedGraph, shapes_graph
from mixity.graph.model.reference import (
    UNDOCUMENTED,
    sections,
    shape_rules_markdown,
    short,
    vocabulary_markdown,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return sections()


@pytest.mark.parametrize(
    ("page", "name"), [("vocabulary.md", "vocabulary"), ("shape-rules.md", "shape-rules")]
)
def test_the_reference_page_is_generated(generated: dict[str, str], page: str, name: str) -> None:
    text = (ROOT / "docs" / "reference" / page).read_text(encoding="utf-8")
    assert f"<!-- mixity:{name} -->" in text.splitlines()
    assert generated[name].strip()


def test_every_namespace_class_and_property_of_the_data_is_documented(
    generated: dict[str, str], bundled: LoadedGraph
) -> None:
    table = generated["vocabulary"]
    assert UNDOCUMENTED not in table
    data = [
        (s, p, o)
        for s, p, o in bundled.graph
        if isinstance(s, IdentifiedNode)
        and not (bundled.origin(s) or "").startswith("mixity/ontology/")
    ]
    for _, p, o in data:
        assert f"| `{short(str(p))}` |" in table, p
        if p == RDF.type and isinstance(o, URIRef):
            assert f"| `{short(str(o))}` |" in table, o
    for term in ("schema:performer", "dcterms:title", "schema:url", "spdx:checksum"):
        assert f"| `{term}` | " in table
    for prefix in ("ibis", "oa", "prov", "dcterms", "schema", "skos", "spdx", "mix", "id"):
        assert f"| `{prefix}:` | " in table
    # a mixity term's meaning is its ontology comment's first sentence
    assert (
        "| `mix:raisedAt` | the event (meeting, workshop) for or at which a question is raised |"
        in table
    )


def test_the_vocabulary_follows_the_graph(bundled: LoadedGraph) -> None:
    extra = LoadedGraph(graph=Graph(), files=bundled.files, origins=dict(bundled.origins))
    extra.graph += bundled.graph
    subject = URIRef("https://example.org/x/s")
    extra.graph.add((subject, URIRef("https://schema.org/startTime"), URIRef("https://e/t")))
    extra.origins[subject] = "ext.ttl"
    table = vocabulary_markdown(extra)
    assert f"| `schema:startTime` | {UNDOCUMENTED} |" in table


def test_every_rule_of_the_shapes_is_listed(generated: dict[str, str]) -> None:
    rules = generated["shape-rules"]
    shapes = shapes_graph()
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        if isinstance(shape, URIRef):
            assert f"(`mixsh:{str(shape).rsplit('#', 1)[1]}`)" in rules, shape
    for prop in shapes.subjects(RDF.type, SH.PropertyShape):
        path = shapes.value(prop, SH.path)
        assert f"`{short(str(path))}`" in rules, prop
    for shape, message in shapes.subject_objects(SH.message):
        if not isinstance(shape, URIRef):
            continue  # a message inside another shape (sh:not): its parent's is the one shown
        # every message appears, with the property in place of `the property` when merged
        words = re.sub(r"\{[?$](\w+)\}", r"*\1*", " ".join(str(message).split()))
        generic = re.sub(r"^\S+ ", "The property ", words)
        assert words in rules or generic in rules, message
    assert "| `mix:involves` | at least 1 value | warning |" in rules
    assert (
        "| `oa:exact` | exactly 1 value; each value of datatype `xsd:string`; "
        "each value not blank |" in rules
    )


def test_the_rules_follow_the_shapes() -> None:
    shapes = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix ex: <https://example.org/x/> .
        ex:S a sh:NodeShape ; rdfs:label "Seminar"@en ; sh:targetClass ex:Seminar ;
            sh:property [ sh:path ex:room ; sh:maxCount 2 ; sh:severity sh:Warning ;
                sh:message "At most two rooms."@en ] .
        """,
        format="turtle",
    )
    rules = shape_rules_markdown(shapes)
    assert "**Seminar** (`<https://example.org/x/S>`): applies to every" in rules
    assert (
        "| `<https://example.org/x/room>` | at most 2 values | warning | At most two rooms. |"
        in rules
    )
