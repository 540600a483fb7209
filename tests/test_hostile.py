"""Hostile input: every command answers with one line and exit code 1, writes nothing, hangs never.

Each test reproduces a bug found in a hostile-input review (a traceback, a hang, a fetch over
the network, raw terminal escapes from the data, or an output that destroyed a file).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mixity.cli import main
from mixity.graph.io.write import atomic_write

MIX = "https://w3id.org/mixity/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"

#: What a terminal must never receive from the data: ESC (ANSI), NUL, 8-bit CSI, CR, RLO.
UNSAFE = ("\x1b", "\x00", "\x9b", "\r", "\u202e")


def fails_cleanly(result: Result, *, code: int = 1, progress: bool = False) -> str:
    """Assert a one-line `mixity: error:` on stderr, the exit code and no traceback.

    With `progress`, `mixity load`'s progress lines may come before the error.
    """
    assert result.exit_code == code, (result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    if progress:
        assert all(line.startswith("mixity load: ") for line in lines[:-1]), result.stderr
        lines = lines[-1:]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mixity: error: "), lines[0]
    assert not any(ch in lines[0] for ch in UNSAFE)
    return lines[0]


# ---------------------------------------------------------------------------------------------
# JSON-LD: deep nesting, contexts by reference


@pytest.mark.parametrize(
    "body",
    [
        '{"@id": "http://e/a", "http://e/b": ' + "[" * 20000 + "1" + "]" * 20000 + "}",
        '{"@id": "http://e/a", "http://e/b": ' + '{"http://e/b": ' * 5000 + "1" + "}" * 5000 + "}",
    ],
    ids=["arrays", "objects"],
)
def test_deep_jsonld_is_an_error_not_a_traceback(
    runner: CliRunner, tmp_path: Path, body: str
) -> None:
    path = tmp_path / "deep.jsonld"
    path.write_text(body)
    line = fails_cleanly(runner.invoke(main, ["info", "-g", str(path)]))
    assert "nesting too deep" in line


@pytest.mark.parametrize(
    "context",
    [
        "ctx.jsonld",  # a local file, which names a remote context rdflib would fetch
        " http://127.0.0.1:9/ctx",  # a leading space: rdflib strips it and fetches
        "//127.0.0.1:9/ctx",
        "file:///etc/passwd",
    ],
)
def test_jsonld_context_by_reference_is_refused(
    runner: CliRunner, tmp_path: Path, context: str
) -> None:
    (tmp_path / "ctx.jsonld").write_text(json.dumps({"@context": "http://127.0.0.1:9/c"}))
    doc = tmp_path / "doc.jsonld"
    doc.write_text(json.dumps({"@context": context, "@id": "http://e/a", "b": "c"}))
    line = fails_cleanly(runner.invoke(main, ["info", "-g", str(doc)]))
    assert "is not fetched" in line and "inline" in line


def test_jsonld_context_by_reference_is_refused_by_load(tmp_path: Path, runner: CliRunner) -> None:
    doc = tmp_path / "doc.jsonld"
    doc.write_text(json.dumps({"@context": ["local.jsonld"], "@id": "http://e/a", "b": "c"}))
    store = tmp_path / "store"
    args = ["load", str(doc), "--store-dir", str(store)]
    fails_cleanly(runner.invoke(main, args), progress=True)
    assert not store.exists()


# ---------------------------------------------------------------------------------------------
# Files that are not regular files, and query files that are not UTF-8


def test_query_file_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "q.rq"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "mixity", "query", "-f", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == f"mixity: error: {fifo}: not a regular file\n"


def test_render_query_file_in_latin1_is_a_positioned_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    query = tmp_path / "q.rq"
    query.write_bytes("SELECT ?s ?p ?o\nWHERE { ?s ?p 'café' }\n".encode("latin-1"))
    out = tmp_path / "page.html"
    line = fails_cleanly(runner.invoke(main, ["render", "--query", str(query), "-o", str(out)]))
    assert f"{query}:2:19: invalid UTF-8 byte 0xe9" in line
    assert not out.exists()


# ---------------------------------------------------------------------------------------------
# Options out of range


@pytest.mark.parametrize(("value", "code"), [("nan", 1), ("inf", 2), ("1e300", 2)])
def test_timeout_that_is_not_a_number_of_seconds(runner: CliRunner, value: str, code: int) -> None:
    result = runner.invoke(main, ["query", "levers", "--timeout", value])
    assert result.exit_code == code
    assert "Traceback" not in result.stderr
    if code == 1:
        fails_cleanly(result)


def test_limit_beyond_any_size_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["query", "levers", "--limit", "9" * 30])
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_tiny_timeout_says_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mixity", "query", "levers", "--timeout", "1e-300"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "timed out" in done.stderr


# ---------------------------------------------------------------------------------------------
# Terminal escapes and bidi overrides from the data


@pytest.fixture
def hostile_labels(tmp_path: Path) -> Path:
    """Levers whose labels hold ANSI escapes, NUL, an 8-bit CSI, CR, a newline and an RLO."""
    labels = [
        r"\u001b[31mRED\u001b[0m",
        r"nul\u0000byte",
        "\u009b31mCSI",
        r"cr\rback",
        r"line1\nline2",
        "\u202eevil\u202c",
    ]
    lines = [f"@prefix mix: <{MIX}> .", f"@prefix rdfs: <{RDFS}> ."]
    for i, text in enumerate(labels):
        lines.append(
            f'<http://e/h{i}> a mix:Lever ; rdfs:label "{text}"@fr ; '
            "mix:involves <https://w3id.org/mixity/id/actor/bailleurs> ."
        )
    path = tmp_path / "hostile.ttl"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["analyze"],
        ["path", "http://e/h0", "http://e/h5"],
        ["path", "http://e/h1", "http://e/h2"],
        ["validate"],
        ["query", "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(STRSTARTS(STR(?s), 'http://e/')) }"],
    ],
    ids=["analyze", "path", "path-2", "validate", "query"],
)
def test_no_terminal_escapes_from_the_data(
    runner: CliRunner, hostile_labels: Path, args: list[str]
) -> None:
    # color=True: click would otherwise strip ANSI codes itself, hiding the bug in a test.
    result = runner.invoke(main, [*args, "-g", str(hostile_labels)], color=True)
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    for ch in UNSAFE:
        assert ch not in result.stdout, (ch, result.stdout)


def test_info_shows_a_hostile_file_name_inertly(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[31m\u202e.ttl"
    path.write_text("<http://e/a> <http://e/b> <http://e/c> .\n")
    result = runner.invoke(main, ["info", "-g", str(path)], color=True)
    assert result.exit_code == 0
    assert not any(ch in result.stdout for ch in UNSAFE)


@pytest.mark.parametrize("store", ["oxigraph", "memory"])
def test_error_quoting_the_data_is_one_inert_line(
    runner: CliRunner, tmp_path: Path, store: str
) -> None:
    path = tmp_path / "ansi.ttl"
    path.write_text("@prefix ex: <http://e/> .\nex:a ex:b \x1b[31mRED\x1b[0m .\n")
    args = ["query", "--store", store, "-g", str(path), "ASK { ?s ?p ?o }"]
    line = fails_cleanly(runner.invoke(main, args, color=True))
    assert line.startswith(f"mixity: error: {path}:2:")


# ---------------------------------------------------------------------------------------------
# Outputs: never an input, never half a result, never a device replaced


def test_output_equal_to_an_input_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "ext.ttl"
    data.write_text("<http://e/a> <http://e/b> <http://e/c> .\n")
    query = tmp_path / "q.rq"
    query.write_text("SELECT * WHERE { ?s ?p ?o } LIMIT 1\n")
    before = {p: p.read_bytes() for p in (data, query)}
    commands = [
        ["query", "-g", str(data), "levers", "--format", "csv", "-o", str(data)],
        ["query", "-f", str(query), "-o", str(query)],
        ["export", "-g", str(data), "--format", "turtle", "-o", str(data)],
        ["render", "-g", str(data), "-o", str(data)],
        ["render", "--query", str(query), "-o", str(query)],
        ["analyze", "-g", str(tmp_path), "--format", "turtle", "-o", str(data)],
    ]
    for args in commands:
        line = fails_cleanly(runner.invoke(main, args))
        assert "never overwrites its inputs" in line
        assert {p: p.read_bytes() for p in before} == before


def test_csv_export_writes_both_files_or_neither(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    out.mkdir()
    (out / "nodes.csv").write_text("OLD\n")
    (out / "edges.csv").mkdir()  # the second file cannot be written
    line = fails_cleanly(runner.invoke(main, ["export", "--format", "csv", "-o", str(out)]))
    assert "edges.csv" in line
    assert (out / "nodes.csv").read_text() == "OLD\n"
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]


def test_output_to_a_pipe_writes_into_it_and_keeps_it(tmp_path: Path) -> None:
    # The same path as -o /dev/null or /dev/stdout: renaming onto it would replace the device.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    atomic_write(fifo, "hello\n")
    reader.join(30)
    assert received == [b"hello\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_output_through_a_symlink_keeps_the_link(runner: CliRunner, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    result = runner.invoke(main, ["query", "levers", "--format", "csv", "-o", str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink()
    assert real.read_text().startswith("lever,")


# ---------------------------------------------------------------------------------------------
# Stores and IRIs


def test_damaged_store_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert runner.invoke(main, ["load", "--store-dir", str(store)]).exit_code == 0
    database = store / "oxigraph"
    for entry in database.iterdir():
        entry.unlink()
    (database / "CURRENT").write_text("junk\n")
    line = fails_cleanly(runner.invoke(main, ["query", "--store-dir", str(store), "levers"]))
    assert "cannot open the store" in line and "mixity load" in line


def test_store_with_owlrl_says_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert runner.invoke(main, ["load", "--store-dir", str(store)]).exit_code == 0
    args = ["query", "--store-dir", str(store), "--infer", "owlrl", "levers"]
    line = fails_cleanly(runner.invoke(main, args))
    assert "drop --store-dir" in line


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("sp.ttl", "<http://e/a b> <http://e/b> <http://e/c> .\n", "1:2"),
        (
            "sp.rdf",
            '<?xml version="1.0"?>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:ex="http://e/">\n'
            '<rdf:Description rdf:about="http://e/a b"><ex:b>x</ex:b></rdf:Description>\n'
            "</rdf:RDF>\n",
            "3:29",
        ),
    ],
)
def test_iri_with_a_space_is_a_positioned_error(
    runner: CliRunner, tmp_path: Path, name: str, text: str, where: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    for args in (
        ["export", "--format", "turtle"],
        ["info"],
        ["query", "--store", "memory", "levers"],
    ):
        line = fails_cleanly(runner.invoke(main, [*args, "-g", str(path)]))
        assert line.startswith(f"mixity: error: {path}:{where}: invalid IRI <http://e/a b>")


# ---------------------------------------------------------------------------------------------
# SPARQL nested deep enough to crash Oxigraph's native parser (a segmentation fault)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000,
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        "SELECT * WHERE { ?s ?p " + "[ rdf:value " * 5000 + "1" + "]" * 5000 + " }",
        "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 20000 + "true) }",
    ],
    ids=["braces", "parentheses", "blank-nodes", "negations"],
)
def test_deeply_nested_query_is_refused_not_a_crash(query: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mixity", "query", query],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.returncode
    assert done.stderr.startswith("mixity: error: query:1:")
    assert "nested more than" in done.stderr.splitlines()[0]


def test_invalid_utf8_on_stdin_is_positioned() -> None:
    from click.testing import CliRunner

    from mixity.cli import main

    result = CliRunner().invoke(main, ["query", "-"], input=b"SELECT ?x\nWHERE { \xff }")
    assert result.exit_code == 1
    assert result.stderr.startswith("mixity: error: <stdin>:2:9: invalid UTF-8 byte 0xff")
    assert "Traceback" not in result.stderr
