"""`mixity query` stays light: what a real process imports, and how long it takes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("pyvis", "networkx", "pyshacl", "owlrl", "rdflib", "oxrdflib", "IPython")

# Run the real command in a fresh interpreter, then report which heavy packages it imported.
PROBE = """
import json, sys
from mixity.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    loaded = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.stdin.read())))
    print("\\nIMPORTED=" + json.dumps(loaded), file=sys.stderr)
"""


def imported(*args: str) -> tuple[list[str], str]:
    """The heavy packages `mixity ARGS` imports, and its stdout."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input=json.dumps(HEAVY),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("IMPORTED=")][-1]
    return json.loads(line.removeprefix("IMPORTED=")), done.stdout


@pytest.mark.slow
def test_default_query_path_imports_no_heavy_library() -> None:
    loaded, out = imported("query", "levers-for-actor", "--param", "actor=bailleurs")
    assert "lever:reunir-acteurs-copropriete" in out
    assert loaded == []


@pytest.mark.slow
def test_every_format_and_error_path_stays_off_rdflib() -> None:
    for fmt in ("json", "xml", "csv", "tsv", "md"):
        loaded, _ = imported("query", "levers", "--format", fmt)
        assert loaded == [], fmt
    loaded, _ = imported(
        "query", "neighbourhood", "--param", "resource=bailleurs", "--format", "jsonld"
    )
    assert loaded == []


@pytest.mark.slow
def test_memory_engine_imports_rdflib_but_no_viewer_or_validator() -> None:
    loaded, _ = imported("query", "levers", "--store", "memory")
    assert loaded == ["rdflib"]


@pytest.mark.slow
def test_owlrl_is_imported_only_when_asked_for() -> None:
    count = "SELECT (COUNT(*) AS ?n) { ?x a ibis:Issue }"
    loaded, out = imported("query", "--infer", "owlrl", "--format", "csv", count)
    assert "owlrl" in loaded
    # The questions are found as ibis:Issue through OWL 2 RL as through RDFS.
    _, rdfs = imported("query", "--format", "csv", count)
    assert int(out.splitlines()[1]) == int(rdfs.splitlines()[1]) > 0
    assert not {"pyvis", "networkx", "pyshacl"} & set(loaded)


# The checks of a query's own text cost nothing on the path of a saved query, and difflib (the
# closest names) is imported only when a term is missing.
LIGHT = ("difflib", "mixity.graph.sparql.hints")
LIGHT_PROBE = PROBE.replace('{m.split(".")[0] for m in sys.modules}', "set(sys.modules)")


def imported_modules(*args: str) -> list[str]:
    """The modules of LIGHT that `mixity ARGS` imports."""
    assert LIGHT_PROBE != PROBE
    done = subprocess.run(
        [sys.executable, "-c", LIGHT_PROBE, *args],
        input=json.dumps(LIGHT),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("IMPORTED=")][-1]
    return list(json.loads(line.removeprefix("IMPORTED=")))


@pytest.mark.slow
def test_query_checks_stay_off_the_saved_query_path() -> None:
    assert imported_modules("query", "levers") == []
    right = "SELECT ?l WHERE { ?l a mix:Lever ; mix:involves ?a }"
    assert imported_modules("query", right) == ["mixity.graph.sparql.hints"]
    typo = "SELECT ?l WHERE { ?l a mix:Levr }"
    assert imported_modules("query", typo) == ["difflib", "mixity.graph.sparql.hints"]
