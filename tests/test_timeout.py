"""Timeouts stop the work: a timed query runs in a child process that is killed at its deadline."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mixity.errors import InvalidParameter, QueryError, QueryTimeout
from mixity.graph.sparql.engine import QueryEngine, saved_query
from mixity.graph.sparql.timeout import MAX_TIMEOUT

REPO = Path(__file__).resolve().parents[1]
#: A cross product of the whole graph with itself four times: it would run for days.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def children() -> set[int]:
    """The processes this one has started and not yet reaped (zombies included)."""
    found: set[int] = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children", encoding="ascii") as handle:
            found |= {int(pid) for pid in handle.read().split()}
    return found


def threads() -> int:
    """Threads of this process as the kernel counts them (native ones included)."""
    return len(os.listdir("/proc/self/task"))


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, QueryEngine]:
    from mixity.graph.store.oxigraph import build_store

    folder = tmp_path_factory.mktemp("timeout") / "store"
    build_store([], folder)
    return {
        "oxigraph": QueryEngine(),
        "memory": QueryEngine(store="memory"),
        "store_dir": QueryEngine(store_dir=folder),
    }


@pytest.mark.parametrize("kind", ["oxigraph", "memory", "store_dir"])
def test_a_runaway_query_is_stopped_at_its_deadline(
    engines: dict[str, QueryEngine], kind: str
) -> None:
    engine = engines[kind]
    engine.query("ASK { ?s ?p ?o }", timeout=30)  # warm: the first query pays for imports
    before_children, before_threads = children(), threads()
    before_python = threading.active_count()
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"^query: timed out after 1 s: narrow the query"):
        engine.query(RUNAWAY, timeout=1)
    elapsed = time.monotonic() - started
    assert 1 <= elapsed < 2.5, elapsed
    # Nothing is left behind: the child was killed and reaped, no thread carries on.
    assert children() == before_children
    assert threads() == before_threads
    assert threading.active_count() == before_python
    # And the engine answers the next query.
    assert engine.query("ASK { ?x a mix:Meeting }", timeout=30).boolean is True


QUERIES = [
    ("SELECT ?q ?l WHERE { ?q a ibis:Issue ; rdfs:label ?l } ORDER BY ?q ?l", None, None),
    ("SELECT ?a WHERE { ?a a mix:ActorType } ORDER BY ?a", None, "en"),
    ("SELECT ?s ?o WHERE { ?s skos:broader ?o OPTIONAL { ?o skos:notation ?x } }", 5, "fr"),
    ("ASK { ?x a mix:Meeting }", None, None),
    ("ASK { ?x a mix:Nothing }", None, None),
    ("CONSTRUCT WHERE { ?x a mix:Talk ; ?p ?o }", None, None),
    ("DESCRIBE ?x WHERE { ?x a mix:Meeting }", 3, None),
]


@pytest.mark.parametrize("kind", ["oxigraph", "memory", "store_dir"])
@pytest.mark.parametrize(("text", "limit", "labels"), QUERIES)
def test_results_with_a_timeout_equal_results_without(
    engines: dict[str, QueryEngine], kind: str, text: str, limit: int | None, labels: str | None
) -> None:
    engine = engines[kind]
    plain = engine.query(text, limit=limit, labels=labels)
    timed = engine.query(text, limit=limit, labels=labels, timeout=30)
    assert timed == plain
    assert timed.to() == plain.to()


def test_saved_queries_with_parameters_and_large_answers(engines: dict[str, QueryEngine]) -> None:
    engine = engines["oxigraph"]
    levers = saved_query("levers-for-actor")
    params = {"actor": "bailleurs", "lang": "en"}
    assert engine.query(levers, params=params, timeout=30) == engine.query(levers, params=params)
    # Far more than a pipe holds at once (64 KiB): the parent reads while the child writes.
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    timed = engine.query(everything, timeout=30)
    assert len(timed) > 1_000 and timed == engine.query(everything)


@pytest.mark.parametrize("kind", ["oxigraph", "memory", "store_dir"])
def test_an_error_in_the_timed_query_keeps_its_message_and_position(
    engines: dict[str, QueryEngine], kind: str
) -> None:
    engine = engines[kind]
    text = "SELECT ?x WHERE {\n  ?x a mix:Meeting .\n  ?x nope:p ?y }"
    with pytest.raises(QueryError) as plain:
        engine.query(text, origin="mine.rq")
    with pytest.raises(QueryError) as timed:
        engine.query(text, origin="mine.rq", timeout=30)
    assert type(timed.value) is type(plain.value)
    assert str(timed.value) == str(plain.value)
    assert str(timed.value).startswith("mine.rq:3:6: unknown prefix 'nope:'")
    assert (timed.value.line, timed.value.column) == (3, 6)
    assert timed.value.caret() == plain.value.caret()


def test_an_engine_failure_in_the_child_is_the_same_error() -> None:
    # rdflib's engine fails while evaluating (not parsing) an ill-typed literal in arithmetic.
    engine = QueryEngine(store="memory")
    text = 'SELECT ?x WHERE { BIND("abc"^^xsd:integer + 1 AS ?x) FILTER(?x > 0) }'
    try:
        plain = engine.query(text)
    except QueryError as exc:
        with pytest.raises(QueryError) as timed:
            engine.query(text, timeout=30)
        assert str(timed.value) == str(exc)
    else:
        assert engine.query(text, timeout=30) == plain


def test_updates_run_here_even_with_a_timeout() -> None:
    engine = QueryEngine()
    insert = "INSERT DATA { <https://example.org/x> a mix:Lever }"
    assert engine.query(insert, allow_update=True, timeout=30).added == 1
    assert engine.query("ASK { <https://example.org/x> a mix:Lever }", timeout=30).boolean


@pytest.mark.parametrize("kind", ["oxigraph", "memory", "store_dir"])
def test_the_longest_timeout_is_waited_for_in_slices(
    engines: dict[str, QueryEngine], kind: str
) -> None:
    assert engines[kind].query("ASK { ?x a mix:Meeting }", timeout=MAX_TIMEOUT).boolean


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), 1e300])
def test_a_timeout_that_is_not_a_number_of_seconds(value: float) -> None:
    with pytest.raises(InvalidParameter, match=r"^timeout: must be more than 0"):
        QueryEngine().query("ASK {}", timeout=value)


def test_the_child_never_runs_the_parents_exit_handlers_nor_flushes_its_buffers() -> None:
    script = (
        "import atexit, sys\n"
        "from mixity.graph.sparql.engine import QueryEngine\n"
        "engine = QueryEngine()\n"
        "atexit.register(lambda: print('exit handler', flush=True))\n"
        "sys.stdout.write('buffered before\\n')\n"  # stdout is a pipe: block-buffered
        "print(engine.query('ASK { ?x a mix:Meeting }', timeout=30).boolean)\n"
        "try:\n"
        f"    engine.query({RUNAWAY!r}, timeout=0.5)\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["buffered before", "True", "QueryTimeout", "exit handler"]
    assert done.stderr == ""


def test_the_command_line_stops_a_runaway_query_on_a_store(tmp_path: Path) -> None:
    from mixity.graph.store.oxigraph import build_store

    build_store([], tmp_path / "store", infer="none")
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "mixity", "query", "--store-dir", str(tmp_path / "store"),
         RUNAWAY, "--timeout", "1"],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )  # fmt: skip
    assert time.monotonic() - started < 10
    assert done.returncode == 1
    assert done.stderr == (
        "mixity: error: query: timed out after 1 s: narrow the query (LIMIT, more specific "
        "patterns) or allow more time\n"
    )
