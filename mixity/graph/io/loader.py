"""Load the bundled graph and users' RDF files into one rdflib graph.

Every file is read by Oxigraph's parsers (`mixity.graph.io.parse`), which follow the W3C
grammars, exactly as `mixity query` reads it; the triples are then handed to rdflib for the
commands that need an rdflib graph (SHACL, OWL RL, networkx). So a file is valid for every
command or for none, and an error is the same `ParseError` with file:line:col everywhere.
N3, which is not a W3C Recommendation, is read by rdflib's parser (`_parse_n3`): Oxigraph's N3
parser yields formulas and variables that no RDF graph can hold, and rdflib's is the one mixity
has always used for it.
"""

from __future__ import annotations

import gc
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import IdentifiedNode, Node, URIRef

from mixity.errors import MixityError, ParseError, TurtleSyntaxError, UnsupportedFormat
from mixity.graph.io.files import (
    FORMATS,
    bundled_files,
    decode,
    expand_paths,
    package_root,
    read_bytes,
)
from mixity.graph.io.parse import ParsedFile, file_base, parse_rdf
from mixity.graph.io.terms import to_rdflib, triples_from_rdflib
from mixity.namespaces import PREFIXES

# rdflib logs a full traceback through these loggers for an ill-typed literal (e.g.
# "abc"^^xsd:integer); the value stays a plain Literal, which is the right answer.
for _name in ("rdflib.term", "rdflib.plugins.sparql"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

#: Characters RFC 3987 forbids in an IRI (the ones rdflib's N3 parser lets through).
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@dataclass(frozen=True)
class LoadedFile:
    """One file that went into a graph."""

    path: str
    format: str
    triples: int
    bundled: bool = False


@dataclass
class LoadedGraph:
    """The merged graph with a record of where its triples came from."""

    graph: Graph
    files: list[LoadedFile] = field(default_factory=list)
    #: subject -> the first file that states something about it
    origins: dict[IdentifiedNode, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.graph)

    def origin(self, node: IdentifiedNode) -> str | None:
        """The file a resource was first described in, if known."""
        return self.origins.get(node)


#: A triple of rdflib terms.
Triple = tuple[Node, Node, Node]


@dataclass
class _Part:
    """The triples of one file, as rdflib terms, and the prefixes it declares."""

    triples: list[Triple]
    prefixes: dict[str, str]
    #: the same triples as Oxigraph parsed them (None for N3, which rdflib parses)
    parsed: list[ox.Triple] | None = None

    def graph(self, store: str = "Memory") -> Graph:
        graph = Graph(store=store, bind_namespaces="none")
        graph.addN((s, p, o, graph) for s, p, o in self.triples)
        for prefix, namespace in self.prefixes.items():
            graph.bind(prefix, namespace, override=False)
        return graph


def shapes_graph() -> Graph:
    """The bundled SHACL shapes."""
    data = package_root().joinpath("ontology", "shapes.ttl").read_bytes()
    return _read(data, "turtle", "mixity/ontology/shapes.ttl", None).graph()


def new_graph() -> Graph:
    """An empty graph that knows mixity's prefixes (for output and parsing)."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


@contextmanager
def without_gc() -> Iterator[None]:
    """Python's cycle collector off while graphs are built (and, in `mixity diff`, compared).

    It rescans every live object each time enough new ones have been made: loading 100 k
    triples took 3.7 s with it and 2.9 s without, a quarter of the time of `mixity diff`, spent
    on terms and tuples that hold no cycle. It is turned back on after (if it was on).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def load(
    paths: Iterable[str | Path] = (),
    *,
    bundled: bool = True,
) -> LoadedGraph:
    """Load the bundled ontology and data, then every file or folder in `paths`, into one graph.

    Folders are read recursively for files with an RDF extension (see `FORMATS`).
    Raises a `MixityError` subclass for a missing path or a file that cannot be parsed.
    """
    loaded = LoadedGraph(graph=new_graph())
    with without_gc():
        if bundled:
            for name, entry in bundled_files():
                part = _read(entry.read_bytes(), "turtle", name, None)
                _merge(loaded, part, name, "turtle", True)
        for path in expand_paths(paths):
            fmt = FORMATS[path.suffix.lower()]
            part = _read(read_bytes(path), fmt, path, file_base(path))
            _merge(loaded, part, str(path), fmt, False)
    return loaded


def _merge(loaded: LoadedGraph, part: _Part, name: str, fmt: str, bundled: bool) -> None:
    graph = loaded.graph
    graph.addN((s, p, o, graph) for s, p, o in part.triples)
    # The file's own prefixes (`notion:`, an extension's `ex:`) name resources for the resolver;
    # the first file to declare a prefix keeps it.
    bound = {prefix for prefix, _ in graph.namespaces()}
    for prefix, namespace in part.prefixes.items():
        if prefix and prefix not in bound:
            graph.bind(prefix, namespace, override=False)
    for subject, _, _ in part.triples:
        if isinstance(subject, IdentifiedNode):
            loaded.origins.setdefault(subject, name)
    loaded.files.append(LoadedFile(name, fmt, len(set(part.triples)), bundled=bundled))


def read_parts(
    paths: Iterable[str | Path] = (), *, bundled: bool = True
) -> Iterator[tuple[LoadedFile, ParsedFile]]:
    """Each file `load` would load, with its triples as Oxigraph's terms and its prefixes; no
    rdflib graph is built. Raises what `load` raises.

    For the commands that read large graphs (`mixity diff`): building an rdflib graph of
    100 k triples takes about 3 s, parsing them 0.3 s.
    """
    if bundled:
        for name, entry in bundled_files():
            yield _parsed(entry.read_bytes(), "turtle", name, None, bundled=True)
    for path in expand_paths(paths):
        fmt = FORMATS[path.suffix.lower()]
        yield _parsed(read_bytes(path), fmt, path, file_base(path), bundled=False)


def _parsed(
    data: bytes, fmt: str, path: Path | str, base_iri: str | None, *, bundled: bool
) -> tuple[LoadedFile, ParsedFile]:
    if fmt == "n3":
        graph = _parse_n3(decode(path, data), path, base_iri)
        prefixes = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
        part = ParsedFile(triples_from_rdflib(graph), prefixes)
    else:
        part = parse_rdf(data, fmt, path, base_iri)
        if any(type(t.subject) is ox.Triple or type(t.object) is ox.Triple for t in part.triples):
            raise _triple_terms(data, path)
    return LoadedFile(str(path), fmt, len(set(part.triples)), bundled=bundled), part


def read_triples(paths: Iterable[str | Path] = (), *, bundled: bool = True) -> ParsedFile:
    """The triples `load` would load, as Oxigraph's terms, and the prefixes the files declare
    (the first file to declare a prefix keeps it): `read_parts`, merged."""
    found = ParsedFile([])
    for _, part in read_parts(paths, bundled=bundled):
        found.triples += part.triples
        for prefix, namespace in part.prefixes.items():
            found.prefixes.setdefault(prefix, namespace)
    return found


def parse_file(path: Path, base_iri: str | None = None) -> Graph:
    """Parse one RDF file into a new graph, or raise a positioned `ParseError`.

    Relative IRIs resolve against `base_iri`, by default the file's `file:` URI.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedFormat(f"{path}: unknown RDF extension {path.suffix!r}")
    return _read(read_bytes(path), fmt, path, base_iri or file_base(path)).graph()


def read_file(path: Path) -> tuple[Graph, list[ox.Triple]]:
    """`parse_file` into a plain graph, and the file's triples as Oxigraph's terms.

    The graph is held in rdflib's `SimpleMemory` store, which knows no named graphs and is
    filled 2.5 times as fast (100 k triples: 0.8 s instead of 2.0 s). Oxigraph's triples serve
    a check that must scan every triple: a pass over rdflib's costs about 10 µs a triple.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedFormat(f"{path}: unknown RDF extension {path.suffix!r}")
    part = _read(read_bytes(path), fmt, path, file_base(path))
    graph = part.graph("SimpleMemory")
    return graph, part.parsed if part.parsed is not None else triples_from_rdflib(graph)


def parse_text(
    text: str, fmt: str, path: Path | str = "<input>", base_iri: str | None = None
) -> Graph:
    """Parse RDF text of a format of `FORMATS` (rdflib's names) as `parse_file` does.

    Relative IRIs resolve against `base_iri`, by default the URI of `path` if it exists.
    """
    if base_iri is None and Path(str(path)).exists():
        base_iri = file_base(Path(path))
    return _read(text.encode("utf-8"), fmt, path, base_iri).graph()


def _read(data: bytes, fmt: str, path: Path | str, base_iri: str | None) -> _Part:
    """The triples of a file's bytes, as rdflib terms, and the prefixes it declares."""
    if fmt == "n3":
        graph = _parse_n3(decode(path, data), path, base_iri)
        return _Part(list(graph), {prefix: str(ns) for prefix, ns in graph.namespaces()})
    parsed = parse_rdf(data, fmt, path, base_iri)
    # Each term is converted once: the bundled files name ~2,000 terms in ~6,000 places.
    memo: dict[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, Node] = {}

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
        found = memo.get(node)
        if found is None:
            found = memo[node] = to_rdflib(node)
        return found

    try:
        with warnings.catch_warnings():
            # An ill-typed literal ("yes"^^xsd:boolean) is legal RDF: rdflib warns, mixity not.
            warnings.simplefilter("ignore", UserWarning)
            triples = [(term(t.subject), term(t.predicate), term(t.object)) for t in parsed.triples]
    except MixityError:
        raise _triple_terms(data, path) from None
    return _Part(triples, parsed.prefixes, parsed.triples)


def _triple_terms(data: bytes, path: Path | str) -> ParseError:
    """The error for RDF 1.2 triple terms, which Oxigraph reads and an rdflib graph cannot hold:
    placed at the first `<<` (a triple term or reified triple) or `{|` (an annotation)."""
    found = [i for i in (data.find(b"<<"), data.find(b"{|")) if i >= 0]
    line = column = None
    if found:
        index = min(found)
        line = data.count(b"\n", 0, index) + 1
        column = len(data[data.rfind(b"\n", 0, index) + 1 : index].decode("utf-8", "replace")) + 1
    return ParseError(
        path,
        "RDF 1.2 triple terms (<<( … )>>, {| … |}) can only be queried (mixity query); "
        "the other commands work on RDF 1.1 graphs",
        line,
        column,
    )


def _parse_n3(text: str, path: Path | str, base_iri: str | None) -> Graph:
    """N3 with rdflib's parser, its errors positioned and its lax IRIs refused."""
    graph = Graph(bind_namespaces="none")
    try:
        with warnings.catch_warnings():
            # rdflib's N3 parser warns of its own deprecated calls when it meets a formula
            warnings.simplefilter("ignore", DeprecationWarning)
            graph.parse(data=text, format="n3", publicID=base_iri)
    except BadSyntax as exc:
        # The constructor's own arguments (uri, lines, argstr, i, why), not private attributes.
        if len(exc.args) == 5 and isinstance(exc.args[3], int):
            line, column = _position(text, exc.args[3])
            raise TurtleSyntaxError(path, _clean(str(exc.args[4])), line, column) from None
        raise ParseError(path, _clean(str(exc))) from None
    except RecursionError:
        raise ParseError(
            path, "nesting too deep (blank nodes or lists nested thousands deep)"
        ) from None
    except Exception as exc:  # rdflib's parser raises many unrelated types
        raise ParseError(path, _clean(str(exc)) or type(exc).__name__) from None
    _check_iris(graph, text, path)
    return graph


def _check_iris(graph: Graph, text: str, path: Path | str) -> None:
    """Refuse IRIs with spaces or other forbidden characters, as Oxigraph's parsers do."""
    for triple in graph:
        for node in (*triple, getattr(triple[2], "datatype", None)):
            if isinstance(node, URIRef) and (bad := _BAD_IRI.search(node)):
                index = text.find(str(node))
                line, column = _position(text, index) if index >= 0 else (None, None)
                raise ParseError(
                    path,
                    f"invalid IRI <{_clean(str(node), 80)}>: {bad.group()!r} is not allowed",
                    line,
                    column,
                )


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    index = max(0, min(index, len(text)))
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _clean(message: str, limit: int = 200) -> str:
    """One printable line of at most `limit` characters."""
    flat = " ".join(str(message).split())
    flat = "".join(ch if ch.isprintable() else "?" for ch in flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
