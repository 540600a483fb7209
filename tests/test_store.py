"""The Oxigraph store: in memory, on disk (`mixity load`), and every bad file a user can give it."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from mixity.cli import main
from mixity.errors import (
    MixityError,
    ParseError,
    SourceNotFound,
    TurtleSyntaxError,
    UnsafeInput,
)
from mixity.graph import BuiltStore
from mixity.graph.store.oxigraph import META_FILE, build_store, memory_store, open_store, store_info
from mixity.namespaces import ID, MIX, PREFIXES

IBIS = PREFIXES["ibis"]
SCHEMA = PREFIXES["schema"]
EX = "urn:x:"
REPO = Path(__file__).resolve().parents[1]


def _bench_synth() -> Any:
    # By path: `import bench.synth` would depend on the working directory (and on whatever
    # else is called `bench` there).
    spec = importlib.util.spec_from_file_location("mixity_bench_synth", REPO / "bench" / "synth.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SYNTH = _bench_synth()


def synth(path: Path, triples: int, seed: int = 0) -> Path:
    """`bench.synth.write`: a debate-shaped N-Triples file of exactly `triples` triples."""
    written = _SYNTH.write(path, triples, seed)
    assert isinstance(written, Path)
    return written


EXTENSION = f"""@prefix mix: <{MIX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ext: <{EX}> .
ext:q a mix:Question ; rdfs:label "Qui décide ?"@fr , "Who decides?"@en .
"""


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def ask(store: ox.Store, pattern: str) -> bool:
    return bool(store.query(f"ASK {{ {pattern} }}", prefixes=PREFIXES))


def count(store: ox.Store, where: str) -> int:
    answer = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", prefixes=PREFIXES)
    assert isinstance(answer, ox.QuerySolutions)
    value = next(answer)["n"]
    assert isinstance(value, ox.Literal)
    return int(value.value)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- in memory --------------------------------------------------------------------------------


def test_memory_store_of_the_bundled_graph_is_rdfs_closed() -> None:
    store = memory_store()
    assert ask(store, f"<{ID}question/definir-mixite> a ibis:Issue")
    assert count(store, "?x a schema:Event") > count(store, "?x a mix:Meeting")
    assert next(store.named_graphs(), None) is None
    plain = memory_store(infer="none")
    assert not ask(plain, f"<{ID}question/definir-mixite> a ibis:Issue")
    assert ask(plain, f"<{ID}question/definir-mixite> a mix:Question")


def test_memory_store_with_an_extension_in_every_format(tmp_path: Path) -> None:
    folder = tmp_path / "ext"
    folder.mkdir()
    write(folder / "a.ttl", EXTENSION)
    # mix:raisedAt has no domain since 0.2.0 (issue 10): ibis:responds-to still has both
    write(folder / "b.nt", f"<{EX}b> <{IBIS}responds-to> <{EX}event> .\n")
    write(folder / "c.trig", f"<{EX}g> {{ <{EX}c> a <{MIX}Workshop> . }}\n")
    write(folder / "d.nq", f"<{EX}d> <{PREFIXES['rdf']}type> <{MIX}Talk> <{EX}g2> .\n")
    write(
        folder / "e.jsonld",
        json.dumps({"@context": {"mix": MIX}, "@id": f"{EX}e", "@type": "mix:Lever"}),
    )
    write(
        folder / "f.rdf",
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        f' xmlns:mix="{MIX}"><mix:Meeting rdf:about="{EX}f"/></rdf:RDF>\n',
    )
    write(folder / "g.ttl", b"\xef\xbb\xbf" + f"<{EX}g> a <{MIX}Question> .\n".encode())
    store = memory_store([folder])
    # Every file lands in the default graph, and RDFS applies across files and the ontology.
    assert next(store.named_graphs(), None) is None
    assert ask(store, f"<{EX}q> a ibis:Issue")
    assert ask(store, f"<{EX}g> a ibis:Issue")
    assert ask(store, f"<{EX}b> a ibis:Position . <{EX}event> a ibis:Issue")  # domain, range
    for name in "cdf":
        assert ask(store, f"<{EX}{name}> a schema:Event"), name
    assert ask(store, f"<{EX}e> a ibis:Position")
    assert ask(store, f'<{EX}q> rdfs:label "Qui décide ?"@fr')
    # The bundled graph is still there.
    assert ask(store, f"<{ID}question/definir-mixite> a ibis:Issue")
    only = memory_store([folder / "a.ttl"], bundled=False)
    assert not ask(only, f"<{ID}question/definir-mixite> ?p ?o")


def test_the_store_module_does_not_import_rdflib(tmp_path: Path) -> None:
    # Turtle, TriG, N-Triples and N-Quads are parsed by Oxigraph: rdflib stays out.
    folder = tmp_path / "ext"
    folder.mkdir()
    write(folder / "a.ttl", EXTENSION)
    write(folder / "b.nq", f"<{EX}b> <{EX}p> <{EX}c> <{EX}g> .\n")
    code = (
        "import sys\n"
        "from mixity.graph.store.oxigraph import memory_store\n"
        "store = memory_store([sys.argv[1]])\n"
        "assert 'rdflib' not in sys.modules, 'rdflib imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_paths_are_expanded_like_every_other_command(tmp_path: Path) -> None:
    from mixity.graph.io.files import expand_paths

    write(tmp_path / "b.ttl", EXTENSION)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "a.NT", "")
    write(tmp_path / "sub" / "notes.txt", "")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git" / "c.ttl", "")
    (tmp_path / "empty").mkdir()
    write(tmp_path / "x.csv", "")
    assert list(expand_paths([tmp_path])) == [tmp_path / "b.ttl", tmp_path / "sub" / "a.NT"]
    for case, error in [
        (tmp_path / "missing.ttl", "no such file or directory"),
        (tmp_path / "empty", "folder holds no RDF file"),
        (tmp_path / "x.csv", "unknown RDF extension '.csv'"),
    ]:
        with pytest.raises(MixityError, match=error):
            list(expand_paths([case]))


# --- bad input --------------------------------------------------------------------------------


def expect(kind: type[MixityError], path: Path, message: str) -> MixityError:
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(kind) as caught:
        memory_store([path])
    assert message in str(caught.value), str(caught.value)
    if before is not None:
        assert path.read_bytes() == before
    return caught.value


def test_turtle_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "ext.ttl", "@prefix ex: <urn:x:> .\n\nex:a ex:b ex:c .\nex:d ex:e\n")
    error = expect(TurtleSyntaxError, path, "ext.ttl:4:10: ")
    assert isinstance(error, TurtleSyntaxError)
    assert (error.line, error.column) == (4, 10)
    assert "Parser error" not in error.reason and "(line" not in error.reason


def test_columns_count_characters_not_bytes(tmp_path: Path) -> None:
    text = '@prefix ex: <urn:x:> .\nex:é ex:b "ééé" ; ex:c <bad iri> .\n'
    error = expect(TurtleSyntaxError, write(tmp_path / "x.ttl", text), "x.ttl:2:25: ")
    assert "invalid IRI <bad iri>" in str(error)


def test_ntriples_and_nquads_errors_name_the_line(tmp_path: Path) -> None:
    good = f"<{EX}a> <{EX}b> <{EX}c> .\n"
    expect(
        TurtleSyntaxError, write(tmp_path / "x.nt", good + f"<{EX}a> <{EX}b> nope .\n"), "x.nt:2:"
    )
    expect(TurtleSyntaxError, write(tmp_path / "x.nq", good + f"<{EX}a> <{EX}b> .\n"), "x.nq:2:")


def test_undeclared_prefix_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "p.ttl", "@prefix ex: <urn:x:> .\nex:a ex:b nope:c .\n")
    expect(TurtleSyntaxError, path, "p.ttl:2:11: The prefix nope: has not been declared")


def test_invalid_utf8_points_at_the_byte(tmp_path: Path) -> None:
    path = write(
        tmp_path / "latin1.ttl",
        '@prefix ex: <urn:x:> .\nex:a ex:b "Mixit\xe9" .\n'.encode("latin-1"),
    )
    error = expect(ParseError, path, "latin1.ttl:2:17: invalid UTF-8 byte 0xe9")
    assert not isinstance(error, TurtleSyntaxError)


def test_binary_and_json_named_ttl(tmp_path: Path) -> None:
    expect(ParseError, write(tmp_path / "bin.ttl", b"\x89PNG\r\n\x1a\n\x00\x00"), "binary file")
    expect(TurtleSyntaxError, write(tmp_path / "data.ttl", '{"a": [1, 2]}\n'), "data.ttl:1:1:")


def test_missing_file_and_empty_folder(tmp_path: Path) -> None:
    expect(SourceNotFound, tmp_path / "missing.ttl", "missing.ttl: no such file or directory")
    (tmp_path / "empty").mkdir()
    expect(SourceNotFound, tmp_path / "empty", "folder holds no RDF file")


def test_rdfxml_entity_bomb_is_refused(tmp_path: Path) -> None:
    levels = "\n".join(
        f'<!ENTITY l{i} "{"".join(f"&l{i - 1};" for _ in range(10))}">' for i in range(1, 10)
    )
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY l0 "ha">\n'
        f"{levels}\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:x="urn:x:">'
        '<rdf:Description rdf:about="urn:x:a"><x:b>&l9;</x:b></rdf:Description></rdf:RDF>\n'
    )
    expect(UnsafeInput, write(tmp_path / "bomb.rdf", bomb), "bomb.rdf:4:1: entity 'l1'")


def test_remote_jsonld_context_is_refused(tmp_path: Path) -> None:
    doc = {"@context": "https://schema.org/", "@id": "urn:x:a", "name": "x"}
    expect(UnsafeInput, write(tmp_path / "r.jsonld", json.dumps(doc)), "https://schema.org/")


def test_deep_lists_load_and_ill_typed_literals_are_kept(tmp_path: Path) -> None:
    deep = "@prefix ex: <urn:x:> .\nex:a ex:b " + "( " * 5000 + ")" * 5000 + " .\n"
    ill = '<urn:x:a> <urn:x:n> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    store = memory_store(
        [write(tmp_path / "deep.ttl", deep), write(tmp_path / "ill.nt", ill)], bundled=False
    )
    assert ask(store, '<urn:x:a> <urn:x:n> "abc"^^xsd:integer')


# --- persistent store -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synth_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth(tmp_path_factory.mktemp("synth") / "g.nt", 5_000, seed=1)


def test_synth_is_exact_and_deterministic(tmp_path: Path, synth_file: Path) -> None:
    again = synth(tmp_path / "again.nt", 5_000, seed=1)
    assert again.read_bytes() == synth_file.read_bytes()
    assert synth(tmp_path / "other.nt", 5_000, seed=2).read_bytes() != again.read_bytes()
    store = memory_store([synth_file], bundled=False, infer="none")
    assert len(store) == 5_000  # distinct triples, exactly as many as asked
    for cls in ("Meeting", "Workshop", "Talk", "Question", "Lever", "Notion", "ActorType"):
        assert count(store, f"?x a mix:{cls}") > 0, cls
    assert count(store, "?n skos:broader/skos:broader ?top") > 0
    assert count(store, "?e oa:hasSelector/oa:exact ?quote") > 0


def test_build_then_open_gives_the_same_answers_as_memory(tmp_path: Path, synth_file: Path) -> None:
    target = tmp_path / "store"
    steps: list[str] = []
    built = build_store([synth_file], target, progress=lambda step, n, s: steps.append(step))
    assert isinstance(built, BuiltStore) and built.folder == target
    assert built.infer == "rdfs" and built.inferred > 0 and built.bundled
    assert built.triples == built.asserted + built.inferred
    assert [s.path for s in built.user_sources] == [str(synth_file)]
    assert built.user_sources[0].triples == 5_000 and built.user_sources[0].format == "nt"
    assert sum(s.triples or 0 for s in built.sources) == built.asserted
    assert built.prefixes["mix"] == MIX and built.seconds > 0
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.triples = 0  # type: ignore[misc]
    assert any(step.startswith("loaded the bundled graph") for step in steps)
    meta = store_info(target)
    assert meta == json.loads((target / META_FILE).read_text("utf-8"))
    stored_counts = (meta["triples"], meta["asserted"], meta["inferred"], meta["infer"])
    assert stored_counts == (built.triples, built.asserted, built.inferred, built.infer)
    assert [f["path"] for f in meta["files"]] == [s.path for s in built.sources]
    stored = open_store(target)
    memory = memory_store([synth_file])
    for where in (
        "?x a schema:Event",
        "?x a ibis:Issue",
        "?l mix:involves ?a ; mix:proposedAt ?w . ?w schema:superEvent ?m",
        "?n skos:broader* ?top . ?top skos:topConceptOf ?s",
        "?x ?p ?o",
    ):
        assert count(stored, where) == count(memory, where), where
    assert len(stored) == built.triples
    # A second reader at the same time, and no leftover temporary folder beside the store.
    assert count(open_store(target), "?x a ibis:Issue") == count(stored, "?x a ibis:Issue")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_a_second_process_queries_the_store(tmp_path: Path) -> None:
    target = tmp_path / "store"
    build_store([write(tmp_path / "ext.ttl", EXTENSION)], target)
    code = (
        "import sys\n"
        "from mixity.graph.store.oxigraph import open_store\n"
        "store = open_store(sys.argv[1])\n"
        "print(bool(store.query('ASK { <urn:x:q> a <%s> }')))\n"
        "assert 'rdflib' not in sys.modules\n" % (IBIS + "Issue")
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(target)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
    # And through the command line, as a researcher would.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mixity",
            "query",
            "--store-dir",
            str(target),
            "--format",
            "csv",
            "SELECT ?x WHERE { ?x a ibis:Issue } ORDER BY ?x",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "urn:x:q" in done.stdout.splitlines()[1:]


def test_infer_none_store(tmp_path: Path) -> None:
    target = tmp_path / "store"
    built = build_store([write(tmp_path / "ext.ttl", EXTENSION)], target, infer="none")
    assert built.inferred == 0 and built.infer == "none" and built.triples == built.asserted
    store = open_store(target)
    assert ask(store, f"<{EX}q> a mix:Question")
    assert not ask(store, f"<{EX}q> a ibis:Issue")


def test_rebuilding_replaces_the_store(tmp_path: Path) -> None:
    target = tmp_path / "store"
    build_store([write(tmp_path / "ext.ttl", EXTENSION)], target)
    build_store([], target)
    assert not ask(open_store(target), f"<{EX}q> ?p ?o")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ext.ttl", "store"]


def test_a_failed_build_leaves_the_old_store_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "store"
    build_store([write(tmp_path / "ext.ttl", EXTENSION)], target)
    before = snapshot(target)
    bad = write(tmp_path / "bad.ttl", "@prefix ex: <urn:x:> .\nex:a ex:b\n")
    # The synthetic file is valid: the error comes after a real load has started.
    good = synth(tmp_path / "g.nt", 2_000)
    with pytest.raises(TurtleSyntaxError):
        build_store([good, bad], target)
    assert snapshot(target) == before
    assert ask(open_store(target), f"<{EX}q> a ibis:Issue")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "ext.ttl", "g.nt", "store"]


def test_a_folder_that_is_not_a_store_is_refused_untouched(tmp_path: Path) -> None:
    target = tmp_path / "thesis"
    target.mkdir()
    write(target / "chapter1.md", "Mon travail de thèse.\n")
    before = snapshot(target)
    with pytest.raises(MixityError, match="not empty and is not a mixity store"):
        build_store([], target)
    assert snapshot(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]
    with pytest.raises(MixityError, match="not a mixity store"):
        open_store(target)


def test_an_empty_folder_becomes_a_store(tmp_path: Path) -> None:
    target = tmp_path / "empty"
    target.mkdir()
    build_store([], target)
    assert (target / META_FILE).is_file()
    assert oct(target.stat().st_mode & 0o777) == oct(0o777 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_open_store_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFound, match="no such store"):
        open_store(tmp_path / "missing")
    write(tmp_path / "file", "x")
    with pytest.raises(MixityError, match="not a folder"):
        open_store(tmp_path / "file")
    target = tmp_path / "store"
    build_store([], target, infer="none")
    meta = json.loads((target / META_FILE).read_text("utf-8"))
    write(target / META_FILE, json.dumps({**meta, "store_format": 999}))
    with pytest.raises(MixityError, match="another version of mixity"):
        open_store(target)


def test_unknown_inference_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MixityError, match="owlrl"):
        memory_store(infer="owlrl")
    with pytest.raises(MixityError, match="owlrl"):
        build_store([], tmp_path / "s", infer="owlrl")
    assert not (tmp_path / "s").exists()


# --- the command ------------------------------------------------------------------------------


def test_load_command_builds_a_store(runner: CliRunner, tmp_path: Path) -> None:
    ext = write(tmp_path / "ext.ttl", EXTENSION)
    target = tmp_path / "store"
    result = runner.invoke(main, ["load", str(ext), "--store-dir", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Stored ")
    assert "inferred by RDFS" in result.stdout and "the bundled graph and 1 file" in result.stdout
    assert "loaded the bundled graph" in result.stderr and f"loaded {ext}" in result.stderr
    assert "triples" in result.stderr
    assert ask(open_store(target), f"<{EX}q> a ibis:Issue")


def test_load_command_infer_none_and_no_bundled(runner: CliRunner, tmp_path: Path) -> None:
    ext = write(tmp_path / "ext.ttl", EXTENSION)
    target = tmp_path / "store"
    result = runner.invoke(
        main, ["load", str(ext), "--store-dir", str(target), "--infer", "none", "--no-bundled"]
    )
    assert result.exit_code == 0, result.stderr
    assert "Stored 3 triples (3 asserted) from 1 file" in result.stdout
    assert store_info(target)["bundled"] is False


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.ttl", "@prefix ex: <urn:x:> .\nex:a ex:b\n", "bad.ttl:2:10: "),
        ("latin1.ttl", b'<urn:x:a> <urn:x:b> "\xe9" .\n', "latin1.ttl:1:22: invalid UTF-8"),
        ("r.jsonld", json.dumps({"@context": "http://x.org/c", "@id": "urn:x:a"}), "not fetched"),
    ],
)
def test_load_command_reports_bad_files_cleanly(
    runner: CliRunner, tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    path = write(tmp_path / name, content)
    before = path.read_bytes()
    target = tmp_path / "store"
    result = runner.invoke(main, ["load", str(path), "--store-dir", str(target)])
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("mixity: error:") == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_load_command_refuses_a_non_store_folder(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "notes"
    target.mkdir()
    write(target / "todo.txt", "keep me\n")
    result = runner.invoke(main, ["load", "--store-dir", str(target)])
    assert result.exit_code == 1
    assert "not empty and is not a mixity store" in result.stderr
    assert (target / "todo.txt").read_text("utf-8") == "keep me\n"
    assert [p.name for p in target.iterdir()] == ["todo.txt"]


def test_load_command_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["load", "--store-dir", str(tmp_path / "s"), "--no-bundled"])
    assert result.exit_code == 2 and "nothing to load" in result.stderr
    result = runner.invoke(main, ["load", str(tmp_path)])
    assert result.exit_code == 2 and "--store-dir" in result.stderr
    assert not (tmp_path / "s").exists()
