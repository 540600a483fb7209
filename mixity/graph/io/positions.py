"""Where each statement of a Turtle-family file is written: a light second pass over its text.

Oxigraph's parsers give triples without positions, and `mixity validate` names the line of the
statement a finding is about. This reader tokenises Turtle, TriG, N-Triples and N-Quads (files
Oxigraph has already accepted: it reports no errors, it skips what it does not follow) and
records each statement with the line of its object. Terms are keys: an IRI is its string, a
literal `("literal", lexical form)`, a blank node `("blank", n)` numbered in the order the text
opens it (`[`, `(` or a `_:label`), with the statement that points at it. No rdflib here.

It runs only for the files a finding is about, once per file: about 80 ms for the 2,500 lines
of the bundled data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urljoin

#: A term of a file: an IRI, or (kind, id) for a literal or a blank node.
Key = str | tuple[str, str]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\x00-\x20]*>)
  | (?P<long>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
  | (?P<string>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<at>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<datatype>\^\^)
  | (?P<blank>_:[\w\u00B7\u00C0-\uFFFF](?:[\w.\-\u00B7\u00C0-\uFFFF]*[\w\-\u00B7\u00C0-\uFFFF])?)
  | (?P<number>[+-]?(?:\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?))
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?:
        (?:[\w:%\-\u00B7\u00C0-\uFFFF]|\\[-_~.!$&'()*+,;=/?\#@%]|\.(?=[\w:%\-\\\u00C0-\uFFFF]))*)
  | (?P<word>[A-Za-z]+)
  | (?P<punct><<|>>|[\[\](){};,.|])
    """,
    re.VERBOSE,
)
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_SCHEME = re.compile(r"[A-Za-z][\w+.-]*:")
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}


@dataclass
class Positions:
    """The statements of one file with their lines, and where each IRI and prefix is written."""

    #: (subject, predicate IRI) -> [(object, line of the object)], in the order of the text
    statements: dict[tuple[Key, str], list[tuple[Key, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    #: subject -> the line where it first opens a description
    subjects: dict[Key, int] = field(default_factory=dict)
    #: IRI -> the first line it is written on (any position, datatypes included)
    iris: dict[str, int] = field(default_factory=dict)
    #: (prefix, namespace IRI, line) of each prefix declaration
    prefixes: list[tuple[str, str, int]] = field(default_factory=list)
    #: blank node -> (subject, predicate) of the first statement that points at it
    parents: dict[Key, tuple[Key, str]] = field(default_factory=dict)
    _signatures: dict[Key, set[tuple[str, Key]]] = field(default_factory=dict, repr=False)

    def children(self, subject: Key, predicate: str) -> list[Key]:
        """The blank nodes that `subject predicate` points at."""
        return [o for o, _ in self.statements.get((subject, predicate), []) if _is_blank(o)]

    def roots(self) -> list[Key]:
        """The blank nodes that nothing points at (`[] a owl:Axiom ; …`)."""
        return [s for s in self.subjects if _is_blank(s) and s not in self.parents]

    def signature(self, subject: Key) -> set[tuple[str, Key]]:
        """The (predicate, IRI or literal) pairs that describe `subject`."""
        if not self._signatures:
            for (s, p), objects in self.statements.items():
                found = self._signatures.setdefault(s, set())
                found.update((p, o) for o, _ in objects if not _is_blank(o))
        return self._signatures.get(subject, set())


def _is_blank(key: Key) -> bool:
    return isinstance(key, tuple) and key[0] == "blank"


@dataclass
class _Frame:
    """An open description: its subject, the predicate being read and what comes next."""

    subject: Key
    predicate: str | None = None
    state: str = "verb"  # verb | object | after
    closer: str | None = None  # "]" for a blank node property list, ")" for a collection
    top: bool = False  # a `[ … ]` or `( … )` that is the subject of a statement


@dataclass
class _Token:
    kind: str
    text: str
    line: int


def tokens(text: str) -> list[_Token]:
    """The tokens of a Turtle-family text with their lines (comments and spaces dropped).

    What is not Turtle (N3 formulas, …) is skipped.
    """
    found: list[_Token] = []
    line, last = 1, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "space" or kind == "comment":
            continue
        start = match.start()
        line += text.count("\n", last, start)
        last = start
        found.append(_Token(kind or "", match.group(), line))
    return found


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        if code:
            return chr(int(code, 16))
        char = match.group(3)
        return _SIMPLE_ESCAPES.get(char, char)

    return _ESCAPE.sub(one, text) if "\\" in text else text


class _Reader:
    """Reads statements out of the token list, with an explicit stack (no recursion)."""

    def __init__(self, items: list[_Token], base: str | None) -> None:
        self.items = items
        self.base = base
        self.namespaces: dict[str, str] = {}
        self.out = Positions()
        self.stack: list[_Frame] = []
        self.blanks = 0
        self.labels: dict[str, Key] = {}

    def iri(self, token: _Token) -> str | None:
        """The IRI a token names, resolved, or None (an unknown prefix)."""
        if token.kind == "iri":
            value = _unescape(token.text[1:-1])
            if self.base and not _SCHEME.match(value):
                value = urljoin(self.base, value)
        elif token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix not in self.namespaces:
                return None
            if "\\" in local:
                local = re.sub(r"\\(.)", r"\1", local)
            value = self.namespaces[prefix] + local
        elif token.kind == "word" and token.text == "a":
            return RDF_TYPE
        else:
            return None
        self.out.iris.setdefault(value, token.line)
        return value

    def new_blank(self) -> Key:
        self.blanks += 1
        return ("blank", str(self.blanks))

    def term(self, index: int) -> tuple[Key | None, int]:
        """The term at `index` (an IRI, a labelled blank node or a literal) and the next index."""
        token = self.items[index]
        if token.kind == "blank":
            key = self.labels.setdefault(token.text, ("blank", token.text))
            return key, index + 1
        if token.kind in ("string", "long"):
            quote = 3 if token.kind == "long" else 1
            lexical = _unescape(token.text[quote:-quote])
            index += 1
            if index < len(self.items) and self.items[index].kind == "at":
                index += 1
            elif index + 1 < len(self.items) and self.items[index].kind == "datatype":
                self.iri(self.items[index + 1])
                index += 2
            return ("literal", lexical), index
        if token.kind == "number" or (token.kind == "word" and token.text in ("true", "false")):
            return ("literal", token.text), index + 1
        return self.iri(token), index + 1

    def read(self) -> Positions:
        index, count = 0, len(self.items)
        while index < count:
            index = self.step(index)
        return self.out

    def step(self, index: int) -> int:
        """Read from `index`; return the index of the next token to read."""
        token = self.items[index]
        if not self.stack:
            return self.top(index)
        frame = self.stack[-1]
        if token.text in (".", "}") and token.kind == "punct":
            self.stack.clear()  # the end of a statement (or of a TriG graph)
            return index + 1
        if frame.closer == ")":
            return self.collection(index, frame)
        if frame.state == "object":
            return self.object(index, frame)
        if token.kind == "punct" and token.text == "]" and frame.closer == "]":
            self.close(frame)
            return index + 1
        if token.kind == "punct" and token.text in (";", ","):
            frame.state = "object" if token.text == "," and frame.predicate else "verb"
            return index + 1
        if frame.state == "verb":
            frame.predicate = self.iri(token)
            frame.state = "object"
        return index + 1  # "after": an N-Quads graph name, or what this reader skips

    def top(self, index: int) -> int:
        """A directive, a TriG graph, or the subject of a statement."""
        token = self.items[index]
        lowered = token.text.lower()
        nxt = self.items[index + 1] if index + 1 < len(self.items) else None
        if lowered in ("@prefix", "prefix") and nxt is not None and index + 2 < len(self.items):
            prefix = nxt.text[:-1] if nxt.text.endswith(":") else nxt.text
            target = self.items[index + 2]
            namespace = self.iri(target) if target.kind == "iri" else None
            if namespace is not None:
                self.namespaces[prefix] = namespace
                self.out.prefixes.append((prefix, namespace, token.line))
            return index + 3
        if lowered in ("@base", "base") and nxt is not None and nxt.kind == "iri":
            self.base = self.iri(nxt)
            return index + 2
        if token.kind == "punct" and token.text in ("[", "("):
            blank = self.new_blank()
            self.out.subjects.setdefault(blank, token.line)
            closer = "]" if token.text == "[" else ")"
            self.stack.append(_Frame(blank, closer=closer, top=True))
            return index + 1
        if (nxt is not None and nxt.text == "{") or lowered == "graph" or token.kind == "punct":
            return index + 1  # a TriG graph name, `{`, `}` or a stray `.`
        subject, after = self.term(index)
        if subject is not None:
            self.out.subjects.setdefault(subject, token.line)
            self.stack.append(_Frame(subject))
        return after

    def object(self, index: int, frame: _Frame) -> int:
        token = self.items[index]
        frame.state = "after"
        if token.kind == "punct" and token.text in ("[", "("):
            child = self.new_blank()
            self.record(frame.subject, frame.predicate, child, token.line)
            self.out.subjects.setdefault(child, token.line)
            self.stack.append(_Frame(child, closer="]" if token.text == "[" else ")"))
            return index + 1
        value, after = self.term(index)
        if value is not None:
            self.record(frame.subject, frame.predicate, value, token.line)
        return after

    def collection(self, index: int, frame: _Frame) -> int:
        """An item of `( … )`: recorded as the list's rdf:first, nested lists included."""
        token = self.items[index]
        if token.kind == "punct" and token.text == ")":
            self.close(frame)
            return index + 1
        saved = frame.predicate
        frame.predicate, frame.state = RDF_FIRST, "object"
        after = self.object(index, frame)
        frame.predicate, frame.state = saved, "verb"
        return after

    def record(self, subject: Key, predicate: str | None, value: Key, line: int) -> None:
        if predicate is None:
            return
        self.out.statements[(subject, predicate)].append((value, line))
        if _is_blank(value):
            self.out.parents.setdefault(value, (subject, predicate))

    def close(self, frame: _Frame) -> None:
        """The end of `[ … ]` or `( … )`: back to the description that holds it."""
        if frame.top:
            # `[ … ] :p :o .` and `( … ) :p :o .`: the blank node goes on as a subject
            frame.closer, frame.top, frame.state = None, False, "verb"
            return
        self.stack.pop()
        if self.stack and self.stack[-1].closer != ")":
            self.stack[-1].state = "after"


def read_positions(text: str, base: str | None = None) -> Positions:
    """The statements of a Turtle, TriG, N-Triples or N-Quads text, with their lines."""
    return _Reader(tokens(text), base).read()
