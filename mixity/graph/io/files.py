"""Finding and reading users' RDF files, without importing rdflib.

Shared by the rdflib loader (`mixity.graph.io.loader`) and the Oxigraph store
(`mixity.graph.store.oxigraph`), whose query path must not pay rdflib's import time.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from mixity.errors import ParseError, QueryError, SourceNotFound, UnsupportedFormat

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

#: File extension -> syntax (rdflib's names; `mixity.graph.io.parse` maps them to Oxigraph's).
FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".ntriples": "nt",
    ".nq": "nquads",
    ".n3": "n3",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
}


def package_root() -> Traversable:
    """The installed `mixity` package's folder, to read the files it ships.

    A package installed as a folder (pip, an editable checkout) is read as a `Path`, found
    through the import system's own record of where the package lives. Only a package that is
    not a folder (a zip) goes through `importlib.resources`, whose import costs the query path
    about 15 ms (it imports tempfile and zipfile).
    """
    spec = sys.modules["mixity"].__spec__
    locations = list(spec.submodule_search_locations or []) if spec else []
    if len(locations) == 1 and Path(locations[0]).is_dir():
        return Path(locations[0])
    from importlib.resources import files

    return files("mixity")


def bundled_files() -> list[tuple[str, Traversable]]:
    """The ontology and data files shipped in the package as (name, file), not the shapes."""
    root = package_root()
    found: list[tuple[str, Traversable]] = []
    for folder in ("ontology", "data"):
        entries = sorted(root.joinpath(folder).iterdir(), key=lambda t: t.name)
        found += [
            (f"mixity/{folder}/{t.name}", t)
            for t in entries
            if t.name.endswith(".ttl") and t.name != "shapes.ttl"
        ]
    return found


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Each path as given, or the RDF files of a folder (sorted, hidden entries skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in FORMATS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise SourceNotFound(path, "folder holds no RDF file (" + ", ".join(FORMATS) + ")")
            yield from found
        elif not path.exists():
            raise SourceNotFound(path)
        elif not path.is_file():
            raise SourceNotFound(path, "not a regular file")
        else:
            if path.suffix.lower() not in FORMATS:
                raise UnsupportedFormat(
                    f"{path}: unknown RDF extension {path.suffix or '(none)'!r}; "
                    f"expected one of {', '.join(FORMATS)}"
                )
            yield path


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or a `SourceNotFound` naming it."""
    try:
        # A FIFO blocks and /dev/zero never ends: only regular files are read.
        if path.exists() and not path.is_dir() and not path.is_file():
            raise SourceNotFound(path, "not a regular file")
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceNotFound(path) from None
    except IsADirectoryError:
        raise SourceNotFound(path, "is a folder, not a file") from None
    except OSError as exc:
        raise SourceNotFound(path, exc.strerror or "cannot be read") from None


def decode(path: Path | str, raw: bytes) -> str:
    """Decode UTF-8 strictly, pointing at the first bad byte.

    Control characters, NUL included, are left to the parsers: Turtle and N-Triples allow them
    raw inside a literal. Only bytes that are not UTF-8 at all are refused here.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"\x00" in raw[:8192]:
            raise ParseError(path, "binary file, not RDF text (NUL byte)") from None
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise ParseError(
            path,
            f"invalid UTF-8 byte 0x{raw[exc.start]:02x}; RDF files must be UTF-8",
            line,
            column,
        ) from None
    return text.removeprefix("\ufeff")


def read_query(path: Path) -> str:
    """A SPARQL file's text (UTF-8, a byte order mark dropped), or a positioned error."""
    return decode_query(read_bytes(path), str(path))


def decode_query(raw: bytes, origin: str) -> str:
    """SPARQL bytes as text (UTF-8, a byte order mark dropped), or a positioned error."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        raise QueryError(
            f"invalid UTF-8 byte 0x{raw[exc.start]:02x}; queries must be UTF-8",
            origin=origin,
            line=before.count(b"\n") + 1,
            column=len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1,
        ) from None
