"""Warnings about a query that runs but answers nothing because of a slip: a misspelt term of a
known vocabulary, a namespace one slip away from the graph's, a parameter bound as a string that
names a resource. Both engines, `mixity query` and `mixity render --query`; none for a query
sent to an endpoint (a real Oxigraph server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from realservers import oxigraph

from mixity.cli import main
from mixity.errors import QueryError
from mixity.graph.io.loader import LoadedGraph
from mixity.graph.page.render import render
from mixity.graph.remote.endpoint import run_remote
from mixity.graph.remote.push import graph_to_push, push
from mixity.graph.remote.server import RunningServer
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


def store_of(engine: QueryEngine) -> str:
    return "memory" if engine.backend.__class__.__name__ == "Rdflib" else "oxigraph"


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
    extended = QueryEngine([ext], store=store_of(engine)).query(text)
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


# -- namespaces ---------------------------------------------------------------------------------

SCHEMA_HTTP = "PREFIX schema: <http://schema.org/>\nSELECT ?name WHERE { ?p schema:name ?name }"
MIX_SLASH = (
    "PREFIX mix: <https://w3id.org/mixity/ontology/>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?l WHERE {\n  ?l a mix:Lever ; rdfs:label ?label }"
)


def test_a_namespace_one_slip_away_is_warned(engine: QueryEngine) -> None:
    schema = engine.query(SCHEMA_HTTP)
    assert len(schema) == 0  # the query still runs
    (warning,) = schema.warnings
    assert str(warning) == (
        "query line 1:16: <http://schema.org/> is not used by any loaded file; "
        "did you mean <https://schema.org/>?"
    )
    assert (warning.term, warning.suggestions) == ("http://schema.org/", ("<https://schema.org/>",))
    # `/` for `#`: the graph holds IRIs in …/ontology/ (the ontology's versions), not mix:Lever
    (slash,) = engine.query(MIX_SLASH).warnings
    assert (slash.line, slash.column, slash.term) == (1, 13, "https://w3id.org/mixity/ontology/")
    assert slash.suggestions == (f"<{MIX}>",)
    # a full IRI: its namespace, pointed at where it is written
    text = "SELECT ?l WHERE {\n  ?l a <https://w3id.org/mixity/ontology/Lever> }"
    (full,) = engine.query(text).warnings
    assert (full.line, full.column, full.suggestions) == (2, 8, (f"<{MIX}>",))
    # the namespace suggested is the one that answers
    assert len(engine.query(SCHEMA_HTTP.replace("http:", "https:"))) > 0
    assert len(engine.query(MIX_SLASH.replace("ontology/", "ontology#"))) > 0


def test_http_https_and_a_missing_separator_are_one_slip(engine: QueryEngine) -> None:
    for written in ("https://schema.org", "http://schema.org", "http://schema.org#"):
        text = f"PREFIX schema: <{written}> SELECT ?n WHERE {{ ?p schema:name ?n }}"
        (warning,) = engine.query(text).warnings
        assert warning.suggestions == ("<https://schema.org/>",), written
    data = "SELECT ?x WHERE { ?x mix:concerns <https://w3id.org/mixity/id/notions/mixite> }"
    (warning,) = engine.query(data).warnings
    assert warning.suggestions == ("<https://w3id.org/mixity/id/notion/>",)


def test_two_edits_are_a_slip_three_are_another_namespace(engine: QueryEngine) -> None:
    def warned(namespace: str) -> bool:
        text = f"PREFIX s: <{namespace}> SELECT ?n WHERE {{ ?p s:name ?n }}"
        return bool(engine.query(text).warnings)

    assert warned("https://schemaa.orgg/")
    assert not warned("https://schemaaa.orgg/")


def test_no_namespace_warning_for_a_correct_or_unrelated_query(engine: QueryEngine) -> None:
    correct = (
        "PREFIX schema: <https://schema.org/>\n"
        "PREFIX mix: <https://w3id.org/mixity/ontology#>\n"
        "SELECT ?p ?name WHERE { ?p schema:name ?name . "
        "?l a mix:Lever ; mix:involves <https://w3id.org/mixity/id/actor/bailleurs> }"
    )
    result = engine.query(correct)
    assert len(result) > 0 and result.warnings == ()
    unrelated = (
        "PREFIX ex: <http://example.org/>\n"
        "SELECT ?s WHERE { ?s ex:name ?n ; <http://example.org/ns#kind> ?k }"
    )
    assert engine.query(unrelated).warnings == ()
    # a CONSTRUCT may write another vocabulary on purpose (schema.org over http)
    export = (
        "PREFIX sdo: <http://schema.org/>\nCONSTRUCT { ?p sdo:name ?n } WHERE { ?p schema:name ?n }"
    )
    result = engine.query(export)
    assert len(result) > 0 and result.warnings == ()


def test_a_namespace_a_loaded_file_uses_is_not_a_slip(engine: QueryEngine, tmp_path: Path) -> None:
    ext = tmp_path / "ext.ttl"
    ext.write_text(
        '<https://example.org/p> <http://schema.org/name> "Jo" .\n'
        '<https://example.org/q> <http://schema.org/title> "T" .\n',
        encoding="utf-8",
    )
    extended = QueryEngine([ext], store=store_of(engine))
    held = extended.query(SCHEMA_HTTP)
    assert len(held) == 1 and held.warnings == ()
    # a term missing from a namespace the graph uses is not the namespace's fault
    missing = SCHEMA_HTTP.replace("schema:name", "schema:nmae")
    assert extended.query(missing).warnings == ()


def test_strict_makes_a_namespace_slip_an_error(engine: QueryEngine) -> None:
    with pytest.raises(QueryError) as caught:
        engine.query(SCHEMA_HTTP, strict=True)
    assert (caught.value.line, caught.value.column) == (1, 16)
    assert caught.value.reason.startswith("<http://schema.org/> is not used by any loaded file")


def test_cli_warns_of_a_namespace_slip(runner: CliRunner) -> None:
    result = query(runner, "--format", "csv", SCHEMA_HTTP)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["name"]
    assert result.stderr.splitlines() == [
        "warning: query line 1:16: <http://schema.org/> is not used by any loaded file; "
        "did you mean <https://schema.org/>?",
        "0 rows",
    ]
    strict = query(runner, "--strict", SCHEMA_HTTP)
    assert strict.exit_code == 1 and strict.stdout == ""
    assert "mixity: error: query:1:16: <http://schema.org/> is not used" in strict.stderr


# -- render --query -----------------------------------------------------------------------------

TYPO_PICTURE = (
    "PREFIX schema: <http://schema.org/>\n"
    "CONSTRUCT { ?a rdfs:label ?l } WHERE {\n"
    "  ?a a mix:Actor ; rdfs:label ?l ; schema:name ?n }\n"
)


def test_render_returns_the_query_warnings(bundled: LoadedGraph) -> None:
    page = render(bundled, query=TYPO_PICTURE)
    assert [(w.line, w.column, w.suggestions) for w in page.warnings] == [
        (1, 16, ("<https://schema.org/>",)),
        (3, 8, ("mix:ActorType",)),
    ]
    with pytest.raises(QueryError) as caught:
        render(bundled, query=TYPO_PICTURE, strict=True)
    assert (caught.value.line, caught.value.column) == (1, 16)
    assert render(bundled, view="actors").warnings == ()


def test_cli_render_prints_the_query_warnings(runner: CliRunner, tmp_path: Path) -> None:
    rq, target = tmp_path / "picture.rq", tmp_path / "page.html"
    rq.write_text(TYPO_PICTURE, encoding="utf-8")
    result = runner.invoke(main, ["render", "--query", str(rq), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    warnings = result.stderr.splitlines()
    assert warnings[:2] == [
        f"warning: {rq} line 1:16: <http://schema.org/> is not used by any loaded file; "
        "did you mean <https://schema.org/>?",
        f"warning: {rq} line 3:8: mix:Actor is not declared or used by any loaded file; "
        "did you mean mix:ActorType?",
    ]
    assert warnings[2].startswith(f"Wrote {target} (0 nodes") and len(warnings) == 3
    assert target.is_file()


def test_cli_render_strict_draws_nothing(runner: CliRunner, tmp_path: Path) -> None:
    rq, target = tmp_path / "picture.rq", tmp_path / "page.html"
    rq.write_text(TYPO_PICTURE, encoding="utf-8")
    result = runner.invoke(main, ["render", "--query", str(rq), "--strict", "-o", str(target)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"mixity: error: {rq}:1:16: <http://schema.org/> is not used by any loaded file; "
        "did you mean <https://schema.org/>? (and 1 more warning)"
    )
    assert not target.exists()
    # a query without a slip is drawn, with --strict too, and nothing is said but the page
    rq.write_text(TYPO_PICTURE.replace("http:", "https:").replace("Actor", "ActorType"), "utf-8")
    fixed = runner.invoke(main, ["render", "--query", str(rq), "--strict", "-o", str(target)])
    assert fixed.exit_code == 0, fixed.stderr
    assert fixed.stderr.startswith(f"Wrote {target} (") and "warning" not in fixed.stderr


# -- an endpoint --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    """A real Oxigraph server holding the bundled graph (as `mixity push` leaves it)."""
    with oxigraph() as running:
        push(graph_to_push(), running.store_url)
        yield running


@pytest.mark.slow
def test_an_endpoint_query_is_not_checked(runner: CliRunner, server: RunningServer) -> None:
    """The graph behind an endpoint cannot be looked into cheaply: no warning, no lookup."""
    actor = "SELECT ?x WHERE { ?x a mix:Actor }"
    for text in (actor, SCHEMA_HTTP):
        assert run_remote(server.query_url, text).warnings == ()
        result = query(runner, "--endpoint", server.query_url, "--format", "csv", text)
        assert result.exit_code == 0, result.stderr
        assert len(result.stdout.splitlines()) == 1  # the header: no row
        assert result.stderr == "0 rows\n"
    # the server holds what the slips miss: the same queries, fixed, answer
    assert len(run_remote(server.query_url, actor.replace("Actor", "ActorType"))) > 0
    assert len(run_remote(server.query_url, SCHEMA_HTTP.replace("http:", "https:"))) > 0


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
