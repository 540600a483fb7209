"""Check a loaded graph against the bundled SHACL shapes (pySHACL), and its quotes against
the texts of its sources (`mixity.graph.model.quotes`).

"Does not conform" is a result, not an exception: `validate` returns a `ValidationReport`
and the CLI maps `conforms` to the exit code. Every finding names the file and line of the
resource it is about, when the loader knows the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SH, Namespace
from rdflib.term import IdentifiedNode, Node

from mixity.graph.io.loader import LoadedGraph, new_graph, shapes_graph
from mixity.graph.io.write import one_line
from mixity.graph.model.labels import compact, label, local_name

if TYPE_CHECKING:
    from mixity.graph.model.quotes import SourceText

OA = Namespace("http://www.w3.org/ns/oa#")
SPDX = Namespace("http://spdx.org/rdf/terms#")


@dataclass(frozen=True)
class Finding:
    """One SHACL result about one resource."""

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


@dataclass
class ValidationReport:
    """The outcome of `validate`: conforms or not, the findings, and pySHACL's raw report."""

    conforms: bool
    findings: list[Finding] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)

    def by_resource(self) -> dict[str, list[Finding]]:
        """Findings grouped by focus resource, in a stable order."""
        groups: dict[str, list[Finding]] = {}
        key = lambda f: (f.origin or "", f.line or 0, f.focus, f.message)  # noqa: E731
        for finding in sorted(self.findings, key=key):
            groups.setdefault(finding.focus, []).append(finding)
        return groups

    def to_text(self) -> str:
        """A readable report, grouped by resource."""
        if not self.findings:
            return "The graph conforms to the mixity shapes.\n"
        lines = []
        for focus, items in self.by_resource().items():
            first = items[0]
            where = f"  ({first.where})" if first.where else ""
            lines.append(one_line(f"{first.label}  {focus}{where}"))
            for item in items:
                path = f" [{item.path}]" if item.path else ""
                value = f" {item.value}" if item.value and item.value not in item.message else ""
                lines.append(
                    "  "
                    + one_line(
                        f"{item.severity}{path}{value}: {item.message}  (shape {item.shape})"
                    )
                )
            lines.append("")
        count = len(self.findings)
        resources = len(self.by_resource())
        summary = (
            f"{count} problem{'s' if count != 1 else ''} in "
            f"{resources} resource{'s' if resources != 1 else ''}."
        )
        if self.conforms:
            summary = "The graph conforms to the mixity shapes, with " + summary.replace(
                "problem", "warning"
            )
        lines.append(summary)
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The report as JSON: {conforms, findings: [...]}."""
        return (
            json.dumps(
                {"conforms": self.conforms, "findings": [f.__dict__ for f in self.findings]},
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )

    def to_turtle(self) -> str:
        """pySHACL's raw validation report graph, in Turtle (mixity's one Turtle writer)."""
        from mixity.graph.io.rdf import serialize
        from mixity.graph.io.terms import triples_from_rdflib

        prefixes = {prefix: str(ns) for prefix, ns in self.report_graph.namespaces() if prefix}
        triples = triples_from_rdflib(self.report_graph)
        return serialize(triples, "turtle", prefixes).decode("utf-8")


def validate(
    loaded: LoadedGraph,
    *,
    lang: str = "fr",
    shapes: Graph | None = None,
    sources: Path | None = None,
) -> ValidationReport:
    """Validate the whole loaded graph (bundled + extensions) against the shapes, and, with
    `sources` (a folder of source texts), every quote against its source's text."""
    from pyshacl import validate as shacl_validate

    conforms, report, _ = shacl_validate(
        loaded.graph,
        shacl_graph=shapes if shapes is not None else shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    report_graph = new_graph()
    report_graph += report
    locator = Locator(loaded)
    findings = list(_findings(loaded, report_graph, lang, locator))
    findings += check_statements(loaded, lang=lang, locator=locator)
    if sources is not None:
        findings += check_quotes(loaded, sources, lang=lang, locator=locator)
    ok = bool(conforms) and not any(f.severity == "Violation" for f in findings)
    return ValidationReport(conforms=ok, findings=findings, report_graph=report_graph)


def _findings(loaded: LoadedGraph, report: Graph, lang: str, locator: Locator) -> Iterable[Finding]:
    data = loaded.graph
    nested = set(report.objects(None, SH.detail))
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if result in nested:  # a detail of another result (sh:node): reported by its parent
            continue
        focus = report.value(result, SH.focusNode)
        if focus is None:
            continue
        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        en = [
            str(m)
            for m in report.objects(result, SH.resultMessage)
            if isinstance(m, Literal) and m.language == "en"
        ]
        severity = report.value(result, SH.resultSeverity)
        shape = report.value(result, SH.sourceShape)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        origin, line = locator.where(focus, path)
        yield Finding(
            focus=_show(focus),
            label=label(data, focus, lang),
            message=(en or messages or ["does not conform"])[0],
            severity=local_name(str(severity)) if severity is not None else "Violation",
            shape=_show(shape) if shape is not None else "?",
            path=_show(path) if path is not None else None,
            value=_show(value) if value is not None else None,
            origin=origin,
            line=line,
        )


def _show(node: Node) -> str:
    if isinstance(node, URIRef):
        return compact(str(node))
    if isinstance(node, Literal):
        return repr(str(node))
    return "[blank node]"


_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I | re.M)


class Locator:
    """Finds the file and line where a resource is described (and where one of its
    properties is given), from the loader's record of files and their text."""

    def __init__(self, loaded: LoadedGraph) -> None:
        self.loaded = loaded
        self._texts: dict[str, tuple[list[str], list[tuple[str, str]]] | None] = {}

    def _read(self, origin: str) -> tuple[list[str], list[tuple[str, str]]] | None:
        if origin not in self._texts:
            text: str | None
            try:
                if origin.startswith("mixity/") and any(
                    f.bundled and f.path == origin for f in self.loaded.files
                ):
                    text = files("mixity").joinpath(*origin.split("/")[1:]).read_text("utf-8")
                else:
                    text = Path(origin).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = None
            self._texts[origin] = (
                None
                if text is None
                else (text.splitlines(), [(p or "", ns) for p, ns in _PREFIX.findall(text)])
            )
        return self._texts[origin]

    @staticmethod
    def _tokens(iri: str, prefixes: list[tuple[str, str]]) -> list[str]:
        found = [f"<{iri}>"]
        for prefix, namespace in prefixes:
            rest = iri[len(namespace) :]
            if namespace and iri.startswith(namespace) and re.fullmatch(r"[\w.-]*", rest):
                found.append(f"{prefix}:{rest}")
        return found

    def where(self, node: Node, path: Node | None = None) -> tuple[str | None, int | None]:
        """(file, line) of `node`'s description (of `path` in it, if given); a blank node is
        found through the resource that points at it."""
        graph = self.loaded.graph
        seen: set[Node] = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            parent = next(iter(graph.subjects(None, node)), None)
            if parent is None:
                break
            node = parent
        origin = self.loaded.origin(node) if isinstance(node, IdentifiedNode) else None
        if origin is None or not isinstance(node, URIRef):
            return origin, None
        read = self._read(origin)
        if read is None:
            return origin, None
        lines, prefixes = read
        tokens = self._tokens(str(node), prefixes)
        start = next(
            (n for n, text in enumerate(lines) if text.lstrip().startswith(tuple(tokens))),
            next((n for n, text in enumerate(lines) if any(t in text for t in tokens)), None),
        )
        if start is None:
            return origin, None
        if isinstance(path, URIRef):
            wanted = re.compile(
                "|".join(re.escape(t) for t in self._tokens(str(path), prefixes)) + r"(?![\w:-])"
            )
            for n in range(start, len(lines)):
                if wanted.search(lines[n]):
                    return origin, n + 1
                if lines[n].rstrip().endswith(" .") or (n > start and not lines[n].strip()):
                    break  # the end of the resource's description
        return origin, start + 1


def check_quotes(
    loaded: LoadedGraph, folder: Path, *, lang: str = "fr", locator: Locator | None = None
) -> list[Finding]:
    """Check every quote of the graph against the text of its source in `folder`.

    Source documents are matched with the files by their `spdx:checksum` (SHA-256); see
    `mixity.graph.model.quotes` for how quotes are compared.
    """
    from mixity.graph.model.quotes import check, read_sources

    graph = loaded.graph
    where = locator or Locator(loaded)
    texts = read_sources(folder)
    findings: list[Finding] = []

    def report(focus: Node, message: str, severity: str, path: URIRef) -> None:
        origin, line = where.where(focus, path)
        findings.append(
            Finding(
                focus=_show(focus),
                label=label(graph, focus, lang),
                message=message,
                severity=severity,
                shape="quote check",
                path=compact(str(path)),
                origin=origin,
                line=line,
            )
        )

    documents: dict[Node, SourceText | None] = {}
    for evidence in sorted(set(graph.subjects(OA.hasSelector, None)), key=str):
        doc = graph.value(evidence, OA.hasSource)
        if doc is None:
            continue  # the shapes report an evidence node without a source
        if doc not in documents:
            documents[doc] = _source_text(graph, doc, texts, folder, report)
        source = documents[doc]
        if source is None:
            continue
        selectors = list(graph.objects(evidence, OA.hasSelector))
        position = next((p for s in selectors if (p := _position(graph, s)) is not None), None)
        quoted = False
        for selector in selectors:
            prefix = graph.value(selector, OA.prefix)
            suffix = graph.value(selector, OA.suffix)
            for exact in graph.objects(selector, OA.exact):
                quoted = True
                result = check(
                    source,
                    str(exact),
                    None if prefix is None else str(prefix),
                    None if suffix is None else str(suffix),
                    position,
                )
                if result.problem and result.severity:
                    report(evidence, result.problem, result.severity, OA.exact)
        if not quoted and position is not None:
            start, end = position
            if not 0 <= start < end <= len(source.text):
                report(
                    evidence,
                    f"oa:start {start} / oa:end {end} lie outside {source.path.name} "
                    f"({len(source.text)} characters)",
                    "Violation",
                    OA.start,
                )
    return findings


class _Report(Protocol):
    def __call__(self, focus: Node, message: str, severity: str, path: URIRef) -> None: ...


def _source_text(
    graph: Graph,
    doc: Node,
    texts: dict[str, SourceText],
    folder: Path,
    report: _Report,
) -> SourceText | None:
    """The text of `doc` in `folder`, found by its checksum; a finding when there is none."""
    from mixity.graph.model.quotes import SHA256

    recorded = [
        str(graph.value(c, SPDX.checksumValue)).strip().lower()
        for c in graph.objects(doc, SPDX.checksum)
        if graph.value(c, SPDX.algorithm) == URIRef(SHA256)
        and graph.value(c, SPDX.checksumValue) is not None
    ]
    if not recorded:
        report(
            doc,
            "the source document records no SHA-256 checksum (spdx:checksum): its quotes "
            "cannot be checked",
            "Warning",
            SPDX.checksum,
        )
        return None
    for value in recorded:
        if value in texts:
            return texts[value]
    # The file the document names, if it is there, has another text: the text changed.
    name = graph.value(doc, DCTERMS.identifier)
    for text in texts.values():
        if name is not None and text.path.stem == str(name):
            report(
                doc,
                f"{text.path} is not the text this source records (its SHA-256 is "
                f"{text.checksum[:12]}…, the graph records {recorded[0][:12]}…): the text "
                "or the checksum changed",
                "Violation",
                SPDX.checksum,
            )
            return None
    report(
        doc,
        f"no file of {folder} has this source's text (SHA-256 {recorded[0][:12]}…): its "
        "quotes are not checked",
        "Warning",
        SPDX.checksum,
    )
    return None


def _position(graph: Graph, selector: Node) -> tuple[int, int] | None:
    """(oa:start, oa:end) of a text position selector, or None."""
    if (selector, RDF.type, OA.TextPositionSelector) not in graph:
        return None
    start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
    try:
        return int(str(start)), int(str(end))
    except ValueError:
        return None  # the shapes report a position that is not an integer


#: The properties whose statements need a quote or an editorial note on the statement itself
#: (an owl:Axiom): the links of the debate (README, "Statement-level provenance").
DEBATE_PROPERTIES: tuple[str, ...] = tuple(
    f"{ns}{name}"
    for ns, names in (
        (
            "https://schema.org/",
            "location about publisher organizer performer author superEvent subEvent hasPart "
            "areaServed knowsAbout contributor",
        ),
        (
            "https://w3id.org/mixity/ontology#",
            "raisedAt proposedAt statedAt producedAt involves concerns partner restsOn serves "
            "underlies",
        ),
        ("https://vocab.methodandstructure.com/ibis#", "responds-to generalizes"),
        ("http://www.w3.org/2004/02/skos/core#", "broader narrower related"),
    )
    for name in names.split()
)
#: Statements that are editorial by nature: unmarked, they are an error, which the shapes report
#: (mixsh:EditorialLinkShape); the others are a warning.
EDITORIAL_PROPERTIES = frozenset(("https://vocab.methodandstructure.com/ibis#responds-to",))
#: A statement annotated in one direction covers its inverse.
INVERSES = {
    "https://schema.org/subEvent": "https://schema.org/superEvent",
    "https://schema.org/superEvent": "https://schema.org/subEvent",
    "http://www.w3.org/2004/02/skos/core#narrower": "http://www.w3.org/2004/02/skos/core#broader",
    "http://www.w3.org/2004/02/skos/core#broader": "http://www.w3.org/2004/02/skos/core#narrower",
}


def supported_statements(graph: Graph) -> dict[tuple[Node, Node, Node], list[Node]]:
    """Each annotated statement (s, p, o) with its owl:Axiom nodes that carry a quote
    (mix:evidence) or an editorial note; a symmetric or inverse form counts too."""
    evidence = URIRef("https://w3id.org/mixity/ontology#evidence")
    note = URIRef("http://www.w3.org/2004/02/skos/core#editorialNote")
    found: dict[tuple[Node, Node, Node], list[Node]] = {}
    for axiom in graph.subjects(RDF.type, OWL.Axiom):
        if graph.value(axiom, evidence) is None and graph.value(axiom, note) is None:
            continue
        s = graph.value(axiom, OWL.annotatedSource)
        p = graph.value(axiom, OWL.annotatedProperty)
        o = graph.value(axiom, OWL.annotatedTarget)
        if s is None or p is None or o is None:
            continue
        found.setdefault((s, p, o), []).append(axiom)
        if (inverse := INVERSES.get(str(p))) is not None:
            found.setdefault((o, URIRef(inverse), s), []).append(axiom)
        if str(p) == "http://www.w3.org/2004/02/skos/core#related":
            found.setdefault((o, p, s), []).append(axiom)
    return found


def check_statements(
    loaded: LoadedGraph, *, lang: str = "fr", locator: Locator | None = None
) -> list[Finding]:
    """Warnings for the statements between two resources (IRIs) with a debate property that
    no owl:Axiom supports with a quote or marks editorial (ibis:responds-to: see the shapes)."""
    graph = loaded.graph
    where = locator or Locator(loaded)
    supported = supported_statements(graph)
    findings = []
    for prop in DEBATE_PROPERTIES:
        for s, o in sorted(graph.subject_objects(URIRef(prop)), key=str):
            if not isinstance(s, URIRef) or not isinstance(o, URIRef):
                continue
            if (s, URIRef(prop), o) in supported or prop in EDITORIAL_PROPERTIES:
                continue
            origin, line = where.where(s, URIRef(prop))
            findings.append(
                Finding(
                    focus=_show(s),
                    label=label(graph, s, lang),
                    message=(
                        f"{compact(prop)} {_show(o)} is a statement that no quote supports on the "
                        "statement itself: annotate it with an owl:Axiom "
                        "(owl:annotatedSource, owl:annotatedProperty, owl:annotatedTarget) that "
                        "carries mix:evidence (the quote that states it) or a skos:editorialNote"
                    ),
                    severity="Warning",
                    shape="statement provenance",
                    path=compact(prop),
                    value=_show(o),
                    origin=origin,
                    line=line,
                )
            )
    return findings
