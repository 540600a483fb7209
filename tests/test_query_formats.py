"""Every output format of `mixity query`, read back by a real parser."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import warnings
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result

from mixity.graph.io.table import pad, width
from mixity.graph.model.resolve import compact
from mixity.graph.sparql.engine import QueryEngine, saved_query
from mixity.graph.sparql.results import QueryResult

XSD = "http://www.w3.org/2001/XMLSchema#"

SELECT = """
SELECT ?question ?label ?length ?event WHERE {
  ?question a mix:Question ; rdfs:label ?label ; mix:raisedAt ?event .
  BIND(STRLEN(?label) AS ?length)
}
"""
CONSTRUCT = "CONSTRUCT { ?l ?p ?o } WHERE { ?l a mix:Lever ; ?p ?o }"

# Tricky terms: quotes, newlines, tabs, a language tag, a typed literal, a blank node, wide
# characters and combining accents, an IRI a prefix cannot shorten.
TRICKY = """\
@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a rdfs:label "He said \\"hi\\",\\nthen\\tleft; <b>&amp;</b> | pipe"@en ;
    ex:n "42"^^xsd:integer ;
    ex:d "2019-11-06"^^xsd:date ;
    ex:b [ rdfs:label "anonymous" ] ;
    ex:wide "混合性 mixité" ;
    ex:combining "me\u0301lange" ;
    ex:odd <https://example.org/path/with space%20encoded> .
"""


@pytest.fixture(scope="module")
def engine() -> QueryEngine:
    return QueryEngine()


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> QueryResult:
    path: Path = tmp_path_factory.mktemp("tricky") / "tricky.ttl"
    path.write_text(TRICKY.replace("with space%20encoded", "with%20space"), encoding="utf-8")
    return QueryEngine([path], bundled=False).query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")


def _parse(text: str, fmt: str) -> Result:
    if fmt == "xml":
        return Result.parse(io.BytesIO(text.encode("utf-8")), format="xml")
    return Result.parse(io.StringIO(text), format=fmt)


def _rdflib_rows(result: QueryResult) -> set[tuple[object, ...]]:
    """The rows as rdflib terms (what a real parser should read back)."""
    rows: set[tuple[object, ...]] = set()
    for row in result.rows:
        converted: list[object] = []
        for term in row:
            if term is None:
                converted.append(None)
            elif isinstance(term, ox.NamedNode):
                converted.append(URIRef(term.value))
            elif isinstance(term, ox.BlankNode):
                converted.append(BNode(term.value))
            elif isinstance(term, ox.Literal) and term.language:
                converted.append(Literal(term.value, lang=term.language))
            elif isinstance(term, ox.Literal) and term.datatype.value != XSD + "string":
                converted.append(Literal(term.value, datatype=URIRef(term.datatype.value)))
            else:
                assert isinstance(term, ox.Literal)
                converted.append(Literal(term.value))
        rows.add(tuple(converted))
    return rows


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_w3c_result_formats_read_back_exactly(fmt: str, tricky: QueryResult) -> None:
    parsed = _parse(tricky.to(fmt), fmt)
    assert [str(v) for v in parsed.vars or []] == list(tricky.variables)
    got = {tuple(row) for row in parsed}  # type: ignore[arg-type]
    want = _rdflib_rows(tricky)
    # Blank node labels are local to a document: compare the other rows exactly.
    assert {r for r in got if not any(isinstance(t, BNode) for t in r)} == {
        r for r in want if not any(isinstance(t, BNode) for t in r)
    }
    assert len(got) == len(want)


def test_json_is_the_w3c_shape(engine: QueryEngine) -> None:
    doc = json.loads(engine.query(SELECT).to("json"))
    assert doc["head"]["vars"] == ["question", "label", "length", "event"]
    first = doc["results"]["bindings"][0]
    assert first["question"]["type"] == "uri"
    assert first["label"]["type"] == "literal" and first["label"]["xml:lang"] in ("fr", "en")
    assert first["length"]["datatype"] == XSD + "integer"


def test_csv_reads_back_with_csv_and_rdflib(tricky: QueryResult, engine: QueryEngine) -> None:
    text = tricky.to("csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["s", "p", "o"]
    assert len(rows) == len(tricky) + 1
    values = {row[2] for row in rows[1:]}
    assert 'He said "hi",\nthen\tleft; <b>&amp;</b> | pipe' in values
    parsed = _parse(engine.query(SELECT).to("csv"), "csv")
    assert len(list(parsed)) == len(engine.query(SELECT))


def test_ask_in_every_format(engine: QueryEngine) -> None:
    yes = engine.query("ASK { ?x a ibis:Issue }")
    no = engine.query("ASK { ?x a mix:NoSuchClass }")
    assert _parse(yes.to("json"), "json").askAnswer is True
    assert _parse(no.to("xml"), "xml").askAnswer is False
    assert yes.to("table") == "true\n"
    assert no.to("csv").splitlines() == ["boolean", "false"]
    assert "| true |" in yes.to("md")


@pytest.mark.parametrize(
    ("fmt", "syntax"), [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("trig", "trig")]
)
def test_graph_formats_read_back_isomorphic(fmt: str, syntax: str, engine: QueryEngine) -> None:
    result = engine.query(CONSTRUCT)
    assert result.kind == "graph" and len(result) > 10
    reference = Graph().parse(data=result.to("nt"), format="nt")
    text = result.to(fmt)
    if syntax == "json-ld":
        # A real JSON-LD processor (pyld) turns it into N-Quads of the default graph.
        from pyld import jsonld

        text, syntax = jsonld.to_rdf(json.loads(text), {"format": "application/n-quads"}), "nt"
    if syntax == "trig":
        from rdflib import Dataset

        dataset = Dataset()
        with warnings.catch_warnings():  # rdflib's TriG parser uses its own deprecated API
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=text, format="trig")
        parsed = Graph()
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            parsed.add((s, p, o))
    else:
        parsed = Graph().parse(data=text, format=syntax)
    assert isomorphic(parsed, reference)


def test_turtle_groups_subjects_and_uses_prefixes(engine: QueryEngine) -> None:
    text = engine.query(CONSTRUCT).to("turtle")
    assert "@prefix lever: <https://w3id.org/mixity/id/lever/> ." in text
    # One statement per subject, however the writer indents it.
    starts = [line for line in text.splitlines() if line.startswith("lever:reunir-acteurs-")]
    assert len(starts) == 1
    assert " mix:Lever" in text
    assert "@prefix rdf:" not in text  # rdf:type is written `a`


def test_tricky_literals_survive_turtle(tricky: QueryResult, tmp_path: Path) -> None:
    triples = tuple(ox.Triple(s, p, o) for s, p, o in tricky.rows)  # type: ignore[arg-type]
    graph = QueryResult("graph", triples=triples, prefixes={"ex": "https://example.org/"})
    parsed = Graph().parse(data=graph.to("turtle"), format="turtle")
    reference = Graph().parse(data=graph.to("nt"), format="nt")
    assert isomorphic(parsed, reference)
    assert len(parsed) == len(tricky)


def test_table_aligns_wide_and_combining_characters(tricky: QueryResult) -> None:
    lines = tricky.to("table").splitlines()
    header, rule, *rows = lines
    assert set(rule) <= {"-", " "}
    # Every column starts at the same terminal cell on every line.
    starts = [i for i, ch in enumerate(rule) if ch == "-" and (i == 0 or rule[i - 1] == " ")]
    for line in [header, *rows]:
        for start in starts[1:]:
            cells_before = width(_prefix_of_width(line, start))
            assert cells_before == start, line
    assert any("混合性 mixité" in line for line in rows)
    assert all("\n" not in line and "\t" not in line for line in rows)


def _prefix_of_width(line: str, cells: int) -> str:
    out = ""
    for ch in line:
        if width(out + ch) > cells:
            break
        out += ch
    return out


def test_width_counts_terminal_cells() -> None:
    assert width("abc") == 3
    assert width("混合") == 4
    assert width("me\u0301lange") == 7
    assert width("e\u0301e\u0301\u00ad") == 2  # zero-width characters, met twice
    assert pad("混", 4) == "混  "
    assert pad("7", 3, right=True) == "  7"


def test_table_right_aligns_numbers_and_compacts_iris(engine: QueryEngine) -> None:
    table = engine.query(SELECT).to("table")
    assert "question:definir-mixite" in table
    assert "https://w3id.org" not in table
    assert compact("https://example.org/x", {}) == "<https://example.org/x>"
    assert (
        compact(
            "https://w3id.org/mixity/ontology#Lever", {"mix": "https://w3id.org/mixity/ontology#"}
        )
        == "mix:Lever"
    )


def test_markdown_escapes_pipes(tricky: QueryResult) -> None:
    text = tricky.to("md")
    lines = text.splitlines()
    assert lines[1] == "| --- | --- | --- |"
    for line in lines:
        assert line.replace("\\|", "").count("|") == 4


def test_labels_add_a_label_column(engine: QueryEngine) -> None:
    result = engine.query("SELECT ?lever WHERE { ?lever a mix:Lever }", labels="en")
    assert result.variables == ("lever", "leverLabel")
    labels = {str(row[1].value) for row in result.rows if row[1] is not None}  # type: ignore[union-attr]
    assert "Bring all the actors of the copropriété together very regularly" in labels


def test_labels_keep_the_label_column_a_query_has(engine: QueryEngine) -> None:
    """?leverLabel, as the saved queries name it: --labels adds no second column of that name."""
    text = (
        "SELECT ?lever ?leverLabel ?actor "
        "WHERE { ?lever mix:involves ?actor ; rdfs:label ?leverLabel }"
    )
    result = engine.query(text, labels="en")
    assert result.variables == ("lever", "leverLabel", "actor", "actorLabel")
    saved = engine.query(saved_query("levers"), params={"lang": "en"}, labels="en")
    assert len(set(saved.variables)) == len(saved.variables)
    assert saved.variables == engine.query(saved_query("levers"), params={"lang": "en"}).variables


class _Collect(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_jupyter_html_escapes_every_text(tricky: QueryResult) -> None:
    page = tricky._repr_html_()
    parser = _Collect()
    parser.feed(page)
    assert set(parser.tags) <= {"table", "thead", "tbody", "tr", "th", "td"}
    assert "b" not in parser.tags  # the <b> inside a literal stayed text
    assert any("<b>&amp;</b>" in text for text in parser.text)


def test_format_that_does_not_fit_the_kind_is_refused(engine: QueryEngine) -> None:
    from mixity.errors import UnsupportedFormat

    with pytest.raises(UnsupportedFormat, match="turtle"):
        engine.query(SELECT).to("turtle")
    with pytest.raises(UnsupportedFormat, match="csv"):
        engine.query(CONSTRUCT).to("csv")


def test_a_result_is_immutable_and_copied_with_replace() -> None:
    result = QueryResult("select", ("a",), ((None,),), prefixes={"ex": "https://example.org/"})
    with pytest.raises(AttributeError):
        result.kind = "ask"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.other = 1  # type: ignore[attr-defined]
    changed = result.replace(truncated=True)
    assert changed.truncated and not result.truncated
    assert changed.variables == result.variables and changed != result
    assert result == QueryResult("select", ("a",), ((None,),), prefixes=result.prefixes)
    assert "truncated=False" in repr(result)
