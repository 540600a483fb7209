"""Check a loaded graph against the bundled SHACL shapes (pySHACL), its links for
statement-level provenance (`statements`), its terms against the vocabularies that declare them
(`undeclared`), and its quotes against the texts of its sources (`quote_check`).

"Does not conform" is a result, not an exception: `validate` returns a `ValidationReport`
and the CLI maps `conforms` to the exit code. Every finding names the offending value and the
file and line of the statement it is about (`locate`), when the loader knows the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from mixity.graph.io.loader import LoadedGraph, new_graph, shapes_graph
from mixity.graph.io.write import one_line
from mixity.graph.model.findings import Finding, show
from mixity.graph.model.labels import label, local_name
from mixity.graph.model.locate import Locator
from mixity.graph.model.statements import check_statements, supported_statements
from mixity.graph.model.undeclared import check_terms

__all__ = ["Finding", "ValidationReport", "supported_statements", "validate"]


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
            lines += ["  " + one_line(item.to_line()) for item in items]
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
    """Validate the whole loaded graph (bundled + extensions) against the shapes, the
    provenance of its statements and the vocabularies of its terms, and, with `sources` (a
    folder of source texts), every quote against its source's text."""
    from pyshacl import validate as shacl_validate

    from mixity.graph.model.prepared import prepared_queries
    from mixity.graph.model.targets import split_targets

    with prepared_queries():
        conforms, report, _ = shacl_validate(
            loaded.graph,
            shacl_graph=split_targets(shapes if shapes is not None else shapes_graph()),
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
    report_graph = new_graph()
    report_graph += report
    locator = Locator(loaded)
    findings = list(_findings(loaded, report_graph, lang, locator))
    findings += check_statements(loaded, lang=lang, locator=locator)
    findings += check_terms(loaded, locator=locator)
    if sources is not None:
        from mixity.graph.model.quote_check import check_quotes

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
        origin, line = locator.where(focus, path, value)
        yield Finding(
            focus=show(focus),
            label=label(data, focus, lang),
            message=(en or messages or ["does not conform"])[0],
            severity=local_name(str(severity)) if severity is not None else "Violation",
            shape=show(shape) if shape is not None else "?",
            path=show(path) if path is not None else None,
            value=show(value) if value is not None else None,
            origin=origin,
            line=line,
        )
