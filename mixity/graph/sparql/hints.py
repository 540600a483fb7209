"""Warnings about a query that runs but may not say what its author meant.

A misspelt term (`mix:Actor` for `mix:ActorType`, `ibis:respondsTo` for `ibis:responds-to`)
is valid SPARQL: the query runs and answers nothing. `unknown_terms` finds the terms of a known
vocabulary (`VOCABULARIES`) that the query names and that no loaded file declares or uses, and
the closest names of that vocabulary that the graph does hold. It reads the query with the lexer
and asks the graph one lookup per term (`used`); the graph's terms are listed, and difflib
imported, only when a term is missing.

The library returns these as `QueryWarning`s (`QueryResult.warnings`); it never prints them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import NamedTuple

from mixity.errors import QueryError
from mixity.graph.sparql.functions import FUNCTIONS
from mixity.graph.sparql.lexer import Token, position, prologue, tokenize
from mixity.namespaces import ID, MIX, PREFIXES

#: Namespaces whose terms a query is checked for: mixity's and the vocabularies it reuses
#: (not `id:`, the data's resources, nor `xsd:`, datatypes that are never nodes of a graph).
VOCABULARIES: tuple[str, ...] = tuple(
    iri for prefix, iri in PREFIXES.items() if iri != ID and prefix != "xsd"
)
#: Terms of those namespaces that a query may name although no graph holds them: datatypes.
NOT_NODES = frozenset(
    PREFIXES["rdf"] + name
    for name in ("langString", "dirLangString", "HTML", "XMLLiteral", "JSON", "PlainLiteral")
)
#: After these words an IRI names a graph or a datatype, not a node.
_NOT_A_NODE_AFTER = frozenset(("^^", "FROM", "NAMED", "GRAPH"))


class QueryWarning(NamedTuple):
    """Something that lets a query run, but probably not as its author meant.

    `line` and `column` (1-based) point into the query's text; `term` is the IRI concerned (if
    one), `suggestions` the names it may have meant, spelled as in the query. (A named tuple:
    cheaper to define than a dataclass, on a path where start-up counts.)
    """

    message: str
    line: int | None = None
    column: int | None = None
    origin: str = "query"
    term: str | None = None
    suggestions: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = self.origin
        if self.line is not None:
            where += f" line {self.line}:{self.column}"
        return f"{where}: {self.message}"


class _Term:
    """A term of a query: its IRI, as written, where, and whether it is called as a function.
    (A plain class: each named tuple costs a fraction of a millisecond to define.)"""

    __slots__ = ("function", "iri", "start", "written")

    def __init__(self, iri: str, written: str, start: int, function: bool) -> None:
        self.iri, self.written, self.start, self.function = iri, written, start, function


def vocabulary_terms(text: str, prefixes: Mapping[str, str]) -> list[_Term]:
    """The first occurrence of each term of `VOCABULARIES` in a query's patterns and expressions.

    Prefixed names use the query's own PREFIX lines, then `prefixes`. Left out: the prologue,
    a CONSTRUCT template (it may mint new terms), datatypes (`^^`) and graph names.
    """
    tokens = tokenize(text)
    start, declared = prologue(tokens)
    known = {**prefixes, **declared}
    skip_to = _template_end(tokens, start)
    found: dict[str, _Term] = {}
    for i in range(start, len(tokens)):
        token = tokens[i]
        if i < skip_to or token.kind not in ("pname", "iri"):
            continue
        if i > 0 and tokens[i - 1].text.upper() in _NOT_A_NODE_AFTER:
            continue
        iri = _iri(token, known)
        if iri is None or iri in found or _namespace(iri) is None:
            continue
        function = i + 1 < len(tokens) and tokens[i + 1].text == "("
        found[iri] = _Term(iri, token.text, token.start, function)
    return list(found.values())


def _template_end(tokens: Sequence[Token], start: int) -> int:
    """The index after a CONSTRUCT's template, or `start` (no template)."""
    if not (
        start + 1 < len(tokens)
        and tokens[start].text.upper() == "CONSTRUCT"
        and tokens[start + 1].text == "{"
    ):
        return start
    depth = 0
    for i in range(start + 1, len(tokens)):
        depth += tokens[i].text == "{"
        depth -= tokens[i].text == "}"
        if depth == 0:
            return i + 1
    return len(tokens)


def _iri(token: Token, prefixes: Mapping[str, str]) -> str | None:
    if token.kind == "iri":
        iri = token.text[1:-1]
        return None if "\\" in iri else iri
    prefix, _, local = token.text.partition(":")
    if prefix not in prefixes:
        return None
    if "\\" in local:  # \-escapes stand for the character (`mix:a\-b` is mix:a-b)
        local = re.sub(r"\\(.)", r"\1", local)
    return prefixes[prefix] + local


def _namespace(iri: str) -> str | None:
    """The known vocabulary `iri` is a term of (not the namespace itself), or None."""
    best = max((ns for ns in VOCABULARIES if iri.startswith(ns)), key=len, default=None)
    return best if best is not None and len(iri) > len(best) else None


def unknown_terms(
    text: str,
    prefixes: Mapping[str, str],
    used: Callable[[str], bool],
    terms_in: Callable[[str], Iterable[str]],
    origin: str = "query",
) -> list[QueryWarning]:
    """A warning for each known-vocabulary term of `text` that the graph does not hold.

    Args:
        used: whether the graph holds an IRI (as subject, predicate or object).
        terms_in: the IRIs of the graph in a namespace (asked only when a term is missing).
    """
    warnings: list[QueryWarning] = []
    for term in vocabulary_terms(text, prefixes):
        candidates: Iterable[str]
        if term.function:
            if _namespace(term.iri) != MIX or term.iri in FUNCTIONS:
                continue  # another vocabulary's function is the engine's to refuse
            what, candidates = "is not a function mixity defines", FUNCTIONS
        else:
            if term.iri in NOT_NODES:
                continue
            if used(term.iri):
                continue
            what = "is not declared or used by any loaded file"
            candidates = terms_in(_namespace(term.iri) or "")
        close = tuple(_spelled(term, iri) for iri in closest(term.iri, candidates))
        hint = f"; did you mean {_alternatives(close)}?" if close else ""
        line, column = position(text, term.start)
        warnings.append(
            QueryWarning(f"{term.written} {what}{hint}", line, column, origin, term.iri, close)
        )
    return warnings


def closest(iri: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The IRIs of `candidates` (same namespace) whose local names are closest to `iri`'s."""
    namespace = _namespace(iri) or ""
    by_key: dict[str, list[str]] = {}
    for candidate in sorted(set(candidates)):
        if candidate != iri and candidate.startswith(namespace) and candidate != namespace:
            by_key.setdefault(candidate[len(namespace) :].lower(), []).append(candidate)
    import difflib  # only for a missing term

    keys = difflib.get_close_matches(iri[len(namespace) :].lower(), list(by_key), n, 0.7)
    return [found for key in keys for found in by_key[key]][:n]


def _spelled(term: _Term, iri: str) -> str:
    """`iri` written the way the query wrote `term` (same prefix), else in <…>."""
    namespace = _namespace(term.iri) or ""
    local = iri[len(namespace) :]
    if term.written.startswith("<") or not re.fullmatch(r"[A-Za-z_][\w-]*", local):
        return f"<{iri}>"
    return f"{term.written.partition(':')[0]}:{local}"


def _alternatives(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def as_error(text: str, warnings: Sequence[QueryWarning]) -> QueryError:
    """The `QueryError` a strict query raises: the first warning, and how many more."""
    first = warnings[0]
    more = len(warnings) - 1
    reason = first.message + (f" (and {more} more warning{'s' * (more > 1)})" if more else "")
    return QueryError(reason, query=text, line=first.line, column=first.column, origin=first.origin)


class PatternUse:
    """Where a triple pattern first uses a variable: its offset, and the property it is the
    object of (`?s mix:concerns ?top`) or the subject of (`?top mix:concerns ?o`), if written."""

    __slots__ = ("object_of", "start", "subject_of")

    def __init__(self, start: int, object_of: str | None, subject_of: str | None) -> None:
        self.start, self.object_of, self.subject_of = start, object_of, subject_of


def pattern_variables(text: str, prefixes: Mapping[str, str]) -> dict[str, PatternUse]:
    """Each variable that a triple pattern of `text` uses (not only a FILTER, a BIND or the
    SELECT clause: a pattern's terms are between braces or in a [ … ] list, never between
    parentheses), with its first use there."""
    tokens = tokenize(text)
    _, declared = prologue(tokens)
    known = {**prefixes, **declared}

    def prop(token: Token) -> str | None:
        if token.kind == "word" and token.text == "a":
            return PREFIXES["rdf"] + "type"
        return _iri(token, known) if token.kind in ("pname", "iri") else None

    found: dict[str, PatternUse] = {}
    opened: list[str] = []
    for i, token in enumerate(tokens):
        if token.kind == "punct" and token.text in "{([":
            opened.append(token.text)
        elif token.kind == "punct" and token.text in "})]":
            if opened:
                opened.pop()
        elif token.kind == "var" and opened and opened[-1] in "{[":
            before = prop(tokens[i - 1]) if i > 0 else None
            after = prop(tokens[i + 1]) if i + 1 < len(tokens) and before is None else None
            found.setdefault(token.text[1:], PatternUse(token.start, before, after))
    return found


def unknown_function(text: str, prefixes: Mapping[str, str], iri: str, origin: str) -> QueryError:
    """The `QueryError` for a call of a function no engine defines (`mix:Fold(?x)`), at the
    call, with mixity's closest functions."""
    tokens = tokenize(text)
    _, declared = prologue(tokens)
    known = {**prefixes, **declared}
    calls = [
        token
        for i, token in enumerate(tokens[:-1])
        if token.kind in ("pname", "iri")
        and tokens[i + 1].text == "("
        and _iri(token, known) == iri
    ]
    written = calls[0].text if calls else f"<{iri}>"
    term = _Term(iri, written, calls[0].start if calls else 0, True)
    close = [_spelled(term, f) for f in closest(iri, FUNCTIONS)] if _namespace(iri) else []
    ours = ", ".join(sorted(f"mix:{f[len(MIX) :]}" for f in FUNCTIONS))
    hint = f"did you mean {_alternatives(tuple(close))}?" if close else f"mixity defines {ours}"
    line, column = position(text, term.start)
    return QueryError(
        f"{written} is not a function the engine knows; {hint}",
        query=text,
        line=line if calls else None,
        column=column if calls else None,
        origin=origin,
    )
