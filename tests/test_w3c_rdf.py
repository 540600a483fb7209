"""The W3C RDF 1.1 syntax suites and JSON-LD's toRdf tests, through the two ways mixity reads files.

"memory" is the loader of info, validate, render… and `query --store memory`; "oxigraph" is the
store of `query` and `load`. A test passes, fails as deviations.toml says it does, or is not
applicable (skipped, with the reason). See tests/w3c/harness.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from w3c import harness

from mixity.cli import main

CASES = (*harness.rdf_cases(), *harness.json_ld_cases())


@pytest.mark.parametrize("engine", harness.ENGINES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_rdf_suite(case: harness.Case, engine: str) -> None:
    outcome = harness.run_rdf(case, engine)
    problem = harness.check(case, engine, outcome)
    if problem is None and outcome.status == "n/a":
        pytest.skip(f"not applicable: {outcome.detail}")
    assert problem is None, problem


def test_the_suites_are_all_there() -> None:
    counts = {suite: len(cases) for suite, _, cases in harness.suites()}
    # rdf-tests ad541a5 and json-ld-api 92f0770 (tests/w3c/README.md)
    assert counts["rdf-turtle"] == 313 and counts["rdf-trig"] == 356
    assert counts["rdf-n-triples"] == 70 and counts["rdf-n-quads"] == 87
    assert counts["rdf-xml"] == 166 and counts["json-ld-toRdf"] == 456
    kinds = {case.kind for case in CASES}
    assert kinds == {"positive-syntax", "negative-syntax", "eval", "negative-eval"}


def test_every_listed_deviation_is_a_test_of_the_suites() -> None:
    known = {case.id for case in (*CASES, *harness.sparql_cases())}
    stale = sorted({test for test, _ in harness.deviations()} - known)
    assert stale == [], f"deviations.toml lists tests that do not exist: {stale}"


def test_validate_and_query_refuse_the_same_file_in_the_same_words(tmp_path: Path) -> None:
    """The issue's example: a literal as subject, accepted by validate before."""
    path = tmp_path / "ext.ttl"
    path.write_text('"hello" <http://e/p> <http://e/o> .\n', encoding="utf-8")
    runner = CliRunner()
    messages = []
    for args in (
        ["validate", "-g", str(path)],
        ["info", "-g", str(path)],
        ["query", "-g", str(path), "ASK {}"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, (args, result.stderr)
        messages.append(result.stderr)
    assert messages[0] == messages[1] == messages[2]
    assert messages[0].startswith(f"mixity: error: {path}:1:1: ")
    assert '"hello" is not a valid subject' in messages[0]
