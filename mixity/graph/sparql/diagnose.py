"""Explaining why a query was refused: the culprit's line and column, and what was expected.

Only imported when an engine refuses a query. Oxigraph reports the furthest point its parser
reached and rdflib the start of the failing group; neither is where a reader looks. So the
mistakes a reader can point at without a parser are found first (`check_static`), then
rdflib's position is completed with what Oxigraph expects right there.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from mixity.errors import QueryError
from mixity.graph.sparql.lexer import (
    QUERY_FORMS,
    UPDATE_FORMS,
    Token,
    error_at,
    position,
    prologue,
    tokenize,
)

#: Every keyword and built-in function name of SPARQL 1.1 (and the SPARQL 1.2 ones Oxigraph reads).
# fmt: off
KEYWORDS = frozenset([
    "BASE", "PREFIX", "SELECT", "CONSTRUCT", "DESCRIBE", "ASK", "DISTINCT", "REDUCED", "AS",
    "FROM", "NAMED", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "ASC", "DESC", "LIMIT",
    "OFFSET", "VALUES", "UNDEF", "OPTIONAL", "GRAPH", "SERVICE", "SILENT", "BIND", "FILTER",
    "MINUS", "UNION", "EXISTS", "NOT", "IN", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
    "COPY", "TO", "INSERT", "DELETE", "DATA", "WITH", "USING", "DEFAULT", "ALL", "INTO", "A",
    "TRUE", "FALSE", "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "URI", "BNODE",
    "RAND", "ABS", "CEIL", "FLOOR", "ROUND", "CONCAT", "STRLEN", "UCASE", "LCASE",
    "ENCODE_FOR_URI", "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "YEAR",
    "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS", "TIMEZONE", "TZ", "NOW", "UUID", "STRUUID",
    "MD5", "SHA1", "SHA256", "SHA384", "SHA512", "COALESCE", "IF", "STRLANG", "STRDT",
    "SAMETERM", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC", "REGEX", "SUBSTR",
    "REPLACE", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR",
    "LATERAL", "TRIPLE", "SUBJECT", "PREDICATE", "OBJECT", "ISTRIPLE", "LANGDIR", "HASLANG",
    "HASLANGDIR", "STRLANGDIR", "ADJUST", "VERSION",
])
# fmt: on
#: Clauses rdflib reports as a whole when something inside them is wrong.
_CLAUSES = frozenset(["FILTER", "OPTIONAL", "BIND", "MINUS", "VALUES", "GRAPH", "UNION", "HAVING"])
_FORM_WORDS = ", ".join(QUERY_FORMS[:-1]) + " or " + QUERY_FORMS[-1]


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word.upper(), [c.upper() for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def check_static(
    text: str, prefixes: Mapping[str, str], origin: str = "query", base: str | None = None
) -> QueryError | None:
    """The first mistake a reader can point at without a parser, or None.

    Empty query, unterminated string, invalid IRI (relative IRIs resolve against `base`),
    unknown query form, unknown prefix, unknown keyword, unbalanced brackets: each with the
    position of the culprit, so that the caret is right.
    """
    tokens = tokenize(text)
    start, declared = prologue(tokens)
    known = {**prefixes, **declared}
    if start >= len(tokens):
        return error_at(f"empty query: expected {_FORM_WORDS}", text, len(text.rstrip()), origin)
    for token in tokens:
        if token.kind == "badstring":
            return error_at(
                "unterminated string: the closing quote is missing", text, token.start, origin
            )
    iri_error = _check_iris(text, tokens, base, origin)
    if iri_error is not None:
        return iri_error
    first = tokens[start]
    if first.kind != "word" or first.text.upper() not in QUERY_FORMS + UPDATE_FORMS:
        hint = _suggest(first.text, QUERY_FORMS) if first.kind == "word" else ""
        return error_at(
            f"expected {_FORM_WORDS}, found {first.text!r}{hint}", text, first.start, origin
        )
    for token in tokens:
        if token.kind == "pname":
            name = token.text.split(":", 1)[0]
            if name not in known:
                listed = ", ".join(sorted(known))
                return error_at(
                    f"unknown prefix {name + ':'!r}; known prefixes: {listed} "
                    "(or declare it: PREFIX " + name + ": <…>)",
                    text,
                    token.start,
                    origin,
                )
        elif token.kind == "word" and token.text.upper() not in KEYWORDS:
            return error_at(
                f"unknown keyword or function {token.text!r}{_suggest(token.text, KEYWORDS)}",
                text,
                token.start,
                origin,
            )
    return _check_brackets(text, tokens, origin)


#: `<scheme:…>` that the lexer did not read as an IRI: a character IRIs forbid is inside.
_RAW_IRI = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:[^<>\n]*>")
_FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x20"{}|^`\\]')


def _check_iris(
    text: str, tokens: Sequence[Token], base: str | None, origin: str
) -> QueryError | None:
    """The first IRI that is not one: a forbidden character, or a relative IRI with no base."""
    for i, token in enumerate(tokens):
        if token.kind == "punct" and token.text == "<":
            raw = _RAW_IRI.match(text, token.start)
            bad = _FORBIDDEN_IN_IRI.search(raw.group()[1:-1]) if raw else None
            # `?x<ex:a && ?y>ex:b` compares: a variable or an operator is not part of an IRI.
            if raw and bad and not re.search(r"\s[?$]|&&|\|\|", raw.group()):
                reason = f"invalid IRI {raw.group()[:80]}: {bad.group()!r} is not allowed in an IRI"
                return error_at(reason, text, token.start, origin)
        if token.kind != "iri":
            continue
        resolved, problem = _resolve(token.text, base)
        if problem is not None:
            return error_at(f"invalid IRI {token.text[:80]}: {problem}", text, token.start, origin)
        if i and tokens[i - 1].kind == "word" and tokens[i - 1].text.upper() == "BASE":
            base = resolved
    return None


def _resolve(iri: str, base: str | None) -> tuple[str | None, str | None]:
    """An IRI token (`<…>`, escapes allowed) resolved against `base`, or why it is not one."""
    try:
        parsed = ox.parse(
            f"{iri} <urn:x:p> <urn:x:o> .".encode(), ox.RdfFormat.TURTLE, base_iri=base
        )
        subject = next(iter(parsed)).subject
    except SyntaxError as exc:
        reason = re.sub(r"^Parser error [^:]*:\s*", "", str(exc.msg or exc))
        if "No scheme" in reason:
            return None, (
                "a relative IRI, and the query has no base IRI to resolve it against "
                "(declare BASE <…> or give one: --base)"
            )
        return None, reason[0].lower() + reason[1:] if reason else "not a valid IRI"
    return (subject.value if isinstance(subject, ox.NamedNode) else None), None


_CLOSERS = {"(": ")", "{": "}", "[": "]"}


def _check_brackets(text: str, tokens: Sequence[Token], origin: str) -> QueryError | None:
    stack: list[Token] = []
    for token in tokens:
        if token.kind != "punct":
            continue
        if token.text in _CLOSERS:
            stack.append(token)
        elif token.text in _CLOSERS.values():
            if not stack:
                return error_at(
                    f"unexpected {token.text!r}: nothing to close", text, token.start, origin
                )
            opener = stack.pop()
            if _CLOSERS[opener.text] != token.text:
                line, column = position(text, opener.start)
                return error_at(
                    f"expected {_CLOSERS[opener.text]!r} to close the {opener.text!r} "
                    f"of {line}:{column}, found {token.text!r}",
                    text,
                    token.start,
                    origin,
                )
    if stack:
        opener = stack[-1]
        return error_at(
            f"{opener.text!r} is never closed (expected {_CLOSERS[opener.text]!r})",
            text,
            opener.start,
            origin,
        )
    return None


_OX_POSITION = re.compile(r"^error at (\d+):(\d+):\s*", re.S)
_OX_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,\s][^,]*')


def _expected(message: str) -> str:
    """Oxigraph's 'expected one of …' list, without the character classes nobody can read."""
    found = re.search(r"expected (?:one of )?(.*)", message, re.S)
    if not found:
        return ""
    items: list[str] = []
    for item in _OX_ITEM.findall(found.group(1)):
        item = item.strip()
        if not item or item.startswith("["):
            continue
        if item.startswith('"'):
            bare = item[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            item = f'"{bare}"' if "'" in bare else f"'{bare}'"
        if item not in items:
            items.append(item)
    if not items:
        return ""
    if len(items) > 10:
        items = [*items[:10], "…"]
    return items[0] if len(items) == 1 else "one of " + ", ".join(items)


def diagnose(
    text: str,
    prefixes: Mapping[str, str],
    engine_message: str,
    origin: str = "query",
    base: str | None = None,
) -> QueryError:
    """Turn an engine's refusal of `text` into a QueryError that points at the culprit.

    Oxigraph reports the furthest point its parser reached and rdflib the start of the failing
    group; the first mistake is found with `check_static`, then rdflib's position plus what
    Oxigraph expects at that position. `base` is the query's base IRI.
    """
    static = check_static(text, prefixes, origin, base)
    if static is not None:
        return static
    if not engine_message:
        try:
            ox.Store().query(text, prefixes=dict(prefixes), base_iri=base)
        except SyntaxError as exc:
            engine_message = str(exc)
        except Exception:  # only a syntax message is of use here
            engine_message = ""
    offset = _rdflib_failure(text, prefixes)
    if offset is None or "IRI parsing failed" in engine_message:
        return _beyond_grammar(text, engine_message, origin)
    token = next((t for t in tokenize(text) if t.start >= offset), None)
    if token is not None and token.kind == "word" and token.text.upper() in _CLAUSES:
        # rdflib points at the start of the clause that fails: the mistake is inside it.
        reason = f"syntax error in this {token.text.upper()} clause (check what follows it)"
        return error_at(reason, text, offset, origin)
    found_text = f"found {token.text[:30]!r}" if token else "found the end of the query"
    expected = _probe(text[:offset], prefixes, base) or _expected(engine_message)
    reason = f"syntax error: {found_text}" + (f", expected {expected}" if expected else "")
    return error_at(reason, text, offset, origin)


def _beyond_grammar(text: str, engine_message: str, origin: str) -> QueryError:
    """rdflib reads the query, Oxigraph does not: a rule of SPARQL beyond its grammar."""
    body = " ".join(engine_message.split())
    # Oxigraph slips these rules into its list of expected tokens, as sentences.
    rules = [
        item[0].lower() + item[1:]
        for item in _OX_ITEM.findall(re.sub(r"^.*?expected (one of )?", "", body))
        if " " in item.strip() and item.strip()[0].isupper() and not item.startswith("[")
    ]
    if "IRI parsing failed" in body:
        rules = ["an IRI here is not valid (a character IRIs forbid, or a bad \\u escape)"]
    if not rules and _expected(engine_message):
        # Oxigraph expected a keyword here, where rdflib's parser reads on: not a rule broken.
        rules = ["Oxigraph, mixity's query engine, cannot read the query from here"]
    reason = "; ".join(r.strip() for r in rules) or (
        "the query breaks a rule of SPARQL beyond its grammar "
        "(for example a variable bound twice, by BIND or AS, or selected without GROUP BY)"
    )
    found = _OX_POSITION.match(engine_message)
    if not found:
        return QueryError(reason, query=text, origin=origin)
    lines = text.splitlines() or [""]
    line = min(int(found.group(1)), len(lines))
    column = min(int(found.group(2)), len(lines[line - 1]) + 1)
    return QueryError(reason, query=text, line=line, column=column, origin=origin)


def _rdflib_failure(text: str, prefixes: Mapping[str, str]) -> int | None:
    """The offset where rdflib's SPARQL parser gives up, or None if it reads the query."""
    from rdflib.plugins.sparql.parser import parseQuery  # only on the error path

    try:
        parseQuery(text)
    except RecursionError:
        return 0
    except Exception as exc:  # pyparsing.ParseException and friends
        loc = getattr(exc, "loc", None)
        return loc if isinstance(loc, int) else 0
    return None


def _probe(head: str, prefixes: Mapping[str, str], base: str | None = None) -> str:
    """What Oxigraph expects right after `head` (a query cut at the error)."""
    try:
        ox.Store().query(head, prefixes=dict(prefixes), base_iri=base)
    except SyntaxError as exc:
        message = str(exc)
        found = _OX_POSITION.match(message)
        end = position(head, len(head.rstrip()))
        if found and (int(found.group(1)), int(found.group(2))) >= end:
            return _expected(message)
    except Exception:  # the probe is a hint; never let it hide the real error
        return ""
    return ""
