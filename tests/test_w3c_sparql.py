"""The W3C SPARQL 1.0 and 1.1 query suites through `QueryEngine`, on both engines, and the base
IRI rule they rely on (relative IRIs in queries).

Each query goes the way of `mixity query`: `check_query` (Oxigraph's parser) first, then the
engine, with `bundled=False`, `infer="none"` and the test's data. See tests/w3c/harness.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from w3c import harness

from mixity.cli import main
from mixity.errors import QueryError
from mixity.graph.sparql.engine import DEFAULT_BASE, QueryEngine, check_query

CASES = harness.sparql_cases()


@pytest.mark.parametrize("engine", harness.ENGINES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_sparql_suite(case: harness.Case, engine: str) -> None:
    outcome = harness.run_sparql(case, engine)
    problem = harness.check(case, engine, outcome)
    if problem is None and outcome.status == "n/a":
        pytest.skip(f"not applicable: {outcome.detail}")
    assert problem is None, problem


def test_the_suites_are_all_there() -> None:
    counts = {suite: len(cases) for suite, _, cases in harness.suites()}
    assert counts["sparql10-syntax"] == 199 and counts["sparql10-eval"] == 277
    assert counts["sparql11-syntax"] == 94 and counts["sparql11-update-syntax"] == 55
    assert counts["sparql11-eval"] == 241


# ---------------------------------------------------------------------------------------------
# The base IRI of a query


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["query", "--no-bundled", "--format", "csv", *args])
    return result.exit_code, result.stdout, result.stderr


RELATIVE = "SELECT (<a> AS ?i) (IRI('b') AS ?j) WHERE {}"


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_a_query_text_resolves_against_the_default_base(store: str) -> None:
    code, out, err = run("--store", store, RELATIVE)
    assert code == 0, err
    assert out.splitlines()[1] == f"{DEFAULT_BASE}a,{DEFAULT_BASE}b"


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_a_query_file_resolves_against_its_own_uri(tmp_path: Path, store: str) -> None:
    query = tmp_path / "q.rq"
    query.write_text(RELATIVE + "\n", encoding="utf-8")
    folder = tmp_path.resolve().as_uri()
    code, out, _ = run("--store", store, "-f", str(query))
    assert (code, out.splitlines()[1]) == (0, f"{folder}/a,{folder}/b")
    code, out, _ = run("--store", store, "-f", str(query), "--base", "http://example.org/x/")
    assert (code, out.splitlines()[1]) == (0, "http://example.org/x/a,http://example.org/x/b")
    code, out, _ = run("--store", store, "BASE <http://e.org/> " + RELATIVE, "--base", "urn:x:")
    assert (code, out.splitlines()[1]) == (0, "http://e.org/a,http://e.org/b")


def test_a_base_that_is_not_an_absolute_iri_is_a_usage_error() -> None:
    code, _, err = run("--base", "relative/path", RELATIVE)
    assert code == 2
    assert "--base" in err and "not an absolute IRI" in err


@pytest.mark.parametrize(
    ("query", "where", "reason"),
    [
        ("SELECT * WHERE { <http://e/a b> ?p ?o }", "1:18", "invalid IRI <http://e/a b>: ' '"),
        ("SELECT * WHERE { <a\\u0020> ?p ?o }", "1:18", "invalid IRI <a\\u0020>: invalid IRI code"),
        ("BASE <http://x/ y> SELECT * { ?s ?p ?o }", "1:6", "invalid IRI <http://x/ y>"),
    ],
)
def test_an_iri_error_is_explained_as_one(query: str, where: str, reason: str) -> None:
    code, _, err = run(query)
    assert code == 1
    assert err.startswith(f"mixity: error: query:{where}: {reason}"), err


def test_an_escaped_iri_is_an_iri_not_a_keyword() -> None:
    code, out, err = run("SELECT (<http://e/\\u0078> AS ?i) WHERE {}")
    assert code == 0, err
    assert out.splitlines()[1] == "http://e/x"


def test_the_library_gives_both_engines_the_same_base() -> None:
    for store in ("oxigraph", "memory"):
        engine = QueryEngine(bundled=False, infer="none", store=store)
        result = engine.query(RELATIVE, base="http://example.org/")
        assert [t.value for t in result.rows[0]] == ["http://example.org/a", "http://example.org/b"]
    assert check_query(RELATIVE, {}) == "SELECT"
    with pytest.raises(QueryError, match="invalid IRI"):
        check_query("SELECT * { <http://e/a b> ?p ?o }", {})
