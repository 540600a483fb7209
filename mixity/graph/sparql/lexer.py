"""Reading SPARQL text without a parser: tokens, the query form, positions.

Used on every query (to tell a query from an update, to refuse what would reach the network,
to project bound variables), so it stays small and imports nothing heavy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from mixity.errors import QueryError, UpdateRefused

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_FORMS = (
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
)

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<badstring>'''|\"\"\"|['"])
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][\w\u00B7]+)
  | (?P<bnode>_:[\w\-.]*)
  | (?P<pname>(?:[^\W\d_](?:[\w\-\u00B7]|\.(?=[\w\-]))*)?:
              (?:[\w\-\u00B7:%\\]|\.(?=[\w\-:%]))*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|<<|>>|[{}()\[\].,;*^|/!=<>+\-?$@~])
  | (?P<other>.)
    """,
    re.X | re.S,
)


class Token(NamedTuple):
    """One lexical token of a query, with its offset in the text."""

    kind: str
    text: str
    start: int


# A query is read by several checks (its form, its safety, its variables): it is tokenised once.
@lru_cache(maxsize=16)
def tokenize(text: str) -> tuple[Token, ...]:
    """The tokens of a SPARQL text, comments and white space dropped."""
    return tuple(
        Token(kind, match.group(), match.start())
        for match in _TOKEN.finditer(text)
        if (kind := match.lastgroup or "other") not in ("ws", "comment")
    )


def prologue(tokens: Sequence[Token]) -> tuple[int, dict[str, str]]:
    """The index of the first token after PREFIX / BASE declarations, and the prefixes declared."""
    declared: dict[str, str] = {}
    i = 0
    while (
        i < len(tokens)
        and tokens[i].kind == "word"
        and tokens[i].text.upper() in ("PREFIX", "BASE")
    ):
        if tokens[i].text.upper() == "BASE":
            i += 2
            continue
        if i + 2 < len(tokens) and tokens[i + 1].kind == "pname" and tokens[i + 2].kind == "iri":
            declared[tokens[i + 1].text.split(":", 1)[0]] = tokens[i + 2].text[1:-1]
        i += 3
    return i, declared


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE, ASK, an update keyword (INSERT, LOAD…), or None."""
    tokens = tokenize(text)
    i, _ = prologue(tokens)
    if i < len(tokens) and tokens[i].kind == "word":
        word = tokens[i].text.upper()
        if word in QUERY_FORMS or word in UPDATE_FORMS:
            return word
    return None


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def error_at(
    reason: str, text: str, offset: int, origin: str, cls: type[QueryError] = QueryError
) -> QueryError:
    """A QueryError pointing at a character offset of `text`."""
    line, column = position(text, offset)
    return cls(reason, query=text, line=line, column=column, origin=origin)


#: Deepest bracket nesting a query may have (no real query comes close).
MAX_NESTING = 256


def check_safe(
    text: str, form: str | None, origin: str, names: Mapping[str, str] | None = None
) -> None:
    """Refuse what would reach the network, and nesting deep enough to crash a parser.

    `names` spells parameters in messages the caller's way (the CLI's options).
    """
    depth = unary = 0
    for token in tokenize(text):
        # Unary operators (!!!!x) nest in the parser like brackets do.
        unary = unary + 1 if token.kind == "punct" and token.text in ("!", "-", "+") else 0
        if unary > MAX_NESTING:
            raise error_at(
                f"operators nested more than {MAX_NESTING} deep", text, token.start, origin
            )
        if token.kind == "punct" and token.text in "{([" and token.text:
            depth += 1
            # Oxigraph's parser recurses natively: thousands of brackets crash the process.
            if depth > MAX_NESTING:
                raise error_at(
                    f"brackets nested more than {MAX_NESTING} deep", text, token.start, origin
                )
        elif token.kind == "punct" and token.text in "})]" and token.text:
            depth -= 1
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word == "SERVICE":
            raise error_at(
                "SERVICE (federated query) is not supported: mixity works offline",
                text,
                token.start,
                origin,
            )
        if word == "LOAD" and form in UPDATE_FORMS:
            paths = (names or {}).get("paths", "paths")
            raise error_at(
                f"LOAD is refused: mixity never fetches data; load the files with {paths} instead",
                text,
                token.start,
                origin,
                UpdateRefused,
            )


def project(text: str, names: list[str]) -> tuple[str, set[str]]:
    """`text` with the variables `names` added to a SELECT clause that lacks them.

    Oxigraph binds (substitutes) only projected variables. Only variable names (checked
    identifiers) are inserted, never a value; returns the names that were added.
    """
    tokens = tokenize(text)
    start, _ = prologue(tokens)
    if not names or start >= len(tokens) or tokens[start].text.upper() != "SELECT":
        return text, set()
    i = start + 1
    if i < len(tokens) and tokens[i].text.upper() in ("DISTINCT", "REDUCED"):
        i += 1
    if i >= len(tokens) or tokens[i].text == "*":
        return text, set()
    projected: set[str] = set()
    depth = 0
    previous = ""
    for token in tokens[i:]:
        if depth == 0 and (token.text == "{" or token.text.upper() in ("WHERE", "FROM")):
            break
        depth += token.text == "("
        depth -= token.text == ")"
        if token.kind == "var" and (depth == 0 or previous == "AS"):
            projected.add(token.text[1:])
        previous = token.text.upper()
    missing = [n for n in names if n not in projected and re.fullmatch(r"[A-Za-z_]\w*", n)]
    if not missing:
        return text, set()
    at = tokens[i].start
    return text[:at] + " ".join(f"?{n}" for n in missing) + " " + text[at:], set(missing)
