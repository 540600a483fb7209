"""mix:fold(?text): accent- and case-insensitive text search inside SPARQL, the same on both
engines, in timed queries and in `render --query`, and the same fold as the resolver's.

Regenerate the golden after a deliberate change of the bundled quotes:

    MIXITY_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_fold.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from mixity.cli import main
from mixity.graph.model.resolve import fold
from mixity.graph.sparql.engine import QueryEngine, QueryResult

ENGINES = ("oxigraph", "memory")
GOLDEN = Path(__file__).parent / "golden" / "fold" / "quotes-copropriete.csv"
QUOTES = """SELECT ?quote WHERE { ?selector oa:exact ?quote
  FILTER(CONTAINS(mix:fold(?quote), "copropriete")) }"""
EXTENSION = """@prefix ex: <https://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a rdfs:label "Équipe CŒUR de l'Île"@fr .
ex:b rdfs:label "equipe coeur de l ile" .
ex:c rdfs:label "Ça n'a rien à voir"@fr .
ex:d rdfs:label "Tiếng Việt, ÀÉÎÕÜ" .
"""


@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> QueryEngine:
    return QueryEngine(store=request.param)


@pytest.fixture(scope="module")
def extension(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fold") / "ext.ttl"
    path.write_text(EXTENSION, encoding="utf-8")
    return path


def sorted_csv(result: QueryResult) -> str:
    lines = result.to("csv").splitlines()
    return "\n".join([lines[0], *sorted(lines[1:])]) + "\n"


def test_lcase_misses_accented_text_and_fold_finds_it(engine: QueryEngine) -> None:
    lcase = QUOTES.replace("mix:fold(?quote)", "LCASE(?quote)")
    assert len(engine.query(lcase)) == 0
    found = engine.query(QUOTES)
    assert len(found) >= 2 and found.warnings == ()
    actual = sorted_csv(found)
    if os.environ.get("MIXITY_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(actual, encoding="utf-8", newline="")
    assert actual == GOLDEN.read_text(encoding="utf-8")


@pytest.mark.parametrize("store", ENGINES)
def test_fold_on_an_extension_is_the_resolvers_fold(store: str, extension: Path) -> None:
    engine = QueryEngine([extension], bundled=False, store=store)
    result = engine.query(
        "SELECT ?s ?l (mix:fold(?l) AS ?f) WHERE { ?s rdfs:label ?l } ORDER BY ?s"
    )
    folded: dict[str, str] = {}
    for subject, label, value in result.rows:
        assert isinstance(subject, ox.NamedNode)
        assert isinstance(label, ox.Literal) and isinstance(value, ox.Literal)
        assert value.value == fold(label.value)
        # a plain string, whatever the label's language: `= "…"` compares as expected
        assert value.datatype.value.endswith("#string") and value.language is None
        folded[subject.value[-1]] = value.value
    assert folded["a"] == "equipe coeur de l ile"
    both = engine.query(
        "SELECT ?s WHERE { ?s rdfs:label ?l "
        'FILTER(mix:fold(?l) = mix:fold("ÉQUIPE Cœur de l’île")) }'
    )
    assert sorted(str(r[0].value) for r in both.rows) == [  # type: ignore[union-attr]
        "https://example.org/a",
        "https://example.org/b",
    ]


def test_both_engines_agree_on_the_extension(extension: Path) -> None:
    text = "SELECT ?s (mix:fold(?l) AS ?f) WHERE { ?s rdfs:label ?l }"
    answers = [
        sorted_csv(QueryEngine([extension], bundled=False, store=s).query(text)) for s in ENGINES
    ]
    assert answers[0] == answers[1]
    assert "tieng viet aeiou" in answers[0]


def test_fold_takes_one_string_and_nothing_else(engine: QueryEngine) -> None:
    text = """SELECT ?iri ?number ?two ?tagged WHERE {
      BIND(mix:fold(mix:Lever) AS ?iri) BIND(mix:fold(42) AS ?number)
      BIND(mix:fold("a", "b") AS ?two) BIND(mix:fold("Été"@fr) AS ?tagged) }"""
    (row,) = engine.query(text).rows
    assert row[:3] == (None, None, None)
    assert isinstance(row[3], ox.Literal) and row[3].value == "ete"


def test_fold_in_a_timed_query(engine: QueryEngine) -> None:
    timed = engine.query(QUOTES, timeout=30)
    assert sorted_csv(timed) == GOLDEN.read_text(encoding="utf-8")


def test_fold_from_the_command_line(runner: CliRunner) -> None:
    for store in ENGINES:
        result = runner.invoke(main, ["query", "--store", store, "--format", "csv", QUOTES])
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        assert "\n".join([lines[0], *sorted(lines[1:])]) + "\n" == GOLDEN.read_text("utf-8")


def test_fold_in_render_query(extension: Path) -> None:
    """`mixity render --query` runs on the same engine: mix:fold works there too."""
    from mixity.graph.io.loader import load
    from mixity.graph.page.query import query_answer

    graph = load([extension], bundled=False).graph
    answer = query_answer(
        graph,
        "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l "
        'FILTER(mix:fold(?l) = "ca n a rien a voir") }',
    )
    assert [str(node) for node in answer.view.nodes] == ["https://example.org/c"]


def test_fold_is_documented_in_the_help(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "--help"])
    assert result.exit_code == 0
    assert "mix:fold(TEXT)" in result.stdout and 'mix:fold(?quote), "copropriete"' in result.stdout


def test_fold_and_warnings_on_a_store_on_disk(
    runner: CliRunner, extension: Path, tmp_path: Path
) -> None:
    """A store built by `mixity load` (and a timed query on it, run in a fresh process)."""
    target = tmp_path / "store"
    built = runner.invoke(main, ["load", str(extension), "--store-dir", str(target)])
    assert built.exit_code == 0, built.stderr
    engine = QueryEngine(store_dir=target)
    assert sorted_csv(engine.query(QUOTES, timeout=30)) == GOLDEN.read_text(encoding="utf-8")
    typo = engine.query("SELECT ?x WHERE { ?x a mix:Actor }")
    assert [w.suggestions for w in typo.warnings] == [("mix:ActorType",)]
