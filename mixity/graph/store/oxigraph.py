"""The embedded Oxigraph store: the bundled graph and users' files in memory or on disk.

rdflib's in-memory store takes ~35 s to load a million triples and seconds per join; Oxigraph
(Rust, through pyoxigraph) loads them in a few seconds and answers in a fraction of one
(PERF-NOTES). `memory_store` builds a store for one process; `build_store` writes a persistent
store once (`mixity load`) that `open_store` reopens read-only in milliseconds.

Every syntax but N3 is parsed by Oxigraph, as every other command parses it
(`mixity.graph.io.parse`): Turtle, TriG, N-Triples and N-Quads stream from the file into the
store; RDF/XML and JSON-LD are checked first (no DTD entities, no remote contexts, bounded
nesting). N3 goes through the rdflib loader (`mixity.graph.io.loader.parse_file`), the only
reason this module would import rdflib. Every triple lands in the default graph (named graphs
of TriG / N-Quads are merged into it, as the loader does), so a query sees one graph. RDFS
entailment (`mixity.graph.store.entailment`) is materialised on load.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox

from mixity import __version__
from mixity.errors import InvalidParameter, MixityError, SourceNotFound
from mixity.graph.io.files import FORMATS, bundled_files, expand_paths, read_bytes
from mixity.graph.io.parse import OXIGRAPH_FORMATS, file_base, parse_rdf, syntax_error
from mixity.graph.store.entailment import materialize_rdfs_store
from mixity.graph.store.folder import check_target, swap, work_folder

Infer = Literal["rdfs", "none"]

#: Inference modes a store supports (OWL 2 RL needs rdflib + owlrl: not on this path).
INFER_MODES: tuple[str, ...] = ("rdfs", "none")

#: The file that marks a folder as a mixity store, beside the Oxigraph database folder.
META_FILE = "mixity-store.json"
DATABASE_DIR = "oxigraph"
#: Bumped when the layout or the meaning of a store changes: older stores must be rebuilt.
STORE_FORMAT = 1

#: Syntaxes Oxigraph streams from the file into the store (no check needed before).
STREAMED_FORMATS = ("turtle", "trig", "nt", "nquads")

_BOM = b"\xef\xbb\xbf"
_PREFIX_DECL = re.compile(
    rb"^[ \t]*(?:@prefix|PREFIX)[ \t]+([A-Za-z][\w.-]*)?:[ \t]*<([^>\s]*)>", re.M | re.I
)

#: Called during `build_store` with (what is being done, triples so far, seconds so far).
Progress = Callable[[str, int, float], None]


@dataclass
class StoreSource:
    """One file loaded into a store: where from, which syntax, the prefixes it declares."""

    path: str
    format: str
    bundled: bool = False
    triples: int | None = None
    prefixes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BuiltStore:
    """What `build_store` wrote: where, how many triples, from which files, how long it took.

    `triples` = `asserted` (read from the files) + `inferred` (added by RDFS entailment).
    The same facts are in the store's `mixity-store.json` (`store_info`).
    """

    folder: Path
    triples: int
    asserted: int
    inferred: int
    infer: str
    bundled: bool
    sources: tuple[StoreSource, ...]
    prefixes: dict[str, str]
    seconds: float

    @property
    def user_sources(self) -> tuple[StoreSource, ...]:
        """The files given to `build_store`, not the bundled ones."""
        return tuple(s for s in self.sources if not s.bundled)


def memory_store(
    paths: Iterable[str | Path] = (),
    *,
    bundled: bool = True,
    infer: Infer | str = "rdfs",
) -> ox.Store:
    """An in-memory Oxigraph store of the bundled graph plus `paths`, RDFS-closed by default.

    Raises a `MixityError` subclass for a missing path or a file that cannot be parsed.
    """
    _check_infer(infer)
    store = ox.Store()
    load_sources(store, paths, bundled=bundled)
    if infer == "rdfs":
        materialize_rdfs_store(store)
    return store


def load_sources(
    store: ox.Store,
    paths: Iterable[str | Path] = (),
    *,
    bundled: bool = True,
    bulk: bool = False,
    on_file: Callable[[StoreSource], None] | None = None,
    before_file: Callable[[Path], None] | None = None,
) -> list[StoreSource]:
    """Load the bundled files and `paths` into the default graph of `store`.

    `bulk` uses Oxigraph's bulk loader (streams from disk, not transactional: for building a
    new store). `before_file` and `on_file` are called around each user file (for progress).
    Returns what was loaded, with the prefixes each file declares.
    """
    sources: list[StoreSource] = []
    if bundled:
        for name, entry in bundled_files():
            data = entry.read_bytes()
            store.load(data, ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
            source = StoreSource(name, "turtle", bundled=True, prefixes=_prefixes(data))
            _record(sources, source, on_file)
    user_paths = list(paths)
    if user_paths:
        for path in expand_paths(user_paths):
            if before_file is not None:
                before_file(path)
            fmt = FORMATS[path.suffix.lower()]
            if fmt in STREAMED_FORMATS:
                source = _load_native(store, path, fmt, bulk=bulk)
            elif fmt in OXIGRAPH_FORMATS:
                source = _load_checked(store, path, fmt, bulk=bulk)
            else:
                source = _load_with_rdflib(store, path)
            _record(sources, source, on_file)
    _merge_named_graphs(store)
    return sources


def _record(
    sources: list[StoreSource],
    source: StoreSource,
    on_file: Callable[[StoreSource], None] | None,
) -> None:
    sources.append(source)
    if on_file is not None:
        on_file(source)


def _load_native(store: ox.Store, path: Path, fmt: str, *, bulk: bool) -> StoreSource:
    """Stream a Turtle / TriG / N-Triples / N-Quads file into the store with Oxigraph."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
            # Oxigraph rejects a byte order mark; editors on Windows write one.
            handle.seek(len(_BOM) if head.startswith(_BOM) else 0)
            loader = store.bulk_load if bulk else store.load
            # Named graphs of TriG / N-Quads stay named here; `_merge_named_graphs` merges them.
            loader(
                handle, OXIGRAPH_FORMATS[fmt], base_iri=file_base(path), to_graph=ox.DefaultGraph()
            )
    except SyntaxError as exc:
        # The error path only: the file's bytes give the message its IRI and UTF-8 details.
        raise syntax_error(path, exc, read_bytes(path)) from None
    except IsADirectoryError:
        raise SourceNotFound(path, "is a folder, not a file") from None
    except FileNotFoundError:
        raise SourceNotFound(path) from None
    except OSError as exc:
        raise SourceNotFound(path, exc.strerror or str(exc)) from None
    prefixes = _prefixes(head) if fmt in ("turtle", "trig") else {}
    return StoreSource(str(path), fmt, prefixes=prefixes)


def _load_checked(store: ox.Store, path: Path, fmt: str, *, bulk: bool) -> StoreSource:
    """RDF/XML and JSON-LD: checked and parsed by `parse_rdf`, as every command reads them."""
    parsed = parse_rdf(read_bytes(path), fmt, path, file_base(path))
    extend = store.bulk_extend if bulk else store.extend
    extend(ox.Quad(t.subject, t.predicate, t.object) for t in parsed.triples)
    return StoreSource(str(path), fmt, triples=len(set(parsed.triples)), prefixes=parsed.prefixes)


def _load_with_rdflib(store: ox.Store, path: Path) -> StoreSource:
    """N3: the rdflib loader, then into the store as N-Triples."""
    from mixity.graph.io.loader import parse_file

    graph = parse_file(path)
    data = graph.serialize(format="nt", encoding="utf-8")
    store.load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    # rdflib invents ns1, ns2… (and default1…) for unprefixed namespaces: not the user's.
    prefixes = {
        prefix: str(iri)
        for prefix, iri in graph.namespace_manager.namespaces()
        if prefix and not re.fullmatch(r"(ns|default)\d*", prefix)
    }
    return StoreSource(
        str(path), FORMATS[path.suffix.lower()], triples=len(graph), prefixes=prefixes
    )


def _merge_named_graphs(store: ox.Store) -> None:
    """Move the triples of named graphs (TriG, N-Quads) into the default graph."""
    if next(iter(store.named_graphs()), None) is None:
        return
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    store.update("DROP NAMED")


def _prefixes(data: bytes) -> dict[str, str]:
    """The prefixes a Turtle or TriG text declares (the ones a reader sees at its top)."""
    found: dict[str, str] = {}
    for match in _PREFIX_DECL.finditer(data):
        name = (match.group(1) or b"").decode("utf-8", "replace")
        if name:
            found[name] = match.group(2).decode("utf-8", "replace")
    return found


def _check_infer(infer: str) -> None:
    if infer not in INFER_MODES:
        raise InvalidParameter(
            "infer",
            f"{infer!r} is not available on the Oxigraph store (use one of: "
            f"{', '.join(INFER_MODES)})",
        )


# ---------------------------------------------------------------------------------------------
# The persistent store


def build_store(
    paths: Iterable[str | Path],
    store_dir: str | Path,
    *,
    bundled: bool = True,
    infer: Infer | str = "rdfs",
    progress: Progress | None = None,
) -> BuiltStore:
    """Build a persistent store of the bundled graph plus `paths` in `store_dir`.

    The store is built in a temporary folder beside `store_dir` and renamed into place, so a
    failed build leaves `store_dir` as it was. `store_dir` may be missing, empty, or an older
    mixity store (which is replaced); any other non-empty folder is refused.
    Returns what was built (also written to `store_dir/mixity-store.json`).
    """
    _check_infer(infer)
    target = Path(store_dir)
    check_target(target, META_FILE)
    user_paths: list[Path] = []
    given = list(paths)
    if given:
        # Resolve every path before anything is written: a typo fails in milliseconds.
        user_paths = list(expand_paths(given))
    work = work_folder(target)
    try:
        built = _build(user_paths, work, bundled=bundled, infer=infer, progress=progress)
        swap(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return replace(built, folder=target)


class _Steps:
    """The progress of a build: the bundled files as one step, then each user file."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.started = time.perf_counter()
        self.triples = 0
        self.bundled = 0

    def report(self, step: str, triples: int) -> None:
        if self.progress is not None:
            self.progress(step, triples, time.perf_counter() - self.started)

    def bundled_done(self) -> None:
        if self.bundled:
            self.report(f"loaded the bundled graph ({self.bundled} files)", self.triples)
            self.bundled = 0

    def reading(self, path: Path) -> None:
        self.bundled_done()
        self.report(f"reading {path}", self.triples)

    def counter(self, store: ox.Store) -> Callable[[StoreSource], None]:
        def on_file(source: StoreSource) -> None:
            # len() counts the whole store (0.15 s at 1 M triples): fine once per file in a
            # one-off build, never on the query path.
            total = len(store)
            source.triples = total - self.triples
            self.triples = total
            if source.bundled:
                self.bundled += 1
            else:
                self.report(f"loaded {source.path} ({_count(source.triples, 'triple')})", total)

        return on_file


def _build(
    paths: list[Path],
    work: Path,
    *,
    bundled: bool,
    infer: str,
    progress: Progress | None,
) -> BuiltStore:
    steps = _Steps(progress)
    database = str(work / DATABASE_DIR)
    if infer == "rdfs":
        sources, asserted, total, store = _build_closed(paths, work, database, bundled, steps)
    else:
        store = ox.Store(database)
        sources = load_sources(
            store, paths, bundled=bundled, bulk=True, on_file=steps.counter(store),
            before_file=steps.reading,
        )  # fmt: skip
        asserted = total = len(store)
        steps.bundled_done()
    # Compacting the bulk-loaded files costs ~15 % more build time and makes large queries
    # ~30 % faster on every later open (measured at 1 M triples).
    steps.report("optimising", total)
    store.optimize()
    store.flush()
    del store  # closes the database before the folder is renamed
    prefixes: dict[str, str] = {}
    for source in sources:
        for name, iri in source.prefixes.items():
            prefixes.setdefault(name, iri)
    built = BuiltStore(
        folder=work,
        triples=total,
        asserted=asserted,
        inferred=total - asserted,
        infer=infer,
        bundled=bundled,
        sources=tuple(sources),
        prefixes=prefixes,
        seconds=round(time.perf_counter() - steps.started, 3),
    )
    _write_meta(work, built)
    return built


def _build_closed(
    paths: list[Path], work: Path, database: str, bundled: bool, steps: _Steps
) -> tuple[list[StoreSource], int, int, ox.Store]:
    """Load, close under RDFS in memory, write to disk: (sources, asserted, total, store)."""
    # SPARQL Update on an on-disk store goes through RocksDB's write-ahead log: 8x slower than
    # in memory, and a read-only open then replays the log (30 s at 1 M). So the closure is
    # computed in memory and the result bulk-loaded to disk, as one N-Quads document so that
    # blank nodes keep their identity.
    staging = ox.Store()
    sources = load_sources(
        staging, paths, bundled=bundled, on_file=steps.counter(staging), before_file=steps.reading
    )
    asserted = len(staging)
    steps.bundled_done()
    steps.report("materialising RDFS entailment", asserted)
    materialize_rdfs_store(staging)
    total = len(staging)
    steps.report("writing the store", total)
    dump = work / "staging.nq"
    staging.dump(str(dump), ox.RdfFormat.N_QUADS)
    del staging
    store = ox.Store(database)
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    dump.unlink()
    return sources, asserted, total, store


def _write_meta(work: Path, built: BuiltStore) -> None:
    meta: dict[str, Any] = {
        "store_format": STORE_FORMAT,
        "mixity": __version__,
        "pyoxigraph": ox.__version__,
        "infer": built.infer,
        "bundled": built.bundled,
        "triples": built.triples,
        "asserted": built.asserted,
        "inferred": built.inferred,
        "files": [{k: v for k, v in asdict(s).items() if k != "prefixes"} for s in built.sources],
        "prefixes": built.prefixes,
        "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": built.seconds,
    }
    (work / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", "utf-8")


def store_info(store_dir: str | Path) -> dict[str, Any]:
    """The metadata of a persistent store (files, triples, inference mode, versions)."""
    folder = Path(store_dir)
    if not folder.is_dir():
        if folder.exists():
            raise MixityError(f"{folder}: not a folder, not a mixity store")
        raise SourceNotFound(folder, "no such store; build one with `mixity load` (build_store)")
    meta_path = folder / META_FILE
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
    except FileNotFoundError:
        raise MixityError(
            f"{folder}: not a mixity store (no {META_FILE}); build one with `mixity load` "
            "(build_store)"
        ) from None
    except (OSError, ValueError) as exc:
        raise MixityError(f"{meta_path}: unreadable store metadata ({exc})") from None
    if not isinstance(meta, dict) or meta.get("store_format") != STORE_FORMAT:
        raise MixityError(
            f"{folder}: store written by another version of mixity; rebuild it with `mixity load`"
        )
    return meta


def open_store(store_dir: str | Path) -> ox.Store:
    """Open a persistent store read-only (milliseconds, whatever its size)."""
    folder = Path(store_dir)
    store_info(folder)
    database = folder / DATABASE_DIR
    if not database.is_dir():
        raise MixityError(f"{folder}: the store's database folder is missing; rebuild it")
    try:
        return ox.Store.read_only(str(database))
    except (OSError, RuntimeError) as exc:  # RocksDB reports a damaged store as RuntimeError
        raise MixityError(
            f"{folder}: cannot open the store ({_clean(str(exc))}); rebuild it with `mixity load`"
        ) from None


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _clean(message: str, limit: int = 200) -> str:
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
