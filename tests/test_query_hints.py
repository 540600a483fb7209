"""Warnings about a query that runs but answers nothing because of a slip: a misspelt term of a
known vocabulary, a parameter bound as a string that names a resource. Both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mixity.cli import main
from mixity.errors import QueryError
from mixity.graph.sparql.engine import QueryEngine, saved_queries
from mixity.graph.sparql.hints import QueryWarning
from mixity.graph.sparql.params import query_hints
from mixity.namespaces import MIX

ENGINES = ("oxigraph", "memory")
TYPOS = "SELECT ?x WHERE {\n  ?x a mix:Actor ;\n     mix:involve ?y .\n  ?z ibis:respondsTo ?x }"


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> QueryEngine:
    return QueryEngine(store=request.param)


def query(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, ["query", *args])


def test_misspelt_terms_are_warned_with_the_closest_names(engine: QueryEngine) -> None:
    result = engine.query(TYPOS)
    assert len(result) == 0  # the query still runs
    found = [(w.line, w.column, w.term, w.suggestions) for w in result.warnings]
    assert found == [
        (2, 8, MIX + "Actor", ("mix:ActorType",)),
        (3, 6, MIX + "involve", ("mix:involves",)),
        (4, 6, "https://vocab.methodandstructure.com/ibis#respondsTo", ("ibis:responds-to",)),
    ]
    assert str(result.warnings[0]) == (
        "query line 2:8: mix:Actor is not declared or used by any loaded file; "
        "did you mean mix:ActorType?"
    )


def test_a_correct_query_gets_no_warning(engine: QueryEngine) -> None:
    text = """
        SELECT ?lever ?label WHERE {
          ?lever a mix:Lever ; mix:involves/skos:broader* ?actor ; rdfs:label ?label .
          ?q ^ibis:responds-to ?lever .
          FILTER(datatype(?label) = rdf:langString && ?label != "x"^^xsd:string)
          FILTER(CONTAINS(mix:fold(?label), "copropriete"))
        }"""
    result = engine.query(text)
    assert len(result) > 0
    assert result.warnings == ()


def test_no_saved_query_gets_a_warning_on_the_bundled_graph(engine: QueryEngine) -> None:
    """Every term the catalogue uses is known: the check raises no false alarm on real queries."""
    for saved in saved_queries():
        assert query_hints(engine.backend, saved.text, {}, {}, saved.name) == (), saved.name


def test_terms_an_extension_declares_are_known(engine: QueryEngine, tmp_path: Path) -> None:
    ext = tmp_path / "ext.ttl"
    ext.write_text(
        "@prefix mix: <https://w3id.org/mixity/ontology#> .\n"
        "@prefix ex: <https://example.org/> .\n"
        "ex:s a mix:Seminar .\n",
        encoding="utf-8",
    )
    text = "SELECT ?s WHERE { ?s a mix:Seminar }"
    (warning,) = engine.query(text).warnings
    assert warning.term == MIX + "Seminar"
    store = "memory" if engine.backend.__class__.__name__ == "Rdflib" else "oxigraph"
    extended = QueryEngine([ext], store=store).query(text)
    assert len(extended) == 1 and extended.warnings == ()


def test_names_are_suggested_as_the_query_writes_them(engine: QueryEngine) -> None:
    own_prefix = "PREFIX m: <https://w3id.org/mixity/ontology#> SELECT ?x WHERE { ?x a m:lever }"
    assert engine.query(own_prefix).warnings[0].suggestions == ("m:Lever",)
    full = "SELECT ?x WHERE { ?x a <https://w3id.org/mixity/ontology#Questoin> }"
    assert engine.query(full).warnings[0].suggestions == (f"<{MIX}Question>",)


def test_a_construct_template_may_mint_terms(engine: QueryEngine) -> None:
    text = "CONSTRUCT { ?l mix:myNewLink ?a } WHERE { ?l mix:involve ?a }"
    (warning,) = engine.query(text).warnings
    assert warning.term == MIX + "involve"


def test_strict_makes_the_warning_an_error(engine: QueryEngine) -> None:
    with pytest.raises(QueryError) as caught:
        engine.query(TYPOS, strict=True)
    assert (caught.value.line, caught.value.column) == (2, 8)
    assert "mix:Actor is not declared" in caught.value.reason
    assert "(and 2 more warnings)" in caught.value.reason


def test_a_misspelt_function_of_mixity(engine: QueryEngine) -> None:
    text = "SELECT ?l WHERE { ?l rdfs:label ?t FILTER(CONTAINS(mix:Fold(?t), 'a')) }"
    if engine.backend.__class__.__name__ == "Rdflib":
        # rdflib leaves an unknown function unbound: the warning is all the user gets
        (warning,) = engine.query(text).warnings
        assert (
            warning.message == "mix:Fold is not a function mixity defines; did you mean mix:fold?"
        )
        return
    # Oxigraph refuses an unknown function: the error points at it
    with pytest.raises(QueryError) as caught:
        engine.query(text)
    assert caught.value.column == text.index("mix:Fold") + 1
    assert caught.value.reason.endswith("did you mean mix:fold?")


def test_saved_queries_are_not_checked(engine: QueryEngine) -> None:
    (saved,) = [q for q in saved_queries() if q.name == "levers"]
    assert engine.query(saved, params={"lang": "fr"}).warnings == ()


def test_warnings_survive_a_timed_query(engine: QueryEngine) -> None:
    timed = engine.query(TYPOS, timeout=30)
    assert [w.term for w in timed.warnings] == [w.term for w in engine.query(TYPOS).warnings]


# -- parameters ---------------------------------------------------------------------------------


def test_a_string_parameter_that_names_a_resource_is_warned(engine: QueryEngine) -> None:
    text = "SELECT ?q WHERE { ?q mix:concerns ?top }"
    result = engine.query(text, params={"top": "mixité"})
    assert len(result) == 0
    (warning,) = result.warnings
    assert (warning.line, warning.column, warning.suggestions) == (1, 35, ("notion:mixite",))
    assert "pass top=notion:mixite" in warning.message
    # the syntax the warning gives binds the resource
    fixed = engine.query(text, params={"top": "notion:mixite"})
    assert len(fixed) > 0 and fixed.warnings == ()


def test_a_string_where_the_pattern_takes_the_resource_as_subject(engine: QueryEngine) -> None:
    text = "SELECT ?actor WHERE { ?top mix:involves ?actor }"
    (warning,) = engine.query(text, params={"top": "acteurs extérieurs"}).warnings
    assert warning.suggestions == ("lever:point-regulier-acteurs-exterieurs",)
    assert "it names « Faire un point régulier aussi avec les acteurs extérieurs »" in (
        warning.message
    )


def test_a_string_the_graph_holds_or_a_filter_uses_is_not_warned(engine: QueryEngine) -> None:
    held = engine.query(
        "SELECT ?p WHERE { ?p schema:name ?n }", params={"n": "Christine Lelévrier"}
    )
    assert len(held) == 1 and held.warnings == ()
    compared = "SELECT ?c WHERE { ?c skos:prefLabel ?l FILTER(STR(?l) = ?top) }"
    assert engine.query(compared, params={"top": "mixité"}).warnings == ()
    # a label takes literals: "habitants" names a resource, which cannot stand there
    labels = engine.query("SELECT ?s WHERE { ?s skos:prefLabel ?l }", params={"l": "habitants"})
    assert labels.warnings == ()


# -- the command line ---------------------------------------------------------------------------


def test_cli_prints_warnings_on_stderr_and_still_answers(runner: CliRunner) -> None:
    result = query(runner, "SELECT ?x WHERE { ?x a mix:Actor }", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["x"]
    assert result.stderr.splitlines()[0] == (
        "warning: query line 1:24: mix:Actor is not declared or used by any loaded file; "
        "did you mean mix:ActorType?"
    )


def test_cli_strict_exits_1_and_prints_nothing(runner: CliRunner) -> None:
    result = query(runner, "--strict", "--store", "memory", "SELECT ?x WHERE { ?x a mix:Actor }")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "mixity: error: query:1:24: mix:Actor is not declared" in result.stderr
    assert "^" in result.stderr  # the caret under the term


def test_cli_warns_of_a_parameter_bound_as_a_string(runner: CliRunner, tmp_path: Path) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?q WHERE {\n  ?q mix:concerns ?top\n}\n", encoding="utf-8")
    result = query(runner, "-f", str(rq), "-p", "top=mixité")
    assert result.exit_code == 0
    assert result.stderr.startswith(f"warning: {rq} line 2:19: ?top is bound to the string")
    assert "pass top=notion:mixite" in result.stderr
    fixed = query(runner, "-f", str(rq), "-p", "top=notion:mixite")
    assert fixed.exit_code == 0 and not fixed.stderr.startswith("warning")


def test_query_warning_is_a_value() -> None:
    warning = QueryWarning("m", 1, 2, "f.rq")
    assert str(warning) == "f.rq line 1:2: m"
    assert str(QueryWarning("m")) == "query: m"
