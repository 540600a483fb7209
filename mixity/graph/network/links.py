"""Which links the networkx projection follows, so that paths and measures count content, not
the structure of the vocabularies.

Left alone, structure dominates: every notion is one step from its concept scheme
(`skos:inScheme`), so every path between two notions runs through the scheme and the schemes
rank among the most central resources; and a link stated both ways, (A `skos:broader` B) with
(B `skos:narrower` A), counts twice. By default (`Links()`), the projection

- leaves out scheme membership (`vocabulary.SCHEME_PROPERTIES`: `skos:inScheme`,
  `skos:hasTopConcept`, `skos:topConceptOf`),
- counts a link stated both ways once, as the first property of its pair
  (`model.views.inverse_properties`: broader/narrower, subEvent/superEvent, and any pair a
  loaded file declares with `owl:inverseOf`),
- and leaves out a resource whose every link is left out (a concept scheme).

`exclude` leaves out more properties, `via` follows only the properties named; a property
stands for itself, its subproperties (`rdfs:subPropertyOf`) and its inverse. Exports keep every
link (`Links.everything()`): they are lossless.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from mixity.errors import InvalidParameter, UnknownName
from mixity.graph.model.edges import inverse_properties
from mixity.graph.model.resolve import as_iri, compact
from mixity.graph.model.vocabulary import (
    INVERSE_OF,
    OWL,
    RDF,
    RDF_TYPE,
    SCHEME_PROPERTIES,
    SUBPROPERTY_OF,
)

Triple = tuple[str, str, str]


@dataclass(frozen=True)
class Links:
    """Which relations the projection keeps (property IRIs).

    Args:
        exclude: properties left out.
        via: when given, only these properties are followed (and `exclude` still applies).
        one_way: count a link stated both ways (an inverse pair) once.
    """

    exclude: frozenset[str] = SCHEME_PROPERTIES
    via: frozenset[str] | None = None
    one_way: bool = True

    @classmethod
    def everything(cls) -> Links:
        """Every link, both ways: what an export writes."""
        return cls(exclude=frozenset(), via=None, one_way=False)

    @classmethod
    def chosen(cls, exclude: Iterable[str] = (), via: Iterable[str] | None = None) -> Links:
        """The default, with more properties left out; or only the `via` properties (scheme
        membership is then followed if named)."""
        if via is not None:
            return cls(exclude=frozenset(exclude), via=frozenset(via))
        return cls(exclude=SCHEME_PROPERTIES | frozenset(exclude))

    @property
    def everything_kept(self) -> bool:
        return not self.exclude and self.via is None and not self.one_way


def follow(
    relations: Iterable[Triple], links: Links, vocabulary: Iterable[Triple] | None = None
) -> list[Triple]:
    """The relations (subject, property, object) kept, each inverse link turned the way its
    pair reads, each link once; in their first order. `vocabulary`: the triples that declare
    subproperties and inverses (default: `relations`)."""
    relations = list(relations)
    if links.everything_kept:
        return relations
    declaring = relations if vocabulary is None else list(vocabulary)
    below = subproperties(declaring)
    declared = [(s, o) for s, p, o in declaring if p == INVERSE_OF]
    inverse = inverse_properties(declared) if links.one_way else {}
    excluded = _covered(links.exclude, below, inverse)
    allowed = _covered(links.via, below, inverse) if links.via is not None else None
    kept: dict[Triple, None] = {}
    for s, p, o in relations:
        if p in excluded or (allowed is not None and p not in allowed):
            continue
        turned = inverse.get(p)
        kept[(o, turned, s) if turned is not None else (s, p, o)] = None
    return list(kept)


def subproperties(relations: Iterable[Triple]) -> dict[str, set[str]]:
    """Property -> itself and every property below it (`rdfs:subPropertyOf`, transitively)."""
    children: defaultdict[str, set[str]] = defaultdict(set)
    for s, p, o in relations:
        if p == SUBPROPERTY_OF:
            children[o].add(s)
    found: dict[str, set[str]] = {}
    for top in children:
        seen = {top}
        todo = [top]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        found[top] = seen
    return found


def _covered(
    props: Collection[str], below: Mapping[str, set[str]], inverse: Mapping[str, str]
) -> set[str]:
    """The properties, their subproperties, and the inverses of all of them."""
    found: set[str] = set()
    for prop in props:
        found |= below.get(prop, {prop})
    pairs = {**inverse, **{kept: turned for turned, kept in inverse.items()}}
    found |= {pairs[p] for p in found if p in pairs}
    for prop in list(found):
        found |= below.get(prop, {prop})
    return found


def known_properties(relations: Iterable[Triple]) -> set[str]:
    """The properties the links use, and those the vocabulary declares (typed as a property,
    or in an `rdfs:subPropertyOf` or `owl:inverseOf` statement)."""
    kinds = {RDF + "Property", OWL + "ObjectProperty", OWL + "TransitiveProperty"}
    kinds |= {OWL + "SymmetricProperty", OWL + "FunctionalProperty"}
    found: set[str] = set()
    for s, p, o in relations:
        found.add(p)
        if p in (SUBPROPERTY_OF, INVERSE_OF):
            found.update((s, o))
        elif p == RDF_TYPE and o in kinds:
            found.add(s)
    return found


def property_iris(
    texts: Iterable[str],
    used: Collection[str],
    prefixes: Mapping[str, str],
    parameter: str,
) -> list[str]:
    """The property IRIs `texts` name (`prefix:name`, `<IRI>` or an IRI), each one the graph
    knows (`used`: `known_properties`); raises `InvalidParameter` or `UnknownName` (with the
    closest properties) otherwise."""
    found: list[str] = []
    for text in texts:
        iri = as_iri(text, prefixes)
        if iri is None:
            raise InvalidParameter(
                parameter, f"{text!r} is not a property: give prefix:name or an IRI"
            )
        if iri not in used:
            names = sorted({compact(p, prefixes) for p in used})
            close = difflib.get_close_matches(compact(iri, prefixes), names, n=3, cutoff=0.6)
            raise UnknownName("property", text, close)
        found.append(iri)
    return found
