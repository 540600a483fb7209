"""`mixity.graph.sparql.engine` as a notebook uses it: typed functions, no click, no printing."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from mixity.errors import (
    AmbiguousName,
    InvalidParameter,
    QueryError,
    UnknownName,
    UpdateRefused,
)
from mixity.graph import QueryResult, run_query, saved_queries
from mixity.graph.model.resolve import fold
from mixity.graph.sparql.engine import (
    QueryEngine,
    check_query,
    declared_prefixes,
    saved_query,
)
from mixity.graph.sparql.lexer import project, query_form, tokenize
from mixity.namespaces import PREFIXES


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
    with pytest.raises(InvalidParameter, match=r"^store: unknown engine 'sparql-endpoint'"):
        QueryEngine(store="sparql-endpoint")
    with pytest.raises(InvalidParameter, match=r"^infer: unknown inference"):
        QueryEngine(infer="owl-full")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": -1}, "limit: must be 0 or more"),
        ({"timeout": 0}, "timeout: must be more than 0"),
        ({"timeout": float("nan")}, "timeout: must be more than 0"),
        ({"params": {"x": "1"}}, "params: x: the query has no variable ?x"),
    ],
)
def test_library_errors_name_the_library_parameters(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidParameter) as caught:
        QueryEngine().query("ASK { ?s ?p ?o }", **kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith(message)
    assert "--" not in str(caught.value)


def test_store_dir_clashes_name_the_library_parameters(tmp_path: Path) -> None:
    from mixity.graph.store.oxigraph import build_store

    build_store([], tmp_path / "store", infer="none")
    store_dir = tmp_path / "store"
    cases = [
        ({"paths": [tmp_path / "x.ttl"]}, "paths: cannot be combined with store_dir: "),
        ({"store": "memory"}, "store: 'memory' cannot be combined with store_dir"),
        ({"infer": "owlrl"}, "infer: owlrl needs the graph in memory"),
        ({"infer": "rdfs"}, f"infer: {store_dir} was built with 'none', not 'rdfs'; drop infer"),
        ({"bundled": False}, "bundled: cannot be False with store_dir"),
    ]
    for kwargs, message in cases:
        with pytest.raises(InvalidParameter) as caught:
            QueryEngine(store_dir=store_dir, **kwargs)  # type: ignore[arg-type]
        assert str(caught.value).startswith(message), caught.value
        assert "--" not in str(caught.value)
    # The command line names its options instead.
    with pytest.raises(InvalidParameter) as caught:
        QueryEngine([tmp_path / "x.ttl"], store_dir=store_dir)
    assert caught.value.named({"paths": "-g", "store_dir": "--store-dir"}).startswith(
        "-g: cannot be combined with --store-dir: "
    )


def test_saved_query_parameters_resolve_with_the_one_resolver() -> None:
    engine = QueryEngine()
    levers = saved_query("levers-for-actor")
    actor = engine.bind_params({"actor": "Bailleurs"}, levers)["actor"]
    assert actor == ox.NamedNode("https://w3id.org/mixity/id/actor/bailleurs")
    # Only instances of the parameter's class: "mixité" is a notion, not an actor.
    with pytest.raises(UnknownName, match=r"^unknown actor 'mixite'"):
        engine.bind_params({"actor": "mixite"}, levers)
    with pytest.raises(AmbiguousName, match="'police' names 2 actors: « police municipale »"):
        engine.bind_params({"actor": "police"}, levers)
    with pytest.raises(InvalidParameter) as missing:
        engine.bind_params({}, levers)
    assert str(missing.value).startswith("params: saved query levers-for-actor needs actor=VALUE")
    # A resource parameter without a class takes any resource: -p resource=mixite.
    resource = engine.bind_params({"resource": "mixite"}, saved_query("evidence-for"))
    assert resource["resource"] == ox.NamedNode("https://w3id.org/mixity/id/notion/mixite")
    index = engine.name_index()
    assert (
        index.resolve("notion:mixite-sociale") == "https://w3id.org/mixity/id/notion/mixite-sociale"
    )
    assert index.resolve("mixité sociale") == "https://w3id.org/mixity/id/notion/mixite-sociale"


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


def test_fold_ignores_accents_case_and_punctuation() -> None:
    assert fold("Mixité  d’usage") == fold("MIXITE D'USAGE") == "mixite d usage"
    assert fold("Œuvre") == "oeuvre"


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
