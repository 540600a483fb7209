"""The start-up cache of the bundled graph: written once, reused, never trusted when damaged."""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from mixity.cli import main
from mixity.graph.sparql.engine import QueryEngine, declared_prefixes
from mixity.graph.store import cache
from mixity.graph.store.oxigraph import memory_store

REPO = Path(__file__).resolve().parents[1]
EXTENSION = REPO / "examples" / "extension.ttl"
STALE = b"<urn:x:stale> <urn:x:stale> <urn:x:stale> .\n"

# Blank nodes, a sub-property and a sub-class of bundled terms: the closure of the whole
# needs the bundled schema and the extension together.
BLANK_EXTENSION = """\
@prefix ibis: <https://vocab.methodandstructure.com/ibis#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <urn:x:> .

ex:answers rdfs:subPropertyOf ibis:responds-to .
[ rdfs:label "une position anonyme"@fr ] ex:answers [ rdfs:label "une question"@fr ] .
ex:Doubt rdfs:subClassOf ibis:Issue .
ex:doubt a ex:Doubt .
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, used by every engine of the test."""
    path = tmp_path / "cache"
    monkeypatch.setenv("MIXITY_CACHE_DIR", str(path))
    return path


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("graph-*.nt"))


def the_entry(folder: Path) -> Path:
    found = entries(folder)
    assert len(found) == 1, found
    return found[0]


def query(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(main, ["query", *args])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def canonical(engine: QueryEngine) -> list[str]:
    """Every triple of the engine's graph as sorted N-Quads, blank nodes canonically named."""
    result = engine.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    return canonical_quads(ox.Quad(t.subject, t.predicate, t.object) for t in result.triples)


def canonical_quads(quads: Iterable[ox.Quad]) -> list[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(dataset).splitlines())


def stats(path: Path) -> tuple[int, int, int]:
    found = path.stat()
    return found.st_ino, found.st_mtime_ns, found.st_size


# -- written once, then reused ----------------------------------------------------------------


def test_first_query_writes_the_cache_and_the_next_reuse_it(
    runner: CliRunner, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = query(runner, "levers", "--format", "csv")
    assert first.exit_code == 0, first.stderr
    entry = the_entry(folder)
    before = stats(entry)
    again = query(runner, "levers", "--format", "csv")
    assert again.exit_code == 0
    assert stats(entry) == before  # read, not rewritten
    assert again.stdout == first.stdout and again.stderr == first.stderr
    monkeypatch.setenv("MIXITY_CACHE_DIR", "off")
    uncached = query(runner, "levers", "--format", "csv")
    assert uncached.stdout == first.stdout
    assert entries(folder) == [entry]


def test_one_entry_serves_both_inference_modes(runner: CliRunner, folder: Path) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    rdfs = query(runner, count, "--format", "csv")
    entry = the_entry(folder)
    before = stats(entry)
    plain = query(runner, count, "--format", "csv", "--infer", "none")
    assert rdfs.exit_code == plain.exit_code == 0
    assert int(rdfs.stdout.split()[1]) > int(plain.stdout.split()[1]) > 1000
    assert stats(entry) == before


@pytest.mark.parametrize("infer", ["rdfs", "none"])
@pytest.mark.parametrize("extension", ["", "example", "blank nodes"])
def test_same_graph_with_and_without_the_cache(
    infer: str, extension: str, tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths: list[Path] = []
    if extension == "example":
        paths = [EXTENSION]
    elif extension == "blank nodes":
        paths = [tmp_path / "blank.ttl"]
        paths[0].write_text(BLANK_EXTENSION, encoding="utf-8")
    # The reference: every file parsed and the whole closed at once, as before the cache.
    reference = canonical_quads(memory_store(paths, infer=infer))
    monkeypatch.setenv("MIXITY_CACHE_DIR", "off")
    uncached = canonical(QueryEngine(paths, infer=infer))
    monkeypatch.setenv("MIXITY_CACHE_DIR", str(folder))
    cold = canonical(QueryEngine(paths, infer=infer))
    entry = the_entry(folder)
    before = stats(entry)
    warm = canonical(QueryEngine(paths, infer=infer))
    assert stats(entry) == before
    assert uncached == reference
    assert cold == reference
    assert warm == reference
    if extension and infer == "rdfs":
        # The extension's triples were closed with the bundled schema.
        assert any("urn:x:doubt" in q or "my-research" in q for q in warm)
        assert len(warm) > len(canonical(QueryEngine([], infer=infer)))


def test_prefixes_are_the_same_with_and_without_the_cache(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIXITY_CACHE_DIR", "off")
    reference = declared_prefixes([EXTENSION])
    engine_prefixes = QueryEngine([EXTENSION]).prefixes
    monkeypatch.setenv("MIXITY_CACHE_DIR", str(folder))
    assert cache.cached_prefixes() is None  # nothing cached yet: read from the files
    assert declared_prefixes([EXTENSION]) == reference
    assert QueryEngine([EXTENSION]).prefixes == engine_prefixes
    assert cache.cached_prefixes() is not None
    assert declared_prefixes([EXTENSION]) == reference
    assert QueryEngine([EXTENSION]).prefixes == engine_prefixes


# -- damaged entries ---------------------------------------------------------------------------


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _garbage(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(range(256)) + data[middle + 256 :]


def _wrong_checksum(data: bytes) -> bytes:
    first, _, rest = data.partition(b"\n")
    flipped = first[:-1] + (b"0" if first[-1:] != b"0" else b"1")
    return flipped + b"\n" + rest


def _unparsable_payload(data: bytes) -> bytes:
    # A valid checksum and header over a payload that is not N-Triples.
    entry = cache.Entry.from_bytes(data)
    assert entry is not None
    entry.payload = b"<urn:x:a> <urn:x:b> this is not N-Triples\n" + entry.payload
    entry.asserted += 42
    return entry.to_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        _truncate,
        _garbage,
        _wrong_checksum,
        _unparsable_payload,
        lambda data: b"",
        lambda data: b"\x00\xff" * 1000,
    ],
    ids=["truncated", "garbage", "wrong checksum", "unparsable", "empty", "binary"],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(
    damage: object, runner: CliRunner, folder: Path
) -> None:
    assert callable(damage)
    good = query(runner, "levers", "--format", "csv")
    entry = the_entry(folder)
    intact = entry.read_bytes()
    damaged = damage(intact)
    assert isinstance(damaged, bytes) and damaged != intact
    entry.write_bytes(damaged)
    result = query(runner, "levers", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == good.stdout and result.stderr == good.stderr
    # Rewritten, with a checksum that verifies (checked here independently of the module).
    data = the_entry(folder).read_bytes()
    assert data != damaged
    first, _, body = data.partition(b"\n")
    assert first == b"# mixity-cache 1 " + f"{zlib.crc32(body):08x}".encode()
    rebuilt = cache.read_entry(the_entry(folder))
    assert rebuilt is not None and rebuilt.store("rdfs") is not None


def test_a_damaged_entry_gives_the_same_graph(folder: Path) -> None:
    reference = canonical(QueryEngine([EXTENSION]))
    entry = the_entry(folder)
    entry.write_bytes(_garbage(entry.read_bytes()))
    assert canonical(QueryEngine([EXTENSION])) == reference
    assert cache.read_entry(entry) is not None


# -- stale entries -----------------------------------------------------------------------------


def _poisoned(entry: cache.Entry) -> cache.Entry:
    """The entry with one more triple, which a query must never see."""
    return cache.Entry(
        entry.payload + STALE,
        entry.asserted,
        entry.prefixes,
        key=entry.key,
        files=entry.files,
        checked=entry.checked,
    )


def _sees_stale() -> bool:
    result = QueryEngine([]).query("ASK { <urn:x:stale> ?p ?o }")
    return bool(result.boolean)


def test_the_key_changes_with_the_version_and_every_byte() -> None:
    files = [("a.ttl", b"<urn:x:a> <urn:x:b> <urn:x:c> .\n"), ("b.ttl", b"")]
    key = cache.cache_key(files)
    assert cache.cache_key(list(files)) == key
    assert cache.cache_key(files, version="0.0.0-other") != key
    assert cache.cache_key([files[0], ("b.ttl", b" ")]) != key
    assert cache.cache_key([("c.ttl", files[0][1]), files[1]]) != key


def test_an_entry_of_another_version_is_not_used(folder: Path) -> None:
    QueryEngine([])
    path = the_entry(folder)
    entry = cache.read_entry(path)
    assert entry is not None
    files = cache._bundled_files()
    poisoned = _poisoned(entry)
    poisoned.key = cache.cache_key(
        ((name, item.read_bytes()) for name, item in files), version="0.0.0-other"
    )
    poisoned.files, _ = cache.signature(files, version="0.0.0-other")
    assert cache.write_entry(path, poisoned)
    assert not _sees_stale()
    rebuilt = cache.read_entry(path)
    assert rebuilt is not None and rebuilt.key == entry.key


def test_an_entry_of_other_file_contents_is_not_used(folder: Path) -> None:
    QueryEngine([])
    path = the_entry(folder)
    entry = cache.read_entry(path)
    assert entry is not None
    files = cache._bundled_files()
    poisoned = _poisoned(entry)
    # As written when the first bundled file had other bytes (and so another size).
    contents = [(name, item.read_bytes()) for name, item in files]
    contents[0] = (contents[0][0], contents[0][1] + b"\n# edited\n")
    poisoned.key = cache.cache_key(contents)
    name, size, rest = entry.files.split(";")[1].split(":", 2)
    poisoned.files = entry.files.replace(f"{name}:{size}:{rest}", f"{name}:{int(size) + 10}:{rest}")
    assert poisoned.files != entry.files
    assert cache.write_entry(path, poisoned)
    assert not _sees_stale()
    rebuilt = cache.read_entry(path)
    assert rebuilt is not None and rebuilt.key == entry.key


def test_files_changed_near_the_signature_time_are_hashed(folder: Path) -> None:
    QueryEngine([])
    path = the_entry(folder)
    entry = cache.read_entry(path)
    assert entry is not None
    _, latest = cache.signature(cache._bundled_files())
    # Same signature, but taken within 2 s of a file's change: the key must be recomputed,
    # and this one is another version's.
    poisoned = _poisoned(entry)
    poisoned.key = "0" * 64
    poisoned.checked = latest + 1_000_000_000
    assert cache.write_entry(path, poisoned)
    assert not _sees_stale()
    rebuilt = cache.read_entry(path)
    assert rebuilt is not None and rebuilt.key == entry.key


def test_a_renewed_signature_is_recorded_once(folder: Path) -> None:
    QueryEngine([])
    path = the_entry(folder)
    entry = cache.read_entry(path)
    assert entry is not None
    entry.files = entry.files.replace(";", ";x", 1)  # as if a file had been reinstalled
    assert cache.write_entry(path, entry)
    reference = canonical(QueryEngine([]))
    renewed = cache.read_entry(path)
    assert renewed is not None and renewed.files != entry.files
    before = stats(path)
    assert canonical(QueryEngine([])) == reference
    assert stats(path) == before


# -- where the cache lives ---------------------------------------------------------------------


def test_a_folder_that_cannot_be_created_leaves_the_graph_in_memory(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIXITY_CACHE_DIR", "off")
    reference = query(runner, "levers", "--format", "csv")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("MIXITY_CACHE_DIR", str(blocker / "cache"))
    result = query(runner, "levers", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout == reference.stdout and result.stderr == reference.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_home_leaves_the_graph_in_memory(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    monkeypatch.delenv("MIXITY_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    try:
        result = query(runner, "levers", "--format", "csv")
        assert result.exit_code == 0 and "lever:" in result.stdout
        assert list(home.iterdir()) == []
    finally:
        home.chmod(0o700)


def test_no_temporary_file_is_left_behind(folder: Path) -> None:
    QueryEngine([])
    QueryEngine([], infer="none")
    assert [p.name for p in folder.iterdir()] == [the_entry(folder).name]


def test_the_cache_can_be_turned_off(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIXITY_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() is None
    result = query(runner, "levers", "--format", "csv")
    assert result.exit_code == 0
    assert list(tmp_path.iterdir()) == []


def test_where_the_cache_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MIXITY_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("MIXITY_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "mixity"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "mixity"
    for value in ("off", "OFF", "0", "none"):
        monkeypatch.setenv("MIXITY_CACHE_DIR", value)
        assert cache.cache_dir() is None
