"""The saved queries: headers, goldens (the graph's regression suite), both engines agree.

Regenerate the goldens after a deliberate change of the bundled data or of a query:

    MIXITY_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_query_catalogue.py

then review `git diff tests/golden/queries/`.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from mixity.cli import main
from mixity.graph.sparql.engine import (
    QueryEngine,
    QueryResult,
    SavedQuery,
    saved_queries,
    saved_query,
)

GOLDEN = Path(__file__).parent / "golden" / "queries"
UPDATE = os.environ.get("MIXITY_UPDATE_GOLDEN") == "1"

#: The parameters each saved query is checked with (required ones must be here).
PARAMS: dict[str, dict[str, str]] = {
    "levers-for-actor": {"actor": "bailleurs"},
    "evidence-for": {"resource": "mixité sociale"},
    "neighbourhood": {"resource": "bailleurs"},
    "statements-of": {"resource": "bailleurs"},
}

SAVED = saved_queries()
NAMES = [q.name for q in SAVED]


@pytest.fixture(scope="module")
def oxigraph() -> QueryEngine:
    return QueryEngine()


@pytest.fixture(scope="module")
def memory() -> QueryEngine:
    return QueryEngine(store="memory")


def _params(query: SavedQuery) -> dict[str, str]:
    params = dict(PARAMS.get(query.name, {}))
    if any(p.name == "lang" for p in query.params):
        params.setdefault("lang", "fr")
    return params


def _run(engine: QueryEngine, query: SavedQuery) -> QueryResult:
    return engine.query(query, params=_params(query))


def _canonical(result: QueryResult) -> str:
    """Sorted rows as CSV (header first), or sorted N-Triples: independent of row order."""
    if result.kind == "graph":
        return result.to("nt")
    lines = result.to("csv").splitlines()
    return "\n".join([lines[0], *sorted(lines[1:])]) + "\n"


def test_the_catalogue_has_at_least_15_documented_queries() -> None:
    assert len(SAVED) >= 15
    for query in SAVED:
        assert set(query.titles) == {"fr", "en"}, query.name
        assert set(query.descriptions) == {"fr", "en"}, query.name
        assert all(len(text) > 20 for text in query.descriptions.values()), query.name
        assert query.form in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"), query.name
        for param in query.params:
            assert param.help, f"{query.name}: parameter {param.name} has no help"
            if param.required:
                assert param.name in PARAMS.get(query.name, {}), query.name


def test_the_catalogue_answers_the_researchers_questions() -> None:
    wanted = {
        "questions", "levers", "levers-for-actor", "actors-by-levers", "actor-lever-matrix",
        "forms-of-mixity", "notions", "speakers", "workshops", "meeting", "evidence-for",
        "quotes", "facts-without-evidence", "editorial", "concept-hierarchy",
        "unanswered-questions", "sources", "resources", "policy-areas", "neighbourhood",
    }  # fmt: skip
    assert wanted <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_saved_query_matches_its_golden(name: str, oxigraph: QueryEngine) -> None:
    query = saved_query(name)
    result = _run(oxigraph, query)
    suffix = ".nt" if result.kind == "graph" else ".csv"
    golden = GOLDEN / f"{name}{suffix}"
    actual = _canonical(result)
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8", newline="")
    assert golden.is_file(), f"no golden for {name}: run with MIXITY_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8"), f"{name} differs from {golden}"


def test_every_golden_belongs_to_a_saved_query() -> None:
    stale = [p.name for p in GOLDEN.iterdir() if p.stem not in NAMES]
    assert not stale, f"goldens without a saved query: {stale}"


@pytest.mark.parametrize("name", NAMES)
def test_both_engines_give_the_same_answer(
    name: str, oxigraph: QueryEngine, memory: QueryEngine
) -> None:
    query = saved_query(name)
    fast, reference = _run(oxigraph, query), _run(memory, query)
    assert fast.kind == reference.kind
    if fast.kind == "graph":
        a = Graph().parse(data=fast.to("nt"), format="nt")
        b = Graph().parse(data=reference.to("nt"), format="nt")
        assert isomorphic(a, b)
    else:
        assert fast.variables == reference.variables
        assert _canonical(fast) == _canonical(reference)


def test_goldens_are_not_trivially_empty() -> None:
    # Every query but the gap finder returns something on the bundled graph.
    for path in GOLDEN.iterdir():
        lines = path.read_text(encoding="utf-8").splitlines()
        data = lines[1:] if path.suffix == ".csv" else lines
        if path.stem == "facts-without-evidence":
            assert data == [], "facts without evidence: the graph has gaps"
        else:
            assert data, f"{path.name} is empty"


def test_levers_for_actor_counts_narrower_actor_types(oxigraph: QueryEngine) -> None:
    query = saved_query("levers-for-actor")
    direct = oxigraph.query(query, params={"actor": "bailleurs"})
    group = oxigraph.query(query, params={"actor": "acteurs de la copropriété"})
    direct_levers = {row[0] for row in direct.rows}
    assert direct_levers
    assert direct_levers <= {row[0] for row in group.rows}


@pytest.mark.parametrize(
    "spelling",
    [
        "mixité sociale",
        "MIXITE SOCIALE",
        "Mixite  sociale",
        "social mixity",
        "notion:mixite-sociale",
        "<https://w3id.org/mixity/id/notion/mixite-sociale>",
    ],
)
def test_resource_parameters_match_label_or_iri_ignoring_accents_and_case(
    spelling: str, oxigraph: QueryEngine
) -> None:
    result = oxigraph.query(saved_query("evidence-for"), params={"resource": spelling})
    reference = oxigraph.query(saved_query("evidence-for"), params={"resource": "mixité sociale"})
    assert len(result) > 0
    assert sorted(result.to("csv").splitlines()) == sorted(reference.to("csv").splitlines())


def test_list_shows_every_query_with_its_description(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "--list", "--lang", "en"])
    assert result.exit_code == 0, result.stderr
    for query in SAVED:
        assert query.name in result.stdout
        assert query.title("en") in result.stdout
    assert "--param actor=" in result.stdout
    french = runner.invoke(main, ["query", "--list"])
    assert saved_query("levers").title("fr") in french.stdout


def test_show_prints_the_query_text(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "--show", "levers-for-actor"])
    assert result.exit_code == 0
    assert result.stdout == saved_query("levers-for-actor").text


def test_saved_query_with_lang_follows_the_lang_option(runner: CliRunner) -> None:
    fr = runner.invoke(main, ["query", "forms-of-mixity", "--format", "csv"])
    en = runner.invoke(main, ["query", "forms-of-mixity", "--format", "csv", "--lang", "en"])
    assert fr.exit_code == en.exit_code == 0
    fr_labels = {row["formLabel"] for row in csv.DictReader(io.StringIO(fr.stdout))}
    en_labels = {row["formLabel"] for row in csv.DictReader(io.StringIO(en.stdout))}
    assert "mixité sociale" in fr_labels
    assert "social mixity" in en_labels


def test_label_columns_follow_one_convention(oxigraph: QueryEngine) -> None:
    """?xLabel in the saved queries and in the columns --labels adds; never two of a name."""
    for query in SAVED:
        result = _run(oxigraph, query)
        if result.kind != "select":
            continue
        assert not [v for v in result.variables if "_label" in v.lower()], query.name
        labelled = oxigraph.query(query, params=_params(query), labels="en")
        assert len(set(labelled.variables)) == len(labelled.variables), query.name
        added = [v for v in labelled.variables if v not in result.variables]
        assert all(v.endswith("Label") and v[: -len("Label")] in result.variables for v in added)
