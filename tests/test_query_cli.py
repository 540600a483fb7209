"""`mixity query` from the terminal: sources of queries, options, errors and exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mixity.cli import main

COUNT_ISSUES = "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ibis:Issue }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def query(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(main, ["query", *args], input=input)


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- where the query comes from --------------------------------------------------------------


def test_inline_query_prints_a_table_and_counts_rows_on_stderr(runner: CliRunner) -> None:
    result = query(runner, "SELECT ?q WHERE { ?q a mix:Question } ORDER BY ?q")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "q" and set(lines[1]) == {"-"}
    assert "question:definir-mixite" in result.stdout
    assert result.stderr.strip() == f"{len(lines) - 2} rows"


def test_query_from_a_file_and_from_stdin(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("# my query\n" + COUNT_ISSUES + "\n", encoding="utf-8")
    from_file = query(runner, "-f", str(path), "--format", "csv")
    from_stdin = query(runner, "-", "--format", "csv", input=COUNT_ISSUES)
    assert from_file.exit_code == from_stdin.exit_code == 0
    assert from_file.stdout == from_stdin.stdout
    assert int(csv_rows(from_file.stdout)[0]["n"]) >= 8


def test_saved_query_by_name(runner: CliRunner) -> None:
    result = query(runner, "levers-for-actor", "--param", "actor=bailleurs", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    levers = {row["lever"] for row in csv_rows(result.stdout)}
    assert "https://w3id.org/mixity/id/lever/reunir-acteurs-copropriete" in levers
    assert all(row["viaLabel"] == "bailleurs" for row in csv_rows(result.stdout))


def test_prefixes_of_an_extension_file_are_predeclared(runner: CliRunner, tmp_path: Path) -> None:
    ext = tmp_path / "ext.ttl"
    ext.write_text(
        "@prefix my: <https://example.org/my#> .\n"
        "@prefix mix: <https://w3id.org/mixity/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'my:q a mix:Question ; rdfs:label "Une question ajoutée ?"@fr .\n',
        encoding="utf-8",
    )
    result = query(runner, "-g", str(ext), "SELECT ?l WHERE { my:q a ibis:Issue ; rdfs:label ?l }")
    assert result.exit_code == 0, result.stderr
    assert "Une question ajoutée ?" in result.stdout


# -- options ---------------------------------------------------------------------------------


def test_rdfs_entailment_is_on_by_default_and_can_be_turned_off(runner: CliRunner) -> None:
    on = query(runner, COUNT_ISSUES, "--format", "csv")
    off = query(runner, COUNT_ISSUES, "--format", "csv", "--infer", "none")
    # IBIS 0.6: an argument (a mix:Finding) is an issue too
    issues = "SELECT (COUNT(?x) AS ?n) { { ?x a mix:Question } UNION { ?x a mix:Finding } }"
    questions = query(runner, issues, "--format", "csv")
    assert int(csv_rows(on.stdout)[0]["n"]) == int(csv_rows(questions.stdout)[0]["n"]) > 0
    assert int(csv_rows(off.stdout)[0]["n"]) == 0


def test_schema_event_finds_meetings_workshops_and_talks(runner: CliRunner) -> None:
    text = (
        "SELECT DISTINCT ?type WHERE { ?e a schema:Event ; a ?type "
        "FILTER(STRSTARTS(STR(?type), STR(mix:))) }"
    )
    result = query(runner, text, "--format", "csv")
    types = {row["type"].rsplit("#", 1)[1] for row in csv_rows(result.stdout)}
    assert {"Meeting", "Workshop", "Talk"} <= types


def test_memory_engine_gives_the_same_answer(runner: CliRunner) -> None:
    fast = query(runner, "questions", "--format", "csv")
    reference = query(runner, "questions", "--format", "csv", "--store", "memory")
    assert fast.exit_code == reference.exit_code == 0
    assert sorted(fast.stdout.splitlines()) == sorted(reference.stdout.splitlines())


def test_persistent_store_dir(runner: CliRunner, tmp_path: Path) -> None:
    from mixity.graph.store.oxigraph import build_store

    build_store([], tmp_path / "store")
    stored = query(runner, "--store-dir", str(tmp_path / "store"), "levers", "--format", "csv")
    fresh = query(runner, "levers", "--format", "csv")
    assert stored.exit_code == 0, stored.stderr
    assert sorted(stored.stdout.splitlines()) == sorted(fresh.stdout.splitlines())
    mixed = query(runner, "--store-dir", str(tmp_path / "store"), "-g", "x.ttl", "levers")
    assert mixed.exit_code == 2
    missing = query(runner, "--store-dir", str(tmp_path / "nope"), "levers")
    assert missing.exit_code == 1 and "mixity load" in missing.stderr
    no_traceback(missing)


def test_limit_keeps_the_first_rows_and_says_so(runner: CliRunner) -> None:
    result = query(runner, "quotes", "--limit", "3", "--format", "csv")
    assert result.exit_code == 0
    assert len(csv_rows(result.stdout)) == 3
    assert "3 rows (limit reached)" in result.stderr


def test_labels_add_a_column_in_the_requested_language(runner: CliRunner) -> None:
    result = query(runner, "SELECT ?a WHERE { ?a a mix:ActorType }", "--labels", "--lang", "en",
                   "--format", "csv")  # fmt: skip
    rows = csv_rows(result.stdout)
    assert list(rows[0]) == ["a", "aLabel"]
    assert {"residents", "municipal police"} <= {row["aLabel"] for row in rows}


def test_output_file_is_written_atomically(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "levers.csv"
    ok = query(runner, "levers", "--format", "csv", "-o", str(out))
    assert ok.exit_code == 0 and ok.stdout == ""
    assert "written to" in ok.stderr
    first = out.read_bytes()
    assert first.startswith(b"lever,leverLabel")
    failed = query(runner, "SELEC nothing", "-o", str(out))
    assert failed.exit_code == 1
    assert out.read_bytes() == first
    fresh = tmp_path / "never.csv"
    query(runner, "SELECT ?x WHERE { ?x nope:p ?y }", "-o", str(fresh))
    assert not fresh.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["levers.csv"]
    nowhere = query(runner, "levers", "-o", str(tmp_path / "missing" / "x.csv"))
    assert nowhere.exit_code == 1 and "does not exist" in nowhere.stderr


def test_json_output_is_valid_json(runner: CliRunner) -> None:
    result = query(runner, "speakers", "--format", "json")
    doc = json.loads(result.stdout)
    names = {b["speakerName"]["value"] for b in doc["results"]["bindings"]}
    assert names == {"Christine Lelévrier", "Philippe Bamy"}


def test_construct_defaults_to_turtle(runner: CliRunner) -> None:
    result = query(runner, "neighbourhood", "--param", "resource=bailleurs")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("@prefix ")
    assert result.stderr.strip().endswith("triples")


def test_timeout_stops_a_runaway_query_and_the_process_exits() -> None:
    # A real process: Oxigraph's native evaluation cannot be interrupted, only abandoned, and
    # the CLI must still exit at once (a query that would run for days).
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", "from mixity.cli import main; main()", "query", RUNAWAY,
         "--timeout", "0.5"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert time.monotonic() - started < 10
    assert done.returncode == 1
    assert "mixity: error: query: timed out after 0.5 s: narrow the query" in done.stderr
    assert "Traceback" not in done.stderr


def test_timeout_stops_the_rdflib_engine_too(runner: CliRunner) -> None:
    started = time.monotonic()
    result = query(runner, RUNAWAY, "--timeout", "0.5", "--store", "memory")
    assert time.monotonic() - started < 15
    assert result.exit_code == 1 and "timed out" in result.stderr


# -- updates -----------------------------------------------------------------------------------

INSERT = 'INSERT DATA { <https://example.org/a> rdfs:label "a" }'


@pytest.mark.parametrize(
    "text",
    [
        INSERT,
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "DROP DEFAULT",
        "PREFIX ex: <https://example.org/>\nINSERT DATA { ex:a ex:b ex:c }",
    ],
)
def test_updates_are_refused(runner: CliRunner, text: str) -> None:
    result = query(runner, text)
    assert result.exit_code == 1
    assert "queries only read the graph; pass --allow-update to apply it" in result.stderr
    assert "  ^" in result.stderr
    no_traceback(result)


def test_allowed_update_changes_memory_only(runner: CliRunner, tmp_path: Path) -> None:
    ext = tmp_path / "ext.ttl"
    ext.write_text("<https://example.org/x> <https://example.org/p> 1 .\n", encoding="utf-8")
    before = ext.read_bytes()
    for store in ("oxigraph", "memory"):
        result = query(runner, "-g", str(ext), "--allow-update", "--store", store,
                       "DELETE WHERE { ?s ?p ?o }")  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert "in memory" in result.stdout + result.stderr
    assert ext.read_bytes() == before
    load = query(runner, "--allow-update", "LOAD <http://example.org/x.ttl>")
    assert load.exit_code == 1 and "never fetches data; load the files with -g" in load.stderr


def test_a_store_on_disk_refuses_updates_in_the_cli_words(
    runner: CliRunner, tmp_path: Path
) -> None:
    from mixity.graph.store.oxigraph import build_store

    build_store([], tmp_path / "store", infer="none")
    args = ["--store-dir", str(tmp_path / "store"), "--allow-update"]
    result = query(runner, *args, INSERT)
    assert result.exit_code == 1
    assert "a store opened with --store-dir is read-only" in result.stderr
    assert "(drop --store-dir)" in result.stderr and "  ^" in result.stderr
    clash = query(runner, "--store-dir", str(tmp_path / "store"), "--infer", "rdfs", "levers")
    assert clash.exit_code == 1
    assert "mixity: error: --infer: " in clash.stderr and "drop --infer" in clash.stderr


# -- errors ------------------------------------------------------------------------------------


ERRORS = [
    # (query, what the message says, line, column of the caret)
    (
        "SELEC ?x WHERE { ?x ?p ?o }",
        "expected SELECT, CONSTRUCT, DESCRIBE or ASK, found 'SELEC' (did you mean SELECT?)",
        1, 1,
    ),
    ("", "empty query", 1, 1),
    ("   \n# only a comment\n", "empty query", None, None),
    ("SELECT ?x WHERE {\n  ?x a nope:Foo .\n}", "unknown prefix 'nope:'; known prefixes: ", 2, 8),
    (
        "SELECT ?x WHERE {\n  ?x ?p ?o .\n  ?x a ?y ?z .\n}",
        "found '?z', expected one of ',', '.', ';'",
        3, 11,
    ),
    (
        "SELECT ?x WHERE {\n  ?x ?p ?o\n  FILTER(?o = 1\n}",
        "expected ')' to close the '(' of 3:9, found '}'",
        4, 1,
    ),
    (
        "SELECT ?x WHERE { ?x ?p ?o . FILTR(?x) }",
        "unknown keyword or function 'FILTR' (did you mean FILTER?)",
        1, 30,
    ),
    ('SELECT ?x WHERE { ?x ?p "abc }', "unterminated string", 1, 25),
    ("SELECT ?x WHERE { ?x ?p ?o } ORDER ?x", "found 'ORDER', expected BY", 1, 30),
    ("SELECT ?x WHERE { ?x ?p ?o }}", "unexpected '}': nothing to close", 1, 29),
    ("SELECT ?x (1 AS ?x) { ?x ?p ?o }", "the SELECT overrides an existing variable", None, None),
    (
        "SELECT ?x { SERVICE <http://example.org/sparql> { ?x ?p ?o } }",
        "SERVICE (federated query) is not supported",
        1, 13,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message", "line", "column"), ERRORS)
def test_query_errors_point_at_the_culprit(
    runner: CliRunner, text: str, message: str, line: int | None, column: int | None
) -> None:
    for store in ("oxigraph", "memory"):
        result = query(runner, "--store", store, "--", text) if text else query(runner, text)
        assert result.exit_code == 1, (store, result.stdout)
        no_traceback(result)
        first, *rest = result.stderr.splitlines()
        assert first.startswith("mixity: error: query:"), first
        assert message in first, first
        if line is not None:
            assert first.startswith(f"mixity: error: query:{line}:{column}: "), first
            offending = text.splitlines()[line - 1] if text else ""
            assert rest[0] == f"  {offending}"
            assert rest[1] == "  " + " " * (column - 1) + "^"
        if not text:
            break


def test_positions_are_in_the_users_file_with_prefix_lines(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "bad.rq"
    path.write_text(
        "PREFIX ex: <https://example.org/>\n"
        "# a comment\n"
        "SELECT ?x\n"
        "WHERE {\n"
        "  ?x ex:p ?y ;\n"
        "     ex:q ?z ?w .\n"
        "}\n",
        encoding="utf-8",
    )
    result = query(runner, "-f", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"mixity: error: {path}:6:14: ")
    assert result.stderr.splitlines()[1] == "       ex:q ?z ?w ."


def test_ill_typed_arithmetic_is_an_answer_not_a_crash(runner: CliRunner) -> None:
    text = 'SELECT ?x WHERE { BIND("abc"^^xsd:integer + 1 AS ?x) }'
    fast = query(runner, text, "--format", "csv")
    assert fast.exit_code == 0
    assert csv_rows(fast.stdout) == [{"x": ""}]  # an error in an expression leaves ?x unbound
    reference = query(runner, text, "--store", "memory")
    no_traceback(reference)
    assert reference.exit_code in (0, 1)


def test_missing_query_file(runner: CliRunner, tmp_path: Path) -> None:
    result = query(runner, "-f", str(tmp_path / "nope.rq"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.rq'}: no such file or directory" in result.stderr
    no_traceback(result)


def test_non_utf8_query_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "latin1.rq"
    path.write_bytes('SELECT ?x WHERE { ?x rdfs:label "é" }'.encode("latin-1"))
    result = query(runner, "-f", str(path))
    assert result.exit_code == 1 and "UTF-8" in result.stderr
    no_traceback(result)


def test_unknown_saved_query_suggests_names(runner: CliRunner) -> None:
    result = query(runner, "levrs")
    assert result.exit_code == 1
    assert "unknown saved query 'levrs' (did you mean: levers" in result.stderr
    shown = query(runner, "--show", "lever-for-actor")
    assert shown.exit_code == 1 and "levers-for-actor" in shown.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["levers-for-actor"], 1, "--param: saved query levers-for-actor needs actor=VALUE"),
        (["levers-for-actor", "--param", "actor=bailleur"], 0, None),
        (["levers-for-actor", "--param", "actor=police"], 1, "'police' names 2 actors: « police"),
        (["levers-for-actor", "--param", "actor=plombiers"], 1, "unknown actor 'plombiers'"),
        (["levers-for-actor", "-p", "actro=x"], 1,
         "--param: saved query levers-for-actor has no parameter 'actro' (did you mean actor?)"),
    ],
)  # fmt: skip
def test_parameter_errors(
    runner: CliRunner, args: list[str], code: int, message: str | None
) -> None:
    result = query(runner, *args)
    no_traceback(result)
    assert result.exit_code == code, result.stderr
    if message is not None:
        assert message in result.stderr


def test_parameters_are_bound_not_pasted(runner: CliRunner) -> None:
    evil = '" } } ; DROP ALL ; SELECT * { "'
    result = query(runner, "SELECT ?s WHERE { ?s rdfs:label ?name }", "--param", f"name={evil}")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip() == "0 rows"
    found = query(
        runner, "SELECT ?s WHERE { ?s skos:prefLabel ?name }", "--param", "name=habitants"
    )
    assert found.stderr.strip() == "0 rows"  # a plain string, not the @fr literal
    iri = query(runner, "SELECT ?l WHERE { ?s skos:prefLabel ?l }", "--param", "s=actor:habitants")
    assert "residents" in iri.stdout
    unused = query(runner, "SELECT ?l WHERE { ?s skos:prefLabel ?l }", "--param", "x=1")
    assert unused.exit_code == 1 and "--param: x: the query has no variable ?x" in unused.stderr


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["levers", "-f", "q.rq"],
        ["--list", "levers"],
        ["levers", "--format", "turtle"],
        ["neighbourhood", "--format", "csv"],
        ["levers", "--param", "novalue"],
        ["levers", "--limit", "-1"],
        ["levers", "--timeout", "0"],
        ["levers", "--format", "yaml"],
    ],
)
def test_usage_errors_exit_2(runner: CliRunner, args: list[str]) -> None:
    result = query(runner, *args)
    assert result.exit_code == 2, result.stderr
    no_traceback(result)
