"""Ontology-quality checks (`mixity lint`): the bundled ontology, and what extensions change.

The checks follow the field's references where they have one (ROBOT's report rules, OOPS!'s
pitfalls, FOOPS!'s FAIR checks, SKOS integrity conditions, the OWL 2 DL profile), and the ids
of findings are theirs (`robot:missing_label`, `oops:P11`, `foops:OM1`, `skos:S14`,
`owl2dl:…`); mixity's own checks have `mixity:` ids. An extension is linted relative to the
bundled ontology: only what it adds or changes is reported, at its file and line.

    from mixity.graph.lint import lint
    report = lint(["my-extension.ttl"])
    report.fails("warning"), report.to_text()

`base_findings(base, extension)` runs only the checks of what an extension does to the base
(for `mixity diff --extension`).
"""

from __future__ import annotations

from mixity.graph.lint.base import base_findings
from mixity.graph.lint.findings import LEVELS, Finding, Level, LintReport
from mixity.graph.lint.run import lint

__all__ = ["LEVELS", "Finding", "Level", "LintReport", "base_findings", "lint"]
