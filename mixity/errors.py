"""The one error tree of mixity: every failure a user can cause is a `MixityError`.

The library raises these; the CLI turns them into one line on stderr and an exit code.
A traceback reaching the user is a bug.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from pathlib import Path


def printable(text: str) -> str:
    """`text` as one inert terminal line: control characters (ANSI escapes, newlines, bidi
    overrides) from a user's data are shown as escapes, never sent to the terminal.
    """
    return "".join(
        ch
        if ch.isprintable()
        else " "
        if ch in "\t\n\r"
        else f"\\x{ord(ch):02x}"
        if ord(ch) < 0x100
        else f"\\u{ord(ch):04x}"
        for ch in text
    )


class MixityError(Exception):
    """Base class of every error mixity reports to a user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class SourceNotFound(MixityError):
    """A file or folder the user named does not exist or cannot be read."""

    def __init__(self, path: Path | str, reason: str = "no such file or directory") -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class ParseError(MixityError):
    """An RDF file could not be parsed; carries the position when the parser gives one."""

    def __init__(
        self,
        path: Path | str,
        reason: str,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.reason = reason
        where = self.path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {reason}")


class TurtleSyntaxError(ParseError):
    """A syntax error in a Turtle, TriG, N-Triples or N-Quads file."""


class UnsafeInput(ParseError):
    """A file asks for something mixity refuses to do (DTD entities, remote contexts)."""


class UnsupportedFormat(MixityError):
    """A file whose extension names no RDF syntax mixity reads."""


class QueryError(MixityError):
    """A SPARQL query that cannot be parsed or run.

    `line` and `column` are 1-based positions in `query`; `text` is the offending line.
    """

    def __init__(
        self,
        reason: str,
        *,
        query: str | None = None,
        line: int | None = None,
        column: int | None = None,
        origin: str = "query",
    ) -> None:
        self.reason = reason
        self.query = query
        self.line = line
        self.column = column
        self.origin = origin
        self.text: str | None = None
        if query is not None and line is not None:
            lines = query.splitlines() or [""]
            if 1 <= line <= len(lines):
                self.text = lines[line - 1]
        where = origin
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {reason}")

    def caret(self) -> str | None:
        """The offending line with a caret under the column, for display under the message."""
        if self.text is None or self.column is None:
            return None
        # Tabs stay tabs and wide characters take two cells, so the caret lands under the column.
        before = self.text[: max(self.column - 1, 0)]
        pad = "".join(
            "\t" if ch == "\t" else "  " if unicodedata.east_asian_width(ch) in "WF" else " "
            for ch in before
            if not unicodedata.combining(ch)
        )
        pad += " " * max(self.column - 1 - len(before), 0)
        # Control characters become '?' (one cell each), so the caret stays under the column.
        text = "".join(ch if ch.isprintable() or ch == "\t" else "?" for ch in self.text)
        return f"  {text}\n  {pad}^"


class QueryTimeout(QueryError):
    """A query ran past the time it was given."""


class UpdateRefused(QueryError):
    """A SPARQL Update was sent to a read-only command."""


class UnknownName(MixityError):
    """A name (saved query, resource label, view) that matches nothing; lists what is close."""

    def __init__(self, kind: str, name: str, suggestions: list[str] | None = None) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions or []
        hint = f" (did you mean: {', '.join(self.suggestions)}?)" if self.suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")


class AmbiguousName(MixityError):
    """A name (a resource's label) that matches several things; lists them."""

    def __init__(self, kind: str, name: str, candidates: list[str]) -> None:
        self.kind = kind
        self.name = name
        self.candidates = candidates
        shown = "; ".join(candidates[:8])
        more = f"; and {len(candidates) - 8} more" if len(candidates) > 8 else ""
        super().__init__(
            f"{name!r} names {len(candidates)} {kind}s: {shown}{more}; "
            "give a longer label, prefix:name or the IRI"
        )


class InvalidParameter(MixityError):
    """A value a function was given is out of range, of the wrong kind, or clashes with another.

    `parameter` is the library's parameter name (`limit`, `timeout`, `focus`…). `reason` may
    name other parameters as `{name}` (listed in `others`): the library shows them as they
    are, the CLI shows its own option names instead (`mixity.cli.options.OPTION_NAMES`).
    """

    def __init__(self, parameter: str, reason: str, others: tuple[str, ...] = ()) -> None:
        self.parameter = parameter
        self.reason = reason
        self.others = others
        super().__init__(self.named({}))

    def named(self, names: Mapping[str, str]) -> str:
        """The message with each parameter shown as `names` calls it (else its own name)."""
        reason = self.reason
        for other in self.others:
            reason = reason.replace("{" + other + "}", names.get(other, other))
        return f"{names.get(self.parameter, self.parameter)}: {reason}"


class OutputError(MixityError):
    """An output file could not be written; nothing was written."""
