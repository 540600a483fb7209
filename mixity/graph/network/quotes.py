"""The quotes a fact rests on, as attributes of the fact, when the evidence nodes are left out.

A projection without the evidence (`export --no-evidence`, Gephi's usual choice) would lose the
quotes with the `oa:SpecificResource` nodes that hold them. Each fact that cites evidence
(`mix:evidence` or a subproperty) keeps them instead, as three aligned lists (`a|b` in the
exports): `quote` (the exact texts, `oa:exact`), `quote_source` (the title of the document each
is taken from) and `quote_source_iri` (its IRI).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping

from rdflib import Literal

from mixity.graph.model.vocabulary import (
    DCTERMS,
    EVIDENCE,
    EXACT,
    HAS_SELECTOR,
    HAS_SOURCE,
    LABEL_PROPERTIES,
    SCHEMA,
)
from mixity.graph.network.links import Triple, subproperties

QUOTE_ATTRIBUTES = ("quote", "quote_source", "quote_source_iri")
_TITLES = (DCTERMS + "title", SCHEMA + "name", *LABEL_PROPERTIES)


def quote_attributes(
    relations: Iterable[Triple],
    literals: Mapping[str, list[tuple[str, Literal]]],
    facts: Collection[str],
    lang: str,
) -> dict[str, dict[str, list[str]]]:
    """Fact key -> {quote, quote_source, quote_source_iri} for the `facts` that cite evidence."""
    relations = list(relations)
    cites = subproperties(relations).get(EVIDENCE, {EVIDENCE})
    out_links: defaultdict[tuple[str, str], list[str]] = defaultdict(list)
    cited: defaultdict[str, list[str]] = defaultdict(list)
    for s, p, o in relations:
        if p in (HAS_SELECTOR, HAS_SOURCE):
            out_links[s, p].append(o)
        elif p in cites and s in facts:
            cited[s].append(o)
    found: dict[str, dict[str, list[str]]] = {}
    for fact, evidences in cited.items():
        rows: list[tuple[str, str, str]] = []
        for evidence in sorted(set(evidences)):
            sources = sorted(out_links[evidence, HAS_SOURCE])
            source = sources[0] if sources else ""
            title = _title(literals.get(source, []), lang) or source
            for selector in sorted(out_links[evidence, HAS_SELECTOR]):
                rows += [
                    (str(value), title, source)
                    for prop, value in literals.get(selector, [])
                    if prop == EXACT
                ]
        if rows:
            rows.sort()
            found[fact] = {
                name: [row[i] for row in rows] for i, name in enumerate(QUOTE_ATTRIBUTES)
            }
    return found


def _title(values: list[tuple[str, Literal]], lang: str) -> str:
    """A document's title or name or label, in `lang` if it has one."""
    for prop in _TITLES:
        texts = [value for p, value in values if p == prop]
        for value in sorted(texts, key=lambda v: (v.language != lang, str(v))):
            return str(value)
    return ""
