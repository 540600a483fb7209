"""The one writer of each RDF syntax: Turtle, N-Triples, TriG and JSON-LD.

`mixity query` (CONSTRUCT, DESCRIBE) and `mixity export` both write RDF through `serialize`, so
the same triples give the same bytes whichever command wrote them. Oxigraph's serialisers do
the writing; mixity makes their output byte-stable:

- blank nodes are renamed from what they say (`content_ids`), whatever a parser called them;
- triples are sorted (by subject, `rdf:type` first, then by property and value), so that each
  subject is written once with its properties grouped;
- Turtle and TriG declare only the prefixes they use, in alphabetical order;
- N-Triples lines are sorted; JSON-LD is Oxigraph's expanded form (full IRIs, no context to
  fetch), one object per subject, indented.

No rdflib here: the query path writes with this module.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from mixity.errors import UnsupportedFormat

#: The RDF syntaxes `serialize` writes.
RDF_SYNTAXES = ("turtle", "nt", "trig", "jsonld")

_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_OXIGRAPH = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def serialize(
    triples: Iterable[ox.Triple], fmt: str, prefixes: Mapping[str, str] | None = None
) -> bytes:
    """`triples` as Turtle, N-Triples, TriG (the default graph) or JSON-LD, UTF-8.

    Args:
        fmt: one of `RDF_SYNTAXES`.
        prefixes: prefix -> namespace, to shorten IRIs in Turtle and TriG (those used only).
    """
    if fmt not in _OXIGRAPH:
        raise UnsupportedFormat(f"unknown RDF syntax {fmt!r}; use one of {', '.join(RDF_SYNTAXES)}")
    ordered = _sorted(_renamed(list(triples)))
    if fmt == "nt":
        text = (ox.serialize(ordered, format=_OXIGRAPH[fmt]) or b"").decode("utf-8")
        return "".join(line + "\n" for line in sorted(text.splitlines())).encode("utf-8")
    if fmt == "jsonld":
        # Oxigraph writes one line; indented, an export reads and diffs well.
        document = json.loads(ox.serialize(ordered, format=_OXIGRAPH[fmt]) or b"[]")
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    candidates = _distinct(prefixes or {})
    if fmt == "trig":
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in ordered]
        data = ox.serialize(quads, format=_OXIGRAPH[fmt], prefixes=candidates)
    else:
        data = ox.serialize(ordered, format=_OXIGRAPH[fmt], prefixes=candidates)
    return _used_prefixes_only((data or b"").decode("utf-8")).encode("utf-8")


def _distinct(prefixes: Mapping[str, str]) -> dict[str, str]:
    """One prefix per namespace (the first given), so that Oxigraph's choice is never a tie."""
    seen: set[str] = set()
    kept: dict[str, str] = {}
    for name, namespace in prefixes.items():
        if namespace and namespace not in seen:
            seen.add(namespace)
            kept[name] = namespace
    return kept


_STRING_OR_IRI = re.compile(r'"(?:[^"\\\n]|\\.)*"|<[^>\s]*>')


def _used_prefixes_only(text: str) -> str:
    """Turtle or TriG with only the @prefix lines the body uses, sorted.

    Oxigraph declares every prefix it was given, in an order of its own. A prefix is used when
    `name:` starts a token of the body outside strings and `<IRIs>`.
    """
    lines = text.split("\n")
    head = 0
    while head < len(lines) and lines[head].startswith("@prefix "):
        head += 1
    body = _STRING_OR_IRI.sub(" ", "\n".join(lines[head:]))
    kept = []
    for line in lines[:head]:
        name = line[len("@prefix ") :].split(":", 1)[0]
        if re.search(rf"(?<![\w.\-:%\\]){re.escape(name)}:", body):
            kept.append(line)
    return "\n".join([*sorted(kept), *lines[head:]])


def _sorted(triples: list[ox.Triple]) -> list[ox.Triple]:
    """Triples by subject, `rdf:type` first, then by property and value (N-Triples forms)."""

    def key(t: ox.Triple) -> tuple[str, bool, str, str]:
        return (str(t.subject), t.predicate.value != _RDF_TYPE, str(t.predicate), str(t.object))

    return sorted(triples, key=key)


def _renamed(triples: list[ox.Triple]) -> list[ox.Triple]:
    """`triples` with their blank nodes renamed by `blank_ids`."""
    names = blank_ids(triples)
    if not names:
        return triples
    nodes = {key: ox.BlankNode(name) for key, name in names.items()}

    def rename(term: Term) -> Term:
        if isinstance(term, ox.BlankNode):
            return nodes.get("_:" + term.value, term)
        if isinstance(term, ox.Triple):
            return ox.Triple(rename(term.subject), term.predicate, rename(term.object))  # type: ignore[arg-type]
        return term

    return [ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples]  # type: ignore[arg-type]


def blank_ids(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """A stable id for each blank node of `triples` (keyed `_:` + its current id), see
    `content_ids`."""
    outgoing: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    incoming: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    for t in triples:
        subject, obj, prop = _value(t.subject), _value(t.object), t.predicate.value
        if isinstance(t.subject, ox.BlankNode):
            outgoing[subject].append((prop, obj))
        if isinstance(t.object, ox.BlankNode):
            incoming[obj].append((prop, subject))
    return content_ids(outgoing, incoming)


def _value(term: Term) -> str:
    """An IRI as itself, a blank node as `_:id`, anything else in N-Triples syntax."""
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(term)


def content_ids(
    outgoing: Mapping[str, Iterable[tuple[str, str]]],
    incoming: Mapping[str, Iterable[tuple[str, str]]],
) -> dict[str, str]:
    """Stable ids (`b` and 16 hex digits) for blank nodes: a hash of what they say and who
    points to them. Parsers name blank nodes at random; these ids stay the same across runs.

    Args:
        outgoing: blank node (`_:id`) -> its (property IRI, value) pairs;
        incoming: blank node -> the (property IRI, subject) pairs that point to it. A value
            or subject is an IRI, a literal in N-Triples syntax, or a blank node as `_:id`.

    Three rounds of refinement (as in Weisfeiler-Lehman hashing) tell apart blank nodes
    nested in other blank nodes; indistinguishable ones get a numbered suffix.
    """
    bnodes = set(outgoing) | set(incoming)
    if not bnodes:
        return {}
    labels: dict[str, str] = dict.fromkeys(bnodes, "")

    def term(value: str) -> str:
        return labels.get(value, value) if value.startswith("_:") else value

    for _ in range(3):
        labels = {
            b: hashlib.blake2b(
                "\n".join(
                    [
                        labels[b],
                        *sorted(f">{p} {term(o)}" for p, o in outgoing.get(b, ())),
                        *sorted(f"<{p} {term(s)}" for p, s in incoming.get(b, ())),
                    ]
                ).encode(),
                digest_size=8,
            ).hexdigest()
            for b in bnodes
        }
    ids: dict[str, str] = {}
    used: defaultdict[str, int] = defaultdict(int)
    for b in sorted(bnodes, key=lambda b: (labels[b], b)):
        n = used[labels[b]]
        used[labels[b]] += 1
        ids[b] = f"b{labels[b]}" + (f"-{n}" if n else "")
    return ids
