"""Run the W3C test suites (tests/w3c/README.md) through mixity, as a user's files and queries go.

RDF suites (Turtle, TriG, N-Triples, N-Quads, RDF/XML, JSON-LD toRdf) go through the two ways
mixity reads files: the loader every command but `query` uses (`mixity.graph.io.loader`, also
`query --store memory`) and the Oxigraph store of `query` and `load` (`memory_store`). SPARQL
suites go through `QueryEngine` on both engines, with `bundled=False`, `infer="none"` and the
test's data files, after the checks `mixity query` makes first (`check_query`).

Each test has an `Outcome`: passed, failed (with what differs), or not applicable (with why:
something mixity does not do by design, e.g. named graphs or fetching a remote context).
`deviations.toml` lists the failures that are known; tests/test_w3c_*.py check the list both
ways and scripts/conformance.py prints the conformance table from the same outcomes.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
RDF_TESTS = HERE / "rdf-tests"
JSON_LD_TESTS = HERE / "json-ld-api" / "tests"
RDF_TESTS_URL = "https://w3c.github.io/rdf-tests/"
JSON_LD_URL = "https://w3c.github.io/json-ld-api/tests/"

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
QT = "http://www.w3.org/2001/sw/DataAccess/tests/test-query#"
RDFT = "http://www.w3.org/ns/rdftest#"
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
ENGINES = ("oxigraph", "memory")

#: suite name -> (title, manifests); the order is the conformance table's.
RDF_SUITES: dict[str, tuple[str, tuple[str, ...]]] = {
    "rdf-turtle": ("RDF 1.1 Turtle", ("rdf/rdf11/rdf-turtle/manifest.ttl",)),
    "rdf-trig": ("RDF 1.1 TriG", ("rdf/rdf11/rdf-trig/manifest.ttl",)),
    "rdf-n-triples": ("RDF 1.1 N-Triples", ("rdf/rdf11/rdf-n-triples/manifest.ttl",)),
    "rdf-n-quads": ("RDF 1.1 N-Quads", ("rdf/rdf11/rdf-n-quads/manifest.ttl",)),
    "rdf-xml": ("RDF 1.1 XML Syntax", ("rdf/rdf11/rdf-xml/manifest.ttl",)),
}
JSON_LD_SUITE = ("json-ld-toRdf", "JSON-LD 1.1 toRdf")
SPARQL_SUITES: dict[str, tuple[str, tuple[str, ...]]] = {
    "sparql10-syntax": ("SPARQL 1.0 query syntax", ("sparql/sparql10/manifest-syntax.ttl",)),
    "sparql10-eval": ("SPARQL 1.0 query evaluation", ("sparql/sparql10/manifest-evaluation.ttl",)),
    "sparql11-syntax": (
        "SPARQL 1.1 query syntax",
        ("sparql/sparql11/syntax-query/manifest.ttl",),
    ),
    "sparql11-update-syntax": (
        "SPARQL 1.1 update syntax",
        (
            "sparql/sparql11/syntax-update-1/manifest.ttl",
            "sparql/sparql11/syntax-update-2/manifest.ttl",
        ),
    ),
    "sparql11-eval": (
        "SPARQL 1.1 query evaluation",
        (
            "sparql/sparql11/manifest-sparql11-query.ttl",
            "sparql/sparql11/manifest-sparql11-results.ttl",
        ),
    ),
}


@dataclass(frozen=True)
class Case:
    """One test of a manifest."""

    suite: str
    id: str  # "<folder>/<name>": unique, readable, stable
    kind: str  # positive-syntax, negative-syntax, eval, negative-eval
    action: Path
    base: str  # the IRI the suite reads the action at
    result: Path | None = None
    result_base: str = ""
    data: tuple[Path, ...] = ()
    graph_data: tuple[Path, ...] = ()
    update: bool = False
    lax: bool = False  # mf:LaxCardinality: duplicates may be dropped (REDUCED)
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What running a test gave: "pass", "fail" or "n/a", and why."""

    status: str
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "pass"


PASS = Outcome("pass")


def fail(detail: str) -> Outcome:
    return Outcome("fail", " ".join(detail.split())[:500])


def not_applicable(reason: str) -> Outcome:
    return Outcome("n/a", reason)


# ---------------------------------------------------------------------------------------------
# Manifests


def local_path(iri: str) -> Path:
    if iri.startswith(RDF_TESTS_URL):
        return RDF_TESTS / iri[len(RDF_TESTS_URL) :]
    if iri.startswith(JSON_LD_URL):
        return JSON_LD_TESTS / iri[len(JSON_LD_URL) :]
    raise ValueError(f"not a vendored test file: {iri}")


def _manifest(path: str) -> ox.Store:
    store = ox.Store()
    store.load(
        path=str(RDF_TESTS / path), format=ox.RdfFormat.TURTLE, base_iri=RDF_TESTS_URL + path
    )
    return store


def _one(store: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> ox.Term | None:
    for quad in store.quads_for_pattern(subject, ox.NamedNode(predicate), None):
        return quad.object
    return None


def _all(store: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> list[ox.Term]:
    return [q.object for q in store.quads_for_pattern(subject, ox.NamedNode(predicate), None)]


def _list(store: ox.Store, head: ox.Term | None) -> Iterator[ox.Term]:
    while isinstance(head, ox.BlankNode | ox.NamedNode) and head.value != RDF + "nil":
        first = _one(store, head, RDF + "first")
        if first is not None:
            yield first
        head = _one(store, head, RDF + "rest")


def _entries(manifest: str, seen: set[str]) -> Iterator[tuple[str, ox.Store, ox.NamedNode]]:
    """(manifest path, its graph, test) for every test of `manifest` and those it includes,
    except in the manifests of `seen` (to which those read are added)."""
    if manifest in seen:
        return
    seen.add(manifest)
    store = _manifest(manifest)
    me = ox.NamedNode(RDF_TESTS_URL + manifest)
    for include in _list(store, _one(store, me, MF + "include")):
        assert isinstance(include, ox.NamedNode)
        yield from _entries(include.value[len(RDF_TESTS_URL) :], seen)
    for entry in _list(store, _one(store, me, MF + "entries")):
        assert isinstance(entry, ox.NamedNode)
        yield manifest, store, entry


def _name(manifest: str, entry: ox.NamedNode) -> str:
    parts = manifest.split("/")
    # rdf-turtle/…, sparql10/cast/… (both SPARQL versions have a cast/ folder)
    folder = "/".join(parts[1:-1]) if parts[0] == "sparql" else parts[-2]
    local = entry.value.rpartition("#")[2] or entry.value.rstrip("/").rpartition("/")[2]
    return f"{folder}/{local}"


_KINDS = {
    "PositiveSyntax": "positive-syntax",
    "NegativeSyntax": "negative-syntax",
    "NegativeEval": "negative-eval",
    "Eval": "eval",
}


def _kind(type_iri: str) -> tuple[str, bool] | None:
    """(kind, update?) of a test type; None for the types mixity does not run."""
    local = type_iri.rpartition("#")[2]
    for marker, kind in _KINDS.items():
        if marker in local.replace("Update", ""):
            return kind, "Update" in local
    return None


@cache
def rdf_cases() -> tuple[Case, ...]:
    """Every test of the RDF 1.1 syntax suites mixity runs."""
    found: list[Case] = []
    seen: set[str] = set()
    for suite, (_, manifests) in RDF_SUITES.items():
        for manifest in manifests:
            for path, store, entry in _entries(manifest, seen):
                kind = _kind(str(_one(store, entry, RDF + "type")).strip("<>"))
                action = _one(store, entry, MF + "action")
                if kind is None or not isinstance(action, ox.NamedNode):
                    continue
                result = _one(store, entry, MF + "result")
                found.append(
                    Case(
                        suite,
                        _name(path, entry),
                        kind[0],
                        local_path(action.value),
                        action.value,
                        local_path(result.value) if isinstance(result, ox.NamedNode) else None,
                        result.value if isinstance(result, ox.NamedNode) else "",
                    )
                )
    return _unique(found)


@cache
def json_ld_cases() -> tuple[Case, ...]:
    """The JSON-LD 1.1 toRdf tests (those of JSON-LD 1.0 only are left out)."""
    manifest = json.loads((JSON_LD_TESTS / "toRdf-manifest.jsonld").read_text("utf-8"))
    found: list[Case] = []
    for test in manifest["sequence"]:
        options = test.get("option", {})
        if options.get("specVersion") == "json-ld-1.0":
            continue
        types = " ".join(test["@type"])
        kind = (
            "negative-eval"
            if "Negative" in types
            else "positive-syntax"
            if "PositiveSyntax" in types
            else "eval"
        )
        action = JSON_LD_TESTS / test["input"]
        expect = test.get("expect")
        found.append(
            Case(
                JSON_LD_SUITE[0],
                "toRdf/" + test["@id"].lstrip("#"),
                kind,
                action,
                options.get("base", JSON_LD_URL + test["input"]),
                JSON_LD_TESTS / expect if expect else None,
                options=tuple(sorted((k, str(v)) for k, v in options.items())),
            )
        )
    return _unique(found)


@cache
def sparql_cases() -> tuple[Case, ...]:
    """Every query syntax, update syntax and query evaluation test of the SPARQL suites run."""
    found: list[Case] = []
    seen: set[str] = set()  # syntax-query/ is also in the evaluation manifest: run it once
    for suite, (_, manifests) in SPARQL_SUITES.items():
        for manifest in manifests:
            for path, store, entry in _entries(manifest, seen):
                case = _sparql_case(suite, path, store, entry)
                if case is not None:
                    found.append(case)
    return _unique(found)


def _sparql_case(suite: str, path: str, store: ox.Store, entry: ox.NamedNode) -> Case | None:
    kind = _kind(str(_one(store, entry, RDF + "type")).strip("<>"))
    approval = str(
        _one(store, entry, "http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#approval")
    )
    if kind is None or "Withdrawn" in approval or "NotApproved" in approval:
        return None
    if kind == ("eval", True):
        return None  # SPARQL Update evaluation: not run (mixity's updates are a convenience)
    action = _one(store, entry, MF + "action")
    result = _one(store, entry, MF + "result")
    lax = str(_one(store, entry, MF + "resultCardinality")).endswith("LaxCardinality>")
    files = {
        "result": result.value if isinstance(result, ox.NamedNode) else "",
        "query": action.value if isinstance(action, ox.NamedNode) else "",
    }
    data: list[str] = []
    graph_data: list[str] = []
    if isinstance(action, ox.BlankNode):
        query = _one(store, action, QT + "query") or _one(
            store, action, "http://www.w3.org/2009/sparql/tests/test-update#request"
        )
        files["query"] = query.value if isinstance(query, ox.NamedNode) else ""
        data = [d.value for d in _all(store, action, QT + "data") if isinstance(d, ox.NamedNode)]
        graph_data = [str(g) for g in _all(store, action, QT + "graphData")]
        graph_data += [str(g) for g in _all(store, action, QT + "serviceData")]
    if not files["query"]:
        return None
    return Case(
        suite,
        _name(path, entry),
        kind[0],
        local_path(files["query"]),
        files["query"],
        local_path(files["result"]) if files["result"] else None,
        files["result"],
        tuple(local_path(d) for d in data),
        tuple(Path(g) for g in graph_data),
        update=kind[1],
        lax=lax,
    )


def _unique(cases: list[Case]) -> tuple[Case, ...]:
    ids = Counter(case.id for case in cases)
    twice = [name for name, count in ids.items() if count > 1]
    assert not twice, f"test ids used twice: {twice}"
    return tuple(cases)


# ---------------------------------------------------------------------------------------------
# Known deviations


@cache
def deviations() -> dict[tuple[str, str], str]:
    """(test id, engine) -> the reason it fails, from deviations.toml."""
    data = tomllib.loads((HERE / "deviations.toml").read_text("utf-8"))
    found: dict[tuple[str, str], str] = {}
    for item in data.get("deviation", []):
        engines = ENGINES if item["engine"] == "both" else (item["engine"],)
        for test in item["tests"]:
            for engine in engines:
                assert (test, engine) not in found, f"{test} ({engine}) listed twice"
                found[(test, engine)] = item["reason"]
    return found


def check(case: Case, engine: str, outcome: Outcome) -> str | None:
    """None if `outcome` is what deviations.toml expects, else what is wrong."""
    listed = deviations().get((case.id, engine))
    if outcome.status == "n/a":
        return f"not applicable, but listed as a deviation: {listed}" if listed else None
    if listed and outcome.passed:
        return f"listed as a deviation ({listed}), but passes: remove it from deviations.toml"
    if not listed and not outcome.passed:
        return f"fails, and is not a known deviation: {outcome.detail}"
    return None


# ---------------------------------------------------------------------------------------------
# RDF suites


def run_rdf(case: Case, engine: str) -> Outcome:
    """A syntax or evaluation test of an RDF suite, read as `engine`'s commands read files."""
    from mixity.errors import MixityError, UnsafeInput

    if case.suite == JSON_LD_SUITE[0]:
        why = _json_ld_not_applicable(case)
        if why:
            return not_applicable(why)
    try:
        triples = _read(case, engine)
    except UnsafeInput as exc:
        if case.suite == JSON_LD_SUITE[0]:
            return not_applicable("a context by reference: mixity never fetches one")
        return _refused(case, exc)
    except MixityError as exc:
        return _refused(case, exc)
    if case.kind.startswith("negative"):
        return fail(f"accepted {len(triples)} triples")
    if case.kind == "eval" and case.result is not None:
        if engine == "oxigraph" and _depends_on_location(case):
            return not_applicable(
                "the answer depends on the file's base IRI, and the store reads a file at its "
                "own file: URI (the loader, given the suite's base, is tested)"
            )
        return _same_graph(triples, _expected_triples(case))
    return PASS


def _depends_on_location(case: Case) -> bool:
    """Whether the file reads differently at its file: URI than at the suite's IRI."""
    from mixity.graph.io.loader import parse_file
    from mixity.graph.io.terms import triples_from_rdflib

    here = triples_from_rdflib(parse_file(case.action))
    there = triples_from_rdflib(parse_file(case.action, base_iri=case.base))
    return not _same_graph([_from_local(t) for t in here], there).passed


def _refused(case: Case, exc: Exception) -> Outcome:
    if case.kind.startswith("negative"):
        return PASS
    return fail(f"refused: {exc}")


def _read(case: Case, engine: str) -> list[ox.Triple]:
    """The triples of the test's file, named graphs merged, as mixity reads it."""
    if engine == "memory":
        from mixity.graph.io.loader import parse_file
        from mixity.graph.io.terms import triples_from_rdflib

        return triples_from_rdflib(parse_file(case.action, base_iri=case.base))
    from mixity.graph.store.oxigraph import memory_store

    # The store reads a file at its own file: URI; the suite's IRIs are put back below.
    store = memory_store([case.action], bundled=False, infer="none")
    return [_from_local(q.triple) for q in store]


def _json_ld_not_applicable(case: Case) -> str | None:
    options = dict(case.options)
    for option in ("expandContext", "produceGeneralizedRdf", "rdfDirection"):
        if option in options:
            return f"the JSON-LD option {option}, which mixity does not offer"
    if options.get("processingMode") == "json-ld-1.0":
        return "JSON-LD 1.0 processing mode"
    return None


def _expected_triples(case: Case) -> list[ox.Triple]:
    assert case.result is not None
    fmt = ox.RdfFormat.N_QUADS if case.result.suffix == ".nq" else ox.RdfFormat.N_TRIPLES
    # JSON-LD's expected output may hold generalised RDF; mixity's never does.
    lenient = case.suite == JSON_LD_SUITE[0]
    return [q.triple for q in ox.parse(path=str(case.result), format=fmt, lenient=lenient)]


def _same_graph(got: Sequence[ox.Triple], expected: Sequence[ox.Triple]) -> Outcome:
    """Compare as RDF graphs: terms exactly, blank nodes matched (named graphs merged before)."""
    mine, theirs = _canonical(got), _canonical(expected)
    if mine == theirs:
        return PASS
    only_mine = _sample("\n".join(map(str, mine - theirs)))
    only_theirs = _sample("\n".join(map(str, theirs - mine)))
    return fail(
        f"graphs differ: {len(mine - theirs)} triples only in mixity's ({only_mine}), "
        f"{len(theirs - mine)} only in the expected ({only_theirs})"
    )


def _canonical(triples: Iterable[ox.Triple]) -> set[ox.Quad]:
    """The graph with its blank nodes named by what they are linked to (RDF canonicalisation)."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def _sample(text: str) -> str:
    return " | ".join(text.strip().splitlines()[:2])[:200]


#: Where the vendored files are -> where the suites say they are.
_LOCAL_URLS = {RDF_TESTS.as_uri() + "/": RDF_TESTS_URL, JSON_LD_TESTS.as_uri() + "/": JSON_LD_URL}


def _local(term: ox.Term) -> ox.Term:
    """`term` with the IRIs of the vendored files replaced by the suite's own."""
    if isinstance(term, ox.NamedNode):
        for local, url in _LOCAL_URLS.items():
            if term.value.startswith(local):
                return ox.NamedNode(url + term.value[len(local) :])
    if isinstance(term, ox.Literal) and not term.language:
        datatype = _local(term.datatype)
        if datatype != term.datatype:
            return ox.Literal(term.value, datatype=datatype)  # type: ignore[arg-type]
    return term


def _from_local(triple: ox.Triple) -> ox.Triple:
    return ox.Triple(_local(triple.subject), _local(triple.predicate), _local(triple.object))  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# SPARQL suites


def run_sparql(case: Case, engine: str) -> Outcome:
    """A syntax or evaluation test of a SPARQL suite, run as `mixity query` runs a query."""
    from mixity.errors import MixityError, UpdateRefused

    text = case.action.read_bytes().decode("utf-8")
    why = _sparql_not_applicable(case, text)
    if why:
        return not_applicable(why)
    try:
        result = _query(case, engine, text)
    except UpdateRefused as exc:
        return not_applicable(f"refused by design: {exc.reason}")
    except MixityError as exc:
        if case.kind.startswith("negative"):
            return PASS
        return fail(f"refused: {exc}")
    if case.kind.startswith("negative"):
        return fail("accepted")
    if case.kind != "eval":
        return PASS
    return _compare(case, text, result)


def _sparql_not_applicable(case: Case, text: str) -> str | None:
    from mixity.graph.sparql.lexer import tokenize

    words = {t.text.upper() for t in tokenize(text) if t.kind == "word"}
    if "SERVICE" in words:
        return "SERVICE (federated query): mixity works offline"
    if case.kind != "eval":
        return None
    if case.graph_data or "FROM" in words:
        return "a dataset of named graphs: mixity merges every file into one default graph"
    if case.result is not None and case.result.suffix == ".csv":
        return "the expected answer is CSV, whose plain strings cannot be compared term by term"
    return None


def _query(case: Case, engine: str, text: str) -> object:
    from mixity.graph.sparql.engine import QueryEngine, check_query

    paths = case.data if case.kind == "eval" else ()
    query_engine = QueryEngine(paths, bundled=False, infer="none", store=engine)
    # What `mixity query` does: Oxigraph's parser first (milliseconds), then the engine.
    form = check_query(
        text, query_engine.prefixes, allow_update=case.update, origin=case.id, base=case.base
    )
    if case.update:
        # Update syntax is checked, not run: on an empty graph, DROP GRAPH <g> is an error.
        return form
    return query_engine.query(text, origin=case.id, base=case.base)


def _compare(case: Case, text: str, result: object) -> Outcome:
    from mixity.graph.sparql.results import QueryResult

    assert isinstance(result, QueryResult) and case.result is not None
    expected = _expected_answer(case)
    if result.kind == "graph":
        if not isinstance(expected, list) or (expected and not isinstance(expected[0], ox.Triple)):
            return fail(f"a graph, where the suite expects {type(expected).__name__}")
        return _same_graph([_from_local(t) for t in result.triples], expected)  # type: ignore[arg-type]
    if result.kind == "ask":
        if result.boolean == expected:
            return PASS
        return fail(f"ASK answered {result.boolean}, expected {expected}")
    if not isinstance(expected, Solutions):
        return fail(f"a table, where the suite expects {type(expected).__name__}")
    got = [
        {
            name: _local(term)
            for name, term in zip(result.variables, row, strict=True)
            if term is not None
        }
        for row in result.rows
    ]
    ordered = expected.ordered and re.search(r"\bORDER\s+BY\b", text, re.I) is not None
    return _same_solutions(got, expected.rows, ordered=ordered, lax=case.lax)


@dataclass
class Solutions:
    rows: list[dict[str, ox.Term]]
    ordered: bool


def _expected_answer(case: Case) -> bool | Solutions | list[ox.Triple]:
    assert case.result is not None
    suffix = case.result.suffix
    formats = {
        ".srx": ox.QueryResultsFormat.XML,
        ".srj": ox.QueryResultsFormat.JSON,
        ".tsv": ox.QueryResultsFormat.TSV,
    }
    if suffix in formats:
        parsed = ox.parse_query_results(path=str(case.result), format=formats[suffix])
        if isinstance(parsed, ox.QueryBoolean):
            return bool(parsed)
        names = [v.value for v in parsed.variables]
        rows = [
            {name: row[name] for name in names if row[name] is not None}  # type: ignore[misc]
            for row in parsed
        ]
        return Solutions(rows, ordered=True)
    fmt = ox.RdfFormat.RDF_XML if suffix == ".rdf" else ox.RdfFormat.TURTLE
    if suffix == ".nt":
        fmt = ox.RdfFormat.N_TRIPLES
    triples = [
        q.triple for q in ox.parse(path=str(case.result), format=fmt, base_iri=case.result_base)
    ]
    return _result_set(triples)


def _result_set(triples: list[ox.Triple]) -> bool | Solutions | list[ox.Triple]:
    """A result set written in RDF (the rs: vocabulary), or the graph itself."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    sets = [
        q.subject
        for q in store.quads_for_pattern(
            None, ox.NamedNode(RDF + "type"), ox.NamedNode(RS + "ResultSet")
        )
    ]
    if not sets:
        return triples
    boolean = _one(store, sets[0], RS + "boolean")  # type: ignore[arg-type]
    if isinstance(boolean, ox.Literal):
        return boolean.value == "true"
    rows: list[tuple[int, dict[str, ox.Term]]] = []
    for solution in _all(store, sets[0], RS + "solution"):  # type: ignore[arg-type]
        row: dict[str, ox.Term] = {}
        for binding in _all(store, solution, RS + "binding"):  # type: ignore[arg-type]
            name = _one(store, binding, RS + "variable")  # type: ignore[arg-type]
            value = _one(store, binding, RS + "value")  # type: ignore[arg-type]
            if isinstance(name, ox.Literal) and value is not None:
                row[name.value] = value
        index = _one(store, solution, RS + "index")  # type: ignore[arg-type]
        rows.append((int(index.value) if isinstance(index, ox.Literal) else 0, row))
    ordered = any(index for index, _ in rows)
    return Solutions([row for _, row in sorted(rows, key=lambda r: r[0])], ordered)


def _same_solutions(
    got: list[dict[str, ox.Term]],
    expected: list[dict[str, ox.Term]],
    *,
    ordered: bool,
    lax: bool,
) -> Outcome:
    """Compare two tables of solutions, blank nodes matched (as multisets unless ordered)."""
    got = [_normal(row) for row in got]
    expected = [_normal(row) for row in expected]
    if lax:
        # REDUCED may drop any duplicates: compare the distinct solutions.
        got, expected = _distinct(got), _distinct(expected)
    if len(got) != len(expected):
        return fail(f"{len(got)} solutions, expected {len(expected)}: {_diff(got, expected)}")
    # Blank nodes erased first: most differences show there, without a search.
    shapes = [_erased(row) for row in got], [_erased(row) for row in expected]
    if Counter(shapes[0]) != Counter(shapes[1]):
        return fail(f"different solutions: {_diff(got, expected)}")
    if ordered and shapes[0] != shapes[1]:
        return fail(f"solutions in another order: {_diff(got, expected)}")
    if not _match(got, expected, {}, ordered, [200_000]):
        return fail(f"blank nodes shared differently: {_diff(got, expected)}")
    return PASS


def _erased(row: dict[str, ox.Term]) -> frozenset[tuple[str, object]]:
    return frozenset((k, "_:" if isinstance(v, ox.BlankNode) else v) for k, v in row.items())


def _normal(row: dict[str, ox.Term]) -> dict[str, ox.Term]:
    """Language tags compare without case (BCP 47)."""
    return {
        name: ox.Literal(term.value, language=term.language.lower())
        if isinstance(term, ox.Literal) and term.language
        else term
        for name, term in row.items()
    }


def _distinct(rows: list[dict[str, ox.Term]]) -> list[dict[str, ox.Term]]:
    seen: list[dict[str, ox.Term]] = []
    for row in rows:
        if row not in seen:
            seen.append(row)
    return seen


def _match(
    got: list[dict[str, ox.Term]],
    expected: list[dict[str, ox.Term]],
    blanks: dict[str, str],
    ordered: bool,
    budget: list[int],
) -> bool:
    """Whether `got` equals `expected` under a one-to-one renaming of blank nodes (a bounded
    backtracking search: the suites' answers are small)."""
    if not got:
        return True
    budget[0] -= 1
    if budget[0] < 0:
        return False
    row, rest = got[0], got[1:]
    shape = _erased(row)
    candidates = [0] if ordered else range(len(expected))
    for i in candidates:
        if _erased(expected[i]) != shape:
            continue
        mapping = _row_match(row, expected[i], blanks)
        if mapping is not None and _match(
            rest, expected[:i] + expected[i + 1 :], mapping, ordered, budget
        ):
            return True
    return False


def _row_match(
    row: dict[str, ox.Term], other: dict[str, ox.Term], blanks: dict[str, str]
) -> dict[str, str] | None:
    mapping = dict(blanks)
    for name, term in row.items():
        expected = other[name]
        if isinstance(term, ox.BlankNode) and isinstance(expected, ox.BlankNode):
            known = mapping.get(term.value)
            if known is None:
                if expected.value in mapping.values():
                    return None
                mapping[term.value] = expected.value
            elif known != expected.value:
                return None
    return mapping


def _diff(got: list[dict[str, ox.Term]], expected: list[dict[str, ox.Term]]) -> str:
    def show(rows: Iterable[dict[str, ox.Term]]) -> str:
        return "; ".join(
            " ".join(f"?{k}={v}" for k, v in sorted(r.items())) for r in list(rows)[:3]
        )

    return f"mixity [{show(got)}] expected [{show(expected)}]"


# ---------------------------------------------------------------------------------------------
# The conformance table


def outcomes() -> dict[tuple[str, str], Outcome]:
    """(test id, engine) -> outcome, for every test of every suite (a minute or so)."""
    found: dict[tuple[str, str], Outcome] = {}
    for engine in ENGINES:
        for case in (*rdf_cases(), *json_ld_cases()):
            found[(case.id, engine)] = run_rdf(case, engine)
        for case in sparql_cases():
            found[(case.id, engine)] = run_sparql(case, engine)
    return found


def suites() -> list[tuple[str, str, tuple[Case, ...]]]:
    """(suite, title, tests) in the order of the conformance table."""
    everything = (*rdf_cases(), *json_ld_cases(), *sparql_cases())
    titles = {name: title for name, (title, _) in (*RDF_SUITES.items(), *SPARQL_SUITES.items())}
    titles[JSON_LD_SUITE[0]] = JSON_LD_SUITE[1]
    return [
        (name, title, tuple(c for c in everything if c.suite == name))
        for name, title in titles.items()
    ]
