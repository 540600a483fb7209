"""Warnings about a query that runs but may not say what its author meant.

A misspelt term (`mix:Actor` for `mix:ActorType`, `ibis:respondsTo` for `ibis:responds-to`)
is valid SPARQL: the query runs and answers nothing. `unknown_terms` finds the terms of a known
vocabulary (`VOCABULARIES`) that the query names and that no loaded file declares or uses, and
the closest names of that vocabulary that the graph does hold. It reads the query with the lexer
and asks the graph one lookup per term (`used`); the graph's terms are listed, and difflib
imported, only when a term is missing.

`near_namespaces` finds a namespace one slip away from one the graph uses (`http://schema.org/`
for `https://schema.org/`, `…/ontology/` for `…/ontology#`): every term of the query in it is
missing. The namespaces the graph uses are those of its prefixes; the store is scanned only for
a namespace close to one of them without being one.

The library returns these as `QueryWarning`s (`QueryResult.warnings`); it never prints them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from mixity.errors import QueryError
from mixity.graph.sparql.functions import FUNCTIONS
from mixity.graph.sparql.lexer import Token, position, prologue, tokenize
from mixity.namespaces import ID, MIX, PREFIXES, closest_namespaces

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
    """A warning for each known-vocabulary term of `text` that the graph does not hold, and
    for each namespace of `text` one slip away from one the graph uses (`near_namespaces`), in
    the order of the text.

    Args:
        prefixes: the predeclared prefixes: PREFIXES, then those the loaded files declare.
        used: whether the graph holds an IRI (as subject, predicate or object).
        terms_in: the IRIs of the graph in a namespace (asked only when a term is missing or
            a namespace is suspect).
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
    found = near_namespaces(text, prefixes, used, terms_in, origin) + warnings
    return sorted(found, key=lambda warning: (warning.line or 0, warning.column or 0))


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


def near_namespaces(
    text: str,
    prefixes: Mapping[str, str],
    used: Callable[[str], bool],
    terms_in: Callable[[str], Iterable[str]],
    origin: str = "query",
) -> list[QueryWarning]:
    """A warning for each namespace of `text` that is one slip away from a namespace of
    `prefixes` or `PREFIXES` (one or two edits, http for https, another or no trailing `#` or
    `/`) and that the graph does not use: no term the query names in it is held, and either
    the same names in the namespace meant are, or the graph has no term in it at all.

    The namespaces are those the query's PREFIX lines declare and its patterns use, and those
    of its full IRIs (up to the last `/` or `#`). `used` and `terms_in` are as for
    `unknown_terms`; both are asked only about a near miss.
    """
    known = {*PREFIXES.values(), *prefixes.values()}
    named: dict[str, tuple[int, set[str]]] = {}
    for namespace, start, iri in _query_namespaces(text):
        if namespace not in known:
            named.setdefault(namespace, (start, set()))[1].add(iri)
    warnings: list[QueryWarning] = []
    for namespace, (start, iris) in named.items():
        close = closest_namespaces(namespace, known)
        if not close or any(used(iri) for iri in iris):
            continue
        meant = (other + iri[len(namespace) :] for other in close for iri in iris)
        # A namespace the graph uses (`https://w3id.org/mixity/ontology/` holds the ontology's
        # versions) is a slip only if the namespace meant holds the names the query gives.
        if not any(used(iri) for iri in meant) and _in_use(namespace, terms_in(namespace)):
            continue
        suggestions = tuple(f"<{iri}>" for iri in close)
        line, column = position(text, start)
        message = (
            f"<{namespace}> is not used by any loaded file; "
            f"did you mean {_alternatives(suggestions)}?"
        )
        warnings.append(QueryWarning(message, line, column, origin, namespace, suggestions))
    return warnings


def _query_namespaces(text: str) -> Iterator[tuple[str, int, str]]:
    """Each IRI a query's patterns and expressions name outside the predeclared prefixes, with
    its namespace and an offset to point at: the IRI of the PREFIX line that declares it, or
    the full IRI. Left out: a CONSTRUCT template (it may write another vocabulary), graph
    names and functions."""
    tokens = tokenize(text)
    start, _ = prologue(tokens)
    declared: dict[str, Token] = {}
    for i in range(1, start):
        if tokens[i].kind == "iri" and tokens[i - 1].kind == "pname":
            declared[tokens[i - 1].text.partition(":")[0]] = tokens[i]
    namespaces = {prefix: iri.text[1:-1] for prefix, iri in declared.items()}
    for i in range(_template_end(tokens, start), len(tokens)):
        token = tokens[i]
        if token.kind not in ("pname", "iri"):
            continue
        if i > 0 and tokens[i - 1].text.upper() in _GRAPH_NAME_AFTER:
            continue
        if i + 1 < len(tokens) and tokens[i + 1].text == "(":
            continue
        if token.kind == "pname":
            prefix = declared.get(token.text.partition(":")[0])
            if prefix is not None and (iri := _iri(token, namespaces)) is not None:
                yield prefix.text[1:-1], prefix.start, iri
        elif (iri := _iri(token, {})) is not None and (namespace := _namespace_of(iri)):
            yield namespace, token.start, iri


_GRAPH_NAME_AFTER = frozenset(("FROM", "NAMED", "GRAPH"))
#: An absolute IRI with a path or fragment: `scheme://authority/` or `…#`.
_HIERARCHICAL = re.compile(r"[A-Za-z][\w+.-]*://[^/?#]*[/#]")


def _namespace_of(iri: str) -> str | None:
    """The namespace of a full IRI: up to its last `/` or `#` (None for a relative IRI)."""
    if _HIERARCHICAL.match(iri) is None:
        return None
    return iri[: max(iri.rfind("/"), iri.rfind("#")) + 1]


def _in_use(namespace: str, iris: Iterable[str]) -> bool:
    """Whether one of `iris` (those that start with `namespace`) is a term of it: not the
    namespace itself, nor in a longer one (`https://schema.org` is not `https://schema.org/`)."""
    return any(iri[len(namespace) : len(namespace) + 1] not in ("", "/", "#") for iri in iris)


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
