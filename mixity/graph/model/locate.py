"""The file and line where a statement of the loaded graph is written, for `mixity validate`.

The loader records which file first describes each subject; the lines come from a second pass
over the text of the files a finding is about (`mixity.graph.io.positions`, Turtle, TriG,
N-Triples, N-Quads), made once per file and only when there is something to report. Blank nodes
are matched with the text through the statement that points at them and, among several, through
what they say. RDF/XML, JSON-LD and N3 are searched as text for the resource's IRI.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.term import IdentifiedNode, Node

from mixity.graph.io.files import FORMATS
from mixity.graph.io.loader import LoadedGraph
from mixity.graph.io.parse import file_base
from mixity.graph.io.positions import Key, Positions, read_positions

#: The syntaxes `read_positions` follows.
_POSITIONED = frozenset(("turtle", "trig", "nt", "nquads"))
_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I | re.M)
#: How far up a chain of blank nodes the locator goes (lists nest deeper than any description).
_MAX_DEPTH = 64


class Locator:
    """Finds the file and line of a resource's description, of one of its statements, or of
    every use of an IRI, from the loader's record of files."""

    def __init__(self, loaded: LoadedGraph) -> None:
        self.loaded = loaded
        self._texts: dict[str, str | None] = {}
        self._positions: dict[str, Positions | None] = {}
        self._blanks: dict[tuple[str, Node], Key | None] = {}

    # -- the files -----------------------------------------------------------------------------

    def text(self, origin: str) -> str | None:
        """The text of a loaded file (a bundled one from the package), or None."""
        if origin not in self._texts:
            try:
                if self._bundled(origin):
                    parts = origin.split("/")[1:]
                    self._texts[origin] = files("mixity").joinpath(*parts).read_text("utf-8")
                else:
                    self._texts[origin] = Path(origin).read_text("utf-8", errors="replace")
            except OSError:
                self._texts[origin] = None
        return self._texts[origin]

    def positions(self, origin: str) -> Positions | None:
        """The statements of a Turtle-family file with their lines, or None for other syntaxes."""
        if origin not in self._positions:
            found = None
            text = self.text(origin)
            if text is not None and self._format(origin) in _POSITIONED:
                base = None if self._bundled(origin) else file_base(Path(origin))
                found = read_positions(text, base)
            self._positions[origin] = found
        return self._positions[origin]

    def _bundled(self, origin: str) -> bool:
        return any(f.bundled and f.path == origin for f in self.loaded.files)

    def _format(self, origin: str) -> str | None:
        recorded = next((f.format for f in self.loaded.files if f.path == origin), None)
        return recorded or FORMATS.get(Path(origin).suffix.lower())

    def _search_order(self, first: str | None) -> list[str]:
        """The loaded files, `first` first, then the user's files, then the bundled ones."""
        names = [f.path for f in sorted(self.loaded.files, key=lambda f: f.bundled)]
        return ([first] if first else []) + [n for n in names if n != first]

    # -- resources and statements ---------------------------------------------------------------

    def where(
        self, node: Node, path: Node | None = None, value: Node | None = None
    ) -> tuple[str | None, int | None]:
        """(file, line) of the statement `node path value` (of `node path …` without a value),
        else of `node`'s description; a blank node without one is found through its parent."""
        graph = self.loaded.graph
        anchor, seen = node, set()
        origin = self.loaded.origin(node) if isinstance(node, IdentifiedNode) else None
        while origin is None and isinstance(anchor, BNode) and anchor not in seen:
            seen.add(anchor)
            parent = next(iter(graph.subjects(None, anchor)), None)
            if parent is None:
                break
            anchor = parent
            origin = self.loaded.origin(parent) if isinstance(parent, IdentifiedNode) else None
        if origin is None:
            return None, None
        if isinstance(path, URIRef):
            # The statement may come from another file than the resource (an extension adding
            # a link to a bundled resource): look there too, when the graph holds it.
            names = [origin]
            if isinstance(node, URIRef) and (node, path, value) in graph:
                names = self._search_order(origin)
                if value is None and self._bundled(origin):
                    # no value named (too many values, a date out of range): of a bundled
                    # resource, the user's statement of the property is the one to look at
                    names = self._search_order(None)
            for name in names:
                line = self._statement_line(name, node, path, value)
                if line is not None:
                    return name, line
            if value is not None:  # a value the data does not hold (sh:hasValue): the property
                line = self._statement_line(origin, node, path, None)
                if line is not None:
                    return origin, line
        return origin, self._subject_line(origin, anchor, path if anchor is node else None)

    def _statement_line(
        self, origin: str, node: Node, path: URIRef, value: Node | None
    ) -> int | None:
        found = self.positions(origin)
        if found is None:
            return None
        subject = self._key(origin, found, node)
        if subject is None:
            return None
        objects = found.statements.get((subject, str(path)), [])
        if value is None:
            return objects[0][1] if objects else None
        wanted = self._key(origin, found, value)
        return next((line for key, line in objects if key == wanted), None)

    def _subject_line(self, origin: str, node: Node, path: Node | None) -> int | None:
        found = self.positions(origin)
        if found is not None:
            key = self._key(origin, found, node)
            line = None if key is None else found.subjects.get(key)
            if line is None and isinstance(node, URIRef):
                line = found.iris.get(str(node))
            return line
        return self._guess_line(origin, node, path) if isinstance(node, URIRef) else None

    def _key(self, origin: str, found: Positions, node: Node, depth: int = 0) -> Key | None:
        """The key of `node` in the file's positions (blank nodes matched by their place)."""
        if isinstance(node, URIRef):
            return str(node)
        if isinstance(node, Literal):
            return ("literal", str(node))
        if not isinstance(node, BNode) or depth > _MAX_DEPTH:
            return None
        if (origin, node) not in self._blanks:
            graph = self.loaded.graph
            parent = next(iter(graph.subject_predicates(node)), None)
            if parent is None:
                candidates = found.roots()
            else:
                above = self._key(origin, found, parent[0], depth + 1)
                candidates = [] if above is None else found.children(above, str(parent[1]))
            if len(candidates) > 1:
                # Several blank nodes in the same place: the one that says the same things.
                said = {
                    (str(p), key)
                    for p, o in graph.predicate_objects(node)
                    if isinstance(o, URIRef | Literal)
                    and (key := self._key(origin, found, o)) is not None
                }
                candidates.sort(key=lambda c: -len(found.signature(c) & said))
            self._blanks[(origin, node)] = candidates[0] if candidates else None
        return self._blanks[(origin, node)]

    # -- IRIs ----------------------------------------------------------------------------------

    def uses(self, iri: str) -> list[tuple[str, int | None]]:
        """(file, first line) of each loaded file that writes `iri`, the user's files first."""
        found: list[tuple[str, int | None]] = []
        local = re.split(r"[#/]", iri)[-1]
        for name in self._search_order(None):
            text = self.text(name)
            if text is None or local not in text:
                continue  # cheap: most files never spell the name
            positions = self.positions(name)
            if positions is not None:
                if iri in positions.iris:
                    found.append((name, positions.iris[iri]))
            elif (line := self._guess_line(name, URIRef(iri), None, anywhere=True)) is not None:
                found.append((name, line))
        return found

    def prefix_line(self, origin: str, namespace: str) -> int | None:
        """The line of the file's prefix declaration for `namespace`, if it has one."""
        positions = self.positions(origin)
        if positions is not None:
            return next((line for _, ns, line in positions.prefixes if ns == namespace), None)
        text = self.text(origin) or ""
        for match in _PREFIX.finditer(text):
            if match.group(2) == namespace:
                return text.count("\n", 0, match.start()) + 1
        return None

    def _guess_line(
        self, origin: str, node: URIRef, path: Node | None, anywhere: bool = False
    ) -> int | None:
        """The line of `node` (of `path` after it) in a file this module cannot parse: the
        first line that starts with the IRI (or, with `anywhere`, holds it)."""
        text = self.text(origin)
        if text is None:
            return None
        lines = text.splitlines()
        prefixes = [(p or "", ns) for p, ns in _PREFIX.findall(text)]
        tokens = _spellings(str(node), prefixes)
        start = next(
            (n for n, line in enumerate(lines) if line.lstrip().startswith(tuple(tokens))), None
        )
        if start is None or anywhere:
            holds = (n for n, text in enumerate(lines) if any(t in text for t in tokens))
            start = next(holds, None)
        if start is None:
            return None
        if isinstance(path, URIRef):
            wanted = re.compile(
                "|".join(re.escape(t) for t in _spellings(str(path), prefixes)) + r"(?![\w:-])"
            )
            for n in range(start, len(lines)):
                if wanted.search(lines[n]):
                    return n + 1
                if lines[n].rstrip().endswith(" .") or (n > start and not lines[n].strip()):
                    break  # the end of the resource's description
        return start + 1


def _spellings(iri: str, prefixes: list[tuple[str, str]]) -> list[str]:
    """The ways a file may write `iri`: `<iri>`, the bare IRI (RDF/XML, JSON-LD), `p:name`."""
    found = [f"<{iri}>", f'"{iri}"']
    for prefix, namespace in prefixes:
        rest = iri[len(namespace) :]
        if namespace and iri.startswith(namespace) and re.fullmatch(r"[\w.-]*", rest):
            found.append(f"{prefix}:{rest}")
    return found
