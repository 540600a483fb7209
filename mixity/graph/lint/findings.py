"""What a lint check reports (`Finding`) and the report of one run (`LintReport`)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Literal

from mixity.errors import printable

Level = Literal["error", "warning", "info"]

#: Levels from the most to the least serious.
LEVELS: tuple[Level, ...] = ("error", "warning", "info")


def at_least(level: str, threshold: str) -> bool:
    """Whether `level` is as serious as `threshold` or more."""
    order: tuple[str, ...] = LEVELS
    return order.index(level) <= order.index(threshold)


@dataclass(frozen=True)
class Finding:
    """One problem a check found: where, how serious, why, and how to fix it.

    `check` is the reference id where one exists (`robot:missing_label`, `oops:P11`,
    `foops:OM1`, `skos:S14`, `owl2dl:…`), else a `mixity:` id. `file` and `line` point at the
    statement the finding is about (or the term's first statement); either may be None when
    the problem has no place (e.g. a missing ontology header).
    """

    check: str
    level: Level
    subject: str | None
    file: str | None
    line: int | None
    message: str
    fix: str

    def where(self) -> str:
        """`file:line`, `file` or `-` when the finding has no place."""
        if self.file is None:
            return "-"
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (
            self.file or "",
            self.line or 0,
            LEVELS.index(self.level),
            self.check,
            self.subject or "",
        )


@dataclass
class LintReport:
    """The findings of one `lint` run, sorted by file and line, and the files it read."""

    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: True when the files were linted relative to the bundled ontology (an extension).
    relative: bool = False

    def counts(self) -> dict[str, int]:
        """How many findings of each level (every level present, 0 if none)."""
        found = Counter(f.level for f in self.findings)
        return {level: found.get(level, 0) for level in LEVELS}

    def fails(self, threshold: str = "error") -> bool:
        """Whether any finding is at `threshold` or more serious."""
        return any(at_least(f.level, threshold) for f in self.findings)

    def summary(self) -> str:
        """One line: the counts, and what was linted."""
        counts = self.counts()
        words = ", ".join(
            f"{n} {level}{'s' if n != 1 and level != 'info' else ''}" for level, n in counts.items()
        )
        what = (
            f"{len(self.files)} file{'s' if len(self.files) != 1 else ''} "
            "relative to the bundled ontology"
            if self.relative
            else "the bundled ontology"
        )
        return f"{words} in {what}"

    def to_text(self) -> str:
        """One block per finding: `file:line: level [check] message`, then the fix."""
        lines = []
        for finding in self.findings:
            lines.append(
                f"{finding.where()}: {finding.level} [{finding.check}] {printable(finding.message)}"
            )
            lines.append(f"    fix: {printable(finding.fix)}")
        return "".join(line + "\n" for line in lines)

    def to_json(self) -> str:
        """`{"findings": [...], "counts": {...}, "files": [...], "relative": bool}`."""
        data = {
            "findings": [asdict(f) for f in self.findings],
            "counts": self.counts(),
            "files": self.files,
            "relative": self.relative,
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
