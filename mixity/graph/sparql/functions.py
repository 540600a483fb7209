"""mixity's own SPARQL functions, the same on both engines.

`mix:fold(?text)` is `?text` as names are matched everywhere in mixity
(`mixity.graph.model.resolve.fold`): lower case, no accents, no punctuation, one space between
words, as a plain string (`xsd:string`, no language tag). So
`FILTER(CONTAINS(mix:fold(?quote), "copropriete"))` finds « copropriété », and
`FILTER(mix:fold(?label) = mix:fold("Mixité sociale"))` compares two names as the resolver does.
Its argument must be a string (plain or with a language tag); anything else (an IRI, a number,
two arguments) is an error, so the expression is unbound, as for SPARQL's own LCASE.

Oxigraph gets `OXIGRAPH_FUNCTIONS` with each query; the rdflib engine registers
`rdflib_functions()` (in `mixity.graph.sparql.memory`). An endpoint knows nothing of them.
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from mixity.namespaces import MIX, PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

FOLD = MIX + "fold"
#: Every function mixity defines, by IRI (`mix:` terms that are functions, not graph terms).
FUNCTIONS: frozenset[str] = frozenset((FOLD,))
_STRING = PREFIXES["xsd"] + "string"


def fold_text(text: str) -> str:
    """The one fold of mixity (see `mixity.graph.model.resolve.fold`)."""
    from mixity.graph.model.resolve import fold  # only when a query calls mix:fold

    return fold(text)


def _fold(*args: object) -> ox.Literal | None:
    """mix:fold on Oxigraph: None (an error: unbound) unless given one string literal."""
    if len(args) != 1 or not isinstance(args[0], ox.Literal):
        return None
    literal = args[0]
    if literal.language is None and literal.datatype.value != _STRING:
        return None
    return ox.Literal(fold_text(literal.value))


OXIGRAPH_FUNCTIONS: dict[ox.NamedNode, Callable[..., Term | None]] = {ox.NamedNode(FOLD): _fold}
