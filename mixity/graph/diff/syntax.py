"""RDF terms as SPARQL and Turtle write them (the two agree on terms), with prefixed names."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal
from rdflib.namespace import RDF
from rdflib.term import Node

from mixity.graph.diff.components import Triple
from mixity.graph.model.resolve import compact

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_INTEGER = re.compile(r"[+-]?[0-9]+")


class TermWriter:
    """Writes terms, shortening IRIs with `prefixes` and remembering which prefixes it used."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self.used: set[str] = set()

    def iri(self, iri: str) -> str:
        """`prefix:name` when a prefix fits and every parser reads it back, else `<iri>`."""
        shown = compact(iri, self.prefixes)
        if not shown.startswith("<"):
            self.used.add(shown.split(":", 1)[0])
        return shown

    def term(self, node: Node, blanks: Mapping[BNode, str]) -> str:
        """A term; blank nodes are written as `blanks` names them (`_:n1`, or `?b1`)."""
        if isinstance(node, BNode):
            return blanks[node]
        if isinstance(node, Literal):
            text = str(ox.Literal(str(node)))  # Oxigraph's escaping of the lexical form
            if node.language:
                return f"{text}@{node.language}"
            if str(node.datatype) == _XSD_INTEGER and _INTEGER.fullmatch(str(node)):
                return str(node)  # 12, as Turtle and SPARQL write an integer
            if node.datatype is not None and str(node.datatype) != _XSD_STRING:
                return f"{text}^^{self.iri(str(node.datatype))}"
            return text
        return self.iri(str(node))

    def predicate(self, node: Node) -> str:
        """A predicate, `a` for rdf:type."""
        return "a" if node == RDF.type else self.iri(str(node))

    def triple(self, triple: Triple, blanks: Mapping[BNode, str]) -> str:
        """`s p o .`"""
        s, p, o = triple
        return f"{self.term(s, blanks)} {self.predicate(p)} {self.term(o, blanks)} ."

    def prologue(self, keyword: str = "PREFIX") -> str:
        """The declarations of the prefixes used so far (`PREFIX` or `@prefix`)."""
        end = " ." if keyword.startswith("@") else ""
        return "".join(f"{keyword} {p}: <{self.prefixes[p]}>{end}\n" for p in sorted(self.used))
