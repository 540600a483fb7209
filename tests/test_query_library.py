"""`mixity.graph.sparql.engine` as a notebook uses it: typed functions, no click, no printing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from mixity.errors import MixityError, QueryError, QueryTimeout, UpdateRefused
from mixity.graph import QueryResult, run_query, saved_queries
from mixity.graph.sparql.engine import (
    QueryEngine,
    check_query,
    declared_prefixes,
    normalize,
    saved_query,
)
from mixity.graph.sparql.lexer import project, query_form, tokenize
from mixity.namespaces import PREFIXES

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_run_query_returns_rows_of_rdf_terms() -> None:
    result = run_query(
        "SELECT ?q ?l WHERE { ?q a ibis:Issue ; rdfs:label ?l FILTER(lang(?l) = 'en') }"
    )
    assert isinstance(result, QueryResult)
    assert result.kind == "select" and result.variables == ("q", "l")
    assert len(result) >= 8
    question, label = result.rows[0]
    assert isinstance(question, ox.NamedNode) and isinstance(label, ox.Literal)
    assert label.language == "en"
    assert result.dicts()[0]["q"] == question
    assert result.column("q")[0] == question


def test_run_query_accepts_a_saved_query_and_parameters() -> None:
    levers = run_query(saved_query("levers-for-actor"), params={"actor": "syndics", "lang": "en"})
    assert {str(row[3].value) for row in levers.rows} == {"property managers (syndics)"}  # type: ignore[union-attr]
    assert "levers" in [q.name for q in saved_queries()]


def test_ask_and_construct() -> None:
    engine = QueryEngine()
    assert engine.query("ASK { ?x a mix:Meeting }").boolean is True
    graph = engine.query("CONSTRUCT WHERE { ?x a mix:Talk }")
    assert graph.kind == "graph" and len(graph.triples) == 2


def test_both_engines_and_no_inference() -> None:
    for store in ("oxigraph", "memory"):
        plain = run_query("SELECT ?x WHERE { ?x a ibis:Issue }", infer="none", store=store)
        inferred = run_query("SELECT ?x WHERE { ?x a ibis:Issue }", store=store)
        assert len(plain) == 0 and len(inferred) >= 8, store


def test_unknown_engine_or_inference_is_an_error() -> None:
    with pytest.raises(MixityError, match="unknown store"):
        QueryEngine(store="sparql-endpoint")
    with pytest.raises(MixityError, match="unknown inference"):
        QueryEngine(infer="owl-full")


def test_timeout_raises_and_returns_control(tmp_path: Path) -> None:
    # A finite query (a cross product of 2,000 triples: 4 M rows, a second or two), so that the
    # abandoned native evaluation ends soon instead of burning a core for the whole test run.
    data = tmp_path / "many.nt"
    data.write_text(
        "".join(
            f'<https://example.org/s{i}> <https://example.org/p> "{i}" .\n' for i in range(2000)
        ),
        encoding="utf-8",
    )
    engine = QueryEngine([data], bundled=False)
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"timed out after 0\.2 s"):
        engine.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }", timeout=0.2)
    assert time.monotonic() - started < 10  # stopped, not run to completion
    # The engine stays usable.
    assert engine.query('ASK { ?x ?p "7" }', timeout=5).boolean is True


def test_timeout_stops_rdflib_engine_thread() -> None:
    engine = QueryEngine(store="memory")
    with pytest.raises(QueryTimeout):
        engine.query(RUNAWAY, timeout=0.3)
    deadline = time.monotonic() + 5
    while any(t.name == "mixity-query" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the rdflib query thread was not stopped"
        time.sleep(0.05)


def test_updates_are_refused_unless_allowed_and_stay_in_memory() -> None:
    engine = QueryEngine()
    with pytest.raises(UpdateRefused):
        engine.query("INSERT DATA { <https://example.org/x> a mix:Lever }")
    done = engine.query("INSERT DATA { <https://example.org/x> a mix:Lever }", allow_update=True)
    assert done.kind == "update" and done.added == 1
    assert engine.query("ASK { <https://example.org/x> a mix:Lever }").boolean is True
    assert QueryEngine().query("ASK { <https://example.org/x> a mix:Lever }").boolean is False


def test_check_query_fails_fast_with_positions() -> None:
    with pytest.raises(QueryError) as caught:
        check_query("SELECT ?x WHERE {\n  ?x a nope:X }", PREFIXES)
    assert (caught.value.line, caught.value.column) == (2, 8)
    assert caught.value.caret() == "    ?x a nope:X }\n" + " " * 9 + "^"
    assert check_query("ASK {}", PREFIXES) == "ASK"


def test_caret_keeps_tabs_and_counts_wide_characters() -> None:
    with pytest.raises(QueryError) as tabbed:
        check_query("SELECT ?x WHERE {\n\t?x a nope:X }", PREFIXES)
    assert tabbed.value.caret() == "  \t?x a nope:X }\n  \t     ^"
    with pytest.raises(QueryError) as wide:
        check_query('SELECT ?x WHERE { ?x ?p "混合" . ?x nope:p ?y }', PREFIXES)
    line, caret = (wide.value.caret() or "").splitlines()
    assert caret.index("^") == line.index("nope") + 2  # two more cells for two wide characters


def test_declared_prefixes_include_the_files_own() -> None:
    prefixes = declared_prefixes()
    assert prefixes["mix"] == PREFIXES["mix"]
    assert prefixes["lever"] == "https://w3id.org/mixity/id/lever/"


def test_normalize_ignores_accents_case_and_punctuation() -> None:
    assert normalize("Mixité  d’usage") == normalize("MIXITE D'USAGE") == "mixite d usage"
    assert normalize("Œuvre") == "oeuvre"


def test_tokenizer_skips_strings_iris_and_comments() -> None:
    text = 'SELECT ?x # nope:comment\nWHERE { ?x rdfs:label "a # b nope:x" ; <http://x/y#z> ?y }'
    kinds = [(t.kind, t.text) for t in tokenize(text)]
    assert ("pname", "rdfs:label") in kinds
    assert ("string", '"a # b nope:x"') in kinds
    assert not any("nope" in t and k != "string" for k, t in kinds)
    assert query_form("PREFIX ex: <https://e/>\n# c\ninsert data { }") == "INSERT"


def test_project_adds_only_missing_variable_names() -> None:
    text, added = project(
        "SELECT DISTINCT ?a (COUNT(?b) AS ?n) WHERE { ?a ?p ?b }", ["b", "a", "n"]
    )
    assert added == {"b"}
    assert text.startswith("SELECT DISTINCT ?b ?a (COUNT")
    assert project("SELECT * WHERE { ?a ?p ?b }", ["a"]) == ("SELECT * WHERE { ?a ?p ?b }", set())
    assert project("ASK { ?a ?p ?b }", ["a"])[1] == set()
