"""Check a loaded graph against the bundled SHACL shapes (pySHACL).

"Does not conform" is a result, not an exception: `validate` returns a `ValidationReport`
and the CLI maps `conforms` to the exit code.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import IdentifiedNode, Node

from mixity.graph.io.loader import LoadedGraph, new_graph, shapes_graph
from mixity.graph.io.write import one_line
from mixity.graph.model.labels import compact, label, local_name


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


@dataclass
class ValidationReport:
    """The outcome of `validate`: conforms or not, the findings, and pySHACL's raw report."""

    conforms: bool
    findings: list[Finding] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)

    def by_resource(self) -> dict[str, list[Finding]]:
        """Findings grouped by focus resource, in a stable order."""
        groups: dict[str, list[Finding]] = {}
        for finding in sorted(self.findings, key=lambda f: (f.origin or "", f.focus, f.message)):
            groups.setdefault(finding.focus, []).append(finding)
        return groups

    def to_text(self) -> str:
        """A readable report, grouped by resource."""
        if self.conforms:
            return "The graph conforms to the mixity shapes.\n"
        lines = []
        for focus, items in self.by_resource().items():
            first = items[0]
            where = f"  ({first.origin})" if first.origin else ""
            lines.append(one_line(f"{first.label}  {focus}{where}"))
            for item in items:
                path = f" [{item.path}]" if item.path else ""
                lines.append(
                    "  " + one_line(f"{item.severity}{path}: {item.message}  (shape {item.shape})")
                )
            lines.append("")
        count = len(self.findings)
        lines.append(
            f"{count} problem{'s' if count != 1 else ''} in "
            f"{len(self.by_resource())} resource{'s' if len(self.by_resource()) != 1 else ''}."
        )
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
    loaded: LoadedGraph, *, lang: str = "fr", shapes: Graph | None = None
) -> ValidationReport:
    """Validate the whole loaded graph (bundled + extensions) against the shapes."""
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
    findings = list(_findings(loaded, report_graph, lang))
    ok = bool(conforms) and not any(f.severity == "Violation" for f in findings)
    return ValidationReport(conforms=ok, findings=findings, report_graph=report_graph)


def _findings(loaded: LoadedGraph, report: Graph, lang: str) -> Iterable[Finding]:
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
        yield Finding(
            focus=_show(focus),
            label=label(data, focus, lang),
            message=(en or messages or ["does not conform"])[0],
            severity=local_name(str(severity)) if severity is not None else "Violation",
            shape=_show(shape) if shape is not None else "?",
            path=_show(path) if path is not None else None,
            value=_show(value) if value is not None else None,
            origin=loaded.origin(focus) if isinstance(focus, IdentifiedNode) else None,
        )


def _show(node: Node) -> str:
    if isinstance(node, URIRef):
        return compact(str(node))
    if isinstance(node, Literal):
        return repr(str(node))
    return "[blank node]"
