"""The result of a query: rows, a boolean or triples, with every text form of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import pyoxigraph as ox

from mixity.errors import UnsupportedFormat
from mixity.graph.sparql import formats
from mixity.graph.sparql.formats import GRAPH_FORMATS, SELECT_FORMATS, Row, Term

if TYPE_CHECKING:
    from mixity.graph.sparql.hints import QueryWarning

Kind = Literal["select", "ask", "graph", "update"]


class QueryResult:
    """What a query answered.

    `kind` is "select" (`variables` and `rows`), "ask" (`boolean`), "graph" (`triples`, for
    CONSTRUCT and DESCRIBE) or "update" (`added`: the change in the number of triples).
    Terms are pyoxigraph terms; `prefixes` shorten IRIs in the table and Turtle forms.
    `truncated` is True when `limit` cut the answer short; `warnings` say what suggests the
    query may not say what was meant (a term no loaded file uses…).

    Immutable. A plain class rather than a frozen dataclass: `mixity query` would otherwise pay
    4 ms, a fortieth of its start-up, to import `dataclasses` and build the class.
    """

    _FIELDS: ClassVar[tuple[str, ...]] = (
        "kind",
        "variables",
        "rows",
        "boolean",
        "triples",
        "prefixes",
        "truncated",
        "added",
        "warnings",
    )
    __slots__ = _FIELDS
    kind: Kind
    variables: tuple[str, ...]
    rows: tuple[Row, ...]
    boolean: bool | None
    triples: tuple[ox.Triple, ...]
    prefixes: dict[str, str]
    truncated: bool
    added: int
    warnings: tuple[QueryWarning, ...]

    def __init__(
        self,
        kind: Kind,
        variables: tuple[str, ...] = (),
        rows: tuple[Row, ...] = (),
        boolean: bool | None = None,
        triples: tuple[ox.Triple, ...] = (),
        prefixes: dict[str, str] | None = None,
        truncated: bool = False,
        added: int = 0,
        warnings: tuple[QueryWarning, ...] = (),
    ) -> None:
        values = (kind, variables, rows, boolean, triples, prefixes or {}, truncated, added)
        for name, value in zip(QueryResult._FIELDS, (*values, warnings), strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: use replace({name}=…)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._FIELDS)

    __hash__ = None  # type: ignore[assignment]  # holds a dict, as the dataclass did

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._FIELDS)
        return f"{type(self).__name__}({shown})"

    def replace(self, **changes: Any) -> QueryResult:
        """A copy with some fields changed."""
        values = {n: getattr(self, n) for n in self._FIELDS}
        values.update(changes)
        return type(self)(**values)

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "graph" else len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    @property
    def formats(self) -> tuple[str, ...]:
        """The output formats this kind of result can take."""
        return GRAPH_FORMATS if self.kind == "graph" else SELECT_FORMATS

    @property
    def default_format(self) -> str:
        """`table` for rows and booleans, `turtle` for triples."""
        return "turtle" if self.kind == "graph" else "table"

    def dicts(self) -> list[dict[str, Term | None]]:
        """The rows as {variable: term} dictionaries."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Term | None]:
        """The values of one variable, in row order."""
        index = self.variables.index(name)
        return [row[index] for row in self.rows]

    def with_labels(self, labels: dict[str, str]) -> QueryResult:
        """A copy with a `<var>Label` column after each column that holds an IRI.

        `?actorLabel`, as the saved queries (and Wikidata's label service) name them; a column
        the query already calls `<var>Label` is kept as it is and none is added.
        """
        if self.kind != "select":
            return self
        variables: list[str] = []
        picks: list[tuple[int, bool]] = []
        for i, name in enumerate(self.variables):
            variables.append(name)
            picks.append((i, False))
            label_name = f"{name}Label"
            if label_name not in self.variables and any(
                isinstance(row[i], ox.NamedNode) for row in self.rows
            ):
                variables.append(label_name)
                picks.append((i, True))
        rows: list[Row] = []
        for row in self.rows:
            values: list[Term | None] = []
            for i, is_label in picks:
                term = row[i]
                if not is_label:
                    values.append(term)
                elif isinstance(term, ox.NamedNode) and term.value in labels:
                    values.append(ox.Literal(labels[term.value]))
                else:
                    values.append(None)
            rows.append(tuple(values))
        return self.replace(variables=tuple(variables), rows=tuple(rows))

    def to(self, fmt: str | None = None) -> str:
        """The result as text in `fmt` (see `formats`; default `table` or `turtle`)."""
        fmt = fmt or self.default_format
        if fmt not in self.formats:
            what = (
                "CONSTRUCT and DESCRIBE results"
                if self.kind == "graph"
                else "SELECT and ASK results"
            )
            raise UnsupportedFormat(
                f"format {fmt!r} does not apply to {what}; use one of {', '.join(self.formats)}"
            )
        if self.kind == "graph":
            return formats.serialize(self.triples, fmt, self.prefixes)
        if self.kind == "update":
            return self._update_text(fmt)
        if self.kind == "ask":
            return self._ask_text(fmt)
        variables, rows = self.variables, self.rows
        if fmt == "table":
            return formats.to_table(variables, rows, self.prefixes)
        if fmt == "md":
            return formats.to_markdown(variables, rows, self.prefixes)
        if fmt == "csv":
            return formats.to_csv(variables, rows)
        if fmt == "tsv":
            return formats.to_tsv(variables, rows)
        if fmt == "json":
            return formats.to_json(variables, rows)
        return formats.to_xml(variables, rows)

    def _ask_text(self, fmt: str) -> str:
        value = bool(self.boolean)
        if fmt == "json":
            return formats.ask_json(value)
        if fmt == "xml":
            return formats.ask_xml(value)
        word = "true" if value else "false"
        if fmt == "csv":
            return f"boolean\r\n{word}\r\n"
        if fmt == "tsv":
            return f"?boolean\n{word}\n"
        if fmt == "md":
            return f"| boolean |\n| --- |\n| {word} |\n"
        return word + "\n"

    def _update_text(self, fmt: str) -> str:
        if fmt == "json":
            return f'{{"update": "applied", "triples_added": {self.added}}}\n'
        return f"update applied in memory: {self.added:+d} triples\n"

    def summary(self) -> str:
        """One line for stderr: how many rows or triples, and whether the limit cut them."""
        if self.kind == "ask":
            return "1 boolean"
        if self.kind == "update":
            return f"{self.added:+d} triples (in memory only)"
        count = len(self)
        noun = "triple" if self.kind == "graph" else "row"
        text = f"{count} {noun}{'' if count == 1 else 's'}"
        return text + " (limit reached)" if self.truncated else text

    def _repr_html_(self) -> str:
        """A table (or the Turtle) for Jupyter; every text is escaped."""
        import html  # notebooks only

        if self.kind == "select":
            head = "".join(f"<th>{html.escape(v)}</th>" for v in self.variables)
            body = "".join(
                "<tr>"
                + "".join(
                    f"<td>{html.escape(formats.plain(term, self.prefixes))}</td>" for term in row
                )
                + "</tr>"
                for row in self.rows
            )
            return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        return f"<pre>{html.escape(self.to())}</pre>"
