"""Texts in both languages and the anchors of the documentation.

Every label, definition and word of the pages is written in French and in English, each with
the language it is really in: a term with no English label shows its French one in the English
slot, marked `lang="fr"`, so that the switch changes every label and a screen reader still
reads each text in its own language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from mixity.graph.model.labels import LANGS, labels, local_name
from mixity.graph.model.resolve import compact

#: The languages of the documentation, in the order the switch shows them.
DOC_LANGS = LANGS


@dataclass(frozen=True)
class Slot:
    """The text shown for one language of the switch, and the language it is written in."""

    text: str
    lang: str


@dataclass(frozen=True)
class Bilingual:
    """A text as the pages show it: one slot per language of the switch."""

    fr: Slot
    en: Slot

    def slot(self, lang: str) -> Slot:
        """The slot of `lang` ('fr' or 'en')."""
        return self.fr if lang == "fr" else self.en

    def __str__(self) -> str:
        return self.fr.text


def same(text: str, lang: str = "") -> Bilingual:
    """One text in both slots (an IRI, a number, a name that no language owns)."""
    return Bilingual(Slot(text, lang), Slot(text, lang))


def words(fr: str, en: str) -> Bilingual:
    """A phrase of the interface, in French and in English."""
    return Bilingual(Slot(fr, "fr"), Slot(en, "en"))


def pick(found: Mapping[str, str], fallback: str) -> Bilingual:
    """Texts by language tag ('' for none) as one per slot: the slot's language, else the
    other one, else the untagged text, else `fallback`."""

    def one(lang: str) -> Slot:
        for wanted in (lang, *(other for other in DOC_LANGS if other != lang)):
            if wanted in found:
                return Slot(found[wanted], wanted)
        if "" in found:
            return Slot(found[""], "")
        return Slot(fallback, "")

    return Bilingual(one("fr"), one("en"))


def name_of(graph: Graph, node: Node) -> Bilingual:
    """A resource's label in each language (skos:prefLabel, then rdfs:label), else its local
    name, as `mixity.graph.model.labels.label` picks it."""
    if isinstance(node, Literal):
        return same(str(node), node.language or "")
    return pick(labels(graph, node), local_name(str(node)))


def text_of(graph: Graph, node: Node, properties: Iterable[str]) -> Bilingual | None:
    """The first of `properties` that has a literal in each language (a definition, a title),
    or None when none of them has a value."""
    found: dict[str, str] = {}
    for prop in properties:
        for value in sorted(graph.objects(node, URIRef(prop)), key=str):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", str(value))
    return pick(found, "") if found else None


_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")


def slug(text: str) -> str:
    """An id-safe form of a name: accents dropped, anything but letters, digits, '_' and '-'
    turned into '-'."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _NOT_ID.sub("-", plain).strip("-") or "term"


class Anchors:
    """Unique element ids for IRIs: a slug of the prefixed name (`mix:Meeting` is
    `mix-Meeting`), with a number added when two names give one slug."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = prefixes
        self._ids: dict[str, str] = {}
        self._taken: set[str] = set()
        self._compact: dict[str, str] = {}

    def reserve(self, element_id: str) -> None:
        """Keep an id for the page itself (a section): no term gets it."""
        self._taken.add(element_id)

    def compact(self, iri: str) -> str:
        """`prefix:name` with the longest known namespace, else `<iri>`."""
        found = self._compact.get(iri)
        if found is None:
            found = self._compact[iri] = compact(iri, self.prefixes)
        return found

    def id(self, iri: str) -> str:
        """The id of `iri`, the same every time it is asked."""
        found = self._ids.get(iri)
        if found is None:
            name = self.compact(iri)
            base = slug(name.replace(":", "-", 1)) if not name.startswith("<") else ""
            base = base or "iri-" + slug(local_name(iri))
            found, n = base, 1
            while found in self._taken:
                n += 1
                found = f"{base}-{n}"
            self._taken.add(found)
            self._ids[iri] = found
        return found
