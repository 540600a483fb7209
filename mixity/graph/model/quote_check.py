"""`mixity validate --sources DIR`: every quote of the graph against the text of its source,
found in DIR by the SHA-256 the source document records (see `mixity.graph.model.quotes` for how
a quote is compared with a text)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, Namespace
from rdflib.term import Node

from mixity.graph.io.loader import LoadedGraph
from mixity.graph.model.findings import Finding, show
from mixity.graph.model.labels import compact, label
from mixity.graph.model.locate import Locator

if TYPE_CHECKING:
    from mixity.graph.model.quotes import SourceText

OA = Namespace("http://www.w3.org/ns/oa#")
SPDX = Namespace("http://spdx.org/rdf/terms#")


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

    def report(
        focus: Node,
        message: str,
        severity: str,
        path: URIRef,
        at: Node | None = None,
        value: Node | None = None,
    ) -> None:
        # `at` (a selector) holds the statement `at path value` the finding is about
        origin, line = where.where(focus if at is None else at, path, value)
        findings.append(
            Finding(
                focus=show(focus),
                label=label(graph, focus, lang),
                message=message,
                severity=severity,
                shape="quote check",
                path=compact(str(path)),
                value=None if value is None else show(value),
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
                    report(evidence, result.problem, result.severity, OA.exact, selector, exact)
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
    def __call__(
        self,
        focus: Node,
        message: str,
        severity: str,
        path: URIRef,
        at: Node | None = None,
        value: Node | None = None,
    ) -> None: ...


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
