"""SPARQL constraints of the shapes parsed once, not once per focus node.

pySHACL evaluates a SHACL-SPARQL constraint by handing its text to rdflib for every focus node,
and rdflib parses and translates the text every time: for the bundled shapes, 17 parses of
three queries took 1.2 to 1.5 s of the 4 s `mixity validate` spent in pySHACL. rdflib's
answer is the prepared query (`prepareQuery`), evaluated with other initial bindings as many
times as needed. `prepared_queries()` registers, for the time of a validation, an rdflib SPARQL
processor (rdflib's plugin registry: the "sparql" `Processor`) that prepares each text once and
then runs the prepared query, and puts the processor registered before back after.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from rdflib import plugin
from rdflib.plugins.sparql.processor import SPARQLProcessor, prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor
from rdflib.term import Identifier

_RDFLIB = ("rdflib.plugins.sparql.processor", "SPARQLProcessor")


@lru_cache(maxsize=256)
def _prepared(text: str, base: str | None, namespaces: frozenset[tuple[str, Any]]) -> Query:
    return prepareQuery(text, dict(namespaces), base)


class PreparedProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, with each query text prepared once (same text, base and
    namespaces: the same query)."""

    def query(  # type: ignore[override]
        self,
        strOrQuery: str | Query,  # rdflib's parameter names
        initBindings: Mapping[str, Identifier] | None = None,
        initNs: Mapping[str, Any] | None = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Mapping[str, Any]:
        if isinstance(strOrQuery, str):
            strOrQuery = _prepared(strOrQuery, base, frozenset((initNs or {}).items()))
        return super().query(strOrQuery, initBindings, initNs, base, DEBUG)


@contextmanager
def prepared_queries() -> Iterator[None]:
    """rdflib's SPARQL queries prepared once per text, within the block; the processor that
    was registered before is registered again after."""
    before = next(iter(plugin.plugins("sparql", Processor)), None)
    plugin.register("sparql", Processor, __name__, PreparedProcessor.__name__)
    try:
        yield
    finally:
        if before is not None:
            plugin.register("sparql", Processor, before.module_path, before.class_name)
        else:
            plugin.register("sparql", Processor, *_RDFLIB)
