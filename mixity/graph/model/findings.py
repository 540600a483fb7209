"""One finding of `mixity validate`, and how a term is shown in it."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from mixity.graph.model.labels import compact


@dataclass(frozen=True)
class Finding:
    """One problem about one resource (a SHACL result, a quote, a statement or a term)."""

    focus: str
    label: str
    message: str
    severity: str
    shape: str
    path: str | None = None
    value: str | None = None
    origin: str | None = None
    line: int | None = None

    @property
    def where(self) -> str | None:
        """`file:line`, or the file alone, or None."""
        if self.origin is None:
            return None
        return f"{self.origin}:{self.line}" if self.line is not None else self.origin

    def to_line(self) -> str:
        """The finding as a line of the text report: `file:line: severity [path] value: …`."""
        where = f"{self.where}: " if self.where else ""
        path = f" [{self.path}]" if self.path else ""
        # The value is named once: in the message when the shape's message quotes it.
        value = f" {self.value}" if self.value and self.value not in self.message else ""
        return f"{where}{self.severity}{path}{value}: {self.message}  (shape {self.shape})"


def show(node: Node) -> str:
    """A term as a finding shows it: `prefix:name` or `<IRI>`, a quoted literal, a blank node."""
    if isinstance(node, URIRef):
        return compact(str(node))
    if isinstance(node, Literal):
        return repr(str(node))
    return "[blank node]"
