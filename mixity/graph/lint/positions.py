"""Where a term or a statement is written: file and line, for lint's messages.

Oxigraph's parsers give triples without positions; the texts of Turtle, TriG, N-Triples and
N-Quads files are read once more by `mixity.graph.io.positions` (the reader `mixity validate`
uses), only when a finding needs a place. For RDF/XML and JSON-LD, a term's line is the first
line naming its IRI in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mixity.graph.io.positions import read_positions

#: A statement as strings: subject IRI, predicate IRI, object IRI (None for a literal or a
#: blank node).
Key = tuple[str, str, str | None]
Place = tuple[str | None, int | None]

#: An N-Triples statement with a named subject: subject, predicate, and the object if an IRI.
_STATEMENT = re.compile(r"\s*<([^>]*)>\s*<([^>]*)>\s*(?:<([^>]*)>)?")


@dataclass
class Source:
    """A file as the user named it, its text, its syntax (rdflib's name) and base IRI."""

    name: str
    text: str
    fmt: str
    base_iri: str | None = None


@dataclass
class _Index:
    subjects: dict[str, Place] = field(default_factory=dict)
    statements: dict[Key, Place] = field(default_factory=dict)
    #: the first place each IRI is named, in any position
    mentions: dict[str, Place] = field(default_factory=dict)


class Positions:
    """File and line of terms and statements in a set of files, each file read on first need
    (a finding in the header file never makes lint read a large data file)."""

    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources
        self._indexes: dict[int, _Index] = {}

    def locate(self, subject: str | None, key: Key | None = None) -> Place:
        """The place of statement `key` (else of its subject and predicate, else of the
        subject), or of `subject`'s first description, or of its first mention; in the first
        file that has it; `(None, None)` if it is nowhere."""
        probes: list[tuple[str, object]] = []
        if key is not None:
            probes += [("statements", key), ("statements", (key[0], key[1], None))]
            subject = subject or key[0]
        if subject is not None:
            probes += [("subjects", subject), ("mentions", subject)]
        for kind, value in probes:
            for number in range(len(self.sources)):
                places: dict[object, Place] = getattr(self._index(number), kind)
                if value in places:
                    return places[value]
        return self._search(subject) if subject is not None else (None, None)

    def _index(self, number: int) -> _Index:
        index = self._indexes.get(number)
        if index is None:
            index = self._indexes[number] = _Index()
            source = self.sources[number]
            if source.fmt in ("nt", "nquads"):
                _read_lines(source, index)
            elif source.fmt in ("turtle", "trig", "n3"):
                _read(source, index)
        return index

    def _search(self, iri: str) -> Place:
        """The first line naming `iri` in full, for the syntaxes that are not scanned."""
        for source in self.sources:
            if source.fmt in ("xml", "json-ld"):
                index = source.text.find(iri)
                if index >= 0:
                    return (source.name, source.text.count("\n", 0, index) + 1)
        return (None, None)


def _read_lines(source: Source, index: _Index) -> None:
    """Index an N-Triples or N-Quads file: one statement a line, read with one regex (the
    Turtle reader takes seconds for a 100 k-line file, this a fraction of one)."""
    name = source.name
    for number, line in enumerate(source.text.splitlines(), 1):
        match = _STATEMENT.match(line)
        if match is None:
            continue
        subject, predicate, obj = match.group(1), match.group(2), match.group(3)
        place = (name, number)
        index.subjects.setdefault(subject, place)
        index.statements.setdefault((subject, predicate, obj), place)
        index.statements.setdefault((subject, predicate, None), place)
        if obj is not None:
            index.mentions.setdefault(obj, place)
        index.mentions.setdefault(predicate, place)


def _read(source: Source, index: _Index) -> None:
    """Index the statements of named subjects of one Turtle-family file."""
    found = read_positions(source.text, source.base_iri)
    name = source.name
    for (subject, predicate), objects in found.statements.items():
        if not isinstance(subject, str):
            continue  # a blank node: its statements are placed by the one pointing at it
        for obj, line in objects:
            place = (name, line)
            index.statements.setdefault(
                (subject, predicate, obj if isinstance(obj, str) else None), place
            )
            index.statements.setdefault((subject, predicate, None), place)
    for subject, line in found.subjects.items():
        if isinstance(subject, str):
            index.subjects.setdefault(subject, (name, line))
    for iri, line in found.iris.items():
        index.mentions.setdefault(iri, (name, line))
