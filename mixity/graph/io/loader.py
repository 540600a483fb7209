"""Load the bundled graph and users' RDF files safely into one rdflib graph.

rdflib called naively hangs on entity bombs, fetches JSON-LD contexts over the network and
answers a typo with a traceback (tests/test_hostile.py has the cases). Every file goes through
`parse_file`, which checks it before rdflib sees it and turns every parser failure into a
`mixity.errors.ParseError` with the file, line and column.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
import xml.sax
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import IdentifiedNode, URIRef

from mixity.errors import (
    ParseError,
    TurtleSyntaxError,
    UnsafeInput,
    UnsupportedFormat,
)
from mixity.graph.io.files import FORMATS, bundled_files, decode, expand_paths, read_bytes
from mixity.namespaces import PREFIXES

# rdflib logs a full traceback through these loggers for an ill-typed literal (e.g.
# "abc"^^xsd:integer); the value stays a plain Literal, which is the right answer.
for _name in ("rdflib.term", "rdflib.plugins.sparql"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

#: Characters RFC 3987 forbids in an IRI (the ones rdflib lets through and Oxigraph refuses).
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')

QUAD_FORMATS = frozenset({"trig", "nquads", "json-ld"})

_DTD_ENTITY = re.compile(r"<!ENTITY\s+(%\s+)?([^\s]+)\s+(SYSTEM|PUBLIC|\"[^\"]*\"|'[^']*')", re.S)


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




def shapes_graph() -> Graph:
    """The bundled SHACL shapes."""
    graph = Graph()
    text = files("mixity").joinpath("ontology", "shapes.ttl").read_text(encoding="utf-8")
    graph.parse(data=text, format="turtle")
    return graph


def new_graph() -> Graph:
    """An empty graph that knows mixity's prefixes (for output and parsing)."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    return graph


#: rdflib's own default prefixes, which a Dataset binds whatever the file declares.
_DEFAULT_BINDINGS = frozenset((prefix, str(ns)) for prefix, ns in Dataset().namespaces())


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
    if bundled:
        for name, entry in bundled_files():
            part = Graph(bind_namespaces="none")
            part.parse(data=entry.read_text(encoding="utf-8"), format="turtle")
            _merge(loaded, part, LoadedFile(name, "turtle", len(part), bundled=True))
    for path in expand_paths(paths):
        part = parse_file(path)
        _merge(loaded, part, LoadedFile(str(path), FORMATS[path.suffix.lower()], len(part)))
    return loaded


def _merge(loaded: LoadedGraph, part: Graph, record: LoadedFile) -> None:
    loaded.graph += part
    # The file's own prefixes (`notion:`, an extension's `ex:`) name resources for the resolver;
    # the first file to declare a prefix keeps it.
    bound = {prefix for prefix, _ in loaded.graph.namespaces()}
    for prefix, namespace in part.namespaces():
        if prefix and prefix not in bound:
            loaded.graph.bind(prefix, namespace, override=False)
    for subject in part.subjects(unique=True):
        if isinstance(subject, IdentifiedNode):
            loaded.origins.setdefault(subject, record.path)
    loaded.files.append(record)




def parse_file(path: Path) -> Graph:
    """Parse one RDF file into a new graph, or raise a positioned `ParseError`."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnsupportedFormat(f"{path}: unknown RDF extension {path.suffix!r}")
    text = decode(path, read_bytes(path))
    return parse_text(text, fmt, path)




def parse_text(text: str, fmt: str, path: Path | str = "<input>") -> Graph:
    """Parse RDF text of a given rdflib format with mixity's safety checks."""
    if fmt == "xml":
        _check_xml(text, path)
    elif fmt == "json-ld":
        _check_jsonld(text, path)
    base = Path(path).resolve().as_uri() if Path(str(path)).exists() else None
    try:
        graph = _parse(text, fmt, base)
    except BadSyntax as exc:
        # The constructor's own arguments (uri, lines, argstr, i, why), not private attributes.
        if len(exc.args) == 5 and isinstance(exc.args[3], int):
            line, column = _position(text, exc.args[3])
            raise TurtleSyntaxError(path, _clean(str(exc.args[4])), line, column) from None
        raise _locate(text, fmt, path, exc) from None
    except xml.sax.SAXParseException as exc:
        sax_column: int | None = exc.getColumnNumber()
        raise ParseError(
            path,
            _clean(exc.getMessage()),
            exc.getLineNumber(),
            sax_column + 1 if sax_column is not None else None,
        ) from None
    except RecursionError:
        raise ParseError(
            path, "nesting too deep (blank nodes or lists nested thousands deep)"
        ) from None
    except Exception as exc:  # rdflib's parsers raise many unrelated types
        raise _locate(text, fmt, path, exc) from None
    _check_iris(graph, text, path)
    return graph


def _check_iris(graph: Graph, text: str, path: Path | str) -> None:
    """Refuse IRIs with spaces or other forbidden characters, as the Oxigraph loader does."""
    # rdflib reads them, and every writer (export, the store) would fail on them later.
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


def _parse(text: str, fmt: str, base: str | None) -> Graph:
    if fmt not in QUAD_FORMATS:
        # No default prefixes: the graph keeps exactly those the file declares.
        graph = Graph(bind_namespaces="none")
        graph.parse(data=text, format=fmt, publicID=base)
        return graph
    # Named graphs are flattened: mixity works on the union of what a file states.
    dataset = Dataset()
    with warnings.catch_warnings():
        # rdflib's own quad parsers still call its deprecated ConjunctiveGraph API.
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(data=text, format=fmt, publicID=base)
    graph = Graph(bind_namespaces="none")
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    for prefix, namespace in dataset.namespaces():
        if (prefix, str(namespace)) not in _DEFAULT_BINDINGS:
            graph.bind(prefix, namespace)
    return graph


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


def _locate(text: str, fmt: str, path: Path | str, exc: Exception) -> ParseError:
    """Position an error from a parser that gives none (N-Triples, N-Quads, RDF/XML)."""
    reason = _clean(str(exc)) or type(exc).__name__
    if fmt in ("nt", "nquads"):
        # The line-based parsers name the bad line's text, not its number: find it.
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                Graph().parse(data=line + "\n", format=fmt)
            except Exception:
                return TurtleSyntaxError(path, reason, number, 1)
    return ParseError(path, reason)


def _check_xml(text: str, path: Path | str) -> None:
    """Refuse the DTD features behind entity bombs and external entities."""
    head = text[: text.find("<rdf:RDF")] if "<rdf:RDF" in text else text
    if "<!DOCTYPE" not in head and "<!ENTITY" not in text:
        return
    for match in _DTD_ENTITY.finditer(text):
        line, column = _position(text, match.start())
        parameter, name, value = match.group(1), match.group(2), match.group(3)
        if parameter:
            raise UnsafeInput(
                path, f"parameter entity {name!r} in the DTD is refused", line, column
            )
        if value in ("SYSTEM", "PUBLIC"):
            raise UnsafeInput(
                path, f"external entity {name!r} is refused (never fetched)", line, column
            )
        if "&" in value or "%" in value:
            raise UnsafeInput(
                path,
                f"entity {name!r} refers to other entities (entity expansion is refused)",
                line,
                column,
            )


def _check_jsonld(text: str, path: Path | str) -> None:
    """Valid JSON, and no @context or @import that rdflib would fetch over the network."""
    try:
        doc = json.loads(text)
        refs = list(_context_refs(doc))
    except json.JSONDecodeError as exc:
        raise ParseError(path, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        raise ParseError(
            path, "nesting too deep (JSON arrays or objects nested thousands deep)"
        ) from None
    # Every context named by a string is refused, not only URLs: a relative or file: context
    # may itself name a remote one, and rdflib would fetch that (" http://…" also resolves).
    if refs:
        raise UnsafeInput(
            path,
            f"JSON-LD context {refs[0]!r} is not fetched (mixity works offline and loads no "
            "context by reference); put the context object inline in the file",
        )


def _context_refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("@context", "@import"):
                items = value if isinstance(value, list) else [value]
                yield from (item for item in items if isinstance(item, str))
            yield from _context_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _context_refs(item)
