"""Parameters and prefixes for a remote endpoint, written into the query text safely.

Parameters (`--param`) are substituted into the text as RDF terms written by pyoxigraph's
serializer (`<iri>`, `"text"@lang`, `"1"^^<…#integer>`: one escaped token, so no value can
change the query's structure). Each occurrence of the variable in the query's own scope is
replaced, as Oxigraph's local substitution does: in nested OPTIONALs and FILTERs too, which a
`VALUES` or `BIND` at the top of the WHERE clause would not reach (`?lang` in the saved queries
sits in nested OPTIONALs). A projected variable becomes `(term AS ?var)`, so the column stays; a
sub-SELECT that does not project the variable is left alone (its `?var` is another variable,
as in SPARQL). A variable the query assigns itself (`AS ?var`, `VALUES ?var`) cannot be a
parameter: that is an error.

What a local run predeclares is declared for the server too (`with_prefixes`): the prefixes a
query uses without declaring them are prepended on its first line, so that a server's "line
12" is the user's line 12.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from mixity.errors import MixityError, QueryError
from mixity.graph.sparql.formats import Term
from mixity.graph.sparql.lexer import error_at, prologue, tokenize


def term_text(term: Term, name: str) -> str:
    """`term` in SPARQL syntax, as pyoxigraph writes it (one escaped token)."""
    if not isinstance(term, ox.NamedNode | ox.Literal):
        raise MixityError(f"--param {name}: only an IRI or a literal can be sent to an endpoint")
    text = str(term)
    kinds = [t.kind for t in tokenize(text)]
    # Defence in depth: the serializer's output must read back as one term.
    if kinds not in (["iri"], ["string"], ["string", "lang"], ["string", "punct", "iri"]):
        raise MixityError(f"--param {name}: the value cannot be written as one SPARQL term")
    return text


def substitute(text: str, bindings: Mapping[str, Term], origin_name: str = "query") -> str:
    """`text` with each bound variable replaced by its term, in the query's own scope."""
    if not bindings:
        return text
    values = {name: term_text(term, name) for name, term in bindings.items()}
    edits = _Substitution(text, values, origin_name).edits()
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


class _Substitution:
    """Walks the tokens once, with a stack of sub-SELECT scopes."""

    def __init__(self, text: str, values: dict[str, str], origin_name: str) -> None:
        self.text = text
        self.values = values
        self.origin = origin_name
        self.tokens = tokenize(text)

    def edits(self) -> list[tuple[int, int, str]]:
        tokens = self.tokens
        start, _ = prologue(tokens)
        top_select = start < len(tokens) and tokens[start].text.upper() == "SELECT"
        # Each scope: (brace depth it lives at, the bound names visible in it).
        scopes: list[tuple[int, set[str]]] = [(0, set(self.values))]
        braces = parens = 0
        projecting = top_select
        in_values_header = after_by = False
        found: list[tuple[int, int, str]] = []
        for i in range(start, len(tokens)):
            token = tokens[i]
            word = token.text.upper() if token.kind == "word" else ""
            previous = tokens[i - 1].text.upper() if i > start else ""
            if word == "SELECT" and braces > 0:
                scopes.append((braces, self._projected(i, scopes[-1][1])))
                projecting = True
                continue
            if token.text in ("{", "(", "}", ")") and token.kind == "punct":
                braces += {"{": 1, "}": -1}.get(token.text, 0)
                parens += {"(": 1, ")": -1}.get(token.text, 0)
                if token.text == "{":
                    projecting = in_values_header = after_by = False
                while token.text == "}" and len(scopes) > 1 and braces < scopes[-1][0]:
                    scopes.pop()
                continue
            if projecting and parens == 0 and word in ("WHERE", "FROM"):
                projecting = False
            if word == "VALUES":
                in_values_header = True
            elif word == "BY":
                after_by = True
            elif word in ("LIMIT", "OFFSET", "HAVING"):
                after_by = False
            if token.kind != "var" or token.text[1:] not in scopes[-1][1]:
                continue
            name = token.text[1:]
            value = self.values[name]
            if previous == "AS" or in_values_header:
                raise error_at(
                    f"?{name} is given a value by the query itself, so it cannot be a --param",
                    self.text,
                    token.start,
                    self.origin,
                    QueryError,
                )
            if projecting and parens == 0:
                value = f"({value} AS {token.text})"
            elif after_by and parens == 0:
                value = f"({value})"
            found.append((token.start, token.start + len(token.text), value))
        return found

    def _projected(self, at: int, visible: set[str]) -> set[str]:
        """The visible bound names that the sub-SELECT starting at token `at` projects."""
        projected: set[str] = set()
        depth = 0
        for token in self.tokens[at + 1 :]:
            upper = token.text.upper()
            if depth == 0 and (token.text == "{" or upper in ("WHERE", "FROM")):
                break
            if token.text == "*" and depth == 0:
                return set(visible)
            depth += (token.text == "(") - (token.text == ")")
            if token.kind == "var":
                projected.add(token.text[1:])
        return projected & visible


def with_prefixes(text: str, prefixes: Mapping[str, str]) -> str:
    """`text` with a PREFIX declaration for each prefix it uses but does not declare.

    They go on the first line, so a server's "line 12" is the user's line 12.
    """
    tokens = tokenize(text)
    _, declared = prologue(tokens)
    used = {t.text.split(":", 1)[0] for t in tokens if t.kind == "pname"}
    lines = [
        f"PREFIX {name}: <{iri}>"
        for name, iri in prefixes.items()
        if name in used and name not in declared
    ]
    return " ".join([*lines, text]) if lines else text
