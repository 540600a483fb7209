"""REFI-QDA (QDA-XML 1.0): the graph as a coded project for ATLAS.ti, NVivo, MAXQDA, QualCoder,
openQDA, and a coded project back as Turtle.

Export (`export_project`, `export_codebook`): the codes are the graph's questions, levers,
findings and concepts, nested as in the graph (levers under the first question they respond to,
concepts under their broader concept, each group or concept scheme a code that is not codable);
each source text given (found by the SHA-256 its `mix:SourceDocument` records) is a TextSource,
and each quote of it a PlainTextSelection coded with the codes of the resources it is evidence
for. A second question a lever responds to, or a second broader concept, is a Link. Offsets
count Unicode code points (REFI-QDA 1.5, §10.2), the end exclusive as the QDA programs read it.
GUIDs are derived from IRIs, so two runs give the same project, byte for byte.

Import: `mixity.graph.exchange.qdpx_import`.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from mixity import __version__
from mixity.errors import MixityError
from mixity.graph.exchange.debate import (
    CONCEPT_TYPES,
    FINDING_TYPES,
    LEVER_TYPES,
    QUESTION_TYPES,
    RESPONDS_TO,
    Quote,
    checksums,
    description,
    guid,
    instances,
    name,
    quotes,
    source_documents,
)
from mixity.namespaces import ID

if TYPE_CHECKING:
    from mixity.graph.model.quotes import SourceText

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: The one user the export names as the author of every selection and coding.
USER_NAME = "mixity"
USER_GUID = guid("https://w3id.org/mixity/id/qdpx/user/mixity")

#: Names of the groups of codes, by language.
GROUPS = {
    "questions": {"fr": "Questions", "en": "Questions"},
    "levers": {"fr": "Leviers", "en": "Levers"},
    "findings": {"fr": "Constats", "en": "Findings"},
    "concepts": {"fr": "Concepts", "en": "Concepts"},
}
LINK_NAMES = {
    "responds-to": {"fr": "répond à", "en": "responds to"},
    "broader": {"fr": "plus large", "en": "broader"},
}

# Characters XML 1.0 cannot hold (a label with a control character would make invalid XML).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


# --------------------------------------------------------------------------------------------
# The codebook


@dataclass(eq=False)
class Code:
    """A code of the codebook: a resource of the graph, or a group (not codable)."""

    guid: str
    name: str
    codable: bool
    description: str | None = None
    resource: URIRef | None = None
    children: list[Code] = field(default_factory=list)

    def walk(self) -> Iterable[Code]:
        """This code and every code under it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Codebook:
    """The codes, the resource each code stands for, and the links the tree cannot hold."""

    roots: list[Code]
    by_resource: dict[URIRef, Code]
    #: (link kind, origin code, target code)
    links: list[tuple[str, Code, Code]]


def codebook(graph: Graph, lang: str = "fr") -> Codebook:
    """The graph's questions, levers, findings and concepts as a tree of codes."""
    by_resource: dict[URIRef, Code] = {}
    links: list[tuple[str, Code, Code]] = []

    def code_for(resource: URIRef) -> Code:
        code = Code(
            guid(str(resource)),
            _xml_text(name(graph, resource, lang)),
            True,
            _described(graph, resource, lang),
            resource,
        )
        by_resource[resource] = code
        return code

    def group(key: str) -> Code:
        return Code(guid(f"{ID}qdpx/group/{key}"), GROUPS[key][lang], False)

    findings = set(instances(graph, FINDING_TYPES))
    roots: list[Code] = []
    questions = group("questions")
    asked = {q for q in instances(graph, QUESTION_TYPES) if q not in findings}
    for resource in sorted(asked):
        questions.children.append(code_for(resource))
    levers = group("levers")
    for resource in instances(graph, LEVER_TYPES):
        if resource in by_resource:
            continue
        code = code_for(resource)
        answered = sorted(
            (
                by_resource[q]
                for q in graph.objects(resource, RESPONDS_TO)
                if isinstance(q, URIRef) and q in asked
            ),
            key=_order,
        )
        (answered[0].children if answered else levers.children).append(code)
        links += [("responds-to", code, other) for other in answered[1:]]
    finding_group = group("findings")
    for resource in sorted(findings):
        if resource not in by_resource:
            finding_group.children.append(code_for(resource))
    roots += [g for g in (questions, levers, finding_group) if g.children]
    roots += _concepts(graph, lang, by_resource, links, code_for, group("concepts"))
    _sort(roots)
    return Codebook(roots, by_resource, links)


def _described(graph: Graph, resource: URIRef, lang: str) -> str | None:
    text = description(graph, resource, lang)
    return _xml_text(text) if text else None


def _order(code: Code) -> tuple[str, str]:
    return (code.name.casefold(), code.guid)


def _sort(codes: list[Code]) -> None:
    codes.sort(key=_order)
    for code in codes:
        _sort(code.children)


def _concepts(
    graph: Graph,
    lang: str,
    by_resource: dict[URIRef, Code],
    links: list[tuple[str, Code, Code]],
    code_for: Callable[[URIRef], Code],
    unfiled: Code,
) -> list[Code]:
    """Concepts grouped by their (first) scheme, nested by skos:broader within it; concepts in
    no scheme go to `unfiled`."""
    concepts = [c for c in instances(graph, CONCEPT_TYPES) if c not in by_resource]
    scheme_of: dict[URIRef, URIRef | None] = {}
    for concept in concepts:
        schemes = sorted(
            s
            for p in (SKOS.inScheme, SKOS.topConceptOf)
            for s in graph.objects(concept, p)
            if isinstance(s, URIRef)
        )
        scheme_of[concept] = schemes[0] if schemes else None
        by_resource[concept] = code_for(concept)
    parents: dict[URIRef, list[URIRef]] = {c: [] for c in concepts}
    for concept in concepts:
        broader = {b for b in graph.objects(concept, SKOS.broader) if isinstance(b, URIRef)}
        broader |= {b for b in graph.subjects(SKOS.narrower, concept) if isinstance(b, URIRef)}
        same = [b for b in broader if b in scheme_of and scheme_of[b] == scheme_of[concept]]
        parents[concept] = sorted(
            (b for b in same if b != concept), key=lambda b: _order(by_resource[b])
        )
    chosen: dict[URIRef, URIRef] = {}
    for concept in concepts:
        for parent in parents[concept]:
            # a parent that is already below this concept would close a cycle: the tree
            # cannot hold it, so it becomes a link
            up: URIRef | None = parent
            while up is not None and up != concept:
                up = chosen.get(up)
            if up is None and concept not in chosen:
                chosen[concept] = parent
            else:
                links.append(("broader", by_resource[concept], by_resource[parent]))
    groups: dict[URIRef | None, Code] = {}
    for concept in concepts:
        scheme: URIRef | None = scheme_of[concept]
        if scheme not in groups:
            groups[scheme] = (
                unfiled
                if scheme is None
                else Code(
                    guid(str(scheme)),
                    _xml_text(name(graph, scheme, lang)),
                    False,
                    _described(graph, scheme, lang),
                )
            )
        code = by_resource[concept]
        above = chosen.get(concept)
        (by_resource[above].children if above is not None else groups[scheme].children).append(code)
    return list(groups.values())


# --------------------------------------------------------------------------------------------
# Export


@dataclass
class Exported:
    """A written project or codebook, and what could not go into it."""

    data: bytes
    codes: int
    sources: int = 0
    selections: int = 0
    #: selections with at least one code
    coded: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Selection:
    """A located quote: where it is in its text, and the codes it is coded with."""

    guid: str
    start: int
    end: int
    codes: tuple[Code, ...]
    quote: Quote


def _codes_xml(parent: ET.Element, codes: list[Code]) -> None:
    for code in codes:
        attrs = {
            "guid": code.guid,
            "name": code.name,
            "isCodable": "true" if code.codable else "false",
        }
        element = ET.SubElement(parent, "Code", attrs)
        if code.description:
            ET.SubElement(element, "Description").text = code.description
        _codes_xml(element, code.children)


def _serialise(root: ET.Element, ns: str) -> bytes:
    # The namespace as a plain xmlns attribute: ElementTree's default_namespace refuses the
    # unqualified attributes that QDA-XML uses.
    root.set("xmlns", ns)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def export_codebook(graph: Graph, *, lang: str = "fr") -> Exported:
    """The codebook alone (`.qdc`, Codebook.xsd)."""
    book = codebook(graph, lang)
    if not book.roots:
        raise MixityError("the graph has no question, lever, finding or concept: no code to export")
    root = ET.Element("CodeBook", {"origin": f"mixity {__version__}"})
    _codes_xml(ET.SubElement(root, "Codes"), book.roots)
    return Exported(_serialise(root, CODEBOOK_NS), sum(1 for r in book.roots for _ in r.walk()))


def locate(quote: Quote, text: SourceText) -> tuple[int, int]:
    """Where a quote is in its text (code points, end exclusive); a `MixityError` when it is
    not there, or is there several times that its prefix, suffix or position do not tell apart."""
    from mixity.graph.model.quotes import check

    result = check(text, quote.exact, quote.prefix, quote.suffix, quote.position)
    if result.severity == "Violation" or not result.matches:
        raise MixityError(f"{_show(quote.key)}: {result.problem}")
    match = result.matches[0]
    return match.start, match.end


def _show(key: str) -> str:
    from mixity.graph.model.labels import compact

    return compact(key) if not key.startswith("_:") else "a blank evidence node"


def _documents(graph: Graph, sources: Path, warnings: list[str]) -> dict[URIRef, SourceText]:
    """The source documents whose text is in `sources` (by SHA-256); a warning for each other."""
    from mixity.graph.model.quotes import read_sources

    texts = read_sources(sources)
    documents: dict[URIRef, SourceText] = {}
    for document in source_documents(graph):
        recorded = checksums(graph, document)
        found = next((texts[c] for c in recorded if c in texts), None)
        if found is None:
            why = "records no SHA-256 checksum" if not recorded else f"has no text in {sources}"
            warnings.append(f"{_show(str(document))}: {why}: skipped, with its quotes")
            continue
        documents[document] = found
    return documents


def _selections(
    graph: Graph, documents: dict[URIRef, SourceText], book: Codebook
) -> dict[URIRef, list[Selection]]:
    """Every quote of the documents, located in its text and coded, by document."""
    found: dict[URIRef, list[Selection]] = {d: [] for d in documents}
    for quote in quotes(graph):
        if quote.source not in documents:
            continue
        start, end = locate(quote, documents[quote.source])
        codes = tuple(
            sorted((book.by_resource[r] for r in quote.about if r in book.by_resource), key=_order)
        )
        found[quote.source].append(Selection(guid(quote.key), start, end, codes, quote))
    for selections in found.values():
        selections.sort(key=lambda s: (s.start, s.end, s.guid))
    return found


def _selection_xml(parent: ET.Element, selection: Selection, text: str) -> None:
    attrs = {
        "guid": selection.guid,
        "name": _xml_text(_clip(text[selection.start : selection.end])),
        "startPosition": str(selection.start),
        "endPosition": str(selection.end),
        "creatingUser": USER_GUID,
    }
    chosen = ET.SubElement(parent, "PlainTextSelection", attrs)
    for code in selection.codes:
        key = guid(f"{selection.quote.key} {code.guid}")
        coding = ET.SubElement(chosen, "Coding", {"guid": key, "creatingUser": USER_GUID})
        ET.SubElement(coding, "CodeRef", {"targetGUID": code.guid})


def _links_xml(root: ET.Element, links: list[tuple[str, Code, Code]], lang: str) -> None:
    element = ET.SubElement(root, "Links")
    for kind, origin, target in sorted(links, key=lambda k: (k[0], k[1].guid, k[2].guid)):
        attrs = {
            "guid": guid(f"{kind} {origin.guid} {target.guid}"),
            "name": LINK_NAMES[kind][lang],
            "direction": "OneWay",
            "originGUID": origin.guid,
            "targetGUID": target.guid,
        }
        ET.SubElement(element, "Link", attrs)


def export_project(
    graph: Graph, sources: Path, *, lang: str = "fr", project_name: str = "mixity"
) -> Exported:
    """A REFI-QDA project (`.qdpx`): the texts of `sources` with the quotes coded in them.

    Source documents without a text in `sources` (matched by SHA-256) are skipped with a
    warning, and so are their quotes. Raises `MixityError` when a quote of a text that is there
    cannot be located in it.
    """
    warnings: list[str] = []
    documents = _documents(graph, sources, warnings)
    book = codebook(graph, lang)
    selections = _selections(graph, documents, book)
    attrs = {"name": _xml_text(project_name), "origin": f"mixity {__version__}"}
    root = ET.Element("Project", {**attrs, "creatingUserGUID": USER_GUID})
    users = ET.SubElement(root, "Users")
    ET.SubElement(users, "User", {"guid": USER_GUID, "name": USER_NAME})
    if book.roots:
        _codes_xml(ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes"), book.roots)
    archive: dict[str, bytes] = {}
    if documents:
        sources_element = ET.SubElement(root, "Sources")
        for document, text in sorted(documents.items(), key=lambda item: str(item[0])):
            source_guid = guid(str(document))
            source = {
                "guid": source_guid,
                "name": _xml_text(_title(graph, document, lang)),
                "plainTextPath": f"internal://{source_guid}.txt",
                "creatingUser": USER_GUID,
            }
            element = ET.SubElement(sources_element, "TextSource", source)
            archive[f"sources/{source_guid}.txt"] = text.text.encode("utf-8")
            for selection in selections[document]:
                _selection_xml(element, selection, text.text)
    if book.links:
        _links_xml(root, book.links, lang)
    every = [s for found in selections.values() for s in found]
    return Exported(
        _zip({"project.qde": _serialise(root, PROJECT_NS), **archive}),
        sum(1 for r in book.roots for _ in r.walk()),
        len(documents),
        len(every),
        sum(1 for s in every if s.codes),
        warnings,
    )


def _title(graph: Graph, document: URIRef, lang: str) -> str:
    from mixity.graph.exchange.debate import text_value

    return text_value(graph, document, (DCTERMS.title, RDFS.label), lang) or name(
        graph, document, lang
    )


def _clip(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _zip(entries: dict[str, bytes]) -> bytes:
    """A zip archive of `entries`, with fixed dates so that the same entries give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in entries.items():
            info = zipfile.ZipInfo(entry, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()
