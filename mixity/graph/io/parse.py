"""Reading RDF files with Oxigraph's parsers, which follow the W3C grammars: one parser for
every command, so that a file is valid for all of them or for none, with the same message.

Turtle, TriG, N-Triples, N-Quads, RDF/XML and JSON-LD are read here (no rdflib: the query path
uses this module); N3, which is not a W3C Recommendation, is left to rdflib's parser in
`mixity.graph.io.loader`. Before Oxigraph sees a file, the checks it lacks are made:
RDF/XML's DTD entities (Oxigraph expands a "billion laughs" bomb: 33 s and 1 GB for 1 KB) and
element nesting (its RDF/XML parser is quadratic in depth: 15 s at 20,000 levels), JSON-LD
contexts named by reference (never fetched) and nesting (its JSON-LD parser crashes the
process at about 3,500 nested objects). Every refusal is a `ParseError` with file:line:col.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from mixity.errors import ParseError, TurtleSyntaxError, UnsafeInput
from mixity.graph.io.files import decode

#: The formats Oxigraph reads, by the names of `mixity.graph.io.files.FORMATS`.
OXIGRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD,
}

#: Deepest nesting of XML elements or JSON arrays and objects a file may have (real files
#: stay under 50).
MAX_NESTING = 1000

_BOM = b"\xef\xbb\xbf"
#: "Parser error at line 3 column 8: …", "… between columns 23 and 26: …", "… (line 3)".
_POSITION_PREFIX = re.compile(r"^Parser error (?:at|between) line [^:]*:\s*")
_LINE_SUFFIX = re.compile(r"\s*\(line \d+\)\s*$")
#: Oxigraph names the IRI it refuses in RDF/XML without a position: "… IRI 'http://e/a b': …".
_QUOTED_IRI = re.compile(r"IRI '([^']*)'")
_DTD_ENTITY = re.compile(rb"<!ENTITY\s+(%\s+)?([^\s]+)\s+(SYSTEM|PUBLIC|\"[^\"]*\"|'[^']*')", re.S)


@dataclass
class ParsedFile:
    """The triples of a file (named graphs merged into one graph) and the prefixes it declares."""

    triples: list[ox.Triple]
    prefixes: dict[str, str] = field(default_factory=dict)


def file_base(path: Path) -> str:
    """The base IRI of a file: its `file:` URI, against which its relative IRIs resolve."""
    return path.resolve().as_uri()


def parse_rdf(
    data: bytes, fmt: str, path: Path | str = "<input>", base_iri: str | None = None
) -> ParsedFile:
    """Parse RDF bytes of a format of `OXIGRAPH_FORMATS`, or raise a positioned `ParseError`.

    Blank nodes get fresh names, so that two files never share one by accident.
    """
    data = data.removeprefix(_BOM)
    prefixes = check_rdf(data, fmt, path)
    parser = ox.parse(data, OXIGRAPH_FORMATS[fmt], base_iri=base_iri, rename_blank_nodes=True)
    try:
        triples = [quad.triple for quad in parser]
    except SyntaxError as exc:
        raise syntax_error(path, exc, data) from None
    return ParsedFile(triples, {**prefixes, **parser.prefixes})


def check_rdf(data: bytes, fmt: str, path: Path | str) -> dict[str, str]:
    """Refuse what Oxigraph's parsers must not see (RDF/XML and JSON-LD); return the prefixes
    an RDF/XML file declares (Oxigraph does not report them)."""
    if fmt == "xml":
        return check_xml(data, path)
    if fmt == "json-ld":
        check_jsonld(data, path)
    return {}


def syntax_error(path: Path | str, exc: SyntaxError, data: bytes | None = None) -> ParseError:
    """Oxigraph's SyntaxError as a positioned mixity error (line and column are 1-based).

    `data` is the text parsed, to quote an invalid IRI, to position the errors Oxigraph gives
    without a position (RDF/XML) and to name an invalid UTF-8 byte (read from `path` if None).
    """
    reason = _LINE_SUFFIX.sub("", _POSITION_PREFIX.sub("", exc.msg or str(exc)))
    if data is not None:
        data = data.removeprefix(_BOM)  # Oxigraph was given the text after it
    if "utf-8" in reason.lower():
        # The decoder names the offending byte: the same message for every command.
        try:
            decode(path, data if data is not None else Path(path).read_bytes())
        except ParseError as error:
            return error
        except OSError:
            pass
        return ParseError(path, "invalid UTF-8; RDF files must be UTF-8", exc.lineno, exc.offset)
    line, column = exc.lineno, exc.offset
    if data is not None and reason.strip().lower() == "unexpected end":
        # Oxigraph points past the last line; a reader looks where the statement stops.
        line, column = _position(data, len(data.rstrip()))
        reason = "unexpected end of file: the last statement is not finished"
    if data is not None and "IRI" in reason:
        iri, line, column = _invalid_iri(data, reason, exc)
        if iri is not None:
            reason = f"invalid IRI <{iri}>: {reason.rpartition(': ')[2]}"
    return TurtleSyntaxError(path, _clean(reason) or "syntax error", line, column)


def _invalid_iri(
    data: bytes, reason: str, exc: SyntaxError
) -> tuple[str | None, int | None, int | None]:
    """The IRI an error is about, and the position of its first character."""
    line, column = exc.lineno, exc.offset
    if line is not None and column is not None and exc.end_lineno == line and exc.end_offset:
        # Turtle and its family give the span of the IRI, brackets included.
        lines = data.split(b"\n")
        text = lines[line - 1].decode("utf-8", "replace") if line <= len(lines) else ""
        span = text[column - 1 : exc.end_offset - 1]
        if len(span) > 1 and span[0] == "<" and span[-1] == ">":
            return span[1:-1], line, column + 1
        return None, line, column
    # RDF/XML names the IRI without a position: point at its first occurrence.
    named = _QUOTED_IRI.search(reason)
    index = data.find(named.group(1).encode("utf-8")) if named else -1
    if named is None or index < 0:
        return None, line, column
    return (named.group(1), *_position(data, index))


def _position(data: bytes, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte index."""
    line_start = data.rfind(b"\n", 0, index) + 1
    column = len(data[line_start:index].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, index) + 1, column


def _clean(message: str, limit: int = 200) -> str:
    """One line of at most `limit` characters."""
    flat = " ".join(message.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# RDF/XML


class _TooDeep(Exception):
    pass


def check_xml(data: bytes, path: Path | str) -> dict[str, str]:
    """Refuse DTD entities that expand or fetch, XML that is not well-formed and elements
    nested deeper than `MAX_NESTING`; return the namespace prefixes the file declares."""
    _check_entities(data, path)
    import xml.parsers.expat  # only for RDF/XML

    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    prefixes: dict[str, str] = {}
    depth = 0

    def start(name: str, attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_NESTING:
            raise _TooDeep

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    def namespace(prefix: str | None, uri: str | None) -> None:
        if prefix and uri:
            prefixes.setdefault(prefix, uri)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartNamespaceDeclHandler = namespace
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        message = xml.parsers.expat.ErrorString(exc.code) or "not well-formed XML"
        raise ParseError(path, message, exc.lineno, exc.offset + 1) from None
    except _TooDeep:
        raise ParseError(
            path,
            f"nesting too deep (XML elements nested more than {MAX_NESTING} deep)",
            parser.CurrentLineNumber,
            parser.CurrentColumnNumber + 1,
        ) from None
    return prefixes


def _check_entities(data: bytes, path: Path | str) -> None:
    """Refuse the DTD features behind entity bombs and external entities."""
    if b"<!ENTITY" not in data:
        return
    for match in _DTD_ENTITY.finditer(data):
        line, column = _position(data, match.start())
        parameter, name = match.group(1), match.group(2).decode("utf-8", "replace")
        value = match.group(3)
        if parameter:
            raise UnsafeInput(
                path, f"parameter entity {name!r} in the DTD is refused", line, column
            )
        if value in (b"SYSTEM", b"PUBLIC"):
            raise UnsafeInput(
                path, f"external entity {name!r} is refused (never fetched)", line, column
            )
        if b"&" in value or b"%" in value:
            raise UnsafeInput(
                path,
                f"entity {name!r} refers to other entities (entity expansion is refused)",
                line,
                column,
            )


# ---------------------------------------------------------------------------------------------
# JSON-LD


def check_jsonld(data: bytes, path: Path | str) -> None:
    """Valid JSON nested at most `MAX_NESTING` deep, and no context named by reference."""
    try:
        doc = json.loads(decode(path, data))
    except json.JSONDecodeError as exc:
        raise ParseError(path, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        doc = None
    refs = None if doc is None else _context_refs(doc)
    if refs is None:
        raise ParseError(
            path, f"nesting too deep (JSON arrays or objects nested more than {MAX_NESTING} deep)"
        )
    # Every context named by a string is refused, not only URLs: a relative or file: context
    # may itself name a remote one.
    if refs:
        raise UnsafeInput(
            path,
            f"JSON-LD context {refs[0]!r} is not fetched (mixity works offline and loads no "
            "context by reference); put the context object inline in the file",
        )


def _context_refs(doc: object) -> list[str] | None:
    """The contexts `doc` names by reference, or None if it nests too deep (no recursion)."""
    refs: list[str] = []
    stack: list[tuple[object, int]] = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return None
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    items = value if isinstance(value, list) else [value]
                    refs += [item for item in items if isinstance(item, str)]
                stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack += [(item, depth + 1) for item in node]
    return refs
